package documents

import (
	"errors"
	"reflect"
	"strconv"
	"strings"

	"github.com/go-playground/validator/v10"

	"github.com/kutsekoda/alusdok/deficiency"
)

// Validator applies the field rules of base documents. Build it once with
// NewValidator and share it: it is safe for concurrent use and holds no
// state that changes after construction.
type Validator struct {
	policy   Policy
	validate *validator.Validate
}

// NewValidator returns a Validator with policy p (zero limits take the
// defaults). p is copied; later changes to it do not affect the Validator.
func NewValidator(p Policy) *Validator {
	v := validator.New()
	// Field paths in deficiencies use the JSON names.
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	// A Date is validated as its "YYYY-MM-DD" text, "" when zero, so that
	// "required" works on it.
	v.RegisterCustomTypeFunc(func(f reflect.Value) any {
		d, _ := f.Interface().(Date)
		return d.String()
	}, Date{})
	must := func(tag string, fn validator.Func) {
		if err := v.RegisterValidation(tag, fn); err != nil {
			panic("documents: register validation " + tag + ": " + err.Error())
		}
	}
	must("nonblank", func(fl validator.FieldLevel) bool {
		return strings.TrimSpace(fl.Field().String()) != ""
	})
	must("personalcode", func(fl validator.FieldLevel) bool { return ValidPersonalCode(fl.Field().String()) })
	must("registrycode", func(fl validator.FieldLevel) bool { return ValidRegistryCode(fl.Field().String()) })
	must("level", func(fl validator.FieldLevel) bool {
		l := fl.Field().Int()
		return l >= minLevel && l <= maxLevel
	})
	must("isco", func(fl validator.FieldLevel) bool { return digitsBetween(fl.Field().String(), 1, 6) })
	must("isced", func(fl validator.FieldLevel) bool { return digitsBetween(fl.Field().String(), 2, 4) })
	must("lang", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		return len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z'
	})
	return &Validator{policy: p.clone(), validate: v}
}

// Policy returns a copy of the Validator's policy.
func (v *Validator) Policy() Policy { return v.policy.clone() }

// EKR levels: 1–8 are accepted, occupations sit at 2–8 (R7.1, R8.4).
const (
	minLevel      = 1
	maxLevel      = 8
	minUsualLevel = 2
)

func digitsBetween(s string, minLen, maxLen int) bool {
	return len(s) >= minLen && len(s) <= maxLen && allDigits(s)
}

// structRules runs the tag rules over doc and turns the failures into
// deficiencies with JSON paths.
func (v *Validator) structRules(doc *BaseDocument) deficiency.List {
	err := v.validate.Struct(doc)
	if err == nil {
		return nil
	}
	var defs deficiency.List
	var fieldErrs validator.ValidationErrors
	if !errors.As(err, &fieldErrs) {
		report(&defs, "", CodeJSONInvalid)
		return defs
	}
	for _, fe := range fieldErrs {
		path := fe.Namespace()
		if _, rest, ok := strings.Cut(path, "."); ok {
			path = rest // drop the root type name
		}
		fieldDeficiency(&defs, path, fe)
	}
	return defs
}

// fieldDeficiency maps one failed tag to its code. The value is consulted
// only to pick the code (which check of a personal code failed), never put
// into the message.
func fieldDeficiency(defs *deficiency.List, path string, fe validator.FieldError) {
	switch fe.Tag() {
	case "required", "nonblank", "required_without":
		report(defs, path, CodeRequired)
	case "max":
		if fe.Kind() == reflect.String {
			report(defs, path, CodeTooLong, param("max", fe.Param()))
		} else {
			report(defs, path, CodeTooMany, param("max", fe.Param()))
		}
	case "min":
		report(defs, path, CodeTooFew, param("min", fe.Param()))
	case "oneof":
		report(defs, path, CodeEnum, param("allowed", strings.Join(strings.Fields(fe.Param()), ", ")))
	case "gte":
		report(defs, path, CodeRange, param("bound", "≥ "+fe.Param()))
	case "lte":
		report(defs, path, CodeRange, param("bound", "≤ "+fe.Param()))
	case "email":
		report(defs, path, CodeEmail)
	case "http_url":
		report(defs, path, CodeFormat, param2("format", "http(s) veebiaadress", "an http(s) web address"))
	case "lang":
		report(defs, path, CodeFormat, param2("format", "ISO 639-1 keelekood, nt et", "an ISO 639-1 language code, e.g. et"))
	case "isco", "isced":
		report(defs, path, CodeStatisticalCode)
	case "personalcode":
		s, _ := fe.Value().(string)
		_, err := ParsePersonalCode(s)
		report(defs, path, personalCodeDeficiency(err))
	case "registrycode":
		s, _ := fe.Value().(string)
		report(defs, path, registryCodeDeficiency(CheckRegistryCode(s)))
	case "level":
		// A level left out of a record is missing; a 0 in a list of
		// levels is out of range.
		if l, ok := fe.Value().(int); ok && l == 0 && !strings.HasSuffix(path, "]") {
			report(defs, path, CodeRequired)
			return
		}
		report(defs, path, CodeLevelRange)
	default:
		report(defs, path, CodeFormat, param2("format", fe.Tag(), fe.Tag()))
	}
}

// personalCodeDeficiency names the check of a personal code that failed.
func personalCodeDeficiency(err error) deficiency.Code {
	switch {
	case errors.Is(err, ErrPersonalCodeDate):
		return CodePersonalCodeDate
	case errors.Is(err, ErrPersonalCodeCheckDigit):
		return CodePersonalCodeCheckDigit
	default:
		return CodePersonalCodeFormat
	}
}

// registryCodeDeficiency names the check of a registry code that failed.
func registryCodeDeficiency(err error) deficiency.Code {
	if errors.Is(err, ErrRegistryCodeCheckDigit) {
		return CodeRegistryCodeCheckDigit
	}
	return CodeRegistryCodeFormat
}

// index renders prefix[i].
func index(prefix string, i int) string { return prefix + "[" + strconv.Itoa(i) + "]" }

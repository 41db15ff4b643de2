package documents

import (
	"reflect"
	"strings"
)

// contradictions compares a submitted record with the register's record of
// the same identity and names every field that differs (R13.3). With
// onlySet, fields the submission leaves empty are not compared (a
// government order does not carry the members a directive added). With no
// difference the submission repeats what is entered: a warning.
func (c *checker) contradictions(at string, t RecordType, submitted, existing any, onlySet bool) {
	diffs := diffFields(submitted, existing, onlySet)
	if len(diffs) == 0 {
		report(&c.defs, at, CodeRegisterAlreadyEntered, record(t))
		return
	}
	for _, f := range diffs {
		report(&c.defs, at+"."+f, CodeRegisterContradiction, record(t))
	}
}

// diffFields returns the JSON names of the fields in which two records of
// the same struct type (passed as pointers) differ, skipping the fields
// the register keeps. Empty and nil slices are equal. With onlySet, fields
// empty in a are skipped.
func diffFields(a, b any, onlySet bool) []string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	t := va.Type()
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() || f.Tag.Get("alusdok") == "register" {
			continue
		}
		fa, fb := va.Field(i), vb.Field(i)
		if onlySet && isEmpty(fa) {
			continue
		}
		if isEmpty(fa) && isEmpty(fb) {
			continue
		}
		if !reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			out = append(out, name)
		}
	}
	return out
}

func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	default:
		return v.IsZero()
	}
}

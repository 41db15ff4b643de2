package documents

import (
	"errors"
	"fmt"
	"time"
)

// Sex is the sex a personal code records (its first digit: odd male, even
// female).
type Sex string

// The two values of Sex.
const (
	Male   Sex = "M"
	Female Sex = "F"
)

// PersonalCode is what an Estonian personal identification code (isikukood,
// GYYMMDDSSSC) tells: G the sex and century of birth (1–2: 1800s, 3–4:
// 1900s, 5–6: 2000s), YYMMDD the birth date, SSS a serial number, C a mod-11
// check digit (R8.1).
type PersonalCode struct {
	BirthDate Date
	Sex       Sex
	Serial    int
}

// Errors of ParsePersonalCode, to be told apart with errors.Is. They never
// contain the code itself.
var (
	ErrPersonalCodeFormat     = errors.New("personal code is not 11 digits starting with 1-6")
	ErrPersonalCodeDate       = errors.New("personal code does not encode a real birth date")
	ErrPersonalCodeCheckDigit = errors.New("personal code check digit does not match")
)

// ParsePersonalCode checks s as a personal code — the format, the birth date,
// the check digit, in that order — and returns what it encodes.
func ParsePersonalCode(s string) (PersonalCode, error) {
	if len(s) != 11 || !allDigits(s) || s[0] < '1' || s[0] > '6' {
		return PersonalCode{}, ErrPersonalCodeFormat
	}
	g := int(s[0] - '0')
	century := 1800 + 100*((g-1)/2)
	yy, _ := atoiDigits(s[1:3])
	mm, _ := atoiDigits(s[3:5])
	dd, _ := atoiDigits(s[5:7])
	birth, ok := NewDate(century+yy, time.Month(mm), dd)
	if !ok {
		return PersonalCode{}, ErrPersonalCodeDate
	}
	if mod11CheckDigit(s[:10]) != s[10] {
		return PersonalCode{}, ErrPersonalCodeCheckDigit
	}
	sex := Female
	if g%2 == 1 {
		sex = Male
	}
	serial, _ := atoiDigits(s[7:10])
	return PersonalCode{BirthDate: birth, Sex: sex, Serial: serial}, nil
}

// ValidPersonalCode reports whether s is a well-formed personal code with a
// real birth date and a correct check digit.
func ValidPersonalCode(s string) bool {
	_, err := ParsePersonalCode(s)
	return err == nil
}

// NewPersonalCode builds the personal code of a person of the given sex born
// on birth, with serial number serial (0–999), computing its check digit. It
// is meant for test data and examples.
func NewPersonalCode(birth Date, sex Sex, serial int) (string, error) {
	if birth.IsZero() || birth.Year() < 1800 || birth.Year() > 2099 {
		return "", fmt.Errorf("new personal code: birth year outside 1800-2099: %w", ErrPersonalCodeDate)
	}
	if serial < 0 || serial > 999 {
		return "", fmt.Errorf("new personal code: serial %d outside 0-999: %w", serial, ErrPersonalCodeFormat)
	}
	g := 2 * ((birth.Year() - 1800) / 100)
	switch sex {
	case Male:
		g++
	case Female:
		g += 2
	default:
		return "", fmt.Errorf("new personal code: sex %q is neither M nor F: %w", sex, ErrPersonalCodeFormat)
	}
	body := fmt.Sprintf("%d%02d%02d%02d%03d", g, birth.Year()%100, int(birth.Month()), birth.Day(), serial)
	return body + string(mod11CheckDigit(body)), nil
}

package documents

import "errors"

// Errors of CheckRegistryCode, to be told apart with errors.Is.
var (
	ErrRegistryCodeFormat     = errors.New("registry code is not 8 digits starting with 1, 7, 8 or 9")
	ErrRegistryCodeCheckDigit = errors.New("registry code check digit does not match")
)

// CheckRegistryCode checks s as an Estonian registry code (registrikood) of
// a legal person or state institution (R9.3): eight digits, the first 1
// (companies), 7 (state and local government institutions), 8 (non-profit
// associations) or 9 (foundations), the last a check digit computed over the
// first seven with the same mod-11 scheme as the personal code (weights
// 1–7, then 3–9 when the remainder is 10, 0 when it is 10 again). The scheme
// is undocumented by the registrar but holds for every published code.
func CheckRegistryCode(s string) error {
	if len(s) != 8 || !allDigits(s) {
		return ErrRegistryCodeFormat
	}
	switch s[0] {
	case '1', '7', '8', '9':
	default:
		return ErrRegistryCodeFormat
	}
	if mod11CheckDigit(s[:7]) != s[7] {
		return ErrRegistryCodeCheckDigit
	}
	return nil
}

// ValidRegistryCode reports whether s is a well-formed registry code with a
// correct check digit.
func ValidRegistryCode(s string) bool { return CheckRegistryCode(s) == nil }

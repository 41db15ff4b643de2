package documents_test

import (
	"errors"
	"testing"

	"github.com/kutsekoda/alusdok/documents"
)

func TestRegistryCodeCheckDigit_R9_3(t *testing.T) {
	tests := []struct {
		name string
		code string
		want error
	}{
		// Published codes of real organisations (companies 1…, state
		// institutions 7…, non-profits 8…, foundations 9…).
		{"company", "10000024", nil},
		{"company", "12345678", nil},
		{"company", "11041309", nil},
		{"state institution", "70000823", nil},
		{"state institution", "75018325", nil},
		{"non-profit", "80026261", nil},
		{"non-profit", "80336642", nil},
		{"foundation Kutsekoda", "90006006", nil},
		{"foundation", "90010887", nil},
		// Weights 1…7 leave remainder 10; weights 3…9 give 3.
		{"second weights", "80000053", nil},
		{"second weights, wrong digit", "80000050", documents.ErrRegistryCodeCheckDigit},
		// Both rounds leave remainder 10: the check digit is 0.
		{"both rounds ten", "10000640", nil},
		{"both rounds ten, wrong digit", "10000641", documents.ErrRegistryCodeCheckDigit},
		{"examples' awarding body", "80037514", nil},
		{"wrong check digit", "12345679", documents.ErrRegistryCodeCheckDigit},
		{"wrong check digit", "90006007", documents.ErrRegistryCodeCheckDigit},
		{"wrong check digit", "80037515", documents.ErrRegistryCodeCheckDigit},
		{"first digit 3", "32345674", documents.ErrRegistryCodeFormat},
		{"first digit 0", "02345678", documents.ErrRegistryCodeFormat},
		{"seven digits", "1234567", documents.ErrRegistryCodeFormat},
		{"nine digits", "123456789", documents.ErrRegistryCodeFormat},
		{"letter", "1234567A", documents.ErrRegistryCodeFormat},
		{"empty", "", documents.ErrRegistryCodeFormat},
		{"personal code is not a registry code", "36805280109", documents.ErrRegistryCodeFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name+" "+tt.code, func(t *testing.T) {
			err := documents.CheckRegistryCode(tt.code)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Errorf("CheckRegistryCode = %v, want %v", err, tt.want)
			}
			if got := documents.ValidRegistryCode(tt.code); got != (tt.want == nil) {
				t.Errorf("ValidRegistryCode = %v", got)
			}
		})
	}
}

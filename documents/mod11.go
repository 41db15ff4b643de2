package documents

// mod11CheckDigit computes the check digit that both the Estonian personal
// code (isikukood, over its first 10 digits) and the business registry code
// (registrikood, over its first 7 digits) end with. The weights are the
// digits 1 2 3 4 5 6 7 8 9 1 2 … from the left; if the weighted sum modulo 11
// is 10, the weights 3 4 5 6 7 8 9 1 2 3 … are used instead; if that is 10
// again, the check digit is 0. digits must hold ASCII digits only.
func mod11CheckDigit(digits string) byte {
	var first, second int
	for i := 0; i < len(digits); i++ {
		v := int(digits[i] - '0')
		first += v * (i%9 + 1)
		second += v * ((i+2)%9 + 1)
	}
	if r := first % 11; r < 10 {
		return byte('0' + r)
	}
	if r := second % 11; r < 10 {
		return byte('0' + r)
	}
	return '0'
}

// allDigits reports whether s is non-empty and holds ASCII digits only.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

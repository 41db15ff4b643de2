package web

import (
	"regexp"
	"strconv"
	"strings"
)

// A deficiency names its field by a JSON path into the upload
// ("metadata.payload.certificates[3].personalCode"). These turn the path
// into what a person reads and into where on the page it belongs.

var certPath = regexp.MustCompile(`^(?:metadata\.)?payload\.certificates\[(\d+)\](?:\.(.+))?$`)

// certField splits a certificate's path: its index (0-based) and the field
// within it ("personalCode", "standard.id"); ok is false for other paths.
func certField(path string) (index int, field string, ok bool) {
	m := certPath.FindStringSubmatch(path)
	if m == nil {
		return 0, "", false
	}
	i, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, "", false
	}
	return i, m[2], true
}

// fieldLabel says in words which field a path names.
func fieldLabel(lang, path string) string {
	if i, f, ok := certField(path); ok {
		label := translate(lang, "field.certificate", i+1)
		if f != "" {
			label += ": " + columnLabel(lang, f)
		}
		return label
	}
	p := strings.TrimPrefix(path, "metadata.")
	switch {
	case path == "document" || strings.HasPrefix(path, "pdf"):
		return translate(lang, "upload.pdf")
	case path == "metadata" || path == "":
		return translate(lang, "field.document")
	}
	return columnLabel(lang, p)
}

// columnLabel names a field of the metadata or a certificate column.
func columnLabel(lang, f string) string {
	key := "field." + f
	if hasKey(key) {
		return translate(lang, key)
	}
	return f
}

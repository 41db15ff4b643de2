package opendata

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Namespace is the open data's XML namespace.
const Namespace = "urn:alusdok:kutseregister:avaandmed:1"

// XSD writes the dataset's XML Schema, every element annotated with its
// meaning: the explanatory document is made from these annotations.
func (d Dataset) XSD(w io.Writer) error {
	var b strings.Builder
	b.WriteString(xml.Header)
	fmt.Fprintf(&b, `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="%s" xmlns="%s" elementFormDefault="qualified">`+"\n", Namespace, Namespace)
	fmt.Fprintf(&b, "  <xs:annotation><xs:documentation xml:lang=\"et\">%s</xs:documentation><xs:appinfo>%s</xs:appinfo></xs:annotation>\n", esc(d.Title+": "+d.Doc), esc(d.TitleEN))
	fmt.Fprintf(&b, "  <xs:element name=\"%s\">\n", d.Root)
	b.WriteString("    <xs:annotation><xs:documentation>" + esc(d.Title) + "</xs:documentation></xs:annotation>\n")
	b.WriteString("    <xs:complexType><xs:sequence>\n")
	fmt.Fprintf(&b, "      <xs:element name=\"%s\" minOccurs=\"0\" maxOccurs=\"unbounded\">\n", d.Item)
	b.WriteString("        <xs:annotation><xs:documentation>" + esc(d.Doc) + "</xs:documentation></xs:annotation>\n")
	writeSeq(&b, d.Fields, "        ")
	b.WriteString("      </xs:element>\n")
	b.WriteString("    </xs:sequence>\n")
	fmt.Fprintf(&b, "    <xs:attribute name=\"versioon\" type=\"xs:string\"><xs:annotation><xs:documentation>Avaandmete versioon (koostamise aeg UTC) / Version of the open data</xs:documentation></xs:annotation></xs:attribute>\n")
	fmt.Fprintf(&b, "    <xs:attribute name=\"litsents\" type=\"xs:anyURI\"><xs:annotation><xs:documentation>Litsents / Licence</xs:documentation></xs:annotation></xs:attribute>\n")
	b.WriteString("    </xs:complexType>\n  </xs:element>\n</xs:schema>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeSeq(b *strings.Builder, fields []Elem, ind string) {
	b.WriteString(ind + "<xs:complexType><xs:sequence>\n")
	for _, f := range fields {
		min := ""
		if f.Optional {
			min = ` minOccurs="0"`
		}
		doc := ind + "    <xs:annotation><xs:documentation>" + esc(f.Doc) + "</xs:documentation></xs:annotation>\n"
		switch {
		case f.List != "":
			fmt.Fprintf(b, "%s  <xs:element name=\"%s\"%s>\n", ind, f.List, min)
			b.WriteString(doc)
			b.WriteString(ind + "    <xs:complexType><xs:sequence>\n")
			if len(f.Children) > 0 {
				fmt.Fprintf(b, "%s      <xs:element name=\"%s\" maxOccurs=\"unbounded\">\n", ind, f.Name)
				b.WriteString(ind + "        <xs:annotation><xs:documentation>" + esc(f.Doc) + "</xs:documentation></xs:annotation>\n")
				writeSeq(b, f.Children, ind+"        ")
				b.WriteString(ind + "      </xs:element>\n")
			} else {
				fmt.Fprintf(b, "%s      <xs:element name=\"%s\" type=\"%s\" maxOccurs=\"unbounded\">\n", ind, f.Name, f.Type)
				b.WriteString(ind + "        <xs:annotation><xs:documentation>" + esc(f.Doc) + "</xs:documentation></xs:annotation>\n")
				b.WriteString(ind + "      </xs:element>\n")
			}
			b.WriteString(ind + "    </xs:sequence></xs:complexType>\n")
			b.WriteString(ind + "  </xs:element>\n")
		default:
			fmt.Fprintf(b, "%s  <xs:element name=\"%s\" type=\"%s\"%s>\n", ind, f.Name, f.Type, min)
			b.WriteString(doc)
			b.WriteString(ind + "  </xs:element>\n")
		}
	}
	b.WriteString(ind + "</xs:sequence></xs:complexType>\n")
}

func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

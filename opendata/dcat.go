package opendata

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// File is one file of a version, as the catalogue lists it.
type File struct {
	Name        string
	ContentType string
	SHA256      string
	Length      int64
}

// DCAT writes the catalogue metadata as DCAT-AP (RDF/XML): the catalogue,
// the dataset "Kutseregistri avaandmed" and one distribution per file,
// each at base + name (the stable URLs).
func DCAT(w io.Writer, base string, modified time.Time, files []File) error {
	var b strings.Builder
	base = strings.TrimSuffix(base, "/") + "/"
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dcat="http://www.w3.org/ns/dcat#"
  xmlns:dct="http://purl.org/dc/terms/" xmlns:foaf="http://xmlns.com/foaf/0.1/" xmlns:vcard="http://www.w3.org/2006/vcard/ns#"
  xmlns:spdx="http://spdx.org/rdf/terms#" xmlns:xsd="http://www.w3.org/2001/XMLSchema#">
`)
	fmt.Fprintf(&b, `  <dcat:Catalog rdf:about="%scatalog">
    <dct:title xml:lang="et">Kutseregistri avaandmed</dct:title>
    <dct:description xml:lang="et">Kutseregistri avalikud andmed, uuendatakse kord ööpäevas.</dct:description>
    <dct:publisher><foaf:Agent><foaf:name>Haridus- ja Teadusministeerium</foaf:name></foaf:Agent></dct:publisher>
    <dcat:dataset>
      <dcat:Dataset rdf:about="%sdataset">
        <dct:title xml:lang="et">Kutseregistri avaandmed</dct:title>
        <dct:title xml:lang="en">Register of Occupational Qualifications</dct:title>
        <dct:description xml:lang="et">Kutseregister koondab kutsesüsteemiga seotud andmeid: väljastatud kutsed (umbisikustatud statistika), kutsestandardid, kompetentsid, kutse andjad, kutsenõukogud ja kutsesüsteemi klassifikaator.</dct:description>
        <dct:publisher><foaf:Agent><foaf:name>Haridus- ja Teadusministeerium</foaf:name></foaf:Agent></dct:publisher>
        <dcat:contactPoint><vcard:Organization><vcard:fn>Sihtasutus Kutsekoda</vcard:fn><vcard:hasEmail rdf:resource="mailto:kutseregister@kutseregister.ee"/></vcard:Organization></dcat:contactPoint>
        <dcat:theme rdf:resource="http://publications.europa.eu/resource/authority/data-theme/EDUC"/>
        <dct:accrualPeriodicity rdf:resource="http://publications.europa.eu/resource/authority/frequency/DAILY"/>
        <dct:language rdf:resource="http://publications.europa.eu/resource/authority/language/EST"/>
        <dct:issued rdf:datatype="http://www.w3.org/2001/XMLSchema#date">2018-04-17</dct:issued>
        <dct:modified rdf:datatype="http://www.w3.org/2001/XMLSchema#dateTime">%s</dct:modified>
`, base, base, modified.UTC().Format(time.RFC3339))
	for _, f := range files {
		fmt.Fprintf(&b, `        <dcat:distribution>
          <dcat:Distribution rdf:about="%s%s">
            <dct:title>%s</dct:title>
            <dcat:accessURL rdf:resource="%s%s"/>
            <dcat:downloadURL rdf:resource="%s%s"/>
            <dcat:mediaType>%s</dcat:mediaType>
            <dct:license rdf:resource="%s"/>
            <dcat:byteSize rdf:datatype="http://www.w3.org/2001/XMLSchema#decimal">%d</dcat:byteSize>
            <spdx:checksum><spdx:Checksum><spdx:algorithm rdf:resource="http://spdx.org/rdf/terms#checksumAlgorithm_sha256"/><spdx:checksumValue>%s</spdx:checksumValue></spdx:Checksum></spdx:checksum>
          </dcat:Distribution>
        </dcat:distribution>
`, base, f.Name, esc(title(f.Name)), base, f.Name, base, f.Name, esc(strings.Split(f.ContentType, ";")[0]), Licence, f.Length, f.SHA256)
	}
	b.WriteString("      </dcat:Dataset>\n    </dcat:dataset>\n  </dcat:Catalog>\n</rdf:RDF>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func title(name string) string {
	id, ext, _ := strings.Cut(name, ".")
	if d, ok := Lookup(id); ok {
		return d.Title + " (" + strings.ToUpper(ext) + ")"
	}
	return name
}

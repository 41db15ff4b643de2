package opendata

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// Explain writes the explanatory document (Markdown): for every dataset,
// each element with its meaning and type, read from the annotations of the
// dataset's XSD — the schema is the one source of what the fields mean.
func Explain(w io.Writer, version string) error {
	var b strings.Builder
	b.WriteString("# Kutseregistri avaandmed — andmete selgitus\n\n")
	fmt.Fprintf(&b, "Versioon %s. Litsents: [CC BY-SA 3.0 EE](%s). Andmeid uuendatakse kord ööpäevas. "+
		"Isikuandmeid (nimi, isikukood, sünniaeg) avaandmetes ei ole; väljastatud kutsed on umbisikustatud statistika.\n\n", version, Licence)
	for _, d := range Datasets {
		var x bytes.Buffer
		if err := d.XSD(&x); err != nil {
			return err
		}
		elems, top, err := ReadAnnotations(&x)
		if err != nil {
			return fmt.Errorf("%s.xsd: %w", d.ID, err)
		}
		fmt.Fprintf(&b, "## %s (`%s`)\n\n%s\n\nFailid: `%s.xml` (skeem `%s.xsd`), `%s.json`, `%s.csv`.\n\n",
			d.Title, d.ID, top, d.ID, d.ID, d.ID, d.ID)
		b.WriteString("| element | tüüp | kohustuslik | tähendus |\n| --- | --- | --- | --- |\n")
		for _, e := range elems {
			req := "jah"
			if e.Optional {
				req = "ei"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", e.Path, e.Type, req, strings.ReplaceAll(e.Doc, "|", "\\|"))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Annotated is one element of an XSD with its annotation.
type Annotated struct {
	Path     string // root/item/element
	Type     string
	Optional bool
	Doc      string
}

// ReadAnnotations reads every xs:element of an XSD with its path, type,
// whether it is optional and its documentation, and the schema's own
// documentation.
func ReadAnnotations(r io.Reader) ([]Annotated, string, error) {
	dec := xml.NewDecoder(r)
	var (
		out     []Annotated
		stack   []int // indexes into out of the open xs:element, -1 for others
		path    []string
		top     string
		inDoc   bool
		docText strings.Builder
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return out, top, nil
		}
		if err != nil {
			return nil, "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "element":
				a := Annotated{}
				var name string
				for _, at := range t.Attr {
					switch at.Name.Local {
					case "name":
						name = at.Value
					case "type":
						a.Type = at.Value
					case "minOccurs":
						a.Optional = at.Value == "0"
					}
				}
				path = append(path, name)
				a.Path = strings.Join(path, "/")
				if a.Type == "" {
					a.Type = "(liitelement)"
				}
				out = append(out, a)
				stack = append(stack, len(out)-1)
			case "documentation":
				inDoc = true
				docText.Reset()
			}
		case xml.CharData:
			if inDoc {
				docText.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "element":
				stack = stack[:len(stack)-1]
				path = path[:len(path)-1]
			case "documentation":
				inDoc = false
				if len(stack) == 0 {
					top = docText.String()
				} else if i := stack[len(stack)-1]; out[i].Doc == "" {
					out[i].Doc = docText.String()
				}
			}
		}
	}
}

package opendata

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Licence is the open data's licence (the register's own).
const Licence = "https://creativecommons.org/licenses/by-sa/3.0/ee/legalcode"

// Format is a file format of a dataset.
type Format string

const (
	XML  Format = "xml"
	JSON Format = "json"
	CSV  Format = "csv"
)

// Formats are the data formats every dataset is written in.
var Formats = []Format{XML, JSON, CSV}

// ContentType is the media type of a format.
func (f Format) ContentType() string {
	switch f {
	case XML:
		return "application/xml"
	case JSON:
		return "application/json"
	case CSV:
		return "text/csv; charset=utf-8"
	}
	return "application/octet-stream"
}

// Encoder writes a dataset's rows one at a time, buffered: memory does not
// grow with the rows.
type Encoder interface {
	Row(Row) error
	Close() error // writes the end of the file and flushes
}

// NewEncoder starts a file of dataset d in format f on w.
func NewEncoder(f Format, w io.Writer, d Dataset, version string) (Encoder, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	switch f {
	case XML:
		fmt.Fprintf(bw, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<%s xmlns=\"%s\" versioon=\"%s\" litsents=\"%s\">\n", d.Root, Namespace, esc(version), esc(Licence))
		return &xmlEnc{w: bw, d: d}, nil
	case JSON:
		fmt.Fprintf(bw, "{\"dataset\":%q,\"version\":%q,\"licence\":%q,\"items\":[", d.ID, version, Licence)
		return &jsonEnc{w: bw, d: d}, nil
	case CSV:
		cw := csv.NewWriter(bw)
		if err := cw.Write(columns(d.Fields)); err != nil {
			return nil, err
		}
		return &csvEnc{w: bw, cw: cw, d: d}, nil
	}
	return nil, fmt.Errorf("unknown format %q", f)
}

type xmlEnc struct {
	w *bufio.Writer
	d Dataset
}

func (e *xmlEnc) Row(r Row) error {
	e.w.WriteString("  <" + e.d.Item + ">")
	writeXMLFields(e.w, e.d.Fields, r)
	_, err := e.w.WriteString("</" + e.d.Item + ">\n")
	return err
}

func writeXMLFields(w *bufio.Writer, fields []Elem, r Row) {
	for _, f := range fields {
		v, ok := r[f.Name]
		if !ok || v == nil {
			continue
		}
		switch x := v.(type) {
		case []string:
			if len(x) == 0 {
				continue
			}
			w.WriteString("<" + f.List + ">")
			for _, s := range x {
				w.WriteString("<" + f.Name + ">" + esc(s) + "</" + f.Name + ">")
			}
			w.WriteString("</" + f.List + ">")
		case []Row:
			if len(x) == 0 {
				continue
			}
			w.WriteString("<" + f.List + ">")
			for _, c := range x {
				w.WriteString("<" + f.Name + ">")
				writeXMLFields(w, f.Children, c)
				w.WriteString("</" + f.Name + ">")
			}
			w.WriteString("</" + f.List + ">")
		default:
			s := scalar(v)
			if s == "" && f.Optional {
				continue
			}
			w.WriteString("<" + f.Name + ">" + esc(s) + "</" + f.Name + ">")
		}
	}
}

func (e *xmlEnc) Close() error {
	e.w.WriteString("</" + e.d.Root + ">\n")
	return e.w.Flush()
}

type jsonEnc struct {
	w *bufio.Writer
	d Dataset
	n int
}

func (e *jsonEnc) Row(r Row) error {
	if e.n > 0 {
		e.w.WriteByte(',')
	}
	e.n++
	e.w.WriteByte('\n')
	return writeJSONObject(e.w, e.d.Fields, r)
}

func writeJSONObject(w *bufio.Writer, fields []Elem, r Row) error {
	w.WriteByte('{')
	first := true
	for _, f := range fields {
		v, ok := r[f.Name]
		if !ok || v == nil {
			continue
		}
		name := f.Name
		if f.List != "" {
			name = f.List
		}
		var raw []byte
		switch x := v.(type) {
		case []string:
			if len(x) == 0 {
				continue
			}
			raw, _ = json.Marshal(x)
		case []Row:
			if len(x) == 0 {
				continue
			}
			if !first {
				w.WriteByte(',')
			}
			first = false
			fmt.Fprintf(w, "%q:[", name)
			for i, c := range x {
				if i > 0 {
					w.WriteByte(',')
				}
				if err := writeJSONObject(w, f.Children, c); err != nil {
					return err
				}
			}
			w.WriteByte(']')
			continue
		default:
			if scalar(v) == "" && f.Optional {
				continue
			}
			var err error
			if raw, err = json.Marshal(v); err != nil {
				return err
			}
		}
		if !first {
			w.WriteByte(',')
		}
		first = false
		fmt.Fprintf(w, "%q:", name)
		w.Write(raw)
	}
	_, err := w.WriteString("}")
	return err
}

func (e *jsonEnc) Close() error {
	e.w.WriteString("\n]}\n")
	return e.w.Flush()
}

type csvEnc struct {
	w  *bufio.Writer
	cw *csv.Writer
	d  Dataset
}

// columns are the CSV's columns: one per simple element, one per list
// (values joined by "; "), and for structured lists one per child, joined
// likewise.
func columns(fields []Elem) []string {
	var out []string
	for _, f := range fields {
		switch {
		case len(f.Children) > 0:
			for _, c := range f.Children {
				out = append(out, f.List+"."+c.Name)
			}
		case f.List != "":
			out = append(out, f.List)
		default:
			out = append(out, f.Name)
		}
	}
	return out
}

func (e *csvEnc) Row(r Row) error {
	var rec []string
	for _, f := range e.d.Fields {
		v := r[f.Name]
		switch {
		case len(f.Children) > 0:
			rows, _ := v.([]Row)
			for _, c := range f.Children {
				vals := make([]string, len(rows))
				for i, sub := range rows {
					vals[i] = scalar(sub[c.Name])
				}
				rec = append(rec, strings.Join(vals, "; "))
			}
		case f.List != "":
			vals, _ := v.([]string)
			rec = append(rec, strings.Join(vals, "; "))
		default:
			rec = append(rec, scalar(v))
		}
	}
	return e.cw.Write(rec)
}

func (e *csvEnc) Close() error {
	e.cw.Flush()
	if err := e.cw.Error(); err != nil {
		return err
	}
	return e.w.Flush()
}

func scalar(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int:
		return strconv.Itoa(x)
	case bool:
		return strconv.FormatBool(x)
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

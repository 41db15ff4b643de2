package documents

import (
	"fmt"
	"math"
	"reflect"
	"strings"
)

// The decoder checks the metadata JSON against a schema derived once, at
// init, from the Go types by their json tags: which fields an object may
// have, of what JSON type, and which are kept by the register (struct tag
// alusdok:"register"). docSchema is never modified after init.
var docSchema = buildSchema(reflect.TypeFor[BaseDocument](), map[reflect.Type]*schemaNode{})

type nodeKind uint8

const (
	nodeString nodeKind = iota
	nodeInt
	nodeBool
	nodeDate
	nodeArray
	nodeObject
)

// expected names a node kind in the json.type message.
func (k nodeKind) expected() (et, en string) {
	switch k {
	case nodeString:
		return "sõne", "a string"
	case nodeInt:
		return "täisarv", "an integer"
	case nodeBool:
		return "tõeväärtus (true või false)", "a boolean (true or false)"
	case nodeDate:
		return "kuupäev sõnena AAAA-KK-PP", "a date string YYYY-MM-DD"
	case nodeArray:
		return "massiiv", "an array"
	default:
		return "objekt", "an object"
	}
}

// schemaNode is the expected shape of one JSON value. Every value may also
// be null, which leaves the Go zero value, as encoding/json does.
type schemaNode struct {
	kind     nodeKind
	min, max int64                   // nodeInt: the Go type's range
	elem     *schemaNode             // nodeArray
	fields   map[string]*schemaField // nodeObject, by exact JSON name
	folded   map[string]string       // nodeObject: lower-case name → name
}

type schemaField struct {
	name         string
	bit          uint64 // for duplicate detection within one object
	node         *schemaNode
	registerOnly bool
}

var dateType = reflect.TypeFor[Date]()

// buildSchema derives the schema of t. It panics on a Go type it cannot
// describe: that is a programming error, caught the first time the package
// is loaded by any test.
func buildSchema(t reflect.Type, memo map[reflect.Type]*schemaNode) *schemaNode {
	if n, ok := memo[t]; ok {
		return n
	}
	if t == dateType {
		return &schemaNode{kind: nodeDate}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return buildSchema(t.Elem(), memo)
	case reflect.String:
		return &schemaNode{kind: nodeString}
	case reflect.Bool:
		return &schemaNode{kind: nodeBool}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		bits := t.Bits()
		return &schemaNode{kind: nodeInt, min: math.MinInt64 >> (64 - bits), max: math.MaxInt64 >> (64 - bits)}
	case reflect.Slice:
		return &schemaNode{kind: nodeArray, elem: buildSchema(t.Elem(), memo)}
	case reflect.Struct:
		n := &schemaNode{kind: nodeObject, fields: map[string]*schemaField{}, folded: map[string]string{}}
		memo[t] = n
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if len(n.fields) == 64 {
				panic(fmt.Sprintf("documents: %s has more than 64 JSON fields", t))
			}
			n.fields[name] = &schemaField{
				name:         name,
				bit:          1 << len(n.fields),
				node:         buildSchema(f.Type, memo),
				registerOnly: f.Tag.Get("alusdok") == "register",
			}
			n.folded[strings.ToLower(name)] = name
		}
		return n
	}
	panic(fmt.Sprintf("documents: no JSON schema for %s", t))
}

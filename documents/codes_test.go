package documents_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/documents/pdfintake"
)

// CODES.md is generated from documents.Codes and, for the PDF, from
// pdfintake.Codes; the README links it.
// go test -run TestCodesMarkdownIsUpToDate -update rewrites it.
func TestCodesMarkdownIsUpToDate(t *testing.T) {
	want := documents.CodesMarkdown() + pdfintake.CodesMarkdown()
	if *update {
		if err := os.WriteFile("CODES.md", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("CODES.md")
	if err != nil || string(got) != want {
		t.Fatalf("CODES.md is out of date (%v); run go test ./documents -run TestCodesMarkdownIsUpToDate -update", err)
	}
	for _, ci := range documents.Codes() {
		if !strings.Contains(string(got), "| `"+string(ci.Code)+"` |") {
			t.Errorf("CODES.md lacks %s", ci.Code)
		}
	}
	for _, ci := range pdfintake.Codes() {
		if !strings.Contains(string(got), "| `"+string(ci.Code)+"` |") {
			t.Errorf("CODES.md lacks %s", ci.Code)
		}
	}
}

// Every deficiency.Code constant declared in the package is in the table,
// and every row of the table is a declared constant.
func TestEveryCodeIsInTheTable_R12_2(t *testing.T) {
	declared := declaredCodes(t)
	if len(declared) < 40 {
		t.Fatalf("found only %d code constants; is the parser looking at the right files?", len(declared))
	}
	table := map[deficiency.Code]documents.CodeInfo{}
	for _, ci := range documents.Codes() {
		table[ci.Code] = ci
	}
	for name, code := range declared {
		if _, ok := table[code]; !ok {
			t.Errorf("%s (%s) is not in the table", name, code)
		}
	}
	values := map[deficiency.Code]bool{}
	for _, code := range declared {
		values[code] = true
	}
	for code, ci := range table {
		if !values[code] {
			t.Errorf("table row %s is not a declared constant", code)
		}
		if ci.ET == "" || ci.EN == "" || ci.ET == ci.EN || ci.Requirement == "" {
			t.Errorf("%s: incomplete row %+v", code, ci)
		}
		if ci.Severity != deficiency.Error && ci.Severity != deficiency.Warning {
			t.Errorf("%s: severity %q", code, ci.Severity)
		}
		if !regexp.MustCompile(`^[a-z]+(-[a-z]+)*(\.[a-z]+(-[a-z]+)*)+$`).MatchString(string(code)) {
			t.Errorf("%s: not a dotted lower-case code", code)
		}
	}
}

// declaredCodes parses the package's non-test files for constants of type
// deficiency.Code.
func declaredCodes(t *testing.T) map[string]deficiency.Code {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]deficiency.Code{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				sel, ok := vs.Type.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Code" {
					continue
				}
				for i, name := range vs.Names {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok {
						t.Fatalf("%s is not a literal", name.Name)
					}
					v, _ := strconv.Unquote(lit.Value)
					out[name.Name] = deficiency.Code(v)
				}
			}
		}
	}
	return out
}

// R15.1: no deficiency message repeats a personal code, birth date or
// name, and every placeholder is filled. The field path names the place.
func TestNoMessageLeaksPersonalData_R15_1(t *testing.T) {
	secrets := []string{"36805280108", "36805280109", "37912305168", "1990-02-14", "14.02.1990", "Kovalenko", "Oleksandr", "Jaan", "Lepp", "Kuusk"}
	doc := examples.Document(documents.CommitteeDecision)
	c := doc.Payload.Certificates
	c[0].PersonalCode = "36805280108"                                 // check digit
	c[1].PersonalCode, c[1].BirthDate = "36805280109", c[3].BirthDate // mismatch
	c[2].Number = c[1].Number                                         // duplicate number
	c[2].Level = 9
	c[3].FamilyName = strings.Repeat("Kovalenko", 30) // too long
	c[4].DuplicateOf = "199999"
	c[4].PersonalCode = c[2].PersonalCode // repeated holder
	c = append(c, c[2])
	c[5].Number, c[5].GivenName = "214999", " "
	doc.Payload.Certificates = c
	defs := validateDoc(t, doc, otherBody, examples.Register())
	if len(defs) < 8 {
		t.Fatalf("expected many deficiencies:\n%s", listString(defs))
	}
	// Decoding problems too.
	raw := mutate(t, documents.CommitteeDecision, func(d map[string]any) {
		cert(d, 0)["isikukood 36805280109"] = "Jaan Lepp"
		cert(d, 1)["birthDate"] = "14.02.1990"
		cert(d, 2)["personalCode"] = 36805280109
	})
	_, more := documents.DecodeBytes(raw, 0)
	defs = append(defs, more...)
	for _, d := range defs {
		for _, text := range []string{d.Field, d.Message.ET, d.Message.EN} {
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Errorf("%q leaks %q", text, s)
				}
			}
			if strings.ContainsAny(d.Message.ET+d.Message.EN, "{}") {
				t.Errorf("unfilled placeholder in %v", d)
			}
		}
	}
}

package api_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"gopkg.in/yaml.v3"

	"github.com/kutsekoda/alusdok/api"
	"github.com/kutsekoda/alusdok/auth"
)

// spec is the part of an OpenAPI document these tests read.
type spec struct {
	OpenAPI    string                          `yaml:"openapi"`
	Info       map[string]any                  `yaml:"info"`
	Paths      map[string]map[string]yaml.Node `yaml:"paths"`
	Components struct {
		SecuritySchemes map[string]struct {
			Type   string `yaml:"type"`
			In     string `yaml:"in"`
			Name   string `yaml:"name"`
			Scheme string `yaml:"scheme"`
		} `yaml:"securitySchemes"`
	} `yaml:"components"`
}

// operation is one operation of the spec.
type operation struct {
	OperationID string            `yaml:"operationId"`
	Description string            `yaml:"description"`
	Roles       *[]string         `yaml:"x-roles"`
	Security    *[]map[string]any `yaml:"security"`
	Parameters  []parameter       `yaml:"parameters"`
	Responses   map[string]any    `yaml:"responses"`
}

type parameter struct {
	Ref  string `yaml:"$ref"`
	Name string `yaml:"name"`
	In   string `yaml:"in"`
}

var methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func loadSpec(tb testing.TB) (*spec, []byte) {
	tb.Helper()
	raw, err := os.ReadFile("openapi.yaml")
	if err != nil {
		tb.Fatal(err)
	}
	var s spec
	if err := yaml.Unmarshal(raw, &s); err != nil {
		tb.Fatalf("openapi.yaml is not YAML that yaml.v3 reads: %v", err)
	}
	return &s, raw
}

// operations returns "METHOD /path" → operation, and the path-level
// parameters of each path.
func (s *spec) operations(tb testing.TB) (map[string]operation, map[string][]parameter) {
	tb.Helper()
	ops := map[string]operation{}
	pathParams := map[string][]parameter{}
	for path, item := range s.Paths {
		for key, node := range item {
			switch {
			case key == "parameters":
				var ps []parameter
				if err := node.Decode(&ps); err != nil {
					tb.Fatalf("%s parameters: %v", path, err)
				}
				pathParams[path] = ps
			case slices.Contains(methods, key):
				var op operation
				if err := node.Decode(&op); err != nil {
					tb.Fatalf("%s %s: %v", key, path, err)
				}
				ops[strings.ToUpper(key)+" "+path] = op
			case key == "summary" || key == "description" || strings.HasPrefix(key, "x-"):
			default:
				tb.Errorf("%s: unknown key %q in a path item", path, key)
			}
		}
	}
	return ops, pathParams
}

// openAPIPath turns Gin's /a/:id/*rest into OpenAPI's /a/{id}/{rest}.
func openAPIPath(ginPath string) string {
	segs := strings.Split(ginPath, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") || strings.HasPrefix(s, "*") {
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/")
}

func testRouter() *gin.Engine {
	gin.SetMode(gin.TestMode)
	return api.NewRouter(api.Deps{Logger: slog.New(slog.DiscardHandler), Metrics: api.NewMetrics()})
}

// TestOpenAPIAndRoutesAgree keeps openapi.yaml and router.go equal: every
// route is described, every described operation is routed; every operation
// has an operationId (unique), responses, its security and the roles that
// may call it; every path parameter is declared; every $ref resolves; the
// document is OpenAPI 3.1.
func TestOpenAPIAndRoutesAgree(t *testing.T) {
	s, raw := loadSpec(t)
	if !strings.HasPrefix(s.OpenAPI, "3.1.") {
		t.Errorf("openapi: %q, want 3.1.x", s.OpenAPI)
	}
	if s.Info["title"] == nil || s.Info["version"] == nil {
		t.Errorf("info needs a title and a version: %v", s.Info)
	}
	ops, pathParams := s.operations(t)

	routes := map[string]bool{}
	for _, ri := range testRouter().Routes() {
		routes[ri.Method+" "+openAPIPath(ri.Path)] = true
	}
	if len(routes) == 0 {
		t.Fatal("the router has no routes")
	}
	for r := range routes {
		if _, ok := ops[r]; !ok {
			t.Errorf("route %s is not in openapi.yaml", r)
		}
	}
	for o := range ops {
		if !routes[o] {
			t.Errorf("openapi.yaml describes %s, which router.go does not route", o)
		}
	}

	ids := map[string]string{}
	statusCode := regexp.MustCompile(`^([1-5][0-9][0-9]|[1-5]XX|default)$`)
	validRoles := []string{string(auth.RoleSubmitter), string(auth.RoleClerk), string(auth.RoleSupervisor), string(auth.RolePerson)}
	for name, op := range ops {
		path := strings.SplitN(name, " ", 2)[1]
		if op.OperationID == "" {
			t.Errorf("%s: no operationId", name)
		} else if other, dup := ids[op.OperationID]; dup {
			t.Errorf("%s: operationId %q is also %s's", name, op.OperationID, other)
		}
		ids[op.OperationID] = name
		if len(op.Responses) == 0 {
			t.Errorf("%s: no responses", name)
		}
		for code := range op.Responses {
			if !statusCode.MatchString(code) {
				t.Errorf("%s: response %q is not a status code", name, code)
			}
		}
		if op.Security == nil {
			t.Errorf("%s: no security of its own (say [] or [{}] for public)", name)
		}
		if op.Roles == nil {
			t.Errorf("%s: no x-roles (say [] for public)", name)
		} else {
			for _, r := range *op.Roles {
				if !slices.Contains(validRoles, r) {
					t.Errorf("%s: x-roles has unknown role %q", name, r)
				}
				if !strings.Contains(op.Description, r) {
					t.Errorf("%s: the description does not name the role %s", name, r)
				}
			}
			if len(*op.Roles) == 0 && !strings.Contains(op.Description, "public") {
				t.Errorf("%s: a public operation's description should say it is public", name)
			}
			if len(*op.Roles) > 0 && op.Security != nil && slices.ContainsFunc(*op.Security, func(m map[string]any) bool { return len(m) == 0 }) {
				t.Errorf("%s: needs a role but its security allows anonymous ({})", name)
			}
		}
		for _, sec := range deref(op.Security) {
			for scheme := range sec {
				if _, ok := s.Components.SecuritySchemes[scheme]; !ok {
					t.Errorf("%s: security scheme %q is not in components", name, scheme)
				}
			}
		}
		// Every {param} of the path is declared as a path parameter.
		declared := map[string]bool{}
		for _, p := range append(slices.Clone(pathParams[path]), op.Parameters...) {
			if p.Ref != "" {
				p = resolveParameter(t, raw, p.Ref)
			}
			if p.In == "path" {
				declared[p.Name] = true
			}
		}
		for _, m := range regexp.MustCompile(`\{([^}]+)\}`).FindAllStringSubmatch(path, -1) {
			if !declared[m[1]] {
				t.Errorf("%s: path parameter %s is not declared", name, m[1])
			}
			delete(declared, m[1])
		}
		for p := range declared {
			t.Errorf("%s: declares path parameter %s that the path lacks", name, p)
		}
	}

	// The credentials the API reads (middleware_auth.go).
	var header, bearer bool
	for _, sc := range s.Components.SecuritySchemes {
		header = header || sc.Type == "apiKey" && sc.In == "header" && sc.Name == "X-API-Key"
		bearer = bearer || sc.Type == "http" && strings.EqualFold(sc.Scheme, "bearer")
	}
	if !header || !bearer {
		t.Errorf("securitySchemes: want an apiKey in header X-API-Key (%v) and an http bearer scheme (%v)", header, bearer)
	}

	// Every $ref points at something.
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	for _, ref := range refs(doc) {
		if lookup(doc, ref) == nil {
			t.Errorf("$ref %s resolves to nothing", ref)
		}
	}
}

// TestOpenAPIRolesAgreeWithTheRouter calls every operation as the public
// and as every role, and checks that the router lets through exactly the
// roles the operation's x-roles names: the public 401 and another role 403
// where roles are needed, neither where they are not. The router has no
// stores, so a request that gets through to its handler may fail there
// (Recovery answers 500); only 401 and 403 matter here.
func TestOpenAPIRolesAgreeWithTheRouter(t *testing.T) {
	s, _ := loadSpec(t)
	ops, _ := s.operations(t)
	keys := roleKeys{}
	for _, r := range []auth.Role{auth.RoleSubmitter, auth.RoleClerk, auth.RoleSupervisor, auth.RolePerson} {
		keys["adk_"+string(r)] = &auth.Principal{Role: r, Name: string(r), KeyID: string(r)}
	}
	keys["adk_submitter"].Organisation = auth.Kutsekoda
	keys["adk_person"].PersonalCode = "36805280109"
	gin.SetMode(gin.TestMode)
	r := api.NewRouter(api.Deps{Logger: slog.New(slog.DiscardHandler), Metrics: api.NewMetrics(), Keys: keys})
	fill := strings.NewReplacer("{id}", "0123456789abcdef0123", "{n}", "1", "{number}", "214001")
	for name, op := range ops {
		method, path, _ := strings.Cut(name, " ")
		allowed := deref(op.Roles)
		for _, who := range []string{"", "submitter", "clerk", "supervisor", "person"} {
			req := httptest.NewRequest(method, fill.Replace(path), nil)
			if who != "" {
				req.Header.Set("X-API-Key", "adk_"+who)
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, req)
			got := rec.Code
			var want string
			switch {
			case len(allowed) == 0 || slices.Contains(allowed, who):
				if got == http.StatusUnauthorized || got == http.StatusForbidden {
					want = "neither 401 nor 403"
				}
			case who == "":
				if got != http.StatusUnauthorized {
					want = "401"
				}
			default:
				if got != http.StatusForbidden {
					want = "403"
				}
			}
			if want != "" {
				t.Errorf("%s as %q (x-roles %v): %d, want %s", name, cmpOr(who, "public"), allowed, got, want)
			}
		}
	}
}

type roleKeys map[string]*auth.Principal

func (k roleKeys) Authenticate(_ context.Context, key string) (*auth.Principal, error) {
	if p, ok := k[key]; ok {
		return p, nil
	}
	return nil, &auth.RefusedError{Reason: auth.ErrUnknownKey}
}

func cmpOr(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

func deref[T any](p *[]T) []T {
	if p == nil {
		return nil
	}
	return *p
}

func resolveParameter(tb testing.TB, raw []byte, ref string) parameter {
	tb.Helper()
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		tb.Fatal(err)
	}
	m, ok := lookup(doc, ref).(map[string]any)
	if !ok {
		tb.Errorf("parameter %s does not resolve", ref)
		return parameter{}
	}
	name, _ := m["name"].(string)
	in, _ := m["in"].(string)
	return parameter{Name: name, In: in}
}

// refs lists every $ref value in the document.
func refs(v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if s, ok := x.(string); ok && k == "$ref" {
				out = append(out, s)
				continue
			}
			out = append(out, refs(x)...)
		}
	case []any:
		for _, x := range v {
			out = append(out, refs(x)...)
		}
	}
	return out
}

// lookup resolves a local reference "#/a/b/c"; nil when it does not.
func lookup(doc map[string]any, ref string) any {
	if !strings.HasPrefix(ref, "#/") {
		return nil
	}
	var cur any = doc
	for _, part := range strings.Split(ref[2:], "/") {
		part = strings.NewReplacer("~1", "/", "~0", "~").Replace(part)
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

package auth

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
)

const (
	testCode = "36805280109"
	bodyCode = "70000740"
)

func TestPrincipalSeesOnlyWhatItsRoleAllows_R11_1(t *testing.T) {
	submitter := &Principal{Role: RoleSubmitter, Organisation: bodyCode}
	kutsekoda := &Principal{Role: RoleSubmitter, Organisation: Kutsekoda}
	clerk := &Principal{Role: RoleClerk}
	supervisor := &Principal{Role: RoleSupervisor}
	person := &Principal{Role: RolePerson, PersonalCode: testCode}
	var public *Principal
	tests := []struct {
		name string
		p    *Principal
		org  string
		want bool
	}{
		{"submitter sees its own organisation", submitter, bodyCode, true},
		{"submitter does not see another organisation", submitter, "10000005", false},
		{"Kutsekoda submitter sees Kutsekoda", kutsekoda, Kutsekoda, true},
		{"Kutsekoda submitter does not see an awarding body", kutsekoda, bodyCode, false},
		{"submitter does not see an unowned submission", submitter, "", false},
		{"clerk sees every organisation", clerk, bodyCode, true},
		{"supervisor sees every organisation", supervisor, Kutsekoda, true},
		{"person sees no organisation", person, bodyCode, false},
		{"public sees no organisation", public, bodyCode, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.MaySee(tt.org); got != tt.want {
				t.Errorf("MaySee(%q) = %v, want %v", tt.org, got, tt.want)
			}
		})
	}
}

func TestPersonSeesOnlyTheirOwnData_R16_3(t *testing.T) {
	person := &Principal{Role: RolePerson, PersonalCode: testCode}
	tests := []struct {
		name     string
		p        *Principal
		code     string
		may, own bool
	}{
		{"the person themself", person, testCode, true, true},
		{"another person", person, "49403136526", false, false},
		{"a clerk", &Principal{Role: RoleClerk}, testCode, true, false},
		{"a supervisor", &Principal{Role: RoleSupervisor}, testCode, true, false},
		{"a submitter", &Principal{Role: RoleSubmitter, Organisation: bodyCode}, testCode, false, false},
		{"the public", nil, testCode, false, false},
		{"no code matches no one", person, "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.MaySeePerson(tt.code); got != tt.may {
				t.Errorf("MaySeePerson = %v, want %v", got, tt.may)
			}
			if got := tt.p.IsSelf(tt.code); got != tt.own {
				t.Errorf("IsSelf = %v, want %v", got, tt.own)
			}
		})
	}
}

func TestPrincipalBindingsMustFitTheRole(t *testing.T) {
	tests := []struct {
		name string
		p    Principal
		want error
	}{
		{"submitter for Kutsekoda", Principal{Role: RoleSubmitter, Organisation: Kutsekoda}, nil},
		{"submitter for an awarding body", Principal{Role: RoleSubmitter, Organisation: bodyCode}, nil},
		{"submitter without organisation", Principal{Role: RoleSubmitter}, ErrInvalidPrincipal},
		{"submitter with a 7-digit code", Principal{Role: RoleSubmitter, Organisation: "7000074"}, ErrInvalidPrincipal},
		{"submitter with a personal code", Principal{Role: RoleSubmitter, Organisation: Kutsekoda, PersonalCode: testCode}, ErrInvalidPrincipal},
		{"person", Principal{Role: RolePerson, PersonalCode: testCode}, nil},
		{"person without code", Principal{Role: RolePerson}, ErrInvalidPrincipal},
		{"person with a code starting 9", Principal{Role: RolePerson, PersonalCode: "96805280109"}, ErrInvalidPrincipal},
		{"person with an organisation", Principal{Role: RolePerson, PersonalCode: testCode, Organisation: bodyCode}, ErrInvalidPrincipal},
		{"clerk", Principal{Role: RoleClerk}, nil},
		{"clerk with an organisation", Principal{Role: RoleClerk, Organisation: Kutsekoda}, ErrInvalidPrincipal},
		{"unknown role", Principal{Role: "admin"}, ErrUnknownRole},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.p.Validate()
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("Validate() = %v, want %v", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), testCode) {
				t.Errorf("error %q shows the personal code", err)
			}
		})
	}
}

func TestPrincipalIsLoggedWithoutPersonalCodeOrSubject(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	p := &Principal{Role: RolePerson, PersonalCode: testCode, Subject: "EE" + testCode, Name: "Mari Maasikas"}
	log.Info("request", "principal", p)
	if strings.Contains(buf.String(), testCode) {
		t.Errorf("log line shows the personal code: %s", buf.String())
	}
	if !strings.HasPrefix(p.ID(), "oidc:") || strings.Contains(p.ID(), testCode) {
		t.Errorf("ID() = %q, want an oidc: pseudonym", p.ID())
	}
	if got := (&Principal{Role: RoleClerk, KeyID: "abc"}).ID(); got != "key:abc" {
		t.Errorf("ID() of a key = %q, want key:abc", got)
	}
	var public *Principal
	if public.ID() != "" || !public.Anonymous() {
		t.Error("the public has an ID or is not anonymous")
	}
}

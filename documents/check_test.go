package documents_test

import (
	"context"
	"errors"
	"testing"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
)

// checkCase edits an example (and optionally the register), submits it as
// sub (the example's entitled submitter when empty) and looks for code at
// field.
type checkCase struct {
	name     string
	kind     documents.Kind
	sub      documents.Submitter
	edit     func(d *documents.BaseDocument)
	register func(r *documents.MemoryRegister)
	// seed, when set, builds the register instead of examples.Register.
	seed  func() *documents.MemoryRegister
	field string
	code  deficiency.Code
}

func runCheckCases(t *testing.T, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := examples.Document(tc.kind)
			if tc.edit != nil {
				tc.edit(doc)
			}
			reg := examples.Register()
			if tc.seed != nil {
				reg = tc.seed()
			}
			if tc.register != nil {
				tc.register(reg)
			}
			sub := tc.sub
			if sub == (documents.Submitter{}) {
				sub = examples.Submitter(tc.kind)
			}
			defs := validateDoc(t, doc, sub, reg)
			if tc.code == "" {
				wantClean(t, defs)
				return
			}
			wantDeficiency(t, defs, tc.field, tc.code)
		})
	}
}

var (
	kutsekoda = documents.Submitter{Organisation: documents.Kutsekoda, Name: "Kadri Mets"}
	eetel     = documents.Submitter{Organisation: examples.ElectriciansUnion, Name: "Tiina Org"}
	otherBody = documents.Submitter{Organisation: examples.RefrigerationUnion, Name: "Peeter Lind"}
)

func TestOnlyKutsekodaSubmitsCouncilStandardAndAwardingBodyData_R11_1(t *testing.T) {
	var cases []checkCase
	for _, k := range []documents.Kind{documents.GovernmentOrder, documents.MinisterDirective, documents.StandardDecision,
		documents.AwardingRightDecision, documents.ProcedureDecision} {
		cases = append(cases,
			checkCase{name: string(k) + " by Kutsekoda", kind: k, sub: kutsekoda},
			checkCase{name: string(k) + " by an awarding body", kind: k, sub: eetel, field: "kind", code: documents.CodeSubmitterNotEntitled})
	}
	cases = append(cases,
		checkCase{name: "committee decision by Kutsekoda", kind: documents.CommitteeDecision, sub: kutsekoda, field: "kind", code: documents.CodeSubmitterNotEntitled},
		checkCase{name: "unknown organisation", kind: documents.GovernmentOrder, sub: documents.Submitter{Organisation: "ministry"}, field: "", code: documents.CodeSubmitterOrganisation},
		checkCase{name: "malformed registry code", kind: documents.CommitteeDecision, sub: documents.Submitter{Organisation: "80037515"}, field: "", code: documents.CodeSubmitterOrganisation},
	)
	runCheckCases(t, cases)
}

func TestSubmitterMayOnlySubmitOwnCertificates_R11_1(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "own certificates", kind: documents.CommitteeDecision, sub: eetel},
		{name: "another body's certificates", kind: documents.CommitteeDecision, sub: otherBody,
			field: "payload.certificates[0].issuer", code: documents.CodeSubmitterNotEntitled},
		{name: "one foreign certificate", kind: documents.CommitteeDecision, sub: eetel,
			edit:  func(d *documents.BaseDocument) { certs(d)[2].Issuer = examples.RefrigerationUnion },
			field: "payload.certificates[2].issuer", code: documents.CodeSubmitterNotEntitled},
		{name: "change another body's certificate", kind: documents.Other, sub: otherBody,
			field: "payload.changes[0].targetId", code: documents.CodeSubmitterNotEntitled},
		{name: "Kutsekoda changing a certificate", kind: documents.Other, sub: kutsekoda,
			field: "payload.changes[0].target", code: documents.CodeSubmitterNotEntitled},
		{name: "awarding body closing a council", kind: documents.Other, sub: eetel,
			edit: func(d *documents.BaseDocument) {
				d.Payload.Changes = []documents.Change{{Target: documents.RecordCouncil, TargetID: examples.EnergyCouncil, Action: documents.ActionClose, Reason: "r"}}
			}, field: "payload.changes[0].target", code: documents.CodeSubmitterNotEntitled},
		{name: "Kutsekoda closing a council", kind: documents.Other, sub: kutsekoda,
			edit: func(d *documents.BaseDocument) {
				d.Payload.Changes = []documents.Change{{Target: documents.RecordCouncil, TargetID: examples.EnergyCouncil, Action: documents.ActionClose, Reason: "Kutsenõukogu ühendati."}}
			}},
		{name: "handing a certificate to another body", kind: documents.Other, sub: eetel,
			edit:  func(d *documents.BaseDocument) { d.Payload.Changes[0].Certificate.Issuer = examples.RefrigerationUnion },
			field: "payload.changes[0].certificate.issuer", code: documents.CodeRegisterContradiction},
	})
}

// R9.4, R9.7: an awarding body awards only what its right covers on the
// decision date.
func TestAwardingBodyRightMustCoverStandardAndLevel_R9_4_R9_7(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "level not covered", kind: documents.CommitteeDecision,
			edit: func(d *documents.BaseDocument) {
				for i := range certs(d) {
					certs(d)[i].Level, certs(d)[i].EQFLevel = 4, 4
				}
			},
			register: func(r *documents.MemoryRegister) {
				b := examples.Register().AwardingBodies()[0]
				b.Rights[0].Levels = []int{5}
				r.PutAwardingBody(b)
			}, field: "payload.certificates[0].standard", code: documents.CodeRightMissing},
		{name: "right expired before the decision", kind: documents.CommitteeDecision,
			register: func(r *documents.MemoryRegister) {
				b := examples.Register().AwardingBodies()[0]
				b.Rights[0].ValidUntil = documents.MustDate(2025, 6, 11)
				r.PutAwardingBody(b)
			}, field: "payload.certificates[0].standard", code: documents.CodeRightMissing},
		{name: "right ends on the decision day", kind: documents.CommitteeDecision,
			register: func(r *documents.MemoryRegister) {
				b := examples.Register().AwardingBodies()[0]
				b.Rights[0].ValidUntil = documents.MustDate(2025, 6, 12)
				r.PutAwardingBody(b)
			}},
		{name: "right revoked", kind: documents.CommitteeDecision,
			register: func(r *documents.MemoryRegister) {
				b := examples.Register().AwardingBodies()[0]
				b.Rights[0].RevokedOn = documents.MustDate(2025, 3, 1)
				r.PutAwardingBody(b)
			}, field: "payload.certificates[0].standard", code: documents.CodeRightMissing},
		{name: "body unknown", kind: documents.CommitteeDecision,
			seed:  registerWithoutBodies,
			field: "payload.certificates[0].issuer", code: documents.CodeRegisterNotFound},
		{name: "body closed", kind: documents.CommitteeDecision,
			register: func(r *documents.MemoryRegister) {
				b := examples.Register().AwardingBodies()[0]
				b.Closed = &documents.Closure{On: documents.MustDate(2025, 1, 1), Reason: "lõpetatud", Document: "1"}
				r.PutAwardingBody(b)
			}, field: "payload.certificates[0].issuer", code: documents.CodeRegisterNotInForce},
	})
}

// registerWithoutBodies is the example register without awarding bodies.
func registerWithoutBodies() *documents.MemoryRegister {
	src, r := examples.Register(), documents.NewMemoryRegister()
	r.PutCouncil(src.Councils()...)
	r.PutStandard(src.Standards()...)
	r.PutCertificate(src.Certificates()...)
	return r
}

func TestStandardMustExistAndBeInForce_R13_3(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "unknown version", kind: documents.CommitteeDecision,
			edit:  func(d *documents.BaseDocument) { certs(d)[1].Standard.Version = 9 },
			field: "payload.certificates[1].standard", code: documents.CodeRegisterNotFound},
		{name: "expired", kind: documents.CommitteeDecision,
			register: func(r *documents.MemoryRegister) {
				s := examples.Register().Standards()[1] // Elektrik, tase 4
				s.ValidUntil = documents.MustDate(2025, 1, 1)
				r.PutStandard(s)
			}, field: "payload.certificates[0].standard", code: documents.CodeRegisterNotInForce},
		{name: "level differs from the standard", kind: documents.CommitteeDecision,
			edit:  func(d *documents.BaseDocument) { certs(d)[2].Level, certs(d)[2].EQFLevel = 5, 5 },
			field: "payload.certificates[2].level", code: documents.CodeStandardLevelMismatch},
		{name: "right for an unknown standard", kind: documents.AwardingRightDecision,
			edit:  func(d *documents.BaseDocument) { d.Payload.AwardingBody.Rights[0].StandardID = 999 },
			field: "payload.awardingBody.rights[0].standardId", code: documents.CodeRegisterNotFound},
		{name: "right at another level than the standard's", kind: documents.AwardingRightDecision,
			edit:  func(d *documents.BaseDocument) { d.Payload.AwardingBody.Rights[0].Levels = []int{4, 5} },
			field: "payload.awardingBody.rights[0].levels[1]", code: documents.CodeStandardLevelMismatch},
		{name: "procedure for an unknown standard", kind: documents.ProcedureDecision,
			edit: func(d *documents.BaseDocument) {
				d.Payload.Procedure.Standards = append(d.Payload.Procedure.Standards, 12345)
			},
			field: "payload.procedure.standards[1]", code: documents.CodeRegisterNotFound},
		{name: "procedure for a standard without right", kind: documents.ProcedureDecision,
			edit:  func(d *documents.BaseDocument) { d.Payload.Procedure.Standards = []int{examples.RefrigerationStandard} },
			field: "payload.procedure.standards[0]", code: documents.CodeProcedureRightMissing},
		{name: "procedure of an unknown body", kind: documents.ProcedureDecision,
			edit:  func(d *documents.BaseDocument) { d.Payload.Procedure.AwardingBody = examples.RefrigerationUnion },
			field: "payload.procedure.awardingBody", code: documents.CodeRegisterNotFound},
	})
}

// R6.6: a council decision is entered in the record of a council that
// exists on the decision date.
func TestCouncilMustExistAndBeInForce_R6_6(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "unknown council", kind: documents.ProcedureDecision,
			edit:  func(d *documents.BaseDocument) { d.CouncilID = "tundmatu" },
			field: "councilId", code: documents.CodeRegisterNotFound},
		{name: "council formed after the decision", kind: documents.StandardDecision,
			register: func(r *documents.MemoryRegister) {
				c := examples.Register().Councils()[1]
				c.FormationDate = documents.MustDate(2025, 6, 1)
				r.PutCouncil(c)
			}, field: "councilId", code: documents.CodeRegisterNotInForce},
		{name: "council dissolved", kind: documents.AwardingRightDecision,
			register: func(r *documents.MemoryRegister) {
				c := examples.Register().Councils()[1]
				c.Closed = &documents.Closure{On: documents.MustDate(2025, 1, 1)}
				r.PutCouncil(c)
			}, field: "councilId", code: documents.CodeRegisterNotInForce},
		{name: "directive for an unknown council", kind: documents.MinisterDirective,
			edit:  func(d *documents.BaseDocument) { d.Payload.Council.ID = "tundmatu" },
			field: "payload.council.id", code: documents.CodeRegisterNotFound},
		{name: "directive naming the council otherwise", kind: documents.MinisterDirective,
			edit:  func(d *documents.BaseDocument) { d.Payload.Council.Name = "Energeetika kutsenõukogu" },
			field: "payload.council.name", code: documents.CodeRegisterContradiction},
		{name: "directive repeating the composition", kind: documents.MinisterDirective,
			edit: func(d *documents.BaseDocument) {
				d.Payload.Council.Members = examples.Register().Councils()[0].Members
			}, field: "payload.council.members", code: documents.CodeRegisterAlreadyEntered},
	})
}

func TestCertificateNumberNotAlreadyInRegister_R13_3(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "number taken", kind: documents.CommitteeDecision,
			edit:  func(d *documents.BaseDocument) { certs(d)[0].Number = "201589" },
			field: "payload.certificates[0].number", code: documents.CodeCertificateNumberExists},
		{name: "number taken by another type", kind: documents.CommitteeDecision,
			edit: func(d *documents.BaseDocument) {
				c := &certs(d)[0]
				c.Number, c.Type, c.PartialQualification = "201589", documents.PartialCertificate, "Elektripaigaldise ehitamine"
			}},
	})
}

// A duplicate names an original that is in the register, of the same
// holder and qualification; it may re-use the original's number.
func TestDuplicateNamesItsExistingOriginal_R13_3(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "re-using the original's number", kind: documents.CommitteeDecision,
			edit: func(d *documents.BaseDocument) { certs(d)[4].Number = "201587" }},
		{name: "original missing", kind: documents.CommitteeDecision,
			edit:  func(d *documents.BaseDocument) { certs(d)[4].DuplicateOf = "199999" },
			field: "payload.certificates[4].duplicateOf", code: documents.CodeCertificateOriginalAbsent},
		{name: "original of another holder", kind: documents.CommitteeDecision,
			edit:  func(d *documents.BaseDocument) { certs(d)[4].DuplicateOf = "201588" },
			field: "payload.certificates[4].personalCode", code: documents.CodeCertificateOriginalDiffer},
		{name: "original of another standard", kind: documents.CommitteeDecision,
			register: func(r *documents.MemoryRegister) {
				c := examples.Register().Certificates()[0]
				c.Standard.ID = examples.RefrigerationStandard
				r.PutCertificate(c)
			}, field: "payload.certificates[4].standard", code: documents.CodeCertificateOriginalDiffer},
		{name: "original closed", kind: documents.CommitteeDecision,
			register: func(r *documents.MemoryRegister) {
				c := examples.Register().Certificates()[0]
				c.Closed = &documents.Closure{On: documents.MustDate(2025, 1, 1)}
				r.PutCertificate(c)
			}, field: "payload.certificates[4].duplicateOf", code: documents.CodeRegisterClosed},
	})
}

// R13.3: data contradicting the register is named field by field; a
// repeat of what is entered is a warning.
func TestContradictionsWithTheRegisterAreNamed_R13_3(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "standard version re-used with another title", kind: documents.StandardDecision,
			register: func(r *documents.MemoryRegister) {
				s := *examples.Document(documents.StandardDecision).Payload.Standard
				s.Title = "Külmamehaanik-hooldaja, tase 4"
				r.PutStandard(s)
			}, field: "payload.standard.title", code: documents.CodeRegisterContradiction},
		{name: "standard version already entered", kind: documents.StandardDecision,
			register: func(r *documents.MemoryRegister) {
				r.PutStandard(*examples.Document(documents.StandardDecision).Payload.Standard)
			}, field: "payload.standard", code: documents.CodeRegisterAlreadyEntered},
		{name: "council formed again with another name", kind: documents.GovernmentOrder,
			register: func(r *documents.MemoryRegister) {
				c := *examples.Document(documents.GovernmentOrder).Payload.Council
				c.Name = "Keskkonnakaitse kutsenõukogu"
				c.Members = []documents.Member{{Name: "Mari Tamm", Role: documents.RoleChair}}
				r.PutCouncil(c)
			}, field: "payload.council.name", code: documents.CodeRegisterContradiction},
		{name: "council formed again identically", kind: documents.GovernmentOrder,
			register: func(r *documents.MemoryRegister) {
				c := *examples.Document(documents.GovernmentOrder).Payload.Council
				c.Members = []documents.Member{{Name: "Mari Tamm", Role: documents.RoleChair}}
				r.PutCouncil(c)
			}, field: "payload.council", code: documents.CodeRegisterAlreadyEntered},
		{name: "revoking a right the body does not hold", kind: documents.AwardingRightDecision,
			edit: func(d *documents.BaseDocument) {
				d.Payload.AwardingBody.Rights[0].RevokedOn = documents.MustDate(2025, 6, 4)
			},
			field: "payload.awardingBody.rights[0].revokedOn", code: documents.CodeRightNotFound},
		{name: "revoking a right the body holds", kind: documents.AwardingRightDecision,
			edit: func(d *documents.BaseDocument) {
				b := examples.Register().AwardingBodies()[0]
				b.Rights[0].RevokedOn = d.Date
				d.Payload.AwardingBody = &b
			}},
		{name: "granting to a closed body", kind: documents.AwardingRightDecision,
			register: func(r *documents.MemoryRegister) {
				b := *examples.Document(documents.AwardingRightDecision).Payload.AwardingBody
				b.Closed = &documents.Closure{On: documents.MustDate(2024, 1, 1)}
				r.PutAwardingBody(b)
			}, field: "payload.awardingBody.registryCode", code: documents.CodeRegisterClosed},
	})
}

func TestClosedOrMissingRecordIsNotChanged_R13_3_R14_3(t *testing.T) {
	runCheckCases(t, []checkCase{
		{name: "closed certificate", kind: documents.Other,
			register: func(r *documents.MemoryRegister) {
				c := examples.Register().Certificates()[1]
				c.Closed = &documents.Closure{On: documents.MustDate(2025, 1, 1)}
				r.PutCertificate(c)
			}, field: "payload.changes[0].targetId", code: documents.CodeRegisterClosed},
		{name: "missing certificate", kind: documents.Other,
			edit: func(d *documents.BaseDocument) {
				d.Payload.Changes[0].TargetID = "199999"
				d.Payload.Changes[0].Certificate.Number = "199999"
			}, field: "payload.changes[0].targetId", code: documents.CodeRegisterNotFound},
		{name: "missing standard", kind: documents.Other, sub: kutsekoda,
			edit: func(d *documents.BaseDocument) {
				d.Payload.Changes = []documents.Change{{Target: documents.RecordStandard, TargetID: "10676419", TargetVersion: 9, Action: documents.ActionClose, Reason: "r"}}
			}, field: "payload.changes[0].targetId", code: documents.CodeRegisterNotFound},
		{name: "closed standard", kind: documents.Other, sub: kutsekoda,
			edit: func(d *documents.BaseDocument) {
				d.Payload.Changes = []documents.Change{{Target: documents.RecordStandard, TargetID: "10676419", TargetVersion: 3, Action: documents.ActionClose, Reason: "r"}}
			},
			register: func(r *documents.MemoryRegister) {
				s := examples.Register().Standards()[0]
				s.Closed = &documents.Closure{On: documents.MustDate(2025, 1, 1)}
				r.PutStandard(s)
			}, field: "payload.changes[0].targetId", code: documents.CodeRegisterClosed},
		{name: "missing awarding body", kind: documents.Other, sub: kutsekoda,
			edit: func(d *documents.BaseDocument) {
				d.Payload.Changes = []documents.Change{{Target: documents.RecordAwardingBody, TargetID: examples.RefrigerationUnion, Action: documents.ActionClose, Reason: "r"}}
			}, field: "payload.changes[0].targetId", code: documents.CodeRegisterNotFound},
		{name: "closed council", kind: documents.Other, sub: kutsekoda,
			edit: func(d *documents.BaseDocument) {
				d.Payload.Changes = []documents.Change{{Target: documents.RecordCouncil, TargetID: examples.EnergyCouncil, Action: documents.ActionClose, Reason: "r"}}
			},
			register: func(r *documents.MemoryRegister) {
				c := examples.Register().Councils()[0]
				c.Closed = &documents.Closure{On: documents.MustDate(2025, 1, 1)}
				r.PutCouncil(c)
			}, field: "payload.changes[0].targetId", code: documents.CodeRegisterClosed},
	})
}

// A committee decision of 10,000 certificates is checked with one batched
// certificate lookup and one lookup per distinct standard and body.
func TestLargeCommitteeDecisionUsesBatchedLookups_R13_3(t *testing.T) {
	reg := examples.Register()
	doc := examples.GenerateCommitteeDecision(10000)
	defs, err := documents.Check(t.Context(), doc, eetel, reg)
	if err != nil || len(defs) != 0 {
		t.Fatalf("Check = %v, %v", defs, err)
	}
	if n := reg.Calls("ExistingCertificates"); n != 1 {
		t.Errorf("ExistingCertificates called %d times", n)
	}
	if n := reg.Calls("Standard"); n != 1 {
		t.Errorf("Standard called %d times", n)
	}
	if n := reg.Calls("AwardingBody"); n != 1 {
		t.Errorf("AwardingBody called %d times", n)
	}
}

// A problem shared by every certificate is reported once.
func TestSharedProblemIsReportedOnce(t *testing.T) {
	reg := registerWithoutBodies()
	defs, err := documents.Check(t.Context(), examples.GenerateCommitteeDecision(500), eetel, reg)
	if err != nil {
		t.Fatal(err)
	}
	if len(defs) != 1 || defs[0].Code != documents.CodeRegisterNotFound {
		t.Errorf("want one not-found:\n%s", listString(defs))
	}
}

// An unreachable register is an infrastructure error, not a deficiency.
func TestRegisterFailureIsAnErrorNotADeficiency(t *testing.T) {
	boom := errors.New("mongo: server selection timeout")
	v := documents.NewValidator(documents.DefaultPolicy())
	for _, k := range documents.Kinds() {
		reg := examples.Register()
		reg.FailWith(boom)
		doc, _, err := v.Validate(t.Context(), readExample(t, k), examples.Submitter(k), reg, examples.Today())
		if !errors.Is(err, boom) {
			t.Errorf("%s: err = %v", k, err)
		}
		if doc == nil {
			t.Errorf("%s: document not returned", k)
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := v.Validate(ctx, readExample(t, documents.CommitteeDecision), eetel, examples.Register(), examples.Today()); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v", err)
	}
	// Bad input never gives an error.
	reg := examples.Register()
	reg.FailWith(boom)
	if _, defs, err := v.Validate(t.Context(), []byte("{"), eetel, reg, examples.Today()); err != nil || len(defs) == 0 {
		t.Errorf("syntax error: %v, %v", defs, err)
	}
}

func TestCheckSkipsWhatItCannotJudge(t *testing.T) {
	defs, err := documents.Check(t.Context(), nil, eetel, examples.Register())
	if defs != nil || err != nil {
		t.Error("nil document")
	}
	defs, err = documents.Check(t.Context(), &documents.BaseDocument{Kind: "decision"}, eetel, examples.Register())
	if defs != nil || err != nil {
		t.Error("unknown kind")
	}
}

func TestMemoryRegisterFindsTheLatestStandardVersion(t *testing.T) {
	reg := examples.Register()
	s, err := reg.Standard(t.Context(), documents.StandardRef{ID: examples.RefrigerationStandard})
	if err != nil || s.Version != 3 {
		t.Fatalf("latest = %v, %v", s, err)
	}
	reg.PutStandard(*examples.Document(documents.StandardDecision).Payload.Standard)
	if s, _ := reg.Standard(t.Context(), documents.StandardRef{ID: examples.RefrigerationStandard}); s.Version != 4 {
		t.Errorf("latest after adding = %d", s.Version)
	}
	for _, err := range []error{
		second(reg.Standard(t.Context(), documents.StandardRef{ID: 1})),
		second(reg.Standard(t.Context(), documents.StandardRef{ID: 1, Version: 1})),
		second(reg.Council(t.Context(), "x")),
		second(reg.AwardingBody(t.Context(), "12345678")),
	} {
		if !errors.Is(err, documents.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	}
	if got := len(reg.Certificates()); got != 3 {
		t.Errorf("%d certificates", got)
	}
}

func second[T any](_ T, err error) error { return err }

package documents_test

import (
	"strings"
	"testing"

	"github.com/kutsekoda/alusdok/deficiency"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
)

// ruleCase is an edit of an example and the deficiency it must produce.
type ruleCase struct {
	name  string
	kind  documents.Kind
	edit  func(d *documents.BaseDocument)
	field string
	code  deficiency.Code
}

// runRuleCases edits each case's example, validates it through the whole
// pipeline against the example register, and looks for the deficiency.
func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := examples.Document(tc.kind)
			tc.edit(doc)
			defs := validateDoc(t, doc, examples.Submitter(tc.kind), examples.Register())
			if tc.code == "" {
				wantClean(t, defs)
				return
			}
			wantDeficiency(t, defs, tc.field, tc.code)
		})
	}
}

func certs(d *documents.BaseDocument) []documents.Certificate { return d.Payload.Certificates }

func TestHolderPersonalCodeIsChecked_R8_1(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"check digit", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[3].PersonalCode = "36805280108" },
			"payload.certificates[3].personalCode", documents.CodePersonalCodeCheckDigit},
		{"format", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[2].PersonalCode = "3680528010" },
			"payload.certificates[2].personalCode", documents.CodePersonalCodeFormat},
		{"date", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[1].PersonalCode = "36802300109" },
			"payload.certificates[1].personalCode", documents.CodePersonalCodeDate},
	})
}

func TestHolderHasPersonalCodeOrElseBirthDate_R8_1(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"neither", documents.CommitteeDecision, func(d *documents.BaseDocument) {
			certs(d)[3].BirthDate = documents.Date{}
		}, "payload.certificates[3].personalCode", documents.CodeHolderIdentifierMissing},
		{"both, agreeing", documents.CommitteeDecision, func(d *documents.BaseDocument) {
			certs(d)[0].BirthDate = documents.MustDate(1998, 4, 17)
		}, "", ""},
		{"both, disagreeing", documents.CommitteeDecision, func(d *documents.BaseDocument) {
			certs(d)[0].BirthDate = documents.MustDate(1998, 4, 18)
		}, "payload.certificates[0].birthDate", documents.CodeHolderBirthDateMismatch},
		{"born after issue", documents.CommitteeDecision, func(d *documents.BaseDocument) {
			certs(d)[3].BirthDate = documents.MustDate(2025, 6, 13)
		}, "payload.certificates[3].birthDate", documents.CodeHolderBirthDateRange},
	})
}

func TestRegistryCodeOfIssuerIsChecked_R9_3(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"check digit", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].Issuer = "80037515" },
			"payload.certificates[0].issuer", documents.CodeRegistryCodeCheckDigit},
		{"format", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].Issuer = "EETEL" },
			"payload.certificates[0].issuer", documents.CodeRegistryCodeFormat},
		{"missing", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].Issuer = "" },
			"payload.certificates[0].issuer", documents.CodeRequired},
		{"awarding body", documents.AwardingRightDecision, func(d *documents.BaseDocument) { d.Payload.AwardingBody.RegistryCode = "32345674" },
			"payload.awardingBody.registryCode", documents.CodeRegistryCodeFormat},
	})
}

func TestLevelIsOneToEightAndUsuallyTwoToEight_R8_4(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"zero is missing", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[1].Level, certs(d)[1].EQFLevel = 0, 0 },
			"payload.certificates[1].level", documents.CodeRequired},
		{"nine", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[1].Level = 9 },
			"payload.certificates[1].level", documents.CodeLevelRange},
		{"negative EQF", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[1].EQFLevel = -1 },
			"payload.certificates[1].eqfLevel", documents.CodeLevelRange},
		{"EQF differs", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[1].EQFLevel = 5 },
			"payload.certificates[1].eqfLevel", documents.CodeLevelEQFMismatch},
		{"standard level 9", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.Level = 9 },
			"payload.standard.level", documents.CodeLevelRange},
		{"right level 0", documents.AwardingRightDecision, func(d *documents.BaseDocument) { d.Payload.AwardingBody.Rights[0].Levels = []int{4, 0} },
			"payload.awardingBody.rights[0].levels[1]", documents.CodeLevelRange},
	})
	// Level 1 is accepted with a warning only.
	doc := examples.Document(documents.StandardDecision)
	doc.Payload.Standard.Level = 1
	doc.Payload.Standard.Title = "Abitööline, tase 1"
	v := documents.NewValidator(documents.DefaultPolicy())
	defs := v.Rules(doc, examples.Today())
	wantDeficiency(t, defs, "payload.standard.level", documents.CodeLevelUnusual)
	if defs.HasErrors() {
		t.Errorf("level 1 is an error:\n%s", listString(defs))
	}
}

func TestDatesAreInOrder_R7_5_R8_5_R9_4(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"certificate", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[2].ValidUntil = documents.MustDate(2025, 6, 11) },
			"payload.certificates[2].validUntil", documents.CodeDateOrder},
		{"certificate same day is fine", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[2].ValidUntil = certs(d)[2].ValidFrom },
			"", ""},
		{"standard validity", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.ValidUntil = documents.MustDate(2025, 5, 27) },
			"payload.standard.validUntil", documents.CodeDateOrder},
		{"standard valid before approval", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.ValidFrom = documents.MustDate(2025, 5, 1) },
			"payload.standard.validFrom", documents.CodeDateOrder},
		{"right term", documents.AwardingRightDecision, func(d *documents.BaseDocument) {
			d.Payload.AwardingBody.Rights[0].ValidUntil = documents.MustDate(2024, 1, 1)
		}, "payload.awardingBody.rights[0].validUntil", documents.CodeDateOrder},
		{"mandate", documents.MinisterDirective, func(d *documents.BaseDocument) {
			d.Payload.Council.Members[2].MandateUntil = documents.MustDate(2025, 4, 30)
		}, "payload.council.members[2].mandateUntil", documents.CodeDateOrder},
		{"procedure", documents.ProcedureDecision, func(d *documents.BaseDocument) { d.Payload.Procedure.ValidUntil = documents.MustDate(2025, 1, 1) },
			"payload.procedure.validUntil", documents.CodeDateOrder},
		{"council formed before the order", documents.GovernmentOrder, func(d *documents.BaseDocument) { d.Payload.Council.FormationDate = documents.MustDate(2025, 4, 9) },
			"payload.council.formationDate", documents.CodeDateOrder},
	})
}

// The decision date is compared with the "today" the caller passes, never
// with the machine's clock.
func TestDecisionDateIsNotInTheFuture_R11_2(t *testing.T) {
	v := documents.NewValidator(documents.DefaultPolicy())
	doc := examples.Document(documents.GovernmentOrder)
	if defs := v.Rules(doc, doc.Date); has(defs, "date", documents.CodeDateFuture) {
		t.Error("today's decision refused")
	}
	wantDeficiency(t, v.Rules(doc, doc.Date.AddDays(-1)), "date", documents.CodeDateFuture)
	// Far in the past by the machine's clock, and still judged by today.
	doc.Date = documents.MustDate(2031, 1, 1)
	doc.Payload.Council.FormationDate = doc.Date
	wantClean(t, v.Rules(doc, documents.MustDate(2031, 1, 2)))
	if defs := v.Rules(doc, documents.Date{}); has(defs, "date", documents.CodeDateFuture) {
		t.Error("zero today must skip the check")
	}
}

func TestCertificateIsNotIssuedBeforeItsDecision_R8_3(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"day before", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[4].IssuedOn = documents.MustDate(2025, 6, 11) },
			"payload.certificates[4].issuedOn", documents.CodeIssuedBeforeDecision},
		{"later is fine", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[4].IssuedOn = documents.MustDate(2025, 6, 19) },
			"", ""},
	})
}

// Numbers are unique per certificate type: partial-qualification
// certificates have their own series.
func TestCertificateNumbersAreUniqueWithinTheDocument_R8_2(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"same type", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[3].Number = "214001" },
			"payload.certificates[3].number", documents.CodeCertificateNumberDup},
		{"other type", documents.CommitteeDecision, func(d *documents.BaseDocument) {
			certs(d)[3].Number = "214001"
			certs(d)[3].Type = documents.PartialCertificate
			certs(d)[3].PartialQualification = "Elektripaigaldise ehitamine"
		}, "", ""},
	})
	doc := examples.Document(documents.CommitteeDecision)
	certs(doc)[3].Number = "214001"
	defs := validateDoc(t, doc, examples.Submitter(documents.CommitteeDecision), examples.Register())
	for _, d := range defs {
		if d.Code == documents.CodeCertificateNumberDup && !strings.Contains(d.Message.EN, "entry 0") {
			t.Errorf("message does not name the first entry: %q", d.Message.EN)
		}
	}
}

func TestSamePersonTwiceInOneDecisionIsAWarning_R13_3(t *testing.T) {
	doc := examples.Document(documents.CommitteeDecision)
	certs(doc)[2].PersonalCode = certs(doc)[0].PersonalCode
	defs := validateDoc(t, doc, examples.Submitter(documents.CommitteeDecision), examples.Register())
	wantDeficiency(t, defs, "payload.certificates[2]", documents.CodeHolderRepeated)
	if defs.HasErrors() {
		t.Errorf("a repeat is an error:\n%s", listString(defs))
	}
}

func TestRequiredNamesAreNotBlank_R8_1(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"given name spaces", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].GivenName = "  \t" },
			"payload.certificates[0].givenName", documents.CodeRequired},
		{"family name empty", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].FamilyName = "" },
			"payload.certificates[0].familyName", documents.CodeRequired},
		{"place of issue", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].PlaceOfIssue = " " },
			"payload.certificates[0].placeOfIssue", documents.CodeRequired},
		{"council name", documents.GovernmentOrder, func(d *documents.BaseDocument) { d.Payload.Council.Name = "\n" },
			"payload.council.name", documents.CodeRequired},
		{"institution name", documents.GovernmentOrder, func(d *documents.BaseDocument) { d.Payload.Council.Institutions[1].Name = " " },
			"payload.council.institutions[1].name", documents.CodeRequired},
		{"member name", documents.MinisterDirective, func(d *documents.BaseDocument) { d.Payload.Council.Members[0].Name = " " },
			"payload.council.members[0].name", documents.CodeRequired},
		{"document number", documents.Other, func(d *documents.BaseDocument) { d.Number = " " },
			"number", documents.CodeRequired},
		{"standard title", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.Title = " " },
			"payload.standard.title", documents.CodeRequired},
		{"awarding body name", documents.AwardingRightDecision, func(d *documents.BaseDocument) { d.Payload.AwardingBody.Name = "" },
			"payload.awardingBody.name", documents.CodeRequired},
		{"committee name", documents.ProcedureDecision, func(d *documents.BaseDocument) { d.Payload.Procedure.Committee.Name = " " },
			"payload.procedure.committee.name", documents.CodeRequired},
		{"decision date", documents.ProcedureDecision, func(d *documents.BaseDocument) { d.Date = documents.Date{} },
			"date", documents.CodeRequired},
	})
}

func TestSizesAreBounded_R12_2(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"long given name", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].GivenName = strings.Repeat("Õ", 201) },
			"payload.certificates[0].givenName", documents.CodeTooLong},
		{"long number", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].Number = strings.Repeat("1", 33) },
			"payload.certificates[0].number", documents.CodeTooLong},
		{"long reason", documents.Other, func(d *documents.BaseDocument) { d.Payload.Changes[1].Reason = strings.Repeat("a", 2001) },
			"payload.changes[1].reason", documents.CodeTooLong},
		{"too many competences", documents.StandardDecision, func(d *documents.BaseDocument) {
			d.Payload.Standard.Competences = make([]string, 201)
		}, "payload.standard.competences", documents.CodeTooMany},
		{"200 letters is fine", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].GivenName = strings.Repeat("Õ", 200) },
			"", ""},
	})
	// 10,000 certificates is a legitimate decision; 10,001 is not.
	v := documents.NewValidator(documents.DefaultPolicy())
	doc := examples.GenerateCommitteeDecision(documents.DefaultMaxCertificates + 1)
	defs := v.Rules(doc, examples.Today())
	wantDeficiency(t, defs, "payload.certificates", documents.CodeTooMany)
	if len(defs) != 1 {
		t.Errorf("the certificates of an oversized decision are still checked one by one:\n%s", listString(defs[:min(len(defs), 5)]))
	}
	// The limit is policy.
	small := documents.NewValidator(documents.Policy{Limits: documents.Limits{MaxCertificates: 3}})
	wantDeficiency(t, small.Rules(examples.Document(documents.CommitteeDecision), examples.Today()), "payload.certificates", documents.CodeTooMany)
}

func TestSubmitterContactEmailIsWellFormed_R12_4(t *testing.T) {
	for _, bad := range []string{"tiina.org", "tiina@", "@eetel.ee", "tiina org@eetel.ee", "tiina@eetel.ee\nBcc: x@y.z"} {
		runRuleCases(t, []ruleCase{{"email " + bad, documents.CommitteeDecision, func(d *documents.BaseDocument) { d.Contact.Email = bad },
			"contact.email", documents.CodeEmail}})
	}
	runRuleCases(t, []ruleCase{
		{"missing", documents.CommitteeDecision, func(d *documents.BaseDocument) { d.Contact.Email = "" }, "contact.email", documents.CodeRequired},
		{"contact name", documents.CommitteeDecision, func(d *documents.BaseDocument) { d.Contact.Name = " " }, "contact.name", documents.CodeRequired},
		{"awarding body contacts", documents.AwardingRightDecision, func(d *documents.BaseDocument) {
			d.Payload.AwardingBody.Contacts = documents.Contacts{Website: "https://x.ee"}
		}, "payload.awardingBody.contacts.email", documents.CodeRequired},
		{"phone only is enough", documents.AwardingRightDecision, func(d *documents.BaseDocument) {
			d.Payload.AwardingBody.Contacts = documents.Contacts{Phone: "+372 744 0212"}
		}, "", ""},
		{"website", documents.AwardingRightDecision, func(d *documents.BaseDocument) {
			d.Payload.AwardingBody.Contacts.Website = "kylmaliit.ee"
		}, "payload.awardingBody.contacts.website", documents.CodeFormat},
	})
}

func TestCouncilDecisionNamesItsCouncil_R6_6(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"standard decision", documents.StandardDecision, func(d *documents.BaseDocument) { d.CouncilID = "" }, "councilId", documents.CodeRequired},
		{"awarding-right decision", documents.AwardingRightDecision, func(d *documents.BaseDocument) { d.CouncilID = " " }, "councilId", documents.CodeRequired},
		{"procedure decision", documents.ProcedureDecision, func(d *documents.BaseDocument) { d.CouncilID = "" }, "councilId", documents.CodeRequired},
		{"not on a committee decision", documents.CommitteeDecision, func(d *documents.BaseDocument) { d.CouncilID = examples.EnergyCouncil },
			"councilId", documents.CodeNotAllowed},
		{"standard of another council", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.CouncilID = examples.EnergyCouncil },
			"payload.standard.councilId", documents.CodeCouncilMismatch},
	})
}

func TestCouncilDocuments_R6(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"order without institutions", documents.GovernmentOrder, func(d *documents.BaseDocument) { d.Payload.Council.Institutions = nil },
			"payload.council.institutions", documents.CodeTooFew},
		{"order without formation date", documents.GovernmentOrder, func(d *documents.BaseDocument) { d.Payload.Council.FormationDate = documents.Date{} },
			"payload.council.formationDate", documents.CodeRequired},
		{"order with members", documents.GovernmentOrder, func(d *documents.BaseDocument) {
			d.Payload.Council.Members = []documents.Member{{Name: "Mari Tamm", Role: documents.RoleChair}}
		}, "payload.council.members", documents.CodeNotAllowed},
		{"institution without representatives", documents.GovernmentOrder, func(d *documents.BaseDocument) { d.Payload.Council.Institutions[0].Representatives = 0 },
			"payload.council.institutions[0].representatives", documents.CodeRange},
		{"directive without members", documents.MinisterDirective, func(d *documents.BaseDocument) { d.Payload.Council.Members = nil },
			"payload.council.members", documents.CodeTooFew},
		{"directive with institutions", documents.MinisterDirective, func(d *documents.BaseDocument) {
			d.Payload.Council.Institutions = []documents.Institution{{Name: "Elering AS", Representatives: 1}}
		}, "payload.council.institutions", documents.CodeNotAllowed},
		{"two chairs", documents.MinisterDirective, func(d *documents.BaseDocument) { d.Payload.Council.Members[3].Role = documents.RoleChair },
			"payload.council.members[3].role", documents.CodeMembersChair},
		{"no chair", documents.MinisterDirective, func(d *documents.BaseDocument) { d.Payload.Council.Members[0].Role = documents.RoleMember },
			"payload.council.members", documents.CodeMembersNoChair},
		{"unknown role", documents.MinisterDirective, func(d *documents.BaseDocument) { d.Payload.Council.Members[1].Role = "secretary" },
			"payload.council.members[1].role", documents.CodeEnum},
	})
}

func TestStandardDecision_R7(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"title level differs", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.Title = "Külmamehaanik, tase 5" },
			"payload.standard.title", documents.CodeStandardTitleLevel},
		{"amendment date without decision", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.AmendedOn = d.Date },
			"payload.standard.amendmentDecision", documents.CodeRequired},
		{"amendment decision without date", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.AmendmentDecision = "14" },
			"payload.standard.amendedOn", documents.CodeRequired},
		{"amended before approval", documents.StandardDecision, func(d *documents.BaseDocument) {
			d.Payload.Standard.AmendedOn, d.Payload.Standard.AmendmentDecision = documents.MustDate(2025, 5, 1), "3"
		}, "payload.standard.amendedOn", documents.CodeDateOrder},
		{"not this decision", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.ApprovalDecision = "13" },
			"payload.standard.approvalDecision", documents.CodeStandardDecisionMismatch},
		{"an amendment by this decision", documents.StandardDecision, func(d *documents.BaseDocument) {
			s := d.Payload.Standard
			s.ApprovedOn, s.ApprovalDecision, s.ValidFrom = documents.MustDate(2025, 1, 10), "2", documents.MustDate(2025, 1, 10)
			s.AmendedOn, s.AmendmentDecision = d.Date, d.Number
		}, "", ""},
		{"ISCO", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.ISCO = "71-27" },
			"payload.standard.isco", documents.CodeStatisticalCode},
		{"ISCED", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.ISCED = "7" },
			"payload.standard.isced", documents.CodeStatisticalCode},
		{"version 0", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.Version = 0 },
			"payload.standard.version", documents.CodeRange},
		{"registry mark", documents.StandardDecision, func(d *documents.BaseDocument) { d.Payload.Standard.RegistryMark = "" },
			"payload.standard.registryMark", documents.CodeRequired},
	})
}

func TestAwardingRightAndProcedure_R9(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"same standard twice", documents.AwardingRightDecision, func(d *documents.BaseDocument) {
			b := d.Payload.AwardingBody
			b.Rights = append(b.Rights, b.Rights[0])
		}, "payload.awardingBody.rights[1].standardId", documents.CodeRightDuplicate},
		{"no rights", documents.AwardingRightDecision, func(d *documents.BaseDocument) { d.Payload.AwardingBody.Rights = nil },
			"payload.awardingBody.rights", documents.CodeTooFew},
		{"right without term", documents.AwardingRightDecision, func(d *documents.BaseDocument) { d.Payload.AwardingBody.Rights[0].ValidUntil = documents.Date{} },
			"payload.awardingBody.rights[0].validUntil", documents.CodeRequired},
		{"revoked before granted", documents.AwardingRightDecision, func(d *documents.BaseDocument) {
			d.Payload.AwardingBody.Rights[0].RevokedOn = documents.MustDate(2025, 1, 1)
		}, "payload.awardingBody.rights[0].revokedOn", documents.CodeDateOrder},
		{"committee without members", documents.ProcedureDecision, func(d *documents.BaseDocument) { d.Payload.Procedure.Committee.Members = nil },
			"payload.procedure.committee.members", documents.CodeTooFew},
		{"committee with two chairs", documents.ProcedureDecision, func(d *documents.BaseDocument) {
			d.Payload.Procedure.Committee.Members[4].Role = documents.RoleChair
		}, "payload.procedure.committee.members[4].role", documents.CodeMembersChair},
		{"procedure without standards", documents.ProcedureDecision, func(d *documents.BaseDocument) { d.Payload.Procedure.Standards = nil },
			"payload.procedure.standards", documents.CodeTooFew},
		{"procedure body code", documents.ProcedureDecision, func(d *documents.BaseDocument) { d.Payload.Procedure.AwardingBody = "80037510" },
			"payload.procedure.awardingBody", documents.CodeRegistryCodeCheckDigit},
	})
}

func TestCertificateFields_R8(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"partial without partial qualification", documents.CommitteeDecision, func(d *documents.BaseDocument) {
			certs(d)[0].Type = documents.PartialCertificate
		}, "payload.certificates[0].partialQualification", documents.CodePartialQualification},
		{"unknown type", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].Type = 4 },
			"payload.certificates[0].type", documents.CodeEnum},
		{"language", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].Language = "eesti" },
			"payload.certificates[0].language", documents.CodeFormat},
		{"standard id", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].Standard.ID = 0 },
			"payload.certificates[0].standard.id", documents.CodeRange},
		{"issue date", documents.CommitteeDecision, func(d *documents.BaseDocument) { certs(d)[0].IssuedOn = documents.Date{} },
			"payload.certificates[0].issuedOn", documents.CodeRequired},
	})
}

func TestOtherDocumentChanges_R14_3(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"change without values", documents.Other, func(d *documents.BaseDocument) { d.Payload.Changes[0].Certificate = nil },
			"payload.changes[0].certificate", documents.CodeChangeValuesMissing},
		{"values of another type", documents.Other, func(d *documents.BaseDocument) {
			d.Payload.Changes[0].Council = &documents.Council{ID: "x", Name: "y"}
		}, "payload.changes[0].council", documents.CodeChangeValuesMismatch},
		{"values of another record", documents.Other, func(d *documents.BaseDocument) { d.Payload.Changes[0].Certificate.Number = "201587" },
			"payload.changes[0].certificate.number", documents.CodeChangeTargetMismatch},
		{"close without reason", documents.Other, func(d *documents.BaseDocument) { d.Payload.Changes[1].Reason = " " },
			"payload.changes[1].reason", documents.CodeRequired},
		{"close with values", documents.Other, func(d *documents.BaseDocument) {
			c := *d.Payload.Changes[0].Certificate
			d.Payload.Changes[1].Certificate = &c
		}, "payload.changes[1].certificate", documents.CodeChangeValuesMismatch},
		{"same record twice", documents.Other, func(d *documents.BaseDocument) { d.Payload.Changes[1].TargetID = "201588" },
			"payload.changes[1].targetId", documents.CodeChangeTargetDuplicate},
		{"certificate type missing", documents.Other, func(d *documents.BaseDocument) { d.Payload.Changes[1].CertificateType = 0 },
			"payload.changes[1].certificateType", documents.CodeRequired},
		{"unknown action", documents.Other, func(d *documents.BaseDocument) { d.Payload.Changes[1].Action = "delete" },
			"payload.changes[1].action", documents.CodeEnum},
		{"unknown target", documents.Other, func(d *documents.BaseDocument) { d.Payload.Changes[1].Target = "person" },
			"payload.changes[1].target", documents.CodeEnum},
		{"changed certificate still checked", documents.Other, func(d *documents.BaseDocument) {
			d.Payload.Changes[0].Certificate.PersonalCode = "49207080150"
		}, "payload.changes[0].certificate.personalCode", documents.CodePersonalCodeCheckDigit},
		{"changed certificate may be issued before this document", documents.Other, func(d *documents.BaseDocument) {}, "", ""},
	})
	v := documents.NewValidator(documents.DefaultPolicy())
	for _, tc := range []struct {
		name  string
		ch    documents.Change
		field string
		code  deficiency.Code
	}{
		{"standard id not numeric", documents.Change{Target: documents.RecordStandard, TargetID: "K-1", TargetVersion: 1, Action: documents.ActionClose, Reason: "r"},
			"payload.changes[0].targetId", documents.CodeFormat},
		{"standard version missing", documents.Change{Target: documents.RecordStandard, TargetID: "10676419", Action: documents.ActionClose, Reason: "r"},
			"payload.changes[0].targetVersion", documents.CodeRequired},
		{"version on a council", documents.Change{Target: documents.RecordCouncil, TargetID: "x", TargetVersion: 2, Action: documents.ActionClose, Reason: "r"},
			"payload.changes[0].targetVersion", documents.CodeChangeValuesMismatch},
		{"awarding body code", documents.Change{Target: documents.RecordAwardingBody, TargetID: "80037515", Action: documents.ActionClose, Reason: "r"},
			"payload.changes[0].targetId", documents.CodeRegistryCodeCheckDigit},
		{"standard values of another version", documents.Change{Target: documents.RecordStandard, TargetID: "10676419", TargetVersion: 3, Action: documents.ActionChange,
			Standard: examples.Document(documents.StandardDecision).Payload.Standard}, "payload.changes[0].standard.id", documents.CodeChangeTargetMismatch},
		{"council values without a name", documents.Change{Target: documents.RecordCouncil, TargetID: "x", Action: documents.ActionChange,
			Council: &documents.Council{ID: "x"}}, "payload.changes[0].council.name", documents.CodeRequired},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := examples.Document(documents.Other)
			doc.Payload.Changes = []documents.Change{tc.ch}
			wantDeficiency(t, v.Rules(doc, examples.Today()), tc.field, tc.code)
		})
	}
}

// Rules also accepts documents built in Go (not decoded): the shape and the
// register-kept fields are checked there too.
func TestRulesOnADocumentBuiltInGo_R10(t *testing.T) {
	v := documents.NewValidator(documents.DefaultPolicy())
	doc := examples.Document(documents.CommitteeDecision)
	doc.Payload.Standard = &documents.Standard{}
	doc.Payload.Certificates[0].Closed = &documents.Closure{On: examples.Today()}
	defs := v.Rules(doc, examples.Today())
	wantDeficiency(t, defs, "payload.standard", documents.CodePayloadMismatch)
	wantDeficiency(t, defs, "payload.certificates[0].closed", documents.CodeRegisterOnly)
	for _, d := range defs {
		if strings.HasPrefix(d.Field, "payload.standard.") {
			t.Errorf("a misplaced payload is validated field by field: %v", d)
		}
	}
	if v.Rules(nil, examples.Today()) != nil {
		t.Error("nil document")
	}
}

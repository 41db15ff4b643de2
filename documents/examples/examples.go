// Package examples holds realistic base documents of every kind, the
// register they are consistent with, and a generator of large committee
// decisions for benchmarks. Tests here and elsewhere use them: integration
// tests seed MongoDB from Register(), and documents/testdata/examples holds
// the same documents as JSON (kept in sync by documents' tests).
//
// All people, personal codes and contacts are invented; the personal codes
// are well-formed, with correct check digits.
package examples

import (
	"time"

	"github.com/kutsekoda/alusdok/documents"
)

// Today returns the date on which every example is valid: the "today" to
// pass to Validate.
func Today() documents.Date { return documents.MustDate(2025, time.June, 30) }

// Identities used across the examples.
const (
	// EnergyCouncil is the Energeetika, kaevandamise ja keemiatööstuse
	// kutsenõukogu.
	EnergyCouncil = "energeetika-kaevandamine-keemia"
	// EngineeringCouncil is the Tehnika, tootmise ja töötleva tööstuse
	// kutsenõukogu.
	EngineeringCouncil = "tehnika-tootmine-tootlev-toostus"
	// EnvironmentCouncil is formed by the government-order example.
	EnvironmentCouncil = "keskkond-ringmajandus"

	// ElectriciansUnion is the registry code of the Eesti Elektritööde
	// Ettevõtjate Liit, the awarding body of the committee decision.
	ElectriciansUnion = "80037514"
	// RefrigerationUnion is the registry code of the Eesti Külmatehnika
	// Liit, granted a right by the awarding-right-decision example.
	RefrigerationUnion = "80214962"

	// ElectricianStandard is "Elektrik, tase 4" (version 4 in the register).
	ElectricianStandard = 10789561
	// RefrigerationStandard is "Külmamehaanik, tase 4" (version 3 in the
	// register; the standard-decision example approves version 4).
	RefrigerationStandard = 10676419
)

// Submitter returns the submitter entitled to submit the example of kind k:
// Kutsekoda for council, standard and awarding-body documents, the
// Eesti Elektritööde Ettevõtjate Liit for its certificates.
func Submitter(k documents.Kind) documents.Submitter {
	if k == documents.CommitteeDecision || k == documents.Other {
		return documents.Submitter{Organisation: ElectriciansUnion, Name: "Tiina Org"}
	}
	return documents.Submitter{Organisation: documents.Kutsekoda, Name: "Kadri Mets"}
}

func d(y int, m time.Month, day int) documents.Date { return documents.MustDate(y, m, day) }

var (
	kutsekodaContact = documents.Contact{Name: "Kadri Mets", Email: "kadri.mets@kutsekoda.ee", Phone: "+372 679 1700"}
	eetelContact     = documents.Contact{Name: "Tiina Org", Email: "tiina.org@eetel.ee", Phone: "+372 652 2210"}
)

// Document returns a fresh copy of the example of kind k (nil for an
// unknown kind). Every example passes Validate against Register() on Today()
// with no deficiency at all.
func Document(k documents.Kind) *documents.BaseDocument {
	switch k {
	case documents.GovernmentOrder:
		return governmentOrder()
	case documents.MinisterDirective:
		return ministerDirective()
	case documents.StandardDecision:
		return standardDecision()
	case documents.AwardingRightDecision:
		return awardingRightDecision()
	case documents.ProcedureDecision:
		return procedureDecision()
	case documents.CommitteeDecision:
		return committeeDecision()
	case documents.Other:
		return other()
	}
	return nil
}

func governmentOrder() *documents.BaseDocument {
	return &documents.BaseDocument{
		Kind:    documents.GovernmentOrder,
		Number:  "145",
		Date:    d(2025, time.April, 10),
		Issuer:  "Vabariigi Valitsus",
		Title:   "Keskkonna ja ringmajanduse kutsenõukogu moodustamine ja selle institutsionaalse koosseisu kinnitamine",
		Contact: kutsekodaContact,
		Payload: documents.Payload{Council: &documents.Council{
			ID:            EnvironmentCouncil,
			Name:          "Keskkonna ja ringmajanduse kutsenõukogu",
			FormationDate: d(2025, time.April, 10),
			Institutions: []documents.Institution{
				{Name: "Kliimaministeerium", Representatives: 2},
				{Name: "Haridus- ja Teadusministeerium", Representatives: 1},
				{Name: "Eesti Jäätmekäitlejate Liit", Representatives: 2},
				{Name: "Eesti Vee-ettevõtete Liit", Representatives: 1},
				{Name: "Eesti Ametiühingute Keskliit", Representatives: 1},
				{Name: "Tallinna Tehnikakõrgkool", Representatives: 1},
			},
			Fields: []string{"Jäätmekäitlus", "Vee- ja kanalisatsioonitehnika", "Keskkonnakaitse"},
		}},
	}
}

func ministerDirective() *documents.BaseDocument {
	from, until := d(2025, time.May, 1), d(2028, time.April, 30)
	return &documents.BaseDocument{
		Kind:    documents.MinisterDirective,
		Number:  "1.1-2/25/87",
		Date:    d(2025, time.April, 28),
		Issuer:  "Haridus- ja teadusminister",
		Title:   "Energeetika, kaevandamise ja keemiatööstuse kutsenõukogu isikkoosseisu kinnitamine",
		Contact: kutsekodaContact,
		Payload: documents.Payload{Council: &documents.Council{
			ID: EnergyCouncil,
			Members: []documents.Member{
				{Name: "Priit Vaher", Role: documents.RoleChair, Institution: "Eesti Elektritööde Ettevõtjate Liit", MandateFrom: from, MandateUntil: until},
				{Name: "Katrin Raud", Role: documents.RoleDeputyChair, Institution: "Elering AS", MandateFrom: from, MandateUntil: until},
				{Name: "Toomas Oja", Role: documents.RoleMember, Institution: "Eesti Energia AS", MandateFrom: from, MandateUntil: until},
				{Name: "Merike Sepp", Role: documents.RoleMember, Institution: "Haridus- ja Teadusministeerium", MandateFrom: from, MandateUntil: until},
				{Name: "Andres Kuld", Role: documents.RoleMember, Institution: "Tallinna Tehnikaülikool", MandateFrom: from, MandateUntil: until},
				{Name: "Ülle Rebane", Role: documents.RoleMember, Institution: "Eesti Ametiühingute Keskliit", MandateFrom: from, MandateUntil: until},
			},
		}},
	}
}

func standardDecision() *documents.BaseDocument {
	return &documents.BaseDocument{
		Kind:      documents.StandardDecision,
		Number:    "14",
		Date:      d(2025, time.May, 28),
		Issuer:    "Tehnika, tootmise ja töötleva tööstuse kutsenõukogu",
		CouncilID: EngineeringCouncil,
		Title:     "Kutsestandardi „Külmamehaanik, tase 4“ kinnitamine",
		Contact:   kutsekodaContact,
		Payload: documents.Payload{Standard: &documents.Standard{
			ID:               RefrigerationStandard,
			Version:          4,
			Title:            "Külmamehaanik, tase 4",
			Level:            4,
			RegistryMark:     "08-28052025-1.2/4k",
			ApprovedOn:       d(2025, time.May, 28),
			ApprovalDecision: "14",
			ValidFrom:        d(2025, time.May, 28),
			ValidUntil:       d(2030, time.May, 27),
			CouncilID:        EngineeringCouncil,
			ISCO:             "7127",
			ESCO:             "http://data.europa.eu/esco/isco/C7127",
			ISCED:            "0713",
			Area:             "Tehnika, tootmine ja töötlev tööstus",
			Field:            "Külmatehnika",
			Specialisations:  []string{"Kaubanduskülmutus", "Kliimaseadmed ja soojuspumbad"},
			Competences: []string{
				"Külmaseadmete paigaldamine",
				"Külmaseadmete hooldamine ja remont",
				"Külmaagensi käitlemine",
				"Elektriseadmete ühendamine",
			},
		}},
	}
}

func awardingRightDecision() *documents.BaseDocument {
	return &documents.BaseDocument{
		Kind:      documents.AwardingRightDecision,
		Number:    "16",
		Date:      d(2025, time.June, 4),
		Issuer:    "Tehnika, tootmise ja töötleva tööstuse kutsenõukogu",
		CouncilID: EngineeringCouncil,
		Title:     "Kutse andja õiguse andmine: Eesti Külmatehnika Liit",
		Contact:   kutsekodaContact,
		Payload: documents.Payload{AwardingBody: &documents.AwardingBody{
			RegistryCode: RefrigerationUnion,
			Name:         "Eesti Külmatehnika Liit",
			Seat:         "Tartu",
			Address:      "Ringtee 35, 50105 Tartu",
			Contacts:     documents.Contacts{Email: "kutse@kylmaliit.ee", Phone: "+372 744 0212", Website: "https://www.kylmaliit.ee"},
			Rights: []documents.Right{
				{StandardID: RefrigerationStandard, Levels: []int{4}, ValidFrom: d(2025, time.June, 4), ValidUntil: d(2030, time.June, 3)},
			},
		}},
	}
}

func procedureDecision() *documents.BaseDocument {
	return &documents.BaseDocument{
		Kind:      documents.ProcedureDecision,
		Number:    "7-2/2025",
		Date:      d(2025, time.May, 15),
		Issuer:    "Energeetika, kaevandamise ja keemiatööstuse kutsenõukogu",
		CouncilID: EnergyCouncil,
		Title:     "Eesti Elektritööde Ettevõtjate Liidu elektriala kutse andmise korra kinnitamine",
		Contact:   kutsekodaContact,
		Payload: documents.Payload{Procedure: &documents.AwardingProcedure{
			AwardingBody: ElectriciansUnion,
			Title:        "Elektriala kutse andmise kord",
			Standards:    []int{ElectricianStandard},
			ValidFrom:    d(2025, time.May, 15),
			Committee: documents.Committee{
				Name: "Elektriala kutsekomisjon",
				Members: []documents.Member{
					{Name: "Heiki Saar", Role: documents.RoleChair, Institution: "Eesti Elektritööde Ettevõtjate Liit"},
					{Name: "Marika Lill", Role: documents.RoleDeputyChair, Institution: "Tallinna Tööstushariduskeskus"},
					{Name: "Urmas Kivi", Role: documents.RoleMember, Institution: "Tarbijakaitse ja Tehnilise Järelevalve Amet"},
					{Name: "Sirje Noor", Role: documents.RoleMember, Institution: "Elektrilevi OÜ"},
					{Name: "Viktor Smirnov", Role: documents.RoleMember, Institution: "Ida-Virumaa Kutsehariduskeskus"},
				},
			},
		}},
	}
}

// electricianCertificate is a certificate "Elektrik, tase 4" issued by the
// Eesti Elektritööde Ettevõtjate Liit.
func electricianCertificate(number, given, family, personalCode string, issued documents.Date) documents.Certificate {
	return documents.Certificate{
		Number:       number,
		Type:         documents.OccupationalCertificate,
		GivenName:    given,
		FamilyName:   family,
		PersonalCode: personalCode,
		Standard:     documents.StandardRef{ID: ElectricianStandard, Version: 4},
		Level:        4,
		EQFLevel:     4,
		Competences:  []string{"Elektripaigaldise ehitamine", "Elektripaigaldise käidu korraldamine"},
		Field:        "Elektriala",
		ISCO:         "7411",
		Language:     "et",
		Issuer:       ElectriciansUnion,
		PlaceOfIssue: "Tallinn",
		IssuedOn:     issued,
		ValidFrom:    issued,
		ValidUntil:   documents.DateOf(issued.Time().AddDate(5, 0, -1)),
	}
}

func committeeDecision() *documents.BaseDocument {
	issued := d(2025, time.June, 12)
	certs := []documents.Certificate{
		electricianCertificate("214001", "Mart", "Kuusk", "39804172200", issued),
		electricianCertificate("214002", "Anastassia", "Ivanova", "60109030478", issued),
		electricianCertificate("214003", "Jaan", "Lepp", "37912305168", issued),
		electricianCertificate("214004", "Oleksandr", "Kovalenko", "", issued),
	}
	certs[1].Language = "ru"
	certs[1].HideName = true
	certs[3].BirthDate = d(1990, time.February, 14)
	certs[3].Language = "ru"
	certs[3].HideBirthDate = true
	// A duplicate of Kalle Tamm's lost certificate 201587.
	dup := electricianCertificate("214005", "Kalle", "Tamm", "38503122749", issued)
	dup.DuplicateOf = "201587"
	dup.ValidFrom, dup.ValidUntil = d(2024, time.November, 20), d(2029, time.November, 19)
	certs = append(certs, dup)
	return &documents.BaseDocument{
		Kind:    documents.CommitteeDecision,
		Number:  "EK-2025/14",
		Date:    issued,
		Issuer:  "Eesti Elektritööde Ettevõtjate Liidu elektriala kutsekomisjon",
		Title:   "Kutse andmine ja kutsetunnistuste väljaandmine: Elektrik, tase 4",
		Contact: eetelContact,
		Payload: documents.Payload{Certificates: certs},
	}
}

func other() *documents.BaseDocument {
	renamed := registerCertificates()[1]
	renamed.FamilyName = "Saar"
	return &documents.BaseDocument{
		Kind:    documents.Other,
		Number:  "EK-2025/15",
		Date:    d(2025, time.June, 20),
		Issuer:  "Eesti Elektritööde Ettevõtjate Liidu elektriala kutsekomisjon",
		Title:   "Kutsetunnistuse andmete parandamine ja kutsetunnistuse kehtetuks tunnistamine",
		Contact: eetelContact,
		Payload: documents.Payload{Changes: []documents.Change{
			{
				Target: documents.RecordCertificate, TargetID: "201588", CertificateType: documents.OccupationalCertificate,
				Action: documents.ActionChange, Reason: "Kutsetunnistuse saaja perekonnanimi on muutunud.",
				Certificate: &renamed,
			},
			{
				Target: documents.RecordCertificate, TargetID: "201589", CertificateType: documents.OccupationalCertificate,
				Action: documents.ActionClose, Reason: "Kutsekomisjoni otsusega tunnistati kutsetunnistus kehtetuks hindamisel ilmnenud rikkumise tõttu.",
			},
		}},
	}
}

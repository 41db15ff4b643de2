package examples

import (
	"time"

	"github.com/kutsekoda/alusdok/documents"
)

// Register returns a fresh in-memory register seeded with the councils,
// standards, awarding bodies and certificates the examples refer to. Use
// its Councils, Standards, AwardingBodies and Certificates methods to seed
// another store with the same data.
func Register() *documents.MemoryRegister {
	reg := documents.NewMemoryRegister()
	reg.PutCouncil(registerCouncils()...)
	reg.PutStandard(registerStandards()...)
	reg.PutAwardingBody(registerBodies()...)
	reg.PutCertificate(registerCertificates()...)
	return reg
}

func registerCouncils() []documents.Council {
	formed := d(2017, time.March, 2)
	from, until := d(2022, time.May, 1), d(2025, time.April, 30)
	return []documents.Council{
		{
			ID:            EnergyCouncil,
			Name:          "Energeetika, kaevandamise ja keemiatööstuse kutsenõukogu",
			FormationDate: formed,
			Institutions: []documents.Institution{
				{Name: "Eesti Elektritööde Ettevõtjate Liit", Representatives: 1},
				{Name: "Eesti Energia AS", Representatives: 1},
				{Name: "Elering AS", Representatives: 1},
				{Name: "Eesti Keemiatööstuse Liit", Representatives: 1},
				{Name: "Haridus- ja Teadusministeerium", Representatives: 1},
				{Name: "Majandus- ja Kommunikatsiooniministeerium", Representatives: 1},
				{Name: "Tallinna Tehnikaülikool", Representatives: 1},
				{Name: "Eesti Ametiühingute Keskliit", Representatives: 1},
			},
			Members: []documents.Member{
				{Name: "Priit Vaher", Role: documents.RoleChair, Institution: "Eesti Elektritööde Ettevõtjate Liit", MandateFrom: from, MandateUntil: until},
				{Name: "Toomas Oja", Role: documents.RoleDeputyChair, Institution: "Eesti Energia AS", MandateFrom: from, MandateUntil: until},
				{Name: "Katrin Raud", Role: documents.RoleMember, Institution: "Elering AS", MandateFrom: from, MandateUntil: until},
			},
			Fields: []string{"Elektriala", "Soojusenergeetika", "Kaevandamine", "Keemia"},
			Decisions: []documents.DecisionRef{
				{Kind: documents.StandardDecision, Number: "7", Date: d(2023, time.December, 13), Title: "Kutsestandardi „Elektrik, tase 4“ kinnitamine"},
			},
		},
		{
			ID:            EngineeringCouncil,
			Name:          "Tehnika, tootmise ja töötleva tööstuse kutsenõukogu",
			FormationDate: formed,
			Institutions: []documents.Institution{
				{Name: "Eesti Masinatööstuse Liit", Representatives: 2},
				{Name: "Eesti Külmatehnika Liit", Representatives: 1},
				{Name: "Haridus- ja Teadusministeerium", Representatives: 1},
				{Name: "Eesti Ametiühingute Keskliit", Representatives: 1},
			},
			Fields: []string{"Külmatehnika", "Metalli- ja masinatööstus", "Mehhatroonika"},
		},
	}
}

func registerStandards() []documents.Standard {
	return []documents.Standard{
		{
			ID: ElectricianStandard, Version: 4,
			Title: "Elektrik, tase 4", Level: 4,
			RegistryMark: "07-13122023-1.1/8k",
			ApprovedOn:   d(2023, time.December, 13), ApprovalDecision: "7",
			ValidFrom: d(2023, time.December, 13), ValidUntil: d(2028, time.December, 12),
			CouncilID: EnergyCouncil,
			ISCO:      "7411", ESCO: "http://data.europa.eu/esco/isco/C7411", ISCED: "0713",
			Area: "Energeetika, kaevandamine ja keemiatööstus", Field: "Elektriala",
			Competences: []string{"Elektripaigaldise ehitamine", "Elektripaigaldise käidu korraldamine"},
		},
		{
			ID: RefrigerationStandard, Version: 3,
			Title: "Külmamehaanik, tase 4", Level: 4,
			RegistryMark: "08-22052019-1.2/6k",
			ApprovedOn:   d(2019, time.May, 22), ApprovalDecision: "6",
			ValidFrom: d(2019, time.May, 22), ValidUntil: d(2025, time.May, 27),
			CouncilID: EngineeringCouncil,
			ISCO:      "7127", ISCED: "0713",
			Area: "Tehnika, tootmine ja töötlev tööstus", Field: "Külmatehnika",
		},
	}
}

func registerBodies() []documents.AwardingBody {
	return []documents.AwardingBody{{
		RegistryCode: ElectriciansUnion,
		Name:         "Eesti Elektritööde Ettevõtjate Liit",
		Seat:         "Tallinn",
		Address:      "Kadaka tee 36, 10621 Tallinn",
		Contacts:     documents.Contacts{Email: "kutse@eetel.ee", Phone: "+372 652 2210", Website: "https://www.eetel.ee"},
		Rights: []documents.Right{
			{StandardID: ElectricianStandard, Levels: []int{4}, ValidFrom: d(2023, time.January, 1), ValidUntil: d(2027, time.December, 31)},
		},
	}}
}

func registerCertificates() []documents.Certificate {
	issued := d(2024, time.November, 20)
	certs := []documents.Certificate{
		electricianCertificate("201587", "Kalle", "Tamm", "38503122749", issued),
		electricianCertificate("201588", "Liis", "Kask", "49207080151", issued),
		electricianCertificate("201589", "Rein", "Põld", "38810233310", issued),
	}
	for i := range certs {
		certs[i].ValidUntil = d(2029, time.November, 19)
	}
	return certs
}

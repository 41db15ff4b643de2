package examples

import (
	"fmt"
	"time"

	"github.com/kutsekoda/alusdok/documents"
)

var (
	givenNames  = []string{"Mart", "Kristi", "Andres", "Triin", "Rasmus", "Kadri", "Siim", "Maarja", "Jüri", "Helen", "Tõnu", "Ülle", "Aleksei", "Jelena"}
	familyNames = []string{"Tamm", "Saar", "Sepp", "Mägi", "Kask", "Kukk", "Rebane", "Ilves", "Pärn", "Koppel", "Lepik", "Kuusk", "Ivanov", "Smirnova"}
)

// GenerateCommitteeDecision returns a committee decision of the Eesti
// Elektritööde Ettevõtjate Liit awarding "Elektrik, tase 4" to n people,
// each with a distinct, valid personal code and a distinct certificate
// number. It passes Validate against Register() on Today() (for n up to the
// policy's MaxCertificates) and is meant for benchmarks and load tests.
func GenerateCommitteeDecision(n int) *documents.BaseDocument {
	issued := d(2025, time.June, 12)
	born := d(1960, time.January, 1)
	const days = 15000 // birth dates 1960-01-01 … 2001-01-25
	certs := make([]documents.Certificate, n)
	for i := range certs {
		sex := documents.Male
		if i%2 == 1 {
			sex = documents.Female
		}
		// (birth date, serial) is distinct for every i below 15,000,000.
		code, err := documents.NewPersonalCode(born.AddDays(i%days), sex, (i/days)%1000)
		if err != nil {
			panic(fmt.Sprintf("examples: generate personal code %d: %v", i, err))
		}
		certs[i] = electricianCertificate(
			fmt.Sprintf("G%07d", i+1),
			givenNames[i%len(givenNames)],
			familyNames[(i/len(givenNames))%len(familyNames)],
			code, issued)
	}
	return &documents.BaseDocument{
		Kind:    documents.CommitteeDecision,
		Number:  fmt.Sprintf("EK-2025/G%d", n),
		Date:    issued,
		Issuer:  "Eesti Elektritööde Ettevõtjate Liidu elektriala kutsekomisjon",
		Title:   "Kutse andmine ja kutsetunnistuste väljaandmine: Elektrik, tase 4",
		Contact: eetelContact,
		Payload: documents.Payload{Certificates: certs},
	}
}

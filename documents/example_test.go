package documents_test

import (
	"context"
	"fmt"
	"time"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
)

// A committee decision with a mistyped personal code, checked as the
// awarding body submits it. The deficiency names the field, never the
// value.
func ExampleValidator_Validate() {
	v := documents.NewValidator(documents.DefaultPolicy())
	raw := []byte(`{
	  "kind": "committee-decision", "number": "EK-2025/14", "date": "2025-06-12",
	  "issuer": "Eesti Elektritööde Ettevõtjate Liidu elektriala kutsekomisjon",
	  "title": "Kutse andmine: Elektrik, tase 4",
	  "contact": {"name": "Tiina Org", "email": "tiina.org@eetel.ee"},
	  "payload": {"certificates": [{
	    "number": "214001", "type": 1, "givenName": "Mart", "familyName": "Kuusk",
	    "personalCode": "39804172201", "standard": {"id": 10789561, "version": 4},
	    "level": 4, "issuer": "80037514", "placeOfIssue": "Tallinn",
	    "issuedOn": "2025-06-12", "validFrom": "2025-06-12", "validUntil": "2030-06-11"
	  }]}
	}`)
	sub := documents.Submitter{Organisation: examples.ElectriciansUnion, Name: "Tiina Org"}
	today := documents.DateOf(time.Date(2025, time.June, 30, 9, 0, 0, 0, time.UTC)) // the caller's clock
	_, defs, err := v.Validate(context.Background(), raw, sub, examples.Register(), today)
	if err != nil {
		fmt.Println("register unreachable:", err)
		return
	}
	for _, d := range defs {
		fmt.Printf("%s %s: %s\n", d.Field, d.Code, d.Message.ET)
	}
	// Output:
	// payload.certificates[0].personalCode personal-code.check-digit: Isikukoodi kontrollnumber ei klapi.
}

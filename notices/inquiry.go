package notices

import (
	"fmt"
	"strings"
	"time"
)

// KindInquiry is the inquiry to the submitter about reported data (R13.3,
// R14). It is kept in this file of its own; letter.go's subject lines name
// it "Teade" until they learn its words.
const KindInquiry Kind = "inquiry"

// Inquiry asks the submitter about register data that was reported wrong
// (R13.3): access to it is closed until its correctness is established
// (R14.1), and corrected data is due within the correction deadline (R14.2)
// as a new base document (R14.3). It names the record by its own number,
// never the holder.
type Inquiry struct {
	Header
	// Record names the record: "kutsetunnistus 214001".
	Record string `json:"record"`
	// ReportedBy says who reported, in Estonian: "isik, keda andmed puudutavad".
	ReportedBy string `json:"reportedBy"`
	// Reason is what the report says is wrong (personal codes redacted).
	Reason string `json:"reason"`
	// Deadline is the last day for the correction (R14.2).
	Deadline time.Time `json:"deadline"`
}

// Kind implements Notice.
func (Inquiry) Kind() Kind { return KindInquiry }

// Validate implements Notice.
func (n Inquiry) Validate() error {
	missing := n.validate()
	if strings.TrimSpace(n.Record) == "" {
		missing = append(missing, "record")
	}
	if n.Deadline.IsZero() {
		missing = append(missing, "deadline")
	}
	return invalid(n.Kind(), missing)
}

// body implements Notice (R13.3, R14).
func (n Inquiry) body(w *letterWriter) {
	w.para("Kutseregistri pidamise põhimääruse § 13 lõike 3 ja § 14 alusel teatame, et Teie esitatud " +
		"ja kutseregistrisse kantud andmete õigsus on vaidlustatud. Andmetele on juurdepääs suletud " +
		"kuni nende õigsuse väljaselgitamiseni.")
	facts := []fact{{label: "Andmed", value: clean(n.Record), strong: true}}
	if rb := clean(n.ReportedBy); rb != "" {
		facts = append(facts, fact{label: "Teataja", value: rb})
	}
	facts = append(facts, fact{label: "Parandamise tähtaeg", value: w.date(n.Deadline), strong: true})
	w.facts(facts)
	if r := clean(n.Reason); r != "" {
		w.heading("Teate sisu")
		w.para(r)
	}
	w.para(fmt.Sprintf("Palume andmed üle kontrollida. Kui andmed on ebaõiged, palume esitada "+
		"hiljemalt %s uue alusdokumendi (muu dokument, millega andmeid muudetakse või suletakse, "+
		"või uus otsus). Kui andmed on õiged, palume sellest menetlejale teatada.", w.date(n.Deadline)))
}

package notices

import (
	"fmt"
	"strconv"

	"github.com/kutsekoda/alusdok/deficiency"
)

// deficiencyTable lists deficiencies in words: number, where (the
// field's Estonian label and row) and what is wrong.
func (w *letterWriter) deficiencyTable(list deficiency.List) {
	texts := describe(list)
	rows := make([][]string, len(texts))
	for i, d := range texts {
		rows[i] = []string{strconv.Itoa(i + 1), d.where, d.what}
	}
	w.table([]column{
		{"Nr", 28},
		{"Kus", 170},
		{"Puudus", textW - 198},
	}, rows)
	w.gap(12)
}

// body implements Notice (R12.2).
func (n CorrectionRequest) body(w *letterWriter) {
	w.para("Kutseregistri pidamise põhimääruse § 12 lõike 2 alusel teatame, et Teie esitatud " +
		"alusdokumendi andmetes on puudused, mistõttu ei saa andmeid kutseregistrisse kanda.")
	w.heading(fmt.Sprintf("Puudused (%d)", len(n.Deficiencies)))
	w.deficiencyTable(n.Deficiencies)
	w.para(fmt.Sprintf("Palume esitada parandatud dokumendid hiljemalt %s. "+
		"Andmete kutseregistrisse kandmise tähtaeg hakkab kulgema parandatud dokumentide saamisest. "+
		"Kui parandatud dokumente selleks ajaks ei esitata, otsustab menetleja andmete kandmise "+
		"või sellest keeldumise.", w.date(n.Limit)))
}

// body implements Notice (R12.3).
func (n Extension) body(w *letterWriter) {
	w.para("Kutseregistri pidamise põhimääruse § 12 lõike 3 alusel teatame, et Teie esitatud " +
		"andmete kutseregistrisse kandmise tähtaega pikendatakse.")
	var facts []fact
	if !n.PreviousDeadline.IsZero() {
		facts = append(facts, fact{label: "Senine tähtaeg", value: w.date(n.PreviousDeadline)})
	}
	facts = append(facts, fact{label: "Uus tähtaeg", value: w.date(n.NewDeadline), strong: true})
	if n.TotalWorkingDays > 0 {
		facts = append(facts, fact{label: "Pikendus kokku", value: workingDays(n.TotalWorkingDays)})
	}
	w.facts(facts)
	w.heading("Pikendamise põhjus")
	w.para(clean(n.Reason))
}

// workingDays is "1 tööpäev", "5 tööpäeva".
func workingDays(n int) string {
	if n == 1 {
		return "1 tööpäev"
	}
	return strconv.Itoa(n) + " tööpäeva"
}

// body implements Notice (R12.4, entered).
func (n Entry) body(w *letterWriter) {
	w.para(fmt.Sprintf("Kutseregistri pidamise põhimääruse § 12 lõike 4 alusel teatame, et Teie "+
		"esitatud alusdokumendi andmed kanti kutseregistrisse %s.", w.date(n.EnteredAt)))
	w.heading(fmt.Sprintf("Tehtud kanded (%d)", len(n.Records)))
	rows := make([][]string, len(n.Records))
	// The entry number's column is as wide as the longest number (up to
	// 200 pt), so that a number is never broken over lines.
	numberW := 110.0
	for i, r := range n.Records {
		rows[i] = []string{strconv.Itoa(i + 1), clean(r.EntryNumber), clean(r.Kind), clean(r.Identifier)}
		numberW = max(numberW, min(200, w.m.width(w.m.safe(rows[i][1]), styleCell.font, styleCell.size)+2*cellPad+4))
	}
	rest := textW - 30 - numberW
	w.table([]column{
		{"Nr", 30},
		{"Kande number", numberW},
		{"Kantud andmed", rest * 0.5},
		{"Tunnus", rest * 0.5},
	}, rows)
	w.gap(12)
	w.para("Teade ei sisalda kutsetunnistuste omanike isikuandmeid. Kantud andmeid saab vaadata kutseregistris.")
}

// body implements Notice (R12.4, refused).
func (n Refusal) body(w *letterWriter) {
	w.para("Kutseregistri pidamise põhimääruse § 12 lõike 4 alusel teatame, et Teie esitatud " +
		"alusdokumendi andmete kutseregistrisse kandmisest keeldutakse.")
	w.heading("Keeldumise põhjused")
	w.numbered(n.Reasons)
	if len(n.Deficiencies) > 0 {
		w.heading(fmt.Sprintf("Puudused (%d)", len(n.Deficiencies)))
		w.deficiencyTable(n.Deficiencies)
	}
	w.para("Andmete kutseregistrisse kandmiseks palume esitada uued, nõuetele vastavad dokumendid.")
}

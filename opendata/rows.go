package opendata

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/kutsekoda/alusdok/documents"
)

func date(d documents.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func closedOn(c *documents.Closure) string {
	if c == nil {
		return ""
	}
	return date(c.On)
}

// StandardRow is a standard as a row of the standards dataset.
func StandardRow(s documents.Standard) Row {
	return Row{
		"id": s.ID, "versioon": s.Version, "nimetus": s.Title, "ekrtase": s.Level, "registritahis": s.RegistryMark,
		"kinnitatud": date(s.ApprovedOn), "otsus": s.ApprovalDecision, "muudetud": date(s.AmendedOn),
		"muutmisotsus": s.AmendmentDecision, "kehtibalates": date(s.ValidFrom), "kehtibkuni": date(s.ValidUntil),
		"kutsenoukogu": s.CouncilID, "isco": s.ISCO, "esco": s.ESCO, "isced": s.ISCED, "valdkond": s.Area,
		"kutseala": s.Field, "spetsialiseerumine": s.Specialisations, "osakutse": s.PartialQualifications,
		"suletud": closedOn(s.Closed),
	}
}

// CompetenceRows are a standard's competences as rows.
func CompetenceRows(s documents.Standard) []Row {
	out := make([]Row, len(s.Competences))
	for i, c := range s.Competences {
		out[i] = Row{"standard": s.ID, "versioon": s.Version, "nr": i + 1, "nimetus": c}
	}
	return out
}

// AwardingBodyRow is an awarding body with its rights; its procedures'
// committee members are people and are left out.
func AwardingBodyRow(b documents.AwardingBody) Row {
	rights := make([]Row, len(b.Rights))
	for i, r := range b.Rights {
		levels := make([]string, len(r.Levels))
		for j, l := range r.Levels {
			levels[j] = strconv.Itoa(l)
		}
		rights[i] = Row{"standard": r.StandardID, "tasemed": strings.Join(levels, ","),
			"kehtibalates": date(r.ValidFrom), "kehtibkuni": date(r.ValidUntil), "tuhistatud": date(r.RevokedOn)}
	}
	return Row{
		"registrikood": b.RegistryCode, "nimi": b.Name, "asukoht": b.Seat, "aadress": b.Address,
		"epost": b.Contacts.Email, "telefon": b.Contacts.Phone, "koduleht": b.Contacts.Website,
		"oigus": rights, "suletud": closedOn(b.Closed),
	}
}

// CouncilRow is a council by its institutional composition: members are
// counted, never named.
func CouncilRow(c documents.Council) Row {
	inst := make([]Row, len(c.Institutions))
	for i, in := range c.Institutions {
		inst[i] = Row{"nimi": in.Name, "esindajaid": in.Representatives}
	}
	return Row{"kood": c.ID, "nimi": c.Name, "moodustatud": date(c.FormationDate), "asutus": inst,
		"liikmeid": len(c.Members), "kutseala": c.Fields, "suletud": closedOn(c.Closed)}
}

// ClassifierRows are the values of the qualification system's classifiers.
func ClassifierRows() []Row {
	var out []Row
	add := func(cl, code, et, en string) {
		out = append(out, Row{"klassifikaator": cl, "kood": code, "nimetus": et, "nimetusEN": en})
	}
	for l := 1; l <= 8; l++ {
		add("ekrtase", strconv.Itoa(l), "EKR tase "+strconv.Itoa(l), "EstQF level "+strconv.Itoa(l))
	}
	add("tyyp", "1", "kutsetunnistus", "certificate of qualification")
	add("tyyp", "2", "osakutsetunnistus", "certificate of partial qualification")
	add("tyyp", "3", "esmane kutse", "first qualification")
	add("roll", string(documents.RoleChair), "esimees", "chair")
	add("roll", string(documents.RoleDeputyChair), "aseesimees", "deputy chair")
	add("roll", string(documents.RoleMember), "liige", "member")
	for _, k := range documents.Kinds() {
		if info, ok := k.Info(); ok {
			add("alusdokument", string(k), info.NameET, info.NameEN)
		}
	}
	return out
}

// Stats counts certificates into the cells of the qualifications dataset.
// Its memory grows with the cells (year × standard × level × type ×
// awarding body), not with the certificates.
type Stats struct {
	cells map[cell]int
}

type cell struct {
	year, standard, version, level, typ int
	issuer                              string
}

// NewStats returns empty statistics.
func NewStats() *Stats { return &Stats{cells: map[cell]int{}} }

// Add counts one certificate.
func (s *Stats) Add(c *documents.Certificate) {
	s.cells[cell{c.IssuedOn.Year(), c.Standard.ID, c.Standard.Version, c.Level, int(c.Type), c.Issuer}]++
}

// Rows are the cells with at least minCell certificates (smaller ones
// would single people out, and are left out), newest year first; titles
// names standards by "id v version", names awarding bodies by code.
func (s *Stats) Rows(minCell int, titles map[string]string, names map[string]string) (rows []Row, suppressed int) {
	keys := make([]cell, 0, len(s.cells))
	for k, n := range s.cells {
		if n < minCell {
			suppressed++
			continue
		}
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b cell) int {
		return cmp.Or(cmp.Compare(b.year, a.year), cmp.Compare(a.standard, b.standard), cmp.Compare(a.version, b.version),
			cmp.Compare(a.level, b.level), cmp.Compare(a.typ, b.typ), strings.Compare(a.issuer, b.issuer))
	})
	for _, k := range keys {
		rows = append(rows, Row{"aasta": k.year, "standard": k.standard, "versioon": k.version,
			"kutse": titles[StandardKey(k.standard, k.version)], "ekrtase": k.level, "tyyp": k.typ,
			"valjastaja": k.issuer, "valjastajaNimi": names[k.issuer], "arv": s.cells[k]})
	}
	return rows, suppressed
}

// StandardKey keys a standard's title.
func StandardKey(id, version int) string { return strconv.Itoa(id) + "v" + strconv.Itoa(version) }

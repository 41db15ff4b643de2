// Package opendata writes the register's open data (SPEC.md "Open data",
// R15): six datasets in XML with the register's own element names, each
// with its XSD, and the same data as JSON and CSV; the explanatory document
// generated from the XSDs' annotations; and DCAT-AP catalogue metadata. It
// knows nothing of where the rows come from: the caller streams them in,
// and every writer streams out. Nothing personal is ever written: there is
// no element for a name, personal code or birth date, and certificates are
// published only as counts.
package opendata

// Elem is one element of a dataset's item: a simple value, a list of
// simple values (List names the wrapper, Name the repeated item), or a list
// of structured items (Children).
type Elem struct {
	Name     string
	Type     string // xs:string, xs:int, xs:date, xs:boolean
	Doc      string // Estonian; English after " / "
	Optional bool
	List     string // the wrapper element of a repeated Name
	Children []Elem // the repeated Name is structured
}

// Dataset is one open dataset.
type Dataset struct {
	ID      string // file name and URL slug, as the register's own
	Title   string
	TitleEN string
	Doc     string
	Root    string // the XML root element
	Item    string // one row's element
	Fields  []Elem
}

// Row is one item: element name → string, int, bool, []string or []Row.
type Row map[string]any

const (
	xsString = "xs:string"
	xsInt    = "xs:int"
	xsDate   = "xs:date"
	xsBool   = "xs:boolean"
)

// Dataset IDs.
const (
	Qualifications = "valjastatudKutsed"
	Standards      = "kutsestandardid"
	Competences    = "kompetentsid"
	AwardingBodies = "kutseAndjad"
	Councils       = "kutsenoukogud"
	Classifier     = "klassifikaatorid"
)

// Datasets are the six open datasets, in the register's order.
var Datasets = []Dataset{
	{
		ID: Qualifications, Title: "Väljastatud kutsed (tunnistused)", TitleEN: "Qualifications issued (certificates)",
		Doc:  "Väljastatud kutsetunnistuste arv umbisikustatud statistilisel kujul: aasta, kutsestandard ja versioon, tase, tunnistuse tüüp ja kutse andja kaupa. Väiksemad lahtrid kui avaldamise piir on välja jäetud. / Certificates issued, as anonymised counts; cells below the publication threshold are left out.",
		Root: "valjastatudKutsed", Item: "kutse",
		Fields: []Elem{
			{Name: "aasta", Type: xsInt, Doc: "Väljaandmise aasta / Year of issue"},
			{Name: "standard", Type: xsInt, Doc: "Kutsestandardi numbriline id / Numeric id of the occupational standard"},
			{Name: "versioon", Type: xsInt, Doc: "Kutsestandardi versioon / Version of the standard"},
			{Name: "kutse", Type: xsString, Doc: "Kutse nimetus (kutsestandardi pealkiri) / Title of the qualification", Optional: true},
			{Name: "ekrtase", Type: xsInt, Doc: "Eesti kvalifikatsiooniraamistiku tase (1–8) / EstQF level"},
			{Name: "tyyp", Type: xsInt, Doc: "Tunnistuse tüüp: 1 kutsetunnistus, 2 osakutsetunnistus, 3 esmane kutse / Certificate type"},
			{Name: "valjastaja", Type: xsString, Doc: "Kutse andja registrikood / Registry code of the awarding body"},
			{Name: "valjastajaNimi", Type: xsString, Doc: "Kutse andja nimi / Name of the awarding body", Optional: true},
			{Name: "arv", Type: xsInt, Doc: "Väljastatud tunnistuste arv / Number of certificates issued"},
		},
	},
	{
		ID: Standards, Title: "Kutsestandardid", TitleEN: "Occupational standards",
		Doc:  "Kutsestandardid kõigi versioonidega. / Occupational standards, every version.",
		Root: "kutsestandardid", Item: "kutsestandard",
		Fields: []Elem{
			{Name: "id", Type: xsInt, Doc: "Kutsestandardi numbriline id / Numeric id"},
			{Name: "versioon", Type: xsInt, Doc: "Versioon / Version"},
			{Name: "nimetus", Type: xsString, Doc: "Pealkiri, nt „Külmamehaanik, tase 4“ / Title"},
			{Name: "ekrtase", Type: xsInt, Doc: "Kvalifikatsioonitase (1–8) / EstQF level"},
			{Name: "registritahis", Type: xsString, Doc: "Registritähis / Registry mark"},
			{Name: "kinnitatud", Type: xsDate, Doc: "Kinnitamise kuupäev / Approval date"},
			{Name: "otsus", Type: xsString, Doc: "Kinnitamise otsuse number / Approval decision number"},
			{Name: "muudetud", Type: xsDate, Doc: "Muutmise kuupäev / Amendment date", Optional: true},
			{Name: "muutmisotsus", Type: xsString, Doc: "Muutmise otsuse number / Amendment decision number", Optional: true},
			{Name: "kehtibalates", Type: xsDate, Doc: "Kehtib alates / Valid from"},
			{Name: "kehtibkuni", Type: xsDate, Doc: "Kehtib kuni / Valid until", Optional: true},
			{Name: "kutsenoukogu", Type: xsString, Doc: "Kinnitanud kutsenõukogu kood / Approving council", Optional: true},
			{Name: "isco", Type: xsString, Doc: "ISCO-08 ametikood / ISCO-08 code", Optional: true},
			{Name: "esco", Type: xsString, Doc: "ESCO amet / ESCO occupation", Optional: true},
			{Name: "isced", Type: xsString, Doc: "ISCED-F 2013 õppevaldkond / ISCED-F field", Optional: true},
			{Name: "valdkond", Type: xsString, Doc: "Valdkond / Field of activity", Optional: true},
			{Name: "kutseala", Type: xsString, Doc: "Kutseala / Occupational field", Optional: true},
			{Name: "spetsialiseerumine", List: "spetsialiseerumised", Type: xsString, Doc: "Spetsialiseerumine / Specialisation", Optional: true},
			{Name: "osakutse", List: "osakutsed", Type: xsString, Doc: "Osakutse / Partial qualification", Optional: true},
			{Name: "suletud", Type: xsDate, Doc: "Suletud (kehtetu) alates / Closed from", Optional: true},
		},
	},
	{
		ID: Competences, Title: "Kompetentsid", TitleEN: "Competences",
		Doc:  "Kutsestandardite kompetentsid. / The competences of the occupational standards.",
		Root: "kompetentsid", Item: "kompetents",
		Fields: []Elem{
			{Name: "standard", Type: xsInt, Doc: "Kutsestandardi numbriline id / Numeric id of the standard"},
			{Name: "versioon", Type: xsInt, Doc: "Kutsestandardi versioon / Version of the standard"},
			{Name: "nr", Type: xsInt, Doc: "Kompetentsi järjekorranumber standardis / Position in the standard"},
			{Name: "nimetus", Type: xsString, Doc: "Kompetentsi nimetus / Title of the competence"},
		},
	},
	{
		ID: AwardingBodies, Title: "Kutse andjad", TitleEN: "Awarding bodies",
		Doc:  "Kutse andjad ja nende kutse andmise õigused. / Awarding bodies and their awarding rights.",
		Root: "kutseAndjad", Item: "kutseAndja",
		Fields: []Elem{
			{Name: "registrikood", Type: xsString, Doc: "Äriregistri kood / Business register code"},
			{Name: "nimi", Type: xsString, Doc: "Nimi / Name"},
			{Name: "asukoht", Type: xsString, Doc: "Asukoht / Seat"},
			{Name: "aadress", Type: xsString, Doc: "Aadress / Address"},
			{Name: "epost", Type: xsString, Doc: "E-post / E-mail", Optional: true},
			{Name: "telefon", Type: xsString, Doc: "Telefon / Phone", Optional: true},
			{Name: "koduleht", Type: xsString, Doc: "Koduleht / Website", Optional: true},
			{Name: "oigus", List: "oigused", Doc: "Kutse andmise õigus / Awarding right", Optional: true, Children: []Elem{
				{Name: "standard", Type: xsInt, Doc: "Kutsestandardi numbriline id / Numeric id of the standard"},
				{Name: "tasemed", Type: xsString, Doc: "Tasemed, komaga eraldatud / Levels, comma-separated"},
				{Name: "kehtibalates", Type: xsDate, Doc: "Kehtib alates / Valid from"},
				{Name: "kehtibkuni", Type: xsDate, Doc: "Kehtib kuni / Valid until"},
				{Name: "tuhistatud", Type: xsDate, Doc: "Tühistatud / Revoked on", Optional: true},
			}},
			{Name: "suletud", Type: xsDate, Doc: "Suletud alates / Closed from", Optional: true},
		},
	},
	{
		ID: Councils, Title: "Kutsenõukogud", TitleEN: "Professional councils",
		Doc:  "Kutsenõukogud, nende institutsionaalne koosseis ja kutsealad; liikmeid nimeliselt ei avaldata. / Professional councils; members are not published by name.",
		Root: "kutsenoukogud", Item: "kutsenoukogu",
		Fields: []Elem{
			{Name: "kood", Type: xsString, Doc: "Kutsenõukogu kood / Council id"},
			{Name: "nimi", Type: xsString, Doc: "Nimi / Name", Optional: true},
			{Name: "moodustatud", Type: xsDate, Doc: "Moodustamise kuupäev / Formation date", Optional: true},
			{Name: "asutus", List: "asutused", Doc: "Esindatud asutus / Represented institution", Optional: true, Children: []Elem{
				{Name: "nimi", Type: xsString, Doc: "Asutuse nimi / Institution"},
				{Name: "esindajaid", Type: xsInt, Doc: "Esindajate arv / Number of representatives"},
			}},
			{Name: "liikmeid", Type: xsInt, Doc: "Liikmete arv / Number of members"},
			{Name: "kutseala", List: "kutsealad", Type: xsString, Doc: "Kutseala / Occupational field", Optional: true},
			{Name: "suletud", Type: xsDate, Doc: "Suletud alates / Closed from", Optional: true},
		},
	},
	{
		ID: Classifier, Title: "Kutsesüsteemi klassifikaator", TitleEN: "Classifier of the qualification system",
		Doc:  "Kutsesüsteemi klassifikaatorite väärtused: tasemed, tunnistuste tüübid, alusdokumentide liigid, rollid. / The values of the qualification system's classifiers.",
		Root: "klassifikaatorid", Item: "vaartus",
		Fields: []Elem{
			{Name: "klassifikaator", Type: xsString, Doc: "Klassifikaatori nimi / Classifier"},
			{Name: "kood", Type: xsString, Doc: "Kood / Code"},
			{Name: "nimetus", Type: xsString, Doc: "Nimetus eesti keeles / Name in Estonian"},
			{Name: "nimetusEN", Type: xsString, Doc: "Nimetus inglise keeles / Name in English", Optional: true},
		},
	},
}

// Lookup returns the dataset with id.
func Lookup(id string) (Dataset, bool) {
	for _, d := range Datasets {
		if d.ID == id {
			return d, true
		}
	}
	return Dataset{}, false
}

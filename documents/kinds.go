package documents

// Kind is one of the seven kinds of base document (alusdokument) that
// R10 lists. Its values are the ids SPEC.md uses.
type Kind string

// The seven kinds of base document, in the order of R10.
const (
	GovernmentOrder       Kind = "government-order"
	MinisterDirective     Kind = "minister-directive"
	StandardDecision      Kind = "standard-decision"
	AwardingRightDecision Kind = "awarding-right-decision"
	ProcedureDecision     Kind = "procedure-decision"
	CommitteeDecision     Kind = "committee-decision"
	Other                 Kind = "other"
)

// Kinds returns all seven kinds in the order of R10.
func Kinds() []Kind {
	return []Kind{
		GovernmentOrder, MinisterDirective, StandardDecision,
		AwardingRightDecision, ProcedureDecision, CommitteeDecision, Other,
	}
}

// SubmittedBy says who may submit a kind of base document (R11.1).
type SubmittedBy string

const (
	// ByKutsekoda: council, standard and awarding-body data (R6, R7, R9).
	ByKutsekoda SubmittedBy = "kutsekoda"
	// ByAwardingBody: certificates (R8), each body only its own.
	ByAwardingBody SubmittedBy = "awarding-body"
	// ByTarget: an "other" document is submitted by whoever submits the
	// data it changes — Kutsekoda for R6/R7/R9 records, the awarding body
	// for its R8 certificates.
	ByTarget SubmittedBy = "by-target"
)

// KindInfo holds the fixed facts about a kind.
type KindInfo struct {
	Kind Kind
	// Statute is the provision the kind comes from ("§ 10 p 1").
	Statute string
	// NameET and NameEN are the short human names
	// ("Vabariigi Valitsuse korraldus"); TitleET and TitleEN the full
	// statutory descriptions.
	NameET, NameEN   string
	TitleET, TitleEN string
	// SubmittedBy is who may submit it (R11.1).
	SubmittedBy SubmittedBy
	// CouncilDecision marks the council decisions, which are recorded in
	// the council's record (R6.6) and name the council in councilId.
	CouncilDecision bool
	// PayloadField is the JSON name of the one payload field the kind
	// carries (payload.certificates for a committee decision).
	PayloadField string
}

// Info returns the facts about k; ok is false for an unknown kind.
func (k Kind) Info() (info KindInfo, ok bool) {
	switch k {
	case GovernmentOrder:
		return KindInfo{
			Kind: k, Statute: "§ 10 p 1",
			NameET: "Vabariigi Valitsuse korraldus", NameEN: "Government order",
			TitleET:     "Vabariigi Valitsuse korraldus kutsenõukogu moodustamise ja selle institutsionaalse koosseisu kinnitamise kohta",
			TitleEN:     "Government order forming a professional council and approving its institutional composition",
			SubmittedBy: ByKutsekoda, PayloadField: "council",
		}, true
	case MinisterDirective:
		return KindInfo{
			Kind: k, Statute: "§ 10 p 2",
			NameET: "Haridus- ja teadusministri käskkiri", NameEN: "Minister's directive",
			TitleET:     "Haridus- ja teadusministri käskkiri kutsenõukogu isikkoosseisu kinnitamise kohta",
			TitleEN:     "Directive of the Minister of Education and Research approving the personal composition of a professional council",
			SubmittedBy: ByKutsekoda, PayloadField: "council",
		}, true
	case StandardDecision:
		return KindInfo{
			Kind: k, Statute: "§ 10 p 3",
			NameET: "Kutsenõukogu otsus kutsestandardi kohta", NameEN: "Council decision on an occupational standard",
			TitleET:     "Kutsenõukogu otsus kutsestandardi kinnitamise või muutmise kohta",
			TitleEN:     "Professional council decision approving or amending an occupational standard",
			SubmittedBy: ByKutsekoda, CouncilDecision: true, PayloadField: "standard",
		}, true
	case AwardingRightDecision:
		return KindInfo{
			Kind: k, Statute: "§ 10 p 4",
			NameET: "Kutsenõukogu otsus kutse andja õiguse kohta", NameEN: "Council decision on an awarding right",
			TitleET:     "Kutsenõukogu otsus kutse andja õiguse andmise või selle kehtetuks tunnistamise kohta",
			TitleEN:     "Professional council decision granting or revoking the right of an awarding body",
			SubmittedBy: ByKutsekoda, CouncilDecision: true, PayloadField: "awardingBody",
		}, true
	case ProcedureDecision:
		return KindInfo{
			Kind: k, Statute: "§ 10 p 5",
			NameET: "Kutsenõukogu otsus kutse andmise korra kohta", NameEN: "Council decision on an awarding procedure",
			TitleET:     "Kutsenõukogu otsus kutse andmise korra kinnitamise kohta",
			TitleEN:     "Professional council decision approving an awarding procedure",
			SubmittedBy: ByKutsekoda, CouncilDecision: true, PayloadField: "procedure",
		}, true
	case CommitteeDecision:
		return KindInfo{
			Kind: k, Statute: "§ 10 p 6",
			NameET: "Kutsekomisjoni otsus", NameEN: "Qualification committee decision",
			TitleET:     "Kutsekomisjoni otsus kutse andmise ning kutsetunnistuse väljaandmise kohta",
			TitleEN:     "Qualification committee decision awarding qualifications and issuing certificates",
			SubmittedBy: ByAwardingBody, PayloadField: "certificates",
		}, true
	case Other:
		return KindInfo{
			Kind: k, Statute: "§ 10 p 7",
			NameET: "Muu alusdokument", NameEN: "Other base document",
			TitleET:     "Muu registriandmete muutmise ja sulgemise aluseks olev dokument",
			TitleEN:     "Other document on which a change or closure of register data rests",
			SubmittedBy: ByTarget, PayloadField: "changes",
		}, true
	}
	return KindInfo{}, false
}

// Valid reports whether k is one of the seven kinds.
func (k Kind) Valid() bool {
	_, ok := k.Info()
	return ok
}

package documents

import (
	"fmt"
	"slices"
	"strings"

	"github.com/kutsekoda/alusdok/deficiency"
)

// The deficiency codes of this package. A code never changes meaning once
// published; CODES.md (generated from Codes by the tests) documents them.
const (
	// Decoding the metadata JSON.
	CodeJSONSyntax       deficiency.Code = "json.syntax"
	CodeJSONEncoding     deficiency.Code = "json.encoding"
	CodeJSONUnknownField deficiency.Code = "json.unknown-field"
	CodeJSONFieldCase    deficiency.Code = "json.field-case"
	CodeJSONDuplicate    deficiency.Code = "json.duplicate-field"
	CodeJSONType         deficiency.Code = "json.type"
	CodeJSONInvalid      deficiency.Code = "json.invalid"
	CodeTooLarge         deficiency.Code = "document.too-large"
	CodeKindUnknown      deficiency.Code = "kind.unknown"
	CodePayloadMissing   deficiency.Code = "payload.missing"
	CodePayloadMismatch  deficiency.Code = "payload.mismatch"
	CodeRegisterOnly     deficiency.Code = "field.register-only"
	CodeNotAllowed       deficiency.Code = "field.not-allowed"

	// Field rules.
	CodeRequired        deficiency.Code = "field.required"
	CodeTooLong         deficiency.Code = "field.too-long"
	CodeTooMany         deficiency.Code = "field.too-many"
	CodeTooFew          deficiency.Code = "field.too-few"
	CodeEnum            deficiency.Code = "field.enum"
	CodeRange           deficiency.Code = "field.range"
	CodeFormat          deficiency.Code = "field.format"
	CodeEmail           deficiency.Code = "email.format"
	CodeStatisticalCode deficiency.Code = "statistical-code.format"

	CodePersonalCodeFormat     deficiency.Code = "personal-code.format"
	CodePersonalCodeDate       deficiency.Code = "personal-code.date"
	CodePersonalCodeCheckDigit deficiency.Code = "personal-code.check-digit"
	CodeRegistryCodeFormat     deficiency.Code = "registry-code.format"
	CodeRegistryCodeCheckDigit deficiency.Code = "registry-code.check-digit"

	CodeHolderIdentifierMissing deficiency.Code = "holder.identifier.missing"
	CodeHolderBirthDateMismatch deficiency.Code = "holder.birth-date.mismatch"
	CodeHolderBirthDateRange    deficiency.Code = "holder.birth-date.range"
	CodeHolderRepeated          deficiency.Code = "holder.repeated"

	CodeLevelRange       deficiency.Code = "level.range"
	CodeLevelUnusual     deficiency.Code = "level.unusual"
	CodeLevelEQFMismatch deficiency.Code = "level.eqf-mismatch"

	CodeDateFormat deficiency.Code = "date.format"
	CodeDateOrder  deficiency.Code = "date.order"
	CodeDateFuture deficiency.Code = "date.future"

	CodeIssuedBeforeDecision      deficiency.Code = "certificate.issued-before-decision"
	CodeCertificateNumberDup      deficiency.Code = "certificate.number.duplicate"
	CodePartialQualification      deficiency.Code = "certificate.partial-qualification"
	CodeStandardTitleLevel        deficiency.Code = "standard.title-level"
	CodeStandardDecisionMismatch  deficiency.Code = "standard.decision-mismatch"
	CodeCouncilMismatch           deficiency.Code = "council.mismatch"
	CodeMembersChair              deficiency.Code = "members.chair"
	CodeMembersNoChair            deficiency.Code = "members.no-chair"
	CodeRightDuplicate            deficiency.Code = "right.duplicate"
	CodeChangeValuesMissing       deficiency.Code = "change.values.missing"
	CodeChangeValuesMismatch      deficiency.Code = "change.values.mismatch"
	CodeChangeTargetMismatch      deficiency.Code = "change.target.mismatch"
	CodeChangeTargetDuplicate     deficiency.Code = "change.target.duplicate"
	CodeDeficienciesTruncated     deficiency.Code = "deficiencies.truncated"
	CodeSubmitterOrganisation     deficiency.Code = "submitter.organisation"
	CodeSubmitterNotEntitled      deficiency.Code = "submitter.not-entitled"
	CodeRegisterNotFound          deficiency.Code = "register.not-found"
	CodeRegisterNotInForce        deficiency.Code = "register.not-in-force"
	CodeRegisterClosed            deficiency.Code = "register.closed"
	CodeRegisterContradiction     deficiency.Code = "register.contradiction"
	CodeRegisterAlreadyEntered    deficiency.Code = "register.already-entered"
	CodeRightMissing              deficiency.Code = "right.missing"
	CodeProcedureRightMissing     deficiency.Code = "procedure.right-missing"
	CodeRightNotFound             deficiency.Code = "right.not-found"
	CodeStandardLevelMismatch     deficiency.Code = "standard.level-mismatch"
	CodeCertificateNumberExists   deficiency.Code = "certificate.number.exists"
	CodeCertificateOriginalAbsent deficiency.Code = "certificate.original.not-found"
	CodeCertificateOriginalDiffer deficiency.Code = "certificate.original.mismatch"

	// Found at entry, after review: the register changed since the check.
	CodeEntryCertificateTaken deficiency.Code = "entry.certificate-taken"
	CodeEntryTargetGone       deficiency.Code = "entry.target-gone"
)

// CodeInfo documents one deficiency code: its severity, the requirement it
// enforces, and its message in Estonian and English. Messages may contain
// placeholders in braces ({max}); they are filled with limits, field names
// and entry numbers — never with a submitted value.
type CodeInfo struct {
	Code        deficiency.Code
	Severity    deficiency.Severity
	Requirement string
	ET, EN      string
}

const (
	sevE = deficiency.Error
	sevW = deficiency.Warning
)

// catalogue is the table of all codes. It is built at init and never
// modified; Codes returns a copy.
var catalogue = map[deficiency.Code]CodeInfo{
	CodeEntryCertificateTaken: {CodeEntryCertificateTaken, sevE, "R8.2, R13.3", "Selle numbriga sama tüüpi kutsetunnistus kanti registrisse teise alusdokumendiga pärast selle dokumendi kontrolli; midagi ei kantud.", "A certificate of the same type with this number was entered by another base document after this one was checked; nothing was entered."},
	CodeEntryTargetGone:       {CodeEntryTargetGone, sevE, "R13.3, R14.3", "Kirjet, mida dokument muudab, ei ole enam registris; midagi ei kantud.", "The record this document changes is no longer in the register; nothing was entered."},
	CodeJSONSyntax:            {CodeJSONSyntax, sevE, "R12.2", "JSON-i süntaksiviga baidil {offset}.", "JSON syntax error at byte {offset}."},
	CodeJSONEncoding:          {CodeJSONEncoding, sevE, "R12.2", "Metaandmed ei ole korrektses UTF-8 kodeeringus.", "The metadata is not valid UTF-8."},
	CodeJSONUnknownField:      {CodeJSONUnknownField, sevE, "R12.2", "Tundmatu väli.", "Unknown field."},
	CodeJSONFieldCase:         {CodeJSONFieldCase, sevE, "R12.2", "Välja nimes on suur- ja väiketähed valesti; väli on {name}.", "The field name has the wrong letter case; the field is {name}."},
	CodeJSONDuplicate:         {CodeJSONDuplicate, sevE, "R12.2", "Väli on antud mitu korda.", "The field is given more than once."},
	CodeJSONType:              {CodeJSONType, sevE, "R12.2", "Vale tüüp: oodati {expected}.", "Wrong type: expected {expected}."},
	CodeJSONInvalid:           {CodeJSONInvalid, sevE, "R12.2", "Metaandmeid ei õnnestunud lugeda.", "The metadata could not be decoded."},
	CodeTooLarge:              {CodeTooLarge, sevE, "R12.2", "Metaandmed on suuremad kui {max} baiti.", "The metadata is larger than {max} bytes."},
	CodeKindUnknown:           {CodeKindUnknown, sevE, "R10", "Tundmatu alusdokumendi liik; lubatud on {allowed}.", "Unknown kind of base document; allowed: {allowed}."},
	CodePayloadMissing:        {CodePayloadMissing, sevE, "R10", "Seda liiki alusdokumendi ({kind}) andmed on selles väljas, mis puudub või on tühi.", "A base document of this kind ({kind}) carries its data in this field, which is missing or empty."},
	CodePayloadMismatch:       {CodePayloadMismatch, sevE, "R10", "Need andmed ei kuulu seda liiki alusdokumenti ({kind}), vaid liiki {other}.", "This data does not belong in a base document of this kind ({kind}) but in one of kind {other}."},
	CodeRegisterOnly:          {CodeRegisterOnly, sevE, "R13.2", "Selle välja täidab register; seda ei esitata.", "This field is kept by the register and is not submitted."},
	CodeNotAllowed:            {CodeNotAllowed, sevE, "R10", "Seda välja ei esitata seda liiki alusdokumendiga ({kind}).", "This field is not submitted with a base document of this kind ({kind})."},

	CodeRequired:        {CodeRequired, sevE, "R12.2", "Väli on kohustuslik ega tohi olla tühi.", "The field is required and must not be blank."},
	CodeTooLong:         {CodeTooLong, sevE, "R12.2", "Väli on pikem kui {max} märki.", "The field is longer than {max} characters."},
	CodeTooMany:         {CodeTooMany, sevE, "R12.2", "Loendis on rohkem kui {max} kirjet.", "The list has more than {max} entries."},
	CodeTooFew:          {CodeTooFew, sevE, "R12.2", "Loendis peab olema vähemalt {min} kirje(t).", "The list needs at least {min} entries."},
	CodeEnum:            {CodeEnum, sevE, "R12.2", "Väärtus ei ole lubatud; lubatud on {allowed}.", "The value is not allowed; allowed: {allowed}."},
	CodeRange:           {CodeRange, sevE, "R12.2", "Väärtus on lubatud vahemikust väljas ({bound}).", "The value is out of range ({bound})."},
	CodeFormat:          {CodeFormat, sevE, "R12.2", "Väli ei vasta nõutud vormingule: {format}.", "The field is not in the required format: {format}."},
	CodeEmail:           {CodeEmail, sevE, "R12.4", "E-posti aadress ei ole korrektne.", "The e-mail address is not well-formed."},
	CodeStatisticalCode: {CodeStatisticalCode, sevE, "R7.7", "Statistiline kood ei vasta klassifikaatori vormingule (ISCO-08: 1–6 numbrit, ISCED-F 2013: 2–4 numbrit).", "The statistical code is not in its classifier's format (ISCO-08: 1–6 digits, ISCED-F 2013: 2–4 digits)."},

	CodePersonalCodeFormat:     {CodePersonalCodeFormat, sevE, "R8.1", "Isikukood peab olema 11 numbrit ja algama numbriga 1–6.", "A personal code is 11 digits starting with 1–6."},
	CodePersonalCodeDate:       {CodePersonalCodeDate, sevE, "R8.1", "Isikukoodis olev sünniaeg ei ole päris kuupäev.", "The birth date in the personal code is not a real date."},
	CodePersonalCodeCheckDigit: {CodePersonalCodeCheckDigit, sevE, "R8.1", "Isikukoodi kontrollnumber ei klapi.", "The personal code's check digit does not match."},
	CodeRegistryCodeFormat:     {CodeRegistryCodeFormat, sevE, "R9.3", "Registrikood peab olema 8 numbrit ja algama numbriga 1, 7, 8 või 9.", "A registry code is 8 digits starting with 1, 7, 8 or 9."},
	CodeRegistryCodeCheckDigit: {CodeRegistryCodeCheckDigit, sevE, "R9.3", "Registrikoodi kontrollnumber ei klapi.", "The registry code's check digit does not match."},

	CodeHolderIdentifierMissing: {CodeHolderIdentifierMissing, sevE, "R8.1", "Kutsetunnistuse saajal peab olema isikukood või selle puudumisel sünniaeg.", "The holder needs a personal code or, where there is none, a birth date."},
	CodeHolderBirthDateMismatch: {CodeHolderBirthDateMismatch, sevE, "R8.1", "Sünniaeg ei ühti isikukoodis oleva sünniajaga.", "The birth date does not agree with the one in the personal code."},
	CodeHolderBirthDateRange:    {CodeHolderBirthDateRange, sevE, "R8.1", "Sünniaeg peab olema enne kutsetunnistuse väljaandmist.", "The birth date must be before the date of issue."},
	CodeHolderRepeated:          {CodeHolderRepeated, sevW, "R13.3", "Sama isik saab samas dokumendis sama kutse ka kirjes {index}.", "The same person receives the same qualification in this document also in entry {index}."},

	CodeLevelRange:       {CodeLevelRange, sevE, "R7.1, R8.4", "Tase peab olema 1–8 (EKR).", "The level must be 1–8 (EKR)."},
	CodeLevelUnusual:     {CodeLevelUnusual, sevW, "R7.1, R8.4", "Tase on lubatud, kuid kutsed on tasemetel 2–8; palun kontrollige.", "The level is accepted, but occupations sit at levels 2–8; please check."},
	CodeLevelEQFMismatch: {CodeLevelEQFMismatch, sevE, "R8.4", "EQF tase peab võrduma EKR tasemega.", "The EQF level must equal the EKR level."},

	CodeDateFormat: {CodeDateFormat, sevE, "R12.2", "Kuupäev peab olema kujul AAAA-KK-PP ja olema päris kuupäev.", "A date must be written YYYY-MM-DD and be a real date."},
	CodeDateOrder:  {CodeDateOrder, sevE, "R7.5, R8.5, R9.4", "Kuupäev ei tohi olla varasem kui {other}.", "The date must not be before {other}."},
	CodeDateFuture: {CodeDateFuture, sevE, "R11.2", "Alusdokumendi kuupäev ei saa olla tulevikus.", "The date of the base document cannot be in the future."},

	CodeIssuedBeforeDecision:     {CodeIssuedBeforeDecision, sevE, "R8.3", "Kutsetunnistust ei saa välja anda enne kutsekomisjoni otsust.", "A certificate cannot be issued before the committee's decision."},
	CodeCertificateNumberDup:     {CodeCertificateNumberDup, sevE, "R8.2", "Sama tüüpi kutsetunnistuse number on selles dokumendis juba kirjes {index}.", "This number of a certificate of the same type is already used in this document, in entry {index}."},
	CodePartialQualification:     {CodePartialQualification, sevE, "R8.4", "Osakutsetunnistusel peab olema osakutse nimetus.", "A partial-qualification certificate must name the partial qualification."},
	CodeStandardTitleLevel:       {CodeStandardTitleLevel, sevW, "R7.1", "Kutsenimetuses olev tase ei ühti välja level väärtusega.", "The level in the title differs from the level field."},
	CodeStandardDecisionMismatch: {CodeStandardDecisionMismatch, sevW, "R7.3, R7.4", "Kinnitamise või muutmise otsuse number ja kuupäev peaksid olema selle alusdokumendi omad.", "The approval or amendment decision's number and date should be those of this base document."},
	CodeCouncilMismatch:          {CodeCouncilMismatch, sevE, "R6.6, R7.6", "Kutsenõukogu peab olema otsuse teinud kutsenõukogu (councilId).", "The council must be the council that made the decision (councilId)."},
	CodeMembersChair:             {CodeMembersChair, sevE, "R6.4, R9.5", "Esimehi või aseesimehi on rohkem kui üks.", "There is more than one chair or deputy chair."},
	CodeMembersNoChair:           {CodeMembersNoChair, sevW, "R6.4, R9.5", "Koosseisus ei ole esimeest.", "The composition has no chair."},
	CodeRightDuplicate:           {CodeRightDuplicate, sevE, "R9.7", "Sama kutsestandardi õigus on selles otsuses juba kirjes {index}.", "A right for the same standard is already in this decision, in entry {index}."},
	CodeChangeValuesMissing:      {CodeChangeValuesMissing, sevE, "R14.3", "Muudatusel peavad olema uued andmed väljal {field}.", "A change needs the new values in the field {field}."},
	CodeChangeValuesMismatch:     {CodeChangeValuesMismatch, sevE, "R14.3", "Need andmed ei sobi muudatusega ({target}, {action}).", "This data does not fit the change ({target}, {action})."},
	CodeChangeTargetMismatch:     {CodeChangeTargetMismatch, sevE, "R14.3", "Uute andmete tunnus ei ühti muudetava kirje tunnusega.", "The identity in the new values differs from the target's."},
	CodeChangeTargetDuplicate:    {CodeChangeTargetDuplicate, sevE, "R14.3", "Sama kirjet muudetakse selles dokumendis juba kirjes {index}.", "The same record is already changed in this document, in entry {index}."},
	CodeDeficienciesTruncated:    {CodeDeficienciesTruncated, sevW, "R12.2", "Puudusi on rohkem; näidatud on esimesed {max}.", "There are more deficiencies; the first {max} are shown."},

	CodeSubmitterOrganisation:     {CodeSubmitterOrganisation, sevE, "R11.1", "Esitaja ei ole Kutsekoda ega registrikoodiga kutse andja.", "The submitter is neither Kutsekoda nor an awarding body with a registry code."},
	CodeSubmitterNotEntitled:      {CodeSubmitterNotEntitled, sevE, "R11.1", "Neid andmeid esitab {who}.", "This data is submitted by {who}."},
	CodeRegisterNotFound:          {CodeRegisterNotFound, sevE, "R13.3", "Registris ei ole sellist kirjet ({record}).", "The register holds no such record ({record})."},
	CodeRegisterNotInForce:        {CodeRegisterNotInForce, sevE, "R13.3", "Kirje ({record}) ei kehti alusdokumendi kuupäeval.", "The record ({record}) is not in force on the date of the base document."},
	CodeRegisterClosed:            {CodeRegisterClosed, sevE, "R13.3, R14.3", "Kirje on registris suletud; suletud kirjet ei muudeta.", "The record is closed in the register; a closed record is not changed."},
	CodeRegisterContradiction:     {CodeRegisterContradiction, sevE, "R13.3", "Vastuolus registrisse kantud andmetega ({record}).", "Contradicts the data already in the register ({record})."},
	CodeRegisterAlreadyEntered:    {CodeRegisterAlreadyEntered, sevW, "R13.3", "Samad andmed on registris juba olemas ({record}).", "The same data is already in the register ({record})."},
	CodeRightMissing:              {CodeRightMissing, sevE, "R9.4, R9.7, R11.1", "Kutse andjal ei ole alusdokumendi kuupäeval õigust anda seda kutset sellel tasemel.", "On the date of the base document the awarding body has no right to award this qualification at this level."},
	CodeProcedureRightMissing:     {CodeProcedureRightMissing, sevW, "R9.6, R9.7", "Kutse andjal ei ole otsuse kuupäeval selle kutsestandardi õigust; kontrollige, kas õiguse otsus on esitatud.", "On the decision's date the awarding body holds no right for this standard; check that the right decision has been submitted."},
	CodeRightNotFound:             {CodeRightNotFound, sevE, "R9.4", "Registris ei ole seda õigust, mida tunnistatakse kehtetuks.", "The register holds no such right to revoke."},
	CodeStandardLevelMismatch:     {CodeStandardLevelMismatch, sevE, "R7.1, R8.4", "Tase ei ühti kutsestandardi tasemega.", "The level differs from the standard's level."},
	CodeCertificateNumberExists:   {CodeCertificateNumberExists, sevE, "R8.2, R13.3", "Selle numbriga sama tüüpi kutsetunnistus on registris juba olemas.", "A certificate of the same type with this number is already in the register."},
	CodeCertificateOriginalAbsent: {CodeCertificateOriginalAbsent, sevE, "R8.2, R13.3", "Duplikaadi originaali ei ole registris.", "The original of this duplicate is not in the register."},
	CodeCertificateOriginalDiffer: {CodeCertificateOriginalDiffer, sevE, "R13.3", "Duplikaat ei ühti originaaliga.", "The duplicate does not agree with its original."},
}

// Codes returns every deficiency code this package produces, sorted by
// code.
func Codes() []CodeInfo {
	out := make([]CodeInfo, 0, len(catalogue))
	for _, ci := range catalogue {
		out = append(out, ci)
	}
	slices.SortFunc(out, func(a, b CodeInfo) int { return strings.Compare(string(a.Code), string(b.Code)) })
	return out
}

// CodesMarkdown renders Codes as the markdown table in CODES.md.
func CodesMarkdown() string {
	var b strings.Builder
	b.WriteString("# Deficiency codes of package documents\n\n")
	b.WriteString("Generated from `documents.Codes()`; `go test ./documents -run TestCodesMarkdownIsUpToDate -update` rewrites it.\n")
	b.WriteString("Placeholders in braces are filled with limits, field names and entry numbers, never with submitted values.\n\n")
	b.WriteString("| code | severity | requirement | message (et) | message (en) |\n")
	b.WriteString("| --- | --- | --- | --- | --- |\n")
	for _, ci := range Codes() {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", ci.Code, ci.Severity, ci.Requirement, mdCell(ci.ET), mdCell(ci.EN))
	}
	return b.String()
}

func mdCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// arg fills one placeholder of a message, possibly differently per language.
type arg struct{ key, et, en string }

// param is an argument that reads the same in both languages (a number, a
// field name).
func param(key, v string) arg { return arg{key: key, et: v, en: v} }

// param2 is an argument with an Estonian and an English text.
func param2(key, et, en string) arg { return arg{key: key, et: et, en: en} }

// report appends the deficiency code at field to l, with the severity and
// messages of the catalogue.
func report(l *deficiency.List, field string, code deficiency.Code, args ...arg) {
	ci, ok := catalogue[code]
	if !ok { // unreachable: TestEveryCodeIsInTheTable_R12_2 guards it
		ci = CodeInfo{Code: code, Severity: sevE, ET: string(code), EN: string(code)}
	}
	et, en := ci.ET, ci.EN
	for _, a := range args {
		et = strings.ReplaceAll(et, "{"+a.key+"}", a.et)
		en = strings.ReplaceAll(en, "{"+a.key+"}", a.en)
	}
	if ci.Severity == sevW {
		l.Warn(field, code, et, en)
		return
	}
	l.Add(field, code, et, en)
}

package notices

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kutsekoda/alusdok/deficiency"
)

// fieldLabels name the metadata's fields in Estonian, as a letter shows
// them; a list's label is its plural.
var fieldLabels = map[string]string{
	"action": "toiming", "address": "aadress", "amendedOn": "muutmise kuupäev",
	"amendmentDecision": "muutmise otsus", "approvalDecision": "kinnitamise otsus", "approvedOn": "kinnitamise kuupäev",
	"area": "valdkond", "awardingBody": "kutse andja", "birthDate": "sünniaeg", "certificate": "kutsetunnistus",
	"certificateType": "kutsetunnistuse liik", "certificates": "kutsetunnistused", "changes": "muudatused",
	"closed": "suletud", "code": "kood", "committee": "kutsekomisjon", "competences": "kompetentsid",
	"contact": "kontaktisik", "contacts": "kontaktid", "council": "kutsenõukogu", "councilId": "kutsenõukogu tunnus",
	"date": "kuupäev", "decisions": "otsused", "document": "PDF-dokument", "duplicateOf": "duplikaadi originaal",
	"email": "e-post", "eqfLevel": "EKR tase", "esco": "ESCO kood", "familyName": "perekonnanimi",
	"field": "kutseala", "fields": "kutsealad", "formationDate": "moodustamise kuupäev", "givenName": "eesnimi",
	"hideBirthDate": "sünniaja peitmine", "hideCertificate": "kutsetunnistuse peitmine", "hideName": "nime peitmine",
	"id": "tunnus", "inquiry": "menetleja päring", "institution": "asutus", "institutions": "asutused",
	"isced": "ISCED kood", "isco": "ISCO kood", "issuedOn": "väljaandmise kuupäev", "issuer": "väljaandja",
	"kind": "alusdokumendi liik", "language": "keel", "level": "kutsetase", "levels": "tasemed",
	"mandateFrom": "volituste algus", "mandateUntil": "volituste lõpp", "members": "liikmed", "name": "nimi",
	"number": "number", "organisation": "organisatsioon", "partialQualification": "osakutse",
	"partialQualifications": "osakutsed", "personalCode": "isikukood", "phone": "telefon",
	"placeOfIssue": "väljaandmise koht", "procedure": "kutse andmise kord", "procedures": "kutse andmise korrad",
	"reason": "põhjus", "registryCode": "registrikood", "registryMark": "registrinumber",
	"representatives": "esindajate arv", "revokedOn": "kehtetuks tunnistamise kuupäev", "rights": "kutse andmise õigused",
	"role": "roll", "seat": "asukoht", "signatures": "allkirjad", "specialisation": "spetsialiseerumine",
	"specialisations": "spetsialiseerumised", "standard": "kutsestandard", "standardId": "kutsestandardi tunnus",
	"standards": "kutsestandardid", "target": "muudetav kirje", "targetId": "muudetava kirje tunnus",
	"targetVersion": "muudetava kirje versioon", "title": "pealkiri", "type": "liik", "validFrom": "kehtiv alates",
	"validUntil": "kehtiv kuni", "version": "versioon", "website": "veebileht",
}

// fieldLabel says in Estonian where a deficiency is, from its field path:
// "payload.certificates[3].personalCode" is "Kutsetunnistused, rida 4:
// isikukood", "payload.standard.title" is "Kutsestandard: pealkiri". A
// name without a label is shown as it is, never the path around it.
func fieldLabel(path string) string {
	path = strings.TrimSpace(path)
	if path == "" {
		return "Dokument tervikuna"
	}
	var parts []string
	for _, seg := range strings.Split(path, ".") {
		name, rows := splitIndexes(seg)
		if name == "metadata" || name == "payload" || name == "" && len(rows) == 0 {
			continue
		}
		label := name
		if l, ok := fieldLabels[name]; ok {
			label = l
		}
		for _, r := range rows {
			label += fmt.Sprintf(", rida %d", r+1)
		}
		parts = append(parts, label)
	}
	if len(parts) == 0 {
		return "Dokument tervikuna"
	}
	s := parts[len(parts)-1]
	if len(parts) > 1 {
		s = strings.Join(parts[:len(parts)-1], ", ") + ": " + s
	}
	return capitalize(s)
}

// splitIndexes splits "certificates[3]" into "certificates" and [3].
func splitIndexes(seg string) (string, []int) {
	i := strings.IndexByte(seg, '[')
	if i < 0 {
		return seg, nil
	}
	name, rest := seg[:i], seg[i:]
	var rows []int
	for strings.HasPrefix(rest, "[") {
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			break
		}
		n, err := strconv.Atoi(rest[1:j])
		if err != nil {
			break
		}
		rows = append(rows, n)
		rest = rest[j+1:]
	}
	return name, rows
}

// deficiencyText is one deficiency in words: where, and what is wrong.
type deficiencyText struct {
	where, what string
}

// describe puts deficiencies into words for the letter and the e-mail:
// the field's Estonian label with its row, and the message (Estonian,
// else English), warnings marked.
func describe(list deficiency.List) []deficiencyText {
	out := make([]deficiencyText, len(list))
	for i, d := range list {
		msg := clean(d.Message.ET)
		if msg == "" {
			msg = clean(d.Message.EN)
		}
		if d.Severity == deficiency.Warning {
			msg = "Hoiatus: " + msg
		}
		out[i] = deficiencyText{where: fieldLabel(d.Field), what: msg}
	}
	return out
}

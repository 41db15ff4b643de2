package notices

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// HolderEvent is why a certificate's holder is e-mailed.
type HolderEvent string

// The holder events.
const (
	HolderEntered     HolderEvent = "entered"
	HolderDuplicate   HolderEvent = "duplicate"
	HolderInvalidated HolderEvent = "invalidated"
	HolderExpiring    HolderEvent = "expiring"
)

// HolderNotice is what a holder's e-mail says: the certificate, never a
// person (the holder's own name is not repeated either: the state's
// forwarding may deliver to a mailbox others read).
type HolderNotice struct {
	Event         HolderEvent
	Key           string // the claim's id: makes the Message-ID
	Number        string // certificate number
	Qualification string // "Elektrik, tase 4"
	Issuer        string // awarding body's name
	ValidUntil    string // DD.MM.YYYY, or ""
	Original      string // a duplicate's original number
}

// HolderMessage composes the plain-text e-mail to a holder at to, in
// Estonian with an English part.
func HolderMessage(to string, n HolderNotice) Message {
	cert := "nr " + n.Number
	if n.Qualification != "" {
		cert += " (" + n.Qualification + ")"
	}
	var subject, et, en string
	switch n.Event {
	case HolderEntered:
		subject = "Teie kutsetunnistus " + n.Number + " on kantud kutseregistrisse"
		et = fmt.Sprintf("Teie kutsetunnistus %s on kantud kutseregistrisse.", cert)
		en = fmt.Sprintf("Your certificate of qualification no. %s has been entered in the Register of Occupational Qualifications.", n.Number)
	case HolderDuplicate:
		subject = "Teie kutsetunnistuse duplikaat " + n.Number + " on kantud kutseregistrisse"
		et = fmt.Sprintf("Kutseregistrisse on kantud Teie kutsetunnistuse duplikaat %s", cert)
		en = fmt.Sprintf("A duplicate certificate no. %s", n.Number)
		if n.Original != "" {
			et += fmt.Sprintf(" (originaal nr %s)", n.Original)
			en += fmt.Sprintf(" (of original no. %s)", n.Original)
		}
		et += "."
		en += " has been entered in the Register of Occupational Qualifications."
	case HolderInvalidated:
		subject = "Teie kutsetunnistus " + n.Number + " on kehtetuks tunnistatud"
		et = fmt.Sprintf("Teie kutsetunnistus %s on kutseregistris kehtetuks tunnistatud.", cert)
		en = fmt.Sprintf("Your certificate of qualification no. %s has been declared invalid in the register.", n.Number)
	case HolderExpiring:
		subject = "Teie kutsetunnistuse " + n.Number + " kehtivus lõpeb " + n.ValidUntil
		et = fmt.Sprintf("Teie kutsetunnistus %s kehtib kuni %s.", cert, n.ValidUntil)
		en = fmt.Sprintf("Your certificate of qualification no. %s is valid until %s.", n.Number, n.ValidUntil)
	}
	var b strings.Builder
	b.WriteString("Lugupeetud kutsetunnistuse omanik\n\n")
	b.WriteString(et + "\n")
	if n.Issuer != "" {
		fmt.Fprintf(&b, "Kutse andja: %s\n", n.Issuer)
	}
	if n.ValidUntil != "" && n.Event != HolderExpiring {
		fmt.Fprintf(&b, "Kehtib kuni: %s\n", n.ValidUntil)
	}
	b.WriteString("\nOma andmeid ja nende töötlemist näete kutseregistri iseteeninduses; seal saate ka need teavitused välja lülitada.\n")
	b.WriteString("\nLugupidamisega\nKutseregister (SA Kutsekoda)\n\n---\n\n")
	b.WriteString("Dear holder of a certificate of qualification,\n\n")
	b.WriteString(en + "\n")
	b.WriteString("You can see your data and how it was processed, and turn these notices off, in the register's self-service.\n")
	sum := sha256.Sum256([]byte("alusdok/holder/v1:" + n.Key))
	return Message{To: to, Subject: subject, Body: b.String(), MessageID: hex.EncodeToString(sum[:16]) + "@holder.alusdok"}
}

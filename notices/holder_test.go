package notices

import (
	"strings"
	"testing"
)

// TestHolderMessageNamesTheCertificateInEstonianAndEnglish: each event's
// mail names the certificate in both languages, no person, and keeps its
// Message-ID for a resend.
func TestHolderMessageNamesTheCertificateInEstonianAndEnglish(t *testing.T) {
	for _, ev := range []HolderEvent{HolderEntered, HolderDuplicate, HolderInvalidated, HolderExpiring} {
		t.Run(string(ev), func(t *testing.T) {
			n := HolderNotice{Event: ev, Key: "1-214001/" + string(ev), Number: "214001", Qualification: "Elektrik, tase 4",
				Issuer: "Eesti Elektritööde Ettevõtjate Liit", ValidUntil: "11.06.2030", Original: "201587"}
			m := HolderMessage("39804172200@eesti.ee", n)
			if m.To != "39804172200@eesti.ee" || !strings.Contains(m.Subject, "214001") {
				t.Errorf("to %q subject %q", m.To, m.Subject)
			}
			et, en, ok := strings.Cut(m.Body, "\n---\n")
			if !ok || !strings.Contains(et, "214001") || !strings.Contains(en, "214001") || !strings.Contains(et, "Lugupeetud") || !strings.Contains(en, "Dear") {
				t.Errorf("body:\n%s", m.Body)
			}
			if strings.Contains(m.Body, "39804172200") {
				t.Error("the body names the personal code")
			}
			if again := HolderMessage("39804172200@eesti.ee", n); again.MessageID != m.MessageID || m.MessageID == "" {
				t.Error("Message-ID not stable")
			}
		})
	}
}

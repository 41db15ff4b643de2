package notices

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestInquiryNamesTheRecordTheReportAndTheDeadline_R13_3 renders the
// inquiry about reported data (R13.3, R14): the certificate by its number,
// who reported, what is wrong (personal codes redacted) and the deadline.
func TestInquiryNamesTheRecordTheReportAndTheDeadline_R13_3(t *testing.T) {
	n := Inquiry{Header: header(t), Record: "kutsetunnistus 201588", ReportedBy: "isik, keda andmed puudutavad",
		Reason: "Perekonnanimi on vale; isikukood 49207080151.", Deadline: tallinn(t, 2026, time.July, 6, 23, 59)}
	pdf, err := mustRenderer(t).Render(n)
	if err != nil {
		t.Fatal(err)
	}
	text := squash(pdfText(t, pdf))
	for _, want := range []string{"§ 13 lõike 3", "kutsetunnistus 201588", "isik, keda andmed puudutavad",
		"Perekonnanimi on vale", "[isikukood]", "06.07.2026", "juurdepääs suletud"} {
		if !strings.Contains(text, squash(want)) {
			t.Errorf("inquiry lacks %q:\n%s", want, text)
		}
	}
	if m := regexp.MustCompile(`[1-6]\d{10}`).FindString(text); m != "" {
		t.Errorf("inquiry shows a personal code %s", m)
	}
	if err := (Inquiry{Header: header(t)}).Validate(); err == nil {
		t.Error("an inquiry without record and deadline was valid")
	}
}

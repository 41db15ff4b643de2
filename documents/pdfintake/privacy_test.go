package pdfintake

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestSignerDataNeverInDeficienciesOrLogs(t *testing.T) {
	var logs bytes.Buffer
	in := mustInspector(t, Options{RequireSignature: true, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	secrets := []string{testSignerCode, rogueCode, "TAMM", "MARI", "KASK", "JAAN", "Tamm", "Kask"}
	for _, dir := range []string{examplesDir, hostileDir, unsignedDir} {
		for _, p := range fixtureFiles(t, dir) {
			o := inspectWithin(t, in, mustRead(t, p), time.Minute)
			for _, d := range o.defs {
				for _, s := range secrets {
					if strings.Contains(d.Message.ET+d.Message.EN+d.Field, s) {
						t.Errorf("%s: deficiency %+v reveals %q", p, d, s)
					}
				}
			}
		}
	}
	for _, s := range secrets {
		if strings.Contains(logs.String(), s) {
			t.Errorf("log output reveals %q", s)
		}
	}
}

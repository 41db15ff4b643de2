package devstack

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
)

// counted is an attribute value that counts how often a handler formats
// it.
type counted struct{ n *int }

func (c counted) LogValue() slog.Value {
	*c.n++
	return slog.StringValue("formatted")
}

// FerretDB attaches every SQL statement's arguments with Logger.With and
// then logs at Debug: below the level nothing may be formatted, at or above
// it everything attached shows, in its group.
func TestQuietFormatsAttachedAttributesOnlyForRecordsItWrites(t *testing.T) {
	var buf bytes.Buffer
	formatted := 0
	base := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	l := quiet(base, slog.LevelWarn).With("component", "ferretdb").WithGroup("sql")

	for range 3 {
		l.With("args", counted{&formatted}).DebugContext(context.Background(), ">>> SELECT")
	}
	if formatted != 0 || buf.Len() != 0 {
		t.Fatalf("below the level: formatted %d times, wrote %q; want nothing", formatted, buf.String())
	}

	l.With("args", counted{&formatted}).Warn("slow", "ms", 12)
	out := buf.String()
	if formatted != 1 {
		t.Errorf("at the level: formatted %d times, want once", formatted)
	}
	for _, want := range []string{`"component":"ferretdb"`, `"sql":{"args":"formatted","ms":12}`, `"msg":"slow"`} {
		if !strings.Contains(out, want) {
			t.Errorf("record %s lacks %s", out, want)
		}
	}
	if !l.Handler().Enabled(context.Background(), slog.LevelError) || l.Handler().Enabled(context.Background(), slog.LevelInfo) {
		t.Error("Enabled: want true at Error, false at Info")
	}
}

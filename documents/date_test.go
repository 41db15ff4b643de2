package documents_test

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/kutsekoda/alusdok/documents"
)

func TestParseDateIsStrict(t *testing.T) {
	good := map[string]documents.Date{
		"2025-06-30": documents.MustDate(2025, time.June, 30),
		"2024-02-29": documents.MustDate(2024, time.February, 29),
		"0001-01-01": documents.MustDate(1, time.January, 1),
		"9999-12-31": documents.MustDate(9999, time.December, 31),
	}
	for s, want := range good {
		got, err := documents.ParseDate(s)
		if err != nil || got != want || got.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v", s, got, err)
		}
	}
	for _, s := range []string{
		"", "2025-6-30", "2025-06-31", "2025-02-29", "1900-02-29", "0000-01-01",
		"2025-13-01", "2025-00-10", "2025-06-00", "25-06-30", "2025/06/30",
		"2025-06-30T00:00:00Z", " 2025-06-30", "+025-06-30", "2025-0a-30", "30.06.2025",
	} {
		if _, err := documents.ParseDate(s); !errors.Is(err, documents.ErrDateFormat) {
			t.Errorf("ParseDate(%q) err = %v, want ErrDateFormat", s, err)
		}
	}
}

func TestDateCompares(t *testing.T) {
	a := documents.MustDate(2025, time.June, 30)
	b := documents.MustDate(2025, time.July, 1)
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Compare(a) != 0 || a.Compare(b) != -1 || b.Compare(a) != 1 {
		t.Error("comparison is wrong")
	}
	if got := a.AddDays(1); got != b {
		t.Errorf("AddDays(1) = %s", got)
	}
	if got := documents.MustDate(2024, time.December, 31).AddDays(60); got != documents.MustDate(2025, time.March, 1) {
		t.Errorf("AddDays(60) = %s", got)
	}
	if got := b.AddDays(-1); got != a {
		t.Errorf("AddDays(-1) = %s", got)
	}
	var zero documents.Date
	if !zero.IsZero() || a.IsZero() || zero.String() != "" || !zero.Time().IsZero() || !zero.AddDays(3).IsZero() {
		t.Error("zero date is wrong")
	}
	if _, ok := documents.NewDate(2025, time.February, 29); ok {
		t.Error("NewDate accepted 2025-02-29")
	}
}

func TestDateTimeIsMidnightInTallinn(t *testing.T) {
	d := documents.MustDate(2025, time.June, 30)
	tm := d.Time()
	if tm.Location().String() != "Europe/Tallinn" || tm.Hour() != 0 {
		t.Fatalf("Time() = %v", tm)
	}
	if got := tm.UTC(); got != time.Date(2025, time.June, 29, 21, 0, 0, 0, time.UTC) {
		t.Errorf("summer midnight in UTC = %v", got)
	}
	winter := documents.MustDate(2025, time.January, 15).Time().UTC()
	if winter != time.Date(2025, time.January, 14, 22, 0, 0, 0, time.UTC) {
		t.Errorf("winter midnight in UTC = %v", winter)
	}
}

// "Today" is the calendar day in Tallinn: 22:30 UTC on 30 June is already
// 1 July there (R11.2 deadlines count in Tallinn days).
func TestDateOfUsesTallinn_R11_2(t *testing.T) {
	tests := []struct {
		instant time.Time
		want    documents.Date
	}{
		{time.Date(2025, time.June, 30, 20, 59, 59, 0, time.UTC), documents.MustDate(2025, time.June, 30)},
		{time.Date(2025, time.June, 30, 21, 0, 0, 0, time.UTC), documents.MustDate(2025, time.July, 1)},
		{time.Date(2025, time.December, 31, 22, 0, 0, 0, time.UTC), documents.MustDate(2026, time.January, 1)},
		{time.Date(2025, time.December, 31, 21, 59, 0, 0, time.UTC), documents.MustDate(2025, time.December, 31)},
	}
	for _, tt := range tests {
		if got := documents.DateOf(tt.instant); got != tt.want {
			t.Errorf("DateOf(%v) = %s, want %s", tt.instant, got, tt.want)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type holder struct {
		D documents.Date `json:"d"`
		O documents.Date `json:"o,omitzero"`
	}
	b, err := json.Marshal(holder{D: documents.MustDate(2025, time.May, 28)})
	if err != nil || string(b) != `{"d":"2025-05-28"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	b, _ = json.Marshal(holder{})
	if string(b) != `{"d":null}` {
		t.Errorf("zero Marshal = %s", b)
	}
	var h holder
	if err := json.Unmarshal([]byte(`{"d":"2025-05-28","o":null}`), &h); err != nil || h.D != documents.MustDate(2025, time.May, 28) || !h.O.IsZero() {
		t.Errorf("Unmarshal = %+v, %v", h, err)
	}
	for _, bad := range []string{`{"d":""}`, `{"d":"2025-02-30"}`, `{"d":20250528}`, `{"d":"28.05.2025"}`} {
		if err := json.Unmarshal([]byte(bad), &h); err == nil {
			t.Errorf("Unmarshal(%s) succeeded", bad)
		}
	}
}

// Dates are stored in MongoDB as "YYYY-MM-DD" strings (zero as null); a
// BSON datetime written by another tool is read as its UTC day.
func TestDateBSON(t *testing.T) {
	type holder struct {
		D documents.Date `bson:"d"`
		O documents.Date `bson:"o,omitempty"`
	}
	in := holder{D: documents.MustDate(2025, time.May, 28)}
	raw, err := bson.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	val := bson.Raw(raw).Lookup("d")
	if s, ok := val.StringValueOK(); !ok || s != "2025-05-28" {
		t.Errorf("stored as %v, want the string 2025-05-28", val)
	}
	if _, err := bson.Raw(raw).LookupErr("o"); err == nil {
		t.Error("zero date with omitempty was stored")
	}
	var out holder
	if err := bson.Unmarshal(raw, &out); err != nil || out != in {
		t.Errorf("round trip = %+v, %v", out, err)
	}
	zeroRaw, err := bson.Marshal(struct {
		D documents.Date `bson:"d"`
	}{})
	if err != nil || bson.Raw(zeroRaw).Lookup("d").Type != bson.TypeNull {
		t.Errorf("zero date stored as %v, %v", bson.Raw(zeroRaw).Lookup("d"), err)
	}
	dt, err := bson.Marshal(bson.D{{Key: "d", Value: time.Date(2025, time.May, 28, 0, 0, 0, 0, time.UTC)}})
	if err != nil {
		t.Fatal(err)
	}
	if err := bson.Unmarshal(dt, &out); err != nil || out.D != documents.MustDate(2025, time.May, 28) {
		t.Errorf("datetime read as %v, %v", out.D, err)
	}
	bad, _ := bson.Marshal(bson.D{{Key: "d", Value: "28.05.2025"}})
	if err := bson.Unmarshal(bad, &out); err == nil {
		t.Error("malformed date string accepted")
	}
	wrong, _ := bson.Marshal(bson.D{{Key: "d", Value: int32(5)}})
	if err := bson.Unmarshal(wrong, &out); err == nil {
		t.Error("int32 accepted as a date")
	}
}

package api

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/store"
)

// The public register (R15.1, R15.2): register data without personal data.
// Councils show their composition by role and institution, not members'
// names; certificates are published as anonymised statistics, and one
// certificate can be checked by its number without learning whose it is.

type publicCouncil struct {
	ID            string                  `json:"id"`
	Name          string                  `json:"name"`
	FormationDate documents.Date          `json:"formationDate"`
	Institutions  []documents.Institution `json:"institutions"`
	Members       int                     `json:"members"`
	Fields        []string                `json:"fields,omitempty"`
	Closed        *documents.Closure      `json:"closed,omitempty"`
	Version       int                     `json:"version"`
	BaseDocument  documents.DecisionRef   `json:"baseDocument"`
}

func (h *handlers) councils(c *gin.Context) {
	recs, err := h.store.Councils(c.Request.Context())
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	out := make([]publicCouncil, len(recs))
	for i, r := range recs {
		out[i] = publicCouncil{ID: r.Data.ID, Name: r.Data.Name, FormationDate: r.Data.FormationDate,
			Institutions: r.Data.Institutions, Members: len(r.Data.Members), Fields: r.Data.Fields,
			Closed: r.Data.Closed, Version: r.Version, BaseDocument: r.Document}
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

type publicRecord[T any] struct {
	Data         T                     `json:"data"`
	Version      int                   `json:"version"`
	BaseDocument documents.DecisionRef `json:"baseDocument"`
}

func (h *handlers) standards(c *gin.Context) {
	recs, err := h.store.Standards(c.Request.Context())
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	out := make([]publicRecord[documents.Standard], len(recs))
	for i, r := range recs {
		out[i] = publicRecord[documents.Standard]{Data: r.Data, Version: r.Version, BaseDocument: r.Document}
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// awardingBodies lists the awarding bodies with their rights (R9) and
// contacts; their procedures' committee members are people, and like
// council members they are not published by name.
func (h *handlers) awardingBodies(c *gin.Context) {
	recs, err := h.store.AwardingBodies(c.Request.Context())
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	out := make([]publicRecord[documents.AwardingBody], len(recs))
	for i, r := range recs {
		b := r.Data
		b.Procedures = nil
		out[i] = publicRecord[documents.AwardingBody]{Data: b, Version: r.Version, BaseDocument: r.Document}
	}
	c.JSON(http.StatusOK, gin.H{"items": out})
}

// publicCertificate answers "is this certificate valid?" without personal
// data: never a name, personal code or birth date.
type publicCertificate struct {
	Number         string                    `json:"number"`
	Type           documents.CertificateType `json:"type"`
	Valid          bool                      `json:"valid"`
	Qualification  string                    `json:"qualification"`
	Standard       documents.StandardRef     `json:"standard"`
	Level          int                       `json:"level"`
	Specialisation string                    `json:"specialisation,omitempty"`
	Issuer         string                    `json:"issuer"`
	IssuedOn       documents.Date            `json:"issuedOn"`
	ValidFrom      documents.Date            `json:"validFrom"`
	ValidUntil     documents.Date            `json:"validUntil,omitzero"`
	Duplicate      bool                      `json:"duplicate"`
	Closed         bool                      `json:"closed"`
}

// certificate answers one certificate by number (and type, default 1). A
// certificate hidden at the holder's request is not found.
func (h *handlers) certificate(c *gin.Context) {
	typ := documents.OccupationalCertificate
	if v := c.Query("type"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3 {
			WriteError(c, h.log, queryProblem("type", "1, 2 or 3"))
			return
		}
		typ = documents.CertificateType(n)
	}
	ctx := c.Request.Context()
	key := documents.CertificateKey{Type: typ, Number: c.Param("number")}
	rec, err := h.store.Certificate(ctx, key)
	if errors.Is(err, store.ErrNotFound) || err == nil && rec.Data.HideCertificate {
		WriteError(c, h.log, NotFound("no such certificate in the public register"))
		return
	}
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	// R14.1: reported wrong, closed until its correctness is established.
	if _, err := h.store.UnderReview(ctx, store.CertificateReviewKey(key)); err == nil {
		c.JSON(http.StatusOK, underReview{Number: key.Number, Type: key.Type, UnderReview: true,
			Message: "Andmete õigsust kontrollitakse; juurdepääs on suletud kuni õigsuse väljaselgitamiseni (R14.1). / Under review: access is closed until the data's correctness is established."})
		return
	} else if !errors.Is(err, store.ErrNotFound) {
		WriteError(c, h.log, err)
		return
	}
	d := rec.Data
	today := documents.DateOf(time.Now())
	valid := d.ValidOn(today)
	title := ""
	if std, err := h.store.Register().Standard(ctx, d.Standard); err == nil {
		title = std.Title
	}
	c.JSON(http.StatusOK, publicCertificate{Number: d.Number, Type: d.Type, Valid: valid, Qualification: title,
		Standard: d.Standard, Level: d.Level, Specialisation: d.Specialisation, Issuer: d.Issuer,
		IssuedOn: d.IssuedOn, ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil, Duplicate: d.DuplicateOf != "", Closed: d.Closed != nil})
}

// underReview answers a certificate closed for review (R14.1) instead of
// its data.
type underReview struct {
	Number      string                    `json:"number"`
	Type        documents.CertificateType `json:"type"`
	UnderReview bool                      `json:"underReview"`
	Message     string                    `json:"message"`
}

// statRow is one cell of the anonymised statistics: how many certificates of
// a standard and level an awarding body issued in a year.
type statRow struct {
	Year       int    `json:"year"`
	StandardID int    `json:"standardId"`
	Level      int    `json:"level"`
	Type       int    `json:"type"`
	Issuer     string `json:"issuer"`
	Count      int    `json:"count"`
}

// statsCache keeps the counts for a while: they read every certificate.
// The certificates under review (R14.1) are taken out of them at every
// answer, so that a report closes them out of the statistics at once.
type statsCache struct {
	mu     sync.Mutex
	at     time.Time
	counts map[statRow]int
}

const statsTTL = 5 * time.Minute

func (h *handlers) statistics(c *gin.Context) {
	rows, err := h.stats.get(c.Request.Context(), h.store)
	if err != nil {
		WriteError(c, h.log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": rows, "licence": "CC BY-SA 3.0 EE"})
}

// invalidate makes the next answer count again.
func (s *statsCache) invalidate() {
	s.mu.Lock()
	s.counts = nil
	s.mu.Unlock()
}

func cellOf(c *documents.Certificate) statRow {
	return statRow{Year: c.IssuedOn.Year(), StandardID: c.Standard.ID, Level: c.Level, Type: int(c.Type), Issuer: c.Issuer}
}

func (s *statsCache) get(ctx context.Context, st *store.Store) ([]statRow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.counts == nil || time.Since(s.at) >= statsTTL {
		counts := map[statRow]int{}
		err := st.EachCertificate(ctx, func(r store.Record[documents.Certificate]) error {
			if !r.Data.HideCertificate {
				counts[cellOf(&r.Data)]++
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		s.counts, s.at = counts, time.Now()
	}
	counts := s.counts
	marks, err := st.ReviewMarks(ctx)
	if err != nil {
		return nil, err
	}
	if len(marks) > 0 {
		counts = make(map[statRow]int, len(s.counts))
		for k, n := range s.counts {
			counts[k] = n
		}
		for key := range marks {
			id, ok := strings.CutPrefix(key, store.CollCertificates+"/")
			if !ok {
				continue
			}
			typ, num, _ := strings.Cut(id, "-")
			t, _ := strconv.Atoi(typ)
			rec, err := st.Certificate(ctx, documents.CertificateKey{Type: documents.CertificateType(t), Number: num})
			if errors.Is(err, store.ErrNotFound) || err == nil && rec.Data.HideCertificate {
				continue
			}
			if err != nil {
				return nil, err
			}
			if k := cellOf(&rec.Data); counts[k] > 0 {
				counts[k]--
			}
		}
	}
	rows := make([]statRow, 0, len(counts))
	for k, n := range counts {
		if n == 0 {
			continue
		}
		k.Count = n
		rows = append(rows, k)
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Year != b.Year {
			return a.Year > b.Year
		}
		if a.StandardID != b.StandardID {
			return a.StandardID < b.StandardID
		}
		if a.Level != b.Level {
			return a.Level < b.Level
		}
		if a.Issuer != b.Issuer {
			return a.Issuer < b.Issuer
		}
		return a.Type < b.Type
	})
	return rows, nil
}

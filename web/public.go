package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/kutsekoda/alusdok/documents"
)

type registerData struct {
	Q         string
	Standards []documents.Standard
	Councils  []PublicCouncil
	Bodies    []documents.AwardingBody
	Titles    map[int]string
}

// registerSearch searches standards, councils and awarding bodies (with
// their rights) by a word of their name, title, code or field.
func (w *Web) registerSearch(c *gin.Context) {
	ctx := c.Request.Context()
	q := strings.TrimSpace(c.Query("q"))
	match := func(parts ...string) bool {
		if q == "" {
			return true
		}
		lq := strings.ToLower(q)
		for _, p := range parts {
			if strings.Contains(strings.ToLower(p), lq) {
				return true
			}
		}
		return false
	}
	stds, err := w.b.Standards(ctx)
	if err != nil {
		w.internalError(c, err)
		return
	}
	councils, err := w.b.Councils(ctx)
	if err != nil {
		w.internalError(c, err)
		return
	}
	bodies, err := w.b.AwardingBodies(ctx)
	if err != nil {
		w.internalError(c, err)
		return
	}
	d := registerData{Q: q, Titles: map[int]string{}}
	for _, s := range stds {
		d.Titles[s.ID] = s.Title
		if match(s.Title, s.Field, s.RegistryMark, strconv.Itoa(s.ID)) {
			d.Standards = append(d.Standards, s)
		}
	}
	for _, cn := range councils {
		if match(append([]string{cn.Name, cn.ID}, cn.Fields...)...) {
			d.Councils = append(d.Councils, cn)
		}
	}
	for _, b := range bodies {
		if match(b.Name, b.RegistryCode, b.Seat) {
			d.Bodies = append(d.Bodies, b)
		}
	}
	w.render(c, http.StatusOK, "register.html", "register.title", d)
}

type certCheckData struct {
	Number string
	Type   int
	Asked  bool
	Found  bool
	Cert   PublicCertificate
}

// certificateCheck answers whether a certificate is valid, by its number:
// never by a name, and never showing one (R15.1).
func (w *Web) certificateCheck(c *gin.Context) {
	d := certCheckData{Number: strings.TrimSpace(c.Query("number")), Type: 1}
	if t := atoi(c.Query("type")); t >= 1 && t <= 3 {
		d.Type = t
	}
	var errs []fieldError
	if _, asked := c.GetQuery("number"); asked {
		d.Asked = true
		if d.Number == "" || len(d.Number) > 32 {
			errs = append(errs, fieldError{Field: "number", Message: translate(language(c), "cert.number-required")})
		} else {
			cert, err := w.b.Certificate(c.Request.Context(), d.Number, documents.CertificateType(d.Type))
			switch {
			case err == nil:
				d.Found, d.Cert = true, cert
			case !errors.Is(err, ErrNotFound):
				w.internalError(c, err)
				return
			}
		}
	}
	pg := w.newPage(c, "cert.title", d)
	pg.Errors = errs
	w.renderPage(c, http.StatusOK, "certificate.html", pg)
}

type statsData struct {
	ByYear     template.HTML
	ByLevel    template.HTML
	ByStandard template.HTML
	Rows       []StatRow
	Total      int
}

// statistics draws the anonymised certificate statistics as SVG on the
// server (no script, no personal data).
func (w *Web) statistics(c *gin.Context) {
	rows, err := w.b.Statistics(c.Request.Context())
	if err != nil {
		w.internalError(c, err)
		return
	}
	lang := language(c)
	years, levels, stds := map[string]int{}, map[string]int{}, map[string]int{}
	d := statsData{Rows: rows}
	for _, r := range rows {
		years[strconv.Itoa(r.Year)] += r.Count
		levels[translate(lang, "stats.level", r.Level)] += r.Count
		title := r.StandardTitle
		if title == "" {
			title = strconv.Itoa(r.StandardID)
		}
		stds[title] += r.Count
		d.Total += r.Count
	}
	d.ByYear = barChart(translate(lang, "stats.by-year"), sortedBars(years, false))
	d.ByLevel = barChart(translate(lang, "stats.by-level"), sortedBars(levels, false))
	d.ByStandard = barChart(translate(lang, "stats.by-standard"), sortedBars(stds, true))
	w.render(c, http.StatusOK, "statistics.html", "stats.title", d)
}

type bar struct {
	Label string
	Value int
}

func sortedBars(m map[string]int, byValue bool) []bar {
	out := make([]bar, 0, len(m))
	for k, v := range m {
		out = append(out, bar{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if byValue && out[i].Value != out[j].Value {
			return out[i].Value > out[j].Value
		}
		return out[i].Label < out[j].Label
	})
	if len(out) > 15 {
		out = out[:15]
	}
	return out
}

// barChart draws horizontal bars as an accessible SVG (role img, a title,
// and the numbers as text), without style attributes (the CSP has no
// unsafe-inline).
func barChart(title string, bars []bar) template.HTML {
	const rowH, labelW, barW, pad = 28, 260, 360, 8
	maxV := 1
	for _, b := range bars {
		maxV = max(maxV, b.Value)
	}
	h := max(1, len(bars))*rowH + pad*2
	var sb strings.Builder
	fmt.Fprintf(&sb, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="%[1]s" viewBox="0 0 %[2]d %[3]d" width="100%%" class="chart"><title id="%[1]s">%[4]s</title>`,
		chartID(title), labelW+barW+80, h, template.HTMLEscapeString(title))
	for i, b := range bars {
		y := pad + i*rowH
		wv := b.Value * barW / maxV
		fmt.Fprintf(&sb, `<text x="%d" y="%d" text-anchor="end" font-size="14" fill="#0b0c0c">%s</text>`, labelW-8, y+18, template.HTMLEscapeString(truncate(b.Label, 34)))
		fmt.Fprintf(&sb, `<rect x="%d" y="%d" width="%d" height="%d" fill="#1d70b8"></rect>`, labelW, y+4, max(1, wv), rowH-8)
		fmt.Fprintf(&sb, `<text x="%d" y="%d" font-size="14" fill="#0b0c0c">%d</text>`, labelW+max(1, wv)+6, y+18, b.Value)
	}
	sb.WriteString(`</svg>`)
	return template.HTML(sb.String()) // every text inside is escaped above
}

func chartID(title string) string {
	var b strings.Builder
	b.WriteString("chart-")
	for _, r := range strings.ToLower(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

func (w *Web) openData(c *gin.Context) {
	w.render(c, http.StatusOK, "opendata.html", "opendata.title", nil)
}

package web_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/intake"
)

//go:embed testdata/axe.min.js
var axeJS string

// screenshots are written here (git-ignored), one per page and state.
const screenshotDir = "testdata/screenshots"

func exampleMetadata(tb testing.TB, edit func(*documents.BaseDocument)) []byte {
	tb.Helper()
	raw, err := os.ReadFile("../documents/testdata/examples/committee-decision.json")
	if err != nil {
		tb.Fatal(err)
	}
	var doc documents.BaseDocument
	if err := json.Unmarshal(raw, &doc); err != nil {
		tb.Fatal(err)
	}
	if edit != nil {
		edit(&doc)
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func intakeRequest(pdf io.Reader, meta []byte) intake.Request {
	return intake.Request{Submitter: intake.Submitter{Organisation: examples.ElectriciansUnion, Name: "Tiina Org"},
		PDF: pdf, Filename: "committee-decision.pdf", Metadata: meta}
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func abs(t *testing.T, p string) string {
	t.Helper()
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// signIn signs in on the dev sign-in page as the demo identity named.
func signIn(t *testing.T, ctx context.Context, base, name string) {
	t.Helper()
	sel := fmt.Sprintf(`//button[normalize-space(.)=%q]`, name)
	fail(t, "sign in as "+name, chromedp.Do(ctx,
		chromedp.Navigate(base+"/sisene"),
		chromedp.WaitVisible(sel),
		chromedp.Click(sel),
		chromedp.WaitVisible(chromedp.CSS(`#who`)),
	))
}

func signOut(t *testing.T, ctx context.Context) {
	t.Helper()
	fail(t, "sign out", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#sign-out`)), chromedp.WaitVisible(chromedp.CSS(`#sign-in`))))
}

// textOf returns the visible text of the first element sel matches.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	fail(t, "wait for "+sel, chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS(sel))))
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	fail(t, "text of "+sel, err)
	return s
}

// attr returns an attribute of the first element sel matches.
func attr(t *testing.T, ctx context.Context, sel, name string) string {
	t.Helper()
	r, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	fail(t, "attribute "+name+" of "+sel, err)
	return r.Value
}

// eval evaluates JavaScript in the page, awaiting a promise.
func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	fail(t, "evaluate "+js, err)
	return v
}

// check runs axe-core over the page (WCAG 2.1 A and AA rules) and fails on
// any serious or critical violation, and saves a screenshot as name.png.
func check(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if !eval[bool](t, ctx, `typeof axe !== "undefined"`) {
		// Runtime.evaluate is not subject to the page's CSP.
		fail(t, "inject axe", chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeJS+";0")))
	}
	violations := eval[[]string](t, ctx, `axe.run(document, {iframes: false, runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => r.violations.filter(v => v.impact === "serious" || v.impact === "critical")
		.map(v => v.impact + " " + v.id + ": " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).slice(0, 5).join(", ")))`)
	if len(violations) > 0 {
		t.Errorf("page %s: axe-core finds %d serious or critical violations:\n  %s", name, len(violations), strings.Join(violations, "\n  "))
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	fail(t, "screenshot", err)
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

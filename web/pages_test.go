package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/kutsekoda/alusdok/store"
	wf "github.com/kutsekoda/alusdok/workflows"
)

// Every page passes axe-core (WCAG 2.1 A and AA: no serious or critical
// violation) and is photographed; the scenario tests check the others. The
// person sees their entered certificate, its processing and who read it
// (R16.3); the supervisor the log and its chain (R19.2).
func TestEveryPageIsAccessible(t *testing.T) {
	s := startSite(t)
	ctx := tab(t)
	id := s.submit(t, "EK-2025/80")
	if _, err := s.wiring.Intake.Decide(context.Background(), id, wf.Decision{Action: wf.ActionApprove, Clerk: clerkName}); err != nil {
		t.Fatal(err)
	}
	s.waitFor(t, id, "entered", func(sub store.Submission) bool { return sub.Status == "entered" })

	public := []struct{ name, path, ready string }{
		{"register", "/register", "#q"},
		{"register-search", "/register?q=elektri", "#q"},
		{"statistics", "/statistika", "#stats-table"},
		{"open-data", "/avaandmed", "#licence"},
		{"sign-in", "/sisene", ".identity-list"},
	}
	for _, p := range public {
		fail(t, p.name, chromedp.Do(ctx, chromedp.Navigate(s.url+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready))))
		check(t, ctx, p.name)
	}
	if got := textOf(t, ctx, "body"); strings.Contains(got, holder.PersonalCode) {
		t.Error("a public page shows a personal code")
	}

	// A clerk reads the entered decision: the holders' data was read.
	signIn(t, ctx, s.url, clerkName)
	fail(t, "entered", chromedp.Do(ctx, chromedp.Navigate(s.url+"/taotlus/"+id), chromedp.WaitVisible(chromedp.CSS(`#rendition`))))
	check(t, ctx, "submission-entered")
	signOut(t, ctx)

	signIn(t, ctx, s.url, bodyName)
	fail(t, "submit", chromedp.Do(ctx, chromedp.Navigate(s.url+"/esitamine"), chromedp.WaitVisible(chromedp.CSS(`#metadata`))))
	check(t, ctx, "submit")
	fail(t, "submit empty", chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#submit-button`)), chromedp.WaitVisible(chromedp.CSS(`#error-summary`))))
	check(t, ctx, "submit-errors")
	signOut(t, ctx)

	// Kutsekoda submits a council's decision on a standard: its register
	// data is a table of fields.
	signIn(t, ctx, s.url, "Kati Kutsekoda")
	fail(t, "standard decision", chromedp.Do(ctx, chromedp.Navigate(s.url+"/esitamine"), chromedp.WaitVisible(chromedp.CSS(`#metadata`)),
		chromedp.SetUploadFiles(chromedp.CSS(`#document`), []string{abs(t, "../documents/testdata/examples/standard-decision.pdf")}),
		chromedp.SetUploadFiles(chromedp.CSS(`#metadata`), []string{abs(t, "../documents/testdata/examples/standard-decision.json")}),
		chromedp.Click(chromedp.CSS(`#submit-button`)),
		chromedp.WaitVisible(chromedp.CSS(`#register-data, #error-summary`))))
	if got := textOf(t, ctx, "main"); strings.Contains(got, "Vormis on vead") {
		t.Fatalf("the example standard decision is refused: %s", got)
	}
	check(t, ctx, "submission-standard-decision")
	signOut(t, ctx)

	signIn(t, ctx, s.url, personName)
	fail(t, "me", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#my-certs`))))
	if got := textOf(t, ctx, "#my-certs"); !strings.Contains(got, "80-1") {
		t.Errorf("the person's certificates: %q", got)
	}
	if got := textOf(t, ctx, "#reads"); !strings.Contains(got, clerkName) {
		t.Errorf("who read the person's data: %q", got)
	}
	check(t, ctx, "me")
	signOut(t, ctx)

	signIn(t, ctx, s.url, supervisorName)
	fail(t, "audit", chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#log`)), chromedp.Click(chromedp.CSS(`#verify`)),
		chromedp.WaitVisible(chromedp.CSS(`#chain`))))
	if got := textOf(t, ctx, "#chain"); !strings.Contains(got, "terviklik") {
		t.Errorf("chain: %q", got)
	}
	if got := textOf(t, ctx, "#log"); !strings.Contains(got, "EK-2025/80") {
		t.Errorf("log: %q", got)
	}
	check(t, ctx, "audit-log")
	fail(t, "worklist", chromedp.Do(ctx, chromedp.Navigate(s.url+"/tooloend"), chromedp.WaitVisible(chromedp.CSS(`#counts`))))
	check(t, ctx, "worklist-supervisor")
	// With JavaScript, htmx swaps the list when a filter changes (no
	// reload: a marker set on the page survives) and puts the filter in the
	// URL; without it the same form is a plain GET.
	fail(t, "htmx filter", chromedp.Do(ctx,
		chromedp.Poll[chromedp.Void](`typeof htmx !== "undefined"`, chromedp.WithPollingTimeout(2*time.Minute)),
		chromedp.Evaluate[chromedp.Void](`window.notReloaded = true; 0`),
		chromedp.SetValue(chromedp.CSS(`#f-status`), "awaiting-corrections"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-status").dispatchEvent(new Event("change", {bubbles: true})); 0`),
		chromedp.Poll[chromedp.Void](`location.search.includes("status=awaiting-corrections")`, chromedp.WithPollingTimeout(2*time.Minute)),
		chromedp.WaitVisible(chromedp.CSS(`#empty`))))
	if !eval[bool](t, ctx, `window.notReloaded === true`) {
		t.Errorf("the filter reloaded the page instead of going through htmx")
	}
	fail(t, "filter", chromedp.Do(ctx, chromedp.Navigate(s.url+"/tooloend?kind=committee-decision&escalated=1"), chromedp.WaitVisible(chromedp.CSS(`#empty`))))
	check(t, ctx, "worklist-filtered")
}

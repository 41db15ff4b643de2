package web_test

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/worker"

	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/examples"
	"github.com/kutsekoda/alusdok/internal/app"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/internal/connect"
	"github.com/kutsekoda/alusdok/internal/devstack"
	"github.com/kutsekoda/alusdok/internal/devstack/devstacktest"
	"github.com/kutsekoda/alusdok/store"
)

// shared is one embedded Temporal and FerretDB for the package's tests,
// started on first use.
var shared = devstacktest.Shared{Name: "web"}

// browser is one headless Chromium for the package's tests (each test gets
// its own browser context: its own cookies); nil when there is none.
var (
	browser       context.Context
	browserReason string
)

func TestMain(m *testing.M) {
	gin.SetMode(gin.TestMode)
	cancel := startBrowser()
	code := m.Run()
	cancel()
	shared.Close()
	os.Exit(code)
}

// chromiumPath finds Debian's chromium (scripts/install-test-deps.sh).
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func startBrowser() context.CancelFunc {
	path := chromiumPath()
	if path == "" {
		browserReason = "chromium is not installed (scripts/install-test-deps.sh installs it)"
		return func() {}
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.WindowSize(1280, 1000), chromedp.Flag("lang", "et-EE"))
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	if err := chromedp.Do(bctx); err != nil { // starts the browser
		browserReason = "chromium does not start: " + err.Error()
		bcancel()
		acancel()
		return func() {}
	}
	browser = bctx
	return func() { bcancel(); acancel() }
}

// needBrowser skips a test without a browser, except under CI, where the
// browser tests must run.
func needBrowser(t *testing.T) {
	t.Helper()
	if browser != nil {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("browser tests must run under CI: %s", browserReason)
	}
	t.Skipf("browser tests skipped: %s", browserReason)
}

// tab opens a fresh browser context (own cookies) with a generous timeout:
// the tests run on loaded two-core machines.
func tab(t *testing.T) context.Context {
	t.Helper()
	needBrowser(t)
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelT(); cancel() })
	return ctx
}

// The holder of the example committee decision's first certificate: the demo
// person.
var holder = examples.Document(documents.CommitteeDecision).Payload.Certificates[0]

// Demo identities of the tests: those of alusdok dev, and a submitter of
// another awarding body.
const (
	clerkName      = "Mari Menetleja"
	substituteName = "Jaan Asendaja"
	supervisorName = "Urve Järelevalve"
	bodyName       = "Tiina Org"
	personName     = "Mart Kuusk"
	otherBodyName  = "Külmatehnika Liit"
)

// site is alusdok — the real router as app.Run builds it, API and web —
// on httptest over the embedded stack, with its own database and worker.
type site struct {
	url    string
	wiring *app.Wiring
	cl     app.Clients
}

func startSite(tb testing.TB) *site { return startSiteWith(tb, nil) }

// startSiteWith is startSite with the configuration changed by edit, which
// is given the site's URL.
func startSiteWith(tb testing.TB, edit func(cfg *config.Server, siteURL string)) *site {
	tb.Helper()
	srv := httptest.NewUnstartedServer(nil)
	tb.Cleanup(srv.Close)
	siteURL := "http://" + srv.Listener.Addr().String()
	ctx := context.Background()
	db := shared.Database(tb)
	stack := shared.Stack()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	trust, err := filepath.Abs("../documents/testdata/trust")
	if err != nil {
		tb.Fatal(err)
	}
	cfg := config.Server{
		Temporal: config.Temporal{Address: stack.TemporalAddress, Namespace: devstack.Namespace, TaskQueue: db.Name()},
		Mongo:    config.Mongo{URI: config.Secret(stack.MongoURI)},
		Shutdown: config.Shutdown{Timeout: 10 * time.Second},
		Retain:   config.Retention{Years: 10},
		API: config.APIOptions{
			Documents: config.Documents{TrustDir: trust, MaxPDFBytes: 20 << 20, MaxPages: 500, PDFTimeout: 30 * time.Second},
			Limits:    config.Limits{MaxBody: 25 << 20},
		},
		Worker: config.WorkerOptions{
			Procedure: config.Procedure{SubmissionDays: 10, EntryDays: 10, CorrectionDays: 10, MaxExtensionDays: 20,
				ReminderDays: []int{3, 0}, ReminderTime: "09:00"},
			SMTP: config.SMTP{From: "Kutseregister <kutseregister@kutsekoda.ee>", TLS: "none", Timeout: 10 * time.Second},
		},
	}
	if edit != nil {
		edit(&cfg, siteURL)
	}
	tc, err := connect.Temporal(ctx, cfg.Temporal, nil, log) // payloads unencrypted: the tests read no Temporal storage
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(tc.Close)
	cl := app.Clients{Temporal: tc, Mongo: db.Client(), DB: db}
	w, err := app.Build(ctx, log, cl, cfg)
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.Store.Seed(ctx, examples.Register(), store.Entry{SubmissionID: "seed", EntryNumber: "KR-seed", At: time.Now()}); err != nil {
		tb.Fatal(err)
	}
	wk := worker.New(tc, w.TaskQueue, worker.Options{})
	w.Register(wk)
	if err := wk.Start(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(wk.Stop)
	ids := auth.DemoIdentities(examples.ElectriciansUnion, holder.PersonalCode)
	ids = append(ids, auth.Principal{Role: auth.RoleSubmitter, Organisation: examples.RefrigerationUnion, Name: otherBodyName})
	router, err := app.Router(log, cl, w, app.Deps(log, cl, w), app.WebOptions{Dev: true, DemoIdentities: ids,
		Clerks: []string{clerkName, substituteName}})
	if err != nil {
		tb.Fatal(err)
	}
	srv.Config.Handler = router
	srv.Start()
	return &site{url: srv.URL, wiring: w, cl: cl}
}

// submit starts a submission of the example committee decision (metadata
// changed by edit, when given) for the example awarding body, through
// intake, and waits until it is in review with its deadlines.
func (s *site) submit(tb testing.TB, number string) string {
	tb.Helper()
	ctx := context.Background()
	meta := exampleMetadata(tb, func(d *documents.BaseDocument) {
		d.Number = number
		// Certificate numbers of their own, so that several submissions
		// can all be entered.
		for i := range d.Payload.Certificates {
			d.Payload.Certificates[i].Number = strings.NewReplacer("/", "-", "EK-", "").Replace(number) + "-" + strconv.Itoa(i+1)
		}
	})
	pdf, err := os.Open("../documents/testdata/examples/committee-decision.pdf")
	if err != nil {
		tb.Fatal(err)
	}
	defer pdf.Close()
	rc, err := s.wiring.Intake.Submit(ctx, intakeRequest(pdf, meta))
	if err != nil {
		tb.Fatalf("submit: %v", err)
	}
	s.waitFor(tb, rc.SubmissionID, "in review", func(sub store.Submission) bool {
		return sub.Status == "in-review" && !sub.Deadlines.Entry.IsZero()
	})
	return rc.SubmissionID
}

func (s *site) waitFor(tb testing.TB, id, what string, cond func(store.Submission) bool) store.Submission {
	tb.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		sub, err := s.wiring.Store.Submission(context.Background(), id)
		if err == nil && cond(sub) {
			return sub
		}
		if time.Now().After(deadline) {
			tb.Fatalf("submission %s: not %s within 90s (%+v, %v)", id, what, sub.Status, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func fail(t *testing.T, step string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

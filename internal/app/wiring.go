package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"go.temporal.io/sdk/worker"
	"golang.org/x/oauth2"

	"github.com/kutsekoda/alusdok/accesslog"
	"github.com/kutsekoda/alusdok/activities"
	"github.com/kutsekoda/alusdok/audit"
	"github.com/kutsekoda/alusdok/auth"
	"github.com/kutsekoda/alusdok/documents"
	"github.com/kutsekoda/alusdok/documents/pdfintake"
	"github.com/kutsekoda/alusdok/intake"
	"github.com/kutsekoda/alusdok/internal/config"
	"github.com/kutsekoda/alusdok/notices"
	"github.com/kutsekoda/alusdok/retention"
	"github.com/kutsekoda/alusdok/store"
	"github.com/kutsekoda/alusdok/web"
	"github.com/kutsekoda/alusdok/workdays"
	"github.com/kutsekoda/alusdok/workflows"
)

// Wiring is what the worker registers and the API calls, built once from
// the clients and the configuration: the composition root.
type Wiring struct {
	TaskQueue string
	Register  func(worker.Registry) // nil unless the process runs the worker
	// Calendar and MaxExtensionDays are the procedure's, for the web front.
	Calendar         *workdays.Calendar
	MaxExtensionDays int
	Store            *store.Store
	Intake           *intake.Service
	Activities       *activities.Activities
	Audit            *audit.Log
	Keys             *auth.KeyStore
	Access           *accesslog.Store
	Tokens           *auth.TokenVerifier // nil without an OIDC issuer
	// WebOIDC is the web front's sign-in (nil without an issuer and a
	// --web-url); WebURL the front's public base URL.
	WebOIDC      *web.OIDC
	WebURL       string
	Limits       config.Limits
	WorkerConfig config.WorkerOptions // the schedules' configuration
	// CodecOrigins may call the codec endpoint from a browser.
	CodecOrigins []string
}

// Build makes the Wiring of a process that runs both halves.
func Build(ctx context.Context, log *slog.Logger, cl Clients, cfg config.Server) (*Wiring, error) {
	return BuildRoles(ctx, log, cl, cfg, Roles{API: true, Worker: true})
}

// BuildRoles makes the Wiring of a process that runs the given halves. The
// activities are built only for a worker: `alusdok api` reads only the
// procedure's periods and calendar of the worker's options, and checking
// the rest there stopped it at start.
func BuildRoles(ctx context.Context, log *slog.Logger, cl Clients, cfg config.Server, roles Roles) (*Wiring, error) {
	st := store.New(cl.DB)
	if err := st.EnsureCollections(ctx); err != nil {
		return nil, err
	}
	if err := st.EnsureClaims(ctx); err != nil {
		return nil, fmt.Errorf("certificate claims: %w", err)
	}
	if err := st.EnsureBlocks(ctx); err != nil {
		return nil, fmt.Errorf("certificate numbers by block: %w", err)
	}
	validator := documents.NewValidator(documents.DefaultPolicy())
	queue := cfg.Temporal.TaskQueue
	if queue == "" {
		queue = workflows.TaskQueue
	}
	w := &Wiring{TaskQueue: queue, Store: st, WorkerConfig: cfg.Worker, CodecOrigins: cfg.Codec.CORSOrigins}

	policy, err := retention.New(cfg.Retain.Years, cfg.Retain.Periods)
	if err != nil {
		return nil, fmt.Errorf("--retention-periods: %w", err)
	}
	// The calendar and the periods: the worker computes deadlines with
	// them, the web front shows them (an extension's limit).
	cal, err := newCalendar(cfg.Worker.Procedure)
	if err != nil {
		return nil, err
	}
	w.Calendar, w.MaxExtensionDays = cal, cfg.Worker.Procedure.MaxExtensionDays
	if roles.Worker {
		acts, err := newActivities(log, st, validator, cal, cfg.Worker)
		if err != nil {
			return nil, err
		}
		acts.Signals = cl.Temporal // reports learn of corrections entered (R14.3)
		acts.Retention = policy
		acts.ArchiveDir = cfg.Worker.Retention.ArchiveDir
		acts.HolderAddress = cfg.Worker.Holders.EmailTemplate
		acts.Temporal = cl.Temporal
		acts.TaskQueue = queue
		w.Activities = acts
		w.Register = func(r worker.Registry) {
			r.RegisterWorkflow(workflows.BaseDocumentWorkflow)
			r.RegisterWorkflow(workflows.JanitorWorkflow)
			r.RegisterWorkflow(workflows.ReportWorkflow)
			r.RegisterWorkflow(workflows.ExportWorkflow)
			r.RegisterWorkflow(workflows.CheckpointWorkflow)
			r.RegisterWorkflow(workflows.RetentionWorkflow)
			r.RegisterWorkflow(workflows.HolderNoticesWorkflow)
			r.RegisterWorkflow(workflows.ExpiryNoticesWorkflow)
			r.RegisterActivity(acts)
		}
	}

	d := cfg.API.Documents
	pdfOpts := pdfintake.Options{
		MaxBytes: int64(d.MaxPDFBytes), MaxPages: d.MaxPages, Timeout: d.PDFTimeout, TrustDir: d.TrustDir,
		MaxConcurrent: d.PDFWorkers, ChildMemory: int64(d.PDFMemory),
		Logger: log.With("component", "pdfintake"),
	}
	if len(d.PDFChild) > 0 {
		pdfOpts.Child = &pdfintake.Command{Path: d.PDFChild[0], Args: d.PDFChild[1:]}
	} else {
		pdfOpts.InProcess = true
	}
	w.Intake, err = intake.New(intake.Options{
		Store: st, Temporal: cl.Temporal, Validator: validator, TaskQueue: queue, Logger: log.With("component", "intake"),
		Retention: policy,
		PDF:       pdfOpts,
	})
	if err != nil {
		return nil, err
	}

	w.Audit = audit.New(cl.DB)
	if acts := w.Activities; acts != nil {
		acts.AuditLog = w.Audit
		if cl.Metrics != nil {
			p := cl.Metrics.Procedure()
			acts.Deliveries, acts.DecisionTime = p.Deliveries, p.DecisionTime
		}
		if f := cfg.Worker.AuditKey.File; f != "" {
			if acts.AuditSigner, err = audit.LoadSigner(f); err != nil {
				return nil, err
			}
		} else {
			log.Warn("ALUSDOK_AUDIT_KEY_FILE is not set: the processing log is not anchored by signed checkpoints")
		}
	}
	w.Keys = auth.NewKeyStore(cl.DB)
	w.Limits = cfg.API.Limits
	key := []byte(cfg.API.AccessLog.Key)
	if len(key) == 0 {
		log.Warn("ALUSDOK_ACCESSLOG_KEY is not set: the data-access log uses a key kept in the database (development only)")
		if key, err = accesslog.DevelopmentKey(ctx, cl.DB); err != nil {
			return nil, err
		}
	}
	if w.Access, err = accesslog.NewStore(cl.DB, key, accesslog.Options{}); err != nil {
		return nil, err
	}
	if cfg.API.OIDC.Issuer != "" {
		if w.Tokens, err = auth.NewTokenVerifier(ctx, cfg.API.OIDC); err != nil {
			return nil, fmt.Errorf("OpenID Connect: %w", err)
		}
		if o := cfg.API.OIDC; o.WebURL != "" {
			provider, err := oidc.NewProvider(ctx, o.Issuer)
			if err != nil {
				return nil, fmt.Errorf("OpenID Connect issuer %s: %w", o.Issuer, err)
			}
			w.WebOIDC = &web.OIDC{Tokens: w.Tokens, OAuth2: oauth2.Config{
				ClientID: o.Audience, ClientSecret: string(o.ClientSecret), Endpoint: provider.Endpoint(),
				RedirectURL: web.RedirectURL(o.WebURL), Scopes: []string{oidc.ScopeOpenID, "profile"},
			}}
		}
	}
	w.WebURL = cfg.API.OIDC.WebURL
	return w, nil
}

// newCalendar is the working-day calendar of the procedure's configuration.
func newCalendar(p config.Procedure) (*workdays.Calendar, error) {
	reminder, err := time.Parse("15:04", p.ReminderTime)
	if err != nil {
		return nil, fmt.Errorf("--reminder-time %q: want HH:MM", p.ReminderTime)
	}
	holidays := workdays.DefaultHolidays()
	if p.HolidaysFile != "" {
		f, err := os.Open(p.HolidaysFile)
		if err != nil {
			return nil, fmt.Errorf("holidays file: %w", err)
		}
		holidays, err = workdays.ReadHolidays(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("holidays file %s: %w", p.HolidaysFile, err)
		}
	}
	loc, err := workdays.LoadTallinn()
	if err != nil {
		return nil, err
	}
	return workdays.New(holidays, loc, workdays.WithReminderTime(reminder.Hour(), reminder.Minute()))
}

func newActivities(log *slog.Logger, st *store.Store, v *documents.Validator, cal *workdays.Calendar, cfg config.WorkerOptions) (*activities.Activities, error) {
	p := cfg.Procedure
	renderer, err := newRenderer(log, cfg)
	if err != nil {
		return nil, err
	}
	acts := &activities.Activities{
		Calendar: cal,
		Periods: activities.Periods{
			Submission: p.SubmissionDays, Entry: p.EntryDays, Correction: p.CorrectionDays,
			MaxExtension: p.MaxExtensionDays, ReminderDays: p.ReminderDays,
			Review: p.ReviewDays,
		},
		Store:     st,
		Validator: v,
		Notices:   renderer,
		Audit:     audit.New(st.DB()),
		AlarmTo:   map[workflows.AlarmKind]string{workflows.AlarmReminder: cfg.Alarms.Clerks, workflows.AlarmEscalation: cfg.Alarms.Supervisors},
		Log:       log.With("component", "activities"),
		OpenData:  activities.OpenDataOptions{BaseURL: cfg.OpenData.BaseURL},
	}
	if s := cfg.SMTP; s.Host != "" {
		m, err := notices.NewMailer(notices.MailConfig{
			Host: s.Host, Port: s.Port, Username: s.Username, Password: string(s.Password),
			From: s.From, TLS: notices.TLSMode(s.TLS), Timeout: s.Timeout,
		})
		if err != nil {
			return nil, fmt.Errorf("SMTP: %w", err)
		}
		acts.Mailer = m
	}
	return acts, nil
}

// newRenderer makes the notices' renderer with the configured letterhead
// and e-seal. Without a seal the notices go out unsealed, with a warning.
func newRenderer(log *slog.Logger, cfg config.WorkerOptions) (*notices.Renderer, error) {
	lh := cfg.Letterhead
	sender := notices.DefaultSender()
	if lh.Name != "" {
		sender = notices.Sender{Name: lh.Name, Unit: lh.Unit, Address: lh.Address, RegistryCode: lh.RegistryCode,
			Email: lh.Email, Phone: lh.Phone, Web: lh.Web}
	}
	var opts []notices.Option
	if s := cfg.Seal; s.Cert != "" {
		password := string(s.Password)
		if password == "" && s.PasswordFile != "" {
			b, err := os.ReadFile(s.PasswordFile)
			if err != nil {
				return nil, fmt.Errorf("seal password file: %w", err)
			}
			password = strings.TrimRight(string(b), "\r\n")
		}
		seal, err := notices.LoadSeal(notices.SealFiles{Certificate: s.Cert, Key: s.Key, Password: password, TSA: s.TSA}, time.Now())
		if err != nil {
			return nil, fmt.Errorf("--seal-cert: %w", err)
		}
		log.Info("notices are sealed", "seal", seal.Certificate.Subject.String(), "until", seal.Certificate.NotAfter.Format(time.DateOnly), "timestamp", s.TSA != "")
		if time.Until(seal.Certificate.NotAfter) < 30*24*time.Hour {
			log.Warn("the e-seal certificate expires within 30 days: renew it, or notices will stop", "until", seal.Certificate.NotAfter)
		}
		opts = append(opts, notices.WithSeal(seal))
	} else if cfg.Procedure.EntryDays != 0 { // a worker's configuration, not the API's
		log.Warn("ALUSDOK_SEAL_CERT is not set: written notices are not sealed")
	}
	return notices.NewRenderer(sender, opts...)
}

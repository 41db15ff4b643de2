package notices

import (
	"bytes"
	"context"
	"errors"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kutsekoda/alusdok/notices/smtptest"
)

// mailConfig is a configuration for the test server srv.
func mailConfig(srv *smtptest.Server, mode TLSMode) MailConfig {
	return MailConfig{
		Host: srv.Host, Port: srv.Port, TLS: mode, Timeout: 5 * time.Second,
		From: "Kutseregister <kutseregister@example.ee>", TLSConfig: srv.ClientTLSConfig(),
	}
}

// mustMailer returns a Mailer or stops the test.
func mustMailer(tb testing.TB, cfg MailConfig) *Mailer {
	tb.Helper()
	m, err := NewMailer(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// mustMail renders n and composes its e-mail.
func mustMail(tb testing.TB, n Notice) Message {
	tb.Helper()
	r := mustRenderer(tb)
	pdf, err := r.Render(n)
	if err != nil {
		tb.Fatal(err)
	}
	msg, err := r.Mail(n, pdf)
	if err != nil {
		tb.Fatal(err)
	}
	return msg
}

func TestEntryNoticeIsMailedWithItsPDF_R12_4(t *testing.T) {
	srv := smtptest.Start(t)
	msg := mustMail(t, entry(t, 3))
	if err := mustMailer(t, mailConfig(srv, TLSNone)).Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	m := got[0]
	if m.From != "kutseregister@example.ee" || len(m.To) != 1 || m.To[0] != "oppeosakond@example.ee" {
		t.Errorf("envelope from %q to %v", m.From, m.To)
	}
	if want := "Kutseregister: Teade andmete kutseregistrisse kandmise kohta (viide KR-2027/000042)"; m.Subject != want {
		t.Errorf("subject = %q, want %q", m.Subject, want)
	}
	for _, want := range []string{
		"Lugupeetud andmete esitaja", "„Teade andmete kutseregistrisse kandmise kohta“",
		"Meie viide: KR-2027/000042", "Alusdokument: Kutsekomisjoni otsus nr KK-12/3, 15.02.2027",
		"Andmed kanti kutseregistrisse 02.03.2027.", "Mari-Liis Õunapuu", "In English: Data entered in the register",
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Text)
		}
	}
	if len(m.Attachments) != 1 {
		t.Fatalf("%d attachments, want 1", len(m.Attachments))
	}
	a := m.Attachments[0]
	if a.Filename != "kutseregister-entry-KR-2027_000042.pdf" || a.ContentType != "application/pdf" {
		t.Errorf("attachment %q of type %q", a.Filename, a.ContentType)
	}
	if !bytes.Equal(a.Data, msg.Attachment.Data) {
		t.Error("attached PDF differs from the rendered one")
	}
	if id := m.Header.Get("Message-Id"); id != "<"+msg.MessageID+">" {
		t.Errorf("Message-ID %q, want <%s>", id, msg.MessageID)
	}
}

func TestMailsNameNoPersonalData_R15_1(t *testing.T) {
	personalCode := regexp.MustCompile(`[1-6]\d{10}`)
	for _, n := range []Notice{correctionRequest(t, 3), extension(t), entry(t, 2), refusal(t)} {
		t.Run(string(n.Kind()), func(t *testing.T) {
			msg := mustMail(t, n)
			for _, text := range []string{msg.Subject, msg.Body} {
				if m := personalCode.FindString(text); m != "" {
					t.Errorf("e-mail shows personal code %s", m)
				}
			}
			if !strings.Contains(msg.Body, "KR-2027/000042") || !strings.Contains(msg.Body, "KK-12/3") {
				t.Errorf("e-mail does not name submission and base document:\n%s", msg.Body)
			}
		})
	}
}

func TestMailIsSameForSameNotice(t *testing.T) {
	a, b := mustMail(t, refusal(t)), mustMail(t, refusal(t))
	if a.MessageID != b.MessageID || a.Body != b.Body || a.Subject != b.Subject {
		t.Error("the same notice gave different e-mails")
	}
	if c := mustMail(t, extension(t)); c.MessageID == a.MessageID {
		t.Error("different notices share a Message-ID")
	}
}

func TestMailOverTLSAndWithAuth(t *testing.T) {
	tests := []struct {
		name string
		tls  smtptest.TLS
		mode TLSMode
		auth bool
	}{
		{"starttls", smtptest.StartTLS, TLSStartTLS, false},
		{"implicit tls", smtptest.ImplicitTLS, TLSImplicit, false},
		{"plain with auth", smtptest.NoTLS, TLSNone, true},
		{"starttls with auth", smtptest.StartTLS, TLSStartTLS, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := []smtptest.Option{smtptest.WithTLS(tc.tls)}
			if tc.auth {
				opts = append(opts, smtptest.WithAuth("kr", "s3cret"))
			}
			srv := smtptest.Start(t, opts...)
			cfg := mailConfig(srv, tc.mode)
			if tc.auth {
				cfg.Username, cfg.Password = "kr", "s3cret"
			}
			if err := mustMailer(t, cfg).Send(context.Background(), mustMail(t, extension(t))); err != nil {
				t.Fatal(err)
			}
			if n := len(srv.Messages()); n != 1 {
				t.Errorf("server received %d messages, want 1", n)
			}
		})
	}
}

func TestSendFailuresArePermanentOrTemporary(t *testing.T) {
	closedPort := func(t *testing.T) int {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		_ = ln.Close()
		return port
	}
	tests := []struct {
		name      string
		server    []smtptest.Option
		change    func(t *testing.T, cfg *MailConfig, msg *Message)
		permanent bool
		code      int
	}{
		{"recipient refused 550", []smtptest.Option{smtptest.RejectRecipients(550, "oppeosakond@example.ee")}, nil, true, 550},
		{"recipient deferred 450", []smtptest.Option{smtptest.RejectRecipients(450, "oppeosakond@example.ee")}, nil, false, 450},
		{"wrong password", []smtptest.Option{smtptest.WithAuth("kr", "s3cret")},
			func(_ *testing.T, cfg *MailConfig, _ *Message) { cfg.Username, cfg.Password = "kr", "wrong" }, true, 535},
		{"malformed recipient", nil, func(_ *testing.T, _ *MailConfig, msg *Message) { msg.To = "not an address" }, true, 0},
		{"server down", nil, func(t *testing.T, cfg *MailConfig, _ *Message) { cfg.Port = closedPort(t) }, false, 0},
		{"starttls not offered", nil, func(_ *testing.T, cfg *MailConfig, _ *Message) { cfg.TLS = TLSStartTLS }, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := smtptest.Start(t, tc.server...)
			cfg, msg := mailConfig(srv, TLSNone), mustMail(t, entry(t, 1))
			if tc.change != nil {
				tc.change(t, &cfg, &msg)
			}
			err := mustMailer(t, cfg).Send(context.Background(), msg)
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("Send error = %v, want a *SendError", err)
			}
			if IsPermanent(err) != tc.permanent || se.Code != tc.code {
				t.Errorf("Send error %v: permanent %v code %d, want %v %d", err, IsPermanent(err), se.Code, tc.permanent, tc.code)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server accepted %d messages", n)
			}
		})
	}
}

func TestSendStopsWithContext(t *testing.T) {
	srv := smtptest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := mustMailer(t, mailConfig(srv, TLSNone)).Send(ctx, mustMail(t, entry(t, 1)))
	if err == nil || IsPermanent(err) {
		t.Errorf("Send with cancelled context = %v, want a temporary failure", err)
	}
}

func TestMailConfig(t *testing.T) {
	good := MailConfig{Host: "smtp.example.ee", From: "kr@example.ee", Username: "kr", Password: "s3cret"}
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	if s := good.String(); strings.Contains(s, "s3cret") || !strings.Contains(s, "port=587") || !strings.Contains(s, "tls=starttls") {
		t.Errorf("String() = %s, want password masked and starttls on 587", s)
	}
	tests := []struct {
		name   string
		change func(*MailConfig)
		want   string
	}{
		{"no host", func(c *MailConfig) { c.Host = "" }, "missing host"},
		{"bad from", func(c *MailConfig) { c.From = "kutseregister" }, "from"},
		{"bad tls", func(c *MailConfig) { c.TLS = "ssl" }, "tls mode"},
		{"bad port", func(c *MailConfig) { c.Port = 70000 }, "port"},
		{"password alone", func(c *MailConfig) { c.Username = "" }, "password without username"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := good
			tc.change(&c)
			if _, err := NewMailer(c); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewMailer error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestMailRepeatsTheLettersTextsInWords_R12_2_R12_4(t *testing.T) {
	r := mustRenderer(t)
	for _, tc := range []struct {
		n    Notice
		want []string
	}{
		{correctionRequest(t, 4), []string{"Puudused (4):", "1. Kutsetunnistused, rida 1: isikukood – Isikukoodi [isikukood] kontrolljärk ei klapi",
			"4. Kutsetunnistused, rida 4: kehtiv kuni – Hoiatus: Kehtivus on pikem"}},
		{refusal(t), []string{"Keeldumise põhjused:", "1. Kutse andjal ei olnud otsuse kuupäeval õigust anda taset 5 (R9.4).", "Puudused (2):"}},
		{extension(t), []string{"Pikendamise põhjus: Alusdokumendis on 412 kutsetunnistust"}},
	} {
		t.Run(string(tc.n.Kind()), func(t *testing.T) {
			pdf, err := r.Render(tc.n)
			if err != nil {
				t.Fatal(err)
			}
			msg, err := r.Mail(tc.n, pdf)
			if err != nil {
				t.Fatal(err)
			}
			letter := squash(pdfText(t, pdf))
			for _, want := range tc.want {
				if !strings.Contains(msg.Body, want) {
					t.Errorf("e-mail lacks %q:\n%s", want, msg.Body)
				}
			}
			// Every deficiency's place and message read the same in the letter.
			if c, ok := tc.n.(CorrectionRequest); ok {
				for _, d := range describe(c.Deficiencies) {
					if !strings.Contains(letter, squash(d.where)) || !strings.Contains(letter, squash(d.what)) {
						t.Errorf("letter lacks %q / %q", d.where, d.what)
					}
				}
			}
			if strings.Contains(msg.Body, "payload.") || strings.Contains(msg.Body, "IDCODE_CHECKSUM") {
				t.Errorf("e-mail shows a field path or code:\n%s", msg.Body)
			}
		})
	}
}

func TestLetterheadComesFromConfiguration(t *testing.T) {
	r, err := NewRenderer(Sender{
		Name: "Sihtasutus Kutsekoda", Unit: "Kutseregister", Address: "Mustamäe tee 16, 10617 Tallinn",
		RegistryCode: "90000245", Email: "kutseregister@kutsekoda.ee", Phone: "+372 679 1700", Web: "www.kutseregister.ee",
	})
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := r.Render(entry(t, 1))
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, pdf)
	for _, want := range []string{"Mustamäe tee 16, 10617 Tallinn · registrikood 90000245",
		"kutseregister@kutsekoda.ee · +372 679 1700 · www.kutseregister.ee"} {
		if !strings.Contains(text, want) {
			t.Errorf("letterhead lacks %q:\n%s", want, text)
		}
	}
}

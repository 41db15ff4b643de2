package notices

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode is how the connection to the SMTP server is encrypted.
type TLSMode string

// The TLS modes.
const (
	// TLSNone sends in the clear (a relay on the local network only).
	TLSNone TLSMode = "none"
	// TLSStartTLS upgrades the connection with STARTTLS and fails if the
	// server does not offer it (submission, port 587).
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte (port 465).
	TLSImplicit TLSMode = "tls"
)

// defaultMailTimeout bounds connecting and each SMTP command.
const defaultMailTimeout = 30 * time.Second

// MailConfig is the SMTP configuration of a Mailer.
type MailConfig struct {
	// Host and Port of the SMTP server; Port 0 means 25, 587 or 465 by
	// TLS mode.
	Host string `json:"host" yaml:"host"`
	Port int    `json:"port" yaml:"port"`
	// Username and Password authenticate, if Username is set.
	Username string `json:"username" yaml:"username"`
	Password string `json:"password" yaml:"password"`
	// From is the sender: "Kutseregister <kutseregister@kutsekoda.ee>".
	From string `json:"from" yaml:"from"`
	// TLS is the TLS mode; empty means starttls.
	TLS TLSMode `json:"tls" yaml:"tls"`
	// Timeout bounds connecting and each SMTP command; 0 means 30 s.
	Timeout time.Duration `json:"timeout" yaml:"timeout"`
	// TLSConfig, if set, replaces the default TLS configuration (for a
	// private CA).
	TLSConfig *tls.Config `json:"-" yaml:"-"`
}

// String shows the configuration with the password masked.
func (c MailConfig) String() string {
	pw := ""
	if c.Password != "" {
		pw = "***"
	}
	return fmt.Sprintf("smtp{host=%s port=%d tls=%s user=%s password=%s from=%s timeout=%s}",
		c.Host, c.port(), c.mode(), c.Username, pw, c.From, c.timeout())
}

func (c MailConfig) mode() TLSMode {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c MailConfig) port() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.mode() == TLSImplicit:
		return 465
	case c.mode() == TLSStartTLS:
		return 587
	}
	return 25
}

func (c MailConfig) timeout() time.Duration {
	if c.Timeout <= 0 {
		return defaultMailTimeout
	}
	return c.Timeout
}

// Validate checks the configuration.
func (c MailConfig) Validate() error {
	var errs []error
	if strings.TrimSpace(c.Host) == "" {
		errs = append(errs, errors.New("missing host"))
	}
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("port %d out of range", c.Port))
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		errs = append(errs, fmt.Errorf("from %q: %w", c.From, err))
	}
	switch c.mode() {
	case TLSNone, TLSStartTLS, TLSImplicit:
	default:
		errs = append(errs, fmt.Errorf("tls mode %q is not none, starttls or tls", c.TLS))
	}
	if c.Password != "" && c.Username == "" {
		errs = append(errs, errors.New("password without username"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("invalid mail config: %w", err)
	}
	return nil
}

// Mailer sends notices by SMTP, one connection per message. It is safe
// for concurrent use.
type Mailer struct {
	cfg MailConfig
}

// NewMailer returns a Mailer for cfg.
func NewMailer(cfg MailConfig) (*Mailer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Mailer{cfg: cfg}, nil
}

// Send sends msg. A failure is a *SendError; IsPermanent tells whether
// sending it again can help.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	gm, err := m.message(msg)
	if err != nil {
		return &SendError{Permanent: true, Err: fmt.Errorf("send notice mail: %w", err)}
	}
	client, err := gomail.NewClient(m.cfg.Host, m.options()...)
	if err != nil {
		return &SendError{Permanent: true, Err: fmt.Errorf("send notice mail: smtp client: %w", err)}
	}
	if err := client.DialAndSendWithContext(ctx, gm); err != nil {
		return classify(ctx, fmt.Errorf("send notice mail to %s via %s:%d: %w", msg.To, m.cfg.Host, m.cfg.port(), err))
	}
	return nil
}

// options maps the configuration to go-mail's client options.
func (m *Mailer) options() []gomail.Option {
	c := m.cfg
	opts := []gomail.Option{gomail.WithPort(c.port()), gomail.WithTimeout(c.timeout())}
	tlsConf := c.TLSConfig
	if tlsConf == nil {
		tlsConf = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tlsConf = tlsConf.Clone()
	if tlsConf.ServerName == "" {
		tlsConf.ServerName = c.Host
	}
	opts = append(opts, gomail.WithTLSConfig(tlsConf))
	switch c.mode() {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSStartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	}
	if c.Username != "" {
		// Over TLS the strongest mechanism the server offers; in the clear
		// PLAIN, which go-mail allows to localhost only, so that a password
		// never crosses a network unencrypted.
		auth := gomail.SMTPAuthAutoDiscover
		if c.mode() == TLSNone {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	return opts
}

// message builds the MIME message.
func (m *Mailer) message(msg Message) (*gomail.Msg, error) {
	if _, err := mail.ParseAddress(msg.To); err != nil {
		return nil, fmt.Errorf("recipient %q: %w", msg.To, err)
	}
	gm := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := gm.From(m.cfg.From); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	if err := gm.To(msg.To); err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	gm.Subject(msg.Subject)
	if msg.MessageID != "" {
		gm.SetMessageIDWithValue(msg.MessageID)
	}
	gm.SetBodyString(gomail.TypeTextPlain, msg.Body)
	if len(msg.Attachment.Data) == 0 {
		return gm, nil // a plain message: reminders to clerks
	}
	contentType := msg.Attachment.ContentType
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	if err := gm.AttachReader(msg.Attachment.Name, bytes.NewReader(msg.Attachment.Data),
		gomail.WithFileContentType(gomail.ContentType(contentType))); err != nil {
		return nil, fmt.Errorf("attach %s: %w", msg.Attachment.Name, err)
	}
	return gm, nil
}

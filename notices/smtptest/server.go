// Package smtptest runs an SMTP server in the test process, for tests that
// send notices by e-mail: it listens on 127.0.0.1, records every message
// it accepts with its attachments decoded, and can refuse recipients with
// a chosen reply code.
//
//	srv := smtptest.Start(t)
//	cfg := notices.MailConfig{Host: srv.Host, Port: srv.Port, TLS: notices.TLSNone, From: "kr@example.ee"}
//	... send ...
//	msgs := srv.Messages()
package smtptest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TLS is how the test server offers TLS.
type TLS int

// The TLS modes of the test server.
const (
	// NoTLS speaks plain SMTP.
	NoTLS TLS = iota
	// StartTLS offers STARTTLS.
	StartTLS
	// ImplicitTLS speaks TLS from the first byte.
	ImplicitTLS
)

// Server is a running test SMTP server.
type Server struct {
	// Addr is "127.0.0.1:port"; Host and Port are its parts.
	Addr string
	Host string
	Port int

	cfg    config
	cert   *x509.Certificate
	server *smtp.Server

	mu       sync.Mutex
	messages []Message
}

// config is what the options set.
type config struct {
	username, password string
	rejects            map[string]int
	tlsMode            TLS
}

// Option configures Start.
type Option func(*config)

// WithAuth requires AUTH PLAIN with username and password before MAIL.
func WithAuth(username, password string) Option {
	return func(c *config) { c.username, c.password = username, password }
}

// RejectRecipients makes RCPT TO fail for addrs with the reply code (550
// for a permanent refusal, 450 for a temporary one).
func RejectRecipients(code int, addrs ...string) Option {
	return func(c *config) {
		for _, a := range addrs {
			c.rejects[strings.ToLower(a)] = code
		}
	}
}

// WithTLS makes the server offer TLS with a self-signed certificate for
// 127.0.0.1; a client trusts it through Server.ClientTLSConfig.
func WithTLS(mode TLS) Option {
	return func(c *config) { c.tlsMode = mode }
}

// Start starts a server on 127.0.0.1 on a free port; it stops when the
// test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{cfg: config{rejects: map[string]int{}}}
	for _, o := range opts {
		o(&s.cfg)
	}
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 32 << 20
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.server = srv

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("smtptest: listen: %v", err)
	}
	if s.cfg.tlsMode != NoTLS {
		tlsConf, cert, err := selfSigned()
		if err != nil {
			_ = ln.Close()
			tb.Fatalf("smtptest: %v", err)
		}
		s.cert = cert
		if s.cfg.tlsMode == ImplicitTLS {
			ln = tls.NewListener(ln, tlsConf)
		} else {
			srv.TLSConfig = tlsConf
		}
	}
	addr := ln.Addr().(*net.TCPAddr)
	s.Addr, s.Host, s.Port = addr.String(), addr.IP.String(), addr.Port

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			tb.Errorf("smtptest: serve: %v", err)
		}
	}()
	tb.Cleanup(func() {
		_ = srv.Close()
		// Close only closes the listeners Serve has registered; if Serve
		// has not started yet, closing ln is what stops it.
		_ = ln.Close()
		<-done
	})
	return s
}

// ClientTLSConfig returns a TLS configuration that trusts the server's
// certificate, or nil for a server without TLS.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.cert == nil {
		return nil
	}
	pool := x509.NewCertPool()
	pool.AddCert(s.cert)
	return &tls.Config{RootCAs: pool, ServerName: s.Host, MinVersion: tls.VersionTLS12}
}

// Messages returns the messages accepted so far, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

func (s *Server) record(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
}

// newSession starts an SMTP session.
func (s *Server) newSession(*smtp.Conn) (smtp.Session, error) {
	return &session{server: s, authed: s.cfg.username == ""}, nil
}

// session is one SMTP session.
type session struct {
	server *Server
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string {
	if ss.server.cfg.username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != ss.server.cfg.username || password != ss.server.cfg.password {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if !ss.authed {
		return smtp.ErrAuthRequired
	}
	if code, ok := ss.server.cfg.rejects[strings.ToLower(to)]; ok {
		enhanced := smtp.EnhancedCode{5, 1, 1}
		if code < 500 {
			enhanced = smtp.EnhancedCode{4, 2, 0}
		}
		return &smtp.SMTPError{Code: code, EnhancedCode: enhanced, Message: fmt.Sprintf("recipient %s refused", to)}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read data: %w", err)
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "unparsable message: " + err.Error()}
	}
	m.From, m.To = ss.from, append([]string(nil), ss.to...)
	ss.server.record(m)
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

package testutil

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/config"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Mail is one message the test SMTP server received.
type Mail struct {
	From string
	To   []string
	Data []byte
	// TLS says the message came over TLS (STARTTLS or implicit); User is
	// who authenticated, "" if nobody did.
	TLS  bool
	User string
}

// SMTPOptions make the test server more like a real relay.
type SMTPOptions struct {
	// TLS, when set, is offered by STARTTLS, or spoken from the first
	// byte with Implicit (smtps://).
	TLS      *tls.Config
	Implicit bool
	// User and Password, when set, are required (AUTH PLAIN) before MAIL.
	User, Password string
	// Listen is the address to listen on; "" means 127.0.0.1:0.
	Listen string
	// FailFirst refuses the first FailFirst messages with a temporary
	// error (451), as a relay in trouble would.
	FailFirst int
}

// SMTPServer is a real SMTP listener in the test process
// (github.com/emersion/go-smtp) that keeps what it receives.
type SMTPServer struct {
	Addr    string // 127.0.0.1:port
	opts    SMTPOptions
	mu      sync.Mutex
	mail    []Mail
	refused []Mail
	more    chan struct{}
}

// StartSMTP listens on a free loopback port until the test ends.
func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	return StartSMTPWith(t, SMTPOptions{})
}

// StartSMTPWith is StartSMTP with TLS or authentication.
func StartSMTPWith(t testing.TB, opts SMTPOptions) *SMTPServer {
	t.Helper()
	addr := opts.Listen
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var ln net.Listener
	var err error
	if opts.Implicit {
		ln, err = tls.Listen("tcp", addr, opts.TLS)
	} else {
		ln, err = net.Listen("tcp", addr)
	}
	if err != nil {
		t.Fatal(err)
	}
	s := &SMTPServer{Addr: ln.Addr().String(), opts: opts, more: make(chan struct{}, 1)}
	srv := smtp.NewServer(smtpBackend{s})
	srv.Domain = "localhost"
	if !opts.Implicit {
		srv.TLSConfig = opts.TLS
	}
	// The client decides whether to send a password without TLS; the
	// test server accepts it so that tests can see what the client did.
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is an smtp:// URL for RECC_SMTP_URL.
func (s *SMTPServer) URL() string { return "smtp://" + s.Addr }

// Refused returns the messages FailFirst has refused so far.
func (s *SMTPServer) Refused() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.refused...)
}

// Received returns the messages so far.
func (s *SMTPServer) Received() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.mail...)
}

// WaitFor waits until n messages have arrived and returns them, failing
// the test after timeout.
func (s *SMTPServer) WaitFor(t testing.TB, n int, timeout time.Duration) []Mail {
	t.Helper()
	deadline := time.After(Scaled(timeout))
	for {
		if got := s.Received(); len(got) >= n {
			return got
		}
		select {
		case <-s.more:
		case <-deadline:
			t.Fatalf("SMTP server received %d messages, want %d", len(s.Received()), n)
		}
	}
}

type smtpBackend struct{ s *SMTPServer }

func (b smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &smtpSession{s: b.s, c: c}, nil
}

type smtpSession struct {
	s    *SMTPServer
	c    *smtp.Conn
	user string
	cur  Mail
}

func (x *smtpSession) AuthMechanisms() []string {
	if x.s.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != x.s.opts.User || pass != x.s.opts.Password {
			return errors.New("invalid username or password")
		}
		x.user = user
		return nil
	}), nil
}

func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.opts.User != "" && x.user == "" {
		return smtp.ErrAuthRequired
	}
	_, tlsOn := x.c.TLSConnectionState()
	x.cur = Mail{From: from, TLS: tlsOn, User: x.user}
	return nil
}

func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.cur.To = append(x.cur.To, to)
	return nil
}

func (x *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.cur.Data = b
	x.s.mu.Lock()
	if len(x.s.refused) < x.s.opts.FailFirst {
		x.s.refused = append(x.s.refused, x.cur)
		x.s.mu.Unlock()
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	x.s.mail = append(x.s.mail, x.cur)
	x.s.mu.Unlock()
	select {
	case x.s.more <- struct{}{}:
	default:
	}
	return nil
}

func (x *smtpSession) Reset()        { x.cur = Mail{} }
func (x *smtpSession) Logout() error { return nil }

// StartServingWithMail starts the application on engine with its email
// sent to relay, a fresh in-process SMTP server unless one is given.
func StartServingWithMail(t testing.TB, engine string, relay *SMTPServer) (*Serving, *SMTPServer) {
	t.Helper()
	if relay == nil {
		relay = StartSMTP(t)
	}
	return StartServing(t, engine, func(c *config.Config) { c.SMTPURL = relay.URL() }), relay
}

package testutil

import (
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// Mail is one message the test SMTP server received.
type Mail struct {
	From string
	To   []string
	Data []byte
}

// SMTPServer is a real SMTP listener in the test process
// (github.com/emersion/go-smtp) that keeps what it receives.
type SMTPServer struct {
	Addr string // 127.0.0.1:port
	mu   sync.Mutex
	mail []Mail
	more chan struct{}
}

// StartSMTP listens on a free loopback port until the test ends.
func StartSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &SMTPServer{Addr: ln.Addr().String(), more: make(chan struct{}, 1)}
	srv := smtp.NewServer(smtpBackend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

// URL is an smtp:// URL for RECC_SMTP_URL.
func (s *SMTPServer) URL() string { return "smtp://" + s.Addr }

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

func (b smtpBackend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &smtpSession{s: b.s}, nil
}

type smtpSession struct {
	s   *SMTPServer
	cur Mail
}

func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	x.cur = Mail{From: from}
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

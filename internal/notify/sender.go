package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"time"
)

// Sender delivers a message or says why it could not; the job queue
// retries a failure with backoff.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// ErrNotConfigured: this server has no way to send email.
var ErrNotConfigured = errors.New("email is not configured (RECC_SMTP_URL)")

// SMTP sends through one relay:
//
//	smtp://user:pass@host:587?from=RecCollection%20<noreply@example.com>
//	smtps://user:pass@host:465
//
// smtp:// upgrades with STARTTLS whenever the relay offers it and then
// checks its certificate; the password is sent only over TLS or to a
// relay on the loopback interface (net/smtp's PLAIN refuses otherwise).
// smtps:// speaks TLS from the first byte. The sender address is the
// from parameter, by default noreply at the site's host name.
type SMTP struct {
	addr     string // host:port
	host     string
	implicit bool // smtps://
	user     string
	pass     string
	hasAuth  bool
	from     string
	// RootCAs verifies the relay's certificate; nil means the system's.
	RootCAs *x509.CertPool
	// Timeout bounds one delivery; 0 means 30 seconds.
	Timeout time.Duration
}

// NewSMTP reads a RECC_SMTP_URL; defaultFrom is used without ?from=.
func NewSMTP(rawURL, defaultFrom string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		// The URL holds a password: never echo it.
		return nil, errors.New("RECC_SMTP_URL is not a URL")
	}
	s := &SMTP{host: u.Hostname(), from: defaultFrom}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "587"
		}
	case "smtps":
		s.implicit = true
		if port == "" {
			port = "465"
		}
	default:
		return nil, fmt.Errorf("RECC_SMTP_URL: scheme %q, want smtp or smtps", u.Scheme)
	}
	if s.host == "" {
		return nil, errors.New("RECC_SMTP_URL has no host")
	}
	s.addr = net.JoinHostPort(s.host, port)
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
		s.hasAuth = true
	}
	if f := u.Query().Get("from"); f != "" {
		s.from = f
	}
	if _, err := mail.ParseAddress(s.from); err != nil {
		return nil, fmt.Errorf("RECC_SMTP_URL: from address %q: %w", s.from, err)
	}
	return s, nil
}

// From is the sender address.
func (s *SMTP) From() string { return s.from }

// Send delivers m in one SMTP conversation.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	timeout := s.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	data, err := m.Bytes(s.from, time.Now())
	if err != nil {
		return err
	}
	tlsConfig := &tls.Config{ServerName: s.host, RootCAs: s.RootCAs, MinVersion: tls.VersionTLS12}
	d := &net.Dialer{}
	var conn net.Conn
	if s.implicit {
		conn, err = (&tls.Dialer{NetDialer: d, Config: tlsConfig}).DialContext(ctx, "tcp", s.addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", s.addr)
	}
	if err != nil {
		return fmt.Errorf("connect to mail relay %s: %w", s.addr, err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	_ = conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return fmt.Errorf("mail relay %s: %w", s.addr, err)
	}
	defer c.Close()
	if !s.implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConfig); err != nil {
				return fmt.Errorf("mail relay %s: STARTTLS: %w", s.addr, err)
			}
		}
	}
	if s.hasAuth {
		if ok, _ := c.Extension("AUTH"); !ok {
			return fmt.Errorf("mail relay %s offers no AUTH, but RECC_SMTP_URL has credentials", s.addr)
		}
		if err := c.Auth(smtp.PlainAuth("", s.user, s.pass, s.host)); err != nil {
			return fmt.Errorf("mail relay %s: authenticate: %w", s.addr, err)
		}
	}
	fromAddr, _ := mail.ParseAddress(s.from)
	if err := c.Mail(fromAddr.Address); err != nil {
		return fmt.Errorf("mail relay %s: MAIL FROM: %w", s.addr, err)
	}
	if err := c.Rcpt(m.To); err != nil {
		return fmt.Errorf("mail relay %s: RCPT TO: %w", s.addr, err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("mail relay %s: DATA: %w", s.addr, err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("mail relay %s: send message: %w", s.addr, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail relay %s: message refused: %w", s.addr, err)
	}
	return c.Quit()
}

// Log writes each message to the log instead of sending it: development
// without a relay, where the developer copies the link from the log.
type Log struct{ Logger *slog.Logger }

// Send logs m at info level, its text part whole.
func (l Log) Send(ctx context.Context, m Message) error {
	l.Logger.InfoContext(ctx, "email not sent (no RECC_SMTP_URL in development); its text follows",
		"to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}

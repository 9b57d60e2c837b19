package testutil

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// SentryEvent is the part of a Sentry event payload the tests check.
type SentryEvent struct {
	EventID     string            `json:"event_id"`
	Level       string            `json:"level"`
	Release     string            `json:"release"`
	Environment string            `json:"environment"`
	Transaction string            `json:"transaction"`
	Tags        map[string]string `json:"tags"`
	User        struct {
		ID string `json:"id"`
	} `json:"user"`
	Fingerprint []string `json:"fingerprint"`
	// sentry-go sends the list form of "exception" (not {"values": […]}).
	Exception []struct {
		Type       string `json:"type"`
		Value      string `json:"value"`
		Stacktrace struct {
			Frames []struct {
				Module   string `json:"module"`
				Function string `json:"function"`
				InApp    bool   `json:"in_app"`
			} `json:"frames"`
		} `json:"stacktrace"`
	} `json:"exception"`
	Request struct {
		URL     string            `json:"url"`
		Method  string            `json:"method"`
		Headers map[string]string `json:"headers"`
		Cookies string            `json:"cookies"`
	} `json:"request"`
	// Raw is the event payload as received.
	Raw string
}

// FakeSentry is a local HTTP endpoint that accepts Sentry envelopes as
// sentry.io would and keeps the events in them.
type FakeSentry struct {
	*httptest.Server
	mu     sync.Mutex
	events []SentryEvent
	errs   []error
	auth   []string
}

func NewFakeSentry(t testing.TB) *FakeSentry {
	f := &FakeSentry{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.auth = append(f.auth, r.Header.Get("X-Sentry-Auth"))
		if err == nil {
			var evs []SentryEvent
			evs, err = parseEnvelope(body)
			f.events = append(f.events, evs...)
		}
		if err != nil {
			f.errs = append(f.errs, fmt.Errorf("%s %s: %w", r.Method, r.URL.Path, err))
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"id":"00000000000000000000000000000000"}`)
	}))
	t.Cleanup(f.Close)
	return f
}

// DSN is the DSN of project 1 on this server.
func (f *FakeSentry) DSN() string {
	return "http://public-key@" + strings.TrimPrefix(f.URL, "http://") + "/1"
}

func (f *FakeSentry) Events(t testing.TB) []SentryEvent {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, err := range f.errs {
		t.Errorf("bad envelope: %v", err)
	}
	return append([]SentryEvent(nil), f.events...)
}

// WaitForEvents returns the events once at least n have arrived, or what
// arrived by the deadline. The SDK's Flush can return while its last
// request is still on the wire, so a test waits for the server side too.
func (f *FakeSentry) WaitForEvents(t testing.TB, n int, timeout time.Duration) []SentryEvent {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		f.mu.Lock()
		got := len(f.events)
		f.mu.Unlock()
		if got >= n || time.Now().After(deadline) {
			return f.Events(t)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// parseEnvelope decodes the envelope format: a header line, then items,
// each a header line and a payload of the header's length (or up to the
// next newline when it has none).
func parseEnvelope(body []byte) ([]SentryEvent, error) {
	rd := bufio.NewReader(bytes.NewReader(body))
	if _, err := rd.ReadBytes('\n'); err != nil {
		return nil, fmt.Errorf("envelope header: %w", err)
	}
	var events []SentryEvent
	for {
		line, err := rd.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) == 0 {
			if err == io.EOF {
				return events, nil
			}
			if err != nil {
				return nil, err
			}
			continue
		}
		var item struct {
			Type   string `json:"type"`
			Length *int   `json:"length"`
		}
		if err := json.Unmarshal(line, &item); err != nil {
			return nil, fmt.Errorf("item header %q: %w", line, err)
		}
		var payload []byte
		if item.Length != nil {
			payload = make([]byte, *item.Length)
			if _, err := io.ReadFull(rd, payload); err != nil {
				return nil, fmt.Errorf("item payload: %w", err)
			}
			_, _ = rd.ReadByte() // the newline after the payload, if any
		} else if payload, err = rd.ReadBytes('\n'); err != nil && err != io.EOF {
			return nil, err
		}
		if item.Type == "event" {
			var ev SentryEvent
			if err := json.Unmarshal(payload, &ev); err != nil {
				return nil, fmt.Errorf("event payload: %w", err)
			}
			ev.Raw = string(payload)
			events = append(events, ev)
		}
	}
}

// AuthHeaders returns the X-Sentry-Auth headers of every envelope.
func (f *FakeSentry) AuthHeaders() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.auth...)
}

package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/reccollection/reccollection/internal/auth"
	"github.com/reccollection/reccollection/internal/httpx"
	"github.com/reccollection/reccollection/internal/store"
)

// IdempotencyKeyHeader names the request header of
// draft-ietf-httpapi-idempotency-key-header.
const IdempotencyKeyHeader = "Idempotency-Key"

// MaxIdempotencyKey bounds a key's length; a UUID, the usual key, is 36.
const MaxIdempotencyKey = 255

// idempotencyKey returns the request's key ("" when it has none) or a
// problem. The draft defines the value as a structured-field string
// ("…"); a bare token is accepted too, as most clients send one.
func idempotencyKey(r *http.Request) (string, *httpx.Problem) {
	values := r.Header.Values(IdempotencyKeyHeader)
	if len(values) == 0 {
		return "", nil
	}
	bad := httpx.NewProblem(http.StatusBadRequest, fmt.Sprintf(
		"Send one Idempotency-Key of 1 to %d printable ASCII characters.", MaxIdempotencyKey))
	if len(values) > 1 {
		return "", bad
	}
	key := values[0]
	if len(key) >= 2 && key[0] == '"' && key[len(key)-1] == '"' {
		key = key[1 : len(key)-1]
		if strings.ContainsAny(key, `"\`) {
			return "", bad
		}
	}
	if key == "" || len(key) > MaxIdempotencyKey {
		return "", bad
	}
	for i := 0; i < len(key); i++ {
		if key[i] < 0x20 || key[i] > 0x7e {
			return "", bad
		}
	}
	return key, nil
}

// idempotent makes a creating POST safe to retry: with an Idempotency-Key
// the handler runs inside store.Idempotent, so what it writes and its
// answer commit together, and a retry with the same key and body gets
// that answer again (with Idempotent-Replayed: true) instead of creating
// twice. The same key with another body is a 422; while the first request
// is still running, 409. Only 2xx answers are kept, sealed
// (idempotency_seal.go): a refused request changed nothing, so its retry
// is simply tried again.
//
// Keys belong to the signed-in user; an anonymous request is passed
// through untouched (it will be answered 401). The handler must write only
// through store methods that join the transaction (see store.Idempotent).
func (a *API) idempotent(next http.HandlerFunc) http.HandlerFunc {
	return a.keyed(false, next)
}

// idempotentAnonymous is idempotent for the routes that create something
// for whoever asks (registration, sign-in). Their keys live in an
// anonymous scope, whoever is signed in: the answer depends on the body
// alone, and the body holds a password, so only a client that sends the
// very same body, password included, gets the answer replayed.
func (a *API) idempotentAnonymous(next http.HandlerFunc) http.HandlerFunc {
	return a.keyed(true, next)
}

func (a *API) keyed(anonymous bool, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, p := idempotencyKey(r)
		if p != nil {
			httpx.WriteProblem(w, r, p)
			return
		}
		if key == "" {
			next(w, r)
			return
		}
		req := store.IdempotencyRequest{Key: key}
		if !anonymous {
			u := auth.UserFrom(r.Context())
			if u == nil {
				next(w, r)
				return
			}
			req.UserID = u.ID
		}
		// The body is part of the fingerprint, so it is read here, within
		// the same limit the JSON decoder applies.
		if r.ContentLength > httpx.MaxBody {
			httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusRequestEntityTooLarge, fmt.Sprintf("The body must be at most %d bytes.", httpx.MaxBody)))
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, httpx.MaxBody+1))
		if err != nil {
			httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusBadRequest, "The request body could not be read."))
			return
		}
		if len(body) > httpx.MaxBody {
			httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusRequestEntityTooLarge, fmt.Sprintf("The body must be at most %d bytes.", httpx.MaxBody)))
			return
		}
		sum := sha256.New()
		fmt.Fprintf(sum, "%s\n%s\n", r.Method, r.URL.Path)
		sum.Write(body)
		digest := hex.EncodeToString(sum.Sum(nil))
		if anonymous {
			req.Fingerprint = anonymousFingerprint(digest)
		} else {
			req.Fingerprint = userFingerprint(digest)
		}

		rec := &capture{header: http.Header{}}
		resp, replayed, err := a.store.Idempotent(r.Context(), req, func(ctx context.Context) (*store.IdempotentResponse, error) {
			inner := r.WithContext(ctx)
			inner.Body = io.NopCloser(bytes.NewReader(body))
			next(rec, inner)
			if rec.status < 200 || rec.status > 299 {
				return nil, nil
			}
			sealed, err := a.sealAnswer(rec.body.Bytes(), rec.header)
			if err != nil {
				return nil, err
			}
			return &store.IdempotentResponse{Status: rec.status, ContentType: rec.header.Get("Content-Type"),
				Location: rec.header.Get("Location"), Body: sealed}, nil
		})
		switch {
		case errors.Is(err, store.ErrIdempotencyKeyReused):
			httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusUnprocessableEntity,
				"This Idempotency-Key was used for a different request; use a new key for a new request."))
		case errors.Is(err, store.ErrIdempotencyKeyInFlight):
			w.Header().Set("Retry-After", "1")
			httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict,
				"A request with this Idempotency-Key is still in progress; retry once it has finished."))
		case err != nil:
			// Nothing was committed: the retry will do the work.
			a.fail(w, r, err)
		case replayed:
			answer, err := a.openAnswer(resp.Body)
			if err != nil {
				// Only a secret key changed without keeping the old one
				// in RECC_SECRET_KEY_PREVIOUS gets here. The work was
				// done; repeating it under a new key would do it twice.
				slog.WarnContext(r.Context(), "replay idempotent answer", "err", err)
				httpx.WriteProblem(w, r, httpx.NewProblem(http.StatusConflict,
					"This request was already done, but its answer can no longer be read (the server's secret key changed). Look up what it created instead of sending it again."))
				return
			}
			h := w.Header()
			if resp.ContentType != "" {
				h.Set("Content-Type", resp.ContentType)
			}
			if resp.Location != "" {
				h.Set("Location", resp.Location)
			}
			for _, c := range answer.SetCookie {
				h.Add("Set-Cookie", c)
			}
			h.Set("Idempotent-Replayed", "true")
			w.WriteHeader(resp.Status)
			_, _ = w.Write(answer.Body)
		default:
			for k, v := range rec.header {
				w.Header()[k] = v
			}
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body.Bytes())
		}
	}
}

// capture holds a handler's answer until its transaction has committed:
// a created answer must not reach the client for a write that then fails
// to commit.
type capture struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

func (c *capture) Write(b []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	return c.body.Write(b)
}

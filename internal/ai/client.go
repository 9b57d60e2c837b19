package ai

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	openai "github.com/sashabaranov/go-openai"
)

// The AI client: an OpenAI-compatible chat-completions endpoint (OpenAI,
// Ollama, vLLM, llama.cpp, LM Studio), asked for JSON that a schema
// constrains, read as a stream. It never retries on its own: a rate limit
// or an outage is the person's to see at once, not a wait.

// Defaults of Options.
const (
	DefaultTimeout = 60 * time.Second
	// MaxAnswerBytes bounds what one answer may stream: far more than a
	// recipe, far less than a runaway model.
	MaxAnswerBytes = 256 << 10
	// MaxInputBytes bounds the text sent to be structured: a pasted
	// recipe's limit.
	MaxInputBytes = 200 << 10
)

// Options configure a Client (RECC_AI_BASE_URL, RECC_AI_API_KEY,
// RECC_AI_MODEL).
type Options struct {
	BaseURL string
	APIKey  string
	Model   string
	// Timeout bounds one generation, streaming included.
	Timeout time.Duration
	// HTTPClient defaults to one with no proxy from the environment
	// beyond Go's default and no overall timeout (Timeout applies).
	HTTPClient *http.Client
}

// Client asks a chat-completions endpoint for recipes and suggestions.
// It is safe for concurrent use.
type Client struct {
	api   *openai.Client
	model string
	opts  Options
}

// New returns a client for opts; BaseURL and Model must be set.
func New(opts Options) *Client {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	cfg := openai.DefaultConfig(opts.APIKey)
	cfg.BaseURL = strings.TrimSuffix(opts.BaseURL, "/")
	if opts.HTTPClient != nil {
		cfg.HTTPClient = opts.HTTPClient
	}
	return &Client{api: openai.NewClientWithConfig(cfg), model: opts.Model, opts: opts}
}

// Model is the model the client asks.
func (c *Client) Model() string { return c.model }

// Errors of a generation, each a reason a person can be told.
var (
	ErrTimeout     = errors.New("ai: the AI service took too long to answer")
	ErrRateLimited = errors.New("ai: the AI service is limiting requests")
	ErrProvider    = errors.New("ai: the AI service answered with an error")
	ErrMalformed   = errors.New("ai: the AI service's answer was not a recipe in the expected shape")
	ErrRefused     = errors.New("ai: the AI service declined to answer")
	ErrInputTooBig = errors.New("ai: the text is too long to send")
)

// Generation is the record of one request to the AI service: what was
// asked (as a hash), what came back, at what cost.
type Generation struct {
	Kind             string // "recipe" or "suggestions"
	Model            string
	InputHash        string // SHA-256 of the prompt sent, hex
	Output           string // the answer's text, as streamed (at most MaxAnswerBytes)
	PromptTokens     int
	CompletionTokens int
	Latency          time.Duration
	// Status is "ok", or why not: "timeout", "rate_limited", "error",
	// "malformed", "refused".
	Status string
	Error  string
}

// complete sends the messages with a JSON schema for the answer and
// reads the streamed answer whole. The Generation is filled whatever
// happens.
func (c *Client) complete(ctx context.Context, kind, system, user string, schema json.RawMessage) (string, *Generation, error) {
	g := &Generation{Kind: kind, Model: c.model}
	sum := sha256.Sum256([]byte(c.model + "\x00" + system + "\x00" + user))
	g.InputHash = hex.EncodeToString(sum[:])
	start := time.Now()
	defer func() { g.Latency = time.Since(start) }()

	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	req := openai.ChatCompletionRequest{
		Model: c.model,
		Messages: []openai.ChatCompletionMessage{
			{Role: openai.ChatMessageRoleSystem, Content: system},
			{Role: openai.ChatMessageRoleUser, Content: user},
		},
		ResponseFormat: &openai.ChatCompletionResponseFormat{
			Type:       openai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{Name: kind, Schema: schema, Strict: true},
		},
		Temperature:   0.2,
		Stream:        true,
		StreamOptions: &openai.StreamOptions{IncludeUsage: true},
	}
	stream, err := c.api.CreateChatCompletionStream(ctx, req)
	if err != nil {
		return "", g, c.failed(g, ctx, err)
	}
	defer stream.Close()
	var out strings.Builder
	finish := ""
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			g.Output = out.String()
			return "", g, c.failed(g, ctx, err)
		}
		if chunk.Usage != nil {
			g.PromptTokens, g.CompletionTokens = chunk.Usage.PromptTokens, chunk.Usage.CompletionTokens
		}
		for _, ch := range chunk.Choices {
			if ch.Index != 0 {
				continue
			}
			out.WriteString(ch.Delta.Content)
			if ch.Delta.Refusal != "" {
				g.Output, g.Status, g.Error = ch.Delta.Refusal, "refused", ch.Delta.Refusal
				return "", g, fmt.Errorf("%w: %s", ErrRefused, ch.Delta.Refusal)
			}
			if ch.FinishReason != "" {
				finish = string(ch.FinishReason)
			}
		}
		if out.Len() > MaxAnswerBytes {
			g.Output, g.Status, g.Error = clipText(out.String(), MaxAnswerBytes), "malformed", "answer too long"
			return "", g, fmt.Errorf("%w: more than %d bytes", ErrMalformed, MaxAnswerBytes)
		}
	}
	g.Output = out.String()
	if finish == "length" {
		g.Status, g.Error = "malformed", "answer cut off at the model's length limit"
		return "", g, fmt.Errorf("%w: cut off at the length limit", ErrMalformed)
	}
	g.Status = "ok"
	return g.Output, g, nil
}

// failed classifies a request's error into the package's errors and
// records it on g.
func (c *Client) failed(g *Generation, ctx context.Context, err error) error {
	var apiErr *openai.APIError
	var reqErr *openai.RequestError
	var netErr net.Error
	status := 0
	switch {
	case errors.As(err, &apiErr):
		status = apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
	}
	var out error
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		g.Status, out = "timeout", fmt.Errorf("%w (after %s)", ErrTimeout, c.opts.Timeout)
	case status == http.StatusTooManyRequests:
		g.Status, out = "rate_limited", fmt.Errorf("%w: %v", ErrRateLimited, err)
	case errors.Is(err, context.Canceled):
		g.Status, out = "error", err
	default:
		g.Status, out = "error", fmt.Errorf("%w: %v", ErrProvider, err)
	}
	g.Error = clipText(err.Error(), 1000)
	return out
}

// decodeStrict decodes an answer into v: one JSON object, no unknown
// fields, every field of the schema present (checked by the caller's
// types being pointers or by required), nothing after it.
func decodeStrict(answer string, v any) error {
	d := json.NewDecoder(bytes.NewReader([]byte(answer)))
	d.DisallowUnknownFields()
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := d.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: more than one JSON value", ErrMalformed)
	}
	return nil
}

// clipText cuts s to at most n bytes, dropping a character cut in two.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "")
}

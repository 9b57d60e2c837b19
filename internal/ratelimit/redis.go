package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// gcraScript is gcra() in Lua, run atomically by Redis. Units are
// microseconds: exact in Lua's doubles for centuries. "now" is Redis's own
// clock (TIME) unless the caller passes one (ARGV[3]): replicas with skewed
// clocks then still share one budget, and a test's fake clock can still
// drive the script exactly. The key expires when the budget is full again
// (by the clock used), so idle clients leave nothing behind.
var gcraScript = redis.NewScript(`
local interval = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - window
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
return {1, math.floor((now - allow_at) / interval), 0, new_tat - now}
`)

// refundScript is gcraRefund() in Lua, on the same clock as gcraScript.
var refundScript = redis.NewScript(`
local interval = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat == 0 then return 0 end
local new_tat = tat - interval
if new_tat <= now then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', math.ceil((new_tat - now) / 1000))
end
return 1
`)

// Redis timeouts are short: a limiter that makes every request wait for a
// sick Redis does more harm than the traffic it limits.
const (
	redisTimeout = 250 * time.Millisecond
	// redisBackoff is how long after a failure requests skip Redis
	// entirely and use the fallback, so an outage costs one timeout per
	// backoff period, not one per request.
	redisBackoff = 5 * time.Second
	warnEvery    = time.Minute
)

// Redis is a limiter shared by every replica that uses the same Redis and
// key prefix. When Redis cannot answer it fails open to the fallback
// limiter (per process), logging a warning at most once a minute, so an
// outage of Redis never takes the site down with it.
type Redis struct {
	client   *redis.Client
	prefix   string
	fallback Limiter
	log      *slog.Logger

	// now, when set, is the clock the scripts count with instead of
	// Redis's TIME (tests); the outage backoff always uses real time.
	now func() time.Time

	downUntil atomic.Int64 // Unix ns; Redis is skipped until then
	lastWarn  atomic.Int64 // Unix ns of the last warning
}

// OpenRedis parses a redis://, rediss:// or unix:// URL into a client with
// timeouts suited to a limiter. It does not connect.
func OpenRedis(rawURL string) (*redis.Client, error) {
	return OpenRedisWithTimeout(rawURL, redisTimeout)
}

// OpenRedisWithTimeout is OpenRedis with another timeout for each call
// (0 is the default): tests on a loaded machine give Redis longer, so a
// slow answer is not mistaken for an outage.
func OpenRedisWithTimeout(rawURL string, timeout time.Duration) (*redis.Client, error) {
	if timeout <= 0 {
		timeout = redisTimeout
	}
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse Redis URL: %w", err)
	}
	opt.DialTimeout = timeout
	opt.ReadTimeout = timeout
	opt.WriteTimeout = timeout
	opt.MaxRetries = 0
	opt.DialerRetries = 1
	quietRedisLogs.Do(func() { redis.SetLogger(debugLogger{}) })
	return redis.NewClient(opt), nil
}

// go-redis logs every failed dial on its own (global) logger; during an
// outage that would be a line per request. The limiter's own warning,
// once a minute, says what matters, so go-redis's lines go to debug.
var quietRedisLogs sync.Once

type debugLogger struct{}

func (debugLogger) Printf(ctx context.Context, format string, v ...any) {
	slog.DebugContext(ctx, "redis: "+fmt.Sprintf(format, v...))
}

// NewRedis returns a limiter storing its keys under prefix in client, and
// using fallback (a Memory, typically) while Redis is unreachable.
func NewRedis(client *redis.Client, prefix string, fallback Limiter, logger *slog.Logger) *Redis {
	return &Redis{client: client, prefix: prefix, fallback: fallback, log: logger}
}

// WithClock makes the limiter count with now instead of Redis's clock, so
// a test's fake clock decides exactly when budgets refill. Production
// leaves it unset: Redis's one clock is what keeps replicas consistent.
// Call it before the limiter is shared.
func (l *Redis) WithClock(now func() time.Time) *Redis {
	l.now = now
	return l
}

// timeout bounds one call: the client's own timeout (OpenRedis).
func (l *Redis) timeout() time.Duration {
	if t := l.client.Options().ReadTimeout; t > 0 {
		return t
	}
	return redisTimeout
}

// clockArg is the "now" argument of the scripts: empty for Redis's TIME.
func (l *Redis) clockArg() string {
	if l.now == nil {
		return ""
	}
	return strconv.FormatInt(l.now().UnixMicro(), 10)
}

// Allow implements Limiter.
func (l *Redis) Allow(ctx context.Context, key string, limit int, period time.Duration) (Result, error) {
	now := time.Now().UnixNano()
	if now < l.downUntil.Load() {
		return l.fallback.Allow(ctx, key, limit, period)
	}
	periodMicros := max(period.Microseconds(), 1)
	interval := ceilDiv(periodMicros, int64(limit))
	rctx, cancel := context.WithTimeout(ctx, l.timeout())
	defer cancel()
	v, err := gcraScript.Run(rctx, l.client, []string{l.prefix + key}, interval, interval*int64(limit), l.clockArg()).Int64Slice()
	if err == nil && len(v) != 4 {
		err = fmt.Errorf("rate limit script returned %d values", len(v))
	}
	if err != nil {
		if ctx.Err() != nil {
			// The client went away; not Redis's fault.
			return Result{Allowed: true, Limit: limit, Remaining: limit}, ctx.Err()
		}
		l.failed(now, err)
		return l.fallback.Allow(ctx, key, limit, period)
	}
	return Result{
		Allowed:    v[0] == 1,
		Limit:      limit,
		Remaining:  int(v[1]),
		RetryAfter: time.Duration(v[2]) * time.Microsecond,
		Reset:      time.Duration(v[3]) * time.Microsecond,
	}, nil
}

// Refund implements Limiter. While Redis is unreachable the refund goes to
// the fallback, where the request was most likely counted.
func (l *Redis) Refund(ctx context.Context, key string, limit int, period time.Duration) error {
	now := time.Now().UnixNano()
	if now < l.downUntil.Load() {
		return l.fallback.Refund(ctx, key, limit, period)
	}
	interval := ceilDiv(max(period.Microseconds(), 1), int64(limit))
	rctx, cancel := context.WithTimeout(ctx, l.timeout())
	defer cancel()
	if err := refundScript.Run(rctx, l.client, []string{l.prefix + key}, interval, l.clockArg()).Err(); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		l.failed(now, err)
		return l.fallback.Refund(ctx, key, limit, period)
	}
	return nil
}

// failed starts the backoff after Redis did not answer, warning at most
// once per warnEvery.
func (l *Redis) failed(now int64, err error) {
	l.downUntil.Store(now + int64(redisBackoff))
	if last := l.lastWarn.Load(); now-last >= int64(warnEvery) && l.lastWarn.CompareAndSwap(last, now) {
		l.log.Warn("rate limiting: Redis unreachable; using per-instance limits until it answers",
			"err", err, "retry_in", redisBackoff.String())
	}
}

// Ping checks that Redis answers, for start-up logging.
func (l *Redis) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := l.client.Ping(ctx).Err(); err != nil {
		return errors.Join(errors.New("ping Redis"), err)
	}
	return nil
}

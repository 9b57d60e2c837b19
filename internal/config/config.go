// Package config loads and validates the server configuration from
// environment variables (see Variables for the list).
//
// Load is strict on purpose: a bad value stops start-up with a message
// naming the variable, rather than surfacing later as a confusing runtime
// failure, and staging and production refuse settings that are only safe on
// a developer's machine.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Env is the deployment environment.
type Env string

const (
	Development Env = "development"
	Staging     Env = "staging"
	Production  Env = "production"
)

// AdminNeedsSecondFactor says whether admin functions demand a proved
// second factor (auth.RequireAdmin): everywhere but development, so a
// fresh checkout's admin can work without an authenticator app.
func (e Env) AdminNeedsSecondFactor() bool { return e != Development }

// Config is the validated server configuration. Load never returns a
// partially valid Config.
type Config struct {
	Env         Env
	HTTPAddr    string
	BaseURL     *url.URL // path has no trailing slash, so BaseURL.String()+"/x" is safe
	DataDir     string
	DatabaseURL string   // empty means embedded SQLite
	ReplicaURLs []string // read-only replicas; nil when none
	StorageURL  string
	// SecretKey is used as given. When generated in development it is the
	// 64-character hex text stored in DataDir/secret.key, so the file's
	// content can be copied into RECC_SECRET_KEY unchanged.
	SecretKey []byte
	// PreviousSecretKeys are earlier keys that still open sealed values
	// during a key rotation; nil outside one.
	PreviousSecretKeys [][]byte
	MetricsAddr        string
	SMTPURL            string
	SentryDSN          string
	RedisURL           string
	AIBaseURL          string
	AIAPIKey           string
	AIModel            string
	// AITimeout bounds one AI generation (RECC_AI_TIMEOUT).
	AITimeout               time.Duration
	ImportAllowPrivateHosts bool
	LogLevel                slog.Level
	LogFormat               string // "text" or "json"
	ShutdownTimeout         time.Duration
	ShutdownDelay           time.Duration
	AutoMigrate             bool
	AssetBaseURL            string // no trailing slash; "" serves assets from this server
	// RateLimits is false only with RECC_RATE_LIMITS=off (load tests).
	RateLimits     bool
	RedisKeyPrefix string
	// LimiterClock, when set, is the clock the rate limits and sign-in
	// throttles count with (also through Redis), so a test can freeze or
	// step it; nil is real time. No variable sets it.
	LimiterClock func() time.Time
	// LimiterRedisTimeout, when set, replaces the limiter's short Redis
	// timeout (tests on a loaded machine); no variable sets it.
	LimiterRedisTimeout time.Duration
	// TrustedProxies are the load balancers whose X-Forwarded-For and
	// X-Forwarded-Proto are believed; nil trusts none (https.go).
	TrustedProxies []netip.Prefix
	// TLSDomains, when set, makes the server obtain certificates itself
	// (ACME) and serve HTTPS on HTTPSAddr; HTTPAddr then only answers ACME
	// challenges and health probes and redirects to HTTPS.
	TLSDomains       []string
	HTTPSAddr        string
	ACMEDirectoryURL string // "" is Let's Encrypt's production directory
	ACMEEmail        string
	// BackupURL is where backups are kept (file:// or s3://, like
	// StorageURL); BackupRetention how long; BackupInterval how often the
	// server makes one itself, 0 when another scheduler (a Kubernetes
	// CronJob) runs `backup create` instead (backup.go).
	BackupURL       string
	BackupRetention time.Duration
	BackupInterval  time.Duration
	// SearchTimeout is each search's time budget (search.go).
	SearchTimeout time.Duration
	// CacheSMaxAge is the s-maxage of anonymous visitors' public pages,
	// 0 for none (cache.go).
	CacheSMaxAge time.Duration
	// MediaBaseURL is a CDN whose origin is this server's /media/ path,
	// for photos anyone may see; "" serves them directly (photos.go).
	MediaBaseURL string
	// MediaQuota is the most bytes one user's photos may hold; 0 means
	// no limit.
	MediaQuota int64

	generated []string
}

const (
	minShutdownTimeout = time.Second
	maxShutdownTimeout = 10 * time.Minute
)

// FromEnvironment is Load(os.Getenv, os.ReadFile).
func FromEnvironment() (*Config, error) {
	return Load(os.Getenv, os.ReadFile)
}

// Load reads the configuration through getenv and, for NAME_FILE secrets,
// readFile. It reports every problem at once, each as a *FieldError joined
// with errors.Join. Its only side effect is creating the development secret
// key in DataDir, and only when everything else is valid.
func Load(getenv func(string) string, readFile func(string) ([]byte, error)) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	if readFile == nil {
		readFile = os.ReadFile
	}
	l := &loader{getenv: getenv, readFile: readFile}
	c := &Config{}

	env, envOK := l.env()
	c.Env = env
	// With an unrecognised RECC_ENV we cannot tell which rules apply; report
	// that and everything environment-independent, but nothing that would
	// be wrong for the environment the operator actually meant.
	strict := envOK && env != Development

	c.HTTPAddr = l.addr(varHTTPAddr, defHTTPAddr)
	c.BaseURL = l.baseURL(env, envOK)
	c.DataDir = l.str(varDataDir, defDataDir)
	c.DatabaseURL = l.database(env, envOK)
	c.ReplicaURLs = l.replicas(env, envOK)
	if len(c.ReplicaURLs) > 0 && c.DatabaseURL == "" {
		l.fail(varReplicaURLs, "needs DATABASE_URL: read replicas are PostgreSQL replicas of the primary, and the embedded SQLite database has none")
	}
	c.StorageURL = l.storage(c.DataDir)
	key, fromDataDir := l.secretKey(env, envOK, c.DataDir)
	c.SecretKey = key
	if fromDataDir {
		c.generated = append(c.generated, varSecretKey)
	}
	c.PreviousSecretKeys = l.previousSecretKeys(env, key)
	c.MetricsAddr = l.metricsAddr()
	c.SMTPURL = l.optionalURL(varSMTPURL, "smtp", "smtps")
	c.SentryDSN = l.optionalURL(varSentryDSN, "http", "https")
	c.RedisURL = l.optionalURL(varRedisURL, "redis", "rediss", "unix")
	c.AIBaseURL = l.optionalURL(varAIBaseURL, "http", "https")
	c.AIAPIKey = l.plainSecret(varAIAPIKey)
	c.AIModel = l.str(varAIModel, "")
	c.AITimeout = l.aiTimeout()

	c.ImportAllowPrivateHosts = l.boolean(varImportPrivate, false)
	if c.ImportAllowPrivateHosts && strict {
		l.fail(varImportPrivate, "must be false in %s: it lets anyone who can submit a recipe URL make the server fetch internal addresses", env)
	}
	c.LogLevel = l.logLevel()
	c.LogFormat = l.logFormat(env)
	c.ShutdownTimeout = l.shutdownTimeout()
	c.ShutdownDelay = l.shutdownDelay(c.Env)
	c.AutoMigrate = l.boolean(varAutoMigrate, env == Development)
	c.AssetBaseURL = strings.TrimRight(l.optionalURL(varAssetBaseURL, "https", "http"), "/")
	c.RateLimits = l.onOff(varRateLimits, true)
	c.RedisKeyPrefix = l.redisKeyPrefix()
	c.TrustedProxies = l.trustedProxies()
	c.TLSDomains = l.tlsDomains()
	l.https(c, env, strict)
	l.backup(c)
	c.SearchTimeout = l.searchTimeout()
	c.CacheSMaxAge = l.cacheSMaxAge()
	l.photos(c)

	if len(l.errs) > 0 {
		return nil, errors.Join(l.errs...)
	}
	if fromDataDir && c.SecretKey == nil {
		key, err := createSecretKeyFile(c.DataDir)
		if err != nil {
			return nil, &FieldError{Var: varSecretKey, Reason: err.Error()}
		}
		c.SecretKey = key
	}
	return c, nil
}

// GeneratedSecrets lists the variables whose value Load generated and
// persisted in DataDir (now or on an earlier start) instead of reading it
// from the environment, for a log line at start-up.
func (c *Config) GeneratedSecrets() []string {
	return append([]string(nil), c.generated...)
}

// UsesSQLite reports whether the embedded SQLite database is used.
func (c *Config) UsesSQLite() bool { return c.DatabaseURL == "" }

// IsDevelopment reports whether development defaults and relaxations apply.
func (c *Config) IsDevelopment() bool { return c.Env == Development }

// Redacted returns every variable's effective value, safe to log: secrets
// appear as "set" or "unset", database URLs with their password replaced
// by "xxxxx".
func (c *Config) Redacted() map[string]string {
	setOrUnset := func(set bool) string {
		if set {
			return "set"
		}
		return "unset"
	}
	m := map[string]string{
		varEnv:             string(c.Env),
		varHTTPAddr:        c.HTTPAddr,
		varDataDir:         c.DataDir,
		varDatabaseURL:     "unset",
		varReplicaURLs:     "unset",
		varStorageURL:      redactURL(c.StorageURL),
		varSecretKey:       setOrUnset(len(c.SecretKey) > 0),
		varSecretKeyPrev:   setOrUnset(len(c.PreviousSecretKeys) > 0),
		varMetricsAddr:     metricsAddrText(c.MetricsAddr),
		varSMTPURL:         setOrUnset(c.SMTPURL != ""),
		varSentryDSN:       setOrUnset(c.SentryDSN != ""),
		varRedisURL:        setOrUnset(c.RedisURL != ""),
		varAIBaseURL:       redactURL(c.AIBaseURL),
		varAIAPIKey:        setOrUnset(c.AIAPIKey != ""),
		varAIModel:         c.AIModel,
		varAITimeout:       c.AITimeout.String(),
		varImportPrivate:   strconv.FormatBool(c.ImportAllowPrivateHosts),
		varLogLevel:        strings.ToLower(c.LogLevel.String()),
		varLogFormat:       c.LogFormat,
		varShutdownTimeout: c.ShutdownTimeout.String(),
		varShutdownDelay:   c.ShutdownDelay.String(),
		varAssetBaseURL:    c.AssetBaseURL,
		varRateLimits:      onOff(c.RateLimits),
		varRedisKeyPrefix:  c.RedisKeyPrefix,
		varAutoMigrate:     strconv.FormatBool(c.AutoMigrate),
		varTrustedProxies:  prefixesText(c.TrustedProxies),
		varTLSDomains:      strings.Join(c.TLSDomains, ","),
		varHTTPSAddr:       c.HTTPSAddr,
		varACMEDirectory:   acmeDirectoryText(c.ACMEDirectoryURL),
		varACMEEmail:       c.ACMEEmail,
		varBackupURL:       redactURL(c.BackupURL),
		varBackupRetention: strconv.Itoa(int(c.BackupRetention / (24 * time.Hour))),
		varBackupInterval:  backupIntervalText(c.BackupInterval),
		varSearchTimeout:   c.SearchTimeout.String(),
		varCacheSMaxAge:    c.CacheSMaxAge.String(),
		varMediaBaseURL:    c.MediaBaseURL,
		varMediaQuota:      quotaText(c.MediaQuota),
	}
	if c.BaseURL != nil {
		m[varBaseURL] = c.BaseURL.String()
	}
	if c.DatabaseURL != "" {
		m[varDatabaseURL] = redactPostgresURL(c.DatabaseURL)
	}
	if len(c.ReplicaURLs) > 0 {
		rs := make([]string, len(c.ReplicaURLs))
		for i, r := range c.ReplicaURLs {
			rs[i] = redactPostgresURL(r)
		}
		m[varReplicaURLs] = strings.Join(rs, ",")
	}
	return m
}

// redactURL guards non-secret URLs against credentials pasted into them.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = url.User("xxxxx")
	return u.String()
}

type loader struct {
	getenv   func(string) string
	readFile func(string) ([]byte, error)
	errs     []error
}

func (l *loader) fail(name, format string, args ...any) {
	l.errs = append(l.errs, &FieldError{Var: name, Reason: fmt.Sprintf(format, args...)})
}

// str returns a non-secret value with surrounding whitespace removed: it is
// never meaningful and easily pasted into .env files and manifests.
func (l *loader) str(name, def string) string {
	if v := strings.TrimSpace(l.getenv(name)); v != "" {
		return v
	}
	return def
}

// secret returns NAME or the content of NAME_FILE minus one trailing
// newline (editors and `echo` add one). ok is false when a problem was
// already reported, so that callers do not pile on a second error.
func (l *loader) secret(name string) (value string, ok bool) {
	value = l.getenv(name)
	path := strings.TrimSpace(l.getenv(name + fileSuffix))
	if path == "" {
		return value, true
	}
	if value != "" {
		l.fail(name, "both %s and %s%s are set; use only one", name, name, fileSuffix)
		return "", false
	}
	b, err := l.readFile(path)
	if err != nil {
		l.fail(name+fileSuffix, "cannot read %s: %s", path, pathErrorReason(err))
		return "", false
	}
	value = string(b)
	if s, found := strings.CutSuffix(value, "\r\n"); found {
		value = s
	} else {
		value = strings.TrimSuffix(value, "\n")
	}
	if value == "" {
		// An empty mounted secret is almost always a deployment mistake;
		// treating it as "unset" would silently disable the feature.
		l.fail(name+fileSuffix, "file %s is empty", path)
		return "", false
	}
	return value, true
}

// plainSecret is a secret that cannot legitimately contain surrounding
// whitespace; a stray newline from `kubectl create secret --from-file`
// would otherwise break HTTP headers or URL parsing far from here.
func (l *loader) plainSecret(name string) string {
	v, ok := l.secret(name)
	if !ok {
		return ""
	}
	if strings.TrimSpace(v) != v {
		l.fail(name, "has leading or trailing whitespace")
		return ""
	}
	return v
}

func (l *loader) env() (Env, bool) {
	raw := strings.TrimSpace(l.getenv(varEnv))
	switch e := Env(strings.ToLower(raw)); e {
	case "":
		return Development, true
	case Development, Staging, Production:
		return e, true
	default:
		l.fail(varEnv, "unknown environment %q; must be one of %s, %s, %s", raw, Development, Staging, Production)
		return "", false
	}
}

func (l *loader) boolean(name string, def bool) bool {
	raw := l.str(name, "")
	switch strings.ToLower(raw) {
	case "":
		return def
	case "1", "true", "yes":
		return true
	case "0", "false", "no":
		return false
	}
	l.fail(name, "invalid boolean %q; use true/false, yes/no or 1/0", raw)
	return def
}

func (l *loader) addr(name, def string) string {
	raw := l.str(name, def)
	_, port, err := net.SplitHostPort(raw)
	if err != nil {
		l.fail(name, "invalid address %q; want host:port or :port", raw)
		return raw
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		l.fail(name, "invalid port %q in %q; want a number from 0 to 65535", port, raw)
	}
	return raw
}

func (l *loader) baseURL(env Env, envOK bool) *url.URL {
	raw := l.str(varBaseURL, defBaseURL)
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		l.fail(varBaseURL, "invalid URL %q", raw)
		return nil
	case (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "":
		l.fail(varBaseURL, "must be an absolute http:// or https:// URL, got %q", raw)
		return nil
	case u.User != nil:
		l.fail(varBaseURL, "must not contain a user name or password")
		return nil
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		l.fail(varBaseURL, "must not have a query or fragment, got %q", raw)
		return nil
	}
	if envOK && env == Production && u.Scheme != "https" {
		l.fail(varBaseURL, "must be https in production, got %q; terminate TLS at the load balancer and set the public https URL", raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	return u
}

func (l *loader) database(env Env, envOK bool) string {
	v := l.plainSecret(varDatabaseURL)
	if v == "" {
		return ""
	}
	if !envOK {
		env = ""
	}
	for _, r := range checkPostgresURL(v, env) {
		l.fail(varDatabaseURL, "%s", r)
	}
	return v
}

func (l *loader) replicas(env Env, envOK bool) []string {
	v, ok := l.secret(varReplicaURLs)
	if !ok || strings.TrimSpace(v) == "" {
		return nil
	}
	if !envOK {
		env = ""
	}
	urls := splitReplicaURLs(v)
	for i, u := range urls {
		for _, r := range checkPostgresURL(u, env) {
			// Position, not value: the value holds a password.
			l.fail(varReplicaURLs, "replica %d %s", i+1, r)
		}
	}
	return urls
}

func (l *loader) storage(dataDir string) string {
	return l.mediaURL(varStorageURL, dataDir, "files")
}

// mediaURL reads a blob store URL (RECC_STORAGE_URL, RECC_BACKUP_URL):
// file:///absolute/path or s3://bucket/prefix, by default a directory of
// the data dir.
func (l *loader) mediaURL(name, dataDir, subdir string) string {
	raw := l.str(name, "")
	if raw == "" {
		abs, err := filepath.Abs(filepath.Join(dataDir, subdir))
		if err != nil {
			l.fail(varDataDir, "cannot make %q absolute: %v", dataDir, err)
			return ""
		}
		p := filepath.ToSlash(abs)
		if !strings.HasPrefix(p, "/") { // Windows drive letter
			p = "/" + p
		}
		return (&url.URL{Scheme: "file", Path: p}).String()
	}
	u, err := url.Parse(raw)
	if err != nil {
		l.fail(name, "invalid URL; want file:///absolute/path or s3://bucket/prefix")
		return ""
	}
	if u.User != nil {
		l.fail(name, "must not contain credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY instead")
		return ""
	}
	switch u.Scheme {
	case "file":
		if u.Opaque != "" || (u.Host != "" && u.Host != "localhost") || !strings.HasPrefix(u.Path, "/") {
			l.fail(name, "file URLs need an absolute path and three slashes, e.g. file:///var/lib/reccollection/files; got %q", raw)
		} else if u.RawQuery != "" || u.Fragment != "" {
			l.fail(name, "file URLs take no query or fragment, got %q", raw)
		}
	case "s3":
		if u.Host == "" {
			l.fail(name, "s3 URLs need a bucket, e.g. s3://bucket/prefix; got %q", raw)
		}
		if u.Fragment != "" {
			l.fail(name, "s3 URLs take no fragment, got %q", raw)
		}
		if ep := u.Query().Get("endpoint"); ep != "" {
			e, err := url.Parse(ep)
			if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
				l.fail(name, "endpoint %q must be an absolute http:// or https:// URL", ep)
			}
		}
	default:
		l.fail(name, "unsupported scheme %q; want file:///absolute/path or s3://bucket/prefix", u.Scheme)
	}
	return raw
}

// secretKey returns the key from the environment or from the development key
// file. fromDataDir with a nil key asks Load to generate the file once
// everything else is known to be valid.
func (l *loader) secretKey(env Env, envOK bool, dataDir string) (key []byte, fromDataDir bool) {
	v, ok := l.secret(varSecretKey)
	if !ok || !envOK {
		return nil, false
	}
	if v == "" {
		if env != Development {
			l.fail(varSecretKey, "required in %s; generate one with %s", env, keyGenerateCommand)
			return nil, false
		}
		k, err := readSecretKeyFile(dataDir)
		if err != nil {
			l.fail(varSecretKey, "%s", err.Error())
			return nil, false
		}
		return k, true
	}
	if env == Development {
		return []byte(v), false
	}
	// Placeholder first: lengthening "changeme" to 32 bytes fixes nothing.
	if isPlaceholderKey([]byte(v)) {
		l.fail(varSecretKey, "is a placeholder, not a random key; generate one with %s", keyGenerateCommand)
	} else if len(v) < minSecretKeyLen {
		l.fail(varSecretKey, "must be at least %d bytes in %s, got %d; generate one with %s", minSecretKeyLen, env, len(v), keyGenerateCommand)
	}
	return []byte(v), false
}

// previousSecretKeys reads the keys of a rotation in progress. Outside
// development they meet the current key's rules: an old weak key would
// keep the values it sealed weak.
func (l *loader) previousSecretKeys(env Env, current []byte) [][]byte {
	v, ok := l.secret(varSecretKeyPrev)
	if !ok || strings.TrimSpace(v) == "" {
		return nil
	}
	var keys [][]byte
	for i, k := range strings.Split(v, ",") {
		k = strings.TrimSpace(k)
		switch {
		case k == "":
			l.fail(varSecretKeyPrev, "key %d is empty", i+1)
		case string(current) == k:
			l.fail(varSecretKeyPrev, "key %d equals RECC_SECRET_KEY; list only the keys it replaced", i+1)
		case len(k) < 16:
			l.fail(varSecretKeyPrev, "key %d is shorter than 16 bytes", i+1)
		case env != Development && (isPlaceholderKey([]byte(k)) || len(k) < minSecretKeyLen):
			l.fail(varSecretKeyPrev, "key %d must be a random key of at least %d bytes in %s", i+1, minSecretKeyLen, env)
		default:
			keys = append(keys, []byte(k))
		}
	}
	return keys
}

// optionalURL validates an integration URL without ever echoing it: these
// are secrets and carry passwords or tokens.
func (l *loader) optionalURL(name string, schemes ...string) string {
	var v string
	if isSecret(name) {
		v = l.plainSecret(name)
	} else {
		v = l.str(name, "")
	}
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	if err != nil {
		l.fail(name, "is not a valid URL; percent-encode special characters in the user name and password")
		return ""
	}
	valid := false
	for _, s := range schemes {
		valid = valid || u.Scheme == s
	}
	if !valid {
		l.fail(name, "must be a %s:// URL", strings.Join(schemes, ":// or "))
		return ""
	}
	if u.Host == "" && !(u.Scheme == "unix" && u.Path != "") {
		l.fail(name, "must include a host")
		return ""
	}
	return v
}

func (l *loader) logLevel() slog.Level {
	raw := l.str(varLogLevel, defLogLevel)
	switch strings.ToLower(raw) {
	case "debug":
		return slog.LevelDebug
	case "info":
		return slog.LevelInfo
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	}
	l.fail(varLogLevel, "unknown level %q; must be one of debug, info, warn, error", raw)
	return slog.LevelInfo
}

func (l *loader) logFormat(env Env) string {
	def := "json"
	if env == Development {
		def = "text"
	}
	raw := l.str(varLogFormat, def)
	switch f := strings.ToLower(raw); f {
	case "text", "json":
		return f
	}
	l.fail(varLogFormat, "unknown format %q; must be text or json", raw)
	return def
}

func (l *loader) shutdownTimeout() time.Duration {
	raw := l.str(varShutdownTimeout, defShutdownTimeout)
	d, err := time.ParseDuration(raw)
	if err != nil {
		l.fail(varShutdownTimeout, "invalid duration %q; use a Go duration such as 30s or 2m", raw)
		return 0
	}
	if d < minShutdownTimeout || d > maxShutdownTimeout {
		l.fail(varShutdownTimeout, "must be between %s and %s, got %s", minShutdownTimeout, maxShutdownTimeout, d)
	}
	return d
}

// shutdownDelay defaults to a few seconds behind a load balancer (staging,
// production), which needs a moment to see readiness fail, and to none on
// a developer's machine, where Ctrl-C should stop at once.
func (l *loader) shutdownDelay(env Env) time.Duration {
	def := "5s"
	if env == Development {
		def = "0s"
	}
	raw := l.str(varShutdownDelay, def)
	d, err := time.ParseDuration(raw)
	if err != nil {
		l.fail(varShutdownDelay, "invalid duration %q; use a Go duration such as 5s", raw)
		return 0
	}
	if d < 0 || d > 2*time.Minute {
		l.fail(varShutdownDelay, "must be between 0s and 2m, got %s", d)
	}
	return d
}

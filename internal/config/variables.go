package config

import (
	"slices"
	"strings"
)

// Variable describes one environment variable for --help output and the
// documentation table.
type Variable struct {
	Name        string
	Default     string
	Description string
	// Secret variables are never logged and also accept NAME_FILE.
	Secret bool
}

// Names are constants so that Load, Variables and UnknownVariables cannot
// drift apart; a test checks that Load reads nothing outside Variables.
const (
	varEnv             = "RECC_ENV"
	varHTTPAddr        = "RECC_HTTP_ADDR"
	varBaseURL         = "RECC_BASE_URL"
	varDataDir         = "RECC_DATA_DIR"
	varDatabaseURL     = "DATABASE_URL"
	varReplicaURLs     = "DATABASE_REPLICA_URLS"
	varStorageURL      = "RECC_STORAGE_URL"
	varSecretKey       = "RECC_SECRET_KEY"
	varSecretKeyPrev   = "RECC_SECRET_KEY_PREVIOUS"
	varMetricsAddr     = "RECC_METRICS_ADDR"
	varSMTPURL         = "RECC_SMTP_URL"
	varSentryDSN       = "RECC_SENTRY_DSN"
	varRedisURL        = "RECC_REDIS_URL"
	varAIBaseURL       = "RECC_AI_BASE_URL"
	varAIAPIKey        = "RECC_AI_API_KEY"
	varAIModel         = "RECC_AI_MODEL"
	varImportPrivate   = "RECC_IMPORT_ALLOW_PRIVATE_HOSTS"
	varLogLevel        = "RECC_LOG_LEVEL"
	varLogFormat       = "RECC_LOG_FORMAT"
	varShutdownTimeout = "RECC_SHUTDOWN_TIMEOUT"
	varShutdownDelay   = "RECC_SHUTDOWN_DELAY"
	varAutoMigrate     = "RECC_AUTO_MIGRATE"
	varAssetBaseURL    = "RECC_ASSET_BASE_URL"
	varRateLimits      = "RECC_RATE_LIMITS"
	varRedisKeyPrefix  = "RECC_REDIS_KEY_PREFIX"
	varTrustedProxies  = "RECC_TRUSTED_PROXIES"
	varTLSDomains      = "RECC_TLS_DOMAINS"
	varHTTPSAddr       = "RECC_HTTPS_ADDR"
	varACMEDirectory   = "RECC_ACME_DIRECTORY_URL"
	varACMEEmail       = "RECC_ACME_EMAIL"
	varBackupURL       = "RECC_BACKUP_URL"
	varBackupRetention = "RECC_BACKUP_RETENTION_DAYS"
	varBackupInterval  = "RECC_BACKUP_INTERVAL"

	fileSuffix = "_FILE"
)

const (
	defHTTPAddr        = ":8080"
	defBaseURL         = "http://localhost:8080"
	defDataDir         = "./data"
	defMetricsAddr     = "127.0.0.1:9090"
	defLogLevel        = "info"
	defShutdownTimeout = "20s"
	defRedisKeyPrefix  = "recc:"
	defHTTPSAddr       = ":443"
	defBackupRetention = "30"
	defBackupInterval  = "24h"

	secretKeyFileName = "secret.key"
)

var variables = []Variable{
	{Name: varEnv, Default: string(Development),
		Description: "development, staging or production; staging and production refuse unsafe settings"},
	{Name: varHTTPAddr, Default: defHTTPAddr,
		Description: "listen address host:port"},
	{Name: varBaseURL, Default: defBaseURL,
		Description: "public URL used in links and emails; must be https in production"},
	{Name: varDataDir, Default: defDataDir,
		Description: "directory for the SQLite file, local files and the development secret key"},
	{Name: varDatabaseURL, Default: "",
		Description: "postgres:// URL of the primary database; unset means embedded SQLite", Secret: true},
	{Name: varReplicaURLs, Default: "",
		Description: "comma-separated postgres:// URLs of read replicas for read-only queries", Secret: true},
	{Name: varStorageURL, Default: "file://<absolute RECC_DATA_DIR>/files",
		Description: "file:///abs/path or s3://bucket/prefix?endpoint=…&region=… (keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)"},
	{Name: varSecretKey, Default: "generated in RECC_DATA_DIR/" + secretKeyFileName + " in development only",
		Description: "signing and encryption key, at least 32 bytes; generate with `openssl rand -hex 32`", Secret: true},
	{Name: varSecretKeyPrev, Default: "",
		Description: "comma-separated earlier values of RECC_SECRET_KEY that still open stored secrets while the key is rotated; drop them after `reccollection secret-key reseal`", Secret: true},
	{Name: varMetricsAddr, Default: defMetricsAddr,
		Description: "internal listener for /metrics and /debug/pprof/ (host:port); off disables it; keep it off the public network"},
	{Name: varSMTPURL, Default: "",
		Description: "smtp://user:pass@host:587 (STARTTLS when offered) or smtps://user:pass@host:465 URL of the mail relay, sender in ?from=; unset writes email to the log in development and sends none elsewhere", Secret: true},
	{Name: varSentryDSN, Default: "",
		Description: "Sentry DSN for error tracking; unset disables it", Secret: true},
	{Name: varRedisURL, Default: "",
		Description: "redis://, rediss:// or unix:// URL; optional", Secret: true},
	{Name: varAIBaseURL, Default: "",
		Description: "base URL of an OpenAI-compatible chat completions API; unset uses the offline generator"},
	{Name: varAIAPIKey, Default: "",
		Description: "API key for RECC_AI_BASE_URL", Secret: true},
	{Name: varAIModel, Default: "",
		Description: "model name sent to RECC_AI_BASE_URL; AI is used only when both are set"},
	{Name: varAITimeout, Default: defAITimeout,
		Description: "time one AI request may take, its streamed answer included (Go duration, 100ms to 10m); past it the person is told and nothing is saved"},
	{Name: varImportPrivate, Default: "false",
		Description: "let the importer fetch loopback and private addresses (tests and development only)"},
	{Name: varLogLevel, Default: defLogLevel,
		Description: "debug, info, warn or error"},
	{Name: varLogFormat, Default: "text in development, json otherwise",
		Description: "text or json"},
	{Name: varShutdownTimeout, Default: defShutdownTimeout,
		Description: "graceful shutdown budget as a Go duration, between 1s and 10m"},
	{Name: varShutdownDelay, Default: "0s in development, 5s otherwise",
		Description: "after SIGTERM, keep serving this long with readiness failing so the load balancer stops routing here first; 0s to 2m"},
	{Name: varAssetBaseURL, Default: "",
		Description: "http(s) URL of a CDN that serves /static/ from this server (assets have content-hashed names); unset serves them directly"},
	{Name: varRateLimits, Default: "on",
		Description: "on or off: per-IP and per-user request limits on sign-in, registration, writes and search (off only for load tests)"},
	{Name: varRedisKeyPrefix, Default: defRedisKeyPrefix,
		Description: "prefix of every key written to RECC_REDIS_URL, so several deployments can share one Redis"},
	{Name: varTrustedProxies, Default: "",
		Description: "comma-separated IPs and CIDR ranges of the load balancers whose X-Forwarded-For and X-Forwarded-Proto are believed; unset believes none"},
	{Name: varTLSDomains, Default: "",
		Description: "comma-separated host names to obtain certificates for (ACME, cached in the database); serves HTTPS on RECC_HTTPS_ADDR and redirects RECC_HTTP_ADDR to it; unset when TLS ends at the load balancer"},
	{Name: varHTTPSAddr, Default: defHTTPSAddr,
		Description: "HTTPS listen address host:port, with RECC_TLS_DOMAINS only"},
	{Name: varACMEDirectory, Default: "Let's Encrypt",
		Description: "ACME directory URL (e.g. Let's Encrypt staging), with RECC_TLS_DOMAINS only"},
	{Name: varACMEEmail, Default: "",
		Description: "contact address for the ACME account (expiry and revocation notices), with RECC_TLS_DOMAINS only"},
	{Name: varBackupURL, Default: "file://<absolute RECC_DATA_DIR>/backups",
		Description: "where `backup create` writes archives: file:///abs/path or s3://bucket/prefix?endpoint=…&region=…, like RECC_STORAGE_URL"},
	{Name: varBackupRetention, Default: defBackupRetention,
		Description: "days to keep backups, 1 to 3650; older ones are deleted after each successful backup, never the newest"},
	{Name: varBackupInterval, Default: defBackupInterval,
		Description: "how often the server makes a backup itself (Go duration, 1h to 168h), or off when a scheduler such as a Kubernetes CronJob runs `reccollection backup create`"},
	{Name: varSearchTimeout, Default: defSearchTimeout,
		Description: "time budget of one search (Go duration, 100ms to 1m); a search that needs longer is stopped, in the database too, and answered with 503 and Retry-After"},
	{Name: varCacheSMaxAge, Default: defCacheSMaxAge,
		Description: "how long a shared cache (CDN, caching proxy) may serve an anonymous visitor's public page (home, browse, public recipe, cook mode, profile) before asking again: seconds or a Go duration, up to 1h; 0 keeps every page private"},
	{Name: varMediaBaseURL, Default: "",
		Description: "http(s) URL of a CDN whose origin is this server, for the /media/ photos of public and unlisted recipes and avatars (private recipes' photos are always served here, after an access check); unset serves them directly"},
	{Name: varMediaQuota, Default: defMediaQuota,
		Description: "storage one user's photos may hold (bytes, or with a unit: 500MiB, 2GiB); 0 for no limit"},
	{Name: varAutoMigrate, Default: "true in development, false otherwise",
		Description: "apply database migrations at start-up"},
}

// Variables describes every variable Load reads, in a stable order.
func Variables() []Variable {
	return slices.Clone(variables)
}

func isSecret(name string) bool {
	for _, v := range variables {
		if v.Name == name {
			return v.Secret
		}
	}
	return false
}

// UnknownVariables returns, sorted and without duplicates, the RECC_* names
// in environ (as from os.Environ) that Load does not read, so that a typo
// such as RECC_HTTP_ADR can be reported instead of silently ignored.
func UnknownVariables(environ []string) []string {
	known := make(map[string]bool, 2*len(variables))
	for _, v := range variables {
		known[v.Name] = true
		if v.Secret {
			known[v.Name+fileSuffix] = true
		}
	}
	var unknown []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "RECC_") && !known[name] {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	return slices.Compact(unknown)
}

package config

import (
	"encoding/hex"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	goodKey    = "3f1c9a0e7b2d4c6f8a1b3d5e7f9a0c2e4b6d8f1a3c5e7b9d0f2a4c6e8b1d3f5a"
	goodDBPass = "Vx7-qL2pR9zK"
	unset      = "\x00unset" // override value that removes a variable
)

func getenvFrom(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

// fakeFiles stands in for os.ReadFile so that tests do not depend on the
// file system for NAME_FILE secrets.
func fakeFiles(files map[string]string) func(string) ([]byte, error) {
	return func(path string) ([]byte, error) {
		if c, ok := files[path]; ok {
			return []byte(c), nil
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
}

func with(base map[string]string, overrides map[string]string) map[string]string {
	m := make(map[string]string, len(base)+len(overrides))
	for k, v := range base {
		m[k] = v
	}
	for k, v := range overrides {
		if v == unset {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

func devEnv(t *testing.T) map[string]string {
	return map[string]string{"RECC_DATA_DIR": t.TempDir()}
}

func prodEnv(t *testing.T) map[string]string {
	return map[string]string{
		"RECC_ENV":              "production",
		"RECC_DATA_DIR":         t.TempDir(),
		"RECC_BASE_URL":         "https://recipes.example.com/",
		"DATABASE_URL":          "postgres://app:" + goodDBPass + "@db.internal:5432/recc?sslmode=verify-full",
		"DATABASE_REPLICA_URLS": "postgres://app:" + goodDBPass + "@r1.internal/recc?sslmode=require, postgresql://r2.internal/recc?user=app&password=" + goodDBPass,
		"RECC_STORAGE_URL":      "s3://recc-files/prod?endpoint=https://s3.example.com&region=eu-west-1",
		"RECC_SECRET_KEY":       goodKey,
		"RECC_SMTP_URL":         "smtps://mailer:smtp-pass-123@smtp.example.com:465",
		"RECC_SENTRY_DSN":       "https://pubkey@o1.ingest.sentry.io/42",
		"RECC_REDIS_URL":        "rediss://:redis-pass-123@redis.internal:6380/0",
		"RECC_AI_BASE_URL":      "https://api.example.com/v1",
		"RECC_AI_API_KEY":       "sk-ai-key-123",
		"RECC_AI_MODEL":         "gpt-test",
	}
}

func fieldErrors(t *testing.T, err error) []*FieldError {
	t.Helper()
	if err == nil {
		return nil
	}
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else {
		errs = []error{err}
	}
	var out []*FieldError
	for _, e := range errs {
		var fe *FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("error %q is not a *FieldError", e)
		}
		out = append(out, fe)
	}
	return out
}

func TestDefaultsInDevelopment(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "nested", "data")
	c, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": dataDir}), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	absFiles, _ := filepath.Abs(filepath.Join(dataDir, "files"))
	checks := []struct {
		name      string
		got, want any
	}{
		{"Env", c.Env, Development},
		{"HTTPAddr", c.HTTPAddr, ":8080"},
		{"BaseURL", c.BaseURL.String(), "http://localhost:8080"},
		{"DataDir", c.DataDir, dataDir},
		{"DatabaseURL", c.DatabaseURL, ""},
		{"ReplicaURLs", len(c.ReplicaURLs), 0},
		{"StorageURL", c.StorageURL, "file://" + filepath.ToSlash(absFiles)},
		{"MetricsAddr", c.MetricsAddr, "127.0.0.1:9090"},
		{"SMTPURL", c.SMTPURL, ""},
		{"AIBaseURL", c.AIBaseURL, ""},
		{"ImportAllowPrivateHosts", c.ImportAllowPrivateHosts, false},
		{"LogLevel", c.LogLevel, slog.LevelInfo},
		{"LogFormat", c.LogFormat, "text"},
		{"ShutdownTimeout", c.ShutdownTimeout, 20 * time.Second},
		{"ShutdownDelay", c.ShutdownDelay, time.Duration(0)},
		{"AutoMigrate", c.AutoMigrate, true},
		{"UsesSQLite", c.UsesSQLite(), true},
		{"IsDevelopment", c.IsDevelopment(), true},
		{"key length", len(c.SecretKey), 64},
		{"GeneratedSecrets", strings.Join(c.GeneratedSecrets(), ","), "RECC_SECRET_KEY"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if !strings.HasPrefix(c.StorageURL, "file:///") {
		t.Errorf("StorageURL %q is not an absolute file URL", c.StorageURL)
	}
}

func TestProductionDefaults(t *testing.T) {
	env := with(prodEnv(t), map[string]string{"RECC_STORAGE_URL": unset, "DATABASE_REPLICA_URLS": unset})
	c, err := Load(getenvFrom(env), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.LogFormat != "json" || c.AutoMigrate || c.IsDevelopment() || c.UsesSQLite() {
		t.Errorf("LogFormat=%q AutoMigrate=%v IsDevelopment=%v UsesSQLite=%v; want json, false, false, false",
			c.LogFormat, c.AutoMigrate, c.IsDevelopment(), c.UsesSQLite())
	}
	if got := c.BaseURL.String(); got != "https://recipes.example.com" {
		t.Errorf("BaseURL = %q, want trailing slash trimmed", got)
	}
	if len(c.GeneratedSecrets()) != 0 {
		t.Errorf("GeneratedSecrets = %v in production", c.GeneratedSecrets())
	}
	if entries, _ := os.ReadDir(env["RECC_DATA_DIR"]); len(entries) != 0 {
		t.Errorf("production Load wrote to the data dir: %v", entries)
	}
}

func TestProductionGoodConfiguration(t *testing.T) {
	env := with(prodEnv(t), map[string]string{
		"RECC_HTTP_ADDR":        "0.0.0.0:8443",
		"RECC_METRICS_ADDR":     "[::1]:9100",
		"RECC_LOG_LEVEL":        "WARN",
		"RECC_LOG_FORMAT":       "text",
		"RECC_SHUTDOWN_TIMEOUT": "45s",
		"RECC_AUTO_MIGRATE":     "yes",
	})
	c, err := Load(getenvFrom(env), fakeFiles(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Env != Production || string(c.SecretKey) != goodKey || c.LogLevel != slog.LevelWarn ||
		c.LogFormat != "text" || c.ShutdownTimeout != 45*time.Second || !c.AutoMigrate ||
		c.HTTPAddr != "0.0.0.0:8443" || c.MetricsAddr != "[::1]:9100" {
		t.Errorf("unexpected config: %+v", c)
	}
	want := []string{
		"postgres://app:" + goodDBPass + "@r1.internal/recc?sslmode=require",
		"postgresql://r2.internal/recc?user=app&password=" + goodDBPass,
	}
	if !slices.Equal(c.ReplicaURLs, want) {
		t.Errorf("ReplicaURLs = %q, want %q", c.ReplicaURLs, want)
	}
}

func TestSecretKeyGeneratedAndReused(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	env := map[string]string{"RECC_DATA_DIR": dataDir}
	first, err := Load(getenvFrom(env), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	if raw, err := hex.DecodeString(string(first.SecretKey)); err != nil || len(raw) != 32 {
		t.Fatalf("generated key %q is not 32 hex-encoded bytes", first.SecretKey)
	}
	second, err := Load(getenvFrom(env), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	if string(first.SecretKey) != string(second.SecretKey) {
		t.Error("second Load generated a new key instead of reusing the stored one")
	}
	b, err := os.ReadFile(filepath.Join(dataDir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(string(b)) != string(first.SecretKey) {
		t.Error("stored key differs from the key in use; copying the file into RECC_SECRET_KEY would change it")
	}
	if runtime.GOOS != "windows" {
		if fi, _ := os.Stat(filepath.Join(dataDir, "secret.key")); fi.Mode().Perm() != 0o600 {
			t.Errorf("key file mode = %v, want 0600", fi.Mode().Perm())
		}
		if fi, _ := os.Stat(dataDir); fi.Mode().Perm() != 0o700 {
			t.Errorf("data dir mode = %v, want 0700", fi.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dataDir)
	if len(entries) != 1 {
		t.Errorf("data dir holds %d entries, want only secret.key (temporary file left behind?)", len(entries))
	}
}

func TestSecretKeyConcurrentFirstStart(t *testing.T) {
	env := map[string]string{"RECC_DATA_DIR": filepath.Join(t.TempDir(), "data")}
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			c, err := Load(getenvFrom(env), fakeFiles(nil))
			if err != nil {
				t.Error(err)
				return
			}
			keys[i] = string(c.SecretKey)
		})
	}
	wg.Wait()
	for _, k := range keys {
		if k != keys[0] {
			t.Fatalf("concurrent first starts ended with different keys: %q", keys)
		}
	}
}

func TestNoKeyFileWrittenWhenConfigInvalid(t *testing.T) {
	env := with(devEnv(t), map[string]string{"RECC_LOG_LEVEL": "loud"})
	if _, err := Load(getenvFrom(env), fakeFiles(nil)); err == nil {
		t.Fatal("Load succeeded")
	}
	if _, err := os.Stat(filepath.Join(env["RECC_DATA_DIR"], "secret.key")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("secret.key written although the configuration is invalid (stat: %v)", err)
	}
}

func TestInvalidKeyFileIsNotOverwritten(t *testing.T) {
	env := devEnv(t)
	path := filepath.Join(env["RECC_DATA_DIR"], "secret.key")
	if err := os.WriteFile(path, []byte("not hex\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Load(getenvFrom(env), fakeFiles(nil))
	errs := fieldErrors(t, err)
	if len(errs) != 1 || errs[0].Var != "RECC_SECRET_KEY" || !strings.Contains(errs[0].Reason, "not a valid key") {
		t.Fatalf("errors = %v, want one RECC_SECRET_KEY invalid key error", errs)
	}
	if b, _ := os.ReadFile(path); string(b) != "not hex\n" {
		t.Error("invalid key file was overwritten")
	}
}

func TestValidConfigurations(t *testing.T) {
	tests := []struct {
		name string
		base func(*testing.T) map[string]string
		set  map[string]string
		// check inspects the result; nil means success is enough.
		check func(*testing.T, *Config)
	}{
		{"env is trimmed and case-insensitive", prodEnv, map[string]string{"RECC_ENV": "  Production "}, func(t *testing.T, c *Config) {
			if c.Env != Production {
				t.Errorf("Env = %q", c.Env)
			}
		}},
		{"staging allows http base URL", prodEnv, map[string]string{"RECC_ENV": "staging", "RECC_BASE_URL": "http://staging.internal"}, nil},
		{"development allows weak key, weak DB password and sslmode=disable", devEnv, map[string]string{
			"RECC_SECRET_KEY":                 "changeme",
			"DATABASE_URL":                    "postgres://postgres:postgres@db.example.com/recc?sslmode=disable",
			"RECC_IMPORT_ALLOW_PRIVATE_HOSTS": "TRUE",
		}, func(t *testing.T, c *Config) {
			if string(c.SecretKey) != "changeme" || !c.ImportAllowPrivateHosts || c.UsesSQLite() {
				t.Errorf("unexpected config %+v", c)
			}
		}},
		{"staging allows weak DB password (production only rule)", prodEnv, map[string]string{"RECC_ENV": "staging", "DATABASE_URL": "postgres://app:postgres@db/recc"}, nil},
		{"sslmode=disable on localhost", prodEnv, map[string]string{"DATABASE_URL": "postgres://app:" + goodDBPass + "@localhost:5432/recc?sslmode=disable"}, nil},
		{"sslmode=disable on 127.0.0.1", prodEnv, map[string]string{"DATABASE_URL": "postgres://app:" + goodDBPass + "@127.0.0.1/recc?sslmode=disable"}, nil},
		{"sslmode=disable on ::1", prodEnv, map[string]string{"DATABASE_URL": "postgres://app:" + goodDBPass + "@[::1]:5432/recc?sslmode=disable"}, nil},
		{"sslmode=disable on unix socket", prodEnv, map[string]string{"DATABASE_URL": "postgres:///recc?host=/var/run/postgresql&sslmode=disable"}, nil},
		{"multi-host replica URL keeps its comma", prodEnv, map[string]string{"DATABASE_REPLICA_URLS": "postgres://r1:5432,r2:5432/recc,postgres://r3/recc"}, func(t *testing.T, c *Config) {
			want := []string{"postgres://r1:5432,r2:5432/recc", "postgres://r3/recc"}
			if !slices.Equal(c.ReplicaURLs, want) {
				t.Errorf("ReplicaURLs = %q, want %q", c.ReplicaURLs, want)
			}
		}},
		{"file storage URL", devEnv, map[string]string{"RECC_STORAGE_URL": "file:///var/lib/recc/files"}, func(t *testing.T, c *Config) {
			if c.StorageURL != "file:///var/lib/recc/files" {
				t.Errorf("StorageURL = %q", c.StorageURL)
			}
		}},
		{"bool spellings", devEnv, map[string]string{"RECC_AUTO_MIGRATE": "No", "RECC_IMPORT_ALLOW_PRIVATE_HOSTS": "1"}, func(t *testing.T, c *Config) {
			if c.AutoMigrate || !c.ImportAllowPrivateHosts {
				t.Errorf("AutoMigrate=%v ImportAllowPrivateHosts=%v", c.AutoMigrate, c.ImportAllowPrivateHosts)
			}
		}},
		{"shutdown timeout bounds are inclusive", devEnv, map[string]string{"RECC_SHUTDOWN_TIMEOUT": "10m"}, nil},
		{"base URL path keeps sub-path without trailing slash", devEnv, map[string]string{"RECC_BASE_URL": "https://example.com/recipes/"}, func(t *testing.T, c *Config) {
			if got := c.BaseURL.String(); got != "https://example.com/recipes" {
				t.Errorf("BaseURL = %q", got)
			}
		}},
		{"redis unix socket", devEnv, map[string]string{"RECC_REDIS_URL": "unix:///run/redis.sock"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(getenvFrom(with(tt.base(t), tt.set)), fakeFiles(nil))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func TestRules(t *testing.T) {
	tests := []struct {
		name    string
		base    func(*testing.T) map[string]string
		set     map[string]string
		files   map[string]string
		wantVar string
		// want are substrings the reason must contain; secret must not.
		want   []string
		secret string
	}{
		{name: "previous key equals the current one", base: prodEnv, set: map[string]string{"RECC_SECRET_KEY_PREVIOUS": goodKey},
			wantVar: "RECC_SECRET_KEY_PREVIOUS", want: []string{"equals RECC_SECRET_KEY"}, secret: goodKey},
		{name: "previous key weak in production", base: prodEnv, set: map[string]string{"RECC_SECRET_KEY_PREVIOUS": "changeme-changeme-changeme-changeme"},
			wantVar: "RECC_SECRET_KEY_PREVIOUS", want: []string{"key 1", "at least 32 bytes"}, secret: "changeme-changeme"},
		{name: "previous key list with a hole", base: devEnv, set: map[string]string{"RECC_SECRET_KEY_PREVIOUS": "an old development key,,another old development key"},
			wantVar: "RECC_SECRET_KEY_PREVIOUS", want: []string{"key 2 is empty"}},
		{name: "unknown env", base: devEnv, set: map[string]string{"RECC_ENV": "prod"},
			wantVar: "RECC_ENV", want: []string{`"prod"`, "development, staging, production"}},
		{name: "invalid bool", base: devEnv, set: map[string]string{"RECC_AUTO_MIGRATE": "maybe"},
			wantVar: "RECC_AUTO_MIGRATE", want: []string{`"maybe"`, "true/false"}},
		{name: "invalid bool on", base: devEnv, set: map[string]string{"RECC_IMPORT_ALLOW_PRIVATE_HOSTS": "on"},
			wantVar: "RECC_IMPORT_ALLOW_PRIVATE_HOSTS", want: []string{`"on"`}},
		{name: "address without port", base: devEnv, set: map[string]string{"RECC_HTTP_ADDR": "8080"},
			wantVar: "RECC_HTTP_ADDR", want: []string{"host:port"}},
		{name: "named port", base: devEnv, set: map[string]string{"RECC_HTTP_ADDR": ":http"},
			wantVar: "RECC_HTTP_ADDR", want: []string{"0 to 65535"}},
		{name: "port out of range", base: devEnv, set: map[string]string{"RECC_METRICS_ADDR": "127.0.0.1:70000"},
			wantVar: "RECC_METRICS_ADDR", want: []string{"0 to 65535"}},
		{name: "base URL not absolute", base: devEnv, set: map[string]string{"RECC_BASE_URL": "localhost:8080"},
			wantVar: "RECC_BASE_URL", want: []string{"absolute http:// or https://"}},
		{name: "base URL wrong scheme", base: devEnv, set: map[string]string{"RECC_BASE_URL": "ftp://example.com"},
			wantVar: "RECC_BASE_URL", want: []string{"absolute http:// or https://"}},
		{name: "base URL with query", base: devEnv, set: map[string]string{"RECC_BASE_URL": "https://example.com/?a=1"},
			wantVar: "RECC_BASE_URL", want: []string{"query or fragment"}},
		{name: "base URL with fragment", base: devEnv, set: map[string]string{"RECC_BASE_URL": "https://example.com/#top"},
			wantVar: "RECC_BASE_URL", want: []string{"query or fragment"}},
		{name: "base URL with credentials", base: devEnv, set: map[string]string{"RECC_BASE_URL": "https://u:pw-in-url@example.com"},
			wantVar: "RECC_BASE_URL", want: []string{"user name or password"}, secret: "pw-in-url"},
		{name: "base URL http in production", base: prodEnv, set: map[string]string{"RECC_BASE_URL": "http://recipes.example.com"},
			wantVar: "RECC_BASE_URL", want: []string{"https in production"}},
		{name: "database URL not postgres", base: devEnv, set: map[string]string{"DATABASE_URL": "mysql://u:hunter2@db/recc"},
			wantVar: "DATABASE_URL", want: []string{"postgres://"}, secret: "hunter2"},
		{name: "database URL key=value DSN", base: devEnv, set: map[string]string{"DATABASE_URL": "host=db password=hunter2"},
			wantVar: "DATABASE_URL", want: []string{"postgres://"}, secret: "hunter2"},
		{name: "database URL unparsable, password not echoed", base: devEnv, set: map[string]string{"DATABASE_URL": "postgres://u:hun#ter2@db/recc"},
			wantVar: "DATABASE_URL", want: []string{"not a valid URL", "percent-encode"}, secret: "hun"},
		{name: "database URL with trailing newline", base: devEnv, set: map[string]string{"DATABASE_URL": "postgres://db/recc\n"},
			wantVar: "DATABASE_URL", want: []string{"whitespace"}},
		{name: "weak database password", base: prodEnv, set: map[string]string{"DATABASE_URL": "postgres://app:postgres@db.internal/recc?sslmode=require"},
			wantVar: "DATABASE_URL", want: []string{"default or well-known password"}, secret: "postgres@"},
		{name: "weak database password, any case", base: prodEnv, set: map[string]string{"DATABASE_URL": "postgres://app:ChangeMe@db.internal/recc"},
			wantVar: "DATABASE_URL", want: []string{"well-known password"}, secret: "ChangeMe"},
		{name: "weak database password in query", base: prodEnv, set: map[string]string{"DATABASE_URL": "postgresql://db.internal/recc?user=app&password=admin"},
			wantVar: "DATABASE_URL", want: []string{"well-known password"}},
		{name: "sslmode=disable to remote host", base: prodEnv, set: map[string]string{"DATABASE_URL": "postgres://app:" + goodDBPass + "@db.internal/recc?sslmode=disable"},
			wantVar: "DATABASE_URL", want: []string{"sslmode=disable", "localhost or a unix socket"}, secret: goodDBPass},
		{name: "sslmode=disable with one remote host of several", base: prodEnv, set: map[string]string{"DATABASE_URL": "postgres://localhost:5432,db.internal:5432/recc?sslmode=disable"},
			wantVar: "DATABASE_URL", want: []string{"sslmode=disable"}},
		{name: "sslmode=disable with remote host parameter", base: prodEnv, set: map[string]string{"DATABASE_URL": "postgres://localhost/recc?host=db.internal&sslmode=disable"},
			wantVar: "DATABASE_URL", want: []string{"sslmode=disable"}},
		{name: "replica not postgres", base: devEnv, set: map[string]string{"DATABASE_URL": "postgres://db/recc", "DATABASE_REPLICA_URLS": "postgres://r1/recc,mysql://u:hunter2@r2/recc"},
			wantVar: "DATABASE_REPLICA_URLS", want: []string{"replica 2", "postgres://"}, secret: "hunter2"},
		{name: "replicas without a PostgreSQL primary", base: devEnv, set: map[string]string{"DATABASE_REPLICA_URLS": "postgres://app:hunter2@r1/recc"},
			wantVar: "DATABASE_REPLICA_URLS", want: []string{"needs DATABASE_URL", "SQLite"}, secret: "hunter2"},
		{name: "replica weak password", base: prodEnv, set: map[string]string{"DATABASE_REPLICA_URLS": "postgres://app:password@r1.internal/recc"},
			wantVar: "DATABASE_REPLICA_URLS", want: []string{"replica 1", "well-known password"}},
		{name: "storage unsupported scheme", base: devEnv, set: map[string]string{"RECC_STORAGE_URL": "gs://bucket/x"},
			wantVar: "RECC_STORAGE_URL", want: []string{`unsupported scheme "gs"`}},
		{name: "storage relative file URL", base: devEnv, set: map[string]string{"RECC_STORAGE_URL": "file://data/files"},
			wantVar: "RECC_STORAGE_URL", want: []string{"absolute path"}},
		{name: "storage file URL with query", base: devEnv, set: map[string]string{"RECC_STORAGE_URL": "file:///srv/files?x=1"},
			wantVar: "RECC_STORAGE_URL", want: []string{"no query"}},
		{name: "storage s3 without bucket", base: devEnv, set: map[string]string{"RECC_STORAGE_URL": "s3:///prefix"},
			wantVar: "RECC_STORAGE_URL", want: []string{"need a bucket"}},
		{name: "storage s3 bad endpoint", base: devEnv, set: map[string]string{"RECC_STORAGE_URL": "s3://bucket/p?endpoint=s3.example.com"},
			wantVar: "RECC_STORAGE_URL", want: []string{"endpoint", "http://"}},
		{name: "storage s3 with credentials", base: devEnv, set: map[string]string{"RECC_STORAGE_URL": "s3://AKIA:aws-secret@bucket/p"},
			wantVar: "RECC_STORAGE_URL", want: []string{"AWS_SECRET_ACCESS_KEY"}, secret: "aws-secret"},
		{name: "secret key missing in production", base: prodEnv, set: map[string]string{"RECC_SECRET_KEY": unset},
			wantVar: "RECC_SECRET_KEY", want: []string{"required in production", "openssl rand -hex 32"}},
		{name: "secret key missing in staging", base: prodEnv, set: map[string]string{"RECC_ENV": "staging", "RECC_SECRET_KEY": unset},
			wantVar: "RECC_SECRET_KEY", want: []string{"required in staging"}},
		{name: "secret key too short", base: prodEnv, set: map[string]string{"RECC_SECRET_KEY": "k3Y9x1Qz7WmB"},
			wantVar: "RECC_SECRET_KEY", want: []string{"must be at least 32 bytes in production, got 12"}, secret: "k3Y9x1Qz7WmB"},
		{name: "secret key too short in staging", base: prodEnv, set: map[string]string{"RECC_ENV": "staging", "RECC_SECRET_KEY": "k3Y9x1Qz7WmB"},
			wantVar: "RECC_SECRET_KEY", want: []string{"at least 32 bytes in staging"}},
		{name: "secret key changeme", base: prodEnv, set: map[string]string{"RECC_SECRET_KEY": "changeme"},
			wantVar: "RECC_SECRET_KEY", want: []string{"placeholder"}, secret: "changeme"},
		{name: "secret key secret in staging", base: prodEnv, set: map[string]string{"RECC_ENV": "staging", "RECC_SECRET_KEY": "secret"},
			wantVar: "RECC_SECRET_KEY", want: []string{"placeholder"}},
		{name: "secret key long repeated placeholder", base: prodEnv, set: map[string]string{"RECC_SECRET_KEY": "change-me-change-me-change-me-change-me"},
			wantVar: "RECC_SECRET_KEY", want: []string{"placeholder"}},
		{name: "secret key one repeated character", base: prodEnv, set: map[string]string{"RECC_SECRET_KEY": strings.Repeat("a", 48)},
			wantVar: "RECC_SECRET_KEY", want: []string{"placeholder"}},
		{name: "private hosts in production", base: prodEnv, set: map[string]string{"RECC_IMPORT_ALLOW_PRIVATE_HOSTS": "true"},
			wantVar: "RECC_IMPORT_ALLOW_PRIVATE_HOSTS", want: []string{"must be false in production"}},
		{name: "private hosts in staging", base: prodEnv, set: map[string]string{"RECC_ENV": "staging", "RECC_IMPORT_ALLOW_PRIVATE_HOSTS": "yes"},
			wantVar: "RECC_IMPORT_ALLOW_PRIVATE_HOSTS", want: []string{"must be false in staging"}},
		{name: "log level", base: devEnv, set: map[string]string{"RECC_LOG_LEVEL": "verbose"},
			wantVar: "RECC_LOG_LEVEL", want: []string{`"verbose"`, "debug, info, warn, error"}},
		{name: "log format", base: devEnv, set: map[string]string{"RECC_LOG_FORMAT": "xml"},
			wantVar: "RECC_LOG_FORMAT", want: []string{`"xml"`, "text or json"}},
		{name: "shutdown timeout without unit", base: devEnv, set: map[string]string{"RECC_SHUTDOWN_TIMEOUT": "20"},
			wantVar: "RECC_SHUTDOWN_TIMEOUT", want: []string{"Go duration"}},
		{name: "shutdown timeout too short", base: devEnv, set: map[string]string{"RECC_SHUTDOWN_TIMEOUT": "500ms"},
			wantVar: "RECC_SHUTDOWN_TIMEOUT", want: []string{"between 1s and 10m0s, got 500ms"}},
		{name: "shutdown timeout too long", base: devEnv, set: map[string]string{"RECC_SHUTDOWN_TIMEOUT": "11m"},
			wantVar: "RECC_SHUTDOWN_TIMEOUT", want: []string{"got 11m0s"}},
		{name: "smtp wrong scheme", base: devEnv, set: map[string]string{"RECC_SMTP_URL": "http://u:smtp-pw@mail"},
			wantVar: "RECC_SMTP_URL", want: []string{"smtp:// or smtps://"}, secret: "smtp-pw"},
		{name: "sentry without host", base: devEnv, set: map[string]string{"RECC_SENTRY_DSN": "https:///42"},
			wantVar: "RECC_SENTRY_DSN", want: []string{"host"}},
		{name: "redis wrong scheme", base: devEnv, set: map[string]string{"RECC_REDIS_URL": "memcached://cache:11211"},
			wantVar: "RECC_REDIS_URL", want: []string{"redis://"}},
		{name: "AI base URL not a URL", base: devEnv, set: map[string]string{"RECC_AI_BASE_URL": "api.example.com"},
			wantVar: "RECC_AI_BASE_URL", want: []string{"https://"}},
		{name: "AI API key with newline", base: devEnv, set: map[string]string{"RECC_AI_API_KEY": "sk-123\n"},
			wantVar: "RECC_AI_API_KEY", want: []string{"whitespace"}, secret: "sk-123"},
		{name: "NAME and NAME_FILE both set", base: devEnv, set: map[string]string{"RECC_SMTP_URL": "smtp://mail", "RECC_SMTP_URL_FILE": "/run/secrets/smtp"},
			files:   map[string]string{"/run/secrets/smtp": "smtp://mail"},
			wantVar: "RECC_SMTP_URL", want: []string{"RECC_SMTP_URL_FILE", "only one"}},
		{name: "unreadable _FILE", base: prodEnv, set: map[string]string{"RECC_SECRET_KEY": unset, "RECC_SECRET_KEY_FILE": "/run/secrets/missing"},
			wantVar: "RECC_SECRET_KEY_FILE", want: []string{"/run/secrets/missing", "does not exist"}},
		{name: "empty _FILE", base: prodEnv, set: map[string]string{"RECC_AI_API_KEY": unset, "RECC_AI_API_KEY_FILE": "/run/secrets/ai"},
			files: map[string]string{"/run/secrets/ai": "\n"}, wantVar: "RECC_AI_API_KEY_FILE", want: []string{"/run/secrets/ai", "empty"}},
		{name: "_FILE content validated like the variable", base: prodEnv, set: map[string]string{"DATABASE_URL": unset, "DATABASE_URL_FILE": "/run/secrets/db"},
			files:   map[string]string{"/run/secrets/db": "postgres://app:secret@db.internal/recc\n"},
			wantVar: "DATABASE_URL", want: []string{"well-known password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := with(tt.base(t), tt.set)
			c, err := Load(getenvFrom(env), fakeFiles(tt.files))
			if err == nil {
				t.Fatalf("Load succeeded, want a %s error", tt.wantVar)
			}
			if c != nil {
				t.Error("Load returned a Config along with an error")
			}
			errs := fieldErrors(t, err)
			if len(errs) != 1 {
				t.Fatalf("got %d errors, want exactly one:\n%v", len(errs), err)
			}
			fe := errs[0]
			if fe.Var != tt.wantVar {
				t.Errorf("Var = %q, want %q (error: %v)", fe.Var, tt.wantVar, fe)
			}
			for _, w := range tt.want {
				if !strings.Contains(fe.Reason, w) {
					t.Errorf("reason %q does not mention %q", fe.Reason, w)
				}
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q leaks the secret %q", err, tt.secret)
			}
			if fe.Error() != fe.Var+": "+fe.Reason {
				t.Errorf("Error() = %q, want VAR: reason", fe.Error())
			}
		})
	}
}

func TestFileSecretTrimming(t *testing.T) {
	tests := []struct{ content, want string }{
		{"key", "key"},
		{"key\n", "key"},
		{"key\r\n", "key"},
		{"key\n\n", "key\n"}, // only one newline: the rest is content
		{"key \n", "key "},
		{" key\r\n\r\n", " key\r\n"},
	}
	for _, tt := range tests {
		env := with(devEnv(t), map[string]string{"RECC_SECRET_KEY_FILE": "/run/secrets/key"})
		c, err := Load(getenvFrom(env), fakeFiles(map[string]string{"/run/secrets/key": tt.content}))
		if err != nil {
			t.Fatalf("%q: %v", tt.content, err)
		}
		if string(c.SecretKey) != tt.want {
			t.Errorf("content %q gave key %q, want %q", tt.content, c.SecretKey, tt.want)
		}
	}
}

func TestFileSecretsInProduction(t *testing.T) {
	env := with(prodEnv(t), map[string]string{
		"DATABASE_URL": unset, "DATABASE_URL_FILE": "/s/db",
		"RECC_SECRET_KEY": unset, "RECC_SECRET_KEY_FILE": " /s/key ",
		"DATABASE_REPLICA_URLS": unset, "DATABASE_REPLICA_URLS_FILE": "/s/replicas",
	})
	files := map[string]string{
		"/s/db":       "postgres://app:" + goodDBPass + "@db.internal/recc\r\n",
		"/s/key":      goodKey + "\n",
		"/s/replicas": "postgres://r1/recc,postgres://r2/recc\n",
	}
	c, err := Load(getenvFrom(env), fakeFiles(files))
	if err != nil {
		t.Fatal(err)
	}
	if c.DatabaseURL != strings.TrimSuffix(files["/s/db"], "\r\n") || string(c.SecretKey) != goodKey || len(c.ReplicaURLs) != 2 {
		t.Errorf("unexpected config: DatabaseURL=%q key=%q replicas=%q", c.DatabaseURL, c.SecretKey, c.ReplicaURLs)
	}
}

func TestAllErrorsReportedTogether(t *testing.T) {
	env := with(prodEnv(t), map[string]string{
		"RECC_HTTP_ADDR":                  "8080",
		"RECC_BASE_URL":                   "http://recipes.example.com",
		"RECC_SECRET_KEY":                 "too-short-but-random-ish-Q7",
		"RECC_LOG_LEVEL":                  "trace",
		"RECC_IMPORT_ALLOW_PRIVATE_HOSTS": "true",
		"DATABASE_URL":                    "postgres://app:postgres@db.internal/recc?sslmode=disable",
	})
	_, err := Load(getenvFrom(env), fakeFiles(nil))
	var got []string
	for _, fe := range fieldErrors(t, err) {
		got = append(got, fe.Var)
	}
	want := []string{
		"RECC_HTTP_ADDR", "RECC_BASE_URL", "DATABASE_URL", "DATABASE_URL",
		"RECC_SECRET_KEY", "RECC_IMPORT_ALLOW_PRIVATE_HOSTS", "RECC_LOG_LEVEL",
	}
	if !slices.Equal(got, want) {
		t.Errorf("error variables = %q, want %q\n%v", got, want, err)
	}
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Error("errors.As cannot find a *FieldError in the joined error")
	}
	if lines := strings.Count(err.Error(), "\n") + 1; lines != len(want) {
		t.Errorf("message has %d lines, want one per problem:\n%v", lines, err)
	}
}

func TestUnknownEnvStillReportsOtherErrors(t *testing.T) {
	env := with(devEnv(t), map[string]string{"RECC_ENV": "prod", "RECC_LOG_FORMAT": "xml"})
	_, err := Load(getenvFrom(env), fakeFiles(nil))
	var got []string
	for _, fe := range fieldErrors(t, err) {
		got = append(got, fe.Var)
	}
	if !slices.Equal(got, []string{"RECC_ENV", "RECC_LOG_FORMAT"}) {
		t.Errorf("error variables = %q", got)
	}
	if _, err := os.Stat(filepath.Join(env["RECC_DATA_DIR"], "secret.key")); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a development key was generated although RECC_ENV was not understood")
	}
}

func TestRedacted(t *testing.T) {
	const replicaPass = "Rep1ica-Pa55"
	env := with(prodEnv(t), map[string]string{
		"DATABASE_REPLICA_URLS": "postgres://app:" + replicaPass + "@r1/recc,postgres://r2/recc?user=app&password=" + replicaPass,
	})
	c, err := Load(getenvFrom(env), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	m := c.Redacted()
	secrets := []string{goodKey, goodDBPass, replicaPass, "smtp-pass-123", "redis-pass-123", "sk-ai-key-123", "pubkey"}
	for name, v := range m {
		for _, s := range secrets {
			if strings.Contains(v, s) {
				t.Errorf("Redacted()[%s] = %q contains a secret", name, v)
			}
		}
	}
	for _, v := range Variables() {
		if _, ok := m[v.Name]; !ok {
			t.Errorf("Redacted() lacks %s", v.Name)
		}
	}
	if got := m["DATABASE_URL"]; got != "postgres://app:xxxxx@db.internal:5432/recc?sslmode=verify-full" {
		t.Errorf("DATABASE_URL = %q", got)
	}
	for name, want := range map[string]string{
		"RECC_SECRET_KEY": "set", "RECC_SMTP_URL": "set", "RECC_AI_API_KEY": "set",
		"RECC_BASE_URL": "https://recipes.example.com", "RECC_LOG_LEVEL": "info", "RECC_AUTO_MIGRATE": "false",
	} {
		if m[name] != want {
			t.Errorf("%s = %q, want %q", name, m[name], want)
		}
	}
	if !strings.Contains(m["DATABASE_REPLICA_URLS"], "r2") {
		t.Errorf("replica hosts should stay visible: %q", m["DATABASE_REPLICA_URLS"])
	}

	dev, err := Load(getenvFrom(devEnv(t)), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	dm := dev.Redacted()
	if dm["DATABASE_URL"] != "unset" || dm["RECC_SMTP_URL"] != "unset" || dm["RECC_SECRET_KEY"] != "set" {
		t.Errorf("development Redacted() = %v", dm)
	}
	for _, v := range dm {
		if strings.Contains(v, string(dev.SecretKey)) {
			t.Error("Redacted() contains the generated secret key")
		}
	}
}

func TestUnknownVariables(t *testing.T) {
	environ := []string{
		"PATH=/usr/bin",
		"RECC_HTTP_ADR=:80",
		"RECC_HTTP_ADDR=:80",
		"RECC_SECRET_KEY_FILE=/run/k",
		"DATABASE_URL_FILE=/run/db",
		"RECC_BASE_URL_FILE=/run/x", // not a secret, so no _FILE form
		"RECC_HTTP_ADR=:81",
		"RECC_DATABASE_URL=postgres://x",
		"RECC_AI_API_KEY_FILE=/run/ai",
		"DATABASE_URLS=x", // not RECC_: not ours to judge
		"=C:=C:\\",
	}
	got := UnknownVariables(environ)
	want := []string{"RECC_BASE_URL_FILE", "RECC_DATABASE_URL", "RECC_HTTP_ADR"}
	if !slices.Equal(got, want) {
		t.Errorf("UnknownVariables = %q, want %q", got, want)
	}
	if got := UnknownVariables(nil); len(got) != 0 {
		t.Errorf("UnknownVariables(nil) = %q", got)
	}
}

// Variables must be the single source of truth: Load reads exactly the
// documented names (plus NAME_FILE for secrets), and the secret flags match
// the secrets the design names.
func TestVariablesMatchLoad(t *testing.T) {
	documented := map[string]bool{}
	for _, v := range Variables() {
		if documented[v.Name] {
			t.Errorf("%s listed twice", v.Name)
		}
		documented[v.Name] = true
		if v.Description == "" {
			t.Errorf("%s has no description", v.Name)
		}
		if v.Secret {
			documented[v.Name+"_FILE"] = true
		}
	}
	var mu sync.Mutex
	read := map[string]bool{}
	env := devEnv(t)
	spy := func(k string) string {
		mu.Lock()
		read[k] = true
		mu.Unlock()
		return env[k]
	}
	if _, err := Load(spy, fakeFiles(nil)); err != nil {
		t.Fatal(err)
	}
	for name := range read {
		if !documented[name] {
			t.Errorf("Load reads %s, which Variables does not document", name)
		}
	}
	for name := range documented {
		if !read[name] {
			t.Errorf("Variables documents %s, which Load never reads", name)
		}
	}

	var secrets []string
	for _, v := range Variables() {
		if v.Secret {
			secrets = append(secrets, v.Name)
		}
	}
	slices.Sort(secrets)
	want := []string{"DATABASE_REPLICA_URLS", "DATABASE_URL", "RECC_AI_API_KEY", "RECC_REDIS_URL", "RECC_SECRET_KEY", "RECC_SECRET_KEY_PREVIOUS", "RECC_SENTRY_DSN", "RECC_SMTP_URL"}
	if !slices.Equal(secrets, want) {
		t.Errorf("secret variables = %q, want %q", secrets, want)
	}

	vs := Variables()
	vs[0].Name = "mutated"
	if Variables()[0].Name == "mutated" {
		t.Error("Variables returns the package's own slice")
	}
}

func TestPlaceholderKeys(t *testing.T) {
	tests := []struct {
		key  string
		want bool
	}{
		{"changeme", true},
		{"CHANGE_ME", true},
		{"secret", true},
		{"my-secret-key", true},
		{"your-secret-key-change-this-please", true},
		{"secretsecretsecretsecretsecretsecret", true},
		{strings.Repeat("x", 64), true},
		{strings.Repeat("0", 32), true},
		{"----", true},
		{goodKey, false},
		{"q8Jv2mZ0xW4tR7yN1bK5cH9gF3dS6aLp", false},
		{"correct horse battery staple and friends", false},
	}
	for _, tt := range tests {
		if got := isPlaceholderKey([]byte(tt.key)); got != tt.want {
			t.Errorf("isPlaceholderKey(%q) = %v, want %v", tt.key, got, tt.want)
		}
	}
}

func TestFromEnvironment(t *testing.T) {
	// Blank every variable so the developer's own environment cannot leak in.
	for _, v := range Variables() {
		t.Setenv(v.Name, "")
		if v.Secret {
			t.Setenv(v.Name+"_FILE", "")
		}
	}
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte(goodKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("RECC_DATA_DIR", dir)
	t.Setenv("RECC_SECRET_KEY_FILE", keyFile)
	t.Setenv("RECC_LOG_LEVEL", "Debug")
	c, err := FromEnvironment()
	if err != nil {
		t.Fatal(err)
	}
	if string(c.SecretKey) != goodKey || c.LogLevel != slog.LevelDebug || c.DataDir != dir {
		t.Errorf("unexpected config: key=%q level=%v dir=%q", c.SecretKey, c.LogLevel, c.DataDir)
	}

	t.Setenv("RECC_SECRET_KEY_FILE", filepath.Join(dir, "absent"))
	_, err = FromEnvironment()
	errs := fieldErrors(t, err)
	if len(errs) != 1 || errs[0].Var != "RECC_SECRET_KEY_FILE" || !strings.Contains(errs[0].Reason, filepath.Join(dir, "absent")) {
		t.Errorf("missing key file: got %v", err)
	}
}

func TestShutdownDelay(t *testing.T) {
	c, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_SHUTDOWN_DELAY": "1500ms"}), fakeFiles(nil))
	if err != nil || c.ShutdownDelay != 1500*time.Millisecond {
		t.Fatalf("ShutdownDelay = %v, %v; want 1.5s", c.ShutdownDelay, err)
	}
	for _, bad := range []string{"soon", "-1s", "3m"} {
		_, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_SHUTDOWN_DELAY": bad}), fakeFiles(nil))
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Var != "RECC_SHUTDOWN_DELAY" {
			t.Errorf("RECC_SHUTDOWN_DELAY=%q: got %v, want a FieldError naming it", bad, err)
		}
	}
}

func TestAssetBaseURL(t *testing.T) {
	c, err := Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_ASSET_BASE_URL": "https://cdn.example.com/recc/"}), fakeFiles(nil))
	if err != nil || c.AssetBaseURL != "https://cdn.example.com/recc" {
		t.Fatalf("AssetBaseURL = %q, %v", c.AssetBaseURL, err)
	}
	_, err = Load(getenvFrom(map[string]string{"RECC_DATA_DIR": t.TempDir(), "RECC_ASSET_BASE_URL": "ftp://cdn.example.com"}), fakeFiles(nil))
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Var != "RECC_ASSET_BASE_URL" {
		t.Errorf("ftp asset base: %v, want a FieldError naming RECC_ASSET_BASE_URL", err)
	}
}

func TestPreviousSecretKeys(t *testing.T) {
	old1 := "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9"
	old2 := "f9e8d7c6b5a4938271605f4e3d2c1b0af9e8d7c6b5a4938271605f4e3d2c1b0a"
	c, err := Load(getenvFrom(with(prodEnv(t), map[string]string{"RECC_SECRET_KEY_PREVIOUS": old1 + ", " + old2})), fakeFiles(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.PreviousSecretKeys) != 2 || string(c.PreviousSecretKeys[0]) != old1 || string(c.PreviousSecretKeys[1]) != old2 {
		t.Errorf("PreviousSecretKeys = %q", c.PreviousSecretKeys)
	}
	if v := c.Redacted()["RECC_SECRET_KEY_PREVIOUS"]; strings.Contains(v, old1) || v == "" {
		t.Errorf("Redacted shows %q", v)
	}
	c, err = Load(getenvFrom(prodEnv(t)), fakeFiles(nil))
	if err != nil || c.PreviousSecretKeys != nil {
		t.Errorf("no rotation: %q, %v", c.PreviousSecretKeys, err)
	}
}

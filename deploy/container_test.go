package deploy_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/reccollection/reccollection/internal/config"
)

// No Docker engine is needed: the Dockerfile and compose.yaml are read as
// text and YAML and held to what the binary and the Makefile say.

type dockerInstruction struct {
	cmd  string // upper case
	args string
}

// readDockerfile returns the instructions with line continuations joined
// and comments dropped.
func readDockerfile(t *testing.T) []dockerInstruction {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []dockerInstruction
	var cur strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cont, ok := strings.CutSuffix(line, "\\"); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		cmd, args, _ := strings.Cut(strings.TrimSpace(cur.String()), " ")
		out = append(out, dockerInstruction{strings.ToUpper(cmd), strings.Join(strings.Fields(args), " ")})
		cur.Reset()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// makefileLdflagVars returns the -X variables of the Makefile's LDFLAGS.
func makefileLdflagVars(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	var vars []string
	for _, m := range regexp.MustCompile(`-X \$\(PKG\)/([\w/.]+)=`).FindAllStringSubmatch(string(raw), -1) {
		vars = append(vars, "github.com/reccollection/reccollection/"+m[1])
	}
	if len(vars) == 0 {
		t.Fatal("no -X flags found in the Makefile's LDFLAGS")
	}
	return vars
}

func TestDockerfile(t *testing.T) {
	ins := readDockerfile(t)
	var froms []string
	var final []dockerInstruction // instructions of the last stage
	var build string
	for _, in := range ins {
		switch in.cmd {
		case "FROM":
			froms = append(froms, in.args)
			final = nil
		case "RUN":
			if strings.Contains(in.args, "go build") {
				build = in.args
			}
		}
		final = append(final, in)
	}
	if len(froms) < 2 {
		t.Fatalf("want a multi-stage build, got FROM %v", froms)
	}
	base := froms[len(froms)-1]
	if !regexp.MustCompile(`^gcr\.io/distroless/static-debian12:nonroot(@sha256:[0-9a-f]{64})?$`).MatchString(base) {
		t.Errorf("final stage FROM %q, want gcr.io/distroless/static-debian12:nonroot (optionally @sha256)", base)
	}

	// The image is built with the Go release go.mod names, as CI is.
	gomod, err := os.ReadFile(filepath.Join("..", "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	goLine := regexp.MustCompile(`(?m)^go (\S+)$`).FindSubmatch(gomod)
	goArg := ""
	for _, in := range ins {
		if v, ok := strings.CutPrefix(in.args, "GO_VERSION="); in.cmd == "ARG" && ok {
			goArg = v
		}
	}
	if goLine == nil {
		t.Fatal("go.mod has no go directive")
	}
	if goArg != string(goLine[1]) {
		t.Errorf("Dockerfile ARG GO_VERSION=%s, go.mod says go %s", goArg, goLine[1])
	}

	if build == "" {
		t.Fatal("no RUN … go build in the Dockerfile")
	}
	for _, want := range []string{"CGO_ENABLED=0", "-trimpath", "./cmd/reccollection"} {
		if !strings.Contains(build, want) {
			t.Errorf("go build lacks %s: %s", want, build)
		}
	}
	for _, v := range makefileLdflagVars(t) {
		if !strings.Contains(build, "-X "+v+"=") {
			t.Errorf("go build does not set %s as the Makefile does", v)
		}
	}

	var entrypoint, health []string
	var user string
	copied := false
	for _, in := range final {
		switch in.cmd {
		case "ENTRYPOINT":
			if err := json.Unmarshal([]byte(in.args), &entrypoint); err != nil {
				t.Errorf("ENTRYPOINT must be exec form: %v", err)
			}
		case "HEALTHCHECK":
			_, cmd, ok := strings.Cut(in.args, "CMD ")
			if !ok || json.Unmarshal([]byte(cmd), &health) != nil {
				t.Errorf("HEALTHCHECK must use CMD in exec form (the image has no shell): %s", in.args)
			}
		case "USER":
			user = in.args
		case "COPY":
			if strings.Contains(in.args, "/out/reccollection ") {
				copied = true
			}
		}
	}
	if len(entrypoint) != 1 {
		t.Fatalf("ENTRYPOINT %v, want the binary alone", entrypoint)
	}
	if !copied {
		t.Error("the final stage does not copy the binary")
	}
	if uid, _, _ := strings.Cut(user, ":"); uid != "65532" && uid != "nonroot" {
		t.Errorf("USER %q, want the distroless nonroot user (65532)", user)
	}
	if len(health) < 2 || health[0] != entrypoint[0] {
		t.Fatalf("HEALTHCHECK %v must run the binary %s", health, entrypoint[0])
	}
	if health[1] != "healthcheck" {
		t.Errorf("HEALTHCHECK runs %v, want the healthcheck subcommand", health)
	}
	checkInvocation(t, "Dockerfile HEALTHCHECK", health[1:])
}

type composeFile struct {
	Services map[string]composeService `json:"services"`
}

type composeService struct {
	Image       string                       `json:"image"`
	Command     []string                     `json:"command"`
	Environment map[string]string            `json:"environment"`
	DependsOn   map[string]composeDependency `json:"depends_on"`
	Healthcheck *struct {
		Test []string `json:"test"`
	} `json:"healthcheck"`
	Volumes []string `json:"volumes"`
}

type composeDependency struct {
	Condition string `json:"condition"`
}

// interpolate resolves compose's ${NAME:-default} and ${NAME:?message}
// with the defaults (and a stand-in for required values), and $$ to $.
var composeVariable = regexp.MustCompile(`\$\{(\w+)(:?[-?])([^}]*)\}`)

func interpolate(s string, required map[string]string) string {
	s = composeVariable.ReplaceAllStringFunc(s, func(m string) string {
		p := composeVariable.FindStringSubmatch(m)
		if strings.HasSuffix(p[2], "?") {
			return required[p[1]]
		}
		return p[3]
	})
	return strings.ReplaceAll(s, "$$", "$")
}

func readCompose(t *testing.T) composeFile {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// depends_on may also be a plain list in compose; this file uses the
	// long form throughout because conditions matter here.
	var c composeFile
	if err := yaml.Unmarshal(raw, &c); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	return c
}

func TestCompose(t *testing.T) {
	c := readCompose(t)
	for _, name := range []string{"app", "migrate", "db", "minio", "minio-init", "prometheus"} {
		if _, ok := c.Services[name]; !ok {
			t.Errorf("compose.yaml has no service %q", name)
		}
	}
	app, migrate := c.Services["app"], c.Services["migrate"]

	if !slices.Equal(migrate.Command, []string{"migrate", "up"}) {
		t.Errorf("migrate service runs %v, want [migrate up]", migrate.Command)
	}
	if migrate.DependsOn["db"].Condition != "service_healthy" {
		t.Errorf("migrate must wait for a healthy database, got %+v", migrate.DependsOn)
	}
	for dep, cond := range map[string]string{"migrate": "service_completed_successfully", "minio-init": "service_completed_successfully"} {
		if got := app.DependsOn[dep].Condition; got != cond {
			t.Errorf("app depends_on %s: condition %q, want %q", dep, got, cond)
		}
	}
	if app.Image != migrate.Image || app.Image == "" || !strings.HasPrefix(app.Image, imageRepository+":") {
		t.Errorf("app and migrate must run the same %s image, got %q and %q", imageRepository, app.Image, migrate.Image)
	}
	checkInvocation(t, "compose app command", app.Command)
	checkInvocation(t, "compose migrate command", migrate.Command)

	if app.Healthcheck == nil || len(app.Healthcheck.Test) < 3 || app.Healthcheck.Test[0] != "CMD" {
		t.Fatalf("app healthcheck must be [CMD, <binary>, healthcheck, …], got %+v", app.Healthcheck)
	}
	if app.Healthcheck.Test[1] != "/usr/local/bin/reccollection" {
		t.Errorf("app healthcheck runs %s, not the image's binary", app.Healthcheck.Test[1])
	}
	checkInvocation(t, "compose app healthcheck", app.Healthcheck.Test[2:])

	// The binary must accept the stack's configuration as it is.
	required := map[string]string{"RECC_SECRET_KEY": secretStandIns["RECC_SECRET_KEY"]}
	for _, name := range []string{"app", "migrate"} {
		env := map[string]string{}
		var environ []string
		for k, v := range c.Services[name].Environment {
			env[k] = interpolate(v, required)
			environ = append(environ, k+"="+env[k])
		}
		if unknown := config.UnknownVariables(environ); len(unknown) > 0 {
			t.Errorf("compose %s sets variables the binary does not read: %v", name, unknown)
		}
		if _, err := config.Load(func(k string) string { return env[k] }, func(string) ([]byte, error) {
			return nil, os.ErrNotExist
		}); err != nil {
			t.Errorf("compose %s: the binary would refuse this configuration:\n%v", name, err)
		}
	}

	checkComposePrometheus(t, c, app)
}

func checkComposePrometheus(t *testing.T, c composeFile, app composeService) {
	mounts := map[string]string{} // container path -> host path
	for _, v := range c.Services["prometheus"].Volumes {
		parts := strings.Split(v, ":")
		if len(parts) >= 2 {
			mounts[parts[1]] = parts[0]
		}
	}
	cfgHost, ok := mounts["/etc/prometheus/prometheus.yml"]
	if !ok {
		t.Fatal("prometheus: no /etc/prometheus/prometheus.yml mounted")
	}
	raw, err := os.ReadFile(filepath.Join("..", cfgHost))
	if err != nil {
		t.Fatal(err)
	}
	var prom struct {
		RuleFiles     []string `json:"rule_files"`
		ScrapeConfigs []struct {
			JobName       string `json:"job_name"`
			MetricsPath   string `json:"metrics_path"`
			StaticConfigs []struct {
				Targets []string `json:"targets"`
			} `json:"static_configs"`
		} `json:"scrape_configs"`
	}
	if err := yaml.Unmarshal(raw, &prom); err != nil {
		t.Fatalf("%s: %v", cfgHost, err)
	}
	for _, rf := range prom.RuleFiles {
		if host := mounts[rf]; filepath.Clean(host) != filepath.Clean("./deploy/monitoring/prometheus-rules.yml") {
			t.Errorf("%s: rule file %s is mounted from %q, want deploy/monitoring/prometheus-rules.yml", cfgHost, rf, host)
		}
	}
	if len(prom.RuleFiles) == 0 {
		t.Errorf("%s loads no alert rules", cfgHost)
	}
	_, metricsPort, _ := strings.Cut(app.Environment["RECC_METRICS_ADDR"], ":")
	found := false
	for _, sc := range prom.ScrapeConfigs {
		if sc.JobName != appName {
			continue
		}
		for _, s := range sc.StaticConfigs {
			found = found || slices.Contains(s.Targets, "app:"+metricsPort)
		}
	}
	if !found {
		t.Errorf("%s: no job %q scraping app:%s (RECC_METRICS_ADDR); the alert rules match on that job name", cfgHost, appName, metricsPort)
	}
}

package deploy_test

import (
	"net"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/reccollection/reccollection/internal/config"
)

// checkWorkloads holds every pod to the same rules: one image, least
// privilege, bounded resources, a writable /tmp only, and a configuration
// the binary itself accepts for the environment.
func checkWorkloads(t *testing.T, m *manifests) {
	commands := binaryCommands(t)
	var images []string
	for where, spec := range podSpecs(t, m) {
		where = m.env + ": " + where
		if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
			t.Errorf("%s: automountServiceAccountToken must be false (the app never calls the Kubernetes API)", where)
		}
		psc := spec.SecurityContext
		if psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot {
			t.Errorf("%s: pod securityContext.runAsNonRoot must be true", where)
		}
		if psc == nil || psc.SeccompProfile == nil || psc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault {
			t.Errorf("%s: pod seccompProfile must be RuntimeDefault", where)
		}
		emptyDirs := map[string]bool{}
		for _, v := range spec.Volumes {
			if v.EmptyDir != nil {
				emptyDirs[v.Name] = true
			}
		}
		if len(spec.Containers) != 1 || len(spec.InitContainers) != 0 {
			t.Errorf("%s: want exactly one container", where)
		}
		for _, c := range spec.Containers {
			images = append(images, c.Image)
			sc := c.SecurityContext
			switch {
			case sc == nil:
				t.Errorf("%s: container %s has no securityContext", where, c.Name)
			default:
				if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
					t.Errorf("%s: container %s: readOnlyRootFilesystem must be true", where, c.Name)
				}
				if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
					t.Errorf("%s: container %s: allowPrivilegeEscalation must be false", where, c.Name)
				}
				if sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0 {
					t.Errorf("%s: container %s: capabilities must drop ALL and add none", where, c.Name)
				}
			}
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				if _, ok := c.Resources.Requests[r]; !ok {
					t.Errorf("%s: container %s has no %s request", where, c.Name, r)
				}
				if _, ok := c.Resources.Limits[r]; !ok {
					t.Errorf("%s: container %s has no %s limit", where, c.Name, r)
				}
			}
			tmp := false
			for _, vm := range c.VolumeMounts {
				if vm.MountPath == "/tmp" && emptyDirs[vm.Name] {
					tmp = true
				}
			}
			if !tmp {
				t.Errorf("%s: container %s needs an emptyDir at /tmp (the root file system is read-only)", where, c.Name)
			}
			if len(c.Command) > 0 {
				t.Errorf("%s: container %s overrides the image's entrypoint", where, c.Name)
			}
			if len(c.Args) == 0 || !commands[c.Args[0]] {
				t.Errorf("%s: container %s runs %q, not a subcommand of the binary (%v)", where, c.Name, c.Args, slices.Sorted(mapKeys(commands)))
			}
			checkContainerConfig(t, m, where, c)
		}
	}
	slices.Sort(images)
	images = slices.Compact(images)
	if len(images) != 1 {
		t.Fatalf("%s: every workload must run the same image, got %v", m.env, images)
	}
	if !imageReference.MatchString(images[0]) {
		t.Errorf("%s: image %q, want %s:<tag> or @sha256:<digest> (set by the deploy with kustomize edit set image)", m.env, images[0], imageRepository)
	}
}

// imageReference is the application image with a tag, a digest, or both.
var imageReference = regexp.MustCompile(`^` + regexp.QuoteMeta(imageRepository) + `(:\w[\w.-]{0,127}(@sha256:[0-9a-f]{64})?|@sha256:[0-9a-f]{64})$`)

// stand-ins for secrets that the cluster provides at run time (external
// secret store, database operator), strong enough for production's rules.
var secretStandIns = map[string]string{
	"RECC_SECRET_KEY":       "6f1c0b9e2d7a4c8e9b3f5a1d2c4e6f8a0b1c3d5e7f9a2b4c6d8e0f1a3b5c7d9e",
	"AWS_ACCESS_KEY_ID":     "AKIAEXAMPLEEXAMPLE00",
	"AWS_SECRET_ACCESS_KEY": "example-secret-access-key-for-tests-only-000",
}

// externalSecretTargets are the Secrets the cluster will create: targets of
// ExternalSecrets and the database operator's secrets for its Clusters.
func externalSecretTargets(m *manifests) map[string]bool {
	out := map[string]bool{}
	for _, es := range all[externalSecret](m, "ExternalSecret") {
		name := es.Spec.Target.Name
		if name == "" {
			name = es.Name
		}
		out[name] = true
	}
	for _, c := range all[cnpgCluster](m, "Cluster") {
		out[c.Name+"-app"] = true
		out[c.Name+"-ca"] = true
	}
	return out
}

// checkContainerConfig assembles the container's environment as the
// kubelet would and hands it to the binary's own configuration loader, so
// anything the process would refuse at start-up fails here first.
func checkContainerConfig(t *testing.T, m *manifests, where string, c corev1.Container) {
	env := map[string]string{}
	provided := externalSecretTargets(m)
	for _, ef := range c.EnvFrom {
		switch {
		case ef.ConfigMapRef != nil:
			for k, v := range m.configMap(t, ef.ConfigMapRef.Name).Data {
				env[k] = v
			}
		case ef.SecretRef != nil:
			if o, ok := m.find("Secret", ef.SecretRef.Name); ok {
				for k, v := range o.value.(*corev1.Secret).Data {
					env[k] = string(v)
				}
			} else if provided[ef.SecretRef.Name] {
				for k, v := range secretStandIns {
					env[k] = v
				}
			} else {
				t.Errorf("%s: container %s reads Secret %q, which neither the build nor an ExternalSecret provides", where, c.Name, ef.SecretRef.Name)
			}
		}
	}
	for _, e := range c.Env {
		switch {
		case e.ValueFrom == nil:
			env[e.Name] = e.Value
		case e.ValueFrom.SecretKeyRef != nil:
			ref := e.ValueFrom.SecretKeyRef
			if _, ok := m.find("Secret", ref.Name); !ok && !provided[ref.Name] {
				t.Errorf("%s: env %s reads Secret %q, which nothing provides", where, e.Name, ref.Name)
			}
		}
	}
	var environ []string
	for k, v := range env {
		environ = append(environ, k+"="+v)
	}
	if unknown := config.UnknownVariables(environ); len(unknown) > 0 {
		t.Errorf("%s: container %s sets variables the binary does not read: %v", where, c.Name, unknown)
	}
	if env["RECC_ENV"] != m.env {
		t.Errorf("%s: RECC_ENV=%q, want %q", where, env["RECC_ENV"], m.env)
	}
	_, err := config.Load(func(k string) string { return env[k] }, func(string) ([]byte, error) {
		return nil, os.ErrNotExist
	})
	if err != nil {
		t.Errorf("%s: the binary would refuse this configuration:\n%v", where, err)
	}
}

func duration(t *testing.T, cm *corev1.ConfigMap, name string) time.Duration {
	t.Helper()
	d, err := time.ParseDuration(cm.Data[name])
	if err != nil {
		t.Fatalf("ConfigMap %s: %s=%q: %v", cm.Name, name, cm.Data[name], err)
	}
	return d
}

func port(t *testing.T, addr string) int32 {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	n, err := strconv.Atoi(p)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	return int32(n)
}

func appConfigMap(t *testing.T, m *manifests, c corev1.Container) *corev1.ConfigMap {
	for _, ef := range c.EnvFrom {
		if ef.ConfigMapRef != nil {
			return m.configMap(t, ef.ConfigMapRef.Name)
		}
	}
	t.Fatalf("%s: container %s reads no ConfigMap", m.env, c.Name)
	return nil
}

func checkDeployment(t *testing.T, m *manifests) {
	d := get[appsv1.Deployment](t, m, "Deployment", appName)
	if d.Spec.Replicas != nil {
		t.Errorf("%s: Deployment sets replicas; the HorizontalPodAutoscaler owns the count and every apply would reset it", m.env)
	}
	spec := d.Spec.Template.Spec
	if len(spec.Containers) != 1 || spec.Containers[0].Name != "app" {
		t.Fatalf("%s: the Deployment's container must be named app", m.env)
	}
	c := spec.Containers[0]
	if !slices.Equal(c.Args, []string{"serve"}) {
		t.Errorf("%s: app args %q, want [serve]", m.env, c.Args)
	}
	cm := appConfigMap(t, m, c)

	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if want := port(t, cm.Data["RECC_HTTP_ADDR"]); ports["http"] != want {
		t.Errorf("%s: container port http=%d, RECC_HTTP_ADDR listens on %d", m.env, ports["http"], want)
	}
	if want := port(t, cm.Data["RECC_METRICS_ADDR"]); ports["metrics"] != want {
		t.Errorf("%s: container port metrics=%d, RECC_METRICS_ADDR listens on %d", m.env, ports["metrics"], want)
	}
	if host, _, _ := net.SplitHostPort(cm.Data["RECC_METRICS_ADDR"]); host != "" && host != "0.0.0.0" {
		t.Errorf("%s: RECC_METRICS_ADDR=%q is unreachable for Prometheus from outside the pod", m.env, cm.Data["RECC_METRICS_ADDR"])
	}

	probe := func(name string, p *corev1.Probe, path string) {
		if p == nil {
			t.Errorf("%s: no %s probe", m.env, name)
			return
		}
		if p.HTTPGet == nil || p.HTTPGet.Path != path || p.HTTPGet.Port.String() != "http" {
			t.Errorf("%s: %s probe must GET %s on the http port", m.env, name, path)
		}
	}
	probe("liveness", c.LivenessProbe, "/healthz")
	probe("readiness", c.ReadinessProbe, "/readyz")
	probe("startup", c.StartupProbe, "/healthz")

	delay := duration(t, cm, "RECC_SHUTDOWN_DELAY")
	timeout := duration(t, cm, "RECC_SHUTDOWN_TIMEOUT")
	var sleep time.Duration
	if c.Lifecycle == nil || c.Lifecycle.PreStop == nil || c.Lifecycle.PreStop.Sleep == nil {
		t.Errorf("%s: the app container needs a preStop sleep equal to RECC_SHUTDOWN_DELAY", m.env)
	} else {
		sleep = time.Duration(c.Lifecycle.PreStop.Sleep.Seconds) * time.Second
		if sleep != delay {
			t.Errorf("%s: preStop sleep %s, RECC_SHUTDOWN_DELAY %s: keep them equal", m.env, sleep, delay)
		}
	}
	if spec.TerminationGracePeriodSeconds == nil {
		t.Errorf("%s: terminationGracePeriodSeconds unset", m.env)
	} else if grace := time.Duration(*spec.TerminationGracePeriodSeconds) * time.Second; grace <= sleep+delay+timeout {
		t.Errorf("%s: terminationGracePeriodSeconds %s must exceed preStop %s + RECC_SHUTDOWN_DELAY %s + RECC_SHUTDOWN_TIMEOUT %s", m.env, grace, sleep, delay, timeout)
	}

	backupOff := false
	for _, e := range c.Env {
		if e.Name == "RECC_BACKUP_INTERVAL" && strings.EqualFold(e.Value, config.BackupIntervalOff) {
			backupOff = true
		}
	}
	if !backupOff {
		t.Errorf("%s: the Deployment must set RECC_BACKUP_INTERVAL=off; the CronJob makes the backups", m.env)
	}

	if d.Spec.Strategy.RollingUpdate == nil || d.Spec.Strategy.RollingUpdate.MaxUnavailable == nil || d.Spec.Strategy.RollingUpdate.MaxUnavailable.IntValue() != 0 {
		t.Errorf("%s: a rollout must never drop below current capacity (maxUnavailable: 0)", m.env)
	}
	if got := d.Spec.Template.Labels[componentLabel]; got == migrateComponent {
		t.Errorf("%s: the Deployment must not carry %s=%s", m.env, componentLabel, migrateComponent)
	}
}

// checkMigrateJob checks the contract with the deploy workflow: the Job
// and everything it reads are selected by component=migrate, nothing else
// is, so the first apply creates exactly what the migration needs.
func checkMigrateJob(t *testing.T, m *manifests) {
	j := get[batchv1.Job](t, m, "Job", migrateJobName)
	if j.Labels[componentLabel] != migrateComponent || j.Spec.Template.Labels[componentLabel] != migrateComponent {
		t.Errorf("%s: Job %s and its pods must carry %s=%s", m.env, j.Name, componentLabel, migrateComponent)
	}
	c := j.Spec.Template.Spec.Containers[0]
	if !slices.Equal(c.Args, []string{"migrate", "up"}) {
		t.Errorf("%s: migration Job runs %q, want [migrate up]", m.env, c.Args)
	}
	if j.Spec.Template.Spec.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("%s: migration Job restartPolicy %q, want Never (retries are counted by backoffLimit)", m.env, j.Spec.Template.Spec.RestartPolicy)
	}
	if j.Spec.BackoffLimit == nil || j.Spec.ActiveDeadlineSeconds == nil {
		t.Errorf("%s: migration Job needs backoffLimit and activeDeadlineSeconds, so a deploy fails instead of waiting forever", m.env)
	}
	reads := map[string]bool{}
	for _, ef := range c.EnvFrom {
		if ef.ConfigMapRef != nil {
			reads["ConfigMap/"+ef.ConfigMapRef.Name] = true
		}
		if ef.SecretRef != nil {
			reads["Secret/"+ef.SecretRef.Name] = true
		}
	}
	for _, o := range m.objects {
		id := o.kind + "/" + o.name
		selected := o.labels[componentLabel] == migrateComponent
		switch {
		case o.kind == "Job" && o.name == migrateJobName:
		case reads[id] && !selected:
			t.Errorf("%s: %s is read by the migration Job but lacks %s=%s, so it would not exist yet when the Job starts", m.env, id, componentLabel, migrateComponent)
		case selected && !reads[id]:
			t.Errorf("%s: %s carries %s=%s but the migration Job does not need it", m.env, id, componentLabel, migrateComponent)
		}
	}
}

func checkBackupCronJob(t *testing.T, m *manifests) {
	cj := get[batchv1.CronJob](t, m, "CronJob", backupCronJob)
	if cj.Spec.ConcurrencyPolicy != batchv1.ForbidConcurrent {
		t.Errorf("%s: backup CronJob concurrencyPolicy %q, want Forbid", m.env, cj.Spec.ConcurrencyPolicy)
	}
	f := strings.Fields(cj.Spec.Schedule)
	if len(f) != 5 || f[2] != "*" || f[3] != "*" || f[4] != "*" || strings.ContainsAny(f[0]+f[1], "*/,-") {
		t.Errorf("%s: backup schedule %q is not once a day", m.env, cj.Spec.Schedule)
	}
	c := cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0]
	if !slices.Equal(c.Args, []string{"backup", "create", "--verify"}) {
		t.Errorf("%s: backup CronJob runs %q, want [backup create --verify]", m.env, c.Args)
	}
	if !strings.HasPrefix(appConfigMap(t, m, c).Data["RECC_BACKUP_URL"], "s3://") {
		t.Errorf("%s: RECC_BACKUP_URL must point at object storage: pods have no lasting disk", m.env)
	}
}

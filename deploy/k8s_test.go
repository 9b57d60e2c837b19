package deploy_test

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"

	"github.com/reccollection/reccollection/internal/config"
)

// The overlays under k8s/overlays are built here with the kustomize
// library at the version of the CLI pinned in the Makefile (make k8s), so
// the manifests checked are the ones a deploy applies.

var environments = []string{"development", "staging", "production"}

const (
	imageRepository = "ghcr.io/reccollection/reccollection"
	nameLabel       = "app.kubernetes.io/name"
	componentLabel  = "app.kubernetes.io/component"
	// The deploy applies objects with this component first, waits for the
	// migration Job, then applies the rest.
	migrateComponent = "migrate"
	migrateJobName   = "reccollection-migrate"
	backupCronJob    = "reccollection-backup"
	appName          = "reccollection"
)

// kinds maps apiVersion/kind to the Go type each built document must decode
// into without unknown or duplicate fields. A kind missing here fails the
// test: every object applied must be checked against a schema.
var kinds = map[string]func() any{
	"v1/Namespace":       func() any { return new(corev1.Namespace) },
	"v1/ServiceAccount":  func() any { return new(corev1.ServiceAccount) },
	"v1/ConfigMap":       func() any { return new(corev1.ConfigMap) },
	"v1/Secret":          func() any { return new(corev1.Secret) },
	"v1/Service":         func() any { return new(corev1.Service) },
	"apps/v1/Deployment": func() any { return new(appsv1.Deployment) },
	"batch/v1/Job":       func() any { return new(batchv1.Job) },
	"batch/v1/CronJob":   func() any { return new(batchv1.CronJob) },
	"autoscaling/v2/HorizontalPodAutoscaler": func() any {
		return new(autoscalingv2.HorizontalPodAutoscaler)
	},
	"policy/v1/PodDisruptionBudget":           func() any { return new(policyv1.PodDisruptionBudget) },
	"networking.k8s.io/v1/Ingress":            func() any { return new(networkingv1.Ingress) },
	"networking.k8s.io/v1/NetworkPolicy":      func() any { return new(networkingv1.NetworkPolicy) },
	"monitoring.coreos.com/v1/ServiceMonitor": func() any { return new(monitoringv1.ServiceMonitor) },
	"monitoring.coreos.com/v1/PrometheusRule": func() any { return new(monitoringv1.PrometheusRule) },
	"postgresql.cnpg.io/v1/Cluster":           func() any { return new(cnpgCluster) },
	"postgresql.cnpg.io/v1/ScheduledBackup":   func() any { return new(cnpgScheduledBackup) },
	"external-secrets.io/v1/ExternalSecret":   func() any { return new(externalSecret) },
}

type object struct {
	kind, name, namespace string
	labels                map[string]string
	value                 any
}

type manifests struct {
	env     string
	objects []object
}

// decodeStrict decodes like the API server: field names are
// case-sensitive, and unknown or duplicate fields are errors.
func decodeStrict(data []byte, into any) error {
	strict, err := kjson.UnmarshalStrict(data, into, kjson.DisallowDuplicateFields, kjson.DisallowUnknownFields)
	if err != nil {
		return err
	}
	if len(strict) > 0 {
		msgs := make([]string, len(strict))
		for i, e := range strict {
			msgs[i] = e.Error()
		}
		return fmt.Errorf("%s", strings.Join(msgs, "; "))
	}
	return nil
}

func buildOverlay(t *testing.T, env string) *manifests {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	m, err := k.Run(filesys.MakeFsOnDisk(), filepath.Join("k8s", "overlays", env))
	if err != nil {
		t.Fatalf("kustomize build k8s/overlays/%s: %v", env, err)
	}
	out := &manifests{env: env}
	for _, r := range m.Resources() {
		key := r.GetApiVersion() + "/" + r.GetKind()
		id := key + " " + r.GetName()
		newValue, ok := kinds[key]
		if !ok {
			t.Errorf("%s: %s has no schema to validate against; add its type to kinds", env, id)
			continue
		}
		data, err := r.MarshalJSON()
		if err != nil {
			t.Fatalf("%s: %s: %v", env, id, err)
		}
		v := newValue()
		if err := decodeStrict(data, v); err != nil {
			t.Errorf("%s: %s does not match its schema: %v", env, id, err)
			continue
		}
		out.objects = append(out.objects, object{
			kind: r.GetKind(), name: r.GetName(), namespace: r.GetNamespace(),
			labels: r.GetLabels(), value: v,
		})
	}
	return out
}

func (m *manifests) find(kind, name string) (object, bool) {
	for _, o := range m.objects {
		if o.kind == kind && o.name == name {
			return o, true
		}
	}
	return object{}, false
}

func get[T any](t *testing.T, m *manifests, kind, name string) *T {
	t.Helper()
	o, ok := m.find(kind, name)
	if !ok {
		t.Fatalf("%s: no %s %q in the build", m.env, kind, name)
	}
	return o.value.(*T)
}

func all[T any](m *manifests, kind string) []*T {
	var out []*T
	for _, o := range m.objects {
		if o.kind == kind {
			out = append(out, o.value.(*T))
		}
	}
	return out
}

// configMap returns a ConfigMap of the build by its final (hashed) name,
// as workloads reference it after kustomize's name rewriting.
func (m *manifests) configMap(t *testing.T, name string) *corev1.ConfigMap {
	t.Helper()
	o, ok := m.find("ConfigMap", name)
	if !ok {
		t.Fatalf("%s: ConfigMap %q is referenced but not in the build", m.env, name)
	}
	return o.value.(*corev1.ConfigMap)
}

func TestOverlays(t *testing.T) {
	rules := loadMonitoringRules(t)
	for _, env := range environments {
		t.Run(env, func(t *testing.T) {
			m := buildOverlay(t, env)
			if t.Failed() {
				return
			}
			checkNamespace(t, m)
			checkWorkloads(t, m)
			checkDeployment(t, m)
			checkMigrateJob(t, m)
			checkBackupCronJob(t, m)
			checkNetworkExposure(t, m)
			checkAutoscaling(t, m)
			checkMonitoring(t, m, rules)
			checkSecrets(t, m)
			checkDatabase(t, m)
		})
	}
}

func checkNamespace(t *testing.T, m *manifests) {
	want := "reccollection-" + m.env
	if _, ok := m.find("Namespace", want); !ok {
		t.Errorf("%s: no Namespace %s", m.env, want)
	}
	for _, o := range m.objects {
		if o.kind != "Namespace" && o.namespace != want {
			t.Errorf("%s: %s %s is in namespace %q, want %q", m.env, o.kind, o.name, o.namespace, want)
		}
		if o.labels[nameLabel] != appName && o.kind != "Namespace" {
			t.Errorf("%s: %s %s lacks %s=%s", m.env, o.kind, o.name, nameLabel, appName)
		}
	}
}

// podSpecs returns every pod template that runs the application image.
func podSpecs(t *testing.T, m *manifests) map[string]*corev1.PodSpec {
	specs := map[string]*corev1.PodSpec{}
	for _, d := range all[appsv1.Deployment](m, "Deployment") {
		specs["Deployment "+d.Name] = &d.Spec.Template.Spec
	}
	for _, j := range all[batchv1.Job](m, "Job") {
		specs["Job "+j.Name] = &j.Spec.Template.Spec
	}
	for _, c := range all[batchv1.CronJob](m, "CronJob") {
		specs["CronJob "+c.Name] = &c.Spec.JobTemplate.Spec.Template.Spec
	}
	if len(specs) != 3 {
		t.Errorf("%s: want one Deployment, one Job and one CronJob, got %v", m.env, slices.Sorted(mapKeys(specs)))
	}
	return specs
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

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
	repo, tag, ok := strings.Cut(images[0], ":")
	if !ok || repo != imageRepository || tag == "" {
		t.Errorf("%s: image %q, want %s:<tag> (set by the deploy with kustomize edit set image)", m.env, images[0], imageRepository)
	}
}

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
	if !slices.Equal(c.Args, []string{"backup", "create"}) {
		t.Errorf("%s: backup CronJob runs %q, want [backup create]", m.env, c.Args)
	}
	if !strings.HasPrefix(appConfigMap(t, m, c).Data["RECC_BACKUP_URL"], "s3://") {
		t.Errorf("%s: RECC_BACKUP_URL must point at object storage: pods have no lasting disk", m.env)
	}
}

func selects(selector map[string]string, podLabels map[string]string) bool {
	return len(selector) > 0 && labels.SelectorFromSet(selector).Matches(labels.Set(podLabels))
}

// checkNetworkExposure: clients reach only the HTTP port, through the
// Ingress with TLS; Prometheus reaches only the metrics port.
func checkNetworkExposure(t *testing.T, m *manifests) {
	d := get[appsv1.Deployment](t, m, "Deployment", appName)
	podLabels := d.Spec.Template.Labels
	cm := appConfigMap(t, m, d.Spec.Template.Spec.Containers[0])

	svc := get[corev1.Service](t, m, "Service", appName)
	if !selects(svc.Spec.Selector, podLabels) {
		t.Errorf("%s: Service %s does not select the Deployment's pods", m.env, svc.Name)
	}
	for _, p := range svc.Spec.Ports {
		if p.TargetPort.String() != "http" {
			t.Errorf("%s: Service %s exposes %s; only the http port may be behind the Ingress", m.env, svc.Name, p.TargetPort.String())
		}
	}

	ing := get[networkingv1.Ingress](t, m, "Ingress", appName)
	if ing.Annotations["cert-manager.io/cluster-issuer"] == "" {
		t.Errorf("%s: Ingress needs cert-manager.io/cluster-issuer", m.env)
	}
	for _, a := range []string{"nginx.ingress.kubernetes.io/ssl-redirect", "nginx.ingress.kubernetes.io/force-ssl-redirect"} {
		if ing.Annotations[a] != "true" {
			t.Errorf("%s: Ingress needs %s: \"true\"", m.env, a)
		}
	}
	tlsHosts := map[string]bool{}
	for _, tls := range ing.Spec.TLS {
		if tls.SecretName == "" {
			t.Errorf("%s: Ingress TLS entry without secretName", m.env)
		}
		for _, h := range tls.Hosts {
			tlsHosts[h] = true
		}
	}
	baseHost := strings.TrimPrefix(cm.Data["RECC_BASE_URL"], "https://")
	if !strings.HasPrefix(cm.Data["RECC_BASE_URL"], "https://") {
		t.Errorf("%s: RECC_BASE_URL %q must be https behind a TLS Ingress", m.env, cm.Data["RECC_BASE_URL"])
	}
	hosts := map[string]bool{}
	for _, r := range ing.Spec.Rules {
		hosts[r.Host] = true
		if !tlsHosts[r.Host] {
			t.Errorf("%s: Ingress host %s has no TLS", m.env, r.Host)
		}
		if r.HTTP == nil {
			continue
		}
		for _, p := range r.HTTP.Paths {
			b := p.Backend.Service
			if b == nil || b.Name != svc.Name || b.Port.Name != "http" {
				t.Errorf("%s: Ingress path %s must go to Service %s port http", m.env, p.Path, svc.Name)
			}
		}
	}
	if !hosts[strings.TrimSuffix(baseHost, "/")] {
		t.Errorf("%s: RECC_BASE_URL host %q is not an Ingress host (%v)", m.env, baseHost, slices.Sorted(mapKeys(hosts)))
	}

	np := get[networkingv1.NetworkPolicy](t, m, "NetworkPolicy", appName)
	for _, o := range []struct {
		kind string
		pod  map[string]string
	}{
		{"Deployment", podLabels},
		{"Job", get[batchv1.Job](t, m, "Job", migrateJobName).Spec.Template.Labels},
		{"CronJob", get[batchv1.CronJob](t, m, "CronJob", backupCronJob).Spec.JobTemplate.Spec.Template.Labels},
	} {
		if !labels.SelectorFromSet(np.Spec.PodSelector.MatchLabels).Matches(labels.Set(o.pod)) {
			t.Errorf("%s: NetworkPolicy does not cover the %s's pods", m.env, o.kind)
		}
	}
	if !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) || !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress) {
		t.Errorf("%s: NetworkPolicy must restrict both ingress and egress", m.env)
	}
	ingressFrom := map[string][]string{}
	for _, r := range np.Spec.Ingress {
		for _, from := range r.From {
			if from.NamespaceSelector == nil || from.IPBlock != nil {
				t.Errorf("%s: NetworkPolicy ingress must name its source namespaces", m.env)
				continue
			}
			ns := from.NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]
			for _, p := range r.Ports {
				ingressFrom[ns] = append(ingressFrom[ns], p.Port.String())
			}
		}
		if len(r.From) == 0 || len(r.Ports) == 0 {
			t.Errorf("%s: NetworkPolicy ingress rule open to all sources or ports", m.env)
		}
	}
	want := map[string][]string{"ingress-nginx": {"http"}, "monitoring": {"metrics"}}
	if !reflect.DeepEqual(ingressFrom, want) {
		t.Errorf("%s: NetworkPolicy ingress %v, want %v", m.env, ingressFrom, want)
	}
	egress := map[string]bool{}
	for _, r := range np.Spec.Egress {
		for _, p := range r.Ports {
			egress[p.Port.String()] = true
		}
		if len(r.Ports) == 0 {
			t.Errorf("%s: NetworkPolicy egress rule without ports allows everything", m.env)
		}
	}
	for _, p := range []string{"53", "5432", "443"} {
		if !egress[p] {
			t.Errorf("%s: NetworkPolicy egress lacks port %s (DNS, PostgreSQL, object storage)", m.env, p)
		}
	}
}

func checkAutoscaling(t *testing.T, m *manifests) {
	d := get[appsv1.Deployment](t, m, "Deployment", appName)
	hpa := get[autoscalingv2.HorizontalPodAutoscaler](t, m, "HorizontalPodAutoscaler", appName)
	if ref := hpa.Spec.ScaleTargetRef; ref.Kind != "Deployment" || ref.Name != d.Name || ref.APIVersion != "apps/v1" {
		t.Errorf("%s: HPA targets %+v, want the Deployment", m.env, ref)
	}
	minReplicas := int32(1)
	if hpa.Spec.MinReplicas != nil {
		minReplicas = *hpa.Spec.MinReplicas
	}
	if hpa.Spec.MaxReplicas < minReplicas {
		t.Errorf("%s: HPA maxReplicas %d < minReplicas %d", m.env, hpa.Spec.MaxReplicas, minReplicas)
	}
	if m.env != "development" && minReplicas < 2 {
		t.Errorf("%s: at least 2 replicas (HPA minReplicas is %d): one replica is an outage at every rollout and node drain", m.env, minReplicas)
	}
	resources := map[corev1.ResourceName]bool{}
	for _, metric := range hpa.Spec.Metrics {
		if metric.Type == autoscalingv2.ResourceMetricSourceType && metric.Resource != nil &&
			metric.Resource.Target.Type == autoscalingv2.UtilizationMetricType && metric.Resource.Target.AverageUtilization != nil {
			resources[metric.Resource.Name] = true
		}
	}
	if !resources[corev1.ResourceCPU] || !resources[corev1.ResourceMemory] {
		t.Errorf("%s: HPA must scale on CPU and memory utilisation", m.env)
	}

	pdb := get[policyv1.PodDisruptionBudget](t, m, "PodDisruptionBudget", appName)
	if pdb.Spec.Selector == nil || !labels.SelectorFromSet(pdb.Spec.Selector.MatchLabels).Matches(labels.Set(d.Spec.Template.Labels)) {
		t.Errorf("%s: PodDisruptionBudget does not select the Deployment's pods", m.env)
	}
	if pdb.Spec.MinAvailable == nil && pdb.Spec.MaxUnavailable == nil {
		t.Errorf("%s: PodDisruptionBudget sets neither minAvailable nor maxUnavailable", m.env)
	}
}

// loadMonitoringRules reads deploy/monitoring/prometheus-rules.yml, the
// rules promtool checks and tests.
func loadMonitoringRules(t *testing.T) []monitoringv1.RuleGroup {
	raw, err := os.ReadFile(filepath.Join("monitoring", "prometheus-rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := yaml.YAMLToJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Groups []monitoringv1.RuleGroup `json:"groups"`
	}
	if err := decodeStrict(data, &file); err != nil {
		t.Fatalf("monitoring/prometheus-rules.yml: %v", err)
	}
	if len(file.Groups) == 0 {
		t.Fatal("monitoring/prometheus-rules.yml has no groups")
	}
	return file.Groups
}

func checkMonitoring(t *testing.T, m *manifests, rules []monitoringv1.RuleGroup) {
	d := get[appsv1.Deployment](t, m, "Deployment", appName)
	sm := get[monitoringv1.ServiceMonitor](t, m, "ServiceMonitor", appName)
	var svc *corev1.Service
	for _, s := range all[corev1.Service](m, "Service") {
		if labels.SelectorFromSet(sm.Spec.Selector.MatchLabels).Matches(labels.Set(s.Labels)) {
			if svc != nil {
				t.Errorf("%s: ServiceMonitor selects both %s and %s", m.env, svc.Name, s.Name)
			}
			svc = s
		}
	}
	if svc == nil {
		t.Fatalf("%s: ServiceMonitor selects no Service", m.env)
	}
	if svc.Name == appName {
		t.Errorf("%s: metrics must not be scraped through the Service behind the Ingress", m.env)
	}
	if !selects(svc.Spec.Selector, d.Spec.Template.Labels) {
		t.Errorf("%s: metrics Service %s does not select the app's pods", m.env, svc.Name)
	}
	svcPorts := map[string]string{}
	for _, p := range svc.Spec.Ports {
		svcPorts[p.Name] = p.TargetPort.String()
	}
	if len(sm.Spec.Endpoints) == 0 {
		t.Errorf("%s: ServiceMonitor has no endpoints", m.env)
	}
	for _, e := range sm.Spec.Endpoints {
		if svcPorts[e.Port] != "metrics" || (e.Path != "" && e.Path != "/metrics") {
			t.Errorf("%s: ServiceMonitor endpoint %q must scrape /metrics on the container's metrics port", m.env, e.Port)
		}
	}
	// The alert rules match job="reccollection".
	if job := svc.Labels[sm.Spec.JobLabel]; sm.Spec.JobLabel == "" || job != appName {
		t.Errorf("%s: scrape job would be %q (jobLabel %q), the alert rules expect %q", m.env, job, sm.Spec.JobLabel, appName)
	}

	pr := get[monitoringv1.PrometheusRule](t, m, "PrometheusRule", appName)
	if !reflect.DeepEqual(pr.Spec.Groups, rules) {
		got, _ := json.MarshalIndent(pr.Spec.Groups, "", "  ")
		want, _ := json.MarshalIndent(rules, "", "  ")
		t.Errorf("%s: PrometheusRule groups differ from deploy/monitoring/prometheus-rules.yml; copy the groups into k8s/base/prometheusrule.yaml.\ngot:\n%s\nwant:\n%s", m.env, got, want)
	}
}

func checkSecrets(t *testing.T, m *manifests) {
	for _, es := range all[externalSecret](m, "ExternalSecret") {
		where := m.env + ": ExternalSecret " + es.Name
		s := es.Spec
		if s.SecretStoreRef.Name == "" || !slices.Contains(esoStoreKinds, s.SecretStoreRef.Kind) {
			t.Errorf("%s: secretStoreRef %+v", where, s.SecretStoreRef)
		}
		if !slices.Contains(esoCreationPolicies, s.Target.CreationPolicy) || !slices.Contains(esoDeletionPolicies, s.Target.DeletionPolicy) {
			t.Errorf("%s: target policies %+v", where, s.Target)
		}
		if _, err := time.ParseDuration(s.RefreshInterval); err != nil {
			t.Errorf("%s: refreshInterval: %v", where, err)
		}
		if len(s.Data) == 0 && len(s.DataFrom) == 0 {
			t.Errorf("%s: neither data nor dataFrom", where)
		}
		for _, df := range s.DataFrom {
			if df.Extract == nil || df.Extract.Key == "" {
				t.Errorf("%s: dataFrom entry without extract.key", where)
			}
		}
		for _, d := range s.Data {
			if d.SecretKey == "" || d.RemoteRef.Key == "" {
				t.Errorf("%s: data entry %+v incomplete", where, d)
			}
		}
	}
	_, hasApp := externalSecretTargets(m)["reccollection-secrets"]
	switch m.env {
	case "staging", "production":
		if !hasApp {
			t.Errorf("%s: the app's secrets must come from an ExternalSecret", m.env)
		}
		for _, s := range all[corev1.Secret](m, "Secret") {
			t.Errorf("%s: Secret %s is in the manifests; use an ExternalSecret", m.env, s.Name)
		}
	}
}

func checkDatabase(t *testing.T, m *manifests) {
	clusters := all[cnpgCluster](m, "Cluster")
	if len(clusters) != 1 {
		t.Fatalf("%s: want one database Cluster, got %d", m.env, len(clusters))
	}
	cl := clusters[0]
	where := m.env + ": Cluster " + cl.Name
	s := cl.Spec
	if s.Instances < 1 || s.ImageName == "" || !strings.Contains(s.ImageName, ":") {
		t.Errorf("%s: instances %d, imageName %q (pin the PostgreSQL image)", where, s.Instances, s.ImageName)
	}
	if s.PrimaryUpdateStrategy != "" && !slices.Contains(cnpgUpdateStrategies, s.PrimaryUpdateStrategy) {
		t.Errorf("%s: primaryUpdateStrategy %q", where, s.PrimaryUpdateStrategy)
	}
	if s.Affinity != nil && s.Affinity.PodAntiAffinityType != "" && !slices.Contains(cnpgAntiAffinityTypes, s.Affinity.PodAntiAffinityType) {
		t.Errorf("%s: podAntiAffinityType %q", where, s.Affinity.PodAntiAffinityType)
	}
	if s.Storage.Size == "" {
		t.Errorf("%s: no storage size", where)
	}
	if s.Bootstrap == nil || s.Bootstrap.InitDB == nil || s.Bootstrap.InitDB.Database == "" || s.Bootstrap.InitDB.Owner == "" {
		t.Fatalf("%s: bootstrap.initdb must name the database and its owner", where)
	}
	db, owner := s.Bootstrap.InitDB.Database, s.Bootstrap.InitDB.Owner

	// Every workload reaches the primary through the -rw service as the
	// owner, with the operator's password and CA.
	for where, spec := range podSpecs(t, m) {
		c := spec.Containers[0]
		env := map[string]corev1.EnvVar{}
		for _, e := range c.Env {
			env[e.Name] = e
		}
		checkPostgresURL(t, m.env+": "+where+": DATABASE_URL", env["DATABASE_URL"].Value, cl.Name+"-rw", owner, db)
		pw := env["PGPASSWORD"].ValueFrom
		if pw == nil || pw.SecretKeyRef == nil || pw.SecretKeyRef.Name != cl.Name+"-app" || pw.SecretKeyRef.Key != "password" {
			t.Errorf("%s: %s: PGPASSWORD must come from Secret %s-app key password", m.env, where, cl.Name)
		}
		if r, ok := env["DATABASE_REPLICA_URLS"]; ok {
			checkPostgresURL(t, m.env+": "+where+": DATABASE_REPLICA_URLS", r.Value, cl.Name+"-ro", owner, db)
		}
	}

	backups := all[cnpgScheduledBackup](m, "ScheduledBackup")
	for _, sb := range backups {
		where := m.env + ": ScheduledBackup " + sb.Name
		if sb.Spec.Cluster.Name != cl.Name {
			t.Errorf("%s: backs up cluster %q, not %q", where, sb.Spec.Cluster.Name, cl.Name)
		}
		if n := len(strings.Fields(sb.Spec.Schedule)); n != 6 {
			t.Errorf("%s: schedule %q has %d fields; the operator's schedules have six (seconds first)", where, sb.Spec.Schedule, n)
		}
		if !slices.Contains(cnpgBackupMethods, sb.Spec.Method) || (sb.Spec.BackupOwnerReference != "" && !slices.Contains(cnpgOwnerReferences, sb.Spec.BackupOwnerReference)) {
			t.Errorf("%s: method %q, backupOwnerReference %q", where, sb.Spec.Method, sb.Spec.BackupOwnerReference)
		}
	}
	if b := s.Backup; b != nil && b.BarmanObjectStore != nil {
		store := b.BarmanObjectStore
		if !strings.HasPrefix(store.DestinationPath, "s3://") || store.S3Credentials == nil || store.S3Credentials.AccessKeyID == nil || store.S3Credentials.SecretAccessKey == nil {
			t.Errorf("%s: barmanObjectStore needs an s3:// destination and credentials", where)
		}
		if store.Wal != nil && !slices.Contains(cnpgCompressions, store.Wal.Compression) || store.Data != nil && !slices.Contains(cnpgCompressions, store.Data.Compression) {
			t.Errorf("%s: unknown compression", where)
		}
		provided := externalSecretTargets(m)
		for _, ref := range []*secretKeySelector{store.S3Credentials.AccessKeyID, store.S3Credentials.SecretAccessKey} {
			if ref != nil && !provided[ref.Name] {
				t.Errorf("%s: backup credentials Secret %q is provided by nothing", where, ref.Name)
			}
		}
	}

	if m.env == "production" {
		if s.Instances < 2 {
			t.Errorf("%s: production needs a primary and a replica, got %d instance(s)", where, s.Instances)
		}
		if s.Backup == nil || s.Backup.BarmanObjectStore == nil || s.Backup.BarmanObjectStore.Wal == nil || s.Backup.RetentionPolicy == "" {
			t.Errorf("%s: production needs base backups and WAL archiving (point-in-time recovery) with a retention policy", where)
		}
		if len(backups) == 0 {
			t.Errorf("production: no ScheduledBackup for %s", cl.Name)
		}
		d := get[appsv1.Deployment](t, m, "Deployment", appName)
		found := false
		for _, e := range d.Spec.Template.Spec.Containers[0].Env {
			found = found || e.Name == "DATABASE_REPLICA_URLS"
		}
		if !found {
			t.Errorf("production: the app must read from the replica (DATABASE_REPLICA_URLS)")
		}
	}
}

func checkPostgresURL(t *testing.T, where, raw, host, user, db string) {
	t.Helper()
	want := fmt.Sprintf("postgres://%s@%s:5432/%s?", user, host, db)
	if !strings.HasPrefix(raw, want) {
		t.Errorf("%s = %q, want %s… (no password: PGPASSWORD supplies it)", where, raw, want)
	}
	if !strings.Contains(raw, "sslmode=verify-full") {
		t.Errorf("%s: verify the server certificate (sslmode=verify-full)", where)
	}
}

package deploy_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
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

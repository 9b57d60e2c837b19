package deploy_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
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
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

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

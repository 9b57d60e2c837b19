package deploy_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
)

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

	// Connections: every pod's pool may fill at once, with both Jobs
	// running beside them.
	hpa := get[autoscalingv2.HorizontalPodAutoscaler](t, m, "HorizontalPodAutoscaler", appName)
	var maxConns int
	if s.PostgreSQL != nil {
		maxConns, _ = strconv.Atoi(s.PostgreSQL.Parameters["max_connections"])
	}
	if need := int(hpa.Spec.MaxReplicas)*poolSize + 2*poolSize; maxConns < need {
		t.Errorf("%s: max_connections %d is below %d (HPA maxReplicas %d × %d per pod + migration and backup Jobs)", where, maxConns, need, hpa.Spec.MaxReplicas, poolSize)
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

// poolSize is the most connections one process opens to each database
// (internal/store's default pool size).
const poolSize = 20

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

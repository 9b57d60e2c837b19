package deploy_test

import (
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// The custom resources of CloudNativePG (postgresql.cnpg.io/v1) and
// external-secrets (external-secrets.io/v1) have no small Go module to
// import, so their shapes are kept here: the fields these manifests use,
// named exactly as in the operators' v1 APIs. Manifests are decoded with
// unknown fields refused, so a misspelt field fails the test instead of
// being dropped silently by the API server's pruning; a field used for the
// first time has to be added here, checked against the operator's
// reference, first.

type secretKeySelector struct {
	Name string `json:"name"`
	Key  string `json:"key"`
}

type cnpgCluster struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              cnpgClusterSpec `json:"spec"`
}

type cnpgClusterSpec struct {
	Instances             int                         `json:"instances"`
	ImageName             string                      `json:"imageName,omitempty"`
	PrimaryUpdateStrategy string                      `json:"primaryUpdateStrategy,omitempty"`
	EnableSuperuserAccess *bool                       `json:"enableSuperuserAccess,omitempty"`
	Bootstrap             *cnpgBootstrap              `json:"bootstrap,omitempty"`
	PostgreSQL            *cnpgPostgresConfiguration  `json:"postgresql,omitempty"`
	Storage               cnpgStorage                 `json:"storage"`
	Resources             corev1.ResourceRequirements `json:"resources,omitempty"`
	Affinity              *cnpgAffinity               `json:"affinity,omitempty"`
	Backup                *cnpgBackupConfiguration    `json:"backup,omitempty"`
}

type cnpgBootstrap struct {
	InitDB *struct {
		Database               string   `json:"database"`
		Owner                  string   `json:"owner"`
		PostInitApplicationSQL []string `json:"postInitApplicationSQL,omitempty"`
	} `json:"initdb,omitempty"`
}

type cnpgPostgresConfiguration struct {
	Parameters map[string]string `json:"parameters,omitempty"`
}

type cnpgStorage struct {
	Size         string  `json:"size"`
	StorageClass *string `json:"storageClass,omitempty"`
}

type cnpgAffinity struct {
	EnablePodAntiAffinity *bool  `json:"enablePodAntiAffinity,omitempty"`
	TopologyKey           string `json:"topologyKey,omitempty"`
	PodAntiAffinityType   string `json:"podAntiAffinityType,omitempty"`
}

type cnpgBackupConfiguration struct {
	RetentionPolicy   string                 `json:"retentionPolicy,omitempty"`
	BarmanObjectStore *cnpgBarmanObjectStore `json:"barmanObjectStore,omitempty"`
}

type cnpgBarmanObjectStore struct {
	DestinationPath string `json:"destinationPath"`
	EndpointURL     string `json:"endpointURL,omitempty"`
	ServerName      string `json:"serverName,omitempty"`
	S3Credentials   *struct {
		AccessKeyID        *secretKeySelector `json:"accessKeyId,omitempty"`
		SecretAccessKey    *secretKeySelector `json:"secretAccessKey,omitempty"`
		Region             *secretKeySelector `json:"region,omitempty"`
		InheritFromIAMRole bool               `json:"inheritFromIAMRole,omitempty"`
	} `json:"s3Credentials,omitempty"`
	Wal *struct {
		Compression string `json:"compression,omitempty"`
		Encryption  string `json:"encryption,omitempty"`
		MaxParallel int    `json:"maxParallel,omitempty"`
	} `json:"wal,omitempty"`
	Data *struct {
		Compression         string `json:"compression,omitempty"`
		Encryption          string `json:"encryption,omitempty"`
		Jobs                int    `json:"jobs,omitempty"`
		ImmediateCheckpoint bool   `json:"immediateCheckpoint,omitempty"`
	} `json:"data,omitempty"`
}

type cnpgScheduledBackup struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		Schedule             string `json:"schedule"`
		Immediate            *bool  `json:"immediate,omitempty"`
		Suspend              *bool  `json:"suspend,omitempty"`
		BackupOwnerReference string `json:"backupOwnerReference,omitempty"`
		Method               string `json:"method,omitempty"`
		Cluster              struct {
			Name string `json:"name"`
		} `json:"cluster"`
	} `json:"spec"`
}

type externalSecret struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata"`
	Spec              struct {
		RefreshInterval string `json:"refreshInterval,omitempty"`
		SecretStoreRef  struct {
			Name string `json:"name"`
			Kind string `json:"kind,omitempty"`
		} `json:"secretStoreRef"`
		Target struct {
			Name           string `json:"name,omitempty"`
			CreationPolicy string `json:"creationPolicy,omitempty"`
			DeletionPolicy string `json:"deletionPolicy,omitempty"`
		} `json:"target"`
		Data []struct {
			SecretKey string `json:"secretKey"`
			RemoteRef struct {
				Key      string `json:"key"`
				Property string `json:"property,omitempty"`
			} `json:"remoteRef"`
		} `json:"data,omitempty"`
		DataFrom []struct {
			Extract *struct {
				Key string `json:"key"`
			} `json:"extract,omitempty"`
		} `json:"dataFrom,omitempty"`
	} `json:"spec"`
}

// Allowed values of the enumerations above, from the operators' CRDs.
var (
	cnpgUpdateStrategies  = []string{"unsupervised", "supervised"}
	cnpgAntiAffinityTypes = []string{"preferred", "required"}
	cnpgCompressions      = []string{"", "bzip2", "gzip", "lz4", "snappy", "xz", "zstd"}
	cnpgBackupMethods     = []string{"barmanObjectStore", "volumeSnapshot", "plugin"}
	cnpgOwnerReferences   = []string{"none", "self", "cluster"}
	esoStoreKinds         = []string{"SecretStore", "ClusterSecretStore"}
	esoCreationPolicies   = []string{"Owner", "Orphan", "Merge", "None"}
	esoDeletionPolicies   = []string{"Delete", "Merge", "Retain"}
)

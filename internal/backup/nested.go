package backup

import (
	"net/url"
	"strings"
)

// NestedPrefix returns the key prefix under which backupURL lies inside
// storageURL ("backups/" for file:///d/files and file:///d/files/backups),
// or "" when the two are apart. Used as Options.SkipFilePrefix, it keeps
// each backup from containing all the earlier ones when an operator
// points RECC_BACKUP_URL into RECC_STORAGE_URL.
func NestedPrefix(storageURL, backupURL string) string {
	s, err1 := url.Parse(storageURL)
	b, err2 := url.Parse(backupURL)
	if err1 != nil || err2 != nil || s.Scheme != b.Scheme || s.Host != b.Host || s.Query().Get("endpoint") != b.Query().Get("endpoint") {
		return ""
	}
	root := strings.TrimSuffix(s.Path, "/") + "/"
	if !strings.HasPrefix(b.Path, root) {
		return ""
	}
	rel := strings.Trim(strings.TrimPrefix(b.Path, root), "/")
	if rel == "" {
		return ""
	}
	return rel + "/"
}

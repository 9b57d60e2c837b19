// Package backup makes, lists, restores and verifies backups of a whole
// RecCollection installation: every application table and every stored
// user file, in one engine-neutral archive, so a backup taken on SQLite
// restores into PostgreSQL and the other way round.
//
// An archive is a gzip-compressed tar whose first entry is manifest.json
// (manifest.go), followed by one canonical NDJSON file per table
// (value.go) and the user files. Tables are read inside one snapshot:
// a REPEATABLE READ READ ONLY transaction on PostgreSQL, a VACUUM INTO
// copy on SQLite.
package backup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/store"
)

const (
	engineSQLite   = "sqlite"
	enginePostgres = "postgres"
)

// Limits on what an archive may hold. They are far above any real
// installation and exist so that a hostile or corrupt archive cannot fill
// a disk or memory before it is refused.
const (
	maxArchiveBytes  = 1 << 40 // 1 TiB compressed
	maxManifestBytes = 256 << 20
	maxTableBytes    = 64 << 30
	maxRowBytes      = 32 << 20
	maxFileBytes     = 5 << 30
	maxTables        = 1000
	maxColumns       = 200
	maxFiles         = 50_000_000
)

// nameRE is the only form of backup name: sortable by time, no path. The
// fraction (microseconds) keeps two backups made within one second apart;
// names made by earlier releases have none and are read all the same.
var nameRE = regexp.MustCompile(`^reccollection-(\d{8}T\d{6})(?:\.(\d{6}))?Z\.tar\.gz$`)

const (
	nameTimeLayout = "20060102T150405.000000Z"
	// legacyNameLayout is the whole-second form of earlier releases.
	legacyNameLayout = "20060102T150405Z"
)

// Name returns the archive name for a backup made at t, to the
// microsecond (the precision both engines keep for times).
func Name(t time.Time) string {
	return "reccollection-" + t.UTC().Truncate(time.Microsecond).Format(nameTimeLayout) + ".tar.gz"
}

// parseName returns the time in a backup name, or false for any other key.
func parseName(name string) (time.Time, bool) {
	m := nameRE.FindStringSubmatch(name)
	if m == nil {
		return time.Time{}, false
	}
	if m[2] == "" {
		t, err := time.Parse(legacyNameLayout, m[1]+"Z")
		return t, err == nil
	}
	t, err := time.Parse(nameTimeLayout, m[1]+"."+m[2]+"Z")
	return t, err == nil
}

// byTime orders backup objects by the time in their names. Key order is
// almost that, but not quite: a whole-second name of an earlier release
// ("…T120000Z") sorts after every name with a fraction in the same second
// ("…T120000.250000Z"), because '.' comes before 'Z'.
func byTime(objs []media.Object) {
	slices.SortStableFunc(objs, func(a, b media.Object) int {
		ta, _ := parseName(a.Key)
		tb, _ := parseName(b.Key)
		if c := ta.Compare(tb); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
}

// ErrNotEmpty is returned by Restore when the target database has data and
// Force is not set.
var ErrNotEmpty = errors.New("the database is not empty")

// Options configure a Service.
type Options struct {
	// Retention is how long backups are kept; 0 keeps them all.
	Retention time.Duration
	// AppVersion and AppCommit are written into each manifest.
	AppVersion, AppCommit string
	// TempDir holds the SQLite snapshot and the archive being assembled;
	// "" is the system's.
	TempDir string
	// Progress receives one line per step of long work (tables, files);
	// nil discards them.
	Progress func(msg string)
	// Logger records runs and failures; nil discards.
	Logger *slog.Logger
	// SkipFilePrefix leaves keys under it out of the file list: set when
	// the backup store lives inside the file store, so a backup never
	// contains older backups.
	SkipFilePrefix string
	// Now is the clock; nil is time.Now.
	Now func() time.Time
}

// Service makes and restores backups of one database and file store into
// one backup store.
type Service struct {
	db      *store.Store
	files   media.Store
	backups media.Store
	opt     Options
}

// New returns a Service. files may be nil for an installation without
// user files.
func New(db *store.Store, files, backups media.Store, opt Options) *Service {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{db: db, files: files, backups: backups, opt: opt}
}

func (s *Service) progress(format string, args ...any) {
	if s.opt.Progress != nil {
		s.opt.Progress(fmt.Sprintf(format, args...))
	}
}

// Info describes one stored backup.
type Info struct {
	Name          string
	CreatedAt     time.Time
	Size          int64
	Engine        string
	SchemaVersion int64
	Tables        int
	Rows          int64
	Files         int
	// Unreadable says why the manifest could not be read; the other
	// fields but Name, CreatedAt and Size are then zero.
	Unreadable string
}

// List returns the backups in the backup store, oldest first, with the
// engine and schema version read from each manifest (only the manifest is
// read, the first entry of the archive).
func (s *Service) List(ctx context.Context) ([]Info, error) {
	objs, err := s.listNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Info, 0, len(objs))
	for _, o := range objs {
		t, _ := parseName(o.Key)
		info := Info{Name: o.Key, CreatedAt: t, Size: o.Size}
		m, err := s.readManifest(ctx, o.Key)
		if err != nil {
			// One damaged archive must not hide the others.
			info.Unreadable = err.Error()
			out = append(out, info)
			continue
		}
		info.CreatedAt, info.Engine, info.SchemaVersion = m.CreatedAt, m.Engine, m.SchemaVersion
		info.Tables, info.Files = len(m.Tables), len(m.Files)
		for _, t := range m.Tables {
			info.Rows += t.Rows
		}
		out = append(out, info)
	}
	return out, nil
}

// listNames lists the objects named like backups, oldest first. Anything
// else in the backup store is ignored, never touched.
func (s *Service) listNames(ctx context.Context) ([]media.Object, error) {
	var out []media.Object
	err := s.backups.List(ctx, "", func(o media.Object) error {
		if _, ok := parseName(o.Key); ok {
			out = append(out, o)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", s.backups.Describe(), err)
	}
	byTime(out)
	return out, nil
}

// resolve turns "" into the newest backup's name and checks any other.
func (s *Service) resolve(ctx context.Context, name string) (string, error) {
	if name == "" {
		objs, err := s.listNames(ctx)
		if err != nil {
			return "", err
		}
		if len(objs) == 0 {
			return "", fmt.Errorf("there are no backups in %s", s.backups.Describe())
		}
		return objs[len(objs)-1].Key, nil
	}
	if _, ok := parseName(name); !ok {
		return "", fmt.Errorf("%q is not a backup name (reccollection-YYYYMMDDTHHMMSS.ffffffZ.tar.gz)", truncate(name, 80))
	}
	return name, nil
}

// fetch resolves name (see resolve) and copies that archive from the
// backup store into a temporary file, so it can be read twice (check
// everything, then write) without trusting the store to return the same
// bytes twice. It returns the resolved name.
func (s *Service) fetch(ctx context.Context, name string) (string, *os.File, error) {
	name, err := s.resolve(ctx, name)
	if err != nil {
		return name, nil, err
	}
	f, err := s.download(ctx, name)
	return name, f, err
}

func (s *Service) download(ctx context.Context, name string) (*os.File, error) {
	r, err := s.backups.Get(ctx, name)
	if errors.Is(err, media.ErrNotFound) {
		return nil, fmt.Errorf("backup %s not found in %s", name, s.backups.Describe())
	}
	if err != nil {
		return nil, fmt.Errorf("open backup %s: %w", name, err)
	}
	defer r.Close()
	f, err := os.CreateTemp(s.opt.TempDir, "reccollection-restore-*.tar.gz")
	if err != nil {
		return nil, fmt.Errorf("create temporary file: %w", err)
	}
	os.Remove(f.Name()) // unlinked at once: nothing is left behind
	n, err := io.Copy(f, io.LimitReader(r, maxArchiveBytes+1))
	if err == nil && n > maxArchiveBytes {
		err = fmt.Errorf("archive is larger than %d bytes", int64(maxArchiveBytes))
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("download backup %s: %w", name, err)
	}
	s.progress("downloaded %s (%d bytes)", name, n)
	return f, nil
}

// storeEngine is "sqlite" or "postgres".
func storeEngine(st *store.Store) string {
	if strings.EqualFold(st.Engine(), enginePostgres) {
		return enginePostgres
	}
	return engineSQLite
}

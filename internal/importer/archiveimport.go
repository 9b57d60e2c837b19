package importer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/reccollection/reccollection/internal/importer/archive"
	"github.com/reccollection/reccollection/internal/media"
	"github.com/reccollection/reccollection/internal/photos"
	"github.com/reccollection/reccollection/internal/recipe"
	"github.com/reccollection/reccollection/internal/store"
	"github.com/reccollection/reccollection/internal/validate"
)

// Archive imports: a person moving in from another recipe app uploads the
// archive it exported (Paprika, Mealie, Tandoor, a folder of schema.org
// pages, or RecCollection's own data export: internal/importer/archive
// reads them all). Start checks the upload at once — its size, that it is
// an archive of a known layout and how many recipes it holds — keeps it in
// the blob store and queues one job; RunArchive, the job, saves each
// recipe with its photos and records each one's result as it goes, so a
// page can follow it. The job may stop anywhere and run again: a recipe's
// result is its position in the archive, and a position with a result is
// never saved twice (store.SaveArchiveImportRecipe saves the recipe and
// its result in one transaction; a recipe whose photos were not all added
// gets the rest). The archive's blob is deleted once the import is done or
// has failed for good; the sweep ends imports whose job gave up.
//
// A recipe of RecCollection's own export is saved exactly as exported
// (visibility, difficulty, groups, ingredients' parts, tags, categories,
// source and credit) and its photos keep their bytes (photos' Import with
// exact), so that an export imported into another instance exports the
// same again. A recipe of another app's is read as any imported page is
// (inputOf: private, ingredient lines parsed), and skipped when the person
// already has a recipe from the same source address.

// ArchivePhotos is what archive imports need of the photo service
// (*photos.Service).
type ArchivePhotos interface {
	Import(ctx context.Context, userID, recipeID string, role store.PhotoRole, step int, body io.Reader, alt string, exact bool) (*recipe.Photo, error)
}

// ArchiveJob is the work of one archive import, run by the job queue
// (RunArchive).
type ArchiveJob struct {
	ImportID string `json:"import_id"`
	UserID   string `json:"user_id"`
}

// Defaults of ArchiveOptions.
const (
	// DefaultMaxActiveArchives: one archive import at a time per person.
	DefaultMaxActiveArchives = 1
	// DefaultArchiveItemTime is what one recipe with its photos may take:
	// a job with less time left hands the rest to a new job.
	DefaultArchiveItemTime = 15 * time.Second
	// archiveSweepAfter is when an import without progress is taken as
	// abandoned by the sweep: longer than the queue's retries last.
	archiveSweepAfter = 6 * time.Hour
	// archiveKeyPrefix is where uploaded archives wait in the blob store.
	archiveKeyPrefix = "imports/"
	// untitled names a recipe its archive gives no title.
	untitled = "Untitled recipe"
	// maxNote bounds the note kept on a result about photos left out.
	maxNote = 1000
)

// ArchiveOptions connect archive imports to the job queue and set their
// limits.
type ArchiveOptions struct {
	// Enqueue queues an ArchiveJob; Start needs it.
	Enqueue func(ctx context.Context, job ArchiveJob) error
	// EnqueuePhoto queues the download of a recipe's picture on the web
	// (FetchPhoto), for a recipe whose archive has a picture's address
	// but no picture; nil downloads nothing.
	EnqueuePhoto func(ctx context.Context, job PhotoJob) error
	// MaxBytes bounds an upload (archive.MaxArchiveBytes, which is also
	// the most it may be).
	MaxBytes int64
	// MaxActive bounds one person's imports queued or running
	// (DefaultMaxActiveArchives).
	MaxActive int
	// ItemTime is DefaultArchiveItemTime.
	ItemTime time.Duration
	Logger   *slog.Logger
}

// Archives imports archives; see above.
type Archives struct {
	store  *store.Store
	media  media.Store
	photos ArchivePhotos
	opts   ArchiveOptions
	log    *slog.Logger
	now    func() time.Time
}

// NewArchives returns archive imports on the store, the blob store that
// keeps the uploads and the photo service.
func NewArchives(s *store.Store, m media.Store, p ArchivePhotos, opts ArchiveOptions) *Archives {
	if opts.MaxBytes <= 0 || opts.MaxBytes > archive.MaxArchiveBytes {
		opts.MaxBytes = archive.MaxArchiveBytes
	}
	if opts.MaxActive <= 0 {
		opts.MaxActive = DefaultMaxActiveArchives
	}
	if opts.ItemTime <= 0 {
		opts.ItemTime = DefaultArchiveItemTime
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Archives{store: s, media: m, photos: p, opts: opts, log: log, now: time.Now}
}

// MaxBytes is the largest archive accepted.
func (s *Archives) MaxBytes() int64 { return s.opts.MaxBytes }

// Errors of archive imports besides the archive package's (ErrNotArchive,
// ErrUnknownFormat, ErrTooLarge, ErrDamaged), which Start returns as they
// are; ArchiveProblem answers each.
var (
	// ErrArchiveMissing: the request holds no file, or an empty one.
	ErrArchiveMissing = errors.New("importer: no archive was sent")
	// ErrArchiveUnderWay: the person's previous archive import has not
	// finished.
	ErrArchiveUnderWay = errors.New("importer: an archive import is under way")
	// ErrArchiveNotFound: no archive import with that id is the person's.
	ErrArchiveNotFound = errors.New("importer: no such archive import")
	// ErrArchiveStorage: the blob store could not keep the upload.
	ErrArchiveStorage = errors.New("importer: the archive could not be stored")
)

// refusal is an archive refused with a message of its own, matching kind
// (one of the archive package's errors) with errors.Is.
type refusal struct {
	kind error
	msg  string
}

func (e *refusal) Error() string { return e.msg }
func (e *refusal) Unwrap() error { return e.kind }

// ArchiveProblem is Problem for archive imports: the status, a title and
// what to do, or status 0 for an error that is not the person's to fix.
// field is the request field it is about ("file"), or "".
func ArchiveProblem(err error) (status int, title, detail, field string) {
	switch {
	case errors.Is(err, ErrArchiveMissing):
		return 422, "No archive", "Choose the archive your recipe app exported (a .zip or .paprikarecipes file).", "file"
	case errors.Is(err, ErrArchiveUnderWay):
		return 409, "An import is under way",
			"You are importing an archive already. Wait until it has finished, then upload the next one.", ""
	case errors.Is(err, ErrArchiveNotFound):
		return 404, "No such import", "There is no archive import of yours with that id.", ""
	case errors.Is(err, archive.ErrTooLarge):
		return 413, "Archive too large", sentence(err), "file"
	case errors.Is(err, archive.ErrNotArchive):
		return 422, "Not a recipe archive", sentence(err), "file"
	case errors.Is(err, archive.ErrUnknownFormat):
		return 422, "No recipes found in the archive", sentence(err), "file"
	case errors.Is(err, archive.ErrDamaged):
		return 422, "Damaged archive", sentence(err), "file"
	case errors.Is(err, ErrArchiveStorage):
		return 503, "Storage unavailable", "The archive could not be stored just now. Try again in a few minutes.", ""
	}
	return 0, "", "", ""
}

// sentence is err's message as a sentence: a capital first, a full stop
// last.
func sentence(err error) string {
	s := strings.TrimSpace(err.Error())
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// ArchiveImport is an archive import as the pages and the API show it.
type ArchiveImport struct {
	ID       string `json:"id"`
	Status   string `json:"status"` // queued, running, done, failed
	Format   string `json:"format"`
	FileName string `json:"file_name"`
	// Total is the recipes in the archive; Done those with a result,
	// of which Saved were saved, Skipped imported before and Failed
	// could not be.
	Total   int    `json:"total"`
	Done    int    `json:"done"`
	Saved   int    `json:"saved"`
	Skipped int    `json:"skipped"`
	Failed  int    `json:"failed"`
	Error   string `json:"error,omitempty"` // why the whole import failed
	// Results are the recipes worked so far, in the archive's order.
	Results   []ArchiveResult `json:"results"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
}

// Finished reports an import that will change no more.
func (a *ArchiveImport) Finished() bool {
	return a.Status == store.ArchiveDone || a.Status == store.ArchiveFailed
}

// ArchiveResult is what became of one recipe of an archive.
type ArchiveResult struct {
	Position int    `json:"position"` // 0-based, in the archive's order
	Name     string `json:"name"`     // where in the archive it was
	// Status is running (being saved), done, failed or skipped.
	Status   string `json:"status"`
	RecipeID string `json:"recipe_id,omitempty"`
	Title    string `json:"title,omitempty"`
	// Error says why it failed; on a saved recipe, which photos were
	// left out and why.
	Error  string `json:"error,omitempty"`
	Photos int    `json:"photos"` // photos kept
}

func archiveImportOf(a *store.ArchiveImport) *ArchiveImport {
	out := &ArchiveImport{ID: a.ID, Status: a.Status, Format: a.Format, FileName: a.FileName, Total: a.Total,
		Done: a.Done, Failed: a.Failed, Error: a.Error, Results: make([]ArchiveResult, 0, len(a.Results)),
		CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt}
	for _, r := range a.Results {
		out.Results = append(out.Results, ArchiveResult(r))
		switch r.Status {
		case store.ArchiveDone:
			out.Saved++
		case store.ArchiveSkipped:
			out.Skipped++
		}
	}
	return out
}

// Get is one of userID's archive imports with its results, or
// ErrArchiveNotFound.
func (s *Archives) Get(ctx context.Context, userID, id string) (*ArchiveImport, error) {
	a, err := s.store.ArchiveImport(ctx, userID, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrArchiveNotFound
	}
	if err != nil {
		return nil, err
	}
	return archiveImportOf(a), nil
}

// Recent lists userID's latest archive imports, newest first, without
// their results.
func (s *Archives) Recent(ctx context.Context, userID string, limit int) ([]*ArchiveImport, error) {
	list, err := s.store.ArchiveImports(ctx, userID, limit)
	if err != nil {
		return nil, err
	}
	out := make([]*ArchiveImport, len(list))
	for i, a := range list {
		out[i] = archiveImportOf(a)
	}
	return out, nil
}

// Start checks the archive in r (size bytes, or -1 when not known) and
// queues its import for userID. Refusals, before anything is kept:
// ErrArchiveUnderWay while another import of the person's runs, an
// archive.ErrTooLarge past MaxBytes (or more recipes than
// archive.MaxRecipes), ErrArchiveMissing for an empty upload, and the
// archive package's errors for a file that is not an archive of a layout
// it reads.
func (s *Archives) Start(ctx context.Context, userID, fileName string, r io.Reader, size int64) (*ArchiveImport, error) {
	if s.opts.Enqueue == nil {
		return nil, errors.New("archive import: no job queue")
	}
	if size > s.opts.MaxBytes {
		return nil, s.TooLarge()
	}
	// Refused before the upload is read: one import at a time.
	if err := s.checkUnderWay(ctx, userID); err != nil {
		return nil, err
	}
	f, n, err := spool(r, s.opts.MaxBytes)
	if f != nil {
		defer removeTemp(f)
	}
	switch {
	case errors.Is(err, errSpoolTooLarge):
		return nil, s.TooLarge()
	case err != nil:
		return nil, err
	case n == 0:
		return nil, ErrArchiveMissing
	}
	format, total, err := archive.Count(f, n)
	if err != nil {
		return nil, err
	}
	if total == 0 {
		return nil, &refusal{archive.ErrUnknownFormat, "The archive holds no recipes: export your recipes again, with at least one in it."}
	}
	if total > archive.MaxRecipes {
		return nil, &refusal{archive.ErrTooLarge, fmt.Sprintf("The archive holds %d recipes, more than the %d one import takes: export them in parts.", total, archive.MaxRecipes)}
	}
	imp := &store.ArchiveImport{UserID: userID, Format: string(format), FileName: cleanFileName(fileName),
		BlobKey: archiveKeyPrefix + uuid.Must(uuid.NewV7()).String() + ".zip", Total: total}
	if err := s.store.CreateArchiveImport(ctx, imp, s.opts.MaxActive); err != nil {
		if errors.Is(err, store.ErrArchiveImportUnderWay) {
			return nil, ErrArchiveUnderWay
		}
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		s.fail(ctx, imp, "The archive could not be kept; upload it again.")
		return nil, err
	}
	if err := s.media.Put(ctx, imp.BlobKey, f, n, "application/zip"); err != nil {
		s.fail(ctx, imp, "The archive could not be kept; upload it again.")
		return nil, fmt.Errorf("%w: %w", ErrArchiveStorage, err)
	}
	if err := s.opts.Enqueue(ctx, ArchiveJob{ImportID: imp.ID, UserID: userID}); err != nil {
		s.fail(ctx, imp, "The import could not be queued; upload the archive again.")
		return nil, fmt.Errorf("queue archive import: %w", err)
	}
	return archiveImportOf(imp), nil
}

// TooLarge is the refusal of an archive over MaxBytes, for a request
// refused before Start (its body too long).
func (s *Archives) TooLarge() error {
	return &refusal{archive.ErrTooLarge, fmt.Sprintf("The archive is larger than %d MB: export fewer recipes at a time.", s.opts.MaxBytes>>20)}
}

// checkUnderWay is ErrArchiveUnderWay when the person has MaxActive
// imports under way (CreateArchiveImport checks again, under a lock).
func (s *Archives) checkUnderWay(ctx context.Context, userID string) error {
	list, err := s.store.ArchiveImports(ctx, userID, s.opts.MaxActive+5)
	if err != nil {
		return err
	}
	active := 0
	for _, a := range list {
		if (a.Status == store.ArchiveQueued || a.Status == store.ArchiveRunning) && s.now().Sub(a.UpdatedAt) < store.ArchiveImportStale {
			active++
		}
	}
	if active >= s.opts.MaxActive {
		return ErrArchiveUnderWay
	}
	return nil
}

// cleanFileName is the upload's own name, without a path, at most 200
// characters of printable text.
func cleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	return strings.TrimSpace(name)
}

var errSpoolTooLarge = errors.New("upload over the limit")

// spool copies r to a temporary file, at most limit bytes, and answers it
// (open, for the caller to remove) with its size; errSpoolTooLarge past
// the limit.
func spool(r io.Reader, limit int64) (*os.File, int64, error) {
	f, err := os.CreateTemp("", "recc-archive-*.zip")
	if err != nil {
		return nil, 0, fmt.Errorf("archive upload: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(r, limit+1))
	if err != nil {
		// A request body under http.MaxBytesReader ends so past its limit.
		if mbe := new(http.MaxBytesError); errors.As(err, &mbe) {
			return f, n, errSpoolTooLarge
		}
		return f, n, fmt.Errorf("read the archive upload: %w", err)
	}
	if n > limit {
		return f, n, errSpoolTooLarge
	}
	return f, n, nil
}

func removeTemp(f *os.File) {
	f.Close()
	os.Remove(f.Name())
}

// fail marks imp failed with why, for a reason that no retry can mend,
// and deletes its archive; failures to do so are only logged (the sweep
// finishes the job).
func (s *Archives) fail(ctx context.Context, imp *store.ArchiveImport, why string) {
	ctx = context.WithoutCancel(ctx)
	if err := s.store.SetArchiveImportStatus(ctx, imp.ID, store.ArchiveFailed, why); err != nil && !errors.Is(err, store.ErrNotFound) {
		s.log.WarnContext(ctx, "mark archive import failed", "import", imp.ID, "err", err)
	}
	s.dropArchive(ctx, imp)
}

// dropArchive deletes imp's archive from the blob store and forgets it.
func (s *Archives) dropArchive(ctx context.Context, imp *store.ArchiveImport) {
	if imp.BlobKey == "" {
		return
	}
	ctx = context.WithoutCancel(ctx)
	if err := s.media.Delete(ctx, imp.BlobKey); err != nil && !errors.Is(err, media.ErrNotFound) {
		s.log.WarnContext(ctx, "delete archive upload; the sweep retries", "key", imp.BlobKey, "err", err)
		return
	}
	if err := s.store.ForgetArchiveImportBlob(ctx, imp.ID); err != nil {
		s.log.WarnContext(ctx, "forget archive upload", "import", imp.ID, "err", err)
	}
}

// errHandOff stops a read whose job is out of time: a new job goes on.
var errHandOff = errors.New("archive import: hand over to a new job")

// stopRead carries an error of the work on one recipe (the database or
// the photo storage away, the job cancelled) out of archive.Read, to be
// told from the archive's own errors.
type stopRead struct{ err error }

func (e *stopRead) Error() string { return e.err.Error() }
func (e *stopRead) Unwrap() error { return e.err }

// RunArchive works an archive import: each recipe of the archive that has
// no result yet, in the archive's order, each result recorded as it comes
// so a poller sees the progress. It returns an error only for what may
// pass (the database or the blob store away, the job stopped), for the
// queue to run it again; it then goes on where it stopped. An archive
// that cannot be read on fails the import with why; the recipes saved
// before stay. A job under a deadline (the queue's job timeout) hands the
// rest to a new job when too little time is left.
func (s *Archives) RunArchive(ctx context.Context, job ArchiveJob) error {
	imp, err := s.store.ArchiveImport(ctx, job.UserID, job.ImportID)
	if errors.Is(err, store.ErrNotFound) {
		return nil // the person's account is gone
	}
	if err != nil {
		return err
	}
	if imp.Status == store.ArchiveDone || imp.Status == store.ArchiveFailed {
		return nil
	}
	if imp.BlobKey == "" {
		s.fail(ctx, imp, "The uploaded archive is no longer kept; upload it again.")
		return nil
	}
	if err := s.store.SetArchiveImportStatus(ctx, imp.ID, store.ArchiveRunning, ""); err != nil {
		return err
	}
	f, n, err := s.fetchArchive(ctx, imp)
	if errors.Is(err, media.ErrNotFound) {
		s.fail(ctx, imp, "The uploaded archive is no longer kept; upload it again.")
		return nil
	}
	if err != nil {
		return err
	}
	defer removeTemp(f)

	results := map[int]store.ArchiveImportResult{}
	for _, r := range imp.Results {
		results[r.Position] = r
	}
	pos, worked := -1, 0
	_, err = archive.Read(f, n, func(it archive.Item) error {
		pos++
		prev, seen := results[pos]
		if seen && prev.Status != store.ArchiveRunning {
			return nil
		}
		if deadline, ok := ctx.Deadline(); ok && worked > 0 && time.Until(deadline) < s.opts.ItemTime {
			return errHandOff
		}
		worked++
		var p *store.ArchiveImportResult
		if seen {
			p = &prev
		}
		if err := s.importItem(ctx, imp, pos, it, p); err != nil {
			return &stopRead{err}
		}
		return nil
	})
	var stop *stopRead
	switch {
	case errors.Is(err, errHandOff):
		return s.opts.Enqueue(ctx, job)
	case errors.As(err, &stop):
		if errors.Is(stop.err, store.ErrNotFound) {
			return nil // the import went with its account
		}
		return stop.err
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		// The archive itself cannot be read on; what was saved stays.
		s.log.InfoContext(ctx, "archive import stopped by the archive", "import", imp.ID, "err", err)
		s.fail(ctx, imp, sentence(err))
		return nil
	}
	if err := s.store.SetArchiveImportStatus(ctx, imp.ID, store.ArchiveDone, ""); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}
	s.dropArchive(ctx, imp)
	return nil
}

// fetchArchive copies imp's archive from the blob store to a temporary
// file, which archive.Read needs (it reads the zip's directory at its
// end first).
func (s *Archives) fetchArchive(ctx context.Context, imp *store.ArchiveImport) (*os.File, int64, error) {
	rc, err := s.media.Get(ctx, imp.BlobKey)
	if err != nil {
		return nil, 0, err
	}
	defer rc.Close()
	f, n, err := spool(rc, archive.MaxArchiveBytes)
	if err != nil {
		if f != nil {
			removeTemp(f)
		}
		return nil, 0, err
	}
	return f, n, nil
}

// importItem saves one recipe of the archive and records its result;
// prev is the result a stopped job left (running: the recipe is saved,
// its photos maybe not all). An error is returned only for what a retry
// may mend; the recipe's own faults are its result.
func (s *Archives) importItem(ctx context.Context, imp *store.ArchiveImport, pos int, it archive.Item, prev *store.ArchiveImportResult) error {
	res := store.ArchiveImportResult{Position: pos, Name: capText(it.Name, 500)}
	exact := it.Exact != nil
	var rec *recipe.Recipe
	if prev != nil && prev.RecipeID != "" {
		r, err := s.store.Recipe(ctx, prev.RecipeID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			// Deleted meanwhile: nothing left to add photos to.
			res.Status, res.Title = store.ArchiveDone, prev.Title
			return s.store.SetArchiveImportResult(ctx, imp.ID, res)
		case err != nil:
			return err
		}
		rec = r
	} else {
		var in recipe.Input
		switch {
		case it.Err != nil:
			res.Status, res.Error = store.ArchiveFailed, sentence(it.Err)
			return s.store.SetArchiveImportResult(ctx, imp.ID, res)
		case exact:
			in = *it.Exact
		case it.Recipe != nil:
			in = inputOf(it.Recipe, "")
			if in.Title == "" {
				in.Title = untitled
			}
			found, err := findExisting(ctx, s.store, imp.UserID, in.SourceURL)
			if err != nil {
				return err
			}
			if found != nil {
				res.Status, res.RecipeID, res.Title = store.ArchiveSkipped, found.ID, found.Title
				return s.store.SetArchiveImportResult(ctx, imp.ID, res)
			}
		default:
			res.Status, res.Error = store.ArchiveFailed, "It holds no recipe."
			return s.store.SetArchiveImportResult(ctx, imp.ID, res)
		}
		if errs := in.Normalize(); len(errs) > 0 {
			res.Status, res.Title = store.ArchiveFailed, capText(in.Title, recipe.MaxTitle)
			res.Error = "It could not be saved: " + fieldsText(errs) + "."
			return s.store.SetArchiveImportResult(ctx, imp.ID, res)
		}
		created := it.Created
		if created.After(s.now()) {
			created = time.Time{}
		}
		r, err := s.store.SaveArchiveImportRecipe(ctx, imp.ID, res, store.NewRecipe{AuthorID: imp.UserID, Input: in, CreatedAt: created})
		var conflict *store.ConflictError
		if errors.As(err, &conflict) {
			return nil // another run of the job saved it
		}
		if err != nil {
			return err
		}
		rec = r
		if !exact && len(it.Photos) == 0 && s.opts.EnqueuePhoto != nil {
			if img := canonicalImage(it.Recipe.ImageURL); img != "" {
				if err := s.opts.EnqueuePhoto(ctx, PhotoJob{RecipeID: rec.ID, UserID: imp.UserID, URL: img}); err != nil {
					s.log.WarnContext(ctx, "queue an archive recipe's photo", "recipe_id", rec.ID, "err", err)
				}
			}
		}
	}
	kept, notes, err := s.addPhotos(ctx, imp.UserID, rec, it, exact)
	if err != nil {
		return err
	}
	res.Status, res.RecipeID, res.Title, res.Photos = store.ArchiveDone, rec.ID, rec.Title, kept
	res.Error = capText(strings.Join(notes, " "), maxNote)
	return s.store.SetArchiveImportResult(ctx, imp.ID, res)
}

// addPhotos adds the item's photos to rec in the archive's order (the main
// photo, the gallery, the steps' photos), leaving out those rec already
// has (a job that stopped part way added them): its main photo, as many
// gallery photos as it has, the steps that have one. It answers how many
// of the item's photos rec now has and a note for each left out; an error
// only for what a retry may mend.
func (s *Archives) addPhotos(ctx context.Context, userID string, rec *recipe.Recipe, it archive.Item, exact bool) (int, []string, error) {
	var notes []string
	for _, e := range it.PhotoErrs {
		notes = append(notes, sentence(e))
	}
	hasMain := rec.Photo != nil
	gallery, steps := 0, map[int]bool{}
	for _, p := range rec.Photos {
		if p.Step > 0 {
			steps[p.Step] = true
		} else {
			gallery++
		}
	}
	kept := 0
	for i, p := range it.Photos {
		role, step := store.PhotoGallery, 0
		switch p.Role {
		case archive.RoleMain:
			role = store.PhotoMain
			if hasMain {
				kept++
				continue
			}
		case archive.RoleStep:
			role, step = store.PhotoStep, p.Step
			if steps[step] {
				kept++
				continue
			}
		default:
			if gallery > 0 {
				gallery--
				kept++
				continue
			}
		}
		alt := p.Alt
		if utf8.RuneCountInString(alt) > photos.MaxAltLength {
			alt = clipWords(alt, photos.MaxAltLength)
		}
		_, err := s.photos.Import(ctx, userID, rec.ID, role, step, bytes.NewReader(p.Data), alt, exact)
		if err != nil {
			if ctx.Err() != nil || store.IsUnavailable(err) || errors.Is(err, photos.ErrStorage) {
				return 0, nil, err
			}
			msg := "it cannot be used"
			if _, m, ok := photos.Problem(err); ok {
				msg = strings.TrimSuffix(m, ".")
			} else {
				s.log.WarnContext(ctx, "archive photo not added", "recipe_id", rec.ID, "photo", p.Name, "err", err)
			}
			notes = append(notes, fmt.Sprintf("Photo %s was left out: %s.", photoName(p, i), msg))
			continue
		}
		kept++
		if role == store.PhotoMain {
			hasMain = true
		} else if role == store.PhotoStep {
			steps[step] = true
		}
	}
	return kept, notes, nil
}

// photoName names a photo of an archive in a note.
func photoName(p archive.Photo, i int) string {
	if p.Name != "" {
		return strconv.Quote(capText(p.Name, 200))
	}
	return strconv.Itoa(i + 1)
}

// fieldsText lists what the recipe rules refused.
func fieldsText(errs validate.Errors) string {
	parts := make([]string, len(errs))
	for i, f := range errs {
		parts[i] = f.Field + " " + f.Message
	}
	return strings.Join(parts, "; ")
}

// capText cuts s to at most n characters.
func capText(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// Sweep ends the imports whose job gave up (no progress for a long while:
// failed, saying so, their archives deleted) and deletes the archives no
// import names (left by a crash between storing one and recording it). It
// answers how many archives it deleted.
func (s *Archives) Sweep(ctx context.Context) (int, error) {
	now := s.now()
	deleted := 0
	for {
		stale, err := s.store.StaleArchiveImports(ctx, now.Add(-archiveSweepAfter), 100)
		if err != nil {
			return deleted, err
		}
		for _, imp := range stale {
			s.fail(ctx, imp, "The import stopped before it had finished. Upload the archive again to import the rest.")
			if imp.BlobKey != "" {
				deleted++
			}
		}
		if len(stale) < 100 {
			break
		}
	}
	orphans, err := media.Orphans(ctx, s.media, archiveKeyPrefix, now, archiveSweepAfter, s.store.ArchiveImportKeysNamed)
	if err != nil {
		return deleted, err
	}
	for _, k := range orphans {
		if err := s.media.Delete(ctx, k); err != nil && !errors.Is(err, media.ErrNotFound) {
			s.log.WarnContext(ctx, "delete an orphan archive upload", "key", k, "err", err)
			continue
		}
		deleted++
	}
	return deleted, nil
}

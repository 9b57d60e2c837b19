package importer

import (
	"archive/zip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/reccollection/reccollection/internal/importer/archive"
)

// Upload gathers the files of one upload for Start. One file is the
// archive as it is. Several — the pages and pictures of a folder, chosen
// together or as a folder — become one zip of them, in the order sent, so
// that the readers see a folder as they see a zip of it.
type Upload struct {
	s      *Archives
	userID string
	count  int
	size   int64 // bytes taken so far, against the archive limit
	// first is the first file, kept as sent until a second one comes.
	first     *os.File
	firstName string
	firstSize int64
	// zipped is the zip the files go into once there are several.
	zipped *os.File
	zw     *zip.Writer
	names  map[string]bool
}

// NewUpload starts gathering an upload of userID's: refused at once with
// ErrArchiveUnderWay while another import of theirs runs, before a byte
// of the body is read.
func (s *Archives) NewUpload(ctx context.Context, userID string) (*Upload, error) {
	if err := s.checkUnderWay(ctx, userID); err != nil {
		return nil, err
	}
	return &Upload{s: s, userID: userID, names: map[string]bool{}}, nil
}

// Add takes the next file of the upload, read to its end.
func (u *Upload) Add(name string, r io.Reader) error {
	u.count++
	if u.count > archive.MaxEntries {
		return &refusal{archive.ErrTooLarge, fmt.Sprintf("The upload has more than %d files: put them in a zip, or import them in parts.", archive.MaxEntries)}
	}
	if u.count == 1 {
		f, n, err := spool(r, u.s.opts.MaxBytes)
		u.first, u.firstName, u.firstSize, u.size = f, name, n, n
		if errors.Is(err, errSpoolTooLarge) {
			return u.s.TooLarge()
		}
		return err
	}
	if u.count == 2 {
		if err := u.startZip(); err != nil {
			return err
		}
	}
	return u.addToZip(name, r)
}

// startZip moves the first file into a new zip.
func (u *Upload) startZip() error {
	f, err := os.CreateTemp("", "recc-folder-*.zip")
	if err != nil {
		return fmt.Errorf("archive upload: %w", err)
	}
	u.zipped, u.zw = f, zip.NewWriter(f)
	if _, err := u.first.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("archive upload: %w", err)
	}
	u.size = 0
	err = u.addToZip(u.firstName, u.first)
	removeTemp(u.first)
	u.first = nil
	return err
}

// addToZip stores r in the zip under name, within what is left of the
// archive limit. Stored, not compressed: the zip only carries the files
// to the readers.
func (u *Upload) addToZip(name string, r io.Reader) error {
	w, err := u.zw.CreateHeader(&zip.FileHeader{Name: u.entryName(name), Method: zip.Store})
	if err != nil {
		return fmt.Errorf("archive upload: %w", err)
	}
	left := u.s.opts.MaxBytes - u.size
	n, err := io.Copy(w, io.LimitReader(r, left+1))
	u.size += n
	if n > left {
		return u.s.TooLarge()
	}
	if err != nil {
		if mbe := new(http.MaxBytesError); errors.As(err, &mbe) {
			return u.s.TooLarge()
		}
		return fmt.Errorf("read the archive upload: %w", err)
	}
	return nil
}

// entryName is a file's name in the zip: the path a folder upload sends
// ("pages/soup.html"), cleaned of anything leading out of it, and made
// unique.
func (u *Upload) entryName(name string) string {
	clean := strings.TrimLeft(path.Clean("/"+strings.ReplaceAll(name, `\`, "/")), "/")
	if clean == "" || clean == "." {
		clean = "file"
	}
	unique := clean
	for i := 2; u.names[unique]; i++ {
		ext := path.Ext(clean)
		unique = strings.TrimSuffix(clean, ext) + " (" + strconv.Itoa(i) + ")" + ext
	}
	u.names[unique] = true
	return unique
}

// Start checks what was gathered and queues its import (Archives.Start).
func (u *Upload) Start(ctx context.Context) (*ArchiveImport, error) {
	switch u.count {
	case 0:
		return nil, ErrArchiveMissing
	case 1:
		if _, err := u.first.Seek(0, io.SeekStart); err != nil {
			return nil, fmt.Errorf("archive upload: %w", err)
		}
		return u.s.Start(ctx, u.userID, u.firstName, u.first, u.firstSize)
	}
	if err := u.zw.Close(); err != nil {
		return nil, fmt.Errorf("archive upload: %w", err)
	}
	n, err := u.zipped.Seek(0, io.SeekEnd)
	if err == nil {
		_, err = u.zipped.Seek(0, io.SeekStart)
	}
	if err != nil {
		return nil, fmt.Errorf("archive upload: %w", err)
	}
	return u.s.Start(ctx, u.userID, fmt.Sprintf("%d files", u.count), u.zipped, n)
}

// Close removes what the upload kept on disk.
func (u *Upload) Close() {
	for _, f := range []*os.File{u.first, u.zipped} {
		if f != nil {
			removeTemp(f)
		}
	}
}

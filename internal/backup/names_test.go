package backup_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/backup"
	"github.com/reccollection/reccollection/internal/seed"
	"github.com/reccollection/reccollection/internal/testutil"
)

// TestBackupsInOneSecondAreKeptApart: two backups made back to back within
// one second both exist and list in the order they were made, and so do
// two made by a clock that stands still.
func TestBackupsInOneSecondAreKeptApart(t *testing.T) {
	ctx := context.Background()
	for _, engine := range testutil.Engines {
		t.Run(engine, func(t *testing.T) {
			st := testutil.OpenStore(t, engine)
			backups := newMemStore("backups")
			base := time.Date(2026, 12, 5, 10, 0, 0, 250_000_000, time.UTC)
			step := time.Millisecond
			clock := func() time.Time { base = base.Add(step); return base }
			svc := backup.New(st, nil, backups, backup.Options{Retention: 24 * time.Hour, Now: clock})
			var made []string
			for range 2 {
				info, err := svc.Create(ctx)
				if err != nil {
					t.Fatal(err)
				}
				made = append(made, info.Name)
			}
			step = 0 // the clock stops: a third backup still gets a name of its own
			info, err := svc.Create(ctx)
			if err != nil {
				t.Fatal(err)
			}
			made = append(made, info.Name)
			if made[0] == made[1] || made[1] == made[2] || !strings.HasPrefix(made[0], "reccollection-20261205T100000.") {
				t.Fatalf("names %q", made)
			}
			if got := backups.keys(); !slices.Equal(got, made) {
				t.Errorf("stored %q, want %q", got, made)
			}
			list, err := svc.List(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var listed []string
			for _, b := range list {
				if b.Unreadable != "" {
					t.Errorf("%s unreadable: %s", b.Name, b.Unreadable)
				}
				listed = append(listed, b.Name)
			}
			if !slices.Equal(listed, made) {
				t.Errorf("listed %q, want %q", listed, made)
			}
		})
	}
}

// TestWholeSecondNamesStillWork: archives named by earlier releases (no
// fraction) are listed in time order among new ones, restored and
// verified by name, chosen as the newest, and pruned by age.
func TestWholeSecondNamesStillWork(t *testing.T) {
	ctx := context.Background()
	src := testutil.OpenStore(t, "sqlite")
	if _, _, err := seed.Demo(ctx, src); err != nil {
		t.Fatal(err)
	}
	backups := newMemStore("backups")
	info, err := backup.New(src, nil, backups, backup.Options{}).Create(ctx)
	if err != nil {
		t.Fatal(err)
	}
	archive := backups.get(info.Name)
	backups.Delete(ctx, info.Name)
	at := func(s string) string { return "reccollection-" + s + ".tar.gz" }
	// Oldest to newest: a legacy name, a new name later in the same
	// second (which sorts before it by key), a legacy name a second
	// later.
	inOrder := []string{at("20261201T120000Z"), at("20261201T120000.500000Z"), at("20261201T120001Z")}
	for _, n := range inOrder {
		backups.Put(ctx, n, strings.NewReader(string(archive)), int64(len(archive)), "")
	}
	now := time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)
	svc := backup.New(testutil.OpenStore(t, "sqlite"), nil, backups, backup.Options{Retention: 7 * 24 * time.Hour, Now: func() time.Time { return now }})
	list, err := svc.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, b := range list {
		listed = append(listed, b.Name)
	}
	if !slices.Equal(listed, inOrder) {
		t.Fatalf("listed %q, want %q", listed, inOrder)
	}
	if rep, err := svc.Verify(ctx, ""); err != nil || rep.Name != inOrder[2] {
		t.Errorf("verify the newest: %s %v, want %s", rep.Name, err, inOrder[2])
	}
	if _, err := svc.Verify(ctx, inOrder[0]); err != nil {
		t.Errorf("verify %s: %v", inOrder[0], err)
	}
	if _, err := svc.Restore(ctx, inOrder[0], backup.RestoreOptions{}); err != nil {
		t.Errorf("restore %s: %v", inOrder[0], err)
	}
	// All three are older than the retention; the newest (a legacy name
	// that sorts last by key only by accident of the seconds) stays.
	deleted, err := svc.Prune(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(deleted, inOrder[:2]) || !slices.Equal(backups.keys(), inOrder[2:]) {
		t.Errorf("pruned %q, left %q", deleted, backups.keys())
	}
}

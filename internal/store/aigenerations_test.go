package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/reccollection/reccollection/internal/store"
)

func TestAIGenerations(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		cook, other := mkUser(t, s, "cook"), mkUser(t, s, "other")
		start := time.Now().Add(-time.Minute)
		for i, status := range []string{"ok", "timeout", "malformed"} {
			g := &store.AIGeneration{Kind: "recipe", Model: "m", InputHash: strings.Repeat("a", 64), Output: "answer " + status,
				Status: status, PromptTokens: 10 * (i + 1), CompletionTokens: i, LatencyMS: 100 + i}
			if err := s.RecordAIGeneration(ctx, cook.ID, g); err != nil {
				t.Fatal(err)
			}
			if g.ID == "" || g.CreatedAt.IsZero() {
				t.Fatalf("recorded %+v without id or time", g)
			}
		}
		// An answer over the limit is kept cut, as valid text.
		long := &store.AIGeneration{Kind: "suggestions", Model: "m", InputHash: "h", Output: strings.Repeat("é", 200<<10), Status: "ok"}
		if err := s.RecordAIGeneration(ctx, cook.ID, long); err != nil {
			t.Fatal(err)
		}
		list, err := s.AIGenerations(ctx, cook.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 4 || list[0].Kind != "suggestions" || list[3].Status != "ok" || list[3].PromptTokens != 10 || list[1].Output != "answer malformed" {
			t.Fatalf("list %d: %+v", len(list), list[:min(2, len(list))])
		}
		if n := len(list[0].Output); n > 256<<10 || n < 255<<10 || !strings.HasSuffix(list[0].Output, "é") {
			t.Errorf("long output kept as %d bytes", n)
		}
		if n, err := s.AIGenerationsSince(ctx, cook.ID, start); err != nil || n != 4 {
			t.Errorf("since start: %d, %v", n, err)
		}
		if n, _ := s.AIGenerationsSince(ctx, cook.ID, time.Now().Add(time.Minute)); n != 0 {
			t.Errorf("since later: %d", n)
		}
		if l, _ := s.AIGenerations(ctx, other.ID); len(l) != 0 {
			t.Errorf("another person sees %d", len(l))
		}
		if err := s.RecordAIGeneration(ctx, "not-an-id", &store.AIGeneration{Kind: "recipe", Status: "ok"}); err == nil {
			t.Error("a generation recorded for no one")
		}
	})
}

package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ProfileOptions say how to take the CPU profile behind profile-guided
// optimisation: Options' binary, recipes, users, database and logs, with
// Duration the length of the profile.
type ProfileOptions struct {
	Options
	Engine string
	Conns  int
}

// profileWarmUp is the load before the profile starts, so that start-up,
// first connections and cold caches are not what the compiler optimises
// for.
const profileWarmUp = 5 * time.Second

// ProfileMix starts the server as RunSoak does, drives the same mixed load
// and takes a CPU profile of the server over opt.Duration from pprof on
// its metrics listener, which it returns (gzipped protobuf, what `go build
// -pgo` reads). It fails if any answer was unexpected: a profile of a
// server answering errors is not a profile of its work.
func ProfileMix(ctx context.Context, opt ProfileOptions) ([]byte, *MixStats, error) {
	if opt.Conns < 1 || opt.Duration < time.Second {
		return nil, nil, fmt.Errorf("a profile needs at least one client and a second")
	}
	s, err := launch(ctx, opt.Engine, opt.Options)
	if err != nil {
		return nil, nil, err
	}
	defer s.close()
	m, err := newMix(ctx, s.srv.base, opt.Users, opt.Conns)
	if err != nil {
		return nil, nil, err
	}
	loadCtx, stopLoad := context.WithCancel(ctx)
	loadDone := make(chan struct{})
	go func() { m.run(loadCtx); close(loadDone) }()
	defer func() { stopLoad(); <-loadDone }()

	fmt.Fprintf(opt.Log, "[%s] mixed load: %d clients; profiling %s after %s of warm-up\n", opt.Engine, opt.Conns, opt.Duration, profileWarmUp)
	select {
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	case <-time.After(profileWarmUp):
	}
	secs := int(opt.Duration.Round(time.Second) / time.Second)
	url := fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", strings.TrimSuffix(s.srv.metrics, "/metrics"), secs)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, err
	}
	client := &http.Client{Timeout: opt.Duration + time.Minute}
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	profile, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, fmt.Errorf("GET %s: %s %.200s", url, resp.Status, profile)
	}
	// A gzipped profile starts with the gzip magic number; anything else
	// is an error page.
	if !bytes.HasPrefix(profile, []byte{0x1f, 0x8b}) {
		return nil, nil, fmt.Errorf("GET %s: not a profile: %.200q", url, profile)
	}
	stopLoad()
	<-loadDone
	if requests, errs, shed := m.stats.Totals(); errs > 0 || shed > 0 {
		return nil, m.stats, fmt.Errorf("%d of %d answers were unexpected and %d shed: %v", errs, requests, shed, m.stats.FirstErrors())
	}
	return profile, m.stats, nil
}

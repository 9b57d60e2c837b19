// Package buildinfo reports what binary is running. The Makefile stamps
// Version, Commit and BuildTime with -ldflags; a plain `go build` falls
// back to the VCS data the Go toolchain records.
package buildinfo

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// Stamped at link time: -X github.com/reccollection/reccollection/internal/buildinfo.Version=…
var (
	Version   = "dev"
	Commit    = ""
	BuildTime = ""
)

// Info is the answer of /version and `reccollection version`.
type Info struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	BuildTime string `json:"build_time"`
	GoVersion string `json:"go_version"`
}

var get = sync.OnceValue(func() Info { return describe(debug.ReadBuildInfo()) })

// describe combines the stamped values with what the toolchain recorded
// (bi, when ok).
func describe(bi *debug.BuildInfo, ok bool) Info {
	// The runtime's own version is always known, whatever the build
	// recorded: build information can be missing (a binary built outside
	// module mode) or stripped by packaging tools.
	info := Info{Version: Version, Commit: Commit, BuildTime: BuildTime, GoVersion: runtime.Version()}
	if ok && bi != nil {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if info.Commit == "" {
					info.Commit = s.Value
				}
			case "vcs.time":
				if info.BuildTime == "" {
					info.BuildTime = s.Value
				}
			}
		}
	}
	if info.Commit == "" {
		info.Commit = "unknown"
	}
	if info.BuildTime == "" {
		info.BuildTime = "unknown"
	}
	return info
}

// Get returns the build information.
func Get() Info { return get() }

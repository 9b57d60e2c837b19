package buildinfo

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// The Go version is reported however the binary was built, also when the
// toolchain recorded no build information.
func TestGoVersionAlwaysReported(t *testing.T) {
	for name, info := range map[string]Info{
		"no build information":    describe(nil, false),
		"empty build information": describe(&debug.BuildInfo{}, true),
		"running binary":          Get(),
	} {
		if info.GoVersion != runtime.Version() {
			t.Errorf("%s: GoVersion %q, want %q", name, info.GoVersion, runtime.Version())
		}
		if info.Commit == "" || info.BuildTime == "" || info.Version == "" {
			t.Errorf("%s: empty field in %+v", name, info)
		}
	}
}

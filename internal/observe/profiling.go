package observe

import (
	"net/http"
	"net/http/pprof"
)

// MountProfiling serves Go's runtime profiles (CPU, heap, goroutines,
// execution trace) under /debug/pprof/ on mux. Only the internal metrics
// listener mounts it: profiles reveal the program's internals and a CPU
// profile or trace keeps the process busy for as long as it is asked to,
// so they must never be reachable from the public site.
//
// The handlers are mounted explicitly; the package's side effect of
// registering them on http.DefaultServeMux is harmless because no
// listener serves that mux.
func MountProfiling(mux *http.ServeMux) {
	mux.HandleFunc("GET /debug/pprof/", pprof.Index) // also heap, goroutine, allocs, block, mutex…
	mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("POST /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
}

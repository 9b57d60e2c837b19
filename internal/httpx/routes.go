package httpx

import (
	"net/http"
	"runtime"
	"slices"
	"sync"
	"weak"
)

// registered holds the patterns each mux was given through Route. ServeMux
// cannot list its routes, and tests that must cover every route (the
// cache-header test) walk this list, so a new route cannot be forgotten.
// Keys are weak and an entry goes with its mux, so a process that builds
// many handlers (tests) does not keep them all alive.
var registered struct {
	sync.Mutex
	patterns map[weak.Pointer[http.ServeMux]][]string
}

func remember(mux *http.ServeMux, pattern string) {
	key := weak.Make(mux)
	registered.Lock()
	defer registered.Unlock()
	if registered.patterns == nil {
		registered.patterns = map[weak.Pointer[http.ServeMux]][]string{}
	}
	if _, ok := registered.patterns[key]; !ok {
		runtime.AddCleanup(mux, forget, key)
	}
	registered.patterns[key] = append(registered.patterns[key], pattern)
}

func forget(key weak.Pointer[http.ServeMux]) {
	registered.Lock()
	defer registered.Unlock()
	delete(registered.patterns, key)
}

// Patterns lists the patterns registered on mux through Route, in the
// order they were registered.
func Patterns(mux *http.ServeMux) []string {
	registered.Lock()
	defer registered.Unlock()
	return slices.Clone(registered.patterns[weak.Make(mux)])
}

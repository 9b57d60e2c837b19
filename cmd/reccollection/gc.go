package main

import "runtime/debug"

// serveGCPercent is the server's garbage-collection target (GOGC) when
// the environment sets none. Go's default, 100, lets the heap grow to
// twice what is live before collecting; a request allocates tens of
// kilobytes and keeps almost none, so under load the server collected
// several times a second, and on a small machine each cycle's mark
// worker took one of the two cores from requests. At 400 it collects a
// quarter as often: in the benchmark 15-25 % less CPU per request and a
// shorter tail at 32 connections, for a larger heap under load only
// (idle memory is the same: it is what start-up leaves live). A memory
// limit still wins: with GOMEMLIMIT set (the Kubernetes manifests set it
// to the container's limit) the collector runs earlier as the heap nears
// it, so the larger target cannot take the container over its limit.
const serveGCPercent = 400

// tuneGC applies serveGCPercent unless GOGC is set.
func tuneGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
}

// Package citest checks the repository's CI and deployment workflows
// (.github/workflows) the way the Go tests check everything else: every
// workflow passes actionlint, CI requires every tool .ci/run requires,
// and the deploy workflow calls the binary with flags it really has. It
// has no code of its own, only tests.
package citest

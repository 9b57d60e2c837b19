# RecCollection — the two commands that matter are `make run` and `make test`.
GO        ?= go
BIN       := bin/reccollection
PKG       := github.com/reccollection/reccollection
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT    ?= $(shell git rev-parse HEAD 2>/dev/null || echo unknown)
BUILD_TIME ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS   := -s -w \
	-X $(PKG)/internal/buildinfo.Version=$(VERSION) \
	-X $(PKG)/internal/buildinfo.Commit=$(COMMIT) \
	-X $(PKG)/internal/buildinfo.BuildTime=$(BUILD_TIME)
# The race detector needs cgo and a C compiler; use it wherever there is one.
RACE      := $(shell command -v gcc >/dev/null 2>&1 && echo -race)
STATICCHECK_VERSION := v0.8.2
# kustomize v5.8.2 is built on sigs.k8s.io/kustomize/api v0.21.2, the version
# the tests in deploy/ build the overlays with (deploy/go.mod); keep the two in step.
KUSTOMIZE_VERSION := v5.8.2
K8S_ENVS  := development staging production
# How long `make fuzz` runs each fuzz target.
FUZZTIME  ?= 20s

.PHONY: run build test test-short bench bench-go soak pgo lint cover clean k8s pitr-drill drill-sqlite import-eval fuzz

## run: build and start the server on http://localhost:8080 with demo data (embedded SQLite under ./data)
run: build
	$(BIN) serve --demo

## build: a static binary (CGO_ENABLED=0) in bin/
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/reccollection

# NORACE: packages whose tests run without the race detector. The browser
# tests drive the server through Chromium, where the detector's slowdown
# (358 s against 131 s) only stretches waits, while the same handlers run
# under it in the app, api and ui packages' tests; the picture generator
# is single-threaded pixel arithmetic the detector has nothing to find in.
NORACE := ./internal/browsertest ./internal/platepic

## test: vet, then every test once, with the race detector (but for NORACE) and coverage, on SQLite and PostgreSQL (PostgreSQL tests skip when none is reachable unless RECC_TEST_REQUIRE_POSTGRES=1); then the deployment tests (deploy/, their own module); prints the total coverage of coverage.out
test:
	$(GO) vet ./...
	cd deploy && $(GO) vet ./...
	$(GO) test -pgo=off $(RACE) -count=1 -timeout 20m -covermode=atomic -coverprofile=coverage.out \
		$$($(GO) list ./... | grep -v $(foreach p,$(NORACE),-e '/$(notdir $(p))$$'))
	$(GO) test -pgo=off -count=1 -timeout 20m -covermode=atomic -coverprofile=coverage-norace.out $(NORACE)
	tail -n +2 coverage-norace.out >> coverage.out && rm coverage-norace.out
	cd deploy && $(GO) test $(RACE) -count=1 -timeout 20m ./...
	@$(GO) tool cover -func=coverage.out | tail -1

## test-short: the tests without the slow process-level ones
test-short:
	$(GO) test -pgo=off -short -count=1 ./...
	cd deploy && $(GO) test -short -count=1 ./...

BENCH_OUT ?= docs/benchmarks.md

## bench: the load benchmark: seeds BENCH_SCALE recipes (small 2 000, default 100 000, large 1 000 000) on PostgreSQL (a scratch database via BENCH_DATABASE_URL, default the local postgres superuser) and SQLite, starts bin/reccollection on loopback, drives each route at 1 and 32 connections and prints req/s, latency, server CPU, database time, queries and RSS per request with PASS/FAIL per budget; writes BENCH_OUT (default docs/benchmarks.md). BENCH_ENGINES, BENCH_DURATION; BENCH_STRICT=1 fails on a budget
bench: build
	$(GO) run ./cmd/reccbench -bin $(BIN) -out $(BENCH_OUT)

## soak: a mixed load (pages, search with a typo, the API, creates, edits and deletes, sign-ins) at SOAK_CONNS clients for SOAK_DURATION (default 10m) on SOAK_ENGINE (postgres or sqlite) seeded with SOAK_SCALE recipes; prints RSS, heap, goroutines, DB connections, requests and errors every 10 s, then the figures and a verdict, and fails unless errors are zero and goroutines and memory stay level; SOAK_CSV=path also writes the samples
SOAK_DURATION ?= 10m
SOAK_ENGINE   ?= postgres
SOAK_SCALE    ?= 10000
SOAK_CONNS    ?= 8
SOAK_CSV      ?=
soak: build
	$(GO) run ./cmd/reccbench -bin $(BIN) soak -duration $(SOAK_DURATION) -engine $(SOAK_ENGINE) \
		-recipes $(SOAK_SCALE) -conns $(SOAK_CONNS) -csv '$(SOAK_CSV)'

## pgo: a CPU profile of the server under the soak's mixed load for PGO_DURATION (default 60s, PostgreSQL, 10 000 recipes) written to cmd/reccollection/default.pgo, which `go build` then uses for profile-guided optimisation (commit it)
PGO_DURATION ?= 60s
PGO_ENGINE   ?= postgres
pgo: build
	$(GO) run ./cmd/reccbench -bin $(BIN) pgo -duration $(PGO_DURATION) -engine $(PGO_ENGINE) \
		-out cmd/reccollection/default.pgo

## bench-go: the Go micro-benchmarks (BenchmarkVariants12MP: time and peak memory of one phone photo's variants), then the landing page's weight with 12 photo cards on a phone (needs chromium)
bench-go:
	$(GO) test -pgo=off -run '^$$' -bench . -benchmem -timeout 30m ./...
	@$(GO) test -count=1 -run '^TestHomePageWeightWithPhotos$$' -v ./internal/browsertest | grep -E 'home page weight|SKIP|FAIL' || true

## fuzz: every fuzz target for FUZZTIME each (default 20s): page extraction, ingredient lines and image headers on hostile input, the fast JSON scanners against encoding/json, the offline suggestion generator and the readers of other apps' archives; an input that fails is saved under the package's testdata/fuzz (commit it: it becomes a regression test)
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzFromHTML$$' -fuzztime $(FUZZTIME) ./internal/importer/extract
	$(GO) test -run '^$$' -fuzz '^FuzzParseIngredient$$' -fuzztime $(FUZZTIME) ./internal/recipe
	$(GO) test -run '^$$' -fuzz '^FuzzInspect$$' -fuzztime $(FUZZTIME) ./internal/images
	$(GO) test -run '^$$' -fuzz '^FuzzOrientation$$' -fuzztime $(FUZZTIME) ./internal/images
	$(GO) test -run '^$$' -fuzz '^FuzzFastJSON$$' -fuzztime $(FUZZTIME) ./internal/jsonscan
	$(GO) test -run '^$$' -fuzz '^FuzzOfflineSuggest$$' -fuzztime $(FUZZTIME) ./internal/ai
	$(GO) test -run '^$$' -fuzz '^FuzzRead$$' -fuzztime $(FUZZTIME) ./internal/importer/archive
# The saved-page corpus import-eval scores against, and the floors below
# which it fails (shares of all pages; see docs/architecture.md, "Import:
# extraction").
IMPORT_CORPUS ?= ../shared/import-corpus/recipe-pages-dev.tar.gz
IMPORT_FLOORS ?= --min-title 0.975 --min-ingredients 0.855 --min-instructions 0.88 --min-full 0.685

## import-eval: score the recipe extractor against the saved-page corpus (IMPORT_CORPUS): per-field accuracy on all sites, the tuning ones and the held-out ones; fails below IMPORT_FLOORS
import-eval:
	$(GO) run ./cmd/reccollection import eval $(IMPORT_CORPUS) $(IMPORT_FLOORS)

## lint: go vet, gofmt and staticcheck over both modules (the application and deploy/)
lint:
	$(GO) vet ./...
	cd deploy && $(GO) vet ./...
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...
	cd deploy && $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

## cover: make test, then the coverage of every function in coverage.out and an HTML report in coverage.html
cover: test
	$(GO) tool cover -func=coverage.out
	$(GO) tool cover -html=coverage.out -o coverage.html

## drill-sqlite: DRILL_WRITERS (default 100) clients, each with its own account and API token, create, edit and delete recipes at once on one SQLite database, 8 requests each; fails on any 5xx or answer that mentions a locked or busy database, or rows that differ from what the answers promised; prints writers, operations, answers by status, duration and rows checked (`make test` runs it with 20)
DRILL_WRITERS ?= 100
drill-sqlite:
	@RECC_SQLITE_DRILL_WRITERS=$(DRILL_WRITERS) $(GO) test -count=1 -run '^TestSQLiteWriterDrill$$' -v ./internal/app

## pitr-drill: point-in-time recovery drill: pgBackRest backup of a throwaway PostgreSQL cluster, restore to a time, verify (deploy/pgbackrest)
pitr-drill:
	bash deploy/pgbackrest/pitr-drill.sh

## k8s: render every Kubernetes overlay (deploy/k8s/overlays) into bin/k8s/<env>.yaml; `cd deploy && go test .` validates them
k8s:
	@mkdir -p bin/k8s
	@for env in $(K8S_ENVS); do \
		echo "kustomize build deploy/k8s/overlays/$$env > bin/k8s/$$env.yaml"; \
		$(GO) run sigs.k8s.io/kustomize/kustomize/v5@$(KUSTOMIZE_VERSION) build deploy/k8s/overlays/$$env > bin/k8s/$$env.yaml || exit 1; \
	done

clean:
	rm -rf bin coverage.out coverage.html

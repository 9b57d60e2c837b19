# syntax=docker/dockerfile:1
#
# The production image: one static binary on distroless, running as the
# image's unprivileged "nonroot" user (65532). Build with
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#     --build-arg COMMIT=$(git rev-parse HEAD) \
#     --build-arg BUILD_TIME=$(date -u +%Y-%m-%dT%H:%M:%SZ) -t reccollection .
# The ldflags match the Makefile's build target, so `reccollection version`
# and /version report the same fields however the binary was built.

ARG GO_VERSION=1.26.8

# The compiler runs on the build machine's own platform and cross-compiles
# (no cgo), which keeps multi-platform builds fast and free of emulation.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build
WORKDIR /src

# Modules first, so editing code does not invalidate the download layer.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download

COPY . .

ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
ARG COMMIT=unknown
ARG BUILD_TIME=unknown
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=${TARGETOS} GOARCH=${TARGETARCH} \
    go build -trimpath \
      -ldflags "-s -w \
        -X github.com/reccollection/reccollection/internal/buildinfo.Version=${VERSION} \
        -X github.com/reccollection/reccollection/internal/buildinfo.Commit=${COMMIT} \
        -X github.com/reccollection/reccollection/internal/buildinfo.BuildTime=${BUILD_TIME}" \
      -o /out/reccollection ./cmd/reccollection \
 && mkdir -p /out/data

# Pinned by tag; pin the digest too (gcr.io/distroless/static-debian12:nonroot@sha256:…)
# where reproducible images matter more than picking up base-image fixes.
FROM gcr.io/distroless/static-debian12:nonroot

COPY --from=build /out/reccollection /usr/local/bin/reccollection
# Zero-configuration runs keep their SQLite file here; it must belong to the
# unprivileged user because the image has no shell to fix permissions later.
COPY --from=build --chown=65532:65532 /out/data /data

ENV RECC_DATA_DIR=/data \
    RECC_HTTP_ADDR=:8080
WORKDIR /data
USER 65532:65532

# 8080: the application. 9090: the internal metrics listener, which binds
# only to 127.0.0.1 unless RECC_METRICS_ADDR says otherwise.
EXPOSE 8080 9090

# The binary checks its own /readyz on the port of RECC_HTTP_ADDR: the
# image has no shell or curl, and readiness (database reachable, schema
# current) is the state worth reporting, not mere liveness.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/reccollection", "healthcheck", "--timeout", "3s"]

ENTRYPOINT ["/usr/local/bin/reccollection"]
CMD ["serve"]

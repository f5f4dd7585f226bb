#!/usr/bin/env bash
# Installs the real Kafka clients the interop suite drives (test/interop) and builds its Go drivers.
# Idempotent: apt-get runs only for missing packages (one `apt-get update` first), and a Go driver is
# rebuilt only when its source is newer than its binary. Needs root for apt (CI runs as root).
#
# Debian bookworm packages (versions as of bookworm): kcat 1.7.1, python3-kafka 2.0.2,
# python3-confluent-kafka 1.7.0, librdkafka 2.0.2, golang-go 1.19, confluent-kafka-go 0.11.6,
# sarama 1.22.1, segmentio kafka-go 0.2.1. The Go module proxy is not used: Go builds in GOPATH mode
# against Debian's /usr/share/gocode.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(kcat python3-kafka python3-confluent-kafka golang-go librdkafka-dev
  golang-github-confluentinc-confluent-kafka-go-dev golang-github-shopify-sarama-dev
  golang-github-segmentio-kafka-go-dev)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "interop-install: installing ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "interop-install: all apt packages present"
fi

# Go drivers: each test/interop/go/<name>/main.go becomes .interop-cache/bin/<name>.
cache="$PWD/.interop-cache"
mkdir -p "$cache/bin" "$cache/gopath/src"
export GO111MODULE=off GOFLAGS= GOPATH="$cache/gopath:/usr/share/gocode" GOCACHE="$cache/gocache"
shopt -s nullglob
for dir in test/interop/go/*/; do
  name=$(basename "$dir")
  bin="$cache/bin/$name"
  if [[ -x "$bin" && -z $(find "$dir" -newer "$bin" -name '*.go') ]]; then continue; fi
  rm -rf "$cache/gopath/src/$name"
  mkdir -p "$cache/gopath/src/$name"
  cp "$dir"/*.go "$cache/gopath/src/$name/"
  echo "interop-install: go build $name"
  # sarama's cgo zstd dependency prints deprecation warnings; only a failed build matters.
  (cd "$cache/gopath/src/$name" && go build -o "$bin" . 2> >(grep -v -E 'warning|note:|^\s|^#|^In file|cgo-gcc-prolog' >&2 || true))
done
echo "interop-install: done"

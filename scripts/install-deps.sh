#!/usr/bin/env bash
# Installs everything ImageSprint needs on Debian 12, as root. Idempotent and quick when all is
# already there: apt runs only for missing packages, npm only when package-lock.json changed.
# Usage: scripts/install-deps.sh [run|test]   (test adds the servers and tools the tests start)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-run}

# Build and run time: compilers, libraries (see DESIGN.md's dependency table), CJK font for
# Korean watermarks, libheif with the HEVC decoder for HEIC input, stb for BMP. libssl-dev: the
# S3 adapter checks downloaded bodies against their MD5 ETag with OpenSSL (libcurl's TLS library;
# libmariadb-dev pulls it in anyway).
APT_RUN=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost-all-dev libsoci-dev libsqlite3-dev sqlite3 libmariadb-dev
  libsodium-dev libarchive-dev nlohmann-json3-dev libspdlog-dev libcli11-dev libtomlplusplus-dev
  libjemalloc-dev libhiredis-dev libcurl4-openssl-dev libssl-dev
  libheif-dev libstb-dev fonts-nanum
)
# Tests and benchmarks: GoogleTest, libheif's encoder (makes a HEIC from a corpus photo),
# ImageMagick and cjpeg as benchmark peers and fixtures makers, GNU time, clang-format,
# woltapp's reference BlurHash encoder (python3-blurhash) to check ours against, and Chromium
# for the web app's end-to-end tests (driven by playwright-core, which downloads no browser).
# clang and its runtimes (libFuzzer, ASan, UBSan: libclang-rt-14-dev) build `make fuzz`.
# redis-server, mariadb-server and haproxy: the distributed back ends' suites and the cluster
# start their own instances on free loopback ports (never the system services, see below).
# linux-perf profiles the engine (bench/README.md, "Where the time goes"); wrk drives the
# read-only routes in the load benchmark (bench/load.py).
APT_TEST=(
  libgtest-dev libgmock-dev libheif-examples imagemagick libjpeg-turbo-progs time clang-format
  python3-blurhash chromium clang libclang-rt-14-dev redis-server mariadb-server haproxy
  linux-perf wrk
)

pkgs=("${APT_RUN[@]}")
[ "$mode" = test ] && pkgs+=("${APT_TEST[@]}")

missing=()
# Node.js may come from Debian (nodejs + npm) or from a vendor package that bundles npm.
command -v npm >/dev/null || missing+=(nodejs npm)
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: apt packages missing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # The servers are only programs for the tests to start: their packages must not start (and
  # enable) system-wide services. policy-rc.d answering 101 forbids that during this install.
  made_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

# Pinned npm packages (libvips, sharp for the benchmark), from the committed lock file.
stamp=node_modules/.lock-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "install-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# The web app's toolchain (TypeScript, React, Vite, Vitest, playwright-core) from web/'s own
# lock file; `make run` builds the UI with it, so it is needed in both modes.
stamp=web/node_modules/.lock-stamp
want=$(sha256sum web/package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "install-deps: npm ci (web)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

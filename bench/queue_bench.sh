#!/usr/bin/env bash
# Runs imagesprint-queue-bench against a redis-server of its own (tests/support/redis_server.sh:
# a free port of 127.0.0.1, AOF on with appendfsync everysec, Redis's default for AOF and what a
# deployment runs; the tests use "always"), then stops it.
#   bench/queue_bench.sh BUILD_DIR [--tasks N] [--events N]
set -euo pipefail
build=$1
shift
state=$(mktemp)
trap 'bash tests/support/redis_server.sh stop "$state" >/dev/null 2>&1 || true; rm -f "$state"' EXIT
IMAGESPRINT_REDIS_APPENDFSYNC=${IMAGESPRINT_REDIS_APPENDFSYNC:-everysec} \
  bash tests/support/redis_server.sh start "$state" >/dev/null
echo "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p'), appendfsync ${IMAGESPRINT_REDIS_APPENDFSYNC:-everysec}"
port=$(sed -n 's/^port=//p' "$state")
timeout 900 "$build/bench/imagesprint-queue-bench" --redis-port "$port" "$@"

#!/usr/bin/env bash
# A Redis server for the tests: redis-server (Debian's, /usr/bin) on a free port of 127.0.0.1,
# its data in a fresh temporary folder, AOF on (appendfsync always unless IMAGESPRINT_REDIS_APPENDFSYNC
# says otherwise: a SIGKILL then loses nothing that was acknowledged), RDB snapshots off (--save '').
#
#   tests/support/redis_server.sh start STATE     starts it in the background, waits until it
#                                                  answers, writes STATE, exits 0
#   tests/support/redis_server.sh stop STATE      stops it, removes its folder and STATE
#   tests/support/redis_server.sh restart STATE [DOWN_SECONDS]
#                                                  SIGKILLs it and starts it again on the same
#                                                  port and folder (it reloads its AOF), after
#                                                  DOWN_SECONDS (default 0), waits until it has
#                                                  loaded
#
# STATE holds one "name=value" a line: host, port, pid, dir. CTest runs start and stop as the
# fixture "redis_server" (tests/contract/CMakeLists.txt); tests find it through the variable
# IMAGESPRINT_REDIS_STATE. Every wait is bounded.
set -euo pipefail

REDIS_SERVER=${REDIS_SERVER:-redis-server}
HOST=127.0.0.1

die() {
  echo "redis_server.sh: $*" >&2
  exit 1
}

state_value() {  # state_value FILE NAME
  sed -n "s/^$2=//p" "$1" | head -n 1
}

# Sends one inline command and prints the first line of the answer (bash's /dev/tcp: no
# redis-cli needed).
ask() {  # ask PORT COMMAND
  local reply=""
  if exec 3<>"/dev/tcp/$HOST/$1" 2>/dev/null; then
    printf '%s\r\n' "$2" >&3
    IFS= read -r -t 2 reply <&3 || true
    exec 3<&- 3>&-
  fi
  printf '%s' "${reply%$'\r'}"
}

# Waits (up to 20 s) until the server answers and has loaded its data.
wait_ready() {  # wait_ready PORT PID
  for _ in $(seq 1 200); do
    kill -0 "$2" 2>/dev/null || return 1
    # EXISTS is refused with -LOADING while the AOF is being read; PING is not.
    case "$(ask "$1" 'EXISTS imagesprint:probe')" in
      :*) return 0 ;;
    esac
    sleep 0.1
  done
  return 1
}

run_server() {  # run_server PORT DIR: starts it daemonized, prints its pid
  rm -f "$2/redis.pid"
  "$REDIS_SERVER" --port "$1" --bind "$HOST" --dir "$2" --daemonize yes \
    --pidfile "$2/redis.pid" --logfile "$2/redis.log" \
    --appendonly yes --appendfsync "${IMAGESPRINT_REDIS_APPENDFSYNC:-always}" --save '' \
    --protected-mode yes --databases 16 >/dev/null || return 1
  for _ in $(seq 1 100); do
    if [[ -s "$2/redis.pid" ]]; then
      cat "$2/redis.pid"
      return 0
    fi
    sleep 0.05
  done
  return 1
}

wait_exit() {  # wait_exit PID: up to 10 s
  for _ in $(seq 1 100); do
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
  return 1
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000))
}

start() {
  local state=$1 dir port pid
  command -v "$REDIS_SERVER" >/dev/null || die "redis-server not found (scripts/install-deps.sh)"
  mkdir -p "$(dirname "$state")"
  dir=$(mktemp -d "${TMPDIR:-/tmp}/imagesprint-redis.XXXXXX")
  # A port found free can be taken before redis-server binds it: a few tries.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if pid=$(run_server "$port" "$dir") && wait_ready "$port" "$pid"; then
      printf 'host=%s\nport=%s\npid=%s\ndir=%s\n' "$HOST" "$port" "$pid" "$dir" >"$state.tmp"
      mv "$state.tmp" "$state"
      echo "redis-server $pid on $HOST:$port, data in $dir"
      return 0
    fi
    [[ -n "${pid:-}" ]] && kill -9 "$pid" 2>/dev/null || true
    sleep 0.2
  done
  cat "$dir/redis.log" >&2 2>/dev/null || true
  rm -rf "$dir"
  die "redis-server did not start"
}

stop() {
  local state=$1 pid dir
  [[ -f "$state" ]] || return 0
  pid=$(state_value "$state" pid)
  dir=$(state_value "$state" dir)
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait_exit "$pid" || kill -KILL "$pid" 2>/dev/null || true
  fi
  [[ "$dir" == */imagesprint-redis.* ]] && rm -rf "$dir"
  rm -f "$state"
}

restart() {
  local state=$1 down=${2:-0} pid port dir
  [[ -f "$state" ]] || die "no state file $state"
  [[ $down =~ ^[0-9]+$ ]] || die "DOWN_SECONDS must be a whole number, not '$down'"
  pid=$(state_value "$state" pid)
  port=$(state_value "$state" port)
  dir=$(state_value "$state" dir)
  kill -KILL "$pid" 2>/dev/null || true
  wait_exit "$pid" || die "redis-server $pid did not exit"
  sleep "$down"
  pid=$(run_server "$port" "$dir") || die "redis-server did not start again on port $port"
  wait_ready "$port" "$pid" || die "redis-server did not answer again on port $port"
  printf 'host=%s\nport=%s\npid=%s\ndir=%s\n' "$HOST" "$port" "$pid" "$dir" >"$state.tmp"
  mv "$state.tmp" "$state"
  echo "redis-server restarted: $pid on $HOST:$port"
}

case "${1:-}" in
  start | stop)
    [[ $# -eq 2 ]] || die "usage: $0 start|stop|restart STATE"
    "$1" "$2"
    ;;
  restart)
    [[ $# -eq 2 || $# -eq 3 ]] || die "usage: $0 restart STATE [DOWN_SECONDS]"
    "$1" "$2" "${3:-0}"
    ;;
  *) die "usage: $0 start|stop|restart STATE" ;;
esac

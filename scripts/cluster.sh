#!/usr/bin/env bash
# The whole system on one machine, as it runs in production: redis-server (AOF on), mariadbd (a
# new database), an S3 server (@20minutes/s3rver), 2 `imagesprint api` behind haproxy and 3
# `imagesprint worker`, all on 127.0.0.1, everything under one folder (./cluster-data). `make
# cluster` builds what is needed and runs `scripts/cluster.sh run`.
#
#   scripts/cluster.sh [run]         starts everything, prints the web app's URL, waits; Ctrl-C
#                                    (or SIGTERM) stops everything in reverse order
#   scripts/cluster.sh start         starts everything in the background, writes
#                                    $CLUSTER_DIR/cluster.state, exits 0 (the tests' mode)
#   scripts/cluster.sh stop          stops everything start started, in reverse order
#   scripts/cluster.sh stop NAME     stops one process (SIGTERM: an API finishes its requests, a
#                                    worker its tasks in hand); start NAME starts it again
#   scripts/cluster.sh status        each process: name, pid, port, alive or not
#   scripts/cluster.sh kill NAME     SIGKILL one process (api1, worker2, haproxy ...): failure tests
#   scripts/cluster.sh restart NAME  stops one process and starts it again on the same port: an API
#                                    is first taken out of haproxy (drain), a worker drains on
#                                    SIGTERM; "redis" is SIGKILLed and started again on its AOF
#                                    (tests/support/redis_server.sh restart), "mariadb" shut down
#                                    and started again on its folder (mariadb_server.sh restart);
#                                    a killed process (kill NAME) is started again the same way
#
# Start order: redis-server, mariadbd, s3rver, the APIs, the workers, haproxy; stop is the
# reverse, so workers drain while the queue, the database and the store are still there. Every
# wait is bounded; stop ends with SIGKILL for whatever did not exit in time, and checks that
# nothing is left.
#
# Environment (all optional):
#   CLUSTER_DIR      where everything lives (./cluster-data); a start removes the previous
#                    cluster's files there (refused while it runs; sub-folders of other
#                    clusters, such as the tests' cluster-data/test-*, stay)
#   CLUSTER_PORT     haproxy's port, the web app's URL (8090; 0 picks a free one)
#   CLUSTER_APIS     API processes (2); CLUSTER_WORKERS  worker processes (3)
#   IMAGESPRINT_BIN  the binary (./build/release/imagesprint); copied into CLUSTER_DIR, so a
#                    rebuild during a run swaps nothing under the processes
#   WEB_DIR          the built web app (./web/dist)
#   CLUSTER_DATABASE mariadb (default), or sqlite: no mariadbd, the processes share one SQLite
#                    file (WAL) in $CLUSTER_DIR/records, which works on one machine only
#   IMAGESPRINT_*    any setting (README "Configuration"), given to every process through the
#                    environment: IMAGESPRINT_WORKERS=1, IMAGESPRINT_JANITOR_INTERVAL=1 ...
# Managed services instead of the local ones (the same settings as in production):
#   IMAGESPRINT_QUEUE=redis://HOST:PORT[/DB]   no local redis-server
#   IMAGESPRINT_DATABASE=mysql://USER:PASS@HOST:PORT/DB   no local mariadbd
#   IMAGESPRINT_OBJECTS=s3://BUCKET[/PREFIX]?endpoint=...&region=...   no local s3rver (with
#                    AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOST=127.0.0.1
CLUSTER_DIR=${CLUSTER_DIR:-$ROOT/cluster-data}
CLUSTER_PORT=${CLUSTER_PORT:-8090}
CLUSTER_APIS=${CLUSTER_APIS:-2}
CLUSTER_WORKERS=${CLUSTER_WORKERS:-3}
CLUSTER_DATABASE=${CLUSTER_DATABASE:-mariadb}
IMAGESPRINT_BIN=${IMAGESPRINT_BIN:-$ROOT/build/release/imagesprint}
WEB_DIR=${WEB_DIR:-$ROOT/web/dist}
HAPROXY=${HAPROXY:-haproxy}
REDIS_SCRIPT=$ROOT/tests/support/redis_server.sh
S3_SCRIPT=$ROOT/tests/support/s3_server.mjs
MARIADB_SCRIPT=$ROOT/tests/support/mariadb_server.sh
MARKER=.imagesprint-cluster

START_WAIT=30  # seconds for one process to be up (listening line, /readyz)
STOP_WAIT=30   # seconds for one process to exit after SIGTERM (a worker finishes its task)

die() {
  echo "cluster.sh: $*" >&2
  exit 1
}

log() { echo "cluster: $*"; }

# ---------------------------------------------------------------------------------------------
# Small tools: free ports, HTTP probes without curl, the state files.

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The status code of GET PATH on 127.0.0.1:PORT, or nothing (bash's /dev/tcp, 2 s at most).
http_status() {  # http_status PORT PATH
  local line=""
  # (The braces keep 2>/dev/null for this exec only: on `exec` alone it would stay for good.)
  if { exec 3<>"/dev/tcp/$HOST/$1"; } 2>/dev/null; then
    printf 'GET %s HTTP/1.0\r\nHost: %s:%s\r\n\r\n' "$2" "$HOST" "$1" >&3
    IFS= read -r -t 2 line <&3 || true
    exec 3<&- 3>&-
  fi
  line=${line#HTTP/1.? }
  printf '%s' "${line%% *}"
}

alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

# Per process NAME, files in $RUN: NAME.pid, NAME.port, NAME.role, NAME.args (its command line, as
# `declare -p`), NAME.log (stdout and stderr). $RUN/order lists the names in start order.
RUN=$CLUSTER_DIR/run
STATE=$CLUSTER_DIR/cluster.state

get() { cat "$RUN/$1.$2" 2>/dev/null || true; }  # get NAME FIELD

# cluster.state: one "name=value" a line for scripts and tests: url, dir, queue, objects,
# database (without its password), redis_state, mariadb_state, s3_state (the local servers'
# state files), then for each process NAME.role, NAME.pid, NAME.port, NAME.log.
write_state() {
  local name
  {
    cat "$CLUSTER_DIR/settings"
    while read -r name; do
      printf '%s.role=%s\n%s.pid=%s\n%s.port=%s\n%s.log=%s\n' "$name" "$(get "$name" role)" \
        "$name" "$(get "$name" pid)" "$name" "$(get "$name" port)" "$name" "$RUN/$name.log"
    done <"$RUN/order"
  } >"$STATE.tmp"
  mv "$STATE.tmp" "$STATE"
}

setting() { sed -n "s/^$1=//p" "$CLUSTER_DIR/settings" 2>/dev/null | head -n 1; }

# ---------------------------------------------------------------------------------------------
# Processes: each in a session of its own (setsid), so a Ctrl-C in the terminal reaches this
# script only, and the stop order stays ours.

launch() {  # launch NAME: runs NAME.args in the background, records its pid
  local name=$1 args
  source "$RUN/$name.args"  # sets the array `args`
  # shellcheck disable=SC2154
  (cd "$CLUSTER_DIR" && exec setsid "${args[@]}" </dev/null >>"$RUN/$name.log" 2>&1) &
  echo $! >"$RUN/$name.pid"
}

# Waits until NAME is up: its line "listening on" (imagesprint) and /readyz answering 200 (an API
# and a worker), or haproxy answering /readyz through an API.
wait_up() {  # wait_up NAME LOG_LINES_BEFORE
  local name=$1 before=$2 pid port role
  pid=$(get "$name" pid)
  port=$(get "$name" port)
  role=$(get "$name" role)
  for _ in $(seq 1 $((START_WAIT * 10))); do
    if ! alive "$pid"; then
      echo "cluster.sh: $name exited while starting; the end of $RUN/$name.log:" >&2
      tail -n 20 "$RUN/$name.log" >&2
      return 1
    fi
    if [[ $role == haproxy ]] || tail -n +"$((before + 1))" "$RUN/$name.log" |
      grep -q "^imagesprint $role: listening on"; then
      [[ "$(http_status "$port" /readyz)" == 200 ]] && return 0
    fi
    sleep 0.1
  done
  echo "cluster.sh: $name was not up after ${START_WAIT} s; the end of $RUN/$name.log:" >&2
  tail -n 20 "$RUN/$name.log" >&2
  return 1
}

start_process() {  # start_process NAME
  local before
  before=0
  if [[ -f $RUN/$1.log ]]; then before=$(wc -l <"$RUN/$1.log"); fi
  launch "$1"
  write_state
  wait_up "$1" "$before"
}

# Stops NAMEs together (one tier: the workers, say): SIGTERM to each, a bounded wait for all,
# then SIGKILL for any still running.
stop_processes() {  # stop_processes NAME...
  local name pid left=() t0=$EPOCHREALTIME elapsed
  for name in "$@"; do
    pid=$(get "$name" pid)
    if alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true
      left+=("$name")
    fi
  done
  ((${#left[@]})) || return 0
  for _ in $(seq 1 $((STOP_WAIT * 10))); do
    local still=()
    for name in "${left[@]}"; do
      alive "$(get "$name" pid)" && still+=("$name")
    done
    left=("${still[@]}")
    ((${#left[@]})) || break
    sleep 0.1
  done
  for name in "${left[@]}"; do
    echo "cluster.sh: $name still running ${STOP_WAIT} s after SIGTERM: SIGKILL" >&2
    kill -KILL "$(get "$name" pid)" 2>/dev/null || true
  done
  elapsed=$((${EPOCHREALTIME/./} - ${t0/./}))  # microseconds
  log "$(printf 'stopped %s in %d.%d s' "$*" $((elapsed / 1000000)) $((elapsed / 100000 % 10)))"
  for name in "${left[@]}"; do
    for _ in $(seq 1 50); do
      alive "$(get "$name" pid)" || continue 2
      sleep 0.1
    done
    return 1
  done
}

stop_process() { stop_processes "$1"; }

# haproxy's runtime API (its admin socket in $CLUSTER_DIR): `set server api/api1 state drain`.
haproxy_command() {  # haproxy_command COMMAND...
  # Connected by a relative path: a socket's path is limited to 107 bytes.
  python3 - "$CLUSTER_DIR" "$*" <<'EOF'
import os, socket, sys
os.chdir(sys.argv[1])
s = socket.socket(socket.AF_UNIX)
s.settimeout(5)
s.connect("haproxy.sock")
s.sendall(sys.argv[2].encode() + b"\n")
out = b""
while chunk := s.recv(4096):
    out += chunk
sys.stdout.write(out.decode())
EOF
}

# Waits until haproxy sees SERVER (an API) up again after a restart: up to START_WAIT seconds.
wait_haproxy_sees() {  # wait_haproxy_sees SERVER
  local status
  for _ in $(seq 1 $((START_WAIT * 10))); do
    # "show stat" CSV: pxname,svname,...,status (18th field).
    status=$(haproxy_command "show stat" 2>/dev/null | awk -F, -v s="$1" '$1 == "api" && $2 == s { print $18 }')
    [[ $status == UP ]] && return 0
    sleep 0.1
  done
  echo "cluster.sh: haproxy does not see $1 up (status: ${status:-none})" >&2
  return 1
}

# ---------------------------------------------------------------------------------------------
# The cluster.

# What each process is given on its command line: the shared back ends (the database's URL,
# which holds a password, comes through the environment: IMAGESPRINT_DATABASE, load_env).
common_args() {
  local queue objects
  queue=$(setting queue)
  objects=$(setting objects)
  COMMON=(--data "$CLUSTER_DIR/records" --public-url "$(setting url)")
  [[ -z ${IMAGESPRINT_QUEUE:-} ]] && COMMON+=(--queue "$queue")
  [[ -z ${IMAGESPRINT_OBJECTS:-} ]] && COMMON+=(--objects "$objects")
  return 0
}

define_process() {  # define_process NAME ROLE PORT COMMAND...
  local name=$1 role=$2 port=$3
  shift 3
  local args=("$@")
  echo "$role" >"$RUN/$name.role"
  echo "$port" >"$RUN/$name.port"
  declare -p args >"$RUN/$name.args"
  echo "$name" >>"$RUN/order"
}

write_haproxy_config() {  # write_haproxy_config PORT: the APIs from $RUN
  local name maxconn limit
  limit=$(ulimit -Hn)
  [[ $limit == unlimited ]] && limit=1048576
  maxconn=$(((limit - 100) / 2))
  ((maxconn > 10000)) && maxconn=10000
  {
    cat <<EOF
# Generated by scripts/cluster.sh: haproxy in front of the API processes.
global
    log stdout format raw daemon
    # Two descriptors a connection: what this user may open (ulimit -Hn) bounds it.
    maxconn $maxconn
    stats socket unix@haproxy.sock mode 600 level admin
    # scripts/cluster.sh stops it with SIGTERM (at once); a soft stop (SIGUSR1) would wait for
    # the open event streams, so it is bounded too.
    hard-stop-after 5s

defaults
    mode http
    log global
    option httplog
    option dontlognull
    # Server-Sent Events pass through as they come: the request body is not buffered (uploads
    # stream to the API), nothing is compressed, and an event stream may stay quiet between
    # heartbeats (15 s) for up to its lifetime (sse_max_lifetime, 1 h).
    no option http-buffer-request
    # The client's address for the APIs' per-address limits (they trust this haproxy's
    # address, --trusted-proxies, and read the header only from it).
    option forwardfor
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
    timeout http-request 30s
    timeout http-keep-alive 30s
    timeout queue 30s
    # A request that cannot reach an API (one that just stopped) is sent to another one.
    retries 3
    option redispatch

frontend web
    bind $HOST:$1
    default_backend api

backend api
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 1s fall 2 rise 1
EOF
    while read -r name; do
      if [[ $(get "$name" role) == api ]]; then
        printf '    server %s %s:%s check\n' "$name" "$HOST" "$(get "$name" port)"
      fi
    done <"$RUN/order"
  } >"$CLUSTER_DIR/haproxy.cfg"
}

# What a cluster keeps in its folder; the next start removes them. Anything else in the folder
# stays: sub-folders of other clusters (the tests' cluster-data/test-*), or it is not ours, and
# the start refuses to touch the folder.
OWN_ENTRIES=(run records tmp imagesprint haproxy.cfg haproxy.sock settings settings.env s3.env
  database.env cluster.state cluster.state.tmp redis.state mariadb.state s3.json s3.json.tmp
  s3.json.log "$MARKER")

prepare_dir() {
  local entry name
  if [[ -f $STATE ]]; then
    while read -r name; do
      alive "$(get "$name" pid)" && die "a cluster is running in $CLUSTER_DIR ($name); scripts/cluster.sh stop"
    done <"$RUN/order"
  fi
  mkdir -p "$CLUSTER_DIR"
  for entry in "$CLUSTER_DIR"/* "$CLUSTER_DIR"/.[!.]*; do
    [[ -e $entry ]] || continue
    name=${entry##*/}
    [[ -d $entry && -f $entry/$MARKER ]] && continue  # another cluster's folder
    [[ " ${OWN_ENTRIES[*]} " == *" $name "* ]] ||
      die "$CLUSTER_DIR holds $name, which is no cluster's; choose another CLUSTER_DIR"
  done
  # The servers' own folders go first (their scripts remove them), then the rest.
  if [[ -f $CLUSTER_DIR/redis.state ]]; then "$REDIS_SCRIPT" stop "$CLUSTER_DIR/redis.state" || true; fi
  if [[ -f $CLUSTER_DIR/mariadb.state ]]; then "$MARIADB_SCRIPT" stop "$CLUSTER_DIR/mariadb.state" || true; fi
  if [[ -f $CLUSTER_DIR/s3.json ]]; then node "$S3_SCRIPT" stop "$CLUSTER_DIR/s3.json" || true; fi
  for name in "${OWN_ENTRIES[@]}"; do
    rm -rf "${CLUSTER_DIR:?}/$name"
  done
  mkdir -p "$RUN" "$CLUSTER_DIR/records" "$CLUSTER_DIR/tmp"
  touch "$CLUSTER_DIR/$MARKER" "$RUN/order"
  PREPARED=1
}

start_all() {
  [[ -x $IMAGESPRINT_BIN ]] || die "no $IMAGESPRINT_BIN (make build)"
  [[ -f $WEB_DIR/index.html ]] || die "no web app in $WEB_DIR (make web)"
  command -v "$HAPROXY" >/dev/null || die "haproxy not found (scripts/install-deps.sh test)"
  prepare_dir
  cp "$IMAGESPRINT_BIN" "$CLUSTER_DIR/imagesprint"
  local bin=$CLUSTER_DIR/imagesprint port url queue objects i name

  port=$CLUSTER_PORT
  if [[ $port == 0 ]]; then port=$(free_port); fi
  url="http://$HOST:$port"
  # The web app's port must be free now: the APIs' links name it.
  if { exec 3<>"/dev/tcp/$HOST/$port"; } 2>/dev/null; then
    exec 3<&- 3>&-
    die "port $port is taken; CLUSTER_PORT=another (0: a free one)"
  fi

  # The servers' folders (mktemp under TMPDIR) go into the cluster's folder.
  export TMPDIR=$CLUSTER_DIR/tmp
  if [[ -z ${IMAGESPRINT_QUEUE:-} ]]; then
    log "redis-server"
    "$REDIS_SCRIPT" start "$CLUSTER_DIR/redis.state" >/dev/null
    queue="redis://$HOST:$(sed -n 's/^port=//p' "$CLUSTER_DIR/redis.state")"
  else
    queue=$IMAGESPRINT_QUEUE
  fi
  local database=${IMAGESPRINT_DATABASE:-}
  if [[ -z $database && $CLUSTER_DATABASE == mariadb ]]; then
    log "mariadbd"
    "$MARIADB_SCRIPT" start "$CLUSTER_DIR/mariadb.state" >/dev/null
    local db_port db_user db_password db_socket
    db_port=$(sed -n 's/^port=//p' "$CLUSTER_DIR/mariadb.state")
    db_user=$(sed -n 's/^user=//p' "$CLUSTER_DIR/mariadb.state")
    db_password=$(sed -n 's/^password=//p' "$CLUSTER_DIR/mariadb.state")
    db_socket=$(sed -n 's/^socket=//p' "$CLUSTER_DIR/mariadb.state")
    MYSQL_PWD=$db_password mariadb --no-defaults --socket="$db_socket" -u"$db_user" \
      -e 'CREATE DATABASE imagesprint CHARACTER SET utf8mb4 COLLATE utf8mb4_bin'
    database="mysql://$db_user:$db_password@$HOST:$db_port/imagesprint"
    (umask 077 && printf 'IMAGESPRINT_DATABASE=%s\n' "$database" >"$CLUSTER_DIR/database.env")
  elif [[ -z $database && $CLUSTER_DATABASE != sqlite ]]; then
    die "CLUSTER_DATABASE: mariadb or sqlite, not $CLUSTER_DATABASE"
  fi
  if [[ -z ${IMAGESPRINT_OBJECTS:-} ]]; then
    log "s3rver"
    node "$S3_SCRIPT" start "$CLUSTER_DIR/s3.json" >/dev/null
    local s3
    s3=$(node -e 'const s = JSON.parse(require("fs").readFileSync(process.argv[1]));
      console.log([s.endpoint, s.bucket, s.access_key_id, s.secret_access_key].join(" "))' \
      "$CLUSTER_DIR/s3.json")
    read -r endpoint bucket key secret <<<"$s3"
    objects="s3://$bucket?endpoint=$endpoint&region=us-east-1&path_style=true"
    # The local server's well-known test keys, for every process (never on a command line).
    printf 'AWS_ACCESS_KEY_ID=%s\nAWS_SECRET_ACCESS_KEY=%s\n' "$key" "$secret" >"$CLUSTER_DIR/s3.env"
  else
    objects=$IMAGESPRINT_OBJECTS
  fi
  {
    echo "url=$url"
    echo "dir=$CLUSTER_DIR"
    echo "queue=$queue"
    echo "objects=$objects"
    # The database without its password.
    local shown=${database:-sqlite:$CLUSTER_DIR/records/imagesprint.db}
    echo "database=$(sed -E 's#^(mysql|mariadb)://([^:@/]*):[^@]*@#\1://\2:***@#' <<<"$shown")"
    if [[ -f $CLUSTER_DIR/redis.state ]]; then echo "redis_state=$CLUSTER_DIR/redis.state"; fi
    if [[ -f $CLUSTER_DIR/mariadb.state ]]; then echo "mariadb_state=$CLUSTER_DIR/mariadb.state"; fi
    if [[ -f $CLUSTER_DIR/s3.json ]]; then echo "s3_state=$CLUSTER_DIR/s3.json"; fi
  } >"$CLUSTER_DIR/settings"
  # Every IMAGESPRINT_* setting of this shell, kept for restarts from another shell (owner only:
  # a managed database's URL holds its password).
  (umask 077 && env | grep '^IMAGESPRINT_' | grep -v '^IMAGESPRINT_BIN=' >"$CLUSTER_DIR/settings.env") ||
    true

  load_env
  common_args
  # Behind haproxy every connection comes from haproxy's address: the APIs trust it to name the
  # client in X-Forwarded-For (per-address limits count clients, not haproxy), and do not cap
  # its connections per address.
  for i in $(seq 1 "$CLUSTER_APIS"); do
    name=api$i
    port=$(free_port)
    define_process "$name" api "$port" "$bin" api --listen "$HOST:$port" "${COMMON[@]}" \
      --web-dir "$WEB_DIR" --trusted-proxies "$HOST"
    log "$name on $HOST:$port"
    start_process "$name"
  done
  for i in $(seq 1 "$CLUSTER_WORKERS"); do
    name=worker$i
    port=$(free_port)
    define_process "$name" worker "$port" "$bin" worker --listen "$HOST:$port" "${COMMON[@]}"
    log "$name on $HOST:$port"
    start_process "$name"
  done
  port=${url##*:}
  write_haproxy_config "$port"
  "$HAPROXY" -c -q -f "$CLUSTER_DIR/haproxy.cfg" || die "haproxy refused $CLUSTER_DIR/haproxy.cfg"
  define_process haproxy haproxy "$port" "$HAPROXY" -f "$CLUSTER_DIR/haproxy.cfg"
  log "haproxy on $HOST:$port"
  start_process haproxy
  write_state
}

# The environment every process gets: the IMAGESPRINT_* settings saved at start, the local S3
# server's keys and the local database's URL. A restart from another shell sees the same as the
# start did.
load_env() {
  local line
  if [[ -f $CLUSTER_DIR/settings.env ]]; then
    while IFS= read -r line; do export "${line?}"; done <"$CLUSTER_DIR/settings.env"
  fi
  local file
  for file in s3.env database.env; do
    if [[ -f $CLUSTER_DIR/$file ]]; then
      while IFS= read -r line; do export "${line?}"; done <"$CLUSTER_DIR/$file"
    fi
  done
}

stop_all() {
  [[ -f $RUN/order ]] || return 0
  local name role tier=() tier_role="" failed=0
  # Reverse start order, one tier (consecutive processes of one role) at a time.
  while read -r name; do
    role=$(get "$name" role)
    if [[ $role != "$tier_role" && ${#tier[@]} -gt 0 ]]; then
      stop_processes "${tier[@]}" || failed=1
      tier=()
    fi
    tier+=("$name")
    tier_role=$role
  done < <(tac "$RUN/order")
  if ((${#tier[@]})); then stop_processes "${tier[@]}" || failed=1; fi
  # The back ends last, together (each script's stop is bounded).
  local stops=() pid
  if [[ -f $CLUSTER_DIR/s3.json ]]; then
    node "$S3_SCRIPT" stop "$CLUSTER_DIR/s3.json" &
    stops+=($!)
  fi
  if [[ -f $CLUSTER_DIR/mariadb.state ]]; then
    "$MARIADB_SCRIPT" stop "$CLUSTER_DIR/mariadb.state" &
    stops+=($!)
  fi
  if [[ -f $CLUSTER_DIR/redis.state ]]; then
    "$REDIS_SCRIPT" stop "$CLUSTER_DIR/redis.state" || failed=1
  fi
  for pid in "${stops[@]}"; do wait "$pid" || failed=1; done
  log "stopped the back ends"
  # Nothing may be left: no process of ours still running.
  while read -r name; do
    if alive "$(get "$name" pid)"; then
      echo "cluster.sh: $name (pid $(get "$name" pid)) is still running" >&2
      failed=1
    fi
  done <"$RUN/order"
  rm -f "$STATE" "$CLUSTER_DIR/haproxy.sock"
  return $failed
}

print_summary() {
  local name
  echo
  echo "ImageSprint cluster in $CLUSTER_DIR"
  while read -r name; do
    printf '  %-9s pid %-8s http://%s:%s\n' "$name" "$(get "$name" pid)" "$HOST" "$(get "$name" port)"
  done <"$RUN/order"
  if [[ -f $CLUSTER_DIR/redis.state ]]; then
    printf '  %-9s pid %-8s redis://%s:%s (AOF in %s)\n' redis \
      "$(sed -n 's/^pid=//p' "$CLUSTER_DIR/redis.state")" "$HOST" \
      "$(sed -n 's/^port=//p' "$CLUSTER_DIR/redis.state")" \
      "$(sed -n 's/^dir=//p' "$CLUSTER_DIR/redis.state")"
  fi
  if [[ -f $CLUSTER_DIR/mariadb.state ]]; then
    printf '  %-9s pid %-8s %s (data in %s)\n' mariadb \
      "$(sed -n 's/^pid=//p' "$CLUSTER_DIR/mariadb.state")" "$(setting database)" \
      "$(sed -n 's/^folder=//p' "$CLUSTER_DIR/mariadb.state")"
  fi
  if [[ -f $CLUSTER_DIR/s3.json ]]; then printf '  %-9s %s\n' s3rver "$(setting objects)"; fi
  echo "  logs      $RUN/*.log"
  echo
  echo "The web app: $(setting url)"
}

status() {
  [[ -f $STATE ]] || {
    echo "no cluster in $CLUSTER_DIR"
    return 1
  }
  local name pid file
  while read -r name; do
    pid=$(get "$name" pid)
    printf '%-9s pid %-8s port %-6s %s\n' "$name" "$pid" "$(get "$name" port)" \
      "$(alive "$pid" && echo up || echo down)"
  done <"$RUN/order"
  for name in redis mariadb; do
    file=$CLUSTER_DIR/$name.state
    [[ -f $file ]] || continue
    pid=$(sed -n 's/^pid=//p' "$file")
    printf '%-9s pid %-8s port %-6s %s\n' "$name" "$pid" "$(sed -n 's/^port=//p' "$file")" \
      "$(alive "$pid" && echo up || echo down)"
  done
  if [[ -f $CLUSTER_DIR/s3.json ]]; then
    pid=$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1])).pid' "$CLUSTER_DIR/s3.json")
    printf '%-9s pid %-8s %s\n' s3rver "$pid" "$(alive "$pid" && echo up || echo down)"
  fi
}

restart_one() {  # restart_one NAME
  [[ -f $STATE ]] || die "no cluster in $CLUSTER_DIR"
  if [[ $1 == redis ]]; then
    [[ -f $CLUSTER_DIR/redis.state ]] || die "no local redis-server"
    TMPDIR=$CLUSTER_DIR/tmp "$REDIS_SCRIPT" restart "$CLUSTER_DIR/redis.state"
    return
  fi
  if [[ $1 == mariadb ]]; then
    [[ -f $CLUSTER_DIR/mariadb.state ]] || die "no local mariadbd"
    TMPDIR=$CLUSTER_DIR/tmp "$MARIADB_SCRIPT" restart "$CLUSTER_DIR/mariadb.state"
    return
  fi
  # An API leaves haproxy's pool first: no new request goes to it while it stops (its open
  # streams end, and their clients come back through haproxy to another API).
  stop_one "$1"
  start_one "$1"
  log "$1 restarted (pid $(get "$1" pid))"
}

stop_one() {  # stop_one NAME
  [[ -f $STATE ]] || die "no cluster in $CLUSTER_DIR"
  [[ -f $RUN/$1.args ]] || die "no process $1 (scripts/cluster.sh status)"
  if [[ $(get "$1" role) == api ]] && alive "$(get haproxy pid)"; then
    haproxy_command "set server api/$1 state drain" >/dev/null
  fi
  stop_process "$1"
}

start_one() {  # start_one NAME: a process stopped or killed
  [[ -f $STATE ]] || die "no cluster in $CLUSTER_DIR"
  [[ -f $RUN/$1.args ]] || die "no process $1 (scripts/cluster.sh status)"
  alive "$(get "$1" pid)" && die "$1 is running"
  load_env
  start_process "$1"
  if [[ $(get "$1" role) == api ]] && alive "$(get haproxy pid)"; then
    haproxy_command "set server api/$1 state ready" >/dev/null
    wait_haproxy_sees "$1"
  fi
}

kill_one() {  # kill_one NAME
  [[ -f $STATE ]] || die "no cluster in $CLUSTER_DIR"
  if [[ $1 == redis || $1 == mariadb ]]; then
    [[ -f $CLUSTER_DIR/$1.state ]] || die "no local $1"
    kill -KILL "$(sed -n 's/^pid=//p' "$CLUSTER_DIR/$1.state")" 2>/dev/null || true
    return
  fi
  local pid
  pid=$(get "$1" pid)
  [[ -n $pid ]] || die "no process $1"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    alive "$pid" || return 0
    sleep 0.1
  done
  die "$1 (pid $pid) did not die"
}

# A start that fails (set -e, die) stops whatever it had started: nothing is left running.
PREPARED=0
on_failed_start() {
  local rc=$?
  trap '' INT TERM
  if ((PREPARED)); then
    echo "cluster.sh: the cluster did not start (logs in $RUN); stopping what did" >&2
    stop_all >/dev/null 2>&1 || true
  fi
  exit "$rc"
}

run_foreground() {
  on_signal() {
    trap '' INT TERM HUP  # a second Ctrl-C does not cut the stop short
    trap - EXIT
    echo
    log "stopping (reverse order)"
    local rc=0
    stop_all || rc=1
    log "stopped"
    exit $rc
  }
  trap on_failed_start EXIT
  trap on_signal INT TERM HUP
  start_all
  trap - EXIT
  print_summary
  echo "Ctrl-C stops everything."
  local name reported=" "
  while :; do
    sleep 1 &
    wait $! || true
    while read -r name; do
      if [[ $reported != *" $name "* ]] && ! alive "$(get "$name" pid)"; then
        log "$name exited; the end of $RUN/$name.log:"
        tail -n 5 "$RUN/$name.log"
        reported+="$name "
      fi
    done <"$RUN/order"
  done
}

case "${1:-run}" in
  run) run_foreground ;;
  start)
    if [[ $# -eq 2 ]]; then
      start_one "$2"
      exit
    fi
    trap on_failed_start EXIT
    trap 'exit 130' INT TERM HUP
    start_all
    trap - EXIT INT TERM HUP
    print_summary
    ;;
  stop)
    if [[ $# -eq 2 ]]; then
      stop_one "$2"
    else
      stop_all
    fi
    ;;
  status) status ;;
  restart)
    [[ $# -eq 2 ]] || die "usage: $0 restart NAME"
    restart_one "$2"
    ;;
  kill)
    [[ $# -eq 2 ]] || die "usage: $0 kill NAME"
    kill_one "$2"
    ;;
  *) die "usage: $0 [run|start [NAME]|stop [NAME]|status|restart NAME|kill NAME]" ;;
esac

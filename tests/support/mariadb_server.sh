#!/usr/bin/env bash
# A MariaDB server for the tests: Debian's mariadbd, set up by mariadb-install-db in a fresh
# temporary folder (data, socket, pid file and logs all inside it; no system path is touched, no
# option file is read), listening on a free port of 127.0.0.1 only.
#
#   tests/support/mariadb_server.sh start STATE    installs and starts it, waits until it answers,
#                                                  creates the tests' user, writes STATE, exits 0
#   tests/support/mariadb_server.sh restart STATE [DOWN_SECONDS]
#                                                  stops it cleanly (SIGTERM) and starts it again on
#                                                  the same folder and port (reconnect tests),
#                                                  after DOWN_SECONDS (default 0) without a server
#   tests/support/mariadb_server.sh down STATE     stops it cleanly, keeping its folder and port
#   tests/support/mariadb_server.sh up STATE       starts it again there (after down)
#   tests/support/mariadb_server.sh stop STATE     stops it and removes its folder
#
# STATE is a file of key=value lines: host, port, user, password, socket, pid, folder. The user
# has every privilege over TCP from 127.0.0.1 and through the socket; each test creates a
# database of its own. CTest runs start and stop as the fixture "mariadb_server".
#
# Every wait is bounded: START_WAIT_SECONDS for the server to answer, STOP_WAIT_SECONDS for it to
# exit (then SIGKILL).
set -euo pipefail

START_WAIT_SECONDS=60
STOP_WAIT_SECONDS=30
PORT_ATTEMPTS=5
TEST_USER=imagesprint

MARIADBD=${IMAGESPRINT_MARIADBD:-$(command -v mariadbd || echo /usr/sbin/mariadbd)}
INSTALL_DB=${IMAGESPRINT_MARIADB_INSTALL_DB:-mariadb-install-db}
CLIENT=${IMAGESPRINT_MARIADB_CLIENT:-mariadb}
ADMIN=${IMAGESPRINT_MARIADB_ADMIN:-mariadb-admin}

die() {
  echo "mariadb_server.sh: $*" >&2
  exit 1
}

# Reads the state file's port, password, pid and folder into state_<key> variables.
read_state() {
  local file=$1 key value
  [[ -f $file ]] || die "no state file $file"
  state_port="" state_password="" state_pid="" state_folder=""
  while IFS='=' read -r key value; do
    case $key in
      port) state_port=$value ;;
      password) state_password=$value ;;
      pid) state_pid=$value ;;
      folder) state_folder=$value ;;
    esac
  done <"$file"
  [[ -n $state_port && -n $state_folder ]] || die "incomplete state file $file"
}

write_state() {
  local file=$1 folder=$2 port=$3 password=$4 pid=$5
  cat >"$file.tmp" <<EOF
host=127.0.0.1
port=$port
user=$TEST_USER
password=$password
socket=$folder/mariadb.sock
pid=$pid
folder=$folder
EOF
  mv "$file.tmp" "$file"
}

# Whether process $1 runs (a zombie, exited but not reaped yet, does not).
alive() {
  local stat
  [[ -n ${1:-} ]] || return 1
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [[ ${stat:0:1} != Z ]]
}

# A port of 127.0.0.1 where nothing listens now (mariadbd may still lose it to someone else: the
# caller then tries another).
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "found no free port"
}

# Starts mariadbd on `folder` and `port` in the background, detached from the caller (its own
# session, no inherited output: CTest must not wait for it). Prints its pid once it answers
# through its socket, or fails (with its log) if it exits or does not answer in time.
launch() {
  local folder=$1 port=$2
  local user_option=()
  [[ $(id -u) == 0 ]] && user_option=(--user=root)  # mariadbd refuses root without it
  rm -f "$folder/mariadb.pid"
  setsid "$MARIADBD" --no-defaults "${user_option[@]}" \
    --datadir="$folder/data" --socket="$folder/mariadb.sock" --pid-file="$folder/mariadb.pid" \
    --tmpdir="$folder/tmp" --log-error="$folder/error.log" \
    --port="$port" --bind-address=127.0.0.1 --skip-name-resolve \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
    --innodb-buffer-pool-size=64M --max-connections=400 \
    </dev/null >>"$folder/stdout.log" 2>&1 &
  local child=$!
  local deadline=$((SECONDS + START_WAIT_SECONDS))
  while ((SECONDS < deadline)); do
    if ! alive "$child"; then
      return 1
    fi
    if "$ADMIN" --no-defaults --socket="$folder/mariadb.sock" --connect-timeout=2 -uroot \
      ping >/dev/null 2>&1 || "$ADMIN" --no-defaults --socket="$folder/mariadb.sock" \
      --connect-timeout=2 -uroot --password="$(cat "$folder/root.password" 2>/dev/null)" \
      ping >/dev/null 2>&1; then
      cat "$folder/mariadb.pid" 2>/dev/null || echo "$child"
      return 0
    fi
    sleep 0.2
  done
  kill -TERM "$child" 2>/dev/null || true
  return 1
}

# Sends SIGTERM (a clean shutdown) and waits; SIGKILL past STOP_WAIT_SECONDS.
shut_down() {
  local pid=$1
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_WAIT_SECONDS))
  while alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if alive "$pid"; then
    echo "mariadb_server.sh: mariadbd $pid did not stop in ${STOP_WAIT_SECONDS}s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    while alive "$pid"; do sleep 0.1; done
  fi
}

start() {
  local file=$1
  if [[ -f $file ]]; then stop "$file"; fi
  mkdir -p "$(dirname "$file")"
  local folder
  folder=$(mktemp -d "${TMPDIR:-/tmp}/imagesprint-mariadb-XXXXXX")
  mkdir -p "$folder/tmp"
  local user_option=()
  [[ $(id -u) == 0 ]] && user_option=(--user=root)
  # Its own temporary folder too: the bootstrap's temporary tables in a shared /tmp met another
  # bootstrap's there once ("Could not remove temporary table", then "Unknown table").
  if ! "$INSTALL_DB" --no-defaults "${user_option[@]}" --datadir="$folder/data" \
    --tmpdir="$folder/tmp" \
    --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
    >"$folder/install.log" 2>&1; then
    cat "$folder/install.log" >&2
    rm -rf "$folder"
    die "mariadb-install-db failed"
  fi
  local port pid=""
  for _ in $(seq 1 "$PORT_ATTEMPTS"); do
    port=$(free_port)
    if pid=$(launch "$folder" "$port"); then break; fi
    pid=""
    grep -q "Address already in use" "$folder/error.log" 2>/dev/null || break
  done
  if [[ -z $pid ]]; then
    cat "$folder/error.log" >&2 || true
    rm -rf "$folder"
    die "mariadbd did not start"
  fi
  # The tests' user (TCP from loopback and the socket), and a password for root: only the
  # socket in this folder reaches it, but no account is left open.
  local password root_password
  password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
  root_password=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
  "$CLIENT" --no-defaults --socket="$folder/mariadb.sock" -uroot <<EOF
CREATE USER '$TEST_USER'@'127.0.0.1' IDENTIFIED BY '$password';
CREATE USER '$TEST_USER'@'localhost' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO '$TEST_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '$TEST_USER'@'localhost';
ALTER USER 'root'@'localhost' IDENTIFIED BY '$root_password';
DROP USER IF EXISTS 'root'@'127.0.0.1';
DROP USER IF EXISTS 'root'@'::1';
EOF
  printf '%s' "$root_password" >"$folder/root.password"
  write_state "$file" "$folder" "$port" "$password" "$pid"
  echo "mariadbd 127.0.0.1:$port (pid $pid) in $folder"
}

down() {
  local file=$1
  read_state "$file"
  shut_down "$state_pid"
  echo "mariadbd 127.0.0.1:$state_port down"
}

up() {
  local file=$1
  read_state "$file"
  local pid
  if ! pid=$(launch "$state_folder" "$state_port"); then
    cat "$state_folder/error.log" >&2 || true
    die "mariadbd did not start again"
  fi
  write_state "$file" "$state_folder" "$state_port" "$state_password" "$pid"
  echo "mariadbd 127.0.0.1:$state_port up again (pid $pid)"
}

restart() {
  local file=$1 seconds=${2:-0}
  [[ $seconds =~ ^[0-9]+$ ]] || die "DOWN_SECONDS must be a whole number, not '$seconds'"
  down "$file"
  sleep "$seconds"
  up "$file"
}

stop() {
  local file=$1
  [[ -f $file ]] || return 0
  read_state "$file"
  shut_down "$state_pid"
  case $state_folder in
    */imagesprint-mariadb-*) rm -rf "$state_folder" ;;
    *) echo "mariadb_server.sh: not removing unexpected folder '$state_folder'" >&2 ;;
  esac
  rm -f "$file"
}

command=${1:-}
file=${2:-}
case $command in
  start | stop | down | up) [[ -n $file ]] || die "usage: $0 start|down|up|stop STATE" ;;
  restart) [[ -n $file ]] || die "usage: $0 restart STATE [DOWN_SECONDS]" ;;
  *) die "usage: $0 start|restart|down|up|stop STATE" ;;
esac
"$command" "$file" "${@:3}"

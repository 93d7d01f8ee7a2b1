#!/bin/sh
# `imagesprint serve` with several bad settings (a flag, an environment variable and a key of the
# config file) names every one of them on stderr and exits with 2, before it starts anything.
# Usage: serve_bad_settings.sh IMAGESPRINT_BINARY
set -u
binary=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'webhook_timeout = 0\nqueue = "rabbitmq://127.0.0.1"\n' > "$work/config.toml"
IMAGESPRINT_LOG_LEVEL=loud "$binary" serve --config "$work/config.toml" --max-files 0 \
  --listen 127.0.0.1:99999 --data "$work/data" 2> "$work/stderr"
code=$?
cat "$work/stderr"
fail=0
[ "$code" = 2 ] || { echo "exit code $code, expected 2"; fail=1; }
for setting in listen max_files webhook_timeout queue log_level; do
  grep -q "^imagesprint serve: setting $setting: expected" "$work/stderr" ||
    { echo "stderr does not name $setting"; fail=1; }
done
[ "$(wc -l < "$work/stderr")" = 5 ] || { echo "expected 5 lines on stderr"; fail=1; }
[ ! -e "$work/data" ] || { echo "it created its data folder"; fail=1; }
exit $fail

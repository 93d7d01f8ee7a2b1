# The two commands (see README): `make run` and `make test`. Both install what is missing
# (scripts/install-deps.sh), build, and are quick when everything is already in place.
.PHONY: run demo test deps deps-test build lint-api unit-release unit-asan bench format clean web web-test e2e fuzz \
  cluster cluster-test

JOBS ?= 2
# ccache hashes paths relative to the checkout, so a fresh clone reuses earlier compilations.
export CCACHE_BASEDIR := $(CURDIR)
# The asan build carries debug info, which by default makes ccache hash the build folder too:
# a clone elsewhere would then miss every asan object. (Debug info keeps the first path; the
# sanitizers' reports symbolize through the binary, not through those paths.)
export CCACHE_NOHASHDIR ?= 1
CORPUS ?= $(abspath ../shared/corpus)

# The service on the embedded default: SQLite, local folder, durable SQLite queue, data in ./data.
# LISTEN=0.0.0.0:8080 make run to reach it from other machines.
LISTEN ?= 127.0.0.1:8080
run: build web
	./build/release/imagesprint serve --listen $(LISTEN) --data data --web-dir web/dist

# The whole system as it is deployed, on loopback: redis-server, s3rver, 2 `imagesprint api` behind
# haproxy, 3 `imagesprint worker`, data in ./cluster-data (scripts/cluster.sh; README "Cluster").
# Prints the web app's URL (CLUSTER_PORT, default 8090); Ctrl-C stops everything. Needs the test
# packages (redis-server, haproxy).
cluster: deps-test build web
	scripts/cluster.sh run

# The cluster's failure tests (tests/cluster/run.py): each starts its own cluster with
# scripts/cluster.sh under cluster-data/test-*, and stops it whatever happens; the `stop` below
# also covers a runner that was killed. The last step of `test`: about 5-6 minutes of its own.
cluster-test: deps-test build web
	@status=0; CORPUS=$(CORPUS) python3 tests/cluster/run.py || status=$$?; \
	for dir in cluster-data/test-*; do \
	  if [ -f "$$dir/cluster.state" ]; then CLUSTER_DIR="$$dir" scripts/cluster.sh stop || status=1; fi; \
	done; exit $$status

# The converter alone: every corpus photo to 1280 px WebP with a watermark, into out/.
demo: build
	./build/release/imagesprint convert $(CORPUS)/photos -o out --width 1280 --format webp \
	  --watermark-text "ImageSprint" --watermark-position BOTTOM_RIGHT --watermark-opacity 0.5

test: deps-test
	$(MAKE) --no-print-directory lint-api
	$(MAKE) --no-print-directory unit-release
	$(MAKE) --no-print-directory unit-asan
	$(MAKE) --no-print-directory web-test
	$(MAKE) --no-print-directory e2e
	$(MAKE) --no-print-directory cluster-test

deps:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test

build: deps
	@test -f build/release/build.ninja || cmake --preset release
	cmake --build --preset release -j $(JOBS)

# The API document (src/adapters/http/api/openapi.json) through Redocly CLI's recommended-strict
# rules (redocly.yaml): any error or warning fails. No telemetry, no update check (offline).
lint-api: deps-test
	REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true node_modules/.bin/redocly lint --config redocly.yaml

unit-release:
	@test -f build/release/build.ninja || cmake --preset release
	cmake --build --preset release -j $(JOBS)
	ctest --preset release -j $(JOBS)

# Every suite again under AddressSanitizer + UndefinedBehaviorSanitizer (leak checks on): unit
# and integration; the integration tests start the sanitized `imagesprint serve`, so the whole
# service runs under the sanitizers too. (The browser suite, e2e, runs on the release build.)
unit-asan:
	@test -f build/asan/build.ninja || cmake --preset asan
	cmake --build --preset asan -j $(JOBS)
	ctest --preset asan -j $(JOBS)

# libFuzzer on every target of tests/fuzz (the `fuzz` preset: clang, ASan + UBSan), FUZZ_SECONDS
# each, one after the other, on scratch copies of the corpora under build/fuzz/runs/ (see
# scripts/run-fuzzers.sh); prints executions and crashes per target. `make test` replays the same
# corpora on the GCC builds instead (CTest label "fuzz").
FUZZ_SECONDS ?= 60
fuzz: deps-test
	@test -f build/fuzz/build.ninja || cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run-fuzzers.sh

# The web app (web/): built into web/dist, which `imagesprint serve` serves at /. Rebuilt only
# when a source changed.
WEB_SOURCES := $(shell find web/src web/public web/scripts -type f 2>/dev/null) web/index.html web/package-lock.json \
  web/vite.config.ts web/tsconfig.json src/adapters/http/api/openapi.json
web: deps web/dist/index.html
web/dist/index.html: $(WEB_SOURCES) | deps
	cd web && npm run build --silent

# The web app's unit tests (Vitest), then the end-to-end suite: a real `imagesprint serve`, a
# local webhook receiver and headless Chromium (tests/e2e/run.mjs; screenshots in
# tests/e2e/artifacts/).
web-test: deps
	cd web && npm test --silent

e2e: deps-test build web
	CORPUS=$(CORPUS) node tests/e2e/run.mjs

# The peers (ImageMagick, sharp) and the tools (wrk, perf) come with the test packages; the
# cluster's benchmark needs the web app (scripts/cluster.sh serves it) and the cluster's servers
# (redis-server, mariadbd, haproxy). Each prints its detailed report; the last step prints the
# headline figures of them all in one table, each against its peer or its goal (bench/summary.py,
# from what each appended to IMAGESPRINT_BENCH_SUMMARY).
bench: export IMAGESPRINT_BENCH_SUMMARY = $(CURDIR)/bench/results/summary.jsonl
bench: deps-test build web
	mkdir -p bench/results && rm -f bench/results/summary.jsonl
	./build/release/bench/imagesprint-bench --corpus $(CORPUS)
	python3 bench/upload_to_ready.py --binary build/release/imagesprint --corpus $(CORPUS)
	python3 bench/sse_idle.py --binary build/release/imagesprint --streams 10000
	python3 bench/sse_latency.py --binary build/release/imagesprint --corpus $(CORPUS) --clients 1000
	python3 bench/sse_latency.py --binary build/release/imagesprint --corpus $(CORPUS) --clients 1000 --bus redis
	python3 bench/load.py --binary build/release/imagesprint --corpus $(CORPUS)
	python3 bench/attack.py --binary build/release/imagesprint --corpus $(CORPUS)
	python3 bench/conversion_memory.py --binary build/release/imagesprint --corpus $(CORPUS)
	bash bench/queue_bench.sh build/release
	python3 bench/fairness.py --binary build/release/imagesprint --corpus $(CORPUS)
	python3 bench/cluster_jobs.py --binary build/release/imagesprint --corpus $(CORPUS)
	python3 bench/summary.py bench/results/summary.jsonl bench/results/latest.md

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build out web/dist tests/e2e/artifacts

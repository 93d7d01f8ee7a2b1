# The two commands (see README): `make run` and `make test`. Both install what is missing
# (scripts/install-deps.sh), build, and are quick when everything is already in place.
.PHONY: run demo test deps deps-test build unit-release unit-asan bench format clean

JOBS ?= 2
# ccache hashes paths relative to the checkout, so a fresh clone reuses earlier compilations.
export CCACHE_BASEDIR := $(CURDIR)
CORPUS ?= $(abspath ../shared/corpus)

# The service on the embedded default: SQLite, local folder, durable SQLite queue, data in ./data.
# LISTEN=0.0.0.0:8080 make run to reach it from other machines.
LISTEN ?= 127.0.0.1:8080
run: build
	./build/release/imagesprint serve --listen $(LISTEN) --data data

# The converter alone: every corpus photo to 1280 px WebP with a watermark, into out/.
demo: build
	./build/release/imagesprint convert $(CORPUS)/photos -o out --width 1280 --format webp \
	  --watermark-text "ImageSprint" --watermark-position BOTTOM_RIGHT --watermark-opacity 0.5

test: deps-test
	$(MAKE) --no-print-directory unit-release
	$(MAKE) --no-print-directory unit-asan

deps:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test

build: deps
	@test -f build/release/build.ninja || cmake --preset release
	cmake --build --preset release -j $(JOBS)

unit-release:
	@test -f build/release/build.ninja || cmake --preset release
	cmake --build --preset release -j $(JOBS)
	ctest --preset release -j $(JOBS)

# Under AddressSanitizer + UndefinedBehaviorSanitizer: the suites labelled "sanitizer", which
# have passed under it (domain and engine). The service suites (SQLite, HTTP, app, integration)
# join once a sanitizer run of them has been verified; see the issue notes.
SANITIZED_TARGETS = unit_domain unit_imaging
unit-asan:
	@test -f build/asan/build.ninja || cmake --preset asan
	cmake --build --preset asan -j $(JOBS) --target $(SANITIZED_TARGETS)
	ctest --preset asan -j $(JOBS) -L sanitizer

# The peers (ImageMagick, sharp) come with the test packages.
bench: deps-test build
	./build/release/bench/imagesprint-bench --corpus $(CORPUS)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf build out

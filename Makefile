# The README's two commands:
#   make demo — install missing Debian packages, build, run Seawall on the bundled sample
#   make test — build and run every test tier
JOBS ?= $(shell nproc)
BUILD := build/release

.PHONY: demo test deps build build-asan test-asan fuzz-smoke clean

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

demo: build
	@mkdir -p out/demo
	@rm -f out/demo/eve.json
	$(BUILD)/seawall -r samples/demo.pcap -S rules/seawall.rules -l out/demo
	@scripts/eve-summary.py out/demo/eve.json

test: build
	ctest --preset release -j $(JOBS)
	@scripts/fuzz-smoke.sh

build-asan: deps
	@cmake --preset asan-ubsan >/dev/null
	@cmake --build --preset asan-ubsan -j $(JOBS)

# Unit and verification tiers under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: build-asan
	ctest --preset asan-ubsan -j $(JOBS)

clean:
	rm -rf build out

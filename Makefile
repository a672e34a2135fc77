# OurSay build. `make` = `make build`.
#
# The Go binary embeds web/static. The front-end assets in web/static/govuk/
# are generated from the Sass in web/assets/ and the locked govuk-frontend,
# and committed, so build, run and test need Go and a C compiler only.
# `make assets` regenerates them after a Sass or lock-file change; it needs
# Node.js >= 20.19 and npm (web/node_modules, gitignored, is installed from
# web/package-lock.json with `npm ci`). .ci/run checks, where such a Node is
# present, that the committed files match what `make assets` makes.

GO      ?= go
NPM     ?= npm
# Build tags for vet and test. BROWSER_TAG adds the headless Chromium suite
# (web/browsertest: journeys and axe-core accessibility checks against the
# real binary; needs /usr/bin/chromium, which .ci/run installs). On a
# machine without Chromium, `make test BROWSER_TAG=` leaves it out, as a
# plain `go test ./...` does. GOTAGS adds more, e.g. `make test GOTAGS=foo`.
BROWSER_TAG ?= browser
GOTAGS      ?=

WEB         := web
NODE_STAMP  := $(WEB)/node_modules/.oursay-installed
GOVUK_DIST  := $(WEB)/node_modules/govuk-frontend/dist/govuk
OUT         := $(WEB)/static/govuk
CSS         := $(OUT)/oursay.css
GOVUK_JS    := $(OUT)/govuk-frontend.min.js
LICENCE     := $(OUT)/LICENSE.txt
SCSS        := $(wildcard $(WEB)/assets/*.scss)
ASSETS      := $(CSS) $(GOVUK_JS) $(LICENCE)

comma   := ,
empty   :=
space   := $(empty) $(empty)
alltags := $(strip $(BROWSER_TAG) $(subst $(comma),$(space),$(GOTAGS)))
tags    := $(if $(alltags),-tags $(subst $(space),$(comma),$(alltags)))

.DEFAULT_GOAL := build
.PHONY: assets build run demo-reset test fuzz fmt clean distclean bench mutate

assets: $(ASSETS)

build:
	$(GO) build -o oursay ./cmd/oursay

# `make run ADDR=127.0.0.1:9000` listens elsewhere. The demo's sign-in is
# printed only when the demo is first loaded; after that, get back in with
# `oursay admin reset-password` (see README) or start again with
# `make demo-reset`.
ADDR    ?= 127.0.0.1:8080
DEMO_DB ?= oursay-demo.db

run:
	$(GO) run ./cmd/oursay serve --demo --db $(DEMO_DB) --addr $(ADDR)

# The demo database, its WAL files, its voter code key and its CSV of
# unused voter codes (beside the database: oursay-demo-voter-codes.csv).
demo-reset:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB).key $(basename $(DEMO_DB))-voter-codes.csv

test:
	$(GO) vet $(tags) ./...
	$(GO) test -timeout 25m $(tags) ./...

# Every fuzz target (func Fuzz… in a _test.go file) explores for FUZZTIME,
# one after another, stopping at the first failure; the failing input is
# saved under the package's testdata/fuzz/<target>/, where plain `go test`
# (and so `make test`) replays it with the seed corpus from then on.
FUZZTIME ?= 20s
FUZZ_PKGS = $(sort $(dir $(shell grep -rl --include='*_test.go' --exclude-dir=node_modules '^func Fuzz' .)))

fuzz:
	@for pkg in $(FUZZ_PKGS); do \
		for t in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\)(.*/\1/p' $$pkg*_test.go); do \
			echo "fuzz $$pkg $$t for $(FUZZTIME)"; \
			$(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 1s $$pkg || exit 1; \
		done; \
	done

# `make bench` measures the standard set on this machine (see README,
# Performance): it builds oursay and oursay-load, gives a fresh demo
# database a petition of BENCH_SIGNATURES confirmed signatures (written
# straight into the file before any server starts: the prefill scenario),
# times server start on it, measures the raw insert ceiling of the
# signatures table at that size, then runs each load scenario against its
# own `oursay serve` on that file. Results go to BENCH_DIR/results.txt; the
# last line of each scenario is its JSON. The database is deleted at the
# end unless BENCH_KEEP=1.
BENCH_DIR        ?= /tmp/oursay-bench
BENCH_SIGNATURES ?= 1000000
BENCH_DURATION   ?= 10s
BENCH_WATCHERS   ?= 10000
BENCH_LOAD        = $(BENCH_DIR)/oursay-load --db $(BENCH_DIR)/bench.db --duration $(BENCH_DURATION)
# The reads, respond and vote take turns with the ceiling in slices of a
# second, each side for half of BENCH_PAIRED_DURATION less the guard at
# the start of each slice, and their ratios are to that paired ceiling
# (README, Performance). The reads share their server with the ceiling;
# respond and vote are stopped during the ceiling's slices, which run on a
# second server, so that their checkpoints stay in their own time.
BENCH_PAIRED_DURATION ?= 20s
BENCH_PAIRED      = $(BENCH_DIR)/oursay-load --db $(BENCH_DIR)/bench.db --duration $(BENCH_PAIRED_DURATION) --paired-ceiling 1s

# respond, sign and vote run 64 clients, so that the group commits fill
# as they would under a crowd; vote has codes enough for 20 s at that rate.
bench:
	@mkdir -p $(BENCH_DIR)
	$(GO) build -o $(BENCH_DIR)/oursay ./cmd/oursay
	$(GO) build -o $(BENCH_DIR)/oursay-load ./cmd/oursay-load
	rm -f $(BENCH_DIR)/bench.db $(BENCH_DIR)/bench.db-wal $(BENCH_DIR)/bench.db-shm $(BENCH_DIR)/bench.db.key $(BENCH_DIR)/bench-voter-codes.csv
	@{ echo "# $$(date -u +%FT%TZ) $$(nproc) CPUs, $$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), $$($(GO) version)"; \
	set -e; \
	$(BENCH_DIR)/oursay-load --scenario prefill --db $(BENCH_DIR)/bench.db --signatures $(BENCH_SIGNATURES); \
	$(BENCH_DIR)/oursay-load --scenario start --db $(BENCH_DIR)/bench.db --repeat 5; \
	$(GO) test -run '^$$' -bench 'BenchmarkSignatures_Insert/batch=512$$' -benchtime 3s ./db -args -bench.sigrows=$(BENCH_SIGNATURES); \
	$(BENCH_LOAD) --scenario ceiling --concurrency 32; \
	$(BENCH_PAIRED) --scenario read --read api --concurrency 32; \
	$(BENCH_PAIRED) --scenario read --read page --concurrency 32; \
	$(BENCH_PAIRED) --scenario read --read consultation --concurrency 32; \
	$(BENCH_PAIRED) --scenario read --read ballot --concurrency 32; \
	$(BENCH_LOAD) --scenario sign --concurrency 64; \
	$(BENCH_LOAD) --scenario watch --concurrency 32 --watchers $(BENCH_WATCHERS) --rate 1000; \
	$(BENCH_PAIRED) --scenario respond --concurrency 64; \
	$(BENCH_PAIRED) --scenario vote --concurrency 64 --codes-count 300000; \
	$(BENCH_LOAD) --scenario print --concurrency 4; \
	$(BENCH_LOAD) --scenario codes --codes-count 100000 --letters 10000; \
	echo "bench: done"; \
	} 2>&1 | tee $(BENCH_DIR)/results.txt
	@echo "== Targets (issue 22), as ratios to the ceiling of this run"
	@$(BENCH_DIR)/oursay-load --scenario report --results $(BENCH_DIR)/results.txt | tee $(BENCH_DIR)/report.txt
	@if [ "$(BENCH_KEEP)" != 1 ]; then rm -f $(BENCH_DIR)/bench.db $(BENCH_DIR)/bench.db-wal $(BENCH_DIR)/bench.db-shm $(BENCH_DIR)/bench.db.key $(BENCH_DIR)/bench-voter-codes.csv; fi
	@grep -q '^bench: done' $(BENCH_DIR)/results.txt
	@tail -n 1 $(BENCH_DIR)/report.txt

# `make mutate` plants small bugs (gremlins' mutants) in the domain packages
# one at a time and runs each package's own tests against them; see README,
# Tests. It prints the mutants that lived or that no test reaches, then each
# package's efficacy (killed / (killed + lived)) and mutator coverage
# ((killed + lived) / all), and fails below MUTATE_EFFICACY or MUTATE_COVERAGE.
# gremlins' --test-cpu is not used: v0.6.0 passes a malformed -cpu flag to
# go test, every run fails, and every mutant is reported killed. db is left
# out: each of its several hundred mutants reruns db's whole test suite, which
# takes hours in all (see README, Tests); MUTATE_PKGS="ballot consult db" runs it.
GREMLINS_VERSION ?= v0.6.0
GREMLINS_BIN     ?= $(or $(shell $(GO) env GOBIN),$(shell $(GO) env GOPATH)/bin)
GREMLINS         ?= $(GREMLINS_BIN)/gremlins
MUTATE_PKGS      ?= ballot consult
MUTATE_WORKERS   ?= 1
MUTATE_EFFICACY  ?= 90
MUTATE_COVERAGE  ?= 85

mutate:
	@if ! $(GO) version -m $(GREMLINS) 2>/dev/null | grep -q 'mod[[:space:]]*github.com/go-gremlins/gremlins[[:space:]]*$(GREMLINS_VERSION)'; then \
		echo "installing gremlins $(GREMLINS_VERSION) into $(GREMLINS_BIN)"; \
		GOBIN=$(GREMLINS_BIN) $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION) || exit 1; \
	fi
	@fail=0; for pkg in $(MUTATE_PKGS); do \
		echo "== mutate ./$$pkg"; \
		$(GREMLINS) unleash --workers $(MUTATE_WORKERS) --timeout-coefficient 10 --output-statuses lct \
			--threshold-efficacy $(MUTATE_EFFICACY) --threshold-mcover $(MUTATE_COVERAGE) ./$$pkg 2>&1 | tee mutate-$$pkg.log || fail=1; \
		awk -v e=$(MUTATE_EFFICACY) -v c=$(MUTATE_COVERAGE) -v pkg=$$pkg ' \
			/^Test efficacy:/ { sub("%", "", $$3); eff = $$3 + 0; seen++ } \
			/^Mutator coverage:/ { sub("%", "", $$3); cov = $$3 + 0; seen++ } \
			END { if (seen < 2) { print pkg ": no efficacy or coverage in the output"; exit 1 } \
			      if (eff < e || cov < c) { printf "%s: efficacy %.2f%% (want >= %d), mutator coverage %.2f%% (want >= %d): below target\n", pkg, eff, e, cov, c; exit 1 } }' \
			mutate-$$pkg.log || fail=1; \
		rm -f mutate-$$pkg.log; \
	done; exit $$fail

fmt:
	$(GO) fmt ./...

# Build output only: the committed assets stay (`make assets` remakes them).
clean:
	rm -f oursay
	rm -rf browser-artifacts

# Back to a fresh checkout (plus whatever else is untracked).
distclean: clean demo-reset
	rm -rf $(WEB)/node_modules

# npm ci only when node_modules is missing or the lock file changed.
# --ignore-scripts: neither govuk-frontend nor sass needs an install script
# (the one on offer is an optional file watcher that wants node-gyp).
# The go.mod makes node_modules its own module, so a stray .go file in some
# npm package can never join ./... for go vet/test/build.
$(NODE_STAMP): $(WEB)/package.json $(WEB)/package-lock.json
	cd $(WEB) && $(NPM) ci --ignore-scripts --no-audit --no-fund
	printf 'module oursay.invalid/node_modules\n' > $(WEB)/node_modules/go.mod
	touch $@

# Compressed CSS, then a check that no GOV.UK-only font or image slipped in
# (web/assets/_urls.scss already fails the build on any asset URL).
$(CSS): $(SCSS) $(NODE_STAMP)
	@mkdir -p $(@D)
	$(WEB)/node_modules/.bin/sass --pkg-importer=node --no-source-map --style=compressed $(WEB)/assets/oursay.scss $@.tmp
	@if grep -Eiq 'gds transport|@font-face|url\(' $@.tmp; then \
		echo "$@: GDS Transport, @font-face or an asset url() in the CSS; see web/assets/_urls.scss" >&2; \
		rm -f $@.tmp; exit 1; \
	fi
	mv $@.tmp $@

# The ES module bundle, minus its source-map comment (we do not ship the map).
$(GOVUK_JS): $(NODE_STAMP)
	@mkdir -p $(@D)
	sed 's|//# sourceMappingURL=[^ ]*$$||' $(GOVUK_DIST)/govuk-frontend.min.js > $@.tmp
	mv $@.tmp $@

$(LICENCE): $(WEB)/assets/govuk-frontend-LICENSE.txt
	@mkdir -p $(@D)
	cp $< $@

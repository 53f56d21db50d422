# casebook — build, test, benchmark and fuzz.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
LDFLAGS  := -X main.version=$(VERSION) -X main.commit=$(COMMIT)
FUZZTIME ?= 20s

.PHONY: build test bench fuzz install docs clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/casebook ./cmd/casebook

test:
	$(GO) vet ./...
	$(GO) test -race ./...

# Go benchmarks, then the whole-CLI comparison against the targets
# (BENCHMARKS.md). BENCH_QUICK=1 skips the 50k-playbook library.
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	GO="$(GO)" bench/compare.sh

# Runs every fuzz target for FUZZTIME each (go test allows one target per run).
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$target"; \
			$(GO) test -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

install:
	$(GO) install -ldflags "$(LDFLAGS)" ./cmd/casebook

# Regenerates the Markdown reference of every command (docs/reference);
# TestReferenceDocsAreCurrent fails when it is stale.
docs:
	$(GO) generate ./cmd/casebook

clean:
	rm -rf bin

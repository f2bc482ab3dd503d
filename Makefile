# conveyor — plain GNU Makefile. `make run` builds and starts it, `make test` runs every test,
# `make check` runs the program's tests under AddressSanitizer + UndefinedBehaviorSanitizer, `make fuzz` runs the
# libFuzzer targets for FUZZ_SECONDS each, `make deb` builds the Debian package. Packagers may set CC, CPPFLAGS,
# CFLAGS, LDFLAGS, PKG_CONFIG, PREFIX, BINDIR, MANDIR, DESTDIR and WERROR=0 (warnings stay warnings).

CC         ?= cc
PKG_CONFIG ?= pkg-config
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
DESTDIR    ?=
BUILD      ?= build
WERROR     ?= 1

# The one place the version is written; debian/changelog and the man pages' .TH lines are checked against it.
VERSION := $(file < VERSION)

PKGS      = ncursesw sqlite3 libcjson vterm
DEB_BUILD = build-essential pkg-config libncurses-dev libsqlite3-dev libcjson-dev libvterm-dev
DEB_PKG   = debhelper dpkg-dev
DEB_TEST  = $(DEB_BUILD) $(DEB_PKG) man-db libcmocka-dev jq sqlite3 tmux python3 git
# clang with libFuzzer and the sanitizer runtimes (libclang-rt-14-dev is only a recommendation of clang), and
# llvm-symbolizer (llvm-14) for readable stack traces.
DEB_FUZZ  = clang libclang-rt-14-dev llvm-14

CFLAGS_BASE = -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra $(if $(filter 0,$(WERROR)),,-Werror) -Isrc -I$(BUILD)/gen
PKG_CFLAGS  = $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS    = $(shell $(PKG_CONFIG) --libs $(PKGS)) -lm
CFLAGS_ALL  = $(CFLAGS_BASE) $(PKG_CFLAGS) $(EXTRA_CFLAGS) $(CPPFLAGS) $(CFLAGS)
LDFLAGS_ALL = -Wl,--as-needed $(EXTRA_LDFLAGS) $(LDFLAGS)

LIB_SRC  = $(wildcard src/util/*.c src/store/*.c src/core/*/*.c src/cli/*.c src/tui/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema_v25.o
BIN      = $(BUILD)/conveyor
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MANPAGES = $(wildcard man/*.1)
# The tests of the program itself; `make check` runs them again under the sanitizers.
PROGRAM_TESTS = unit cli-test tui-test
# What the package build reads: `make deb` copies it under $(BUILD)/deb and runs dpkg-buildpackage on the copy,
# so its results (written next to the source) stay under $(BUILD) and the tree gets no debhelper files.
DEB_SRC   = Makefile VERSION src scripts man debian
DEB_STAGE = $(BUILD)/deb/conveyor-$(VERSION)
# The fuzz targets (tests/fuzz/fuzz_*.c): built with clang into build/fuzz, run FUZZ_SECONDS each by `make fuzz`.
FUZZ_SECONDS ?= 60
FUZZ_BUILD    = build/fuzz
FUZZ_TARGETS  = $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_SAN      = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

.PHONY: all run demo test check test-suite unit cli-test tui-test pkg-test e2e fuzz fuzz-targets deps deps-test \
	install uninstall deb bench clean

# The program, build/conveyor.
all: $(BIN)

# Links the program.
$(BIN): $(BUILD)/obj/src/main.o $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

# Compiles one source file, recording its header dependencies.
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

# cli.c prints the version: it alone gets it as CONVEYOR_VERSION, and is rebuilt when VERSION changes.
$(BUILD)/obj/src/cli/cli.o: VERSION
$(BUILD)/obj/src/cli/cli.o: CFLAGS_ALL += -DCONVEYOR_VERSION='"$(VERSION)"'

# Compiles one generated source file.
$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The reference schema is kept as plain SQL and compiled in as a C string.
$(BUILD)/gen/schema_v25.c: src/store/schema_v25.sql scripts/sql2c.awk
	@mkdir -p $(dir $@)
	awk -v name=schema_v25_sql -f scripts/sql2c.awk $< > $@

# Builds one cmocka unit test program.
$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(shell $(PKG_CONFIG) --cflags cmocka) -DMAN_DIR='"$(CURDIR)/man"' -o $@ $^ \
		$(LDFLAGS_ALL) $(PKG_LIBS) $(shell $(PKG_CONFIG) --libs cmocka)

# Installs (as root) or names the Debian packages the build needs.
deps:
	@scripts/deps.sh $(DEB_BUILD)

# Installs (as root) or names the Debian packages the tests need.
deps-test:
	@scripts/deps.sh $(DEB_TEST)

# Builds the program and starts the cockpit on the default database.
run: deps
	@$(MAKE) --no-print-directory all
	@$(BIN) tui

# Fills .codex-workers/demo.db with the Creative Ops loop, one printed command at a time, then opens the cockpit.
demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(BIN)
	@$(BIN) tui --campaign launch --path .codex-workers/demo.db

# Every test, after making sure the packages they need are installed.
test: deps-test
	@$(MAKE) --no-print-directory test-suite

# The program's tests under AddressSanitizer + UndefinedBehaviorSanitizer (not the .deb: it has no sanitizers).
check: deps-test
	@$(MAKE) --no-print-directory BUILD=build/san \
		EXTRA_CFLAGS='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		EXTRA_LDFLAGS='-fsanitize=address,undefined' $(PROGRAM_TESTS)

# The fuzz targets: the project's objects built with clang, libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer into build/fuzz, seeds made from tests/fixtures, then FUZZ_SECONDS (default 60) per
# target on a scratch corpus under build/fuzz; fails, naming the reproducer, on any crash, leak or timeout.
fuzz:
	@scripts/deps.sh $(DEB_BUILD) $(DEB_FUZZ)
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang EXTRA_CFLAGS='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' \
		EXTRA_LDFLAGS='$(FUZZ_SAN)' fuzz-targets
	@tests/fuzz/seeds.sh $(FUZZ_BUILD)/seeds
	@tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The fuzz target binaries (with BUILD=build/fuzz and the flags `make fuzz` passes).
fuzz-targets: $(FUZZ_TARGETS:%=$(BUILD)/bin/%)

# Links one fuzz target against every project object but main.o.
$(BUILD)/bin/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(LIB_OBJ) $(LDFLAGS_ALL) $(PKG_LIBS)

# Every test; `make test` first makes sure the packages they need are installed.
test-suite: $(PROGRAM_TESTS) pkg-test

# The cmocka unit tests.
unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do echo "== $$t"; $$t || exit 1; done

# The CLI tests (shell + jq + sqlite3).
cli-test: $(BIN)
	@CONVEYOR=$(abspath $(BIN)) tests/cli/run.sh

# The cockpit tests, in a private tmux server.
tui-test: $(BIN)
	@CONVEYOR=$(abspath $(BIN)) tests/tui/run.sh

# The Debian package: builds it with `make deb`, unpacks it and checks the program, man pages and license (TAP).
pkg-test:
	@tests/pkg/t_deb.sh

# The real Codex CLI (installed from the npm registry into a cache outside the repository) against a mock of the
# Responses API; skipped, and says so, only when the registry is unreachable.
e2e: deps-test
	@$(MAKE) --no-print-directory $(BIN)
	@CONVEYOR=$(abspath $(BIN)) tests/e2e/run.sh

# Installs the program, its second name workerctl, the man pages (workerctl(1) is conveyor(1)) and the bash and zsh
# completions, which the program generates from its command table.
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/conveyor
	ln -sf conveyor $(DESTDIR)$(BINDIR)/workerctl
	install -m 0644 $(MANPAGES) $(DESTDIR)$(MANDIR)/man1/
	ln -sf conveyor.1 $(DESTDIR)$(MANDIR)/man1/workerctl.1
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	$(BIN) completion bash > $(DESTDIR)$(BASHCOMPDIR)/conveyor
	ln -sf conveyor $(DESTDIR)$(BASHCOMPDIR)/workerctl
	$(BIN) completion zsh > $(DESTDIR)$(ZSHCOMPDIR)/_conveyor

# Removes what install put there.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/conveyor $(DESTDIR)$(BINDIR)/workerctl
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MANPAGES)) workerctl.1)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/conveyor $(DESTDIR)$(BASHCOMPDIR)/workerctl $(DESTDIR)$(ZSHCOMPDIR)/_conveyor

# Builds $(BUILD)/conveyor_VERSION_ARCH.deb with dpkg-buildpackage on a copy of the tree under $(BUILD)/deb, with
# a clean MAKEFLAGS so the package is built the same however make was called.
deb:
	@scripts/deps.sh $(DEB_BUILD) $(DEB_PKG)
	rm -rf $(BUILD)/deb
	mkdir -p $(DEB_STAGE)
	cp -R $(DEB_SRC) $(DEB_STAGE)/
	cd $(DEB_STAGE) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL dpkg-buildpackage -us -uc -b
	mv $(BUILD)/deb/conveyor_$(VERSION)_$$(dpkg --print-architecture).deb $(BUILD)/
	rm -rf $(BUILD)/deb

# Runs the benchmarks (see docs/performance.md).
bench: $(BIN)
	@bench/campaign.sh $(abspath $(BIN))
	@bench/observe.sh $(abspath $(BIN))
	@bench/vt.sh
	@bench/tui.sh $(abspath $(BIN))
	@bench/dispatch.sh $(abspath $(BIN))

# Removes every build output.
clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

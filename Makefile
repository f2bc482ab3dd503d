# conveyor — plain GNU Makefile. `make run` builds and starts it, `make test` runs every test,
# `make check` runs the suite under AddressSanitizer + UndefinedBehaviorSanitizer.

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build

PKGS      = ncursesw sqlite3 libcjson vterm
DEB_BUILD = build-essential pkg-config libncurses-dev libsqlite3-dev libcjson-dev libvterm-dev
DEB_TEST  = $(DEB_BUILD) libcmocka-dev jq sqlite3 tmux python3 git

CFLAGS_BASE = -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -Isrc -I$(BUILD)/gen
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS    = $(shell pkg-config --libs $(PKGS)) -lm
CFLAGS_ALL  = $(CFLAGS_BASE) $(PKG_CFLAGS) $(EXTRA_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = -Wl,--as-needed $(EXTRA_LDFLAGS) $(LDFLAGS)

LIB_SRC  = $(wildcard src/util/*.c src/store/*.c src/core/*/*.c src/cli/*.c src/tui/*.c)
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema_v25.o
BIN      = $(BUILD)/conveyor
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
MANPAGES = $(wildcard man/*.1)

.PHONY: all run demo test check test-suite unit cli-test tui-test e2e deps deps-test install uninstall bench clean

all: $(BIN)

$(BIN): $(BUILD)/obj/src/main.o $(LIB_OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

# The reference schema is kept as plain SQL and compiled in as a C string.
$(BUILD)/gen/schema_v25.c: src/store/schema_v25.sql scripts/sql2c.awk
	@mkdir -p $(dir $@)
	awk -v name=schema_v25_sql -f scripts/sql2c.awk $< > $@

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(shell pkg-config --cflags cmocka) -DMAN_DIR='"$(CURDIR)/man"' -o $@ $^ \
		$(LDFLAGS_ALL) $(PKG_LIBS) $(shell pkg-config --libs cmocka)

deps:
	@scripts/deps.sh $(DEB_BUILD)

deps-test:
	@scripts/deps.sh $(DEB_TEST)

run: deps
	@$(MAKE) --no-print-directory all
	@$(BIN) tui

# Fills .codex-workers/demo.db with the Creative Ops loop, one printed command at a time, then opens the cockpit.
demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(BIN)
	@$(BIN) tui --campaign launch --path .codex-workers/demo.db

test: deps-test
	@$(MAKE) --no-print-directory test-suite

check: deps-test
	@$(MAKE) --no-print-directory BUILD=build/san \
		EXTRA_CFLAGS='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		EXTRA_LDFLAGS='-fsanitize=address,undefined' test-suite

test-suite: unit cli-test tui-test

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do echo "== $$t"; $$t || exit 1; done

cli-test: $(BIN)
	@CONVEYOR=$(abspath $(BIN)) tests/cli/run.sh

tui-test: $(BIN)
	@CONVEYOR=$(abspath $(BIN)) tests/tui/run.sh

# The real Codex CLI (installed from the npm registry into a cache outside the repository) against a mock of the
# Responses API; skipped, and says so, only when the registry is unreachable.
e2e: deps-test
	@$(MAKE) --no-print-directory $(BIN)
	@CONVEYOR=$(abspath $(BIN)) tests/e2e/run.sh

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/conveyor
	ln -sf conveyor $(DESTDIR)$(PREFIX)/bin/workerctl
	install -m 0644 $(MANPAGES) $(DESTDIR)$(PREFIX)/share/man/man1/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/conveyor $(DESTDIR)$(PREFIX)/bin/workerctl
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/share/man/man1/,$(notdir $(MANPAGES)))

bench: $(BIN)
	@bench/campaign.sh $(abspath $(BIN))
	@bench/observe.sh $(abspath $(BIN))
	@bench/vt.sh
	@bench/tui.sh $(abspath $(BIN))
	@bench/dispatch.sh $(abspath $(BIN))

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

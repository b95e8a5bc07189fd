# sdei-vmcore - plain Makefile, strict by default (STYLE.md §13).
#   make            build the CLI and the fixture generator
#   make check      run the whole test suite (tests/run)
#   make SANITIZE=1 build with ASan+UBSan into build/san
#   make WERROR=1   turn warnings into errors (CI does)
#   make bench      measure cost against eu-readelf -n (tests/bench)
#   make fuzz       run the libFuzzer harnesses (clang)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CRASH_EXTDIR ?= /usr/lib/crash/extensions
CRASH_INCLUDE ?= /usr/include/crash

CC ?= cc
PKGS := libkdumpfile libaddrxlat libelf libdw zlib json-c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wmissing-prototypes \
	-Wstrict-prototypes -Wimplicit-fallthrough -Wvla -Wno-format-nonliteral
CFLAGS ?= -O2 -g
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo 0.1)
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -DSDEI_VERSION='"$(VERSION)"' -Iinclude -Isrc/lib $(WARN) $(CFLAGS) \
	$(PKG_CFLAGS)
ifeq ($(WERROR),1)
ALL_CFLAGS += -Werror
endif

ifeq ($(SANITIZE),1)
BUILD ?= build/san
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
ALL_CFLAGS += $(SAN)
LDFLAGS += $(SAN)
else
BUILD ?= build
endif

LIB_SRC := $(wildcard src/lib/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
GEN_SRC := $(wildcard tests/gen/*.c)
UNIT_SRC := $(wildcard tests/unit/*.c)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
GEN_OBJ := $(GEN_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)

LIBA := $(BUILD)/libsdei-vmcore.a
CLI := $(BUILD)/sdei-vmcore
GEN := $(BUILD)/mkvmcore

.PHONY: all check bench fuzz install clean deps plugins demo fixture

all: $(CLI) $(GEN) $(UNIT_BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(CLI): $(CLI_OBJ) $(LIBA)
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIBA) $(PKG_LIBS)

$(GEN): $(GEN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $(GEN_OBJ) $(PKG_LIBS) -lm

$(BUILD)/unit/%: tests/unit/%.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(PKG_LIBS)

# The README's test command. It installs what it needs first.
check:
	@scripts/install-deps --quiet
	@$(MAKE) --no-print-directory all >/dev/null
	@tests/run $(BUILD)

# The README's first command: the real (cut-down) 6.1 dump in fixtures/.
# It exits 1 by design: CPU 3 of that machine never stopped.
demo:
	@scripts/install-deps --quiet
	@$(MAKE) --no-print-directory $(CLI) >/dev/null
	$(CLI) check --system-map fixtures/System.map-6.1.0-50-cloud-arm64 \
		fixtures/vmcore-stuck-6.1.elf || [ $$? -eq 1 ]

$(BUILD)/vmcore-extract: tests/tools/vmcore-extract.c
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(PKG_LIBS)

# Re-cut fixtures/ from ../shared/realcores (tests/tools/make-fixture).
fixture: $(CLI) $(BUILD)/vmcore-extract
	tests/tools/make-fixture $(BUILD)

bench: all
	@tests/bench $(BUILD)

fuzz:
	@tests/fuzz/run $(FUZZ_SECONDS)

# The crash extension (plugins/crash, man/sdei-vmcore-crash.1): one .so
# for the host's crash and one for Debian's arm64 crash 8.0.2 (run under
# qemu-aarch64-static by tests/crash), both against crash's installed
# defs.h (Debian package crash): its struct layouts are the ABI. The
# library files it links need neither libkdumpfile nor libelf/libdw;
# json-c comes from the host, and for arm64 from the sysroot that
# scripts/crash-sysroot builds (libjson-c5:arm64 is shipped there).
CROSS_CC ?= aarch64-linux-gnu-gcc
CRASH_SYSROOT ?= tests/cache/crash-sysroot
PLUGIN_LIB := analyze arm64 error printk prstatus report print-common \
	print-json print-text print-junit stack symtab vmcoreinfo dump \
	dump-elf dump-kdump
PLUGIN_SRC := plugins/crash/sdei-vmcore.c $(PLUGIN_LIB:%=src/lib/%.c)
PLUGIN_CFLAGS := -std=gnu11 -D_GNU_SOURCE -DSDEI_VERSION='"$(VERSION)"' \
	-Iinclude -Isrc/lib -isystem $(CRASH_INCLUDE) $(WARN) $(CFLAGS) \
	-fPIC -fvisibility=hidden
ifeq ($(WERROR),1)
PLUGIN_CFLAGS += -Werror
endif
PLUGIN_HOST := build/plugins/host/sdei-vmcore.so
PLUGIN_ARM64 := build/plugins/arm64/sdei-vmcore.so
PLUGIN_HOST_OBJ := $(PLUGIN_SRC:%.c=build/plugins/host/obj/%.o)
PLUGIN_ARM64_OBJ := $(PLUGIN_SRC:%.c=build/plugins/arm64/obj/%.o)

plugins: $(PLUGIN_HOST) $(PLUGIN_ARM64)

$(CRASH_INCLUDE)/defs.h:
	@echo "make plugins: '$@' is missing: install Debian's crash package (scripts/install-deps --crash)" >&2
	@false

build/plugins/host/obj/%.o: %.c $(CRASH_INCLUDE)/defs.h
	@mkdir -p $(dir $@)
	$(CC) $(PLUGIN_CFLAGS) $(shell pkg-config --cflags json-c) -MMD -MP -c -o $@ $<

# No $(LDFLAGS): a SANITIZE=1 run must not link the ASan runtime into an
# extension that crash (not built with it) will dlopen.
$(PLUGIN_HOST): $(PLUGIN_HOST_OBJ)
	$(CC) -shared -fPIC -o $@ $^ $(shell pkg-config --libs json-c)

build/plugins/arm64/obj/%.o: %.c $(CRASH_INCLUDE)/defs.h
	@mkdir -p $(dir $@)
	@[ -f $(CRASH_SYSROOT)/usr/include/json-c/json.h ] || { \
		echo "make plugins: no json-c in '$(CRASH_SYSROOT)': run scripts/crash-sysroot $(CRASH_SYSROOT)" >&2; \
		exit 1; }
	$(CROSS_CC) -DARM64 $(PLUGIN_CFLAGS) -isystem $(CRASH_SYSROOT)/usr/include -MMD -MP -c -o $@ $<

$(PLUGIN_ARM64): $(PLUGIN_ARM64_OBJ)
	$(CROSS_CC) -shared -fPIC -o $@ $^ \
		-L$(CRASH_SYSROOT)/usr/lib/aarch64-linux-gnu -ljson-c

install: $(CLI) $(if $(wildcard $(CRASH_INCLUDE)/defs.h),$(PLUGIN_HOST))
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/sdei-vmcore
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
ifneq ($(wildcard $(CRASH_INCLUDE)/defs.h),)
	install -d $(DESTDIR)$(CRASH_EXTDIR)
	install -m 755 $(PLUGIN_HOST) $(DESTDIR)$(CRASH_EXTDIR)/sdei-vmcore.so
endif

clean:
	rm -rf build

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(GEN_OBJ:.o=.d)
-include $(PLUGIN_HOST_OBJ:.o=.d) $(PLUGIN_ARM64_OBJ:.o=.d)

# nfkit: plain Makefile.  `make` builds build/nfkit, build/libnfkit.a and
# build/libnfkit.so.  See README.md for the other targets.
CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
VERSION := 0.2.0

WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS  ?= -O2 -g
BASEFLAGS := -std=gnu11 $(WARN) -Iinclude -Isrc -fvisibility=hidden -D_GNU_SOURCE -DNFK_VERSION='"$(VERSION)"'
LDFLAGS ?=
BUILD   ?= build

LIB_SRC := $(sort $(wildcard src/nl/*.c src/obj/*.c src/obj/expr/*.c src/state/*.c src/lang/*.c src/api/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
PIC_OBJ := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
HDRS    := $(wildcard include/nfkit/*.h src/*/*.h src/*/*/*.h)

all: $(BUILD)/nfkit $(BUILD)/libnfkit.a $(BUILD)/libnfkit.so $(BUILD)/nfkit.pc

$(BUILD)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/pic/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(CFLAGS) -fPIC -c -o $@ $<

$(BUILD)/libnfkit.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libnfkit.so: $(PIC_OBJ) src/libnfkit.map
	$(CC) -shared -Wl,-soname,libnfkit.so.0 -Wl,--version-script=src/libnfkit.map $(CFLAGS) $(LDFLAGS) -o $@ $(PIC_OBJ)

$(BUILD)/nfkit: $(CLI_OBJ) $(BUILD)/libnfkit.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libnfkit.a

$(BUILD)/nfkit.pc: nfkit.pc.in
	@mkdir -p $(BUILD)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libnfkit.a
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libnfkit.a

# Conformance runners: tests/conformance/conf-*.c, each linked with the
# shared corpus reader (corpus.c).
CONF_SRC := $(sort $(wildcard tests/conformance/conf-*.c))
CONF_BIN := $(CONF_SRC:tests/conformance/%.c=$(BUILD)/%)
$(BUILD)/conf-%: tests/conformance/conf-%.c tests/conformance/corpus.c tests/conformance/corpus.h $(BUILD)/libnfkit.a
	$(CC) $(BASEFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< tests/conformance/corpus.c $(BUILD)/libnfkit.a

# Kernel tests written in C: run by tests/run-all.sh inside `unshare -n`.
KTEST_SRC := $(sort $(wildcard tests/kernel/*.c))
KTEST_BIN := $(KTEST_SRC:tests/kernel/%.c=$(BUILD)/ktests/%)
$(BUILD)/ktests/%: tests/kernel/%.c $(BUILD)/libnfkit.a
	@mkdir -p $(dir $@)
	$(CC) $(BASEFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libnfkit.a

$(BUILD)/examples/%: examples/%.c $(BUILD)/libnfkit.a
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -Wall -Wextra -Iinclude $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libnfkit.a

unit: $(UNIT_BIN)

testbins: unit $(CONF_BIN) $(KTEST_BIN) $(BUILD)/examples/seed000

# make check: unit, conformance and kernel tests; installs the nft oracle
# when it is missing and we are root.
check: all testbins static
	@BUILD=$(BUILD) sh tests/run-all.sh

demo: all
	@sh examples/demo.sh $(BUILD)/nfkit

# nfkit against nft at scale (bench/run.sh; sizes via BENCH_N_*).
bench: all
	sh bench/run.sh
.PHONY: bench

# ASan + UBSan, no recovery: CI runs `make asan check`-equivalent.
asan:
	$(MAKE) BUILD=build-asan CC=$(CC) CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
		LDFLAGS="-fsanitize=address,undefined" all testbins

check-asan: asan
	@BUILD=build-asan sh tests/run-all.sh

static:
	$(MAKE) BUILD=build-static LDFLAGS="-static" build-static/nfkit
	@mkdir -p $(BUILD) && cp build-static/nfkit $(BUILD)/nfkit-static

valgrind: all unit
	@for t in $(UNIT_BIN); do valgrind -q --error-exitcode=1 --leak-check=full $$t || exit 1; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/nfkit $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 0755 $(BUILD)/nfkit $(DESTDIR)$(PREFIX)/bin/nfkit
	install -m 0644 $(BUILD)/libnfkit.a $(DESTDIR)$(PREFIX)/lib/libnfkit.a
	install -m 0755 $(BUILD)/libnfkit.so $(DESTDIR)$(PREFIX)/lib/libnfkit.so.0
	ln -sf libnfkit.so.0 $(DESTDIR)$(PREFIX)/lib/libnfkit.so
	install -m 0644 include/nfkit/*.h $(DESTDIR)$(PREFIX)/include/nfkit/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' nfkit.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/nfkit.pc

clean:
	rm -rf build build-asan build-static build-clang

.PHONY: all unit testbins check demo asan check-asan static valgrind install clean

# libFuzzer targets (clang): build/fuzz/fuzz_parse, build/fuzz/fuzz_netlink.
FUZZ_SRC := $(sort $(wildcard fuzz/*.c))
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
fuzz:
	@mkdir -p build/fuzz
	@for f in $(FUZZ_SRC); do \
		echo "  FUZZ $$f"; \
		clang $(BASEFLAGS) $(FUZZ_FLAGS) -o build/fuzz/$$(basename $$f .c) $$f $(LIB_SRC) || exit 1; \
	done
.PHONY: fuzz

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
	rm -rf build build-asan build-static build-clang $(FUZZ_BUILD)

.PHONY: all unit testbins check demo asan check-asan static valgrind install clean

# libFuzzer targets (clang, ASan + UBSan): fuzz/fuzz_*.c, linked with the
# library built instrumented in $(FUZZ_BUILD)/.  fuzz-smoke replays
# fuzz/regress/ and runs each target FUZZ_SECONDS (default 90) on the seed
# corpus, failing on any finding; fuzz is the same for long runs (default
# 3600 s each).  The seeds: fuzz/corpus/ (committed), and what fuzz-seeds
# generates from it, tests/data and examples (fuzz/mkseeds.c: the texts,
# and their compiled batches as netlink messages).  fuzz-corpus rebuilds
# fuzz/corpus/parse from those and the conformance corpus, minimized.
# See fuzz/README.
FUZZ_BUILD ?= build-fuzz
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(FUZZ_BUILD)/fuzz/%)
FUZZ_CORPUS ?= $(firstword $(wildcard ../shared/conformance/dev.jsonl /work/shared/conformance/dev.jsonl))
FUZZ_TEXTS = $(wildcard fuzz/corpus/parse/*) tests/data/*.nft examples/*.nft

# The sub-make knows the objects' dependencies; the targets relink only
# when the library changed.
ifneq ($(BUILD),$(FUZZ_BUILD))
$(FUZZ_BUILD)/libnfkit.a: FORCE
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SAN)" $(FUZZ_BUILD)/libnfkit.a
endif
FORCE:

$(FUZZ_BUILD)/fuzz/%: fuzz/%.c $(FUZZ_BUILD)/libnfkit.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(BASEFLAGS) -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< $(FUZZ_BUILD)/libnfkit.a

$(FUZZ_BUILD)/mkseeds: fuzz/mkseeds.c tests/conformance/corpus.c $(FUZZ_BUILD)/libnfkit.a
	$(FUZZ_CC) $(BASEFLAGS) -O1 -g $(FUZZ_SAN) -o $@ $< tests/conformance/corpus.c $(FUZZ_BUILD)/libnfkit.a

fuzz-build: $(FUZZ_BIN) $(FUZZ_BUILD)/mkseeds

fuzz-seeds: $(FUZZ_BUILD)/mkseeds
	@rm -rf $(FUZZ_BUILD)/seeds
	@mkdir -p $(FUZZ_BUILD)/seeds/parse $(FUZZ_BUILD)/seeds/netlink
	@$(FUZZ_BUILD)/mkseeds $(FUZZ_BUILD)/seeds/parse $(FUZZ_BUILD)/seeds/netlink \
		tests/data/*.nft examples/*.nft
	@$(FUZZ_BUILD)/mkseeds "" $(FUZZ_BUILD)/seeds/netlink $(wildcard fuzz/corpus/parse/*)

fuzz-smoke: fuzz-build fuzz-seeds
	@sh fuzz/run.sh $(FUZZ_BUILD) $(or $(FUZZ_SECONDS),90)

fuzz: fuzz-build fuzz-seeds
	@sh fuzz/run.sh $(FUZZ_BUILD) $(or $(FUZZ_SECONDS),3600)

# Maintainers: fuzz/corpus/parse rebuilt from every text seed (with the
# conformance corpus's records when found), minimized by coverage.
fuzz-corpus: fuzz-build
	rm -rf $(FUZZ_BUILD)/all-seeds $(FUZZ_BUILD)/corpus-parse.new
	mkdir -p $(FUZZ_BUILD)/all-seeds $(FUZZ_BUILD)/corpus-parse.new
	$(FUZZ_BUILD)/mkseeds $(FUZZ_BUILD)/all-seeds "" \
		$(if $(FUZZ_CORPUS),--jsonl $(FUZZ_CORPUS)) $(FUZZ_TEXTS)
	$(FUZZ_BUILD)/fuzz/fuzz_parse -merge=1 -max_len=65536 $(FUZZ_BUILD)/corpus-parse.new \
		$(FUZZ_BUILD)/all-seeds
	rm -rf fuzz/corpus/parse && mkdir -p fuzz/corpus && mv $(FUZZ_BUILD)/corpus-parse.new fuzz/corpus/parse

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-seeds fuzz-corpus FORCE

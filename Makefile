# Thin wrapper around Meson/Ninja giving the README's commands.
BUILD ?= build
ASAN ?= build-asan
FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 60
CHECK_FUZZ_SECONDS ?= 15

.PHONY: all deps test-deps check demo bench bench-many fuzz clean

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD)

# the whole program under AddressSanitizer and UndefinedBehaviorSanitizer
$(ASAN)/build.ninja:
	meson setup $(ASAN) -Db_sanitize=address,undefined -Db_lundef=false

# libFuzzer targets: clang, with the same sanitizers
$(FUZZ)/build.ninja:
	CC=clang meson setup $(FUZZ) -Dfuzz=true -Db_sanitize=address,undefined \
		-Db_lundef=false

# Every test on the normal build and on the sanitizer build, then each
# fuzzer for a short budget; one closing line counts them all.
check: all test-deps $(ASAN)/build.ninja $(FUZZ)/build.ninja
	ninja -C $(ASAN)
	ninja -C $(FUZZ)
	@FUZZ_BUILD=$(FUZZ) FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) \
		tests/run.sh $(BUILD) $(ASAN)

fuzz: deps test-deps $(FUZZ)/build.ninja
	ninja -C $(FUZZ)
	@tests/fuzz/run.sh $(FUZZ) $(FUZZ_SECONDS)

demo: all test-deps
	@tests/net/demo.sh $(BUILD)

bench: all test-deps
	@bench/run.sh $(BUILD)

bench-many: all test-deps
	@bench/many.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)

# Thin wrapper around Meson/Ninja giving the README's commands.
BUILD ?= build

.PHONY: all deps test-deps check demo bench clean

all: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD)

check: all test-deps
	@tests/run.sh $(BUILD)

demo: all test-deps
	@tests/net/demo.sh $(BUILD)

bench: all test-deps
	@bench/run.sh $(BUILD)

clean:
	rm -rf $(BUILD)

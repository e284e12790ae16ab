# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint bench fuzz clean

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	@mkdir -p build/demo
	$(BIN)/dedup clean --alt --verbose samples/ --exclude expected --exclude README.md -o build/demo --report build/demo/report.html
	@echo "cleaned files and report.html are in build/demo/"

test: install
	$(BIN)/python -m pytest

# Speed and quality beside the baselines; writes bench/results.md and bench/results.json.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench.run

# Coverage-guided fuzzing of the decoder and parsers (20 minutes); crashes land in
# fuzz/crashes/ and belong in tests/data/fuzz/ once fixed.
fuzz: install
	$(BIN)/python -m pip install --quiet -e '.[dev,fuzz]'
	@mkdir -p fuzz/corpus fuzz/crashes
	cd fuzz/crashes && ../../$(BIN)/python ../fuzz_inputs.py ../corpus ../seeds ../../samples \
		-max_total_time=1200 -max_len=4096 -rss_limit_mb=4096

lint: install
	$(BIN)/ruff check dedup tests bench

clean:
	rm -rf build .pytest_cache

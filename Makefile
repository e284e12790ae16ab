# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Everything ruff checks and formats; mypy's own list is `files` in pyproject.toml.
SOURCES := dedup tests bench fuzz
# One worker per core; tests marked xdist_group share a worker (loadgroup).
PYTEST_WORKERS ?= auto

.PHONY: install demo test lint format bench bench-corpus fuzz clean

install: $(STAMP)

$(STAMP): pyproject.toml setup.py dedup/_core.pyx dedup/_walk.pyx dedup/_kernels.h dedup/_foldgen.py \
		dedup/match/normalize.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: install
	@mkdir -p build/demo
	$(BIN)/dedup clean --alt --verbose samples/ --exclude expected --exclude README.md -o build/demo --report build/demo/report.html
	@echo "cleaned files and report.html are in build/demo/"

# Every test on the compiled core (where it is built), then the matching's tests again on
# its pure-Python twin (DEDUP_PURE), which must give the same results.
PURE_TESTS := tests/match tests/test_properties.py tests/test_samples.py tests/test_core.py \
	tests/test_probes.py tests/test_corpus.py

test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup
	DEDUP_PURE=1 $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PURE_TESTS)

# Speed and quality beside the baselines; writes bench/results.md and bench/results.json.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench.run

# Corpus mode at a million and ten million paragraphs (about 20 minutes on 2 cores), its
# rows put into bench/results.md beside make bench's.
bench-corpus: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench.run --corpus-only --corpus-sizes 1000000,10000000

# Coverage-guided fuzzing of the decoder and parsers (20 minutes); crashes land in
# fuzz/crashes/ and belong in tests/data/fuzz/ once fixed.
fuzz: install
	$(BIN)/python -m pip install --quiet -e '.[dev,fuzz]'
	@mkdir -p fuzz/corpus fuzz/crashes
	cd fuzz/crashes && ../../$(BIN)/python ../fuzz_inputs.py ../corpus ../seeds ../../samples \
		-max_total_time=1200 -max_len=4096 -rss_limit_mb=4096

# All three checks run even when one fails, so that one run shows every problem.
lint: install
	@status=0; \
	echo "$(BIN)/ruff check $(SOURCES)"; $(BIN)/ruff check $(SOURCES) || status=1; \
	echo "$(BIN)/ruff format --check $(SOURCES)"; $(BIN)/ruff format --check $(SOURCES) || status=1; \
	echo "$(BIN)/mypy"; $(BIN)/mypy || status=1; \
	exit $$status

# Rewrites files: the lint fixes ruff can make on its own (what it cannot fix is listed and
# left to `make lint`), then the formatting, last since a fix may leave lines to reflow.
format: install
	$(BIN)/ruff check --fix --exit-zero $(SOURCES)
	$(BIN)/ruff format $(SOURCES)

clean:
	rm -rf build .pytest_cache .mypy_cache .ruff_cache

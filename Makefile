# Everything a developer or CI needs, from a fresh clone.
#
#   make run    set up, create the schema, seed the demo and serve the API
#               and a compute host in one process (embedded defaults)
#   make test   set up and run the whole test suite
#   make bench  set up and run the benchmarks

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONFIG ?= etc/cyclades.conf

.PHONY: run test bench venv test-venv config clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg requirements.txt
	$(BIN)/pip install --quiet -r requirements.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed test-requirements.txt
	$(BIN)/pip install --quiet -r test-requirements.txt
	touch $@

venv: $(VENV)/.installed

test-venv: $(VENV)/.installed-test

run: venv
	$(BIN)/cyclades-manage --config-file $(CONFIG) db sync
	@$(BIN)/cyclades-manage --config-file $(CONFIG) demo > .demo.env
	@cat .demo.env
	@. ./.demo.env; echo; echo "Try, from another shell:"; \
	  echo "  curl -s -H 'X-Auth-Token: $$OS_TOKEN' $$OS_COMPUTE_URL/servers"; \
	  echo
	$(BIN)/cyclades-all --config-file $(CONFIG)

test: test-venv
	$(BIN)/python tools/run_tests.py

# Options go through BENCH_ARGS, e.g. BENCH_ARGS="--setups embedded".
bench: test-venv
	$(BIN)/python bench/api_bench.py $(BENCH_ARGS)

# Regenerates etc/cyclades.conf from the registered options.
config: venv
	$(BIN)/oslo-config-generator \
	    --config-file etc/cyclades-config-generator.conf

clean:
	rm -rf $(VENV) .stestr build *.egg-info

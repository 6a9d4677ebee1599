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

.PHONY: run test bench venv test-venv kamaki-venv config clean

# kamaki, a client the tests run, needs Python 2.7; without one its
# tests skip.
PYTHON27 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/2.7.18/bin/python) \
                        $(shell command -v python2.7 2>/dev/null))
KAMAKI_VENV ?= .venv-py27

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

$(KAMAKI_VENV)/.installed: tests/py27-requirements.txt \
		| $(VENV)/.installed-test
	rm -rf $(KAMAKI_VENV)
	$(BIN)/python -m virtualenv --quiet --python $(PYTHON27) $(KAMAKI_VENV)
	$(KAMAKI_VENV)/bin/pip install --quiet --no-python-version-warning \
	    --disable-pip-version-check -r tests/py27-requirements.txt
	touch $@

kamaki-venv: $(if $(PYTHON27),$(KAMAKI_VENV)/.installed)

run: venv
	$(BIN)/cyclades-manage --config-file $(CONFIG) db sync
	@$(BIN)/cyclades-manage --config-file $(CONFIG) demo > .demo.env
	@cat .demo.env
	@. ./.demo.env; echo; echo "Try, from another shell:"; \
	  echo "  curl -s -H 'X-Auth-Token: $$OS_TOKEN' $$OS_COMPUTE_URL/servers"; \
	  echo
	$(BIN)/cyclades-all --config-file $(CONFIG)

test: test-venv kamaki-venv
	$(BIN)/python tools/run_tests.py

# Options go through BENCH_ARGS, e.g. BENCH_ARGS="--setups embedded".
bench: test-venv
	$(BIN)/python bench/api_bench.py $(BENCH_ARGS)

# Regenerates etc/cyclades.conf from the registered options.
config: venv
	$(BIN)/oslo-config-generator \
	    --config-file etc/cyclades-config-generator.conf

clean:
	rm -rf $(VENV) $(KAMAKI_VENV) .stestr build *.egg-info

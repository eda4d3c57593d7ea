# pangea: every developer and CI entry point. `make help` lists them.
PYTHON_BOOT ?= python3
VENV        ?= .venv
PYTHON      := $(VENV)/bin/python
SCHEMA_DIR  ?= ../shared/provider_schema
GROUP       ?= databases
CANDIDATE   ?= $(SCHEMA_DIR)/aws-6.47.0.json

.PHONY: help install example test generate check-generated bench bench-generate diff-schema schema clean

help:
	@echo "make example          install into $(VENV) and synthesize examples/database_infrastructure.py"
	@echo "make test             run the test suite"
	@echo "make generate         regenerate generated/ from the pinned schema ($(SCHEMA_DIR))"
	@echo "make check-generated  fail with a diff if generated/ is stale"
	@echo "make bench            synthesis benchmark against a plain-Python baseline"

$(VENV)/.installed: pyproject.toml
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

example: install
	$(VENV)/bin/pangea synth examples/database_infrastructure.py --out build/example
	@echo "Terraform JSON written under build/example/"

test: install
	$(PYTHON) -m pytest -q

generate: install
	$(PYTHON) -m codegen generate --schema-dir $(SCHEMA_DIR) --group $(GROUP)

check-generated: install
	$(PYTHON) -m codegen generate --schema-dir $(SCHEMA_DIR) --group $(GROUP) --check

bench: install
	$(PYTHON) bench/bench_synth.py

clean:
	rm -rf build .pangea

# pangea: every developer and CI entry point. `make help` lists them.
PYTHON_BOOT ?= python3
VENV        ?= .venv
PYTHON      := $(VENV)/bin/python
SCHEMA_DIR  ?= provider_schema
GROUP       ?= databases
CANDIDATE   ?= ../shared/provider_schema/aws-6.47.0.json
TF          ?= $(shell command -v tofu 2>/dev/null || command -v terraform 2>/dev/null)
VERSION     ?=
# pytest-xdist workers for `make test` (a number, or auto: one per core)
TEST_WORKERS ?= auto

.PHONY: help install example test generate check-generated bench bench-generate diff-schema schema clean

help:
	@echo "make example          install into $(VENV) and synthesize examples/database_infrastructure.py"
	@echo "make test             run the test suite"
	@echo "make generate         regenerate generated/ from the pinned schema ($(SCHEMA_DIR))"
	@echo "make check-generated  fail with a diff if generated/ is stale"
	@echo "make bench            synthesis benchmark against a plain-Python baseline"
	@echo "make bench-generate   generator time and memory: target group and whole provider"

$(VENV)/.installed: pyproject.toml
	$(PYTHON_BOOT) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e '.[dev]'
	touch $@

# Every AWS type outside the committed group, generated from the committed schema (README,
# design notes); rebuilt when the generator, the pin or the schema changes.
SCHEMA_ONLY_INIT := generated/pangea_aws/schema_only/__init__.py
$(SCHEMA_ONLY_INIT): $(VENV)/.installed provider_schema/targets.yaml $(wildcard provider_schema/*.json.xz) $(shell find codegen -name '*.py' -o -name '*.jinja')
	$(PYTHON) -m codegen generate --schema-only
	$(PYTHON) -m compileall -q generated/pangea_aws/schema_only

install: $(VENV)/.installed $(SCHEMA_ONLY_INIT)

example: install
	$(VENV)/bin/pangea list examples/database_infrastructure.py
	$(VENV)/bin/pangea validate examples/database_infrastructure.py
	$(VENV)/bin/pangea synth examples/database_infrastructure.py --out build/example

test: install
	$(PYTHON) -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

generate: install
	$(PYTHON) -m codegen generate --schema-dir $(SCHEMA_DIR) --group $(GROUP)

check-generated: install
	$(PYTHON) -m codegen generate --schema-dir $(SCHEMA_DIR) --group $(GROUP) --check

bench: install
	$(PYTHON) bench/bench_synth.py

bench-generate: install
	SCHEMA_DIR=$(SCHEMA_DIR) $(PYTHON) bench/bench_generate.py

# Refresh a provider schema (needs network and tofu/terraform): make schema VERSION=6.48.0
schema: install
	@test -n "$(VERSION)" || { echo "usage: make schema VERSION=x.y.z [TF=terraform]" >&2; exit 2; }
	@test -n "$(TF)" || { echo "neither tofu nor terraform found; set TF=/path/to/binary" >&2; exit 2; }
	@test ! -e "$(SCHEMA_DIR)/aws-$(VERSION).json" || { echo "$(SCHEMA_DIR)/aws-$(VERSION).json exists; delete it to refresh" >&2; exit 2; }
	rm -rf build/schema-$(VERSION) && mkdir -p build/schema-$(VERSION)
	printf '{"terraform":{"required_providers":{"aws":{"source":"hashicorp/aws","version":"%s"}}}}\n' '$(VERSION)' > build/schema-$(VERSION)/main.tf.json
	cd build/schema-$(VERSION) && $(TF) init -input=false -no-color > init.log && $(TF) providers schema -json > schema.json
	$(PYTHON) -c 'import json, sys; doc = json.load(open(sys.argv[1])); open(sys.argv[2], "w").write(json.dumps(doc, sort_keys=True, separators=(",", ":")))' build/schema-$(VERSION)/schema.json $(SCHEMA_DIR)/aws-$(VERSION).json
	@echo "wrote $(SCHEMA_DIR)/aws-$(VERSION).json (sha256: $$(sha256sum $(SCHEMA_DIR)/aws-$(VERSION).json | cut -d' ' -f1))"

# What a provider bump changes for the targets: make diff-schema CANDIDATE=path/to/aws-X.json
diff-schema: install
	$(PYTHON) -m codegen diff --pinned --schema-dir $(SCHEMA_DIR) $(DIFF_FLAGS) $(CANDIDATE)

clean:
	rm -rf build .pangea

# Two commands do everything on a fresh machine:  `make reproduce`  and  `make test`.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.paperlib-installed
DATA_DIR ?= $(or $(PAPERLIB_DATA_DIR),data)
SCALE ?= smoke
ARGS ?=

.PHONY: install reproduce test nbtest pytest sync bench clean

$(PY):
	python3 -m venv $(VENV)

# torch is installed first and pinned exactly: 2.13.0 is the CPU wheel on disk; another version pulls CUDA wheels.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0 2>&1 | grep -v "is ignored" || true
	$(PY) -m pip install -q --disable-pip-version-check -e ".[dev]" 2>&1 | grep -v "is ignored" || true
	$(PY) -c "import paperlib, torch, transformers, captum, papermill, nbdev; assert torch.__version__.startswith('2.13.0')"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

install: $(STAMP)

reproduce: install
	$(VENV)/bin/paperlib reproduce --scale $(SCALE) $(if $(wildcard $(DATA_DIR)/*/),--data-dir $(DATA_DIR),) $(ARGS)

test: install nbtest pytest

nbtest: install
	cd nbs && HF_HUB_OFFLINE=1 ../$(VENV)/bin/nbdev-test --n-workers 2

pytest: install
	HF_HUB_OFFLINE=1 $(VENV)/bin/pytest -q tests

# notebooks are the source: export the library and strip notebook noise
sync: install
	$(VENV)/bin/nbdev-export && $(VENV)/bin/nbdev-clean

bench: install
	$(PY) benchmarks/bench_core.py
	$(PY) benchmarks/bench_unirex.py

clean:
	rm -rf $(VENV) runs cache

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
	@echo "install 1/4: torch 2.13.0 (CPU wheel, pinned) into $(VENV) ..."
	@$(PY) -m pip install -q --disable-pip-version-check torch==2.13.0 2>&1 | grep -v "is ignored" || true
	@echo "install 2/4: paperlib and its dependencies (transformers, captum, papermill, nbdev, seaborn, ...; a few minutes) ..."
	@$(PY) -m pip install -q --disable-pip-version-check -e ".[dev]" 2>&1 | grep -v "is ignored" || true
	@echo "install 3/4: checking the imports ..."
	@$(PY) -c "import paperlib, torch, transformers, captum, papermill, nbdev; assert torch.__version__.startswith('2.13.0')"
	@echo "install 4/4: the Jupyter kernel papermill runs the notebooks in"
	@$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@
	@echo "installed: $(VENV) (run 'make test' to check it, 'make reproduce' to regenerate the artifacts)"

install: $(STAMP)

# draws the artifacts; at smoke scale it then executes the companion notebooks again (nbs/companions/: they show the committed
# smoke results) and cleans them (nbdev-clean keeps their outputs)
reproduce: install
	$(VENV)/bin/paperlib reproduce --scale $(SCALE) $(if $(wildcard $(DATA_DIR)/*/),--data-dir $(DATA_DIR),) $(ARGS)
	$(if $(filter smoke,$(SCALE)),cd nbs && HF_HUB_OFFLINE=1 $(abspath $(VENV))/bin/nbdev-test --save companions && $(abspath $(VENV))/bin/nbdev-clean --fname companions)

test: install nbtest pytest

nbtest: install
	cd nbs && HF_HUB_OFFLINE=1 ../$(VENV)/bin/nbdev-test --n-workers 2

# two workers, each test file on one of them (module fixtures such as the newcomer's clone are made once per file)
pytest: install
	HF_HUB_OFFLINE=1 $(VENV)/bin/pytest -q -n 2 --dist loadfile tests

# notebooks are the source: export the library and strip notebook noise
sync: install
	$(VENV)/bin/nbdev-export && $(VENV)/bin/nbdev-clean

bench: install
	$(PY) benchmarks/bench_core.py
	$(PY) benchmarks/bench_unirex.py

clean:
	rm -rf $(VENV) runs cache

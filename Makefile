# edi-reports: the README's two commands are `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export GX_ANALYTICS_ENABLED := false
export MPLBACKEND := Agg

.DEFAULT_GOAL := help

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,scale]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@# compiled modules, as pip writes for installed packages: the editable install's own
	@# are otherwise compiled by every new process where PYTHONDONTWRITEBYTECODE is set
	$(BIN)/python -m compileall -q src >/dev/null
	touch $(STAMP)

env: $(STAMP) ## Create .venv and install the package with everything it needs

report: $(STAMP) ## Make demo data, build every demo report and the website
	$(BIN)/edi demo

test: $(STAMP) ## Lint, then run the whole test suite
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/python -m pytest -n 2 --dist loadfile

fast-test: $(STAMP) ## Tests that do not execute notebooks or drive a browser
	$(BIN)/python -m pytest -n 2 -m "not slow and not browser"

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format src tests benchmarks tools
	$(BIN)/ruff check --fix src tests benchmarks tools

WORKERS ?= 2
annual: $(STAMP) ## The scheduled annual build: every org-year that changed, then the website
	$(BIN)/edi build --all --workers $(WORKERS) $(EDI_ARGS); status=$$?; \
	$(BIN)/edi site $(EDI_ARGS) && exit $$status

bench: $(STAMP) ## Run the benchmarks (prints figures; no assertions)
	$(BIN)/python benchmarks/run.py

clean: ## Remove generated data and reports (keeps .venv)
	rm -rf data/processed/* reports/*
	touch data/processed/.gitkeep reports/.gitkeep

.PHONY: help env report test fast-test format annual bench clean

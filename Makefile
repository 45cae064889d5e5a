# Two commands do everything: `make start` and `make test`.
# Both build .venv idempotently from the pinned requirements, offline by default afterwards.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: start test setup docs lab notebooks bench clean

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

setup: $(STAMP)

# A short streamed answer proves the set-up (and names the provider), then your progress.
start: setup
	$(PY) -m coursekit demo
	$(PY) -m coursekit status

# The graded tests check solutions/ here; a student's plain `pytest` checks exercises/.
# nbval runs the English notebooks and compares their committed outputs (notebooks/conftest.py).
test: setup
	$(PY) -m pytest --target=solutions --durations=15 --nbval tests notebooks/en

# Rebuild notebooks/<lang>/<day>.ipynb from the guides and snippets, and run them offline for
# their outputs (about a minute; commit the result).
notebooks: setup
	$(PY) -m coursekit notebooks

# Serve the three-language site on http://127.0.0.1:8001 with live reload (8000 is `coursekit serve`'s).
docs: notebooks
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs serve --dev-addr 127.0.0.1:8001

# JupyterLab on the course's own kernel (the venv), opened on the notebooks.
lab: setup
	$(PY) -m jupyter lab notebooks

bench: setup
	@for script in bench/*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) site .pytest_cache

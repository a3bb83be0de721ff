# make demo / make test / make bench: each creates .venv and installs the pinned
# dependencies (requirements.lock) on first use, so a fresh clone needs nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium
JAVA := /usr/bin/java

.PHONY: demo test lint typecheck pytest bench lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Browser tests drive Debian's Chromium through Playwright (never 'playwright install').
$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

# The Spark engine's tests start a JVM: Debian's headless Java runtime (17 or later).
$(JAVA):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless

demo: $(STAMP)
	$(BIN)/aban demo aban-demo

test: $(STAMP) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check aban tests bench
	$(BIN)/ruff format --check aban tests bench
	$(BIN)/codespell aban tests docs README.md CHANGELOG.md
	$(BIN)/cog --check docs/cli.md docs/issues.md docs/settings.md docs/import.md

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(CHROMIUM) $(JAVA)
	$(BIN)/pytest -q -p no:cacheprovider -n 2 --dist loadfile --no-loadscope-reorder

bench: $(STAMP) $(CHROMIUM)
	$(BIN)/python -m bench

# Re-resolve the pinned dependencies (needs uv in the venv: pip install uv).
lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock --python-version 3.11
	$(BIN)/uv pip compile pyproject.toml -o requirements-core.lock --python-version 3.11

clean:
	rm -rf $(VENV) aban-demo .mypy_cache .ruff_cache

# Mulik — two commands on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: run test test-fast test-twice lint bench chromium system-run system-test clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

HOST ?= 127.0.0.1
PORT ?= 5000
run: $(STAMP) system-run  # make run PORT=8080: another port; each request is logged
	$(BIN)/mulik run --host $(HOST) --port $(PORT) --access-log

# Debian packages pip cannot provide, installed when missing (apt-get update once, then install):
# pango and harfbuzz-subset for WeasyPrint (every document; without the latter it warns, an error under pytest), poppler-utils' pdftotext for the document tests,
# chromium for the browser tests (never a downloaded browser).
APT_ENSURE = missing=""; for pkg in $(1); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; done; \
	[ -z "$$missing" ] || { echo "installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; }

system-run:
	@$(call APT_ENSURE,libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)

system-test:
	@$(call APT_ENSURE,libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils chromium)

chromium: system-test

# The suite runs in parallel (pytest-xdist; `make test WORKERS=N` to choose): one worker per core and
# one more, since about a third of the suite waits in real time (browsers, servers, soft closes) and
# leaves a core idle. Each worker has its own PostgreSQL database and Redis database
# (tests/conftest.py); its files go on tmpfs where there is one. docs/testing.md has the figures.
WORKERS  ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
TEST_TMP := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo $${TMPDIR:-/tmp})
PYTEST   := TMPDIR=$(TEST_TMP) $(BIN)/python -m pytest -q -n $(WORKERS) --dist loadgroup

# The linter first (line length, import order, pyflakes: [tool.ruff] in pyproject.toml), then the suite.
lint: $(STAMP)
	$(BIN)/ruff check .

test: lint system-test
	@start=$$(date +%s); $(PYTEST); rc=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s for the whole suite (exit $$rc)"; exit $$rc

# Two whole suites at once on this machine, each on its own PostgreSQL base: they must not disturb
# each other (logs in test-twice-first.log, test-twice-second.log).
test-twice: $(STAMP) system-test
	TMPDIR=$(TEST_TMP) $(BIN)/python -m tests.twice

# The inner loop, under a minute: the unit tests and the HTTP scenarios of the lifecycle, on SQLite
# only (no PostgreSQL, Redis or browser needed). `make test` stays the whole suite.
test-fast: $(STAMP) system-run
	@start=$$(date +%s); $(PYTEST) tests/unit tests/e2e/test_scenario_before_auction.py \
	  tests/e2e/test_scenario_first_auction.py tests/e2e/test_scenario_auction_paths.py \
	  tests/e2e/test_deadlines_http.py -k "not postgres"; rc=$$?; \
	echo "make test-fast: $$(( $$(date +%s) - start )) s (exit $$rc)"; exit $$rc

bench: $(STAMP)
	$(BIN)/python -m bench

# Page strings (kk, ru, en): extract from the code, merge into each catalogue, compile. Translate the
# new entries in web/translations/*/LC_MESSAGES/*.po, then run it again; tests/unit/test_translations.py
# fails on any entry left untranslated or any .mo older than its .po.
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F web/babel.cfg -k _l --no-location --omit-header -o web/translations/messages.pot web
	$(BIN)/pybabel -q extract -F web/babel-js.cfg -k t --no-location --omit-header -o web/translations/js.pot web
	for d in messages js; do \
	  $(BIN)/pybabel -q update -D $$d -i web/translations/$$d.pot -d web/translations --width 100 --no-fuzzy-matching; \
	  $(BIN)/pybabel -q compile -D $$d -d web/translations --statistics; done

clean:
	rm -rf $(VENV) instance .pytest_cache

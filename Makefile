# Mulik — two commands on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: run test bench chromium clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mulik run --host 127.0.0.1 --port 5000

# Browser tests use Debian's chromium (never a downloaded browser): install it when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

test: $(STAMP) chromium
	$(BIN)/python -m pytest -q

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

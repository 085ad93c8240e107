# Peta Cakupan Jamsostek Garut — set-up, run and test.
# `make run` and `make test` are all a fresh machine needs; both are idempotent
# and skip work already done (stamps in .setup-stamps/, data builds check
# their source fingerprints).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .setup-stamps
PORT ?= 8501

.PHONY: setup run test bench data browser postgres clean messages extract

setup: $(STAMPS)/python $(STAMPS)/npm messages data

# gettext catalogs: core/locale/<lang>/LC_MESSAGES/messages.po (committed) -> .mo (built, git-ignored).
PO_FILES := $(wildcard core/locale/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
messages: $(MO_FILES)

core/locale/%/LC_MESSAGES/messages.mo: core/locale/%/LC_MESSAGES/messages.po $(STAMPS)/python
	$(VENV)/bin/pybabel -q compile --statistics -D messages -l $* -d core/locale

# Developers: list every key the code names literally (t("..."), N_("...")) in messages.pot,
# to compare with the catalogs (tests/test_catalogs.py does so on every run).
extract: $(STAMPS)/python
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k t -k N_ -k Message --no-location --sort-output -o core/locale/messages.pot .

$(STAMPS)/python: requirements.txt
	@mkdir -p $(STAMPS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(STAMPS)/npm: package.json package-lock.json
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# Builds data/boundaries/wilayah_32.05.gpkg, data/sites/ and data/population/ (Dukcapil
# population matched to desa codes) from ../shared/data when missing or stale (fast when current).
data: $(STAMPS)/python messages
	$(PY) -m analysis boundaries --region 32.05 --check > /dev/null
	$(PY) -m analysis sites > /dev/null
	$(PY) -m analysis denominator --source s1 > /dev/null
	$(PY) -m analysis denominator --source s2 > /dev/null

# Debian Chromium for the browser tests (needs root; skipped when present).
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian chromium for browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "Chromium missing: run 'sudo apt-get install chromium chromium-driver'"; exit 1; fi; \
	fi

# PostgreSQL server binaries for the shared-store tests (Debian's postgresql; the tests start their own server).
postgres:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian postgresql for the shared-store tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  else echo "PostgreSQL missing: run 'sudo apt-get install postgresql'"; exit 1; fi; \
	fi

# The first run on an empty app database makes the admin account and prints its one-time password once.
run: setup
	@if [ "$${PETA_AUTH:-on}" != off ]; then $(PY) -m analysis users init; fi
	$(PY) -m streamlit run streamlit_app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

test: setup browser postgres
	$(PY) -m pytest

bench: setup
	$(PY) -m analysis bench

clean:
	rm -rf $(STAMPS) data/boundaries tests/artifacts $(MO_FILES)

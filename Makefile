# `make run` and `make test` work on a fresh clone: both set up .venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test audit lint index eval bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Without TELEGRAM_BOT_TOKEN: a terminal chat (questions on stdin). With it: the Telegram bot.
run: setup
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ] || grep -qsE '^TELEGRAM_BOT_TOKEN=.+' .env; then \
		$(BIN)/tracuu serve; \
	else \
		$(BIN)/tracuu chat; \
	fi

test: setup
	$(BIN)/ruff check .
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q

# known vulnerabilities in the installed dependencies fail; an unreachable vulnerability service only warns
audit: setup
	$(BIN)/python .ci/audit.py

index: setup
	$(BIN)/tracuu index

eval: setup
	$(BIN)/tracuu eval ../shared/eval/seed_dev.jsonl

bench: setup
	$(BIN)/tracuu bench --passages 10000 100000

clean:
	rm -rf .index .bench

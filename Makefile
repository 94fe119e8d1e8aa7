# `make run` and `make test` work on a fresh clone: both set up .venv first.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# torch's CPU build. PyPI's Linux torch is the multi-GB CUDA build; this index serves `2.13.0+cpu`, which pip
# prefers to PyPI's `2.13.0` for `torch==2.13.0`. Set TORCH_INDEX_URL=https://pypi.org/simple for CUDA.
TORCH_INDEX_URL ?= https://download.pytorch.org/whl/cpu

.PHONY: setup run test audit lock lint typecheck docs index eval bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# CPU build of torch first: then sentence-transformers' torch requirement is already met
	# one retry: where that index is unreachable (offline mirrors) pip would back off five times per package
	$(BIN)/pip install --quiet --retries 1 torch==2.13.0 --extra-index-url $(TORCH_INDEX_URL)
	$(BIN)/pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

# Without TELEGRAM_BOT_TOKEN: a terminal chat (questions on stdin). With it: the Telegram bot. The product's
# settings reader decides, so the environment and .env mean here what they mean to `tracuu serve`.
run: setup
	@if $(BIN)/python -c 'import sys; from tracuu.settings import has_token; sys.exit(not has_token())'; then \
		$(BIN)/tracuu serve; \
	else \
		echo "No TELEGRAM_BOT_TOKEN in .env: asking here in the terminal. Put the bot's token in .env (README) and run make run again for Telegram." >&2; \
		$(BIN)/tracuu chat; \
	fi

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy bot retriever embeddings tracuu

# the documentation site; --strict: a broken link or a setting without a description fails the build
docs: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

test: lint typecheck docs
	HF_HUB_OFFLINE=1 $(BIN)/pytest -q

# pins every installed dependency (torch without its +cpu build tag) for setup's constraints and the audit
lock: setup
	{ sed -n '1,3p' requirements.lock; $(BIN)/pip freeze --exclude-editable | sed -E 's/^(torch==[^+]+)\+.*$$/\1/'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

# known vulnerabilities in the installed dependencies fail; an unreachable vulnerability service only warns
audit: setup
	$(BIN)/python .ci/audit.py

index: setup
	$(BIN)/tracuu index

# the question set is about the bundled news: measured on it and an index of its own, whatever .env's DATA_DIR
eval: setup
	$(BIN)/tracuu eval eval/seed_dev.jsonl --data data --index .index-eval

# benchmarks/ is not shipped: run from a checkout. PASSAGES="10000 100000" for more sizes.
PASSAGES ?= 10000
bench: setup
	$(BIN)/tracuu bench --passages $(PASSAGES)

clean:
	rm -rf .index .index-eval .bench .site

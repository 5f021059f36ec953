# plan-etl: `make run` parses the shipped report, `make test` runs the tests and the linter.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
INPUT  := data/raw/setagaya_plan_r6_progress.txt
OUT    := data/out/$(basename $(notdir $(INPUT)))
GOLD   := ../shared/eval/gold_dev.json
SCORE  := ../shared/eval/score.py

.PHONY: install run test lint eval fit bench fuzz browser clean

install: $(STAMP)
	@:

# reinstall only when the package metadata changes (or the venv is new)
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $@

run: install
	@$(BIN)/plan-etl parse $(INPUT) --out-dir $(OUT)

test: install
	@$(BIN)/pytest -q
	@$(BIN)/ruff check -q src tests tools bench

lint: install
	@$(BIN)/ruff check src tests tools bench

# exit 1 from the parse (an item without a record) still leaves report.json to score; exit 2 stops here
eval: install
	@test -f $(GOLD) || { echo "make eval needs the evaluation kit (answer key, folds) in ../shared/eval/ beside the checkout"; exit 2; }
	@$(BIN)/plan-etl parse $(INPUT) --out-dir $(OUT) --no-corrections || [ $$? -eq 1 ]
	@$(BIN)/python $(SCORE) $(OUT)/report.json $(GOLD)
	@$(BIN)/python tools/cell_errors.py $(OUT)/report.json $(GOLD)
	@$(BIN)/python tools/fit_cut_weights.py --committed

# refit the schedule-cut weights on gold_dev (page-grouped cross-validation) and write them to
# src/plan_etl/parsers/yearly_plan/cut_weights.json, which the parser loads; prints the cross-validated figures
fit: install
	@test -f $(GOLD) || { echo "make fit needs the evaluation kit (answer key, folds) in ../shared/eval/ beside the checkout"; exit 2; }
	@$(BIN)/python tools/fit_cut_weights.py --write

# mutation fuzzing: N seeded mutants each of generated report PDFs and of the report text, parsed by
# the command; prints exit codes, internal errors, max time and memory, and the worst cases' seeds
N ?= 200
SEED ?= 0
fuzz: install
	@$(BIN)/python tools/fuzz.py --n $(N) --seed $(SEED)

# whole-process timings side by side (figures, not tests): our text and PDF parses and a batch
# beside the stack's import floor, pypdfium2's own character read and bare pdfplumber, as ratios,
# with -X importtime; then a text parse step by step, the PDF engines, 1 vs 2 workers. Each prints
# medians and peak RSS. Our modules are compiled first: an editable install has no bytecode, and
# PYTHONDONTWRITEBYTECODE (common in containers) would make every run compile them again.
bench: install
	@$(BIN)/python -m compileall -q src
	@$(BIN)/python bench/side_by_side.py
	@$(BIN)/python bench/text_phases.py
	@$(BIN)/python bench/pdf_engines.py
	@$(BIN)/python bench/batch_workers.py
	@$(BIN)/python bench/hostile.py
	@$(BIN)/python bench/producers.py

# Debian's packages the browser and producer tests need (root and apt): headless Chromium, CJK fonts
# (Noto Sans CJK, printed as Type 3 fonts; IPA, TrueType), LibreOffice Writer and Calc (the workbook
# is opened in it) and Pango (WeasyPrint, from the test extra, needs it). Without them those tests
# skip with the reason (outside CI).
PRODUCERS := chromium fonts-noto-cjk fonts-ipafont libreoffice-writer libreoffice-calc libpango-1.0-0 libpangoft2-1.0-0
browser:
	@missing=$$(for p in $(PRODUCERS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

clean:
	rm -rf $(OUT)

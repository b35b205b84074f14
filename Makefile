# Two commands do all the set-up: `make run` and `make test`.
# Both create .venv/, install the project and fetch the LanguageTool jars once; later runs are quick.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LT_VERSION := $(shell sed -n 's:.*<languagetool.version>\(.*\)</languagetool.version>.*:\1:p' languagetool/pom.xml)
LT_DIR := .cache/languagetool/$(LT_VERSION)
export CLEANER_LANGUAGETOOL_JARS := $(abspath $(LT_DIR))
SEED_INPUTS := $(filter-out %.expected.md %.expected.html seeds/SOURCES.md,$(wildcard seeds/*.txt seeds/*.html seeds/*.md))

.PHONY: run test setup languagetool bench clean-env

run: setup
	$(BIN)/cleaner clean $(SEED_INPUTS)

test: setup
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests (exit 5)" >&2; fi; exit $$rc

setup: $(VENV)/.installed $(LT_DIR)/.complete

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

languagetool: $(LT_DIR)/.complete

$(LT_DIR)/.complete: languagetool/pom.xml
	mkdir -p $(LT_DIR)
	mvn --quiet --batch-mode -f languagetool/pom.xml dependency:copy-dependencies \
	    -DoutputDirectory=$(abspath $(LT_DIR))/jars
	touch $@

bench: setup
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/text_cleanup.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/repair_accuracy.py

clean-env:
	rm -rf $(VENV) .cache

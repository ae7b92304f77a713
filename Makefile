# Assignment 2: CNNs on CIFAR-10 -- every entry point of the kit.
# The README's two commands are `make run` and `make test`; both do all set-up first.

PYTHON_SYS ?= python3
VENV       := .venv
PY         := $(abspath $(VENV))/bin/python
# CIFAR-10 is downloaded once per machine into this cache and linked into each part.
DATA_CACHE ?= $(HOME)/.cache/cs7643-a2
P1 := part1-convnet
P2 := part2-pytorch
DATA_STAMP := $(DATA_CACHE)/cifar-10-batches-py/.verified.json
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help setup data test test-part1 test-part2 test-tools run run-part1 run-part2 bench submission results clean

help:
	@echo "make run         set up, get data, run Part 1's notebook, train Part 2, build the zips"
	@echo "make test        set up, get data, run every test of both parts and the staff tools"
	@echo "make setup       create $(VENV) and install requirements.txt"
	@echo "make data        download and verify CIFAR-10 (once per machine, cache $(DATA_CACHE))"
	@echo "make bench       speed benchmarks on an idle machine; their tables go into the READMEs"
	@echo "make submission  build both parts' Gradescope zips"
	@echo "make starter     the student starter kit (dist/starter/)"
	@echo "make autograder  the Gradescope autograders (dist/autograder_part1.zip, _part2.zip, autograder.zip)"
	@echo "make grade SUBMISSION=x.zip [PART=1|2]  grade one upload locally, as Gradescope would"
	@echo "make report      report_template.pptx and the filled reference report (dist/report/)"
	@echo "make study       run or continue the long-tailed study; make results: its tables and plots"

# ---------------------------------------------------------------- set-up
# The stamp records requirements.txt's hash, so editing it reinstalls; a second call is instant.
REQ_HASH := $(shell sha1sum requirements.txt 2>/dev/null | cut -c1-12)
VENV_STAMP := $(VENV)/.installed-$(REQ_HASH)

setup: $(VENV_STAMP)
$(VENV_STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

# One verified copy in the cache, linked as cifar-10-batches-py where the notebooks and tests
# look: Part 1's notebook and Part 2's Solver under <part>/data/cifar10, Part 2's tests under ./data.
data: setup
	@$(PY) $(P1)/cs7643/fetch.py --cache $(DATA_CACHE) $(P1)/data/cifar10 $(P2)/data/cifar10 $(P2)/data

# ---------------------------------------------------------------- tests
test: setup data test-part1 test-part2 test-tools

test-part1: setup data
	cd $(P1) && $(PY) -m pytest -q -p no:cacheprovider tests staff_tests

test-part2: setup data
	@if [ -d $(P2)/tests ]; then cd $(P2) && $(PY) -m pytest -q -p no:cacheprovider tests staff_tests; fi

# The grader's tests and the grading corpus share one checkpoint cache for the run (keys are
# the checkpoints' and models' content hashes), so MyModel's checkpoint is evaluated once.
test-tools: setup data
	@if [ -d tools/tests ]; then cache=$$(mktemp -d); \
	  CS7643_CORPUS_CHECKPOINT_CACHE=$$cache $(PY) -m pytest -q -p no:cacheprovider tools/tests; \
	  status=$$?; rm -rf $$cache; exit $$status; fi

# ---------------------------------------------------------------- main job
run: setup data run-part1 run-part2

run-part1: setup data
	$(PY) -m tools.run_notebook $(P1)/CS7643-Assignment2-1.ipynb

# Part 2: train the three graded models (the course's TwoLayerNet and VanillaCNN configs, the
# staff's MyModel recipe), printing the Solver's progress lines, then build the Part 2 zip.
# --resume: an interrupted run continues from runs/<config>/last.pth; a finished one is not
# trained again.
P2_GRADED := configs/config_twolayer.yaml configs/config_vanilla_cnn.yaml experiments/configs/config_mymodel_reference.yaml
run-part2: setup data
	cd $(P2) && for c in $(P2_GRADED); do $(PY) -m solver --config $$c --resume || exit 1; done
	cd $(P2) && $(PY) -c "from cs7643.submit import make_a2_2_submission; make_a2_2_submission('.')"

# Benchmarks (issue 16): one thread each, alternating runs; each table records the load average
# before and after it and first waits (up to BENCH_SETTLE s) for the load average to fall to 0.5
# (the previous table's own load fades with a one-minute time constant). The
# tables go to dist/bench/part{1,2}.json; tools/bench/readme.py then makes them the records
# tools/bench/part{1,2}.json and copies them into the READMEs, or refuses (exit 1, nothing
# changed) tables measured while other processes ran. BENCH_SETTLE=0: no waiting.
BENCH_SETTLE ?= 240
bench: setup data
	cd $(P1) && PYTHONPATH=$(CURDIR) $(PY) bench.py --threads 1 --repeat 20 --settle $(BENCH_SETTLE) --json ../dist/bench/part1.json
	cd $(P2) && TQDM_DISABLE=1 PYTHONPATH=$(CURDIR) $(PY) bench.py --threads 1 --runs 5 --settle $(BENCH_SETTLE) --json ../dist/bench/part2.json
	$(PY) -m tools.bench.readme --from dist/bench

submission: setup
	cd $(P1) && $(PY) -c "from cs7643.submit import make_a2_1_submission; print(make_a2_1_submission('.'))"
	cd $(P2) && $(PY) -c "from cs7643.submit import make_a2_2_submission; print(make_a2_2_submission('.'))"

# The long-tailed study: every run in turn, each resuming where it stopped (hours on a CPU).
# JOBS=2: two queues side by side, one thread each.
JOBS ?= 1
.PHONY: study
study: setup data
	JOBS=$(JOBS) $(PY) -m tools.study.run_study

# Tables and plots of Part 2's experiments, regenerated from part2-pytorch/runs/*/metrics.csv.
results: setup
	$(PY) -m tools.study.make_results

# ---------------------------------------------------------------- report (write-up)
# Regenerates report_template.pptx (byte-identical when nothing changed), then fills it with
# the computed answer key and the current results: dist/report/reference_report.pptx, plus
# .pdf and slides/slide-NN.png when LibreOffice is installed (skipped with a message if not).
.PHONY: report
report: setup data
	$(PY) -m tools.report template
	@git diff --quiet -- report_template.pptx 2>/dev/null || \
		echo "report: report_template.pptx differs from the committed one: the slides changed, commit it"
	$(PY) -m tools.report fill
# ---------------------------------------------------------------- end report

# ---------------------------------------------------------------- staff tools (starter, autograder)
# make starter                      student starter kit -> dist/starter/
# make autograder                   Gradescope autograder -> dist/autograder.zip
# make grade SUBMISSION=path.zip    grade a Part 1 or Part 2 zip locally, like Gradescope:
#                                   a score table, and dist/grade/results/results.json
.PHONY: starter autograder grade
GRADE_RESULTS ?= dist/grade/results/results.json
starter: setup
	$(PY) -m tools.release.make_starter --out dist/starter

autograder: setup
	$(PY) -m tools.autograder.build --out dist/autograder.zip
	$(PY) -m tools.autograder.build --part 1 --out dist/autograder_part1.zip
	$(PY) -m tools.autograder.build --part 2 --out dist/autograder_part2.zip

grade: setup data
	@test -n "$(SUBMISSION)" || { echo "usage: make grade SUBMISSION=path/to/submission.zip" >&2; exit 2; }
	@test -e "$(SUBMISSION)" || { echo "make grade: no such file: $(SUBMISSION)" >&2; exit 2; }
	cd tools/autograder && $(PY) -m grader --submission "$(abspath $(SUBMISSION))" \
		--results "$(abspath $(GRADE_RESULTS))" --data "$(abspath $(P2)/data/cifar-10-batches-py)" \
		$(if $(PART),--part $(PART)) $(if $(CHECKPOINT_CACHE),--checkpoint-cache "$(abspath $(CHECKPOINT_CACHE))")
# ---------------------------------------------------------------- end staff tools

clean:
	rm -rf dist $(P1)/*.executed.ipynb $(P1)/assignment_2_1_submission.zip $(P2)/assignment_2_2_submission.zip

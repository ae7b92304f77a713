"""Gather what the filled report shows from the files the kit produces.

Nothing here is typed by hand: the Part 1 plot is the notebook's train.png; the
MyModel slide comes from MYMODEL.md, its config and its run's metrics; the
long-tailed tables come from the runs' metrics CSVs. Anything missing is
reported as missing, never invented.

All run data is read here, by `load_runs`: every folder with a metrics.csv under
part2-pytorch/runs/ (or experiments/runs/), with the config of the same name found
in the staff folders first (experiments/configs/, anything under experiments/),
then in configs/. Which run goes in which table is decided from the configs
(loss, beta, gamma, data, schedule), not from folder names, so renaming a run or
moving its config changes nothing here. Configs are read with part2-pytorch/config.py
(the Solver's contract): a run's `cfg` holds every setting, the Solver's defaults filled in.
"""
import csv
import functools
import glob
import os
import re

from ..paths import import_from

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PART1 = os.path.join(ROOT, "part1-convnet")
PART2 = os.path.join(ROOT, "part2-pytorch")
MISSING = "not available yet"
CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]

RUN_ROOTS = ["runs", os.path.join("experiments", "runs")]
# staff configs first: configs/ holds the course's defaults, which may share a name
CONFIG_DIRS = [os.path.join("experiments", "configs"), os.path.join("experiments", "**"), "configs"]
MYMODEL_NOTES = ["MYMODEL.md", os.path.join("experiments", "mymodel", "MYMODEL.md"),
                 os.path.join("experiments", "MYMODEL.md")]

# ---------------------------------------------------------------- Part 1


def part1_plot(part1=PART1):
    """Path of the notebook's training-accuracy plot, or None."""
    path = os.path.join(part1, "train.png")
    return path if os.path.isfile(path) else None


# ---------------------------------------------------------------- runs


@functools.lru_cache(maxsize=None)
def _contract(name):
    """A function of part2-pytorch/config.py, the Solver's config contract (loaded once)."""
    return import_from(PART2, "config", name)


def settings(path):
    """Every setting of the run a config file describes (config.settings, defaults filled in)."""
    return _contract("settings")(path)


def read_sections(path):
    """A config file as written, {section: {key: value}} (config.read_sections)."""
    return _contract("read_sections")(path)


def find_config(name, part2=PART2):
    """Path of the config <name>.yaml, staff folders first, or None."""
    for d in CONFIG_DIRS:
        hits = sorted(glob.glob(os.path.join(part2, d, name + ".yaml"), recursive=True))
        if hits:
            return hits[0]
    return None


def load_run(run_dir, part2=PART2):
    """One run: its metrics (runs/<name>/metrics.csv) and its config; None without tested epochs.

    Returns a dict with
    - name, dir, cfg (every setting, defaults filled in; {} if no config found), cfg_path (or None)
    - rows: the tested epochs' rows (floats); epochs_done: the last epoch trained
    - epochs: the configured number of epochs; done: epochs_done >= epochs
    - final, per_class: top-1 and per-class accuracy (%) of the last tested epoch
    - best: the best tested epoch's top-1 (%); hours: the run's summed epoch times
    - confusion: runs/<name>/confusion.csv as a 10x10 list of counts, or None
    """
    name = os.path.basename(os.path.normpath(run_dir))
    with open(os.path.join(run_dir, "metrics.csv"), newline="") as f:
        # an epoch that was not tested (test_every > 1) has empty test columns
        rows = [{k: float(v) if v != "" else None for k, v in r.items()} for r in csv.DictReader(f)]
    epochs_done = int(rows[-1]["epoch"]) if rows else 0
    hours = sum(r["seconds"] or 0 for r in rows) / 3600
    tested = [r for r in rows if r["test_acc"] is not None]
    if not tested:
        return None
    cfg_path = find_config(name, part2)
    cfg = settings(cfg_path) if cfg_path else {}
    confusion = None
    cpath = os.path.join(run_dir, "confusion.csv")
    if os.path.isfile(cpath):
        with open(cpath, newline="") as f:
            confusion = [[int(float(x)) for x in row] for row in csv.reader(f)]
    last = tested[-1]
    epochs = int(cfg.get("epochs", epochs_done))
    return {
        "name": name, "dir": run_dir, "cfg": cfg, "cfg_path": cfg_path, "rows": tested,
        "epochs_done": epochs_done, "epochs": epochs, "done": epochs_done >= epochs,
        "final": 100 * last["test_acc"], "best": 100 * max(r["test_acc"] for r in tested),
        "per_class": [100 * last["class_acc_%d" % i] for i in range(10)],
        "hours": hours, "confusion": confusion,
    }


def load_runs(part2=PART2):
    """Every run with tested epochs: {run name: load_run's dict}, in name order."""
    runs = {}
    for root in RUN_ROOTS:
        for path in sorted(glob.glob(os.path.join(part2, root, "*", "metrics.csv"))):
            run = load_run(os.path.dirname(path), part2)
            if run is not None and run["name"] not in runs:
                runs[run["name"]] = run
    return runs


# ---------------------------------------------------------------- the long-tailed tables


def is_long_tailed(run):
    """ResNet-32 trained on the long-tailed set (the Data Wrangling study)."""
    c = run["cfg"]
    return c.get("imbalance") == "imbalance" and str(c.get("model", "")).lower().replace("-", "") == "resnet32"


def _best(candidates):
    """The finished run with the best top-1 (unfinished ones only if none has finished), or None."""
    pool = [r for r in candidates if r["done"]] or list(candidates)
    return max(pool, key=lambda r: (r["final"], r["name"])) if pool else None


def best_ce(runs):
    """The long-tailed run with plain cross-entropy and the best top-1."""
    return _best(r for r in runs.values() if is_long_tailed(r) and r["cfg"].get("loss_type") == "CE")


def best_focal(runs):
    """The long-tailed run with the (softmax) CB focal loss and the best top-1."""
    return _best(r for r in runs.values() if is_long_tailed(r) and r["cfg"].get("loss_type") == "Focal")


SCHEDULE_KEYS = ("epochs", "batch_size", "learning_rate", "reg", "steps", "lr_decay", "warmup", "schedule",
                 "momentum", "seed")


def schedule(run):
    """What a run's training schedule is, as a hashable value (runs with equal ones compare)."""
    return tuple((k, str(run["cfg"].get(k))) for k in SCHEDULE_KEYS)


def beta_sweep(runs):
    """The β sweep: CB focal runs with γ = 1 on one schedule, one per β, sorted by β.

    If runs were made on several schedules, the schedule with the most distinct β
    values is the sweep (ties: the longer one). A β run twice keeps its best run.
    """
    groups = {}
    for r in runs.values():
        c = r["cfg"]
        if is_long_tailed(r) and c.get("loss_type") == "Focal" and float(c.get("gamma", 1.0)) == 1.0 \
                and "beta" in c:
            groups.setdefault(schedule(r), {}).setdefault(float(c["beta"]), []).append(r)
    if not groups:
        return []
    chosen = max(groups.values(), key=lambda g: (len(g), max(r["epochs"] for rs in g.values() for r in rs)))
    return [_best(chosen[b]) for b in sorted(chosen)]


def schedule_text(run):
    """A run's schedule in words, e.g. '200 epochs, lr 0.1, batch 128'."""
    c = run["cfg"]
    return "%d epochs, batch %s, lr %s" % (run["epochs"], c.get("batch_size", "?"), c.get("learning_rate", "?"))


def results_plots(part2=PART2):
    """Every plot `make results` wrote (part2-pytorch/results/*.png, or experiments/results/):
    {file name: path}, sorted by name."""
    plots = {}
    for d in (os.path.join(part2, "results"), os.path.join(part2, "experiments", "results")):
        if os.path.isdir(d):
            for n in sorted(os.listdir(d)):
                if n.endswith(".png"):
                    plots.setdefault(n, os.path.join(d, n))
    return dict(sorted(plots.items()))


# ---------------------------------------------------------------- MyModel


def mymodel_info(part2=PART2, runs=None):
    """Everything the MyModel slide shows; a missing piece is None.

    Returns a dict with
    - design: the text of MYMODEL.md (markdown), or None
    - run: the run that trained MyModel (load_run's dict; the best if several), or None
    - config: that run's config file as loaded (sections of keys), or None
    - config_path: its path relative to part2-pytorch/, or None
    - comment: the comment lines at the top of that file (its authors' notes), or None
    - checkpoint: path of checkpoints/mymodel.pth, or None
    """
    runs = load_runs(part2) if runs is None else runs
    design = None
    for rel in MYMODEL_NOTES:
        if os.path.isfile(os.path.join(part2, rel)):
            with open(os.path.join(part2, rel)) as f:
                design = f.read()
            break
    run = _best(r for r in runs.values() if r["cfg"].get("model") == "MyModel")
    config = comment = path = None
    if run and run["cfg_path"]:
        path = run["cfg_path"]
        config = read_sections(path)
        with open(path) as f:
            head = []
            for line in f:
                if not line.startswith("#"):
                    break
                head.append(line[1:].strip())
        comment = "\n".join(head).strip() or None
    ckpt = os.path.join(part2, "checkpoints", "mymodel.pth")
    return {
        "design": design, "run": run, "config": config,
        "config_path": os.path.relpath(path, part2) if path else None, "comment": comment,
        "checkpoint": ckpt if os.path.isfile(ckpt) else None,
    }


# ---------------------------------------------------------------- markdown for slides


def _inline(s):
    """Markdown inline markup stripped: [text](url) -> text, no *, ** or backticks."""
    s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
    s = s.replace("**", "").replace("`", "")
    return re.sub(r"(?<![\w*])\*(\S[^*]*?)\*(?![\w*])", r"\1", s)  # *emphasis*


def markdown_to_lines(md):
    """Markdown as plain slide text: one line per heading, table row, list item or paragraph.

    Source files are hard-wrapped at ~80 columns; on a slide the box wraps, so the
    lines of one paragraph (or one list item) are joined back together.
    """
    out = []  # finished lines; "" is a paragraph break
    joinable = False  # may the next plain line continue out[-1]?
    in_code = False
    for raw in md.splitlines():
        s = raw.rstrip()
        if s.startswith("```"):
            in_code, joinable = not in_code, False
            continue
        if in_code:
            out.append(s)
            continue
        if not s.strip():
            out.append("")
            joinable = False
        elif re.fullmatch(r"\|?[\s:|-]+\|?", s):
            continue  # a table's separator row
        elif s.startswith("|"):
            out.append(" | ".join(_inline(c.strip()) for c in s.strip("|").split("|")))
            joinable = False
        elif s.startswith("#"):
            out.append(_inline(re.sub(r"^#+\s*", "", s)))
            joinable = False
        elif re.match(r"\s*([*-]|\d+\.) ", s):
            out.append(re.sub(r"^(\s*)[*-] ", r"\1• ", _inline(s)))
            joinable = True
        elif joinable:
            out[-1] += " " + _inline(s.strip())
        else:
            out.append(_inline(s.strip()))
            joinable = True
    # collapse runs of blank lines
    lines = []
    for s in out:
        if s or (lines and lines[-1]):
            lines.append(s)
    return "\n".join(lines).strip()


def markdown_sections(md, pattern):
    """The sections of `md` whose heading matches the regex `pattern` (case-insensitive), or None.

    A section runs from its heading to the next heading of the same or a higher level.
    """
    picked, level = [], None
    for line in md.splitlines():
        m = re.match(r"(#+)\s*(.*)", line)
        if m and (level is None or len(m.group(1)) <= level):
            level = len(m.group(1)) if re.search(pattern, m.group(2), re.I) else None
        if level is not None:
            picked.append(line)
    return "\n".join(picked) if picked else None

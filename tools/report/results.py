"""Gather what the filled report shows from the files the kit produces.

Nothing here is typed by hand: the Part 1 plot is the notebook's train.png; the
MyModel section comes from part2-pytorch/MYMODEL.md, its config and its run's
metrics; the long-tailed tables come from the runs' metrics CSVs, read by
`make results`'s own loader (tools/results/make_results.py) so the deck and the
README always agree. Anything missing is reported as missing.
"""
import os
import re
import sys

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PART1 = os.path.join(ROOT, "part1-convnet")
PART2 = os.path.join(ROOT, "part2-pytorch")
MISSING = "not available yet"

sys.path.insert(0, os.path.join(ROOT, "tools", "results"))
import make_results  # noqa: E402  (the one reader of runs/<config>/metrics.csv)

CLASSES = make_results.CLASSES
MYMODEL_RUN = "config_mymodel"

# ---------------------------------------------------------------- Part 1


def part1_plot(part1=PART1):
    """Path of the notebook's training-accuracy plot, or None."""
    path = os.path.join(part1, "train.png")
    return path if os.path.isfile(path) else None


# ---------------------------------------------------------------- MyModel


def read_yaml(path):
    with open(path) as f:
        cfg = yaml.safe_load(f)
    if not isinstance(cfg, dict):
        raise ValueError("%s: expected a YAML mapping of sections (Train, network, data, loss)" % path)
    return cfg


def mymodel_info(part2=PART2):
    """Everything the MyModel slides show; a missing piece is None.

    Returns a dict with
    - design: the text of MYMODEL.md (markdown), or None
    - config: config_mymodel.yaml as loaded (sections of keys), or None
    - comment: the comment lines at the top of that file (its authors' notes), or None
    - run: make_results.load_run's dict for runs/config_mymodel, or None
    - checkpoint: path of checkpoints/mymodel.pth, or None
    """
    md = os.path.join(part2, "MYMODEL.md")
    cfg = os.path.join(part2, "configs", MYMODEL_RUN + ".yaml")
    ckpt = os.path.join(part2, "checkpoints", "mymodel.pth")
    design = None
    if os.path.isfile(md):
        with open(md) as f:
            design = f.read()
    config = comment = None
    if os.path.isfile(cfg):
        config = read_yaml(cfg)
        with open(cfg) as f:
            head = []
            for line in f:
                if not line.startswith("#"):
                    break
                head.append(line[1:].strip())
        comment = "\n".join(head).strip() or None
    return {
        "design": design,
        "config": config,
        "comment": comment,
        "run": make_results.load_run(MYMODEL_RUN, part2),
        "checkpoint": ckpt if os.path.isfile(ckpt) else None,
    }


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


# ---------------------------------------------------------------- long-tailed study

# (slide key, rows as (label, config stem)) -- the groupings of make_results
def lt_groups():
    sweep = [(None, n) for n in make_results.BETA_SWEEP + make_results.GAMMA_SWEEP]
    return {
        "lt_ce": [make_results.HEADLINE[0], make_results.SHORT[0]],
        "lt_beta": sweep,
        "lt_ce_vs_focal": list(make_results.HEADLINE) + list(make_results.SHORT),
    }


def load_runs(part2=PART2):
    """Every run any table needs: {config stem: run dict}; runs without metrics are left out."""
    names = {n for rows in lt_groups().values() for _, n in rows}
    return {n: r for n in sorted(names) for r in [make_results.load_run(n, part2)] if r is not None}


def results_plots(part2=PART2):
    """Every plot `make results` wrote (part2-pytorch/results/*.png): {file name: path}, sorted."""
    d = os.path.join(part2, "results")
    if not os.path.isdir(d):
        return {}
    return {n: os.path.join(d, n) for n in sorted(os.listdir(d)) if n.endswith(".png")}

"""Regenerate every results table and plot of Part 2 from the runs' metrics CSVs.

    python -m tools.study.make_results            # from the repository root, or: make results

Reads   part2-pytorch/runs/<config name>/metrics.csv   (written by the Solver, one row per epoch:
        epoch,lr,train_loss,train_acc,test_loss,test_acc,class_acc_0..class_acc_9,seconds)
        part2-pytorch/experiments/configs/<config name>.yaml  (the staff config: model, loss, beta, ...,
        read with part2-pytorch/config.py, defaults filled in; the runs and tables: runs.py)
        part2-pytorch/runs/<config name>/confusion.csv  (optional, 10x10 counts, rows = true class)
Writes  part2-pytorch/results/results.md  (the tables)
        part2-pytorch/results/*.png        (curves, the paper configuration, per-class bars, accuracy against beta, confusion)
        README.md, between the markers  <!-- results:begin -->  and  <!-- results:end -->

Numbers in the README are therefore never typed by hand. A run that has not
finished all its configured epochs is reported with its epoch count and marked
"(running)". Runs that do not exist yet are listed as missing, never invented.
"""
import argparse
import csv
import os
import sys

from tools.atomic import atomic_path, write_text
from tools.study import runs as study
from tools.study.runs import (BETA_SWEEP, GAMMA_SWEEP, HEADLINE, PAPER_CONFIG, PAPER_CONTROLLED, PAPER_RUNS, PAPER_SEEDS,
                               PART2, ROOT, SHORT, SIGMOID)

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
FOCAL_LOSSES = ("Focal", "SigmoidFocal")  # the loss types that have a beta and a gamma
# Runs trained on the EARLIER long-tailed subset: the kit then drew each class's images with
# numpy's default_rng(0).permutation; since issue 11 Imbalanced_CIFAR10 follows the course's
# procedure (one np.random.seed(0), then np.random.shuffle of each class's indices, classes in
# ascending order). Same per-class counts, other images. Remove a name once its run is redone.
EARLIER_SUBSET = {
    "config_resnet32_lt_ce", "config_resnet32_lt_cbfocal", "config_resnet32_lt_sweep_b0",
    "config_resnet32_lt_sweep_b0.9", "config_resnet32_lt_sweep_b0.99", "config_resnet32_lt_sweep_b0.999",
    "config_resnet32_lt_sweep_b0.9999", "config_resnet32_lt_sweep_g0.5", "config_resnet32_lt_sweep_g2",
    "config_resnet32_lt_sweep_sigmoid_b0.9999", "config_resnet32_ce", "config_resnet32_focal"}
MARK = " †"  # after the label of a run on the earlier subset
SUBSET_NOTE = ("† made with the earlier long-tailed subset (numpy `default_rng(0).permutation` of each "
               "class's images), before the kit took the course's sampling procedure (one "
               "`np.random.seed(0)`, then `np.random.shuffle` of each class's indices, classes in ascending "
               "order): the same per-class counts (5000, 2997, ..., 50), other images. These runs have not "
               "been redone on the course's subset.")
# Cui et al., CVPR 2019, Table 2, long-tailed CIFAR-10, imbalance factor 100 (accuracy = 100 - error).
# (The paper's CB focal figure is its sigmoid loss at beta = 0.9999, gamma = 1.)
PAPER = {"config_resnet32_lt_ce": 70.36, "config_resnet32_lt_cbfocal": 74.57,
         "config_resnet32_paper_ce": 70.36, "config_resnet32_paper_sigmoid_b0.9999": 74.57}


def load_run(name, part2=PART2):
    """A run's config and metrics, or None if it has no metrics yet."""
    path = os.path.join(part2, "runs", name, "metrics.csv")
    if not os.path.isfile(path):
        return None
    with open(path, newline="") as f:
        # an epoch that was not tested (test_every > 1) has empty test columns
        rows = [{k: float(v) if v != "" else None for k, v in r.items()} for r in csv.DictReader(f)]
    epochs_done = int(rows[-1]["epoch"]) if rows else 0
    hours = sum(r["seconds"] for r in rows) / 3600  # every epoch, tested or not
    rows = [r for r in rows if r["test_acc"] is not None]
    if not rows:
        return None
    cfg = study.settings(name, part2) or {}
    confusion = None
    cpath = os.path.join(part2, "runs", name, "confusion.csv")
    if os.path.isfile(cpath):
        confusion = [[int(float(x)) for x in row] for row in csv.reader(open(cpath))]
    last = rows[-1]
    return {
        "name": name, "cfg": cfg, "rows": rows, "confusion": confusion,
        "epochs_done": epochs_done,
        "epochs": int(cfg.get("epochs", len(rows))),
        "final": 100 * last["test_acc"],
        "best": 100 * max(r["test_acc"] for r in rows),
        "per_class": [100 * last["class_acc_%d" % i] for i in range(10)],
        "balanced": 100 * sum(last["class_acc_%d" % i] for i in range(10)) / 10,
        "hours": hours,
    }


def schedule_text(name, part2=PART2):
    """The training schedule of experiments/configs/<name>.yaml in words, or None if there is no such file.

    The Solver's "course" schedule (the default) warms up per epoch and multiplies the lr by
    0.1 after epoch steps[0] and by 0.01 after epoch steps[1]; "step" warms up per iteration
    and uses lr_decay and lr_decay**2; "cosine" and "linear" decay to 0 (train_utils.py).
    """
    c = study.settings(name, part2)  # the Solver's defaults filled in
    if c is None:
        return None
    text = "%d epochs, batch %d, SGD momentum %g, weight decay %g, lr %g" % (
        c["epochs"], c["batch_size"], c["momentum"], c["reg"], c["learning_rate"])
    kind = c["schedule"]
    if c["warmup"]:
        text += " after a %d-epoch linear warm-up%s" % (c["warmup"], " (per epoch)" if kind == "course" else "")
    if kind in ("step", "course"):
        d = c["lr_decay"] if kind == "step" else 0.1
        s0, s1 = c["steps"]
        text += ", x%g after epoch %d and x%g after epoch %d" % (d, s0, d * d, s1)
    else:
        text += ", %s decay to 0" % kind
    return text


def _fmt_run_cells(run):
    status = "" if run["epochs_done"] >= run["epochs"] else " (running: %d/%d epochs)" % (
        run["epochs_done"], run["epochs"])
    return "%.2f%s" % (run["final"], status)


def _num(value):
    """A config number as written in a config (0, 0.999, 2), or – if there is none."""
    return "–" if value is None else "%g" % value


def table_per_class(runs, labels):
    head = "| run | loss | β | γ | epochs | " + " | ".join(str(i) for i in range(10)) + \
           " | top-1 (last epoch) | balanced | best epoch | paper | wall time |"
    sep = "|" + "---|" * (head.count("|") - 1)
    lines = [head, sep]
    for label, name in labels:
        run = runs.get(name)
        if name in EARLIER_SUBSET:
            label += MARK
        if run is None:
            lines.append("| %s | – | – | – | – | %s | not run yet | – | – | %s | – |" % (
                label, " | ".join("–" for _ in range(10)),
                "%.2f" % PAPER[name] if name in PAPER else "–"))
            continue
        c = run["cfg"]
        focal = c.get("loss_type") in FOCAL_LOSSES
        lines.append("| %s | %s | %s | %s | %d | %s | %s | %.2f | %.2f | %s | %.2f h |" % (
            label, c.get("loss_type", "?"), _num(c.get("beta")) if focal else "–",
            _num(c.get("gamma")) if focal else "–",
            run["epochs"], " | ".join("%.1f" % a for a in run["per_class"]), _fmt_run_cells(run),
            run["balanced"], run["best"], "%.2f" % PAPER[name] if name in PAPER else "–", run["hours"]))
    return "\n".join(lines)


def make_plots(runs, out_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker
    import numpy as np

    written = []

    def save(fig, name):
        path = os.path.join(out_dir, name)
        fig.tight_layout()
        with atomic_path(path) as tmp:  # keeps the .png that tells savefig the format
            fig.savefig(tmp, dpi=110)
        plt.close(fig)
        written.append(name)

    # 1. training curves of every study run, one row per schedule length (10, 50, 200 epochs):
    # runs of different schedules on one axis hide each other
    by_length = {}
    for n, r in sorted(runs.items()):
        by_length.setdefault(r["epochs"], []).append((n, r))
    if by_length:
        fig, axes = plt.subplots(len(by_length), 2, figsize=(11, 3.6 * len(by_length)), squeeze=False)
        for (a1, a2), (length, group) in zip(axes, sorted(by_length.items())):
            colours = plt.cm.tab10(np.linspace(0, 1, 10))
            for k, (n, r) in enumerate(group):
                ep = [row["epoch"] for row in r["rows"]]
                style = dict(label=n.replace("config_resnet32_", ""), color=colours[k % 10],
                             linestyle="-" if k < 10 else "--")
                a1.plot(ep, [row["train_loss"] for row in r["rows"]], **style)
                a2.plot(ep, [100 * row["test_acc"] for row in r["rows"]], **style)
            a1.set(xlabel="epoch", ylabel="train loss", title="Training loss, %d-epoch runs" % length)
            a2.set(xlabel="epoch", ylabel="test accuracy (%)",
                   title="Test accuracy (balanced test set), %d-epoch runs" % length)
            a2.legend(fontsize=7)
        save(fig, "curves.png")
    # 1b. the paper's configuration: every run's test accuracy, and the last phase (after the
    # second lr decay) magnified, against the paper's figures
    paper = [(label, runs[name]) for label, name in PAPER_RUNS if name in runs]
    if paper:
        fig = plt.figure(figsize=(12, 6))
        grid = fig.add_gridspec(2, 2, height_ratios=[4, 1])  # the legend gets the bottom row
        axes = [fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])]
        colour = {"CE": "C0", "sigmoid": "C3", "softmax": "C2"}
        for label, r in paper:
            c = colour.get(label.split()[0].rstrip(","), "C7")
            style = ":" if "float32" in label else "--" if "seed 1" in label else "-"
            done = "" if r["epochs_done"] >= r["epochs"] else " (running: %d/%d)" % (r["epochs_done"], r["epochs"])
            for ax in axes:
                ax.plot([row["epoch"] for row in r["rows"]], [100 * row["test_acc"] for row in r["rows"]],
                        style, color=c, label="%s: %.2f%%%s" % (label, r["final"], done))
        longest = max(r["epochs"] for _, r in paper)
        steps = paper[0][1]["cfg"].get("steps") or []  # the lr decays after these epochs
        after_decay = bool(steps) and steps[-1] + 1 < longest
        start = steps[-1] + 1 if after_decay else max(1, int(0.9 * longest))
        for ax in axes:
            for value, what in ((PAPER[PAPER_CONFIG[0][1]], "paper, CE"),
                                (PAPER[PAPER_CONFIG[1][1]], "paper, CB focal")):
                ax.axhline(value, color="k", linewidth=0.8, linestyle="-." if "CE" in what else "--")
                ax.text(1.0, value, " " + what, transform=ax.get_yaxis_transform(), fontsize=7, va="center")
            ax.set(xlabel="epoch", ylabel="test accuracy (%)")
        axes[0].set_title("The paper's configuration, course's long-tailed subset")
        last = [100 * row["test_acc"] for _, r in paper for row in r["rows"] if row["epoch"] >= start]
        if last and longest > start:
            axes[1].set_xlim(start, longest)
            axes[1].set_ylim(min(last + [PAPER[PAPER_CONFIG[0][1]]]) - 0.5, max(last + [PAPER[PAPER_CONFIG[1][1]]]) + 0.5)
        axes[1].set_title("Epochs %d on%s" % (start, " (after the last lr decay)" if after_decay else ""))
        axes[1].xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
        key = fig.add_subplot(grid[1, :])
        key.axis("off")
        key.legend(*axes[0].get_legend_handles_labels(), loc="center", ncol=2, fontsize=8, frameon=False)
        save(fig, "paper_config.png")
    # 2. per-class accuracy, CE against CB focal (the headline pair and the course-default pair)
    for pairs, file_name, title in [
            (HEADLINE, "per_class_ce_vs_cbfocal.png", "headline schedule"),
            (SHORT, "per_class_ce_vs_cbfocal_10ep.png", "the course's 10-epoch schedule")]:
        pair = [(label, runs.get(name)) for label, name in pairs]
        if any(r is None for _, r in pair):
            continue
        fig, ax = plt.subplots(figsize=(9, 4))
        x = np.arange(10)
        for k, (label, r) in enumerate(pair):
            ax.bar(x + (k - 0.5) * 0.4, r["per_class"], 0.4, label="%s: %.1f%%" % (label, r["final"]))
        ax.set_xticks(x, ["%d %s" % (i, c) for i, c in enumerate(CLASSES)], rotation=30, fontsize=8)
        ax.set(ylabel="test accuracy (%)",
               title="Per-class accuracy, long-tailed CIFAR-10 (factor 100), %s" % title)
        ax.legend()
        save(fig, file_name)
    # 3. accuracy against beta
    sweep = [(runs[n]["cfg"].get("beta"), runs[n]) for n in BETA_SWEEP if n in runs]
    if sweep:
        fig, ax = plt.subplots(figsize=(6, 4))
        labels = [str(b) for b, _ in sweep]
        ax.plot(range(len(sweep)), [r["final"] for _, r in sweep], "o-", label="softmax CB focal")
        for name in SIGMOID:  # the sigmoid variant, beside its softmax twin
            beta = runs[name]["cfg"].get("beta") if name in runs else None
            if str(beta) in labels:
                ax.plot([labels.index(str(beta))], [runs[name]["final"]], "s", color="C3",
                        label="sigmoid CB focal")
        ax.set_xticks(range(len(sweep)), labels)
        ax.legend()
        ax.set(xlabel="β (0 = no reweighting)", ylabel="test accuracy (%)",
               title="CB focal (γ=1), %d epochs: accuracy against β" % sweep[0][1]["epochs"])
        save(fig, "accuracy_vs_beta.png")
    # 4. confusion matrices of the headline pair
    conf = [(label, runs[name]["confusion"]) for label, name in HEADLINE
            if name in runs and runs[name]["confusion"] is not None]
    if conf:
        fig, axes = plt.subplots(1, len(conf), figsize=(5.5 * len(conf), 5))
        axes = np.atleast_1d(axes)
        for ax, (label, m) in zip(axes, conf):
            m = np.asarray(m, dtype=float)
            ax.imshow(m / m.sum(1, keepdims=True), cmap="Blues", vmin=0, vmax=1)
            for i in range(10):
                for j in range(10):
                    ax.text(j, i, int(m[i, j]), ha="center", va="center", fontsize=6)
            ax.set(title=label, xlabel="predicted", ylabel="true", xticks=range(10), yticks=range(10))
        save(fig, "confusion_ce_vs_cbfocal.png")
    return written


def findings(runs, part2=PART2):
    """The comparisons the study is for, as sentences computed from the finished runs."""
    done = {n: r for n, r in runs.items() if r["epochs_done"] >= r["epochs"]}
    out = []
    (_, ce), (_, cb) = HEADLINE
    if ce in done and cb in done:
        out.append("Headline: CB focal minus CE = %+.2f points (paper: %+.2f)." % (
            done[cb]["final"] - done[ce]["final"], PAPER[cb] - PAPER[ce]))
    betas = [n for n in BETA_SWEEP if n in done]
    if betas:
        best = max(betas, key=lambda n: done[n]["final"])
        out.append("β sweep: the best of the %d finished β values is β = %s (%.2f%%)." % (
            len(betas), done[best]["cfg"].get("beta"), done[best]["final"]))
    gammas = [n for n in GAMMA_SWEEP if n in done]
    if gammas:  # with the β sweep's γ = 1 run at the same β, when there is one
        gammas += [n for n in betas if done[n]["cfg"].get("beta") == done[gammas[0]]["cfg"].get("beta")]
        gammas.sort(key=lambda n: float(done[n]["cfg"].get("gamma", 1.0)))
        out.append("γ at β = %s: %s." % (done[gammas[0]]["cfg"].get("beta"), ", ".join(
            "γ = %s: %.2f%%" % (_num(done[n]["cfg"].get("gamma")), done[n]["final"]) for n in gammas)))
    for name in SIGMOID:
        twin = next((n for n in BETA_SWEEP if n in done and name in done
                     and done[n]["cfg"].get("beta") == done[name]["cfg"].get("beta")), None)
        if twin:
            out.append("Sigmoid against softmax CB focal (β = %s, same schedule and seed): %.2f%% "
                       "against %.2f%% (%+.2f points)." % (
                           done[name]["cfg"].get("beta"), done[name]["final"], done[twin]["final"],
                           done[name]["final"] - done[twin]["final"]))
    (_, pce), (_, psig), (_, psoft) = PAPER_CONFIG
    for name in (psig, psoft):
        if pce in done and name in done:
            out.append("Paper configuration, course's subset: %s minus CE = %+.2f points (paper, "
                       "sigmoid CB focal: %+.2f)." % (
                           dict((n, l) for l, n in PAPER_CONFIG)[name], done[name]["final"] - done[pce]["final"],
                           PAPER[psig] - PAPER[pce]))
    for label, name, first in PAPER_SEEDS:
        if name in done and first in done:
            out.append("Seed to seed, %s: %.2f%% (seed 0) and %.2f%% (seed 1), %+.2f points." % (
                label.rsplit(", seed", 1)[0], done[first]["final"], done[name]["final"],
                done[name]["final"] - done[first]["final"]))
    pairs = [(first, name) for _, name, first in PAPER_SEEDS]  # (seed 0, seed 1) of CE, then of CB focal
    if all(n in done for pair in pairs for n in pair):
        (ce_mean, cb_mean) = [sum(done[n]["final"] for n in pair) / len(pair) for pair in pairs]
        out.append("Mean of the two seeds: CE %.2f%%, %s %.2f%%, difference %+.2f points (paper: %+.2f)." % (
            ce_mean, PAPER_SEEDS[1][0].rsplit(", seed", 1)[0], cb_mean, cb_mean - ce_mean, PAPER[psig] - PAPER[pce]))
    for label, name, base in PAPER_CONTROLLED:
        if name in done and base in done:
            change = ", ".join("%s: %s instead of %s" % (k, new, old) for k, (old, new) in
                               study.differences(name, base, part2).items())
            out.append("One change, same seed: %s (%s): %.2f%% against %.2f%%, %+.2f points." % (
                label, change, done[name]["final"], done[base]["final"], done[name]["final"] - done[base]["final"]))
    return out


def render(runs, plots, part2=PART2):
    def schedule(name):
        text = schedule_text(name, part2)
        return ("Schedule (`experiments/configs/%s.yaml`): %s." % (name, text) if text
                else "No config `%s` yet." % name)

    parts = ["### Long-tailed CIFAR-10 (ResNet-32, imbalance factor 100, exp profile)", "",
             "Accuracy in %% on the full balanced CIFAR-10 test set; per-class columns are classes 0-9 "
             "(%s). \"top-1\" is the last epoch's model (no selection on the test set); \"best epoch\" is "
             "the best epoch's, which is what the Solver saves as its checkpoint. Paper: Cui et al., "
             "CVPR 2019, Table 2. Wall time is the sum of the run's epoch times; it depends on the "
             "machine's load and on whether two runs shared the 2 cores (`make study JOBS=2`: about "
             "40 s per ResNet-32 epoch each, against about 22 s for one run alone)." % ", ".join(CLASSES),
             "", SUBSET_NOTE, "",
             "**Headline** (same schedule for both). " + schedule(HEADLINE[0][1]), "",
             table_per_class(runs, HEADLINE), "",
             "**β sweep** (CB focal, γ = 1), **γ** at the best β, and the paper's **sigmoid** focal "
             "loss (`part2-pytorch/experiments/sigmoid_focal.py`) beside the kit's softmax one. "
             + schedule(BETA_SWEEP[1]), "",
             table_per_class(runs, [(n.split("sweep_")[1].replace("_", " "), n)
                                    for n in BETA_SWEEP + GAMMA_SWEEP + SIGMOID]), "",
             "**The paper's configuration on the course's long-tailed subset** (the subset "
             "`data/data_processing.py` draws today; a run still training shows its epochs). "
             + schedule(PAPER_CONFIG[0][1]), "",
             table_per_class(runs, PAPER_RUNS), "",
             "**The course's 10-epoch schedule** (x0.1 after epoch 6, x0.01 after epoch 8) at lr 0.1, for "
             "reference. " + schedule(SHORT[0][1]), "",
             table_per_class(runs, SHORT), ""]
    found = findings(runs, part2)
    if found:
        earlier = " on the earlier subset †" if EARLIER_SUBSET & set(runs) else ""
        parts += ["**In short** (last-epoch top-1 of finished runs%s): " % earlier + " ".join(found), ""]
    if plots:
        parts += ["Plots (`part2-pytorch/results/`): " + ", ".join(
            "[%s](part2-pytorch/results/%s)" % (p, p) for p in plots), ""]
    return "\n".join(parts)


def update_readme(readme, block):
    begin, end = "<!-- results:begin -->", "<!-- results:end -->"
    text = open(readme).read()
    if begin not in text or end not in text:
        raise SystemExit("%s has no %s ... %s markers: add them where the results go" % (readme, begin, end))
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    write_text(readme, head + begin + "\n" + block + "\n" + end + tail)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--part2", default=PART2)
    p.add_argument("--readme", default=os.path.join(ROOT, "README.md"))
    p.add_argument("--no-readme", action="store_true", help="do not touch README.md")
    args = p.parse_args(argv)
    names = study.ORDER
    runs = {n: r for n in names for r in [load_run(n, args.part2)] if r is not None}
    out_dir = os.path.join(args.part2, "results")
    os.makedirs(out_dir, exist_ok=True)
    plots = make_plots(runs, out_dir)
    block = render(runs, plots, args.part2)
    write_text(os.path.join(out_dir, "results.md"), "# Part 2 results\n\n" + block)
    if not args.no_readme:
        update_readme(args.readme, block)
    print("results: %d of %d runs found; wrote %s" % (len(runs), len(names), ", ".join(plots) or "no plots"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

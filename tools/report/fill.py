"""`make report`: the committed template, filled with the answer key and the kit's results.

    PYTHONPATH=tools python -m report fill [--out dist/report/reference_report.pptx]

Opens report_template.pptx, finds each slide by its key, and writes the answer
into its dashed box: the computed theory key, Part 1's plot, the MyModel
section, the long-tailed tables (and `make results`' plots on extra slides right
after their table). What does not exist yet is written as "not available yet".
"""
import os

from pptx import Presentation

from . import answer_key, deck, results
from .slides import BY_KEY

NO_REFERENCE = ("No reference answer: each student writes their own. "
                "Graded on the points the question asks for, within the word limit.")


def _fmt_beta(run_cfg):
    return str(run_cfg.get("beta", "–")) if run_cfg.get("loss_type") == "Focal" else "–"


def _fmt_gamma(run_cfg):
    return str(run_cfg.get("gamma", "–")) if run_cfg.get("loss_type") == "Focal" else "–"


def _label_from_name(name):
    """A sweep config's label from its stem, e.g. ..._sweep_b0.99 -> 'CB focal β=0.99'."""
    varied = name.rsplit("_sweep_", 1)[-1]
    if "_sweep_" in name and varied[:1] in ("b", "g"):
        return "CB focal %s=%s" % ("β" if varied[0] == "b" else "γ", varied[1:])
    return name


def lt_row(label, name, run):
    """One table row: label, loss, β, γ, epochs, accuracy of classes 0-9, top-1 (all in %).

    Values are the last tested epoch's (no choice made on the test set), printed at the
    precision the test set allows: a class has 1000 test images (0.1%), the set 10000 (0.01%).
    """
    if run is None:
        return ["%s\n(%s)" % (label or _label_from_name(name), results.MISSING)] + ["–"] * 15
    cfg = run["cfg"]
    if label is None:  # sweep rows are named after what they vary
        label = "CB focal β=%s, γ=%s" % (cfg.get("beta", "?"), cfg.get("gamma", "?")) if cfg else name
    epochs = str(run["epochs_done"])
    if run["epochs_done"] < run["epochs"]:
        epochs = "%d/%d" % (run["epochs_done"], run["epochs"])  # still running (the note says so)
    return ([label, cfg.get("loss_type", "?"), _fmt_beta(cfg), _fmt_gamma(cfg), epochs]
            + ["%.1f" % a for a in run["per_class"]] + ["%.2f" % run["final"]])


LT_HEADER = ["run", "loss", "β", "γ", "epochs"] + [str(i) for i in range(10)] + ["top-1"]


def lt_note(names):
    labels = dict((n, label) for label, n in results.make_results.HEADLINE)
    paper = [(labels.get(n, n), results.make_results.PAPER[n]) for n in names if n in results.make_results.PAPER]
    note = ("Test accuracy (%) on the balanced CIFAR-10 test set, last tested epoch of each run, from "
            "part2-pytorch/runs/<config>/metrics.csv; epochs k/N: a run still going, k of N epochs done. "
            "ResNet-32, long-tailed training set (exp, "
            "imbalance factor 100). Classes: " + ", ".join(
                "%d %s" % (i, c) for i, c in enumerate(results.CLASSES)) + ".")
    if paper:
        note += " Cui et al. (CVPR 2019, Table 2) report: " + ", ".join(
            "%s %.2f" % (label, v) for label, v in paper) + "."
    return note


# ---------------------------------------------------------------- observations, computed


def lt_observations(runs):
    """Facts read off the tables (only for runs that exist), then the reasoning."""
    facts = []
    head, tail = slice(0, 3), slice(7, 10)
    mean = lambda run, s: sum(run["per_class"][s]) / len(run["per_class"][s])  # noqa: E731
    for which, pair in [("headline schedule", results.make_results.HEADLINE),
                        ("course-default 10 epochs", results.make_results.SHORT)]:
        (_, ce_name), (_, fo_name) = pair
        ce, fo = runs.get(ce_name), runs.get(fo_name)
        if not (ce and fo):
            facts.append("• CB focal against CE, %s: %s." % (which, results.MISSING))
            continue
        running = " (still running)" if any(r["epochs_done"] < r["epochs"] for r in (ce, fo)) else ""
        facts.append("• CB focal against CE, %s%s: top-1 %.2f%% vs %.2f%% (%+.2f points); frequent "
                     "classes 0-2: %.1f%% vs %.1f%%; rare classes 7-9: %.1f%% vs %.1f%%."
                     % (which, running, fo["final"], ce["final"], fo["final"] - ce["final"],
                        mean(fo, head), mean(ce, head), mean(fo, tail), mean(ce, tail)))
    sweep = [(runs[n]["cfg"].get("beta"), runs[n]) for n in results.make_results.BETA_SWEEP if n in runs]
    if sweep:
        best_beta, best = max(sweep, key=lambda t: t[1]["final"])
        facts.append("• β sweep (γ = 1): " + ", ".join("β=%s: %.2f%%" % (b, r["final"]) for b, r in sweep)
                     + "; best β = %s." % best_beta)
    else:
        facts.append("• β sweep: %s." % results.MISSING)
    why = [
        "Why (the mechanism; the numbers above show how strongly it acts here):",
        "• With CE every image counts once, so the gradient is dominated by the frequent classes: the "
        "decision boundaries move into the rare classes' space, and their test accuracy falls far "
        "below that of the frequent classes.",
        "• Class-balanced weights scale each class's loss by 1/E_n, with E_n = (1-βⁿ)/(1-β) the effective "
        "number of samples. β = 0 gives equal weights (no reweighting); β → 1 approaches inverse frequency. "
        "Extra images of a class overlap in what they teach, so E_n grows slower than n: a large β (0.999, "
        "0.9999) gives the rare classes enough weight to matter, a small one changes almost nothing.",
        "• The focal term (1-p)^γ further down-weights images the network already gets right, which are "
        "mostly the frequent classes. Together they trade head-class accuracy for tail-class accuracy; "
        "on a balanced test set that is a net gain when the tail gains more than the head loses.",
    ]
    return "\n".join(facts + why)


# ---------------------------------------------------------------- MyModel


ARCH_SECTIONS = r"architecture|design|idea|why"  # headings of MYMODEL.md shown on the architecture slide


def mymodel_texts(info, accuracy=None):
    """(architecture, hyper-parameters, accuracy) texts for the three MyModel slides."""
    if info["design"]:
        # the design sections if the file has them (its results are on the other slides)
        design = results.markdown_sections(info["design"], ARCH_SECTIONS) or info["design"]
        arch = results.markdown_to_lines(design)
    else:
        arch = "part2-pytorch/MYMODEL.md: %s." % results.MISSING
    if info["config"]:
        # one line per section of the YAML file, then the notes its authors wrote at its top
        lines = ["From part2-pytorch/configs/config_mymodel.yaml:"]
        for section, values in info["config"].items():
            if isinstance(values, dict):
                lines.append("• %s: %s" % (section, "; ".join("%s %s" % kv for kv in values.items())))
            else:
                lines.append("• %s: %s" % (section, values))
        if info.get("comment"):
            lines += ["", info["comment"]]
        hp = "\n".join(lines)
    else:
        hp = "part2-pytorch/configs/config_mymodel.yaml: %s." % results.MISSING
    lines = []
    if accuracy is not None:
        lines.append("Checkpoint part2-pytorch/checkpoints/mymodel.pth on the CIFAR-10 test set: %.2f%% "
                     "(%d/%d images)." % (100 * accuracy[0] / accuracy[1], accuracy[0], accuracy[1]))
    elif info["checkpoint"]:
        lines.append("Checkpoint part2-pytorch/checkpoints/mymodel.pth exists; not evaluated in this build.")
    else:
        lines.append("Checkpoint part2-pytorch/checkpoints/mymodel.pth: %s." % results.MISSING)
    run = info["run"]
    if run:
        lines.append("Training run (runs/config_mymodel/metrics.csv): last epoch %.2f%%, best epoch %.2f%%, "
                     "%d epochs, %.1f min of training." % (run["final"], run["best"], run["epochs_done"],
                                                           run["hours"] * 60))
    else:
        lines.append("Training run (runs/config_mymodel/metrics.csv): %s." % results.MISSING)
    return arch, hp, "\n".join(lines)


# ---------------------------------------------------------------- the deck


def _fill_text_paged(prs, key, text):
    """Text answers that need more room continue on extra slides right after (handout rule)."""
    n, slide = deck.find_slide(prs, key)
    _, _, width, height = deck.content_area(slide)
    pages = deck.paginate(text, width, height)
    deck.fill_text(slide, pages[0])
    for k, page in enumerate(pages[1:], start=1):
        extra = deck.insert_slide_after(prs, n + k - 1, "%s+%d" % (key, k), BY_KEY[key].title + " (continued)")
        left, top, width, height = deck.content_area(extra)
        box = extra.shapes.add_textbox(left, top, width, height)
        box.name = "Answer"
        deck.fill_text(extra, page)


def _add_plot_after(prs, key, path, caption):
    n, _ = deck.find_slide(prs, key)
    # keep plots in a stable order after any earlier extra slides of this key
    while n + 1 < len(prs.slides) and deck.slide_key(prs.slides[n + 1]).startswith(key + "+"):
        n += 1
    k = sum(1 for s in prs.slides if deck.slide_key(s).startswith(key + "+")) + 1
    extra = deck.insert_slide_after(prs, n, "%s+%d" % (key, k), BY_KEY[key].title + " (plot)")
    deck.fill_picture(extra, path, caption)


def fill_report(template, part1=results.PART1, part2=results.PART2, mymodel_accuracy=None):
    """The filled reference report as a Presentation.

    Inputs:
    - template: path of report_template.pptx
    - part1, part2: the part folders to read results from (tests point them at fixtures)
    - mymodel_accuracy: (correct, total) from evaluating checkpoints/mymodel.pth, or None
    """
    prs = Presentation(template)
    _, title = deck.find_slide(prs, "title")
    deck.fill_text(title, "Reference solution: the staff answer key, filled in by `make report` from the "
                          "kit's code and results files.", size=16)

    # theory: computed by answer_key
    deck.fill_text(deck.find_slide(prs, "q1a")[1], answer_key.q1a_text())
    _, q1b = deck.find_slide(prs, "q1b")
    symbols = answer_key.conv_matrix_symbols()
    header = ["A  (row = y, column = x)"] + ["x(%d,%d)" % divmod(c, 3) for c in range(9)]
    _, out = answer_key.conv_taps()
    rows = [["y(%d,%d)" % divmod(r, out)] + row for r, row in enumerate(symbols)]
    deck.fill_table(q1b, header, rows, note=answer_key.q1b_text(), height=deck.Inches(4.5), font=12)
    for key, x0 in zip(["q2_x2", "q2_xm1", "q2_x1"], answer_key.Q2_POINTS):
        deck.fill_text(deck.find_slide(prs, key)[1], answer_key.q2_text(x0))
    deck.fill_text(deck.find_slide(prs, "q3")[1], "\n".join(answer_key.Q3_ANSWER))

    for key in ["paper_choice", "paper_review", "paper1_q1", "paper1_q2", "paper2_q1", "paper2_q2"]:
        deck.fill_text(deck.find_slide(prs, key)[1], NO_REFERENCE)

    # Part 1
    _, curve = deck.find_slide(prs, "part1_curve")
    plot = results.part1_plot(part1)
    if plot:
        deck.fill_picture(curve, plot, "part1-convnet/train.png, written by the notebook (make run-part1)")
    else:
        deck.fill_text(curve, "part1-convnet/train.png: %s (make run-part1 writes it)." % results.MISSING)

    # MyModel
    arch, hp, acc = mymodel_texts(results.mymodel_info(part2), mymodel_accuracy)
    _fill_text_paged(prs, "mymodel_arch", arch)
    _fill_text_paged(prs, "mymodel_hparams", hp)
    deck.fill_text(deck.find_slide(prs, "mymodel_acc")[1], acc)

    # long-tailed study
    runs = results.load_runs(part2)
    for key, group in results.lt_groups().items():
        rows = [lt_row(label, name, runs.get(name)) for label, name in group]
        deck.fill_table(deck.find_slide(prs, key)[1], list(LT_HEADER), rows,
                        note=lt_note([n for _, n in group]), font=10)
    _fill_text_paged(prs, "lt_explain", lt_observations(runs))
    # make results' plots, each on an extra slide after the table it belongs to
    for name, path in results.results_plots(part2).items():
        key = "lt_ce" if name.startswith("curves") else "lt_beta" if "beta" in name else "lt_ce_vs_focal"
        _add_plot_after(prs, key, path, "part2-pytorch/results/%s (make results)" % name)
    return prs


def write_report(template, out, **kw):
    deck.save(fill_report(template, **kw), out)
    return out

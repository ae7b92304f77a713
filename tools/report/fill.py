"""`make report`: the committed template, filled with the answer key and the kit's results.

    python -m tools.report fill [--out-dir dist/report]

Opens report_template.pptx, finds each slide by its key, and adds the reference
answer under the slide's prompt: the computed theory key, Part 1's plot, the MyModel
slide, the three per-class tables (and `make results`' plots on extra slides right
after their table), the observations. An answer that does not fit continues on
extra slides right after its slide, as the handout allows students to do. What
does not exist yet is written as "not available yet".
"""
import os
import re

from pptx import Presentation
from pptx.util import Inches

from . import answer_key, deck, run_data
from .slides import BY_KEY

NO_REFERENCE = ("No reference answer: each student writes their own, about the paper they chose. "
                "Graded on what the handout's questions ask for, within its word limits.")
ANSWER_AREA = (0.30, 1.15, 9.40, 4.30)  # under the prompt of slides 2-8
EXTRA_AREA = (0.30, 0.85, 9.40, 4.60)   # an extra slide's text, under its heading
DASH = "–"
SUBSET_NOTE = ("These long-tailed runs used an earlier draw of the long-tailed training set (a NumPy "
               "default_rng permutation per class), made before the kit switched to the course's sampling "
               "procedure: the same class sizes (5000 down to 50 images), other images.")
HEADINGS = {  # the heading of an extra slide that continues a slide's answer
    "theory_q1": "Theory PS Q1 (continued)", "theory_q2": "Theory PS Q2 (continued)",
    "theory_q3": "Theory PS Q3 (continued)", "mymodel_design": "My CNN Model (continued)",
    "lt_ce": "Data Wrangling: CE loss (plot)", "lt_beta": "Data Wrangling: CB-Focal, beta (plot)",
    "lt_compare": "Data Wrangling: CE against CB-Focal (plot)", "lt_explain": "Observations (continued)",
}


# ---------------------------------------------------------------- extra slides


def _extra_slide(prs, key, layout="TITLE_ONLY"):
    """A new slide right after `key` and the extra slides already following it."""
    n, _ = deck.find_slide(prs, key)
    while n + 1 < len(prs.slides) and deck.slide_key(prs.slides[n + 1]).startswith(key + "+"):
        n += 1
    k = sum(1 for s in prs.slides if deck.slide_key(s).startswith(key + "+")) + 1
    slide = deck.insert_slide_after(prs, n, "%s+%d" % (key, k), layout)
    title = slide.shapes.title
    title.left, title.top, title.width, title.height = deck.box((0.30, 0.15, 9.40, 0.60))
    deck.set_text(title.text_frame, HEADINGS.get(key, key), 20, bold=True)
    return slide


def answer(prs, key, where, text, name="Answer", min_size=9, details=None):
    """Write `text` in the box `where` of slide `key`; what does not fit goes on extra slides.

    `details`, if given, is a longer text that follows on extra slides of its own.
    """
    _, slide = deck.find_slide(prs, key)
    width, height = deck.box(where)[2:]
    sizes = tuple(s for s in (14, 12, 11, 10, 9, 8) if s >= min_size)
    size = deck.fitting_size(text, width, height, sizes)
    first, rest = deck.split_to_fit(text, width, height, size)
    if rest is not None:
        first, rest = deck.split_to_fit(text, width, height - deck.Pt(size) * 1.3, size)
        first += "\n(continued on the slides after this one)"
    tb = deck.add_textbox(slide, where, name)
    deck.set_text(tb.text_frame, first, size)
    for more in (rest, details):
        while more is not None:
            extra = _extra_slide(prs, key)
            w, h = deck.box(EXTRA_AREA)[2:]
            page, more = deck.split_to_fit(more, w, h, min(size, 10))
            box = deck.add_textbox(extra, EXTRA_AREA, name)
            deck.set_text(box.text_frame, page, min(size, 10))
    return tb


def _plot_slide(prs, key, path, caption):
    slide = _extra_slide(prs, key)
    deck.add_picture(slide, path, (0.30, 0.80, 9.40, 4.30))
    cap = deck.add_textbox(slide, (0.30, 5.15, 9.40, 0.35), "Caption")
    deck.set_text(cap.text_frame, caption, 10, deck.GREY)


# ---------------------------------------------------------------- theory and papers


def fill_theory(prs):
    _, q1 = deck.find_slide(prs, "theory_q1")
    tb = deck.add_textbox(q1, (0.30, 1.10, 9.40, 0.70), "Answer")
    deck.set_text(tb.text_frame, "(a) " + answer_key.q1a_text(), 11)
    gt = deck.add_table(q1, ["A"] + ["x(%d,%d)" % divmod(c, 3) for c in range(9)],
                        ["y(%d,%d)" % divmod(r, 2) for r in range(4)], (0.30, 1.85, 9.40, 1.50), font=10)
    deck.set_table_rows(gt, [["y(%d,%d)" % divmod(r, 2)] + row
                             for r, row in enumerate(answer_key.conv_matrix_symbols())])
    tb = deck.add_textbox(q1, (0.30, 3.45, 9.40, 1.95), "Answer (b)")
    deck.set_text(tb.text_frame, "(b) A is the table above (rows: y flattened; columns: x flattened).\n"
                  + answer_key.q1b_text(), 10)
    q2 = "\n\n".join(answer_key.q2_text(x0) for x0 in answer_key.Q2_POINTS)
    answer(prs, "theory_q2", ANSWER_AREA, q2)
    answer(prs, "theory_q3", (0.30, 0.60, 9.40, 4.85), "\n".join(answer_key.Q3_ANSWER))
    for key in ("paper_review", "paper_q1", "paper_q2"):
        answer(prs, key, (0.30, 0.60, 9.40, 1.00), NO_REFERENCE)


# ---------------------------------------------------------------- Part 1 and MyModel


def fill_part1(prs, part1):
    _, slide = deck.find_slide(prs, "part1_curve")
    plot = run_data.part1_plot(part1)
    if plot:
        deck.add_picture(slide, plot, (0.30, 0.80, 9.40, 4.30))
        cap = deck.add_textbox(slide, (0.30, 5.15, 9.40, 0.35), "Caption")
        deck.set_text(cap.text_frame, "part1-convnet/train.png, written by the notebook (make run-part1)", 10,
                      deck.GREY)
    else:
        answer(prs, "part1_curve", (0.30, 0.80, 9.40, 1.00),
               "part1-convnet/train.png: %s (make run-part1 writes it)." % run_data.MISSING)


ARCH_SECTIONS = r"architecture|design|idea|why"  # headings of MYMODEL.md shown as the design


def design_summary(markdown):
    """The bold lead-ins of a markdown text's list items ("- **Idea.** why..."), one line each, or None."""
    ideas = [m.strip().rstrip(".") for m in re.findall(r"^\s*[-*] \*\*(.+?)\*\*", markdown, re.M)]
    ideas = [i for i in ideas if i.lower() not in ("recipe", "recipe (the config)")]
    if not ideas:
        return None
    return "In short (MYMODEL.md has the details, on the slides after this one):\n" + \
        "\n".join("• " + run_data.markdown_to_lines(i) for i in ideas)


def mymodel_texts(info, accuracy=None):
    """(design, hyper-parameters, accuracy) texts for the MyModel slide."""
    if info["design"]:
        # the design sections if the file has them (its results are on the accuracy line)
        design = run_data.markdown_sections(info["design"], ARCH_SECTIONS) or info["design"]
        design = run_data.markdown_to_lines(design)
    else:
        design = "MYMODEL.md: %s." % run_data.MISSING
    if info["config"]:
        # one line per section of the YAML file, then the notes its authors wrote at its top
        lines = ["From part2-pytorch/%s:" % info["config_path"]]
        for section, values in info["config"].items():
            if isinstance(values, dict):
                lines.append("• %s: %s" % (section, "; ".join("%s %s" % kv for kv in values.items())))
            else:
                lines.append("• %s: %s" % (section, values))
        if info.get("comment"):
            lines += [""] + info["comment"].split("\n")
        hp = "\n".join(lines)
    else:
        hp = "MyModel's training config: %s." % run_data.MISSING
    lines = []
    if accuracy is not None:
        lines.append("Checkpoint part2-pytorch/checkpoints/mymodel.pth: %.2f%% (%d/%d images of the CIFAR-10 "
                     "test split, which the Part 2 Solver validates on)."
                     % (100 * accuracy[0] / accuracy[1], accuracy[0], accuracy[1]))
    elif info["checkpoint"]:
        lines.append("Checkpoint part2-pytorch/checkpoints/mymodel.pth exists; not evaluated in this build.")
    else:
        lines.append("Checkpoint part2-pytorch/checkpoints/mymodel.pth: %s." % run_data.MISSING)
    run = info["run"]
    if run:
        lines.append("Training run (runs/%s/metrics.csv): last epoch %.2f%%, best epoch %.2f%%, %d epochs, "
                     "%.1f min of training." % (run["name"], run["final"], run["best"], run["epochs_done"],
                                                run["hours"] * 60))
    else:
        lines.append("MyModel's training run (metrics.csv): %s." % run_data.MISSING)
    return design, hp, "\n".join(lines)


def fill_mymodel(prs, part2, runs, accuracy):
    info = run_data.mymodel_info(part2, runs)
    design, hp, acc = mymodel_texts(info, accuracy)
    summary = design_summary(run_data.markdown_sections(info["design"], ARCH_SECTIONS) or info["design"]) \
        if info["design"] else None
    if summary:  # the key ideas on the slide, the whole design on extra slides after it
        answer(prs, "mymodel_design", (0.30, 0.55, 9.40, 1.30), summary, "Answer", min_size=8, details=design)
    else:
        answer(prs, "mymodel_design", (0.30, 0.55, 9.40, 1.30), design, "Answer", min_size=8)
    answer(prs, "mymodel_design", (0.30, 2.30, 9.40, 1.85), hp, "Answer 2", min_size=8)
    answer(prs, "mymodel_design", (0.30, 4.60, 9.40, 0.85), acc, "Answer 3", min_size=8)


# ---------------------------------------------------------------- the long-tailed study


def class_cells(run):
    """The ten per-class accuracies of a run, in %, as the table shows them (1000 images a class)."""
    return ["%.1f" % a for a in run["per_class"]] if run else [DASH] * 10


def beta_label(run):
    return "beta=%g" % run["cfg"]["beta"]  # %g: 0 and 0.9999, as a config writes them


def describe(run, part2):
    """'runs/<name>' (<config path>; <schedule>)."""
    cfg = ""
    if run["cfg_path"]:
        cfg = run["cfg_path"][len(part2) + 1:] if run["cfg_path"].startswith(part2) else run["cfg_path"]
        cfg += "; "
    status = "" if run["done"] else ", still running: %d of %d epochs" % (run["epochs_done"], run["epochs"])
    where = os.path.relpath(run["dir"], part2) if run["dir"].startswith(part2) else run["dir"]
    return "%s (%s%s%s)" % (where, cfg, run_data.schedule_text(run), status)


ACC_NOTE = ("Per-class accuracy (%) on the balanced CIFAR-10 test set (1000 images a class), "
            "at the last tested epoch of each run. ")


def lt_tables(runs):
    """{slide key: table body rows} for the three per-class tables."""
    ce, focal, sweep = run_data.best_ce(runs), run_data.best_focal(runs), run_data.beta_sweep(runs)
    return {
        "lt_ce": [["CE Loss"] + class_cells(ce)],
        "lt_beta": [[beta_label(r)] + class_cells(r) for r in sweep] or [["beta=?"] + class_cells(None)],
        "lt_compare": [["CE Loss"] + class_cells(ce), ["CB-Focal"] + class_cells(focal)],
    }


def lt_notes(runs, part2):
    ce, focal, sweep = run_data.best_ce(runs), run_data.best_focal(runs), run_data.beta_sweep(runs)
    missing = "no finished run yet: %s." % run_data.MISSING
    notes = {}
    notes["lt_ce"] = ACC_NOTE + ("Best CE run: %s, top-1 %.2f%%." % (describe(ce, part2), ce["final"])
                                 if ce else "CE: " + missing)
    if sweep:
        notes["lt_beta"] = ACC_NOTE + "CB-Focal with gamma = 1, one run per beta (beta = 0: no reweighting), " \
            "all on one schedule: %s. Top-1: %s." % (run_data.schedule_text(sweep[0]), ", ".join(
                "beta=%g %.2f%%" % (r["cfg"]["beta"], r["final"]) for r in sweep))
    else:
        notes["lt_beta"] = ACC_NOTE + "Beta sweep: " + missing
    if ce and focal:
        same = run_data.schedule(ce) == run_data.schedule(focal)
        notes["lt_compare"] = ACC_NOTE + "CE Loss: %s, top-1 %.2f%%. CB-Focal, the best CB-Focal run (beta %s, " \
            "gamma %s): %s, top-1 %.2f%%.%s" % (
                describe(ce, part2), ce["final"], focal["cfg"].get("beta"), focal["cfg"].get("gamma"),
                describe(focal, part2), focal["final"], " Both on the same schedule." if same else "")
    else:
        notes["lt_compare"] = ACC_NOTE + "CE against CB-Focal: " + missing
    return {k: v + " " + SUBSET_NOTE for k, v in notes.items()}


def lt_observations(runs):
    """Facts read off the tables (only for runs that exist), then the reasoning."""
    facts = []
    mean = lambda run, s: sum(run["per_class"][s]) / len(run["per_class"][s])  # noqa: E731
    head, tail = slice(0, 3), slice(7, 10)
    ce, focal, sweep = run_data.best_ce(runs), run_data.best_focal(runs), run_data.beta_sweep(runs)
    if ce and focal:
        facts.append("• Best CB-Focal against best CE: top-1 %.2f%% against %.2f%% (%+.2f); frequent classes "
                     "0-2: %.1f%% against %.1f%%; rare classes 7-9: %.1f%% against %.1f%%."
                     % (focal["final"], ce["final"], focal["final"] - ce["final"], mean(focal, head),
                        mean(ce, head), mean(focal, tail), mean(ce, tail)))
    else:
        facts.append("• CB-Focal against CE: %s." % run_data.MISSING)
    if sweep:
        best = max(sweep, key=lambda r: r["final"])
        facts.append("• Beta sweep (gamma = 1, %s): %s; best beta = %g."
                     % (run_data.schedule_text(sweep[0]),
                        ", ".join("beta=%g: %.2f%%" % (r["cfg"]["beta"], r["final"]) for r in sweep),
                        best["cfg"]["beta"]))
        # gamma at the best beta, on the same schedule
        gammas = [r for r in runs.values() if run_data.is_long_tailed(r) and r["cfg"].get("loss_type") == "Focal"
                  and run_data.schedule(r) == run_data.schedule(best)
                  and float(r["cfg"].get("beta", -1)) == float(best["cfg"]["beta"])]
        if len(gammas) > 1:
            gammas.sort(key=lambda r: float(r["cfg"].get("gamma", 1.0)))
            facts.append("• Gamma at beta = %g: %s." % (best["cfg"]["beta"], ", ".join(
                "gamma=%s: %.2f%%" % (r["cfg"].get("gamma"), r["final"]) for r in gammas)))
    else:
        facts.append("• Beta sweep: %s." % run_data.MISSING)
    why = [
        "",
        "Why (the mechanism; the numbers above show how strongly it acts here):",
        "• With CE every image counts once, so the gradient is dominated by the frequent classes: the "
        "decision boundaries move into the rare classes' space, and their test accuracy falls far "
        "below that of the frequent classes.",
        "• Class-balanced weights scale each class's loss by 1/E_n, with E_n = (1-beta^n)/(1-beta) the effective "
        "number of samples. beta = 0 gives equal weights (no reweighting); beta -> 1 approaches inverse "
        "frequency. Extra images of a class overlap in what they teach, so E_n grows slower than n: a large "
        "beta gives the rare classes enough weight to matter, a small one changes almost nothing, and too "
        "large a one can over-correct (beta = 0.9999 on the short schedule).",
        "• The focal term (1-p)^gamma further down-weights images the network already gets right, which are "
        "mostly the frequent classes. Together they trade head-class accuracy for tail-class accuracy; "
        "on a balanced test set that is a net gain when the tail gains more than the head loses.",
        "",
        SUBSET_NOTE,
    ]
    return "\n".join(facts + why)


def fill_long_tailed(prs, part2, runs):
    tables, notes = lt_tables(runs), lt_notes(runs, part2)
    for key in ("lt_ce", "lt_beta", "lt_compare"):
        _, slide = deck.find_slide(prs, key)
        gt = deck.shape(slide, "Table")
        deck.set_table_rows(gt, tables[key])
        top = (gt.top + gt.height) / Inches(1) + 0.08
        note = deck.add_textbox(slide, (0.30, top, 9.40, 5.50 - top), "Note")
        width, height = note.width, note.height
        deck.set_text(note.text_frame, notes[key], deck.fitting_size(notes[key], width, height, (10, 9, 8)),
                      deck.GREY)
    answer(prs, "lt_explain", (0.30, 1.25, 9.40, 4.20), lt_observations(runs))
    # make results' plots, each on an extra slide after the table it belongs to
    for name, path in run_data.results_plots(part2).items():
        key = "lt_ce" if name.startswith("curves") else "lt_beta" if "beta" in name else "lt_compare"
        _plot_slide(prs, key, path, "part2-pytorch/results/%s (make results). Long-tailed runs on the earlier "
                                    "subset: see the table's note." % name)


# ---------------------------------------------------------------- the deck


def fill_report(template, part1=run_data.PART1, part2=run_data.PART2, mymodel_accuracy=None):
    """The filled reference report as a Presentation.

    Inputs:
    - template: path of report_template.pptx
    - part1, part2: the part folders to read results from (tests point them at fixtures)
    - mymodel_accuracy: (correct, total) from evaluating checkpoints/mymodel.pth, or None
    """
    prs = Presentation(template)
    for key in BY_KEY:  # fail early, and clearly, on a template of another layout
        deck.find_slide(prs, key)
    _, first = deck.find_slide(prs, "theory")
    sub = [s for s in first.placeholders if s.name != "Prompt"]
    if sub:
        deck.set_text(sub[0].text_frame, "Staff reference report, filled in by `make report` from the kit's "
                                         "code and results files.", 16, deck.GREY)
    runs = run_data.load_runs(part2)
    fill_theory(prs)
    fill_part1(prs, part1)
    fill_mymodel(prs, part2, runs, mymodel_accuracy)
    fill_long_tailed(prs, part2, runs)
    return prs


def write_report(template, out, **kw):
    deck.save(fill_report(template, **kw), out)
    return out

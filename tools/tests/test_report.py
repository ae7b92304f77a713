"""The write-up: the template against the course's, the theory answer key, and `make report`'s tables.

The template's facts (slide size, 18 slides, "DO NOT TAG" section slides, the three
per-class tables with their labels and positions, layouts, no point values) are
written here from ORIGINAL_KIT.md section 8, not read from tools/report/slides.py.
The answer key is checked against torch's conv2d and Part 1's Conv2D (Q1) and torch
autograd in float64 (Q2). The filled report's tables are checked against the runs'
CSVs read here with the csv module. Run: python -m pytest tools/tests/test_report.py
"""
import csv
import glob
import os
import re
import shutil
import tempfile
import unittest

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt

from tools.paths import import_from
from tools.report import answer_key, deck, fill, run_data, template

TEMPLATE = os.path.join(ROOT, "report_template.pptx")
EMU_PER_IN = 914400
TOL = 0.02  # inches

# ---------------------------------------------------------------- ORIGINAL_KIT.md section 8, as facts

KIT_SLIDES = 18
KIT_SIZE = (9144000, 5143500)
KIT_TITLE = "Assignment 2 Writeup"
KIT_LAYOUTS = ["TITLE", "SECTION_HEADER", "TITLE_AND_BODY", "TITLE_AND_TWO_COLUMNS", "TITLE_ONLY",
               "ONE_COLUMN_TEXT", "MAIN_POINT", "SECTION_TITLE_AND_DESCRIPTION", "CAPTION_ONLY", "BIG_NUMBER",
               "BLANK"]
KIT_SLIDE_LAYOUTS = (["TITLE"] + ["TITLE_ONLY"] * 3 + ["TITLE"] + ["TITLE_ONLY"] * 3 + ["TITLE"]
                     + ["TITLE_AND_BODY"] * 9)
# slide number (1-based): its heading, the line above "DO NOT TAG"
KIT_TITLE_SLIDES = {1: "Assignment 2 Theory Problem Set", 5: "Assignment 2 Paper Review",
                    9: "Assignment 2 Writeup"}
KIT_SECTION_SLIDES = {10: "Part-1 ConvNet", 12: "My CNN Model", 14: "Data Wrangling"}
KIT_SECTION_BOX = (0.70, 2.09, 8.61, 1.41)
KIT_PROMPT_BOX = (0.12, 0.07, 9.81, 5.42)  # the title placeholder of slides 2-8
KIT_PROMPT_STARTS = {2: "Theory PS Q1.", 3: "Theory PS Q2.", 4: "Theory PS Q3.", 7: "Paper specific Q1.",
                     8: "Paper specific Q2."}
KIT_HEADER = ["", "Class \n0", "Class\n1", "Class\n2", "Class 3", "Class 4", "Class 5", "Class 6", "Class 7",
              "Class 8", "Class 9"]
# slide: (rows, columns, first-column labels below the header, (left, top, width, height) in inches)
KIT_TABLES = {15: (2, 11, ["CE Loss"], (0.47, 2.63, 8.89, 1.33)),
              16: (3, 11, ["beta=?", "beta=?"], (0.14, 2.63, 9.16, 1.99)),
              17: (3, 11, ["CE Loss", "CB-Focal"], (0.41, 2.61, 9.39, 1.99))}
RED, BLUE = RGBColor(0xFF, 0x00, 0x00), RGBColor(0x00, 0x70, 0xC0)
POINT_VALUE = re.compile(r"\b(points?|pts?)\b|\d+\s*(%|percent)\s*of\s*(the\s*)?grade", re.I)


def inches(shape):
    return tuple(round(v / EMU_PER_IN, 3) for v in (shape.left, shape.top, shape.width, shape.height))


def all_text(prs):
    """Every piece of text in a deck: shapes, table cells, and the notes if any."""
    out = []
    for slide in prs.slides:
        for s in slide.shapes:
            if s.has_text_frame:
                out.append(s.text_frame.text)
            if s.has_table:
                out += [c.text for row in s.table.rows for c in row.cells]
    return "\n".join(out)


def rgb(run):
    """A run's own colour, or None when it has none (it inherits one)."""
    return run.font.color.rgb if run.font.color.type is not None else None


def paragraphs(slide):
    return [p for s in slide.shapes if s.has_text_frame for p in s.text_frame.paragraphs]


def is_do_not_tag(p):
    """The paragraph is exactly DO NOT TAG, every run bold, red and 24 pt."""
    runs = [r for r in p.runs if r.text]
    return (p.text == "DO NOT TAG" and bool(runs)
            and all(r.font.bold and r.font.size == Pt(24) and rgb(r) == RED for r in runs))


def part1_conv2d():
    """Part 1's Conv2D class, or None when Part 1 is not there (yet)."""
    path = os.path.join(ROOT, "part1-convnet")
    if not os.path.isfile(os.path.join(path, "modules", "convolution.py")):
        return None
    return import_from(path, "modules.convolution", "Conv2D")


class TestTemplateIsTheCourses(unittest.TestCase):
    """report_template.pptx against ORIGINAL_KIT.md section 8."""

    @classmethod
    def setUpClass(cls):
        if not os.path.isfile(TEMPLATE):
            raise unittest.SkipTest("report_template.pptx is missing: run `make report` (it regenerates it)")
        cls.prs = Presentation(TEMPLATE)
        cls.slides = list(cls.prs.slides)

    def test_size_count_and_title(self):
        self.assertEqual((self.prs.slide_width, self.prs.slide_height), KIT_SIZE)
        self.assertEqual(len(self.slides), KIT_SLIDES)
        self.assertEqual(self.prs.core_properties.title, KIT_TITLE)

    def test_layouts(self):
        self.assertEqual(sorted(layout.name for layout in self.prs.slide_layouts), sorted(KIT_LAYOUTS))
        self.assertEqual([s.slide_layout.name for s in self.slides], KIT_SLIDE_LAYOUTS)
        # every layout's placeholders fit the 16:9 slide
        for layout in self.prs.slide_layouts:
            for ph in layout.placeholders:
                self.assertLessEqual(ph.top + ph.height, KIT_SIZE[1], (layout.name, ph.name))
                self.assertLessEqual(ph.left + ph.width, KIT_SIZE[0], (layout.name, ph.name))

    def test_do_not_tag_on_every_section_slide_and_nowhere_else(self):
        marked = set(KIT_TITLE_SLIDES) | set(KIT_SECTION_SLIDES)
        for n, slide in enumerate(self.slides, start=1):
            paras = paragraphs(slide)
            mentions = [p for p in paras if "DO NOT TAG" in p.text]
            if n in marked:
                self.assertEqual(len(mentions), 1, n)
                self.assertTrue(is_do_not_tag(mentions[0]), "slide %d: DO NOT TAG not bold red 24 pt on its own "
                                                            "line" % n)
                heading = (KIT_TITLE_SLIDES.get(n) or KIT_SECTION_SLIDES[n])
                texts = [p.text for p in paras]
                self.assertEqual(texts[texts.index("DO NOT TAG") - 1], heading, n)
            else:
                self.assertEqual(mentions, [], n)

    def test_title_slides(self):
        for n, heading in KIT_TITLE_SLIDES.items():
            slide = self.slides[n - 1]
            title = slide.shapes.title
            self.assertTrue(title.text_frame.text.startswith(heading), n)
            if n == 1:
                self.assertEqual(title.text_frame.paragraphs[0].runs[0].font.size, Pt(40))
            others = [ph for ph in slide.placeholders if ph.placeholder_format.idx != 0]
            if n == 5:
                self.assertEqual(others, [], "the paper review's title slide has no body placeholder")
            else:
                self.assertEqual(len(others), 1, n)
                self.assertEqual(others[0].text_frame.text, "", n)

    def test_section_boxes(self):
        for n in KIT_SECTION_SLIDES:
            boxes = [s for s in self.slides[n - 1].shapes if s.has_text_frame and "DO NOT TAG" in s.text_frame.text]
            self.assertEqual(len(boxes), 1, n)
            self.assertFalse(boxes[0].is_placeholder, n)
            np.testing.assert_allclose(inches(boxes[0]), KIT_SECTION_BOX, atol=TOL, err_msg=str(n))

    def test_prompt_slides_2_to_8(self):
        for n in (2, 3, 4, 6, 7, 8):  # slide 5 is the paper review's title slide
            title = self.slides[n - 1].shapes.title
            self.assertIsNotNone(title, n)
            np.testing.assert_allclose(inches(title), KIT_PROMPT_BOX, atol=TOL, err_msg=str(n))
            sizes = {r.font.size for p in title.text_frame.paragraphs for r in p.runs if r.text}
            self.assertEqual(sizes, {Pt(12)}, n)
            if n in KIT_PROMPT_STARTS:
                self.assertTrue(title.text_frame.text.startswith(KIT_PROMPT_STARTS[n]), n)
        for n in (2, 3):  # the show-your-work notice is red; answers are boxed
            title = self.slides[n - 1].shapes.title
            red = [r.text for p in title.text_frame.paragraphs for r in p.runs if rgb(r) == RED]
            self.assertTrue(any("work" in t for t in red), n)
            self.assertIn("box", title.text_frame.text)
            self.assertIn("", [p.text for p in title.text_frame.paragraphs])  # the blank line
        self.assertIn("review", self.slides[5].shapes.title.text_frame.text)

    def test_tables(self):
        for n, slide in enumerate(self.slides, start=1):
            tables = [s for s in slide.shapes if s.has_table]
            if n not in KIT_TABLES:
                self.assertEqual(tables, [], n)
                continue
            rows, cols, labels, where = KIT_TABLES[n]
            self.assertEqual(len(tables), 1, n)
            t = tables[0].table
            self.assertEqual((len(t.rows), len(t.columns)), (rows, cols), n)
            cells = [[c.text for c in row.cells] for row in t.rows]
            self.assertEqual(cells[0], KIT_HEADER, n)
            self.assertEqual([row[0] for row in cells[1:]], labels, n)
            self.assertEqual({c for row in cells[1:] for c in row[1:]}, {""}, n)
            np.testing.assert_allclose(inches(tables[0]), where, atol=TOL, err_msg=str(n))

    def test_body_slides(self):
        s11, s13, s18 = self.slides[10], self.slides[12], self.slides[17]
        self.assertIn("training curve", s11.placeholders[1].text_frame.text)
        # slide 13: a body placeholder at the top, then two text boxes at ~1.9 in and ~4.2 in
        body = [ph for ph in s13.placeholders if ph.placeholder_format.idx == 1]
        self.assertEqual(len(body), 1)
        boxes = sorted((s for s in s13.shapes if s.has_text_frame and not s.is_placeholder), key=lambda s: s.top)
        self.assertLess(body[0].top, boxes[0].top)
        self.assertEqual([round(b.top / EMU_PER_IN, 1) for b in boxes], [1.9, 4.2])
        texts = [body[0].text_frame.text] + [b.text_frame.text for b in boxes]
        self.assertIn("design", texts[0])
        self.assertIn("hyper-parameters", texts[1])
        self.assertIn("accuracy", texts[2])
        self.assertIn("validation set", texts[2])
        prompts = {n: self.slides[n - 1].placeholders[1].text_frame.text for n in (15, 16, 17)}
        self.assertIn("cross-entropy (CE)", prompts[15])
        self.assertIn("per-class accuracy", prompts[15])
        for word in ("CB-Focal", "beta", "per-class accuracy", "add rows"):
            self.assertIn(word, prompts[16])
        for word in ("CE", "best CB-Focal"):
            self.assertIn(word, prompts[17])
        # slide 18: the blue 9 pt guidance with WHY and DO NOT in bold
        blue = [p for p in paragraphs(s18) if p.runs and all(rgb(r) == BLUE for r in p.runs if r.text)]
        self.assertEqual(len(blue), 1)
        self.assertEqual({r.font.size for r in blue[0].runs if r.text}, {Pt(9)})
        bold = {r.text for r in blue[0].runs if r.font.bold}
        self.assertEqual(bold, {"WHY", "DO NOT"})

    def test_no_point_values_notes_or_images(self):
        self.assertIsNone(POINT_VALUE.search(all_text(self.prs)))
        for n, slide in enumerate(self.slides, start=1):
            self.assertFalse(slide.has_notes_slide, n)
            self.assertEqual([s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE], [], n)


class TestTemplateBuild(unittest.TestCase):
    def test_committed_template_is_what_the_script_builds_byte_for_byte(self):
        tmp = tempfile.mkdtemp()
        try:
            a, b = os.path.join(tmp, "a.pptx"), os.path.join(tmp, "b.pptx")
            template.write_template(a)
            template.write_template(b)
            with open(a, "rb") as fa, open(b, "rb") as fb:
                built = fa.read()
                self.assertEqual(built, fb.read())
            with open(TEMPLATE, "rb") as f:
                self.assertEqual(f.read(), built, "report_template.pptx is stale: run `make report`")
            self.assertEqual(Presentation(a).core_properties.modified, deck.FIXED_DATE)
        finally:
            shutil.rmtree(tmp)



class TestAnswerKeyQ1(unittest.TestCase):
    def test_dimensions(self):
        self.assertEqual(answer_key.conv_matrix(np.ones((3, 3))).shape, (4, 9))
        self.assertIn("A is 4 × 9", answer_key.q1a_text())

    def test_entries_closed_form(self):
        # derived by hand: with padding 2 and stride 4 each window sees one corner of X
        expected = [["0"] * 9 for _ in range(4)]
        expected[0][0], expected[1][2], expected[2][6], expected[3][8] = "w(2,2)", "w(2,0)", "w(0,2)", "w(0,0)"
        self.assertEqual(answer_key.conv_matrix_symbols(), expected)

    def test_matches_torch_conv2d(self):
        rng = np.random.default_rng(0)
        cases = [(3, 3, 4, 2), (5, 3, 1, 1), (6, 3, 2, 0), (4, 2, 3, 2)]  # (input, kernel, stride, pad)
        for in_size, k, s, p in cases:
            w = rng.standard_normal((k, k))
            A = answer_key.conv_matrix(w, stride=s, pad=p, in_size=in_size)
            x = rng.standard_normal((8, in_size, in_size))
            ref = F.conv2d(torch.from_numpy(x)[:, None], torch.from_numpy(w)[None, None], stride=s, padding=p)
            np.testing.assert_allclose(x.reshape(8, -1) @ A.T, ref.reshape(8, -1).numpy(), rtol=0, atol=1e-12,
                                       err_msg="input %d kernel %d stride %d pad %d" % (in_size, k, s, p))

    def test_matches_part1_conv2d(self):
        Conv2D = part1_conv2d()
        if Conv2D is None:
            self.skipTest("part1-convnet/modules/convolution.py is not present")
        rng = np.random.default_rng(1)
        conv = Conv2D(1, 1, kernel_size=3, stride=4, padding=2)
        w = rng.standard_normal((3, 3))
        conv.weight, conv.bias = w[None, None].copy(), np.zeros(1)
        x = rng.standard_normal((16, 1, 3, 3))
        y = conv.forward(x)
        self.assertEqual(y.shape, (16, 1, 2, 2))
        np.testing.assert_allclose(x.reshape(16, 9) @ answer_key.conv_matrix(w).T, y.reshape(16, 4),
                                   rtol=0, atol=1e-12)

    def test_bad_kernel(self):
        with self.assertRaisesRegex(ValueError, "square"):
            answer_key.conv_matrix(np.ones((2, 3)))


class TestAnswerKeyQ2(unittest.TestCase):
    def torch_h(self, x):
        n = {k: torch.tensor(v, dtype=torch.float64) for k, v in answer_key.Q2_NET.items()}
        a1 = torch.relu(n["W1"] @ x.view(1) + n["b1"])
        a2 = torch.relu(n["W2"] @ a1 + n["b2"])
        return (n["W3"] @ a2 + n["b3"]).squeeze()

    def test_matches_autograd(self):
        for x0 in answer_key.Q2_POINTS:
            x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
            h = self.torch_h(x)
            (slope,) = torch.autograd.grad(h, x)
            got = answer_key.relu_net_local_linear(x0)
            self.assertAlmostEqual(got["W"], slope.item(), places=12)
            self.assertAlmostEqual(got["h"], h.item(), places=12)
            self.assertAlmostEqual(got["W"] * x0 + got["b"], h.item(), places=12)

    def test_closed_form(self):
        # by hand: all units on at x = 2 and 1 (W = 1*(1*1.5+2*.5) + 1*(2*1.5+1*.5) = 6);
        # at x = -1 the first unit of layer 1 is off (W = (2+1)*0.5 = 1.5); b = 3 in all three
        want = {2.0: (6.0, 3.0, 15.0), -1.0: (1.5, 3.0, 1.5), 1.0: (6.0, 3.0, 9.0)}
        for x0, (W, b, h) in want.items():
            got = answer_key.relu_net_local_linear(x0)
            self.assertEqual((got["W"], got["b"], got["h"]), (W, b, h))

    def test_the_affine_piece_holds_nearby(self):
        for x0 in answer_key.Q2_POINTS:
            got = answer_key.relu_net_local_linear(x0)
            for dx in (-1e-3, 1e-3):
                x = torch.tensor(x0 + dx, dtype=torch.float64)
                self.assertAlmostEqual(self.torch_h(x).item(), got["W"] * (x0 + dx) + got["b"], places=12)

    def test_kink_is_refused(self):
        with self.assertRaisesRegex(ValueError, "kink"):
            answer_key.relu_net_local_linear(0.0)  # layer-1 unit 0 has pre-activation 0 there


# ---------------------------------------------------------------- the filled report

COLUMNS = ["epoch", "lr", "train_loss", "train_acc", "test_loss", "test_acc"] + \
          ["class_acc_%d" % i for i in range(10)] + ["seconds"]
CFG = ("Train:\n  epochs: {epochs}\n  learning_rate: 0.1\n  gamma: {gamma}\nnetwork:\n  model: {model}\n"
       "data:\n  imbalance: {imbalance}\n  beta: {beta}\nloss:\n  loss_type: {loss}\n")


def write_run(part2, name, accs, config_dir="configs", epochs=None, loss="CE", beta=0.9999, gamma=1.0,
              imbalance="imbalance", model="ResNet-32"):
    """runs/<name>/metrics.csv with one tested epoch per entry of `accs` (10 class accuracies each)."""
    os.makedirs(os.path.join(part2, "runs", name))
    with open(os.path.join(part2, "runs", name, "metrics.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for e, a in enumerate(accs):
            w.writerow([e + 1, 0.1, 1.0, 0.5, 1.2, sum(a) / 10] + list(a) + [12.5])
    write_config(part2, name, config_dir, epochs=epochs or len(accs), gamma=gamma, model=model,
                 imbalance=imbalance, beta=beta, loss=loss)


def write_config(part2, name, config_dir, **values):
    os.makedirs(os.path.join(part2, config_dir), exist_ok=True)
    with open(os.path.join(part2, config_dir, name + ".yaml"), "w") as f:
        f.write(CFG.format(**values))


def last_tested(run_dir):
    """The last row of a metrics.csv that has test results (untested epochs have empty ones)."""
    with open(os.path.join(run_dir, "metrics.csv"), newline="") as f:
        return [row for row in csv.DictReader(f) if row["test_acc"] != ""][-1]


def csv_cells(run_dir):
    """What a table row must show for a run, straight from its CSV: classes 0-9 in %, 1 decimal."""
    last = last_tested(run_dir)
    return ["%.1f" % (100 * float(last["class_acc_%d" % i])) for i in range(10)]


def csv_top1(run_dir):
    return 100 * float(last_tested(run_dir)["test_acc"])


def table_rows(prs, key):
    _, slide = deck.find_slide(prs, key)
    (table,) = deck.table_cells(slide)
    return table


def flat(v, n=10):
    return [v] * n


class TestFill(unittest.TestCase):
    """`make report` on a fixture of runs written here, configs in both layouts."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.part1, cls.part2 = os.path.join(cls.tmp, "part1"), os.path.join(cls.tmp, "part2")
        os.makedirs(cls.part1)
        p2, staff = cls.part2, os.path.join("experiments", "configs")
        rng = np.random.default_rng(2)
        acc = lambda lo, hi: list(np.round(rng.uniform(lo, hi, 10), 3))  # noqa: E731  (k/1000, like CIFAR)
        # CE on the long-tailed set: "ce_good" is the best (its config in the staff folder, with a
        # course default of the same name in configs/ that must be ignored)
        write_run(p2, "ce_good", [acc(0.2, 0.3), acc(0.6, 0.7)], staff, loss="CE")
        write_config(p2, "ce_good", "configs", epochs=10, gamma=1.0, model="ResNet-32", imbalance="regular",
                     beta=0.9999, loss="Focal")  # a course default of the same name: the staff one wins
        write_run(p2, "ce_poor", [acc(0.3, 0.4)], loss="CE")
        write_run(p2, "ce_balanced", [acc(0.9, 0.95)], loss="CE", imbalance="regular")  # not long-tailed
        write_run(p2, "twolayer", [acc(0.9, 0.95)], loss="CE", model="TwoLayerNet", imbalance="imbalance")
        # the beta sweep: gamma 1, one schedule (1 epoch); a gamma 2 run beside it stays out
        write_run(p2, "sw_b0.99", [acc(0.4, 0.5)], staff, loss="Focal", beta=0.99)
        write_run(p2, "sw_b0.9", [acc(0.3, 0.4)], staff, loss="Focal", beta=0.9)
        write_run(p2, "sw_b0", [acc(0.3, 0.4)], staff, loss="Focal", beta=0)
        write_run(p2, "sw_g2", [acc(0.5, 0.55)], staff, loss="Focal", beta=0.99, gamma=2.0)
        # the best CB focal, on a longer schedule (3 epochs, the last one not tested)
        write_run(p2, "focal_long", [acc(0.2, 0.3), acc(0.7, 0.8)], staff, epochs=3, loss="Focal", beta=0.9999)
        with open(os.path.join(p2, "runs", "focal_long", "metrics.csv"), "a") as f:
            f.write("3,0.1,0.9,0.6,,,,,,,,,,,,,12.5\n")
        # MyModel: its notes, its staff config and its run
        with open(os.path.join(p2, "MYMODEL.md"), "w") as f:
            f.write("# MyModel\n\n## Architecture\n\n- **three** conv stages\n- see [notes](x.md)\n")
            f.write("".join("- design note %d\n" % i for i in range(60)))  # needs extra slides
        write_run(p2, "config_mymodel", [acc(0.9, 0.95)], staff, loss="CE", model="MyModel", imbalance="regular")
        with open(os.path.join(p2, staff, "config_mymodel.yaml")) as f:
            body = f.read()
        with open(os.path.join(p2, staff, "config_mymodel.yaml"), "w") as f:
            f.write("# Recipe: fixture notes\n# second line\n" + body)
        from PIL import Image
        Image.new("RGB", (64, 48), "white").save(os.path.join(cls.part1, "train.png"))
        os.makedirs(os.path.join(p2, "results"))
        Image.new("RGB", (64, 48), "white").save(os.path.join(p2, "results", "accuracy_vs_beta.png"))
        cls.out = os.path.join(cls.tmp, "report.pptx")
        fill.write_report(TEMPLATE, cls.out, part1=cls.part1, part2=p2, mymodel_accuracy=(9312, 10000))
        cls.prs = Presentation(cls.out)
        cls.texts = dict(deck.slide_texts(cls.prs))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def run_dir(self, name):
        return os.path.join(self.part2, "runs", name)

    def text(self, key):
        return "\n".join(t for _, t in self.texts[key] if isinstance(t, str))

    def test_ce_table_holds_the_best_long_tailed_ce_run(self):
        self.assertGreater(csv_top1(self.run_dir("ce_good")), csv_top1(self.run_dir("ce_poor")))
        rows = table_rows(self.prs, "lt_ce")
        self.assertEqual(rows[0], KIT_HEADER)
        self.assertEqual(rows[1:], [["CE Loss"] + csv_cells(self.run_dir("ce_good"))])

    def test_beta_table_has_one_row_per_beta_of_the_sweep(self):
        rows = table_rows(self.prs, "lt_beta")
        self.assertEqual(rows[0], KIT_HEADER)
        self.assertEqual(rows[1:], [["beta=0"] + csv_cells(self.run_dir("sw_b0")),
                                    ["beta=0.9"] + csv_cells(self.run_dir("sw_b0.9")),
                                    ["beta=0.99"] + csv_cells(self.run_dir("sw_b0.99"))])

    def test_compare_table_is_ce_against_the_best_cb_focal(self):
        rows = table_rows(self.prs, "lt_compare")
        self.assertEqual(rows[1:], [["CE Loss"] + csv_cells(self.run_dir("ce_good")),
                                    ["CB-Focal"] + csv_cells(self.run_dir("focal_long"))])

    def test_tables_keep_the_templates_place(self):
        for n, key in [(15, "lt_ce"), (16, "lt_beta"), (17, "lt_compare")]:
            gt = deck.shape(deck.find_slide(self.prs, key)[1], "Table")
            np.testing.assert_allclose(inches(gt), KIT_TABLES[n][3], atol=TOL, err_msg=key)

    def test_notes_give_top1_and_the_earlier_subset(self):
        self.assertIn("top-1 %.2f%%" % csv_top1(self.run_dir("ce_good")), self.text("lt_ce"))
        self.assertIn("beta=0.99 %.2f%%" % csv_top1(self.run_dir("sw_b0.99")), self.text("lt_beta"))
        self.assertIn("top-1 %.2f%%" % csv_top1(self.run_dir("focal_long")), self.text("lt_compare"))
        self.assertIn("experiments/configs/ce_good.yaml", self.text("lt_ce"))
        for key in ("lt_ce", "lt_beta", "lt_compare", "lt_explain"):
            self.assertIn("earlier", self.text(key), key)
            self.assertIn(fill.SUBSET_NOTE, self.text(key) + "\n" + "\n".join(
                self.text(k) for k in self.texts if k.startswith(key + "+")), key)

    def test_observations_are_read_off_the_csvs(self):
        ce, fo = self.run_dir("ce_good"), self.run_dir("focal_long")
        c = [float(v) for v in csv_cells(ce)]
        f = [float(v) for v in csv_cells(fo)]
        self.assertIn("top-1 %.2f%% against %.2f%% (%+.2f); frequent classes 0-2: %.1f%% against %.1f%%; rare "
                      "classes 7-9: %.1f%% against %.1f%%." % (
                          csv_top1(fo), csv_top1(ce), csv_top1(fo) - csv_top1(ce), np.mean(f[:3]),
                          np.mean(c[:3]), np.mean(f[7:]), np.mean(c[7:])), self.text("lt_explain"))
        best = max(["sw_b0", "sw_b0.9", "sw_b0.99"], key=lambda n: csv_top1(self.run_dir(n)))
        self.assertIn("best beta = %s." % best[4:], self.text("lt_explain"))

    def test_answer_key_part1_and_mymodel(self):
        self.assertIn("(a) " + answer_key.q1a_text(), self.text("theory_q1"))
        q1 = table_rows(self.prs, "theory_q1")
        self.assertEqual([row[1:] for row in q1[1:]], answer_key.conv_matrix_symbols())
        for x0 in answer_key.Q2_POINTS:
            self.assertIn(answer_key.q2_text(x0), self.text("theory_q2"))
        self.assertIn("\n".join(answer_key.Q3_ANSWER), self.text("theory_q3"))
        pictures = [s for s in deck.find_slide(self.prs, "part1_curve")[1].shapes
                    if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        self.assertEqual(len(pictures), 1)
        design = "\n".join(self.text(k) for k in self.texts if k.startswith("mymodel_design"))
        self.assertIn("three conv stages", design)
        self.assertEqual([n for n in range(60) if "design note %d\n" % n in design + "\n"], list(range(60)))
        self.assertIn("• Train: epochs 1; learning_rate 0.1; gamma 1.0", design)
        self.assertIn("Recipe: fixture notes\nsecond line", design)
        self.assertIn("experiments/configs/config_mymodel.yaml", design)
        self.assertIn("93.12% (9312/10000 images", self.text("mymodel_design"))

    def test_template_slides_keep_their_order_extras_follow_their_slide(self):
        keys = [deck.slide_key(s) for s in self.prs.slides]
        self.assertEqual([k for k in keys if "+" not in k], [deck.slide_key(s) for s in Presentation(TEMPLATE).slides])
        for n, k in enumerate(keys):
            if "+" in k:
                self.assertTrue(keys[n - 1] == k.split("+")[0] or keys[n - 1].startswith(k.split("+")[0] + "+"), k)
        self.assertEqual(keys[keys.index("lt_beta") + 1], "lt_beta+1")  # make results' beta plot
        self.assertEqual(keys[keys.index("mymodel_design") + 1], "mymodel_design+1")  # a long MYMODEL.md

    def test_no_point_values_in_the_filled_report_either(self):
        self.assertIsNone(POINT_VALUE.search(all_text(self.prs)))

    def test_same_input_same_bytes(self):
        again = os.path.join(self.tmp, "again.pptx")
        fill.write_report(TEMPLATE, again, part1=self.part1, part2=self.part2, mymodel_accuracy=(9312, 10000))
        with open(self.out, "rb") as a, open(again, "rb") as b:
            self.assertEqual(a.read(), b.read())


class TestFillNothingYet(unittest.TestCase):
    def test_empty_parts_give_a_deck_of_missing_marks(self):
        tmp = tempfile.mkdtemp()
        try:
            out = os.path.join(tmp, "report.pptx")
            fill.write_report(TEMPLATE, out, part1=tmp, part2=tmp)
            prs = Presentation(out)
            texts = {k: "\n".join(t for _, t in v if isinstance(t, str)) for k, v in deck.slide_texts(prs)}
            for key in ["part1_curve", "mymodel_design", "lt_ce", "lt_beta", "lt_compare", "lt_explain"]:
                self.assertIn(run_data.MISSING, texts[key], key)
            self.assertEqual(table_rows(prs, "lt_ce")[1], ["CE Loss"] + flat("–"))
            self.assertEqual(table_rows(prs, "lt_compare")[2], ["CB-Focal"] + flat("–"))
            self.assertEqual(len([s for s in prs.slides if "+" not in deck.slide_key(s)]), KIT_SLIDES)
        finally:
            shutil.rmtree(tmp)


def find_config_here(part2, name):
    """A run's config, looked up independently of report.run_data: any <name>.yaml under
    part2-pytorch/ outside data/, one outside the course's configs/ folder first."""
    hits = [p for p in glob.glob(os.path.join(part2, "**", name + ".yaml"), recursive=True)
            if os.sep + "data" + os.sep not in p[len(part2):]]
    hits.sort(key=lambda p: (os.path.dirname(p) == os.path.join(part2, "configs"), p))
    return hits[0] if hits else None


class TestFillCurrentResults(unittest.TestCase):
    """`make report` on the runs the repository holds now: its tables equal their CSVs."""

    @classmethod
    def setUpClass(cls):
        import yaml
        cls.runs = {}  # name: (flattened config, run folder)
        for path in glob.glob(os.path.join(run_data.PART2, "**", "metrics.csv"), recursive=True):
            d = os.path.dirname(path)
            if not any(row["test_acc"] for row in csv.DictReader(open(path, newline=""))):
                continue
            cfg_path = find_config_here(run_data.PART2, os.path.basename(d))
            cfg = {}
            for section in (yaml.safe_load(open(cfg_path)) if cfg_path else {}).values():
                cfg.update(section if isinstance(section, dict) else {})
            cls.runs[os.path.basename(d)] = (cfg, d)
        lt = {n: v for n, v in cls.runs.items() if v[0].get("imbalance") == "imbalance"
              and v[0].get("model") == "ResNet-32"}
        cls.ce = {n: d for n, (c, d) in lt.items() if c.get("loss_type") == "CE"}
        cls.focal = {n: d for n, (c, d) in lt.items() if c.get("loss_type") == "Focal"}
        if not cls.ce or not cls.focal:
            raise unittest.SkipTest("no long-tailed CE and CB focal runs in this checkout")
        cls.tmp = tempfile.mkdtemp()
        out = os.path.join(cls.tmp, "report.pptx")
        fill.write_report(TEMPLATE, out)
        cls.prs = Presentation(out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_ce_row_is_the_best_ce_run(self):
        best = max(csv_top1(d) for d in self.ce.values())
        (row,) = table_rows(self.prs, "lt_ce")[1:]
        self.assertEqual(row[0], "CE Loss")
        match = [n for n, d in self.ce.items() if csv_cells(d) == row[1:]]
        self.assertTrue(match, "the CE row matches no long-tailed CE run's CSV")
        self.assertAlmostEqual(csv_top1(self.ce[match[0]]), best, places=6)
        self.assertEqual(table_rows(self.prs, "lt_compare")[1], row)

    def test_cb_focal_row_is_the_best_cb_focal_run(self):
        best = max(csv_top1(d) for d in self.focal.values())
        row = table_rows(self.prs, "lt_compare")[2]
        self.assertEqual(row[0], "CB-Focal")
        match = [n for n, d in self.focal.items() if csv_cells(d) == row[1:]]
        self.assertTrue(match, "the CB-Focal row matches no long-tailed CB focal run's CSV")
        self.assertAlmostEqual(csv_top1(self.focal[match[0]]), best, places=6)

    def test_beta_rows_are_gamma_1_focal_runs_of_their_beta(self):
        rows = table_rows(self.prs, "lt_beta")[1:]
        self.assertGreaterEqual(len(rows), 2)
        betas = []
        for row in rows:
            beta = float(row[0].split("=", 1)[1])
            betas.append(beta)
            match = [n for n, d in self.focal.items() if csv_cells(d) == row[1:]
                     and float(self.runs[n][0].get("beta")) == beta and float(self.runs[n][0].get("gamma", 1)) == 1]
            self.assertTrue(match, row[0])
        self.assertEqual(betas, sorted(set(betas)))


class TestMarkdownForSlides(unittest.TestCase):
    MD = ("## MyModel\n\nResult: **93%**\n\n### Architecture\n\nThree stages,\nwide and *shallow*.\n\n"
          "| layer | out |\n|---|---|\n| conv | 64 |\n\n#### Detail\n\n- one\n  continued\n- [two](x.md)\n\n"
          "### Ideas, and why\n\nBecause.\n\n### Reproduce\n\n```\npython -m solver\n```\n")

    def test_paragraphs_and_items_are_joined(self):
        self.assertEqual(run_data.markdown_to_lines(self.MD).split("\n")[:12], [
            "MyModel", "", "Result: 93%", "", "Architecture", "", "Three stages, wide and shallow.", "",
            "layer | out", "conv | 64", "", "Detail"])
        self.assertIn("• one continued\n• two", run_data.markdown_to_lines(self.MD))
        self.assertIn("python -m solver", run_data.markdown_to_lines(self.MD))

    def test_sections_by_heading(self):
        picked = run_data.markdown_sections(self.MD, fill.ARCH_SECTIONS)
        self.assertIn("#### Detail", picked)  # a subsection comes with its section
        self.assertIn("Because.", picked)
        self.assertNotIn("Result", picked)
        self.assertNotIn("solver", picked)
        self.assertIsNone(run_data.markdown_sections(self.MD, "nothing like this"))


class TestRenderWithoutLibreOffice(unittest.TestCase):
    def test_pdf_is_skipped_with_a_message(self):
        import io
        from contextlib import redirect_stdout
        from unittest import mock
        from tools.report import render
        with mock.patch.object(render.shutil, "which", return_value=None), redirect_stdout(io.StringIO()) as out:
            self.assertIsNone(render.to_pdf(TEMPLATE, tempfile.gettempdir()))
            self.assertEqual(render.to_pngs("missing.pdf", tempfile.gettempdir()), [])
        self.assertIn("apt-get install", out.getvalue())



class TestMyModelAccuracy(unittest.TestCase):
    # The evaluator itself (part2-pytorch/checkpoint_eval.py) is tested in Part 2's
    # staff_tests/test_checkpoint_eval.py and against the grader's in test_checkpoint_eval.py.
    def test_evaluate_runs_checkpoint_eval(self):
        from unittest import mock
        from tools.report import mymodel_eval
        done = mock.Mock(returncode=0, stdout='{"checkpoints/mymodel.pth": {"correct": 9312, "total": 10000}}\n')
        with mock.patch.object(mymodel_eval.subprocess, "run", return_value=done) as run:
            self.assertEqual(mymodel_eval.evaluate("/p2"), (9312, 10000))
        args, kwargs = run.call_args
        self.assertEqual(args[0][1:], ["checkpoint_eval.py", "--json", "checkpoints/mymodel.pth"])
        self.assertEqual(kwargs["cwd"], "/p2")
        failed = mock.Mock(returncode=1, stdout="", stderr="Traceback...\nRuntimeError: CIFAR-10 was not found\n")
        with mock.patch.object(mymodel_eval.subprocess, "run", return_value=failed):
            with self.assertRaisesRegex(RuntimeError, "CIFAR-10 was not found"):
                mymodel_eval.evaluate("/p2")

    def test_cache_is_keyed_by_checkpoint_and_code(self):
        from unittest import mock
        from tools.report import mymodel_eval
        tmp = tempfile.mkdtemp()
        try:
            os.makedirs(os.path.join(tmp, "checkpoints"))
            ckpt = os.path.join(tmp, "checkpoints", "mymodel.pth")
            with open(ckpt, "wb") as f:
                f.write(b"first")
            with mock.patch.object(mymodel_eval, "evaluate", return_value=(9000, 10000)) as ev:
                self.assertEqual(mymodel_eval.evaluate_cached(tmp, tmp), (9000, 10000))
                self.assertEqual(mymodel_eval.evaluate_cached(tmp, tmp), (9000, 10000))
                self.assertEqual(ev.call_count, 1)
                with open(ckpt, "wb") as f:
                    f.write(b"second")
                ev.return_value = (9300, 10000)
                self.assertEqual(mymodel_eval.evaluate_cached(tmp, tmp), (9300, 10000))
                self.assertEqual(ev.call_count, 2)
                # the same weights in another network: evaluated again
                os.makedirs(os.path.join(tmp, "models"))
                with open(os.path.join(tmp, "models", "my_model.py"), "w") as f:
                    f.write("# changed\n")
                ev.return_value = (9100, 10000)
                self.assertEqual(mymodel_eval.evaluate_cached(tmp, tmp), (9100, 10000))
                self.assertEqual(mymodel_eval.evaluate_cached(tmp, tmp), (9100, 10000))
                self.assertEqual(ev.call_count, 3)
        finally:
            shutil.rmtree(tmp)

    def test_accuracy_text(self):
        info = {"design": None, "config": None, "config_path": None, "comment": None, "run": None,
                "checkpoint": None}
        _, _, acc = fill.mymodel_texts(info, (9312, 10000))
        self.assertIn("93.12% (9312/10000 images", acc)


if __name__ == "__main__":
    unittest.main()

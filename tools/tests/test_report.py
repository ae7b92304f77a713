"""The write-up: the committed template, the theory answer key, and `make report`'s tables.

The answer key is checked against independent computations: torch's conv2d and
Part 1's Conv2D for Q1, torch autograd in float64 for Q2, and the hand-derived
closed forms. Run: python -m pytest tools/tests/test_report.py
"""
import csv
import os
import shutil
import sys
import tempfile
import unittest

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from report import answer_key, deck, fill, results, slides, template  # noqa: E402
from report.imports import import_from  # noqa: E402
from pptx import Presentation  # noqa: E402
from pptx.enum.shapes import MSO_SHAPE_TYPE  # noqa: E402

TEMPLATE = os.path.join(ROOT, "report_template.pptx")
COLUMNS = ["epoch", "lr", "train_loss", "train_acc", "test_loss", "test_acc"] + \
          ["class_acc_%d" % i for i in range(10)] + ["seconds"]


def part1_conv2d():
    """Part 1's Conv2D class, or None when Part 1 is not there (yet)."""
    path = os.path.join(ROOT, "part1-convnet")
    if not os.path.isfile(os.path.join(path, "modules", "convolution.py")):
        return None
    return import_from(path, "modules.convolution", "Conv2D")


class TestTemplate(unittest.TestCase):
    def setUp(self):
        if not os.path.isfile(TEMPLATE):
            self.fail("report_template.pptx is missing: run `make report` (it regenerates it)")
        self.prs = Presentation(TEMPLATE)

    def test_slides_in_order_with_titles(self):
        keys = [deck.slide_key(s) for s in self.prs.slides]
        self.assertEqual(keys, ["title"] + [s.key for s in slides.SLIDES])
        titles = [s.shapes.title.text_frame.text for s in self.prs.slides]
        self.assertEqual(titles, [slides.TITLE] + [s.title for s in slides.SLIDES])
        # the handout's order: theory, paper review, Part 1, MyModel, data wrangling
        order = ["Theory Q1 (a)", "Theory Q1 (b)", "Theory Q2: W and b at x = 2", "x = −1", "x = 1",
                 "Theory Q3", "Paper review: your choice", "Paper review: the review", "Paper 1", "Paper 1",
                 "Paper 2", "Paper 2", "Part 1: training curve", "MyModel: architecture",
                 "MyModel: hyper-parameters", "MyModel: final accuracy", "ResNet-32 with CE",
                 "several β", "CE against CB focal", "observations and explanations"]
        self.assertEqual(len(order), len(titles) - 1)
        for title, part in zip(titles[1:], order):
            self.assertIn(part, title)

    def test_each_slide_states_the_question_and_marks_the_answer(self):
        for slide, spec in zip(list(self.prs.slides)[1:], slides.SLIDES):
            self.assertEqual(deck.shape(slide, "Question").text_frame.text, spec.ask)
            self.assertEqual(deck.shape(slide, "Answer").text_frame.text, deck.ANSWER_MARK)

    def test_committed_template_is_what_the_script_builds(self):
        built = os.path.join(tempfile.mkdtemp(), "t.pptx")
        try:
            template.write_template(built)
            self.assertEqual(deck.slide_texts(Presentation(built)), deck.slide_texts(self.prs))
        finally:
            shutil.rmtree(os.path.dirname(built))

    def test_generator_is_byte_deterministic(self):
        tmp = tempfile.mkdtemp()
        try:
            a, b = os.path.join(tmp, "a.pptx"), os.path.join(tmp, "b.pptx")
            template.write_template(a)
            template.write_template(b)
            with open(a, "rb") as fa, open(b, "rb") as fb:
                self.assertEqual(fa.read(), fb.read())
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


def write_run(part2, name, per_epoch, cfg_text):
    os.makedirs(os.path.join(part2, "runs", name))
    with open(os.path.join(part2, "runs", name, "metrics.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for e, accs in enumerate(per_epoch):
            w.writerow([e + 1, 0.1, 1.0, 0.5, 1.2, sum(accs) / 10] + list(accs) + [12.5])
    with open(os.path.join(part2, "configs", name + ".yaml"), "w") as f:
        f.write(cfg_text)


def read_csv_last(part2, name):
    """The last row that has test results (epochs skipped by test_every > 1 have empty ones)."""
    with open(os.path.join(part2, "runs", name, "metrics.csv"), newline="") as f:
        return [row for row in csv.DictReader(f) if row["test_acc"] != ""][-1]


def expected_cells(part2, name):
    """What a table row must show for a run, straight from its CSV: classes 0-9 and top-1, in %."""
    last = read_csv_last(part2, name)
    return ["%.1f" % (100 * float(last["class_acc_%d" % i])) for i in range(10)] + \
           ["%.2f" % (100 * float(last["test_acc"]))]


def deck_rows(prs, key):
    _, slide = deck.find_slide(prs, key)
    (table,) = deck.table_cells(slide)
    return table


class TestFill(unittest.TestCase):
    """`make report` on a small fixture of results written here."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.part1 = os.path.join(cls.tmp, "part1")
        cls.part2 = os.path.join(cls.tmp, "part2")
        os.makedirs(cls.part1)
        os.makedirs(os.path.join(cls.part2, "configs"))
        cfg = "Train:\n  epochs: %d\n  gamma: %s\nloss:\n  loss_type: %s\ndata:\n  imbalance: imbalance\n  beta: %s\n"
        rng = np.random.default_rng(2)
        acc = lambda: list(np.round(rng.uniform(0.2, 0.95, 10), 3))  # noqa: E731  (k/1000, like CIFAR)
        write_run(cls.part2, "config_resnet32_lt_ce", [acc(), acc(), acc()], cfg % (3, 1.0, "CE", 0.9999))
        write_run(cls.part2, "config_resnet32_lt_cbfocal", [acc(), acc()], cfg % (5, 1.0, "Focal", 0.9999))
        write_run(cls.part2, "config_resnet32_lt_sweep_b0.99", [acc()], cfg % (1, 1.0, "Focal", 0.99))
        # an epoch not tested (test_every > 1) leaves its test columns empty: the row before counts
        with open(os.path.join(cls.part2, "runs", "config_resnet32_lt_cbfocal", "metrics.csv"), "a") as f:
            f.write("3,0.1,0.9,0.6,,,,,,,,,,,,,12.5\n")
        with open(os.path.join(cls.part2, "MYMODEL.md"), "w") as f:
            f.write("# MyModel\n\n- **three** conv stages\n- see [notes](x.md)\n")
            f.write("".join("- design note %d\n" % i for i in range(60)))  # needs a second slide
        with open(os.path.join(cls.part2, "configs", "config_mymodel.yaml"), "w") as f:
            f.write("# Recipe: fixture notes\n# second line\nTrain:\n  batch_size: 512\n  learning_rate: 0.4\n"
                    "network:\n  model: MyModel\n")
        from PIL import Image
        Image.new("RGB", (64, 48), "white").save(os.path.join(cls.part1, "train.png"))
        os.makedirs(os.path.join(cls.part2, "results"))
        Image.new("RGB", (64, 48), "white").save(os.path.join(cls.part2, "results", "accuracy_vs_beta.png"))
        cls.out = os.path.join(cls.tmp, "report.pptx")
        fill.write_report(TEMPLATE, cls.out, part1=cls.part1, part2=cls.part2)
        cls.prs = Presentation(cls.out)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_tables_equal_metrics_files(self):
        ce = deck_rows(self.prs, "lt_ce")
        self.assertEqual(ce[0], fill.LT_HEADER)
        self.assertEqual(ce[1][0], "CE")
        self.assertEqual(ce[1][1:5], ["CE", "–", "–", "3"])
        self.assertEqual(ce[1][5:], expected_cells(self.part2, "config_resnet32_lt_ce"))
        both = {row[0]: row for row in deck_rows(self.prs, "lt_ce_vs_focal")[1:]}
        focal = both["CB focal (β=0.9999, γ=1)"]
        self.assertEqual(focal[1:5], ["Focal", "0.9999", "1.0", "3/5"])
        self.assertEqual(focal[5:], expected_cells(self.part2, "config_resnet32_lt_cbfocal"))
        sweep = {row[0]: row for row in deck_rows(self.prs, "lt_beta")[1:]}
        self.assertEqual(sweep["CB focal β=0.99, γ=1.0"][5:], expected_cells(self.part2, "config_resnet32_lt_sweep_b0.99"))

    def test_observations_are_read_off_the_tables(self):
        ce = [float(v) for v in expected_cells(self.part2, "config_resnet32_lt_ce")]
        fo = [float(v) for v in expected_cells(self.part2, "config_resnet32_lt_cbfocal")]
        text = dict(deck.slide_texts(self.prs))["lt_explain"][-1]
        self.assertIn("• CB focal against CE, headline schedule (still running): top-1 %.2f%% vs %.2f%% "
                      "(%+.2f points); frequent classes 0-2: %.1f%% vs %.1f%%; rare classes 7-9: %.1f%% vs %.1f%%."
                      % (fo[10], ce[10], fo[10] - ce[10], np.mean(fo[0:3]), np.mean(ce[0:3]),
                         np.mean(fo[7:10]), np.mean(ce[7:10])), text)
        self.assertIn("course-default 10 epochs: " + results.MISSING, text)
        self.assertIn("β sweep (γ = 1): β=0.99: %s%%; best β = 0.99."
                      % expected_cells(self.part2, "config_resnet32_lt_sweep_b0.99")[10], text)

    def test_missing_runs_are_marked_not_invented(self):
        ce = deck_rows(self.prs, "lt_ce")
        self.assertIn(results.MISSING, ce[2][0])  # the 10-epoch course config has no metrics here
        self.assertEqual(set(ce[2][1:]), {"–"})
        sweep = deck_rows(self.prs, "lt_beta")[1:]
        self.assertEqual(sum(results.MISSING in row[0] for row in sweep), len(sweep) - 1)
        texts = dict(deck.slide_texts(self.prs))
        self.assertIn(results.MISSING, texts["mymodel_acc"][-1])

    def test_answer_key_is_in_the_deck(self):
        texts = dict(deck.slide_texts(self.prs))
        self.assertIn(answer_key.q1a_text(), texts["q1a"])
        q1b = deck_rows(self.prs, "q1b")
        self.assertEqual([row[1:] for row in q1b[1:]], answer_key.conv_matrix_symbols())
        for key, x0 in zip(["q2_x2", "q2_xm1", "q2_x1"], answer_key.Q2_POINTS):
            self.assertIn(answer_key.q2_text(x0), texts[key])
        self.assertIn("W = 6,  b = 3", answer_key.q2_text(2.0))
        self.assertIn("W = 1.5,  b = 3", answer_key.q2_text(-1.0))
        self.assertIn("\n".join(answer_key.Q3_ANSWER), texts["q3"])
        self.assertIn("three conv stages", texts["mymodel_arch"][-1])
        self.assertIn("• Train: batch_size 512; learning_rate 0.4\n• network: model MyModel\n\n"
                      "Recipe: fixture notes\nsecond line", texts["mymodel_hparams"][-1])

    def test_pictures_and_continued_answers(self):
        keys = [deck.slide_key(s) for s in self.prs.slides]
        pictures = lambda key: [sh for sh in deck.find_slide(self.prs, key)[1].shapes  # noqa: E731
                                if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
        self.assertEqual(len(pictures("part1_curve")), 1)
        # make results' plot goes on an extra slide right after its table
        self.assertEqual(keys[keys.index("lt_beta") + 1], "lt_beta+1")
        self.assertEqual(len(pictures("lt_beta+1")), 1)
        # a long MYMODEL.md continues on extra slides right after, losing no line
        i = keys.index("mymodel_arch")
        self.assertEqual(keys[i + 1], "mymodel_arch+1")
        texts = dict(deck.slide_texts(self.prs))
        arch = "\n".join(texts[k][-1] for k in keys if k == "mymodel_arch" or k.startswith("mymodel_arch+"))
        self.assertEqual([n for n in range(60) if "design note %d\n" % n in arch + "\n"], list(range(60)))

    def test_question_slides_keep_their_order(self):
        keys = [deck.slide_key(s) for s in self.prs.slides if "+" not in deck.slide_key(s)]
        self.assertEqual(keys, ["title"] + slides.KEYS)

    def test_same_input_same_deck(self):
        again = os.path.join(self.tmp, "again.pptx")
        fill.write_report(TEMPLATE, again, part1=self.part1, part2=self.part2)
        with open(self.out, "rb") as a, open(again, "rb") as b:
            self.assertEqual(a.read(), b.read())


class TestFillNothingYet(unittest.TestCase):
    def test_empty_parts_give_a_deck_of_missing_marks(self):
        tmp = tempfile.mkdtemp()
        try:
            out = os.path.join(tmp, "report.pptx")
            fill.write_report(TEMPLATE, out, part1=tmp, part2=tmp)
            prs = Presentation(out)
            texts = dict(deck.slide_texts(prs))
            for key in ["part1_curve", "mymodel_arch", "mymodel_hparams", "mymodel_acc"]:
                self.assertIn(results.MISSING, texts[key][-1], key)
            for key in ["lt_ce", "lt_beta", "lt_ce_vs_focal"]:
                self.assertTrue(all(results.MISSING in row[0] for row in deck_rows(prs, key)[1:]), key)
            self.assertEqual(len(prs.slides), len(slides.SLIDES) + 1)
        finally:
            shutil.rmtree(tmp)


class TestMarkdownForSlides(unittest.TestCase):
    MD = ("## MyModel\n\nResult: **93%**\n\n### Architecture\n\nThree stages,\nwide and *shallow*.\n\n"
          "| layer | out |\n|---|---|\n| conv | 64 |\n\n#### Detail\n\n- one\n  continued\n- [two](x.md)\n\n"
          "### Ideas, and why\n\nBecause.\n\n### Reproduce\n\n```\npython -m solver\n```\n")

    def test_paragraphs_and_items_are_joined(self):
        self.assertEqual(results.markdown_to_lines(self.MD).split("\n")[:12], [
            "MyModel", "", "Result: 93%", "", "Architecture", "", "Three stages, wide and shallow.", "",
            "layer | out", "conv | 64", "", "Detail"])
        self.assertIn("• one continued\n• two", results.markdown_to_lines(self.MD))
        self.assertIn("python -m solver", results.markdown_to_lines(self.MD))

    def test_sections_by_heading(self):
        picked = results.markdown_sections(self.MD, fill.ARCH_SECTIONS)
        self.assertIn("#### Detail", picked)  # a subsection comes with its section
        self.assertIn("Because.", picked)
        self.assertNotIn("Result", picked)
        self.assertNotIn("solver", picked)
        self.assertIsNone(results.markdown_sections(self.MD, "nothing like this"))


class TestRenderWithoutLibreOffice(unittest.TestCase):
    def test_pdf_is_skipped_with_a_message(self):
        import io
        from contextlib import redirect_stdout
        from unittest import mock
        from report import render
        with mock.patch.object(render.shutil, "which", return_value=None), redirect_stdout(io.StringIO()) as out:
            self.assertIsNone(render.to_pdf(TEMPLATE, tempfile.gettempdir()))
            self.assertEqual(render.to_pngs("missing.pdf", tempfile.gettempdir()), [])
        self.assertIn("apt-get install", out.getvalue())


class TestFillCurrentResults(unittest.TestCase):
    """`make report` on whatever results the repository holds now: its tables equal the CSVs."""

    def test_tables_equal_current_metrics(self):
        tmp = tempfile.mkdtemp()
        try:
            out = os.path.join(tmp, "report.pptx")
            fill.write_report(TEMPLATE, out)
            prs = Presentation(out)
            runs = results.load_runs()
            for key, group in results.lt_groups().items():
                rows = deck_rows(prs, key)[1:]
                self.assertEqual(len(rows), len(group))
                for row, (_, name) in zip(rows, group):
                    if name in runs:
                        self.assertEqual(row[5:], expected_cells(results.PART2, name), name)
                    else:
                        self.assertIn(results.MISSING, row[0])
        finally:
            shutil.rmtree(tmp)


class TestMyModelAccuracy(unittest.TestCase):
    def test_test_set_loader(self):
        from report import mymodel_eval
        try:
            x, y = mymodel_eval.load_test_set(results.PART2)
        except FileNotFoundError as e:
            self.skipTest(str(e))
        self.assertEqual(tuple(x.shape), (10000, 3, 32, 32))
        self.assertEqual(torch.bincount(y).tolist(), [1000] * 10)
        self.assertEqual(y[0].item(), 3)  # test[0] is a cat (SPEC section 4)
        # undo the normalisation: pixels are k/255 in [0, 1]
        mean = torch.tensor(mymodel_eval.MEAN).view(1, 3, 1, 1)
        std = torch.tensor(mymodel_eval.STD).view(1, 3, 1, 1)
        raw = (x[:100] * std + mean) * 255
        self.assertLess((raw - raw.round()).abs().max().item(), 1e-3)
        self.assertGreaterEqual(raw.min().item(), -1e-3)
        self.assertLessEqual(raw.max().item(), 255 + 1e-3)

    def test_cache_is_keyed_by_checkpoint(self):
        from unittest import mock
        from report import mymodel_eval
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
        finally:
            shutil.rmtree(tmp)

    def test_accuracy_text(self):
        info = {"design": None, "config": None, "comment": None, "run": None, "checkpoint": None}
        _, _, acc = fill.mymodel_texts(info, (9312, 10000))
        self.assertIn("93.12% (9312/10000 images)", acc)


if __name__ == "__main__":
    unittest.main()

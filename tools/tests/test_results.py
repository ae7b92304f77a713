"""`make results`: the README's tables are exactly the numbers in the metrics CSVs."""
import csv
import os
import shutil
import tempfile
import unittest

from tools.study import make_results

COLUMNS = ["epoch", "lr", "train_loss", "train_acc", "test_loss", "test_acc"] + \
          ["class_acc_%d" % i for i in range(10)] + ["seconds"]


def write_run(part2, name, accs_per_epoch, cfg_text, seconds=30.0):
    os.makedirs(os.path.join(part2, "runs", name))
    with open(os.path.join(part2, "runs", name, "metrics.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for e, per_class in enumerate(accs_per_epoch):
            w.writerow([e + 1, 0.1, 1.0 / (e + 1), 0.5, 1.2, sum(per_class) / 10] + list(per_class) + [seconds])
        # an epoch skipped by test_every: empty test columns, its time still counts
        w.writerow([len(accs_per_epoch) + 1, 0.1, 0.1, 0.5] + [""] * 12 + [seconds])
    with open(os.path.join(part2, "experiments", "configs", name + ".yaml"), "w") as f:
        f.write(cfg_text)


class TestMakeResults(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.part2 = os.path.join(self.tmp, "part2")
        os.makedirs(os.path.join(self.part2, "experiments", "configs"))
        self.readme = os.path.join(self.tmp, "README.md")
        with open(self.readme, "w") as f:
            f.write("# kit\n\nbefore\n<!-- results:begin -->\nold text\n<!-- results:end -->\nafter\n")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_tables_equal_csv_values(self):
        ce = [[0.1 * i for i in range(10)], [0.05 + 0.09 * i for i in range(10)]]
        write_run(self.part2, "config_resnet32_lt_ce", ce,
                  "Train:\n  epochs: 2\n  gamma: 1.0\nloss:\n  loss_type: CE\ndata:\n  beta: 0.9999\n")
        cb = [[0.7] * 10, [0.5, 0.6, 0.7, 0.8, 0.9, 0.55, 0.65, 0.75, 0.85, 0.95]]
        write_run(self.part2, "config_resnet32_lt_cbfocal", cb,
                  "Train:\n  epochs: 4\n  gamma: 1.0\nloss:\n  loss_type: Focal\ndata:\n  beta: 0.9999\n")
        write_run(self.part2, "config_resnet32_lt_sweep_sigmoid_b0.9999", cb[:1],
                  "Train:\n  epochs: 1\n  gamma: 2.0\nloss:\n  loss_type: SigmoidFocal\n  loss_module: "
                  "experiments.sigmoid_focal\ndata:\n  beta: 0.9999\n")
        make_results.main(["--part2", self.part2, "--readme", self.readme])
        text = open(self.readme).read()
        self.assertTrue(text.startswith("# kit\n\nbefore\n<!-- results:begin -->\n"))
        self.assertTrue(text.endswith("<!-- results:end -->\nafter\n"))
        self.assertNotIn("old text", text)
        rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[1:-1]]
                for line in text.splitlines() if line.startswith("| C")}
        # every long-tailed run so far used the earlier subset: marked, and the note says what changed
        self.assertIn(make_results.SUBSET_NOTE, text)
        self.assertTrue(make_results.SUBSET_NOTE.startswith("† made with the earlier long-tailed subset"))
        ce_row = rows["CE †"]
        # last epoch's per-class accuracies, in percent with one decimal
        self.assertEqual(ce_row[5:15], ["%.1f" % (100 * a) for a in ce[-1]])
        self.assertEqual(ce_row[15], "%.2f" % (100 * sum(ce[-1]) / 10))
        self.assertEqual(ce_row[17], "%.2f" % (100 * max(sum(ce[0]) / 10, sum(ce[-1]) / 10)))
        self.assertEqual(ce_row[18], "70.36")  # the paper's number beside ours
        cb_row = rows["CB focal (β=0.9999, γ=1) †"]
        self.assertEqual(cb_row[1:4], ["Focal", "0.9999", "1"])  # as written in the config
        self.assertIn("(running: 3/4 epochs)", cb_row[15])  # unfinished runs are marked
        self.assertEqual(cb_row[19], "%.2f h" % (3 * 30.0 / 3600))
        sigmoid = [l for l in text.splitlines() if l.startswith("| sigmoid b0.9999 † |")][0].split("|")
        self.assertEqual([c.strip() for c in sigmoid[2:6]], ["SigmoidFocal", "0.9999", "2", "1"])
        self.assertEqual(sigmoid[16].strip(), "%.2f" % (100 * sum(cb[0]) / 10))
        missing = [l for l in text.splitlines() if l.startswith("| b0.9 † |")]  # listed, never invented
        self.assertEqual(len(missing), 1)
        self.assertIn("| not run yet |", missing[0])
        for png in ["curves.png", "per_class_ce_vs_cbfocal.png"]:
            self.assertTrue(os.path.getsize(os.path.join(self.part2, "results", png)) > 1000)
        # regenerating gives the same text
        make_results.main(["--part2", self.part2, "--readme", self.readme])
        self.assertEqual(open(self.readme).read(), text)

    def test_schedule_is_described_from_the_config(self):
        configs = os.path.join(self.part2, "experiments", "configs")
        with open(os.path.join(configs, "config_resnet32_lt_ce.yaml"), "w") as f:
            f.write("Train:\n  batch_size: 128\n  learning_rate: 0.1\n  reg: 0.0002\n  epochs: 200\n"
                    "  steps: [160, 180]\n  schedule: step\n  lr_decay: 0.01\n  warmup: 5\n  momentum: 0.9\n")
        self.assertEqual(make_results.schedule_text("config_resnet32_lt_ce", self.part2),
                         "200 epochs, batch 128, SGD momentum 0.9, weight decay 0.0002, lr 0.1 after a "
                         "5-epoch linear warm-up, x0.01 after epoch 160 and x0.0001 after epoch 180")
        with open(os.path.join(configs, "config_resnet32_ce.yaml"), "w") as f:
            f.write("Train:\n  epochs: 10\n  schedule: cosine\n")  # Solver defaults for the rest
        self.assertEqual(make_results.schedule_text("config_resnet32_ce", self.part2),
                         "10 epochs, batch 128, SGD momentum 0.9, weight decay 0.0005, lr 0.0001, "
                         "cosine decay to 0")
        with open(os.path.join(configs, "config_course.yaml"), "w") as f:
            f.write("Train:\n  epochs: 10\n  warmup: 2\n")  # the course's per-epoch schedule
        self.assertEqual(make_results.schedule_text("config_course", self.part2),
                         "10 epochs, batch 128, SGD momentum 0.9, weight decay 0.0005, lr 0.0001 after a "
                         "2-epoch linear warm-up (per epoch), x0.1 after epoch 6 and x0.01 after epoch 8")
        self.assertIsNone(make_results.schedule_text("config_absent", self.part2))
        make_results.main(["--part2", self.part2, "--readme", self.readme])
        self.assertIn("**Headline** (same schedule for both). Schedule (`experiments/configs/config_resnet32_lt_ce.yaml`): "
                      "200 epochs,", open(self.readme).read())

    def test_findings_compare_finished_runs_only(self):
        def run(name, acc, loss="Focal", beta=0.9999, gamma=1.0, epochs=2):
            module = "\n  loss_module: experiments.sigmoid_focal" if loss == "SigmoidFocal" else ""
            write_run(self.part2, name, [[acc] * 10], "Train:\n  epochs: %d\n  gamma: %s\nloss:\n  "
                      "loss_type: %s%s\ndata:\n  beta: %s\n" % (epochs, gamma, loss, module, beta))
        run("config_resnet32_lt_ce", 0.70, loss="CE")
        run("config_resnet32_lt_cbfocal", 0.73)
        run("config_resnet32_lt_sweep_b0.9", 0.60, beta=0.9)
        run("config_resnet32_lt_sweep_b0.9999", 0.66)
        run("config_resnet32_lt_sweep_b0.999", 0.90, beta=0.999, epochs=50)  # unfinished: ignored
        run("config_resnet32_lt_sweep_g2", 0.64, gamma=2.0)
        run("config_resnet32_lt_sweep_sigmoid_b0.9999", 0.675, loss="SigmoidFocal")
        make_results.main(["--part2", self.part2, "--readme", self.readme])
        line = [l for l in open(self.readme).read().splitlines() if l.startswith("**In short**")][0]
        self.assertIn("Headline: CB focal minus CE = +3.00 points (paper: +4.21).", line)
        self.assertIn("the best of the 2 finished β values is β = 0.9999 (66.00%).", line)
        self.assertIn("γ at β = 0.9999: γ = 1: 66.00%, γ = 2: 64.00%.", line)
        self.assertIn("(β = 0.9999, same schedule and seed): 67.50% against 66.00% (+1.50 points).", line)

    def test_second_seeds_give_the_spread(self):
        cfg = "Train:\n  epochs: 1\n  seed: %d\nloss:\n  loss_type: CE\n"
        write_run(self.part2, "config_resnet32_paper_ce", [[0.70] * 10], cfg % 0)
        write_run(self.part2, "config_resnet32_paper_ce_seed1", [[0.715] * 10], cfg % 1)
        write_run(self.part2, "config_resnet32_paper_sigmoid_b0.9999_seed1", [[0.8] * 10],
                  "Train:\n  epochs: 200\n  seed: 1\nloss:\n  loss_type: CE\n")  # unfinished
        make_results.main(["--part2", self.part2, "--readme", self.readme])
        text = open(self.readme).read()
        line = [l for l in text.splitlines() if l.startswith("**In short**")][0]
        self.assertIn("Seed to seed, CE: 70.00% (seed 0) and 71.50% (seed 1), +1.50 points.", line)
        self.assertNotIn("Seed to seed, sigmoid", line)
        self.assertNotIn("Mean of the two seeds", line)  # the sigmoid pair is not finished
        rows = [l for l in text.splitlines() if l.startswith("| CE, seed 1 |")]
        self.assertEqual(len(rows), 1)
        self.assertIn("| 71.50 |", rows[0])
        self.assertIn("80.00 (running: 2/200 epochs)", text)  # write_run adds an epoch without a test
        # the paper configuration's own plot, linked from the README
        self.assertGreater(os.path.getsize(os.path.join(self.part2, "results", "paper_config.png")), 1000)
        self.assertIn("[paper_config.png](part2-pytorch/results/paper_config.png)", text)

    def test_the_mean_of_two_seeds_once_all_four_runs_are_done(self):
        cfg = "Train:\n  epochs: 1\n  seed: %d\nloss:\n  loss_type: CE\n"
        for name, acc, seed in [("config_resnet32_paper_ce", 0.7073, 0), ("config_resnet32_paper_ce_seed1", 0.6950, 1),
                                ("config_resnet32_paper_sigmoid_b0.9999", 0.7394, 0),
                                ("config_resnet32_paper_sigmoid_b0.9999_seed1", 0.7430, 1)]:
            write_run(self.part2, name, [[acc] * 10], cfg % seed)
        make_results.main(["--part2", self.part2, "--readme", self.readme])
        line = [l for l in open(self.readme).read().splitlines() if l.startswith("**In short**")][0]
        # (70.73 + 69.50) / 2 = 70.115 (70.12 in floating point), (73.94 + 74.30) / 2 = 74.12; paper: 74.57 - 70.36
        self.assertIn("Mean of the two seeds: CE 70.12%, sigmoid CB focal (β=0.9999, γ=1) 74.12%, difference "
                      "+4.00 points (paper: +4.21).", line)

    def test_the_controlled_run_names_its_one_change(self):
        cfg = "Train:\n  epochs: 1\n  amp: %s\nloss:\n  loss_type: SigmoidFocal\n  loss_module: experiments.sigmoid_focal\n"
        write_run(self.part2, "config_resnet32_paper_sigmoid_b0.9999", [[0.7394] * 10], cfg % True)
        write_run(self.part2, "config_resnet32_paper_sigmoid_b0.9999_fp32", [[0.7452] * 10], cfg % False)
        make_results.main(["--part2", self.part2, "--readme", self.readme])
        text = open(self.readme).read()
        line = [l for l in text.splitlines() if l.startswith("**In short**")][0]
        self.assertIn("One change, same seed: sigmoid CB focal (β=0.9999, γ=1), float32 training (amp: False "
                      "instead of True): 74.52% against 73.94%, +0.58 points.", line)
        rows = [l for l in text.splitlines() if l.startswith("| sigmoid CB focal (β=0.9999, γ=1), float32 training |")]
        self.assertEqual(len(rows), 1)
        self.assertIn("| 74.52 |", rows[0])
        # a second difference is named too, never hidden
        with open(os.path.join(self.part2, "experiments", "configs", "config_resnet32_paper_sigmoid_b0.9999_fp32.yaml"),
                  "w") as f:
            f.write((cfg % False).replace("epochs: 1", "epochs: 1\n  seed: 3"))
        make_results.main(["--part2", self.part2, "--readme", self.readme])
        self.assertIn("(amp: False instead of True, seed: 3 instead of 0)", open(self.readme).read())

    def test_missing_markers_is_a_clear_error(self):
        with open(self.readme, "w") as f:
            f.write("# no markers\n")
        with self.assertRaises(SystemExit) as cm:
            make_results.main(["--part2", self.part2, "--readme", self.readme])
        self.assertIn("<!-- results:begin -->", str(cm.exception))


if __name__ == "__main__":
    unittest.main()

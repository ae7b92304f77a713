"""`make study` (tools/study/run_study.py): the queue, JOBS=2, finished runs and failures,
with a fake Python for the runs."""
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# Stands in for the Python that trains (called as: python -m MODULE --config CONFIG --resume):
# records "<config> <OMP_NUM_THREADS>", plus the module when it is not the solver; fails for "bad".
FAKE_PY = """#!/bin/sh
config="$4"
module=""; [ "$2" = solver ] || module=" $2"
echo "$(basename "$config" .yaml) ${OMP_NUM_THREADS:-unset}$module" >> "$RECORD"
case "$config" in *bad*) exit 3;; esac
"""


class TestRunStudy(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.py = os.path.join(self.tmp, "python")
        with open(self.py, "w") as f:
            f.write(FAKE_PY)
        os.chmod(self.py, stat.S_IRWXU)
        self.record = os.path.join(self.tmp, "record.txt")
        self.part2 = os.path.join(self.tmp, "part2")  # experiments/configs/ and runs/ of the fake study
        os.makedirs(os.path.join(self.part2, "experiments", "configs"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_study(self, *configs, jobs=None):
        env = dict(os.environ, PY=self.py, RECORD=self.record, PART2_DIR=self.part2)
        env.pop("OMP_NUM_THREADS", None)
        if jobs:
            env["JOBS"] = str(jobs)
        r = subprocess.run([sys.executable, "-m", "tools.study.run_study", *configs], cwd=REPO, env=env,
                           capture_output=True, text=True)
        self.output = r.stdout + r.stderr
        calls = open(self.record).read().split("\n")[:-1] if os.path.exists(self.record) else []
        return r.returncode, calls

    def write_config(self, name, text):
        with open(os.path.join(self.part2, "experiments", "configs", name + ".yaml"), "w") as f:
            f.write(text)

    def write_metrics(self, name, last_epoch):
        os.makedirs(os.path.join(self.part2, "runs", name))
        with open(os.path.join(self.part2, "runs", name, "metrics.csv"), "w") as f:
            f.write("epoch,lr\n" + "".join("%d,0.1\n" % e for e in range(1, last_epoch + 1)))

    def test_one_queue_in_order_with_default_threads(self):
        rc, calls = self.run_study("a", "b", "c")
        self.assertEqual(rc, 0)
        self.assertEqual(calls, ["a unset", "b unset", "c unset"])

    def test_two_queues_one_thread_each(self):
        rc, calls = self.run_study("a", "b", "c", "d", "e", jobs=2)
        self.assertEqual(rc, 0)
        self.assertEqual(sorted(calls), ["a 1", "b 1", "c 1", "d 1", "e 1"])
        # each queue keeps its order: a, c, e and b, d
        self.assertLess(calls.index("a 1"), calls.index("c 1"))
        self.assertLess(calls.index("c 1"), calls.index("e 1"))
        self.assertLess(calls.index("b 1"), calls.index("d 1"))

    def test_finished_runs_are_skipped(self):
        # "done": its metrics reach the configured 3 epochs; "partial": 2 of 3; "fresh": no metrics;
        # "default": no epochs key, so the Solver's default, 10 (config.py), which it reached
        for name, last_epoch in (("done", 3), ("partial", 2), ("fresh", None)):
            self.write_config(name, "Train:\n  batch_size: 8\n  epochs: 3\n  warmup: 0\n")
            if last_epoch:
                self.write_metrics(name, last_epoch)
        self.write_config("default", "Train:\n  batch_size: 8\n")
        self.write_metrics("default", 10)
        rc, calls = self.run_study("done", "partial", "fresh", "default")
        self.assertEqual(rc, 0)
        self.assertEqual(calls, ["partial unset", "fresh unset"])
        self.assertIn("== done: finished, skipped", self.output)

    def test_every_run_goes_through_the_solver_whatever_its_loss(self):
        self.write_config("soft", "Train:\n  epochs: 3\nloss:\n  loss_type: Focal\n")
        self.write_config("sig", "Train:\n  epochs: 3\nloss:\n  loss_type: SigmoidFocal\n"
                                 "  loss_module: experiments.sigmoid_focal\n")
        rc, calls = self.run_study("soft", "sig")
        self.assertEqual(rc, 0)
        self.assertEqual(calls, ["soft unset", "sig unset"])

    def test_a_bad_config_stops_its_queue_with_the_reason(self):
        self.write_config("typo", "Train:\n  epochs: ten\n")
        rc, calls = self.run_study("a", "typo", "c")
        self.assertEqual(rc, 1)
        self.assertEqual(calls, ["a unset"])
        self.assertIn("== typo: error: epochs must be a whole number >= 1, got the text 'ten'", self.output)

    def test_the_default_list_is_the_study_in_order(self):
        from tools.study import runs
        rc, calls = self.run_study()
        self.assertEqual(rc, 0)
        self.assertEqual(calls, ["%s unset" % name for name in runs.ORDER])
        self.assertEqual(len(runs.ORDER), 18)
        self.assertEqual(runs.ORDER[:2], ["config_resnet32_ce", "config_resnet32_focal"])
        # the paper's configuration on the course's subset comes last (issue 15), then second seeds
        # and the controlled run
        self.assertEqual(runs.ORDER[-6:], ["config_resnet32_paper_ce", "config_resnet32_paper_sigmoid_b0.9999",
                                           "config_resnet32_paper_cbfocal_b0.999",
                                           "config_resnet32_paper_ce_seed1",
                                           "config_resnet32_paper_sigmoid_b0.9999_seed1",
                                           "config_resnet32_paper_sigmoid_b0.9999_fp32"])
        for name in runs.ORDER:   # every run of the list has its config
            self.assertTrue(os.path.isfile(runs.config_path(name)), name)

    def test_second_seeds_and_the_controlled_run_change_one_setting(self):
        from tools.study import runs
        for _, name, first in runs.PAPER_SEEDS:
            self.assertEqual(runs.differences(name, first), {"seed": (0, 1)}, name)
        self.assertEqual([runs.differences(name, base) for _, name, base in runs.PAPER_CONTROLLED],
                         [{"amp": (True, False)}])
        self.write_config("a", "Train:\n  epochs: 3\n")
        self.write_config("b", "Train:\n  epochs: 3\n  reg: 0.001\n  seed: 2\n")
        self.assertEqual(runs.differences("b", "a", self.part2), {"reg": (0.0005, 0.001), "seed": (0, 2)})
        with self.assertRaises(FileNotFoundError) as cm:
            runs.differences("c", "a", self.part2)
        self.assertIn("no config for run(s) c", str(cm.exception))

    def test_a_failed_run_stops_its_queue_and_fails_the_script(self):
        rc, calls = self.run_study("a", "bad", "c")
        self.assertEqual(rc, 3)
        self.assertEqual(calls, ["a unset", "bad unset"])
        os.remove(self.record)
        rc, calls = self.run_study("a", "bad", "c", "d", jobs=2)  # queues: a, c and bad, d
        self.assertNotEqual(rc, 0)
        self.assertEqual(sorted(calls), ["a 1", "bad 1", "c 1"])


if __name__ == "__main__":
    unittest.main()

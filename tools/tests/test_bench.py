"""The benchmark records (tools/bench/loadwatch.py) and the README generator (tools/bench/readme.py).

No timing is tested here (that is the benchmarks' job, on an idle machine): these tests
check the idle verdict, the CPU accounting, the files and the README blocks.
"""
import json
import os
import tempfile
import time
import unittest
from unittest import mock

from tools.bench import loadwatch, readme


def fake_clock(values):
    """A function returning the given values one call after another."""
    it = iter(values)
    return lambda *a, **k: next(it)


def record(idle=True, load_before=0.12, other=0.03):
    """A small Part 2 record as part2-pytorch/bench.py writes it."""
    return {
        "part": "part2", "command": "python bench.py --threads 1 --runs 5",
        "machine": {"cpu": "Test CPU", "cores": 2, "python": "3.12", "date": "2026-12-01 12:00 UTC"},
        "threshold": 0.5, "caption": "batch 128",
        "tables": [{"name": "solver", "columns": ["model", "baseline (img/s)", "Solver (img/s)",
                                                   "speed-up", "Solver options"],
                    "align": ["l", "r", "r", "r", "l"],
                    "rows": [["TwoLayerNet", "100", "250", "2.50×", "float32"]],
                    "loads": [{"name": "TwoLayerNet", "load_before": load_before,
                               "load_after": 0.9, "other_cpu": other, "idle": idle,
                               "seconds": 10.0}]}],
        "summary": {"min_speedup": 2.5}}


class TestWatch(unittest.TestCase):
    def run_watch(self, load_before, busy, own, seconds):
        """A Watch over fake clocks: busy and own are (start, end) CPU seconds."""
        with mock.patch.object(loadwatch, "settle", lambda *a, **k: load_before), \
                mock.patch.object(loadwatch, "loadavg", fake_clock([0.95])), \
                mock.patch.object(loadwatch, "_busy_seconds", fake_clock(busy)), \
                mock.patch.object(loadwatch, "_own_seconds", fake_clock(own)), \
                mock.patch.object(loadwatch.time, "monotonic", fake_clock([100.0, 100.0 + seconds])), \
                mock.patch("builtins.print"):
            with loadwatch.Watch("t", settle_s=0) as w:
                pass
        return w.record

    def test_other_processes_cpu_excludes_our_own(self):
        # 10 s; the machine was busy 13 CPU-seconds, 9 of them ours: others used 0.4 cores
        r = self.run_watch(0.2, busy=(1000.0, 1013.0), own=(50.0, 59.0), seconds=10.0)
        self.assertAlmostEqual(r["other_cpu"], (13.0 - 9.0) / 10.0)
        self.assertEqual(r["load_before"], 0.2)
        self.assertEqual(r["load_after"], 0.95)     # after: includes our own thread, not judged
        self.assertTrue(r["idle"])

    def test_busy_when_load_before_or_other_cpu_is_above_threshold(self):
        self.assertFalse(self.run_watch(0.6, (0.0, 10.0), (0.0, 10.0), 10.0)["idle"])
        self.assertFalse(self.run_watch(0.1, (0.0, 16.0), (0.0, 10.0), 10.0)["idle"])  # 0.6 cores
        self.assertTrue(self.run_watch(0.5, (0.0, 15.0), (0.0, 10.0), 10.0)["idle"])   # both 0.5

    def test_unknown_load_is_not_idle(self):
        r = self.run_watch(None, busy=(None, None), own=(0.0, 1.0), seconds=1.0)
        self.assertIsNone(r["other_cpu"])
        self.assertFalse(r["idle"])

    def test_own_seconds_counts_this_process(self):
        t0 = loadwatch._own_seconds()
        end = time.process_time() + 0.2
        while time.process_time() < end:      # burn 0.2 s of CPU in this process
            pass
        self.assertGreaterEqual(loadwatch._own_seconds() - t0, 0.19)

    def test_settle_stops_at_threshold(self):
        with mock.patch.object(loadwatch, "loadavg", fake_clock([0.9, 0.7, 0.45])), \
                mock.patch.object(loadwatch.time, "sleep") as sleep, mock.patch("builtins.print"):
            self.assertEqual(loadwatch.settle(60), 0.45)
        self.assertEqual(sleep.call_count, 2)

    def test_write_json_replaces_atomically(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "sub", "r.json")
            loadwatch.write_json(path, {"a": 1})
            loadwatch.write_json(path, {"a": 2, "b": "→"})
            with open(path) as f:
                self.assertEqual(json.load(f), {"a": 2, "b": "→"})
            self.assertEqual(os.listdir(os.path.dirname(path)), ["r.json"])   # no temp left


class TestReadme(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        root = self.tmp.name
        os.makedirs(os.path.join(root, "tools", "bench"))
        self.readme = os.path.join(root, "README.md")
        with open(self.readme, "w") as f:
            f.write("# Kit\n\nintro\n\n<!-- bench:part2:begin -->\nold\n<!-- bench:part2:end -->\n\nrest\n")
        self.rec = os.path.join(root, "tools", "bench", "part2.json")   # the accepted record
        self.new = os.path.join(root, "dist", "bench")                    # make bench's output
        os.makedirs(self.new)
        patches = [mock.patch.object(readme, "ROOT", root),
                   mock.patch.object(readme, "RECORDS", {"part2": self.rec}),
                   mock.patch.object(readme, "BLOCKS", {"README.md": [("part2", "part2")]})]
        for p in patches:
            p.start()
            self.addCleanup(p.stop)

    def tearDown(self):
        self.tmp.cleanup()

    def write_record(self, rec):
        """A new record, as make bench leaves it in dist/bench."""
        with open(os.path.join(self.new, "part2.json"), "w") as f:
            json.dump(rec, f)

    def text(self):
        with open(self.readme) as f:
            return f.read()

    def main(self, *args):
        with mock.patch("builtins.print"):
            return readme.main(list(args))

    def test_idle_record_is_copied_between_the_markers(self):
        self.write_record(record())
        self.assertEqual(self.main("--from", self.new), 0)
        with open(self.rec) as f:
            self.assertEqual(json.load(f), record())      # accepted: it is now the record
        text = self.text()
        block = text[text.index("<!-- bench:part2:begin -->"):text.index("<!-- bench:part2:end -->")]
        self.assertIn("| model | baseline (img/s) | Solver (img/s) | speed-up | Solver options |\n"
                      "|---|---:|---:|---:|---|\n"
                      "| TwoLayerNet | 100 | 250 | 2.50× | float32 |\n", block)
        self.assertIn("smallest speed-up: 2.50×", block)
        self.assertIn("TwoLayerNet: 0.12 before, 0.90 after, other processes 0.03 cores", block)
        self.assertNotIn("old", block)
        self.assertNotIn("Not measured on an idle machine", block)
        self.assertTrue(text.startswith("# Kit\n\nintro\n\n") and text.endswith("\n\nrest\n"))
        self.assertEqual(self.main("--check"), 0)        # idempotent
        self.assertEqual(self.main(), 0)
        self.assertEqual(self.text(), text)

    def test_busy_record_is_refused(self):
        self.write_record(record())
        self.main("--from", self.new)
        before = self.text()
        self.write_record(record(idle=False, load_before=1.7))
        with mock.patch("sys.stderr"):
            self.assertEqual(self.main("--from", self.new), 1)
        self.assertEqual(self.text(), before)
        with open(self.rec) as f:
            self.assertEqual(json.load(f), record())      # the accepted record stays

    def test_cpu_clock_record_is_refused(self):
        # bench.py --clock cpu is for comparing changes on a busy machine: never published
        self.write_record(dict(record(), clock="cpu"))
        before = self.text()
        with mock.patch("builtins.print") as said:
            self.assertEqual(readme.main(["--from", self.new, "--allow-busy"]), 1)
        self.assertIn("--clock cpu", str(said.call_args_list))
        self.assertEqual(self.text(), before)
        self.assertFalse(os.path.exists(self.rec))

    def test_busy_record_is_flagged_with_allow_busy(self):
        self.write_record(record(idle=False, load_before=1.7))
        self.assertEqual(self.main("--from", self.new, "--allow-busy"), 0)
        self.assertIn("**Not measured on an idle machine** (load above 0.5 in TwoLayerNet)",
                      self.text())
        self.assertEqual(self.main("--check"), 0)         # and stays so when re-rendered

    def test_check_reports_a_stale_readme(self):
        self.write_record(record())
        self.assertEqual(self.main("--check", "--from", self.new), 1)
        self.assertFalse(os.path.exists(self.rec))        # --check changes nothing

    def test_from_an_empty_folder_fails(self):
        with mock.patch("sys.stderr"):
            self.assertEqual(self.main("--from", self.new), 1)

    def test_missing_markers_name_the_file(self):
        with open(self.readme, "w") as f:
            f.write("no markers\n")
        with self.assertRaises(readme.BenchError) as e:
            readme.updated_readmes({"part2": record()})
        self.assertIn("README.md has no block <!-- bench:part2:begin -->", str(e.exception))

    def test_optional_readme_without_markers_is_skipped(self):
        self.write_record(record())
        other = os.path.join(self.tmp.name, "OTHER.md")
        with open(other, "w") as f:
            f.write("no markers yet\n")
        blocks = {"README.md": [("part2", "part2")], "OTHER.md": [("part2", "part2")]}
        with mock.patch.object(readme, "BLOCKS", blocks), \
                mock.patch.object(readme, "OPTIONAL", {"OTHER.md"}):
            self.assertEqual(self.main("--from", self.new), 0)
        with open(other) as f:
            self.assertEqual(f.read(), "no markers yet\n")
        self.assertIn("| TwoLayerNet | 100 | 250 | 2.50× | float32 |", self.text())

    def test_no_record_leaves_the_block(self):
        before = self.text()
        self.assertEqual(self.main(), 0)
        self.assertEqual(self.text(), before)


class TestCommittedReadmes(unittest.TestCase):
    def test_readmes_hold_what_the_committed_records_give(self):
        """No benchmark figure typed by hand: the blocks are exactly the rendered records."""
        if not any(os.path.exists(path) for path in readme.RECORDS.values()):
            self.skipTest("no benchmark record committed yet (make bench writes tools/bench/*.json)")
        with mock.patch("builtins.print"):
            readmes = readme.updated_readmes()
        for path, (old, new) in readmes.items():
            self.assertEqual(old, new, "%s differs from the benchmark records: run "
                                       "python -m tools.bench.readme" % path)


if __name__ == "__main__":
    unittest.main()

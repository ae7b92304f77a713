"""hello_do_you_copy in every graded file, and the notebook's set-up check (env_prob)."""
import contextlib
import importlib
import io
import os
import re
import unittest

PART = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FILES = ["modules/conv_classifier", "modules/softmax_ce", "modules/linear", "modules/relu",
         "modules/max_pool", "modules/convolution", "optimizer/_base_optimizer", "optimizer/sgd"]


def printed(fn, *args):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        fn(*args)
    return out.getvalue()


class TestHello(unittest.TestCase):
    def test_each_file_answers_with_its_name(self):
        for f in FILES:
            with self.subTest(file=f):
                module = importlib.import_module(f.replace("/", "."))
                name = os.path.basename(f)
                self.assertEqual(printed(module.hello_do_you_copy), "Roger that from %s.py!\n" % name)

    def test_say_hello_do_you_copy(self):
        from cs7643.env_prob import say_hello_do_you_copy
        lines = printed(say_hello_do_you_copy, PART).splitlines()
        self.assertEqual(lines[0], "---------- Modules ------------------")
        self.assertEqual(lines[1:7], ["Roger that from %s.py!" % os.path.basename(f) for f in FILES[:6]])
        for line, f in zip(lines[7:13], FILES[:6]):
            self.assertRegex(line, r"^%s\.py last edited on \w{3} \w{3} +\d+ [\d:]{8} \d{4}$"
                             % re.escape(os.path.basename(f)))
        self.assertEqual(lines[13:16], ["", "---------- Optimizer ------------------",
                                        "Roger that from _base_optimizer.py!"])
        self.assertEqual(lines[16], "Roger that from sgd.py!")
        self.assertTrue(lines[17].startswith("_base_optimizer.py last edited on "))
        self.assertTrue(lines[18].startswith("sgd.py last edited on "))
        self.assertEqual(len(lines), 19)


if __name__ == "__main__":
    unittest.main()

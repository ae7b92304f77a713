"""The two configs the handout says to train with unmodified keep the handout's values."""

import functools
import importlib.util
import os

from grader.framework import GradedCase, HIDDEN, graded, submission_root
from grader.grading import support_paths

COMMON = dict(batch_size=128, reg=0.0005, epochs=10, steps=[6, 8], warmup=0, momentum=0.9)


@functools.lru_cache(maxsize=None)
def contract():
    """part2-pytorch/config.py, the kit's config reader (the Solver's), from the grader's bundle
    (support/) or the repository: never the submission's copy, whose files are data here."""
    path = dict((rel, src) for src, rel in support_paths("2"))["config.py"]
    spec = importlib.util.spec_from_file_location("grader_kit_config", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def flat(path, rel):
    """The config's keys as written, sections flattened (config.load_config: YAML data only,
    at most a megabyte); a file it refuses fails the test with its one-line reason."""
    config = contract()
    try:
        return config.load_config(path)
    except config.SolverError as e:
        raise AssertionError(str(e).replace(path, rel)[:300]) from None


class TestConfigs(GradedCase):
    def check(self, rel, **expected):
        cfg = flat(os.path.join(submission_root(), rel), rel)
        for key, value in dict(COMMON, **expected).items():
            self.assertIn(key, cfg, "%s has no %r" % (rel, key))
            self.assertEqual(cfg[key], value, "%s: %s is %r; the unmodified config has %r"
                             % (rel, key, cfg[key], value))

    @graded(1, visibility=HIDDEN, requires=["configs/config_twolayer.yaml"])
    def test_twolayer(self):
        """configs/config_twolayer.yaml: unmodified"""
        self.check("configs/config_twolayer.yaml", learning_rate=0.1, model="TwoLayerNet")

    @graded(1, visibility=HIDDEN, requires=["configs/config_vanilla_cnn.yaml"])
    def test_vanilla(self):
        """configs/config_vanilla_cnn.yaml: unmodified"""
        self.check("configs/config_vanilla_cnn.yaml", learning_rate=0.0001, model="VanillaCNN")

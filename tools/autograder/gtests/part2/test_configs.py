"""The two configs the handout says to train with unmodified keep the handout's values."""

import os

import yaml

from grader.framework import GradedCase, HIDDEN, graded, submission_root

COMMON = dict(batch_size=128, reg=0.0005, epochs=10, steps=[6, 8], warmup=0, momentum=0.9)


def flat(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            cfg = yaml.safe_load(f.read(1 << 20))  # data only: safe_load builds no objects
    except yaml.YAMLError as e:
        raise AssertionError("%s is not valid YAML: %s" % (os.path.basename(path), str(e)[:300]))
    out = {}
    for section in (cfg or {}).values() if isinstance(cfg, dict) else []:
        if isinstance(section, dict):
            out.update(section)
    return out


class TestConfigs(GradedCase):
    def check(self, rel, **expected):
        cfg = flat(os.path.join(submission_root(), rel))
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

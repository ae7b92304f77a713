"""The two configs graded unmodified keep the handout's values."""

import yaml

from grader.framework import GradedCase, HIDDEN, graded

COMMON = dict(batch_size=128, reg=0.0005, epochs=10, steps=[6, 8], warmup=0, momentum=0.9)


def flat(path):
    with open(path) as f:
        cfg = yaml.safe_load(f)
    out = {}
    for section in cfg.values():
        if isinstance(section, dict):
            out.update(section)
    return out


class TestConfigs(GradedCase):
    def check(self, path, **expected):
        cfg = flat(path)
        for key, value in dict(COMMON, **expected).items():
            self.assertIn(key, cfg, "%s has no %r" % (path, key))
            self.assertEqual(cfg[key], value, "%s: %s is %r; the unmodified config has %r"
                             % (path, key, cfg[key], value))

    @graded(1, visibility=HIDDEN, requires=["configs/config_twolayer.yaml"])
    def test_twolayer(self):
        """configs/config_twolayer.yaml is unmodified"""
        self.check("configs/config_twolayer.yaml", learning_rate=0.1, model="TwoLayerNet")

    @graded(1, visibility=HIDDEN, requires=["configs/config_vanilla_cnn.yaml"])
    def test_vanilla(self):
        """configs/config_vanilla_cnn.yaml is unmodified"""
        self.check("configs/config_vanilla_cnn.yaml", learning_rate=0.0001, model="VanillaCNN")

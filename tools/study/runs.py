"""The long-tailed study's runs, written once: `make study` trains them in this order and
`make results` puts them in these tables.

A run is a config stem: part2-pytorch/experiments/configs/<stem>.yaml (the staff's configs,
never shipped), trained by `python -m solver --config ... --resume` into
part2-pytorch/runs/<stem>/. What a run trains, its loss included, is in its config (a loss
type other than the course's names the module that registers it: `loss_module:`), so every
run has the same runner.

`config` below is part2-pytorch/config.py, the contract the Solver reads configs with.
"""
import importlib.util
import os

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PART2 = os.path.join(ROOT, "part2-pytorch")
CONFIGS = os.path.join("experiments", "configs")  # relative to part2-pytorch/

# the course's 10-epoch schedule at lr 0.1, for reference
SHORT = [("CE, 10 epochs", "config_resnet32_ce"),
         ("CB focal, 10 epochs", "config_resnet32_focal")]
# the headline pair, on one schedule
HEADLINE = [("CE", "config_resnet32_lt_ce"), ("CB focal (β=0.9999, γ=1)", "config_resnet32_lt_cbfocal")]
BETA_SWEEP = ["config_resnet32_lt_sweep_b0", "config_resnet32_lt_sweep_b0.9",
              "config_resnet32_lt_sweep_b0.99", "config_resnet32_lt_sweep_b0.999",
              "config_resnet32_lt_sweep_b0.9999"]
GAMMA_SWEEP = ["config_resnet32_lt_sweep_g0.5", "config_resnet32_lt_sweep_g2"]
# the paper's sigmoid focal loss (part2-pytorch/experiments/sigmoid_focal.py) on the sweep's schedule
SIGMOID = ["config_resnet32_lt_sweep_sigmoid_b0.9999"]

# The paper's own configuration on the course's long-tailed subset (issue 15): the 200-epoch
# schedule with CE, the paper's sigmoid CB focal loss (beta = 0.9999, gamma = 1), and the kit's
# softmax CB focal loss at beta = 0.999, the sweep's best beta on the 50-epoch schedule.
PAPER_CONFIG = [("CE", "config_resnet32_paper_ce"),
                ("sigmoid CB focal (β=0.9999, γ=1)", "config_resnet32_paper_sigmoid_b0.9999"),
                ("softmax CB focal (β=0.999, γ=1)", "config_resnet32_paper_cbfocal_b0.999")]

# Second seeds (seed: 1, all else equal) of CE and the best CB focal run of PAPER_CONFIG: the
# seed-to-seed spread that a difference between two runs must beat. (label, run, its seed-0 run)
PAPER_SEEDS = [("CE, seed 1", "config_resnet32_paper_ce_seed1", "config_resnet32_paper_ce"),
               ("sigmoid CB focal (β=0.9999, γ=1), seed 1", "config_resnet32_paper_sigmoid_b0.9999_seed1",
                "config_resnet32_paper_sigmoid_b0.9999")]

# One change at a time, same seed: a run that differs from a PAPER_CONFIG run in exactly one
# setting, to test one explanation of the gap to the paper. Float32 training: every other run
# trains under bfloat16 autocast (amp: True), the paper in float32. (label, run, its base run)
PAPER_CONTROLLED = [("sigmoid CB focal (β=0.9999, γ=1), float32 training",
                     "config_resnet32_paper_sigmoid_b0.9999_fp32", "config_resnet32_paper_sigmoid_b0.9999")]

# every run of the paper's configuration, as (label, run): one table and one plot show them all
PAPER_RUNS = PAPER_CONFIG + [(label, name) for label, name, _ in PAPER_SEEDS + PAPER_CONTROLLED]

ORDER = [name for _, name in SHORT + HEADLINE] + BETA_SWEEP + GAMMA_SWEEP + SIGMOID + \
    [name for _, name in PAPER_RUNS]


def _load_config_module():
    """part2-pytorch/config.py, loaded from its file (no sys.path entry left behind to shadow
    another part's packages)."""
    spec = importlib.util.spec_from_file_location("part2_config", os.path.join(PART2, "config.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


config = _load_config_module()


def config_path(name, part2=PART2):
    return os.path.join(part2, CONFIGS, name + ".yaml")


def settings(name, part2=PART2):
    """Every setting of run `name` (config.settings: defaults filled in, checked), or None if
    it has no config file. Raises config.SolverError for a bad config."""
    path = config_path(name, part2)
    return config.settings(path) if os.path.isfile(path) else None


def differences(name, base, part2=PART2):
    """The settings in which run `name` differs from run `base`, as {key: (base's value, name's
    value)} (run_name aside: it only names the folder). Both configs must exist."""
    a, b = settings(base, part2), settings(name, part2)
    missing = [n for n, c in ((base, a), (name, b)) if c is None]
    if missing:
        raise FileNotFoundError("no config for run(s) %s in %s" % (", ".join(missing), os.path.join(part2, CONFIGS)))
    return {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b))
            if k != "run_name" and a.get(k) != b.get(k)}

"""The settings of a Part 2 run: reading a YAML config, the defaults, and the checks.

    from config import load_config, settings
    kwargs = load_config("configs/config_twolayer.yaml")  # the keys as written, sections flattened
    run = settings("configs/config_twolayer.yaml")        # every key, defaults filled in, checked

A config is YAML with sections (Train:, network:, data:, loss:) of `key: value` lines; the
Solver takes the keys, flattened, as keyword arguments. The course's keys and defaults are
COURSE_DEFAULTS (solver.py pops them with the same defaults, as the course's code does);
this kit's optional keys are EXTRA_DEFAULTS (train_utils.py says what each does).

Everything that reads a config reads it here: the Solver (check_solver, before any data is
loaded), `python -m solver`, the staff's study and results tables (tools/study/), the
report (tools/report/) and the autograder's check that the given configs are unmodified.
A bad file or value raises SolverError, whose one-line message names the key, what was
expected and the fix.

Loss types: the course's "CE" and "Focal" are built by solver.py. An experiment adds one
with register_loss, in a module that a config names with `loss_module:` (imported when the
Solver is built); LOSSES lists them all, as MODELS lists the models solver.py builds.
"""
import difflib
import glob
import importlib
import math
import os
import warnings

import numpy as np


class SolverError(ValueError):
    """Bad input or a fault the user can fix: a setting, a config file, a saved run, a full disk.

    The message is one line: it names the input, says what was expected and how to fix it.
    The command line prints it without a traceback (--debug shows one).
    """


# the course's keys and defaults (ORIGINAL_KIT.md 4a)
COURSE_DEFAULTS = {
    "path_prefix": ".", "imbalance": "regular", "batch_size": 128, "model": "TwoLayerNet",
    "device": "cpu", "loss_type": "CE", "learning_rate": 0.0001, "momentum": 0.9, "reg": 0.0005,
    "beta": 0.9999, "gamma": 1.0, "steps": [6, 8], "epochs": 10, "warmup": 0, "save_best": True,
}
# this kit's optional keys (train_utils.py)
EXTRA_DEFAULTS = {
    "seed": 0, "fast_data": True, "amp": False, "channels_last": False,
    "label_smoothing": 0.0, "nesterov": False, "schedule": "course", "lr_decay": 0.1,
    "crop_padding": 4, "test_every": 1, "run_name": None, "resume": False,
    "checkpoint_dir": None, "test_root": None, "overwrite": False, "loss_module": None,
    "lookahead": 0, "flip": "random", "warmup_from": 0.0, "decay_to": 0.0,
}
DEFAULTS = dict(COURSE_DEFAULTS, **EXTRA_DEFAULTS)
# the Solver's attribute for a key, where it is not the key itself (solver.py)
ATTRIBUTES = {"model": "model_type", "learning_rate": "lr"}

MODELS = ("TwoLayerNet", "VanillaCNN", "MyModel", "ResNet-32")  # the models solver.py builds
COURSE_LOSSES = ("CE", "Focal")  # the losses solver.py builds
# loss type -> build(solver, cls_num_list) returning the criterion (None: solver.py builds it);
# a config names another loss type only with the loss_module that registers it
LOSSES = dict.fromkeys(COURSE_LOSSES)
IMBALANCES = ("regular", "imbalance")
SCHEDULES = ("course", "step", "cosine", "linear")
FLIPS = ("random", "alternate")

# numeric keys: (whole number?, valid?, what is expected)
NUMBERS = {
    "learning_rate": (False, lambda v: v > 0, "a number > 0"),
    "momentum": (False, lambda v: 0 <= v < 1, "a number from 0 to 1 (1 excluded)"),
    "reg": (False, lambda v: v >= 0, "a number >= 0"),
    "beta": (False, lambda v: 0 <= v < 1, "a number from 0 to 1 (1 excluded)"),
    "gamma": (False, lambda v: v >= 0, "a number >= 0"),
    "batch_size": (True, lambda v: v >= 1, "a whole number >= 1"),
    "epochs": (True, lambda v: v >= 1, "a whole number >= 1"),
    "warmup": (True, lambda v: v >= 0, "a whole number >= 0"),
    "label_smoothing": (False, lambda v: 0 <= v < 1, "a number from 0 to 1 (1 excluded)"),
    "lr_decay": (False, lambda v: v > 0, "a number > 0"),
    "crop_padding": (True, lambda v: 0 <= v <= 16, "a whole number of pixels from 0 to 16"),
    "test_every": (True, lambda v: v >= 1, "a whole number >= 1"),
    "seed": (True, lambda v: v >= 0, "a whole number >= 0, or null (no seeding)"),
    "lookahead": (True, lambda v: v >= 0, "a whole number of steps >= 0 (0: off)"),
    "warmup_from": (False, lambda v: 0 <= v <= 1, "a fraction of learning_rate from 0 to 1"),
    "decay_to": (False, lambda v: 0 <= v <= 1, "a fraction of learning_rate from 0 to 1"),
}
BOOLEANS = ("save_best", "fast_data", "amp", "channels_last", "nesterov", "resume", "overwrite")
DEVICES = "'cpu', 'cuda' (or 'cuda:0', 'cuda:1', ...) or 'mps'"
MAX_BYTES = 1 << 20  # a config is a few hundred bytes; a larger file is not one


def register_loss(name, build):
    """Add the loss type `name`: build(solver, cls_num_list) returns the Solver's criterion.

    Called by the module a config names with `loss_module:`; the Solver calls build after
    its model is built (and before a resumed run's state is restored).
    """
    LOSSES[name] = build


# ------------------------------------------------------------------ one value
def _shown(value):
    """A value as the user wrote it, in YAML's terms: the text 'x', the list [6, 'x'], null."""
    if value is None:
        return "null (an empty value)"
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, str):
        return "the text %r" % value
    if isinstance(value, (list, tuple)):
        return "the list %r" % (list(value),)
    if isinstance(value, dict):
        return "a section %r" % (value,)
    return repr(value)


def _example(key):
    """`key: value` with the key's default, as a config line."""
    value = DEFAULTS.get(key)
    if isinstance(value, bool):
        return "%s: %s" % (key, "true" if value else "false")
    return "%s: %s" % (key, "null" if value is None else value)


def as_bool(key, value):
    """true/false as YAML reads them; anything else (a quoted "False" is true in Python!) is an error."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    word = str(value).strip().lower()
    fix = "false" if word in ("false", "no", "off", "0") else "true" if word in ("true", "yes", "on", "1") \
        else "true or false"
    quoted = " (quoted, so YAML reads it as text)" if isinstance(value, str) else ""
    raise SolverError("%s must be true or false, got %s%s; write %s: %s, without quotes"
                      % (key, _shown(value), quoted, key, fix))


def as_number(key, value):
    """The number a config gives for `key` (NUMBERS), converted; YAML reads 1e-4 (no dot) as text."""
    whole, valid, expected = NUMBERS[key]
    error = SolverError("%s must be %s, got %s; write e.g. %s" % (key, expected, _shown(value), _example(key)))
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, str, np.number)):
        raise error
    try:
        number = float(value)
    except ValueError:
        raise error from None
    if not math.isfinite(number) or (whole and number != int(number)) or not valid(number):
        raise error
    return int(number) if whole else number


def as_choice(key, value, valid):
    """One of the `valid` texts; otherwise the list of them and the closest one."""
    if isinstance(value, str) and value in valid:
        return value
    text = value if isinstance(value, str) else str(value)
    close = [v for v in valid if v.lower() == text.lower()] or difflib.get_close_matches(text, valid, n=1)
    fix = "write %s: %s" % (key, close[0]) if close else "write e.g. %s: %s" % (key, valid[0])
    raise SolverError("%s must be one of %s, got %r; %s" % (key, ", ".join(map(repr, valid)), value, fix))


def as_folder(key, value, optional=True):
    """A folder path (text), or None where the key is optional."""
    if value is None and optional:
        return None
    if not isinstance(value, (str, os.PathLike)) or str(value) == "":
        raise SolverError("%s must be a folder path, got %s; write e.g. %s: %s"
                          % (key, _shown(value), key, "." if key == "path_prefix" else "my_folder"))
    if os.path.exists(value) and not os.path.isdir(value):
        raise SolverError("%s is %s, a file, not a folder; give a folder (or remove the file)" % (key, value))
    return value


def as_steps(value):
    """steps: two whole epoch numbers [first, second], first <= second."""
    error = SolverError("steps must be two whole epoch numbers [first, second] with first <= second, got %s; "
                        "write e.g. steps: [6, 8]" % _shown(value))
    if not (isinstance(value, (list, tuple)) and len(value) == 2):
        raise error
    try:
        steps = [as_number("warmup", s) for s in value]  # whole numbers >= 0, as warmup
    except SolverError:
        raise error from None
    if steps[0] > steps[1]:
        raise error
    return steps


def as_name(key, value, example):
    """A folder or module name: text without '/' (run_name, loss_module), or None."""
    if value is not None and (not isinstance(value, str) or value in ("", ".", "..") or "/" in value
                              or os.sep in value):
        raise SolverError("%s must be a %s (text without '/'), got %s; write e.g. %s: %s"
                          % (key, "folder name" if key == "run_name" else "module name", _shown(value),
                             key, example))
    return value


def check_device(value):
    """The device must parse and exist here: the error comes before the data is loaded, not after."""
    import torch  # here, not at the top: reading a config needs no torch
    if not isinstance(value, (str, torch.device)):
        raise SolverError("device must be %s, got %s; write e.g. device: cpu" % (DEVICES, _shown(value)))
    try:
        device = torch.device(value)
    except RuntimeError:
        raise SolverError("device must be %s, got %r; write e.g. device: cpu (or --device cpu)"
                          % (DEVICES, value)) from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise SolverError("device %r needs an NVIDIA GPU, but PyTorch finds none on this machine "
                              "(torch.cuda.is_available() is False); use --device cpu (config: device: cpu), "
                              "or on Colab choose a GPU runtime (Runtime > Change runtime type)" % (value,))
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise SolverError("device %r: this machine has %d CUDA GPU(s), numbered from 0; write e.g. "
                              "device: cuda:0" % (value, torch.cuda.device_count()))
    elif device.type == "mps":
        if not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
            raise SolverError("device 'mps' needs an Apple-silicon Mac with PyTorch's MPS support, which this "
                              "machine lacks (torch.backends.mps.is_available() is False); use --device cpu")
    elif device.type != "cpu":
        raise SolverError("device must be %s, got %r; write e.g. device: cpu" % (DEVICES, value))
    return value


# ------------------------------------------------------------------ all the settings of a run
def warn_unknown(keys, stacklevel=2):
    """A key that is neither the course's nor ours is ignored, as the course does, but with a
    warning naming the closest valid key (a typo in a config otherwise goes unnoticed)."""
    for key in keys:
        if key not in DEFAULTS and key != "description":
            close = difflib.get_close_matches(str(key), tuple(DEFAULTS), n=1)
            warnings.warn("Solver ignores the unknown key %r%s" % (key, " (did you mean %r?)" % close[0]
                                                                    if close else ""), stacklevel=stacklevel + 1)


def checked(values):
    """Every setting of a run: `values` (config keys) over DEFAULTS, each checked and converted.

    Inputs:
    - values: dict of config keys (a flattened config, or a Solver's settings); unknown
      keys are left out (warn_unknown says so where they come from a user)

    Returns a dict holding every key of DEFAULTS. Raises SolverError naming the first bad
    key. The device is checked by the Solver (check_device: it must exist on this machine),
    and a loss type from a loss_module once the Solver has imported that module.
    """
    s = {key: values.get(key, default) for key, default in DEFAULTS.items()}
    s["model"] = as_choice("model", s["model"], MODELS)
    s["imbalance"] = as_choice("imbalance", s["imbalance"], IMBALANCES)
    s["schedule"] = as_choice("schedule", s["schedule"], SCHEDULES)
    s["flip"] = as_choice("flip", s["flip"], FLIPS)
    s["loss_module"] = as_name("loss_module", s["loss_module"], "my_losses (my_losses.py beside solver.py)")
    if s["loss_module"] is None:
        s["loss_type"] = as_choice("loss_type", s["loss_type"], COURSE_LOSSES)
    elif not isinstance(s["loss_type"], str) or not s["loss_type"]:
        raise SolverError("loss_type must name a loss that loss_module %s registers, got %s"
                          % (s["loss_module"], _shown(s["loss_type"])))
    for key in NUMBERS:
        if key != "seed" or s[key] is not None:
            s[key] = as_number(key, s[key])
    for key in BOOLEANS:
        s[key] = as_bool(key, s[key])
    s["steps"] = as_steps(s["steps"])
    s["path_prefix"] = as_folder("path_prefix", s["path_prefix"], optional=False)
    s["checkpoint_dir"] = as_folder("checkpoint_dir", s["checkpoint_dir"])
    s["test_root"] = as_folder("test_root", s["test_root"])
    s["run_name"] = as_name("run_name", s["run_name"], "my_run")
    if s["resume"] and s["run_name"] is None:
        raise SolverError("resume=True needs a run_name (the run folder to continue from); add e.g. "
                          "run_name: my_run (the command line uses the config file's name)")
    if s["label_smoothing"] and s["loss_type"] != "CE":
        raise SolverError("label_smoothing works with loss_type 'CE' only, got loss_type %r; remove "
                          "label_smoothing or write loss_type: CE" % s["loss_type"])
    if s["flip"] != "random" and not s["fast_data"]:
        raise SolverError("flip: %s works with the in-memory batches only (fast_data: true); write "
                          "fast_data: true, or flip: random" % s["flip"])
    if s["warmup_from"] and (s["schedule"] == "course" or not s["warmup"]):
        raise SolverError("warmup_from shapes the warm-up of the per-iteration schedules, but schedule is %r and "
                          "warmup %d; write schedule: linear (or cosine, step) and warmup: 1 or more, or remove "
                          "warmup_from" % (s["schedule"], s["warmup"]))
    if s["decay_to"] and s["schedule"] not in ("cosine", "linear"):
        raise SolverError("decay_to is where a cosine or linear decay ends, but schedule is %r; write schedule: "
                          "linear (or cosine), or remove decay_to" % s["schedule"])
    if s["nesterov"] and s["momentum"] == 0:
        raise SolverError("nesterov: true needs momentum > 0, got momentum 0; write e.g. momentum: 0.9, "
                          "or nesterov: false")
    return s


def settings(path):
    """The settings of the run a config file describes: checked(load_config(path))."""
    values = load_config(path)
    warn_unknown(values, stacklevel=2)
    return checked(values)


def pop_extras(kwargs):
    """Remove this kit's optional keys from `kwargs` (what the Solver left); return them.

    check_solver then checks them with the course's keys; a key left over is unknown.
    """
    extras = {key: kwargs.pop(key, default) for key, default in EXTRA_DEFAULTS.items()}
    warn_unknown(kwargs, stacklevel=3)  # the warning points at the line that built the Solver
    return extras


def check_solver(solver):
    """Check and convert a Solver's settings: its attributes (the course's keys) and its extras.

    Imports the config's loss_module (it registers its loss types) and checks the device.
    Raises SolverError naming the key, what was expected and what was given, before any
    data is loaded.
    """
    values = {key: getattr(solver, ATTRIBUTES.get(key, key)) for key in COURSE_DEFAULTS}
    values.update(solver.extras)
    module = as_name("loss_module", values["loss_module"], "my_losses (my_losses.py beside solver.py)")
    if module is not None:
        try:
            importlib.import_module(module)
        except ImportError as e:
            raise SolverError("loss_module %s cannot be imported (%s); give a module that the folder you run "
                              "from holds, e.g. loss_module: my_losses for my_losses.py" % (module, e)) from None
        if values["loss_type"] not in LOSSES:
            raise SolverError("loss_type must be one of %s (loss_module %s registers no %r); fix loss_type, or "
                              "call config.register_loss in %s" % (", ".join(map(repr, LOSSES)), module,
                                                                    values["loss_type"], module))
    s = checked(values)
    for key in COURSE_DEFAULTS:
        setattr(solver, ATTRIBUTES.get(key, key), s[key])
    solver.extras = {key: s[key] for key in EXTRA_DEFAULTS}
    solver.device = check_device(solver.device)


# ------------------------------------------------------------------ the file
def _configs_here():
    found = sorted(glob.glob(os.path.join("configs", "*.yaml")))
    if found:
        return "; the configs here are " + ", ".join(found)
    return " (run from the part2-pytorch folder, where configs/ is, or give the file's full path)"


def yaml_problem(error):
    """Where and what, in one line, from a PyYAML error."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error).strip().splitlines()[0]
    return "line %d, column %d: %s" % (mark.line + 1, mark.column + 1, problem) if mark else problem


def read_sections(path):
    """A config file as written: {section: {key: value}} (`description` keys and empty sections kept).

    Raises SolverError, naming the file and the fix, if the file is missing, unreadable,
    over a megabyte or not YAML, or if its top level is not sections of `key: value` lines.
    """
    import yaml
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read(MAX_BYTES + 1)
        if len(text) > MAX_BYTES:
            raise SolverError("%s is over %d bytes, too large for a config (a few hundred bytes of "
                              "`key: value` lines)" % (path, MAX_BYTES))
        raw = yaml.safe_load(text)  # data only: safe_load builds no objects
    except FileNotFoundError:
        raise SolverError("config file %s not found%s" % (path, _configs_here())) from None
    except IsADirectoryError:
        raise SolverError("%s is a folder; give a config file such as configs/config_twolayer.yaml" % path) from None
    except OSError as e:
        raise SolverError("config file %s cannot be read (%s); check that it is a readable file"
                          % (path, e.strerror or e)) from None
    except UnicodeDecodeError:
        raise SolverError("%s is not a text file; a config is YAML text such as configs/config_twolayer.yaml"
                          % path) from None
    except yaml.YAMLError as e:
        raise SolverError("%s is not valid YAML (%s); fix that line: sections (Train:, network:, ...) hold "
                          "`key: value` lines indented by two spaces" % (path, yaml_problem(e))) from None
    sections = "sections (Train:, network:, data:, loss:) of `key: value` lines, as configs/config_twolayer.yaml"
    if raw is None:
        raise SolverError("%s is empty; a config holds %s does" % (path, sections))
    if not isinstance(raw, dict):
        top = "a list (lines starting with '- ')" if isinstance(raw, list) else _shown(raw)
        raise SolverError("%s must hold %s does, but its top level is %s; write it like that file"
                          % (path, sections, top))
    for section, values in raw.items():
        if section != "description" and values is not None and not isinstance(values, dict):
            raise SolverError("%s: the top-level key %r holds %s, not a section of `key: value` lines; indent it "
                              "under a section such as Train:" % (path, section, _shown(values)))
    return raw


def load_config(path):
    """Read a YAML config and flatten its sections (Train, network, data, loss) into Solver kwargs.

    As the course's notebook does, a `description` key is skipped (an empty section too).
    The values are as written (settings() fills in the defaults and checks them).
    Raises SolverError as read_sections does, and if a key appears in two sections.
    """
    kwargs = {}
    for section, values in read_sections(path).items():
        if section == "description" or values is None:
            continue
        for key, value in values.items():
            if key == "description":
                continue
            if key in kwargs:
                raise SolverError("%s: key %r appears in two sections; keep only one" % (path, key))
            kwargs[key] = value
    return kwargs

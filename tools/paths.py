"""Where things are, and the one place where a tool changes sys.path.

The parts use short top-level package names (`modules`, `models`, `data`) and the
grader its own (`grader`, `gtests`): none of them is below `tools`, so a tool that
imports them has to put their folder on sys.path. That happens here and nowhere
else (the grader's sandbox, tools/autograder/probes/runner.py, sets the student
process's sys.path on purpose and is the one deliberate exception).
"""
import contextlib
import importlib
import os
import sys

TOOLS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(TOOLS)
PART1 = os.path.join(REPO, "part1-convnet")
PART2 = os.path.join(REPO, "part2-pytorch")
AUTOGRADER = os.path.join(TOOLS, "autograder")  # the Gradescope zip's root: grader/, gtests/


def put_first(folder):
    """Put `folder` first on sys.path for the rest of this process (once).

    For the grader's packages, which tools import under the names the zip gives them
    (`grader.grading`, `gtests.part2`): loading them under a second name would make
    two copies of every class.
    """
    folder = os.path.abspath(folder)
    if sys.path[:1] != [folder]:
        if folder in sys.path:
            sys.path.remove(folder)
        sys.path.insert(0, folder)


@contextlib.contextmanager
def importable(folders, packages):
    """Inside the block, `packages` (top-level names) are imported from `folders`.

    Inputs:
    - folders: list of folders put first on sys.path, in this order
    - packages: top-level module names these folders provide ("modules", "solver", ...)

    Modules of those names loaded before the block are set aside first and put back
    after it, and the ones the block loaded are forgotten, so that a part's `modules`
    never shadows another one (a student's submission, a starter kit) later on.
    """
    packages = set(packages)
    mine = lambda name: name.split(".")[0] in packages  # noqa: E731
    saved_modules = {k: m for k, m in sys.modules.items() if mine(k)}
    saved_path = list(sys.path)

    def forget():
        for name in [k for k in sys.modules if mine(k)]:
            del sys.modules[name]
    forget()
    sys.path[:0] = [os.path.abspath(f) for f in folders]
    try:
        yield
    finally:
        sys.path[:] = saved_path
        forget()
        sys.modules.update(saved_modules)


def import_from(folder, module, name):
    """`from <module> import <name>`, with `folder` first on sys.path for this import only.

    E.g. import_from(PART2, "models", "MyModel"). The package is forgotten again
    afterwards (see `importable`); the returned object keeps working.
    """
    with importable([folder], [module.split(".")[0]]):
        return getattr(importlib.import_module(module), name)

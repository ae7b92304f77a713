"""Import a name from a part's folder without leaving that folder's packages behind."""
import importlib
import sys


def import_from(folder, module, name):
    """`from <module> import <name>`, with `folder` first on sys.path for this import only.

    The parts use short top-level package names (`modules`, `models`). Loading one
    into this process and keeping it in sys.modules would shadow another package of
    the same name imported later (a student's submission, a starter kit), so the
    package's entries are removed again and whatever was there before is restored.
    """
    top = module.split(".")[0]
    mine = lambda k: k == top or k.startswith(top + ".")  # noqa: E731
    saved = {k: v for k, v in sys.modules.items() if mine(k)}
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, folder)
    try:
        return getattr(importlib.import_module(module), name)
    finally:
        sys.path.remove(folder)
        for k in [k for k in sys.modules if mine(k)]:
            del sys.modules[k]
        sys.modules.update(saved)

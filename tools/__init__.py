"""The staff tools of the kit (never shipped to students).

How to start a tool: from the repository root, as a module of this package,

    python -m tools.release.make_starter --out dist/starter
    python -m tools.report fill
    python -m tools.bench.readme --check

so that every tool imports the others as `tools.<...>` and none edits sys.path.
The one exception is the autograder's folder: it is the root of the Gradescope
zip, so the grader runs from there as Gradescope runs it (`cd tools/autograder &&
python -m grader`). Reaching a part's folder or the grader's packages from a tool
goes through tools/paths.py, the only module that touches sys.path.
"""

"""results.json in Gradescope's format: build it, check it, write it atomically.

    {"score": 42.0,                      # sum of the tests' scores
     "output": "...",                    # shown above the tests
     "visibility": "visible", "stdout_visibility": "hidden",
     "execution_time": 12.3,
     "tests": [{"name": ..., "score": ..., "max_score": ..., "output": ...,
                "visibility": "visible" | "hidden"}, ...],
     "leaderboard": [{"name": "MyModel accuracy", "value": 0.81, "order": "desc"}]}
"""
import json
import math
import os
import tempfile

VISIBILITIES = ("visible", "hidden")


class SchemaError(ValueError):
    """results.json does not have the format Gradescope reads."""


def _number(x, where):
    if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        raise SchemaError("%s must be a finite number, got %r" % (where, x))


def validate(results):
    """Raise SchemaError (saying what is wrong) unless `results` is a valid results.json object."""
    if not isinstance(results, dict):
        raise SchemaError("results must be a JSON object, got %s" % type(results).__name__)
    for key in ("score", "tests"):
        if key not in results:
            raise SchemaError("results has no %r" % key)
    _number(results["score"], "score")
    if not isinstance(results["tests"], list):
        raise SchemaError("tests must be a list")
    total = 0.0
    for i, t in enumerate(results["tests"]):
        where = "tests[%d]" % i
        if not isinstance(t, dict):
            raise SchemaError("%s must be an object" % where)
        for key in ("name", "score", "max_score", "output", "visibility"):
            if key not in t:
                raise SchemaError("%s has no %r" % (where, key))
        if not isinstance(t["name"], str) or not t["name"]:
            raise SchemaError("%s.name must be a non-empty string" % where)
        if not isinstance(t["output"], str):
            raise SchemaError("%s.output must be a string" % where)
        _number(t["score"], where + ".score")
        _number(t["max_score"], where + ".max_score")
        if not 0 <= t["score"] <= t["max_score"]:
            raise SchemaError("%s.score %r is not within [0, max_score=%r]"
                              % (where, t["score"], t["max_score"]))
        if t["visibility"] not in VISIBILITIES:
            raise SchemaError("%s.visibility must be one of %s" % (where, VISIBILITIES))
        total += t["score"]
    if abs(total - results["score"]) > 1e-6:
        raise SchemaError("score %r is not the sum of the tests' scores (%r)"
                          % (results["score"], total))
    for i, e in enumerate(results.get("leaderboard", [])):
        if not isinstance(e, dict) or not isinstance(e.get("name"), str):
            raise SchemaError("leaderboard[%d] must be an object with a name" % i)
        _number(e.get("value"), "leaderboard[%d].value" % i)
    return results


def make_results(tests, output="", leaderboard=None, execution_time=None):
    """Assemble a results object from test records (dicts with the five keys)."""
    results = dict(score=round(sum(t["score"] for t in tests), 6), output=output,
                   visibility="visible", stdout_visibility="hidden", tests=list(tests))
    if leaderboard is not None:
        results["leaderboard"] = leaderboard
    if execution_time is not None:
        results["execution_time"] = round(execution_time, 1)
    return validate(results)


def write_results(results, path):
    """Validate, then write `results` to `path` atomically (a temp file renamed into place)."""
    validate(results)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".results-", suffix=".json", dir=folder)
    try:
        with os.fdopen(fd, "w") as f:
            json.dump(results, f, indent=2)
            f.write("\n")
        os.chmod(tmp, 0o644)  # mkstemp made it private
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path

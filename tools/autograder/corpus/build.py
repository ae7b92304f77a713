"""Turn corpus entries into submissions: the reference's student files with one unit replaced.

An entry is a record of corpus.json plus a folder entries/<id>/ laid out like the
part's folder (e.g. entries/<id>/modules/convolution.py). Each file there is
merged into the reference's file of the same path:

- a .py file that defines classes and functions replaces, one by one, the
  methods of those classes and the top-level functions of the same names, and
  adds the imports it has that the reference lacks; everything else of the
  reference file stays (so an entry holds only what its student wrote);
- a .py file whose first line is `# corpus: whole file`, and any other file
  (a config), replaces the reference's file outright.

An entry may also derive a checkpoint from the reference's ("checkpoints" in its
record), e.g. rename the parameters for a model whose layers have other names:
what that student's own training would have saved, with the same weights.

Several entries that touch different units can be merged into one submission
(see `groups`), which makes grading the corpus several times cheaper.
"""
import ast
import glob
import json
import os
import re
import shutil
import textwrap

from tools.atomic import write_text

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
DATA_FILE = os.path.join(HERE, "corpus.json")
ENTRIES = os.path.join(HERE, "entries")


def zip_files(folder):
    """What a student's zip of this part holds: its manifest.json's "submit" list, a glob
    (configs/*.yaml) expanded on the reference's files."""
    part = os.path.join(REPO, folder)
    with open(os.path.join(part, "manifest.json"), encoding="utf-8") as f:
        entries = json.load(f)["submit"]
    files = []
    for entry in entries:
        if "*" in entry:
            files += sorted(os.path.relpath(m, part) for m in glob.glob(os.path.join(part, entry)))
        else:
            files.append(entry)
    return files


PARTS = {1: dict(folder="part1-convnet", files=zip_files("part1-convnet")),
         2: dict(folder="part2-pytorch", files=zip_files("part2-pytorch"))}
KINDS = ("bug", "variant")
WHOLE_FILE = "# corpus: whole file"
# Release markers of the reference (CONTRIBUTING.md); a student's file has none.
_MARKER = re.compile(r"^\s*(# BEGIN SOLUTION\b|# END SOLUTION\b|#:)")


class CorpusError(ValueError):
    """A corpus record or override that cannot be used as it is."""


# ---------------------------------------------------------------- the data file
def load(path=DATA_FILE):
    """The corpus records, checked: a list of dicts (see README.md for the fields)."""
    with open(path) as f:
        records = json.load(f)["entries"]
    seen = set()
    for r in records:
        where = "corpus.json entry %r" % r.get("id")
        for key in ("id", "part", "kind", "unit", "description", "expected"):
            if key not in r:
                raise CorpusError("%s has no %r field" % (where, key))
        if r["id"] in seen:
            raise CorpusError("%s: the id is used twice" % where)
        seen.add(r["id"])
        if r["part"] not in PARTS or r["kind"] not in KINDS:
            raise CorpusError("%s: part must be 1 or 2 and kind one of %s" % (where, KINDS))
        if isinstance(r["unit"], str):
            r["unit"] = [r["unit"]]
        folder = os.path.join(ENTRIES, r["id"])
        if not os.path.isdir(folder) and not r.get("checkpoints"):
            raise CorpusError("%s has no folder entries/%s" % (where, r["id"]))
    return records


def record_expected(verdicts, path=DATA_FILE):
    """Set `expected` to the score got, for verdicts whose only problem is the score.

    Entries marked xfail, and grades that break the rule (points lost outside the unit,
    a variant losing points, a bug passing its unit), are left as they are. Returns the
    ids changed.
    """
    with open(path) as f:
        data = json.load(f)
    changed = []
    for r in data["entries"]:
        v = verdicts.get(r["id"])
        if v is None or r.get("xfail"):
            continue
        others = [p for p in v["problems"] if not p.startswith("score ")]
        if not others and r["expected"] != v["got"]:
            r["expected"] = v["got"]
            changed.append(r["id"])
    save(data, path)
    return changed


def save(data, path=DATA_FILE):
    """Write corpus.json atomically, one entry per block, units on one line."""
    text = json.dumps(data, indent=1)
    text = re.sub(r'\[\s*("[^"\]]*"(?:,\s*"[^"\]]*")*)\s*\]',
                  lambda m: "[" + re.sub(r",\s+", ", ", m.group(1)) + "]", text)
    write_text(path, text + "\n")


def override_files(entry):
    """Part-relative paths of the files in entries/<id>/, sorted."""
    folder = os.path.join(ENTRIES, entry["id"])
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", "~")):
                continue
            found.append(os.path.relpath(os.path.join(dirpath, name), folder).replace(os.sep, "/"))
    return found


def targets(entry):
    """What the entry changes, as (file, name) pairs; entries sharing none can be merged.

    For a merged .py file the names are the classes' methods and functions it defines
    ("Conv2D.forward", "reweight"); a whole file or a checkpoint counts as one name "*".
    """
    out = set()
    for rel in override_files(entry):
        path = os.path.join(ENTRIES, entry["id"], rel)
        with open(path) as f:
            text = f.read()
        if not rel.endswith(".py") or text.startswith(WHOLE_FILE):
            out.add((rel, "*"))
            continue
        for node in ast.parse(text).body:
            if isinstance(node, ast.ClassDef):
                out |= {(rel, node.name + "." + m.name) for m in node.body
                        if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.add((rel, node.name))
    for rel in entry.get("checkpoints", {}):
        out.add((rel, "*"))
    return out


def clashes(a, b):
    """True if entries a and b cannot share a submission."""
    ta, tb = targets(a), targets(b)
    files_whole = {f for f, n in ta | tb if n == "*"}
    if ta & tb or {f for f, _ in ta} & {f for f, _ in tb} & files_whole:
        return True
    # One test must never be charged to two entries.
    return any(p.startswith(q) or q.startswith(p) for p in a["unit"] for q in b["unit"])


def groups(entries, size=None):
    """Split entries (one part) into lists whose members can share one submission (greedy)."""
    out = []
    for e in entries:
        for g in out:
            if (size is None or len(g) < size) and not any(clashes(e, o) for o in g):
                g.append(e)
                break
        else:
            out.append([e])
    return out


# ---------------------------------------------------------------- merging one file
def _segment(lines, node):
    """The source lines of a def/class node, decorators included (0-based [start, end))."""
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
    return start, node.end_lineno


def _reindent(lines, indent):
    block = textwrap.dedent("".join(lines))
    return [(indent + ln if ln.strip() else ln) for ln in block.splitlines(True)]


def merge_source(base, override, where="?"):
    """The text `base` with the defs and imports of `override` put in (see the module doc)."""
    try:
        b_tree, o_tree = ast.parse(base), ast.parse(override)
    except SyntaxError as e:
        raise CorpusError("%s: cannot parse (%s)" % (where, e))
    b_lines = base.splitlines(True)
    if b_lines and not b_lines[-1].endswith("\n"):
        b_lines[-1] += "\n"
    o_lines = override.splitlines(True)
    if o_lines and not o_lines[-1].endswith("\n"):
        o_lines[-1] += "\n"
    edits = []  # (start, end, new lines): replace b_lines[start:end]
    b_top = {n.name: n for n in b_tree.body
             if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))}
    imports = [n for n in b_tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    import_at = imports[-1].end_lineno if imports else 0
    present = {ln.strip() for ln in b_lines}
    for node in o_tree.body:
        s, e = _segment(o_lines, node) if hasattr(node, "lineno") else (0, 0)
        src = o_lines[s:e]
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            new = [ln for ln in src if ln.strip() not in present]
            if new:
                edits.append((import_at, import_at, new))
        elif isinstance(node, ast.ClassDef) and node.name in b_top:
            cls = b_top[node.name]
            methods = {m.name: m for m in cls.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
            indent = " " * (cls.body[0].col_offset if cls.body else cls.col_offset + 4)
            for m in node.body:
                if not isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue  # the class's docstring or `pass` in the override
                ms, me = _segment(o_lines, m)
                new = _reindent(o_lines[ms:me], indent)
                if m.name in methods:
                    bs, be = _segment(b_lines, methods[m.name])
                    edits.append((bs, be, new))
                else:
                    edits.append((cls.end_lineno, cls.end_lineno, ["\n"] + new))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in b_top:
            bs, be = _segment(b_lines, b_top[node.name])
            edits.append((bs, be, src))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the override's docstring
        else:  # a new function, class or module-level statement: appended
            edits.append((len(b_lines), len(b_lines), ["\n", "\n"] + src))
    spans = sorted((s, e) for s, e, _ in edits if e > s)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        if s2 < e1:
            raise CorpusError("%s: two definitions replace overlapping lines" % where)
    for s, e, new in sorted(edits, key=lambda t: (t[0], t[1]), reverse=True):
        b_lines[s:e] = new
    text = "".join(ln for ln in b_lines if not _MARKER.match(ln))
    try:
        ast.parse(text)
    except SyntaxError as e:
        raise CorpusError("%s: the merged file does not compile (%s)" % (where, e))
    return text


# ---------------------------------------------------------------- whole submissions
def _derive_checkpoint(src, dest, spec):
    """Save the reference checkpoint `src` at `dest` under the parameter names spec['keys'].

    The names are given in the order of the reference's state_dict (the order the
    layers are registered in), so the same weights reach the entry's differently
    named layers: what that student's own training would have saved.
    """
    import torch
    state = torch.load(src, map_location="cpu", weights_only=True)
    keys = spec["keys"]
    if len(keys) != len(state):
        raise CorpusError("%s has %d tensors (%s) but the entry names %d"
                          % (src, len(state), ", ".join(state), len(keys)))
    torch.save(dict(zip(keys, state.values())), dest)


def build(entries, dest, repo=REPO):
    """Write into `dest` (a new folder) one submission carrying every entry of `entries`.

    All entries must belong to the same part. Returns dest.
    """
    parts = {e["part"] for e in entries} or {1}
    if len(parts) != 1:
        raise CorpusError("entries of both parts cannot share a submission")
    part = PARTS[parts.pop()]
    src_root = os.path.join(repo, part["folder"])
    os.makedirs(dest)
    for rel in part["files"]:
        os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
        shutil.copyfile(os.path.join(src_root, rel), os.path.join(dest, rel))
    for rel in part["files"]:  # the reference's markers go (a student's file has none)
        if rel.endswith(".py"):
            path = os.path.join(dest, rel)
            with open(path) as f:
                text = f.read()
            with open(path, "w") as f:
                f.write("".join(ln for ln in text.splitlines(True) if not _MARKER.match(ln)))
    for e in entries:
        for rel in override_files(e):
            with open(os.path.join(ENTRIES, e["id"], rel)) as f:
                override = f.read()
            path = os.path.join(dest, rel)
            if rel.endswith(".py") and not override.startswith(WHOLE_FILE) and os.path.exists(path):
                with open(path) as f:
                    override = merge_source(f.read(), override, "entries/%s/%s" % (e["id"], rel))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(override)
        for rel, spec in e.get("checkpoints", {}).items():
            _derive_checkpoint(os.path.join(src_root, rel), os.path.join(dest, rel), spec)
    return dest

"""Copy the benchmark tables of `make bench` into the READMEs (no figure is typed by hand).

    python -m tools.bench.readme --from dist/bench    # what `make bench` runs after measuring
    python -m tools.bench.readme --from dist/bench --allow-busy   # accept busy tables, flagged
    python -m tools.bench.readme                      # re-render the READMEs from the records
    python -m tools.bench.readme --check              # exit 1 if a README differs from them

`make bench` has part1-convnet/bench.py and part2-pytorch/bench.py write their tables, with
the load recorded around each, to dist/bench/part1.json and part2.json. With --from, this
script checks them: if they were measured on an idle machine they become the records
tools/bench/part1.json and part2.json (committed beside the READMEs) and are rendered
into the blocks between markers such as

    <!-- bench:part1:begin -->
    ...generated, do not edit...
    <!-- bench:part1:end -->

in README.md (blocks part1-summary and part2), part1-convnet/README.md (block part1) and
part2-pytorch/README.md (block part2). A record timed with `--clock cpu` is refused.
A new record whose tables were not measured on an idle machine (load average before a
table, or other processes' CPU during it, above 0.5; see loadwatch.py) is refused: the
script exits 1 and changes nothing, unless --allow-busy, which takes it with a warning line
in the README.
"""
import argparse
import json
import os
import sys

from tools.atomic import write_text

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RECORDS = {"part1": os.path.join(ROOT, "tools", "bench", "part1.json"),
           "part2": os.path.join(ROOT, "tools", "bench", "part2.json")}
# README -> the blocks it holds, each (block name, record it comes from)
BLOCKS = {"README.md": [("part1-summary", "part1"), ("part2", "part2")],
          "part1-convnet/README.md": [("part1", "part1")],
          "part2-pytorch/README.md": [("part2", "part2")]}
# READMEs whose blocks are skipped (with a note) while they have no markers at all
OPTIONAL = set()


class BenchError(Exception):
    pass


def fmt(v):
    return "?" if v is None else "%.2f" % v


def busy_loads(record):
    """The load records of `record` that were not idle."""
    return [load for table in record["tables"] for load in table.get("loads", [])
            if not load.get("idle")]


def markdown_table(table):
    columns = table["columns"]
    align = table.get("align") or (["l", "l"] + ["r"] * (len(columns) - 2))
    lines = ["| " + " | ".join(columns) + " |",
             "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in table["rows"]]
    return lines


def load_line(record):
    """One line with every load figure of the record."""
    parts = ["%s: %s before, %s after, other processes %s cores"
             % (load["name"], fmt(load["load_before"]), fmt(load["load_after"]),
                fmt(load["other_cpu"]))
             for table in record["tables"] for load in table.get("loads", [])]
    return ("Load average (1 min) around each table; the value after includes the benchmark's "
            "own threads: " + "; ".join(parts) + ".")


def header(record):
    m = record["machine"]
    return ("Measured with `%s` on %s: %s, %d cores. %s."
            % (record["command"], m["date"], m["cpu"], m["cores"],
               record.get("caption") or record["tables"][0].get("caption", "")))


def warning(record):
    if not busy_loads(record):
        return []
    return ["", "**Not measured on an idle machine** (load above %.1f in %s): these figures "
            "are not to be trusted; run `make bench` again on an idle machine."
            % (record["threshold"], ", ".join(load["name"] for load in busy_loads(record)))]


def render(block, record):
    """The lines of one README block."""
    tables = {t["name"]: t for t in record["tables"]}
    lines = [header(record)] + warning(record) + [""]
    if block == "part1" or block == "part1-summary":
        conv, pool, exp = tables.get("conv"), tables.get("pool"), tables.get("experiment")
        if block == "part1":
            for table in (conv, pool):
                if table:
                    lines += markdown_table(table) + [""] + ["- " + n for n in table["notes"]] + [""]
        elif conv:
            lines += markdown_table(conv) + [""] + ["- " + n for n in conv["notes"]]
            lines += ["- " + n for n in (pool["notes"] if pool else [])] + [""]
        if exp:
            lines += ["- " + n for n in exp["notes"]] + [""]
    elif block == "part2":
        table = tables["solver"]
        lines += markdown_table(table) + [""]
        lines += ["- smallest speed-up: %.2f× (target ≥ 2×)" % record["summary"]["min_speedup"], ""]
    else:
        raise BenchError("unknown block %r" % block)
    lines.append(load_line(record))
    return lines


def replace_block(text, block, lines, path):
    begin, end = "<!-- bench:%s:begin -->" % block, "<!-- bench:%s:end -->" % block
    i, j = text.find(begin), text.find(end)
    if i < 0 or j < i:
        raise BenchError("%s has no block %s ... %s: add those two lines where the table goes"
                         % (path, begin, end))
    return text[:i + len(begin)] + "\n" + "\n".join(lines) + "\n" + text[j:]


def load_record(part):
    path = RECORDS[part]
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def read_json(path):
    with open(path) as f:
        return json.load(f)


def updated_readmes(new_records=None):
    """{README path: (old text, new text)} for every README with blocks, rendered from the
    records (the committed ones, replaced by `new_records` {part: record} where given).
    A record taken with --allow-busy is rendered with its warning line."""
    records = {part: load_record(part) for part in RECORDS}
    records.update(new_records or {})
    out = {}
    for readme, blocks in BLOCKS.items():
        path = os.path.join(ROOT, readme)
        with open(path) as f:
            text = f.read()
        new = text
        for block, part in blocks:
            if readme in OPTIONAL and "<!-- bench:%s:" % block not in text:
                print("%s has no bench:%s markers: its table is not generated" % (readme, block))
                continue
            if records[part] is not None:
                new = replace_block(new, block, render(block, records[part]), readme)
        out[path] = (text, new)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--from", dest="source", metavar="DIR",
                   help="take the new records part1.json / part2.json found in DIR")
    p.add_argument("--allow-busy", action="store_true",
                   help="with --from: take records measured on a busy machine too (flagged)")
    p.add_argument("--check", action="store_true",
                   help="change nothing; exit 1 if a README is not what the records give")
    args = p.parse_args(argv)
    new_records = {}
    if args.source:
        new_records = {part: read_json(os.path.join(args.source, os.path.basename(path)))
                       for part, path in RECORDS.items()
                       if os.path.exists(os.path.join(args.source, os.path.basename(path)))}
        if not new_records:
            print("bench readme: no part1.json or part2.json in %s: run `make bench`"
                  % args.source, file=sys.stderr)
            return 1
    missing = [os.path.relpath(path, ROOT) for part, path in RECORDS.items()
               if not os.path.exists(path) and part not in new_records]
    if missing:
        print("no record yet: %s (run `make bench`); those blocks are left as they are"
              % ", ".join(missing))
    try:
        for part, record in new_records.items():
            if record.get("clock", "wall") != "wall":
                raise BenchError(
                    "the new %s record was timed with --clock %s (a development aid): the "
                    "READMEs publish wall-clock figures only. Run `make bench`."
                    % (part, record["clock"]))
            if busy_loads(record) and not args.allow_busy:
                raise BenchError(
                    "the new %s record was not measured on an idle machine (%s): nothing is "
                    "changed. Run `make bench` again when nothing else runs, or pass "
                    "--allow-busy to take it with a warning." % (part, "; ".join(
                        "%s: load %s before, other processes %s cores"
                        % (l["name"], fmt(l["load_before"]), fmt(l["other_cpu"]))
                        for l in busy_loads(record))))
        readmes = updated_readmes(new_records)
    except BenchError as e:
        print("bench readme: %s" % e, file=sys.stderr)
        return 1
    if not args.check:
        for part, record in new_records.items():
            write_text(RECORDS[part], json.dumps(record, indent=1, ensure_ascii=False) + "\n")
            print("record: %s" % os.path.relpath(RECORDS[part], ROOT))
    stale = []
    for path, (old, new) in readmes.items():
        if old == new:
            continue
        stale.append(os.path.relpath(path, ROOT))
        if not args.check:
            write_text(path, new)
    if args.check:
        if stale:
            print("out of date: %s (run python -m tools.bench.readme)" % ", ".join(stale))
            return 1
        print("READMEs match the benchmark records")
    else:
        print("updated: %s" % (", ".join(stale) or "nothing (already up to date)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

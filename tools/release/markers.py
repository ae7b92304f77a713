"""Solution regions: find them, and replace them by the starter's stubs.

One convention serves ``.py`` files and notebook code cells alike
(CONTRIBUTING.md, "Solution regions")::

    # BEGIN SOLUTION: <what to implement, in the imperative> [| stub: <one statement>]
    #: <optional hint lines for the starter, each starting with "#:">
    ...reference code...
    # END SOLUTION

In the starter the region, markers and hint lines included, becomes the
course's TODO banner, at the indentation of the ``BEGIN`` line::

    #############################################################################
    # TODO: <what to implement>
    # <hint lines>
    #############################################################################
    <the | stub: statement, if one is given (pass, out = None, ...)>
    #############################################################################
    #                              END OF YOUR CODE                             #
    #############################################################################

A region whose BEGIN line ends in ``| drop`` is reference-only code the course
has no TODO for (e.g. helper layers of the reference MyModel): the starter
loses it entirely, markers included, with the blank lines after it, so the
course's file reads as it did::

    # BEGIN SOLUTION: helper layers of the reference design | drop

Like the course's stubs, the banner does not raise: the code around it (given by
the course) runs, and the student's tests fail on what the stub leaves unset.

Only this module knows the syntax; the release and its tests import it.
"""
import re

HINT_RE = re.compile(r"^[ \t]*#:\s?(?P<text>.*?)\s*$")
RULE = "#" * 77
END_BANNER = "#" + " " * 30 + "END OF YOUR CODE" + " " * 29 + "#"
BEGIN_RE = re.compile(r"^(?P<indent>[ \t]*)#\s*BEGIN SOLUTION\s*:?\s*(?P<text>.*?)\s*$")
END_RE = re.compile(r"^[ \t]*#\s*END SOLUTION\s*$")
# Any mention of a marker, anywhere in a line: what must never reach a student.
ANY_MARKER_RE = re.compile(r"(BEGIN|END) SOLUTION")
STUB_SEP = "| stub:"
DROP = "| drop"


class MarkerError(ValueError):
    """A solution region is malformed (unclosed, nested, END without BEGIN, no description)."""


def _split(text, where):
    """Split a BEGIN line's text into (what to implement, stub statement or None, or DROP)."""
    stub = None
    if text.endswith(DROP):
        text, stub = text[:-len(DROP)].strip(), DROP
        if STUB_SEP in text:
            raise MarkerError("%s: a region is either dropped ('| drop') or stubbed ('| stub: ...'), "
                              "not both" % where)
    if STUB_SEP in text:
        text, stub = (s.strip() for s in text.rsplit(STUB_SEP, 1))
        if not stub:
            raise MarkerError("%s: '| stub:' must be followed by one statement, "
                              "e.g. '| stub: pass'" % where)
    if not text:
        raise MarkerError("%s: say what to implement after 'BEGIN SOLUTION:', "
                          "e.g. '# BEGIN SOLUTION: compute the forward pass'" % where)
    return text, stub


def _stub_lines(indent, text, hints, where):
    """The starter's banner for one region whose BEGIN line says `text` (hints: extra lines)."""
    text, stub = _split(text, where)
    lines = [RULE, "# TODO: " + text] + ["# " + h if h else "#" for h in hints] + [RULE]
    if stub is not None:
        lines.append(stub)
    else:
        lines.append("")  # the empty area the student fills
    lines += [RULE, END_BANNER, RULE]
    return [indent + l if l else "" for l in lines]


def find_regions(source, where="<source>"):
    """List the regions of `source` as (begin_line, indent, text, end_line, hints), 0-based lines.

    Raises MarkerError, naming `where` and the line, if a region is unclosed,
    nested, has an END without a BEGIN, or has no description.
    """
    regions, open_region = [], None
    for i, line in enumerate(source.splitlines()):
        m = BEGIN_RE.match(line)
        if m:
            if open_region is not None:
                raise MarkerError("%s:%d: BEGIN SOLUTION inside the region opened at line %d "
                                  "(regions do not nest; close it with '# END SOLUTION' first)"
                                  % (where, i + 1, open_region[0] + 1))
            open_region = (i, m.group("indent"), m.group("text"), [])
            _split(m.group("text"), "%s:%d" % (where, i + 1))  # validate early, with the line
            continue
        elif END_RE.match(line):
            if open_region is None:
                raise MarkerError("%s:%d: END SOLUTION without a BEGIN SOLUTION above it"
                                  % (where, i + 1))
            regions.append(open_region[:3] + (i, open_region[3]))
            open_region = None
        elif open_region is not None and HINT_RE.match(line) and \
                i == open_region[0] + 1 + len(open_region[3]):
            open_region[3].append(HINT_RE.match(line).group("text"))  # hint lines follow BEGIN
        elif ANY_MARKER_RE.search(line):
            raise MarkerError("%s:%d: a SOLUTION marker must stand alone on its line as "
                              "'# BEGIN SOLUTION: ...' or '# END SOLUTION'" % (where, i + 1))
    if open_region is not None:
        raise MarkerError("%s:%d: BEGIN SOLUTION is never closed (add '# END SOLUTION')"
                          % (where, open_region[0] + 1))
    return regions


def strip_solutions(source, where="<source>"):
    """Return `source` with every solution region replaced by its stub.

    Text outside the regions is kept byte for byte (including a missing or
    present final newline).
    """
    regions = find_regions(source, where)
    if not regions:
        return source
    lines = source.splitlines()
    out, pos = [], 0
    for begin, indent, text, end, hints in regions:
        out.extend(lines[pos:begin])
        pos = end + 1
        if _split(text, where)[1] == DROP:  # gone, with the blank lines after it
            while pos < len(lines) and not lines[pos].strip():
                pos += 1
            continue
        out.extend(_stub_lines(indent, text, hints, where))
    out.extend(lines[pos:])
    return "\n".join(out) + ("\n" if source.endswith("\n") else "")


def has_marker(text):
    """True if `text` still mentions a solution marker anywhere."""
    return bool(ANY_MARKER_RE.search(text))

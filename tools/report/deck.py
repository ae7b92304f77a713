"""python-pptx helpers: draw the template's slides, find them again, fill them, save reproducibly.

Every slide carries its key from slides.py as its name inside the .pptx (PowerPoint
and Google Slides do not show it), and the shapes the filling needs are named:
"Prompt" (the title box or body placeholder holding the question), "Prompt 2",
"Prompt 3" (further prompt boxes), "Section" (a section text box) and "Table".
"""
import copy
import datetime
import io
import zipfile

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Emu, Inches, Pt

from ..atomic import atomic_path
from . import layouts
from .slides import Run

WIDTH, HEIGHT = Emu(9144000), Emu(5143500)  # 10 x 5.625 in, 16:9, as the course's template
DARK, GREY, WHITE = RGBColor(0x1F, 0x1F, 0x1F), RGBColor(0x55, 0x55, 0x55), RGBColor(0xFF, 0xFF, 0xFF)

# One fixed date for the file's metadata, so two builds are byte-identical.
FIXED_DATE = datetime.datetime(2024, 9, 1, 0, 0, 0)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def new_deck(title):
    """An empty 16:9 deck with the template's layouts and metadata that do not depend on the clock."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    layouts.restyle(prs)
    cp = prs.core_properties
    cp.title, cp.author, cp.last_modified_by = title, "CS7643 course staff", "CS7643 course staff"
    cp.created = cp.modified = cp.last_printed = FIXED_DATE
    cp.revision = 1
    cp.subject, cp.keywords, cp.comments = "", "", ""
    return prs


def box(values):
    """(left, top, width, height) in inches -> EMU."""
    return tuple(Inches(v) for v in values)


# ---------------------------------------------------------------- text


def write(frame, paragraphs, wrap=True):
    """Replace a text frame's content by `paragraphs` (a list of lists of slides.Run).

    An empty list is an empty line. Runs without a size, colour or bold setting
    keep what the placeholder or the theme says.
    """
    frame.word_wrap = wrap
    frame.clear()
    size = None
    for n, runs in enumerate(paragraphs):
        p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        # an empty line is an empty run, so it takes the size of the line above
        # (an empty paragraph would take the placeholder's, 32-44 pt)
        for spec in runs or [Run("", size)]:
            size = spec.size or size
            run = p.add_run()
            run.text = spec.text
            if spec.size:
                run.font.size = Pt(spec.size)
            if spec.bold:
                run.font.bold = True
            if spec.color is not None:
                run.font.color.rgb = spec.color


def set_text(frame, text, size, color=DARK, bold=False):
    """Plain text, one paragraph per line, all in one format."""
    frame.word_wrap = True
    frame.clear()
    for n, line in enumerate(str(text).split("\n")):
        p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        run = p.add_run()
        run.text = line
        run.font.size, run.font.bold = Pt(size), bold
        run.font.color.rgb = color


def add_textbox(slide, where, name, paragraphs=None):
    tb = slide.shapes.add_textbox(*box(where))
    tb.name = name
    tb.text_frame.vertical_anchor = MSO_ANCHOR.TOP
    if paragraphs is not None:
        write(tb.text_frame, paragraphs)
    return tb


def remove(shape):
    shape._element.getparent().remove(shape._element)


# ---------------------------------------------------------------- tables


def add_table(slide, header, labels, where, name="Table", font=10):
    """A table: the header row, then one row per label (its other cells empty)."""
    left, top, width, height = box(where)
    gt = slide.shapes.add_table(len(labels) + 1, len(header), left, top, width, height)
    gt.name = name
    table = gt.table
    first = int(width * 0.12)  # the label column is a little wider than the class columns
    table.columns[0].width = first
    rest = (width - first) // (len(header) - 1)
    for c in range(1, len(header)):
        table.columns[c].width = rest
    for r, row in enumerate([header] + [[label] + [""] * (len(header) - 1) for label in labels]):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = Inches(0.04)
            if text:  # white on the table style's dark header row
                set_text(cell.text_frame, text, font, color=WHITE if r == 0 else DARK, bold=(r == 0 or c == 0))
    return gt


def set_table_rows(gt, rows, font=10):
    """Fill a table's body with `rows` (lists of strings, label first), adding or removing rows.

    Rows are added by copying the last one, so they keep the template's look; the
    table's height is then shared out again so it does not grow past its frame.
    """
    table = gt.table
    tbl = table._tbl
    n_cols = len(table.columns)
    for r, values in enumerate(rows):
        if len(values) != n_cols:
            raise ValueError("table row %d has %d cells; the table has %d columns" % (r, len(values), n_cols))
    trs = tbl.tr_lst
    while len(trs) - 1 < len(rows):
        tbl.append(copy.deepcopy(trs[-1]))
        trs = tbl.tr_lst
    while len(trs) - 1 > len(rows):
        tbl.remove(trs[-1])
        trs = tbl.tr_lst
    for r, values in enumerate(rows, start=1):
        for c, text in enumerate(values):
            set_text(table.cell(r, c).text_frame, text, font, bold=(c == 0))
    row_h = gt.height // len(trs)
    for row in table.rows:
        row.height = row_h
    return gt


def table_cells(slide):
    """The text of every table on a slide, as lists of rows."""
    return [[[c.text for c in row.cells] for row in s.table.rows] for s in slide.shapes if s.has_table]


# ---------------------------------------------------------------- finding slides and shapes


def set_key(slide, key):
    slide._element.cSld.set("name", key)


def slide_key(slide):
    return slide._element.cSld.get("name", "")


def shape(slide, name):
    for s in slide.shapes:
        if s.name == name:
            return s
    raise KeyError("slide %r has no shape named %r" % (slide_key(slide), name))


def find_slide(prs, key):
    for n, slide in enumerate(prs.slides):
        if slide_key(slide) == key:
            return n, slide
    raise KeyError("no slide with key %r: regenerate report_template.pptx (make report)" % key)


def slide_texts(prs):
    """Every slide's text, shape by shape (tables cell by cell), to compare decks."""
    out = []
    for slide in prs.slides:
        texts = []
        for s in slide.shapes:
            if s.has_text_frame:
                texts.append((s.name, s.text_frame.text))
            elif s.has_table:
                texts.append((s.name, [[c.text for c in row.cells] for row in s.table.rows]))
        out.append((slide_key(slide), texts))
    return out


def insert_slide_after(prs, index, key, layout="TITLE_ONLY"):
    """A new slide placed right after slide `index` (for answers that need more room)."""
    slide = prs.slides.add_slide(layouts.get(prs, layout))
    set_key(slide, key)
    # python-pptx appends; move the new id entry to sit after `index`
    ids = prs.slides._sldIdLst
    entry = ids[-1]
    ids.remove(entry)
    ids.insert(index + 1, entry)
    return slide


# ---------------------------------------------------------------- fitting text into a box


def _fits(lines, width, height, size):
    """Whether these lines, wrapped at `size` pt, should fit a box of this size (EMU).

    A rough count, calibrated on LibreOffice's rendering with DejaVu Sans (wider than
    the theme's Calibri): a glyph is ~0.55 em wide on average (with room for word wrap), a
    line ~1.2 em high.
    """
    chars_per_line = max(1, int((width - Inches(0.2)) / Pt(size) / 0.55))
    wrapped = sum(max(1, -(-len(line) // chars_per_line)) for line in lines)
    return wrapped * Pt(size) * 1.2 <= height - Inches(0.1)


def fitting_size(text, width, height, sizes=(14, 12, 11, 10, 9, 8)):
    """The largest font size (pt) at which `text` should fit; the smallest if none does."""
    for size in sizes:
        if _fits(text.split("\n"), width, height, size):
            return size
    return sizes[-1]


def split_to_fit(text, width, height, size):
    """(the leading lines of `text` that fit the box at `size` pt, the rest or None)."""
    lines, page = text.split("\n"), []
    for n, line in enumerate(lines):
        if page and not _fits(page + [line], width, height, size):
            return "\n".join(page), "\n".join(lines[n:])
        page.append(line)
    return "\n".join(page), None


def add_answer(slide, where, text, name="Answer", sizes=(14, 12, 11, 10, 9, 8)):
    """A text box with `text` in the largest size that fits (the smallest if none does)."""
    tb = add_textbox(slide, where, name)
    left, top, width, height = box(where)
    set_text(tb.text_frame, text, fitting_size(text, width, height, sizes))
    return tb


def add_picture(slide, path, where, name="Picture"):
    """The picture at `path`, scaled to fit the box and centred in it."""
    from PIL import Image

    left, top, width, height = box(where)
    with Image.open(path) as im:
        w, h = im.size
    scale = min(width / w, height / h)
    pw, ph = int(w * scale), int(h * scale)
    pic = slide.shapes.add_picture(path, Emu(left + (width - pw) // 2), Emu(top + (height - ph) // 2), pw, ph)
    pic.name = name
    return pic


# ---------------------------------------------------------------- saving


def save(prs, path):
    """Save reproducibly and atomically.

    python-pptx stamps each zip member with the current time, so two saves a
    second apart differ byte-wise even with identical content. We re-pack the
    members in the same order with a fixed timestamp, then move the file in place.
    Members are stored uncompressed: deflate's output depends on the zlib build
    (zlib-ng and zlib differ), and the committed template must be byte-identical
    wherever it is regenerated. It costs ~90 KB.
    """
    raw = io.BytesIO()
    prs.save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_STORED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    with atomic_path(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(out.getvalue())

"""python-pptx helpers: draw a question slide, find and fill its answer area, save reproducibly.

Every question slide has three shapes, named so `fill` can find them again:
"Title" (the title placeholder), "Question" (the question text) and "Answer"
(a dashed box that marks where the answer goes). The slide's own name is the
key from slides.py.
"""
import datetime
import io
import os
import zipfile

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.util import Emu, Inches, Pt

WIDTH, HEIGHT = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
TITLE_TOP, TITLE_H = Inches(0.3), Inches(0.8)
QUESTION_TOP, QUESTION_H = Inches(1.15), Inches(1.25)
ANSWER_TOP = Inches(2.5)
ANSWER_H = HEIGHT - ANSWER_TOP - Inches(0.4)
ANSWER_MARK = "YOUR ANSWER HERE"
GREY, DARK = RGBColor(0x55, 0x55, 0x55), RGBColor(0x1F, 0x1F, 0x1F)
ANSWER_FILL, ANSWER_LINE = RGBColor(0xFF, 0xF8, 0xE1), RGBColor(0xE0, 0x8E, 0x00)
LAYOUT_TITLE_ONLY, LAYOUT_TITLE = 5, 0  # in python-pptx's default template

# One fixed date for the file's metadata, so two builds are byte-identical.
FIXED_DATE = datetime.datetime(2024, 9, 1, 0, 0, 0)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def new_deck(title):
    """An empty 16:9 presentation whose metadata does not depend on when it is built."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    cp = prs.core_properties
    cp.title, cp.author, cp.last_modified_by = title, "CS7643 course staff", "CS7643 course staff"
    cp.created = cp.modified = FIXED_DATE
    cp.last_printed = FIXED_DATE
    cp.revision = 1
    cp.subject, cp.keywords, cp.comments = "CS7643 Assignment 2 write-up", "", ""
    return prs


def _set_text(frame, text, size, color=DARK, bold=False, align=None):
    """Replace a text frame's text; one paragraph per line of `text`."""
    frame.word_wrap = True
    frame.clear()
    for n, line in enumerate(str(text).split("\n")):
        p = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        if align is not None:
            p.alignment = align
        run = p.add_run()
        run.text = line
        run.font.size, run.font.bold = Pt(size), bold
        run.font.color.rgb = color


def add_title_slide(prs, title, subtitle, key="title"):
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE])
    slide._element.cSld.set("name", key)
    t, sub = slide.shapes.title, slide.placeholders[1]
    t.left, t.top, t.width, t.height = MARGIN, Inches(1.6), WIDTH - 2 * MARGIN, Inches(1.5)
    _set_text(t.text_frame, title, 36, bold=True)
    sub.left, sub.top, sub.width, sub.height = MARGIN, Inches(3.3), WIDTH - 2 * MARGIN, Inches(0.6)
    _set_text(sub.text_frame, subtitle, 18, GREY)
    sub.name = "Question"
    _answer_box(slide, Inches(4.1), Inches(1.6))
    return slide


def add_note(slide, text, name="Note"):
    """A small grey line of text at the bottom of a slide."""
    box = slide.shapes.add_textbox(MARGIN, HEIGHT - Inches(1.1), WIDTH - 2 * MARGIN, Inches(0.7))
    box.name = name
    _set_text(box.text_frame, text, 12, GREY)
    return box


def _answer_box(slide, top, height):
    box = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, MARGIN, top, WIDTH - 2 * MARGIN, height)
    box.name = "Answer"
    box.fill.solid()
    box.fill.fore_color.rgb = ANSWER_FILL
    box.line.color.rgb = ANSWER_LINE
    box.line.width = Pt(1.5)
    box.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    box.shadow.inherit = False
    tf = box.text_frame
    tf.vertical_anchor = MSO_ANCHOR.TOP
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(tf, side, Inches(0.12))
    _set_text(tf, ANSWER_MARK, 16, ANSWER_LINE, bold=True, align=PP_ALIGN.LEFT)
    return box


def add_question_slide(prs, key, title, ask):
    """A slide with the title, the question, and an empty answer box below them."""
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    slide._element.cSld.set("name", key)
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = MARGIN, TITLE_TOP, WIDTH - 2 * MARGIN, TITLE_H
    _set_text(t.text_frame, title, 28, bold=True)
    t.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    q = slide.shapes.add_textbox(MARGIN, QUESTION_TOP, WIDTH - 2 * MARGIN, QUESTION_H)
    q.name = "Question"
    _set_text(q.text_frame, ask, 14, GREY)
    _answer_box(slide, ANSWER_TOP, ANSWER_H)
    return slide


# ---------------------------------------------------------------- reading a deck back


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
                texts.append(s.text_frame.text)
            elif s.has_table:
                texts.append([[c.text for c in row.cells] for row in s.table.rows])
        out.append((slide_key(slide), texts))
    return out


def table_cells(slide):
    """The text of every table on a slide, as lists of rows."""
    return [[[c.text for c in row.cells] for row in s.table.rows] for s in slide.shapes if s.has_table]


# ---------------------------------------------------------------- filling


def insert_slide_after(prs, index, key, title):
    """A new title-only slide placed right after slide `index` (for answers that need more room)."""
    slide = prs.slides.add_slide(prs.slide_layouts[LAYOUT_TITLE_ONLY])
    slide._element.cSld.set("name", key)
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = MARGIN, TITLE_TOP, WIDTH - 2 * MARGIN, TITLE_H
    _set_text(t.text_frame, title, 28, bold=True)
    # python-pptx appends; move the new id entry to sit after `index`
    ids = prs.slides._sldIdLst
    entry = ids[-1]
    ids.remove(entry)
    ids.insert(index + 1, entry)
    return slide


def content_area(slide):
    """(left, top, width, height) of the answer box, or of the area below the title."""
    try:
        box = shape(slide, "Answer")
        return box.left, box.top, box.width, box.height
    except KeyError:
        top = TITLE_TOP + TITLE_H + Inches(0.1)
        return MARGIN, top, WIDTH - 2 * MARGIN, HEIGHT - top - Inches(0.3)


def _fits(lines, width, height, size):
    """Whether these lines, wrapped at `size` pt, should fit the box.

    A rough count, calibrated on LibreOffice's rendering with DejaVu Sans (wider than
    the theme's Calibri): a glyph is ~0.48 em wide on average, a line ~1.2 em high.
    """
    chars_per_line = max(1, int((width - Inches(0.3)) / Pt(size) / 0.48))
    wrapped = sum(max(1, -(-len(line) // chars_per_line)) for line in lines)
    return wrapped * Pt(size) * 1.2 <= height - Inches(0.3)


def fitting_size(text, width, height, sizes=(18, 16, 14, 12, 11, 10)):
    """The largest font size (pt) at which `text` should fit a box of this size."""
    for size in sizes:
        if _fits(text.split("\n"), width, height, size):
            return size
    return sizes[-1]


def paginate(text, width, height, size=10):
    """Split text at line breaks into pages that each fit the box at `size` pt (the smallest used)."""
    pages, page = [], []
    for line in text.split("\n"):
        if page and not _fits(page + [line], width, height, size):
            pages.append(page)
            page = []
        page.append(line)
    pages.append(page)
    return ["\n".join(p) for p in pages]


def fill_text(slide, text, size=None):
    """Write an answer into the slide's answer box (font shrinks with the length)."""
    box = shape(slide, "Answer")
    if size is None:
        size = fitting_size(text, box.width, box.height)
    box.fill.solid()
    box.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    _set_text(box.text_frame, text, size, align=PP_ALIGN.LEFT)
    return box


def _remove(shape_):
    shape_._element.getparent().remove(shape_._element)


def fill_picture(slide, path, caption=None):
    """Replace the answer box by the picture at `path`, scaled to fit and centred."""
    from PIL import Image

    left, top, width, height = content_area(slide)
    try:
        _remove(shape(slide, "Answer"))
    except KeyError:
        pass
    if caption:
        cap = slide.shapes.add_textbox(left, top + height - Inches(0.4), width, Inches(0.4))
        cap.name = "Caption"
        _set_text(cap.text_frame, caption, 11, GREY)
        height -= Inches(0.45)
    with Image.open(path) as im:
        w, h = im.size
    scale = min(width / w, height / h)
    pw, ph = int(w * scale), int(h * scale)
    pic = slide.shapes.add_picture(path, Emu(left + (width - pw) // 2), Emu(top + (height - ph) // 2), pw, ph)
    pic.name = "Picture"
    return pic


def fill_table(slide, header, rows, note=None, top=None, height=None, font=11):
    """Replace the answer box by a table (header row + rows of strings) and an optional note."""
    left, box_top, width, box_h = content_area(slide)
    top = box_top if top is None else top
    height = box_h if height is None else height
    try:
        _remove(shape(slide, "Answer"))
    except KeyError:
        pass
    if note:
        nb = slide.shapes.add_textbox(left, top + height - Inches(0.9), width, Inches(0.9))
        nb.name = "Note"
        _set_text(nb.text_frame, note, 10, GREY)
        height -= Inches(0.95)
    n_rows = len(rows) + 1
    row_h = min(Inches(0.4), height // n_rows)
    gt = slide.shapes.add_table(n_rows, len(header), left, top, width, row_h * n_rows)
    gt.name = "Table"
    table = gt.table
    first = Inches(2.4)  # the label column is wider
    table.columns[0].width = first
    for c in range(1, len(header)):
        table.columns[c].width = (width - first) // (len(header) - 1)
    for r, values in enumerate([header] + rows):
        if len(values) != len(header):
            raise ValueError("table row %d has %d cells, the header %d" % (r, len(values), len(header)))
        for c, v in enumerate(values):
            cell = table.cell(r, c)
            _set_text(cell.text_frame, v, font, bold=(r == 0))
            cell.margin_left = cell.margin_right = Inches(0.04)
    return gt


# ---------------------------------------------------------------- saving


def save(prs, path):
    """Save reproducibly and atomically.

    python-pptx stamps each zip member with the current time, so two saves a
    second apart differ byte-wise even with identical content. We re-pack the
    members in the same order with a fixed timestamp, then move the file in place.
    """
    raw = io.BytesIO()
    prs.save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            dst.writestr(member, src.read(info.filename))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(out.getvalue())
    os.replace(tmp, path)

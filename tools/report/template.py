"""Build report_template.pptx from slides.py.

    python -m tools.report template [--out report_template.pptx]
"""
from pptx.enum.text import PP_ALIGN
from pptx.oxml.xmlchemy import OxmlElement

from . import deck, layouts
from .slides import DOC_TITLE, SLIDES, TABLE_HEADER

# the placeholder types python-pptx reports for a layout's title and body
TITLES, BODIES = ("TITLE (1)", "CENTER_TITLE (3)"), ("BODY (2)", "OBJECT (7)", "SUBTITLE (4)")


def _placeholders(slide):
    """{"title": placeholder, "body": placeholder} of a new slide (those its layout has)."""
    found = {}
    for ph in slide.placeholders:
        kind = str(ph.placeholder_format.type)
        if kind in TITLES:
            found["title"] = ph
        elif kind in BODIES:
            found["body"] = ph
    return found


def add_slide(prs, spec):
    """Draw one slide of slides.SLIDES."""
    slide = prs.slides.add_slide(layouts.get(prs, spec.layout))
    deck.set_key(slide, spec.key)
    ph = _placeholders(slide)
    if spec.kind == "title":
        deck.write(ph["title"].text_frame, spec.text)
        ph["title"].name = "Prompt"
        if not spec.subtitle:
            deck.remove(ph["body"])
    elif spec.kind == "prompt":
        # the question lives in the title box, which covers the slide (top-aligned):
        # students write their answer in it or on top of it
        prompt = ph["title"]
        deck.write(prompt.text_frame, spec.text)
        prompt.text_frame.vertical_anchor = deck.MSO_ANCHOR.TOP
        for p in prompt.text_frame.paragraphs:
            p.alignment = PP_ALIGN.LEFT  # the title style centres; a slide-sized box reads better left
    elif spec.kind == "section":
        for p in ph.values():
            deck.remove(p)
        deck.add_textbox(slide, spec.place, "Section", spec.text)
    elif spec.kind == "body":
        deck.remove(ph["title"])
        prompt = ph["body"]
        deck.write(prompt.text_frame, spec.text)
        prompt.text_frame.vertical_anchor = deck.MSO_ANCHOR.TOP
    else:
        raise ValueError("slide %r: unknown kind %r (expected title, prompt, section or body)"
                         % (spec.key, spec.kind))
    if spec.kind in ("prompt", "body"):
        prompt.name = "Prompt"
        prompt.left, prompt.top, prompt.width, prompt.height = deck.box(spec.place)
        # no bullets: the layout's body style would put one before each paragraph
        for p in prompt.text_frame.paragraphs:
            pPr = p._p.get_or_add_pPr()
            pPr.set("marL", "0")
            pPr.set("indent", "0")
            pPr.insert(0, OxmlElement("a:buNone"))
    for n, (where, paragraphs) in enumerate(spec.boxes, start=2):
        deck.add_textbox(slide, where, "Prompt %d" % n, paragraphs)
    if spec.table:
        labels, where = spec.table
        deck.add_table(slide, TABLE_HEADER, labels, where)
    return slide


def build_template():
    """The template as a python-pptx Presentation (not yet saved)."""
    prs = deck.new_deck(DOC_TITLE)
    for spec in SLIDES:
        add_slide(prs, spec)
    return prs


def write_template(path):
    deck.save(build_template(), path)
    return path

"""Build report_template.pptx: a title slide, then one slide per question of slides.py.

    PYTHONPATH=tools python -m report template [--out report_template.pptx]
"""
from . import deck
from .slides import SLIDES, TITLE, TITLE_ASK

HOW_TO = ("Replace each dashed box with your answer. If an answer needs more room, add slides "
          "right after the question's slide. Export as PDF and tag every slide of each question "
          "in Gradescope.")


def build_template():
    """The template as a python-pptx Presentation (not yet saved)."""
    prs = deck.new_deck(TITLE)
    deck.add_title_slide(prs, TITLE, TITLE_ASK)
    for s in SLIDES:
        deck.add_question_slide(prs, s.key, s.title, s.ask)
    deck.add_note(prs.slides[0], HOW_TO, "HowTo")
    return prs


def write_template(path):
    deck.save(build_template(), path)
    return path

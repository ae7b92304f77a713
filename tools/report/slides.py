"""The write-up template, slide by slide: the one description everything else follows.

The course's template (ORIGINAL_KIT.md section 8) has 18 slides in four sections:
the theory problem set, the paper review and the write-up (a title slide each, marked
"DO NOT TAG"), the write-up being split again into Part 1, My CNN Model and Data
Wrangling (a section slide each, also "DO NOT TAG"). Gradescope outlines are made for
that order, so it is kept slide for slide. The wording of the prompts is ours.

`template.py` draws this list; `fill.py` finds each slide again by its key (stored as
the slide's name inside the .pptx) and the tests check the deck against it.
"""
from collections import namedtuple

from pptx.dml.color import RGBColor

RED, BLUE = RGBColor(0xFF, 0x00, 0x00), RGBColor(0x00, 0x70, 0xC0)
DO_NOT_TAG = "DO NOT TAG"
DOC_TITLE = "Assignment 2 Writeup"  # the file's core title property

# A run of text with its own format (size in pt; None = the placeholder's default);
# a paragraph is a list of runs, a text a list of paragraphs ([] = an empty line).
Run = namedtuple("Run", "text size bold color")
Run.__new__.__defaults__ = (None, False, None)


def plain(text, size=None):
    return [Run(text, size)]


# kind:   "title" (a section's title slide), "section" (a section text box), "prompt" (a
#         title box holding the question), "body" (a body placeholder at the top, maybe
#         more prompt boxes and a table)
# layout: one of layouts.NAMES
# text:   the paragraphs of the title box / body placeholder / section box
# place:  (left, top, width, height) in inches of that box; None keeps the layout's
# boxes:  further prompt text boxes: ((left, top, width, height), paragraphs)
# table:  for the three per-class tables: (row labels, (left, top, width, height))
# subtitle: whether a title slide keeps its (empty) subtitle placeholder
Slide = namedtuple("Slide", "key kind layout text place boxes table subtitle")
Slide.__new__.__defaults__ = (None, (), None, True)

MORE_ROOM = " You may add more slides right after this one."


def _title(key, heading, subtitle=True):
    return Slide(key, "title", "TITLE", [plain(heading, 40), [Run(DO_NOT_TAG, 24, True, RED)]],
                 subtitle=subtitle)


def _section(key, heading):
    return Slide(key, "section", "TITLE_AND_BODY", [plain(heading, 36), [Run(DO_NOT_TAG, 24, True, RED)]],
                 place=SECTION_BOX)


def _theory(key, number):
    return Slide(key, "prompt", "TITLE_ONLY", [
        [Run("Theory PS Q%d. " % number, 12),
         Run("Show your work: an answer without it cannot receive full credit.", 12, color=RED),
         Run(MORE_ROOM, 12)],
        [],
        plain("Draw a box around each of your final answers.", 12),
    ], place=PROMPT_BOX)


def _prompt(key, text):
    return Slide(key, "prompt", "TITLE_ONLY", [plain(text, 12)], place=PROMPT_BOX)


PROMPT_BOX = (0.12, 0.07, 9.81, 5.42)    # the title box of slides 2-8 fills the slide
SECTION_BOX = (0.70, 2.09, 8.61, 1.41)   # the section text box of slides 10, 12, 14
TOP_BODY = (0.30, 0.15, 9.40, 0.80)      # a body placeholder holding a one-line prompt

# The header row of the three tables, as the course's template has it (the first three
# cells break the line after "Class"; the others do not).
TABLE_HEADER = ["", "Class \n0", "Class\n1", "Class\n2"] + ["Class %d" % i for i in range(3, 10)]

SLIDES = [
    _title("theory", "Assignment 2 Theory Problem Set"),
    _theory("theory_q1", 1),
    _theory("theory_q2", 2),
    _prompt("theory_q3", "Theory PS Q3. Keep your answer short, but make it complete."),
    _title("paper", "Assignment 2 Paper Review", subtitle=False),
    _prompt("paper_review", "Paper review. Write a short review of the paper you chose."),
    _prompt("paper_q1", "Paper specific Q1." + MORE_ROOM),
    _prompt("paper_q2", "Paper specific Q2." + MORE_ROOM),
    _title("writeup", "Assignment 2 Writeup"),
    _section("part1", "Part-1 ConvNet"),
    Slide("part1_curve", "body", "TITLE_AND_BODY",
          [plain("Place the training curve of the Part 1 experiment here.", 14)], place=TOP_BODY),
    _section("mymodel", "My CNN Model"),
    Slide("mymodel_design", "body", "TITLE_AND_BODY",
          [plain("Describe the design of your model in plain text, and justify the choices you made.", 14)],
          place=(0.30, 0.15, 9.40, 1.65),
          boxes=[((0.30, 1.90, 9.40, 2.20), [plain("Describe your choice of hyper-parameters, and justify it.", 14)]),
                 ((0.30, 4.20, 9.40, 1.20), [plain("Final accuracy of your model on the validation set:", 14)])]),
    _section("lt", "Data Wrangling"),
    Slide("lt_ce", "body", "TITLE_AND_BODY",
          [plain("Results of the regular cross-entropy (CE) loss on the imbalanced CIFAR-10. Tune it, "
                 "then fill in the best per-class accuracy you obtained.", 14)],
          place=(0.30, 0.15, 9.40, 2.30), table=(["CE Loss"], (0.47, 2.63, 8.89, 1.33))),
    Slide("lt_beta", "body", "TITLE_AND_BODY",
          [plain("Results of the CB-Focal loss on the imbalanced CIFAR-10. In addition, tune beta: fill in "
                 "the per-class accuracy for each beta you tried, and add rows as needed.", 14)],
          place=(0.30, 0.15, 9.40, 2.30), table=(["beta=?", "beta=?"], (0.14, 2.63, 9.16, 1.99))),
    Slide("lt_compare", "body", "TITLE_AND_BODY",
          [plain("Put your CE loss results and your best CB-Focal results side by side.", 14)],
          place=(0.30, 0.15, 9.40, 2.30), table=(["CE Loss", "CB-Focal"], (0.41, 2.61, 9.39, 1.99))),
    Slide("lt_explain", "body", "TITLE_AND_BODY", [
        plain("Describe the observations you made, and explain them.", 18),
        [Run("Explain ", 9, color=BLUE), Run("WHY", 9, True, BLUE),
         Run(" your results turn out the way they do, using ML theory or intuition, and justify your "
             "methodology. ", 9, color=BLUE),
         Run("DO NOT", 9, True, BLUE),
         Run(" merely describe the results. Present them so that your key observations stand out."
             + MORE_ROOM, 9, color=BLUE)],
    ], place=(0.30, 0.15, 9.40, 5.30)),
]

KEYS = [s.key for s in SLIDES]
BY_KEY = {s.key: s for s in SLIDES}

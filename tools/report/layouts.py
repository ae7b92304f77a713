"""Slide layouts for a 16:9 deck, named like the course template's (Google Slides' names).

python-pptx starts every deck from its own 4:3 template, whose eleven layouts
are PowerPoint's ("Title Slide", "Title and Content", ...). The course's template
has eleven layouts too, under Google Slides' names. python-pptx cannot create a
layout, but it can edit the ones it has, so `restyle(prs)`:

- scales the master's and the layouts' shapes to the 16:9 slide (only the vertical
  axis changes: 10 in wide either way, 7.5 in high before and 5.625 in after);
- renames each layout, puts them in Google's order, and reshapes the five that have
  no PowerPoint counterpart (dropping placeholders, turning vertical text upright).

The shapes are approximations of Google's: what matters to a student is the name
in the layout menu and that every layout fits the slide.
"""
from pptx.util import Inches

OLD_HEIGHT, NEW_HEIGHT = 6858000, 5143500  # EMU: 7.5 in (4:3) and 5.625 in (16:9)

# Google name: (python-pptx layout name, {placeholder idx: (left, top, width, height) in
# inches, or None to drop it}). Placeholders not listed keep their (scaled) place.
LAYOUTS = [
    ("TITLE", "Title Slide", {0: (0.34, 0.81, 9.32, 2.24), 1: (0.34, 3.10, 9.32, 0.87)}),
    ("SECTION_HEADER", "Section Header", {0: (0.34, 2.15, 9.32, 0.90), 1: None}),
    ("TITLE_AND_BODY", "Title and Content", {}),
    ("TITLE_AND_TWO_COLUMNS", "Two Content", {}),
    ("TITLE_ONLY", "Title Only", {}),
    ("ONE_COLUMN_TEXT", "Content with Caption", {0: (0.34, 0.61, 3.00, 0.87), 1: None,
                                                 2: (0.34, 1.60, 3.00, 3.50)}),
    ("MAIN_POINT", "Title and Vertical Text", {0: (0.66, 0.90, 8.20, 3.60), 1: None}),
    ("SECTION_TITLE_AND_DESCRIPTION", "Comparison", {0: (0.27, 1.35, 4.42, 1.62), 1: (5.40, 0.80, 4.20, 4.00),
                                                     2: None, 3: None, 4: None}),
    ("CAPTION_ONLY", "Picture with Caption", {0: None, 1: None, 2: (0.34, 4.63, 9.32, 0.66)}),
    ("BIG_NUMBER", "Vertical Title and Text", {0: (0.34, 1.21, 9.32, 2.15), 1: (0.34, 3.45, 9.32, 1.42)}),
    ("BLANK", "Blank", {}),
]
NAMES = [google for google, _, _ in LAYOUTS]


def _scale_vertically(shapes):
    """Squeeze every shape that has its own position into the 16:9 height."""
    for shape in shapes:
        if not shape._element.xpath("./p:spPr/a:xfrm"):
            continue  # inherits its place from the master, which is scaled itself
        shape.top = int(shape.top * NEW_HEIGHT / OLD_HEIGHT)
        shape.height = int(shape.height * NEW_HEIGHT / OLD_HEIGHT)


def _upright(placeholder):
    """A vertical-text placeholder made horizontal (no orient="vert", no vertical bodyPr)."""
    for ph in placeholder._element.xpath("./p:nvSpPr/p:nvPr/p:ph"):
        ph.attrib.pop("orient", None)
    for body in placeholder._element.xpath("./p:txBody/a:bodyPr"):
        body.attrib.pop("vert", None)
    placeholder.name = placeholder.name.replace("Vertical ", "")


def restyle(prs):
    """Turn python-pptx's 4:3 default layouts into the 16:9 ones named in LAYOUTS."""
    master = prs.slide_master
    _scale_vertically(master.shapes)
    by_name = {layout.name: layout for layout in prs.slide_layouts}
    id_list = master._element.get_or_add_sldLayoutIdLst()
    entries = {rel_entry.rId: rel_entry for rel_entry in id_list}
    ordered = []
    for google, name, places in LAYOUTS:
        layout = by_name[name]
        _scale_vertically(layout.placeholders)
        for ph in list(layout.placeholders):
            idx = ph.placeholder_format.idx
            if idx not in places:
                continue
            if places[idx] is None:
                ph._element.getparent().remove(ph._element)
                continue
            _upright(ph)
            ph.left, ph.top, ph.width, ph.height = (Inches(v) for v in places[idx])
        layout._element.cSld.set("name", google)
        # the master lists its layouts by relationship id: find this layout's entry
        rid = next(r for r, part in master.part.rels.items() if part.target_part is layout.part)
        ordered.append(entries[rid])
    for entry in list(id_list):
        id_list.remove(entry)
    for entry in ordered:
        id_list.append(entry)
    return prs


def get(prs, name):
    """The layout called `name` (one of NAMES)."""
    for layout in prs.slide_layouts:
        if layout.name == name:
            return layout
    raise KeyError("no layout named %r; expected one of %s" % (name, ", ".join(NAMES)))

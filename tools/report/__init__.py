"""The write-up: report_template.pptx, the theory answer key, and the filled reference report.

slides.py      the course's 18 slides: kind, layout, prompt, place, table (the one list everything follows)
layouts.py     python-pptx's layouts made 16:9 and named like the course's (Google Slides' names)
deck.py        python-pptx drawing, lookup, filling and reproducible saving
template.py    builds report_template.pptx from slides.py
answer_key.py  the theory answers, computed (checked against torch in tools/tests/test_report.py)
run_data.py    reads Part 1's plot, MyModel's files and every run's metrics (the one reader of runs)
mymodel_eval.py  test accuracy of checkpoints/mymodel.pth by part2-pytorch/checkpoint_eval.py (cached by hash)
fill.py        fills the template: `make report`
render.py      PDF and slide PNGs through LibreOffice, when it is installed
"""

"""The only grader code that runs beside the student's code (in the runner process).

runner.py serves requests from the grader; part1.py and part2.py hold the probes:
functions that call the student's code on inputs chosen by the grader and return
what it computed, as NumPy arrays. Nothing here knows the expected values: the
references and the assertions stay in the grader process (gtests/).
"""

"""A Gradescope-style autograder for Assignment 2 (both parts).

grading.py runs the tests of gtests/ in this process; the student's code runs in a
separate runner process (sandbox.py starts probes/runner.py there) that sends back
arrays only. results_json.py writes results.json. Test files describe their points with
framework.graded().
"""

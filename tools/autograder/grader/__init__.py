"""A Gradescope-style autograder for Assignment 2 (both parts).

grading.py runs the tests of gtests/ against a submission, each batch of
tests in a subprocess (worker.py) with a time limit, and writes results.json
(results.py). Test files describe their points with framework.graded().
"""

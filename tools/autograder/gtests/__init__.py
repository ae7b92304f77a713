"""The autograder's tests: part1/ for the NumPy CNN, part2/ for the PyTorch part.

Each test is decorated with grader.framework.graded (points, visibility,
time limit, files it needs). References are computed independently (torch in
float64, closed forms), never with the reference solution's code.
"""

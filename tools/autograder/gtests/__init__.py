"""The autograder's tests: part1/ for the NumPy CNN, part2/ for the PyTorch part.

They run in the grader's process and never import the student's code: each test
draws its inputs, asks the runner to run a probe of probes/part<N>.py on them
(grader.framework.probe), and compares what comes back with a reference computed
here independently (torch in float64, closed forms), never with the reference
solution's code nor with the student's objects. Each test is decorated with
grader.framework.graded (points, visibility, time limit, files it needs).
"""

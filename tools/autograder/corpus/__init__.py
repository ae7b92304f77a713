"""The grading-accuracy corpus: student-like submissions with the scores they must get."""

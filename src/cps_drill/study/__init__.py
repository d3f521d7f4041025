"""A study session's logic: choosing questions, asking and grading them, and figures.
Plain Python: time and randomness come in as parameters."""

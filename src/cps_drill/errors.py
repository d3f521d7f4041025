"""The tool's own errors and the exit codes they map to, named in one place."""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1  # a problem with a content folder or the progress file
EXIT_USAGE = 2  # a command line that does not make sense (unknown principle, bad option)
EXIT_INTERRUPTED = 130  # Ctrl-C


class DrillError(Exception):
    """An error the user can fix; shown as one line, never as a traceback."""

    exit_code = EXIT_ERROR


class ContentError(DrillError):
    """A problem in a content file, located by file and line where one exists."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    def __reduce__(self):
        return (ContentError, (self.path, self.line, self.message))


class ContentProblems(DrillError):
    """Every problem found in a content folder."""

    def __init__(self, problems: list[ContentError], folder=None) -> None:
        self.problems = problems
        self.folder = folder  # the deck's folder, to name it in advice
        super().__init__("\n".join(str(p) for p in problems))


class ProgressError(DrillError):
    """The progress file cannot be read or written; it is never overwritten."""


class NewerProgress(ProgressError):
    """The progress was saved by a newer cps-drill: nothing here may change it."""


class UsageError(DrillError):
    exit_code = EXIT_USAGE

"""The tool's own errors and the exit codes they map to, named in one place.

An error that suggests a command carries it as data (`command`, `then`), so that the one error
boundary can name it the way the program was started (`.venv/bin/cps-drill restore`).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1  # a problem with a content folder, the progress folder, or the output
EXIT_USAGE = 2  # a command line that does not make sense (unknown principle, bad option)
EXIT_INTERRUPTED = 130  # Ctrl-C
EXIT_SIGNAL_BASE = 128  # stopped by a signal: 128 + its number (143 for SIGTERM)


class DrillError(Exception):
    """An error the user can fix; shown as one line, never as a traceback."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, *, command: str | None = None, then: str = "") -> None:
        self.message = message
        self.command = command  # a cps-drill command that helps, without the program's name
        self.then = then  # what that command does, said after it
        super().__init__(message)

    def describe(self, program: str = "cps-drill") -> str:
        if not self.command:
            return self.message
        advice = f"Run '{program} {self.command}'" + (f" {self.then}" if self.then else "")
        return f"{self.message} {advice}."


class ContentError(DrillError):
    """A problem in a content file, located by file and line where one exists."""

    def __init__(self, path: str, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        super().__init__(message)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    def describe(self, program: str = "cps-drill") -> str:
        return str(self)


class ContentProblems(DrillError):
    """Every problem found in a content folder."""

    def __init__(self, problems: list[ContentError], folder=None) -> None:
        self.problems = problems
        self.folder = folder  # the deck's folder, to name it in advice
        super().__init__("\n".join(str(p) for p in problems))


class ProgressError(DrillError):
    """The progress folder cannot be read or written; nothing in it is overwritten."""


class DamagedProgress(ProgressError):
    """A file of the progress folder is damaged: `restore` repairs it."""

    def __init__(self, message: str) -> None:
        super().__init__(
            message, command="restore", then="to recover every answer that can still be read"
        )


class NewerProgress(ProgressError):
    """The progress was saved by a newer cps-drill: nothing here may change it."""


class SaveFailed(ProgressError):
    """An answer could not be saved (a full disk, for example); it was taken back whole."""


class UsageError(DrillError):
    exit_code = EXIT_USAGE

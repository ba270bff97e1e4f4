"""Errors that reach the user as a plain message (data contract §4: no traceback)."""

from __future__ import annotations


class EdiError(Exception):
    """An error the user can act on: the message names what is wrong and how to fix it."""

    exit_code = 2


class InputError(EdiError):
    """A file-level problem in the input: the build stops and nothing is published.

    Parameters
    ----------
    file
        The input file (or folder) at fault.
    problem
        What is wrong, in plain words.
    fix
        What the user should do.
    column
        The column concerned, if any.
    rows
        1-based data rows concerned, if any (never personal values).
    """

    def __init__(
        self,
        file: str,
        problem: str,
        fix: str = "",
        column: str | None = None,
        rows: list[int] | None = None,
    ) -> None:
        self.file = str(file)
        self.problem = problem
        self.fix = fix
        self.column = column
        self.rows = list(rows or [])
        super().__init__(self.message)

    @property
    def message(self) -> str:
        where = self.file
        if self.column:
            where += f", column '{self.column}'"
        if self.rows:
            shown = ", ".join(str(r) for r in self.rows[:10])
            more = f" and {len(self.rows) - 10} more" if len(self.rows) > 10 else ""
            where += f", row(s) {shown}{more}"
        text = f"{where}: {self.problem}"
        if self.fix:
            text += f"\n  How to fix: {self.fix}"
        return text


class ValidationFailed(EdiError):
    """A critical data-quality expectation failed: the build stops (architecture §1)."""

    exit_code = 3


class ParameterError(EdiError):
    """A notebook was given a parameter it does not declare (architecture §1)."""

    exit_code = 2

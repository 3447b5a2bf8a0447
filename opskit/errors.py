"""One error tree for the whole tool; the CLI maps it to exit codes in one place (cli/app.py).

User mistakes and environment problems are *expected*: they carry a one-paragraph message and never
show a traceback. Anything else escaping a command is a bug and keeps its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum


class ExitCode(IntEnum):
    """Stable exit codes shared by every command."""

    OK = 0
    FINDINGS = 1  # findings, drift, failed check, refused apply
    # The command could not do its job: bad input (spec, config, paste, flag) or an unusable
    # environment (missing binary, no privilege, unreachable database). Both mean "fix something, then
    # rerun", unlike FINDINGS, which is the command working and reporting a problem.
    CANNOT_RUN = 2
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it); probe still prints what it measured


COMMAND_LINE = "command line"  # where a bad option value "is", in error messages


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    file: str | None
    line: int | None
    field: str | None
    problem: str

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.field}: {self.problem}" if self.field else f"{where}: {self.problem}"


class OpskitError(Exception):
    """Base of every expected failure. ``exit_code`` says how the CLI ends."""

    exit_code: ExitCode = ExitCode.CANNOT_RUN

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def describe(self) -> str:
        return self.message


class InputError(OpskitError):
    """Bad user input: a spec, a config, a paste, a flag value. Lists every problem found."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = problems or []

    @classmethod
    def at(cls, file: str | None, line: int | None, field: str | None, problem: str) -> InputError:
        one = Problem(file, line, field, problem)
        return cls(str(one), [one])

    @classmethod
    def option(cls, name: str, problem: str) -> InputError:
        """A bad command-line option or argument (``--port``, ``URL``): named as the user typed it."""
        return cls.at(COMMAND_LINE, None, name, problem)

    def describe(self) -> str:
        if not self.problems or (len(self.problems) == 1 and str(self.problems[0]) == self.message):
            return self.message
        return "\n".join([self.message, *(f"  {p}" for p in self.problems)])


class EnvironmentProblem(OpskitError):
    """The machine cannot do what was asked: a missing binary, no privilege, unreachable database."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def describe(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class ApplyError(OpskitError):
    """A change was refused or failed while applying; nothing (or only what the message says) changed."""

    exit_code = ExitCode.FINDINGS


@dataclass(frozen=True)
class Outcome:
    """What a command hands back to the CLI layer when it finished without raising."""

    exit_code: ExitCode = ExitCode.OK
    notes: list[str] = field(default_factory=list)

"""Every exception that ioemissions raises on purpose.

All of them derive from :class:`IOEmissionsError`, so ``except IOEmissionsError`` catches
anything the library refuses to compute. Messages name the offending label, row, file,
sheet or cell, so that a user can find the bad number without a debugger.

The hierarchy::

    IOEmissionsError
    ├── LabelError            wrong, missing, duplicated or misaligned labels
    │   └── ShapeError        non-square or mis-sized arrays
    ├── NonFiniteError        NaN or infinity in an input
    ├── NegativeOutputError   gross output x < 0
    ├── NonProductiveError    spectral radius of A >= 1, or I - A singular
    ├── UnbalancedTableError  a table whose totals do not add up
    ├── UnitError
    │   ├── UnknownUnitError  a unit string the registry does not know
    │   └── UnitMismatchError two quantities in units that must agree but do not
    ├── DataFileError         a malformed input file (names file, sheet, cell)
    ├── DatasetNotFoundError  an unknown name for ioemissions.tables.load
    ├── ConvergenceError      an iterative method that did not converge
    ├── DistributionError     an uncertainty range that does not contain its own value
    ├── IncompleteInputError  a result that would leave out part of what it claims to cover
    ├── ScenarioError         a pathway scenario that cannot be read or run (names key, line, lever, year)
    ├── OptionError           an unknown option string (``solver="qr"``, ``by="colour"``) or a bad argument
    └── OutputError           an output folder that cannot be written or replaced
"""

from __future__ import annotations

__all__ = [
    "ConvergenceError",
    "DataFileError",
    "DatasetNotFoundError",
    "DistributionError",
    "IOEmissionsError",
    "IncompleteInputError",
    "LabelError",
    "NegativeOutputError",
    "NonFiniteError",
    "NonProductiveError",
    "OptionError",
    "OutputError",
    "ScenarioError",
    "ShapeError",
    "UnbalancedTableError",
    "UnitError",
    "UnitMismatchError",
    "UnknownUnitError",
]


def _fmt_labels(labels, limit: int = 5) -> str:
    """Render a few labels for an error message, with a count of the rest."""
    labels = list(labels)
    shown = ", ".join(repr(x) for x in labels[:limit])
    if len(labels) > limit:
        shown += f" … and {len(labels) - limit} more"
    return shown


class IOEmissionsError(Exception):
    """Base class of every error raised on purpose by ioemissions."""


class LabelError(IOEmissionsError, KeyError):
    """Labels are missing, duplicated, unknown or not aligned between tables."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else ""


class ShapeError(LabelError, ValueError):
    """An array has the wrong shape (for example a non-square Z or A)."""


class NonFiniteError(IOEmissionsError, ValueError):
    """An input holds NaN or an infinity."""


class NegativeOutputError(IOEmissionsError, ValueError):
    """Gross output x is negative for some (region, sector)."""


class NonProductiveError(IOEmissionsError, ValueError):
    """The technology matrix A is not productive: ρ(A) >= 1 or I - A is singular."""


class UnbalancedTableError(IOEmissionsError, ValueError):
    """A table's totals do not add up (e.g. gross output ≠ total input)."""


class UnitError(IOEmissionsError, ValueError):
    """Base class for unit problems."""


class UnknownUnitError(UnitError):
    """A unit string that the unit registry does not know."""


class UnitMismatchError(UnitError):
    """Two quantities whose units must agree do not."""


class DataFileError(IOEmissionsError, ValueError):
    """An input file is malformed. The message names the file, and sheet and cell where known."""


class DatasetNotFoundError(IOEmissionsError, KeyError):
    """``ioemissions.tables.load`` was asked for a dataset it does not ship."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class ConvergenceError(IOEmissionsError, RuntimeError):
    """An iterative method (RAS, GRAS, …) stopped before reaching its tolerance."""


class DistributionError(IOEmissionsError, ValueError):
    """An uncertainty distribution that is malformed or does not contain the static value."""


class ScenarioError(IOEmissionsError, ValueError):
    """A pathway scenario that cannot be read or run.

    The message names the file and line where known, the key (e.g. ``levers[2].factor``), and the
    lever and year when a lever produces an impossible state (a non-productive A, a negative intensity).
    """


class IncompleteInputError(IOEmissionsError, ValueError):
    """A result would leave out part of what it claims to cover (e.g. a building module with no input, strict mode)."""


class MissingDataWarning(UserWarning):
    """A result is computed, but part of it rests on a gap in the data (e.g. Tibet has no CEADs inventory).

    The message names what is missing and how it was counted. Not an error: the command line prints
    it as one ``ioemissions: warning:`` line.
    """


class OptionError(IOEmissionsError, ValueError):
    """An option or argument outside its allowed values (e.g. ``solver="qr"``, ``top=0``).

    Subclasses :class:`ValueError`, so code that caught the ValueError raised before keeps working.
    """


class OutputError(IOEmissionsError, OSError):
    """An output folder that is a file, holds files ioemissions did not write, or is not writable."""


def check_option(value, allowed, *, what: str):
    """Return ``value`` if it is one of ``allowed``, else raise :class:`OptionError` naming both."""
    if not isinstance(value, str) or value not in allowed:
        raise OptionError(f"{what} must be one of {', '.join(repr(a) for a in allowed)}; got {value!r}")
    return value

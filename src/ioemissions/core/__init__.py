"""The input–output core: formulas, solver, the labelled MRIO model and its accounts."""

from .mrio import ABROAD, MRIO
from .solver import LeontiefSolver, check_productive

__all__ = ["ABROAD", "MRIO", "LeontiefSolver", "check_productive"]

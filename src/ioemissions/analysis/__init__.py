"""Analysis: structural decomposition (SDA, LMDI), structural path analysis, linkages."""

from .linkages import hypothetical_extraction, linkages
from .lmdi import lmdi, log_mean
from .sda import sda
from .spa import layer_totals, structural_paths

__all__ = ["hypothetical_extraction", "layer_totals", "linkages", "lmdi", "log_mean", "sda", "structural_paths"]

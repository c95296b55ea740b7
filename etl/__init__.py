"""Read children's services committee minutes and turn every KPI figure into a row with its source."""

__version__ = "0.1.0"

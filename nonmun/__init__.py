"""nonmun (논문): a self-hosted hub for machine-learning paper reviews."""

__version__ = "0.1.0"

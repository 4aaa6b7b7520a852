"""shadowai: find where AI services are really used, and keep an auditable inventory of it."""

__version__ = "0.1.0"

"""The `shadowai` command line."""

"""Notifications after scheduled scans: what is new, where it was seen, how to look."""

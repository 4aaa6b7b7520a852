"""Helpers for tests: real servers on loopback."""

"""Plugins: built-in discovery modules and third-party ones share one pluggy manager."""

"""Exports of the inventory for auditors and other tools."""

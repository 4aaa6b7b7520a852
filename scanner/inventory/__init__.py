"""The inventory: an SQLite database of runs, findings, sanctions and cursors."""

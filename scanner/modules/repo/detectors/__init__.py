"""One detector per kind of evidence in a repository. Each reads one file's text (or header) and yields
``Detection``s: an observation from ``scanner.observations`` and how sure the detector is of it."""

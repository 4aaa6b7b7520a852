"""`shadowai scan repo`: find AI use in code repositories (local directories and git URLs).

targets → (clone) → walker → bounded reads → detectors (one per kind of evidence) → observations → matcher →
findings, consolidated per (service, repository, file) and stored as a snapshot: a re-scan replaces counts.
"""

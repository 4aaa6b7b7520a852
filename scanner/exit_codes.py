"""Process exit codes, the same for every command (documented in `shadowai --help` and the README)."""

OK = 0  # success
PARTIAL = 1  # a source failed, a record was bad, or something could not be covered
USAGE = 2  # bad arguments or configuration (click uses 2 for usage errors too)
NEW_UNSANCTIONED = 3  # with --fail-on-new: a new unsanctioned AI service was found
LOCKED = 4  # the database lock could not be acquired in time
INTERRUPTED = 130  # stopped by SIGINT/SIGTERM; the run is recorded as interrupted (128 + SIGINT, as shells do)

HELP = """Exit codes: 0 success; 1 partial (bad records, a source failed or a coverage gap);
2 usage or configuration error; 3 new unsanctioned AI service found (with --fail-on-new);
4 database lock not acquired; 130 interrupted (SIGINT/SIGTERM), run recorded
as interrupted."""

# `shadowai scan` with no source runs several sources and exits with the worst of their codes, in this order
# (worst first): a stop by signal ends everything; a configuration a command refused needs fixing before any
# other answer means much; a lock not had means a source was not scanned at all; then a new unsanctioned
# service (with --fail-on-new), then partial coverage. An unknown non-zero code counts as partial.
PRECEDENCE = (INTERRUPTED, USAGE, LOCKED, NEW_UNSANCTIONED, PARTIAL, OK)

PRECEDENCE_HELP = ("With no source named, the exit code is the worst of the sources' codes, worst first: "
                   "130 interrupted, 2 configuration refused, 4 lock not acquired, 3 new unsanctioned service "
                   "(with --fail-on-new), 1 partial, 0.")


def worst(codes) -> int:
    """The code that matters most of several runs' codes (see PRECEDENCE); OK for none."""
    known = [code if code in PRECEDENCE else PARTIAL for code in codes]
    return min(known, key=PRECEDENCE.index, default=OK)

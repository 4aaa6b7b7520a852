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

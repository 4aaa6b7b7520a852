"""The hooks a shadowai plugin can implement (entry-point group ``shadowai``)."""

import pluggy

hookspec = pluggy.HookspecMarker("shadowai")
hookimpl = pluggy.HookimplMarker("shadowai")


@hookspec
def register_lazy_scan_commands():
    """Return ``shadowai scan <source>`` subcommands as a list of LazyCommand (scanner.plugins.lazy_commands):
    name, import path and short help; each is imported only when it is run or its help is asked for."""


@hookspec
def register_scan_commands(scan):
    """Add ``shadowai scan <source>`` subcommands to the ``scan`` click group (imported at every start-up:
    prefer register_lazy_scan_commands)."""


@hookspec
def register_log_formats():
    """Return a list of LogFormat subclasses that ``shadowai scan logs`` can detect and read."""


@hookspec
def register_commands(cli):
    """Add top-level commands to the ``shadowai`` click group."""

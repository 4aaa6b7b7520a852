"""The repository module as a plugin: its `scan repo` command."""

from scanner.plugins.hookspecs import hookimpl
from scanner.plugins.lazy_commands import LazyCommand


@hookimpl
def register_lazy_scan_commands():
    # Imported only when run: the short help is the first sentence of the command's help (a test checks).
    return [
        LazyCommand("repo", "scanner.modules.repo.command:repo_command",
                    "Find AI use in code repositories: SDK dependencies in manifests and lock files, imports, AI "
                    "endpoints and env var names, API keys (stored only as fingerprints), model files, notebooks, "
                    "inference containers, IaC resources and AI coding-assistant config files."),
    ]

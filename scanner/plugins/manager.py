"""The plugin manager: built-in modules first (DEFAULT_PLUGINS), then entry points of group ``shadowai``."""

from __future__ import annotations

import importlib
import importlib.metadata
from functools import lru_cache

import pluggy

from scanner.plugins import hookspecs
from scanner.plugins.lazy_commands import LazyCommand

DEFAULT_PLUGINS = (
    "scanner.modules.logs.plugin",
    "scanner.modules.aws.plugin",
    "scanner.modules.github.plugin",
    "scanner.modules.slack.plugin",
    "scanner.modules.repo.plugin",
    "scanner.modules.gcp.plugin",
    "scanner.modules.google_workspace.plugin",
    "scanner.modules.azure.plugin",
    "scanner.modules.entra.plugin",
    "scanner.modules.pcap.plugin",
    "scanner.modules.dns_zone.plugin",
)


# A plugin that fails to load or to register is reported (`shadowai plugins`, and on stderr when it is used)
# instead of taking the whole command line down with it.
plugin_failures: dict[str, str] = {}
plugin_versions: dict[str, str] = {}  # third-party plugin name -> its distribution's version


@lru_cache(maxsize=1)
def plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("shadowai")
    manager.add_hookspecs(hookspecs)
    plugin_failures.clear()
    plugin_versions.clear()
    for name in DEFAULT_PLUGINS:
        try:
            manager.register(importlib.import_module(name), name=name)
        except Exception as exc:  # noqa: BLE001 — any import failure of one plugin
            plugin_failures[name] = f"cannot load: {type(exc).__name__}: {exc}"
    for entry_point in importlib.metadata.entry_points(group="shadowai"):
        if manager.get_plugin(entry_point.name) is not None or manager.is_blocked(entry_point.name):
            continue
        try:
            manager.register(entry_point.load(), name=entry_point.name)
        except Exception as exc:  # noqa: BLE001
            plugin_failures[entry_point.name] = f"cannot load: {type(exc).__name__}: {exc}"
            continue
        if entry_point.dist is not None:
            plugin_versions[entry_point.name] = entry_point.dist.version
    return manager


def call_each(hook_name: str, **kwargs) -> list:
    """Call one hook on every plugin, keeping the results of those that work and recording the failures."""
    return [result for _, result in call_each_by_plugin(hook_name, **kwargs)]


def call_each_by_plugin(hook_name: str, **kwargs) -> list[tuple[str, object]]:
    """(plugin name, result) of one hook on every plugin, in registration order; failures are recorded."""
    results = []
    hook = getattr(plugin_manager().hook, hook_name)
    for implementation in reversed(hook.get_hookimpls()):  # registration order
        try:
            result = implementation.function(**{arg: kwargs[arg] for arg in implementation.argnames})
        except Exception as exc:  # noqa: BLE001
            plugin_failures[implementation.plugin_name] = f"{hook_name} failed: {type(exc).__name__}: {exc}"
            continue
        if result is not None:
            results.append((implementation.plugin_name, result))
    return results


def lazy_scan_commands() -> list[tuple[str, LazyCommand]]:
    """(plugin name, entry) of every `shadowai scan` command registered lazily, in registration order; a
    plugin that returns anything but LazyCommand entries is recorded as failing and its entries are skipped."""
    entries = []
    for plugin, result in call_each_by_plugin("register_lazy_scan_commands"):
        items = list(result) if isinstance(result, (list, tuple)) else [result]
        wrong = [item for item in items if not isinstance(item, LazyCommand)]
        if wrong:
            plugin_failures[plugin] = (f"register_lazy_scan_commands returned a {type(wrong[0]).__name__}, "
                                       "not a list of LazyCommand")
            continue
        entries += [(plugin, item) for item in items]
    return entries


def check_lazy_commands() -> None:
    """Import every lazily registered command once, recording the plugin of any that cannot be imported (for
    `shadowai plugins`: a broken command is otherwise only seen when it is called)."""
    for plugin, entry in lazy_scan_commands():
        try:
            entry.load()
        except Exception as exc:  # noqa: BLE001 — any import failure of one command
            plugin_failures[plugin] = entry.problem(exc)


def describe_plugins() -> list[dict[str, object]]:
    manager = plugin_manager()
    check_lazy_commands()
    described = []
    for name, plugin in sorted(manager.list_name_plugin(), key=lambda item: item[0]):
        described.append({
            "name": name,
            "builtin": name in DEFAULT_PLUGINS,
            "version": plugin_versions.get(name),
            "hooks": sorted(caller.name for caller in manager.get_hookcallers(plugin) or ()),
            "problem": plugin_failures.get(name),
        })
    for name, problem in sorted(plugin_failures.items()):
        if manager.get_plugin(name) is None:
            described.append({"name": name, "builtin": name in DEFAULT_PLUGINS, "version": None, "hooks": [],
                              "problem": problem})
    return described

"""The plugin manager: built-in modules first (DEFAULT_PLUGINS), then entry points of group ``shadowai``."""

from __future__ import annotations

import importlib
from functools import lru_cache

import pluggy

from scanner.plugins import hookspecs

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
)


@lru_cache(maxsize=1)
def plugin_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager("shadowai")
    manager.add_hookspecs(hookspecs)
    for name in DEFAULT_PLUGINS:
        manager.register(importlib.import_module(name), name=name)
    manager.load_setuptools_entrypoints("shadowai")
    return manager


def describe_plugins() -> list[dict[str, object]]:
    manager = plugin_manager()
    distributions = {id(plugin): dist for plugin, dist in manager.list_plugin_distinfo()}
    described = []
    for name, plugin in sorted(manager.list_name_plugin(), key=lambda item: item[0]):
        dist = distributions.get(id(plugin))
        described.append({
            "name": name,
            "builtin": name in DEFAULT_PLUGINS,
            "version": dist.version if dist else None,
            "hooks": sorted(caller.name for caller in manager.get_hookcallers(plugin) or ()),
        })
    return described

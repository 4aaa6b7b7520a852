"""botocore sessions whose clients are cheap to make: what every client rebuilds is built once and shared.

A scan makes one client per account × region × service (three accounts and seventeen regions: over six hundred
clients) and each makes only a few calls, so what botocore does once per client weighed as much as the calls
(about 6 ms of CPU per client, under the GIL, against 1.5 ms per call):

- it wraps the service's JSON description (which its loader already caches) in a fresh ``ServiceModel``, and
  builds a fresh client class whose methods each build an ``OperationModel``; everything botocore then works
  out per operation (shapes, idempotency members, the serialiser's view) is cached on that model and thrown
  away with the client;
- it copies the session's whole trie of event handlers (some two hundred nodes, a thousand objects for the
  garbage collector) so that the client can add its own, and the copy's cache of translated event names
  (``before-call.api.sagemaker…`` → the canonical name, a loop over botocore's alias table) starts empty.

For a session made by ``new_session``: the ``ServiceModel`` of a service is made once per data loader (the
sessions of a scan share one; a model is a read-only view of the JSON, and one client's model already serves
every thread calling that client); the client class once per session and service (it depends on the session's
``creating-client-class`` handlers); the handler trie is copied on write (a client's copy shares the session's
nodes and copies only the paths of the handlers it registers); and the event-name cache is shared by the session
and its clients' copies (a translation depends only on the name and the alias table, which they share).
Credentials, region, endpoint, configuration, retry state and each client's handlers are made per client
exactly as before, and a client sees the handlers it would have seen. Sessions made otherwise are untouched.
"""

from __future__ import annotations

import copy
import threading
import weakref
from typing import Any

import botocore.client
import botocore.session
from botocore.hooks import _MIDDLE, EventAliaser, HierarchicalEmitter, NodeList, _PrefixTrie
from botocore.model import ServiceModel

_lock = threading.Lock()
# data loader -> (service, API version) -> model; a model goes with its loader (a scan's sessions share one)
_models: weakref.WeakKeyDictionary[Any, dict[tuple[str, str | None], ServiceModel]] = weakref.WeakKeyDictionary()


def _own_copy(node: dict[str, Any]) -> dict[str, Any]:
    """One trie node copied: its own children mapping and handler lists; the child nodes stay shared."""
    values = node["values"]
    return {**node, "children": dict(node["children"]),
            "values": None if values is None else NodeList(list(values.first), list(values.middle), list(values.last))}


class SharedTrie(_PrefixTrie):
    """botocore's prefix trie of event handlers, copied on write: a copy shares every node with the original,
    and whichever of them then adds or removes a handler first copies the nodes on that event name's path."""

    def __init__(self) -> None:
        super().__init__()
        self._owned: set[int] = {id(self._root)}  # nodes only this trie holds, changed in place

    def _own_path(self, key: str) -> None:
        node = self._root
        if id(node) not in self._owned:
            node = self._root = _own_copy(node)
            self._owned.add(id(node))
        for part in key.split("."):
            child = node["children"].get(part)
            if child is None:  # the rest of the path is made new, by this trie
                return
            if id(child) not in self._owned:
                child = node["children"][part] = _own_copy(child)
                self._owned.add(id(child))
            node = child

    def append_item(self, key: str, value: Any, section: int = _MIDDLE) -> None:
        self._own_path(key)
        super().append_item(key, value, section)

    def remove_item(self, key: str, value: Any) -> None:
        self._own_path(key)
        super().remove_item(key, value)

    def __copy__(self) -> "SharedTrie":
        copied = self.__class__.__new__(self.__class__)
        copied._root = self._root
        copied._owned = set()
        self._owned = set()  # from now on every node is shared with the copy
        return copied


class SharedTrieEmitter(HierarchicalEmitter):
    """botocore's event emitter, keeping its handlers in a ``SharedTrie``: a client's copy costs almost nothing
    until the client registers its own handlers, and then only their paths."""

    def __init__(self) -> None:
        super().__init__()
        self._handlers = SharedTrie()


class SharedAliasEmitter(EventAliaser):
    """A session's event emitter whose copies (one per client) share its translated-name cache, and which keeps
    the session's client classes."""

    def __init__(self, event_emitter: HierarchicalEmitter, event_aliases: dict[str, str] | None = None,
                 alias_cache: dict[str, str] | None = None) -> None:
        super().__init__(event_emitter, event_aliases)
        if alias_cache is not None:
            self._alias_name_cache = alias_cache
        self.client_classes: dict[str, tuple[ServiceModel, type]] = {}

    def __copy__(self) -> "SharedAliasEmitter":
        return self.__class__(copy.copy(self._emitter), self._event_aliases, self._alias_name_cache)


class SharedModelClientCreator(botocore.client.ClientCreator):
    """botocore's ClientCreator; for a session made by ``new_session``, it reuses the service models of the
    session's data loader and the session's client classes."""

    def _load_service_model(self, service_name: str, api_version: str | None = None) -> ServiceModel:
        if not isinstance(self._event_emitter, SharedAliasEmitter):  # a session made elsewhere: as botocore does
            return super()._load_service_model(service_name, api_version)
        with _lock:
            models = _models.setdefault(self._loader, {})  # the sessions of one scan share their loader
        found = models.get((service_name, api_version))
        if found is None:
            made = super()._load_service_model(service_name, api_version)
            found = models.setdefault((service_name, api_version), made)
        return found

    def _create_client_class(self, service_name: str, service_model: ServiceModel) -> Any:
        if not isinstance(self._event_emitter, SharedAliasEmitter):
            return super()._create_client_class(service_name, service_model)
        classes = self._event_emitter.client_classes
        found = classes.get(service_name)
        if found is None or found[0] is not service_model:
            found = (service_model, super()._create_client_class(service_name, service_model))
            classes[service_name] = found
        return found[1]


def compatible() -> bool:
    """Whether this botocore has the internals these classes build on (checked once; they are private, so a
    botocore release may move them — then ``scanner.clients.aws`` uses plain sessions)."""
    global _compatible
    if _compatible is None:
        try:
            trie = _PrefixTrie()
            _compatible = (isinstance(trie._root, dict) and {"children", "values"} <= set(trie._root)
                           and callable(getattr(botocore.client.ClientCreator, "_load_service_model", None))
                           and callable(getattr(botocore.client.ClientCreator, "_create_client_class", None))
                           and hasattr(EventAliaser(HierarchicalEmitter()), "_alias_name_cache")
                           and set(getattr(NodeList, "_fields", ())) == {"first", "middle", "last"})
        except Exception:  # noqa: BLE001 - any surprise in private internals means: do not use them
            _compatible = False
    return _compatible


_compatible: bool | None = None


def install() -> None:
    """Make botocore create clients with ``SharedModelClientCreator`` (it acts as botocore's own for sessions
    not made by ``new_session``)."""
    with _lock:
        if not issubclass(botocore.client.ClientCreator, SharedModelClientCreator):
            botocore.client.ClientCreator = SharedModelClientCreator


def new_session() -> botocore.session.Session:
    """A botocore session (what ``botocore.session.get_session()`` gives) whose clients share its event-name
    cache and client classes."""
    install()
    handlers = SharedTrieEmitter()
    session = botocore.session.Session(event_hooks=handlers)
    session.register_component("event_emitter", SharedAliasEmitter(handlers))
    return session

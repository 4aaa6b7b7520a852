"""Normalisation of package, import, image and identifier names, one rule per ecosystem."""

from __future__ import annotations

import re

_PEP503 = re.compile(r"[-_.]+")


def package_name(ecosystem: str, name: str) -> str:
    name = name.strip()
    if ecosystem == "pypi":
        return _PEP503.sub("-", name).lower()  # PEP 503
    if ecosystem == "cargo":
        return name.lower().replace("_", "-")  # crates.io treats - and _ as the same name
    return name.lower()  # npm, maven (group:artifact), go, nuget and rubygems compare case-insensitively here


def package_candidates(ecosystem: str, name: str) -> list[str]:
    """Keys under which a rule could have been filed for this package, most specific first."""
    normal = package_name(ecosystem, name)
    keys = [normal]
    if ecosystem == "npm" and normal.startswith("@") and "/" in normal:
        keys.append(normal.split("/", 1)[0] + "/*")
    elif ecosystem == "maven" and ":" in normal:
        keys.append(normal.split(":", 1)[0] + ":*")
    elif ecosystem == "go":
        keys += list(path_prefixes(normal, "/"))[1:]
    return keys


def path_prefixes(name: str, separator: str):
    """'a.b.c' -> 'a.b.c', 'a.b', 'a'."""
    parts = name.split(separator)
    for end in range(len(parts), 0, -1):
        yield separator.join(parts[:end])


IMPORT_SEPARATORS = {"python": ".", "java": ".", "csharp": ".", "go": "/", "javascript": "/"}


def import_candidates(language: str, module: str) -> list[str]:
    module = module.strip()
    separator = IMPORT_SEPARATORS[language]
    if language == "javascript":
        module = module.lower()
        if module.startswith("node:"):
            return []
    elif language == "csharp":
        module = module.lower()
    return list(path_prefixes(module, separator))


_DOCKER_HUB = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")


def container_image(reference: str) -> str:
    """'docker.io/library/ollama:0.5@sha256:…' -> 'ollama'; 'ghcr.io/x/y:tag' -> 'ghcr.io/x/y'."""
    image = reference.strip().lower()
    image = image.split("@", 1)[0]
    last = image.rsplit("/", 1)
    if ":" in last[-1]:
        last[-1] = last[-1].split(":", 1)[0]
        image = "/".join(last)
    for prefix in _DOCKER_HUB:
        if image.startswith(prefix):
            image = image[len(prefix) :]
            break
    if image.startswith("library/"):
        image = image[len("library/") :]
    return image


def app_name(name: str) -> str:
    return " ".join(name.split()).casefold()


def identifier(text: str) -> str:
    return text.strip().lower()

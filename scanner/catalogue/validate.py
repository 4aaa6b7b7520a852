"""`shadowai catalogue validate`: schema, references, claims and examples of every signature.

Each problem is ``file: field: message``. Checks, in order:
- the file is YAML and fits the JSON Schema (2020-12, no unknown fields);
- ``id`` equals the file stem, ``vendor`` the folder, and vendor and categories exist;
- every detection kind used has examples, and no examples stand for a kind that is not used;
- no domain rule claims a shared platform (or a parent of one), and every domain rule is a registrable
  domain or a subdomain of one (the Public Suffix List shipped with ``publicsuffixlist``, never fetched);
- no key (domain, pattern, package, env var, …) is claimed by two services;
- secret regexes compile and model patterns can be indexed;
- every ``match`` example is attributed to this service by the real matcher and no ``no_match`` example is.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
import re
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator

from scanner.catalogue.loader import (Catalogue, LoadProblem, builtin_signatures_dir, content_digest, read_yaml,
                                      service_files)
from scanner.catalogue.model import DETECTION_KINDS, Service
from scanner.matching.matcher import claims
from scanner.matching.models import pattern_problem


@lru_cache(maxsize=1)
def public_suffixes():
    from publicsuffixlist import PublicSuffixList

    # ICANN suffixes only: the private section lists vendor-owned user-content domains (oaiusercontent.com,
    # hf.space) that are exactly what a signature should claim. The list is bundled: no network at run time.
    return PublicSuffixList(only_icann=True)


@lru_cache(maxsize=None)
def schema_validator(name: str) -> Draft202012Validator:
    path = builtin_signatures_dir() / "schema" / name
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def field_path(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_checked: dict[tuple[Path, bytes | None, str], list[LoadProblem]] = {}


def schema_problems(path: Path, data, schema_name: str) -> list[LoadProblem]:
    """Schema errors of one file; a file version is checked once per process, however often it is loaded."""
    key = (path, content_digest(path), schema_name)
    if key[1] is not None and key in _checked:
        return list(_checked[key])
    validator = schema_validator(schema_name)
    problems = [
        LoadProblem(path, field_path(error.absolute_path), error.message)
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    ]
    _checked[key] = problems
    return list(problems)


def is_shared_platform(domain: str, shared: tuple[str, ...]) -> str | None:
    """The shared platform a domain rule would swallow, if any."""
    labels = domain.split(".")
    if len(labels) < 2:
        return domain
    for platform in shared:
        if "*" in platform:
            # 'akamai*' covers any registrable name whose first label starts with 'akamai'.
            if fnmatch.fnmatchcase(labels[-2], platform) or fnmatch.fnmatchcase(domain, platform):
                return platform
        elif domain == platform or platform.endswith("." + domain):
            return platform
    return None


def check_service(service: Service, catalogue: Catalogue) -> list[LoadProblem]:
    path = service.path
    problems = []
    if service.id != path.stem:
        problems.append(LoadProblem(path, "id", f"'{service.id}' must equal the file name '{path.stem}'"))
    if service.vendor != path.parent.name:
        problems.append(LoadProblem(path, "vendor", f"'{service.vendor}' must equal the folder '{path.parent.name}'"))
    if service.vendor not in catalogue.vendors:
        problems.append(LoadProblem(path, "vendor", f"'{service.vendor}' is not in vendors.yaml"))
    for index, category in enumerate((service.category, *service.also_categories)):
        if category not in catalogue.categories:
            where = "category" if index == 0 else f"also_categories[{index - 1}]"
            problems.append(LoadProblem(path, where, f"'{category}' is not in categories.yaml"))
    used = {kind for kind in DETECTION_KINDS if service.detection.get(kind)}
    for kind in sorted(used - set(service.examples)):
        problems.append(LoadProblem(path, f"examples.{kind}", "missing: every detection kind needs match and no_match examples"))
    for kind in sorted(set(service.examples) - used):
        problems.append(LoadProblem(path, f"examples.{kind}", f"examples for '{kind}', which the service does not use"))
    for index, domain in enumerate(service.detection.get("domains", ())):
        if public_suffixes().is_public(domain):
            problems.append(LoadProblem(path, f"detection.domains[{index}]",
                                        f"'{domain}' is a public suffix: claim a registrable domain or a subdomain"))
            continue
        platform = is_shared_platform(domain, catalogue.shared_platforms)
        if platform:
            problems.append(
                LoadProblem(path, f"detection.domains[{index}]",
                            f"'{domain}' would claim the shared platform '{platform}': use a subdomain, host_patterns or url_paths")
            )
    for index, rule in enumerate(service.detection.get("secrets", ())):
        try:
            re.compile(rule["regex"])
        except re.error as exc:
            problems.append(LoadProblem(path, f"detection.secrets[{index}].regex", f"does not compile: {exc}"))
    for index, pattern in enumerate(service.detection.get("models", ())):
        problem = pattern_problem(pattern)
        if problem:
            problems.append(LoadProblem(path, f"detection.models[{index}]", f"'{pattern}': {problem}"))
    return problems


def check_examples(service: Service, catalogue: Catalogue) -> list[LoadProblem]:
    matcher = catalogue.matcher
    problems = []
    for kind, sets in service.examples.items():
        for expectation in ("match", "no_match"):
            for index, example in enumerate(sets.get(expectation, ())):
                where = f"examples.{kind}.{expectation}[{index}]"
                try:
                    found = matcher.example_matches(kind, example)
                except ValueError as exc:
                    problems.append(LoadProblem(service.path, where, str(exc)))
                    continue
                if expectation == "match" and service.id not in found:
                    other = f"matched {', '.join(sorted(found))} instead" if found else "matched nothing"
                    problems.append(LoadProblem(service.path, where, f"{example!r} {other}"))
                elif expectation == "no_match" and service.id in found:
                    problems.append(LoadProblem(service.path, where, f"{example!r} must not match, but does"))
    return problems


def duplicate_claims(catalogue: Catalogue) -> list[LoadProblem]:
    """A key claimed by two services is reported on both files, each naming the other."""
    owners: dict[tuple[str, str], list[Service]] = {}
    for service in catalogue.services.values():
        for claim in dict.fromkeys(claims(service)):
            owners.setdefault(claim, []).append(service)
    problems = []
    for (kind, key), services in owners.items():
        for service in services if len(services) > 1 else ():
            others = ", ".join(f"{o.id} ({o.path.name})" for o in services if o is not service)
            problems.append(LoadProblem(service.path, f"detection.{kind}", f"'{key}' is also claimed by {others}"))
    return problems


def validate(catalogue: Catalogue) -> list[LoadProblem]:
    problems = list(catalogue.problems)
    for directory in catalogue.dirs:
        for name, schema in (("vendors.yaml", "vendors.schema.json"), ("categories.yaml", "categories.schema.json")):
            path = directory / name
            if path.is_file():
                problems += schema_problems(path, read_yaml(path), schema)
        for path in service_files(directory):
            try:
                data = read_yaml(path)
            except Exception:  # already reported by the loader
                continue
            problems += schema_problems(path, data, "service.schema.json")
    if not (catalogue.vendors and catalogue.categories):
        problems.append(LoadProblem(catalogue.dirs[0], "", "vendors.yaml and categories.yaml are required"))
    # Deeper checks only on files that fit the schema: the rest cannot be compiled meaningfully.
    broken = {problem.file for problem in problems}
    sound = dataclasses.replace(
        catalogue, services={k: s for k, s in catalogue.services.items() if s.path not in broken}
    )
    for service in sound.services.values():
        problems += check_service(service, sound)
    problems += duplicate_claims(sound)
    for service in sound.services.values():
        problems += check_examples(service, sound)
    return problems

"""Which detectors read which file: by file name first (manifests, lock files, Dockerfiles), then by extension
(source languages, configuration formats). API keys are searched in every text file, prose included; endpoints
and env var names only in code and configuration (a README that mentions OpenAI is not a use of it).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, AbstractSet as Set, Iterator

from scanner.modules.repo.detectors import containers, endpoints, git_lfs, iac, install_commands
from scanner.modules.repo.detectors.base import (DASH_COMMENTS, HASH_COMMENTS, SLASH_COMMENTS, Detection, Detector,
                                                 SourceFile)
from scanner.modules.repo.detectors.env_vars import EnvVarNames
from scanner.modules.repo.detectors.imports import source_languages
from scanner.modules.repo.detectors.imports.python import PythonImports
from scanner.modules.repo.detectors.manifests import javascript, jvm, native, python
from scanner.modules.repo.detectors.notebooks import Notebook
from scanner.modules.repo.detectors.prefilter import (CODE_KINDS, CONTAINER_KIND, ENV_KIND, HOST_KIND, IAC_KIND,
                                                      IMPORT_KIND, SECRET_KIND, CataloguePrefilter)
from scanner.modules.repo.detectors.secrets import ApiKeys

if TYPE_CHECKING:
    from scanner.matching.matcher import Matcher

MANIFESTS: dict[str, Detector] = {
    "pyproject.toml": python.pyproject_toml,
    "pipfile": python.pipfile,
    "pipfile.lock": python.pipfile_lock,
    "poetry.lock": python.package_lock_toml,
    "uv.lock": python.package_lock_toml,
    "pdm.lock": python.package_lock_toml,
    "setup.cfg": python.setup_cfg,
    "environment.yml": python.environment_yml,
    "environment.yaml": python.environment_yml,
    "package.json": javascript.package_json,
    "package-lock.json": javascript.package_lock_json,
    "npm-shrinkwrap.json": javascript.package_lock_json,
    "yarn.lock": javascript.yarn_lock,
    "pnpm-lock.yaml": javascript.pnpm_lock_yaml,
    "go.mod": native.go_mod,
    "pom.xml": jvm.pom_xml,
    "build.gradle": jvm.build_gradle,
    "build.gradle.kts": jvm.build_gradle,
    "libs.versions.toml": jvm.versions_toml,
    "cargo.toml": native.cargo_toml,
    "cargo.lock": native.cargo_lock,
    "packages.config": native.packages_config,
    "directory.packages.props": native.msbuild_project,
    "gemfile": native.gemfile,
    "gemfile.lock": native.gemfile_lock,
}
MANIFEST_PATTERNS: tuple[tuple[str, Detector], ...] = (
    ("requirements*.txt", python.requirements_txt),
    ("requirements*.in", python.requirements_txt),
    ("*-requirements.txt", python.requirements_txt),
    ("*.csproj", native.msbuild_project),
    ("*.fsproj", native.msbuild_project),
    ("*.vbproj", native.msbuild_project),
)
MANIFEST_NAME = re.compile("|".join(fnmatch.translate(pattern) for pattern, _ in MANIFEST_PATTERNS))
LOCK_FILES = {"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "poetry.lock", "uv.lock",
              "pdm.lock", "pipfile.lock", "cargo.lock", "gemfile.lock"}

# extension → (language for imports or None, comment markers)
CODE: dict[str, tuple[str | None, tuple[str, ...]]] = {
    **{ext: ("python", HASH_COMMENTS) for ext in (".py", ".pyi", ".pyw")},
    **{ext: ("javascript", SLASH_COMMENTS) for ext in (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts",
                                                          ".cts", ".vue", ".svelte", ".astro")},
    ".go": ("go", SLASH_COMMENTS),
    **{ext: ("java", SLASH_COMMENTS) for ext in (".java", ".kt", ".kts", ".scala", ".groovy")},
    ".cs": ("csharp", SLASH_COMMENTS),
    **{ext: (None, SLASH_COMMENTS) for ext in (".c", ".h", ".cc", ".cpp", ".hpp", ".cxx", ".m", ".mm", ".rs",
                                                 ".swift", ".php", ".dart", ".fs", ".gradle")},
    **{ext: (None, HASH_COMMENTS) for ext in (".rb", ".sh", ".bash", ".zsh", ".fish", ".ps1", ".r", ".jl",
                                                ".pl", ".ex", ".exs", ".nix", ".cr")},
    **{ext: (None, DASH_COMMENTS) for ext in (".sql", ".lua", ".hs")},
    **{ext: (None, ("<!--",)) for ext in (".html", ".htm")},
}
CONFIG: dict[str, tuple[str, ...]] = {
    **{ext: HASH_COMMENTS for ext in (".yaml", ".yml", ".toml", ".env", ".properties", ".conf", ".cfg", ".ini",
                                       ".tfvars")},
    **{ext: () for ext in (".json", ".jsonc", ".json5")},
    ".template": HASH_COMMENTS, ".xml": ("<!--",), ".config": ("<!--",), ".plist": ("<!--",),
    **{ext: ("#", "//") for ext in (".tf", ".hcl")},
}
CONFIG_NAMES = {".env", ".envrc", ".npmrc", "procfile", "makefile", "jenkinsfile", ".gitlab-ci.yml", "dockerfile",
                "containerfile", "justfile", "tiltfile"}
SHELL_LIKE = (".sh", ".bash", ".zsh", ".ps1", ".yml", ".yaml")
MAX_CACHED_PLANS = 4096


@dataclass(frozen=True)
class FilePlan:
    detectors: tuple[Detector, ...]
    lock_file: bool = False
    always: bool = False  # a manifest or .gitattributes: read even when the pre-filter finds no literal
    kinds: tuple[str | None, ...] = ()  # per detector: the kind of literal it needs (None: any code literal)

    def __post_init__(self) -> None:
        if len(self.kinds) != len(self.detectors):
            raise ValueError("a FilePlan names the kind of literal of each of its detectors")


def extension_of(lower_name: str) -> str:
    if lower_name.startswith(".env"):
        return ".env"
    dot = lower_name.rfind(".")
    return lower_name[dot:] if dot > 0 else ""


def is_dockerfile(lower_name: str) -> bool:
    return (lower_name in ("dockerfile", "containerfile") or lower_name.startswith(("dockerfile.", "containerfile."))
            or lower_name.endswith((".dockerfile", ".containerfile")))


NAMED_FILES = frozenset(MANIFESTS) | CONFIG_NAMES | LOCK_FILES | {".gitattributes"}
# Names recognised by pattern (as is_dockerfile and MANIFEST_PATTERNS say, and Terraform's JSON), in one match.
NAMED_PATTERN = re.compile(r"(?:dockerfile|containerfile)(?:\..*)?\Z|.*\.(?:dockerfile|containerfile|tf\.json)\Z|"
                           + MANIFEST_NAME.pattern, re.DOTALL)


def plan_key(lower_name: str) -> str:
    """What a file's plan depends on: its whole name for the files recognised by name (manifests, lock files,
    Dockerfiles, .gitattributes, named config files), else only its extension."""
    if lower_name in NAMED_FILES or NAMED_PATTERN.match(lower_name):
        return "name:" + lower_name
    return extension_of(lower_name)


class Detectors:
    """The detectors of one scan, built once from the catalogue's matcher (prefilters and key rules)."""

    def __init__(self, matcher: "Matcher | None" = None) -> None:
        roots = None
        env_names = None
        if matcher is not None:
            roots = {key.split(":", 1)[1].split(".", 1)[0] for key in matcher.exact.get("imports", {})
                     if key.startswith("python:")}
            env_names = set(matcher.exact.get("env_vars", {}))
        self.python_imports = PythonImports(roots)
        self.env_vars = EnvVarNames(env_names)
        # Pre-filters from the catalogue's indexes: candidates no service could claim are dropped early.
        # Cached: the same dotted names and URLs recur across the files of a code base.
        self.accept_import = lru_cache(maxsize=1 << 16)(
            lambda language, module: matcher.match_import(language, module) is not None) if matcher else None
        self.accept_endpoint = lru_cache(maxsize=1 << 16)(
            lambda value: matcher.match_url(value) is not None) if matcher else None
        self.endpoints = partial(endpoints.endpoint_references, accept=self.accept_endpoint)
        self.notebook = Notebook(self.python_imports, self.env_vars, self.accept_endpoint)
        self.api_keys: Detector | None = ApiKeys(matcher) if matcher is not None else None
        self.plans: dict[str, FilePlan] = {}
        self.prefilter = CataloguePrefilter(matcher) if matcher is not None else None

    def for_file(self, relative: str, name: str) -> FilePlan:
        plan = self.by_name(name)
        if (relative.startswith(".github/workflows/") or "/.github/workflows/" in relative) \
                and name.endswith((".yml", ".yaml")) \
                and install_commands.packages not in plan.detectors:
            return FilePlan(plan.detectors + (install_commands.packages,), plan.lock_file, always=True,
                            kinds=plan.kinds + (None,))
        return plan

    def by_name(self, name: str) -> FilePlan:
        key = plan_key(name.lower())  # plans are shared by key: file names are mostly unique, extensions are not
        plan = self.plans.get(key)
        if plan is None:
            plan = self.plan(name)
            if len(self.plans) < MAX_CACHED_PLANS:
                self.plans[key] = plan
        return plan

    def plan(self, name: str) -> FilePlan:
        lower = name.lower()
        extension = extension_of(lower)
        chosen: list[Detector] = []
        manifest = MANIFESTS.get(lower) or next(
            (detector for pattern, detector in MANIFEST_PATTERNS if fnmatch.fnmatch(lower, pattern)), None)
        if manifest is not None:
            chosen.append(manifest)
        if lower == ".gitattributes":
            chosen.append(git_lfs.gitattributes)
        if extension == ".ipynb":
            chosen.append(self.notebook)
        elif is_dockerfile(lower):
            chosen += [containers.dockerfile, install_commands.packages,
                       partial(self.endpoints, comments=HASH_COMMENTS, config=True),
                       partial(self.env_vars, comments=HASH_COMMENTS)]
        elif extension in CODE:
            language, comments = CODE[extension]
            chosen += self.code_detectors(language, comments)
            if extension in SHELL_LIKE:
                chosen.append(install_commands.packages)
        elif (extension in CONFIG or lower in CONFIG_NAMES) and lower not in LOCK_FILES:
            comments = CONFIG.get(extension, HASH_COMMENTS)
            chosen += [partial(self.endpoints, comments=comments, config=True),
                       partial(self.env_vars, comments=comments)]
            if extension in (".yaml", ".yml"):
                chosen += [containers.yaml_images, iac.cloudformation]
            elif extension in (".json", ".template"):
                chosen.append(iac.cloudformation)
            if extension in (".tf", ".hcl") or lower.endswith(".tf.json"):
                chosen.append(iac.terraform)
        if lower.endswith(".tf.json"):
            chosen.append(iac.terraform)
        if self.api_keys is not None:
            chosen.append(self.api_keys)
        always = (manifest is not None or lower == ".gitattributes" or install_commands.packages in chosen
                  or self.notebook in chosen)  # package names are not pre-filtered (see prefilter)
        return FilePlan(tuple(chosen), lower in LOCK_FILES, always=always,
                        kinds=tuple(self.literal_kind(detector) for detector in chosen))

    def literal_kind(self, detector: Detector) -> str | None:
        """The kind of catalogue literal without which a detector cannot report anything that matches."""
        target = getattr(detector, "func", detector)  # partial() of a partial() keeps the innermost function
        if target is self.api_keys:
            return SECRET_KIND
        if target is self.python_imports or getattr(target, "__module__", "") == source_languages.__name__:
            return IMPORT_KIND
        if target is self.env_vars:
            return ENV_KIND
        if target is endpoints.endpoint_references:
            return HOST_KIND
        if target in (containers.dockerfile, containers.yaml_images):
            return CONTAINER_KIND
        if target in (iac.terraform, iac.cloudformation):
            return IAC_KIND
        return None

    def narrow(self, plan: FilePlan, kinds: Set[str], secret_rules: tuple[int, ...] | None = None
               ) -> tuple[Detector, ...]:
        """The plan's detectors that the pre-filter's hits leave worth running: each only when a literal of its
        kind occurs (a host for the endpoint search, an env var name for the env var search…; the API-key search
        only with the rules whose keywords occur, given ``secret_rules``), every detector of a manifest."""
        any_code = not CODE_KINDS.isdisjoint(kinds)
        chosen = []
        for detector, kind in zip(plan.detectors, plan.kinds):
            if kind == SECRET_KIND:
                if SECRET_KIND in kinds:
                    chosen.append(detector if secret_rules is None else partial(detector, rules=secret_rules))
            elif plan.always or (kind in kinds if kind is not None else any_code):
                chosen.append(detector)
        return tuple(chosen)

    def code_detectors(self, language: str | None, comments: tuple[str, ...]) -> list[Detector]:
        chosen: list[Detector] = []
        if language == "python":
            chosen.append(self.python_imports)
        elif language is not None:
            chosen.append(partial(getattr(source_languages, language), accept=self.accept_import))
        chosen += [partial(self.endpoints, comments=comments),
                   partial(self.env_vars, comments=comments)]
        return chosen


def run_plan(plan: FilePlan, file: SourceFile) -> Iterator[Detection]:
    for detector in plan.detectors:
        yield from detector(file)

"""Which detectors read which file: by file name first (manifests, lock files, Dockerfiles), then by extension
(source languages, configuration formats). API keys are searched in every text file, prose included; endpoints
and env var names only in code and configuration (a README that mentions OpenAI is not a use of it).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Iterator

from scanner.modules.repo.detectors import containers, endpoints, git_lfs, iac, install_commands
from scanner.modules.repo.detectors.base import (DASH_COMMENTS, HASH_COMMENTS, SLASH_COMMENTS, Detection, Detector,
                                                 SourceFile)
from scanner.modules.repo.detectors.env_vars import EnvVarNames
from scanner.modules.repo.detectors.imports import source_languages
from scanner.modules.repo.detectors.imports.python import PythonImports
from scanner.modules.repo.detectors.manifests import javascript, jvm, native, python
from scanner.modules.repo.detectors.notebooks import Notebook
from scanner.modules.repo.detectors.prefilter import CODE_KIND, SECRET_KIND, CataloguePrefilter
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


@dataclass(frozen=True)
class FilePlan:
    detectors: tuple[Detector, ...]
    lock_file: bool = False
    always: bool = False  # a manifest or .gitattributes: read even when the pre-filter finds no literal


def extension_of(lower_name: str) -> str:
    if lower_name.startswith(".env"):
        return ".env"
    dot = lower_name.rfind(".")
    return lower_name[dot:] if dot > 0 else ""


def is_dockerfile(lower_name: str) -> bool:
    return (lower_name in ("dockerfile", "containerfile") or lower_name.startswith(("dockerfile.", "containerfile."))
            or lower_name.endswith((".dockerfile", ".containerfile")))


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
        if "/.github/workflows/" in f"/{relative}" and name.endswith((".yml", ".yaml")) \
                and install_commands.packages not in plan.detectors:
            return FilePlan(plan.detectors + (install_commands.packages,), plan.lock_file, always=True)
        return plan

    def by_name(self, name: str) -> FilePlan:
        plan = self.plans.get(name)
        if plan is None:
            plan = self.plans[name] = self.plan(name)
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
        return FilePlan(tuple(chosen), lower in LOCK_FILES, always=always)

    def narrow(self, plan: FilePlan, kinds: set[str]) -> tuple[Detector, ...]:
        """The plan's detectors that the pre-filter's hits leave worth running: the API-key search only when
        a key keyword occurs, the others only when another catalogue literal does (or the file is a manifest)."""
        keep_code = plan.always or CODE_KIND in kinds
        keep_keys = SECRET_KIND in kinds
        return tuple(d for d in plan.detectors if (keep_keys if d is self.api_keys else keep_code))

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

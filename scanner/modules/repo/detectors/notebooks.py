"""Jupyter notebooks (.ipynb, nbformat 4): the code cells are read as Python (imports, endpoints, env var
names, ``!pip install``); IPython magics and shell escapes are blanked so that ``ast`` can parse the rest.
Line numbers point into the .ipynb file itself (nbformat writes one source line per JSON line). Outputs are
not read for code, but API keys are searched in the whole file, outputs included.
"""

from __future__ import annotations

import json
from typing import Callable, Iterator

from scanner.modules.repo.detectors import endpoints, install_commands
from scanner.modules.repo.detectors.base import HASH_COMMENTS, Detection, SourceFile
from scanner.modules.repo.detectors.env_vars import EnvVarNames
from scanner.modules.repo.detectors.imports.python import PythonImports


def code_cells(text: str) -> Iterator[tuple[str, list[int]]]:
    """(cell source, file line of each source line, 0 when unknown) for each code cell of a Python notebook."""
    notebook = json.loads(text)
    if not isinstance(notebook, dict):
        return
    language = ((notebook.get("metadata") or {}).get("kernelspec") or {}).get("language", "python")
    if str(language).lower() != "python":
        return
    position, line_number, counted_to = 0, 1, 0
    for cell in notebook.get("cells") or []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source")
        lines = source if isinstance(source, list) else str(source or "").splitlines(keepends=True)
        lines = [line for line in lines if isinstance(line, str)]
        if not lines:
            continue
        file_lines = []
        for line in lines:
            found = -1
            for needle in (json.dumps(line, ensure_ascii=False), json.dumps(line)):
                found = text.find(needle, position)
                if found != -1:
                    break
            if found == -1:
                file_lines.append(0)
                continue
            line_number += text.count("\n", counted_to, found)
            counted_to = position = found
            file_lines.append(line_number)
        yield "".join(lines), file_lines


def blank_magics(source: str) -> str:
    return "\n".join("" if line.lstrip().startswith(("%", "!", "?")) else line for line in source.split("\n"))


class Notebook:
    def __init__(self, python_imports: PythonImports, env_vars: EnvVarNames,
                 accept_endpoint: Callable[[str], bool] | None = None) -> None:
        self.python_imports = python_imports
        self.env_vars = env_vars
        self.accept_endpoint = accept_endpoint

    def __call__(self, file: SourceFile) -> Iterator[Detection]:
        for source, file_lines in code_cells(file.text):
            cell = SourceFile(file.repo, file.path, file.name, source)
            remap = [number or None for number in file_lines]
            yield from self.python_imports.detect_text(file, blank_magics(source), line_map=remap)
            yield from install_commands.packages(file, source, remap)
            yield from endpoints.endpoint_references(file, HASH_COMMENTS, text=source, line_map=remap,
                                                     accept=self.accept_endpoint)
            for detection in self.env_vars(cell, HASH_COMMENTS):
                observation = detection.observation
                line = remap[observation.line - 1] if observation.line and observation.line <= len(remap) else None
                yield Detection(type(observation)(observation.kind, observation.value, file.repo, file.path, line),
                                detection.confidence)

"""Notebooks: code cells go through the Python detectors, with lines in the .ipynb file."""

import json

NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["We call openai here; import anthropic\n"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
         "source": ["%pip install -q groq\n", "import os\n", "from openai import OpenAI\n",
                    "client = OpenAI(api_key=os.environ['OPENAI_API_KEY'])"]},
        {"cell_type": "code", "metadata": {}, "execution_count": 2, "outputs": [],
         "source": ["!curl https://api.mistral.ai/v1/models\n", "x = 'https://api.anthropic.com/v1'"]},
    ],
    "metadata": {"kernelspec": {"language": "python", "name": "python3", "display_name": "Python 3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def test_notebook_code_cells_are_scanned_with_file_lines(detect):
    text = json.dumps(NOTEBOOK, indent=1)
    lines = text.splitlines()
    found = detect("analysis.ipynb", text)
    import_line = next(i for i, line in enumerate(lines, 1) if "from openai import OpenAI" in line)
    assert ("openai-api", import_line) in found
    assert any(service == "groq" for service, _ in found)  # %pip install groq
    assert any(service == "anthropic-api" for service, _ in found)  # a URL in a code cell
    assert not any(service == "anthropic-api" and line < import_line for service, line in found)  # not markdown


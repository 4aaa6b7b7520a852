"""Render a local HTML file in headless Chromium (Debian's `chromium`): a screenshot and the console messages.

Chromium gets a fresh profile, no network (every host name resolves to nothing), and prints console messages
(script errors, Content-Security-Policy violations) to stderr with --enable-logging. Tests skip with the reason
when Chromium is not installed, except under CI (the CI environment variable set), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

CONSOLE = re.compile(r":CONSOLE[^\]]*\] (.*)$")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars"]


def chromium_binary() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed (.ci/run installs Debian's chromium package)")
    pytest.skip("chromium is not installed: apt-get install -y chromium to run the browser rendering tests")


@dataclass
class Rendering:
    screenshot: bytes
    console: list[str]
    returncode: int


def render(html: Path, work: Path, *, width: int = 1280, height: int = 1600) -> Rendering:
    binary = chromium_binary()
    shot = work / f"{html.stem}.png"
    profile = work / f"profile-{html.stem}"
    result = subprocess.run(
        [binary, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
         f"--window-size={width},{height}", f"--screenshot={shot}", html.resolve().as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    console = [m.group(1) for line in result.stderr.splitlines() if (m := CONSOLE.search(line))]
    return Rendering(shot.read_bytes() if shot.exists() else b"", console, result.returncode)


def print_to_pdf(html: Path, work: Path) -> bytes:
    binary = chromium_binary()
    pdf = work / f"{html.stem}.pdf"
    subprocess.run([binary, *FLAGS, f"--user-data-dir={work / ('pdf-' + html.stem)}", "--no-pdf-header-footer",
                    f"--print-to-pdf={pdf}", html.resolve().as_uri()], capture_output=True, timeout=120)
    return pdf.read_bytes() if pdf.exists() else b""

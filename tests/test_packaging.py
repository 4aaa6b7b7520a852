"""The wheel carries the catalogue: after a non-editable install, shadowai works from any directory."""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_installs_in_a_fresh_venv_and_ships_the_catalogue(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
                   check=True, cwd=tmp_path)
    [wheel] = wheels.glob("shadowai-*.whl")
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / "bin"
    subprocess.run([str(bindir / "pip"), "install", "-q", str(wheel)], check=True, cwd=tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SHADOWAI_DB")}
    listed = subprocess.run([str(bindir / "shadowai"), "catalogue", "list", "--format", "json"], cwd=elsewhere,
                            env=env, check=True, capture_output=True, text=True)
    services = json.loads(listed.stdout)
    assert len(services) >= 150
    assert not (elsewhere / "signatures").exists()
    validated = subprocess.run([str(bindir / "shadowai"), "catalogue", "validate"], cwd=elsewhere, env=env,
                               capture_output=True, text=True)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    # The starter config and the report templates (reports/) ship in the wheel too.
    for args in (["init"], ["discover", "--scope", "engineering", "--no-scan"]):
        done = subprocess.run([str(bindir / "shadowai"), *args], cwd=elsewhere, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
    assert (elsewhere / "scope-drafts" / "engineering-scope-draft.html").is_file()
    # The installed package must not be importing the source tree.
    where = subprocess.run([str(bindir / "python"), "-c", "import scanner; print(scanner.__file__)"], cwd=elsewhere,
                           env=env, check=True, capture_output=True, text=True).stdout
    assert str(env_dir) in where

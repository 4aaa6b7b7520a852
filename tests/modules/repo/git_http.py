"""Git's smart HTTP protocol on the loopback HTTPS test server: `git http-backend` run as a CGI program for
each request, behind a check of the Authorization header (as a code host checks a token)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlencode

from tests.modules.repo.git_repos import GIT


def bare_clone(source: Path, destination: Path) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([GIT, "clone", "--bare", "-q", str(source), str(destination)], check=True, capture_output=True)
    return destination


def serve_repository(server, project_root: Path, repository: str, authorization: str) -> str:
    """Route /<repository>/info/refs and /<repository>/git-upload-pack to git http-backend; requests without
    exactly this Authorization header get a 401. Returns the clone URL."""

    def handle(request):
        headers = {key.lower(): value for key, value in request.headers.items()}
        if headers.get("authorization") != authorization:
            return 401, {"WWW-Authenticate": 'Basic realm="git"'}, "authentication required\n"
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "GIT_PROJECT_ROOT": str(project_root),
               "GIT_HTTP_EXPORT_ALL": "1", "REQUEST_METHOD": request.method, "PATH_INFO": request.path,
               "QUERY_STRING": urlencode(request.query, doseq=True), "REMOTE_ADDR": "127.0.0.1",
               "CONTENT_TYPE": headers.get("content-type", ""), "CONTENT_LENGTH": str(len(request.body)),
               "GIT_PROTOCOL": headers.get("git-protocol", ""),
               "HTTP_CONTENT_ENCODING": headers.get("content-encoding", "")}
        done = subprocess.run([GIT, "http-backend"], input=request.body, env=env, capture_output=True, check=True)
        separator = b"\r\n\r\n" if b"\r\n\r\n" in done.stdout else b"\n\n"
        head, _, body = done.stdout.partition(separator)
        status, reply = 200, {}
        for line in head.decode("latin-1").splitlines():
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.split()[0])
            elif name:
                reply[name] = value.strip()
        return status, reply, body

    server.routes[("GET", f"/{repository}/info/refs")] = handle
    server.routes[("POST", f"/{repository}/git-upload-pack")] = handle
    return f"{server.url}/{repository}"

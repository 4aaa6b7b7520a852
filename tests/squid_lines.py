"""Squid native access.log lines for tests, shaped like real Squid output."""


def squid(ts: float, host: str, *, user: str = "-", client: str = "10.0.0.5", method: str = "GET",
          path: str = "/", status: int = 200) -> str:
    url = f"{host}:443" if method == "CONNECT" else f"https://{host}{path}"
    code = "TCP_TUNNEL" if method == "CONNECT" else "TCP_MISS"
    return f"{ts:.3f}    120 {client} {code}/{status} 4512 {method} {url} {user} HIER_DIRECT/203.0.113.9 text/html"


def write_log(path, lines) -> None:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def append_log(path, lines) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("".join(line + "\n" for line in lines))

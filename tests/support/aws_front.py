"""A loopback HTTP server in front of moto's ThreadedMotoServer, for what moto does not do.

boto3 signs every request with SigV4; the credential scope in the ``Authorization`` header names the region and
the signing service (``…/us-east-1/bedrock/aws4_request``), and the operation is the ``X-Amz-Target`` header
(JSON protocol) or the method and path (REST-JSON). With that the front:

- answers the operations moto does not implement (CloudTrail LookupEvents, Bedrock guardrails, Kendra…) with
  the documented response shapes a test registers (``front.answer(...)``), following pagination tokens;
- refuses every request signed for a region in ``front.disabled_regions`` the way AWS refuses a region not
  enabled for the account (403 ``UnrecognizedClientException``, "The security token included in the request
  is invalid");
- throttles an operation on request (``front.throttle(...)``: 400 ``ThrottlingException``), to exercise retries,
  or refuses it with a documented error (``front.refuse(...)``);
- forwards everything else to moto byte for byte, Host and signature included (moto's IAM enforcement still
  sees the original request).

Every request is logged as (service, operation, region) so tests can assert what was called; ``GET
/__front__/calls`` answers how many (for a front in another process, as the benchmark runs it).
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/aws4_request")


def request_token(path: str, body: bytes) -> str | None:
    query = parse_qs(urlsplit(path).query)
    for name in ("nextToken", "NextToken"):
        if query.get(name):
            return query[name][0]
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        return None
    return payload.get("NextToken") or payload.get("nextToken") if isinstance(payload, dict) else None


def page_index(pages: list[dict[str, Any]], path: str, body: bytes) -> int:
    token = request_token(path, body)
    if token:
        for index, page in enumerate(pages[:-1]):
            if token in (page.get("NextToken"), page.get("nextToken")):
                return index + 1
    return 0


class AwsFront:
    def __init__(self, moto_url: str) -> None:
        self.moto = urlsplit(moto_url)
        self.answers: dict[tuple[str, str], list[Any]] = {}
        self.throttled: dict[tuple[str, str], int] = defaultdict(int)
        self.refusals: dict[tuple[str, str], tuple[int, str, str]] = {}
        self.disabled_regions: set[str] = set()
        self.latency = 0.0  # seconds added to every answer (benchmarks: a far-away API)
        self.calls: list[tuple[str, str, str]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> "AwsFront":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.answers.clear()
            self.throttled.clear()
            self.refusals.clear()
            self.disabled_regions.clear()
            self.calls.clear()

    def answer(self, service: str, operation: str, *pages: dict[str, Any]) -> None:
        """Answer ``operation`` (an X-Amz-Target operation name, or 'GET /path' for REST-JSON) of the signing
        service with these pages: the first for a request without a pagination token, the page after the one
        whose ``NextToken`` the request carries otherwise."""
        self.answers[(service, operation)] = list(pages)

    def refuse(self, service: str, operation: str, code: str, message: str, status: int = 400) -> None:
        """Answer the operation with an AWS error (the documented code and message)."""
        self.refusals[(service, operation)] = (status, code, message)

    def throttle(self, service: str, operation: str, times: int = 1) -> None:
        self.throttled[(service, operation)] = times

    def called(self, service: str, operation: str) -> list[str]:
        """The regions in which the operation was called."""
        return [region for s, o, region in self.calls if (s, o) == (service, operation)]

    def _handler(self):
        front = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK stall

            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                self.handle_any()

            do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

            def handle_any(self) -> None:
                if self.path == "/__front__/calls":
                    with front.lock:
                        count = len(front.calls)
                    return self.reply(200, json.dumps({"calls": count}).encode(), {"Content-Type": "application/json"})
                if front.latency:
                    time.sleep(front.latency)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                found = SCOPE.search(self.headers.get("Authorization") or "")
                region, service = found.groups() if found else ("", "")
                target = self.headers.get("X-Amz-Target")
                rest = f"{self.command} {self.path.split('?', 1)[0]}"
                operation = target.rsplit(".", 1)[-1] if target else rest
                with front.lock:
                    front.calls.append((service, operation, region))
                    throttled = front.throttled.get((service, operation), 0)
                    if throttled:
                        front.throttled[(service, operation)] = throttled - 1
                    pages = front.answers.get((service, operation))
                page = pages[page_index(pages, self.path, body)] if pages else None
                json_protocol = bool(target)
                if region in front.disabled_regions:
                    return self.error(403, "UnrecognizedClientException",
                                      "The security token included in the request is invalid.", json_protocol)
                if throttled:
                    return self.error(400, "ThrottlingException", "Rate exceeded", json_protocol)
                refusal = front.refusals.get((service, operation))
                if refusal:
                    return self.error(*refusal, json_protocol)
                if page is not None:
                    kind = "application/x-amz-json-1.1" if json_protocol else "application/json"
                    return self.reply(200, json.dumps(page, default=str).encode(), {"Content-Type": kind})
                self.forward(body)

            def error(self, status: int, code: str, message: str, json_protocol: bool) -> None:
                payload = {"__type": code, "message": message} if json_protocol else {"message": message}
                self.reply(status, json.dumps(payload).encode(),
                           {"Content-Type": "application/json", "x-amzn-ErrorType": code})

            def reply(self, status: int, payload: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("x-amzn-RequestId", "front-0000")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def forward(self, body: bytes) -> None:
                connection = http.client.HTTPConnection(front.moto.hostname, front.moto.port, timeout=60)
                try:
                    connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                    for name, value in self.headers.items():
                        if name.lower() not in ("content-length", "connection"):
                            connection.putheader(name, value)
                    connection.putheader("Content-Length", str(len(body)))
                    connection.endheaders(body)
                    response = connection.getresponse()
                    payload = response.read()
                    headers = {name: value for name, value in response.getheaders()
                               if name.lower() not in ("content-length", "connection", "transfer-encoding")}
                finally:
                    connection.close()
                self.reply(response.status, payload, headers)

        return Handler

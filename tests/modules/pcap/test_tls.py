"""ClientHello parsing: records, fragments, damage."""

import pytest

from scanner.modules.pcap import http_request, tls
from tests.modules.pcap.captures import client_hello_message, client_hello_record


def test_sni_from_a_client_hello_record():
    hello = tls.parse_client_hello(tls.client_hello_from_records(client_hello_record("Chat.DeepSeek.com.")))
    assert hello.sni == "chat.deepseek.com"


def test_a_client_hello_fragmented_over_two_records():
    message = client_hello_message("huggingface.co")
    records = b"".join(b"\x16\x03\x01" + len(part).to_bytes(2, "big") + part for part in (message[:30], message[30:]))
    assert tls.client_hello_from_records(records[:40]) is None  # more is needed
    assert tls.parse_client_hello(tls.client_hello_from_records(records)).sni == "huggingface.co"


@pytest.mark.parametrize("data", [b"\x17\x03\x03\x00\x10" + bytes(16), b"\x16\x03\x01\x00\x04\x02\x00\x00\x00"])
def test_records_that_are_not_a_client_hello_are_refused(data):
    with pytest.raises(tls.MalformedHello):
        tls.client_hello_from_records(data)


def test_extensions_running_past_the_message_are_refused():
    message = bytearray(client_hello_message("claude.ai"))
    message[-3] = 0xFF  # the server_name extension claims more bytes than there are
    with pytest.raises(tls.MalformedHello):
        tls.parse_client_hello(bytes(message))


@pytest.mark.parametrize("head, host, path", [
    (b"GET /x?y=1 HTTP/1.1\r\nHOST: Claude.AI:8080\r\n\r\n", "claude.ai", "/x?y=1"),
    (b"GET http://api.openai.com/v1/chat HTTP/1.1\r\nHost: proxy\r\n\r\n", "api.openai.com", "/v1/chat"),
    (b"CONNECT chatgpt.com:443 HTTP/1.1\r\nHost: chatgpt.com:443\r\n\r\n", "chatgpt.com", None),
    (b"GET / HTTP/1.1\r\nHost: [2001:db8::1]:80\r\n\r\n", "2001:db8::1", "/"),
])
def test_http_request_heads(head, host, path):
    request = http_request.parse_request_head(head)
    assert (request.host, request.path) == (host, path)


def test_an_unfinished_request_head_waits_for_more():
    assert http_request.parse_request_head(b"GET / HTTP/1.1\r\nHost: cla") is None

"""QUIC Initial decryption against RFC 9001 Appendix A, and CRYPTO stream reassembly."""

import pytest

from scanner.modules.pcap import quic, tls
from tests.modules.pcap import rfc9001_vectors as rfc
from tests.modules.pcap.captures import client_hello_message, crypto_frame, quic_initial


def test_client_initial_keys_match_rfc_9001_a1():
    keys = quic.client_initial_keys(quic.VERSION_1, rfc.DCID)
    assert (keys.iv, keys.hp) == (rfc.CLIENT_IV, rfc.CLIENT_HP)
    assert keys.aead.encrypt(bytes(12), b"", b"") == quic.AESGCM(rfc.CLIENT_KEY).encrypt(bytes(12), b"", b"")


def test_rfc_9001_a2_client_initial_decrypts_to_its_client_hello():
    header = quic.long_header(rfc.CLIENT_INITIAL)
    plaintext = quic.decrypt_initial(rfc.CLIENT_INITIAL, header, quic.client_initial_keys(1, rfc.DCID))
    assert plaintext.startswith(rfc.CLIENT_INITIAL_PAYLOAD_PREFIX)
    stream = quic.CryptoStream(quic.VERSION_1, header.dcid)
    stream.add_datagram(rfc.CLIENT_INITIAL)
    assert tls.parse_client_hello(stream.client_hello()).sni == "example.com"


def test_a_flipped_bit_fails_authentication():
    damaged = bytearray(rfc.CLIENT_INITIAL)
    damaged[100] ^= 1
    with pytest.raises(quic.NotDecryptable):
        quic.CryptoStream(quic.VERSION_1, rfc.DCID).add_datagram(bytes(damaged))


def test_crypto_frames_out_of_order_over_two_packets():
    dcid = bytes.fromhex("a1b2c3d4e5f60718")
    hello = client_hello_message("claude.ai")
    stream = quic.CryptoStream(quic.VERSION_1, dcid)
    stream.add_datagram(quic_initial(dcid, crypto_frame(40, hello[40:]), 1))
    assert stream.client_hello() is None  # the start is still missing
    stream.add_datagram(quic_initial(dcid, b"\x01" + crypto_frame(0, hello[:40]), 0))
    assert tls.parse_client_hello(stream.client_hello()).sni == "claude.ai"


def test_frames_an_initial_packet_cannot_carry_are_refused():
    with pytest.raises(ValueError, match="frame type 0x8"):
        quic.crypto_frames(b"\x08\x00\x00")

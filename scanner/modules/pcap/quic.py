"""QUIC Initial packets: remove their protection and read the ClientHello from their CRYPTO frames.

Initial packets are encrypted with keys that anyone can derive from the client's first Destination
Connection ID and the version's public salt (RFC 9001 §5.2; QUIC v2: RFC 9369 §3.3.1), so a capture can read
the TLS ClientHello inside. Steps (RFC 9001 §5.4, §5.3): parse the long header, remove header protection
(AES-128-ECB over a 16-byte sample of the ciphertext), rebuild the packet number, decrypt the payload with
AEAD_AES_128_GCM (nonce = IV xor packet number, associated data = the header), then collect the CRYPTO
frames (RFC 9000 §19.6) by offset: a ClientHello larger than one packet spans several Initial packets, and
browsers scatter it over several frames in any order.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION_1 = 0x00000001
VERSION_2 = 0x6B3343CF
SALTS = {
    VERSION_1: bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),  # RFC 9001 §5.2
    VERSION_2: bytes.fromhex("0dede3def700a6db819381be6e269dcbf9bd2ed9"),  # RFC 9369 §3.3.1
}
LABEL_PREFIX = {VERSION_1: b"quic ", VERSION_2: b"quicv2 "}
INITIAL_TYPE = {VERSION_1: 0, VERSION_2: 1}  # long header packet type bits of an Initial packet
MAX_CRYPTO = 1 << 16

FRAME_PADDING, FRAME_PING, FRAME_ACK, FRAME_ACK_ECN, FRAME_CRYPTO = 0x00, 0x01, 0x02, 0x03, 0x06
FRAME_CLOSE, FRAME_CLOSE_APP = 0x1C, 0x1D


class NotDecryptable(ValueError):
    """Not a client Initial packet these keys open (a server's Initial, another version, damage)."""


@dataclass(frozen=True, slots=True)
class InitialKeys:
    aead: AESGCM
    iv: bytes
    hp: bytes


def hkdf_extract(salt: bytes, key: bytes) -> bytes:
    return hmac.new(salt, key, hashlib.sha256).digest()


def hkdf_expand_label(secret: bytes, label: bytes, length: int) -> bytes:
    """TLS 1.3 HKDF-Expand-Label (RFC 8446 §7.1) with an empty context; one block of SHA-256 is enough here."""
    full = b"tls13 " + label
    info = length.to_bytes(2, "big") + bytes([len(full)]) + full + b"\x00"
    return hmac.new(secret, info + b"\x01", hashlib.sha256).digest()[:length]


@lru_cache(maxsize=4096)
def client_initial_keys(version: int, dcid: bytes) -> InitialKeys:
    """RFC 9001 §5.2: the client's Initial key, IV and header protection key for this connection ID."""
    initial_secret = hkdf_extract(SALTS[version], dcid)
    client_secret = hkdf_expand_label(initial_secret, b"client in", 32)
    prefix = LABEL_PREFIX[version]
    return InitialKeys(
        aead=AESGCM(hkdf_expand_label(client_secret, prefix + b"key", 16)),
        iv=hkdf_expand_label(client_secret, prefix + b"iv", 12),
        hp=hkdf_expand_label(client_secret, prefix + b"hp", 16),
    )


def varint(data: bytes, position: int) -> tuple[int, int]:
    """RFC 9000 §16: (value, position after it)."""
    first = data[position]
    length = 1 << (first >> 6)
    if position + length > len(data):
        raise IndexError("varint cut short")
    value = first & 0x3F
    for index in range(1, length):
        value = (value << 8) | data[position + index]
    return value, position + length


@dataclass(frozen=True, slots=True)
class LongHeader:
    version: int
    packet_type: int
    dcid: bytes
    pn_offset: int  # where the protected packet number starts
    end: int  # the end of this packet inside the datagram (coalesced packets follow)


def long_header(datagram: bytes, start: int = 0) -> LongHeader | None:
    """The long header of the packet at ``start``, or None when it is not a v1/v2 Initial-capable header."""
    first = datagram[start]
    if first & 0xC0 != 0xC0 or len(datagram) < start + 7:
        return None
    version = int.from_bytes(datagram[start + 1:start + 5], "big")
    if version not in SALTS:
        return None
    position = start + 5
    dcid_length = datagram[position]
    if dcid_length > 20:
        return None
    dcid = datagram[position + 1:position + 1 + dcid_length]
    position += 1 + dcid_length
    scid_length = datagram[position]
    if scid_length > 20:
        return None
    position += 1 + scid_length
    packet_type = (first >> 4) & 0x03
    if packet_type == INITIAL_TYPE[version]:
        token_length, position = varint(datagram, position)
        position += token_length
    elif packet_type == (3 if version == VERSION_1 else 0):  # Retry: no length field, ends the datagram
        return LongHeader(version, packet_type, dcid, len(datagram), len(datagram))
    length, position = varint(datagram, position)
    if position + length > len(datagram):
        raise IndexError("packet runs past the datagram")
    return LongHeader(version, packet_type, dcid, position, position + length)


def is_initial(header: LongHeader) -> bool:
    return header.packet_type == INITIAL_TYPE[header.version]


def decrypt_initial(datagram: bytes, header: LongHeader, keys: InitialKeys, start: int = 0) -> bytes:
    """The plaintext frames of a protected Initial packet (RFC 9001 §5.3, §5.4)."""
    pn_offset = header.pn_offset
    sample = datagram[pn_offset + 4:pn_offset + 20]
    if len(sample) != 16:
        raise NotDecryptable("packet too short for a header protection sample")
    mask = Cipher(algorithms.AES(keys.hp), modes.ECB()).encryptor().update(sample)
    first = datagram[start] ^ (mask[0] & 0x0F)
    pn_length = (first & 0x03) + 1
    packet_number = bytes(b ^ m for b, m in zip(datagram[pn_offset:pn_offset + pn_length], mask[1:1 + pn_length]))
    associated = bytes([first]) + datagram[start + 1:pn_offset] + packet_number
    nonce = (int.from_bytes(keys.iv, "big") ^ int.from_bytes(packet_number, "big")).to_bytes(12, "big")
    try:
        return keys.aead.decrypt(nonce, datagram[pn_offset + pn_length:header.end], associated)
    except InvalidTag as exc:
        raise NotDecryptable("authentication failed") from exc


def crypto_frames(plaintext: bytes) -> list[tuple[int, bytes]]:
    """(offset, data) of every CRYPTO frame (RFC 9000 §19); the other frames allowed in Initial packets are
    skipped. Raises ValueError on a frame type an Initial packet cannot carry."""
    frames = []
    position, end = 0, len(plaintext)
    while position < end:
        kind = plaintext[position]
        position += 1
        if kind == FRAME_PADDING or kind == FRAME_PING:
            continue
        if kind == FRAME_CRYPTO:
            offset, position = varint(plaintext, position)
            length, position = varint(plaintext, position)
            if position + length > end:
                raise ValueError("CRYPTO frame runs past the packet")
            frames.append((offset, plaintext[position:position + length]))
            position += length
        elif kind in (FRAME_ACK, FRAME_ACK_ECN):
            _, position = varint(plaintext, position)  # largest acknowledged
            _, position = varint(plaintext, position)  # delay
            ranges, position = varint(plaintext, position)
            _, position = varint(plaintext, position)  # first range
            for _ in range(ranges * 2 + (3 if kind == FRAME_ACK_ECN else 0)):
                _, position = varint(plaintext, position)
        elif kind in (FRAME_CLOSE, FRAME_CLOSE_APP):
            _, position = varint(plaintext, position)
            if kind == FRAME_CLOSE:
                _, position = varint(plaintext, position)
            reason, position = varint(plaintext, position)
            position += reason
        else:
            raise ValueError(f"frame type {kind:#x} in an Initial packet")
    return frames


class CryptoStream:
    """The client's Initial CRYPTO stream of one connection, put together by offset."""

    def __init__(self, version: int, dcid: bytes) -> None:
        self.keys = client_initial_keys(version, dcid)
        self.version = version
        self.pieces: dict[int, bytes] = {}
        self.size = 0
        self.packets = 0

    def add_datagram(self, datagram: bytes) -> None:
        """Decrypt every client Initial packet of the datagram (coalesced packets included) into the stream."""
        start = 0
        while start < len(datagram):
            header = long_header(datagram, start)
            if header is None:
                return
            if is_initial(header) and header.version == self.version:
                plaintext = decrypt_initial(datagram, header, self.keys, start)
                self.packets += 1
                for offset, data in crypto_frames(plaintext):
                    if offset + len(data) > MAX_CRYPTO:
                        raise ValueError("CRYPTO stream beyond any ClientHello")
                    if len(data) > len(self.pieces.get(offset, b"")):
                        self.pieces[offset] = data
                        self.size += len(data)
            start = header.end

    def contiguous(self) -> bytes:
        """The stream from offset 0 up to the first hole."""
        data = bytearray()
        for offset in sorted(self.pieces):
            if offset > len(data):
                break
            piece = self.pieces[offset]
            if offset + len(piece) > len(data):
                data += piece[len(data) - offset:]
        return bytes(data)

    def client_hello(self) -> bytes | None:
        """The whole ClientHello handshake message once every piece has arrived, else None."""
        data = self.contiguous()
        if len(data) < 4:
            return None
        if data[0] != 1:
            raise ValueError(f"CRYPTO stream starts with handshake type {data[0]}, not ClientHello")
        needed = 4 + int.from_bytes(data[1:4], "big")
        return data[:needed] if len(data) >= needed else None

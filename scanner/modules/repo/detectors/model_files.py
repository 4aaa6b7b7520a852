"""Model files, recognised by their first bytes (not their names), then sized and hashed.

Formats and where their signatures come from:
- GGUF: ``GGUF`` at offset 0 (ggml docs/gguf.md); legacy GGML/GGJT/GGMF: ``lmgg``/``tjgg``/``fmgg``.
- safetensors: a little-endian u64 header length, then a JSON object (huggingface/safetensors README).
- PyTorch (torch.save since 1.6): a zip whose first entry is ``<name>/data.pkl`` or ``<name>/version``;
  legacy torch.save: a pickle whose first value is the magic number 0x1950a86a20f9469cfc6c.
- Keras 3 (.keras): a zip holding ``metadata.json``/``config.json`` and ``model.weights.h5``.
- HDF5 (Keras 2 .h5 and others): ``\\x89HDF\\r\\n\\x1a\\n`` at offset 0 or 512.
- TFLite: FlatBuffer file identifier ``TFL3`` at offset 4.
- ONNX: a protobuf ModelProto: field 1 (ir_version, varint) first, with the producer named in the header or
  an ``.onnx`` name (protobuf has no magic number of its own).
- pickle (scikit-learn and joblib models): protocol 2–5 opcode, only with a .pkl/.pickle/.joblib name.
- TensorFlow SavedModel: ``saved_model.pb`` (by name: protobuf again).
"""

from __future__ import annotations

import hashlib
import re
import struct
import time
from typing import Callable

from scanner.modules.repo.detectors.base import HIGH, LOW, MEDIUM
from scanner.modules.repo.reading import iterate_chunks

MAGIC_PROBE = 512
PYTORCH_LEGACY = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19"
HDF5 = b"\x89HDF\r\n\x1a\n"
ONNX_PRODUCERS = (b"pytorch", b"onnx", b"tf2onnx", b"skl2onnx", b"keras2onnx", b"onnxmltools", b"tflite2onnx")
PICKLE_NAMES = (".pkl", ".pickle", ".joblib")
MAX_SAFETENSORS_HEADER = 100 * 1024 * 1024


def zip_first_entry(header: bytes) -> str | None:
    if not header.startswith(b"PK\x03\x04") or len(header) < 30:
        return None
    name_length = struct.unpack_from("<H", header, 26)[0]
    return header[30:30 + name_length].decode("utf-8", "replace")


# Every signature below, as one anchored pattern: most files are ruled out by a single match() call.
MAYBE_MODEL = re.compile(rb"GGUF|lmgg|tjgg|fmgg|.{8}\{|PK\x03\x04|\x80[\x02-\x05]|\x89HDF\r\n\x1a\n|.{4}TFL3|"
                         rb"\x08[\x01-\x14]", re.DOTALL)


def model_format(header: bytes, name: str, size: int) -> tuple[str, str] | None:
    """(format, confidence) when the header is a model file's, else None."""
    if not MAYBE_MODEL.match(header) and header[512:520] != HDF5 and name != "saved_model.pb" \
            and name.lower() != "saved_model.pb":
        return None
    lower = name.lower()
    if header.startswith(b"GGUF"):
        return "gguf", HIGH
    if header[:4] in (b"lmgg", b"tjgg", b"fmgg"):
        return "ggml", HIGH
    if len(header) >= 10 and header[8:9] == b"{":
        length = struct.unpack_from("<Q", header, 0)[0]
        if 2 <= length <= MAX_SAFETENSORS_HEADER and length + 8 <= size and header[9:10] in (b'"', b" ", b"}", b"\n"):
            return "safetensors", HIGH
    entry = zip_first_entry(header)
    if entry is not None:
        if entry.endswith(("/data.pkl", "/version", "/.format_version", "/byteorder")) or entry == "data.pkl":
            return "pytorch", HIGH
        if lower.endswith(".keras") and entry in ("metadata.json", "config.json", "model.weights.h5"):
            return "keras", HIGH
        if lower.endswith((".pt", ".pth")):
            return "pytorch", MEDIUM
        return None
    if header.startswith(PYTORCH_LEGACY):
        return "pytorch-legacy", HIGH
    if header.startswith(HDF5) or header[512:520] == HDF5:
        return "hdf5", MEDIUM if lower.endswith((".h5", ".hdf5", ".keras")) else LOW
    if header[4:8] == b"TFL3":
        return "tflite", HIGH
    if len(header) > 3 and header[0] == 0x08 and 1 <= header[1] <= 20:
        if lower.endswith(".onnx") or any(producer in header[:256] for producer in ONNX_PRODUCERS):
            return "onnx", HIGH if lower.endswith(".onnx") else MEDIUM
    if lower.endswith(PICKLE_NAMES) and header[:1] == b"\x80" and header[1:2] in (b"\x02", b"\x03", b"\x04", b"\x05"):
        return "pickle", LOW
    if lower == "saved_model.pb":
        return "tensorflow-savedmodel", MEDIUM
    return None


def sha256_of(path: str, size: int, *, limit: int, should_stop: Callable[[], bool]) -> str | None:
    """The file's SHA-256, or None when it is larger than ``limit`` or the scan's time ran out while hashing."""
    if size > limit:
        return None
    digest = hashlib.sha256()
    checked = time.monotonic()
    for block in iterate_chunks(path, limit=limit):
        digest.update(block)
        if time.monotonic() - checked > 1.0:
            checked = time.monotonic()
            if should_stop():
                return None
    return digest.hexdigest()

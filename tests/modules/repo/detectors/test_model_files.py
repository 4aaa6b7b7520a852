"""Model files by their first bytes: the format is recognised whatever the file is called."""

import io
import json
import pickle
import struct
import zipfile

import pytest

from scanner.modules.repo.detectors.model_files import model_format


def safetensors() -> bytes:
    header = json.dumps({"w": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    return struct.pack("<Q", len(header)) + header + b"\0" * 4


def torch_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("archive/data.pkl", b"\x80\x02}q\x00.")
        archive.writestr("archive/version", b"3\n")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("README.txt", b"hello")
    return out.getvalue()


ONNX = b"\x08\x07\x12\x07pytorch\x1a\x052.1.0" + b"\0" * 32


@pytest.mark.parametrize("data, name, expected", [
    (b"GGUF\x03\0\0\0" + b"\0" * 64, "weights", "gguf"),
    (b"tjgg" + b"\0" * 64, "ggml-model-q4.bin", "ggml"),
    (safetensors(), "model.safetensors", "safetensors"),
    (safetensors(), "renamed.dat", "safetensors"),
    (torch_zip(), "model.pt", "pytorch"),
    (b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19" + b"\0" * 32, "old.pth", "pytorch-legacy"),
    (b"\x89HDF\r\n\x1a\n" + b"\0" * 64, "model.h5", "hdf5"),
    (b"\x1c\0\0\0TFL3" + b"\0" * 64, "model.tflite", "tflite"),
    (ONNX, "model.onnx", "onnx"),
    (ONNX, "model.bin", "onnx"),
    (pickle.dumps({"coef": [1, 2]}, protocol=4), "clf.joblib", "pickle"),
])
def test_model_formats_from_magic_bytes(data, name, expected):
    assert model_format(data[:512], name, len(data))[0] == expected


@pytest.mark.parametrize("data, name", [
    (plain_zip(), "bundle.zip"),
    (plain_zip(), "model.bin"),
    (pickle.dumps([1], protocol=4), "cache.bin"),  # a pickle without a model file name
    (b"\x08\x01\x10\x02" + b"\0" * 32, "message.bin"),  # a protobuf that is not named or produced as ONNX
    (b"%PDF-1.7\n", "paper.pdf"),
    (b"GGU", "short"),
    (struct.pack("<Q", 10_000) + b"{" + b"\0" * 20, "truncated.safetensors"),  # header longer than the file
])
def test_other_binaries_are_not_models(data, name):
    assert model_format(data[:512], name, len(data)) is None

"""Git LFS: pointer files standing in for model weights, and ``.gitattributes`` rules that send model file
types to LFS. A pointer gives the real file's size and SHA-256 (its ``oid``) without downloading it.
Format: https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md"""

from __future__ import annotations

import re
from typing import Iterator

from scanner.modules.repo.detectors.base import LOW, MEDIUM, Detection, SourceFile
from scanner.observations import ModelFile

POINTER_PREFIX = b"version https://git-lfs.github.com/spec/"
POINTER_LIMIT = 1024
OID = re.compile(r"^oid sha256:([0-9a-f]{64})$", re.M)
SIZE = re.compile(r"^size (\d+)$", re.M)
# Extensions of model weights and serialised models (the Hugging Face Hub's default LFS rules list most).
MODEL_EXTENSIONS = {
    "gguf": "gguf", "ggml": "ggml", "safetensors": "safetensors", "onnx": "onnx", "ort": "onnx",
    "pt": "pytorch", "pth": "pytorch", "ckpt": "checkpoint", "bin": "bin", "h5": "hdf5", "hdf5": "hdf5",
    "keras": "keras", "tflite": "tflite", "pb": "protobuf", "pkl": "pickle", "pickle": "pickle",
    "joblib": "pickle", "mlmodel": "coreml", "msgpack": "flax", "npz": "numpy", "nemo": "nemo",
    "llamafile": "llamafile", "mar": "torchserve", "pdparams": "paddle", "caffemodel": "caffe",
    "ot": "libtorch", "model": "sentencepiece",
}
WEAK_EXTENSIONS = {"bin", "pb", "npz", "model", "pkl", "pickle"}


def extension(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def is_pointer(header: bytes) -> bool:
    return header.startswith(POINTER_PREFIX)


def pointer_model(repo: str, relative: str, data: bytes) -> Detection | None:
    """A ModelFile for an LFS pointer whose file name is a model type; None for other pointers."""
    kind = MODEL_EXTENSIONS.get(extension(relative))
    if kind is None:
        return None
    text = data[:POINTER_LIMIT].decode("utf-8", "replace")
    oid, size = OID.search(text), SIZE.search(text)
    if not oid:
        return None
    confidence = LOW if extension(relative) in WEAK_EXTENSIONS else MEDIUM
    return Detection(ModelFile(relative, kind, int(size.group(1)) if size else None, oid.group(1), repo,
                               via="git-lfs-pointer"), confidence)


def gitattributes(file: SourceFile) -> Iterator[Detection]:
    """``*.safetensors filter=lfs diff=lfs merge=lfs -text``: a rule per model type stored in LFS."""
    for number, line in enumerate(file.text.splitlines(), 1):
        fields = line.split()
        if not fields or fields[0].startswith("#") or "filter=lfs" not in fields[1:]:
            continue
        kind = MODEL_EXTENSIONS.get(extension(fields[0]))
        if kind is not None:
            yield Detection(ModelFile(file.path, f"{kind}", None, None, file.repo, via="git-lfs-rule",
                                      line=number), LOW)

"""Git LFS pointers to model files and .gitattributes rules that store model types in LFS."""

from scanner.modules.repo.detectors.git_lfs import pointer_model

OID = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"
POINTER = f"version https://git-lfs.github.com/spec/v1\noid sha256:{OID}\nsize 4368709120\n".encode()


def test_a_pointer_to_a_model_file_gives_its_size_and_hash_without_the_download():
    detection = pointer_model("repo", "models/llama.gguf", POINTER)
    model = detection.observation
    assert (model.format, model.size, model.sha256, model.via) == ("gguf", 4368709120, OID, "git-lfs-pointer")


def test_a_pointer_to_an_image_is_not_a_model():
    assert pointer_model("repo", "docs/diagram.png", POINTER) is None


def test_gitattributes_rules_for_model_types(detect):
    text = "*.png filter=lfs diff=lfs merge=lfs -text\n*.safetensors filter=lfs diff=lfs merge=lfs -text\n" \
           "# *.gguf filter=lfs\n*.gguf text\n"
    findings = detect(".gitattributes", text, evidence=True)
    assert [(f.service_id, f.evidence["line"], f.evidence["via"], f.evidence["confidence"]) for f in findings] == \
        [("unknown-model-file", 2, "git-lfs-rule", "low")]

"""API keys by vendor pattern: only a fingerprint is kept; look-alikes of other vendors are not attributed."""

from tests.modules.repo.git_repos import anthropic_key, deepseek_style_key, openai_key


def test_an_openai_key_is_found_and_only_its_fingerprint_kept(detect):
    key = openai_key()
    findings = detect("config.py", f'\n\nAPI_KEY = "{key}"\n', evidence=True)
    [secret] = [f for f in findings if f.evidence["kind"] == "secret"]
    assert (secret.service_id, secret.evidence["line"]) == ("openai-api", 3)
    assert secret.evidence["fingerprint"].startswith("openai-api-key:sk-p…:")
    assert key not in repr(findings) and key[4:] not in repr(findings)


def test_keys_are_found_in_prose_too(detect):
    key = anthropic_key()
    findings = detect("NOTES.md", f"temporary key: {key}\n", evidence=True)
    assert [f.service_id for f in findings] == ["anthropic-api"]


def test_a_deepseek_style_sk_key_is_not_an_openai_key(detect):
    assert detect("config.py", f'KEY = "{deepseek_style_key()}"\n') == []


def test_a_placeholder_is_not_a_key(detect):
    assert detect("config.py", 'KEY = "sk-proj-placeholder"\n') == []

"""TARGET arguments: local directories and git URLs; nothing else, and never a credential in a subject."""

import pytest

from scanner.modules.repo.targets import TargetError, parse_target, redact_text, redact_url


def test_a_directory_is_named_by_its_absolute_path(tmp_path, monkeypatch):
    (tmp_path / "svc").mkdir()
    monkeypatch.chdir(tmp_path)
    target = parse_target("svc")
    assert (target.kind, target.subject) == ("directory", str((tmp_path / "svc").resolve()))


@pytest.mark.parametrize("url, subject", [
    ("https://github.com/acme/app.git", "https://github.com/acme/app.git"),
    ("https://x-access-token:ghp_secret@github.com/acme/app.git", "https://github.com/acme/app.git"),
    ("https://oauth2:glpat-secret@gitlab.example.com:8443/g/app.git?private_token=t#frag",
     "https://gitlab.example.com:8443/g/app.git"),
    ("git@github.com:acme/app.git", "git@github.com:acme/app.git"),
    ("ssh://git@github.com/acme/app.git", "ssh://github.com/acme/app.git"),
    ("file:///srv/git/app.git", "file:///srv/git/app.git"),
])
def test_git_urls_are_named_without_credentials(url, subject):
    target = parse_target(url)
    assert (target.kind, target.subject) == ("git", subject)
    assert "secret" not in target.subject


@pytest.mark.parametrize("argument", ["ext::sh -c touch% /tmp/pwned", "fd::0", "--upload-pack=touch /tmp/x",
                                      "ftp://example.com/repo", "no-such-directory"])
def test_other_arguments_are_refused(argument):
    with pytest.raises(TargetError):
        parse_target(argument)


def test_messages_are_cleaned_of_the_credentials_in_a_url():
    url = "https://user:hunter2@example.com/r.git"
    cleaned = redact_text(f"fatal: unable to access '{url}': 403", url)
    assert "hunter2" not in cleaned and "example.com/r.git" in cleaned
    assert redact_url(url) == "https://example.com/r.git"

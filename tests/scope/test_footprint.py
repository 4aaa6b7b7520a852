"""Which findings come from a scope's configured sources."""

from scanner.config.model import SourceConfig
from scanner.scope.footprint import footprint


def row(source, subject, location):
    return {"source": source, "subject": subject, "location": location}


def test_log_findings_count_when_their_log_is_configured_even_after_rotation(tmp_path):
    belongs = footprint([SourceConfig("logs", {"paths": ["/var/log/squid/access.log*", "/srv/dns/"]})])
    assert belongs(row("logs", "ann", "/var/log/squid/access.log"))
    assert belongs(row("logs", "ann", "/srv/dns/resolver/queries.log"))
    assert not belongs(row("logs", "ann", "/home/me/other.log"))
    assert not belongs(row("repo", "/src/x", "setup.py"))  # not a source of this scope


def test_a_rotated_file_named_exactly_covers_its_log():
    belongs = footprint([SourceConfig("logs", {"paths": ["/var/log/squid/access.log.1.gz"]})])
    assert belongs(row("logs", "ann", "/var/log/squid/access.log"))


def test_repository_findings_count_for_the_configured_targets(tmp_path):
    (tmp_path / "svc").mkdir()
    belongs = footprint([SourceConfig("repo", {"targets": [str(tmp_path / "svc"),
                                                           "https://user:pw@github.com/acme/bot.git"]})])
    assert belongs(row("repo", str((tmp_path / "svc").resolve()), "app.py"))
    assert belongs(row("repo", "https://github.com/acme/bot.git", "app.py"))
    assert not belongs(row("repo", "/elsewhere", "app.py"))


def test_other_sources_count_whole():
    assert footprint([SourceConfig("aws", {})])(row("aws", "aws:1", "us-east-1"))

"""`shadowai init`: the starter is valid, documents every key, and never overwrites by accident."""

from scanner.config import load_config
from scanner.config.schema import SCOPE_FIELDS, SOURCES, TOP_FIELDS
from tests.cli.runner import shadowai


def test_init_writes_a_starter_that_loads(tmp_path):
    config = tmp_path / "shadowai.toml"
    result = shadowai("init", "--config", config)
    assert result.exit_code == 0, result.output
    loaded = load_config(config)
    assert (tmp_path / "sanctions.toml").is_file()
    assert list(loaded.sources) == ["logs"] and list(loaded.scopes) == ["engineering"]


def test_the_starter_mentions_every_key_of_the_schema(tmp_path):
    shadowai("init", "--config", tmp_path / "shadowai.toml")
    text = (tmp_path / "shadowai.toml").read_text(encoding="utf-8")
    for key in TOP_FIELDS:
        assert f"{key} = " in text, key
    for key in SCOPE_FIELDS:
        assert f"{key} = " in text, key
    for name, schema in SOURCES.items():
        assert f"[sources.{name}]" in text, name
        for key in schema.fields:
            assert f"{key} = " in text, f"sources.{name}.{key}"


def test_init_refuses_to_overwrite_without_force(tmp_path):
    config = tmp_path / "shadowai.toml"
    config.write_text("# mine\n", encoding="utf-8")
    result = shadowai("init", "--config", config)
    assert result.exit_code == 2 and "--force" in result.output
    assert config.read_text(encoding="utf-8") == "# mine\n"
    assert shadowai("init", "--config", config, "--force").exit_code == 0

"""The configuration file (shadowai.toml): sources, scopes, signature folders, the sanctions file."""

from scanner.config.errors import ConfigError
from scanner.config.loader import load_config
from scanner.config.model import DEFAULT_CONFIG, WHOLE_ORGANISATION, Config, Scope, SourceConfig

__all__ = ["ConfigError", "Config", "DEFAULT_CONFIG", "Scope", "SourceConfig", "WHOLE_ORGANISATION", "load_config"]

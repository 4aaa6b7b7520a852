"""Go, Cargo, NuGet and RubyGems manifests."""

import pytest


@pytest.mark.parametrize("path, text, expected", [
    ("go.mod", "module x\n\ngo 1.22\n\nrequire github.com/sashabaranov/go-openai v1.20.0\n", [("openai-api", 5)]),
    ("go.mod", "module x\n\nrequire (\n\tgithub.com/google/uuid v1.6.0\n\tgithub.com/anthropics/anthropic-sdk-go "
               "v0.2.0 // indirect\n)\n", [("anthropic-api", 5)]),
    ("go.mod", "module x\n// require github.com/openai/openai-go v1\n", []),
    ("Cargo.toml", '[package]\nname = "x"\n[dependencies]\nasync-openai = "0.20"\nserde = "1"\n', [("openai-api", 4)]),
    ("Cargo.toml", '[dependencies]\nai = { package = "async-openai", version = "0.2" }\n', [("openai-api", 2)]),
    ("Cargo.lock", 'version = 3\n[[package]]\nname = "async-openai"\nversion = "0.20.0"\n', [("openai-api", 3)]),
    ("Service.csproj", '<Project>\n  <ItemGroup>\n    <PackageReference Include="OpenAI" Version="2.0.0" />\n'
                       '  </ItemGroup>\n</Project>\n', [("openai-api", 3)]),
    ("packages.config", '<packages>\n  <package id="Anthropic.SDK" version="1.0" />\n  <package id="OpenAI" '
                        'version="1.11.0" />\n</packages>\n', [("openai-api", 3)]),
    ("Gemfile", "source 'https://rubygems.org'\n# gem 'openai'\ngem 'ruby-openai', '~> 7.0'\n", [("openai-api", 3)]),
    ("Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n    faraday (2.9.0)\n    ruby-openai (7.0.1)\n"
                     "      faraday (>= 1)\n", [("openai-api", 5)]),
])
def test_native_manifests(detect, path, text, expected):
    assert detect(path, text) == expected


def test_an_indirect_go_requirement_has_medium_confidence(detect):
    [finding] = detect("go.mod", "require (\n\tgithub.com/openai/openai-go v1.0.0 // indirect\n)\n", evidence=True)
    assert finding.evidence["confidence"] == "medium"

"""`catalogue validate`: the built-in catalogue passes; each kind of mistake in a user folder is reported."""

from pathlib import Path

import yaml

from scanner.catalogue import load_catalogue
from scanner.catalogue.validate import validate

VALID = {
    "id": "acme-writer",
    "name": "Acme Writer",
    "vendor": "acme",
    "category": "writing-assistant",
    "description": "A test writing assistant used by the validation tests.",
    "website": "https://acme-writer.example",
    "detection": {"domains": ["acme-writer.example"]},
    "risk": {fact: {"value": "unknown"} for fact in
             ("trains_on_customer_data", "retention", "enterprise_tier", "hosting_country", "certifications")},
    "examples": {"domains": {"match": ["app.acme-writer.example"], "no_match": ["notacme-writer.example"]}},
}


def write_folder(root: Path, service: dict, *, file_stem: str | None = None, vendor_dir: str = "acme") -> Path:
    (root / "services" / vendor_dir).mkdir(parents=True, exist_ok=True)
    (root / "vendors.yaml").write_text(yaml.safe_dump(
        {"acme": {"name": "Acme", "website": "https://acme.example", "country": "GB"}}))
    path = root / "services" / vendor_dir / f"{file_stem or service['id']}.yaml"
    path.write_text(yaml.safe_dump(service))
    return path


def problems_for(tmp_path: Path, service: dict, **kwargs) -> list[str]:
    path = write_folder(tmp_path, service, **kwargs)
    return [str(p) for p in validate(load_catalogue([tmp_path])) if p.file == path]


def test_builtin_catalogue_has_no_problems():
    problems = validate(load_catalogue())
    assert not problems, "\n".join(map(str, problems))


def test_a_valid_user_signature_passes(tmp_path):
    assert problems_for(tmp_path, VALID) == []


def test_unknown_field_is_refused_with_its_location(tmp_path):
    problems = problems_for(tmp_path, {**VALID, "colour": "blue"})
    assert any("'colour' was unexpected" in p for p in problems), problems


def test_id_must_equal_file_stem(tmp_path):
    problems = problems_for(tmp_path, VALID, file_stem="other-name")
    assert any(": id: " in p and "other-name" in p for p in problems), problems


def test_signature_without_examples_is_refused(tmp_path):
    service = {**VALID, "detection": {"domains": ["acme-writer.example"], "env_vars": ["ACME_WRITER_KEY"]}}
    problems = problems_for(tmp_path, service)
    assert any("examples.env_vars: missing" in p for p in problems), problems


def test_claiming_a_shared_platform_is_refused(tmp_path):
    service = {**VALID, "detection": {"domains": ["googleapis.com"]},
               "examples": {"domains": {"match": ["x.googleapis.com"], "no_match": ["acme.example"]}}}
    problems = problems_for(tmp_path, service)
    assert any("shared platform 'googleapis.com'" in p for p in problems), problems


def test_claiming_a_public_suffix_is_refused(tmp_path):
    service = {**VALID, "detection": {"domains": ["co.uk"]},
               "examples": {"domains": {"match": ["x.co.uk"], "no_match": ["acme.example"]}}}
    problems = problems_for(tmp_path, service)
    assert any("'co.uk' is a public suffix" in p for p in problems), problems


def test_claiming_a_wildcard_shared_platform_family_is_refused(tmp_path):
    service = {**VALID, "detection": {"domains": ["acme-writer.example"]},
               "examples": {"domains": {"match": ["x.acme-writer.example"], "no_match": ["acme.example"]}}}
    service["detection"]["domains"] = ["akamaized.net"]
    service["examples"]["domains"]["match"] = ["a.akamaized.net"]
    assert any("akamai*" in p for p in problems_for(tmp_path, service))


def test_a_domain_claimed_by_two_services_is_refused(tmp_path):
    service = {**VALID, "id": "acme-chat", "detection": {"domains": ["chatgpt.com"]},
               "examples": {"domains": {"match": ["chatgpt.com"], "no_match": ["acme.example"]}}}
    problems = problems_for(tmp_path, service)
    assert any("'chatgpt.com' is also claimed by chatgpt" in p for p in problems), problems


def test_an_example_that_does_not_match_is_reported(tmp_path):
    service = {**VALID, "examples": {"domains": {"match": ["acme-writer.example.org"], "no_match": ["x.example"]}}}
    problems = problems_for(tmp_path, service)
    assert any("examples.domains.match[0]" in p and "matched nothing" in p for p in problems), problems


def test_a_risk_fact_other_than_unknown_needs_a_reference(tmp_path):
    risk = dict(VALID["risk"], retention={"value": "30 days"})
    problems = problems_for(tmp_path, {**VALID, "risk": risk})
    assert any("risk.retention" in p and "references" in p for p in problems), problems


def test_user_folder_overrides_a_builtin_service(tmp_path):
    builtin = load_catalogue().services["chatgpt"]
    override = dict(builtin.raw, name="ChatGPT (ACME tenant)", vendor="acme")
    write_folder(tmp_path, override)
    catalogue = load_catalogue([tmp_path])
    assert catalogue.services["chatgpt"].name == "ChatGPT (ACME tenant)"
    assert catalogue.matcher.match_host("chatgpt.com").service_id == "chatgpt"


def test_catalogue_version_changes_with_content(tmp_path):
    write_folder(tmp_path, VALID)
    first = load_catalogue([tmp_path]).version
    write_folder(tmp_path, {**VALID, "name": "Acme Writer 2"})
    assert load_catalogue([tmp_path]).version != first


def test_signatures_readme_is_fresh():
    from scanner.catalogue.coverage import readme
    from scanner.catalogue.loader import builtin_signatures_dir

    on_disk = (builtin_signatures_dir() / "README.md").read_text(encoding="utf-8")
    assert on_disk == readme(load_catalogue()), "regenerate: shadowai catalogue readme --out signatures/README.md"

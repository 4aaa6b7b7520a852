"""Every signature's examples, run through the real matcher: one parametrised case per service."""

import pytest

from scanner.catalogue import load_catalogue
from scanner.catalogue.validate import check_examples

CATALOGUE = load_catalogue()


@pytest.mark.parametrize("service_id", sorted(CATALOGUE.services))
def test_service_examples_match_and_no_match_as_declared(service_id):
    service = CATALOGUE.services[service_id]
    assert service.examples, f"{service.path}: no examples"
    problems = check_examples(service, CATALOGUE)
    assert not problems, "\n".join(map(str, problems))

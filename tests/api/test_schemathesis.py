"""Property-based tests of the whole JSON API from its own OpenAPI document (schemathesis).

Schemathesis reads /openapi.json, generates requests for every operation (valid ones and
invalid ones: wrong types, out-of-range numbers, strange strings, missing fields) and checks
each answer: never a server error, a status code the document declares, the declared content
type, and a body that matches the declared schema (the ``Problem`` body for refusals).

The app runs in-process over ASGI, on the test world of tests/conftest.py, authenticated as
a clinic owner with a bearer token. Examples are bounded per operation and derandomized so
that a run is repeatable and takes well under a minute per database.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES_PER_OPERATION = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
"""What every answer must satisfy. Schemathesis's "schema-valid request accepted" check is
left out on purpose: the domain refuses what a schema cannot say (a no-headache day with a
pain score, a control character in a label) with a declared 422, and ids it generates name
patients that do not exist (a declared 404)."""


def _check_operation(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> None:
    """Run ``EXAMPLES_PER_OPERATION`` generated requests of ``operation`` and check each answer."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_answers_as_its_openapi_document_says(
    app: FastAPI, tokens: dict[str, dict[str, str]], mode: GenerationMode
) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        operations += 1
        try:
            _check_operation(operation, mode, tokens["admin_a"])
        except Unsatisfiable:  # nothing to get wrong: an operation without any input
            assert mode is GenerationMode.NEGATIVE, operation.label
        except (Exception, BaseExceptionGroup) as exc:  # try every operation, report them all
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)

"""Bounded requests: the body-size limit (413), bounded lists and maps, short error answers,
and out-of-range identifiers and dates answered 422 instead of 500.

The huge bodies are streamed straight into the ASGI app, chunk by chunk, as a server would
pass them on: Starlette's TestClient reads a streamed body whole before handing it over,
which would hide what the limit is for. Memory is measured as the peak resident set of this
process (Linux's VmHWM, reset before each request), which includes the app's work.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from acurelief.config import DEFAULT_MAX_BODY_BYTES, Environment, Settings
from acurelief.services.diary import MAX_DAYS_PER_WRITE
from acurelief.storage.unit_of_work import SqlUnitOfWorkFactory
from acurelief.web import create_app
from acurelief.web.schemas import MAX_LISTED_ERRORS
from tests.conftest import NOW, World

MB = 1024 * 1024
HUGE = 44 * MB  # the size that took 117 s and 6.9 GB before the limit
CHUNK = 64 * 1024
MAX_GROWTH = 50 * MB


def _status_kb(field: str) -> int:
    text = Path("/proc/self/status").read_text(encoding="ascii")
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.MULTILINE)
    assert match is not None, field
    return int(match.group(1)) * 1024


class PeakMemory:
    """How far this process's resident memory rose above where it stood at ``start``."""

    def start(self) -> None:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")  # resets VmHWM
        self._before = _status_kb("VmRSS")

    def growth(self) -> int:
        return _status_kb("VmHWM") - self._before


def _medications_map(total: int) -> Iterator[bytes]:
    """A diary body whose medications map runs to ``total`` bytes, made one chunk at a time."""
    yield b'{"headache": true, "medications": {'
    entry = b'"not-a-class-0000000": 1, '
    chunk = entry * (CHUNK // len(entry))
    for _ in range(total // len(chunk)):
        yield chunk
    yield b'"last": 1}}'


class Answer:
    def __init__(self) -> None:
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body = b""
        self.pulled = 0  # request-body bytes the app asked for

    def json(self) -> dict[str, object]:
        value = json.loads(self.body)
        assert isinstance(value, dict)
        return value


def _stream(
    app: FastAPI,
    method: str,
    path: str,
    chunks: Iterator[bytes],
    headers: dict[str, str],
    content_length: int | None = None,
) -> Answer:
    """Send ``chunks`` to ``app`` as a streamed body and collect its answer."""
    answer = Answer()
    raw_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    if "content-type" not in headers:
        raw_headers.append((b"content-type", b"application/json"))
    if content_length is not None:
        raw_headers.append((b"content-length", str(content_length).encode()))
    else:
        raw_headers.append((b"transfer-encoding", b"chunked"))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": raw_headers,
        "client": ("testclient", 50000),
        "server": ("testserver", 80),
    }

    async def receive() -> dict[str, object]:
        chunk = next(chunks, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        answer.pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            answer.status = int(message["status"])  # type: ignore[call-overload]
            pairs = message.get("headers", [])
            assert isinstance(pairs, list)
            answer.headers = {k.decode(): v.decode() for k, v in pairs}
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            assert isinstance(body, bytes)
            answer.body += body

    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return answer


def _diary_path(world: World, date: str = "2026-06-10") -> str:
    return f"/api/v1/patients/{world.patients['p1']}/diary/{date}"


@pytest.mark.parametrize("persona", ["anonymous", "p1"])
def test_a_streamed_44_mb_body_is_refused_413_after_reading_only_the_limit(
    app: FastAPI, tokens: dict[str, dict[str, str]], world: World, persona: str
) -> None:
    memory = PeakMemory()
    memory.start()
    answer = _stream(app, "PUT", _diary_path(world), _medications_map(HUGE), tokens[persona])
    growth = memory.growth()

    assert answer.status == 413
    problem = answer.json()
    assert problem["status"] == 413
    assert "Send less at once" in str(problem["detail"])
    assert answer.pulled <= DEFAULT_MAX_BODY_BYTES + CHUNK  # stopped reading at the limit
    assert growth < MAX_GROWTH, f"the process grew by {growth / MB:.1f} MB"


def test_a_declared_oversize_body_is_refused_before_a_byte_is_read(
    app: FastAPI, world: World
) -> None:
    def never() -> Iterator[bytes]:
        raise AssertionError("the body was read")
        yield b""  # pragma: no cover

    answer = _stream(app, "PUT", _diary_path(world), never(), {}, content_length=HUGE)

    assert answer.status == 413
    assert answer.json()["title"] == "Too much sent at once"
    assert answer.pulled == 0


def test_an_oversize_form_on_a_page_gets_the_error_page(app: FastAPI) -> None:
    answer = _stream(app, "POST", "/login", iter([b"x" * CHUNK] * 100), {}, content_length=HUGE)

    assert answer.status == 413
    assert answer.headers["content-type"].startswith("text/html")
    assert b"Too much sent at once" in answer.body


def test_a_streamed_oversize_form_on_a_page_gets_the_error_page(app: FastAPI) -> None:
    # fields below the form parser's own limits (1 MB a field, 1,000 fields), 6 MB in all
    chunks = (f"f{i}=".encode() + b"x" * CHUNK + b"&" for i in range(100))
    answer = _stream(
        app, "POST", "/login", chunks, {"content-type": "application/x-www-form-urlencoded"}
    )

    assert answer.status == 413
    assert b"Too much sent at once" in answer.body


def test_the_limit_comes_from_the_settings(
    uow_factory: SqlUnitOfWorkFactory,
    tmp_path: Path,
    tokens: dict[str, dict[str, str]],
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACURELIEF_MAX_BODY_BYTES", "2048")
    settings = Settings(
        environment=Environment.TEST, data_dir=tmp_path, secret_key=SecretStr("s" * 40)
    )
    assert settings.max_body_bytes == 2048
    small = create_app(settings, uow_factory=uow_factory, clock=lambda: NOW)
    body = {"headache": False, "notes": "n" * 1500}
    with TestClient(small) as client:
        fits = client.put(_diary_path(world), json=body, headers=tokens["p1"])
        too_big = client.put(
            _diary_path(world), json={**body, "notes": "n" * 2100}, headers=tokens["p1"]
        )

    assert fits.status_code == 200, fits.text
    assert too_big.status_code == 413
    assert too_big.json()["status"] == 413


def test_a_limit_below_one_kilobyte_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ACURELIEF_MAX_BODY_BYTES", "10")
    with pytest.raises(ValueError, match="max_body_bytes"):
        Settings()


def test_a_4_mb_map_of_bad_entries_gets_one_short_error(
    client: TestClient, tokens: dict[str, dict[str, str]], world: World
) -> None:
    entries = (DEFAULT_MAX_BODY_BYTES - 1000) // 27  # "not-a-class-00000000": 1,
    medications = {f"not-a-class-{i:08d}": 1 for i in range(entries)}
    body = json.dumps({"headache": True, "medications": medications})
    assert 3.5 * MB < len(body) < DEFAULT_MAX_BODY_BYTES

    memory = PeakMemory()
    memory.start()
    headers = tokens["p1"] | {"Content-Type": "application/json"}
    response = client.put(_diary_path(world), content=body, headers=headers)
    growth = memory.growth()

    assert response.status_code == 422
    assert len(response.content) < 64 * 1024
    problem = response.json()
    assert problem["error_count"] == 1
    assert problem["errors"] == [
        {
            "field": "medications",
            "message": f"send at most 6 medication classes, not {entries}; one entry per class",
        }
    ]
    assert growth < MAX_GROWTH, f"the process grew by {growth / MB:.1f} MB"


def test_a_batch_of_many_bad_days_lists_100_errors_and_counts_them_all(
    client: TestClient, tokens: dict[str, dict[str, str]], world: World
) -> None:
    days = [
        {
            "date": f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}",
            "headache": True,
            "peak_pain": 11,
            "mood": 12,
        }
        for i in range(300)
    ]
    response = client.post(
        f"/api/v1/patients/{world.patients['p1']}/diary/batch",
        json={"days": days},
        headers=tokens["p1"],
    )

    assert response.status_code == 422
    problem = response.json()
    assert problem["error_count"] == 600
    assert len(problem["errors"]) == MAX_LISTED_ERRORS
    assert problem["errors"][0]["field"] == "days.0.peak_pain"
    assert "first 100 are listed" in problem["detail"]


def test_a_100000_day_batch_is_refused_by_the_schema_limit_alone(
    uow_factory: SqlUnitOfWorkFactory,
    tmp_path: Path,
    tokens: dict[str, dict[str, str]],
    world: World,
) -> None:
    settings = Settings(
        environment=Environment.TEST,
        data_dir=tmp_path,
        secret_key=SecretStr("s" * 40),
        max_body_bytes=16 * MB,
    )
    roomy = create_app(settings, uow_factory=uow_factory, clock=lambda: NOW)
    # every day is also invalid: validating them one by one would list 100,000 errors
    days = [{"date": "2025-01-01", "headache": "maybe"}] * 100_000
    with TestClient(roomy) as client:
        response = client.post(
            f"/api/v1/patients/{world.patients['p1']}/diary/batch",
            json={"days": days},
            headers=tokens["p1"],
        )

    assert response.status_code == 422
    problem = response.json()
    assert problem["error_count"] == 1
    assert problem["errors"][0]["field"] == "days"
    assert f"at most {MAX_DAYS_PER_WRITE} days" in problem["errors"][0]["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/patients/99999999999999999999",
        "/api/v1/patients/9223372036854775808",
        "/api/v1/patients/2147483648",
        "/api/v1/patients/0",
        "/api/v1/patients/99999999999999999999/diary/2026-06-01",
        "/api/v1/patients/2147483648/sessions",
        "/api/v1/patients/2147483648/outcomes",
        "/api/v1/patients/2147483648/intake",
        "/api/v1/patients/2147483648/diagnosis",
    ],
)
def test_an_identifier_out_of_range_answers_422_naming_it(
    client: TestClient, tokens: dict[str, dict[str, str]], path: str
) -> None:
    response = client.get(path, headers=tokens["practitioner_a"])

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.patient_id"


def test_the_largest_identifier_is_simply_not_found(
    client: TestClient, tokens: dict[str, dict[str, str]]
) -> None:
    response = client.get("/api/v1/patients/2147483647", headers=tokens["practitioner_a"])

    assert response.status_code == 404


def test_an_identifier_out_of_range_in_a_body_answers_422(
    client: TestClient, tokens: dict[str, dict[str, str]]
) -> None:
    response = client.post(
        "/api/v1/patients",
        json={
            "name": "X",
            "date_of_birth": "1990-01-01",
            "sex": "female",
            "practitioner_id": 2**31,
        },
        headers=tokens["admin_a"],
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "practitioner_id"


def test_a_default_date_range_reaching_before_year_1_answers_422(
    client: TestClient, tokens: dict[str, dict[str, str]], world: World
) -> None:
    url = f"/api/v1/patients/{world.patients['p1']}/diary"

    early = client.get(url, params={"end": "0001-01-05"}, headers=tokens["p1"])
    explicit = client.get(
        url, params={"start": "0001-01-01", "end": "0001-01-05"}, headers=tokens["p1"]
    )
    last = client.get(url, params={"end": "9999-12-31"}, headers=tokens["p1"])
    beyond = client.get(url, params={"end": "10000-01-01"}, headers=tokens["p1"])

    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "end"
    assert explicit.status_code == 200
    assert explicit.json() == []
    assert last.status_code == 200
    assert beyond.status_code == 422


def test_the_openapi_document_declares_the_problem_body(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    put_day = document["paths"]["/api/v1/patients/{patient_id}/diary/{date}"]["put"]

    assert "HTTPValidationError" not in schemas
    assert set(schemas["Problem"]["properties"]) == {
        "title",
        "status",
        "detail",
        "errors",
        "error_count",
    }
    for status in ("401", "403", "404", "413", "422"):
        content = put_day["responses"][status]["content"]["application/json"]
        assert content["schema"] == {"$ref": "#/components/schemas/Problem"}
    patient_id = next(p for p in put_day["parameters"] if p["name"] == "patient_id")
    assert patient_id["schema"]["maximum"] == 2**31 - 1


def test_the_largest_valid_import_grows_the_process_by_less_than_50_mb(
    client: TestClient, tokens: dict[str, dict[str, str]], world: World
) -> None:
    """The heaviest request the limits let through: 3,660 fully filled days with a
    200-character note each (1.8 MB of JSON), validated and stored in one batch."""
    first = dt.date(2016, 1, 1)
    day = {
        "headache": True,
        "peak_pain": 7,
        "headache_hours": 6.5,
        "features": {"nausea": True, "photophobia": True, "phonophobia": False},
        "medications": {"triptan": 1, "simple_analgesic": 2},
        "menstruation": False,
        "mood": 4,
        "sleep_hours": 7,
        "stress": 6,
        "notes": "n" * 200,
    }
    days = [{**day, "date": (first + dt.timedelta(days=k)).isoformat()} for k in range(3660)]
    body = json.dumps({"days": days}).encode()
    memory = PeakMemory()
    memory.start()
    answer = client.post(
        f"/api/v1/patients/{world.patients['p1']}/diary/batch",
        content=body,
        headers={**tokens["p1"], "content-type": "application/json"},
    )
    growth = memory.growth()
    assert answer.status_code == 200, answer.text[:500]
    assert len(body) > 1.5 * MB
    assert growth < MAX_GROWTH, f"the process grew by {growth / MB:.1f} MB"

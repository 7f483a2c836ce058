"""What the OpenAPI document says a parameter accepts is what the server accepts: a value the
document refuses is refused (422, naming the parameter), a value it allows gets past validation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

from app.api.rest.params import UpdatedSince
from tests.helpers import problem_of

Headers = dict[str, str]


def parameter_of(problem: dict[str, Any]) -> set[str]:
    """The parameters named (a repeated one as ``kind/0``: its first value)."""
    return {e["parameter"].split("/")[0] for e in problem["errors"]}


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/frameworks/ocsc/role-profiles/someday/technologist", "stage"),
        ("/api/v1/frameworks/ocsc/role-profiles/mature/astronaut", "group"),
        ("/api/v1/frameworks/ocsc/matrix?stage=", "stage"),
        ("/api/v1/frameworks/ocsc/matrix?stage=early&component=units", "component"),
        ("/api/v1/frameworks/ocsc/groups/astronaut/stages", "group"),
        ("/api/v1/frameworks/ocsc/search?q=", "q"),
        ("/api/v1/frameworks/ocsc/search?q=%20%20", "q"),
        ("/api/v1/frameworks/ocsc/search?q=x&kind=widget", "kind"),
        ("/api/v1/agencies/MOF/stages/2025", "fiscal_year"),
        ("/api/v1/agencies/MOF/stages/0", "fiscal_year"),
        ("/api/v1/agencies?updated_since=0.5", "updated_since"),
        ("/api/v1/people?updated_since=2025-01-01", "updated_since"),
        ("/api/v1/people?updated_since=2025-01-01T00:00:00", "updated_since"),
    ],
)
async def test_a_value_the_document_refuses_is_refused_naming_the_parameter(
    client: httpx.AsyncClient, admin_headers: Headers, path: str, parameter: str
) -> None:
    problem = problem_of(await client.get(path, headers=admin_headers), 422)
    assert parameter_of(problem) == {parameter}


async def test_a_malformed_if_match_is_refused_and_named_as_the_header_is_spelled(
    client: httpx.AsyncClient, admin_headers: Headers
) -> None:
    response = await client.patch(
        "/api/v1/agencies/MOF",
        json={"name_en": "x"},
        headers={
            **admin_headers,
            "If-Match": "null",
            "Content-Type": "application/merge-patch+json",
        },
    )
    assert parameter_of(problem_of(response, 422)) == {"If-Match"}


async def test_a_well_formed_stale_if_match_is_a_412(
    client: httpx.AsyncClient, admin_headers: Headers, auth: Callable[..., Headers]
) -> None:
    created = await client.put(
        "/api/v1/agencies/PRM-T1",
        json={"code": "PRM-T1", "name_th": "หน่วยทดสอบ", "kind": "department"},
        headers=admin_headers,
    )
    assert created.status_code == 201, created.text
    response = await client.patch(
        "/api/v1/agencies/PRM-T1",
        json={"name_en": "x"},
        headers={**admin_headers, "If-Match": 'W/"999", "998"'},
    )
    problem_of(response, 412)


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
    ),
    st.integers(-14 * 60, 14 * 60),
)
def test_updated_since_takes_any_rfc_3339_date_time_with_its_offset(
    moment: datetime, minutes: int
) -> None:
    zone = timezone(timedelta(minutes=minutes))
    text = moment.astimezone(zone).isoformat()
    assert TypeAdapter(UpdatedSince).validate_python(text) == moment


@given(
    st.one_of(
        st.floats(allow_nan=False).map(str),
        st.integers().map(str),
        st.dates().map(str),
        st.datetimes().map(lambda d: d.isoformat()),
    )
)
def test_updated_since_refuses_numbers_dates_and_times_without_offset(text: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(UpdatedSince).validate_python(text)

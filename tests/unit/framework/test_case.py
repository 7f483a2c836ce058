"""CASE 1.1: a version exported as a CFPackage and imported again is the same version; a bad
package gets every problem listed with a pointer into the package."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings

from app.domain.framework.case_binding import without_extensions
from app.domain.framework.case_export import (
    case_timestamp,
    document_id,
    item_id,
    profile_id,
    served_document,
    served_node,
    to_case_package,
)
from app.domain.framework.case_import import read_case_package
from app.domain.framework.model import FrameworkContent, VersionStatus
from tests import case_schemas
from tests.unit.framework.seeded import ocsc, tpqi
from tests.unit.framework.strategies import contents

BASE = "https://thaksa.example/ims/case/v1p1/"


def export(content: FrameworkContent) -> dict[str, Any]:
    package = to_case_package(
        content,
        status=VersionStatus.PUBLISHED,
        changed_at="2025-01-01T00:00:00+00:00",
        base_uri=BASE,
    )
    result: dict[str, Any] = json.loads(json.dumps(package))
    return result


def test_exporting_then_importing_reproduces_both_seed_frameworks_exactly() -> None:
    for content in (ocsc(), tpqi()):
        parsed = read_case_package(export(content))
        assert parsed.errors == []
        assert parsed.content == content


@settings(max_examples=40, deadline=None)
@given(contents(with_crosswalk=True))
def test_any_version_survives_a_case_round_trip(content: FrameworkContent) -> None:
    parsed = read_case_package(export(content))
    assert parsed.errors == []
    assert parsed.content == content


def test_identifiers_are_derived_from_framework_and_code_and_stable() -> None:
    first, second = export(ocsc()), export(ocsc().with_version("2561.1"))
    items = {i["humanCodingScheme"]: i["identifier"] for i in first["CFItems"]}
    assert items["DL100"] == item_id("ocsc", "DL100")
    assert items["DL100"] != item_id("tpqi-it-exec", "DL100")  # codes collide, identities do not
    assert items == {i["humanCodingScheme"]: i["identifier"] for i in second["CFItems"]}
    assert first["CFDocument"]["identifier"] == document_id("ocsc", "2561")
    assert second["CFDocument"]["identifier"] != first["CFDocument"]["identifier"]
    assert items["mature-technologist"] == profile_id("ocsc", "mature", "technologist")


def test_the_package_holds_types_hierarchy_requirements_and_crosswalks() -> None:
    package = export(ocsc())
    by_code = {i["humanCodingScheme"]: i for i in package["CFItems"]}
    assert by_code["DS100"]["CFItemType"] == "Unit"
    assert by_code["DS101.1"]["CFItemType"] == "Performance Criterion"
    assert by_code["early-executive"]["CFItemType"] == "Role Profile"
    child_of = {
        (a["originNodeURI"]["title"], a["destinationNodeURI"]["identifier"])
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }
    assert ("DS101", by_code["DS100"]["identifier"]) in child_of
    assert ("DLit", package["CFDocument"]["identifier"]) in child_of
    mature_tech = by_code["mature-technologist"]["identifier"]
    required = [
        a["destinationNodeURI"]["title"]
        for a in package["CFAssociations"]
        if a["originNodeURI"]["identifier"] == mature_tech and a["associationType"] == "isRelatedTo"
    ]
    assert {"DTr200", "DTr300", "K-F1", "E-F5"} <= set(required)

    tpqi_package = export(tpqi())
    crosswalk = [
        a
        for a in tpqi_package["CFAssociations"]
        if a.get("CFAssociationGroupingURI", {}).get("title") == "Crosswalk"
    ]
    assert len(crosswalk) == 33
    dna = next(a for a in crosswalk if a["originNodeURI"]["title"] == "DL700")
    assert dna["associationType"] == "exactMatchOf"
    assert dna["destinationNodeURI"]["identifier"] == item_id("ocsc", "DL100")


def _find(package: dict[str, Any], code: str) -> int:
    return next(n for n, i in enumerate(package["CFItems"]) if i.get("humanCodingScheme") == code)


def test_a_bad_package_gets_every_problem_with_a_pointer() -> None:
    package = copy.deepcopy(export(ocsc()))
    items = package["CFItems"]
    items[_find(package, "DLit200")]["humanCodingScheme"] = "DLit100"  # duplicate code
    items[_find(package, "K-R3")]["CFItemType"] = "Skill Bundle"  # unknown type
    items[_find(package, "K-R3")]["extensions"]["thaksa"].pop("kind")
    associations = package["CFAssociations"]
    dt300 = item_id("ocsc", "DT300")
    for a in associations:
        if a["originNodeURI"]["identifier"] == dt300 and a["associationType"] == "isChildOf":
            a["destinationNodeURI"]["identifier"] = (
                "00000000-0000-0000-0000-000000000000"  # dangling
            )
    ds101, ds1011 = item_id("ocsc", "DS101"), item_id("ocsc", "DS101.1")
    for a in associations:
        if a["originNodeURI"]["identifier"] == ds101 and a["associationType"] == "isChildOf":
            a["destinationNodeURI"]["identifier"] = ds1011  # cycle DS101 <-> DS101.1
    associations.append({**associations[0], "associationType": "precedes"})  # unknown type
    parsed = read_case_package(package)
    rules = {e.rule for e in parsed.errors}
    assert {"duplicate-code", "unknown-type", "dangling-reference", "hierarchy-cycle"} <= rules
    pointers = {e.pointer for e in parsed.errors}
    assert f"/CFItems/{_find(package, 'K-R3')}/CFItemType" in pointers
    assert f"/CFAssociations/{len(associations) - 1}/associationType" in pointers
    assert all(p.startswith(("/CFItems/", "/CFAssociations/", "/CFDocument")) for p in pointers)


def test_a_package_from_elsewhere_is_read_from_the_standard_fields() -> None:
    package = export(tpqi())
    for node in [package["CFDocument"], *package["CFItems"], *package["CFAssociations"]]:
        node.pop("extensions", None)
    parsed = read_case_package(package, key="tpqi-from-case")
    # crosswalk associations no longer say which framework they point to: reported, not guessed
    assert {e.rule for e in parsed.errors} == {"dangling-reference"}
    assert len(parsed.content.items) == len(tpqi().items)
    original = {i.code: (i.kind, i.parent, i.name_th, i.name_en) for i in tpqi().items}
    assert {
        i.code: (i.kind, i.parent, i.name_th, i.name_en) for i in parsed.content.items
    } == original


def test_a_package_without_a_framework_key_asks_for_one() -> None:
    package = export(tpqi())
    package["CFDocument"].pop("extensions")
    parsed = read_case_package(package)
    assert ("/CFDocument", "framework-key-required") in {(e.pointer, e.rule) for e in parsed.errors}


@settings(max_examples=40, deadline=None)
@given(contents(with_crosswalk=True))
def test_any_version_exports_as_a_package_valid_against_case_1_1(content: FrameworkContent) -> None:
    package = export(content)
    assert case_schemas.problems(case_schemas.PACKAGE, package) == []
    assert case_schemas.problems(case_schemas.PACKAGE, without_extensions(package)) == []
    document = served_document(package)
    assert case_schemas.problems(case_schemas.DOCUMENT, document) == []
    for item in package["CFItems"]:
        node = served_node(package, "CFItems", item["identifier"])
        assert case_schemas.problems(case_schemas.ITEM, node) == []


def test_timestamps_are_rfc_3339_in_utc_and_naive_ones_are_refused() -> None:
    bangkok = dt.timezone(dt.timedelta(hours=7))
    assert case_timestamp(dt.datetime(2025, 1, 1, 7, 0, tzinfo=bangkok)) == "2025-01-01T00:00:00Z"
    assert (
        case_timestamp(dt.datetime(2025, 1, 1, 0, 0, 0, 123456, tzinfo=dt.UTC))
        == "2025-01-01T00:00:00.123456Z"
    )
    with pytest.raises(ValueError, match="time zone"):
        case_timestamp(dt.datetime(2025, 1, 1))


def test_a_pure_package_is_read_back_from_the_standard_fields_but_its_crosswalks_are_not() -> None:
    pure = read_case_package(without_extensions(export(ocsc())), key="ocsc")
    assert pure.errors == []
    assert [i.code for i in pure.content.items] == [i.code for i in ocsc().items]
    assert len(pure.content.role_profiles) == len(ocsc().role_profiles)
    crosswalked = read_case_package(without_extensions(export(tpqi())), key="tpqi-it-exec")
    assert {e.rule for e in crosswalked.errors} == {"dangling-reference"}

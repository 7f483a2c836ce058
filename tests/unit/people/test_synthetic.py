from __future__ import annotations

from app.domain.people.person import parse_person
from app.domain.people.synthetic import generate


def test_the_same_seed_gives_the_same_organisation() -> None:
    assert generate(500, 7) == generate(500, 7)
    assert generate(500, 7).people != generate(500, 8).people


def test_every_person_is_valid_and_reports_to_someone_listed_before() -> None:
    org = generate(3000, 3)
    assert org.people_count == 3000
    codes = set()
    for agency in org.agencies:
        assert agency.get("parent") is None or agency["parent"] in codes
        codes.add(agency["code"])
    for records in org.people.values():
        seen: set[str] = set()
        for raw in records:
            record, errors = parse_person(raw, "", pii_key=b"k")
            assert errors == []
            assert record is not None
            assert record.agency in codes
            assert record.supervisor is None or record.supervisor in seen
            seen.add(record.external_id)
    heads = [r for rs in org.people.values() for r in rs if "supervisor" not in r]
    assert len(heads) == len(org.people)  # one top executive per source
    assert all(len(g) in (1, 2) for g in org.groups.values())


def test_demo_people_carry_the_employment_categories_the_kpis_count() -> None:
    """The agency KPIs count people by HRIS category (G1: civil servants; G2: other personnel
    their unit designates): a demo without categories would show every KPI over nobody."""
    org = generate(2000, 5)
    categories = [r["employment_category"] for rs in org.people.values() for r in rs]
    assert len(categories) == 2000
    for raw in (r for rs in org.people.values() for r in rs):
        record, errors = parse_person(raw, "", pii_key=b"k")
        assert errors == []
        assert record is not None
        assert record.employment_category is not None
    civil = categories.count("ordinary_civil_servant")
    assert 0.75 * 2000 < civil < 0.95 * 2000
    assert set(categories) == {
        "ordinary_civil_servant",
        "government_employee",
        "permanent_employee",
    }

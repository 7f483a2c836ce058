"""The method vocabulary covers the seeds; the policy holds the seeds' defaults and checks input."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from app.domain.errors import ValidationFailed
from app.domain.planning.methods import (
    METHODS,
    ONLINE_COURSE,
    Bucket,
    bucket_of,
    method_by_code,
)
from app.domain.planning.policy import SEED_POLICY, PlanningPolicy

# What the seeds list, by line, in which bucket (004:863-865, 968-995, 1448-1620, IDP1 1647).
SEED_LISTS: list[tuple[str, str, Bucket]] = [
    ("004:970", "e_learning_implementation", Bucket.DOING),
    ("004:978", "self_learning_implementation", Bucket.DOING),
    ("004:971", "on_the_job_training", Bucket.DOING),
    ("004:1462", "job_assignment", Bucket.DOING),
    ("004:974", "project_assignment", Bucket.DOING),
    ("004:972", "job_enrichment", Bucket.DOING),
    ("004:973", "job_enlargement", Bucket.DOING),
    ("004:975", "job_rotation", Bucket.DOING),
    ("004:976", "job_shadowing", Bucket.DOING),
    ("004:1494", "work_shadow", Bucket.DOING),
    ("004:977", "activity", Bucket.DOING),
    ("004:979", "internal_trainer", Bucket.DOING),
    ("004:980", "site_visit", Bucket.DOING),
    ("004:981", "benchmarking", Bucket.DOING),
    ("004:1448", "problem_solving", Bucket.DOING),
    ("004:1448", "team_working", Bucket.DOING),
    ("004:1448", "work_manual", Bucket.DOING),
    ("004:985", "coaching", Bucket.OTHERS),
    ("004:986", "mentoring_program", Bucket.OTHERS),
    ("004:987", "consulting", Bucket.OTHERS),
    ("004:988", "feedback", Bucket.OTHERS),
    ("004:989", "counterpart", Bucket.OTHERS),
    ("004:1536", "team_meeting", Bucket.OTHERS),
    ("004:993", "classroom_training", Bucket.TRAINING),
    ("004:1614", "in_house_training", Bucket.TRAINING),
    ("004:1616", "public_training", Bucket.TRAINING),
    ("004:1425", "online_course", Bucket.TRAINING),
    ("004:994", "meeting_seminar", Bucket.TRAINING),
    ("004:995", "scholarship", Bucket.TRAINING),
]


@pytest.mark.parametrize(("seed", "code", "bucket"), SEED_LISTS)
def test_every_method_the_seeds_name_is_in_the_vocabulary_in_its_bucket(
    seed: str, code: str, bucket: Bucket
) -> None:
    method = method_by_code(code)
    assert method is not None
    assert method.bucket is bucket
    assert seed in method.seeds


def test_the_vocabulary_is_exactly_the_seed_lists_with_stable_codes_and_both_names() -> None:
    assert sorted(m.code for m in METHODS) == sorted({code for _, code, _ in SEED_LISTS})
    thai = re.compile("[\u0e00-\u0e7f]")
    for m in METHODS:
        assert re.fullmatch("[a-z][a-z_]*", m.code)
        assert thai.search(m.name_th)
        assert m.name_en.isascii()
        assert all(re.fullmatch(r"00[0-4]:\d+(-\d+)?", s) for s in m.seeds)


def test_an_online_course_and_e_learning_and_implementation_are_different_methods() -> None:
    course, practice = method_by_code(ONLINE_COURSE), method_by_code("e_learning_implementation")
    assert course is not None
    assert practice is not None
    assert (course.bucket, practice.bucket) == (Bucket.TRAINING, Bucket.DOING)
    assert bucket_of(course, Bucket.DOING) is Bucket.DOING
    assert bucket_of(practice, Bucket.TRAINING) is Bucket.DOING  # the choice moves courses only


def test_lecture_share_applies_to_designed_training_only() -> None:
    with_lecture = {m.code for m in METHODS if m.has_lecture_share}
    assert with_lecture == {
        "classroom_training",
        "in_house_training",
        "public_training",
        "online_course",
        "meeting_seminar",
    }
    assert all(method_by_code(c).bucket is Bucket.TRAINING for c in with_lecture)  # type: ignore[union-attr]


def test_the_default_policy_holds_the_seeds_numbers() -> None:
    p = SEED_POLICY
    assert (p.min_items, p.max_items, p.min_period_months, p.min_topics) == (2, 4, 3, 3)
    assert p.mix_target == {Bucket.DOING: 70, Bucket.OTHERS: 20, Bucket.TRAINING: 10}
    numbers = (
        p.mix_tolerance_points,
        p.max_lecture_percent,
        p.min_development_days,
        p.hours_per_development_day,
        p.min_development_hours,
        p.present_percent_target,
        p.present_tolerance_points,
    )
    assert numbers == tuple(Decimal(n) for n in (10, 60, 10, 6, 60, 70, 10))
    assert p.online_course_bucket is Bucket.TRAINING


def test_an_agency_overrides_settings_and_the_round_trip_keeps_them() -> None:
    agency = SEED_POLICY.with_overrides(
        {
            "min_topics": 2,
            "hours_per_development_day": "7",
            "mix_target": {"70": 60, "20": 30, "10": 10},
        }
    )
    assert agency.min_topics == 2
    assert agency.min_development_hours == 70
    assert agency.mix_target[Bucket.OTHERS] == 30
    assert SEED_POLICY.with_overrides(agency.as_dict()) == agency


def test_every_bad_setting_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as refused:
        SEED_POLICY.with_overrides(
            {
                "min_topics": "two",
                "max_lecture_percent": "NaN",
                "colour": "blue",
                "online_course_bucket": 30,
            }
        )
    assert [e.pointer for e in refused.value.errors] == [
        "/min_topics",
        "/max_lecture_percent",
        "/colour",
        "/online_course_bucket",
    ]


def test_inconsistent_settings_are_refused() -> None:
    with pytest.raises(ValidationFailed) as refused:
        PlanningPolicy(
            min_items=5,
            max_items=4,
            max_lecture_percent=Decimal(120),
            hours_per_development_day=Decimal(0),
            mix_target={
                Bucket.DOING: Decimal(70),
                Bucket.OTHERS: Decimal(20),
                Bucket.TRAINING: Decimal(20),
            },
        )
    assert [e.pointer for e in refused.value.errors] == [
        "/max_items",
        "/max_lecture_percent",
        "/hours_per_development_day",
        "/mix_target",
    ]

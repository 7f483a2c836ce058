"""Properties of the share arithmetic behind the 70:20:10 and 70:30 rules."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from app.domain.planning.methods import Bucket
from app.domain.planning.mix import mix_of, rounded_percentages, shares, within

hours = st.decimals(min_value=0, max_value=10_000, places=2)
bucket_hours = st.fixed_dictionaries({b: hours for b in Bucket})
positive = bucket_hours.filter(lambda h: sum(h.values()) > 0)


@given(positive)
def test_shares_of_a_positive_total_sum_to_exactly_100(amounts: dict[Bucket, Decimal]) -> None:
    assert sum(shares(amounts).values()) == 100


@given(bucket_hours.filter(lambda h: sum(h.values()) == 0))
def test_shares_of_nothing_are_all_zero(amounts: dict[Bucket, Decimal]) -> None:
    assert set(shares(amounts).values()) == {0}


@given(positive, st.fractions(min_value=Fraction(1, 1000), max_value=1000))
def test_scaling_every_effort_leaves_the_shares_unchanged(
    amounts: dict[Bucket, Decimal], factor: Fraction
) -> None:
    scaled = {b: Fraction(v) * factor for b, v in amounts.items()}
    assert shares(scaled) == shares(amounts)


@given(bucket_hours, st.sampled_from(list(Bucket)), hours.filter(lambda h: h > 0))
def test_adding_effort_to_a_bucket_never_lowers_its_share_nor_raises_another(
    amounts: dict[Bucket, Decimal], bucket: Bucket, extra: Decimal
) -> None:
    before = shares(amounts)
    after = shares({**amounts, bucket: amounts[bucket] + extra})
    assert after[bucket] >= before[bucket]
    for other in set(Bucket) - {bucket}:
        assert after[other] <= before[other]


@given(st.lists(st.tuples(st.sampled_from(list(Bucket)), hours), max_size=20))
def test_a_mix_is_the_sum_of_its_efforts_per_bucket(efforts: list[tuple[Bucket, Decimal]]) -> None:
    mix = mix_of(efforts)
    for bucket in Bucket:
        assert mix.hours[bucket] == sum(
            (Fraction(h) for b, h in efforts if b is bucket), Fraction(0)
        )
    assert mix.total == sum((Fraction(h) for _, h in efforts), Fraction(0))


@given(positive)
def test_whole_percentages_for_display_sum_to_100_and_stay_within_one_point(
    amounts: dict[Bucket, Decimal],
) -> None:
    exact = shares(amounts)
    rounded = rounded_percentages(exact)
    assert sum(rounded.values()) == 100
    assert all(abs(rounded[b] - exact[b]) < 1 for b in Bucket)


@given(
    st.fractions(min_value=0, max_value=100),
    st.fractions(min_value=0, max_value=100),
    st.fractions(min_value=0, max_value=100),
    st.fractions(min_value=0, max_value=100),
)
def test_a_wider_tolerance_never_rejects_what_a_narrower_accepts(
    share: Fraction, target: Fraction, narrow: Fraction, extra: Fraction
) -> None:
    if within(share, target, narrow):
        assert within(share, target, narrow + extra)

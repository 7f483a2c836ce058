from __future__ import annotations

import hmac

from hypothesis import given
from hypothesis import strategies as st

from app.domain.people import national_id

twelve_digits = st.text(alphabet="0123456789", min_size=12, max_size=12)


@given(twelve_digits)
def test_a_number_with_its_check_digit_is_valid(first: str) -> None:
    assert national_id.is_valid(first + str(national_id.check_digit(first)))


@given(twelve_digits)
def test_a_wrong_last_digit_is_invalid(first: str) -> None:
    wrong = (national_id.check_digit(first) + 1) % 10
    assert not national_id.is_valid(first + str(wrong))


@given(st.text("0123456789", min_size=13, max_size=13))
def test_the_batch_check_of_the_check_digit_agrees_with_the_rule(number: str) -> None:
    assert national_id.check_digit_matches(number.encode()) == national_id.is_valid(number)


def test_the_check_digit_follows_the_published_rule() -> None:
    # 1-1017-00203-45-?: 1*13 + 1*12 + 0*11 + 1*10 + 7*9 + 0*8 + 0*7 + 2*6 + 0*5 + 3*4 + 4*3 + 5*2
    # = 144; 144 mod 11 = 1; (11 - 1) mod 10 = 0
    assert national_id.check_digit("110170020345") == 0


def test_separators_and_thai_digits_are_accepted() -> None:
    assert national_id.normalise("1-1017-00203-45-0") == "1101700203450"
    assert national_id.normalise("๑๑๐๑๗๐๐๒๐๓๔๕๐") == "1101700203450"
    assert national_id.normalise("1101 7002 0345 0") == "1101700203450"
    assert national_id.normalise("12345") is None
    assert national_id.normalise("110170020345X") is None


@given(twelve_digits, st.binary(min_size=1, max_size=64))
def test_the_keyed_hash_never_contains_the_number_and_depends_on_the_key(
    first: str, key: bytes
) -> None:
    number = first + str(national_id.check_digit(first))
    hashed = national_id.keyed_hash(number, key)
    assert number not in hashed
    assert hashed == national_id.keyed_hash(number, key)
    assert hashed != national_id.keyed_hash(number, key + b"x")
    assert hashed.startswith("v1:")


@given(st.text("0123456789", min_size=13, max_size=13), st.binary(max_size=200))
def test_the_keyed_hash_is_hmac_sha256_of_the_number_for_any_key(number: str, key: bytes) -> None:
    expected = hmac.new(key, f"thaksa:national-id:{number}".encode(), "sha256").hexdigest()
    assert national_id.keyed_hash(number, key) == f"v1:{expected}"


@given(
    st.lists(st.text("0123456789", min_size=13, max_size=13), max_size=5),
    st.binary(max_size=200) | st.sampled_from([b"", b"k" * 63, b"k" * 64, b"k" * 65]),
)
def test_a_batch_hasher_gives_each_number_its_own_keyed_hash(
    numbers: list[str], key: bytes
) -> None:
    hash_of = national_id.hasher(key)
    assert [hash_of(n) for n in numbers] == [national_id.keyed_hash(n, key) for n in numbers]

"""The floor on a new workspace's passphrase (issue 13): zxcvbn's estimate."""

from __future__ import annotations

import pytest

from aban.errors import StoreError, WeakPassphraseError
from aban.store.passphrase import MIN_LENGTH, check_passphrase
from tests.conftest import PASSPHRASE


@pytest.mark.parametrize(
    "weak",
    ["a", "demo", "password123", "qwertyuiop1234", "Tr0ub4dor&3", "a" * 100],
)
def test_weak_passphrases_are_refused(weak: str) -> None:
    with pytest.raises(WeakPassphraseError) as info:
        check_passphrase(weak)
    assert isinstance(info.value, StoreError)
    message = str(info.value)
    length = f"{len(weak)} character{'' if len(weak) == 1 else 's'}"
    assert message.startswith(f"weak passphrase: {length}, found in about 10^")
    assert "\n" not in message
    if len(weak) > 1:
        assert weak not in message


@pytest.mark.parametrize(
    "strong",
    [
        PASSPHRASE,
        "contract check passphrase",
        "bench passphrase",
        "veranda thimble oxbow crayfish " * 4,  # longer than zxcvbn measures
    ],
)
def test_strong_passphrases_pass(strong: str) -> None:
    check_passphrase(strong)


def test_the_message_says_length_guesses_why_and_how_to_fix() -> None:
    with pytest.raises(WeakPassphraseError) as info:
        check_passphrase("demo")
    assert str(info.value) == (
        "weak passphrase: 4 characters, found in about 10^3 guesses (this is a very "
        f"common password); choose one of {MIN_LENGTH} characters or more that takes "
        "10^10 guesses or more, such as five random words"
    )


def test_words_of_the_setting_count_against_the_passphrase() -> None:
    check_passphrase("tabriz-1398 register")
    with pytest.raises(WeakPassphraseError):
        check_passphrase("tabriz-1398 register", hints=["tabriz-1398", "register"])

"""The floor on a new workspace's passphrase.

The register is only as safe as its passphrase once a laptop is seized: the attacker
can try guesses offline, as fast as their hardware derives keys. The strength of a
passphrase is estimated by zxcvbn (Dropbox's estimator, kept on PyPI), which counts
the guesses an attacker who knows common passwords, words, names, keyboard patterns,
dates and substitutions would need; home-made rules (a digit, a capital) reward the
passwords such attackers try first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from aban.errors import WeakPassphraseError

#: Fewest characters a new workspace's passphrase may have.
MIN_LENGTH = 12
#: Fewest guesses (log10) zxcvbn must estimate: its top score, "very unguessable:
#: strong protection from an offline slow-hash scenario".
MIN_GUESSES_LOG10 = 10
#: zxcvbn's own bound: its matching grows fast with length, and a passphrase whose
#: first 72 characters are strong is strong.
MEASURED_LENGTH = 72


def check_passphrase(passphrase: str, hints: Sequence[str] = ()) -> None:
    """Refuse a passphrase that is too short or too easy to guess.

    Args:
        passphrase: the new workspace's passphrase.
        hints: words an attacker would try first (the workspace folder's name);
            a passphrase built from them counts as weaker.

    Raises:
        WeakPassphraseError: shorter than :data:`MIN_LENGTH` characters, or
            guessable in fewer than 10^:data:`MIN_GUESSES_LOG10` guesses. The
            message gives the length, the estimate and zxcvbn's reason, never the
            passphrase.
    """
    from zxcvbn import zxcvbn

    found = zxcvbn(passphrase[:MEASURED_LENGTH], user_inputs=[h for h in hints if h])
    guesses = float(found["guesses_log10"])
    if len(passphrase) >= MIN_LENGTH and guesses >= MIN_GUESSES_LOG10:
        return
    warning = str(found["feedback"]["warning"]).strip().rstrip(".")
    why = f" ({warning[:1].lower()}{warning[1:]})" if warning else ""
    length = f"{len(passphrase)} character{'' if len(passphrase) == 1 else 's'}"
    raise WeakPassphraseError(
        f"weak passphrase: {length}, found in about "
        f"10^{math.floor(guesses)} guesses{why}; choose one of {MIN_LENGTH} "
        f"characters or more that takes 10^{MIN_GUESSES_LOG10} guesses or more, "
        "such as five random words"
    )

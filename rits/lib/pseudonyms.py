"""BSN handling: validate with the elfproef, then pseudonymise at once.

A plain BSN never leaves this module: callers get a keyed pseudonym
(HMAC-SHA256 with RITS_PSEUDONYM_KEY) that matches the same BSN again but cannot
be turned back into it without the key.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings

_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, -1)


class InvalidBSN(ValueError):
    """The input is not a valid BSN. The message never repeats the input."""


def is_valid_bsn(value: str) -> bool:
    """The elfproef: nine digits, weighted sum divisible by 11, not all zeros."""
    digits = value.strip()
    if len(digits) == 8 and digits.isdigit():
        digits = "0" + digits  # BSNs below 100000000 are often written without the leading 0.
    if len(digits) != 9 or not digits.isdigit() or digits == "000000000":
        return False
    return sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11 == 0


def pseudonymise_bsn(value: str) -> str:
    """Return the keyed pseudonym (64 hex characters) of a valid BSN; raise InvalidBSN otherwise."""
    digits = value.strip()
    if not is_valid_bsn(digits):
        raise InvalidBSN("Dit is geen geldig BSN (de elfproef klopt niet).")
    digits = digits.zfill(9)
    key = settings.RITS_PSEUDONYM_KEY.encode()
    return hmac.new(key, b"bsn:" + digits.encode(), hashlib.sha256).hexdigest()


def synthetic_bsn(rng: object) -> str:
    """A random nine-digit number that passes the elfproef, for demo and test data only.

    ``rng`` is a ``random.Random``; numbers start with 9 so they stand apart
    from most issued BSNs in a quick look.
    """
    while True:
        digits = [9] + [rng.randrange(10) for _ in range(7)]  # type: ignore[attr-defined]
        total = sum(d * w for d, w in zip(digits, _WEIGHTS[:8], strict=True))
        last = total % 11
        if last < 10:
            candidate = "".join(map(str, digits)) + str(last)
            if is_valid_bsn(candidate):
                return candidate

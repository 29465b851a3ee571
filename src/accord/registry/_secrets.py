"""API tokens and passwords: generated, hashed and checked; never stored in clear."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

TOKEN_PREFIX = "acc_"
# scrypt cost: n=2**14, r=8 (16 MiB, about 50 ms), the parameters RFC 7914 suggests
# for interactive logins.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1


def new_token() -> str:
    """A new API token: 256 random bits, URL-safe.

    Examples
    --------
    >>> new_token().startswith("acc_")
    True
    """
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The SHA-256 of a token, as stored.

    A token is 256 random bits, so a fast hash is enough: nothing can be guessed
    from it, unlike a password, which needs a slow, salted hash.

    Examples
    --------
    >>> token_hash("acc_x") == token_hash("acc_x")
    True
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def hash_password(password: str) -> str:
    """A salted scrypt hash of a password, with its parameters, as one string.

    Examples
    --------
    >>> check_password("s3cret!", hash_password("s3cret!"))
    True
    """
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32
    )
    return "$".join(
        ["scrypt", str(_SCRYPT_N), str(_SCRYPT_R), str(_SCRYPT_P), _b64(salt), _b64(digest)]
    )


def check_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches a hash made by :func:`hash_password` (constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")

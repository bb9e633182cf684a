"""Password hashing for the accounts (service/accounts.py): argon2 (argon2-cffi). Login sessions are
Flask's signed cookie; API tokens (Authorization: Bearer) are made and checked by service/accounts.py,
which stores only their SHA-256."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from service.accounts import new_token, token_hash  # noqa: F401  (the tests and the demo make tokens here)

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


class Argon2Passwords:
    """`service.accounts.Passwords` with this module's hasher (read at each call: the tests make it cheap)."""

    def hash(self, password: str) -> str:
        return hash_password(password)

    def check(self, hashed: str, password: str) -> bool:
        return check_password(hashed, password)


PASSWORDS = Argon2Passwords()

"""Accounts: argon2 password hashes (argon2-cffi), login sessions (Flask's signed cookie)
and API tokens (Authorization: Bearer; only their SHA-256 is stored)."""
from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import request, session
from sqlalchemy import select

from service.orm import User

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> tuple[str, str]:
    token = "mlk_" + secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def current_user(db_session) -> User | None:
    """The caller: a bearer token wins over the session cookie; None for the public."""
    user = None
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        user = db_session.execute(select(User).where(User.api_token_hash == token_hash(header[7:].strip()))).scalar_one_or_none()
    elif session.get("uid"):
        user = db_session.get(User, session["uid"])
    return user

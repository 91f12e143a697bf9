"""Local user accounts, login sessions and API keys, kept in the store's ``users``, ``sessions`` and ``api_keys``.

Passwords are hashed with argon2id; session tokens and API keys are random 256-bit secrets of which
the store keeps only the SHA-256 (a fast hash suffices for secrets nobody can guess, and keeps the
API's per-request check cheap).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from screening.errors import ConfigError
from screening.store import Store

ROLES: Final = ("analyst", "reviewer", "admin")
SESSION_HOURS: Final = 12
MIN_PASSWORD: Final = 10
_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_HASHER: Final = PasswordHasher()


@dataclass(frozen=True)
class User:
    """A signed-in user."""

    name: str
    role: str


@dataclass(frozen=True)
class Session:
    """A login session: its user and the CSRF token its forms carry."""

    user: User
    csrf: str


def digest(secret: str) -> str:
    """Return the SHA-256 of a secret, in hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    """Return the current UTC time without a zone, as the store keeps times."""
    return datetime.now(UTC).replace(tzinfo=None)


def check_name(name: str, what: str) -> str:
    """Return a user or key name, or raise ConfigError naming the allowed characters."""
    if not _NAME.fullmatch(name):
        raise ConfigError(
            f"{what} {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-', starting with one of the first two"
        )
    return name


def add_user(store: Store, name: str, role: str, password: str) -> User:
    """Create a user, or set the role and password of an existing one."""
    if role not in ROLES:
        raise ConfigError(f"role {role!r}: valid roles are {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"user {name}: the password needs at least {MIN_PASSWORD} characters")
    check_name(name, "user")
    store.con.execute("INSERT OR REPLACE INTO users VALUES (?, ?, ?, ?)", [name, role, _HASHER.hash(password), _now()])
    store.con.execute("DELETE FROM sessions WHERE user_name = ?", [name])  # a new password ends old sessions
    return User(name, role)


def verify_password(store: Store, name: str, password: str) -> User | None:
    """Return the user when the password is theirs, else None (also for unknown users)."""
    row = store.con.execute("SELECT role, password_hash FROM users WHERE name = ?", [name]).fetchall()
    if not row:
        _HASHER.hash(password)  # the same work as a known user, so timing does not tell names apart
        return None
    try:
        _HASHER.verify(row[0][1], password)
    except (VerificationError, InvalidHashError):
        return None
    return User(name, row[0][0])


def start_session(store: Store, user: User) -> str:
    """Record a new session for a user and return its cookie token."""
    token = secrets.token_urlsafe(32)
    now = _now()
    store.con.execute(
        "INSERT INTO sessions VALUES (?, ?, ?, ?, ?)",
        [digest(token), user.name, secrets.token_urlsafe(32), now, now + timedelta(hours=SESSION_HOURS)],
    )
    return token


def find_session(store: Store, token: str) -> Session | None:
    """Return the live session a cookie token opens, or None."""
    rows = store.con.execute(
        "SELECT u.name, u.role, s.csrf FROM sessions s JOIN users u ON u.name = s.user_name "
        "WHERE s.token_hash = ? AND s.expires_at > ?",
        [digest(token), _now()],
    ).fetchall()
    return Session(User(rows[0][0], rows[0][1]), rows[0][2]) if rows else None


def end_session(store: Store, token: str) -> None:
    """Forget a session."""
    store.con.execute("DELETE FROM sessions WHERE token_hash = ?", [digest(token)])


def add_key(store: Store, name: str) -> str:
    """Create an API key named ``name`` and return it; only its hash is stored, so it is shown once."""
    check_name(name, "key")
    key_id = secrets.token_hex(6)
    key = f"sk_{key_id}_{secrets.token_urlsafe(32)}"
    store.con.execute("INSERT INTO api_keys VALUES (?, ?, ?, ?, false)", [key_id, name, digest(key), _now()])
    return key


def revoke_key(store: Store, name: str) -> int:
    """Revoke every key of a name and return how many were live."""
    live = int(
        store.con.execute("SELECT count(*) FROM api_keys WHERE name = ? AND NOT revoked", [name]).fetchall()[0][0]
    )
    if not live:
        raise ConfigError(f"no live API key named {name!r}; `screening keys list` shows them")
    store.con.execute("UPDATE api_keys SET revoked = true WHERE name = ?", [name])
    return live


def live_keys(store: Store) -> dict[str, str]:
    """Return the hashes of the live API keys by key id."""
    rows = store.con.execute("SELECT key_id, key_hash FROM api_keys WHERE NOT revoked").fetchall()
    return {str(key_id): str(key_hash) for key_id, key_hash in rows}


def key_matches(keys: dict[str, str], key: str) -> bool:
    """Return whether a presented API key is one of the live keys."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "sk":
        return False
    known = keys.get(parts[1])
    return known is not None and hmac.compare_digest(known, digest(key))

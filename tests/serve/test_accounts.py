"""Users, sessions and API keys in the store: hashed, checked, revocable."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from screening.errors import ConfigError
from screening.serve import accounts
from screening.store import Store, open_store


@pytest.fixture
def store() -> Iterator[Store]:
    """Return an in-memory store."""
    store = open_store(":memory:")
    yield store
    store.close()


def test_passwords_are_hashed_and_checked(store: Store) -> None:
    """The store keeps an argon2 hash; only the right password signs in."""
    accounts.add_user(store, "ana", "analyst", "long enough secret")
    stored = store.scalar("SELECT password_hash FROM users WHERE name = 'ana'")
    assert stored.startswith("$argon2id$") and "long enough secret" not in stored
    assert accounts.verify_password(store, "ana", "long enough secret") == accounts.User("ana", "analyst")
    assert accounts.verify_password(store, "ana", "wrong secret!!") is None
    assert accounts.verify_password(store, "bob", "long enough secret") is None


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("ana", "boss", "long enough secret", "valid roles are analyst, reviewer, admin"),
        ("ana", "analyst", "short", "at least 10 characters"),
        ("<b>", "analyst", "long enough secret", "user '<b>'"),
    ],
)
def test_bad_users_are_refused(store: Store, name: str, role: str, password: str, message: str) -> None:
    """A bad role, short password or odd name is a one-line ConfigError."""
    with pytest.raises(ConfigError, match=message):
        accounts.add_user(store, name, role, password)


def test_sessions_end_on_logout_and_password_change(store: Store) -> None:
    """A session token opens its session until it ends or the password changes."""
    user = accounts.add_user(store, "ana", "analyst", "long enough secret")
    token = accounts.start_session(store, user)
    assert accounts.find_session(store, token) is not None
    assert store.scalar("SELECT count(*) FROM sessions WHERE token_hash = ?", [token]) == 0  # only its hash
    accounts.add_user(store, "ana", "reviewer", "another long secret")
    assert accounts.find_session(store, token) is None
    token = accounts.start_session(store, user)
    accounts.end_session(store, token)
    assert accounts.find_session(store, token) is None


@pytest.mark.parametrize(("presented", "ok"), [("{key}", True), ("{key}x", False), ("sk_x_y", False), ("", False)])
def test_api_keys(store: Store, presented: str, ok: bool) -> None:
    """A key matches only itself, and no longer once revoked."""
    key = accounts.add_key(store, "onboarding")
    assert accounts.key_matches(accounts.live_keys(store), presented.format(key=key)) is ok
    assert accounts.revoke_key(store, "onboarding") == 1
    assert not accounts.key_matches(accounts.live_keys(store), key)

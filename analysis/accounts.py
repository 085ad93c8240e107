"""Accounts and roles of the app: who may sign in, and what each role may do.

The roles and their permissions, the pages each permission opens, how long
a session lasts and how failed logins are slowed down are one table,
``analysis/access.json`` (:func:`access_policy`).  Accounts live in the app
database (:mod:`ingest.appdb`), so every office sharing one PostgreSQL server
shares them too.  Passwords are stored only as Argon2id hashes (argon2-cffi);
a new or reset account gets a one-time password that must be replaced at
the first login.

>>> store = AccountStore("data/app.db")                    # doctest: +SKIP
>>> user, password = store.create_user("tim.cikajang", "tim_lapangan", team="Tim Cikajang")  # doctest: +SKIP
>>> store.authenticate("tim.cikajang", password).must_change   # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import string
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from core.errors import AccessError
from ingest.appdb import AppDatabase, app_database, text, utc_now_text

POLICY_PATH = Path(__file__).with_name("access.json")
#: What a user name may look like: letters, digits and ``. _ -``, starting with a letter or digit.
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")
#: Longest password accepted (a longer one is refused before hashing: bounded work per attempt).
MAX_PASSWORD_CHARS = 256
MAX_TEAM_CHARS = 100
#: The account made when the database has none.
FIRST_ADMIN = "admin"
#: The single user of the local mode (``PETA_AUTH=off``).
LOCAL_USER = "lokal"

_HASHER = PasswordHasher()
_ONE_TIME_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


@dataclass(frozen=True)
class AccessPolicy:
    """``analysis/access.json``: roles, page permissions, session and lockout limits."""

    roles: dict[str, frozenset[str]]
    team_roles: frozenset[str]
    pages: dict[str, str]
    idle_seconds: float
    max_session_seconds: float
    free_failures: int
    base_wait_seconds: float
    max_wait_seconds: float
    min_password_chars: int
    one_time_chars: int

    def wait_after(self, failures: int) -> float:
        """Seconds a further attempt must wait after ``failures`` wrong passwords in a row."""
        if failures < self.free_failures:
            return 0.0
        return min(self.max_wait_seconds, self.base_wait_seconds * 2 ** (failures - self.free_failures))


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when a user name is unknown, so an attempt costs the same whether or not it exists."""
    return _HASHER.hash(secrets.token_hex(16))


@lru_cache(maxsize=1)
def access_policy() -> AccessPolicy:
    """The access table (``analysis/access.json``), read once."""
    data = json.loads(POLICY_PATH.read_text(encoding="utf-8"))
    return AccessPolicy(
        roles={role: frozenset(perms) for role, perms in data["roles"].items()},
        team_roles=frozenset(data["team_roles"]),
        pages=dict(data["pages"]),
        idle_seconds=60.0 * data["session"]["idle_minutes"],
        max_session_seconds=3600.0 * data["session"]["max_hours"],
        free_failures=int(data["lockout"]["free_failures"]),
        base_wait_seconds=float(data["lockout"]["base_seconds"]),
        max_wait_seconds=float(data["lockout"]["max_seconds"]),
        min_password_chars=int(data["password"]["min_chars"]),
        one_time_chars=int(data["password"]["one_time_chars"]),
    )


ROLES: tuple[str, ...] = tuple(access_policy().roles)


@dataclass(frozen=True)
class User:
    """A signed-in user (never holds the password or its hash).

    Attributes
    ----------
    username : str
    role : str
        One of :data:`ROLES`.
    team : str
        The field team a ``tim_lapangan`` user records for ('' for other roles).
    must_change : bool
        The password is a one-time password: it must be replaced before anything else.
    session_version : int
        Raised by a password change or reset: older sessions end.
    local : bool
        The single user of the local mode (``PETA_AUTH=off``).
    """

    username: str
    role: str
    team: str = ""
    must_change: bool = False
    session_version: int = 1
    local: bool = False

    @property
    def permissions(self) -> frozenset[str]:
        """What this user may do (the local user: everything)."""
        policy = access_policy()
        if self.local:
            return frozenset().union(*policy.roles.values()) | {"record_visit"}
        return policy.roles.get(self.role, frozenset())

    def can(self, permission: str) -> bool:
        """Whether the role holds ``permission``."""
        return permission in self.permissions

    def may_open(self, page: str) -> bool:
        """Whether the page at url path ``page`` is open to this user (unknown pages: never)."""
        needed = access_policy().pages.get(page)
        return needed is not None and self.can(needed)

    def require(self, permission: str, team: str | None = None) -> None:
        """Refuse what the role does not allow, and (team roles) recording for another team.

        Raises
        ------
        AccessError
            ``access.denied`` or ``access.other_team``.
        """
        if not self.can(permission):
            raise AccessError("access.denied", user=self.username, role=self.role, permission=permission)
        if (team is not None and not self.local and self.role in access_policy().team_roles
                and team.strip().casefold() != self.team.strip().casefold()):
            raise AccessError("access.other_team", user=self.username, team=self.team, asked=team)


def local_user() -> User:
    """The one user of the local mode: every permission, any team."""
    return User(LOCAL_USER, "admin", local=True)


def normalise_username(value: object) -> str:
    """A user name as stored: trimmed and lower case."""
    return str(value or "").strip().casefold()


def check_username(value: object) -> str:
    """The user name, normalised, or :class:`AccessError` ``users.bad_username``."""
    name = normalise_username(value)
    if not USERNAME_PATTERN.fullmatch(name):
        raise AccessError("users.bad_username", username=repr(name[:40]))
    return name


def check_role(role: object, team: object = "") -> tuple[str, str]:
    """``(role, team)`` checked: a known role; a team (only) for team roles."""
    role = str(role or "").strip()
    if role not in access_policy().roles:
        raise AccessError("users.bad_role", role=repr(role[:40]), choices=", ".join(ROLES))
    team = str(team or "").strip()
    if role in access_policy().team_roles:
        if not team:
            raise AccessError("users.team_needed", role=role)
        if len(team) > MAX_TEAM_CHARS:
            raise AccessError("users.team_too_long", chars=len(team), limit=MAX_TEAM_CHARS)
        return role, team
    return role, ""


def check_password(password: object, username: str) -> str:
    """A new password, or :class:`AccessError` saying which rule it breaks (never echoing it)."""
    policy = access_policy()
    if not isinstance(password, str) or len(password) < policy.min_password_chars:
        raise AccessError("users.password_short", chars=policy.min_password_chars)
    if len(password) > MAX_PASSWORD_CHARS:
        raise AccessError("users.password_long", chars=MAX_PASSWORD_CHARS)
    if username and username in password.casefold():
        raise AccessError("users.password_has_name")
    return password


def one_time_password() -> str:
    """A random password to hand over once (letters and digits that cannot be misread)."""
    return "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(access_policy().one_time_chars))


def _failure_key(username: object) -> str:
    """How a name's failed attempts are filed: hashed, since a name typed at the login may be a password."""
    return _token_hash("login:" + normalise_username(username)[:64])


def _token_hash(token: str) -> str:
    """What is stored of a session token: its SHA-256 (a stolen table opens no session)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AccountStore:
    """The accounts in the app database.

    Parameters
    ----------
    path : path-like, str or AppDatabase
        The app database (``analysis.config.load_config().database``).
    """

    def __init__(self, path: str | os.PathLike[str] | AppDatabase) -> None:
        self.db = app_database(path)

    # -- accounts ---------------------------------------------------------------------------------

    def exists(self, username: object) -> bool:
        """Whether an account of that name exists (active or not)."""
        with self.db.read() as conn:
            return conn.execute(text("SELECT 1 FROM users WHERE username = :u"),
                                {"u": normalise_username(username)}).first() is not None

    def count(self) -> int:
        """How many accounts exist (active or not)."""
        with self.db.read() as conn:
            return int(conn.execute(text("SELECT count(*) FROM users")).scalar_one())

    def create_user(self, username: object, role: object, team: object = "") -> tuple[User, str]:
        """Add an account; return it and its one-time password (shown once, never stored).

        Raises
        ------
        AccessError
            ``users.bad_username``, ``users.bad_role``, ``users.team_needed`` or ``users.exists``.
        """
        name = check_username(username)
        role, team = check_role(role, team)
        password = one_time_password()
        now = utc_now_text()
        with self.db.write() as conn:
            if conn.execute(text("SELECT 1 FROM users WHERE username = :u"), {"u": name}).first():
                raise AccessError("users.exists", username=name)
            conn.execute(text("INSERT INTO users (username, role, team, password_hash, must_change, active, "
                              "session_version, created_at, updated_at) VALUES (:u, :r, :t, :h, 1, 1, 1, :now, :now)"),
                         {"u": name, "r": role, "t": team, "h": _HASHER.hash(password), "now": now})
        return User(name, role, team, must_change=True), password

    def ensure_first_admin(self) -> str | None:
        """Make the ``admin`` account when there is no account at all; its one-time password, else None.

        Safe when several processes start at once: only one of them makes it.
        """
        password = one_time_password()
        now = utc_now_text()
        with self.db.write() as conn:
            if conn.execute(text("SELECT count(*) FROM users")).scalar_one():
                return None
            conn.execute(text("INSERT INTO users (username, role, team, password_hash, must_change, active, "
                              "session_version, created_at, updated_at) VALUES (:u, 'admin', '', :h, 1, 1, 1, :now, "
                              ":now) ON CONFLICT (username) DO NOTHING"),
                         {"u": FIRST_ADMIN, "h": _HASHER.hash(password), "now": now})
        return password

    def users(self) -> pd.DataFrame:
        """Every account: ``username, role, team, active, must_change, created_at, updated_at`` (no hashes)."""
        with self.db.read() as conn:
            rows = conn.execute(text("SELECT username, role, team, active, must_change, created_at, updated_at "
                                     "FROM users ORDER BY username")).all()
        frame = pd.DataFrame(rows, columns=["username", "role", "team", "active", "must_change", "created_at",
                                            "updated_at"])
        return frame.astype({"active": bool, "must_change": bool})

    def current(self, username: str, session_version: int) -> User | None:
        """The account behind a session, or None when it was disabled or its password changed since."""
        with self.db.read() as conn:
            row = conn.execute(text("SELECT role, team, must_change, session_version FROM users "
                                    "WHERE username = :u AND active = 1"), {"u": username}).first()
        if row is None or int(row[3]) != int(session_version):
            return None
        return User(username, row[0], row[1], bool(row[2]), int(row[3]))

    def set_role(self, username: str, role: object, team: object = "") -> User:
        """Give an account another role (and team); its sessions end."""
        role, team = check_role(role, team)
        self._update(username, "role = :r, team = :t, session_version = session_version + 1", {"r": role, "t": team})
        return self._user(username)

    def set_active(self, username: str, active: bool) -> None:
        """Enable or disable an account (a disabled account cannot sign in; its sessions end)."""
        self._update(username, "active = :a, session_version = session_version + 1", {"a": int(bool(active))})

    def reset_password(self, username: str) -> str:
        """A new one-time password for an account (to replace at its next login); its sessions end."""
        password = one_time_password()
        self._update(username, "password_hash = :h, must_change = 1, session_version = session_version + 1",
                     {"h": _HASHER.hash(password)})
        self.clear_failures(username)
        return password

    def change_password(self, username: str, current: str, new: object) -> User:
        """Replace a password after checking the current one; the new session version is returned in the user.

        Raises
        ------
        AccessError
            ``auth.bad_login`` for a wrong current password, ``users.password_*`` for a weak new one,
            ``users.password_same`` when it equals the current one.
        """
        user = self.authenticate(username, current)
        password = check_password(new, user.username)
        if password == current:
            raise AccessError("users.password_same")
        self._update(user.username, "password_hash = :h, must_change = 0, session_version = session_version + 1",
                     {"h": _HASHER.hash(password)})
        return self._user(user.username)

    def _update(self, username: str, assignments: str, params: dict) -> None:
        with self.db.write() as conn:
            done = conn.execute(text(f"UPDATE users SET {assignments}, updated_at = :now WHERE username = :u"),
                                {**params, "u": normalise_username(username), "now": utc_now_text()}).rowcount
        if not done:
            raise AccessError("users.unknown", username=normalise_username(username))

    def _user(self, username: str) -> User:
        with self.db.read() as conn:
            row = conn.execute(text("SELECT role, team, must_change, session_version FROM users WHERE username = :u"),
                               {"u": normalise_username(username)}).first()
        if row is None:
            raise AccessError("users.unknown", username=normalise_username(username))
        return User(normalise_username(username), row[0], row[1], bool(row[2]), int(row[3]))

    # -- sessions ---------------------------------------------------------------------------------

    def open_session(self, user: User, now: float | None = None) -> str:
        """A new session for a signed-in user; its token (kept by the browser; only its hash is stored)."""
        now = time.time() if now is None else now
        token = secrets.token_urlsafe(32)
        policy = access_policy()
        with self.db.write() as conn:
            conn.execute(text("DELETE FROM sessions WHERE last_seen < :idle OR created_at < :old"),
                         {"idle": now - policy.idle_seconds, "old": now - policy.max_session_seconds})
            conn.execute(text("INSERT INTO sessions (token_hash, username, session_version, created_at, last_seen) "
                              "VALUES (:h, :u, :v, :now, :now)"),
                         {"h": _token_hash(token), "u": user.username, "v": user.session_version, "now": now})
        return token

    def resume_session(self, token: object, now: float | None = None) -> User | None:
        """The user of a session token while the session is valid, else None (and the session is ended).

        A session ends after :attr:`AccessPolicy.idle_seconds` without a request,
        :attr:`AccessPolicy.max_session_seconds` after the sign-in, or when the
        account was disabled or changed since (its session version moved on).
        Use is recorded at most once a minute (a write per click is not needed).
        """
        if not isinstance(token, str) or not 20 <= len(token) <= 100:
            return None
        now = time.time() if now is None else now
        key = _token_hash(token)
        with self.db.read() as conn:
            row = conn.execute(text("SELECT username, session_version, created_at, last_seen FROM sessions "
                                    "WHERE token_hash = :h"), {"h": key}).first()
        if row is None:
            return None
        policy = access_policy()
        user = self.current(row[0], int(row[1]))
        if user is None or now - row[3] > policy.idle_seconds or now - row[2] > policy.max_session_seconds:
            self.close_session(token)
            return None
        if now - row[3] > 60:
            with self.db.write() as conn:
                conn.execute(text("UPDATE sessions SET last_seen = :now WHERE token_hash = :h"), {"now": now, "h": key})
        return user

    def close_session(self, token: object) -> None:
        """End a session (sign-out)."""
        if isinstance(token, str):
            with self.db.write() as conn:
                conn.execute(text("DELETE FROM sessions WHERE token_hash = :h"), {"h": _token_hash(token)})

    # -- logins -----------------------------------------------------------------------------------

    def authenticate(self, username: object, password: object, now: float | None = None) -> User:
        """The user, when the password is right and the name is not waiting out failed attempts.

        Every refusal says the same for an unknown name, a disabled account and
        a wrong password (``auth.bad_login``), so a guesser learns nothing; after
        :attr:`AccessPolicy.free_failures` failures in a row each further attempt
        must wait (``auth.wait``, doubled per failure) and is refused unchecked until then.

        Raises
        ------
        AccessError
            ``auth.bad_login`` or ``auth.wait``.
        """
        now = time.time() if now is None else now
        name = normalise_username(username)[:64]
        wait = self.wait_seconds(name, now)
        if wait > 0:
            raise AccessError("auth.wait", seconds=int(wait) + 1)
        if not isinstance(password, str) or not password or len(password) > MAX_PASSWORD_CHARS:
            self._failed(name, now)
            raise AccessError("auth.bad_login")
        with self.db.read() as conn:
            row = conn.execute(text("SELECT password_hash, role, team, must_change, session_version FROM users "
                                    "WHERE username = :u AND active = 1"), {"u": name}).first()
        try:
            _HASHER.verify(row[0] if row else _dummy_hash(), password)
            ok = row is not None
        except (VerificationError, InvalidHashError):
            ok = False
        if not ok:
            self._failed(name, now)
            raise AccessError("auth.bad_login")
        self.clear_failures(name)
        if _HASHER.check_needs_rehash(row[0]):
            self._update(name, "password_hash = :h", {"h": _HASHER.hash(password)})
        return User(name, row[1], row[2], bool(row[3]), int(row[4]))

    def wait_seconds(self, username: str, now: float | None = None) -> float:
        """How long the next attempt for ``username`` must still wait (0: it may try now)."""
        now = time.time() if now is None else now
        with self.db.read() as conn:
            row = conn.execute(text("SELECT failures, last_failure FROM login_failures WHERE username = :u"),
                               {"u": _failure_key(username)}).first()
        if row is None:
            return 0.0
        return max(0.0, float(row[1]) + access_policy().wait_after(int(row[0])) - now)

    def failures(self, username: str) -> int:
        """Wrong passwords in a row for ``username`` since its last good login."""
        with self.db.read() as conn:
            value = conn.execute(text("SELECT failures FROM login_failures WHERE username = :u"),
                                 {"u": _failure_key(username)}).scalar()
        return int(value or 0)

    def _failed(self, name: str, now: float) -> None:
        """Count a failure; counters idle for a day are dropped, so guessed names cannot fill the table."""
        with self.db.write() as conn:
            conn.execute(text("DELETE FROM login_failures WHERE last_failure < :old"), {"old": now - 86_400})
            conn.execute(text("INSERT INTO login_failures (username, failures, last_failure) VALUES (:u, 1, :now) "
                              "ON CONFLICT (username) DO UPDATE SET failures = login_failures.failures + 1, "
                              "last_failure = excluded.last_failure"), {"u": _failure_key(name), "now": now})

    def clear_failures(self, username: str) -> None:
        """Forget the failed attempts of a name (after a good login or a reset by an admin)."""
        with self.db.write() as conn:
            conn.execute(text("DELETE FROM login_failures WHERE username = :u"), {"u": _failure_key(username)})

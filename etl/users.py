"""Who may sign in and what they may do: a TOML file of users with roles and argon2 password hashes."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from etl.pipeline import ROOT

ROLES = ("viewer", "reviewer", "admin")
CAN_REVIEW = ("reviewer", "admin")
MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class User:
    """A signed-in person and the role that says what they may change."""

    name: str
    role: str

    @property
    def can_review(self) -> bool:
        return self.role in CAN_REVIEW


class UserError(ValueError):
    """A user that cannot be added or a users file that cannot be read; the message says why."""


def users_path() -> Path:
    """The users file: $KPI_USERS, else data/users.toml."""
    return Path(os.environ.get("KPI_USERS") or ROOT / "data" / "users.toml")


def first_admin_hint(path: Path | None = None) -> str:
    """What to run to create the first admin, for the app and the server log."""
    env = f"KPI_USERS={path} " if path and path != ROOT / "data" / "users.toml" else ""
    return f"No users yet. Create the first admin with: {env}python -m etl users add YOUR_NAME --role admin"


def load_users(path: Path | None = None) -> dict[str, dict[str, str]]:
    """Every user by name with role and password hash; empty when the file does not exist."""
    path = path or users_path()
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{path}: not valid TOML ({exc})") from exc
    users = data.get("users", {})
    for name, entry in users.items():
        if entry.get("role") not in ROLES or not str(entry.get("password_hash", "")).startswith("$argon2"):
            raise UserError(f"{path}: user {name!r} needs a role ({', '.join(ROLES)}) and an argon2 password_hash")
    return users


def add_user(name: str, role: str, password: str, path: Path | None = None) -> User:
    """Add a user, or replace the role and password of an existing one; the file keeps only the hash."""
    path = path or users_path()
    if not _NAME.match(name):
        raise UserError(f"{name!r}: a user name is letters, digits and . _ @ - (at most 64)")
    if role not in ROLES:
        raise UserError(f"{role!r}: the role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must be at least {MIN_PASSWORD} characters")
    users = load_users(path)
    users[name] = {"role": role, "password_hash": _HASHER.hash(password)}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        tomli_w.dump({"users": users}, f)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return User(name, role)


def authenticate(name: str, password: str, path: Path | None = None) -> User | None:
    """The user when the name and password match, else None (the same answer for an unknown name)."""
    entry = load_users(path).get(name.strip())
    if entry is None:
        _HASHER.hash(password)  # spend the same time as a real check, so names cannot be probed
        return None
    try:
        _HASHER.verify(entry["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    return User(name.strip(), entry["role"])

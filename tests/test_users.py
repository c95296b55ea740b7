"""Users: a TOML file of names, roles and argon2 hashes; `python -m etl users add` creates them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from etl import cli, users


@pytest.fixture
def users_file(tmp_path: Path) -> Path:
    path = tmp_path / "users.toml"
    users.add_user("alice", "reviewer", "correct horse", path)
    return path


def test_added_user_signs_in_with_their_password_and_role(users_file: Path) -> None:
    assert users.authenticate("alice", "correct horse", users_file) == users.User("alice", "reviewer")
    assert users.authenticate("alice", "correct horse", users_file).can_review


def test_wrong_password_or_unknown_name_does_not_sign_in(users_file: Path) -> None:
    assert users.authenticate("alice", "wrong horse", users_file) is None
    assert users.authenticate("mallory", "correct horse", users_file) is None


def test_file_keeps_an_argon2_hash_never_the_password(users_file: Path) -> None:
    text = users_file.read_text()
    assert "correct horse" not in text
    assert 'password_hash = "$argon2id$' in text
    assert users_file.stat().st_mode & 0o077 == 0


def test_viewer_cannot_review(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    users.add_user("vic", "viewer", "long enough", path)
    assert not users.authenticate("vic", "long enough", path).can_review


@pytest.mark.parametrize(("name", "role", "password", "why"), [
    ("bob", "boss", "long enough", "role must be one of"),
    ("bob", "reviewer", "short", "at least 8"),
    ("bob smith", "reviewer", "long enough", "user name"),
])
def test_bad_user_is_refused_with_reason(tmp_path: Path, name: str, role: str, password: str, why: str) -> None:
    with pytest.raises(users.UserError, match=why):
        users.add_user(name, role, password, tmp_path / "users.toml")


def test_plain_text_password_in_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    path.write_text('[users.eve]\nrole = "admin"\npassword = "secret"\n')
    with pytest.raises(users.UserError, match="argon2"):
        users.load_users(path)


def test_cli_users_add_reads_password_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "users.toml"
    monkeypatch.setattr("sys.stdin", io.StringIO("s3cret-pass\n"))
    assert cli.main(["users", "add", "carol", "--role", "admin", "--password-stdin", "--users", str(path)]) == 0
    assert "carol can now sign in as admin" in capsys.readouterr().out
    assert users.authenticate("carol", "s3cret-pass", path).role == "admin"


def test_first_admin_hint_names_the_command() -> None:
    assert "python -m etl users add YOUR_NAME --role admin" in users.first_admin_hint()

"""Settings: the generated secret key, the cost of password hashes."""

import stat
from concurrent.futures import ProcessPoolExecutor

import pytest
from argon2 import Type, extract_parameters

from praxis import passwords
from praxis.config import Settings
from tests.factories import CHEAP_PASSWORDS, PASSWORD


def _key(data_dir: str) -> str:
    return Settings(data_dir=data_dir).resolved_secret_key()


def test_workers_starting_together_share_one_private_key(tmp_path):
    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = list(pool.map(_key, [str(tmp_path)] * 16))
    assert len(set(keys)) == 1 and len(keys[0]) >= 32
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temp files left


def test_a_configured_key_wins(tmp_path):
    assert Settings(data_dir=tmp_path, secret_key="configured").resolved_secret_key() == "configured"
    assert not (tmp_path / "secret_key").exists()


def test_a_site_hashes_passwords_with_argon2id_at_no_less_than_owasps_cost(tmp_path, monkeypatch):
    for name in CHEAP_PASSWORDS:
        monkeypatch.delenv(f"PRAXIS_{name.upper()}", raising=False)
    stored = extract_parameters(passwords.hasher(Settings(data_dir=tmp_path)).hash(PASSWORD))
    # OWASP's Password Storage Cheat Sheet: argon2id, 19 MiB of memory, 2 passes, 1 lane at least.
    assert stored.type is Type.ID
    assert stored.memory_cost >= 19 * 1024 and stored.time_cost >= 2 and stored.parallelism >= 1


def test_a_password_cost_argon2_cannot_use_is_refused_at_start(tmp_path):
    with pytest.raises(ValueError, match="PRAXIS_PASSWORD_MEMORY_COST must be at least 8 KiB per lane"):
        Settings(data_dir=tmp_path, password_memory_cost=16, password_parallelism=4)

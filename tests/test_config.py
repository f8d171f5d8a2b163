"""Settings: the generated secret key."""

import stat
from concurrent.futures import ProcessPoolExecutor

from praxis.config import Settings


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

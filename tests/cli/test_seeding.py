"""An empty site is seeded with the sample site shipped with Praxis, wherever `praxis serve` is
started from; a folder to seed from that does not exist is said, not passed over in silence."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import sqlalchemy as sa

from praxis.cli import prepare_site
from praxis.config import Settings
from praxis.db import make_engine

CHECKOUT = Path(__file__).resolve().parents[2]
CONTENT = CHECKOUT / "content"
NOTES = len([p for p in CONTENT.rglob("*.md") if p.parent.name not in ("carnets", "bases")])


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A folder outside the checkout, with no content/ of its own, as the current folder."""
    folder = tmp_path / "ailleurs"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("PRAXIS_CONTENT_DIR", raising=False)
    return folder


def _notes(settings: Settings) -> int:
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM note")).scalar_one()
    finally:
        engine.dispose()


def test_a_site_started_outside_the_checkout_is_seeded_with_the_sample_site(elsewhere, unmigrated_database_url, capsys):
    settings = Settings(data_dir=elsewhere / "data", database_url=unmigrated_database_url, secret_key="seed")
    report = prepare_site(settings)
    assert report is not None and report.created == NOTES
    assert _notes(settings) == NOTES
    assert "Warning" not in capsys.readouterr().err


def test_a_seeding_stopped_halfway_leaves_an_empty_site_that_the_next_start_seeds(
    elsewhere, unmigrated_database_url, monkeypatch
):
    from praxis.notes import links

    settings = Settings(data_dir=elsewhere / "data", database_url=unmigrated_database_url, secret_key="seed")

    def killed(**_kwargs) -> None:
        raise KeyboardInterrupt  # the process stopped once the notes were written, before their linking

    with monkeypatch.context() as patched:
        patched.setattr(links, "link_new_notes", killed)
        with pytest.raises(KeyboardInterrupt):
            prepare_site(settings)
    assert _notes(settings) == 0  # nothing half-seeded (notes without text, carnets missing) is kept
    report = prepare_site(settings)
    assert report is not None and report.created == NOTES and _notes(settings) == NOTES


def test_a_folder_to_seed_from_that_does_not_exist_is_said(elsewhere, unmigrated_database_url, capsys, monkeypatch):
    monkeypatch.setenv("PRAXIS_CONTENT_DIR", "contenu")  # relative to where it starts, where there is none
    settings = Settings(data_dir=elsewhere / "data", database_url=unmigrated_database_url, secret_key="seed")
    assert prepare_site(settings) is None
    said = capsys.readouterr().err
    assert f"the site is empty and {elsewhere / 'contenu'} does not exist: nothing was imported" in said
    assert "PRAXIS_CONTENT_DIR" in said
    assert _notes(settings) == 0
    # A site that holds notes already says nothing of it.
    (elsewhere / "contenu").mkdir()
    (elsewhere / "contenu" / "note.md").write_text(
        "---\ntitle: Une note\nkind: note\nauthors: [Alice Rivard]\npublished: 2024-01-01\nupdated: 2024-01-01\n"
        "visibility: public\nlicence: CC0-1.0\n---\nDu texte.\n",
        encoding="utf-8",
    )
    assert prepare_site(settings).created == 1  # type: ignore[union-attr]
    (elsewhere / "contenu" / "note.md").unlink()
    (elsewhere / "contenu").rmdir()
    assert prepare_site(settings) is None and capsys.readouterr().err == ""


def test_a_wheel_carries_every_folder_of_the_sample_site():
    """pyproject's data-files name each folder of content/: a wheel installs the whole sample site
    under share/praxis/content, where `sample_content_dir` finds it."""
    declared = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "data-files"
    ]
    shipped = {
        CHECKOUT / source: target
        for target, sources in declared.items()
        for pattern in sources
        for source in CHECKOUT.glob(pattern)
    }
    for file in CONTENT.rglob("*"):
        if file.is_file():
            assert file in shipped, f"{file.relative_to(CHECKOUT)} is not in pyproject's data-files"
            assert shipped[file] == "share/praxis/" + str(file.parent.relative_to(CHECKOUT))

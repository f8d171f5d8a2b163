"""The `praxis` command, through typer's runner, against a fresh site."""

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from praxis.cli import app
from tests.factories import CHEAP_PASSWORDS

CONTENT = Path(__file__).resolve().parents[2] / "content"
runner = CliRunner()


@pytest.fixture
def site(tmp_path, monkeypatch, unmigrated_database_url):
    """Environment of a fresh site: its data dir, and its database when on PostgreSQL."""
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PRAXIS_SECRET_KEY", "cli-test-secret")
    monkeypatch.setenv("PRAXIS_CONTENT_DIR", str(tmp_path / "content"))
    if unmigrated_database_url:
        monkeypatch.setenv("PRAXIS_DATABASE_URL", unmigrated_database_url)
    else:
        monkeypatch.delenv("PRAXIS_DATABASE_URL", raising=False)
    monkeypatch.delenv("PRAXIS_PASSWORD", raising=False)
    for name, value in CHEAP_PASSWORDS.items():
        monkeypatch.setenv(f"PRAXIS_{name.upper()}", str(value))
    return tmp_path


def run(*args, **kwargs):
    return runner.invoke(app, list(args), catch_exceptions=False, **kwargs)


def test_db_upgrade_and_current(site):
    before = run("db", "current")
    assert before.exit_code == 0 and before.stdout.startswith("empty")
    up = run("db", "upgrade")
    assert up.exit_code == 0 and "(head)" in up.stdout
    now = run("db", "current")
    assert now.exit_code == 0 and now.stdout.strip().endswith("(head)") and not now.stdout.startswith("empty")


def test_sqlite_is_in_wal_mode_with_foreign_keys(tmp_path, monkeypatch):
    import sqlite3

    from praxis.config import Settings
    from praxis.db import make_engine

    site = tmp_path
    monkeypatch.setenv("PRAXIS_DATA_DIR", str(site / "data"))
    monkeypatch.delenv("PRAXIS_DATABASE_URL", raising=False)
    run("db", "upgrade")
    assert sqlite3.connect(site / "data" / "praxis.db").execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with make_engine(Settings()).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_user_create_reads_the_password_from_the_environment(site, monkeypatch):
    monkeypatch.setenv("PRAXIS_PASSWORD", "un-mot-de-passe")
    result = run("user", "create", "alice", "--admin", "--email", "alice@example.org", "--name", "Alice Rivard")
    assert result.exit_code == 0 and "administrator alice" in result.stdout
    again = run("user", "create", "alice")
    assert again.exit_code == 1 and again.stderr.strip() == "Error: The username 'alice' is taken."


def test_user_create_prompts_twice(site, monkeypatch):
    answers = iter(["premier-essai", "second-essai"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    result = run("user", "create", "bob")
    assert result.exit_code == 1 and "do not match" in result.stderr


def test_user_create_refuses_bad_input_in_one_line(site, monkeypatch):
    monkeypatch.setenv("PRAXIS_PASSWORD", "court")
    result = run("user", "create", "Pas Valide!")
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_import_then_export_round_trip(site):
    shutil.copytree(CONTENT, site / "content")
    first = run("import", str(site / "content"))
    assert first.exit_code == 0 and first.stdout.startswith(
        f"{len([p for p in CONTENT.rglob('*.md') if p.parent.name not in ('carnets', 'bases')])} created"
    )
    second = run("import", str(site / "content"))
    assert second.exit_code == 0 and second.stdout.startswith("0 created, 0 updated")
    out = site / "export"
    exported = run("export", str(out))
    assert exported.exit_code == 0 and len(list(out.rglob("*.md"))) == len(list(CONTENT.rglob("*.md")))
    assert (out / "lexique").is_dir() and (out / "organisations").is_dir() and (out / "notes").is_dir()


def test_an_import_leaves_the_planner_statistics_of_what_it_wrote(site, unmigrated_database_url):
    """SQLite's ANALYZE tables, or PostgreSQL's VACUUM (ANALYZE) of every table, so that the
    first readers after a large import neither wait for autovacuum nor get plans made for an
    empty site."""
    from praxis.config import Settings
    from praxis.db import make_engine
    from praxis.search.postgres_index import DOCS

    shutil.copytree(CONTENT, site / "content")
    assert run("import", str(site / "content")).exit_code == 0
    engine = make_engine(Settings())
    with engine.connect() as conn:
        if unmigrated_database_url:
            rows = dict(
                conn.exec_driver_sql(
                    "SELECT relname, last_vacuum IS NOT NULL AND last_analyze IS NOT NULL FROM pg_stat_user_tables "
                    "WHERE relname IN ('note', 'note_link', 'revision', %s)",
                    (DOCS.split(".")[1],),
                ).all()
            )
            assert rows == {"note": True, "note_link": True, "revision": True, DOCS.split(".")[1]: True}
        else:
            analysed = {r[0] for r in conn.exec_driver_sql("SELECT tbl FROM sqlite_stat1")}
            assert {"note", "note_link", "revision"} <= analysed
    engine.dispose()


def test_import_of_a_missing_or_bad_path_fails_in_one_line(site, tmp_path):
    missing = run("import", str(tmp_path / "absent"))
    assert missing.exit_code == 1 and "no such file or folder" in missing.stderr
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: [oups\n---\n", encoding="utf-8")
    result = run("import", str(bad))
    assert result.exit_code == 1 and "not valid YAML" in result.stderr and "Traceback" not in result.output


def test_unreachable_database_is_one_line(site, monkeypatch):
    monkeypatch.setenv("PRAXIS_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:1/nulle")
    result = run("db", "current")
    assert result.exit_code == 1 and result.stderr.startswith("Error: cannot reach the database")


def test_bad_setting_is_one_line(site, monkeypatch):
    monkeypatch.setenv("PRAXIS_LANGUAGE", "de")
    result = run("db", "current")
    assert result.exit_code == 1 and "language" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_export_refuses_a_folder_that_already_holds_files(site):
    run("db", "upgrade")
    out = site / "old-export"
    out.mkdir()
    (out / "stale.md").write_text("---\ntitle: Vieille\n---\n", encoding="utf-8")
    result = run("export", str(out))
    assert result.exit_code == 1 and "not an empty folder" in result.stderr


def test_a_dry_run_of_a_vault_lists_every_problem_and_a_real_run_with_an_author_imports_it(site, tmp_path):
    vault = tmp_path / "Coffre"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "Accueil.md").write_text("Voir [[Suite]] et [[Nulle part]].\n", encoding="utf-8")
    (vault / "Suite.md").write_text("La suite.\n", encoding="utf-8")
    dry = run("import", str(vault), "--dry-run")
    assert dry.exit_code == 1 and "Traceback" not in dry.output
    assert f"{vault}/Accueil.md: no author" in dry.stderr and f"{vault}/Suite.md: no author" in dry.stderr
    assert "nothing was written" in dry.stderr
    assert run("export", str(tmp_path / "vide")).stdout.startswith("Exported 0 notes")
    ok = run("import", str(vault), "--author", "Aline Poirier", "--dry-run")
    assert ok.exit_code == 0 and "Dry run (obsidian): 2 file(s) can be imported" in ok.stdout
    real = run("import", str(vault), "--author", "Aline Poirier")
    assert real.exit_code == 0 and real.stdout.splitlines()[-1].startswith("2 created")
    assert "Skipped 1 hidden file(s) or folder(s): .obsidian/" in real.stdout
    assert "[[Nulle part]] leads to no note or file of the import" in real.stderr


def test_a_mediawiki_export_imports_with_its_history_once(site, tmp_path):
    from tests.transfer.mediawiki_exports import export, page, revision, user

    wiki = tmp_path / "wiki.xml"
    wiki.write_text(
        export(
            page(
                "Accueil",
                0,
                1,
                revision(1, "2020-01-01T09:00:00Z", "Premier jet.", contributor=user("Alice", 2)),
                revision(2, "2020-02-01T09:00:00Z", "Voir [[Modèle:Boîte]] {{Boîte}}.", contributor=user("Bob", 3)),
            ),
            page("Modèle:Boîte", 10, 2, revision(3, "2020-01-01T09:00:00Z", "Boîte.")),
        ),
        encoding="utf-8",
    )
    dry = run("import", str(wiki), "--dry-run")
    assert dry.exit_code == 0 and "Dry run (mediawiki): 2 page(s) read" in dry.stdout
    assert "template {{Boîte}} kept as written" in dry.stderr and "1 page(s) of namespace 10" in dry.stderr
    assert run("export", str(tmp_path / "vide")).stdout.startswith("Exported 0 notes")
    real = run("import", str(wiki))
    assert real.exit_code == 0 and real.stdout.splitlines()[-1].startswith("1 created, 0 updated")
    again = run("import", str(wiki))
    assert again.exit_code == 0 and again.stdout.splitlines()[-1].startswith("0 created, 0 updated, 1 unchanged")
    broken = tmp_path / "cassé.xml"
    broken.write_text('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/"><page><title>A</title>', "utf-8")
    result = run("import", str(broken))
    assert result.exit_code == 1 and "not well-formed XML" in result.stderr and "Traceback" not in result.output


def test_import_of_a_vault_files_its_notes_in_a_carnet_and_says_what_came_along(site, tmp_path):
    vault = tmp_path / "Coffre"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "Accueil.md").write_text("Voir ![[notes.txt]] et [[Suite]].\n", encoding="utf-8")
    (vault / "Suite.md").write_text("La suite.\n", encoding="utf-8")
    (vault / "notes.txt").write_text("Des notes.\n", encoding="utf-8")
    (vault / "seul.txt").write_text("Personne n'y renvoie.\n", encoding="utf-8")
    result = run("import", str(vault), "--author", "Aline Poirier", "--carnet", "  Le   coffre ")
    assert result.exit_code == 0, result.output
    assert "1 file(s) no note refers to, not imported: seul.txt" in result.stdout
    assert "2 created, 0 updated, 0 unchanged; 1 file(s) attached;" in result.stdout
    assert "2 note(s) filed in the carnet 'Le coffre'" in result.stdout
    long = run("import", str(vault), "--author", "A", "--carnet", "x" * 301)
    assert long.exit_code == 1 and "1 to 300 characters" in long.stderr

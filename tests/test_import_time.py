"""Nothing is computed or registered when Praxis is imported: the app factory (or the command
that builds sessions) does it, for its own site."""

import subprocess
import sys
import textwrap

_PROBE = textwrap.dedent("""
    import importlib, pkgutil
    import argon2, argon2.low_level

    def refuse(*_args, **_kwargs):
        raise AssertionError("a password was hashed at import")

    argon2.PasswordHasher.hash = refuse
    argon2.low_level.hash_secret = argon2.low_level.hash_secret_raw = refuse

    import praxis
    for module in pkgutil.walk_packages(praxis.__path__, "praxis."):
        if not module.name.endswith("__main__"):  # runs the command line
            importlib.import_module(module.name)

    from sqlmodel import Session
    events = ("before_flush", "after_flush", "do_orm_execute", "before_commit", "after_commit",
              "after_soft_rollback", "after_rollback")
    session = Session()
    print({name: len(getattr(session.dispatch, name)) for name in events})
""")


def test_importing_every_module_hashes_nothing_and_puts_no_listener_on_sqlalchemy_s_sessions():
    done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(
        dict.fromkeys(
            (
                "before_flush",
                "after_flush",
                "do_orm_execute",
                "before_commit",
                "after_commit",
                "after_soft_rollback",
                "after_rollback",
            ),
            0,
        )
    )


_FIRST = textwrap.dedent("""
    import importlib, pkgutil, sys
    import praxis

    DOMAINS = ("notes", "carnets", "people", "conversation", "transfer", "publishing", "media", "search")

    def in_domain(name):
        parts = name.split(".")
        return parts[0] == "praxis" and len(parts) > 1 and parts[1] in DOMAINS

    importlib.import_module("praxis.app")  # the rest of Praxis (tables, schemas, routes), loaded once
    failed = []
    for module in pkgutil.walk_packages(praxis.__path__, "praxis."):
        if not in_domain(module.name):
            continue
        for loaded in [name for name in sys.modules if in_domain(name)]:
            del sys.modules[loaded]
        try:
            importlib.import_module(module.name)
        except ImportError as exc:
            failed.append(f"{module.name}: {exc}")
    print(failed)
""")


def test_every_module_of_the_domain_packages_can_be_imported_first():
    """The domain packages call each other (a save withdraws invitations of `people`, co-authoring
    saves a note of `notes`): an import cycle that works in one order only would break the day a
    command or a test imports another module first."""
    done = subprocess.run([sys.executable, "-c", _FIRST], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"

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

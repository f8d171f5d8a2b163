"""Atom as RFC 4287 defines it: its RELAX NG schema (Appendix B), and the rules the RFC states
as Schematron (which RELAX NG cannot say), checked offline."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
A = f"{{{ATOM_NS}}}"
SCHEMA = Path(__file__).parent / "schemas" / "atom.rng"


@cache
def _schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(SCHEMA)))


def atom_problems(content: bytes) -> list[str]:
    """Every way `content` is not a valid Atom document; empty when it is one."""
    try:
        root = etree.fromstring(content)
    except etree.XMLSyntaxError as exc:
        return [f"not XML: {exc}"]
    schema = _schema()
    problems = [] if schema.validate(root) else [f"line {e.line}: {e.message}" for e in schema.error_log]
    if root.tag != f"{A}feed":
        return problems or ["the root is not atom:feed"]
    feed_has_author = root.find(f"{A}author") is not None
    problems += _links(root, "feed") + _id(root, "feed")
    for n, entry in enumerate(root.findall(f"{A}entry"), 1):
        where = f"entry {n}"
        problems += _links(entry, where) + _id(entry, where)
        # 4.1.1: an entry without an author is one only when its feed has one.
        if not feed_has_author and entry.find(f"{A}author") is None and entry.find(f"{A}source/{A}author") is None:
            problems.append(f"{where}: no atom:author, and the feed has none")
        # 4.1.2: an entry without content links to it.
        if entry.find(f"{A}content") is None and not any(
            link.get("rel", "alternate") == "alternate" for link in entry.findall(f"{A}link")
        ):
            problems.append(f"{where}: neither atom:content nor a link rel=alternate")
    return problems


def _links(element: etree._Element, where: str) -> list[str]:
    # 4.1.1 and 4.1.2: at most one alternate link per type and hreflang.
    alternates = [
        (link.get("type"), link.get("hreflang"))
        for link in element.findall(f"{A}link")
        if link.get("rel", "alternate") == "alternate"
    ]
    return (
        [f"{where}: two links rel=alternate with the same type and hreflang"]
        if len(alternates) != len(set(alternates))
        else []
    )


def _id(element: etree._Element, where: str) -> list[str]:
    # 4.2.6: the content of atom:id is an absolute IRI.
    value = (element.findtext(f"{A}id") or "").strip()
    return [] if urlsplit(value).scheme else [f"{where}: atom:id {value!r} is not an absolute IRI"]


def assert_valid_atom(content: bytes) -> None:
    problems = atom_problems(content)
    assert problems == [], "\n".join(problems)

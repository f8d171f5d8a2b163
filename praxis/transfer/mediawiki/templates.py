"""The templates shown as a reader of the wiki saw them, written back as plain wikitext.

A template's text lives on the wiki it came from, not in the export: only a small set of templates
every French (and English) wiki has is made readable here. Every other template is kept as it was
written, as code, and reported (see wikitext.KeptTemplate).

| templates                                                   | become                               |
|-------------------------------------------------------------|--------------------------------------|
| Citation                                                    | « texte »                            |
| Citation bloc, Bloc citation, Quote, Blockquote             | a block quote, "— auteur" under it   |
| Lien web, Cite web, Article, Cite journal, Cite news,       | auteur, « [url titre] », site, date  |
| Ouvrage, Cite book                                          | (consulté le …)                      |
| Date, Unité                                                 | their values: "14 mai 2019", "10 km" |
| Langue, Lang, Nobr, Nowrap, Abréviation, Abbr               | their text                           |
| S, Siècle                                                   | "XVIIIe siècle"                      |
| formatnum:, lc:, uc:, lcfirst:, ucfirst:                    | their value                          |
| Ancre, Anchor, Clr, Clear, -, Sommaire, TOC                 | nothing                              |
| !                                                           | "|"                                  |
"""

from __future__ import annotations

from mwparserfromhell.nodes import Template

_NBSP = "\u00a0"


def _named(node: Template, *names: str) -> str | None:
    for name in names:
        if node.has(name) and (value := str(node.get(name).value).strip()):
            return value
    return None


def _positional(node: Template) -> list[str]:
    return [value for p in node.params if not p.showkey and (value := str(p.value).strip())]


def _first(node: Template, *names: str) -> str | None:
    return _named(node, *names) or next(iter(_positional(node)), None)


def _quote(node: Template) -> str | None:
    text = _first(node, "texte", "text", "1")
    return f"«{_NBSP}{text}{_NBSP}»" if text else None


def _block_quote(node: Template) -> str | None:
    positional = _positional(node)
    text = _named(node, "texte", "text", "quote") or (positional[0] if positional else None)
    if not text:
        return None
    author = _named(node, "auteur", "author", "source", "sign") or (positional[1] if len(positional) > 1 else None)
    signed = f"<br />\n— {author}" if author else ""
    return f"<blockquote>{text}{signed}</blockquote>"


def _reference(node: Template) -> str | None:
    author = _named(node, "auteur", "auteur1", "author", "author1")
    if author is None:
        first = _named(node, "prénom1", "prénom", "first1", "first")
        last = _named(node, "nom1", "nom", "last1", "last")
        author = " ".join(part for part in (first, last) if part) or None
    title = _named(node, "titre", "title")
    url = _named(node, "url", "lire en ligne")
    if url and title:
        title = f"«{_NBSP}[{url} {title}]{_NBSP}»"
    elif title:
        title = f"«{_NBSP}{title}{_NBSP}»"
    else:
        title = url
    where = _named(node, "site", "website", "périodique", "journal", "work", "éditeur", "publisher")
    date = _named(node, "date", "année", "year")
    parts = [part for part in (author, title, where, date) if part]
    if not parts:
        return None
    accessed = _named(node, "consulté le", "access-date", "accessdate")
    return ", ".join(parts) + (f" (consulté le {accessed})" if accessed else "")


def _century(node: Template) -> str | None:
    number = _first(node, "1")
    if not number:
        return None
    return f"{number}{'er' if number == 'I' else 'e'} siècle"


def _joined(node: Template) -> str | None:
    return " ".join(_positional(node)) or None


def _text(node: Template) -> str | None:
    named = _named(node, "texte", "text")
    positional = _positional(node)
    return named or (positional[-1] if positional else None)


_KNOWN = {
    "citation": _quote,
    "citation bloc": _block_quote,
    "bloc citation": _block_quote,
    "quote": _block_quote,
    "blockquote": _block_quote,
    "lien web": _reference,
    "cite web": _reference,
    "article": _reference,
    "cite journal": _reference,
    "cite news": _reference,
    "ouvrage": _reference,
    "cite book": _reference,
    "date": _joined,
    "unité": _joined,
    "langue": _text,
    "lang": _text,
    "nobr": _text,
    "nowrap": _text,
    "abréviation": lambda node: _first(node, "1"),
    "abbr": lambda node: _first(node, "1"),
    "s": _century,
    "siècle": _century,
    # Layout that means nothing in a note: an anchor, a float's end, a table of contents.
    "ancre": lambda node: "",
    "anchor": lambda node: "",
    "clr": lambda node: "",
    "clear": lambda node: "",
    "-": lambda node: "",
    "sommaire": lambda node: "",
    "toc": lambda node: "",
    "!": lambda node: "|",  # {{!}}: a "|" where the wikitext would read it as markup
}

_MAGIC = {
    "formatnum": lambda value: value,
    "lc": str.lower,
    "uc": str.upper,
    "lcfirst": lambda value: value[:1].lower() + value[1:],
    "ucfirst": lambda value: value[:1].upper() + value[1:],
}


def known(name: str, node: Template, *, magic: bool = False) -> bool:
    """Whether `readable` can show this template (its parameters are made ready only then)."""
    if magic:
        return " ".join(str(node.name).split()).partition(":")[0].strip().lower() in _MAGIC
    return name.casefold() in _KNOWN


def readable(name: str, node: Template, *, magic: bool = False) -> str | None:
    """The wikitext a known template is shown as, or None for a template this module does not
    know (its parameters' values are the wikitext they hold, already made ready for pandoc)."""
    if magic:
        word, _colon, value = " ".join(str(node.name).split()).partition(":")
        change = _MAGIC.get(word.strip().lower())
        return change(value.strip()) if change else None
    writer = _KNOWN.get(name.casefold())
    return writer(node) if writer else None

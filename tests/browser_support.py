"""Opening a rendered page in the session's headless Chromium, for the browser tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def open_page(
    browser: Any, path: Path, width: int = 1280, height: int = 900
) -> tuple[Any, list[str], list[str]]:
    """Open the file at ``path`` in a new page; return the page and two lists that fill as it
    lives: every URL it requests, and every error its scripts raise.
    """
    page = browser.new_page(viewport={"width": width, "height": height})
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    return page, requests, errors

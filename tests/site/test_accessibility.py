"""Accessibility of the published site (issue 17): axe-core in Chromium, and the
language of every text written in the other script.

axe-core runs on the main pages (home, memorial index, a person, report,
methodology, search) in both languages at phone (390 px) and desktop (1366 px)
width, and fails on any serious or critical violation; a screenshot of each page
goes to tests/artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from tests.browser import ARTIFACTS, file_url
from tests.site.conftest import person_of, publish_public

PAGES = ("index", "memorial/index", "person", "report", "methodology", "search")
#: The impacts that fail the test; moderate and minor ones are reported only.
FAILING = ("serious", "critical")
_PERSIAN = re.compile("[\u0600-\u06ff]")
_LATIN_WORD = re.compile("[A-Za-z]{2,}")


@pytest.fixture(scope="module")
def site(
    site_register: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """A site published from a copy of the session's register (names public)."""
    # c2 is known from a Latin list only: its Persian page shows a
    # transliteration, and its Latin name in the other script.
    root = tmp_path_factory.mktemp("a11y-site")
    out, person = publish_public(site_register, root, lambda ws: person_of(ws, "c2"))
    return {"out": out, "person": person}


def _path(site: dict[str, Any], lang: str, page: str) -> Path:
    name = f"memorial/{site['person']}" if page == "person" else page
    return Path(site["out"]) / lang / f"{name}.html"


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1366])
def test_axe_finds_no_serious_violation(
    offline_page: Any, site: dict[str, Any], width: int
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.set_viewport_size({"width": width, "height": 900})
    found = []
    for lang in ("en", "fa"):
        for page in PAGES:
            offline_page.goto(file_url(_path(site, lang, page)))
            offline_page.wait_for_load_state("load")
            results = axe.run(offline_page).response
            found += [
                f"{lang}/{page} at {width} px: {v['id']} ({v['impact']}) "
                f"{[n['target'] for n in v['nodes']][:3]}"
                for v in results["violations"]
                if v["impact"] in FAILING
            ]
            shot = ARTIFACTS / f"axe-{lang}-{page.replace('/', '-')}-{width}.png"
            offline_page.screenshot(path=str(shot))
    assert found == []
    assert offline_page.offsite == [] and offline_page.errors == []


@pytest.mark.browser
def test_every_map_bubble_is_reached_by_keyboard(
    offline_page: Any, site: dict[str, Any]
) -> None:
    offline_page.goto(file_url(_path(site, "fa", "report")))
    bubbles = offline_page.eval_on_selector_all(
        "figure.map > svg circle.bubble",
        "els => els.map(e => e.getAttribute('aria-label'))",
    )
    assert bubbles and all(": " in name for name in bubbles)
    offline_page.focus("figure.map > svg circle.bubble")
    name = offline_page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert name == bubbles[0]


@pytest.mark.browser
def test_every_shaded_province_is_reached_by_keyboard(
    offline_page: Any, site: dict[str, Any]
) -> None:
    offline_page.goto(file_url(_path(site, "fa", "report")))
    provinces = offline_page.eval_on_selector_all(
        "svg.choropleth path.province[tabindex]",
        "els => els.map(e => e.getAttribute('aria-label'))",
    )
    assert provinces and all(": " in name for name in provinces)
    offline_page.focus("svg.choropleth path.province[tabindex]")
    name = offline_page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert name == provinces[0]
    offline_page.keyboard.press("Tab")
    after = offline_page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert len(provinces) == 1 or after == provinces[1]


def _texts(soup: BeautifulSoup) -> list[Any]:
    body = soup.body
    assert body is not None
    return [t for t in body.find_all(string=True) if t.strip()]


def _lang(node: Any) -> str:
    parent = node.parent
    while parent is not None and not parent.get("lang"):
        parent = parent.parent
    return "" if parent is None else str(parent["lang"])


@pytest.mark.parametrize("page", ["person", "memorial/index"])
def test_text_in_the_other_script_carries_its_language(
    site: dict[str, Any], page: str
) -> None:
    """On an English page, Persian text sits in an element with lang="fa" (and a
    direction); on a Persian page, a name in Latin letters in one with lang="en"."""
    en = BeautifulSoup(_path(site, "en", page).read_text("utf-8"), "html.parser")
    for text in _texts(en):
        if _PERSIAN.search(text):
            assert _lang(text) == "fa", text
    fa = BeautifulSoup(_path(site, "fa", page).read_text("utf-8"), "html.parser")
    names = fa.find_all("dd")
    for dd in names:
        if _LATIN_WORD.search(dd.get_text()) and not dd.get_text().startswith("P0"):
            assert _lang(dd.find(string=_LATIN_WORD)) == "en", dd

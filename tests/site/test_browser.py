"""The published site in real Chromium: offline, right to left, searchable.

Pages are opened from ``file://`` with every request routed: a request to any
other host fails the test. Screenshots of the home page at phone (390 px) and
desktop (1366 px) width go to tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser import ARTIFACTS, file_url
from tests.site.conftest import person_of, publish_public

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(
    site_register: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """A site published from a copy of the session's register (names public)."""
    root = tmp_path_factory.mktemp("browser-site")
    out, ids = publish_public(
        site_register, root, lambda ws: {r: person_of(ws, r) for r in ("c1", "c2")}
    )
    return {"out": out, "ids": ids}


def _open(page: Any, path: Path) -> None:
    page.goto(file_url(path))
    page.wait_for_load_state("load")


def test_every_page_loads_with_no_request_to_another_host(
    offline_page: Any, site: dict[str, Any]
) -> None:
    pages = sorted(site["out"].rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        _open(offline_page, path)
        assert offline_page.title(), path
    assert offline_page.offsite == []
    assert offline_page.errors == []


def test_persian_pages_render_right_to_left(
    offline_page: Any, site: dict[str, Any]
) -> None:
    out = site["out"]
    pid = site["ids"]["c1"]
    for page in ("index.html", "report.html", "search.html", f"memorial/{pid}.html"):
        _open(offline_page, out / "fa" / page)
        direction = offline_page.evaluate(
            "getComputedStyle(document.querySelector('main')).direction"
        )
        assert direction == "rtl", page
        _open(offline_page, out / "en" / page)
        assert (
            offline_page.evaluate("getComputedStyle(document.body).direction") == "ltr"
        )
    _open(offline_page, out / "fa" / "index.html")
    # The heading's text sits against the right edge of the page's column.
    text, column = offline_page.evaluate(
        "(() => { const r = document.createRange();"
        " r.selectNodeContents(document.querySelector('main h1'));"
        " const t = r.getBoundingClientRect();"
        " const m = document.querySelector('main');"
        " const pad = parseFloat(getComputedStyle(m).paddingRight);"
        " const c = m.getBoundingClientRect();"
        " return [[t.left, t.right], [c.left, c.right - pad]]; })()"
    )
    assert abs(text[1] - column[1]) < 2 and text[0] > column[0] + 100


def _search(page: Any, out: Path, lang: str, query: str) -> list[str]:
    _open(page, out / lang / "search.html")
    page.fill("#q", query)
    page.wait_for_function("document.getElementById('status').textContent !== ''")
    links = page.eval_on_selector_all("#results a", "els => els.map(a => a.href)")
    return [link.rsplit("/", 1)[-1] for link in links]


def test_search_finds_a_persian_name_by_a_latin_spelling(
    offline_page: Any, site: dict[str, Any]
) -> None:
    out, ids = site["out"], site["ids"]
    found = _search(offline_page, out, "en", "Parham Dehghanzadeh")
    assert f"{ids['c1']}.html" in found
    assert f"{ids['c1']}.html" in _search(offline_page, out, "en", "dehghanzade")
    text = offline_page.inner_text("#results")
    # No source wrote it in Latin letters: a transliteration (issue 17).
    assert "Parham Dehghanzadeh" in text
    # The other way round: a Persian spelling finds the Latin-only entry.
    found = _search(offline_page, out, "fa", "کوروش فرهمندپور")
    assert found[:1] == [f"{ids['c2']}.html"]
    assert "کوروش فرهمندپور" in offline_page.inner_text("#results")
    assert offline_page.inner_text("#status").endswith("مورد پیدا شد")
    offline_page.click("#results a")
    offline_page.wait_for_load_state("load")
    assert offline_page.inner_text("h1").startswith("کوروش فرهمندپور")
    assert offline_page.inner_text("dd bdi[lang=en]") == "Kourosh Farahmandpour"
    # A city's names in either script find its persons (issue 17), after names.
    assert f"{ids['c2']}.html" in _search(offline_page, out, "en", "شیراز")
    assert f"{ids['c2']}.html" in _search(offline_page, out, "fa", "shiraz")
    assert _search(offline_page, out, "en", "Xzqwv") == []
    assert offline_page.inner_text("#status") == "No name matches."
    assert offline_page.offsite == [] and offline_page.errors == []


@pytest.mark.parametrize("width", [390, 1366])
def test_home_page_screenshots(
    offline_page: Any, site: dict[str, Any], width: int
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.set_viewport_size({"width": width, "height": 900})
    for lang in ("en", "fa"):
        _open(offline_page, site["out"] / lang / "index.html")
        overflow = offline_page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (lang, width)
        shot = ARTIFACTS / f"home-{lang}-{width}.png"
        offline_page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    assert offline_page.offsite == []

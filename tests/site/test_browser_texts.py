"""Issue 17's pages in real Chromium: a person's story, the Persian methodology,
the report's Persian moments, and the print layout, at 390 and 1366 px.

Screenshots of each page in both languages at both widths go to tests/artifacts/
(``story-fa-390.png``...). Names in Latin script on a Persian page are laid out
left to right inside the right-to-left text (``bdi``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aban.site.stories import set_story
from aban.store.workspace import Workspace
from tests.browser import ARTIFACTS, file_url
from tests.site.conftest import person_of, publish_public

pytestmark = pytest.mark.browser

_STORY = {
    "biography_fa": "معلم موسیقی بود و در کرج زندگی می‌کرد.\n\nدو فرزند داشت.",
    "biography_en": "A music teacher who lived in Karaj.\n\nHe had two children.",
    "circumstances_fa": "در نزدیکی میدان شهر هدف گلوله قرار گرفت.",
    "circumstances_en": "He was shot near the town square.",
}
_PAGES = {
    "story": "memorial/{pid}.html",
    "methodology": "methodology.html",
    "report": "report.html",
}


@pytest.fixture(scope="module")
def site(
    site_register: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """A site with names public and one person's story written by the team."""
    root = tmp_path_factory.mktemp("browser-texts")

    def with_story(ws: Workspace) -> str:
        pid = person_of(ws, "c2")
        set_story(ws, pid, _STORY)
        return pid

    out, pid = publish_public(site_register, root, with_story)
    return {"out": out, "pid": pid}


def _open(page: Any, path: Path) -> None:
    page.goto(file_url(path))
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["en", "fa"])
def test_story_methodology_and_report_fit_and_are_shot(
    offline_page: Any, site: dict[str, Any], lang: str, width: int
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.set_viewport_size({"width": width, "height": 900})
    for name, page in _PAGES.items():
        _open(offline_page, site["out"] / lang / page.format(pid=site["pid"]))
        overflow = offline_page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (name, lang, width)
        shot = ARTIFACTS / f"{name}-{lang}-{width}.png"
        offline_page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    assert offline_page.offsite == [] and offline_page.errors == []


def test_a_persian_person_page_tells_the_story(
    offline_page: Any, site: dict[str, Any]
) -> None:
    _open(offline_page, site["out"] / "fa" / f"memorial/{site['pid']}.html")
    sections = offline_page.eval_on_selector_all(
        "section.story", "els => els.map(s => s.innerText)"
    )
    assert sections[0].startswith("زندگی\n")
    assert "دو فرزند داشت." in sections[0]
    assert sections[1].startswith("چگونگی جان باختن\n")
    # No source wrote the name in Persian: the heading is a transliteration, marked
    # as one, and the Latin name as written is isolated and laid out left to right.
    assert offline_page.inner_text("h1 bdi.name") == "کوروش فرهمندپور"
    assert offline_page.inner_text("h1 small.translit") == "(نویسه\u200cگردانی)"
    direction = offline_page.evaluate(
        "getComputedStyle(document.querySelector('dd bdi.name[lang=en]')).direction"
    )
    assert direction == "ltr"
    assert offline_page.inner_text("dd bdi.name[lang=en]") == "Kourosh Farahmandpour"
    documented = offline_page.inner_text("p.documented")
    assert documented.startswith(("تک‌منبعی", "پشتیبانی‌شده", "تأییدشده"))


def test_the_print_layout_leaves_out_navigation(
    offline_page: Any, site: dict[str, Any]
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("en", "fa"):
        _open(offline_page, site["out"] / lang / f"memorial/{site['pid']}.html")
        offline_page.emulate_media(media="print")
        hidden = offline_page.evaluate(
            "['header.site nav', 'p.correct', 'p.back'].map("
            "s => getComputedStyle(document.querySelector(s)).display)"
        )
        assert hidden == ["none", "none", "none"]
        offline_page.screenshot(
            path=str(ARTIFACTS / f"story-print-{lang}.png"), full_page=True
        )
        offline_page.emulate_media(media="screen")
    assert offline_page.offsite == []

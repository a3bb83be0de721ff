"""A memorial that is Persian throughout (issue 17): texts, consent, stories.

The Persian pages of a published site hold no run of Latin words outside names,
titles, code and URLs (:func:`tests.site.latin.latin_runs`); the event, its
moments, claimants and the methodology are in both languages; ``publish`` says
how many persons are shown without a name and why; the team's stories appear
only with public consent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from aban.cli import cli
from aban.errors import ConfigError, StoreError
from aban.event import parse_event
from aban.grade.methodology_fa import methodology_fa
from aban.grade.register import set_consent
from aban.grade.rules import GradingRules
from aban.site import publish
from aban.site.charts import timeline_chart
from aban.site.i18n import Locale
from aban.site.policy import PublicationPolicy
from aban.site.stories import set_story
from aban.store.workspace import Workspace
from tests.conftest import PASSPHRASE
from tests.site.conftest import BUILD_TIME, add_policy, person_of
from tests.site.latin import latin_runs

PUBLIC = 'default_consent = "public"\ncontact = "fix@example.org"\n'


def _soup(out: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((out / page).read_text("utf-8"), "html.parser")


def test_latin_runs_are_found_outside_names_titles_code_and_urls() -> None:
    html = (
        '<p>نام <bdi class="name">Parviz Testian</bdi> و <code>persons.csv</code> '
        "در https://example.org/a b و fix@example.org</p>"
        '<svg aria-label="Deaths by day"></svg><p lang="en">internet shutdown</p>'
    )
    assert latin_runs(html) == ["internet shutdown", "Deaths by day"]


def test_persian_pages_hold_no_english_outside_names_and_titles(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, PUBLIC + 'story = "circumstances"\n')
    pid = person_of(open_register, "c1")
    set_story(
        open_register,
        pid,
        {"biography_fa": "دانشجوی سال دوم بود.", "biography_en": "A student."},
    )
    publish(open_register, tmp_path / "site", BUILD_TIME)
    pages = sorted((tmp_path / "site" / "fa").rglob("*.html"))
    assert len(pages) > 50
    found = {p.name: runs for p in pages if (runs := latin_runs(p.read_text("utf-8")))}
    assert found == {}
    home = _soup(tmp_path / "site", "fa/index.html")
    assert (
        home.find("p", class_="lead")
        .get_text()
        .startswith("ایران، آبان ۱۳۹۸ (نوامبر ۲۰۱۹) · ")
    )
    assert "عفو بین‌الملل" in home.find("ol", class_="ledger").get_text()
    report = _soup(tmp_path / "site", "fa/report.html")
    moments = [li.get_text() for li in report.find("ol", class_="moments")("li")]
    assert moments[0] == (
        "۲۴ آبان ۱۳۹۸: اعتراض‌ها پس از سه‌برابر شدن یک‌شبه بهای بنزین آغاز می‌شود"
    )
    # A source's words in English are quoted as written, marked as English.
    quoted = [
        q
        for p in pages
        for q in BeautifulSoup(p.read_text("utf-8"), "html.parser")("q")
    ]
    assert quoted and {(q["class"][0], q["lang"]) for q in quoted} == {
        ("written", "en")
    }
    method = _soup(tmp_path / "site", "fa/methodology.html")
    assert method.find("div", class_="methodology").h1.get_text() == "روش‌شناسی"


def test_an_english_only_event_is_marked_english_on_persian_pages() -> None:
    loc = Locale("fa")
    assert str(loc.text("Protests", "")) == '<bdi lang="en" dir="ltr">Protests</bdi>'
    assert str(loc.text("Protests", "اعتراض‌ها")) == "اعتراض‌ها"
    assert str(Locale("en").text("Protests", "اعتراض‌ها")) == "Protests"
    assert latin_runs(f"<p>{loc.text('internet shutdown ordered')}</p>") == [
        "internet shutdown ordered"
    ]


def test_an_older_event_without_persian_names_still_publishes(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    config = register / "aban.toml"
    lines = config.read_text("utf-8").splitlines()
    config.write_text(
        "\n".join(x for x in lines if not x.startswith("name_fa")) + "\n", "utf-8"
    )
    publish(open_register, tmp_path / "site", BUILD_TIME)
    home = _soup(tmp_path / "site", "fa/index.html")
    lead = home.find("p", class_="lead").bdi
    assert (lead["lang"], lead.get_text()) == ("en", "Iran, November 2019 (Aban 1398)")
    report = _soup(tmp_path / "site", "fa/report.html")
    assert report.find("ol", class_="moments").li.bdi["lang"] == "en"


def test_event_persian_names_are_optional_and_checked() -> None:
    table = {"name": "Protests", "start": "2019-11-15", "end": "2019-11-20"}
    old = parse_event(table, "aban.toml")
    assert old.name_fa == "" and "name_fa" not in old.to_dict()
    moment = {"name": "shutdown", "name_fa": "قطع اینترنت", "kind": "shutdown_began"}
    new = parse_event(
        {**table, "name_fa": "اعتراض‌ها", "moments": [{**moment, "date": "2019-11-16"}]},
        "aban.toml",
    )
    assert (new.name_fa, new.moments[0].name_fa) == ("اعتراض‌ها", "قطع اینترنت")
    assert new.to_dict()["moments"][0]["name_fa"] == "قطع اینترنت"
    with pytest.raises(ConfigError) as caught:
        parse_event({**table, "name_fa": "Protests"}, "aban.toml")
    assert str(caught.value) == (
        "aban.toml: [event] name_fa must be written in Persian letters"
    )


def test_methodology_in_persian_follows_the_rules() -> None:
    text = methodology_fa(GradingRules(independent_sources=3))
    assert text.startswith("# روش‌شناسی\n")
    assert "دست‌کم ۳ منبع مستقل" in text
    assert "*خانواده*، *شاهد* یا *سند*" in text
    assert "| `independent_sources` | `3` |" in text
    estimated = methodology_fa(GradingRules(), {"model": "lcmcr", "seed": 7})
    assert "`seed` ۷" in estimated and "LCMCR" in estimated


def test_chart_tooltips_use_the_pages_calendar_words_and_digits() -> None:
    rows = [{"label": "2019-11-16", "counts": {"confirmed": 12}}]
    moments = [{"name": "shutdown", "name_fa": "قطع اینترنت", "date": "2019-11-16"}]
    fa = str(timeline_chart(rows, moments, ["confirmed"], Locale("fa"), "روز"))
    assert "<title>۲۵ آبان ۱۳۹۸ · تأییدشده: ۱۲</title>" in fa
    en = str(timeline_chart(rows, moments, ["confirmed"], Locale("en"), "day"))
    assert "<title>16 November 2019 · confirmed: 12</title>" in en


def test_publish_says_why_names_are_not_shown(register: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"ABAN_PASSPHRASE": PASSPHRASE}
    args = ["-w", str(register), "publish", str(tmp_path / "site")]
    first = runner.invoke(cli, [*args, "--build-time", BUILD_TIME], env=env)
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[1].startswith("names shown: 0")
    assert lines[2].startswith("names not shown: ")
    assert "(no consent recorded, policy default " in lines[2]
    assert (
        "every listed person is shown without a name because no family's consent "
        "is recorded and [publication] default_consent in aban.toml is "
        "\"public-without-name\": record each family's answer with 'aban person "
        "consent PERSON public', or change default_consent"
    ) in first.stderr
    page = _soup(tmp_path / "site", "en/memorial/index.html").main.p.get_text()
    assert "under this site's publication policy" in page
    assert "did not consent" not in page
    again = runner.invoke(cli, [*args, "--json"], env=env)
    result = json.loads(again.stdout)
    assert {"out", "release", "listed", "files", "head"} <= set(result)
    assert result["consent"]["named"] == 0
    assert result["consent"]["unnamed"]["policy"] == result["listed"]
    assert result["consent"]["withheld"] == {"family": 0, "policy": 0}


def test_a_family_that_asked_is_told_apart_from_the_default(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    pid = person_of(open_register, "c4")
    set_consent(open_register, pid, "public-without-name")
    withheld = person_of(open_register, "c3")
    set_consent(open_register, withheld, "withheld")
    made = publish(open_register, tmp_path / "site", BUILD_TIME)
    counts = made.consent.to_dict()
    assert counts["unnamed"]["family"] == 1
    assert counts["withheld"] == {"family": 1, "policy": 0}
    assert counts["unnamed"]["policy"] == made.listed - 1
    assert made.consent.hint(first=False) is None
    fa = _soup(tmp_path / "site", "fa/memorial/index.html").main.p.get_text()
    assert "خانواده‌های ۱ نفر خواسته‌اند نامشان نشان داده نشود" in fa


def test_the_teams_story_needs_public_consent(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, PUBLIC)
    told, unnamed = person_of(open_register, "c1"), person_of(open_register, "c4")
    story = {
        "biography_fa": "معلم بود.\n\nدو فرزند داشت.",
        "circumstances_en": "Shot near the square.",
    }
    change = set_story(open_register, told, story)
    set_story(open_register, unnamed, {"biography_en": "A baker."})
    set_consent(open_register, unnamed, "public-without-name")
    assert change.written == ("biography_fa", "circumstances_en")
    (detail,) = open_register.conn.execute(
        "select detail from audit where action = 'person-story' order by seq limit 1"
    ).fetchone()
    assert "معلم" not in detail
    publish(open_register, tmp_path / "site", BUILD_TIME)
    fa = _soup(tmp_path / "site", f"fa/memorial/{told}.html")
    sections = fa.find_all("section", class_="story")
    assert [p.get_text() for p in sections[0]("p")] == ["معلم بود.", "دو فرزند داشت."]
    # Written only in English: shown on the Persian page, marked as English.
    assert sections[1].p.span["lang"] == "en"
    en = _soup(tmp_path / "site", f"en/memorial/{told}.html")
    assert en.find_all("section", class_="story")[1].p.get_text() == (
        "Shot near the square."
    )
    hidden = (tmp_path / "site" / f"en/memorial/{unnamed}.html").read_text("utf-8")
    assert "A baker" not in hidden


def test_story_texts_are_checked(open_register: Workspace) -> None:
    pid = person_of(open_register, "c1")
    with pytest.raises(StoreError) as caught:
        set_story(open_register, pid, {"biography_fa": "A teacher."})
    assert str(caught.value) == (
        "biography_fa: no Persian letters; give the Persian text"
    )
    with pytest.raises(StoreError) as caught:
        set_story(open_register, pid, {"biography_en": "x" * 4001})
    assert str(caught.value) == (
        "biography_en: 4,001 characters; a story holds at most 4,000: shorten it"
    )
    set_story(open_register, pid, {"biography_en": "A teacher."})
    set_story(open_register, pid, {"biography_en": ""})
    rows = open_register.conn.execute("select count(*) from person_stories")
    assert rows.fetchone() == (0,)


def test_stories_can_be_turned_off(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(register, PUBLIC + "stories = false\n")
    pid = person_of(open_register, "c1")
    set_story(open_register, pid, {"biography_en": "A teacher of music."})
    publish(open_register, tmp_path / "site", BUILD_TIME)
    page = (tmp_path / "site" / f"en/memorial/{pid}.html").read_text("utf-8")
    assert "A teacher of music" not in page
    assert PublicationPolicy().stories is True

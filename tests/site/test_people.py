"""Listed persons are built from the policy's allow-list, field by field."""

from __future__ import annotations

from typing import Any

from aban.site.i18n import Locale, english_date, jalali_date
from aban.site.people import (
    Place,
    PublishedPerson,
    effective_consent,
    listed_persons,
    published_person,
    with_transliterations,
)
from aban.site.policy import DEFAULT_FIELDS, PUBLISHABLE_FIELDS, PublicationPolicy
from aban.site.views import descriptors, details, name_of, row_label
from aban.text.digits import persian_digits


def _entry(value: Any, source: str = "Hidden Source") -> dict[str, Any]:
    return {
        "value": value,
        "source": source,
        "record_id": "S9-000001",
        "records": [[source, "S9-000001"]],
        "conflicts": [],
    }


CANONICAL = {
    "names": {
        "full_name": {
            "latin": _entry("Parviz Testian"),
            "persian": _entry("پرویز تستیان"),
        },
        "father_name": {"persian": _entry("بهرام")},
    },
    "fields": {
        "age": _entry(34),
        "sex": _entry("مرد"),
        "city": _entry("اهواز"),
        "date_of_death": _entry("2019-11-17"),
        "injury_location": _entry("سینه"),
        "national_id": _entry("0012345678"),
        "circumstances": _entry("shot at a march"),
        "occupation": _entry("=teacher"),
        "status": _entry("killed"),
    },
}


def test_only_allowed_values_and_no_provenance() -> None:
    person = published_person(
        "P000007", CANONICAL, "full_name", "corroborated", "public", PublicationPolicy()
    )
    assert person.names == {"latin": "Parviz Testian", "persian": "پرویز تستیان"}
    assert person.father_names == {}
    assert person.values == {
        "age": 34,
        "sex": "male",
        "city": Place("Ahvaz", "اهواز"),
        "province": Place("Khuzestan", "خوزستان"),
        "date_of_death": "2019-11-17",
        "injury_location": "chest",
        "identification": "full_name",
        "grade": "corroborated",
    }
    assert person.story == ""
    assert "Hidden Source" not in repr(person.to_dict())
    assert "0012345678" not in repr(person.to_dict())


def test_the_alleged_force_is_published_as_keys_never_as_written() -> None:
    policy = PublicationPolicy()
    assert "alleged_force" in policy.fields
    published = {}
    for text in ["سپاه و بسيج", "Unit 12 of the Example Brigade", "نامعلوم"]:
        canonical = {"fields": {**CANONICAL["fields"], "alleged_force": _entry(text)}}
        person = published_person(
            "P000007", canonical, "full_name", "confirmed", "public", policy
        )
        published[text] = person.values.get("alleged_force")
        assert "Example Brigade" not in repr(person.to_dict())
    assert list(published.values()) == ["irgc;basij", "other", None]
    canonical = {
        "fields": {**CANONICAL["fields"], "alleged_force": _entry("سپاه و بسيج")}
    }
    joint = published_person(
        "P000007", canonical, "full_name", "confirmed", "public", policy
    )
    shown = {
        lang: dict(details(Locale(lang), joint))["alleged_force"]
        for lang in ("en", "fa")
    }
    assert shown == {
        "en": "IRGC + Basij",
        "fa": "سپاه پاسداران + بسیج",
    }
    labels = row_label(Locale("fa"), "force")
    assert [labels(k) for k in ("irgc;basij", "other", "unknown")] == [
        "سپاه پاسداران + بسیج",
        "دیگر",
        "نامعلوم",
    ]
    withheld = PublicationPolicy(fields=("age",))
    canonical = {"fields": {**CANONICAL["fields"], "alleged_force": _entry("IRGC")}}
    person = published_person(
        "P000007", canonical, "full_name", "confirmed", "public", withheld
    )
    assert "alleged_force" not in person.values


def test_names_and_story_need_public_consent() -> None:
    policy = PublicationPolicy(
        fields=(*DEFAULT_FIELDS, "father_name"), story="circumstances"
    )
    public = published_person(
        "P1", CANONICAL, "full_name", "confirmed", "public", policy
    )
    assert public.father_names == {"persian": "بهرام"}
    assert public.story == "shot at a march"
    unnamed = published_person(
        "P1", CANONICAL, "full_name", "confirmed", "public-without-name", policy
    )
    assert (unnamed.names, unnamed.father_names, unnamed.story) == ({}, {}, "")
    assert unnamed.values["age"] == 34 and not unnamed.named


def test_identifying_fields_follow_consent() -> None:
    """Issue 13: without a name, no national id, birth date, father's name, story
    nor any text as a source wrote it (cause, occupation, a place off the map)."""
    policy = PublicationPolicy(fields=PUBLISHABLE_FIELDS, story="circumstances")
    fields = {
        **CANONICAL["fields"],
        "birth_date": _entry("1985-03-02"),
        "cause": _entry("gunshot"),
        "province": _entry("Khuzestan"),
    }
    canonical = {**CANONICAL, "fields": fields}
    public = published_person(
        "P1", canonical, "full_name", "confirmed", "public", policy
    )
    unnamed = published_person(
        "P1", canonical, "full_name", "confirmed", "public-without-name", policy
    )
    assert {"national_id", "birth_date", "cause", "occupation"} <= set(public.values)
    assert public.names and public.father_names and public.story
    assert (unnamed.names, unnamed.father_names, unnamed.story) == ({}, {}, "")
    assert set(unnamed.values) == {
        "age",
        "sex",
        "city",
        "province",
        "date_of_death",
        "injury_location",
        "identification",
        "grade",
    }
    assert "0012345678" not in repr(unnamed.to_dict())
    # A place the gazetteer does not know is text a source wrote: shown as written
    # for a named person, left out for one without a name.
    village = {**fields, "city": _entry("Deh-e Nowruzabad-e Sofla")}
    village.pop("province")
    canonical = {**CANONICAL, "fields": village}
    public = published_person(
        "P1", canonical, "full_name", "confirmed", "public", policy
    )
    unnamed = published_person(
        "P1", canonical, "full_name", "confirmed", "public-without-name", policy
    )
    assert public.values["city"] == Place(
        "Deh-e Nowruzabad-e Sofla", "Deh-e Nowruzabad-e Sofla"
    )
    assert "city" not in unnamed.values and "province" not in unnamed.values


def test_free_text_comes_only_from_sources_that_are_not_protected() -> None:
    """Issue 13: a protected source's story, cause, occupation or place as written
    is never published; vocabulary values from it are."""
    policy = PublicationPolicy(fields=PUBLISHABLE_FIELDS, story="circumstances")
    fields = {**CANONICAL["fields"], "cause": _entry("gunshot")}
    canonical = {**CANONICAL, "fields": fields}
    shown = published_person(
        "P1", canonical, "full_name", "confirmed", "public", policy, frozenset()
    )
    assert shown.story == "shot at a march"
    assert (shown.values["cause"], shown.values["occupation"]) == (
        "gunshot",
        "=teacher",
    )
    hidden = published_person(
        "P1",
        canonical,
        "full_name",
        "confirmed",
        "public",
        policy,
        frozenset({"Hidden Source"}),
    )
    assert hidden.story == ""
    assert "cause" not in hidden.values and "occupation" not in hidden.values
    assert hidden.values["city"] == Place("Ahvaz", "اهواز")
    village = {**fields, "city": _entry("Deh-e Nowruzabad-e Sofla")}
    hidden = published_person(
        "P1",
        {**CANONICAL, "fields": village},
        "full_name",
        "confirmed",
        "public",
        policy,
        frozenset({"Hidden Source"}),
    )
    assert "city" not in hidden.values


def test_consent_defaults_and_unknown_values() -> None:
    policy = PublicationPolicy(default_consent="withheld")
    assert effective_consent(None, policy) == "withheld"
    assert effective_consent("public", policy) == "public"
    assert effective_consent("maybe", PublicationPolicy()) == "withheld"


def test_listed_persons_follow_scope_grades_and_consent() -> None:
    rows = [
        (1, "P000001", CANONICAL, "full_name", "confirmed", None),
        (2, "P000002", CANONICAL, "full_name", "contested", "public"),
        (3, "P000003", CANONICAL, "full_name", "single-source", "withheld"),
        (4, "P000004", CANONICAL, "full_name", "corroborated", "public"),
        (5, "P000010", CANONICAL, "full_name", "confirmed", "public"),
        (6, "P000005", CANONICAL, "full_name", "discounted", "public"),
    ]
    listed = listed_persons(rows, {1, 2, 3, 5, 6}, PublicationPolicy())
    assert [(p.person_id, p.consent) for p in listed] == [
        ("P000001", "public-without-name"),
        ("P000010", "public"),
    ]


def test_how_pages_show_a_person() -> None:
    person = published_person(
        "P000007", CANONICAL, "full_name", "corroborated", "public", PublicationPolicy()
    )
    en, fa = Locale("en"), Locale("fa")
    assert name_of(en, person) == "Parviz Testian"
    assert name_of(fa, person) == "پرویز تستیان"
    assert descriptors(en, person) == "34 · male · Ahvaz · 17 November 2019"
    assert descriptors(fa, person) == "۳۴ · مرد · اهواز · ۲۶ آبان ۱۳۹۸"
    # Names in the other script are marked as names, isolated from the text.
    assert details(fa, person)[0] == (
        "name_other",
        '<bdi class="name" lang="en" dir="ltr">Parviz Testian</bdi>',
    )
    assert details(en, person)[0] == (
        "name_other",
        '<bdi class="name" lang="fa" dir="rtl">پرویز تستیان</bdi>',
    )
    # Dates in both calendars, the page's own first (issue 17).
    assert ("date_of_death", "۲۶ آبان ۱۳۹۸ (۱۷ نوامبر ۲۰۱۹)") in details(fa, person)
    assert ("date_of_death", "17 November 2019 (26 Aban 1398)") in details(en, person)
    assert ("injury_location", "سینه") in details(fa, person)
    unnamed = published_person(
        "P1",
        CANONICAL,
        "full_name",
        "confirmed",
        "public-without-name",
        PublicationPolicy(),
    )
    assert (name_of(en, unnamed), name_of(fa, unnamed)) == (
        "name unknown",
        "نام نامعلوم",
    )


def test_numbers_and_dates_in_both_languages() -> None:
    assert persian_digits("1398/08/25") == "۱۳۹۸/۰۸/۲۵"
    assert jalali_date("2019-11-16") == "۲۵ آبان ۱۳۹۸"
    assert english_date("2019-11-16") == "16 November 2019"
    assert Locale("fa").num(1500) == "۱٬۵۰۰"
    assert Locale("fa").num(87.3, 1) == "۸۷٫۳"
    assert Locale("en").num(1500) == "1,500" and Locale("en").num(None) == "-"
    assert Locale("fa").month("2019-12-01") == "دسامبر ۲۰۱۹"
    assert Locale("fa").t("at_least", n=304) == "دست‌کم ۳۰۴"
    assert Locale("fa").label("age-band", "0-17") == "۰–۱۷"
    assert Locale("fa").label("grade", "single-source") == "تک‌منبعی"


def test_persons_json_is_one_person_per_line() -> None:
    import json

    from aban.site.opendata import persons_json

    data = persons_json({"release": 2, "columns": ["a"]}, [{"a": 1}, {"a": "ژ"}])
    assert json.loads(data) == {
        "release": 2,
        "columns": ["a"],
        "persons": [{"a": 1}, {"a": "ژ"}],
    }
    assert data.decode("utf-8").splitlines()[-4:] == [
        '    {"a": 1},',
        '    {"a": "ژ"}',
        "  ]",
        "}",
    ]
    assert json.loads(persons_json({}, [])) == {"persons": []}


def test_published_names_leave_out_honorifics_unless_the_policy_keeps_them() -> None:
    # Issue 15: "شهید سید ..." was published with its honorifics.
    canonical = {
        "names": {
            "full_name": {
                "latin": _entry("Martyr Seyed Parviz Testian"),
                "persian": _entry("شهید سید پرویز تستیان"),
            },
            "father_name": {"persian": _entry("حاج بهرام")},
        },
        "fields": {},
    }
    fields = (*DEFAULT_FIELDS, "father_name")
    person = published_person(
        "P000007",
        canonical,
        "full_name",
        "corroborated",
        "public",
        PublicationPolicy(fields=fields),
    )
    assert person.names == {"latin": "Parviz Testian", "persian": "پرویز تستیان"}
    assert person.father_names == {"persian": "بهرام"}
    kept = published_person(
        "P000007",
        canonical,
        "full_name",
        "corroborated",
        "public",
        PublicationPolicy(fields=fields, honorifics=True),
    )
    assert kept.names == {
        "latin": "Martyr Seyed Parviz Testian",
        "persian": "شهید سید پرویز تستیان",
    }
    assert kept.father_names == {"persian": "حاج بهرام"}


def test_published_persian_names_are_in_persian_letters() -> None:
    # Issue 15: a family association's list saved in Windows-1256 writes ي and ك;
    # its spelling was published as written ("محسن عزيزي").
    canonical = {
        "names": {
            "full_name": {
                "latin": _entry("Mohsen Azizi"),
                "persian": _entry("محسن عزيزي"),
            },
            "father_name": {"persian": _entry("كاظم")},
        },
        "fields": {},
    }
    person = published_person(
        "P000004",
        canonical,
        "full_name",
        "corroborated",
        "public",
        PublicationPolicy(fields=(*DEFAULT_FIELDS, "father_name")),
    )
    assert person.names == {"latin": "Mohsen Azizi", "persian": "محسن عزیزی"}
    assert person.father_names == {"persian": "کاظم"}


def _named(
    pid: str, names: dict[str, str], father: dict[str, str] | None = None
) -> PublishedPerson:
    return PublishedPerson(pid, "public", names, father or {})


def test_each_name_in_both_scripts_the_missing_one_marked() -> None:
    """Issue 17: a name no source wrote in one script is transliterated, learned
    from the listed persons' own names in both scripts first."""
    both = _named("P000001", {"latin": "Parviz Testian", "persian": "پرویز تستیان"})
    latin = _named("P000002", {"latin": "Sara Testian"}, {"persian": "بهرام"})
    persian = _named("P000003", {"persian": "کاوه تستیان"})
    unnamed = PublishedPerson("P000004", "public-without-name")
    out = with_transliterations([both, latin, persian, unnamed])
    assert out[0] == both and out[3] == unnamed
    assert out[1].names == {"latin": "Sara Testian", "persian": "سارا تستیان"}
    assert out[1].father_names == {"persian": "بهرام", "latin": "Bahram"}
    assert out[1].transliterated == {"name": "persian", "father_name": "latin"}
    # "Testian" as the register writes it, not the letter rules' "Tastian".
    assert out[2].names["latin"] == "Kaveh Testian"
    assert out[2].transliterated == {"name": "latin"}
    en = {k: v for k, v in details(Locale("en"), out[2])}
    assert en["name_other"] == '<bdi class="name" lang="fa" dir="rtl">کاوه تستیان</bdi>'
    assert name_of(Locale("fa"), out[1]) == "سارا تستیان"

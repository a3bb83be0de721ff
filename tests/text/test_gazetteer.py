"""The gazetteer: provinces, cities, lookups in both scripts and spelling variants."""

from __future__ import annotations

import pytest

from aban.text.gazetteer import (
    CITIES,
    PROVINCES,
    cities_in,
    find_city,
    find_province,
    place_key,
    sound_city,
    sound_province,
)


def test_all_31_provinces_once() -> None:
    assert len(PROVINCES) == 31
    assert len({p.name_en for p in PROVINCES}) == 31
    assert len({place_key(p.name_fa) for p in PROVINCES}) == 31


def test_every_city_province_exists() -> None:
    names = {p.name_en for p in PROVINCES}
    missing = [c.name_en for c in CITIES if c.province_en not in names]
    assert missing == []


def test_every_province_has_a_city_and_enough_cities() -> None:
    assert len(CITIES) >= 100
    assert all(cities_in(p.name_en) for p in PROVINCES)
    assert cities_in("Khuzestan")[0].name_en == "Ahvaz"
    assert cities_in("nowhere") == ()


def test_city_values_are_plausible() -> None:
    for city in CITIES:
        assert 24.0 < city.lat < 40.0, city.name_en
        assert 44.0 < city.lon < 63.5, city.name_en
        assert 10_000 < city.population < 10_000_000, city.name_en
    assert find_city("Tehran").population > find_city("Mashhad").population


def test_no_two_cities_share_a_lookup_key() -> None:
    owner: dict[str, str] = {}
    for city in CITIES:
        for name in (city.name_en, city.name_fa, *city.variants_en, *city.variants_fa):
            key = place_key(name)
            assert owner.setdefault(key, city.name_en) == city.name_en, name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Shiraz", "Shiraz"),
        ("شیراز", "Shiraz"),
        ("Esfahan", "Isfahan"),
        ("isfahan", "Isfahan"),
        ("Ahwaz", "Ahvaz"),
        ("اهواز", "Ahvaz"),
        ("Mahshahr", "Bandar-e Mahshahr"),
        ("Bandar-e Mahshahr", "Bandar-e Mahshahr"),
        ("bandar mahshahr", "Bandar-e Mahshahr"),
        ("Bandar-e-Mahshahr", "Bandar-e Mahshahr"),
        ("بندر ماهشهر", "Bandar-e Mahshahr"),
        ("ماهشهر", "Bandar-e Mahshahr"),
        ("Islamshahr", "Eslamshahr"),
        ("Shahriyar", "Shahriar"),
        ("Javanroud", "Javanrud"),
        ("كرمانشاه", "Kermanshah"),  # Arabic kaf
        ("شاهين شهر", "Shahin Shahr"),  # Arabic yeh, space instead of ZWNJ
        ("شاهین‌شهر", "Shahin Shahr"),  # ZWNJ
        ("  KARAJ ", "Karaj"),
        ("Ahvāz", "Ahvaz"),
        ("Orumiyeh", "Urmia"),
    ],
)
def test_find_city(name: str, expected: str) -> None:
    city = find_city(name)
    assert city is not None
    assert city.name_en == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Khuzestan", "Khuzestan"),
        ("خوزستان", "Khuzestan"),
        ("استان خوزستان", "Khuzestan"),
        ("Khuzestan Province", "Khuzestan"),
        ("Sistan va Baluchestan", "Sistan and Baluchestan"),
        ("سيستان و بلوچستان", "Sistan and Baluchestan"),
        ("Kohgiluyeh & Boyer-Ahmad", "Kohgiluyeh and Boyer-Ahmad"),
        ("Khorasan-e Razavi", "Razavi Khorasan"),
        ("آذربايجان غربي", "West Azerbaijan"),
        ("اذربایجان شرقی", "East Azerbaijan"),
        ("Kordestan", "Kurdistan"),
        ("ostan-e fars", "Fars"),
    ],
)
def test_find_province(name: str, expected: str) -> None:
    province = find_province(name)
    assert province is not None
    assert province.name_en == expected


@pytest.mark.parametrize("name", ["", "Atlantis", "تهرانستان", "Paris"])
def test_unknown_names(name: str) -> None:
    assert find_city(name) is None
    assert find_province(name) is None


def test_city_and_province_of_the_same_name_are_separate() -> None:
    assert find_city("Tehran").province_en == "Tehran"
    assert find_province("Tehran").name_fa == "تهران"
    assert find_province("Mashhad") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Issue 16: spellings of lists written elsewhere, read by sound.
        ("Kermanchah", "Kermanshah"),
        ("Kermaanshaah", "Kermanshah"),
        ("Tehraan", "Tehran"),
        ("Jawanroud", "Javanrud"),
        ("Chiraz", "Shiraz"),
        ("Racht", "Rasht"),
        ("Machhad", "Mashhad"),
        ("Gods", "Qods"),
        ("Xorramshahr", "Khorramshahr"),
        ("Horramshahr", "Khorramshahr"),
        ("Saaree", "Sari"),
        ("تهران", "Tehran"),
    ],
)
def test_sound_city(name: str, expected: str) -> None:
    city = sound_city(name)
    assert city is not None
    assert city.name_en == expected
    assert find_city(name) is None or find_city(name) == city


@pytest.mark.parametrize("name", ["", "Atlantis", "Paris", "Ghn"])
def test_sound_city_unknown_or_shared(name: str) -> None:
    # "Ghn" sounds like two cities (Qaen and Genaveh): neither.
    assert sound_city(name) is None


def test_sound_province() -> None:
    assert sound_province("Khouzestaan").name_en == "Khuzestan"
    assert sound_province("Tehraan").name_en == "Tehran"
    assert sound_province("Atlantis") is None

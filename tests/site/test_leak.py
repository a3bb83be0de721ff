"""No protected value leaves the register: canaries in every protected field.

The session's register carries a canary in every protected field of one list
(informant, contact, private notes, national id), the list is a protected
source with a canary name and contact (its stories and occupations are canaries
too), and an evidence file's giver, note and file name are canaries too. After
publishing, no byte of any output file (nor any file name) holds a canary in any
encoding the site could write it in.

Figures and charts (issue 13): persons withheld, discounted, contested and
published without a name carry a canary in every free-text value (place, cause,
occupation, circumstances, injury, force) and in their name and national id;
none of it is in any file, under the default policy and under the widest one the
settings allow. A person published with a name is the control: their own values
are on their own pages (and the open data and search index), never in the figures,
charts or report.
"""

from __future__ import annotations

import html
import json
import urllib.parse
from pathlib import Path

import pytest

from aban.evidence import add_evidence
from aban.site import publish
from aban.store.workspace import Workspace
from aban.text import normalise_name
from aban.text.digits import persian_digits
from aban.text.keys import skeleton, sound_key
from tests.site.conftest import (
    BUILD_TIME,
    CANARIES,
    CONTESTED_SECOND,
    PERSON_CANARIES,
    WIDEST_POLICY,
    add_policy,
    canary_roles,
    person_of,
    site_files,
)

EVIDENCE_CANARIES = {
    "received_from": "Evidence Giver Canary رحیم‌رسان",
    "note": "custody note canary يادنگارکناري",
    "file_name": "canarygiverphoto",
}


def _own(word: str) -> bool:
    """A word only a canary holds: Persian script, with "canary" in it, or
    starting with "xq" (the canary persons' words)."""
    return not word.isascii() or "canary" in word or word.startswith("xq")


def _forms(value: str) -> set[bytes]:
    """Every encoding of ``value`` a page, a JSON file or a URL could hold."""
    texts = {
        value,
        value.lower(),
        value.upper(),
        persian_digits(value),
        html.escape(value),
    }
    texts.add(json.dumps(value)[1:-1])
    texts.add(json.dumps(value, ensure_ascii=False)[1:-1])
    texts.add(urllib.parse.quote(value))
    texts.add(urllib.parse.quote_plus(value))
    texts.add(normalise_name(value))
    # Each canary's own words (not the common words around them) also in the
    # forms the search index keys names by.
    words = [w for w in normalise_name(value).split() if _own(w)]
    texts |= set(words)
    texts |= {k for k in (sound_key(w) for w in words) if len(k) >= 6}
    texts |= {k for k in (skeleton(w) for w in words) if len(k) >= 6}
    found = {t.encode("utf-8") for t in texts if t}
    for text in list(texts):
        found |= {text.encode("utf-16-le"), text.encode("utf-16-be")}
    return found


def _leaks(out: Path, values: dict[str, str]) -> list[str]:
    files = site_files(out)
    found = []
    for name, value in values.items():
        for form in _forms(value):
            hits = [path for path, data in files.items() if form in data]
            hits += [path for path in files if form in path.encode("utf-8")]
            found += [f"{name} in {path}" for path in hits]
    return sorted(set(found))


def _evidence(ws: Workspace, tmp: Path) -> None:
    """A publishable portrait whose giver, note and file name are canaries."""
    from PIL import Image

    path = tmp / f"{EVIDENCE_CANARIES['file_name']}.png"
    Image.new("RGB", (40, 50), (120, 30, 30)).save(path)
    add_evidence(
        ws,
        path,
        kind="portrait",
        person=person_of(ws, "c2"),
        publishable=True,
        received_from=EVIDENCE_CANARIES["received_from"],
        note=EVIDENCE_CANARIES["note"],
    )


def test_the_register_holds_the_canaries(open_register: Workspace) -> None:
    conn = open_register.conn
    protected = conn.execute(
        "select count(*) from records where informant = ? and contact = ? "
        "and notes_private = ? and national_id = ?",
        [CANARIES[k] for k in ("informant", "contact", "notes_private", "national_id")],
    ).fetchone()[0]
    assert protected > 20
    (source,) = conn.execute(
        "select protected from sources where name = ?", (CANARIES["source"],)
    ).fetchone()
    assert source == 1
    canonical = " ".join(r[0] for r in conn.execute("select canonical from persons"))
    # The persons' provenance names the protected source, and their national id is
    # a canonical value: publishing from canonical values wholesale would leak.
    assert CANARIES["source"] in canonical and CANARIES["national_id"] in canonical


def test_no_canary_in_any_output_file(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    add_policy(
        register,
        'default_consent = "public"\nportraits = true\n'
        'story = "circumstances"\ncontact = "fix@example.org"\n',
    )
    _evidence(open_register, tmp_path)
    out = tmp_path / "site"
    result = publish(open_register, out, BUILD_TIME)
    files = site_files(out)
    assert result.listed > 40 and len(files) > 2 * result.listed
    assert any(p.startswith("portraits/") for p in files)
    assert _leaks(out, {**CANARIES, **EVIDENCE_CANARIES}) == []


def test_the_detector_finds_an_allowed_national_id(
    open_register: Workspace, register: Path, tmp_path: Path
) -> None:
    """Positive control: a policy that allows national_id publishes the canary,
    and the same check finds it (in pages, Persian digits, and open data)."""
    add_policy(
        register,
        'fields = ["name", "national_id", "grade"]\ndefault_consent = "public"\n',
    )
    out = tmp_path / "site"
    publish(open_register, out, BUILD_TIME)
    leaks = _leaks(out, {"national_id": CANARIES["national_id"]})
    assert "national_id in data/persons.csv" in leaks
    assert any(leak.startswith("national_id in fa/memorial/") for leak in leaks)


@pytest.mark.parametrize("policy", ["", 'fields = ["name"]\n'])
def test_default_policies_publish_no_national_id(
    open_register: Workspace, register: Path, tmp_path: Path, policy: str
) -> None:
    add_policy(register, policy + 'default_consent = "public"\n')
    publish(open_register, tmp_path / "site", BUILD_TIME)
    assert _leaks(tmp_path / "site", {"national_id": CANARIES["national_id"]}) == []


#: Free-text values of a canary person (and its name and national id).
_VALUES = (
    "full_name",
    "national_id",
    "city",
    "province",
    "cause",
    "occupation",
    "circumstances",
    "injury_location",
    "alleged_force",
)


def _person_values(role: str) -> dict[str, str]:
    values = {f"{role}.{k}": PERSON_CANARIES[role][k] for k in _VALUES}
    if role == "contested":
        values["contested.second_cause"] = CONTESTED_SECOND["cause"]
    return values


def _own_files(pid: str) -> set[str]:
    """The files that may show a listed person's own values."""
    return {
        *(f"{lang}/memorial/{pid}.html" for lang in ("en", "fa")),
        *(f"{lang}/memorial/index.html" for lang in ("en", "fa")),
        "data/persons.csv",
        "data/persons.json",
        "data/search-index.js",
    }


@pytest.mark.parametrize("policy", ["", WIDEST_POLICY], ids=["default", "widest"])
def test_no_free_text_of_persons_not_published_in_any_file(
    open_register: Workspace, register: Path, tmp_path: Path, policy: str
) -> None:
    """Issue 13: figures, charts, report and pages hold no free text of persons
    withheld, discounted, contested or without a name, in any policy."""
    add_policy(register, policy)
    pids = canary_roles(open_register)
    out = tmp_path / "site"
    publish(open_register, out, BUILD_TIME)
    hidden = ("withheld", "discounted", "contested", "noname")
    values = {k: v for role in hidden for k, v in _person_values(role).items()}
    leaks = _leaks(out, values)
    assert not leaks, "\n".join(leaks)
    for pid in (pids["withheld"], pids["discounted"]):
        assert not any(pid in path for path in site_files(out))
    # The control: a person published with a name shows their own values on their
    # own pages only, never in the figures, charts or report.
    found = _leaks(out, _person_values("public"))
    where = {leak.split(" in ", 1)[1] for leak in found}
    assert where and where <= _own_files(pids["public"])
    assert f"public.city in en/memorial/{pids['public']}.html" in found
    if policy:
        assert f"public.occupation in fa/memorial/{pids['public']}.html" in found

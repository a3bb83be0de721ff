"""Imports from the app: upload, preview, mapping, import, a new version of a list,
a source retracted and restored; the upload never touches the disk (issue 18)."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from starlette import formparsers

from aban.store.workspace import open_workspace
from tests.conftest import PASSPHRASE
from tests.web.client import TestClient
from tests.web.conftest import csrf_of, page_csrf, signed_in

LIST = (
    "record_id,prenom,family_name,city,status,date_of_death\n"
    "w1,Kaveh,Sadeghi,Tehran,killed,2019-11-16\n"
    "w2,Babak,Sadeghi,Tehran,killed,2019-11-17\n"
)
CORRECTED = (
    "record_id,prenom,family_name,city,status,date_of_death\n"
    "w1,Kaveh,Sadeghi,Karaj,killed,2019-11-16\n"
)


def upload(
    client: TestClient, content: bytes, name: str = "list.csv", **fields: str
) -> Any:
    data = {"csrf": page_csrf(client), "source": "", **fields}
    return client.post("/imports", data=data, files={"file": (name, content)})


def choose(client: TestClient, page: Any, mapping: dict[str, str]) -> Any:
    headers = ["record_id", "prenom", "family_name", "city", "status"]
    headers.append("date_of_death")
    targets = [mapping.get(h, h if h != "prenom" else "") for h in headers]
    return client.post(
        "/imports/preview",
        data={"csrf": csrf_of(page), "header": headers, "target": targets},
    )


def stored(path: Path, source: str) -> list[tuple[str, str | None, str, str]]:
    with open_workspace(path, PASSPHRASE) as ws:
        return ws.conn.execute(
            "select r.record_id, r.given_name, r.city, a.actor from live_records r "
            "join sources s on s.id = r.source_id "
            "join import_actors a on a.import_id = r.import_id "
            "where s.name = ? order by r.record_id",
            (source,),
        ).fetchall()


def test_upload_preview_map_and_import(app: Any, web_path: Path) -> None:
    client = signed_in(app, "analyst")
    page = upload(client, LIST.encode(), new_source="web_list")
    assert page.status_code == 200
    assert "Preview" in page.text and "list.csv" in page.text
    # The preview is the import's: 'prenom' is kept as raw data until mapped.
    assert '<option value="" selected' not in page.text
    again = choose(client, page, {"prenom": "given_name"})
    assert again.status_code == 200
    # A sample of the mapped column, as it would be stored (normalised).
    assert "kaveh" in again.text
    assert '<option value="given_name" selected>' in again.text
    done = client.post("/imports/import", data={"csrf": csrf_of(again)})
    assert done.status_code == 200
    assert "The list was imported." in done.text
    assert stored(web_path, "web_list") == [
        ("w1", "Kaveh", "Tehran", "anna"),
        ("w2", "Babak", "Tehran", "anna"),
    ]
    # The upload is forgotten once imported.
    assert 'id="preview"' not in client.get("/imports").text


def test_keep_as_raw_holds_for_a_column_named_as_a_records_column(
    app: Any, web_path: Path
) -> None:
    client = signed_in(app, "analyst")
    page = upload(client, LIST.encode(), new_source="web_list")
    # 'city' maps onto the city by its own name until the analyst keeps it raw.
    assert '<option value="city" selected>' in page.text
    page = choose(client, page, {"prenom": "given_name", "city": ""})
    assert page.status_code == 200
    assert '<option value="city" selected>' not in page.text
    done = client.post("/imports/import", data={"csrf": csrf_of(page)})
    assert "The list was imported." in done.text
    assert stored(web_path, "web_list") == [
        ("w1", "Kaveh", None, "anna"),
        ("w2", "Babak", None, "anna"),
    ]


def test_a_new_version_of_a_list_changes_and_retracts(app: Any, web_path: Path) -> None:
    client = signed_in(app, "analyst")
    page = upload(client, LIST.encode(), new_source="web_list")
    page = choose(client, page, {"prenom": "given_name"})
    client.post("/imports/import", data={"csrf": csrf_of(page)})
    page = upload(client, CORRECTED.encode(), source="web_list", replace="1")
    page = choose(client, page, {"prenom": "given_name"})
    done = client.post("/imports/import", data={"csrf": csrf_of(page)})
    assert done.status_code == 200, done.text
    assert "The list was imported." in done.text
    assert stored(web_path, "web_list") == [("w1", "Kaveh", "Karaj", "anna")]


def test_a_list_with_errors_is_refused_with_its_issues(
    app: Any, web_path: Path
) -> None:
    client = signed_in(app, "analyst")
    broken = LIST + "w1,Duplicate,Sadeghi,Tehran,killed,2019-11-18\n"
    page = upload(client, broken.encode(), new_source="web_list")
    assert "record-id-duplicate" in page.text
    done = client.post("/imports/import", data={"csrf": csrf_of(page)})
    assert done.status_code == 400
    assert "The list was not imported: see its issues." in done.text
    assert stored(web_path, "web_list") == []


def test_an_xlsx_list_is_read_as_the_import_reads_it(app: Any, web_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    for line in LIST.splitlines():
        sheet.append(line.split(","))
    data = io.BytesIO()
    book.save(data)
    client = signed_in(app, "analyst")
    page = upload(client, data.getvalue(), "list.xlsx", new_source="xlsx_list")
    assert page.status_code == 200 and "list.xlsx" in page.text
    client.post("/imports/import", data={"csrf": csrf_of(page)})
    assert [r[0] for r in stored(web_path, "xlsx_list")] == ["w1", "w2"]


def test_the_upload_is_never_a_temporary_file(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an upload went to a temporary file")

    for name in ("SpooledTemporaryFile", "NamedTemporaryFile", "TemporaryFile"):
        monkeypatch.setattr(tempfile, name, refuse)
    # Starlette's form parser spools files through its own name for it.
    monkeypatch.setattr(formparsers, "SpooledTemporaryFile", refuse)
    client = signed_in(app, "analyst")
    big = LIST + "".join(
        f"x{i},Name,Family,Tehran,killed,2019-11-16\n" for i in range(40_000)
    )
    assert len(big) > 1024 * 1024  # beyond the size a form parser spools to disk
    page = upload(client, big.encode(), new_source="big_list")
    assert page.status_code == 200


@pytest.mark.parametrize(
    ("name", "fields"),
    [("list.exe", {"new_source": "x"}), ("list.csv", {})],
)
def test_a_bad_upload_is_refused(app: Any, name: str, fields: dict[str, str]) -> None:
    client = signed_in(app, "analyst")
    page = upload(client, LIST.encode(), name, **fields)
    assert page.status_code == 400
    assert (
        "Choose a CSV, XLSX or JSON file of at most 20 MB, and a source." in page.text
    )


def test_retract_and_restore_a_source(app: Any, web_path: Path) -> None:
    client = signed_in(app, "analyst")
    csrf = page_csrf(client)
    missing = client.post(
        "/imports/source", data={"csrf": csrf, "action": "retract", "source": "ngo"}
    )
    assert missing.status_code == 400  # a retraction needs its reason
    done = client.post(
        "/imports/source",
        data={"csrf": csrf, "action": "retract", "source": "ngo", "reason": "dup"},
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/imports?done=source_retracted"
    with open_workspace(web_path, PASSPHRASE) as ws:
        assert ws.conn.execute("select count(*) from retractions").fetchone()[0] == 6
    back = client.post(
        "/imports/source", data={"csrf": csrf, "action": "restore", "source": "ngo"}
    )
    assert back.headers["location"] == "/imports?done=source_restored"
    with open_workspace(web_path, PASSPHRASE) as ws:
        assert ws.conn.execute("select count(*) from retractions").fetchone()[0] == 0


@pytest.mark.parametrize("role", ["viewer", "reviewer", "documenter"])
def test_only_analysts_import(app: Any, role: str) -> None:
    client = TestClient(app, follow_redirects=False)
    from tests.web.conftest import login
    from tests.web.seed import ROLE_USERS

    login(client, ROLE_USERS[role])
    home = "/records/mine" if role == "documenter" else "/"
    csrf = csrf_of(client.get(home))
    assert client.get("/imports").status_code == 403
    refused = client.post(
        "/imports",
        data={"csrf": csrf, "new_source": "x"},
        files={"file": ("list.csv", LIST.encode())},
    )
    assert refused.status_code == 403


def test_the_imports_page_in_persian(app: Any) -> None:
    client = signed_in(app, "analyst")
    page = client.get("/imports?lang=fa")
    assert page.status_code == 200
    assert "درون‌ریزی فهرست" in page.text and 'dir="rtl"' in page.text


def test_an_upload_needs_the_session_csrf_token(app: Any, web_path: Path) -> None:
    client = signed_in(app, "analyst")
    for csrf in ("", "not the token"):
        refused = client.post(
            "/imports",
            data={"csrf": csrf, "new_source": "web_list"},
            files={"file": ("list.csv", LIST.encode())},
        )
        assert refused.status_code == 403
    assert 'id="preview"' not in client.get("/imports").text


def test_a_form_of_too_many_fields_is_refused_not_a_crash(app: Any) -> None:
    client = signed_in(app, "analyst")
    body = "&".join(f"f{i}=x" for i in range(100))
    response = client.post(
        "/imports",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 403  # no field read, so no token either


def test_two_columns_onto_one_and_a_list_imported_twice(app: Any) -> None:
    client = signed_in(app, "analyst")
    page = upload(client, LIST.encode(), new_source="web_list")
    twice = choose(client, page, {"prenom": "family_name"})
    assert twice.status_code == 400
    assert "Two columns map onto one records column" in twice.text
    client.post("/imports/import", data={"csrf": csrf_of(page)})
    page = upload(client, LIST.encode(), source="web_list")
    again = client.post("/imports/import", data={"csrf": csrf_of(page)})
    assert "This list was imported before for this source" in again.text


def test_the_valid_rows_only_when_asked(app: Any, web_path: Path) -> None:
    client = signed_in(app, "analyst")
    broken = LIST + "w1,Duplicate,Sadeghi,Tehran,killed,2019-11-18\n"
    page = upload(client, broken.encode(), new_source="web_list", skip="1")
    page = choose(client, page, {"prenom": "given_name"})
    done = client.post("/imports/import", data={"csrf": csrf_of(page)})
    assert done.status_code == 200
    assert "The list was imported." in done.text
    assert [r[0] for r in stored(web_path, "web_list")] == ["w1", "w2"]
    assert "record-id-duplicate" in done.text  # the refused row, listed

"""Two-factor sign-in (TOTP, RFC 6238): enrol, sign in with a code, single use, the
rate limit, required by an admin or by the settings (issue 18)."""

from __future__ import annotations

import dataclasses
import re
import time
from pathlib import Path
from typing import Any

import pyotp
import pytest

from aban.store.workspace import open_workspace
from aban.web.two_factor import (
    PendingLogins,
    clean_code,
    matching_step,
)
from tests.conftest import PASSPHRASE
from tests.web.client import TestClient
from tests.web.conftest import csrf_of, login, page_csrf, signed_in
from tests.web.seed import PASSWORD

SECRET = re.compile(r'id="totp-secret" dir="ltr">([A-Z2-7 ]+)<')
PENDING_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def shown_secret(text: str) -> str:
    found = SECRET.search(text)
    assert found, "no secret on the page"
    return found.group(1).replace(" ", "")


def code_at(secret: str, steps: int = 0) -> str:
    """The code of the time step ``steps`` from now."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps)


def enrol(client: TestClient) -> str:
    """Enrol the signed-in user from its own page; return the secret."""
    csrf = page_csrf(client)
    page = client.post("/account/two-factor", data={"action": "start", "csrf": csrf})
    assert page.status_code == 200
    secret = shown_secret(page.text)
    assert "otpauth://totp/aban:" in page.text
    done = client.post(
        "/account/two-factor",
        data={"action": "confirm", "csrf": csrf, "code": code_at(secret)},
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/account?done=two_factor_on"
    return secret


def send_code(client: TestClient, page: Any, code: str) -> Any:
    return client.post("/login/code", data={"code": code, "csrf": csrf_of(page)})


def test_a_totp_sign_in(app: Any, web_path: Path) -> None:
    secret = enrol(signed_in(app, "viewer"))
    client = TestClient(app, follow_redirects=False)
    page = login(client, "vera")
    # The password was right, but there is no session until the code.
    assert page.status_code == 200
    assert "aban_session" not in client.cookies
    assert 'autocomplete="one-time-code"' in page.text
    assert "totp-secret" not in page.text  # shown only when enrolling
    # The code that confirmed the enrolment is used: the next step's serves.
    with app.state.web.db.reader() as conn:
        (used,) = conn.execute("select last_step from user_totp").fetchone()
    totp = pyotp.TOTP(secret)
    assert send_code(client, page, totp.generate_otp(used)).status_code == 401
    code = totp.generate_otp(used + 1)
    done = send_code(client, page, code)
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert client.get("/").status_code == 200
    # The same code again, in a new sign-in, is refused: a code serves once.
    other = TestClient(app, follow_redirects=False)
    again = login(other, "vera")
    refused = send_code(other, again, code)
    assert refused.status_code == 401
    assert "Wrong code." in refused.text
    assert "aban_session" not in other.cookies


def test_the_secret_is_in_the_register_only(app: Any, web_path: Path) -> None:
    secret = enrol(signed_in(app, "viewer"))
    with open_workspace(web_path, PASSPHRASE) as ws:
        stored = ws.conn.execute(
            "select secret from user_totp join users u on u.id = user_id "
            "where u.name = 'vera'"
        ).fetchone()[0]
        details = " ".join(d for (d,) in ws.conn.execute("select detail from audit"))
        last = ws.conn.execute(
            "select action, detail from audit order by seq desc limit 1"
        ).fetchone()
    assert stored == secret
    assert secret not in details
    assert last[0] == "user-two-factor-enrol"
    assert set(__import__("json").loads(last[1])) == {"user_id"}


def test_wrong_codes_count_as_failed_sign_ins(app: Any) -> None:
    enrol(signed_in(app, "viewer"))
    client = TestClient(app, follow_redirects=False)
    page = login(client, "vera")
    for _ in range(4):
        wrong = send_code(client, page, "000000")
        assert wrong.status_code == 401 and "Wrong code." in wrong.text
    # The fifth wrong code ends the pending sign-in, and the name is locked.
    ended = send_code(client, page, "000000")
    assert ended.status_code == 401
    assert "sign in again" in ended.text
    assert login(client, "vera").status_code == 429


def test_a_code_without_a_pending_sign_in_is_refused(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post("/login/code", data={"code": "123456", "csrf": "x"})
    assert response.status_code == 401
    assert "The sign-in waited too long" in response.text
    assert page.status_code == 200


def test_a_pending_sign_in_needs_its_own_csrf_token(app: Any) -> None:
    enrol(signed_in(app, "viewer"))
    client = TestClient(app, follow_redirects=False)
    login(client, "vera")
    response = client.post("/login/code", data={"code": "123456", "csrf": "x"})
    assert response.status_code == 403


def test_an_admin_requires_two_factors_and_the_user_enrols_at_sign_in(
    app: Any, web_path: Path
) -> None:
    admin = signed_in(app, "admin")
    response = admin.post(
        "/admin/users/rosa", data={"action": "require", "csrf": page_csrf(admin)}
    )
    assert response.status_code == 303
    assert "required" in admin.get("/admin/users").text
    client = TestClient(app, follow_redirects=False)
    page = login(client, "rosa", PASSWORD)
    assert page.status_code == 200
    assert "Your account needs two-factor sign-in" in page.text
    secret = shown_secret(page.text)
    done = send_code(client, page, code_at(secret))
    assert done.status_code == 303
    assert client.get("/review").status_code == 200
    with open_workspace(web_path, PASSPHRASE) as ws:
        row = ws.conn.execute(
            "select secret, required from user_totp t join users u on u.id = "
            "t.user_id where u.name = 'rosa'"
        ).fetchone()
    assert row == (secret, 1)


def test_an_admin_resets_a_lost_secret_and_signs_the_user_out(app: Any) -> None:
    user = signed_in(app, "viewer")
    enrol(user)
    admin = signed_in(app, "admin")
    response = admin.post(
        "/admin/users/vera", data={"action": "reset", "csrf": page_csrf(admin)}
    )
    assert response.status_code == 303
    assert user.get("/").status_code == 303  # signed out
    client = TestClient(app, follow_redirects=False)
    assert login(client, "vera").status_code == 303  # no code asked any more


def test_the_setting_requires_two_factors_of_everyone(app: Any) -> None:
    db = app.state.web.db
    db.settings = dataclasses.replace(db.settings, serve_two_factor="required")
    client = TestClient(app, follow_redirects=False)
    page = login(client, "vera")
    assert page.status_code == 200
    assert "Your account needs two-factor sign-in" in page.text
    assert "aban_session" not in client.cookies
    page_fa = TestClient(app, follow_redirects=False)
    page_fa.cookies.set("aban_lang", "fa")
    shown = login(page_fa, "anna")
    assert "ورود دومرحله‌ای" in shown.text
    assert 'lang="fa" dir="rtl"' in shown.text


def test_an_account_page_in_both_languages(app: Any) -> None:
    client = signed_in(app, "viewer")
    english = client.get("/account")
    assert english.status_code == 200
    assert "Two-factor sign-in is off." in english.text
    persian = client.get("/account?lang=fa")
    assert "ورود دومرحله‌ای خاموش است." in persian.text


@pytest.mark.parametrize(
    ("code", "expected"),
    [("123456", "123456"), (" 123 456 ", "123456"), ("۱۲۳۴۵۶", "123456")],
)
def test_codes_are_read_in_either_script(code: str, expected: str) -> None:
    assert clean_code(code) == expected


def test_codes_of_the_steps_either_side_are_accepted() -> None:
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    now = 1_700_000_000.0
    step = int(now) // 30
    assert matching_step(secret, totp.at(now), now) == step
    assert matching_step(secret, totp.at(now - 30), now) == step - 1
    assert matching_step(secret, totp.at(now + 30), now) == step + 1
    assert matching_step(secret, totp.at(now + 60), now) is None
    assert matching_step(secret, "12345", now) is None
    assert matching_step(secret, "abcdef", now) is None


def test_a_pending_sign_in_expires() -> None:
    clock = [0.0]
    pending = PendingLogins(clock=lambda: clock[0])
    user: Any = object()
    token = pending.start(user, "/", None)
    assert pending.get(token) is not None
    clock[0] = 301.0
    assert pending.get(token) is None


def test_a_good_password_does_not_buy_more_guesses_at_the_code(app: Any) -> None:
    enrol(signed_in(app, "viewer"))
    client = TestClient(app, follow_redirects=False)
    page = login(client, "vera")
    for _ in range(4):
        assert send_code(client, page, "000000").status_code == 401
    again = login(client, "vera")  # the password again: the failures stay
    assert again.status_code == 200
    assert send_code(client, again, "000000").status_code == 401
    assert login(client, "vera").status_code == 429


def test_a_new_secret_needs_a_code_from_the_current_one(app: Any) -> None:
    client = signed_in(app, "viewer")
    secret = enrol(client)
    csrf = page_csrf(client)
    refused = client.post("/account/two-factor", data={"action": "start", "csrf": csrf})
    assert refused.status_code == 400 and "Wrong code." in refused.text
    assert "totp-secret" not in refused.text
    with app.state.web.db.reader() as conn:
        (used,) = conn.execute("select last_step from user_totp").fetchone()
    current = pyotp.TOTP(secret).generate_otp(used + 1)
    offered = client.post(
        "/account/two-factor",
        data={"action": "start", "csrf": csrf, "current": current},
    )
    assert offered.status_code == 200
    assert shown_secret(offered.text) != secret

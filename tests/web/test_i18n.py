"""The web app's words and the static site's locale extend one base (issue 12)."""

from __future__ import annotations

import pytest

from aban.site.i18n import Locale
from aban.text.i18n import LANGS, BaseLocale
from aban.web.i18n import Words


def test_site_and_web_share_the_base_with_their_own_tables() -> None:
    for lang in LANGS:
        site, web = Locale(lang), Words(lang)
        assert isinstance(site, BaseLocale) and isinstance(web, BaseLocale)
        assert site.direction == web.direction and site.other == web.other
    assert Words("fa").t("no-such-key") == "no-such-key"  # the web app is lenient
    with pytest.raises(KeyError):
        Locale("fa").t("no-such-key")  # the site is strict: languages cannot drift
    assert Locale("fa").num(1500) == Words("fa").num(1500) == "۱٬۵۰۰"

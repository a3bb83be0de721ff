"""Templates and files: the Jinja environment and the writer of the output folder.

Templates ship in the package (``aban/site/templates``); a template folder given
by the user overrides them file by file (a ``ChoiceLoader``). The environment
escapes everything (``autoescape``) and fails on any undefined name
(``StrictUndefined``); each template is compiled once and reused for every page.
Pages live under ``OUT/en/`` and ``OUT/fa/`` with the same names, and link to
each other and to ``OUT/assets/`` and ``OUT/data/`` by relative paths only, so
the site works from any folder or static host.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Template,
)

from aban.site import views
from aban.site.charts import SERIES_COLOURS
from aban.site.i18n import Locale
from aban.site.svg import GRADE_COLOURS
from aban.store.releases import Release

__all__ = ["NAV", "SiteInfo", "Writer", "environment"]

#: The navigation: (key, page under the language folder).
NAV = (
    ("home", "index.html"),
    ("report", "report.html"),
    ("memorial", "memorial/index.html"),
    ("search", "search.html"),
    ("methodology", "methodology.html"),
    ("data", "data.html"),
)


def environment(template_dir: Path | None = None) -> Environment:
    """The site's Jinja environment (user templates first, then the package's)."""
    loaders: list[Any] = [PackageLoader("aban.site", "templates")]
    if template_dir is not None:
        loaders.insert(0, FileSystemLoader(str(template_dir)))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.globals.update(
        name_of=views.name_of,
        descriptors=views.descriptors,
        details=views.details,
        signed=views.signed,
        colours=GRADE_COLOURS,
        series_colours=SERIES_COLOURS,
    )
    return env


@dataclass(frozen=True)
class SiteInfo:
    """What every page's frame shows.

    Attributes:
        title: the site's title by language.
        release: the release this build belongs to.
        build_time: when the site was built (UTC, ISO 8601).
        contact: the address for corrections ("" for none).
    """

    title: dict[str, str]
    release: Release
    build_time: str
    contact: str


@dataclass
class Writer:
    """Writes pages and files under the output folder, creating folders once."""

    out: Path
    env: Environment
    site: SiteInfo
    written: int = 0
    _folders: set[Path] = field(default_factory=set)
    _templates: dict[str, Template] = field(default_factory=dict)

    def write(self, relative: str, data: bytes) -> None:
        """Write ``data`` to ``OUT/relative`` (folders made as needed)."""
        path = self.out / relative
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        with open(path, "wb") as handle:
            handle.write(data)
        self.written += 1

    def template(self, name: str) -> Template:
        """The compiled template ``name`` (compiled once per build)."""
        if name not in self._templates:
            self._templates[name] = self.env.get_template(name)
        return self._templates[name]

    def page(
        self, loc: Locale, name: str, here: str, active: str, **context: Any
    ) -> None:
        """Render template ``name`` as the page ``OUT/<lang>/<here>``.

        Args:
            loc: the page's language.
            name: the template's file name.
            here: the page's path under the language folder (``memorial/P1.html``).
            active: the navigation key to mark as current.
            context: the template's own values.
        """
        depth = here.count("/")
        html = self.template(name).render(
            loc=loc,
            root="../" * (depth + 1),
            up="../" * depth,
            here=here,
            site=self.site,
            nav=NAV,
            active=active,
            **context,
        )
        self.write(f"{loc.lang}/{here}", html.encode("utf-8"))

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

import re
from collections.abc import Mapping
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
from markupsafe import escape

from aban.errors import SiteBuildError
from aban.site import views
from aban.site.charts import SERIES_COLOURS
from aban.site.files import FileWriter
from aban.site.i18n import Locale
from aban.site.releases import Release
from aban.site.svg import GRADE_COLOURS

__all__ = ["NAV", "Frame", "SiteInfo", "Writer", "environment"]

#: Markers where a frame's page-specific parts go (NUL never occurs in a page).
MARKS = {"title": "\x00title\x00", "here": "\x00here\x00", "main": "\x00main\x00"}
_MARK = re.compile("\x00(title|here|main)\x00")

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


@dataclass(frozen=True)
class Frame:
    """A page frame rendered once: literal text and the names of the parts between.

    ``parts`` alternates text and a marker name (``title``, ``here``, ``main``),
    starting and ending with text.
    """

    parts: tuple[str, ...]

    def fill(self, values: Mapping[str, str]) -> str:
        """The page with each marker replaced by its value (already escaped)."""
        return "".join(values[p] if i % 2 else p for i, p in enumerate(self.parts))


@dataclass
class Writer:
    """Renders pages and hands them to the file writer of the output folder."""

    files: FileWriter
    env: Environment
    site: SiteInfo
    _templates: dict[str, Template] = field(default_factory=dict)
    _frames: dict[tuple[str, int, str], Frame] = field(default_factory=dict)

    @property
    def written(self) -> int:
        """Files written (or queued) so far."""
        return self.files.count

    def write(self, relative: str, data: bytes) -> None:
        """Write ``data`` to ``OUT/relative`` (folders made as needed)."""
        self.files.write(relative, data)

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

    def frame(self, loc: Locale, depth: int, active: str) -> Frame:
        """The frame (``frame.html``) of pages ``depth`` folders below the language's.

        Pages written in bulk (one per person) render only their body; the
        frame around it, the same for all of them, is rendered once.
        """
        key = (loc.lang, depth, active)
        if key not in self._frames:
            html = self.template("frame.html").render(
                loc=loc,
                root="../" * (depth + 1),
                up="../" * depth,
                here=MARKS["here"],
                site=self.site,
                nav=NAV,
                active=active,
                marks=MARKS,
            )
            parts = tuple(_MARK.split(html))
            if sorted(parts[1::2]) != sorted(MARKS):
                raise SiteBuildError(
                    "frame.html must show the title, the page and the language "
                    "switch exactly once each"
                )
            self._frames[key] = Frame(parts)
        return self._frames[key]

    def framed(
        self, loc: Locale, frame: Frame, here: str, title: str, body: str
    ) -> None:
        """Write ``OUT/<lang>/<here>``: ``body`` in ``frame``, titled ``title``."""
        values = {"title": str(escape(title)), "here": str(escape(here)), "main": body}
        self.write(f"{loc.lang}/{here}", frame.fill(values).encode("utf-8"))

"""The demo's publication: ``aban demo`` ends with a published site.

:func:`publish_demo` gives the demo workspace a publication policy (synthetic
names only, so the demo publishes names and the short stories by default),
writes a sample of the team's story (:data:`DEMO_STORY`, saying it is made up)
for the first confirmed person killed, and publishes it into ``<demo folder>/site``.
"""

from __future__ import annotations

from pathlib import Path

from aban.config import CONFIG_NAME, load_section
from aban.site.build import Publication, publish
from aban.site.stories import set_story
from aban.store.workspace import Workspace

__all__ = ["DEMO_POLICY", "DEMO_STORY", "publish_demo"]

#: The team's story the demo writes for one person: made up, and says so.
DEMO_STORY = {
    "biography_en": "A made-up sample for the demo. Here the documenting team "
    "writes, with the family's consent, who the person was: their work, their "
    "family, what they cared about.",
    "biography_fa": "نمونه‌ای ساختگی برای نسخه نمایشی. تیم مستندسازی اینجا، با "
    "رضایت خانواده، می‌نویسد او که بود: کارش، خانواده‌اش و آنچه برایش مهم بود.",
    "circumstances_en": "Here the team tells, from what the sources established, "
    "how the person was killed.",
    "circumstances_fa": "تیم اینجا بر پایه آنچه منابع ثابت کرده‌اند می‌نویسد او "
    "چگونه جان باخت.",
}

#: The demo's ``[publication]`` table (every name in the demo is synthetic).
DEMO_POLICY = """
# The demo's publication policy: every name here is synthetic, so the demo
# publishes names and short stories by default. For real data, start from the
# defaults (default_consent = "public-without-name", no story).
[publication]
default_consent = "public"
story = "circumstances"
contact = "corrections@example.org"
"""


def publish_demo(
    ws: Workspace, folder: Path, build_time: str | None = None
) -> Publication:
    """Publish the demo workspace into ``folder / "site"``.

    Adds :data:`DEMO_POLICY` to the workspace's aban.toml unless it already has
    a ``[publication]`` table.

    Args:
        ws: the demo's open workspace.
        folder: the demo folder.
        build_time: the build time (now when None).

    Returns:
        The publication; ``entry`` is the page to open.
    """
    if not load_section(ws.path, "publication"):
        config = ws.path / CONFIG_NAME
        config.write_text(config.read_text("utf-8") + DEMO_POLICY, encoding="utf-8")
    first = ws.conn.execute(
        "select person_id from persons where grade = 'confirmed' and "
        "json_extract(canonical, '$.fields.status.value') = 'killed' "
        "order by id limit 1"
    ).fetchone()
    if first is not None:
        set_story(ws, str(first[0]), DEMO_STORY)
    return publish(ws, folder / "site", build_time)

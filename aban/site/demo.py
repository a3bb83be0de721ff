"""The demo's publication: ``aban demo`` ends with a published site.

:func:`publish_demo` gives the demo workspace a publication policy (synthetic
names only, so the demo publishes names and the short stories by default) and
publishes it into ``<demo folder>/site``.
"""

from __future__ import annotations

from pathlib import Path

from aban.config import CONFIG_NAME, load_section
from aban.site.build import Publication, publish
from aban.store.workspace import Workspace

__all__ = ["DEMO_POLICY", "publish_demo"]

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
    return publish(ws, folder / "site", build_time)

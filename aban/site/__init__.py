"""Publishing: a static bilingual memorial and report site, and open data.

Only what the publication policy (``[publication]`` in aban.toml) allows is
read from the register; see :mod:`aban.site.policy` and :func:`publish`.
"""

from __future__ import annotations

from aban.site.build import Publication, build_site, parse_build_time, publish
from aban.site.collect import SiteData, collect_site
from aban.site.demo import publish_demo
from aban.site.policy import (
    PublicationPolicy,
    load_policy,
    policy_from_mapping,
)

__all__ = [
    "Publication",
    "PublicationPolicy",
    "SiteData",
    "build_site",
    "collect_site",
    "load_policy",
    "parse_build_time",
    "policy_from_mapping",
    "publish",
    "publish_demo",
]

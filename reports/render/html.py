"""Standalone HTML documents from the templates of ``reports/templates``.

One Jinja2 environment per language (autoescaped, ``{% trans %}``/``_()`` from the reports
catalogues). Templates extend ``base.html``: inline CSS with print rules (A4, repeated table
headers, no break inside a row), the CJK-capable font stack, and no external asset at all,
so a saved file opens years later exactly as generated, and WeasyPrint renders the same page.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from governance.timeutil import as_utc
from reports.render import charts
from reports.render.i18n import Lang, translations
from reports.render.pdf import FONT_FAMILY
from scanners.wording import in_language


def _when(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M UTC") -> str:
    return as_utc(value).strftime(fmt) if value is not None else "—"


def _num(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}"


@lru_cache(maxsize=4)
def environment(lang: Lang) -> Environment:
    """The Jinja2 environment of ``lang`` (cached; templates are read once per process)."""
    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # added to the environment by the i18n extension at run time, so neither pylint nor mypy
    # can see it (as in portal/templating.py)
    env.install_gettext_translations(  # type: ignore[attr-defined]  # pylint: disable=no-member
        translations(lang), newstyle=True
    )
    env.filters["when"] = _when
    env.filters["num"] = _num
    # a finding's message Govern wrote, in the document's language:
    # ``f.message|in_language(f.message_wording)``
    gettext = translations(lang).gettext
    env.filters["in_language"] = lambda text, wording: in_language(text, wording, gettext)
    env.globals.update(
        lang=lang,
        font_family=FONT_FAMILY,
        bar_chart=charts.bar_chart,
        line_chart=charts.line_chart,
        severity_chart=charts.severity_chart,
    )
    return env


def render_html(template: str, context: Mapping[str, Any], *, lang: Lang) -> str:
    """Render ``template`` (a name under ``reports/templates``) with ``context`` in ``lang``."""
    return environment(lang).get_template(template).render(**context)

"""The portal's fast ``_()`` renders exactly what Jinja's newstyle gettext renders."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment

from portal import i18n
from portal.templating import build_templates

CASES = {
    "plain": '{{ _("Dashboard") }}',
    "values are escaped into it": '{{ _("unknown module \'%(key)s\'", key="<b>&") }}',
    "a doubled percent is one": '{{ _("100%% of %(n)s", n=3) }}',
    "a translation with no value": '{{ _("Scan now") }}',
    "used as an attribute": "<a title=\"{{ _('My account') }}\">x</a>",
}


def _reference() -> Environment:
    """Jinja's own extension, as the portal installed it before."""
    env = Environment(loader=DictLoader(CASES), autoescape=True, extensions=["jinja2.ext.i18n"])
    # the i18n extension adds this method at run time (pylint E1101, mypy attr-defined)
    env.install_gettext_callables(  # type: ignore[attr-defined]  # pylint: disable=no-member
        i18n.gettext_, i18n.ngettext_, newstyle=True
    )
    return env


@pytest.mark.parametrize("language", ["en", "zh_CN"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_fast_gettext_renders_what_the_newstyle_extension_renders(case: str, language: str) -> None:
    i18n.activate(i18n.load_catalogues()[language])
    portal_env = build_templates().env
    assert portal_env.globals["_"] is i18n.template_message  # the fast path is the one in use
    expected = _reference().get_template(case).render()
    assert portal_env.from_string(CASES[case]).render() == expected


def test_the_zh_cn_translation_is_used() -> None:
    i18n.activate(i18n.load_catalogues()["zh_CN"])
    assert build_templates().env.from_string(CASES["plain"]).render() == "仪表盘"

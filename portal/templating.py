"""The Jinja2 environment (i18n extension, filters) and the one render helper pages use."""

from __future__ import annotations

import gettext
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from governance.errors import UserError
from governance.registry.validation import redact_url
from governance.tickets import titles
from governance.tickets.models import Ticket
from portal import i18n
from portal.svg import score_class
from scanners.wording import in_language

TEMPLATES = Path(__file__).with_name("templates")


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else ("" if value is None else str(value))


def _when(value: object) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") else ""


def _ticket_title(ticket: Ticket) -> str:
    return titles.shown(ticket, i18n.gettext_)


def _in_language(text: object, wording: object) -> str:
    """Text Govern wrote (a finding's message, a sync outcome, a problem line) in the reader's
    language: ``{{ f.message|in_language(f.message_wording) }}``; see
    :func:`scanners.wording.in_language`."""
    return in_language(text, wording, i18n.gettext_)


def build_templates() -> Jinja2Templates:
    """A fresh environment per app (never at import time)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        auto_reload=False,  # templates ship with the package: no stat() per render
        lstrip_blocks=True,
    )
    # added to the environment by the i18n extension at run time, so neither pylint nor
    # jinja2's own annotations know it
    env.install_gettext_callables(  # type: ignore[attr-defined]  # pylint: disable=no-member
        i18n.gettext_, i18n.ngettext_, newstyle=True
    )
    env.globals["_"] = i18n.template_message  # the same result as the extension's ``_``, faster
    env.filters["number"] = _number
    env.filters["redact_url"] = redact_url
    env.filters["when"] = _when
    env.filters["score_class"] = score_class
    env.filters["ticket_title"] = _ticket_title
    env.filters["in_language"] = _in_language
    env.globals["urlencode"] = urlencode
    # Stored values (severities, standards, states, roles) shown in the reader's language: a plain
    # lookup, without the newstyle gettext wrapper that message strings need (it is hot in tables).
    env.globals["label"] = i18n.gettext_
    return Jinja2Templates(env=env)


class _Person(Protocol):
    """A user row or a detached view of one: what templates and language choice read."""

    name: str
    locale: str | None


def locale_for(request: Request, user: _Person | None) -> str:
    """The user's own language, else the browser's preferred supported one."""
    chosen = i18n.normalise(user.locale) if user is not None else None
    return chosen or i18n.from_accept_language(request.headers.get("accept-language"))


def _activate(request: Request, user: _Person | None) -> str:
    locale = locale_for(request, user)
    catalogues: dict[str, gettext.NullTranslations] = request.app.state.catalogues
    i18n.activate(catalogues.get(locale, gettext.NullTranslations()))
    return locale


def error_context(error: UserError | None = None) -> dict[str, Any]:
    """The keys a form page shows a refusal with: the English message, and its wording for the
    template to translate (``error|in_language(error_wording)``; empty when nothing was refused)."""
    return {
        "error": error.message if error else None,
        "error_wording": error.wording if error else None,
    }


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    user: _Person | None = None,
) -> HTMLResponse:
    """Render ``name`` in the request's language with the common context (user, CSRF token)."""
    locale = _activate(request, user)
    session = getattr(request.state, "govern_session", None)
    common = {
        "current_user": user,
        "csrf_token": session.csrf if session else "",
        "lang": locale.replace("_", "-"),
        "path": request.url.path,
    }
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, name, {**common, **context}, status_code=status_code)


def render_fragment(
    request: Request, name: str, context: dict[str, Any], *, user: _Person | None = None
) -> str:
    """Render a partial template to a string in the request's language (for cached fragments)."""
    locale = _activate(request, user)
    templates: Jinja2Templates = request.app.state.templates
    return templates.env.get_template(name).render({"lang": locale.replace("_", "-"), **context})

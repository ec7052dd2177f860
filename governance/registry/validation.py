"""Checks on registry input, shared by every face (CLI, API, pages)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from croniter import CroniterError, croniter

from governance.errors import InvalidInput, said

_MODULE_KEY = re.compile(r"^[A-Z][A-Z0-9]{1,19}$")
_NAME = re.compile(r"^[\w][\w .&()'-]{0,119}$", re.UNICODE)
_USERNAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9._@-]{1,119}$")


def module_key(key: str) -> str:
    """Module keys are upper-case (``BUD``); they prefix requirement keys (``BUD-0042``)."""
    if not _MODULE_KEY.fullmatch(key):
        raise said(
            InvalidInput,
            "invalid module key %(key)s: use 2-20 upper-case letters or digits, starting with a letter",
            key=repr(key),
        )
    return key


def vendor_name(name: str) -> str:
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise said(
            InvalidInput,
            "invalid vendor name %(name)s: 1-120 letters, digits, spaces or .&()'-",
            name=repr(name),
        )
    return name


def username(name: str) -> str:
    if not _USERNAME.fullmatch(name):  # fullmatch: ``$`` would let "ghost\n" in
        raise said(
            InvalidInput, "invalid user name %(name)s: 2-120 of letters, digits and ._@-", name=repr(name)
        )
    return name


def cron(expression: str | None) -> str | None:
    """A five-field cron expression, validated by croniter (never a home-made parser)."""
    if expression is None or expression.strip() == "":
        return None
    expression = " ".join(expression.split())
    if len(expression.split()) != 5 or not croniter.is_valid(expression):
        raise said(
            InvalidInput,
            "invalid cron expression %(expression)s: expected five fields, e.g. '0 2 * * *'",
            expression=repr(expression),
        )
    try:  # valid syntax can still name no real time (31 February): such a schedule never fires
        croniter(expression, datetime(2000, 1, 1, tzinfo=UTC)).get_next(datetime)
    except CroniterError as exc:
        raise said(
            InvalidInput,
            "cron expression %(expression)s never fires: it names no real date",
            expression=repr(expression),
        ) from exc
    return expression


def branch(name: str) -> str:
    if not name or name.startswith("-") or ".." in name or any(c in name for c in " ~^:?*[\\"):
        raise said(InvalidInput, "invalid branch name %(name)s", name=repr(name))
    return name


_USERINFO = re.compile(r"(?P<scheme>\w+://)(?P<user>[^/@\s:]*)(?P<password>:[^/@\s]*)?@")


def _redacted(match: re.Match[str]) -> str:
    scheme = match["scheme"]
    if scheme.lower() in ("http://", "https://"):
        return f"{scheme}***@"  # over HTTP the user name itself is often the token
    return f"{scheme}{match['user']}:***@" if match["password"] else match.group(0)


def redact_url(text: str) -> str:
    """Hide credentials written into URLs (anywhere in ``text``) before anything shows or keeps it."""
    return _USERINFO.sub(_redacted, text)


def remote(url: str | None) -> str | None:
    """Accept local paths and file/https/ssh/git URLs; reject obvious mistakes early.

    Credentials in the URL are refused: the remote is shown to the vendor, in push output,
    on admin pages and in the audit trail. Git on the server gets them from its own
    credential helper or an SSH key instead (README, "Vendor remotes").
    """
    if url is None or url.strip() == "":
        return None
    url = url.strip()
    if url.startswith("-") or any(ch.isspace() for ch in url):
        raise said(InvalidInput, "invalid remote %(remote)s", remote=repr(redact_url(url)))
    if redact_url(url) != url:
        raise said(
            InvalidInput,
            "remote %(remote)s carries credentials, which Govern would show to vendors and keep in the"
            " audit trail: give the URL without them and configure git's credential helper or an SSH"
            " key for the Govern server",
            remote=repr(redact_url(url)),
        )
    allowed = ("file://", "https://", "http://", "ssh://", "git://", "/", "./", "../")
    if not (url.startswith(allowed) or re.match(r"^[\w.-]+@[\w.-]+:", url)):
        raise said(
            InvalidInput,
            "invalid remote %(remote)s: use a path, file://, https:// or ssh:// URL",
            remote=repr(redact_url(url)),
        )
    return url


def token_label(label: str | None) -> str | None:
    """What a token is for, as its owner names it: one line of at most 120 characters."""
    if label is None or not label.strip():
        return None
    label = label.strip()
    if len(label) > 120 or any(not ch.isprintable() for ch in label):
        raise said(InvalidInput, "invalid token label: one line of at most 120 printable characters")
    return label


def base_url(url: str | None) -> str | None:
    """The portal's external base URL (``GOVERN_BASE_URL``): http(s), no credentials, query or fragment."""
    if url is None or not url.strip():
        return None
    url = url.strip().rstrip("/")
    if not re.fullmatch(r"https?://[^\s/@?#]+(/[^\s?#@]*)?", url):
        raise ValueError(
            f"GOVERN_BASE_URL {redact_url(url)!r}: give an http(s) URL such as https://govern.example.org"
        )
    return url

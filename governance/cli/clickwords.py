"""click's own words in the language `govern` speaks: the "Usage:" line and the usage errors.

Upstream click marks these words for gettext, but the click that Typer 0.29 carries inside it
(``typer._click``) has them as plain English f-strings, so no catalogue can reach them where they
are made.  They are translated where they leave instead:

* a usage error (a missing argument, an unknown option, a bad value…) is caught by the root
  group, its finished English message read against :data:`ERRORS` and raised again as the same
  kind of error (exit code 2) in the active language; an unknown message stays English;
* the usage line takes its prefix and its fixed words (:data:`SYNTAX`) from
  :class:`WordedFormatter`, which every command's context uses once :func:`speak` has been
  called on the tree.

Typer's own help words (panel titles, "[required]") are set by name in :mod:`governance.cli.lang`.
The Chinese is in ``cli.po``; the English stays here as the msgids.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import typer

# Typer exports neither the formatter nor the error classes it raises: they live in its copy of click.
from typer._click.core import Context
from typer._click.exceptions import NoArgsIsHelpError, UsageError
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup

from governance.cli.lang import translate

#: The prefix of every usage line (``Usage: govern scan [OPTIONS] MODULE``).
USAGE = "Usage: "
#: The fixed words of a usage line (``govern [OPTIONS] COMMAND [ARGS]...``), longest first.
SYNTAX: tuple[str, ...] = ("COMMAND [ARGS]...", "[OPTIONS]")
#: Each message click and Typer say on a usage error, as its msgid: ``%(name)s`` stands for what
#: varies.  Longer forms come before the shorter ones they start with; a ``%(reason)s`` is itself
#: one of these messages (or a type's own, e.g. pydantic's) and is translated in turn.
ERRORS: tuple[str, ...] = (
    "Missing argument %(name)s. Choose from:\n\t%(choices)s",
    "Missing option %(name)s. Choose from:\n\t%(choices)s",
    "Missing argument %(name)s.",
    "Missing option %(name)s.",
    "No such option: %(name)s (Possible options: %(options)s)",
    "No such option: %(name)s",
    "No such command %(name)s. Did you mean %(suggestions)s?",
    "No such command %(name)s.",
    "Missing command.",
    "Got unexpected extra argument(s) (%(words)s)",
    "Option %(name)s does not take a value.",
    "Option %(name)s requires an argument.",
    "Option %(name)s requires %(count)s arguments.",
    "Argument %(name)s takes %(count)s values.",
    "Invalid value for %(name)s: %(reason)s",
    "Invalid value: %(reason)s",
    "Value error, %(reason)s",
    "%(value)s is not one of %(choices)s.",
    "Input should be a valid integer, unable to parse string as an integer",
    "Input should be a valid number, unable to parse string as a number",
    "Input should be a valid boolean, unable to interpret input",
)
_PLACEHOLDER = re.compile(r"%\\\((\w+)\\\)s")


@cache
def _pattern(msgid: str) -> re.Pattern[str]:
    """The English text of ``msgid`` as a pattern, each placeholder a named group."""
    return re.compile(_PLACEHOLDER.sub(r"(?P<\1>.+?)", re.escape(msgid)), re.DOTALL)


def reworded(message: str) -> str:
    """``message`` (one of :data:`ERRORS`, in English) in the active language; else unchanged."""
    for msgid in ERRORS:
        found = _pattern(msgid).fullmatch(message)
        if found:
            params = found.groupdict()
            if "reason" in params:
                params["reason"] = reworded(params["reason"])
            return translate(msgid, params)
    return message


@contextmanager
def _reworded_errors() -> Iterator[None]:
    """Raise a usage error again in the active language (``--help`` for no arguments passes)."""
    try:
        yield
    except NoArgsIsHelpError:
        raise
    except UsageError as error:
        raise UsageError(reworded(error.format_message()), error.ctx) from error


class WordedFormatter(HelpFormatter):
    """Help and usage output whose "Usage:" is in the active language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        for word in SYNTAX:  # click's fixed placeholders; argument names stay as declared
            args = args.replace(word, translate(word))
        super().write_usage(prog, args, translate(USAGE) if prefix is None else prefix)


class WordedContext(typer.Context):
    """A context that formats with :class:`WordedFormatter`."""

    formatter_class = WordedFormatter


class WordedGroup(TyperGroup):
    """The root ``govern`` group: every usage error of the tree passes through its parsing
    (``make_context``) or its invoking of a subcommand (``invoke``), and is reworded there."""

    context_class = WordedContext

    def make_context(
        self, info_name: str | None, args: list[str], parent: Context | None = None, **extra: Any
    ) -> Context:
        with _reworded_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Context) -> Any:
        with _reworded_errors():
            return super().invoke(ctx)


def speak(command: TyperCommand | TyperGroup) -> None:
    """Give ``command`` and every command under it the worded context (the click objects are
    built anew by each invocation, as :func:`governance.cli.lang.translate_help` relies on too)."""
    command.context_class = WordedContext
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            if isinstance(sub, TyperCommand | TyperGroup):
                speak(sub)

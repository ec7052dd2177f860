"""How a vendor delivers a module: the clone/push URL and the push rules in force.

The rules are read by :func:`governance.mirrors.push_rules.rules_for`, the very function the
pre-receive hook applies, so what the module page promises is what a push meets. The URL is
``<base>/git/<KEY>.git`` where the base is ``GOVERN_BASE_URL`` (or, unset, the address the
reader used to reach the portal).
"""

from __future__ import annotations

from dataclasses import dataclass

from governance.errors import InvalidInput
from governance.mirrors.push_rules import PushRules, rules_for
from governance.registry.models import Module
from governance.registry.validation import redact_url


@dataclass(frozen=True)
class Delivery:
    """What the module page's "How to deliver" card shows."""

    key: str
    clone_url: str
    push_fed: bool  # False: mirrored from a vendor remote, pushes go there
    remote: str | None  # redacted
    branch: str
    requirement_prefix: str
    rules: PushRules | None
    rules_error: str | None  # the module's push_rules settings are invalid: every push is refused


def repository_url(base_url: str, key: str) -> str:
    """The central repository of ``key`` under the portal's base URL."""
    return f"{base_url.rstrip('/')}/git/{key}.git"


def delivery_for(module: Module, *, base_url: str) -> Delivery:
    """The delivery card of ``module``; an invalid rule setting is shown, not raised."""
    rules: PushRules | None = None
    error: str | None = None
    try:
        rules = rules_for(module)
    except InvalidInput as exc:
        error = exc.message
    return Delivery(
        key=module.key,
        clone_url=repository_url(base_url, module.key),
        push_fed=module.remote is None,
        remote=redact_url(module.remote) if module.remote else None,
        branch=module.default_branch,
        requirement_prefix=module.requirement_prefix,
        rules=rules,
        rules_error=error,
    )

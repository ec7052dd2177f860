"""Loading standard files: YAML with line numbers, validated by the schema.

Find -> read -> validate, and every problem becomes a :class:`StandardError` naming the
file, the line and what is wrong. ``check_standard_file`` collects all problems of a file
(for ``govern standards check``); ``load_standard`` raises the first, carrying the rest.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from scanners.registry import installed_rules
from scanners.rules import RuleCatalogue
from standards.errors import StandardError
from standards.schema import Standard
from standards.yamlsource import Loc, Located, read_yaml

M = TypeVar("M", bound=BaseModel)

#: The six built-in standards, in the order they are presented.
BUILTIN_IDS: tuple[str, ...] = (
    "design",
    "requirements",
    "development",
    "testing",
    "operations",
    "data",
)


def builtin_dir() -> Path:
    """Folder of the built-in standard files (and ``profiles/``)."""
    return Path(str(resources.files("standards") / "builtin"))


def validate_located(
    located: Located,
    model: type[M],
    *,
    context: dict[str, Any] | None = None,
    error: type[StandardError] = StandardError,
) -> M:
    """Validate read data against ``model``; pydantic errors become located errors."""
    if not isinstance(located.data, dict):
        kind = type(located.data).__name__
        raise error(
            located.path,
            located.lines.get((), 1),
            f"expected a mapping of fields at the top level, got {kind}",
        )
    try:
        return model.model_validate(located.data, context=context)
    except ValidationError as exc:
        errors = [_locate(located, item, error) for item in exc.errors()]
        errors.sort(key=lambda e: e.line)
        raise error.from_list(errors) from None


def _locate(located: Located, item: Any, error: type[StandardError]) -> StandardError:
    """One pydantic error item -> ``path:line: where: what``."""
    ctx = item.get("ctx") or {}
    loc = _data_path(tuple(ctx["loc"]) if "loc" in ctx else tuple(item["loc"]), located.data)
    if item["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc = (*loc, "kind")
    where = _where(loc)
    message = _message(item)
    return error(located.path, located.line_of(loc), f"{where}: {message}" if where else message)


def _data_path(loc: Loc, data: Any) -> Loc:
    """``loc`` without the union tags pydantic inserts (``check.metric.threshold`` ->
    ``check.threshold``): a part equal to the mapping's own ``kind`` is the tag."""
    out: list[str | int] = []
    skipped_tag = False
    for part in loc:
        if isinstance(data, dict) and not skipped_tag and data.get("kind") == part:
            skipped_tag = True
            continue
        out.append(part)
        skipped_tag = False
        data = _child(data, part)
    return tuple(out)


def _child(data: Any, part: str | int) -> Any:
    if isinstance(data, dict):
        return data.get(part)
    if isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
        return data[part]
    return None


def _where(loc: Loc) -> str:
    """Human path of a location: ``rules[2].check.threshold``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _message(item: Any) -> str:
    """Pydantic's message, reworded where it would confuse a person editing YAML."""
    kind = item["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (not allowed here)"
    if kind == "union_tag_invalid":
        ctx = item["ctx"]
        return f"unknown check kind {ctx['tag']!r}; expected one of {ctx['expected_tags']}"
    if kind == "union_tag_not_found":
        return "a check needs 'kind' (findings, metric, required_file or fact)"
    message = str(item["msg"])
    return message.removeprefix("Value error, ")


def load_standard(
    path: str | Path, *, rules: RuleCatalogue | None = None, text: str | None = None
) -> Standard:
    """Read and validate one standard file; raise :class:`StandardError` if it is broken.

    ``rules`` is what the scanners declare (default: every installed scanner's, see
    :func:`scanners.registry.installed_rules`): a binding to a rule nobody declares is an
    error, a third-party scanner's rules are as good as Govern's own.
    """
    located = read_yaml(path, text)
    context = {"rules": rules if rules is not None else installed_rules()}
    return validate_located(located, Standard, context=context)


def check_standard_file(path: str | Path, *, rules: RuleCatalogue | None = None) -> list[StandardError]:
    """Every problem in one standard file (empty list = valid). Never raises for content."""
    try:
        load_standard(path, rules=rules)
    except StandardError as exc:
        return list(exc.errors)
    return []


def load_standards(paths: Iterable[str | Path], *, rules: RuleCatalogue | None = None) -> dict[str, Standard]:
    """Load several standards keyed by id; two files with one id is an error."""
    catalogue: dict[str, Standard] = {}
    for path in paths:
        standard = load_standard(path, rules=rules)
        if standard.id in catalogue:
            raise StandardError(str(path), 1, f"standard id {standard.id!r} is defined twice")
        catalogue[standard.id] = standard
    return catalogue


def load_builtin_standards(*, rules: RuleCatalogue | None = None) -> dict[str, Standard]:
    """The six built-in standards, in presentation order."""
    folder = builtin_dir()
    return load_standards((folder / f"{i}.yaml" for i in BUILTIN_IDS), rules=rules)

"""secrets: hard-coded credentials found by detect-secrets' plugins, run in-process.

detect-secrets is a maintained detector (entropy, keyword and provider-specific plugins
with false-positive filters); Govern adds no regexes of its own. Its scanner reads files
from disk, so each batch is written to a temp tree keeping repo paths (filename-based
filters such as lock-file detection still see the real names). Each file goes through
:func:`scanners.secrets_lines.scan_file`: detect-secrets' own steps, run only on the lines
one of the loaded plugins' own patterns matches, which gives the same findings in a
fraction of the time (the reasons and figures are in that module).

The secret value never leaves this module: messages name only the secret type, and the
fingerprint is computed on the flagged line with the value masked, so a finding row or a
cache entry cannot be used to recover (or brute-force) the secret.

detect-secrets keeps its settings in module globals (``transient_settings`` swaps them
for the duration of a batch), so run one scan at a time per process, as the process-pool
and Celery executors do; threads sharing a process would see each other's settings.

Rules: ``secrets:<type slug>`` (``secrets:secret-keyword``, ``secrets:aws-access-key``),
``tool_rule`` is detect-secrets' type name. Severity: critical for every type.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scanners._common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Draft,
    finalise,
    scan_each,
)
from scanners.base import Batch, ScanResult, SourceFile
from scanners.builtin_rules import secrets_rules, slug
from scanners.perfile import PerFileScanner
from scanners.rules import RuleDoc
from scanners.secrets_lines import current_sieve, scan_file

TOOL = "secrets"
MASK = "<secret>"


@dataclass(frozen=True)
class SecretsOptions:
    """``disabled_plugins``: detect-secrets plugin class names not run."""

    disabled_plugins: tuple[str, ...] = ()
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        object.__setattr__(self, "disabled_plugins", tuple(sorted(self.disabled_plugins)))


def parse_secrets(path: str, secrets: Iterable[Mapping[str, Any]]) -> list[Draft]:
    """detect-secrets ``results`` entries of one file -> drafts (no secret in the text)."""
    drafts = []
    for secret in secrets:
        kind = str(secret["type"])
        line = int(secret["line_number"])
        message = f"possible hard-coded secret: {kind}"
        rule = f"secrets:{slug(kind)}"
        drafts.append(Draft(rule, TOOL, kind, "critical", path, line, line, message))
    return drafts


def mask(source: SourceFile, values: Iterable[str]) -> SourceFile:
    """The file with each secret value replaced, for fingerprinting without the secret."""
    text = source.text()
    for value in sorted({v for v in values if v}, key=len, reverse=True):
        text = text.replace(value, MASK)
    return SourceFile(source.path, text.encode("utf-8"), source.blob)


@contextmanager
def _settings(disabled: tuple[str, ...]) -> Iterator[None]:
    # detect-secrets (requests behind it) is imported where it is used, never when the
    # registry loads this module (every `govern scan`, even one with nothing to re-scan).
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
    from detect_secrets.settings import transient_settings

    classes: Iterable[type] = get_mapping_from_secret_type_to_class().values()
    plugins = sorted(cls.__name__ for cls in classes)
    used = [{"name": name} for name in plugins if name not in disabled]
    with transient_settings({"plugins_used": used}):
        yield


class SecretsScanner(PerFileScanner):
    """Per-file detection of hard-coded secrets in any text file."""

    name = "secrets"
    options_type = SecretsOptions
    distributions = ("detect-secrets",)

    def rules(self) -> tuple[RuleDoc, ...]:
        """The rules this scanner reports, as documents (see :mod:`scanners.rules`)."""
        from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

        return secrets_rules(get_mapping_from_secret_type_to_class())

    def applies_to(self, path: str) -> bool:
        """Every file: secrets hide in configs, scripts and docs as well as code."""
        return bool(path)

    def scan(self, batch: Batch) -> ScanResult:
        """Write the batch to a temp tree, scan each file under its own limits (one sieve per batch)."""
        values: dict[str, list[str]] = {}
        with (
            tempfile.TemporaryDirectory(prefix="govern-secrets-") as tmp,
            _settings(self.options.disabled_plugins),
        ):
            root = Path(tmp)
            sieve = current_sieve()

            def analyse(source: SourceFile) -> tuple[list[Draft], dict[str, float]]:
                target = root / source.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.content)
                found = [(s.json(), s.secret_value or "") for s in scan_file(str(target), sieve)]
                values[source.path] = [value for _, value in found]
                return parse_secrets(source.path, [record for record, _ in found]), {}

            opts = self.options
            result = scan_each(batch.files, TOOL, opts.max_bytes, opts.timeout, analyse)
        masked = {f.path: mask(f, values.get(f.path, ())) for f in batch.files}
        drafts = [
            Draft(f.rule, f.tool, f.tool_rule, f.severity, f.path, f.line, f.end_line, f.message)
            for f in result.findings
        ]
        return ScanResult(finalise(drafts, masked), result.metrics, result.skipped)

"""The shape every per-file scanner shares, written once.

A per-file scanner reads its options from a config mapping (unknown keys refused), takes
its version from the tool's distributions (an upgrade misses the cache), digests its
options, picks files by suffix, and analyses each file inside the per-file crash and time
boundary of :func:`scanners._common.scan_each`. Subclasses declare the class attributes
and implement :meth:`analyse`; those that need a batch-wide set-up override :meth:`scan`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from scanners._common import FileResult, build_options, config_digest, has_suffix, scan_each, tool_version
from scanners.base import Batch, ScanResult, SourceFile


class PerFileScanner:
    """Base of the scanners whose results depend only on each file's bytes."""

    name: ClassVar[str]
    cache_scope: ClassVar[Literal["file", "closure", "trace"]] = "file"
    options_type: ClassVar[type]
    #: distributions whose versions change this scanner's output
    distributions: ClassVar[tuple[str, ...]]
    #: Govern's own revision of what this scanner writes, part of :attr:`version`: bump it when the
    #: output changes without a tool upgrade (``worded-1``: findings carry their wording), so cached
    #: results written before are recomputed instead of shown in their old form.
    revision: ClassVar[str] = ""
    #: file name endings this scanner reads (override :meth:`applies_to` for other rules)
    suffixes: ClassVar[tuple[str, ...]] = ()

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.options: Any = build_options(self.options_type, config)

    @property
    def version(self) -> str:
        """The tool's version: its rules and readers change between releases."""
        tools = tool_version(*self.distributions)
        return f"{self.revision};{tools}" if self.revision else tools

    @functools.cached_property
    def config_digest(self) -> str:
        """Digest of the options that change this scanner's output; computed once (the options are frozen),
        since the planner asks for it for every file."""
        return config_digest(self.name, self.options)

    def applies_to(self, path: str) -> bool:
        """Files with one of :attr:`suffixes`."""
        return has_suffix(path, self.suffixes)

    def analyse(self, source: SourceFile) -> FileResult:
        """Findings and metrics of one file (subclasses implement it)."""
        raise NotImplementedError

    def scan(self, batch: Batch) -> ScanResult:
        """Analyse each file of the batch independently, each inside its own limits."""
        return scan_each(batch.files, self.name, self.options.max_bytes, self.options.timeout, self.analyse)

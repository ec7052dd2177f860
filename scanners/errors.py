"""One exception hierarchy for the scanners library.

The domain wraps these into its own ``GovernError`` children; keeping a root here means
``governance/`` can catch everything a scanner library raises with one ``except``
without importing tool internals. A bad *file* never raises: it becomes a finding or a
:class:`~scanners.base.Skip`. These exceptions are for bad *plugins* and bad *settings*.
"""

from __future__ import annotations


class ScannerError(Exception):
    """Root of everything the scanners library raises."""


class ScannerLoadError(ScannerError):
    """An entry point could not be imported or instantiated; names the culprit."""

    def __init__(self, entry_point: str, distribution: str, cause: BaseException) -> None:
        self.entry_point = entry_point
        self.distribution = distribution
        self.cause = cause
        super().__init__(
            f"scanner entry point {entry_point!r} from distribution {distribution!r} "
            f"failed to load: {type(cause).__name__}: {cause}"
        )


class ScannerValidationError(ScannerError):
    """A loaded object does not satisfy the scanner protocol it was registered under."""


class DuplicateScannerError(ScannerError):
    """Two entry points register scanners with the same name."""


class ScannerConfigError(ScannerError):
    """A scanner was given settings it does not know or cannot use."""


class ScanTimeout(ScannerError):
    """Raised inside a scan when a file or batch exceeds its time limit.

    Scanners catch it and turn it into a Skip; it only escapes if raised outside a scan.
    """

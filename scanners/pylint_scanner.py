"""pylint: messages with id and symbol plus per-file score components, run in-process.

Why it looks like this (facts measured on this project, see issue 4):
- one run per *batch* is ~6x faster than one per file (each run re-infers the imports);
- pylint's inference reads what a file imports, so the batch's import closure is written
  next to the batch files in a temp tree (repo paths kept) and only batch files are
  linted; the files of a batch share one astroid state, and each reports the trace of
  what its inference read (:mod:`scanners.pylint_trace`); hence ``cache_scope = "trace"``
  (measured on 40 files of Django 5.1.4's ``db/models``: 16.1 CPU-s, against 44.4 CPU-s
  when each file was checked from a fresh state and 16.9 s for raw pylint on the same
  files; findings and traces identical);
- explicit file lists (a directory argument silently skips folders without
  ``__init__.py``); astroid's cache is cleared before each run so results never depend
  on what an earlier unit loaded;
- cross-file checks (duplicate-code R0801, cyclic-import R0401) are disabled here: they
  are whole-repository results and run in the repository scanner.

Rules: ``pylint:<message id>`` (``pylint:W0611``); ``tool_rule`` is the id and the
message starts with the symbol (``unused-import: ...``). Severity by pylint category:
error -> critical, warning -> major, refactor -> minor, convention -> minor,
info -> info, fatal -> blocker. A syntax error is pylint's own ``pylint:E0001``.
A file pylint crashes on (astroid-error F0002, or an exception) is a Skip; if the whole
run crashes or times out, each file is retried alone so only the culprit is skipped.

pylint's ``Run`` touches process state (``sys.path`` while linting, astroid's cache), so a
process runs one pylint scan at a time: executors use processes, not threads.

Metrics per file: ``pylint_statement`` and ``pylint_<category>`` counts as pylint scores
them, plus ``pylint_score``; :func:`aggregate_score` recomputes pylint's global score for
any set of files from those, which stays exact when results come from the cache (a
per-batch score would not: batches are an artefact of planning).
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from scanners._common import (
    DEFAULT_MAX_BYTES,
    DEFAULT_TIMEOUT,
    Draft,
    build_options,
    config_digest,
    finalise,
    has_suffix,
    split_admitted,
    time_limit,
    tool_version,
    write_tree,
)
from scanners.astroid_state import forget_unit
from scanners.base import Batch, ScanResult, Severity, Skip, SourceFile
from scanners.builtin_rules import plugins_of, pylint_rules
from scanners.errors import ScannerConfigError, ScanTimeout
from scanners.pylint_trace import recording
from scanners.rules import RuleDoc

TOOL = "pylint"
CROSS_FILE = ("duplicate-code", "cyclic-import")
CATEGORY_SEVERITY: dict[str, Severity] = {
    "fatal": "blocker",
    "error": "critical",
    "warning": "major",
    "refactor": "minor",
    "convention": "minor",
    "info": "info",
}
SYNTAX_ERROR = "E0001"  # astroid could not build the file: its result depends on its bytes only
SKIP_IDS = frozenset({"F0002"})  # astroid-error: pylint crashed on the file
CATEGORIES = ("statement", "error", "warning", "refactor", "convention", "fatal")


DEFAULT_ARGS = ("--load-plugins=pylint.extensions.bad_builtin", "--bad-functions=print")


@dataclass(frozen=True)
class PylintOptions:
    """``args``: extra pylint options (``--max-line-length=120``); order is kept.

    By default pylint's ``bad_builtin`` extension flags ``print`` (W0141), which the
    operations standard forbids in service code (logs must be structured).
    """

    disable: tuple[str, ...] = ()
    enable: tuple[str, ...] = ()
    args: tuple[str, ...] = DEFAULT_ARGS
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout: float = DEFAULT_TIMEOUT

    def __post_init__(self) -> None:
        object.__setattr__(self, "disable", tuple(sorted(self.disable)))
        object.__setattr__(self, "enable", tuple(sorted(self.enable)))
        object.__setattr__(self, "args", tuple(self.args))


def pylint_args(options: PylintOptions, rcfile: str) -> list[str]:
    """The exact command-line options Govern runs pylint with (also used for parity)."""
    args = [f"--rcfile={rcfile}", "--persistent=n", "--jobs=1", "--score=y"]
    args.append("--disable=" + ",".join((*CROSS_FILE, *options.disable)))
    if options.enable:
        args.append("--enable=" + ",".join(options.enable))
    return [*args, *options.args]


def message_record(message: Any) -> dict[str, Any]:
    """A pylint ``Message`` as the dict ``--output-format=json2`` prints for it."""
    return {
        "type": message.category,
        "messageId": message.msg_id,
        "symbol": message.symbol,
        "message": message.msg,
        "line": message.line,
        "endLine": message.end_line,
        "path": message.path,
        "absolutePath": message.abspath,
        "module": message.module,
    }


def parse_messages(
    records: Iterable[Mapping[str, Any]], path_of: Mapping[str, str] | None = None
) -> tuple[list[Draft], list[Skip]]:
    """json2 ``messages`` -> drafts, and skips for files pylint crashed on.

    ``path_of`` maps a record's ``absolutePath`` to its repo path (temp-tree runs);
    without it the record's ``path`` is used as is (CLI output run from the repo root).
    """
    drafts: list[Draft] = []
    skips: list[Skip] = []
    for rec in records:
        path = (path_of or {}).get(str(rec.get("absolutePath")), str(rec["path"]))
        if rec["messageId"] in SKIP_IDS:
            skips.append(Skip(path, TOOL, f"crash: {rec['symbol']}: {rec['message']}"))
            continue
        line = int(rec.get("line") or 0)
        drafts.append(
            Draft(
                rule=f"pylint:{rec['messageId']}",
                tool=TOOL,
                tool_rule=str(rec["messageId"]),
                severity=CATEGORY_SEVERITY.get(str(rec["type"]), "info"),
                path=path,
                line=line,
                end_line=int(rec.get("endLine") or line),
                message=f"{rec['symbol']}: {rec['message']}",
            )
        )
    return drafts, skips


def file_score(stats: Mapping[str, float]) -> float:
    """pylint's default evaluation for one file's counts (10.0 for an empty file)."""
    return aggregate_score([stats])


def aggregate_score(per_file: Iterable[Mapping[str, float]]) -> float:
    """pylint's default score over many files, from the per-file metrics emitted here."""
    totals = dict.fromkeys(CATEGORIES, 0.0)
    for stats in per_file:
        for key in CATEGORIES:
            totals[key] += stats.get(f"pylint_{key}", stats.get(key, 0.0))
    if totals["fatal"]:
        return 0.0
    if not totals["statement"]:
        return 10.0
    penalty = 5 * totals["error"] + totals["warning"] + totals["refactor"] + totals["convention"]
    return max(0.0, 10.0 - penalty / totals["statement"] * 10)


def _file_metrics(run: Any, targets: Mapping[str, str]) -> dict[str, dict[str, float]]:
    from pylint.lint.expand_modules import expand_modules

    described, _ = expand_modules(list(targets), [], [], [], [])
    by_module = run.linter.stats.by_module
    metrics: dict[str, dict[str, float]] = {}
    for abspath, info in described.items():
        stats = by_module.get(info["name"])
        repo_path = targets.get(abspath)
        if stats is None or repo_path is None:
            continue
        values = {f"pylint_{key}": float(stats.get(key, 0)) for key in CATEGORIES}
        values["pylint_score"] = file_score(values)
        metrics[repo_path] = values
    return metrics


def source_roots(paths: Iterable[str]) -> list[str]:
    """The directories pylint would put on ``sys.path`` to lint each of ``paths``, sorted.

    pylint adds only its arguments' roots, so a unit of test files alone could not
    import the ``src/`` package its context holds, while a full run (or a unit that also
    held a file of ``src/``) could: the result depended on what shared the unit. Adding
    the roots of every file written (targets and context) makes it depend only on them.
    """
    from pylint.lint import discover_package_path

    return sorted({discover_package_path(path, []) for path in paths})


def top_level_names(paths: Iterable[str], roots: Sequence[str]) -> set[str]:
    """The top-level module names ``paths`` define under the source roots pylint is given."""
    names = set()
    for path in paths:
        for root in roots:
            if path.startswith(root.rstrip("/") + "/"):
                first = path[len(root.rstrip("/")) + 1 :].split("/", 1)[0]
                names.add(first.removesuffix(".py"))
    return names


def _release_process_state(root: Path) -> None:
    """Drop what a run leaves in process-wide caches, so a worker's memory stays flat.

    Measured: without this each in-process run leaks its MessageDefinitionStore (~1,700
    objects, held by a ``functools.cache`` on a method) and a path-importer entry for
    the temp tree; astroid's cache would keep every module of the unit alive (library
    modules are kept on purpose: see :mod:`scanners.astroid_state`).
    """
    from pylint.message.message_definition_store import MessageDefinitionStore

    forget_unit()  # pylint's node caches too (forget_inference)
    # a functools.cache on the method; pylint cannot see that it adds cache_clear
    MessageDefinitionStore.get_message_definitions.cache_clear()  # pylint: disable=no-member
    prefix = str(root)
    for key in [k for k in sys.path_importer_cache if str(k).startswith(prefix)]:
        del sys.path_importer_cache[key]


class PylintScanner:
    """Batch lint of Python files with their import closure as context."""

    name = "pylint"
    cache_scope = "trace"

    def rules(self) -> tuple[RuleDoc, ...]:
        """The rules this scanner reports, as documents (see :mod:`scanners.rules`)."""
        return pylint_rules(plugins_of(self.options.args))

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        self.options = build_options(PylintOptions, config)

    @property
    def version(self) -> str:
        """pylint and astroid versions (both change messages and inference) and the trace's
        format. A trace asking a module for its public names (a star import) means nothing to
        a Govern from before them: a coordinator of the older version, still planning during a
        rolling upgrade, must not reuse it as a plain name."""
        return f"{tool_version('pylint', 'astroid')} trace-3"

    @functools.cached_property
    def config_digest(self) -> str:
        """Digest of enabled/disabled messages, extra args and limits; computed once (the options are frozen),
        since the planner asks for it for every file."""
        return config_digest(self.name, self.options)

    def applies_to(self, path: str) -> bool:
        """Python sources."""
        return has_suffix(path, (".py",))

    def _run(self, files: Sequence[SourceFile], context: Sequence[SourceFile]) -> ScanResult:
        """One pylint run over ``files`` in a fresh temp tree; may raise on a tool crash."""
        # pylint is imported by the run: the registry loads this module on every `govern
        # scan`, and one with nothing to re-scan never runs pylint.
        from pylint.lint import Run, augmented_sys_path
        from pylint.reporters import CollectingReporter

        with tempfile.TemporaryDirectory(prefix="govern-pylint-") as tmp:
            root = Path(os.path.realpath(tmp))
            (root / ".govern-pylintrc").write_text("", encoding="utf-8")
            written = write_tree(root, context)
            targets = write_tree(root, files)
            reporter = CollectingReporter()
            roots = source_roots([*written, *targets])
            forget_unit(top_level_names([*written, *targets], roots))
            args = pylint_args(self.options, str(root / ".govern-pylintrc"))
            try:
                with (
                    augmented_sys_path(roots),
                    recording({**written, **targets}) as recorder,
                ):
                    run = Run([*args, *targets], reporter=reporter, exit=False)
            except SystemExit as exc:  # pylint exits on options it cannot use
                raise ScannerConfigError(f"pylint refused its options {args}: exit {exc}") from exc
            finally:
                _release_process_state(root)
            records = [message_record(m) for m in reporter.messages]
            for record in records:  # the same file may be reached through a symlinked tmp
                record["absolutePath"] = os.path.realpath(str(record["absolutePath"]))
            drafts, skips = parse_messages(records, targets)
            batch_paths = set(targets.values())
            stray = sorted({d.path for d in drafts} - batch_paths)  # never leak temp paths
            skips += [Skip(p, TOOL, "pylint reported on a file outside the batch") for p in stray]
            drafts = [d for d in drafts if d.path in batch_paths]
            metrics = _file_metrics(run, targets)
            unparsed = {d.path for d in drafts if d.tool_rule == SYNTAX_ERROR}
            traces = recorder.traces(targets, unparsed)
        prefix = f"{root}/"
        drafts = [replace(d, message=d.message.replace(prefix, "")) for d in drafts]
        by_path = {f.path: f for f in files}
        return ScanResult(finalise(drafts, by_path), metrics, tuple(skips), traces)

    def _one_by_one(self, files: Sequence[SourceFile], context: Sequence[SourceFile]) -> ScanResult:
        """Retry after a whole-run failure: each file alone, so only culprits are skipped."""
        results = []
        for source in files:
            try:
                with time_limit(self.options.timeout):
                    results.append(self._run([source], context))
            except ScanTimeout as exc:
                results.append(ScanResult(skipped=(Skip(source.path, TOOL, f"timeout: {exc}"),)))
            except Exception as exc:  # pylint: disable=broad-exception-caught  # crash boundary: one file fails
                reason = f"crash: {type(exc).__name__}: {exc}"
                results.append(ScanResult(skipped=(Skip(source.path, TOOL, reason),)))
        return ScanResult.merge(results)

    def scan(self, batch: Batch) -> ScanResult:
        """Lint the batch in one run; on a crash or timeout, fall back to file by file."""
        admitted, skipped = split_admitted(batch.files, TOOL, self.options.max_bytes)
        admitted_paths = {f.path for f in admitted}
        context = [f for f in batch.context if f.path not in admitted_paths]
        context, _ = split_admitted(context, TOOL, self.options.max_bytes)
        if not admitted:
            return ScanResult(skipped=tuple(skipped))
        try:
            with time_limit(self.options.timeout * len(admitted)):
                result = self._run(admitted, context)
        except ScannerConfigError:
            raise
        except Exception:  # pylint: disable=broad-exception-caught  # retried file by file below
            result = self._one_by_one(admitted, context)
        return ScanResult.merge([result, ScanResult(skipped=tuple(skipped))])

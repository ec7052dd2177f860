"""Step 7, evaluate: gather what the standards judge on, then judge.

:func:`evaluation_inputs` collects the inputs (findings, metrics, repository facts,
tracking, waivers) into one frozen :class:`EvaluationInputs`; :func:`evaluate_scan` is the
one place a scan is judged. A new kind of input is a new field of ``EvaluationInputs``,
filled here and read there.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from governance.evidence.inputs import attach_evidence
from governance.requirements.links import module_marker, replace_links
from governance.scans.cache import CacheStore
from governance.scans.facts import gather
from governance.scans.source import MirrorSource
from governance.scans.steps import EvaluationInputs, Results, Target, Tracked
from governance.scans.traceability import tree_references
from governance.scans.waived import evaluation_waivers
from governance.timeutil import as_utc, utcnow
from scanners.registry import switch
from scanners.ruff_scanner import reported_as
from standards.evaluate import evaluate
from standards.profile_model import EffectiveProfile
from standards.results import Evaluation
from standards.schema import FindingsCheck


def evaluate_scan(inputs: EvaluationInputs) -> Evaluation:
    """Judge one scan by its profile: per-rule results, scores, levels, the gate."""
    return evaluate(
        inputs.profile,
        as_of=inputs.as_of,
        findings=inputs.findings,
        metrics=inputs.metrics,
        facts=inputs.facts,
        new_fingerprints=inputs.new_fingerprints,
        waivers=inputs.waivers,
        scanners_run=scanners_run(inputs.profile),
    )


def scanners_run(profile: EffectiveProfile) -> frozenset[str] | None:
    """What ran in a scan under ``profile``, when it switches a scanner off (None, every bound
    scanner ran, when it switches none off): scanner names, and single rule ids reported by
    another scanner (a switched-on ruff with ``as_twins`` reports the pylint and bandit rules
    it was measured identical on under their ids, ``pylint:R0913``).

    A findings rule none of whose patterns can match what ran is then *not applicable*, never
    passed for want of findings (see :func:`standards.evaluate.evaluate`).
    """
    settings = profile.scanners
    off = {name for name, options in settings.items() if switch(name, options) is False}
    if not off:
        return None
    bound = {
        pattern.split(":", 1)[0]
        for effective in profile.rules
        if isinstance(effective.rule.check, FindingsCheck)
        for pattern in effective.rule.check.rules
    }
    ruff = settings.get("ruff", {})
    twins = reported_as(ruff) if switch("ruff", ruff) else frozenset()
    return frozenset((bound - off) | twins)


def evaluation_inputs(
    session: Session,
    *,
    target: Target,
    source: MirrorSource,
    results: Results,
    tracked: Tracked,
    unknown_markers: dict[str, tuple[str, ...]],
    now: datetime | None = None,
) -> EvaluationInputs:
    """Everything :func:`evaluate_scan` needs, read from the database and the tree.

    ``now`` (the runner's clock) is the evaluation date: waiver expiry is judged by it.
    """
    paths = [e.path for e in source.entries]
    facts = gather(
        session,
        module=target.module,
        paths=paths,
        read=source.read_one,
        reachable=set(source.reachable()),
        tags=source.tags(),
        changed=dict(tracked.changed),
        unknown_markers=unknown_markers,
    )
    now = as_utc(now) if now is not None else utcnow()
    evidence = attach_evidence(  # tests, coverage, dependencies, attestations, tool versions
        session,
        scan_id=target.scan_id,
        module=target.module,
        commit_sha=source.commit,
        facts=facts,
        profile=target.profile,
        read=source.read_one,
        now=now,
        findings=results.findings,
        new_fingerprints=tracked.new,
        baseline_scan_id=tracked.baseline.scan_id if tracked.baseline else None,
    )
    return EvaluationInputs(
        profile=target.profile,
        as_of=now.date(),
        findings=results.findings,
        metrics=results.metrics,
        facts=evidence.facts,
        new_fingerprints=tracked.new,
        waivers=(*evaluation_waivers(session, module_id=target.module.id or 0), *evidence.waivers),
    )


def refresh_traceability(
    session: Session, *, target: Target, source: MirrorSource, cache: CacheStore
) -> dict[str, tuple[str, ...]]:
    """Traceability links from the scanned tree (tips of the default branch only).

    Returns references to keys that are not requirements of the module, by key, so the
    requirements standard can count them. References are kept per blob in ``cache``: only
    the blobs this tree changed are read.
    """
    if target.branch != target.module.default_branch:
        return {}
    found = tree_references(source.entries, source.read, module_marker(target.module), cache)
    refreshed = replace_links(
        session, module=target.module, references=found.references, commit_sha=source.commit
    )
    unknown: dict[str, set[str]] = {}
    for reference in refreshed.unknown:
        if reference.path:
            unknown.setdefault(reference.key, set()).add(reference.path)
    return {key: tuple(sorted(paths)) for key, paths in unknown.items()}

"""`wua check`: walk the path a remote WUA call takes, stage by stage, and stop at the
first broken one with the reason and the fix.

Why stages instead of one connect attempt: "access denied" or "timed out" from a full
connect leaves an administrator guessing between a firewall, a password, UAC and DCOM
hardening. Each stage asks one question whose answer points at one setting. The stages
themselves live in `wua.firewall.stages`; this module only runs them in order.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wua.firewall.probe import Probe


class Outcome(StrEnum):
    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"


class Blame(StrEnum):
    """What kind of problem a failed stage is, which decides the command's exit code."""

    NETWORK = "network"
    ACCESS = "access"
    REMOTE_RULE = "remote rule"
    OTHER = "other"


@dataclass(frozen=True)
class Verdict:
    """A stage's answer: `detail` says what was seen, `fix` what to change (failures)."""

    outcome: Outcome
    detail: str
    fix: str | None = None
    blame: Blame = Blame.OTHER


def ok(detail: str) -> Verdict:
    return Verdict(Outcome.OK, detail)


def failed(reason: str, fix: str, blame: Blame = Blame.OTHER) -> Verdict:
    return Verdict(Outcome.FAILED, reason, fix, blame)


def skipped(reason: str) -> Verdict:
    return Verdict(Outcome.SKIPPED, reason)


@dataclass(frozen=True)
class Stage:
    """One question on the path; `key` is stable (JSON), `title` is for people.

    `title` may name `{port}`: the endpoint mapper port of the probe, so a check with
    `--port 1135` does not claim to have tested TCP 135 while the key stays `tcp-135`.
    """

    key: str
    title: str
    run: Callable[[Probe], Awaitable[Verdict]]

    def title_for(self, port: int) -> str:
        return self.title.format(port=port)


@dataclass(frozen=True)
class StageResult:
    stage: Stage
    verdict: Verdict
    seconds: float
    title: str = ""


@dataclass(frozen=True)
class Diagnosis:
    host: str
    timestamp: datetime
    results: tuple[StageResult, ...]

    @property
    def broken(self) -> StageResult | None:
        """The first failed stage (the one to fix), or None when the path is clear."""
        return next((r for r in self.results if r.verdict.outcome is Outcome.FAILED), None)


async def diagnose(probe: Probe, stages: Sequence[Stage]) -> Diagnosis:
    """Run `stages` in order; after the first failure the rest are reported as skipped,
    since their answers would only repeat the broken stage's symptom."""
    results: list[StageResult] = []
    broken: Stage | None = None
    port = probe.target.port
    try:
        for stage in stages:
            title = stage.title_for(port)
            if broken is not None:
                verdict = skipped(f"not tried: stage '{broken.title_for(port)}' failed")
                results.append(StageResult(stage, verdict, 0.0, title))
                continue
            started = time.monotonic()
            verdict = await stage.run(probe)
            results.append(StageResult(stage, verdict, time.monotonic() - started, title))
            if verdict.outcome is Outcome.FAILED:
                broken = stage
    finally:
        await probe.close()
    return Diagnosis(probe.host, datetime.now(UTC), tuple(results))

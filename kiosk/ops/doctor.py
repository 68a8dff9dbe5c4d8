"""``kiosk doctor``: is this kiosk fit to open to the public, and if not, what to do about it.

Each check (:mod:`kiosk.ops.checks`) returns :class:`Finding` values: what was found, in a technician's words, and
for anything short of OK a ``fix`` to act on. A finding is

- ``ok``: nothing to do;
- ``warn``: the kiosk works, but something a visitor could notice (a language without speech recognition, a
  software renderer, sync unreachable) should be fixed soon;
- ``fail``: do not open to the public until it is fixed.

``hardware`` marks a finding about a device this machine lacks (no speaker, no microphone, no GPU display): the
report names those plainly, so a technician preparing a kiosk on a bench knows which failures go away once it is
in its cabinet. The exit status is 0 when nothing failed (fit to open), 1 otherwise; ``--json`` gives fleet
tools the same findings.

Checks never raise: a check that breaks becomes a ``fail`` finding saying so, and a slow one (OpenGL, the
recognizer) runs with a time limit.
"""

from __future__ import annotations

import json
import platform
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from enum import StrEnum

import kiosk


class Status(StrEnum):
    OK = "ok"
    WARN = "warn"
    FAIL = "fail"


@dataclass(frozen=True)
class Finding:
    check: str
    """The check's id (``opengl``, ``speaker``, ``speech-model`` ...), stable for fleet tools."""
    title: str
    """What was checked, in a few words ("Speech recognition (ko)")."""
    status: Status
    summary: str
    """What was found, one line."""
    fix: str = ""
    """What to do (empty when ``ok``)."""
    hardware: bool = False
    """The problem is a device this machine lacks; it goes away on a kiosk that has it."""
    details: dict[str, object] = field(default_factory=dict)


Check = Callable[[], Iterable[Finding]]


def ok(check: str, title: str, summary: str, **details: object) -> Finding:
    return Finding(check, title, Status.OK, summary, details=details)


def warn(check: str, title: str, summary: str, fix: str, *, hardware: bool = False, **details: object) -> Finding:
    return Finding(check, title, Status.WARN, summary, fix, hardware, details)


def fail(check: str, title: str, summary: str, fix: str, *, hardware: bool = False, **details: object) -> Finding:
    return Finding(check, title, Status.FAIL, summary, fix, hardware, details)


@dataclass(frozen=True)
class Diagnosis:
    findings: tuple[Finding, ...]
    kiosk: str
    location: str | None
    when: datetime
    seconds: float

    @property
    def failures(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status is Status.FAIL)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status is Status.WARN)

    @property
    def fit(self) -> bool:
        """Fit to open to the public: nothing failed."""
        return not self.failures

    @property
    def fit_but_for_hardware(self) -> bool:
        """Everything that failed is hardware this machine lacks."""
        return all(f.hardware for f in self.failures)

    def verdict(self) -> str:
        warned = len(self.warnings)
        tail = f"; {warned} warning{'s' if warned != 1 else ''} to look at" if warned else ""
        if self.fit:
            return f"FIT TO OPEN: every check passed{tail}."
        count = len(self.failures)
        lacking = [f.title for f in self.failures if f.hardware]
        line = f"NOT FIT TO OPEN: {count} problem{'s' if count != 1 else ''} to fix first{tail}."
        if lacking and self.fit_but_for_hardware:
            line += f" All of them are hardware this machine lacks ({', '.join(lacking)})."
        elif lacking:
            line += f" Hardware this machine lacks: {', '.join(lacking)}."
        return line

    def to_json(self) -> dict[str, object]:
        return {
            "kiosk": self.kiosk,
            "location": self.location,
            "version": kiosk.__version__,
            "time": self.when.isoformat(timespec="seconds"),
            "seconds": round(self.seconds, 2),
            "fit": self.fit,
            "fit_but_for_hardware": self.fit_but_for_hardware,
            "verdict": self.verdict(),
            "checks": [{**asdict(f), "status": f.status.value} for f in self.findings],
        }

    def text(self) -> str:
        marks = {Status.OK: "ok  ", Status.WARN: "WARN", Status.FAIL: "FAIL"}
        where = f" ({self.location})" if self.location else ""
        lines = [
            f"Docent kiosk doctor: {self.kiosk}{where}, Docent {kiosk.__version__}, {self.when:%Y-%m-%d %H:%M}",
            "",
        ]
        width = max((len(f.title) for f in self.findings), default=10)
        for f in self.findings:
            hardware = "  [hardware this machine lacks]" if f.hardware and f.status is not Status.OK else ""
            lines.append(f"  {marks[f.status]}  {f.title:<{width}}  {f.summary}{hardware}")
            if f.fix:
                lines.append(f"        {'':<{width}}  fix: {f.fix}")
        lines += ["", self.verdict()]
        return "\n".join(lines)


def run_checks(checks: Sequence[tuple[str, str, Check]], *, location: str | None = None) -> Diagnosis:
    """Run every check in order; a check that raises becomes a failure naming it (the rest still run)."""
    start = time.monotonic()
    findings: list[Finding] = []
    for check_id, title, check in checks:
        try:
            findings.extend(check())
        except Exception as err:  # a broken check must not hide the others
            findings.append(
                fail(
                    check_id,
                    title,
                    f"the check itself failed: {type(err).__name__}: {err}",
                    "report this to Docent's developers with the output of 'kiosk doctor --json'",
                )
            )
    name = socket.gethostname().split(".")[0] or platform.node() or "kiosk"
    return Diagnosis(tuple(findings), name, location, datetime.now().astimezone(), time.monotonic() - start)


def dumps(diagnosis: Diagnosis) -> str:
    return json.dumps(diagnosis.to_json(), ensure_ascii=False, indent=2)


__all__ = ["Check", "Diagnosis", "Finding", "Status", "dumps", "fail", "ok", "run_checks", "warn"]

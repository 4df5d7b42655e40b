"""One table of benchmark figures, printed and written to bench/results.md."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

RESULTS_MD = Path(__file__).resolve().parent / "results.md"


@dataclass(frozen=True)
class Figure:
    """One measured line: Plaza's figure against its baseline from the same run.

    `ours` and `baseline` are medians in seconds unless `unit` says otherwise (then they are
    reported as they are, e.g. MB or operations per second); `target` is the ratio to meet,
    None where the issue asks only for the figure to be reported."""

    what: str
    baseline_name: str
    ours: float
    baseline: float | None
    target: float | None = None
    unit: str = "ms"
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """Ours as a multiple of the baseline (None without a baseline)."""
        return None if not self.baseline else self.ours / self.baseline

    @property
    def met(self) -> bool | None:
        """Whether the target holds (None without one)."""
        if self.target is None or self.ratio is None:
            return None
        return self.ratio <= self.target


def _value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms":
        return f"{value * 1e3:.2f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:,.0f} {unit}" if float(value).is_integer() else f"{value:,.1f} {unit}"


def markdown(figures: list[Figure]) -> str:
    """The figures as a Markdown table."""
    lines = [
        "| what | Plaza | baseline | ratio | target | |",
        "|---|---|---|---|---|---|",
    ]
    for f in figures:
        ratio = "—" if f.ratio is None else f"{f.ratio:.2f}×"
        target = "reported" if f.target is None else f"≤ {f.target}×"
        verdict = {True: "✅", False: "❌", None: ""}[f.met]
        baseline = f"{_value(f.baseline, f.unit)} ({f.baseline_name})" if f.baseline_name else "—"
        note = f" {f.note}" if f.note else ""
        lines.append(
            f"| {f.what} | {_value(f.ours, f.unit)}{note} | {baseline} | {ratio} | {target} "
            f"| {verdict} |"
        )
    return "\n".join(lines)

"""What the benchmarks share: the machine they ran on, and writing their markdown report.

The ``bench_*.py`` scripts are run by hand (``python benchmarks/bench_x.py``), which puts
this folder on ``sys.path``: they import this module as ``_common``.
"""

from __future__ import annotations

import os
import platform
import subprocess
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import tellers

HERE = Path(__file__).resolve().parent


def machine_info(
    versions: Mapping[str, str], extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Date, CPU, nproc, Python, then ``versions``, tellers (with its git commit), ``extra``."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "-C", str(HERE), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    nproc = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "date (UTC)": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "CPU": cpu,
        "nproc": str(nproc),
        "Python": platform.python_version(),
        **versions,
        "tellers": f"{tellers.__version__} ({commit})" if commit else tellers.__version__,
        **(extra or {}),
    }


def machine_section(info: Mapping[str, str]) -> list[str]:
    """The report's "## Machine" section: a two-column table of ``info``, then a blank line."""
    return [
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in info.items()),
        "",
    ]


def write_report(out: Path, lines: list[str]) -> str:
    """Write the report's lines to ``out`` (making its folder); the text written."""
    text = "\n".join(lines)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    return text

"""What ``make chaos`` reads of the stack's processes from /proc: CPU, RSS, PSS, restarts."""

from __future__ import annotations

import os
from pathlib import Path

from stack import Phase


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, *, children: bool = False) -> float:
    """User + system CPU of a process (and of its children it has waited for)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    used = int(fields[11]) + int(fields[12])  # utime, stime
    if children:
        used += int(fields[13]) + int(fields[14])  # cutime, cstime
    return used / TICKS


def cpu_snapshot(prod_dir: Path) -> dict:
    """CPU seconds so far of each app server (master, its reaped and its live workers) and
    of the workers, keyed by name and pid (a restarted process does not compare)."""
    snapshot = {}
    try:
        for n in (1, 2):
            master = int((prod_dir / f"app-{n}.pid").read_text())
            children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
            snapshot[f"app-{n}", master] = cpu_seconds(master, children=True) + sum(
                cpu_seconds(int(child)) for child in children
            )
        for name in ("db_worker", "search_index_worker"):
            pid = int((prod_dir / f"{name}.child").read_text())
            snapshot[name, pid] = cpu_seconds(pid)
    except (OSError, ValueError):
        pass  # a part that is down at this moment
    return snapshot


def cpu_used(phase: Phase) -> dict:
    return {
        name: phase.cpu_end[name, pid] - used
        for (name, pid), used in phase.cpu_start.items()
        if (name, pid) in phase.cpu_end
    }


def pss_mb(pid: int) -> float:
    """The process's share of its pages: what it adds to the machine (the app servers'
    workers share what the master loaded before forking)."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def process_memory(prod_dir: Path) -> dict:
    memory = {}
    for name in ("db_worker", "search_index_worker"):
        pid_file = prod_dir / f"{name}.child"
        if pid_file.exists():
            memory[name] = round(rss_mb(int(pid_file.read_text())), 1)
    for n in (1, 2):
        pid_file = prod_dir / f"app-{n}.pid"
        if not pid_file.exists():
            continue
        master = int(pid_file.read_text())
        memory[f"app-{n} master"] = round(rss_mb(master), 1)
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        for i, child in enumerate(children, 1):
            memory[f"app-{n} worker {i}"] = round(rss_mb(int(child)), 1)
            memory[f"app-{n} worker {i} PSS"] = round(pss_mb(int(child)), 1)
    return memory


def worker_exits(prod_dir: Path) -> dict:
    """How often each worker has exited (and been started again by its loop, lib.sh)."""
    counts = {}
    for name in ("db_worker", "search_index_worker"):
        log = prod_dir / f"{name}.log"
        text = log.read_text(errors="replace") if log.exists() else ""
        counts[name] = text.count(f"prod: {name} exited")
    return counts


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

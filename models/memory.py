"""Peak resident memory of this process."""

from __future__ import annotations

import resource
from pathlib import Path


def peak_rss_mib() -> float:
    """The high-water mark of resident memory, in MiB.

    Linux's VmHWM belongs to this process image; `ru_maxrss` survives exec, so a process started
    from a large parent (a benchmark holding two models) would report the parent's size instead.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

"""The samples of a `perf script` dump, shared by scripts/perf-buckets.py and scripts/perf-components.py.

A sample is a header line "COMM  TID TIME: [PERIOD] EVENT:" (the thread name may contain spaces) followed by its
frames, leaf first, one per indented line, and ends at a blank line or the next header.
"""
import re

HEADER = re.compile(r"^(?P<comm>.*?)\s+\d+\s+\d+\.\d+:\s+(?:(?P<period>\d+)\s+)?\S+")


def samples(lines):
    """Yields (thread name, period, frames) per sample with frames; period is 1 when perf printed none."""
    comm, period, frames = None, 0, []
    for line in lines:
        if line.startswith((" ", "\t")) and line.strip():
            frames.append(line.strip())
            continue
        if comm is not None and frames:
            yield comm, period, frames
        comm, period, frames = None, 0, []
        m = HEADER.match(line) if line.strip() else None
        if m:
            comm, period = m.group("comm").strip(), int(m.group("period") or 1)
    if comm is not None and frames:
        yield comm, period, frames

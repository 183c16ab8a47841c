#!/usr/bin/env python3
"""Metadata syncs beside a benchmark, in the pattern the engine's rotations produce (issue 37, runs 1527-1529).

Per burst: SYNCS times (write a 4 KiB temp file, fsync it, rename it over its target, fsync the directory); one burst
every PERIOD seconds, for SECONDS seconds. Run it in a directory on the benchmark's file system (they share its journal):

    python3 scripts/experiments/metadata-churn.py DIR PERIOD SECONDS [SYNCS]

At 256 x 1 KiB the engine rotates about every 90 ms and syncs a file or the directory about 12 times per rotation
(`docs/runs/write-path-2026-11-26/1527-strace-metadata-1kib.txt`), hence `DIR 0.09 7 6` beside a 1 s + 5 s profile run.
Prints the number of bursts on stderr.
"""
import os
import sys
import time


def main() -> None:
    directory, period, seconds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    syncs = int(sys.argv[4]) if len(sys.argv) > 4 else 6
    os.makedirs(directory, exist_ok=True)
    directory_fd = os.open(directory, os.O_RDONLY)
    data = b"x" * 4096
    end = time.monotonic() + seconds
    bursts = 0
    while time.monotonic() < end:
        started = time.monotonic()
        for i in range(syncs):
            temp = os.path.join(directory, f"f{i}.tmp")
            fd = os.open(temp, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
            os.write(fd, data)
            os.fsync(fd)
            os.close(fd)
            os.rename(temp, os.path.join(directory, f"f{i}"))
            os.fsync(directory_fd)
        bursts += 1
        left = period - (time.monotonic() - started)
        if left > 0:
            time.sleep(left)
    os.close(directory_fd)
    print(f"metadata-churn: {bursts} bursts", file=sys.stderr)


if __name__ == "__main__":
    main()

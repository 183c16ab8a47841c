#!/usr/bin/env python3
"""The disk's floor for scenario 14 (cold activation): how long this disk takes, with the file's pages evicted, to read
the span a cold read covers (default 19.2 MiB, what the engine's read-ahead reports per cold read) sequentially, after
posix_fadvise(WILLNEED) of the whole span, as 1,000 dependent random 4 KiB reads (the back-pointer walk without
read-ahead), and as 1,000 random 4 KiB pages of the span each advised WILLNEED first, then read (the floor of a walk
that knew every record's position up front and had all its reads in flight at once). Writes a 64 MiB scratch file in DIR (default: the current directory), prints medians of ROUNDS and the
load average. usage: python3 scripts/cold-read-floor.py [DIR] [SPAN_MIB] [ROUNDS]"""
import os
import random
import statistics
import sys
import time

directory = sys.argv[1] if len(sys.argv) > 1 else "."
span = int(float(sys.argv[2] if len(sys.argv) > 2 else "19.2") * (1 << 20))
rounds = int(sys.argv[3] if len(sys.argv) > 3 else "6")
path = os.path.join(directory, f"cold-read-floor-{os.getpid()}.bin")
file_bytes = 64 << 20
with open(path, "wb") as f:
    f.write(os.urandom(file_bytes))
    f.flush()
    os.fsync(f.fileno())
fd = os.open(path, os.O_RDONLY)


def timed_read(base, advise):
    """Evicts the file's pages, then reads the span at base in 1 MiB pieces (after WILLNEED of all of it if advise)."""
    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    start = time.perf_counter()
    if advise:
        os.posix_fadvise(fd, base, span, os.POSIX_FADV_WILLNEED)
    done = 0
    while done < span:
        done += len(os.pread(fd, 1 << 20, base + done))
    return time.perf_counter() - start


try:
    timings = {
        "sequential 1 MiB reads": [],
        "WILLNEED of the span, then 1 MiB reads": [],
        "1,000 dependent random 4 KiB reads": [],
        "1,000 pages of the span, WILLNEED each": [],
    }
    for r in range(rounds):
        base = (r % 2) * (file_bytes - span) if file_bytes > span else 0
        timings["sequential 1 MiB reads"].append(timed_read(base, advise=False))
        timings["WILLNEED of the span, then 1 MiB reads"].append(timed_read(base, advise=True))
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        t = time.perf_counter()
        for _ in range(1000):
            os.pread(fd, 4096, random.randrange(0, file_bytes // 4096) * 4096)
        timings["1,000 dependent random 4 KiB reads"].append(time.perf_counter() - t)
        pages = sorted(base + p * 4096 for p in random.sample(range(span // 4096), min(1000, span // 4096)))
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        t = time.perf_counter()
        for page in pages:
            os.posix_fadvise(fd, page, 4096, os.POSIX_FADV_WILLNEED)
        for page in pages:
            os.pread(fd, 4096, page)
        timings["1,000 pages of the span, WILLNEED each"].append(time.perf_counter() - t)
    print(f"cold reads of a {span / (1 << 20):.1f} MiB span, {rounds} rounds (pages evicted before each):")
    for name, values in timings.items():
        ms = [v * 1000 for v in values]
        print(f"  {name:40} median {statistics.median(ms):6.1f} ms  (min {min(ms):.1f}, max {max(ms):.1f})")
    print("load average:", open("/proc/loadavg").read().strip())
finally:
    os.close(fd)
    os.remove(path)

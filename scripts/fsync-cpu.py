#!/usr/bin/env python3
"""What one durable write costs this machine in CPU, not only in time (issue 13, round 15).

Each case runs one thread for SECONDS and prints writes per second, the mean latency, and the whole machine's busy CPU
time per write (from /proc/stat: every core, every process and kernel thread, so jbd2, kworkers and interrupts count).
On a virtual machine the kernel's part of an fsync (journal commit, block requests, the virtual disk's notifications
and completions) can cost a good share of the fsync's latency in CPU, which a CPU-bound replicated cluster pays for
every entry every replica syncs. Run it on an idle machine: CPU from other processes is counted too.

usage: python3 scripts/fsync-cpu.py [SECONDS] [DIRECTORY]   (defaults: 3, a temporary directory on the current file system)
"""
import mmap
import os
import sys
import tempfile
import time

BLOCK = b"x" * 4096
PREWRITTEN = 64 << 20


def busy_ticks():
    fields = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(fields) - fields[3] - fields[4]  # everything but idle and iowait


def measure(name, setup, write, seconds):
    state = setup()
    ticks_per_second = os.sysconf("SC_CLK_TCK")
    before, start, count = busy_ticks(), time.monotonic(), 0
    while time.monotonic() - start < seconds:
        write(state, count)
        count += 1
    elapsed = time.monotonic() - start
    cpu = (busy_ticks() - before) / ticks_per_second
    print(f"{name:46s} {count / elapsed:8,.0f}/s  latency {elapsed / count * 1e6:6.0f} us  machine CPU per write {cpu / count * 1e6:6.0f} us")
    os.close(state[0])


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    directory = sys.argv[2] if len(sys.argv) > 2 else None
    with tempfile.TemporaryDirectory(dir=directory or os.getcwd(), prefix="fsync-cpu-") as scratch:
        path = os.path.join(scratch, "data")

        def appending():
            return (os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), None)

        def prewritten(flags=0):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.write(fd, b"\0" * PREWRITTEN)
            os.fsync(fd)
            os.close(fd)
            return os.open(path, os.O_WRONLY | flags)

        def direct():
            buffer = mmap.mmap(-1, 4096)  # page-aligned, as O_DIRECT needs
            buffer.write(BLOCK)
            return (prewritten(os.O_DSYNC | os.O_DIRECT), buffer)

        def offset(count):
            return (count % (PREWRITTEN // 4096)) * 4096

        measure("append 4 KiB, no sync", appending, lambda s, n: os.write(s[0], BLOCK), seconds)
        measure("append 4 KiB + fdatasync", appending, lambda s, n: (os.write(s[0], BLOCK), os.fdatasync(s[0])), seconds)
        measure("overwrite 4 KiB (prewritten) + fdatasync", lambda: (prewritten(), None),
                lambda s, n: (os.pwrite(s[0], BLOCK, offset(n)), os.fdatasync(s[0])), seconds)
        measure("O_DSYNC overwrite 4 KiB (prewritten)", lambda: (prewritten(os.O_DSYNC), None),
                lambda s, n: os.pwrite(s[0], BLOCK, offset(n)), seconds)
        measure("O_DIRECT | O_DSYNC overwrite 4 KiB", direct, lambda s, n: os.pwrite(s[0], s[1], offset(n)), seconds)


if __name__ == "__main__":
    main()

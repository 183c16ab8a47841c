#!/usr/bin/env python3
"""Self samples of a `perf script` dump, per thread name, in buckets: the system call a kernel sample lies under
(fdatasync, pwrite, sched_yield, futex), other kernel time, and user time by leaf frame (a managed method as
Class::Method, or the runtime / CoreLib / libc when perf cannot name it). Used by scripts/engine-profile.sh.

usage: perf script -i FILE | python3 scripts/perf-buckets.py [THREAD_PREFIX ...]
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import perf_samples  # noqa: E402

SYSCALLS = [
    ("__x64_sys_fdatasync", "kernel: fdatasync"),
    ("__x64_sys_fsync", "kernel: fsync"),
    ("__x64_sys_pwrite64", "kernel: pwrite"),
    ("__x64_sys_sched_yield", "kernel: sched_yield"),
    ("__x64_sys_futex", "kernel: futex (wait/wake)"),
    ("__x64_sys_nanosleep", "kernel: nanosleep"),
    ("__x64_sys_clock_nanosleep", "kernel: nanosleep"),
    ("__x64_sys_epoll_wait", "kernel: epoll_wait"),
]
METHOD = re.compile(r"\[[^\]]+\] ([\w.`<>,\[\]]+::[\w.`<>]+)\(")


def bucket(frames):
    """frames: leaf first, each 'ADDR SYMBOL (DSO)'."""
    text = "\n".join(frames)
    for marker, name in SYSCALLS:
        if marker in text:
            return name
    leaf = frames[0]
    if "kernel.kallsyms" in leaf:
        return "kernel: other (interrupts, scheduling)"
    m = METHOD.search(leaf)
    if m:
        name = m.group(1)
        return name.split(".")[-1] if "::" in name.split(".")[-1] else name
    for lib, name in (("libcoreclr", "runtime (libcoreclr)"), ("System.Private.CoreLib", "CoreLib (precompiled)"),
                      ("libc.so", "libc"), ("libSystem.Native", "System.Native"), ("vdso", "vdso (clock)"),
                      ("libclrjit", "JIT compiler")):
        if lib in leaf:
            return name
    return "other"


def main():
    prefixes = sys.argv[1:]
    counts = collections.defaultdict(collections.Counter)
    for comm, _, frames in perf_samples.samples(sys.stdin):
        if not prefixes or any(comm.startswith(p) for p in prefixes):
            counts[comm][bucket(frames)] += 1
    total = sum(sum(c.values()) for c in counts.values())
    for name, c in sorted(counts.items(), key=lambda kv: -sum(kv[1].values())):
        n = sum(c.values())
        print(f"== {name}: {n} samples ({100.0 * n / max(1, total):.1f}% of all)")
        for b, k in c.most_common(14):
            print(f"   {100.0 * k / n:5.1f}%  {b}")


if __name__ == "__main__":
    main()

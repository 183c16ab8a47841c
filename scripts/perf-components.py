#!/usr/bin/env python3
"""CPU of a `perf script` dump (perf record -g, cpu-clock) split by write-path component: the engine's caller side,
framing, CRC, the hand-off, the committer's write, fsync, linger and publish (index update, completion), the thread
pool's dispatch and idle spinning, the benchmark harness, and the kernel's scheduling. Each sample goes to the innermost
frame of its stack that names a component (a system call first, by the user frame that made it), so a copy inside the
record codec counts as framing and a CRC inside it as CRC. With --appends N (the appends acknowledged while perf
recorded) it prints CPU µs per append per component; the sample periods (cpu-clock: nanoseconds) give the CPU.

Used for issue 65's engine-against-bare-loop profile (docs/benchmarks.md, "Write path"):
  bash scripts/engine-profile.sh OUT wal 256 100 8 && perf script -i OUT/wal-256x100.perf.data \\
    | python3 scripts/perf-components.py --appends N
With --owners it splits by owner instead (the Orleans providers' profile in docs/benchmarks.md, "IPersistentState
through Orleans"): each sample goes to the assembly of its innermost managed frame outside the base library (CoreLib
leaves count for their caller; the thread pool's dispatch loop is its own row), or to the system call it lies under,
and --calls N gives CPU µs per call.
usage: perf script -i FILE | python3 scripts/perf-components.py [--appends N | --owners [--calls N]] [--tsv]
"""
import collections
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
import perf_samples  # noqa: E402

# (component, patterns): the first component one of whose patterns occurs in a frame, walking from the leaf to the root.
MANAGED = [
    ("engine: CRC32C", ["Crc32C", "BitOperations::Crc32"]),
    ("engine: framing (record encode, copy)", ["RecordCodec::", "PayloadCipher::"]),
    ("engine: index update (publish)", ["StreamEntry::", "HotStream::", "StreamIndex::", "CoalescingSpaceAccount::",
                                        "Committer::Apply", "Committer::Publish(class Actors.Wal.Index"]),
    ("completion: wake the caller", ["ManualResetValueTaskSourceCore", "StreamWriteRequest::Complete",
                                     "Task::TrySetResult", "Task::RunContinuations", "Task::FinishContinuations",
                                     "AwaitTaskContinuation::", "ThreadPoolWorkQueue::Enqueue",
                                     "ThreadPool::UnsafeQueue", "PortableThreadPool::", "LowLevelLifoSemaphore::Release",
                                     "TaskCompletionSource::"]),
    ("engine: request pool", ["RequestPool::", "StreamWriteRequest::Release", "StreamWriteRequest::ReleaseByPipeline",
                              "StreamWriteRequest::GetResult", "IValueTaskSource"]),
    ("engine: committer loop (gather, linger, bookkeeping)", ["Committer::"]),
    ("engine: writer (drain, stream look-up, group)", ["LogWriter::", "HandOffQueue", "WriterStream", "CommitGroup::",
                                                       "FramingBuffers::", "LogRequest::", "StreamWriteRequest::"]),
    ("engine: caller (validate, id encode, hash)", ["WriteAheadLog::AppendAsync", "StreamId::", "StreamHash::",
                                                    "WriteAheadLog::"]),
    ("bare loop: commit thread", ["GroupCommitTarget::CommitLoop"]),
    ("bare loop: enqueue", ["GroupCommitTarget::AppendAsync"]),
    ("harness: driver, latency histogram", ["Actors.Benchmarks."]),
    ("thread pool: dispatch, await machinery", ["ThreadPoolWorkQueue::Dispatch", "ExecutionContext::",
                                                "AsyncStateMachineBox", "ValueTaskAwaiter", "TaskAwaiter",
                                                "WorkerThread", "ThreadPoolWorkQueue"]),
]
SYSCALLS = [
    ("__x64_sys_fdatasync", "fdatasync"),
    ("__x64_sys_fsync", "fdatasync"),
    ("__x64_sys_pwrite", "write"),
    ("__x64_sys_write", "write"),
    ("__x64_sys_sched_yield", "sched_yield"),
    ("__x64_sys_futex", "futex"),
    ("__x64_sys_nanosleep", "sleep"),
    ("__x64_sys_clock_nanosleep", "sleep"),
    ("__x64_sys_epoll_wait", "epoll"),
]
FRAME = re.compile(r"\[([\w.]+)\] ([\w.`<>,\[\]+]+::[\w.`<>]+)\(")
BASE_LIBRARY = ("System.Private.CoreLib", "System.Runtime", "System.Collections.Concurrent", "System.Linq", "System.Collections")
def managed_component(frames):
    for frame in frames:
        for name, patterns in MANAGED:
            if any(p in frame for p in patterns):
                return name
    return None


def component(comm, frames):
    text = "\n".join(frames)
    kernel_leaf = "kernel.kallsyms" in frames[0]
    for marker, call in SYSCALLS:
        if marker in text:
            if call == "fdatasync":
                return "kernel: fdatasync (commit)"
            if call == "write":
                return "kernel: write (commit)" if ("Committer::" in text or "CommitLoop" in text) else "kernel: write (other)"
            if call == "sched_yield":
                if "Committer::Linger" in text:
                    return "engine: committer linger (spin, sched_yield)"
                return "thread pool: idle spin (sched_yield)"
            if call == "futex":
                if "Committer::" in text or "CommitLoop" in text:
                    return "committer: sleep/wake (futex)"
                if "Release" in text or "TrySetResult" in text or "SignalCompletion" in text or "RequestGroup" in text:
                    return "completion: wake the caller"
                return "thread pool: sleep/wake (futex)"
            return f"kernel: {call}"
    if kernel_leaf:
        if "finish_task_switch" in frames[0] or "__schedule" in text:
            return "kernel: context switch, preemption"
        if "entry_SYSCALL" in text:
            return "kernel: other system calls"
        return "kernel: interrupts, page faults"
    found = managed_component(frames)
    if found is not None:
        return found
    leaf = frames[0]
    if "libclrjit" in leaf or "Tiered Com" in comm:
        return "runtime: JIT"
    if "libcoreclr" in leaf or "System.Private.CoreLib" in leaf:
        return "runtime (unnamed native)"
    return "other"


def owner(frames):
    """The owner of a sample: a system call, the thread pool's dispatch, or the assembly of the innermost managed frame
    outside the base library ("(kernel)" when the sample itself is in the kernel)."""
    text = "\n".join(frames)
    for marker, call in SYSCALLS:
        if marker in text and call in ("fdatasync", "sched_yield", "futex"):
            return {"fdatasync": "kernel: fdatasync", "sched_yield": "kernel: sched_yield (idle spinning)", "futex": "kernel: futex"}[call]
    kernel = " (kernel)" if "kernel.kallsyms" in frames[0] else ""
    for frame in frames:
        m = FRAME.search(frame)
        if not m:
            continue
        if m.group(1) in BASE_LIBRARY:
            if "ThreadPoolWorkQueue::Dispatch" in m.group(2) or "WorkerThread" in m.group(2):
                return "thread pool dispatch" + kernel
            continue
        return m.group(1) + kernel
    if kernel:
        return "kernel: other"
    return "JIT" if "libclrjit" in frames[0] else "native (runtime, libc; unattributed)"


def main():
    args = sys.argv[1:]
    appends = None
    tsv = False
    owners = False
    while args:
        if args[0] in ("--appends", "--calls"):
            appends = float(args[1])
            args = args[2:]
        elif args[0] == "--owners":
            owners = True
            args = args[1:]
        elif args[0] == "--tsv":
            tsv = True
            args = args[1:]
        else:
            sys.exit(__doc__)
    ns = collections.Counter()
    threads = collections.defaultdict(collections.Counter)
    for comm, period, frames in perf_samples.samples(sys.stdin):
        c = owner(frames) if owners else component(comm, frames)
        ns[c] += period
        threads[c][comm.split()[0] if comm.startswith(".NET") is False else comm] += period
    total = sum(ns.values())
    if tsv:
        for name, v in ns.most_common():
            print(f"{name}\t{v}\t{v / 1e3 / appends if appends else 0:.4f}")
        return
    unit = "call" if owners else "append"
    print(f"CPU sampled: {total / 1e6:,.0f} ms" + (f" over {appends:,.0f} {unit}s: {total / 1e3 / appends:.2f} µs per {unit}" if appends else ""))
    print(f"| {'owner' if owners else 'component'} | share | CPU µs/{unit} | threads |" if appends else f"| {'owner' if owners else 'component'} | share | threads |")
    print("| --- | --- | --- | --- |" if appends else "| --- | --- | --- |")
    for name, v in ns.most_common():
        who = ", ".join(f"{t.strip()} {100.0 * k / v:.0f}%" for t, k in threads[name].most_common(2))
        per = f" {v / 1e3 / appends:.3f} |" if appends else ""
        print(f"| {name} | {100.0 * v / total:.1f}% |{per} {who} |")


if __name__ == "__main__":
    main()

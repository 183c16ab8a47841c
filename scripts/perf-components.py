#!/usr/bin/env python3
"""Samples of a system-wide `perf script` dump by process kind and by what the sampled thread was doing. Used by
scripts/cluster-profile.sh.

Each sample's process is a silo, the callers (the benchmark's own process), PostgreSQL, a kernel thread or other. A
silo sample's activity is the outermost frame of the stack (root side) that names one of the components below: for a
thread-pool thread that is the work item it was running (a replica's driver loop, the applier, a silo connection, a
gateway connection, a grain turn...). Its mode is user code, or the system call it lies under (fdatasync, network,
futex and scheduling, other kernel). Only proportions are meaningful (sample counts, not times).

usage: perf script -i FILE -F comm,pid,tid,ip,sym,dso | python3 scripts/perf-components.py
"""
import collections
import re
import sys

# Outermost match wins; order only breaks ties within one frame.
ACTIVITIES = [
    (re.compile(r"ReplicaHost"), "replica driver loop (ReplicaHost: entry log, fsync, protocol)"),
    (re.compile(r"CommittedEntryApplier"), "apply to the materialized log (CommittedEntryApplier)"),
    (re.compile(r"ReplicatedEventLog"), "leader's proposals (ReplicatedEventLog)"),
    (re.compile(r"SiloReplicationTransport|ReplicationInbox"), "replication messages (SiloReplicationTransport, inbox)"),
    (re.compile(r"InboundSiloConnection|OutboundSiloConnection|SiloConnection|Actors\.Cluster\.Messaging"), "silo-to-silo transport"),
    (re.compile(r"Actors\.Hosting\.Gateway|GatewayConnection|GatewayListener"), "gateway (client connections)"),
    (re.compile(r"Actors\.Wal\.|WriteAheadLog"), "write-ahead log (writer loop, appends)"),
    (re.compile(r"Npgsql|PostgreSql"), "cluster store (Npgsql)"),
    (re.compile(r"Actors\.Runtime|Actors\.Core|Actors\.Persistence|Actors\.Hosting"), "grain runtime (turns, persistence)"),
    (re.compile(r"Actors\.Cluster\.Partitioning|Actors\.Cluster\.Membership"), "cluster agents (ownership, membership)"),
]
SYSCALLS = [
    (("__x64_sys_fdatasync", "__x64_sys_fsync"), "fdatasync"),
    (("__x64_sys_sendto", "__x64_sys_sendmsg", "__x64_sys_recvfrom", "__x64_sys_recvmsg", "__x64_sys_write", "__x64_sys_read",
      "net_rx_action", "tcp_", "__x64_sys_epoll_wait"), "network and epoll"),
    (("__x64_sys_futex", "__x64_sys_sched_yield", "__schedule"), "futex, scheduling"),
]


def mode_of(frames):
    for markers, name in SYSCALLS:
        if any(m in f for f in frames for m in markers):
            return "kernel: " + name
    if any("kernel.kallsyms" in f or f.startswith("ffffffff") for f in frames[:1]):
        return "kernel: other"
    return "user"


def fixed_kind(comm):
    """The kind of a process known by its name alone, else None."""
    if comm.startswith("postgres"):
        return "postgres"
    if comm.startswith(("kworker", "kdamond", "ksoftirq", "jbd2", "rcu", "migration")):
        return "kernel threads"
    return None


def main():
    samples = []
    header = None
    frames = []
    for line in sys.stdin:
        if not line.strip():
            if header is not None:
                samples.append((header, frames))
            header, frames = None, []
        elif not line[0].isspace():
            header = line.strip()
        else:
            frames.append(line.strip())
    if header is not None:
        samples.append((header, frames))

    # A process is a silo or the callers by what its threads ran during the window.
    kind_of_pid = {}
    for head, stack in samples:
        parts = head.rsplit(None, 1)
        pid = parts[-1].split("/")[0]
        text = "\n".join(stack)
        if "Actors.Cluster.Benchmarks" in text or ("Actors.Client." in text and "Actors.Hosting" not in text):
            kind_of_pid.setdefault(pid, set()).add("callers")
        if "Actors.Hosting" in text or "Actors.Replication" in text or "Actors.Runtime" in text:
            kind_of_pid.setdefault(pid, set()).add("silo")

    table = collections.defaultdict(collections.Counter)
    kinds = collections.Counter()
    for head, stack in samples:
        comm, pidtid = head.rsplit(None, 1)
        pid = pidtid.split("/")[0]
        kind = fixed_kind(comm)
        if kind is None:
            seen = kind_of_pid.get(pid, set())
            kind = "silo" if "silo" in seen else "callers" if "callers" in seen else "other (" + comm.split()[0] + ")"
        kinds[kind] += 1
        if kind != "silo":
            continue
        activity = None
        for frame in reversed(stack):
            for pattern, name in ACTIVITIES:
                if pattern.search(frame):
                    activity = name
                    break
            if activity:
                break
        if activity is None:
            if "Tiered Com" in comm:
                activity = "JIT (tiered compilation)"
            elif any("gc_heap" in f or "WKS::" in f or "SVR::" in f for f in stack):
                activity = "garbage collector"
            else:
                activity = "other (runtime, thread pool, unnamed)"
        table[activity][mode_of(stack)] += 1

    total = sum(kinds.values())
    print(f"{total} samples")
    print("by process kind:")
    for kind, count in kinds.most_common():
        print(f"  {100.0 * count / total:5.1f}%  {kind}")
    silo = kinds["silo"] or 1
    modes = ["user", "kernel: fdatasync", "kernel: network and epoll", "kernel: futex, scheduling", "kernel: other"]
    print("silo samples by activity (% of all silo samples; columns: " + ", ".join(modes) + "):")
    for activity, counter in sorted(table.items(), key=lambda kv: -sum(kv[1].values())):
        row = "  ".join(f"{100.0 * counter[m] / silo:5.1f}" for m in modes)
        print(f"  {100.0 * sum(counter.values()) / silo:5.1f}%  [{row}]  {activity}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Pools saved outputs of scripts/write-path-ab.sh (issue 37): one series of 6-10 rounds is not enough on this machine
(series medians of one engine spread by 0.2x), so the figures are pooled over every series' rounds.

usage: python3 scripts/pool-write-path-ab.py FILE[:VARIANTS] ... [--baseline NAME]
  FILE      the saved stdout of one write-path-ab.sh or profile-variants.sh run (its "round ..." lines are read, the
            rest ignored)
  VARIANTS  comma-separated variants of that run to pool (default A and B, write-path-ab.sh's engines; name them for a
            profile-variants.sh run, one variant at a time, since its variants are of different kinds)
  --baseline  the variant each run is divided by, always the baseline run of the same file, round and shape: "bare"
            (the reused-file loop, default), "fresh" (the fresh-file loop of FRESH_BARE=1 runs), "matched" (the loop
            writing the engine's bytes per append, of MATCHED_BARE_BYTES=N runs), or any variant name of a
            profile-variants.sh run

Prints, per shape: runs pooled, the median, quartiles and range of their ratio to the baseline (appends/s), the
medians in the near and far core placement (core round trip < 150 ns or not; lines without a round trip count in
neither), the median p99 / p50 (and the baseline's), the median ratio of CPU per append (and how many runs exceed
1.5x), how many runs reach 0.80x, and the median of appends/s x CPU per append: the cores the process kept busy
(and the baseline's). The load range in the first line covers the rows read: the pooled variants and the baseline.
"""
import re
import statistics
import sys

ROW = re.compile(
    r"round (\d+) (\S+) (\S+) load (\S+)(?: at \S+)?(?: core round trip (\d+) ns)?: \|[^|]+\|[^|]+\|[^|]+\|"
    r" *([\d,]+) *\| *([^|]+?) *\| *([^|]+?) *\|[^|]+\|[^|]+\| *([\d.]+) *\|")


def micros(text):
    for unit, factor in (("µs", 1.0), ("ms", 1000.0), ("s", 1e6)):
        if text.endswith(unit):
            return float(text[: -len(unit)].replace(",", "")) * factor
    raise ValueError(f"not a duration: {text!r}")


def read(path, variants, baseline):
    runs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = ROW.match(line)
            if not m:
                continue
            rnd, shape, variant, load, rt, rate, p50, p99, cpu = m.groups()
            if variant not in variants and variant != baseline:
                continue
            runs.append({"file": path, "round": int(rnd), "shape": shape, "variant": variant, "load": float(load),
                         "rt": int(rt) if rt else None, "rate": int(rate.replace(",", "")), "p50": micros(p50),
                         "p99": micros(p99), "cpu": float(cpu)})
    if not runs:
        sys.exit(f"{path}: no 'round ...' line of write-path-ab.sh or profile-variants.sh")
    return runs


def main(argv):
    baseline = "bare"
    specs = []
    args = iter(argv)
    for arg in args:
        if arg == "--baseline":
            baseline = next(args, "")
            if not baseline:
                sys.exit("--baseline: a variant name")
        else:
            specs.append(arg)
    if not specs:
        sys.exit(__doc__)
    runs = []
    for spec in specs:
        path, _, chosen = spec.partition(":")
        runs += read(path, set(chosen.split(",")) if chosen else {"A", "B"}, baseline)
    print(f"loads {min(r['load'] for r in runs)}-{max(r['load'] for r in runs)}; baseline: {baseline}")
    for shape in dict.fromkeys(r["shape"] for r in runs):
        ratios, near, far, p9950, base9950, cpus, cores, base_cores = [], [], [], [], [], [], [], []
        for run in runs:
            if run["shape"] != shape or run["variant"] == baseline:
                continue
            base = [b for b in runs if b["file"] == run["file"] and b["round"] == run["round"]
                    and b["shape"] == shape and b["variant"] == baseline]
            if not base:
                continue
            q = run["rate"] / base[0]["rate"]
            ratios.append(q)
            if run["rt"] is not None:
                (near if run["rt"] < 150 else far).append(q)
            p9950.append(run["p99"] / run["p50"])
            cpus.append(run["cpu"] / base[0]["cpu"])
            cores.append(run["rate"] * run["cpu"] / 1e6)
        for b in runs:
            if b["shape"] == shape and b["variant"] == baseline:
                base9950.append(b["p99"] / b["p50"])
                base_cores.append(b["rate"] * b["cpu"] / 1e6)
        if len(ratios) < 2:
            print(f"{shape}: fewer than 2 runs with a {baseline} baseline (name the variants: FILE:NAME)")
            continue
        quart = statistics.quantiles(ratios, n=4)
        placement = f"near {statistics.median(near):.2f}x ({len(near)})" if near else "near -"
        placement += f", far {statistics.median(far):.2f}x ({len(far)})" if far else ", far -"
        print(f"{shape}: {len(ratios)} runs; ÷ {baseline} median {statistics.median(ratios):.2f}x, quartiles "
              f"{quart[0]:.2f}x-{quart[2]:.2f}x, range {min(ratios):.2f}x-{max(ratios):.2f}x, "
              f"{sum(q >= 0.8 for q in ratios)} at or above 0.80x; {placement}; p99/p50 median "
              f"{statistics.median(p9950):.2f}x ({sum(p <= 3 for p in p9950)} at or below 3x; {baseline} "
              f"{statistics.median(base9950):.2f}x); CPU ratio median {statistics.median(cpus):.2f}x "
              f"({sum(c > 1.5 for c in cpus)} above 1.5x); busy cores (appends/s x CPU per append) median "
              f"{statistics.median(cores):.2f} ({baseline} {statistics.median(base_cores):.2f})")


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Issue 65: plot a sustained run's windows (the CSV of `--sections sustained --csv FILE`) as PNG.

Top: calls/s per window of each variant; middle: p99 per window (log scale); bottom: the log's size on disk and what
compaction copied per window, with the load average. Needs matplotlib (apt-get install -y python3-matplotlib; run it
with /usr/bin/python3 when another python3 comes first on PATH).

usage: sustained-plot.py WINDOWS.csv OUT.png [TITLE]
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    rows = list(csv.DictReader(open(sys.argv[1], newline="")))
    if not rows:
        print(f"sustained-plot.py: {sys.argv[1]} holds no window", file=sys.stderr)
        return 1
    title = sys.argv[3] if len(sys.argv) > 3 else "Sustained run"
    variants = list(dict.fromkeys(r["variant"] for r in rows))
    fig, (rate, p99, space) = plt.subplots(3, 1, figsize=(11, 10), sharex=True)
    for variant in variants:
        mine = [r for r in rows if r["variant"] == variant]
        t = [float(r["seconds"]) / 60 for r in mine]
        rate.plot(t, [float(r["calls_per_s"]) for r in mine], marker="o", markersize=3, label=variant)
        p99.plot(t, [float(r["p99_ms"]) for r in mine], marker="o", markersize=3, label=variant)
    rate.set_ylabel("calls/s (window)")
    rate.set_ylim(bottom=0)
    rate.legend(loc="best", fontsize=8)
    rate.set_title(title)
    p99.set_ylabel("p99 (ms, window)")
    p99.set_yscale("log")
    p99.axhline(10, color="grey", linestyle="--", linewidth=0.8)
    t_all = [float(r["seconds"]) / 60 for r in rows]
    logged = [(t, r) for t, r in zip(t_all, rows) if r["log_mib"] != ""]
    if logged:
        space.plot([t for t, _ in logged], [float(r["log_mib"]) for _, r in logged], color="black", label="log on disk (MiB)")
        space.bar([t for t, _ in logged], [float(r["copied_mib"]) + float(r["refused_mib"]) for _, r in logged],
                  width=0.1, color="tab:red", label="compaction copies prepared per window (MiB)")
    space.set_ylabel("MiB")
    load = space.twinx()
    load.plot(t_all, [float(r["load1"]) for r in rows], color="tab:grey", linestyle=":", label="load average (1 min)")
    load.set_ylabel("load average")
    space.legend(loc="upper left", fontsize=8)
    load.legend(loc="upper right", fontsize=8)
    space.set_xlabel("minutes")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=90)
    return 0


if __name__ == "__main__":
    sys.exit(main())

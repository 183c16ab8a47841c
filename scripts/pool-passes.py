#!/usr/bin/env python3
"""Pools the output of scripts/passes-variants.sh: per pass and variant, the median rate, the median of each round's rate
divided by the same round's BASELINE variant (default "bare"), the median p99 / p50 and every run's p99 / p50.
usage: python3 scripts/pool-passes.py FILE... [--baseline NAME]"""
import re
import statistics
import sys


def micros(text):
    value = float(text.split()[0].replace(",", ""))
    return value * 1000 if "ms" in text else value


def main(argv):
    baseline = "bare"
    if "--baseline" in argv:
        at = argv.index("--baseline")
        baseline = argv[at + 1]
        argv = argv[:at] + argv[at + 2:]
    rows = {}
    for path in argv:
        for line in open(path, encoding="utf-8"):
            match = re.match(r"round (\d+) (\S+) load [\d.]+ at \S+:\s+(.*)", line)
            if not match:
                continue
            label, rate, p50, p99 = [p.strip() for p in match.group(3).split("|")[:4]]
            which = "pass 2" if "pass 2" in label else "pass 1"
            rows.setdefault((which, match.group(2)), []).append(
                (int(match.group(1)), float(rate.replace(",", "")), micros(p50), micros(p99)))
    for which in ("pass 1", "pass 2"):
        base = {r: rate for r, rate, _, _ in rows.get((which, baseline), [])}
        for (pass_name, name), runs in sorted(rows.items()):
            if pass_name != which:
                continue
            tails = [p99 / p50 for _, _, p50, p99 in runs]
            ratios = [rate / base[r] for r, rate, _, _ in runs if r in base]
            shown = f"{statistics.median(ratios):.2f}x" if ratios else "-"
            print(f"{which} {name:10} runs {len(runs)}  rate {statistics.median([r[1] for r in runs]):>9,.0f}  "
                  f"÷ {baseline} {shown}  p99 ÷ p50 {statistics.median(tails):.2f}x  "
                  f"[{' '.join(f'{t:.2f}' for t in tails)}]")


if __name__ == "__main__":
    main(sys.argv[1:])

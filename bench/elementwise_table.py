#!/usr/bin/env python3
"""Markdown table from bench_elementwise's JSON output: GB/s per ISA (median of the repetitions
when --benchmark_repetitions was given) and each ISA's speedup over the scalar reference.

Usage: python3 bench/elementwise_table.py elementwise.json
"""
import json
import sys

ISAS = ["scalar", "sse2", "avx2", "avx512"]


def main(path):
    with open(path) as f:
        runs = json.load(f)["benchmarks"]
    rate = {}  # (kernel, n) -> {isa: GB/s}
    for r in runs:
        if r.get("run_type") == "aggregate" and r.get("aggregate_name") != "median":
            continue
        kernel, isa, n = r["run_name"].split("/")
        rate.setdefault((kernel[3:], int(n)), {})[isa] = r["bytes_per_second"] / 1e9
    present = [i for i in ISAS if any(i in v for v in rate.values())]
    head = ["kernel", "n"] + [f"{i} GB/s" for i in present] + [f"{i} ×" for i in present if i != "scalar"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for (kernel, n), v in rate.items():
        cells = [kernel, str(n)] + [f"{v[i]:.2f}" for i in present]
        cells += [f"{v[i] / v['scalar']:.1f}" for i in present if i != "scalar"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1])

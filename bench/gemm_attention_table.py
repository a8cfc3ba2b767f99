#!/usr/bin/env python3
"""Markdown tables for bench/README.md ("GEMM and attention") from the JSON that bench_gemm and
bench_attention write with --benchmark_out=FILE --benchmark_out_format=json. Uses the median of
repeated runs when the file has aggregates, else the single run.

    python3 bench/gemm_attention_table.py gemm.json attention.json
"""
import json
import re
import sys


def bench_name(run_name):
    """A benchmark's run name without the settings Google Benchmark appends to it (min_time,
    min_warmup_time, real_time), so that rows of differently configured runs line up."""
    return re.sub(r"/min_(warmup_)?time:[0-9.]+|/real_time$", "", run_name)


def load(path):
    """name -> {'gflops', 'gbps', 'real_ms', 'cpu_ms', 'label'}, medians where repetitions ran."""
    runs = json.load(open(path))["benchmarks"]
    have_median = any(b.get("aggregate_name") == "median" for b in runs)
    out = {}
    for b in runs:
        if have_median and b.get("aggregate_name") != "median":
            continue
        if not have_median and b.get("run_type") != "iteration":
            continue
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
        out[bench_name(b["run_name"])] = {
            "gflops": b.get("GFLOP/s"),
            "gbps": b.get("GB/s"),
            "real_ms": b["real_time"] * scale,
            "cpu_ms": b["cpu_time"] * scale,
            "label": b.get("label", ""),
        }
    return out


def gemm_table(r):
    peak = r.get("BM_peak_fma", {}).get("gflops")
    lines = []
    if peak:
        lines.append(f"FMA peak of one core (BM_peak_fma, {r['BM_peak_fma']['label']}): **{peak:.1f} GFLOP/s**\n")
    lines.append("| M×N×K | ops | synapse GFLOP/s | OpenBLAS GFLOP/s | synapse / OpenBLAS | synapse % of peak |")
    lines.append("|---|---|---:|---:|---:|---:|")
    for name, b in r.items():
        if not name.startswith("BM_gemm") or "openblas" in name or "2threads" in name:
            continue
        kind = name.split("/")[0][len("BM_gemm"):].lstrip("_") or "nn"
        if kind not in ("nn", "nt", "tn"):
            continue
        shape = "×".join(name.split("/")[1:4])
        peer = r.get(name.replace("BM_gemm", "BM_gemm_openblas", 1), {}).get("gflops")
        ratio = f"{b['gflops'] / peer:.2f}" if peer else "–"
        pct = f"{100 * b['gflops'] / peak:.0f}%" if peak else "–"
        peer_s = f"{peer:.1f}" if peer else "–"
        lines.append(f"| {shape} | {kind.upper()} | {b['gflops']:.1f} | {peer_s} | {ratio} | {pct} |")
    two = r.get("BM_gemm_2threads/1024/1024/1024")
    one = r.get("BM_gemm/1024/1024/1024")
    if two and one:
        lines.append("")
        lines.append(f"1024³ on 2 threads: {two['gflops']:.1f} GFLOP/s (wall clock) = "
                     f"{one['real_ms'] / two['real_ms']:.2f}× the 1-thread wall time "
                     f"({one['real_ms']:.2f} ms → {two['real_ms']:.2f} ms).")
    other = [(n, b) for n, b in r.items() if n.startswith("BM_gemm_") and n.split("/")[0][8:] in ("avx2", "sse2")]
    if other:
        lines.append("")
        lines.append("Narrower ISAs (same run): " + ", ".join(
            f"{n.split('/')[0][8:]} {'×'.join(n.split('/')[1:4])}: {b['gflops']:.1f}" for n, b in other) + " GFLOP/s.")
    return "\n".join(lines)


def attention_table(r):
    lines = ["| B/H/T/D | mask | fused ms | composed ms | libtorch ms | fused vs composed | fused vs libtorch |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for name, b in r.items():
        head = name.split("/")[0]
        if head not in ("BM_attention", "BM_attention_causal"):
            continue
        rest = "/" + "/".join(name.split("/")[1:])
        tag = "_causal" if head.endswith("_causal") else ""
        comp = r.get("BM_attention_composed" + tag + rest)
        torch = r.get("BM_attention_libtorch" + tag + rest)
        f = b["cpu_ms"]
        c = comp["cpu_ms"] if comp else None
        t = torch["cpu_ms"] if torch else None
        lines.append(f"| {rest[1:]} | {'causal' if tag else 'none'} | {f:.1f} | "
                     f"{c:.1f} | " + (f"{t:.1f}" if t else "–") + f" | {c / f:.2f}× | " +
                     (f"{t / f:.2f}×" if t else "–") + " |")
    return "\n".join(lines)


def main():
    for path in sys.argv[1:]:
        r = load(path)
        if any(n.startswith("BM_gemm") for n in r):
            print(gemm_table(r))
        if any(n.startswith("BM_attention") for n in r):
            print(attention_table(r))
        print()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Markdown table for bench/README.md ("Whole steps") from the JSON of bench_recurrent and
bench_patchtst (--benchmark_out=FILE --benchmark_out_format=json) and the JSON lines that
../shared/peers/torch_peer.py and torch_small.py print, all from one session:

    python3 bench/step_table.py recurrent_*.json patchtst_*.json torch_peer.jsonl torch_small.jsonl

Per benchmark: synapse's CPU time per iteration, GFLOP/s of the matrix products, % of BM_peak_fma
(the best of the binaries), libtorch (same binaries, its rows run in their own processes with
--benchmark_filter=libtorch) and PyTorch (peer script) times with each peer's time over synapse's,
and the 2-thread speedup (wall time of one thread over that of .../threads:2).
"""
import sys

from gemm_attention_table import load
from pruned_table import load_peer

# synapse benchmark -> the peer script's name for the same workload.
TORCH_PEER = {
    "BM_train_step/lstm": "lstm_train_step_b64_t96_h64_l2",
    "BM_train_step/rnn": "rnn_train_step_b64_t96_h64_l2",
    "BM_infer/lstm/b1": "lstm_infer_b1_t96_h64_l2",
    "BM_infer/rnn/b1": "rnn_infer_b1_t96_h64_l2",
    "BM_train_step/patchtst": "patchtst_train_step_b32_c7_L336_d128",
    "BM_infer/patchtst/b1": "patchtst_infer_b1_c7_L336_d128",
}


def read(paths):
    """(benchmarks: name -> row, BM_peak_fma rates, torch: name -> ms): Google Benchmark JSON files
    (*.json) and the peer scripts' JSON lines (any other file). With repetitions, the medians; a
    benchmark found in several files (runs in separate processes), its median run."""
    runs, peaks, torch = {}, [], {}
    for path in paths:
        if path.endswith(".json"):
            rows = load(path)
            if "BM_peak_fma" in rows:
                peaks.append(rows["BM_peak_fma"]["gflops"])
            for name, row in rows.items():
                runs.setdefault(name, []).append(row)
        else:
            torch.update({d["name"]: d["ms"] for d in load_peer(path) if "ms" in d})
    return {name: median_row(rows) for name, rows in runs.items()}, peaks, torch


def median_row(rows):
    """The row of the median CPU time among runs of one benchmark in several files (separate
    processes of the same binary; an even count takes the faster middle one)."""
    return sorted(rows, key=lambda r: r["cpu_ms"])[(len(rows) - 1) // 2]


def fmt(v, spec):
    return "–" if v is None else format(v, spec)


def times(peer_ms, ms, inverse=False):
    """peer_ms / ms as "1.23×" (ms / peer_ms with inverse), or a dash without a peer figure."""
    if peer_ms is None:
        return "–"
    return f"{(ms / peer_ms if inverse else peer_ms / ms):.2f}×"


def table(bench, peaks, torch):
    peak = max(peaks) if peaks else None
    lines = []
    if peak:
        lines.append(f"FMA peak of one core (BM_peak_fma, best of the binaries): **{peak:.1f} GFLOP/s**\n")
    lines.append("| benchmark | synapse ms | GFLOP/s | % of peak | libtorch ms | libtorch / synapse | PyTorch ms "
                 "| PyTorch / synapse | 2 threads |")
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, b in bench.items():
        if not name.startswith(("BM_train_step/", "BM_infer/")) or "/threads:" in name:
            continue
        libtorch = bench.get(name.replace("BM_train_step/", "BM_train_step_libtorch/")
                             .replace("BM_infer/", "BM_infer_libtorch/"))
        peer = torch.get(TORCH_PEER.get(name, name.removeprefix("BM_train_step/")))
        two = bench.get(name + "/threads:2")
        lib_ms = libtorch["cpu_ms"] if libtorch else None
        lines.append("| `{}` | {} | {} | {} | {} | {} | {} | {} | {} |".format(
            name, fmt(b["cpu_ms"], ".3g"), fmt(b["gflops"], ".1f"),
            fmt(100 * b["gflops"] / peak if b["gflops"] and peak else None, ".0f"),
            fmt(lib_ms, ".3g"), times(lib_ms, b["cpu_ms"]), fmt(peer, ".3g"), times(peer, b["cpu_ms"]),
            times(two["real_ms"] if two else None, b["real_ms"], inverse=True)))
    for name, b in bench.items():
        if name.startswith("BM_l2_read/"):
            lines.append(f"\n`{name}` ({int(name.split('/')[1]) // 1024} KiB, {b['label']}): "
                         f"{b['gbps']:.1f} GB/s")
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print(table(*read(sys.argv[1:])))

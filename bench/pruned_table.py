#!/usr/bin/env python3
"""Markdown tables for bench/README.md ("Pruned models", "Block masks") from the JSON that bench_pruned
writes with --benchmark_out=FILE --benchmark_out_format=json, and optionally the JSON lines of
../shared/peers/torch_peer.py from the same session. Times are thread CPU times (one thread); with
--benchmark_repetitions, the fastest repetition of each case.

    python3 bench/pruned_table.py pruned.json [torch_peer.jsonl]
"""
import json
import sys

from gemm_attention_table import bench_name


def load(path):
    """name -> {'ms', 'gflops', 'nnz', 'label', 'counters'} (settings suffixes dropped; counters: the
    benchmark's whole JSON entry). With --benchmark_repetitions, the fastest repetition."""
    out = {}
    for b in json.load(open(path))["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b.get("time_unit", "ns")]
        name = bench_name(b["run_name"])
        ms = b["cpu_time"] * scale
        if name not in out or ms < out[name]["ms"]:
            out[name] = {"ms": ms, "gflops": b.get("GFLOP/s"), "nnz": b.get("nnz"),
                         "label": b.get("label", ""), "counters": b}
    return out


def linear_tables(r):
    """Per (N, K): dense-equivalent GFLOP/s and speedup of each plan against the unmasked-equivalent
    dense plan at sparsity 0; and the crossover (lowest sparsity where sparse beats dense)."""
    lines = []
    shapes = sorted({tuple(int(v) for v in n.split("/")[1:4]) for n in r if n.startswith("BM_linear_masked/")})
    crossovers = []
    for n, k, m in shapes:
        base = r.get(f"BM_linear_masked/{n}/{k}/{m}/0/dense")
        if not base:
            continue
        lines.append(f"\n**N = {n}, K = M = {k}** (dense at 0%: {base['ms']:.3f} ms, {base['gflops']:.1f} GFLOP/s)\n")
        lines.append("| sparsity | dense ms | sparse ms | sparse / dense time | speedup vs dense 0% | sparse dense-equivalent GFLOP/s |")
        lines.append("|---:|---:|---:|---:|---:|---:|")
        crossover = None
        for s in (0, 50, 80, 90, 95, 99):
            d = r.get(f"BM_linear_masked/{n}/{k}/{m}/{s}/dense")
            sp = r.get(f"BM_linear_masked/{n}/{k}/{m}/{s}/sparse")
            if not d or not sp:
                continue
            if crossover is None and sp["ms"] < d["ms"]:
                crossover = s
            lines.append(f"| {s}% | {d['ms']:.3f} | {sp['ms']:.3f} | {sp['ms'] / d['ms']:.2f} | "
                         f"{base['ms'] / sp['ms']:.2f}× | {sp['gflops']:.1f} |")
        crossovers.append((n, k, crossover))
    lines.append("\n**Crossovers** (lowest measured sparsity at which the sparse plan beats the dense one):\n")
    lines.append("| N | K = M | crossover |")
    lines.append("|---:|---:|---:|")
    for n, k, c in crossovers:
        lines.append(f"| {n} | {k} | {'none' if c is None else str(c) + '%'} |")
    return "\n".join(lines)


def block_tables(r):
    """BM_linear_masked/N/K/M/blockRxC/sparsity/plan: per plan at N = 64, K = M = 256, the block plan's
    speedup over dense (and over the sparse plan) for every shape, and the LSTM step with block masks."""
    def ms(n, k, shape, s, plan):
        b = r.get(f"BM_linear_masked/{n}/{k}/{k}/block{shape}/{s}/{plan}")
        return b["ms"] if b else None

    shapes, sparsities = ("4x4", "4x1", "1x4"), (50, 70, 80, 90, 95)
    lines = ["**N = 64, K = M = 256** (dense-equivalent GFLOP/s: 6·N·K·M per forward + both gradients)\n",
             "| blocks | sparsity | dense ms | sparse ms | block ms | block GFLOP/s | block vs dense | "
             "sparse vs dense | block vs sparse |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for shape in shapes:
        for s in sparsities:
            d, sp, b = (ms(64, 256, shape, s, p) for p in ("dense", "sparse", "block"))
            if None in (d, sp, b):
                continue
            g = r[f"BM_linear_masked/64/256/256/block{shape}/{s}/block"]["gflops"]
            lines.append(f"| {shape} | {s}% | {d:.3f} | {sp:.3f} | {b:.3f} | {g:.1f} | {d / b:.2f}× | "
                         f"{d / sp:.2f}× | {sp / b:.2f}× |")
    lines += ["\nSpeedup of the block plan over dense (and over the sparse plan) on the same mask, all shapes:\n",
              "| N | K = M | blocks | " + " | ".join(f"{s}%" for s in sparsities) + " |",
              "|---:|---:|---|" + "---:|" * len(sparsities)]
    for n in (64, 6144):
        for k in (256, 1024):
            for shape in shapes:
                cells = []
                for s in sparsities:
                    d, sp, b = (ms(n, k, shape, s, p) for p in ("dense", "sparse", "block"))
                    cells.append("" if None in (d, sp, b) else f"{d / b:.2f}× ({sp / b:.2f}×)")
                if any(cells):
                    lines.append(f"| {n} | {k} | {shape} | " + " | ".join(cells) + " |")
    lines += ["\nThe LSTM peer's training step with block masks (4×4, and 4×1 for the first layer's (256, 1) "
              "W_ih), plans forced:\n",
              "| sparsity | dense ms | sparse ms | block ms | block vs dense | block vs sparse |",
              "|---:|---:|---:|---:|---:|---:|"]
    for s in (80, 90):
        t = [r.get(f"BM_train_step/lstm/blocks/sparsity:{s}/{p}") for p in ("dense", "sparse", "block")]
        if None in t:
            continue
        d, sp, b = (x["ms"] for x in t)
        lines.append(f"| {s}% | {d:.1f} | {sp:.1f} | {b:.1f} | {d / b:.2f}× | {sp / b:.2f}× |")
    return "\n".join(lines)


def model_table(r, peer):
    lines = ["| workload | ms | speedup vs unmasked |", "|---|---:|---:|"]
    for prefix in ("BM_train_step/lstm/", "BM_infer/lstm/b1/", "BM_train_step/patchtst/"):
        base = r.get(prefix + "unmasked")
        for name, b in r.items():
            if not name.startswith(prefix) or "/blocks/" in name:
                continue
            speed = f"{base['ms'] / b['ms']:.2f}×" if base else ""
            lines.append(f"| `{name}` | {b['ms']:.3f} | {speed} |")
    if peer:
        lines.append("\nPyTorch (`../shared/peers/torch_peer.py`, same session):\n")
        lines.append("| workload | ms |")
        lines.append("|---|---:|")
        for p in peer:
            if "ms" in p:
                lines.append(f"| {p['name']} | {p['ms']:.1f} |")
    peak = r.get("BM_peak_fma")
    if peak:
        lines.append(f"\nFMA peak of one core in the same binary: {peak['gflops']:.1f} GFLOP/s ({peak['label']}).")
    return "\n".join(lines)


def load_peer(path):
    """The JSON lines a ../shared/peers script printed (other lines skipped), in order."""
    return [json.loads(line) for line in open(path) if line.strip().startswith("{")]


def main():
    r = load(sys.argv[1])
    peer = load_peer(sys.argv[2]) if len(sys.argv) > 2 else []
    print(linear_tables(r))
    print()
    print(block_tables(r))
    print()
    print(model_table(r, peer))


if __name__ == "__main__":
    main()

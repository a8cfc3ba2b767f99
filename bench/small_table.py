#!/usr/bin/env python3
"""The "Study-sized models" table of bench/README.md from the JSON that bench_small writes with
--benchmark_out=FILE --benchmark_out_format=json (the fastest repetition; with its libtorch rows when
the binary was built with libtorch), and the JSON lines of
runs of ../shared/peers/torch_small.py from the same session (the fastest run of each model).

    python3 bench/small_table.py small.json [small_libtorch.json] torch_small_1.jsonl torch_small_2.jsonl ...

(JSON files: benchmark output, e.g. the synapse and libtorch rows from separate processes, the fastest
run of each benchmark over all of them; any other file: the peer script's JSON lines.)
"""
import sys

from pruned_table import load, load_peer


def ratio(ms, peer_ms):
    """The peer's time and synapse's over it, or dashes without a peer figure."""
    return f"{peer_ms:.3f} | {ms / peer_ms:.3f}" if peer_ms else "— | —"


def main():
    r, torch = {}, {}
    for path in sys.argv[1:]:
        if path.endswith(".json"):
            for name, row in load(path).items():
                if name not in r or row["ms"] < r[name]["ms"]:
                    r[name] = row
            continue
        for p in load_peer(path):
            torch[p["name"]] = min(p["ms"], torch.get(p["name"], p["ms"]))
    peak = r.get("BM_peak_fma")
    print("| benchmark | ms / step | GFLOP/s | % of FMA peak | allocs / step | cache misses / step "
          "| heap allocs / step | libtorch ms | synapse / libtorch | PyTorch ms | synapse / PyTorch |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, b in r.items():
        if not name.startswith("BM_train_step/"):
            continue
        c = b["counters"]
        pct = f"{100 * b['gflops'] / peak['gflops']:.0f} %" if peak else ""
        lib = r.get(name.replace("BM_train_step/", "BM_train_step_libtorch/"))
        t = torch.get(name[len("BM_train_step/"):])
        print(f"| `{name}` | {b['ms']:.3f} | {b['gflops']:.1f} | {pct} | {c['allocs_per_step']:.0f} "
              f"| {c['cache_misses_per_step']:.0f} | {c['heap_allocs_per_step']:.0f} "
              f"| {ratio(b['ms'], lib['ms'] if lib else None)} | {ratio(b['ms'], t)} |")
    if peak:
        print(f"\nFMA peak of one core in the same binary: {peak['gflops']:.1f} GFLOP/s ({peak['label']}).")


if __name__ == "__main__":
    main()

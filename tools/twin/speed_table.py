#!/usr/bin/python3
"""Markdown tables for docs/results/speed.md from the folders tools/twin/side_by_side.sh writes (each
holds one folder per model with synapse.jsonl, torch.jsonl, synapse.time, torch.time, torch.summary),
and optionally the extrapolation to a whole grid.

    /usr/bin/python3 tools/twin/speed_table.py OUT_DIR... [--grid experiments/study.json] [--check OUT_DIR]

Per folder and model: the runs, the epochs each trained (mean), and each process's CPU time (user +
system, /usr/bin/time -v) and wall time; PyTorch's without its start-up (importing torch, once per
process, shown apart). Per run and per epoch (the process's CPU time over its runs, over their epochs)
and the ratio synapse / PyTorch.

Extrapolation (--grid): per framework and model, the process CPU time of a folder is modelled as
a·E + b·EW, E the epochs its runs trained and EW the sum over runs of epochs × training windows: a is
the CPU time of an epoch apart from its windows (and the run's overheads spread over its epochs), b
that of a training window in an epoch (its batch share, the validation pass, pruning). Two folders of
different sizes give a and b exactly; one folder gives b alone (a = 0). Each run of the grid is charged
epochs × (a + b · its training windows), with epochs the mean that both frameworks trained for the same
(model, regulariser, protocol) in the measured folders (both are charged the same epochs), and PyTorch
one start-up. Training windows come from torch_twin's data pipeline (the same split and windows as
synapse's). --check sets the fitted costs against a folder measured apart (e.g. a larger dataset).
"""
import argparse
import json
import os
import re
import sys
from collections import defaultdict

sys.dont_write_bytecode = True  # no __pycache__ beside the tools
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_twin import expand_grid, part, read_series  # noqa: E402

SIDES = ("synapse", "torch")


def read_time(path):
    """(wall seconds, user + system seconds) from /usr/bin/time -v."""
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time .*: (\S+)", text).group(1).split(":")
    seconds = sum(float(v) * 60 ** i for i, v in enumerate(reversed(wall)))
    user = float(re.search(r"User time \(seconds\): (\S+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): (\S+)", text).group(1))
    return seconds, user + system


def measure(folder, model):
    """One model's processes: per side runs, epochs, cpu, wall; and each run's (model, reg, protocol,
    epochs, train windows) for the extrapolation."""
    d = os.path.join(folder, model)
    torch_runs = [json.loads(line) for line in open(os.path.join(d, "torch.jsonl"))]
    synapse_runs = [json.loads(line) for line in open(os.path.join(d, "synapse.jsonl"))]
    if len(torch_runs) != len(synapse_runs):
        sys.exit(f"speed_table: {d}: {len(synapse_runs)} synapse runs, {len(torch_runs)} PyTorch runs")
    summary = json.loads(open(os.path.join(d, "torch.summary")).read())
    windows = {(r["lookback"], r["protocol"]): r["train_windows"] for r in torch_runs}
    m = {"model": model, "startup": summary["startup_cpu_seconds"], "runs": len(torch_runs), "points": []}
    for side in SIDES:
        m[side] = dict(zip(("wall", "cpu"), read_time(os.path.join(d, f"{side}.time"))))
    m["torch"]["cpu"] -= summary["startup_cpu_seconds"]
    m["torch"]["wall"] -= summary["startup_wall_seconds"]
    for r in torch_runs:
        m["points"].append(("torch", r["model"], r["regulariser"], r["protocol"], r["epochs"], r["train_windows"]))
    for r in synapse_runs:
        s = r["settings"]
        m["points"].append(("synapse", s["model"], s["regulariser"], s["protocol"], r["training"]["epochs"],
                            windows[(s["lookback"], s["protocol"])]))
    for side in SIDES:
        pts = [p for p in m["points"] if p[0] == side]
        m[side]["epochs"] = sum(p[4] for p in pts)
        m[side]["epoch_windows"] = sum(p[4] * p[5] for p in pts)
    return m


def models_of(folder):
    return sorted(e for e in os.listdir(folder) if os.path.isfile(os.path.join(folder, e, "torch.summary")))


def model_table(measured):
    lines = ["| slice | model | runs | epochs per run synapse / PyTorch | CPU s per run synapse | PyTorch | ratio | "
             "CPU ms per epoch synapse | PyTorch | ratio | wall s synapse / PyTorch |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for slice_name, ms in measured.items():
        total = {side: {"cpu": 0.0, "epochs": 0, "wall": 0.0} for side in SIDES}
        for m in ms + [None]:
            if m is None:
                m = dict(model="**all**", runs=sum(x["runs"] for x in ms), **total)
            else:
                for side in SIDES:
                    for k in total[side]:
                        total[side][k] += m[side][k]
            s, t, n = m["synapse"], m["torch"], m["runs"]
            lines.append(f"| {slice_name} | {m['model']} | {n} | {s['epochs'] / n:.1f} / {t['epochs'] / n:.1f} | "
                         f"{s['cpu'] / n:.3f} | {t['cpu'] / n:.3f} | {s['cpu'] / t['cpu']:.3f} | "
                         f"{1000 * s['cpu'] / s['epochs']:.1f} | {1000 * t['cpu'] / t['epochs']:.1f} | "
                         f"{(s['cpu'] / s['epochs']) / (t['cpu'] / t['epochs']):.3f} | "
                         f"{s['wall']:.1f} / {t['wall']:.1f} |")
    startups = [m["startup"] for ms in measured.values() for m in ms]
    lines.append("")
    lines.append(f"PyTorch start-up (import torch, numpy), per process, not included above: "
                 f"{min(startups):.2f}–{max(startups):.2f} s CPU.")
    return lines


def fit(ms, side):
    """(a, b): process CPU = a·E + b·EW over the folders of one model (see the module docstring)."""
    rows = [(m[side]["epochs"], m[side]["epoch_windows"], m[side]["cpu"]) for m in ms]
    if len(rows) == 1:
        e, ew, cpu = rows[0]
        return 0.0, cpu / ew
    # least squares on the normal equations (exact for two folders)
    see = sum(e * e for e, _, _ in rows)
    sew = sum(e * ew for e, ew, _ in rows)
    sww = sum(ew * ew for _, ew, _ in rows)
    sec = sum(e * c for e, _, c in rows)
    swc = sum(ew * c for _, ew, c in rows)
    det = see * sww - sew * sew
    return (sec * sww - swc * sew) / det, (see * swc - sew * sec) / det


def extrapolate(measured, grid):
    by_model = defaultdict(list)
    epochs = defaultdict(list)
    for ms in measured.values():
        for m in ms:
            by_model[m["model"]].append(m)
            for side, model, reg, protocol, e, _ in m["points"]:
                epochs[(model, reg, protocol)].append(e)
    fits = {(side, model): fit(ms, side) for model, ms in by_model.items() for side in SIDES}
    startup = max(m["startup"] for ms in measured.values() for m in ms)
    lines = ["Fitted CPU costs (ms):", "",
             "| model | synapse a (per epoch) | synapse b (per window-epoch) | PyTorch a | PyTorch b |",
             "|---|---:|---:|---:|---:|"]
    for model in sorted(by_model):
        (sa, sb), (ta, tb) = fits[("synapse", model)], fits[("torch", model)]
        lines.append(f"| {model} | {1000 * sa:.2f} | {1000 * sb:.4f} | {1000 * ta:.2f} | {1000 * tb:.4f} |")
    runs = expand_grid(grid)
    missing = sorted({s["model"] for s in runs} - set(by_model))
    if missing:
        sys.exit(f"speed_table: {grid} has models not measured in the folders: {', '.join(missing)}")
    rows = {}
    per = defaultdict(lambda: defaultdict(float))
    for s in runs:
        if s["file"] not in rows:
            rows[s["file"]] = len(read_series(s))
        n_train = part(rows[s["file"]], 0.8 if s["protocol"] == "paper" else 0.7)
        w = n_train - s["horizon"] - s["lookback"] + 1
        trained = epochs[(s["model"], s["regulariser"], s["protocol"])]
        e = sum(trained) / len(trained)
        cell = per[(s["dataset"], s["model"])]
        cell["runs"] += 1
        cell["epochs"] += e
        cell["windows_min"] = min(cell.get("windows_min", w), w)
        cell["windows_max"] = max(cell["windows_max"], w)
        for side in SIDES:
            a, b = fits[(side, s["model"])]
            cell[side] += e * (a + b * w)
    lines += ["", f"Extrapolation to {grid} (CPU minutes, one thread):", "",
              "| dataset | model | runs | training windows | epochs (mean) | synapse min | PyTorch min | ratio |",
              "|---|---|---:|---|---:|---:|---:|---:|"]
    total = {side: 0.0 for side in SIDES}
    for (dataset, model), c in per.items():
        for side in SIDES:
            total[side] += c[side]
        lines.append(f"| {dataset} | {model} | {c['runs']:.0f} | {c['windows_min']:.0f}–{c['windows_max']:.0f} | "
                     f"{c['epochs'] / c['runs']:.1f} | {c['synapse'] / 60:.1f} | {c['torch'] / 60:.1f} | "
                     f"{c['synapse'] / c['torch']:.3f} |")
    total["torch"] += startup
    lines.append(f"| **all** | | {sum(c['runs'] for c in per.values()):.0f} | | | {total['synapse'] / 60:.1f} | "
                 f"{total['torch'] / 60:.1f} | **{total['synapse'] / total['torch']:.3f}** |")
    return lines


def check(measured, folder):
    """The fitted costs against a folder measured apart (not used by the fit): predicted and measured CPU
    per epoch per model and framework."""
    by_model = defaultdict(list)
    for ms in measured.values():
        for m in ms:
            by_model[m["model"]].append(m)
    lines = [f"Fitted costs against {os.path.basename(os.path.normpath(folder))} (measured apart, not fitted):", "",
             "| model | synapse ms per epoch predicted / measured | PyTorch predicted / measured | ratio predicted / "
             "measured |", "|---|---:|---:|---:|"]
    for m in (measure(folder, model) for model in models_of(folder)):
        cells = {}
        for side in SIDES:
            a, b = fit(by_model[m["model"]], side)
            predicted = (a * m[side]["epochs"] + b * m[side]["epoch_windows"]) / m[side]["epochs"]
            cells[side] = (1000 * predicted, 1000 * m[side]["cpu"] / m[side]["epochs"])
        (sp, sm), (tp, tm) = cells["synapse"], cells["torch"]
        lines.append(f"| {m['model']} | {sp:.1f} / {sm:.1f} | {tp:.1f} / {tm:.1f} | {sp / tp:.3f} / {sm / tm:.3f} |")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folders", nargs="+", help="output folders of side_by_side.sh")
    ap.add_argument("--grid", help="extrapolate to this grid (e.g. experiments/study.json)")
    ap.add_argument("--check", help="an output folder of side_by_side.sh to set the fitted costs against")
    a = ap.parse_args()
    measured = {os.path.basename(os.path.normpath(f)): [measure(f, m) for m in models_of(f)] for f in a.folders}
    print("\n".join(model_table(measured)))
    if a.grid:
        print()
        print("\n".join(extrapolate(measured, a.grid)))
    if a.check:
        print()
        print("\n".join(check(measured, a.check)))


if __name__ == "__main__":
    main()

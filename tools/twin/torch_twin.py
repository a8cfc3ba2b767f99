#!/usr/bin/python3
"""PyTorch twin of `synapse experiment run --config GRID`: every run of an experiment grid (the JSON of
experiments/*.json) trained in PyTorch with synapse's protocol, for the speed comparison of
docs/results/speed.md. One thread. Writes one JSON line per run and a summary line at the end.

    /usr/bin/python3 tools/twin/torch_twin.py --config experiments/slices/study-bitcoin.json \
        --results torch.jsonl

The same work as synapse, not the same numbers (different random streams): per run
  grid     datasets x models x regularisers x lookbacks x seeds x protocols x axes, settings over the
           study defaults (epochs 20, batch 64, lr 1e-3, horizon 1, dropout 0.3, hidden 64, 1 layer)
           (src/synapse/forecast/experiment_grid.cpp)
  data     the CSV's numeric columns (dates dropped, `ignore` skipped, `na` values missing, `missing`
           fail/drop/ffill; ';' files read with a decimal comma), the target first (csv_reader.cpp,
           selection.cpp)
  split    clean: 70/10/20 rows, scaler fitted on train, early stopping on validation (no improvement
           for 5 epochs) with the best weights restored; paper: 80/20 rows, scaler fitted on the whole
           series, the test part as the early-stopping set, stop when each of the last 3 epochs failed
           to lower the validation loss, the last epoch kept; "early_stopping": false trains every epoch
           and keeps the last (split.cpp, trainer.cpp)
  windows  stride 1, a window belongs to the split holding its targets (windows.cpp)
  training Adam (lr, betas 0.9/0.999, eps 1e-8), MSE, shuffled batches of `batch`, validation loss
           on every epoch in eval mode; test MAE in original units on the model that training kept
  models   rnn/lstm: one torch.nn.RNN (tanh) / LSTM layer of 64, last step -> Dropout -> Linear(64, H);
           paper-patchtst: the study's patch transformer (nn/paper_patch_transformer.hpp) from
           torch.nn.TransformerEncoderLayer (post-norm, ReLU, d_model 64, 4 heads, FFN 256) x 2;
           dropout 0.3 for `dropout`, and for the transformer under `pruning` too
  pruning  paper_ramp presets (rnn 0.1->0.5 warm-up 2 every 5 batches; lstm 0.7->1.2 capped at 0.99,
           2, 2; transformer 0.01->0.5, 5, 5), one global magnitude threshold over the weight
           matrices (>= 2-D parameters named *weight*), masks only lose entries; applied as the
           study's code does: after backward the mask update and w *= mask, then the optimiser step
           and w *= mask again. A clean run with pruning is "settled" only after its last batch, so
           it neither stops early nor restores an earlier epoch (trainer.cpp, pruning_callback.cpp)

Per run: key fields, test MAE, epochs, `seconds` (training, as synapse's), `run_seconds` and
`cpu_seconds` (the whole run: data, model, training, scoring). The summary line holds the process's
wall and CPU time from the start of the script and those of its start-up (importing torch).
"""
import argparse
import copy
import csv
import itertools
import json
import math
import os
import resource
import sys
import time

START_WALL = time.perf_counter()

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

STUDY_DEFAULTS = {"epochs": 20, "batch": 64, "lr": 1e-3, "horizon": 1, "dropout": 0.3, "hidden_size": 64,
                  "num_layers": 1}
REGULARISERS = {"none": {"reg": "none"}, "dropout": {"reg": "dropout"},
                "pruning": {"reg": "pruning", "schedule": "paper_ramp", "scope": "global", "score": "magnitude"}}
# (s_min, s_max, warm-up epochs, every N batches), pruning/paper_preset.cpp
PAPER_PRESETS = {"rnn": (0.1, 0.5, 2, 5), "lstm": (0.7, 1.2, 2, 2), "paper-patchtst": (0.01, 0.5, 5, 5)}
SPARSITY_CAP = 0.99
MISSING_MARKERS = {"", "NA", "N/A", "NaN", "nan"}


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# ---------------------------------------------------------------- grid

def resolve(file, grid_dir):
    candidates = [file] if os.path.isabs(file) else [file, os.path.join(grid_dir, file)]
    if not os.path.isabs(file):
        data_dir = os.environ.get("SYN_DATA_DIR") or os.path.join(os.getcwd(), "..", "shared", "data")
        candidates.append(os.path.join(data_dir, file))
    for c in candidates:
        if os.path.isfile(c):
            return c
    sys.exit(f"torch_twin: dataset file '{file}' not found (tried {', '.join(candidates)}; set SYN_DATA_DIR)")


def expand_grid(path):
    """The grid's runs in synapse's order (the last axis varying fastest), each a dict of settings."""
    grid = json.load(open(path))
    settings = dict(STUDY_DEFAULTS, **grid.get("settings", {}))
    axes = list(grid.get("axes", {}).items())
    runs = []
    for d in grid["datasets"]:
        dataset = {"dataset": d["name"], "file": resolve(d["file"], os.path.dirname(path)), "target": d["target"],
                   "ignore": d.get("ignore", []), "na": d.get("na", []), "missing": d.get("missing", "fail")}
        if d.get("features", "all") != "all":
            dataset["features"] = d["features"]
        for model, reg, lookback, seed, protocol in itertools.product(
                grid["models"], grid["regularisers"], grid["lookbacks"], grid["seeds"],
                grid.get("protocols", ["clean"])):
            if reg not in REGULARISERS:
                sys.exit(f"torch_twin: regulariser '{reg}' is not supported (none, dropout, pruning)")
            for values in itertools.product(*[v for _, v in axes]):
                s = dict(dataset, model=model, regulariser=reg, lookback=lookback, seed=seed, protocol=protocol)
                s.update(STUDY_DEFAULTS)
                s.update(REGULARISERS[reg])
                s.update(settings)
                s.update({k: v for (k, _), v in zip(axes, values)})
                runs.append(s)
    return runs


# ---------------------------------------------------------------- data

def number(text, decimal_comma):
    try:
        return float(text.replace(",", ".") if decimal_comma else text)
    except ValueError:
        return None


def read_series(s):
    """(rows, cols) float64, the target first and then the features, as synapse selects them."""
    with open(s["file"], newline="", encoding="utf-8-sig") as f:
        header_line = f.readline()
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
        f.seek(0)
        rows = [r for r in csv.reader(f, delimiter=delimiter)]
    header, rows = rows[0], [r for r in rows[1:] if any(c != "" for c in r)]
    decimal_comma = delimiter == ";"
    columns = {}
    for j, name in enumerate(header):
        if not name or name in s["ignore"]:
            continue
        cells = [r[j] for r in rows]
        sample = next((c for c in cells if c not in MISSING_MARKERS), None)
        if sample is not None and number(sample, decimal_comma) is None:
            continue  # a date or time column (synapse drops them by default)
        v = np.array([math.nan if c in MISSING_MARKERS else number(c, decimal_comma) for c in cells])
        for na in s["na"]:
            v[v == na] = math.nan
        columns[name] = v
    features = s.get("features") or [c for c in columns if c != s["target"]]
    x = np.stack([columns[c] for c in [s["target"]] + features], axis=1)
    if np.isnan(x).any():
        if s["missing"] == "fail":
            sys.exit(f"torch_twin: {s['file']} has missing values (missing: fail)")
        if s["missing"] == "ffill":
            for r in range(1, len(x)):
                gap = np.isnan(x[r])
                x[r, gap] = x[r - 1, gap]
        x = x[~np.isnan(x).any(axis=1)]
    return x


def part(rows, fraction):
    return int(math.floor(rows * fraction + 1e-9))


def windows(scaled, begin, end, lookback, horizon):
    """inputs (N, L, F) and targets (N, H) of the windows whose targets lie in rows begin..end-1."""
    first = max(begin, lookback)
    n = end - horizon - first + 1
    if n < 1:
        sys.exit(f"torch_twin: rows {begin}..{end - 1} give no window for lookback {lookback}")
    t = np.arange(first, first + n)
    x = scaled[t[:, None] + np.arange(-lookback, 0)[None, :]]
    y = scaled[t[:, None] + np.arange(horizon)[None, :], 0]
    return torch.from_numpy(x.astype(np.float32)), torch.from_numpy(y.astype(np.float32)), first


def prepare(series, protocol, lookback, horizon):
    rows = len(series)
    if protocol == "paper":
        n_train, n_val = part(rows, 0.8), 0
    else:
        n_train, n_val = part(rows, 0.7), part(rows, 0.1)
    fit = series if protocol == "paper" else series[:n_train]
    offset = fit.mean(axis=0)
    spread = np.sqrt(((fit - offset) ** 2).mean(axis=0))
    scale = np.where(spread > 0, spread, 1.0)
    scaled = (series - offset) / scale
    d = {"offset": offset[0], "scale": scale[0]}
    d["train"] = windows(scaled, 0, n_train, lookback, horizon)
    d["test"] = windows(scaled, n_train + n_val, rows, lookback, horizon)
    d["val"] = d["test"] if protocol == "paper" else windows(scaled, n_train, n_train + n_val, lookback, horizon)
    first = d["test"][2]
    d["actual"] = np.stack([series[first + i:first + i + horizon, 0] for i in range(len(d["test"][0]))])
    return d


# ---------------------------------------------------------------- models

class Recurrent(nn.Module):
    def __init__(self, kind, inputs, hidden, layers, dropout, horizon):
        super().__init__()
        self.rnn = (nn.LSTM if kind == "lstm" else nn.RNN)(inputs, hidden, layers, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden, horizon)

    def forward(self, x):  # x: (N, L, F) -> (N, H)
        y, _ = self.rnn(x)
        return self.head(self.dropout(y[:, -1]))


def study_patch_len(lookback):
    return min(1 if lookback <= 7 else 2 if lookback <= 14 else 3 if lookback <= 30 else 4, lookback)


class PaperPatchTransformer(nn.Module):
    """The study's patch transformer as synapse builds it (nn/paper_patch_transformer.hpp)."""

    def __init__(self, inputs, lookback, dropout, horizon, d_model=64, n_heads=4, n_layers=2, d_ff=256):
        super().__init__()
        self.p = study_patch_len(lookback)
        self.n = (lookback + self.p - 1) // self.p
        self.embed = nn.Linear(self.p * inputs, d_model)
        self.pos = nn.Parameter(torch.randn(1, self.n, d_model))
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, n_heads, d_ff, dropout, activation="relu", batch_first=True)
            for _ in range(n_layers))
        self.dropout = nn.Dropout(dropout)
        self.norm = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, horizon)

    def forward(self, x):  # x: (N, L, F) -> (N, H)
        rest = x.shape[1] % self.p
        if rest:
            x = torch.cat([x, x[:, -1:].expand(-1, self.p - rest, -1)], dim=1)
        h = self.embed(x.reshape(x.shape[0], self.n, -1)) + self.pos
        for layer in self.layers:
            h = layer(h)
        return self.head(self.norm(self.dropout(h)).mean(dim=1))


def build_model(s, inputs):
    reg, kind = s["reg"], s["model"]
    dropout_on = reg == "dropout" or (reg == "pruning" and kind == "paper-patchtst")
    dropout = float(s["dropout"]) if dropout_on else 0.0
    if kind in ("rnn", "lstm"):
        return Recurrent(kind, inputs, s["hidden_size"], s["num_layers"], dropout, s["horizon"])
    if kind == "paper-patchtst":
        return PaperPatchTransformer(inputs, s["lookback"], dropout, s["horizon"])
    sys.exit(f"torch_twin: model '{kind}' is not supported (rnn, lstm, paper-patchtst)")


# ---------------------------------------------------------------- pruning

class GlobalMagnitudePruner:
    """One threshold over every weight matrix; masks only lose entries (pruning/pruner.cpp)."""

    def __init__(self, model):
        self.params = [p for name, p in model.named_parameters()
                       if p.dim() >= 2 and "weight" in name.rsplit(".", 1)[-1]]
        self.masks = None
        self.size = sum(p.numel() for p in self.params)
        self.updates = 0

    def prune(self, target):
        live = (torch.cat([m.flatten() for m in self.masks]) if self.masks
                else torch.ones(self.size, dtype=torch.bool))
        dead = self.size - int(live.sum())
        want = min(round(target * self.size), self.size - 1)
        if want <= dead:
            return
        scores = torch.cat([p.detach().abs().flatten() for p in self.params])
        scores[~live] = math.inf
        live[torch.topk(scores, want - dead, largest=False).indices] = False
        self.masks = [m.view_as(p) for m, p in zip(torch.split(live, [p.numel() for p in self.params]),
                                                  self.params)]
        self.updates += 1

    @torch.no_grad()
    def apply(self):
        if self.masks:
            for p, m in zip(self.params, self.masks):
                p.mul_(m)

    def sparsity(self):
        return 0.0 if not self.masks else 1.0 - sum(int(m.sum()) for m in self.masks) / self.size


def paper_ramp(s_min, s_max, epoch0, warmup, total):
    if epoch0 < warmup:
        return 0.0
    p = min(max((epoch0 - warmup) / (total - warmup), 0.0), 1.0)
    return s_min + (s_max - s_min) * p ** 3


# ---------------------------------------------------------------- training

def consecutive_rises(history, patience):
    if len(history) < patience + 1:
        return False
    return all(history[-1 - i] >= history[-2 - i] for i in range(patience))


def train_run(s, series):
    torch.manual_seed(s["seed"])
    d = prepare(series, s["protocol"], s["lookback"], s["horizon"])
    (xtr, ytr, _), (xva, yva, _), (xte, _, _) = d["train"], d["val"], d["test"]
    model = build_model(s, series.shape[1])
    opt = torch.optim.Adam(model.parameters(), lr=s["lr"], betas=(0.9, 0.999), eps=1e-8)
    mse = nn.MSELoss()
    pruner = GlobalMagnitudePruner(model) if s["reg"] == "pruning" else None
    s_min, s_max, warmup, every = PAPER_PRESETS[s["model"]]
    paper = s["protocol"] == "paper"
    patience = s.get("patience") or (3 if paper else 5)
    stopping = s.get("early_stopping", True)
    restore_best = stopping and not paper
    epochs, batch, n = s["epochs"], s["batch"], len(xtr)
    batches = (n + batch - 1) // batch
    settled_step = epochs * batches if pruner else 0
    generator = torch.Generator().manual_seed(s["seed"])

    start = time.perf_counter()
    step, history, best, best_epoch, kept_epoch, kept = 0, [], math.inf, 0, 0, None
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(n, generator=generator)
        for b in range(batches):
            idx = order[b * batch:(b + 1) * batch]
            opt.zero_grad()
            loss = mse(model(xtr[idx]), ytr[idx])
            loss.backward()
            step += 1
            if pruner and epoch - 1 >= warmup and step % every == 0:
                target = paper_ramp(s_min, s_max, epoch - 1, warmup, epochs)
                pruner.prune(target if target < 1 else SPARSITY_CAP)
            if pruner:
                pruner.apply()
            opt.step()
            if pruner:
                pruner.apply()
        model.eval()
        with torch.no_grad():
            val = mse(model(xva), yva).item()
        history.append(val)
        settled = step >= settled_step
        improved = settled and val < best
        if improved:
            best, best_epoch = val, epoch
        if improved or not restore_best or not settled:
            kept, kept_epoch = copy.deepcopy(model.state_dict()) if restore_best else None, epoch
        if stopping and paper and consecutive_rises(history, patience):
            break
        if stopping and not paper and settled and epoch - best_epoch >= patience:
            break
    if kept is not None:
        model.load_state_dict(kept)
    seconds = time.perf_counter() - start

    model.eval()
    with torch.no_grad():
        pred = model(xte).double().numpy()
    mae = float(np.abs(d["actual"] - (pred * d["scale"] + d["offset"])).mean())
    return {"mae": mae, "epochs": len(history), "kept_epoch": kept_epoch, "steps": step, "seconds": seconds,
            "train_windows": n, "val_windows": len(xva), "test_windows": len(xte),
            "sparsity": pruner.sparsity() if pruner else 0.0, "pruning_updates": pruner.updates if pruner else 0,
            "parameters": sum(p.numel() for p in model.parameters())}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--config", required=True, help="experiment grid JSON, as synapse experiment run --config")
    ap.add_argument("--results", help="append one JSON line per run to this file (default: stdout)")
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (default 1)")
    a = ap.parse_args()
    startup_wall, startup_cpu = time.perf_counter() - START_WALL, cpu_seconds()
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    runs = expand_grid(a.config)
    out = open(a.results, "a") if a.results else sys.stdout
    series_of = {}
    for i, s in enumerate(runs):
        wall0, cpu0 = time.perf_counter(), cpu_seconds()
        if s["file"] not in series_of:
            series_of[s["file"]] = read_series(s)
        r = train_run(s, series_of[s["file"]])
        key = {k: s[k] for k in ("dataset", "model", "regulariser", "lookback", "seed", "protocol")}
        out.write(json.dumps(dict(key, index=i, **r, run_seconds=time.perf_counter() - wall0,
                                  cpu_seconds=cpu_seconds() - cpu0)) + "\n")
        out.flush()
    print(json.dumps({"summary": True, "grid": a.config, "runs": len(runs), "threads": a.threads,
                      "torch": torch.__version__, "wall_seconds": time.perf_counter() - START_WALL,
                      "cpu_seconds": cpu_seconds(), "startup_wall_seconds": startup_wall,
                      "startup_cpu_seconds": startup_cpu}))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""PyTorch twin of `synapse train --model lstm --protocol clean --no-shuffle --no-early-stopping`
on one univariate target, for the training-parity check (docs/parity.md, run_parity.sh).

It reproduces synapse's data pipeline exactly (src/synapse/forecast):
  split    protocol clean: n_train = floor(rows*0.7 + 1e-9), n_val = floor(rows*0.1 + 1e-9),
           test = the rest, in file order (split.cpp)
  scaler   standard, fitted on the training rows only, mean and population std (ddof 0) in double;
           a zero spread becomes 1 (scaler.cpp)
  windows  stride 1; a window belongs to the split holding its targets; first target row
           max(split.begin, L), count = split.end - H - first + 1; inputs rows t-L..t-1, targets
           t..t+H-1, cast to float32 after scaling in double (windows.cpp, Note [Window ownership])
  metrics  test MAE in original units over every value of every test window: prediction*scale +
           offset in double against the unscaled series (forecast_data.cpp, metrics.cpp)
and its training loop (trainer.cpp): Adam (betas 0.9/0.999, eps 1e-8), MSE mean over the batch,
batches of `batch` windows in time order (the last one smaller), every epoch run, the last kept.

The model is class LSTMF of shared/peers/torch_peer.py (nn.LSTM batch_first, Linear head on the last
step's output), initialised by torch's defaults under torch.manual_seed(seed); those initial weights
are written to --weights-out in the text format of tools/fixtures/fixture_io.py so that
`synapse train --init-weights` starts from the same point. Prints one JSON object on stdout.
"""
import argparse
import csv
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "fixtures"))
from fixture_io import write_fixture  # noqa: E402


class LSTMF(nn.Module):  # as shared/peers/torch_peer.py
    def __init__(s, i=1, h=64, L=2, H=24):
        super().__init__()
        s.rnn = nn.LSTM(i, h, L, batch_first=True)
        s.head = nn.Linear(h, H)

    def forward(s, x):
        y, _ = s.rnn(x)
        return s.head(y[:, -1])


def read_column(path, name):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    if name not in header:
        sys.exit(f"{path}: no column '{name}' (columns: {', '.join(header)})")
    c = header.index(name)
    return np.array([float(r[c]) for r in rows[1:] if any(cell != "" for cell in r)], dtype=np.float64)


def part(rows, fraction):
    return int(math.floor(rows * fraction + 1e-9))


def windows(scaled, begin, end, L, H):
    first = max(begin, L)
    n = end - H - first + 1
    if n < 1:
        sys.exit(f"split {begin}..{end - 1} gives no window for lookback {L}, horizon {H}")
    x = np.stack([scaled[t - L:t] for t in range(first, first + n)]).astype(np.float32)[:, :, None]
    y = np.stack([scaled[t:t + H] for t in range(first, first + n)]).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(y), first


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--target", required=True)
    ap.add_argument("--lookback", type=int, default=30)
    ap.add_argument("--horizon", type=int, default=1)
    ap.add_argument("--hidden", type=int, default=64)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--weights-out", required=True, help="initial weights for synapse --init-weights")
    ap.add_argument("--log", help="one JSON line per epoch (train_loss, val_loss), as synapse --log")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    L, H = a.lookback, a.horizon

    series = read_column(a.data, a.target)
    rows = len(series)
    n_train, n_val = part(rows, 0.7), part(rows, 0.1)
    train_rows, val_rows, test_rows = (0, n_train), (n_train, n_train + n_val), (n_train + n_val, rows)
    fit = series[:n_train]
    offset = fit.sum() / n_train
    spread = math.sqrt(((fit - offset) ** 2).sum() / n_train)
    scale = spread if spread > 0 else 1.0
    scaled = (series - offset) / scale

    xtr, ytr, _ = windows(scaled, *train_rows, L, H)
    xva, yva, _ = windows(scaled, *val_rows, L, H)
    xte, yte, first_test = windows(scaled, *test_rows, L, H)

    torch.manual_seed(a.seed)
    model = LSTMF(1, a.hidden, a.layers, H)
    write_fixture(a.weights_out, list(model.state_dict().items()))
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    mse = nn.MSELoss()
    log = open(a.log, "w") if a.log else None
    n = len(xtr)
    first_loss = None
    start = time.perf_counter()
    for epoch in range(1, a.epochs + 1):
        model.train()
        loss_sum = 0.0
        for b in range(0, n, a.batch):
            opt.zero_grad()
            loss = mse(model(xtr[b:b + a.batch]), ytr[b:b + a.batch])
            if first_loss is None:
                first_loss = loss.item()
            loss.backward()
            opt.step()
            loss_sum += loss.item() * len(xtr[b:b + a.batch])
        model.eval()
        with torch.no_grad():
            val_loss = mse(model(xva), yva).item()
        if log:
            log.write(json.dumps(dict(epoch=epoch, train_loss=loss_sum / n, val_loss=val_loss)) + "\n")
    seconds = time.perf_counter() - start

    model.eval()
    with torch.no_grad():
        pred = model(xte).double().numpy()
    predicted = pred * scale + offset
    actual = np.stack([series[t:t + H] for t in range(first_test, first_test + len(xte))])
    mae = float(np.abs(actual - predicted).mean())
    print(json.dumps(dict(data=a.data, target=a.target, rows=rows, train_windows=n, test_windows=len(xte),
                          first_batch_loss=first_loss, final_train_loss=loss_sum / n, final_val_loss=val_loss,
                          test_mae=mae, seconds=round(seconds, 2))))


if __name__ == "__main__":
    main()

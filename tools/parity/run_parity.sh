#!/usr/bin/env bash
# Training parity with PyTorch (docs/parity.md): the same LSTM (hidden 64, 2 layers) from the same
# initial weights, trained by PyTorch (train_lstm_torch.py) and by `synapse train` with the same data
# pipeline, batch order and optimiser; prints the test MAE of each and their relative difference.
#
#   tools/parity/run_parity.sh            # after building synapse_cli in build/release
# Settings through the environment: LOOKBACK (30), HORIZON (7), EPOCHS (30), BATCH (64), LR (1e-3),
# SEED (0), THREADS (1: torch's intra-op threads and OMP_NUM_THREADS for synapse), SYNAPSE (the
# binary), SYN_DATA_DIR (the datasets, default ../shared/data), TORCH_PYTHON (/usr/bin/python3).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data_dir=${SYN_DATA_DIR:-$root/../shared/data}
synapse=${SYNAPSE:-$root/build/release/apps/synapse}
torch_python=${TORCH_PYTHON:-/usr/bin/python3}
LOOKBACK=${LOOKBACK:-30} HORIZON=${HORIZON:-7} EPOCHS=${EPOCHS:-30} BATCH=${BATCH:-64} LR=${LR:-1e-3}
SEED=${SEED:-0} THREADS=${THREADS:-1}
[[ -x $synapse ]] || { echo "run_parity: $synapse not found; build the synapse_cli target first" >&2; exit 2; }
[[ -d $data_dir ]] || { echo "run_parity: no data folder $data_dir (set SYN_DATA_DIR)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "lookback $LOOKBACK, horizon $HORIZON, epochs $EPOCHS (no early stopping, last epoch kept)," \
     "batch $BATCH in time order, Adam lr $LR, MSE, protocol clean, standard scaler, seed $SEED"
printf '%-14s %8s %14s %14s %10s\n' dataset target torch_mae synapse_mae rel_diff
# dataset file, target, extra synapse options (text columns to skip)
for spec in "bitcoin.csv close" "AAPL_data.csv close --ignore Name"; do
  read -r file target extra <<<"$spec"
  name=${file%.csv}
  "$torch_python" "$root/tools/parity/train_lstm_torch.py" --data "$data_dir/$file" --target "$target" \
    --lookback "$LOOKBACK" --horizon "$HORIZON" --epochs "$EPOCHS" --batch "$BATCH" --lr "$LR" \
    --seed "$SEED" --threads "$THREADS" --weights-out "$work/$name.init.txt" \
    --log "$work/$name.torch.log" >"$work/$name.torch.json"
  # shellcheck disable=SC2086  # $extra holds whole options
  OMP_NUM_THREADS=$THREADS "$synapse" train --data "$data_dir/$file" --target "$target" $extra \
    --model lstm --lookback "$LOOKBACK" --horizon "$HORIZON" --epochs "$EPOCHS" --batch "$BATCH" \
    --lr "$LR" --seed "$SEED" --protocol clean --scaler standard --loss mse --optimizer adam \
    --no-shuffle --no-early-stopping --init-weights "$work/$name.init.txt" --no-progress \
    --log "$work/$name.synapse.log" --out "$work/$name.ckpt" >"$work/$name.synapse.json" 2>"$work/$name.stderr" ||
    { cat "$work/$name.stderr" >&2; exit 1; }
  "$torch_python" - "$name" "$target" "$work" <<'PY'
import json, sys
name, target, work = sys.argv[1:]
t = json.load(open(f"{work}/{name}.torch.json"))["test_mae"]
s = json.load(open(f"{work}/{name}.synapse.json"))["metrics"]["mae"]
tl = [json.loads(l) for l in open(f"{work}/{name}.torch.log")]
sl = [json.loads(l) for l in open(f"{work}/{name}.synapse.log")]
gap = max(abs(a["train_loss"] - b["train_loss"]) / abs(a["train_loss"]) for a, b in zip(tl, sl))
print(f"{name:<14} {target:>8} {t:14.6f} {s:14.6f} {abs(s - t) / t:10.2e}"
      f"   (largest relative gap of an epoch's training loss: {gap:.1e})")
PY
done

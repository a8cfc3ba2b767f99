#!/usr/bin/env bash
# The speed comparison of docs/results/speed.md: a grid split by model (one grid per model kind, so
# that each process's CPU time belongs to one model), each run by synapse (one process, --jobs 1
# --threads 1) and then by the PyTorch twin (tools/twin/torch_twin.py, one thread), one process at a
# time, each under /usr/bin/time -v; then the tables (tools/twin/speed_table.py).
#
#   tools/twin/side_by_side.sh experiments/slices/study-bitcoin.json OUT_DIR
# Writes OUT_DIR/<model>/{grid.json,synapse.jsonl,torch.jsonl,synapse.time,torch.time,torch.summary}.
# Settings through the environment: SYNAPSE (the binary, default build/release/apps/synapse),
# TORCH_PYTHON (/usr/bin/python3), SYN_DATA_DIR (the datasets, default ../shared/data), NICE (the
# niceness both run at, default 15: the machine is shared), ORDER ("synapse torch", the default, or
# "torch synapse": which runs first for each model, to balance a load that drifts).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
grid=${1:?usage: side_by_side.sh GRID OUT_DIR}
out=${2:?usage: side_by_side.sh GRID OUT_DIR}
synapse=${SYNAPSE:-$root/build/release/apps/synapse}
torch_python=${TORCH_PYTHON:-/usr/bin/python3}
export SYN_DATA_DIR=${SYN_DATA_DIR:-$root/../shared/data}
nice_level=${NICE:-15}
[[ -x $synapse ]] || { echo "side_by_side: $synapse not found; build the synapse_cli target first" >&2; exit 2; }
[[ -d $SYN_DATA_DIR ]] || { echo "side_by_side: no data folder $SYN_DATA_DIR (set SYN_DATA_DIR)" >&2; exit 2; }
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1  # torch 1.13 on Debian calls OpenBLAS (pthreads)
models=$("$torch_python" -c 'import json, sys; print(" ".join(json.load(open(sys.argv[1]))["models"]))' "$grid")
for model in $models; do
  dir=$out/$model
  mkdir -p "$dir"
  rm -f "$dir/synapse.jsonl" "$dir/torch.jsonl"
  "$torch_python" -c 'import json, sys; g = json.load(open(sys.argv[1])); g["models"] = [sys.argv[2]]
json.dump(g, open(sys.argv[3], "w"), indent=1)' "$grid" "$model" "$dir/grid.json"
  for side in ${ORDER:-synapse torch}; do
    case $side in
      synapse)
        /usr/bin/time -v -o "$dir/synapse.time" nice -n "$nice_level" "$synapse" experiment run \
          --config "$dir/grid.json" --results "$dir/synapse.jsonl" --jobs 1 --threads 1 2>"$dir/synapse.stderr" ;;
      torch)
        /usr/bin/time -v -o "$dir/torch.time" nice -n "$nice_level" "$torch_python" \
          "$root/tools/twin/torch_twin.py" --config "$dir/grid.json" --results "$dir/torch.jsonl" --threads 1 \
          >"$dir/torch.summary" ;;
      *) echo "side_by_side: ORDER holds '$side' (expected synapse and torch)" >&2; exit 2 ;;
    esac
  done
done
"$torch_python" "$root/tools/twin/speed_table.py" "$out"

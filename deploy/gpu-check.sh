#!/bin/sh
# The first command on a GPU host: is CUDA there, how fast is a training step, and does a model trained on the GPU
# embed as the same model does on the CPU? Run from the source tree after building against a CUDA libtorch
# (LIBTORCH_DIR=/path/to/libtorch dotnet build -c Release). Prints one summary line; exits 0 only when everything
# passed, 1 with the reason when CUDA is missing or a check fails (never a stack trace).
# Usage: deploy/gpu-check.sh [--steps 200]
#   CONVEMBED_GPU_CHECK_DEVICE=cpu rehearses every step on the CPU (on a machine without a GPU: checks the script).
set -eu
here=$(cd "$(dirname -- "$0")" && pwd)
. "$here/common.sh"

STEPS=200
DEV=${CONVEMBED_GPU_CHECK_DEVICE:-cuda}
while [ $# -gt 0 ]; do
  case "$1" in
    --steps) STEPS=$2; shift 2 ;;
    *) die "usage: $0 [--steps 200]" ;;
  esac
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/convembed-gpu-check.XXXXXX")
trap 'rm -rf "$WORK"' EXIT INT TERM
fail() { printf 'gpu-check: FAIL — %s\n' "$*"; exit 1; }

step "Driver"
if command -v nvidia-smi >/dev/null 2>&1; then
  GPU=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -n 1) || GPU="nvidia-smi failed: $GPU"
else
  GPU="no nvidia-smi (no NVIDIA driver installed)"
fi
info "$GPU"

step "Building the command (Release)"
dotnet build "$ROOT/src/ConvEmbed.Cli/ConvEmbed.Cli.csproj" -c Release -v q -nologo -clp:NoSummary >"$WORK/build.log" 2>&1 \
  || { tail -n 5 "$WORK/build.log" >&2; fail "the build failed (see above)"; }
convembed() { dotnet "$ROOT/src/ConvEmbed.Cli/bin/Release/net10.0/convembed.dll" "$@"; }

step "libtorch and the device"
if ! convembed bench step --steps 3 --warmup 1 --batch 8 --frames 200 --device "$DEV" --precision fp32 >"$WORK/probe.out" 2>"$WORK/probe.err"; then
  reason=$(grep -v '^\s*$' "$WORK/probe.err" | tail -n 1)
  fail "$DEV is not usable here: ${reason:-bench step exited with an error}; driver: $GPU"
fi
grep -E '^device|^precision' "$WORK/probe.err" | sed 's/^/    /'

step "bench step on $DEV: fp32, then the auto precision; on the CPU for comparison"
convembed bench step --steps 10 --device "$DEV" --precision fp32 --json "$WORK/cuda-fp32.json" >"$WORK/cuda-fp32.out" 2>&1 || fail "bench step --device $DEV (fp32) failed: $(tail -n 1 "$WORK/cuda-fp32.out")"
convembed bench step --steps 10 --device "$DEV" --json "$WORK/cuda-auto.json" >"$WORK/cuda-auto.out" 2>&1 || fail "bench step --device $DEV (auto) failed: $(tail -n 1 "$WORK/cuda-auto.out")"
convembed bench step --steps 3 --device cpu --precision fp32 --json "$WORK/cpu.json" >"$WORK/cpu.out" 2>&1 || fail "bench step --device cpu failed: $(tail -n 1 "$WORK/cpu.out")"
ms() { sed -n 's/.*"encoder_ms": *\([0-9.]*\).*/\1/p' "$1" | head -n 1; }
info "encoder step: $DEV fp32 $(ms "$WORK/cuda-fp32.json") ms, cpu fp32 $(ms "$WORK/cpu.json") ms"

step "Train $STEPS steps on synthetic music on $DEV; embed on $DEV and on the CPU"
convembed synth "$WORK/music" --per-class 4 --seconds 20 >"$WORK/synth.out" 2>&1 || fail "synth failed: $(tail -n 1 "$WORK/synth.out")"
convembed train "$WORK/music" --out "$WORK/model" --steps "$STEPS" --device "$DEV" --cache "$WORK/cache" >"$WORK/train.out" 2>&1 \
  || fail "training on $DEV failed: $(tail -n 1 "$WORK/train.out")"
convembed embed "$WORK/music" --model "$WORK/model" --out "$WORK/cuda.csv" --device "$DEV" --cache "$WORK/cache" >"$WORK/embed-cuda.out" 2>&1 \
  || fail "embedding on $DEV failed: $(tail -n 1 "$WORK/embed-cuda.out")"
convembed embed "$WORK/music" --model "$WORK/model" --out "$WORK/cpu.csv" --device cpu --cache "$WORK/cache" >"$WORK/embed-cpu.out" 2>&1 \
  || fail "embedding on the CPU failed: $(tail -n 1 "$WORK/embed-cpu.out")"
# Per track (same order: both list the folder the same way), cosine of the two vectors; the smallest is reported.
summary=$(awk -F, '
  FNR == 1 { next }                               # header: path,e0,e1,…
  NR == FNR { for (i = 2; i <= NF; i++) a[FNR, i] = $i; n[FNR] = NF; next }
  {
    dot = 0; na = 0; nb = 0
    for (i = 2; i <= NF; i++) { dot += a[FNR, i] * $i; na += a[FNR, i] ^ 2; nb += $i ^ 2 }
    c = dot / sqrt(na * nb); tracks++
    if (tracks == 1 || c < min) { min = c; worst = $1 }
  }
  END { printf "%d %.6f %s\n", tracks, min, worst }' "$WORK/cuda.csv" "$WORK/cpu.csv")
set -- $summary
[ "${1:-0}" -gt 0 ] || fail "the embedding files hold no tracks"
info "$1 tracks; smallest cosine between the $DEV and the CPU embedding: $2 ($3)"
if awk -v c="$2" 'BEGIN { exit !(c >= 0.999) }'; then
  printf 'gpu-check: PASS — %s; encoder step %s %s ms vs cpu %s ms (fp32); %s steps trained on %s; %s vs cpu embeddings: min cosine %s over %s tracks\n' \
    "$GPU" "$DEV" "$(ms "$WORK/cuda-fp32.json")" "$(ms "$WORK/cpu.json")" "$STEPS" "$DEV" "$DEV" "$2" "$1"
else
  fail "the $DEV and CPU embeddings differ: min cosine $2 < 0.999 ($3)"
fi

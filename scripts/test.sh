#!/usr/bin/env bash
# Install clinisim with its dev, local-llm, export, ray and postgres extras, lint, type-check and run the tests.
# pytest's exit code 5 ("no tests collected") is treated as a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export LITELLM_LOCAL_MODEL_COST_MAP=True HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
# llama-cpp-python compiles llama.cpp from source. A native build uses every
# instruction the build machine has (AMX included), and on virtual machines that
# do not enable AMX the local model server then crashes on its first completion.
# Build a portable AVX2 binary instead.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF}"

python -m pip install --quiet --disable-pip-version-check -e '.[dev,local-llm,export,ray,postgres]'
python -m ruff check clinisim tests benchmarks
python -m mypy clinisim benchmarks
set +e
python -m pytest -q -p no:cacheprovider "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  exit 1
fi
exit "$status"

#!/usr/bin/env bash
# Install opskit into .venv and render every bundled example into out/<example>/.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .

.venv/bin/opskit --version
shopt -s nullglob
for spec in examples/*.yaml; do
  name=$(basename "$spec" .yaml)
  echo "== $spec -> out/$name/"
  .venv/bin/opskit render "$spec" -o "out/$name"
done

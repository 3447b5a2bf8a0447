#!/usr/bin/env bash
# The whole test suite from a fresh Debian/Ubuntu machine: system packages, a venv with opskit and
# its test dependencies, then pytest. This is the README's test command and all that .ci/run runs.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# pytest exits 5 when it collected nothing: that is a failure here, never a green run.
set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: failing" >&2
  exit 1
fi
exit "$status"

#!/usr/bin/env bash
# The whole test suite, from a fresh machine with Python >= 3.11 (installs what it needs,
# including Debian's chromium for the browser tests where it can).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh "[test]"
if [ -x .ci/install-browser ] || [ -f .ci/install-browser ]; then
  bash .ci/install-browser || echo "note: could not install chromium; browser tests will say why they skip"
fi
exec .venv/bin/python -m pytest "$@"

# Sourced by demo.sh and test.sh: make .venv with Python >= 3.11 if missing and install
# ofsted-kg into it with the extras given as "$1" (e.g. "[test]"), quietly.
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e ".${1:-}"

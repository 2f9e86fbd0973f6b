#!/usr/bin/env bash
# The main job on the bundled sample reports, from a fresh machine with Python >= 3.11:
# make a virtual environment, install ofsted-kg, build the graph, answer the persistence
# question for Sefton, and write an interactive HTML graph.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh ""
export OFSTED_KG_STORE=out/ofsted-kg-store
mkdir -p out
.venv/bin/ofsted-kg build samples
echo
echo "Was Sefton's 2016 concern about care leavers' mental health raised again, and is it still there?"
.venv/bin/ofsted-kg trace "mental health" --authority Sefton
.venv/bin/ofsted-kg export html --view timeline --authority Sefton -o out/sefton-timeline.html
echo
echo "Interactive graph written to $(pwd)/out/sefton-timeline.html (open it in any browser; works offline)"

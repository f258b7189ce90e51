#!/usr/bin/env bash
# Install (into .venv) and start the explorer on http://127.0.0.1:8050 from the committed data.
# Installs the hashed lock (requirements.lock, compiled from pyproject.toml), so every machine
# gets exactly the same packages.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install -q --require-hashes -r requirements.lock
exec .venv/bin/python app.py

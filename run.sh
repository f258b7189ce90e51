#!/usr/bin/env bash
# Install (into .venv) and start the explorer on http://127.0.0.1:8050 from the committed data:
# `bash run.sh` (development server) or `bash run.sh --production` (gunicorn, gunicorn.conf.py).
# Installs the hashed lock (requirements.lock, compiled from pyproject.toml), so every machine
# gets exactly the same packages.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install -q --require-hashes -r requirements.lock
if [ "${1:-}" = "--production" ]; then
  # gunicorn.conf.py: 2 threaded workers sharing the data copy-on-write, stalled clients bounded.
  # Behind a reverse proxy that buffers requests, with EXPLORER_CACHE=redis (see the README).
  exec .venv/bin/gunicorn --config gunicorn.conf.py app:server
fi
exec .venv/bin/python app.py

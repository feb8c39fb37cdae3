#!/usr/bin/env bash
# Starts the machine services the tests need when they are not running (PostgreSQL), and
# installs the Debian packages the browser tests need. Safe to run repeatedly.
set -uo pipefail
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
fi
exit 0

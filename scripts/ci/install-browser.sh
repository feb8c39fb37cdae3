#!/bin/sh
# Installs Debian's chromium for the preview's browser test (playwright-core drives /usr/bin/chromium).
# Idempotent: does nothing when chromium is already there.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version

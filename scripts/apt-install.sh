#!/usr/bin/env bash
# Install Debian packages by name (as root or with sudo), updating the lists once.
set -euo pipefail
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ! -f /tmp/.siaga-apt-updated ]; then as_root apt-get update -qq && touch /tmp/.siaga-apt-updated; fi
DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
echo "[apt] installed $*"

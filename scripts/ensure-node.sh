#!/usr/bin/env bash
# Node.js and npm for building the PWA: the machine's own, or Debian's.
set -euo pipefail
if command -v node >/dev/null && command -v npm >/dev/null; then exit 0; fi
"$(dirname "$0")/apt-install.sh" nodejs npm

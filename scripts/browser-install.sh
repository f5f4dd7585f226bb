#!/usr/bin/env bash
# Installs the browser the web console's page tests drive (test/console/browser): Debian's
# Chromium, run headless through puppeteer-core (which downloads no browser of its own).
# Idempotent: apt-get runs only when it is missing. Needs root for apt (CI runs as root).
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  echo "browser-install: chromium present"
  exit 0
fi
echo "browser-install: installing chromium"
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; else SUDO=; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null

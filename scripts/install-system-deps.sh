#!/usr/bin/env bash
# Install the real components the test suite drives (nginx, HAProxy, slowhttptest, dnsmasq,
# PostgreSQL, iproute2's ss, util-linux's unshare/nsenter; Chromium for the HTML report test,
# Graphviz for `diagnose --graph`, openssh-server for the fleet tests' sshds, systemd-journal-remote (and
# with it journalctl) to write the real journal `diagnose --live` reads) on Debian/Ubuntu, without
# starting their daemons: the tests start and stop what they need on loopback or in network namespaces
# they create themselves.
set -euo pipefail

packages=(nginx haproxy slowhttptest dnsmasq postgresql iproute2 util-linux procps openssl
          chromium graphviz fonts-dejavu-core openssh-server systemd-journal-remote)

have_package() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for p in "${packages[@]}"; do have_package "$p" || missing+=("$p"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages: all present (${packages[*]})"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 2; }
  SUDO="sudo"
fi

# Debian's maintainer scripts would start nginx on :80 and dnsmasq on :53; policy-rc.d exit 101
# forbids that. Keep an existing policy file untouched.
created_policy=""
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod 755 /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() { if [ -n "$created_policy" ]; then $SUDO rm -f /usr/sbin/policy-rc.d; fi; }
trap cleanup EXIT

echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/bin/sh
# Installs what Isthmus needs on Debian 12, quietly and idempotently.
# Run as root. Every package here is checked first, so a second run is a no-op.
set -eu

packages="
  build-essential pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-dev-bin libjson-glib-dev libgnutls28-dev
  libgtk-4-dev libadwaita-1-dev libgtksourceview-5-dev
  libwebkitgtk-6.0-dev libjavascriptcoregtk-6.0-dev
  libgl1-mesa-dri xvfb xauth dbus dbus-x11 at-spi2-core
  desktop-file-utils appstream
"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  packages="$packages nodejs npm"
fi

missing=""
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup-debian: missing packages:$missing (run as root to install them)" >&2
    exit 1
  fi
  echo "setup-debian: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing </dev/null
fi

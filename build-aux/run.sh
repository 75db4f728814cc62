#!/bin/sh
# Installs what is missing (Debian 12, as root), builds Isthmus and runs it.
#   build-aux/run.sh                 the bundled demo
#   build-aux/run.sh DIR|URL [--record FILE.jsonl] [--quit-after SECONDS]
# Arguments go to isthmus unchanged and relative paths stay relative to the
# directory you run it from. With no display, it runs under Xvfb; with no
# D-Bus session bus, under dbus-run-session.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/_build"

sh "$top/build-aux/setup-debian.sh"

if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" --buildtype=debugoptimized >/dev/null
fi
ninja -C "$build" >/dev/null

export GSETTINGS_SCHEMA_DIR="$build/data"
set -- "$build/src/isthmus" "$@"

if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  # Xvfb has no GPU: GTK's GL renderer would draw in software, slowly.
  export GSK_RENDERER="${GSK_RENDERER:-cairo}"
  set -- xvfb-run -a -s "-screen 0 1280x800x24" "$@"
fi
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  set -- dbus-run-session -- "$@"
fi

exec "$@"

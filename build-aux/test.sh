#!/bin/sh
# Installs what is missing (Debian 12, as root), builds Isthmus and runs the
# whole test suite: unit and fuzz-corpus tests without a display, then the
# GTK and WebKit tests under Xvfb with a D-Bus session, then the benchmarks.
# With CI=true (or ISTHMUS_SANITIZE=1) the suite runs once more in an
# AddressSanitizer + UndefinedBehaviorSanitizer build.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

sh build-aux/setup-debian.sh

# The real @tauri-apps/api from npm, as pinned by tests/package-lock.json.
(cd tests && npm ci --no-audit --no-fund --loglevel=error)

export GTK_A11Y=none
xvfb="xvfb-run -a -s '-screen 0 1280x800x24'"
status=0

run_suites () {
  dir=$1
  shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$@"
  else
    meson setup --reconfigure "$dir" "$@" >/dev/null
  fi
  ninja -C "$dir"

  # Unit and fuzz-corpus tests: the core needs no display.
  env -u DISPLAY -u WAYLAND_DISPLAY \
    meson test -C "$dir" --logbase unit --print-errorlogs --suite unit --suite fuzzing --suite data \
    || status=1

  # GTK and WebKit tests under Xvfb with a D-Bus session bus.
  dbus-run-session -- sh -c "$xvfb meson test -C '$dir' --logbase display --print-errorlogs --suite ui --suite web --suite cli" \
    || status=1
}

run_suites _build-test --buildtype=debugoptimized

# Figures, side by side with the raw WebKit floor (never pass/fail).
dbus-run-session -- sh -c "$xvfb meson test -C _build-test --logbase bench --benchmark --verbose" || status=1

if [ "${CI:-}" = "true" ] || [ "${ISTHMUS_SANITIZE:-}" = "1" ]; then
  # WebKit's own libraries are not instrumented; their leaks are not ours.
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suites _build-asan -Db_sanitize=address,undefined -Db_lundef=false --buildtype=debug
fi

python3 build-aux/summarize-tests.py _build-test _build-asan
exit $status

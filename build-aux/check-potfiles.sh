#!/bin/sh
# Fails when a source file with translatable strings is missing from
# po/POTFILES.in (or listed there but gone).
set -eu
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"

status=0
found=$( (grep -lE '(^|[^A-Za-z0-9_])N?_ ?\("' src/*.c src/*/*.c 2>/dev/null || true;
          grep -l 'translatable="yes"' ui/*.ui ui/*/*.ui 2>/dev/null || true) | sort -u)
listed=$(grep -v '^#' po/POTFILES.in | grep -v '^$' | sort -u)

for f in $found; do
  if ! printf '%s\n' "$listed" | grep -qx "$f"; then
    echo "po/POTFILES.in lacks $f"
    status=1
  fi
done
for f in $listed; do
  if [ ! -f "$f" ]; then
    echo "po/POTFILES.in lists $f, which does not exist"
    status=1
  fi
done
exit $status

#!/usr/bin/env python3
# Prints one closing line, "N passed, N failed", over the meson test logs
# (unit.json and display.json, see build-aux/test.sh) of the build
# directories given; missing ones are skipped.
import json
import os
import sys


def results(build):
    for base in ('unit', 'display'):
        log = os.path.join(build, 'meson-logs', base + '.json')
        if not os.path.exists(log):
            continue
        with open(log, encoding='utf-8') as f:
            for line in f:
                if line.strip():
                    yield json.loads(line).get('result')


passed = failed = skipped = 0
for build in sys.argv[1:]:
    for result in results(build):
        if result in ('OK', 'EXPECTEDFAIL'):
            passed += 1
        elif result == 'SKIP':
            skipped += 1
        else:
            failed += 1

print(f'{passed} passed, {failed} failed, {skipped} skipped')
sys.exit(1 if failed or passed == 0 else 0)

#!/usr/bin/env python3
# Runs the real isthmus executable as a user would (--record, --quit-after,
# --isolation, --acl, SIGTERM) on tests/fixtures/cli-app, whose page uses the
# real @tauri-apps/api, and checks what the JSON Lines record says. Also
# checks that bad command lines fail with exit status 2 and a clear message.
# Needs a display (run under xvfb-run) and tests/node_modules.
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

ISTHMUS, SRCDIR = sys.argv[1], sys.argv[2]
FIXTURE = os.path.join(SRCDIR, 'fixtures', 'cli-app')
PASSTHROUGH = os.path.join(os.path.dirname(SRCDIR), 'isolation', 'passthrough')
failures = []


def check(condition, what):
    print(('ok - ' if condition else 'not ok - ') + what, flush=True)
    if not condition:
        failures.append(what)


def read_records(path):
    records = []
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            for line in f:
                if line.endswith('\n'):
                    records.append(json.loads(line))
    return records


def wait_for(predicate, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)  # polling a file written by another process
    return predicate()


def run_scripted(extra_args):
    with tempfile.TemporaryDirectory() as tmp:
        record = os.path.join(tmp, 'run.jsonl')
        proc = subprocess.Popen([ISTHMUS, FIXTURE, '--record', record, '--quit-after', '300'] + extra_args,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def finished():
            return any(r.get('cmd') == 'echo' and r.get('reply') == 'done' for r in read_records(record))

        done = wait_for(finished, 120)
        check(done, 'the page finished its calls (%s)' % ' '.join(extra_args))
        proc.send_signal(signal.SIGTERM)
        try:
            _, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        check(proc.returncode == 0, 'SIGTERM quits cleanly (exit %s)' % proc.returncode)
        if proc.returncode != 0:
            print('# stderr: ' + err.replace('\n', '\n# '))
        return read_records(record)


def by_cmd(records, cmd):
    return [r for r in records if r.get('cmd') == cmd]


# Brownfield, capabilities from the project, Tauri mode.
records = run_scripted([])
greet = by_cmd(records, 'greet')
check(len(greet) == 2, 'two greet records')
check(greet and greet[0]['status'] == 'ok' and greet[0]['reply'].startswith('Hello, cli'), 'greet resolved')
check(greet and greet[0]['window'] == 'main', 'records carry the window label')
check(greet and greet[0].get('acl', {}).get('allowed') is True, 'greet was allowed by the capability')
check(len(greet) > 1 and greet[1]['code'] == 'INVALID_ARGS', 'greet with a number is INVALID_ARGS')
fail = by_cmd(records, 'fail')
check(fail and fail[0]['code'] == 'HANDLER_ERROR' and fail[0]['reply'].get('message') == 'scripted failure',
      'fail keeps its error value')
denied = by_cmd(records, 'divide')
check(denied and denied[0]['code'] == 'ACL_DENIED' and denied[0]['reply'] == 'Command divide not allowed by ACL',
      'divide is denied with Tauri\'s text')
check(denied and 'allow-divide' in (denied[0].get('acl', {}).get('suggestion') or ''),
      'the denial suggests allow-divide')
big = [r for r in by_cmd(records, 'echo') if r.get('replySize', 0) > 200 * 1024]
check(len(big) == 1 and len(big[0]['reply']) == 200 * 1024, 'a 200 KiB reply is recorded whole')
check(any(r.get('kind') == 'lifecycle' and r.get('cmd') == 'capabilities' for r in records),
      'the capability state is recorded')
for r in records:
    if r.get('kind') == 'invoke':
        check(isinstance(r.get('durationUs'), int) and r['durationUs'] >= 0, 'record %s has a duration' % r['id'])
        break

# Isolation with the bundled passthrough app, strict ACL.
records = run_scripted(['--isolation', PASSTHROUGH, '--acl', 'strict'])
greet = by_cmd(records, 'greet')
check(greet and greet[0]['status'] == 'ok', 'greet resolves through the isolation hook')
check(greet and greet[0].get('isolation', {}).get('verdict') == 'passed', 'its isolation verdict is passed')
denied = by_cmd(records, 'divide')
check(denied and denied[0]['code'] == 'ACL_DENIED', 'strict mode denies divide too')

# A backend process answers greet; the demo still answers what it does not.
BACKEND = os.path.join(os.path.dirname(SRCDIR), 'data', 'examples', 'backend.py')
records = run_scripted(['--backend', 'python3 ' + BACKEND, '--acl', 'tauri'])
greet = by_cmd(records, 'greet')
check(greet and greet[0]['status'] == 'ok' and 'from Python' in greet[0]['reply'],
      'the backend process answers greet')
check(greet and 'backend' in (greet[0].get('note') or ''), 'its record is marked as from the backend')
fail = by_cmd(records, 'fail')
check(fail and fail[0]['code'] == 'HANDLER_ERROR', 'the demo still answers fail')

# Mocks answer before the backend and the demo.
MOCKS = os.path.join(SRCDIR, 'fixtures', 'mocks', 'cli-mocks.json')
records = run_scripted(['--mocks', MOCKS])
fail = by_cmd(records, 'fail')
check(fail and fail[0]['reply'] == {'kind': 'Mocked', 'message': 'from the mocks file'},
      'a mocked error reaches the page unchanged')
check(fail and 'mocked' in (fail[0].get('note') or ''), 'its record is marked as mocked')

# Bad command lines: exit 2 and one clear line, never a crash.
bad = [
    (['/nonexistent/project'], 'nonexistent'),
    (['--quit-after', '-1'], '--quit-after'),
    (['--quit-after', 'soon'], '--quit-after'),
    (['--acl', 'lenient'], '--acl'),
    (['--isolation', '/nonexistent'], '--isolation'),
    (['--capabilities', '/nonexistent'], '--capabilities'),
    (['a', 'b'], 'only one target'),
    (['--record', '/nonexistent/dir/x.jsonl'], 'record file'),
    (['--mocks', '/nonexistent.json'], '--mocks'),
    (['--backend', 'unterminated "quote'], '--backend'),
]
for args, needle in bad:
    proc = subprocess.run([ISTHMUS] + args, capture_output=True, text=True, timeout=60)
    check(proc.returncode == 2 and needle in proc.stderr,
          'isthmus %s fails with status 2 (got %s: %s)' % (' '.join(args), proc.returncode, proc.stderr.strip()[:200]))

help_text = subprocess.run([ISTHMUS, '--help'], capture_output=True, text=True, timeout=60).stdout
for option in ('--record', '--quit-after', '--isolation', '--capabilities', '--acl', '--mocks', '--backend', '--check-hook'):
    check(option in help_text, '--help explains ' + option)

print('1..0 # %d failures' % len(failures) if failures else '# all checks passed')
sys.exit(1 if failures else 0)

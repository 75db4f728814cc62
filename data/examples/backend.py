#!/usr/bin/env python3
# backend.py: an example Isthmus backend, with no third-party imports.
#
# Copyright 2026 The Isthmus Developers
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run it as:  isthmus --backend "python3 data/examples/backend.py" DIR
#
# Isthmus speaks JSON-RPC 2.0 with this process over stdin and stdout,
# each message preceded by a "Content-Length: N" header and a blank line,
# as in the Language Server Protocol. Isthmus sends
#   {"jsonrpc": "2.0", "id": 1, "method": "invoke",
#    "params": {"cmd": "greet", "args": {"name": "Ada"}, "window": "main"}}
# and this process answers with "result" (the page's promise resolves) or
# "error" {code, message, data?} (it rejects with data, else message).
# Error -32601 ("Method not found") lets Isthmus's own demo commands answer.
# The process may also send the notifications "emit" {event, payload,
# target?} and "log" {text}. Whatever it prints on stderr shows in the
# traffic list; stdout is for protocol messages only.

import json
import sys
import threading
import time

write_lock = threading.Lock()


def send(message):
    body = json.dumps(message).encode('utf-8')
    with write_lock:
        sys.stdout.buffer.write(b'Content-Length: %d\r\n\r\n' % len(body))
        sys.stdout.buffer.write(body)
        sys.stdout.buffer.flush()


def receive():
    """The next message, or None when Isthmus closed stdin."""
    length = None
    while True:
        line = sys.stdin.buffer.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            if length is not None:
                break
            continue
        name, _, value = line.decode('ascii').partition(':')
        if name.strip().lower() == 'content-length':
            length = int(value)
    return json.loads(sys.stdin.buffer.read(length))


def emit(event, payload, target=None):
    params = {'event': event, 'payload': payload}
    if target is not None:
        params['target'] = target    # e.g. {"kind": "WebviewWindow", "label": "main"}
    send({'jsonrpc': '2.0', 'method': 'emit', 'params': params})


class CommandError(Exception):
    def __init__(self, message, data=None, code=-32000):
        super().__init__(message)
        self.data, self.code = data, code


def greet(args, window):
    name = args.get('name')
    if not isinstance(name, str) or not name:
        raise CommandError('name is required', {'kind': 'InvalidName'})
    return 'Hello, %s! You have been greeted from Python.' % name


def divide(args, window):
    if args.get('b') == 0:
        raise CommandError('division by zero')
    return args['a'] / args['b']


COMMANDS = {'greet': greet, 'divide': divide}


def ticker():
    count = 0
    while True:
        time.sleep(3)
        count += 1
        emit('tick', {'count': count, 'time': time.time()})


def main():
    threading.Thread(target=ticker, daemon=True).start()
    print('example backend ready', file=sys.stderr, flush=True)
    while True:
        message = receive()
        if message is None:
            return
        if message.get('method') != 'invoke':
            continue
        params = message['params']
        reply = {'jsonrpc': '2.0', 'id': message['id']}
        command = COMMANDS.get(params['cmd'])
        try:
            if command is None:
                raise CommandError('Method not found', code=-32601)
            reply['result'] = command(params.get('args') or {}, params.get('window'))
        except CommandError as error:
            reply['error'] = {'code': error.code, 'message': str(error)}
            if error.data is not None:
                reply['error']['data'] = error.data
        except Exception as error:  # a bug in a command: tell the page
            reply['error'] = {'code': -32603, 'message': repr(error)}
        send(reply)


if __name__ == '__main__':
    main()

/* cases.js: the page side of test-webview.c.
 *
 * Loaded as cases.html?case=<name>. Runs one case through the real
 * @tauri-apps/api and reports {name, ok, detail} with the test_report
 * command. */

import { invoke, transformCallback, convertFileSrc, isTauri, Channel } from '/node_modules/@tauri-apps/api/core.js';
import { getCurrentWindow } from '/node_modules/@tauri-apps/api/window.js';
import { sep, delimiter } from '/node_modules/@tauri-apps/api/path.js';

const name = new URLSearchParams (location.search).get ('case');

function check (cond, what) {
  if (!cond)
    throw new Error ('check failed: ' + what);
}

async function rejection (promise) {
  try
    {
      const value = await promise;
      return { rejected: false, value };
    }
  catch (e)
    {
      return { rejected: true, value: e };
    }
}

function describe (v) {
  if (v instanceof Error)
    return 'Error(' + v.message + ')';
  if (typeof v === 'string')
    return JSON.stringify (v.length > 200 ? v.slice (0, 200) + '…' : v);
  try
    {
      return JSON.stringify (v);
    }
  catch (e)
    {
      return String (v);
    }
}

async function expectRejection (promise, test, what) {
  const r = await rejection (promise);
  check (r.rejected, what + ': rejected (got ' + describe (r.value) + ')');
  check (!(r.value instanceof Error), what + ': not an Error (got ' + describe (r.value) + ')');
  check (test (r.value), what + ': value (got ' + describe (r.value) + ')');
  return r.value;
}

function frameResult (frame) {
  return new Promise ((resolve) => {
    window.addEventListener ('message', function onMessage (event) {
      if (event.source === frame.contentWindow)
        {
          window.removeEventListener ('message', onMessage);
          resolve (event.data);
        }
    });
  });
}

function nested (depth) {
  let v = [];
  for (let i = 0; i < depth; i++)
    v = [v];
  return v;
}

const cases = {
  async greet () {
    const reply = await invoke ('greet', { name: 'Isthmus' });
    check (reply === 'Hello, Isthmus! You\'ve been greeted from C.', 'greeting ' + describe (reply));
    return describe (reply);
  },

  async fail () {
    const value = await expectRejection (invoke ('fail', { message: 'boom' }),
                                         (v) => JSON.stringify (v) === JSON.stringify ({ kind: 'DemoError', message: 'boom' }),
                                         'fail');
    check (typeof value === 'object' && value.kind === 'DemoError' && value.message === 'boom', 'fields');
    return describe (value);
  },

  async unknown () {
    const value = await expectRejection (invoke ('nope'), (v) => v === 'Command nope not found', 'nope');
    return describe (value);
  },

  async 'invalid-args' () {
    const value = await expectRejection (invoke ('greet', { name: 42 }),
                                         (v) => typeof v === 'string' &&
                                                v.startsWith ('invalid args `name` for command `greet`'),
                                         'greet {name: 42}');
    return describe (value);
  },

  /* Calls made in one turn cross to the core in batches: each settles
   * once, with its own value, whether it replies at once, fails, waits
   * (slow) or carries bytes; line feeds and large messages go alone. */
  async concurrent () {
    const n = 600;
    const calls = [];
    let settledTwice = 0;
    const bigValue = 'y'.repeat (20000);

    for (let i = 0; i < n; i++)
      {
        let promise, test;
        switch (i % 6)
          {
          case 0:
            promise = invoke ('echo', { value: i });
            test = (r) => r.ok && r.value === i;
            break;
          case 1:
            {
              /* Some errors are long enough to cross back as two events. */
              const message = (i % 12 === 7 ? bigValue : '') + 'boom ' + i;
              promise = invoke ('fail', { message });
              test = (r) => !r.ok && r.value.kind === 'DemoError' && r.value.message === message;
            }
            break;
          case 2:
            promise = invoke ('nope' + i);
            test = (r) => !r.ok && r.value === 'Command nope' + i + ' not found';
            break;
          case 3:
            promise = invoke ('slow', { ms: 1 + i % 20 });
            test = (r) => r.ok && r.value.sleptMs === 1 + i % 20;
            break;
          case 4:
            promise = invoke ('utf8_bytes', { text: 'é\n' + i });
            test = (r) => r.ok && r.value instanceof ArrayBuffer &&
                          new TextDecoder ().decode (r.value) === 'é\n' + i;
            break;
          default:
            promise = invoke ('echo', { value: i % 12 === 5 ? bigValue : 'a\nb\u2028' + i });
            test = (r) => r.ok && r.value === (i % 12 === 5 ? bigValue : 'a\nb\u2028' + i);
          }
        let settled = 0;
        calls.push (promise.then ((value) => ({ ok: true, value }), (value) => ({ ok: false, value }))
                    .then ((r) => {
                      if (++settled > 1)
                        settledTwice++;
                      return { i, r, pass: test (r) };
                    }));
      }

    const results = await Promise.all (calls);
    const wrong = results.filter ((x) => !x.pass);
    check (wrong.length === 0, 'wrong: ' + wrong.slice (0, 3).map ((x) => x.i + ' ' + describe (x.r)).join ('; '));
    check (settledTwice === 0, 'settled twice: ' + settledTwice);
    return n + ' settled';
  },

  async big () {
    const reply = await invoke ('big', { bytes: 1048576 });
    check (typeof reply === 'string', 'a string');
    check (reply.length === 1048576, 'length ' + reply.length);
    return 'length ' + reply.length;
  },

  /* Long strings come back exactly, whether the reply is read as a
   * shared substring (no escape, no quote) or parsed. */
  async 'long-strings' () {
    const long = 'x'.repeat (5000);
    const values = [
      long, long + '"', '"' + long, '\\' + long, long + '\n', 'é'.repeat (5000),
      '\u2028' + long + '\u2029', '😀'.repeat (3000), '\u0001' + long, long + '/', '',
      'x'.repeat (4093), 'x'.repeat (4094),
    ];
    for (const value of values)
      {
        const reply = await invoke ('echo', { value });
        check (reply === value, 'length ' + value.length + ' came back as ' + describe (reply).slice (0, 80));
      }
    const object = await invoke ('echo', { value: { text: long } });
    check (object !== null && object.text === long, 'an object with a long string');
    return values.length + ' strings';
  },

  async sequential () {
    const n = 10000;
    let settled = 0;
    let wrong = 0;
    const t0 = performance.now ();
    for (let i = 0; i < n; i++)
      {
        try
          {
            const v = await invoke ('echo', { value: i });
            if (v !== i)
              wrong++;
          }
        catch (e)
          {
            wrong++;
          }
        settled++;
      }
    check (settled === n, 'settled ' + settled);
    check (wrong === 0, 'wrong ' + wrong);
    return settled + ' settled in ' + Math.round (performance.now () - t0) + ' ms';
  },

  async 'page-world' () {
    const attempt = (() => {
      try
        {
          window.webkit.messageHandlers.isthmusIpc.postMessage ('{"cmd":"echo","callback":1,"error":2,"payload":{}}');
          return 'posted';
        }
      catch (e)
        {
          return 'threw';
        }
    }) ();
    check (typeof window.webkit?.messageHandlers?.isthmusIpc === 'undefined', 'handler visible in the page world');
    check (attempt === 'threw', 'direct post ' + attempt);
    check (typeof window.__TAURI_INTERNALS__ === 'object', 'internals present');
    const before = window.__TAURI_INTERNALS__;
    try
      {
        window.__TAURI_INTERNALS__ = null;
      }
    catch (e)
      {
        /* Strict mode: assignment to a read-only property throws. */
      }
    check (window.__TAURI_INTERNALS__ === before, 'internals replaced');
    return 'handler ' + typeof window.webkit?.messageHandlers?.isthmusIpc;
  },

  async iframes () {
    const sandboxed = document.createElement ('iframe');
    sandboxed.setAttribute ('sandbox', 'allow-scripts');
    sandboxed.srcdoc = '<!DOCTYPE html><script>' +
      'let posted = "no";' +
      'try { window.webkit.messageHandlers.isthmusIpc.postMessage(\'{"cmd":"echo","callback":1,"error":2,"payload":{}}\'); posted = "yes"; } catch (e) { posted = "threw"; }' +
      'parent.postMessage({frame: "srcdoc", handler: typeof window.webkit?.messageHandlers?.isthmusIpc,' +
      ' internals: typeof window.__TAURI_INTERNALS__, posted}, "*");' +
      '</script>';
    const sameOrigin = document.createElement ('iframe');
    sameOrigin.src = 'frame.html';

    const r1 = frameResult (sandboxed);
    const r2 = frameResult (sameOrigin);
    document.body.append (sandboxed, sameOrigin);
    const results = await Promise.all ([r1, r2]);
    for (const r of results)
      {
        check (r.handler === 'undefined', r.frame + ' sees the handler');
        check (r.internals === 'undefined', r.frame + ' sees __TAURI_INTERNALS__');
        check (r.posted !== 'yes', r.frame + ' posted');
      }
    return describe (results);
  },

  async injection () {
    const inputs = ['"]);x=1;//', '</script>', '\u2028', '\u2029', '\'"]);window.__pwned=1;//</script>\u2028'];
    for (const s of inputs)
      {
        const v = await invoke ('echo', { value: s });
        check (v === s, 'round trip of ' + describe (s) + ' gave ' + describe (v));
      }
    check (typeof window.x === 'undefined' && typeof window.__pwned === 'undefined', 'script ran');
    return inputs.length + ' strings byte-identical';
  },

  async nul () {
    /* Never a silent truncation: the string comes back whole, or the
     * core refuses the \u0000 escape explicitly (its json guard does). */
    const r = await rejection (invoke ('echo', { value: 'a\u0000b' }));
    if (r.rejected)
      {
        check (typeof r.value === 'string' && r.value.startsWith ('BAD_ENCODING'), 'rejected with ' + describe (r.value));
        return 'rejected: ' + describe (r.value);
      }
    check (typeof r.value === 'string' && r.value.length === 3 && r.value === 'a\u0000b', 'got ' + describe (r.value));
    return 'round trip, length ' + r.value.length;
  },

  async surrogate () {
    const value = await expectRejection (invoke ('echo', { value: '\uD800' }),
                                         (v) => typeof v === 'string' && v.startsWith ('BAD_ENCODING'),
                                         'lone surrogate');
    return describe (value);
  },

  async huge () {
    const s = 'x'.repeat (64 * 1024 * 1024);
    const t0 = performance.now ();
    const value = await expectRejection (invoke ('echo', { value: s }),
                                         (v) => typeof v === 'string' && v.startsWith ('PAYLOAD_TOO_LARGE'),
                                         '64 MiB string');
    const ms = performance.now () - t0;
    check (ms < 100, 'took ' + ms + ' ms');
    const after = await invoke ('greet', { name: 'still here' });
    check (after === 'Hello, still here! You\'ve been greeted from C.', 'greet after');
    return describe (value) + ' in ' + Math.round (ms) + ' ms';
  },

  async deep () {
    const details = [];
    for (const depth of [129, 1000, 100000])
      {
        let payload;
        try
          {
            JSON.stringify (nested (depth));
            payload = { value: nested (depth) };
          }
        catch (e)
          {
            /* The engine cannot serialise it: invoke still settles, with
             * a string. The C-side check of this depth is done from the
             * bridge world by test-webview.c. */
            const value = await expectRejection (invoke ('echo', { value: nested (depth) }),
                                                 (v) => typeof v === 'string' && v.startsWith ('BAD_MESSAGE'),
                                                 'depth ' + depth);
            details.push (depth + ': ' + describe (value));
            continue;
          }
        const value = await expectRejection (invoke ('echo', payload),
                                             (v) => typeof v === 'string' && v.startsWith ('JSON_TOO_DEEP'),
                                             'depth ' + depth);
        details.push (depth + ': ' + describe (value));
      }
    return details.join ('; ');
  },

  async 'global' () {
    check (typeof window.__TAURI__ === 'object', '__TAURI__ missing');
    check (typeof window.__TAURI__.core.invoke === 'function', '__TAURI__.core.invoke');
    check (typeof window.__TAURI__.event.listen === 'function', '__TAURI__.event.listen');
    const reply = await window.__TAURI__.core.invoke ('greet', { name: 'global' });
    check (reply === 'Hello, global! You\'ve been greeted from C.', 'greeting');
    const channel = new window.__TAURI__.core.Channel ();
    check (JSON.stringify ({ c: channel }) === '{"c":"__CHANNEL__:' + channel.id + '"}', 'channel JSON');
    return describe (reply);
  },

  async 'no-global' () {
    check (typeof window.__TAURI__ === 'undefined', '__TAURI__ present');
    check (isTauri (), 'isTauri');
    const reply = await invoke ('greet', { name: 'second' });
    check (reply === 'Hello, second! You\'ve been greeted from C.', 'greeting');
    check (getCurrentWindow ().label === 'second', 'label ' + getCurrentWindow ().label);
    /* The config's CSP arrives as a header: inline scripts do not run. */
    const script = document.createElement ('script');
    script.textContent = 'window.__inline = 1;';
    document.head.append (script);
    check (typeof window.__inline === 'undefined', 'inline script ran despite the CSP');
    return describe (reply);
  },

  async 'api-surface' () {
    const internals = window.__TAURI_INTERNALS__;
    check (isTauri (), 'isTauri');
    check (convertFileSrc ('/a b/c') === 'asset://localhost/%2Fa%20b%2Fc', 'convertFileSrc ' + convertFileSrc ('/a b/c'));
    check (convertFileSrc ('x', 'ipc') === 'ipc://localhost/x', 'convertFileSrc protocol');
    check (getCurrentWindow ().label === 'main', 'window label');
    check (internals.metadata.currentWebview.label === 'main', 'webview label');
    check (sep () === '/' && delimiter () === ':', 'path sep');
    check (internals.__TAURI_PATTERN__.pattern === 'brownfield' && Object.isFrozen (internals.__TAURI_PATTERN__), 'pattern');

    let got = null;
    const id = transformCallback ((v) => { got = v; }, true);
    check (typeof id === 'number' && internals.callbacks.has (id), 'transformCallback id');
    internals.runCallback (id, 42);
    check (got === 42 && !internals.callbacks.has (id), 'once callback');
    const keep = transformCallback (() => {});
    internals.unregisterCallback (keep);
    check (!internals.callbacks.has (keep), 'unregisterCallback');

    window.__TAURI_EVENT_PLUGIN_INTERNALS__.unregisterListener ('nothing', 1);
    check (typeof window.__internal_unstable_listeners_function_id__ === 'function', 'event function');

    /* Tauri's serialisation rules reach the core. */
    const channel = new Channel ();
    const echoed = await invoke ('echo', {
      value: {
        map: new Map ([['a', 1]]),
        bytes: new Uint8Array ([1, 2, 3]),
        buffer: new Uint8Array ([4, 5]).buffer,
        channel,
        custom: { __TAURI_TO_IPC_KEY__ () { return { Logical: { width: 1, height: 2 } }; } },
        date: { toJSON () { return 'D'; } },
      },
    });
    const expected = {
      map: { a: 1 },
      bytes: [1, 2, 3],
      buffer: [4, 5],
      channel: '__CHANNEL__:' + channel.id,
      custom: { Logical: { width: 1, height: 2 } },
      date: 'D',
    };
    check (JSON.stringify (echoed) === JSON.stringify (expected), 'serialised ' + describe (echoed));
    channel.cleanupCallback ();

    /* The two callbacks of a settled invoke are gone. */
    const before = internals.callbacks.size;
    await invoke ('echo', { value: 1 });
    await rejection (invoke ('nope'));
    check (internals.callbacks.size === before, 'callbacks leaked');
    return 'ok';
  },

  async slow () {
    /* test-webview.c kills the web process while this is pending. */
    invoke ('slow', { ms: 30000 }).then (() => {}, () => {});
    return 'started';
  },

  /* Run with an 8 KiB message limit: calls that fit alone must not be
   * refused for crossing together. */
  async 'batch-limit' () {
    const values = [];
    for (let i = 0; i < 10; i++)
      values.push ((i < 4 ? 'L' : 's') + String (i) + 'é'.repeat (i < 4 ? 2500 : 900));
    const replies = await Promise.allSettled (values.map ((value) => invoke ('echo', { value })));
    const wrong = replies.filter ((r, i) => r.status !== 'fulfilled' || r.value !== values[i]);
    check (wrong.length === 0, 'wrong: ' + wrong.slice (0, 2).map ((r) => describe (r.reason || r.value)).join ('; '));
    return replies.length + ' settled';
  },

  async 'late-bytes' () {
    const [a, bytes, empty, b] = await Promise.all ([
      invoke ('echo', { value: 'a' }),
      invoke ('test_late_bytes', { text: 'é\n\u2028z' }),
      invoke ('test_late_bytes', { text: '' }),
      invoke ('echo', { value: 'b' }),
    ]);
    check (a === 'a' && b === 'b', 'echoes ' + describe ([a, b]));
    check (bytes instanceof ArrayBuffer, 'an ArrayBuffer, not ' + describe (bytes));
    check (new TextDecoder ().decode (bytes) === 'é\n\u2028z', 'bytes ' + describe (Array.from (new Uint8Array (bytes))));
    check (empty instanceof ArrayBuffer && empty.byteLength === 0, 'empty ' + describe (empty));
    return 'bytes ' + bytes.byteLength;
  },

  async 'slow-batch' () {
    /* Two slow calls in one batch, both waited for, while the page goes. */
    invoke ('slow', { ms: 30000 }).then (() => {}, () => {});
    invoke ('slow', { ms: 30000 }).then (() => {}, () => {});
    return 'started';
  },
};

async function run () {
  let ok = false;
  let detail;
  try
    {
      const fn = cases[name];
      if (fn === undefined)
        throw new Error ('no case ' + name);
      detail = await fn ();
      ok = true;
    }
  catch (e)
    {
      detail = e instanceof Error ? e.message : 'threw ' + describe (e);
    }
  document.getElementById ('status').textContent = (ok ? 'ok: ' : 'FAILED: ') + detail;
  await invoke ('test_report', { name, ok, detail: String (detail) });
}

run ();

/* events.js: the page side of test-events.c.
 *
 * Loaded as events.html?case=<name>. Runs one case through the real
 * @tauri-apps/api (events, channels, raw payloads, windows) and reports
 * {name, ok, detail} with the test_report command. */

import { invoke, Channel } from '/node_modules/@tauri-apps/api/core.js';
import { listen, once, emit, emitTo } from '/node_modules/@tauri-apps/api/event.js';
import { getCurrentWindow, getAllWindows } from '/node_modules/@tauri-apps/api/window.js';
import { LogicalSize } from '/node_modules/@tauri-apps/api/dpi.js';
import { getName, getVersion, getIdentifier } from '/node_modules/@tauri-apps/api/app.js';

const name = new URLSearchParams (location.search).get ('case');
const TIMEOUT_MS = 60000;

const WEIRD = '</script>\'"]);window.__pwned=1;//\u2028x\u2029</script><!--';

function check (cond, what) {
  if (!cond)
    throw new Error ('check failed: ' + what);
}

/* Resolves once @cond holds, polling on animation frames. */
function until (cond, what) {
  const start = performance.now ();
  return new Promise ((resolve, reject) => {
    function poll () {
      if (cond ())
        resolve ();
      else if (performance.now () - start > TIMEOUT_MS)
        reject (new Error ('timed out waiting for ' + what));
      else
        setTimeout (poll, 5);
    }
    poll ();
  });
}

async function rejectionOf (promise) {
  try
    {
      await promise;
    }
  catch (e)
    {
      return e;
    }
  throw new Error ('did not reject');
}

/* Every emit before it has been delivered once the control event arrives. */
async function barrier () {
  let seen = false;
  const off = await listen ('control', () => { seen = true; });
  await invoke ('test_emit', { event: 'control', payload: null });
  await until (() => seen, 'the control event');
  await off ();
}

const cases = {
  async payload () {
    const got = [];
    await listen ('payload-test', (e) => got.push (e));
    await invoke ('test_emit', { event: 'payload-test', payload: { s: WEIRD, n: [1, 2.5, null, true] } });
    await until (() => got.length === 1, 'the event');
    check (got[0].event === 'payload-test', 'event name');
    check (got[0].payload.s === WEIRD, 'payload text ' + JSON.stringify (got[0].payload.s));
    check (JSON.stringify (got[0].payload.n) === '[1,2.5,null,true]', 'payload array');
    check (typeof got[0].id === 'number', 'listener id');
    check (window.__pwned === undefined, 'no script ran');
    /* A page emit reaches its own listener too, byte-identical. */
    await emit ('payload-test', WEIRD);
    await until (() => got.length === 2, 'the page emit');
    check (got[1].payload === WEIRD, 'page emit payload');
    check (window.__pwned === undefined, 'no script ran (page emit)');
    return 'identical';
  },

  async unlisten () {
    let count = 0;
    const off = await listen ('gone', () => count++);
    await invoke ('test_emit', { event: 'gone', payload: 1 });
    await until (() => count === 1, 'the first event');
    await off ();
    await invoke ('test_emit', { event: 'gone', payload: 2 });
    await emit ('gone', 3);
    await barrier ();
    check (count === 1, 'no delivery after unlisten (got ' + count + ')');
    return 'stopped';
  },

  async once () {
    let count = 0;
    await once ('one', () => count++);
    await invoke ('test_emit', { event: 'one', payload: 1 });
    await invoke ('test_emit', { event: 'one', payload: 2 });
    await barrier ();
    check (count === 1, 'once fired ' + count + ' times');
    return 'once';
  },

  async many () {
    const got = [];
    const n = 10000;
    await listen ('many', (e) => got.push (e.payload));
    const start = performance.now ();
    await invoke ('test_emit_many', { event: 'many', count: n });
    await until (() => got.length >= n, n + ' events');
    const ms = performance.now () - start;
    for (let i = 0; i < n; i++)
      check (got[i] === i, 'order at ' + i + ': ' + got[i]);
    check (got.length === n, 'no extra events');
    return n + ' in order in ' + ms.toFixed (0) + ' ms';
  },

  async channel () {
    const got = [];
    const ch = new Channel ((m) => got.push (m));
    await invoke ('stream_progress', { steps: 1000, onProgress: ch });
    await until (() => !window.__TAURI_INTERNALS__.callbacks.has (ch.id), 'the end marker');
    check (got.length === 1000, 'messages ' + got.length);
    for (let i = 0; i < 1000; i++)
      check (got[i].step === i + 1 && got[i].of === 1000, 'message ' + i + ' ' + JSON.stringify (got[i]));
    return '1000 ordered, ended';
  },

  async raw () {
    const n = 4 * 1024 * 1024;
    const bytes = new Uint8Array (n);
    for (let i = 0; i < n; i++)
      bytes[i] = (i * 7 + (i >> 11)) & 0xff;
    const start = performance.now ();
    const reply = await invoke ('reverse_bytes', bytes);
    const ms = performance.now () - start;
    check (reply instanceof ArrayBuffer, 'reply is an ArrayBuffer: ' + Object.prototype.toString.call (reply));
    check (reply.byteLength === n, 'length ' + reply.byteLength);
    check (bytes.length === n, 'the argument is intact');
    const back = new Uint8Array (reply);
    for (let i = 0; i < n; i++)
      if (back[i] !== bytes[n - 1 - i])
        throw new Error ('byte ' + i + ' differs');
    /* A raw ArrayBuffer arg and a view into a larger buffer. */
    const part = new Uint8Array ([9, 1, 2, 3, 9]).subarray (1, 4);
    const r2 = new Uint8Array (await invoke ('reverse_bytes', part));
    check (r2.join (',') === '3,2,1', 'subarray ' + r2.join (','));
    const r3 = new Uint8Array (await invoke ('reverse_bytes', new Uint8Array ([5, 6]).buffer));
    check (r3.join (',') === '6,5', 'ArrayBuffer ' + r3.join (','));
    /* A raw reply to an ordinary JSON invoke is an ArrayBuffer too. */
    const r4 = await invoke ('utf8_bytes', { text: 'h\u00e9llo' });
    check (r4 instanceof ArrayBuffer, 'raw reply to a JSON invoke: ' + Object.prototype.toString.call (r4));
    check (new Uint8Array (r4).join (',') === '104,195,169,108,108,111', 'utf8 bytes ' + new Uint8Array (r4).join (','));
    const r5 = await invoke ('utf8_bytes', { text: '' });
    check (r5 instanceof ArrayBuffer && r5.byteLength === 0, 'empty raw reply');
    /* Errors on the raw path reject with the value, as on the JSON path. */
    const e = await rejectionOf (invoke ('no_such_raw', new Uint8Array (4)));
    check (e === 'Command no_such_raw not found', 'unknown raw command: ' + JSON.stringify (e));
    return '4 MiB round trip in ' + ms.toFixed (0) + ' ms';
  },

  async 'bad-name' () {
    const names = ['a"b', 'a\'b', 'x'.repeat (129), '</script>', 'a\u2028b', 'a\nb'];
    for (const bad of names)
      {
        const e1 = await rejectionOf (emit (bad, 1));
        check (typeof e1 === 'string' && e1.startsWith ('INVALID_EVENT_NAME'), 'emit ' + JSON.stringify (bad) + ': ' + e1);
        const e2 = await rejectionOf (listen (bad, () => {}));
        check (typeof e2 === 'string' && e2.startsWith ('INVALID_EVENT_NAME'), 'listen ' + JSON.stringify (bad) + ': ' + e2);
      }
    await emit ('x'.repeat (128), 1);
    return 'rejected';
  },

  async window () {
    const w = getCurrentWindow ();
    check (w.label === 'main', 'label ' + w.label);
    const title = await w.title ();
    check (title === 'Events main', 'title ' + title);
    await w.setTitle ('Retitled </b> \u2028');
    check ((await w.title ()) === 'Retitled </b> \u2028', 'new title');
    const size = await w.innerSize ();
    check (size.width > 0 && size.height > 0 && size.type === 'Physical', 'size ' + JSON.stringify (size));
    check ((await w.scaleFactor ()) >= 1, 'scale factor');
    check ((await w.isVisible ()) === true, 'visible');
    const labels = (await getAllWindows ()).map ((x) => x.label).sort ().join (',');
    check (labels === 'main,other', 'windows ' + labels);
    check ((await getName ()) === 'Isthmus Event Tests', 'app name');
    check ((await getVersion ()) === '0.3.0', 'app version');
    check ((await getIdentifier ()) === 'dev.isthmus.tests.events', 'identifier');
    return 'title ' + title + ', ' + size.width + 'x' + size.height;
  },

  /* Tauri's built-in window events: the test makes the webview wider
   * (as a user dragging the window's border or the inspector's divider
   * would), and onResized () hears its new size in physical pixels, the
   * same that innerSize () then reads. */
  async 'window-events' () {
    const w = getCurrentWindow ();
    const sizes = [];
    const off = await w.onResized (({ payload }) => sizes.push (payload));
    const before = await w.innerSize ();
    await invoke ('test_grow', { by: 40 });
    await until (() => sizes.length > 0, 'a tauri://resize event');
    /* setSize () on the shown window: the webview gets that size. */
    const factor = await w.scaleFactor ();
    await w.setSize (new LogicalSize (before.width / factor + 100, before.height / factor + 30));
    await until (() => sizes.some ((s) => s.width === Math.round (before.width + 100 * factor)),
                 'the size asked with setSize (): ' + JSON.stringify (sizes));
    const last = sizes[sizes.length - 1];
    const inner = await w.innerSize ();
    check (typeof last.width === 'number' && typeof last.height === 'number', 'payload ' + JSON.stringify (last));
    check (last.width === inner.width && last.height === inner.height,
           'event ' + JSON.stringify (last) + ' inner ' + JSON.stringify (inner));
    check (last.width === Math.round (before.width + 100 * factor) &&
           last.height === Math.round (before.height + 30 * factor),
           'setSize from ' + JSON.stringify (before) + ': ' + JSON.stringify (last));
    off ();
    return 'resized to ' + last.width + 'x' + last.height + ' in ' + sizes.length + ' event(s)';
  },

  async unsupported () {
    const e = await rejectionOf (getCurrentWindow ().center ());
    check (e === 'NOT_SUPPORTED: plugin:window|center is not supported by Isthmus', 'center: ' + JSON.stringify (e));
    const e2 = await rejectionOf (invoke ('plugin:webview|set_webview_zoom', { value: 2 }));
    check (typeof e2 === 'string' && e2.startsWith ('NOT_SUPPORTED'), 'zoom: ' + e2);
    return e;
  },

  /* In the "other" window: listeners by target, reported when "done" comes. */
  async 'cross-listen' () {
    const got = { win: [], view: [], any: [], app: [] };
    await listen ('x', (e) => got.win.push (e.payload), { target: { kind: 'Window', label: 'other' } });
    await listen ('x', (e) => got.view.push (e.payload), { target: { kind: 'Webview', label: 'other' } });
    await listen ('x', (e) => got.any.push (e.payload));
    await listen ('x', (e) => got.app.push (e.payload), { target: { kind: 'App' } });
    let done = false;
    await listen ('done', () => { done = true; });
    await invoke ('test_report', { name: 'cross-ready', ok: true, detail: 'listening' });
    await until (() => done, 'the done event');
    const text = JSON.stringify (got);
    check (text === '{"win":["a","d"],"view":["a","c","d"],"any":["a","b","c","d"],"app":["d"]}', text);
    return text;
  },

  /* Capabilities by window: "main" may greet, "other" may not, whatever
   * label it puts in its arguments. */
  async 'acl-main' () {
    const reply = await invoke ('greet', { name: 'main' });
    check (typeof reply === 'string' && reply.startsWith ('Hello, main'), 'greet from main: ' + reply);
    return reply;
  },

  async 'acl-other' () {
    check (getCurrentWindow ().label === 'other', 'label ' + getCurrentWindow ().label);
    const e = await rejectionOf (invoke ('greet', { name: 'other' }));
    check (e === 'Command greet not allowed by ACL', 'greet from other: ' + JSON.stringify (e));
    const e2 = await rejectionOf (invoke ('greet', { name: 'x', label: 'main', window: 'main', webview: 'main' },
                                          { headers: { 'Tauri-Window': 'main' } }));
    check (e2 === 'Command greet not allowed by ACL', 'spoofed label: ' + JSON.stringify (e2));
    return e;
  },

  /* In "main": emits by target, then "done". */
  async 'cross-emit' () {
    let mine = 0;
    await listen ('x', () => mine++, { target: { kind: 'Window', label: 'main' } });
    await emitTo ('other', 'x', 'a');
    await emitTo ({ kind: 'Window', label: 'main' }, 'x', 'b');
    await emitTo ({ kind: 'Webview', label: 'other' }, 'x', 'c');
    await emit ('x', 'd');
    await barrier ();
    check (mine === 2, 'main heard ' + mine);
    await emit ('done', null);
    return 'emitted';
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
      detail = e instanceof Error ? e.message : 'threw ' + JSON.stringify (e);
    }
  document.getElementById ('status').textContent = (ok ? 'ok: ' : 'FAILED: ') + detail;
  await invoke ('test_report', { name, ok, detail: String (detail) });
}

run ();

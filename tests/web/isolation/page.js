/* page.js: the page side of test-isolation.c.
 *
 * Loaded as page.html?case=<name>, with the isolation pattern on and a hook
 * fixture chosen by the test. Runs one case through the real
 * @tauri-apps/api and reports {name, ok, detail} with test_report (which
 * every fixture lets through). */

import { invoke } from '/node_modules/@tauri-apps/api/core.js';

const name = new URLSearchParams (location.search).get ('case');

function check (cond, what) {
  if (!cond)
    throw new Error ('check failed: ' + what);
}

async function settle (promise) {
  try
    {
      return { ok: true, value: await promise };
    }
  catch (e)
    {
      return { ok: false, value: e };
    }
}

const cases = {
  async idle () {
    return 'ready';
  },

  async passthrough () {
    const pattern = window.__TAURI_INTERNALS__.__TAURI_PATTERN__;
    check (pattern.pattern === 'isolation' && pattern.side === 'original' && Object.isFrozen (pattern),
           'pattern ' + JSON.stringify (pattern));
    const reply = await invoke ('greet', { name: 'Isthmus' });
    check (reply === 'Hello, Isthmus! You\'ve been greeted from C.', 'greeting ' + reply);
    const frame = document.getElementById ('__tauri_isolation__');
    check (frame !== null && frame.getAttribute ('sandbox') === 'allow-scripts', 'iframe');
    check (typeof window.webkit?.messageHandlers?.isthmusIpc === 'undefined', 'handler visible');
    check (typeof window.__isthmusIsolationSend === 'undefined', 'bridge function visible');
    check (typeof window.__isthmusRawReply === 'undefined', 'raw reply function visible');
    /* A raw reply through the hook and the envelope is an ArrayBuffer. */
    const raw = await invoke ('utf8_bytes', { text: 'ok' });
    check (raw instanceof ArrayBuffer && new Uint8Array (raw).join (',') === '111,107',
           'raw reply ' + Object.prototype.toString.call (raw));
    return reply;
  },

  async modify () {
    const reply = await invoke ('greet', { name: 'page' });
    check (reply === 'Hello, hooked:page! You\'ve been greeted from C.', 'greeting ' + reply);
    return reply;
  },

  async block () {
    const r = await settle (invoke ('greet', { name: 'page' }));
    check (!r.ok, 'resolved');
    check (typeof r.value === 'string' && r.value.startsWith ('ISOLATION_BLOCKED: '), 'value ' + r.value);
    const after = await invoke ('echo', { value: 1 });
    check (after === 1, 'echo after a block');
    return r.value;
  },

  async throw () {
    const r = await settle (invoke ('greet', { name: 'page' }));
    check (!r.ok, 'resolved');
    check (typeof r.value === 'string' && r.value.startsWith ('ISOLATION_BLOCKED: ') &&
           r.value.includes ('no greeting for page'), 'value ' + r.value);
    return r.value;
  },

  async async () {
    const replies = await Promise.all ([1, 2, 3].map ((i) => invoke ('echo', { value: i })));
    check (JSON.stringify (replies) === '[1,2,3]', 'replies ' + JSON.stringify (replies));
    return 'ok';
  },

  async probe () {
    const reply = await invoke ('greet', { name: 'probe' });
    check (reply === 'Hello, probe! You\'ve been greeted from C.', 'greeting ' + reply);
    return reply;
  },

  async 'remove-frame' () {
    await invoke ('echo', { value: 1 });
    document.getElementById ('__tauri_isolation__').remove ();
    const r = await settle (invoke ('echo', { value: 2 }));
    check (!r.ok && typeof r.value === 'string' && r.value.startsWith ('ISOLATION_UNAVAILABLE'),
           'after removal ' + r.value);
    return r.value;
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
      detail = e instanceof Error ? e.message : 'threw ' + String (e);
    }
  document.getElementById ('status').textContent = (ok ? 'ok: ' : 'FAILED: ') + detail;
  const after = new URLSearchParams (location.search).get ('after');
  if (after !== null)
    {
      await invoke ('test_report', { name: 'remove-frame', ok: after.startsWith ('ok '), detail: after });
      return;
    }
  if (name === 'remove-frame')
    {
      /* The isolation frame is gone: report through a second page load. */
      location.replace ('page.html?case=idle&after=' + encodeURIComponent ((ok ? 'ok ' : 'FAILED ') + detail));
      return;
    }
  await invoke ('test_report', { name, ok, detail: String (detail) });
}

run ();

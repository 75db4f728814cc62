/* isthmus-isolation-runtime.js
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The runtime of the isolation frame, injected by the isolation:// scheme
 * as the first child of <head> of the user's isolation app, before any of
 * its scripts. It:
 *  - takes the per-page-load config (key bytes, webview label, epoch,
 *    allowed parent origin) from its own text, removes its script element,
 *    imports the key once as a non-extractable, encrypt-only AES-GCM key
 *    and zeroes the bytes;
 *  - takes requests only from trusted `message` events whose source is
 *    its parent window and whose origin is the app's, and answers each
 *    with parent.postMessage();
 *  - tells the parent it is ready once the key is imported and
 *    window.__TAURI_ISOLATION_HOOK__ is a function or exactly null
 *    (polled every 50 ms, as Tauri does);
 *  - for each request: parses Tauri's {cmd, callback, error, payload,
 *    options}, awaits the hook (timed) with the message wrapped in a
 *    Proxy that records what the hook reads, decides the verdict, and
 *    seals "<header JSON>\n<hooked message JSON>" into an envelope whose
 *    additional data binds webview, epoch, sequence number, cmd, callback,
 *    error and content type (isthmus_envelope_build_aad());
 *  - forwards its console output to the parent.
 *
 * Requests and replies travel by window.postMessage rather than over a
 * private MessagePort, which costs about fifteen times as much per round
 * trip in WebKitGTK. So the page's main world, not only the bridge's
 * isolated world, can post requests here and sees every reply on its
 * window. That is acceptable:
 *  - whatever this frame signs went through the hook first: a request
 *    from the page world gets exactly the verdict it would get through
 *    the bridge, so the page learns nothing it could not learn by invoking;
 *  - the page world cannot reach the script message handler, so an
 *    envelope it gets here or reads off a reply never reaches the core
 *    from it; the bridge forwards only replies to its own requests, which
 *    carry 128 random bits of id the page never sees before they are used;
 *  - the core binds each envelope to webview, epoch, sequence number, cmd,
 *    callback and error in the AAD and refuses replays (a sliding window
 *    over sequence numbers, so numbers used up by the page's requests are
 *    harmless gaps); a captured envelope is useless elsewhere or again;
 *  - the key never leaves this frame and is not extractable.
 * Replies go to the parent only while it has the app's origin.
 */
(function () {
  'use strict';

  const CONFIG = ISTHMUS_ISOLATION_CONFIG_JSON;

  /* Nothing of the config stays in the document. */
  if (document.currentScript)
    document.currentScript.remove ();

  const W = window;
  const subtle = crypto.subtle;
  const encrypt = subtle.encrypt.bind (subtle);
  const importKey = subtle.importKey.bind (subtle);
  const getRandomValues = crypto.getRandomValues.bind (crypto);
  const perfNow = performance.now.bind (performance);
  const timeOrigin = performance.timeOrigin;
  const jsonParse = JSON.parse;
  const jsonStringify = JSON.stringify;
  const NativeProxy = Proxy;
  const NativeSet = Set;
  const NativeWeakMap = WeakMap;
  const NativeUint8Array = Uint8Array;
  const NativeString = String;
  const NativePromise = Promise;
  const reflectGet = Reflect.get;
  const reflectHas = Reflect.has;
  const reflectSet = Reflect.set;
  const reflectDeleteProperty = Reflect.deleteProperty;
  const reflectDefineProperty = Reflect.defineProperty;
  const hasOwn = Object.prototype.hasOwnProperty;
  const objectKeys = Object.keys;
  const isArray = Array.isArray;
  const fromCharCode = String.fromCharCode;
  const nativeBtoa = W.btoa.bind (W);
  const encoder = new TextEncoder ();
  const encodeInto = encoder.encodeInto.bind (encoder);
  const setTimeoutNative = W.setTimeout.bind (W);
  const nativeConsole = {};
  const LEVELS = ['log', 'info', 'warn', 'error', 'debug'];
  const MAX_READS = 64;
  const MAX_SEQ = 4294967295;
  const CTYPE = 'application/json';

  for (const level of LEVELS)
    nativeConsole[level] = console[level].bind (console);

  const label = CONFIG.label;
  const epoch = CONFIG.epoch;
  const origin = CONFIG.origin;
  const lintOn = CONFIG.lint !== false;

  let keyBytes = new NativeUint8Array (CONFIG.key);
  CONFIG.key.fill (0);
  CONFIG.key = null;

  let key = null;
  let keyError = null;
  let ready = false;
  let seq = 0;
  const active = new NativeSet ();
  const parentWindow = W.parent;
  const postToParent = parentWindow.postMessage.bind (parentWindow);
  /* An opaque ("null") parent origin cannot be named as a target. */
  const targetOrigin = origin === 'null' ? '*' : origin;

  function send (data) {
    postToParent (data, targetOrigin);
  }

  function describe (value) {
    if (typeof value === 'string')
      return value;
    if (value instanceof Error)
      return value.name + ': ' + value.message;
    try
      {
        const text = jsonStringify (value);
        return text === undefined ? NativeString (value) : text;
      }
    catch (e)
      {
        return NativeString (value);
      }
  }

  /* Console output goes to the Isthmus inspector, as plain text. */
  for (const level of LEVELS)
    {
      console[level] = function (...args) {
        nativeConsole[level] (...args);
        let text = args.map (describe).join (' ');
        if (text.length > 4096)
          text = text.slice (0, 4096) + '…';
        send ({ t: 'console', level, text });
      };
    }

  function addLint (note) {
    for (const state of active)
      {
        if (!state.lint.includes (note))
          {
            state.lint.push (note);
            console.warn ('[isolation] ' + note);
          }
      }
  }

  /* Dialogs need allow-modals, which the frame's sandbox lacks. */
  for (const name of ['alert', 'confirm', 'prompt'])
    {
      const original = W[name];
      W[name] = function (...args) {
        if (lintOn)
          addLint (name + '() is blocked in the sandboxed isolation frame');
        return original.apply (W, args);
      };
    }

  importKey ('raw', keyBytes, { name: 'AES-GCM' }, false, ['encrypt']).then (function (k) {
    key = k;
  }, function (e) {
    keyError = describe (e);
  }).finally (function () {
    keyBytes.fill (0);
    keyBytes = null;
    pollReady ();
  });

  /* Fields Tauri v2 never puts in an invoke message (Tauri v1 did). */
  const NEVER_SET = {
    message: 'message.message',
    __tauriModule: 'message.__tauriModule',
    'payload.message': 'payload.message',
    'payload.__tauriModule': 'payload.__tauriModule',
    'options.headers': 'options.headers',
  };

  function lintRead (state, path, target, property) {
    const name = NEVER_SET[path];
    if (name === undefined || hasOwn.call (target, property))
      return;
    if (path === 'payload.message' && state.payloadHasMessage)
      return;
    const note = 'the hook reads ' + name + ', which Tauri v2 never sets';
    if (!state.lint.includes (note))
      {
        state.lint.push (note);
        console.warn ('[isolation] ' + note);
      }
  }

  /* Wraps @target so that reads by the hook are recorded as paths and
   * writes are noticed. Proxies are cached: identity is kept. */
  function wrap (target, path, state) {
    if (target === null || typeof target !== 'object')
      return target;
    let proxy = state.proxies.get (target);
    if (proxy !== undefined)
      return proxy;
    proxy = new NativeProxy (target, {
      get (t, property, receiver) {
        const value = reflectGet (t, property, t);
        if (!state.recording || typeof property !== 'string')
          return value;
        const p = path === '' ? property : path + '.' + property;
        if (property !== 'then' && state.reads.length < MAX_READS && !state.readSet.has (p))
          {
            state.readSet.add (p);
            state.reads.push (p);
          }
        if (lintOn)
          lintRead (state, p, t, property);
        return wrap (value, p, state);
      },
      has (t, property) {
        if (state.recording && typeof property === 'string' && lintOn)
          lintRead (state, path === '' ? property : path + '.' + property, t, property);
        return reflectHas (t, property);
      },
      set (t, property, value) {
        state.mutated = true;
        return reflectSet (t, property, value, t);
      },
      deleteProperty (t, property) {
        state.mutated = true;
        return reflectDeleteProperty (t, property);
      },
      defineProperty (t, property, descriptor) {
        state.mutated = true;
        return reflectDefineProperty (t, property, descriptor);
      },
    });
    state.proxies.set (target, proxy);
    state.targets.set (proxy, target);
    return proxy;
  }

  function deepEqual (a, b) {
    if (a === b)
      return true;
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
      return false;
    if (isArray (a) !== isArray (b))
      return false;
    const ka = objectKeys (a);
    const kb = objectKeys (b);
    if (ka.length !== kb.length)
      return false;
    for (const k of ka)
      if (!hasOwn.call (b, k) || !deepEqual (a[k], b[k]))
        return false;
    return true;
  }

  function isId (value) {
    return typeof value === 'number' && value >= 0 && value <= MAX_SEQ && value === Math.floor (value);
  }

  function toBase64 (bytes) {
    if (typeof bytes.toBase64 === 'function')
      return bytes.toBase64 ();
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000)
      binary += fromCharCode.apply (null, bytes.subarray (i, i + 0x8000));
    return nativeBtoa (binary);
  }

  /* The byte layout of isthmus_envelope_build_aad(). */
  function buildAad (s, cmd, callback, error) {
    return encoder.encode ('isthmus-envelope-v1\0' + label + '\0' + epoch + '\0' + s + '\0' +
                           cmd + '\0' + callback + '\0' + error + '\0' + CTYPE);
  }

  /* The plaintext, @header, a line feed and @text, as UTF-8 in a buffer
   * kept between calls up to 16 MiB: large calls then write into memory
   * already in use instead of fresh pages. WebCrypto copies its input
   * when encrypt () is called, so the buffer is free again at once. */
  const KEEP_MAX = 16 * 1024 * 1024;
  let scratch = new NativeUint8Array (4096);

  function encodePlaintext (header, text) {
    const need = (header.length + text.length) * 3 + 1;
    let buffer = scratch;
    let n;

    if (buffer.length < need)
      {
        buffer = new NativeUint8Array (need);
        if (need <= KEEP_MAX)
          scratch = buffer;
      }
    n = encodeInto (header, buffer).written;
    buffer[n++] = 0x0a;
    n += encodeInto (text, buffer.subarray (n)).written;
    return buffer.subarray (0, n);
  }

  async function seal (cmd, callback, error, header, text) {
    if (seq >= MAX_SEQ)
      throw new Error ('sequence numbers exhausted: reload the page');
    const s = ++seq;
    const nonce = new NativeUint8Array (12);
    getRandomValues (nonce);
    const ct = new NativeUint8Array (await encrypt ({
      name: 'AES-GCM',
      iv: nonce,
      additionalData: buildAad (s, cmd, callback, error),
      tagLength: 128,
    }, key, encodePlaintext (header, text)));
    return '{"v":1,"epoch":' + epoch + ',"seq":' + s + ',"cmd":' + jsonStringify (cmd) +
      ',"callback":' + callback + ',"error":' + error + ',"ctype":"' + CTYPE +
      '","nonce":"' + toBase64 (nonce) + '","ct":"' + toBase64 (ct) + '"}';
  }

  async function handle (id, text) {
    let message;
    if (!ready)
      {
        send ({ t: 'fail', id, text: 'the isolation frame is not ready yet' });
        return;
      }
    try
      {
        message = jsonParse (text);
      }
    catch (e)
      {
        send ({ t: 'fail', id, text: 'the isolation frame got a message that is not JSON' });
        return;
      }
    if (message === null || typeof message !== 'object' || typeof message.cmd !== 'string' ||
        !isId (message.callback) || !isId (message.error))
      {
        send ({ t: 'fail', id, text: 'the isolation frame got a message that is not an invoke' });
        return;
      }

    const state = {
      reads: [],
      readSet: new NativeSet (),
      lint: [],
      proxies: new NativeWeakMap (),
      targets: new NativeWeakMap (),
      recording: true,
      mutated: false,
      payloadHasMessage: message.payload !== null && typeof message.payload === 'object' &&
        hasOwn.call (message.payload, 'message'),
    };
    const hook = W.__TAURI_ISOLATION_HOOK__;
    const proxied = wrap (message, '', state);
    let verdict = null;
    let reason = null;
    let result;

    active.add (state);
    const h0 = perfNow ();
    try
      {
        result = hook === null ? proxied : await hook (proxied);
      }
    catch (e)
      {
        verdict = 'blocked';
        reason = describe (e);
      }
    const hookUs = Math.round ((perfNow () - h0) * 1000);
    state.recording = false;
    active.delete (state);

    let cmd = message.cmd;
    let callback = message.callback;
    let error = message.error;
    let hookedText = text;

    if (verdict === null)
      {
        if (result === null || result === undefined)
          {
            verdict = 'blocked';
            reason = 'the isolation hook returned ' + NativeString (result);
          }
        else if (typeof result !== 'object')
          {
            verdict = 'hook-error';
            reason = 'the isolation hook returned a ' + typeof result + ', not a message';
          }
        else if (result === proxied && !state.mutated)
          verdict = 'passed';
        else
          {
            const plain = state.targets.get (result) || result;
            let out;
            try
              {
                out = jsonStringify (plain);
              }
            catch (e)
              {
                out = undefined;
                reason = 'the hooked message cannot be serialised: ' + describe (e);
              }
            if (out === undefined)
              {
                verdict = 'hook-error';
                reason = reason || 'the hooked message cannot be serialised';
              }
            else if (typeof plain.cmd !== 'string' || plain.cmd === '' ||
                     plain.cmd.indexOf ('\0') >= 0 || encoder.encode (plain.cmd).length > 256)
              {
                verdict = 'hook-error';
                reason = 'the hooked message has no valid cmd';
              }
            else if (!isId (plain.callback) || !isId (plain.error))
              {
                verdict = 'hook-error';
                reason = 'the hooked message has no valid callback and error ids';
              }
            else
              {
                verdict = out === text || deepEqual (jsonParse (out), jsonParse (text)) ? 'passed' : 'modified';
                cmd = plain.cmd;
                callback = plain.callback;
                error = plain.error;
                hookedText = out;
              }
          }
      }

    const header = jsonStringify ({
      verdict,
      reason,
      hookUs,
      reads: state.reads,
      lint: state.lint,
    });

    let envelope;
    const e0 = perfNow ();
    try
      {
        envelope = await seal (cmd, callback, error, header, hookedText);
      }
    catch (e)
      {
        send ({ t: 'fail', id, text: 'the isolation frame could not encrypt: ' + describe (e) });
        return;
      }
    const encryptUs = Math.round ((perfNow () - e0) * 1000);

    send ({ t: 'env', id, env: envelope, encryptUs, sentAt: timeOrigin + perfNow () });
  }

  /* Only trusted requests from the parent, and only while it has the
   * app's origin. */
  function onRequest (event) {
    if (event.source !== parentWindow || event.origin !== origin || !event.isTrusted)
      return;
    const data = event.data;
    if (data === null || typeof data !== 'object' || data.t !== 'req')
      return;
    const id = data.id;
    const text = data.text;
    if (typeof id !== 'string' || typeof text !== 'string')
      return;
    handle (id, text);
  }

  function pollReady () {
    if (ready)
      return;
    if (keyError !== null)
      {
        send ({ t: 'fatal', text: 'the isolation key could not be imported: ' + keyError });
        return;
      }
    const hook = W.__TAURI_ISOLATION_HOOK__;
    if (key !== null && (typeof hook === 'function' || hook === null))
      {
        ready = true;
        send ({ t: 'ready' });
        return;
      }
    setTimeoutNative (pollReady, 50);
  }

  W.addEventListener ('message', onRequest, true);
}) ();

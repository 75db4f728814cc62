/* isthmus-page-script.js
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page-world half of the Isthmus bridge, injected into the top frame
 * at document start. It provides what @tauri-apps/api reads from
 * window.__TAURI_INTERNALS__ and hands every invoke, as JSON text, to the
 * bridge script in the isolated world through CustomEvents whose names
 * are derived from a per-view random token that only this closure and the
 * bridge know. Only strings cross between the two worlds.
 */
(function () {
  'use strict';

  /* Per-view values, generated as JSON by the web host. */
  const CONFIG = ISTHMUS_CONFIG_JSON;

  /* Originals, captured before any page script runs. */
  const W = window;
  const doc = document;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;
  const create = Object.create;
  const fromEntries = Object.fromEntries;
  const arrayFrom = Array.from;
  const jsonStringify = JSON.stringify;
  const jsonParse = JSON.parse;
  const NativeMap = Map;
  const NativePromise = Promise;
  const NativeCustomEvent = CustomEvent;
  const NativeUint8Array = Uint8Array;
  const NativeUint32Array = Uint32Array;
  const NativeArrayBuffer = ArrayBuffer;
  const NativeString = String;
  const MAX_SAFE_INTEGER = Number.MAX_SAFE_INTEGER;
  const getRandomValues = crypto.getRandomValues.bind (crypto);
  const mapGet = NativeMap.prototype.get;
  const mapSet = NativeMap.prototype.set;
  const mapHas = NativeMap.prototype.has;
  const mapDelete = NativeMap.prototype.delete;
  const mapEntries = NativeMap.prototype.entries;
  const apply = Reflect.apply;
  const dispatchEvent = EventTarget.prototype.dispatchEvent;
  const addEventListener = EventTarget.prototype.addEventListener;
  const detailGetter = Object.getOwnPropertyDescriptor (NativeCustomEvent.prototype, 'detail').get;
  const stringIndexOf = NativeString.prototype.indexOf;
  const stringSlice = NativeString.prototype.slice;
  const stringCharCodeAt = NativeString.prototype.charCodeAt;
  const consoleWarn = console.warn;
  const isView = NativeArrayBuffer.isView;
  const bufferSlice = NativeArrayBuffer.prototype.slice;
  const portPostMessage = MessagePort.prototype.postMessage;
  const stopImmediatePropagation = Event.prototype.stopImmediatePropagation;

  const SERIALIZE_TO_IPC_FN = '__TAURI_TO_IPC_KEY__';
  const REQUEST_EVENT = 'isthmus-' + CONFIG.token + '-q';
  const REPLY_EVENT = 'isthmus-' + CONFIG.token + '-r';

  if (W.__TAURI_INTERNALS__ !== undefined)
    return;

  const callbacks = new NativeMap ();
  const pending = new NativeMap ();
  let nextRequestId = 1;
  /* Texts longer than this cross to the bridge, and back, without the id
   * in front of them. */
  const SPLIT_LENGTH = 16384;

  /* The hot path calls the captured originals without allocating: bound
   * to their fixed receivers, or through Reflect.apply with argument
   * lists reused (apply copies them before the call runs). */
  const callbacksGet = mapGet.bind (callbacks);
  const callbacksSet = mapSet.bind (callbacks);
  const callbacksDelete = mapDelete.bind (callbacks);
  const pendingGet = mapGet.bind (pending);
  const pendingSet = mapSet.bind (pending);
  const pendingDelete = mapDelete.bind (pending);
  const dispatchToDocument = dispatchEvent.bind (doc);
  const NO_ARGS = freeze ([]);
  const args1 = [undefined];
  const args2 = [undefined, undefined];

  function call1 (fn, self, a) {
    args1[0] = a;
    return apply (fn, self, args1);
  }

  function call2 (fn, self, a, b) {
    args2[0] = a;
    args2[1] = b;
    return apply (fn, self, args2);
  }

  /* Callback ids, random as in Tauri, drawn from a pool filled 64 at a
   * time. */
  const randomPool = new NativeUint32Array (64);
  let randomNext = randomPool.length;

  function randomId () {
    if (randomNext === randomPool.length)
      {
        getRandomValues (randomPool);
        randomNext = 0;
      }
    return randomPool[randomNext++];
  }

  function transformCallback (callback, once) {
    const id = randomId ();
    callbacksSet (id, function (data) {
      if (once)
        callbacksDelete (id);
      return callback && callback (data);
    });
    return id;
  }

  function unregisterCallback (id) {
    callbacksDelete (id);
  }

  function runCallback (id, data) {
    const cb = callbacksGet (id);
    if (cb)
      cb (data);
    else
      apply (consoleWarn, console, ['[TAURI] Couldn\'t find callback id ' + id +
        '. This might happen when the app is reloaded while Rust is running an asynchronous operation.']);
  }

  const TOO_LARGE = freeze ({});
  let serialisedLength = 0;

  /* Tauri's IPC replacer: Map → object, Uint8Array and ArrayBuffer →
   * byte arrays, objects with __TAURI_TO_IPC_KEY__ → its result. toJSON
   * runs before the replacer, as in JSON.stringify itself. */
  function replacer (key, value) {
    if (typeof value === 'string')
      {
        /* Each UTF-16 unit is at least one byte: stop serialising as soon
         * as the strings alone exceed the limit. */
        serialisedLength += value.length;
        if (serialisedLength > CONFIG.maxBytes)
          throw TOO_LARGE;
        return value;
      }
    if (value instanceof NativeMap)
      return fromEntries (apply (mapEntries, value, []));
    if (value instanceof NativeUint8Array)
      return arrayFrom (value);
    if (value instanceof NativeArrayBuffer)
      return arrayFrom (new NativeUint8Array (value));
    if (value !== null && typeof value === 'object' && SERIALIZE_TO_IPC_FN in value &&
        typeof value[SERIALIZE_TO_IPC_FN] === 'function')
      return value[SERIALIZE_TO_IPC_FN] ();
    return value;
  }

  /* The UTF-8 length of @text if it is at most @limit, else -1; never
   * more than one pass. */
  function utf8LengthWithin (text, limit) {
    const n = text.length;
    let bytes = 0;
    if (n > limit)
      return -1;
    if (n * 3 <= limit)
      return 0;
    for (let i = 0; i < n; i++)
      {
        const c = text.charCodeAt (i);
        if (c < 0x80)
          bytes += 1;
        else if (c < 0x800)
          bytes += 2;
        else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n &&
                 text.charCodeAt (i + 1) >= 0xdc00 && text.charCodeAt (i + 1) <= 0xdfff)
          {
            bytes += 4;
            i++;
          }
        else
          bytes += 3;
        if (bytes > limit)
          return -1;
      }
    return bytes;
  }

  function tooLargeValue () {
    return 'PAYLOAD_TOO_LARGE: message exceeds the limit of ' + CONFIG.maxBytes + ' bytes';
  }

  function settle (message, ok, value) {
    runCallback (ok ? message.callback : message.error, value);
  }

  /* A reply's JSON text as a value. A long one that is a single string
   * with no escape and no quote inside is that string's characters
   * between the quotes: a substring shares them, where JSON.parse ()
   * would copy them all. The core writes only valid JSON, so nothing else
   * can stand between those quotes. */
  const SHARE_MIN = 4096;

  function parseReply (text) {
    const n = text.length;

    if (n >= SHARE_MIN && call1 (stringCharCodeAt, text, 0) === 0x22 &&
        call1 (stringCharCodeAt, text, n - 1) === 0x22 &&
        call1 (stringIndexOf, text, '\\') < 0 &&
        call2 (stringIndexOf, text, '"', 1) === n - 1)
      return call2 (stringSlice, text, 1, n - 1);
    return jsonParse (text);
  }

  /* Settles @entry with a reply's JSON text: the value, or for an error
   * ({code, message, value}) the value itself, as Tauri rejects. */
  function settleText (entry, ok, text) {
    let value;

    try
      {
        value = parseReply (text);
      }
    catch (e)
      {
        settle (entry, false, 'INTERNAL: unreadable reply');
        return;
      }
    if (ok)
      {
        if (entry.onOk)
          entry.onOk (value);
        settle (entry, true, value);
      }
    else
      settle (entry, false,
              value !== null && typeof value === 'object' && 'value' in value ? value.value : value);
  }

  /* A long reply comes as two events: a number, twice the id plus one
   * for success, then the text as it is (see the bridge's reply()). */
  let splitReply = -1;

  function onReply (event) {
    const detail = apply (detailGetter, event, NO_ARGS);
    let first, second, id, entry;

    if (typeof detail === 'number')
      {
        splitReply = detail >= 0 && detail <= MAX_SAFE_INTEGER ? detail : -1;
        return;
      }
    if (typeof detail !== 'string')
      {
        splitReply = -1;
        return;
      }
    if (splitReply >= 0)
      {
        const ok = splitReply % 2 === 1;

        id = (splitReply - splitReply % 2) / 2;
        splitReply = -1;
        entry = pendingGet (id);
        if (entry === undefined)
          return;
        pendingDelete (id);
        settleText (entry, ok, detail);
        return;
      }
    first = call1 (stringIndexOf, detail, ' ');
    second = call2 (stringIndexOf, detail, ' ', first + 1);
    if (first < 0 || second < 0)
      return;
    id = +call2 (stringSlice, detail, 0, first);
    entry = pendingGet (id);
    if (entry === undefined)
      return;
    pendingDelete (id);

    settleText (entry, second === first + 2 && call1 (stringCharCodeAt, detail, first + 1) === 0x6f,
                call1 (stringSlice, detail, second + 1));
  }

  apply (addEventListener, doc, [REPLY_EVENT, onReply, true]);

  /* The raw transport: ArrayBuffer and typed-array args go, transferred,
   * through the port the bridge posts at document start (the first such
   * message wins), and come back as an ArrayBuffer or JSON text. */
  let rawPort = null;
  const rawQueue = [];

  function onRawReply (event) {
    const reply = event.data;
    let entry;

    if (reply === null || typeof reply !== 'object')
      return;
    entry = pendingGet (reply.id);
    if (entry === undefined)
      return;
    pendingDelete (reply.id);

    if (reply.ok && reply.raw instanceof NativeArrayBuffer)
      {
        settle (entry, true, reply.raw);
        return;
      }
    settleText (entry, reply.ok, reply.text);
  }

  apply (addEventListener, W, ['message', function (event) {
    if (rawPort !== null || event.data !== 'isthmus-raw-port' ||
        !event.ports || event.ports.length !== 1)
      return;
    apply (stopImmediatePropagation, event, []);
    rawPort = event.ports[0];
    rawPort.onmessage = onRawReply;
    for (let i = 0; i < rawQueue.length; i++)
      apply (portPostMessage, rawPort, rawQueue[i]);
    rawQueue.length = 0;
  }, true]);

  function isRaw (payload) {
    return payload instanceof NativeArrayBuffer || isView (payload);
  }

  function rawPost (message, onOk, id) {
    const payload = message.payload;
    let body, request;

    if (payload instanceof NativeArrayBuffer)
      body = apply (bufferSlice, payload, [0]);
    else
      body = apply (bufferSlice, payload.buffer, [payload.byteOffset, payload.byteOffset + payload.byteLength]);
    if (body.byteLength > CONFIG.maxBytes)
      {
        settle (message, false, tooLargeValue ());
        return;
      }

    pendingSet (id, { callback: message.callback, error: message.error, onOk });
    request = [{ id, cmd: message.cmd, body }, [body]];
    if (rawPort !== null)
      apply (portPostMessage, rawPort, request);
    else
      rawQueue[rawQueue.length] = request;
  }

  /* The transport: the whole Tauri message goes to the bridge as JSON. */
  function postMessage (message, onOk) {
    let text;
    const id = nextRequestId++;

    if (isRaw (message.payload))
      {
        rawPost (message, onOk, id);
        return;
      }

    serialisedLength = 0;
    try
      {
        text = jsonStringify (message, replacer);
      }
    catch (e)
      {
        settle (message, false, e === TOO_LARGE ? tooLargeValue () :
                'BAD_MESSAGE: ' + NativeString (e && e.message));
        return;
      }
    if (typeof text !== 'string')
      {
        settle (message, false, 'BAD_MESSAGE: the message is not serialisable');
        return;
      }
    if (utf8LengthWithin (text, CONFIG.maxBytes) < 0)
      {
        settle (message, false, tooLargeValue ());
        return;
      }

    pendingSet (id, { callback: message.callback, error: message.error, onOk });
    if (text.length > SPLIT_LENGTH)
      {
        /* A long text goes as it is, after its id: "id text" would be a
         * rope that the bridge flattens, one more copy of the message. */
        dispatchToDocument (new NativeCustomEvent (REQUEST_EVENT, { detail: id }));
        dispatchToDocument (new NativeCustomEvent (REQUEST_EVENT, { detail: text }));
      }
    else
      dispatchToDocument (new NativeCustomEvent (REQUEST_EVENT, { detail: id + ' ' + text }));
  }

  function ipc (message, onOk) {
    postMessage (message, onOk);
  }

  /* The page-side event listener table (contract §3.4). */
  const LISTENERS_OBJECT = '__internal_unstable_listeners_object_id__';
  const LISTENERS_FUNCTION = '__internal_unstable_listeners_function_id__';
  const listeners = create (null);

  function registerListener (event, eventId, target, handlerId) {
    if (listeners[event] === undefined)
      defineProperty (listeners, event, { value: create (null), configurable: true });
    defineProperty (listeners[event], eventId, {
      value: { target, handlerId },
      configurable: true,
    });
  }

  function unregisterListener (event, eventId) {
    const table = listeners[event];
    const entry = table !== undefined ? table[eventId] : undefined;
    if (entry === undefined)
      return;
    delete table[eventId];
    unregisterCallback (entry.handlerId);
  }

  function deliverEvent (eventData, ids) {
    const table = eventData && listeners[eventData.event];
    if (table === undefined || !ids)
      return;
    for (let i = 0; i < ids.length; i++)
      {
        const entry = table[ids[i]];
        if (entry !== undefined)
          {
            eventData.id = ids[i];
            runCallback (entry.handlerId, eventData);
          }
      }
  }

  /* Called by the core through call_async_javascript_function, with the
   * values as arguments: one emit into this page, parsed once. */
  function deliverFromCore (event, payloadText, idsText) {
    const table = listeners[event];
    let found = false;
    let ids;

    if (table === undefined)
      return;
    ids = jsonParse (idsText);
    for (let i = 0; i < ids.length && !found; i++)
      found = table[ids[i]] !== undefined;
    if (found)
      deliverEvent ({ event, payload: jsonParse (payloadText) }, ids);
  }

  /* One channel message: kind 'json' (JSON text), 'raw' (base64) or
   * 'end'. */
  function channelFromCore (id, index, kind, message) {
    if (kind === 'end')
      runCallback (id, { end: true, index });
    else if (kind === 'raw')
      {
        const text = atob (message);
        const bytes = new NativeUint8Array (text.length);
        for (let i = 0; i < text.length; i++)
          bytes[i] = text.charCodeAt (i);
        runCallback (id, { message: bytes.buffer, index });
      }
    else
      runCallback (id, { message: jsonParse (message), index });
  }

  function invoke (cmd, payload, options) {
    if (payload === undefined)
      payload = {};
    return new NativePromise (function (resolve, reject) {
      /* Two one-shot callbacks, as transformCallback () registers them;
       * whichever runs removes both. */
      const callback = randomId ();
      const error = randomId ();

      callbacksSet (callback, function (r) {
        callbacksDelete (callback);
        callbacksDelete (error);
        resolve (r);
      });
      callbacksSet (error, function (e) {
        callbacksDelete (callback);
        callbacksDelete (error);
        reject (e);
      });
      let onOk = null;

      if (cmd === 'plugin:event|listen' && payload !== null && typeof payload === 'object')
        {
          const event = payload.event;
          const target = payload.target;
          const handlerId = payload.handler;
          onOk = function (eventId) {
            registerListener (event, eventId, target, handlerId);
          };
        }

      internals.ipc ({ cmd, callback, error, payload, options }, onOk);
    });
  }

  function convertFileSrc (filePath, protocol) {
    if (protocol === undefined)
      protocol = 'asset';
    return protocol + '://localhost/' + encodeURIComponent (filePath);
  }

  const internals = {};
  const readOnly = function (obj, name, value) {
    defineProperty (obj, name, { value, enumerable: true });
  };

  internals.plugins = {};
  readOnly (internals.plugins, 'path', freeze ({ sep: CONFIG.sep, delimiter: CONFIG.delimiter }));
  readOnly (internals, 'metadata', freeze ({
    currentWindow: freeze ({ label: CONFIG.windowLabel }),
    currentWebview: freeze ({ label: CONFIG.webviewLabel }),
  }));
  readOnly (internals, '__TAURI_PATTERN__', freeze (CONFIG.pattern === 'isolation' ?
                                                    { pattern: 'isolation', side: 'original' } :
                                                    { pattern: 'brownfield' }));
  readOnly (internals, 'postMessage', freeze (function (message) { postMessage (message, null); }));
  readOnly (internals, 'ipc', freeze (ipc));
  readOnly (internals, 'transformCallback', transformCallback);
  readOnly (internals, 'unregisterCallback', unregisterCallback);
  readOnly (internals, 'runCallback', runCallback);
  readOnly (internals, 'callbacks', callbacks);
  readOnly (internals, 'invoke', invoke);
  readOnly (internals, 'convertFileSrc', convertFileSrc);
  defineProperty (internals, '__isthmusEvent', { value: deliverFromCore });
  defineProperty (internals, '__isthmusChannel', { value: channelFromCore });

  defineProperty (W, '__TAURI_INTERNALS__', { value: internals });
  defineProperty (W, 'isTauri', { value: true });
  defineProperty (W, '__TAURI_EVENT_PLUGIN_INTERNALS__', {
    value: freeze ({ unregisterListener }),
  });
  defineProperty (W, LISTENERS_OBJECT, { value: listeners });
  defineProperty (W, LISTENERS_FUNCTION, { value: deliverEvent });

  if (!CONFIG.withGlobalTauri)
    return;

  /* window.__TAURI__, built on the same internals as @tauri-apps/api. */
  class Channel {
    #onmessage;
    #next = 0;
    #pendingMessages = [];
    #endIndex = undefined;

    constructor (onmessage) {
      this.#onmessage = onmessage || function () {};
      this.id = transformCallback ((raw) => {
        const index = raw.index;
        if ('end' in raw)
          {
            if (index === this.#next)
              this.cleanupCallback ();
            else
              this.#endIndex = index;
            return;
          }
        this.#pendingMessages[index] = raw.message;
        while (this.#next in this.#pendingMessages)
          {
            const message = this.#pendingMessages[this.#next];
            delete this.#pendingMessages[this.#next];
            this.#next++;
            try
              {
                this.#onmessage (message);
              }
            catch (e)
              {
                queueMicrotask (() => { throw e; });
              }
          }
        if (this.#next === this.#endIndex)
          this.cleanupCallback ();
      }, false);
    }

    cleanupCallback () {
      unregisterCallback (this.id);
    }

    set onmessage (handler) {
      this.#onmessage = handler;
    }

    get onmessage () {
      return this.#onmessage;
    }

    [SERIALIZE_TO_IPC_FN] () {
      return '__CHANNEL__:' + this.id;
    }

    toJSON () {
      return this[SERIALIZE_TO_IPC_FN] ();
    }
  }

  function unlisten (event, eventId) {
    unregisterListener (event, eventId);
    return invoke ('plugin:event|unlisten', { event, eventId });
  }

  function listen (event, handler, options) {
    const target = options && typeof options.target === 'string' ?
      { kind: 'AnyLabel', label: options.target } :
      (options && options.target) || { kind: 'Any' };
    return invoke ('plugin:event|listen', {
      event,
      target,
      handler: transformCallback (handler, false),
    }).then (function (eventId) {
      return function () { return unlisten (event, eventId); };
    });
  }

  function once (event, handler, options) {
    return listen (event, function (eventData) {
      unlisten (event, eventData.id).catch (function () {});
      handler (eventData);
    }, options);
  }

  function emit (event, payload) {
    return invoke ('plugin:event|emit', { event, payload }).then (function () {});
  }

  function emitTo (target, event, payload) {
    const eventTarget = typeof target === 'string' ? { kind: 'AnyLabel', label: target } : target;
    return invoke ('plugin:event|emit_to', { target: eventTarget, event, payload }).then (function () {});
  }

  defineProperty (W, '__TAURI__', {
    value: freeze ({
      core: freeze ({
        invoke,
        transformCallback,
        convertFileSrc,
        isTauri: function () { return true; },
        Channel,
        SERIALIZE_TO_IPC_FN,
      }),
      event: freeze ({ listen, once, emit, emitTo }),
    }),
  });
}) ();

/* isthmus-bridge.js
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The isolated-world half of the Isthmus bridge, injected into the top
 * frame at document start in a script world with a random name. Only this
 * world can see the "isthmusIpc" script message handler. It takes the
 * page script's requests (JSON text) from CustomEvents named after the
 * per-view token, enforces the size cap, posts the text to the handler
 * and sends the reply text back the same way.
 */
(function () {
  'use strict';

  /* Per-view values, generated as JSON by the web host. */
  const CONFIG = ISTHMUS_CONFIG_JSON;

  const handlers = window.webkit && window.webkit.messageHandlers;
  const handler = handlers ? handlers.isthmusIpc : undefined;
  const doc = document;
  const REQUEST_EVENT = 'isthmus-' + CONFIG.token + '-q';
  const REPLY_EVENT = 'isthmus-' + CONFIG.token + '-r';

  if (handler === undefined)
    return;

  /* Texts longer than this cross without the id in front of them: "id o
   * text" would be a rope that the page flattens, one more copy of the
   * reply. The id goes first, alone, as twice its value plus one for
   * success. */
  const SPLIT_LENGTH = 16384;

  function reply (id, ok, text) {
    if (text.length > SPLIT_LENGTH)
      {
        doc.dispatchEvent (new CustomEvent (REPLY_EVENT, { detail: 2 * id + (ok ? 1 : 0) }));
        doc.dispatchEvent (new CustomEvent (REPLY_EVENT, { detail: text }));
        return;
      }
    doc.dispatchEvent (new CustomEvent (REPLY_EVENT, { detail: id + (ok ? ' o ' : ' e ') + text }));
  }

  function fromBase64 (text) {
    if (typeof Uint8Array.fromBase64 === 'function')
      return Uint8Array.fromBase64 (text);
    const binary = atob (text);
    const bytes = new Uint8Array (binary.length);
    for (let i = 0; i < binary.length; i++)
      bytes[i] = binary.charCodeAt (i);
    return bytes;
  }

  /* A raw reply to an ordinary invoke: "\1" and the bytes in base64. The
   * page receives an ArrayBuffer, as from Tauri, over the raw port
   * (isthmus-bridge-raw.js); without it, the array of byte values Tauri
   * sends when its channel is blocked. */
  function replyBytes (id, text) {
    const buffer = fromBase64 (text.slice (1)).buffer;
    const send = window.__isthmusRawReply;
    if (typeof send === 'function')
      send (+id, buffer);
    else
      reply (id, true, JSON.stringify (Array.from (new Uint8Array (buffer))));
  }

  function errorText (code, message) {
    return JSON.stringify ({ code, message, value: code + ': ' + message });
  }

  /* TRUE if the UTF-8 form of @text fits in @limit bytes; each UTF-16
   * unit is at most three bytes, so the exact count is needed only in
   * between. */
  function fits (text, limit) {
    const n = text.length;
    let bytes = 0;
    if (n > limit)
      return false;
    if (n * 3 <= limit)
      return true;
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
          return false;
      }
    return true;
  }

  /* The handler rejects with an Error whose message is the JSON text
   * {code, message, value}; anything else is an internal failure. */
  function unwrapError (error) {
    const text = error && typeof error.message === 'string' ? error.message : String (error);
    try
      {
        const parsed = JSON.parse (text);
        if (parsed !== null && typeof parsed === 'object' && 'code' in parsed && 'value' in parsed)
          return text;
      }
    catch (e)
      {
        /* Not ours: reported as INTERNAL below. */
      }
    return errorText ('INTERNAL', text);
  }

  /* Isolation pattern: isthmus-bridge-isolation.js, in this world, carries
   * each request through the isolation frame; there is no plaintext path. */
  function isolationPost (text) {
    const send = window.__isthmusIsolationSend;
    if (typeof send !== 'function')
      return Promise.reject (new Error (errorText ('ISOLATION_UNAVAILABLE', 'the isolation bridge is missing')));
    return send (text);
  }

  /* Follows one reply of the core to the page. */
  function onValue (id, value) {
    if (typeof value !== 'string')
      reply (id, false, errorText ('INTERNAL', 'the core did not reply'));
    else if (value.charCodeAt (0) === 1)
      replyBytes (id, value);
    else
      reply (id, true, value);
  }

  function track (id, promise) {
    promise.then (function (value) {
      try
        {
          onValue (id, value);
        }
      catch (e)
        {
          reply (id, false, errorText ('INTERNAL', 'unreadable reply'));
        }
    }, function (error) {
      reply (id, false, unwrapError (error));
    });
  }

  function postToCore (text) {
    return handler.postMessage (text);
  }

  /* Posts @text with @post and follows its reply to the page as @id's. */
  function postTracked (id, post, text) {
    let promise;
    try
      {
        promise = post (text);
      }
    catch (e)
      {
        reply (id, false, unwrapError (e));
        return;
      }
    track (id, promise);
  }

  function send (id, text) {
    postTracked (id, CONFIG.pattern === 'isolation' ? isolationPost : postToCore, text);
  }

  /* Batches (isthmus-batch.h): the calls made in one turn of the page
   * cross to the core in one message when there are several. Large
   * messages, and any holding a line feed, go alone. */
  const BATCH_ITEM_MAX = 16384;
  const BATCH_MAX_ITEMS = 256;
  /* In UTF-8 bytes, at most three per UTF-16 unit: a batch never exceeds
   * the core's message limit, which it checks as a whole. */
  const BATCH_MAX_BYTES = Math.min (262144, CONFIG.maxBytes);
  const enqueueMicrotask = queueMicrotask.bind (window);
  let queue = null;
  let queuedLength = 0;

  function failAll (items, text) {
    for (let i = 0; i < items.length; i += 2)
      reply (items[i], false, text);
  }

  function wait (id, late) {
    postTracked (id, postToCore, '\u0003' + late);
  }

  function onBatchReply (items, value) {
    let start = 0;

    if (typeof value !== 'string')
      {
        failAll (items, errorText ('INTERNAL', 'the core did not reply'));
        return;
      }
    for (let i = 0; i < items.length; i += 2)
      {
        const id = items[i];
        let end;

        if (start > value.length)
          {
            reply (id, false, errorText ('INTERNAL', 'the core did not reply'));
            continue;
          }
        end = value.indexOf ('\n', start);
        if (end < 0)
          end = value.length;
        /* One unreadable line must not leave the others unanswered. */
        try
          {
            switch (value.charCodeAt (start))
              {
              case 0x6f: /* o */
                reply (id, true, value.slice (start + 1, end));
                break;
              case 0x65: /* e */
                reply (id, false, value.slice (start + 1, end));
                break;
              case 0x72: /* r */
                replyBytes (id, '\u0001' + value.slice (start + 1, end));
                break;
              case 0x70: /* p */
                wait (id, value.slice (start + 1, end));
                break;
              default:
                reply (id, false, errorText ('INTERNAL', 'unreadable reply'));
              }
          }
        catch (e)
          {
            reply (id, false, errorText ('INTERNAL', 'unreadable reply'));
          }
        start = end + 1;
      }
  }

  function flush () {
    const items = queue;
    let body, promise;

    queue = null;
    queuedLength = 0;
    if (items === null)
      return;
    if (items.length === 2)
      {
        send (items[0], items[1]);
        return;
      }

    body = '\u0002' + items[1];
    for (let i = 3; i < items.length; i += 2)
      body += '\n' + items[i];
    try
      {
        promise = handler.postMessage (body);
      }
    catch (e)
      {
        failAll (items, unwrapError (e));
        return;
      }
    promise.then (function (value) {
      onBatchReply (items, value);
    }, function (error) {
      failAll (items, unwrapError (error));
    });
  }

  function enqueue (id, text) {
    if (CONFIG.pattern === 'isolation' || text.length > BATCH_ITEM_MAX || text.indexOf ('\n') >= 0)
      {
        flush ();
        send (id, text);
        return;
      }
    const cost = 3 * text.length + 1;

    if (queue !== null && queuedLength + cost > BATCH_MAX_BYTES)
      flush ();
    if (queue === null)
      {
        queue = [];
        enqueueMicrotask (flush);
      }
    queue[queue.length] = id;
    queue[queue.length] = text;
    queuedLength += cost;
    if (queue.length >= 2 * BATCH_MAX_ITEMS)
      flush ();
  }

  /* A long request comes as two events: its id, a number, then the text
   * as it is. */
  let splitId = -1;

  doc.addEventListener (REQUEST_EVENT, function (event) {
    const detail = event.detail;
    let space, id, text;

    if (typeof detail === 'number')
      {
        splitId = Number.isSafeInteger (detail) && detail > 0 ? detail : -1;
        return;
      }
    if (typeof detail !== 'string')
      {
        splitId = -1;
        return;
      }
    if (splitId > 0)
      {
        id = splitId;
        text = detail;
        splitId = -1;
      }
    else
      {
        space = detail.indexOf (' ');
        if (space <= 0)
          return;
        id = detail.slice (0, space);
        text = detail.slice (space + 1);
      }
    /* No JSON text starts with a control character below the tab: the
     * batch and wait marks of the transport cannot come from the page. */
    if (text.length > 0 && text.charCodeAt (0) < 0x09)
      {
        reply (id, false, errorText ('BAD_MESSAGE', 'the message is not JSON text'));
        return;
      }

    if (!fits (text, CONFIG.maxBytes))
      {
        reply (id, false, errorText ('PAYLOAD_TOO_LARGE',
                                     'message exceeds the limit of ' + CONFIG.maxBytes + ' bytes'));
        return;
      }

    enqueue (id, text);
  }, true);
}) ();

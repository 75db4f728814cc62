/* isthmus-bridge-isolation.js
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The bridge's isolation half, injected only in the isolation pattern into
 * the top frame at document start, in the bridge's isolated script world
 * (the page cannot see anything defined here). It:
 *  - asks the core for this page load's isolation URL ("H"; one per load),
 *  - at DOMContentLoaded creates the hidden iframe #__tauri_isolation__
 *    (sandbox="allow-scripts", so its origin is opaque), keeps the
 *    reference, and watches it with a MutationObserver: if it is removed,
 *    changed or navigated, isolation fails closed (ISOLATION_UNAVAILABLE),
 *  - talks to the frame with window.postMessage: requests go to
 *    iframe.contentWindow of the iframe it created, and only trusted
 *    `message` events whose source is that window are taken as replies,
 *  - queues requests until the frame says it is ready (10 s at most),
 *  - and defines window.__isthmusIsolationSend (in this world only), which
 *    isthmus-bridge.js calls instead of posting plaintext.
 *
 * Why window.postMessage and not a private MessagePort: a MessagePort
 * round trip costs about 1 ms in WebKitGTK, window.postMessage about
 * 70 µs. What the port hid, and why that is acceptable:
 *  - The page's main world sees the frame's replies (window `message`
 *    events are dispatched to every world) and can post requests to the
 *    frame itself. Requests hold only what the page asked for anyway.
 *    The frame runs the hook on everything it signs, so an envelope the
 *    page obtains is one the hook let through; and the page world cannot
 *    reach the script message handler, so it cannot hand that envelope
 *    to the core. A captured envelope replayed by anyone is refused by
 *    the core's replay window, and one moved to another call, webview or
 *    page load fails the AAD binding (webview, epoch, seq, cmd, callback,
 *    error).
 *  - The page cannot make this world take its envelope as a reply: a
 *    reply counts only if the event is trusted (not dispatchEvent()),
 *    comes from the window of the iframe created here, and carries the
 *    id of a call that is waiting. Ids are 128 random bits that only
 *    travel in requests (which the page does not see) and are forgotten
 *    at the first reply, so the one reply per id that the page sees has
 *    already been taken.
 *  - If the page navigates the frame, its next load fails closed, and
 *    whatever a foreign document in the frame answers meanwhile is a
 *    forgery the core rejects. Removing or changing the frame fails
 *    closed at once.
 *  - The listener is registered in the capture phase at document start,
 *    before any page script runs, so the page cannot stop it; the page can
 *    at most refuse service to its own calls, which it can always do.
 *
 * What goes to the core for one call is
 *   "E" encryptUs " " frameLegUs "\n" envelope "\n" original
 * The verdict and the hook time are inside the envelope (authenticated);
 * encryptUs is measured in the frame and carried in its reply, frameLegUs
 * is measured here from sending the request to getting the envelope, and
 * the original text is informational, for the record (left out above
 * ORIGINAL_MAX characters, so that large calls do not cross twice).
 */
(function () {
  'use strict';

  const CONFIG = ISTHMUS_CONFIG_JSON;
  const ORIGINAL_MAX = 64 * 1024;

  if (CONFIG.pattern !== 'isolation')
    return;

  const W = window;
  const handlers = W.webkit && W.webkit.messageHandlers;
  const handler = handlers ? handlers.isthmusIpc : undefined;
  const doc = document;
  const READY_TIMEOUT_MS = 10000;

  if (handler === undefined)
    return;

  let state = 'starting';
  let deadReason = null;
  let url = null;
  let iframe = null;
  let frameWindow = null;
  let loads = 0;
  const queue = [];
  const waiting = new Map ();
  const idBytes = new Uint32Array (4);

  /* 128 random bits as 32 hex digits. */
  function newId () {
    crypto.getRandomValues (idBytes);
    let id = '';
    for (let i = 0; i < 4; i++)
      id += (idBytes[i] + 0x100000000).toString (16).slice (1);
    return id;
  }

  function errorText (code, message) {
    return JSON.stringify ({ code, message, value: code + ': ' + message });
  }

  function unavailable (message) {
    return new Error (errorText ('ISOLATION_UNAVAILABLE', message));
  }

  /* Fails closed: every queued and waiting call is answered at once, and
   * so is every later one. */
  function die (reason) {
    if (state === 'dead')
      return;
    state = 'dead';
    deadReason = reason;
    for (const entry of queue.splice (0))
      entry.reject (unavailable (reason));
    for (const entry of waiting.values ())
      entry.reject (unavailable (reason));
    waiting.clear ();
  }

  function dispatch (entry) {
    if (!iframe.isConnected || iframe.contentWindow !== frameWindow)
      {
        die ('the isolation frame was removed from the page');
        entry.reject (unavailable (deadReason));
        return;
      }
    waiting.set (entry.id, entry);
    entry.sentAt = performance.now ();
    frameWindow.postMessage ({ t: 'req', id: entry.id, text: entry.text }, '*');
  }

  function onFrameMessage (event) {
    if (frameWindow === null || event.source !== frameWindow || !event.isTrusted || state === 'dead')
      return;
    const data = event.data;
    if (data === null || typeof data !== 'object')
      return;

    switch (data.t)
      {
      case 'ready':
        if (state !== 'loading')
          return;
        state = 'ready';
        for (const entry of queue.splice (0))
          dispatch (entry);
        break;

      case 'env':
        {
          const id = data.id;
          const env = data.env;
          const entry = typeof id === 'string' ? waiting.get (id) : undefined;
          if (entry === undefined || typeof env !== 'string')
            return;
          waiting.delete (id);
          const frameLegUs = Math.round ((performance.now () - entry.sentAt) * 1000);
          const framed = 'E' + (data.encryptUs >>> 0) + ' ' + frameLegUs + '\n' +
            env + '\n' + (entry.text.length <= ORIGINAL_MAX ? entry.text : '');
          let promise;
          try
            {
              promise = handler.postMessage (framed);
            }
          catch (e)
            {
              entry.reject (e);
              return;
            }
          promise.then (entry.resolve, entry.reject);
        }
        break;

      case 'fail':
        {
          const id = data.id;
          const entry = typeof id === 'string' ? waiting.get (id) : undefined;
          if (entry === undefined)
            return;
          waiting.delete (id);
          entry.reject (new Error (errorText ('INTERNAL', String (data.text))));
        }
        break;

      case 'console':
        handler.postMessage ('C' + String (data.level) + ' ' + String (data.text)).catch (function () {});
        break;

      case 'fatal':
        die (String (data.text));
        break;

      default:
        break;
      }
  }

  function watch () {
    const observer = new MutationObserver (function () {
      if (!iframe.isConnected)
        die ('the isolation frame was removed from the page');
      else if (iframe.getAttribute ('src') !== url || iframe.getAttribute ('sandbox') !== 'allow-scripts')
        die ('the isolation frame was changed by the page');
    });
    observer.observe (doc, { childList: true, subtree: true, attributes: true,
                             attributeFilter: ['src', 'sandbox', 'srcdoc'] });
  }

  function createFrame () {
    if (state !== 'starting' || url === null || doc.readyState === 'loading')
      return;
    state = 'loading';

    iframe = doc.createElement ('iframe');
    iframe.id = '__tauri_isolation__';
    iframe.setAttribute ('sandbox', 'allow-scripts');
    iframe.setAttribute ('aria-hidden', 'true');
    iframe.tabIndex = -1;
    iframe.style.setProperty ('display', 'none', 'important');
    iframe.addEventListener ('load', function () {
      loads++;
      if (loads > 1)
        die ('the isolation frame navigated away');
    });
    iframe.setAttribute ('src', url);
    (doc.body || doc.documentElement).appendChild (iframe);
    /* The frame's window proxy stays the same across its navigations;
     * those are caught by the load count above. */
    frameWindow = iframe.contentWindow;
    watch ();

    setTimeout (function () {
      if (state === 'loading')
        die ('the isolation frame did not become ready within ' + READY_TIMEOUT_MS / 1000 +
             ' s: window.__TAURI_ISOLATION_HOOK__ must be a function or null');
    }, READY_TIMEOUT_MS);
  }

  handler.postMessage ('H').then (function (reply) {
    try
      {
        url = JSON.parse (reply).url;
      }
    catch (e)
      {
        url = null;
      }
    if (typeof url !== 'string' || !url.startsWith ('isolation://localhost/'))
      die ('the core gave no isolation URL');
    else
      createFrame ();
  }, function (error) {
    let message = String (error && error.message);
    try
      {
        message = JSON.parse (message).message;
      }
    catch (e)
      {
        /* Keep the raw text. */
      }
    die (message);
  });

  /* Before any page script can add a listener of its own. */
  W.addEventListener ('message', onFrameMessage, true);
  doc.addEventListener ('DOMContentLoaded', createFrame);

  function send (text) {
    return new Promise (function (resolve, reject) {
      if (state === 'dead')
        {
          reject (unavailable (deadReason));
          return;
        }
      const entry = { id: newId (), text, resolve, reject };
      if (state === 'ready')
        dispatch (entry);
      else
        queue.push (entry);
    });
  }

  Object.defineProperty (W, '__isthmusIsolationSend', { value: send });
}) ();

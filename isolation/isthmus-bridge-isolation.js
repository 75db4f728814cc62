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
 *  - on the iframe's load hands it one end of a MessageChannel; only that
 *    private port carries requests and envelopes,
 *  - queues requests until the frame says it is ready (10 s at most),
 *  - and defines window.__isthmusIsolationSend (in this world only), which
 *    isthmus-bridge.js calls instead of posting plaintext.
 *
 * What goes to the core for one call is
 *   "E" encryptUs " " sentAtMs "\n" envelope "\n" original
 * The verdict and the hook time are inside the envelope (authenticated);
 * encryptUs and sentAtMs are measured in the frame and carried over the
 * private port, and the original text is informational, for the record.
 */
(function () {
  'use strict';

  const CONFIG = ISTHMUS_CONFIG_JSON;

  if (CONFIG.pattern !== 'isolation')
    return;

  const handlers = window.webkit && window.webkit.messageHandlers;
  const handler = handlers ? handlers.isthmusIpc : undefined;
  const doc = document;
  const READY_TIMEOUT_MS = 10000;

  if (handler === undefined)
    return;

  let state = 'starting';
  let deadReason = null;
  let url = null;
  let iframe = null;
  let port = null;
  let loads = 0;
  let nextId = 1;
  const queue = [];
  const waiting = new Map ();

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
    if (port !== null)
      port.close ();
  }

  function dispatch (entry) {
    waiting.set (entry.id, entry);
    port.postMessage ({ id: entry.id, text: entry.text });
  }

  function onFrameMessage (event) {
    const data = event.data;
    if (data === null || typeof data !== 'object' || state === 'dead')
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
          const entry = waiting.get (data.id);
          if (entry === undefined || typeof data.env !== 'string')
            return;
          waiting.delete (data.id);
          const framed = 'E' + (data.encryptUs >>> 0) + ' ' + (+data.sentAt || 0) + '\n' +
            data.env + '\n' + entry.text;
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
          const entry = waiting.get (data.id);
          if (entry === undefined)
            return;
          waiting.delete (data.id);
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
        {
          die ('the isolation frame navigated away');
          return;
        }
      const channel = new MessageChannel ();
      port = channel.port1;
      port.onmessage = onFrameMessage;
      iframe.contentWindow.postMessage ('isthmus-isolation-port', '*', [channel.port2]);
    });
    iframe.setAttribute ('src', url);
    (doc.body || doc.documentElement).appendChild (iframe);
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

  doc.addEventListener ('DOMContentLoaded', createFrame);

  function send (text) {
    return new Promise (function (resolve, reject) {
      if (state === 'dead')
        {
          reject (unavailable (deadReason));
          return;
        }
      const entry = { id: nextId++, text, resolve, reject };
      if (state === 'ready')
        dispatch (entry);
      else
        queue.push (entry);
    });
  }

  Object.defineProperty (window, '__isthmusIsolationSend', { value: send });
}) ();

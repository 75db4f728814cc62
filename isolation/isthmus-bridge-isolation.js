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
 *  - defines window.__isthmusIsolationSend (in this world only), which
 *    isthmus-bridge.js calls instead of posting plaintext,
 *  - and window.__isthmusIsolationReplaceFrame, which the web layer calls
 *    when the isolation app was saved: a new frame from a new token ("H+",
 *    which the core answers only when the web layer armed it just before),
 *    a switch once it is ready, the old frame kept until the calls handed
 *    to it are answered ("H-<epoch>" then ends its epoch). The page is not
 *    reloaded.
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

  const RETIRE_TIMEOUT_MS = 30000;

  let state = 'starting';
  let deadReason = null;
  let url = null;
  let epoch = 0;
  let watching = false;
  /* The frame new calls go to; every frame of ours in the page (the
   * current one, one being loaded to replace it, old ones still answering
   * calls handed to them before a switch). */
  let current = null;
  const frames = new Set ();
  let replacing = null;
  const readyWaiters = [];
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
    for (const waiter of readyWaiters.splice (0))
      waiter.reject (unavailable (reason));
    for (const frame of frames)
      if (frame.fail !== null)
        frame.fail (unavailable (reason));
  }

  /* Removes an old frame once the calls handed to it are answered, and
   * lets the core forget its epoch. */
  function maybeRetire (frame) {
    if (!frame.retiring || frame.inFlight > 0 || !frames.has (frame))
      return;
    frames.delete (frame);
    frame.iframe.remove ();
    handler.postMessage ('H-' + frame.epoch).catch (function () {});
  }

  function settled (frame) {
    frame.inFlight--;
    maybeRetire (frame);
  }

  function dispatch (entry) {
    const frame = current;
    if (!frame.iframe.isConnected || frame.iframe.contentWindow !== frame.window)
      {
        die ('the isolation frame was removed from the page');
        entry.reject (unavailable (deadReason));
        return;
      }
    entry.frame = frame;
    frame.inFlight++;
    waiting.set (entry.id, entry);
    entry.sentAt = performance.now ();
    frame.window.postMessage ({ t: 'req', id: entry.id, text: entry.text }, '*');
  }

  function frameOf (source) {
    for (const frame of frames)
      if (frame.window === source)
        return frame;
    return null;
  }

  function onFrameMessage (event) {
    if (!event.isTrusted || state === 'dead')
      return;
    const frame = frameOf (event.source);
    if (frame === null)
      return;
    const data = event.data;
    if (data === null || typeof data !== 'object')
      return;

    switch (data.t)
      {
      case 'ready':
        if (frame.ready)
          return;
        frame.ready = true;
        if (frame.fail !== null)
          {
            /* A replacement: the switch happens in replaceFrame (). */
            frame.fail = null;
            frame.onReady ();
            return;
          }
        if (state !== 'loading' || frame !== current)
          return;
        state = 'ready';
        for (const entry of queue.splice (0))
          dispatch (entry);
        for (const waiter of readyWaiters.splice (0))
          waiter.resolve ();
        break;

      case 'env':
        {
          const id = data.id;
          const env = data.env;
          const entry = typeof id === 'string' ? waiting.get (id) : undefined;
          if (entry === undefined || entry.frame !== frame || typeof env !== 'string')
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
              settled (frame);
              return;
            }
          promise.then (entry.resolve, entry.reject).finally (function () {
            settled (frame);
          });
        }
        break;

      case 'fail':
        {
          const id = data.id;
          const entry = typeof id === 'string' ? waiting.get (id) : undefined;
          if (entry === undefined || entry.frame !== frame)
            return;
          waiting.delete (id);
          entry.reject (new Error (errorText ('INTERNAL', String (data.text))));
          settled (frame);
        }
        break;

      case 'console':
        handler.postMessage ('C' + String (data.level) + ' ' + String (data.text)).catch (function () {});
        break;

      case 'fatal':
        if (frame.fail !== null)
          frame.fail (unavailable (String (data.text)));
        else if (frame === current)
          die (String (data.text));
        break;

      default:
        break;
      }
  }

  function watch () {
    if (watching)
      return;
    watching = true;
    const observer = new MutationObserver (function () {
      for (const frame of frames)
        {
          if (!frame.iframe.isConnected)
            die ('the isolation frame was removed from the page');
          else if (frame.iframe.getAttribute ('src') !== frame.url ||
                   frame.iframe.getAttribute ('sandbox') !== 'allow-scripts')
            die ('the isolation frame was changed by the page');
        }
    });
    observer.observe (doc, { childList: true, subtree: true, attributes: true,
                             attributeFilter: ['src', 'sandbox', 'srcdoc'] });
  }

  /* Creates, adds and watches one isolation frame for @frameUrl. */
  function addFrame (frameUrl, frameEpoch) {
    const frame = { url: frameUrl, epoch: frameEpoch, iframe: doc.createElement ('iframe'),
                    window: null, loads: 0, ready: false, inFlight: 0, retiring: false,
                    fail: null, onReady: null };
    const iframe = frame.iframe;
    /* Only the current frame carries the id; a replacement takes it at
     * the switch. */
    if (current === null)
      iframe.id = '__tauri_isolation__';
    iframe.setAttribute ('sandbox', 'allow-scripts');
    iframe.setAttribute ('aria-hidden', 'true');
    iframe.tabIndex = -1;
    iframe.style.setProperty ('display', 'none', 'important');
    iframe.addEventListener ('load', function () {
      frame.loads++;
      if (frame.loads > 1 && frames.has (frame))
        die ('the isolation frame navigated away');
    });
    iframe.setAttribute ('src', frameUrl);
    frames.add (frame);
    (doc.body || doc.documentElement).appendChild (iframe);
    /* The frame's window proxy stays the same across its navigations;
     * those are caught by the load count above. */
    frame.window = iframe.contentWindow;
    watch ();
    return frame;
  }

  function createFrame () {
    if (state !== 'starting' || url === null || doc.readyState === 'loading')
      return;
    state = 'loading';
    current = addFrame (url, epoch);

    setTimeout (function () {
      if (state === 'loading')
        die ('the isolation frame did not become ready within ' + READY_TIMEOUT_MS / 1000 +
             ' s: window.__TAURI_ISOLATION_HOOK__ must be a function or null');
    }, READY_TIMEOUT_MS);
  }

  function parseError (error) {
    let message = String (error && error.message);
    try
      {
        message = JSON.parse (message).message;
      }
    catch (e)
      {
        /* Keep the raw text. */
      }
    return message;
  }

  handler.postMessage ('H').then (function (reply) {
    try
      {
        const info = JSON.parse (reply);
        url = info.url;
        epoch = info.epoch;
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
    die (parseError (error));
  });

  /* Before any page script can add a listener of its own. */
  W.addEventListener ('message', onFrameMessage, true);
  doc.addEventListener ('DOMContentLoaded', createFrame);

  function whenReady () {
    if (state === 'ready')
      return Promise.resolve ();
    if (state === 'dead')
      return Promise.reject (unavailable (deadReason));
    return new Promise (function (resolve, reject) {
      readyWaiters.push ({ resolve, reject });
    });
  }

  /* Loads a new frame from a new token, which the core issues only when
   * the web layer asked for this replacement ("H+"), and switches new
   * calls to it once it is ready. Calls handed to the old frame finish
   * there (the core keeps its epoch until "H-"); the old frame goes when
   * they are answered, or after RETIRE_TIMEOUT_MS, when the rest fail.
   * Resolves with the new epoch, or 0 when no frame was made yet (the
   * first one loads the isolation app as it is now). If the new frame
   * fails, the old one keeps serving and the promise rejects. */
  async function replace () {
    if (state === 'starting')
      return 0;
    await whenReady ();

    let reply;
    try
      {
        reply = await handler.postMessage ('H+');
      }
    catch (error)
      {
        throw unavailable (parseError (error));
      }
    const info = JSON.parse (reply);
    if (typeof info.url !== 'string' || !info.url.startsWith ('isolation://localhost/'))
      throw unavailable ('the core gave no isolation URL');
    if (state === 'dead')
      throw unavailable (deadReason);

    const frame = addFrame (info.url, info.epoch);
    try
      {
        await new Promise (function (resolve, reject) {
          frame.onReady = resolve;
          frame.fail = reject;
          setTimeout (function () {
            if (frame.fail !== null)
              frame.fail (unavailable ('the new isolation frame did not become ready within ' +
                                       READY_TIMEOUT_MS / 1000 + ' s'));
          }, READY_TIMEOUT_MS);
        });
      }
    catch (error)
      {
        frame.fail = null;
        frames.delete (frame);
        frame.iframe.remove ();
        if (state !== 'dead')
          handler.postMessage ('H-' + frame.epoch).catch (function () {});
        throw error;
      }

    const old = current;
    current = frame;
    old.iframe.removeAttribute ('id');
    frame.iframe.id = '__tauri_isolation__';
    old.retiring = true;
    maybeRetire (old);
    setTimeout (function () {
      if (!frames.has (old) || state === 'dead')
        return;
      for (const [id, entry] of waiting)
        if (entry.frame === old)
          {
            waiting.delete (id);
            entry.reject (unavailable ('the isolation hook was reloaded before the call was sealed'));
          }
      old.inFlight = 0;
      maybeRetire (old);
    }, RETIRE_TIMEOUT_MS);
    return frame.epoch;
  }

  function replaceFrame () {
    if (state === 'dead')
      return Promise.reject (unavailable (deadReason));
    if (replacing !== null)
      return Promise.reject (unavailable ('the isolation frame is being replaced already'));
    replacing = replace ().finally (function () {
      replacing = null;
    });
    return replacing;
  }

  function send (text) {
    return new Promise (function (resolve, reject) {
      if (state === 'dead')
        {
          reject (unavailable (deadReason));
          return;
        }
      const entry = { id: newId (), text, resolve, reject, frame: null, sentAt: 0 };
      if (state === 'ready')
        dispatch (entry);
      else
        queue.push (entry);
    });
  }

  Object.defineProperty (W, '__isthmusIsolationReplaceFrame', { value: replaceFrame });
  Object.defineProperty (W, '__isthmusIsolationSend', { value: send });
}) ();

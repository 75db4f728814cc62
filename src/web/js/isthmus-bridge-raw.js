/* isthmus-bridge-raw.js
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The raw transport of the bridge, in the bridge's isolated world of the
 * top frame. It gives the page script one end of a MessageChannel (posted
 * once, at document start, before any page script runs); the page sends
 * raw invokes ({id, cmd, body: ArrayBuffer}) through it, transferred, not
 * copied. This script posts each body to the isthmus-ipc scheme with the
 * per-view secret only this world holds, and sends the reply back through
 * the port: an ArrayBuffer for a raw reply, else the JSON text.
 */
(function () {
  'use strict';

  /* Per-view values, generated as JSON by the web layer. */
  const RAW = ISTHMUS_RAW_CONFIG;

  const channel = new MessageChannel ();
  const port = channel.port1;

  function errorText (code, message) {
    return JSON.stringify ({ code, message, value: code + ': ' + message });
  }

  function answer (id, ok, text) {
    port.postMessage ({ id, ok, text });
  }

  port.onmessage = function (event) {
    const request = event.data;
    let id;

    if (request === null || typeof request !== 'object')
      return;
    id = request.id;
    if (typeof request.cmd !== 'string' || !(request.body instanceof ArrayBuffer))
      {
        answer (id, false, errorText ('BAD_MESSAGE', 'not a raw request'));
        return;
      }
    if (request.body.byteLength > RAW.maxBytes)
      {
        answer (id, false, errorText ('PAYLOAD_TOO_LARGE',
                                      'message exceeds the limit of ' + RAW.maxBytes + ' bytes'));
        return;
      }

    fetch (RAW.base + encodeURIComponent (request.cmd), {
      method: 'POST',
      body: request.body,
      headers: {
        'Content-Type': 'application/octet-stream',
        'Isthmus-Token': RAW.secret,
      },
    }).then (function (response) {
      const type = response.headers.get ('Content-Type') || '';
      if (response.ok && type.indexOf ('application/octet-stream') === 0)
        return response.arrayBuffer ().then (function (buffer) {
          port.postMessage ({ id, ok: true, raw: buffer }, [buffer]);
        });
      return response.text ().then (function (text) {
        answer (id, response.ok, text);
      });
    }).catch (function (error) {
      answer (id, false, errorText ('INTERNAL', String (error && error.message)));
    });
  };

  /* A raw reply to an ordinary invoke (the core answered with bytes):
   * handed to the page as an ArrayBuffer, transferred, by isthmus-bridge.js
   * in this world. */
  Object.defineProperty (window, '__isthmusRawReply', {
    value: function (id, buffer) {
      port.postMessage ({ id, ok: true, raw: buffer }, [buffer]);
    },
  });

  window.postMessage ('isthmus-raw-port', '*', [channel.port2]);
}) ();

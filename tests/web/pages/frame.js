/* A same-origin tauri:// iframe: it must not reach the IPC handler. */
(function () {
  'use strict';

  let posted = 'no';
  try
    {
      window.webkit.messageHandlers.isthmusIpc.postMessage ('{"cmd":"echo","callback":1,"error":2,"payload":{"value":1}}');
      posted = 'yes';
    }
  catch (e)
    {
      posted = 'threw';
    }

  window.parent.postMessage ({
    frame: 'same-origin',
    handler: typeof window.webkit?.messageHandlers?.isthmusIpc,
    internals: typeof window.__TAURI_INTERNALS__,
    posted,
  }, '*');
}) ();

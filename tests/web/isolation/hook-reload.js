/* hook-reload.js: the page side of test-hook-reload.c.
 *
 * Keeps state that a page reload would lose and lets the test call greet
 * through the real @tauri-apps/api (and so through the isolation frame). */

import { invoke } from '/node_modules/@tauri-apps/api/core.js';

window.pageState = 'set at ' + performance.now () + ' ' + Math.random ();
window.greets = 0;

window.greet = async function (name) {
  window.greets++;
  try
    {
      return 'ok:' + await invoke ('greet', { name });
    }
  catch (e)
    {
      return 'error:' + String (e);
    }
};

window.hookReloadReady = true;
window.dispatchEvent (new Event ('hook-reload-ready'));

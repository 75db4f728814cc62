/* bench.js: the page side of bench-ipc.c. Measures round trips of the
 * real @tauri-apps/api invoke('echo', {value}) with performance.now(). */

import { invoke, Channel } from '/node_modules/@tauri-apps/api/core.js';
import { listen } from '/node_modules/@tauri-apps/api/event.js';

function summarise (times, total, elapsedMs) {
  const n = times.length;
  const sorted = times.slice ().sort ((a, b) => a - b);
  const sum = times.reduce ((a, b) => a + b, 0);
  return {
    meanUs: sum / n * 1000,
    medianUs: sorted[n >> 1] * 1000,
    callsPerSecond: total / elapsedMs * 1000,
  };
}

/* @batch calls are timed together, so that the timer's resolution does
 * not dominate; the median is over batch means. */
async function benchFull (size, iterations, batch, total, inflight) {
  const value = 'x'.repeat (size);
  const times = [];

  for (let i = 0; i < 10; i++)
    await invoke ('echo', { value });

  for (let i = 0; i < iterations; i += batch)
    {
      const t0 = performance.now ();
      for (let j = 0; j < batch; j++)
        {
          const r = await invoke ('echo', { value });
          if (r.length !== size)
            throw new Error ('bad echo');
        }
      times.push ((performance.now () - t0) / batch);
    }

  let next = 0;
  let done = 0;
  const t0 = performance.now ();
  await new Promise ((resolve, reject) => {
    function launch () {
      if (next >= total)
        return;
      next++;
      invoke ('echo', { value }).then (() => {
        done++;
        if (done === total)
          resolve ();
        else
          launch ();
      }, reject);
    }
    for (let i = 0; i < inflight; i++)
      launch ();
  });

  return JSON.stringify (summarise (times, total, performance.now () - t0));
}

Object.defineProperty (window, '__benchFull', { value: benchFull });

/* Counts n deliveries of "bench-event", then tells the C side. */
let unlistenPrevious = null;
async function benchListen (n) {
  let count = 0;
  if (unlistenPrevious !== null)
    unlistenPrevious ();
  unlistenPrevious = await listen ('bench-event', (event) => {
    if (typeof event.payload !== 'string')
      throw new Error ('bad event');
    if (++count === n)
      invoke ('bench_events_done');
  });
  return true;
}
Object.defineProperty (window, '__benchListen', { value: benchListen });

/* Messages per second through a Channel, end marker included. */
async function benchChannel (n, size) {
  let count = 0;
  const t0 = performance.now ();
  await new Promise ((resolve, reject) => {
    const channel = new Channel ((message) => {
      if (message.length !== size)
        reject (new Error ('bad channel message'));
      if (++count === n)
        resolve ();
    });
    invoke ('bench_stream', { n, size, onMessage: channel }).catch (reject);
  });
  return n / ((performance.now () - t0) / 1000);
}
Object.defineProperty (window, '__benchChannel', { value: benchChannel });
invoke ('bench_ready');

// The Isthmus demo frontend: plain ES module, no bundler, no dependencies.
// It uses window.__TAURI__ (the demo sets app.withGlobalTauri), exactly as
// a Tauri app with withGlobalTauri would.

const { invoke } = window.__TAURI__.core;
const log = document.getElementById('log');

function show(label, outcome, value, started) {
  const item = document.createElement('li');
  const ms = (performance.now() - started).toFixed(1);
  let text;
  if (typeof value === 'string' && value.length > 120)
    text = `string of ${value.length} characters`;
  else
    text = JSON.stringify(value);
  item.className = outcome;
  item.textContent = `${label}: ${outcome} ${text} (${ms} ms)`;
  log.prepend(item);
}

async function run(label, cmd, args) {
  const started = performance.now();
  try {
    show(label, 'resolved', await invoke(cmd, args), started);
  } catch (error) {
    show(label, 'rejected', error, started);
  }
}

document.getElementById('greet-form').addEventListener('submit', (event) => {
  event.preventDefault();
  run('greet', 'greet', { name: document.getElementById('greet-name').value });
});
document.getElementById('count-words').addEventListener('click', () =>
  run('count_words', 'count_words', { text: 'the quick brown fox jumps over the lazy dog' }));
document.getElementById('fail').addEventListener('click', () =>
  run('fail', 'fail', { message: 'the demo asked for an error' }));
document.getElementById('divide').addEventListener('click', () =>
  run('divide', 'divide', { a: 1, b: 0 }));
document.getElementById('unknown').addEventListener('click', () =>
  run('unknown', 'no_such_command', {}));
document.getElementById('bad-args').addEventListener('click', () =>
  run('bad args', 'greet', { name: 42 }));
document.getElementById('slow').addEventListener('click', () =>
  run('slow', 'slow', { ms: 1500 }));
document.getElementById('big').addEventListener('click', () =>
  run('big', 'big', { bytes: 1024 * 1024 }));
document.getElementById('burst').addEventListener('click', async () => {
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: 100 }, (_, i) => invoke('echo', { value: i })));
  const ok = results.filter((r) => r.status === 'fulfilled').length;
  show('100 in flight', 'resolved', `${ok} of 100 resolved`, started);
});

// Greet once at start, so the traffic list is never empty.
run('greet', 'greet', { name: 'Isthmus' });

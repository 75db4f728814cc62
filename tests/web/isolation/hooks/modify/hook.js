/* Rewrites greet's name; a separate file, inlined by the isolation scheme. */
window.__TAURI_ISOLATION_HOOK__ = (payload) => {
  if (payload.cmd === 'greet')
    return { ...payload, payload: { name: 'hooked:' + payload.payload.name } }
  return payload
}

/* isthmus-hook-runner.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-hook-runner"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>
#include <jsc/jsc.h>

#include "isthmus-exchange.h"
#include "isthmus-hook-lint.h"
#include "isthmus-hook-runner.h"

/* Loading also starts the worker process, which takes a moment more. */
#define LOAD_EXTRA_MS 5000

G_DEFINE_QUARK (isthmus-hook-runner-error-quark, isthmus_hook_runner_error)

/* The window the hooks see, and the runner's side of it. Evaluated first
 * in every fresh context; its value is the object the worker drives. */
static const char harness_js[] =
  "(function (G) {\n"
  "  'use strict';\n"
  "  const LEVELS = ['log', 'info', 'warn', 'error', 'debug'];\n"
  "  const NEVER_SET = {\n"
  "    message: 'message.message',\n"
  "    __tauriModule: 'message.__tauriModule',\n"
  "    'payload.message': 'payload.message',\n"
  "    'payload.__tauriModule': 'payload.__tauriModule',\n"
  "    'options.headers': 'options.headers',\n"
  "  };\n"
  "  const MAX_READS = 64;\n"
  "  const MAX_SEQ = 4294967295;\n"
  "  const hasOwn = Object.prototype.hasOwnProperty;\n"
  "  const jsonParse = JSON.parse;\n"
  "  const jsonStringify = JSON.stringify;\n"
  "  let lines = [];\n"
  "  let notes = [];\n"
  "  let current = null;\n"
  "  let now = 0;\n"
  "  let nextTimer = 1;\n"
  "  const timers = new Map ();\n"
  "  const listeners = new Map ();\n"
  "\n"
  "  function describe (value) {\n"
  "    if (typeof value === 'string')\n"
  "      return value;\n"
  "    if (value instanceof Error)\n"
  "      return value.name + ': ' + value.message;\n"
  "    try\n"
  "      {\n"
  "        const text = jsonStringify (value);\n"
  "        return text === undefined ? String (value) : text;\n"
  "      }\n"
  "    catch (e)\n"
  "      {\n"
  "        return String (value);\n"
  "      }\n"
  "  }\n"
  "\n"
  "  function note (text) {\n"
  "    const list = current !== null ? current.lint : notes;\n"
  "    if (!list.includes (text))\n"
  "      list.push (text);\n"
  "  }\n"
  "\n"
  "  G.window = G;\n"
  "  G.self = G;\n"
  "  G.parent = G;\n"
  "  G.top = G;\n"
  "  G.console = {};\n"
  "  for (const level of LEVELS)\n"
  "    {\n"
  "      G.console[level] = function (...args) {\n"
  "        let text = args.map (describe).join (' ');\n"
  "        if (text.length > 4096)\n"
  "          text = text.slice (0, 4096) + '\\u2026';\n"
  "        lines.push (level + ': ' + text);\n"
  "      };\n"
  "    }\n"
  "  G.console.trace = G.console.debug;\n"
  "\n"
  "  function addTimer (fn, ms, args, repeat) {\n"
  "    const id = nextTimer++;\n"
  "    const delay = Math.max (0, Number (ms) || 0);\n"
  "    if (typeof fn !== 'function')\n"
  "      {\n"
  "        note ('setTimeout() with a string of code is refused by the isolation frame\\u2019s CSP');\n"
  "        return id;\n"
  "      }\n"
  "    timers.set (id, { fn, at: now + delay, args, repeat: repeat ? Math.max (1, delay) : 0 });\n"
  "    return id;\n"
  "  }\n"
  "  G.setTimeout = (fn, ms, ...args) => addTimer (fn, ms, args, false);\n"
  "  G.setInterval = (fn, ms, ...args) => addTimer (fn, ms, args, true);\n"
  "  G.clearTimeout = G.clearInterval = (id) => { timers.delete (id); };\n"
  "  G.queueMicrotask = (fn) => { Promise.resolve ().then (fn); };\n"
  "  G.requestAnimationFrame = (fn) => addTimer (() => fn (now), 16, [], false);\n"
  "  G.cancelAnimationFrame = G.clearTimeout;\n"
  "\n"
  "  const DIALOG_RESULTS = { alert: undefined, confirm: false, prompt: null };\n"
  "  for (const name of Object.keys (DIALOG_RESULTS))\n"
  "    {\n"
  "      G[name] = function () {\n"
  "        note (name + '() is blocked in the sandboxed isolation frame');\n"
  "        return DIALOG_RESULTS[name];\n"
  "      };\n"
  "    }\n"
  "\n"
  "  function listen (target) {\n"
  "    return function (type, fn) {\n"
  "      if (typeof fn !== 'function')\n"
  "        return;\n"
  "      const key = target + ':' + type;\n"
  "      if (!listeners.has (key))\n"
  "        listeners.set (key, []);\n"
  "      listeners.get (key).push (fn);\n"
  "    };\n"
  "  }\n"
  "  function unlisten (target) {\n"
  "    return function (type, fn) {\n"
  "      const list = listeners.get (target + ':' + type);\n"
  "      if (list && list.includes (fn))\n"
  "        list.splice (list.indexOf (fn), 1);\n"
  "    };\n"
  "  }\n"
  "  function fire (target, type, self) {\n"
  "    for (const fn of (listeners.get (target + ':' + type) || []).slice ())\n"
  "      {\n"
  "        try\n"
  "          {\n"
  "            fn.call (self, { type, target: self });\n"
  "          }\n"
  "        catch (e)\n"
  "          {\n"
  "            lines.push ('error: uncaught ' + describe (e));\n"
  "          }\n"
  "      }\n"
  "  }\n"
  "  G.addEventListener = listen ('window');\n"
  "  G.removeEventListener = unlisten ('window');\n"
  "  G.document = {\n"
  "    readyState: 'loading',\n"
  "    currentScript: null,\n"
  "    addEventListener: listen ('document'),\n"
  "    removeEventListener: unlisten ('document'),\n"
  "  };\n"
  "  G.location = { href: 'isolation://localhost/', origin: 'null', protocol: 'isolation:', host: 'localhost' };\n"
  "  G.navigator = { userAgent: 'Isthmus hook runner' };\n"
  "  G.isSecureContext = true;\n"
  "  G.structuredClone = (v) => v === undefined ? undefined : jsonParse (jsonStringify (v));\n"
  "  G.performance = { now: () => now, timeOrigin: Date.now () };\n"
  "  G.crypto = {\n"
  "    getRandomValues (array) {\n"
  "      for (let i = 0; i < array.length; i++)\n"
  "        array[i] = Math.floor (Math.random () * 256);\n"
  "      return array;\n"
  "    },\n"
  "    randomUUID () {\n"
  "      const h = () => Math.floor (Math.random () * 16).toString (16);\n"
  "      return 'xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx'.replace (/x/g, h);\n"
  "    },\n"
  "  };\n"
  "  G.TextEncoder = class TextEncoder {\n"
  "    get encoding () { return 'utf-8'; }\n"
  "    encode (s) {\n"
  "      const bin = unescape (encodeURIComponent (String (s === undefined ? '' : s)));\n"
  "      const out = new Uint8Array (bin.length);\n"
  "      for (let i = 0; i < bin.length; i++)\n"
  "        out[i] = bin.charCodeAt (i);\n"
  "      return out;\n"
  "    }\n"
  "  };\n"
  "  G.TextDecoder = class TextDecoder {\n"
  "    get encoding () { return 'utf-8'; }\n"
  "    decode (bytes) {\n"
  "      const view = bytes instanceof ArrayBuffer ? new Uint8Array (bytes) : new Uint8Array (bytes.buffer, bytes.byteOffset, bytes.byteLength);\n"
  "      let bin = '';\n"
  "      for (let i = 0; i < view.length; i++)\n"
  "        bin += String.fromCharCode (view[i]);\n"
  "      return decodeURIComponent (escape (bin));\n"
  "    }\n"
  "  };\n"
  "\n"
  "  function lintRead (state, path, target, property) {\n"
  "    const name = NEVER_SET[path];\n"
  "    if (name === undefined || hasOwn.call (target, property))\n"
  "      return;\n"
  "    if (path === 'payload.message' && state.payloadHasMessage)\n"
  "      return;\n"
  "    note ('the hook reads ' + name + ', which Tauri v2 never sets');\n"
  "  }\n"
  "\n"
  "  function wrap (target, path, state) {\n"
  "    if (target === null || typeof target !== 'object')\n"
  "      return target;\n"
  "    let proxy = state.proxies.get (target);\n"
  "    if (proxy !== undefined)\n"
  "      return proxy;\n"
  "    proxy = new Proxy (target, {\n"
  "      get (t, property) {\n"
  "        const value = Reflect.get (t, property, t);\n"
  "        if (!state.recording || typeof property !== 'string')\n"
  "          return value;\n"
  "        const p = path === '' ? property : path + '.' + property;\n"
  "        if (property !== 'then' && state.reads.length < MAX_READS && !state.readSet.has (p))\n"
  "          {\n"
  "            state.readSet.add (p);\n"
  "            state.reads.push (p);\n"
  "          }\n"
  "        lintRead (state, p, t, property);\n"
  "        return wrap (value, p, state);\n"
  "      },\n"
  "      has (t, property) {\n"
  "        if (state.recording && typeof property === 'string')\n"
  "          lintRead (state, path === '' ? property : path + '.' + property, t, property);\n"
  "        return Reflect.has (t, property);\n"
  "      },\n"
  "      set (t, property, value) {\n"
  "        state.mutated = true;\n"
  "        return Reflect.set (t, property, value, t);\n"
  "      },\n"
  "      deleteProperty (t, property) {\n"
  "        state.mutated = true;\n"
  "        return Reflect.deleteProperty (t, property);\n"
  "      },\n"
  "      defineProperty (t, property, descriptor) {\n"
  "        state.mutated = true;\n"
  "        return Reflect.defineProperty (t, property, descriptor);\n"
  "      },\n"
  "    });\n"
  "    state.proxies.set (target, proxy);\n"
  "    state.targets.set (proxy, target);\n"
  "    return proxy;\n"
  "  }\n"
  "\n"
  "  function deepEqual (a, b) {\n"
  "    if (a === b)\n"
  "      return true;\n"
  "    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')\n"
  "      return false;\n"
  "    if (Array.isArray (a) !== Array.isArray (b))\n"
  "      return false;\n"
  "    const ka = Object.keys (a);\n"
  "    const kb = Object.keys (b);\n"
  "    if (ka.length !== kb.length)\n"
  "      return false;\n"
  "    for (const k of ka)\n"
  "      if (!hasOwn.call (b, k) || !deepEqual (a[k], b[k]))\n"
  "        return false;\n"
  "    return true;\n"
  "  }\n"
  "\n"
  "  function isId (value) {\n"
  "    return typeof value === 'number' && value >= 0 && value <= MAX_SEQ && value === Math.floor (value);\n"
  "  }\n"
  "\n"
  "  function utf8Length (s) {\n"
  "    return unescape (encodeURIComponent (s)).length;\n"
  "  }\n"
  "\n"
  "  function verdictOf (state) {\n"
  "    const text = state.text;\n"
  "    if (state.threw)\n"
  "      {\n"
  "        if (state.error instanceof ReferenceError)\n"
  "          note ('the hook uses something the headless runner lacks (' + describe (state.error) +\n"
  "                '); the real frame may have it');\n"
  "        return { verdict: 'blocked', reason: describe (state.error), hooked: null };\n"
  "      }\n"
  "    const result = state.value;\n"
  "    if (result === null || result === undefined)\n"
  "      return { verdict: 'blocked', reason: 'the isolation hook returned ' + String (result), hooked: null };\n"
  "    if (typeof result !== 'object')\n"
  "      return { verdict: 'hook-error', reason: 'the isolation hook returned a ' + typeof result + ', not a message', hooked: null };\n"
  "    if (result === state.proxied && !state.mutated)\n"
  "      return { verdict: 'passed', reason: null, hooked: text };\n"
  "    const plain = state.targets.get (result) || result;\n"
  "    let out;\n"
  "    try\n"
  "      {\n"
  "        out = jsonStringify (plain);\n"
  "      }\n"
  "    catch (e)\n"
  "      {\n"
  "        return { verdict: 'hook-error', reason: 'the hooked message cannot be serialised: ' + describe (e), hooked: null };\n"
  "      }\n"
  "    if (out === undefined)\n"
  "      return { verdict: 'hook-error', reason: 'the hooked message cannot be serialised', hooked: null };\n"
  "    if (typeof plain.cmd !== 'string' || plain.cmd === '' || plain.cmd.indexOf ('\\0') >= 0 ||\n"
  "        utf8Length (plain.cmd) > 256)\n"
  "      return { verdict: 'hook-error', reason: 'the hooked message has no valid cmd', hooked: out };\n"
  "    if (!isId (plain.callback) || !isId (plain.error))\n"
  "      return { verdict: 'hook-error', reason: 'the hooked message has no valid callback and error ids', hooked: out };\n"
  "    const same = out === text || deepEqual (jsonParse (out), jsonParse (text));\n"
  "    return { verdict: same ? 'passed' : 'modified', reason: null, hooked: out };\n"
  "  }\n"
  "\n"
  "  function takeConsole () {\n"
  "    const out = lines;\n"
  "    lines = [];\n"
  "    return out;\n"
  "  }\n"
  "\n"
  "  return {\n"
  "    takeNotes () {\n"
  "      const out = notes.concat (lines);\n"
  "      notes = [];\n"
  "      lines = [];\n"
  "      return jsonStringify (out);\n"
  "    },\n"
  "    tick () {\n"
  "      let best = null;\n"
  "      let bestId = 0;\n"
  "      for (const [id, t] of timers)\n"
  "        {\n"
  "          if (best === null || t.at < best.at)\n"
  "            {\n"
  "              best = t;\n"
  "              bestId = id;\n"
  "            }\n"
  "        }\n"
  "      if (best === null)\n"
  "        return false;\n"
  "      now = Math.max (now, best.at);\n"
  "      if (best.repeat > 0)\n"
  "        best.at = now + best.repeat;\n"
  "      else\n"
  "        timers.delete (bestId);\n"
  "      try\n"
  "        {\n"
  "          best.fn.apply (G, best.args);\n"
  "        }\n"
  "      catch (e)\n"
  "        {\n"
  "          lines.push ('error: uncaught ' + describe (e));\n"
  "        }\n"
  "      return true;\n"
  "    },\n"
  "    loaded () {\n"
  "      G.document.readyState = 'interactive';\n"
  "      fire ('document', 'DOMContentLoaded', G.document);\n"
  "      G.document.readyState = 'complete';\n"
  "      fire ('window', 'load', G);\n"
  "    },\n"
  "    hookState () {\n"
  "      const hook = G.__TAURI_ISOLATION_HOOK__;\n"
  "      return typeof hook === 'function' ? 'function' : hook === null ? 'null' : 'missing';\n"
  "    },\n"
  "    start (text) {\n"
  "      const message = jsonParse (text);\n"
  "      const state = {\n"
  "        text,\n"
  "        reads: [],\n"
  "        readSet: new Set (),\n"
  "        lint: [],\n"
  "        proxies: new WeakMap (),\n"
  "        targets: new WeakMap (),\n"
  "        recording: true,\n"
  "        mutated: false,\n"
  "        settled: false,\n"
  "        threw: false,\n"
  "        value: undefined,\n"
  "        error: undefined,\n"
  "        payloadHasMessage: message !== null && typeof message === 'object' &&\n"
  "          message.payload !== null && typeof message.payload === 'object' &&\n"
  "          hasOwn.call (message.payload, 'message'),\n"
  "      };\n"
  "      const hook = G.__TAURI_ISOLATION_HOOK__;\n"
  "      lines = [];\n"
  "      current = state;\n"
  "      state.proxied = wrap (message, '', state);\n"
  "      if (hook === null)\n"
  "        {\n"
  "          state.settled = true;\n"
  "          state.value = state.proxied;\n"
  "          return;\n"
  "        }\n"
  "      let returned;\n"
  "      try\n"
  "        {\n"
  "          if (typeof hook !== 'function')\n"
  "            throw new TypeError ('window.__TAURI_ISOLATION_HOOK__ is not a function');\n"
  "          returned = hook (state.proxied);\n"
  "        }\n"
  "      catch (e)\n"
  "        {\n"
  "          state.settled = true;\n"
  "          state.threw = true;\n"
  "          state.error = e;\n"
  "          return;\n"
  "        }\n"
  "      Promise.resolve (returned).then ((v) => {\n"
  "        state.settled = true;\n"
  "        state.value = v;\n"
  "      }, (e) => {\n"
  "        state.settled = true;\n"
  "        state.threw = true;\n"
  "        state.error = e;\n"
  "      });\n"
  "    },\n"
  "    result (force) {\n"
  "      const state = current;\n"
  "      if (state === null)\n"
  "        return null;\n"
  "      if (!state.settled && !force)\n"
  "        return null;\n"
  "      state.recording = false;\n"
  "      const outcome = state.settled ? verdictOf (state) : {\n"
  "        verdict: 'hook-error',\n"
  "        reason: 'the hook\\u2019s promise never settles (no timer or job is left to run): the call would never leave the isolation frame',\n"
  "        hooked: null,\n"
  "      };\n"
  "      current = null;\n"
  "      return jsonStringify ({\n"
  "        verdict: outcome.verdict,\n"
  "        reason: outcome.reason,\n"
  "        hooked: outcome.hooked,\n"
  "        reads: state.reads,\n"
  "        lint: state.lint,\n"
  "        console: takeConsole (),\n"
  "      });\n"
  "    },\n"
  "  };\n"
  "}) (globalThis)\n"
  "\n";

struct _IsthmusHookRunner
{
  GObject           parent_instance;

  char             *app_dir;
  GStrv             worker_argv;
  guint             timeout_ms;

  /* The worker, while it runs. */
  GSubprocess      *worker;
  GOutputStream    *to_worker;
  GDataInputStream *from_worker;
  gboolean          loaded;
  guint             starts;

  GPtrArray        *notes;
};

G_DEFINE_FINAL_TYPE (IsthmusHookRunner, isthmus_hook_runner, G_TYPE_OBJECT)

void
isthmus_hook_result_free (IsthmusHookResult *result)
{
  if (result == NULL)
    return;

  g_free (result->verdict);
  g_free (result->reason);
  g_free (result->input);
  g_free (result->hooked);
  g_strfreev (result->added);
  g_strfreev (result->removed);
  g_strfreev (result->changed);
  g_strfreev (result->reads);
  g_strfreev (result->lint);
  g_strfreev (result->console);
  g_free (result);
}

void
isthmus_hook_call_free (IsthmusHookCall *call)
{
  if (call == NULL)
    return;

  g_free (call->window);
  g_free (call->cmd);
  g_free (call->message);
  g_free (call->then_verdict);
  g_free (call);
}

/* Diff */

static gboolean
is_identifier (const char *key)
{
  if (*key == '\0' || g_ascii_isdigit (*key))
    return FALSE;
  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '$')
      return FALSE;

  return TRUE;
}

static char *
member_path (const char *parent,
             const char *key)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *quoted = NULL;

  if (is_identifier (key))
    return *parent == '\0' ? g_strdup (key) : g_strconcat (parent, ".", key, NULL);

  node = json_node_init_string (json_node_alloc (), key);
  quoted = json_to_string (node, FALSE);

  return g_strdup_printf ("%s[%s]", parent, quoted);
}

static void
diff_node (const char *path,
           JsonNode   *a,
           JsonNode   *b,
           GPtrArray  *added,
           GPtrArray  *removed,
           GPtrArray  *changed)
{
  if (JSON_NODE_HOLDS_OBJECT (a) && JSON_NODE_HOLDS_OBJECT (b))
    {
      JsonObject *oa = json_node_get_object (a);
      JsonObject *ob = json_node_get_object (b);
      g_autoptr(GList) ka = json_object_get_members (oa);
      g_autoptr(GList) kb = json_object_get_members (ob);

      for (const GList *l = ka; l != NULL; l = l->next)
        {
          g_autofree char *p = member_path (path, l->data);

          if (!json_object_has_member (ob, l->data))
            g_ptr_array_add (removed, g_steal_pointer (&p));
          else
            diff_node (p, json_object_get_member (oa, l->data), json_object_get_member (ob, l->data),
                       added, removed, changed);
        }
      for (const GList *l = kb; l != NULL; l = l->next)
        if (!json_object_has_member (oa, l->data))
          g_ptr_array_add (added, member_path (path, l->data));
      return;
    }

  if (JSON_NODE_HOLDS_ARRAY (a) && JSON_NODE_HOLDS_ARRAY (b))
    {
      JsonArray *aa = json_node_get_array (a);
      JsonArray *ab = json_node_get_array (b);
      guint na = json_array_get_length (aa);
      guint nb = json_array_get_length (ab);

      for (guint i = 0; i < MAX (na, nb); i++)
        {
          g_autofree char *p = g_strdup_printf ("%s[%u]", path, i);

          if (i >= na)
            g_ptr_array_add (added, g_steal_pointer (&p));
          else if (i >= nb)
            g_ptr_array_add (removed, g_steal_pointer (&p));
          else
            diff_node (p, json_array_get_element (aa, i), json_array_get_element (ab, i),
                       added, removed, changed);
        }
      return;
    }

  if (!json_node_equal (a, b))
    g_ptr_array_add (changed, g_strdup (*path == '\0' ? "(message)" : path));
}

/**
 * isthmus_hook_json_diff:
 * @before: a JSON value
 * @after: another
 * @added: (element-type utf8): paths only in @after
 * @removed: (element-type utf8): paths only in @before
 * @changed: (element-type utf8): paths with other values
 *
 * Compares two JSON values field by field.
 */
void
isthmus_hook_json_diff (JsonNode  *before,
                        JsonNode  *after,
                        GPtrArray *added,
                        GPtrArray *removed,
                        GPtrArray *changed)
{
  g_return_if_fail (before != NULL && after != NULL);
  g_return_if_fail (added != NULL && removed != NULL && changed != NULL);

  diff_node ("", before, after, added, removed, changed);
}

static GStrv
steal_strv (GPtrArray *array)
{
  g_ptr_array_add (array, NULL);

  return (GStrv)g_ptr_array_free (array, FALSE);
}

/**
 * isthmus_hook_result_diff_summary:
 * @result: a result
 * @max_bytes: the longest summary, before "…"
 *
 * Returns: (transfer full): the changes as "~path +path -path"
 */
char *
isthmus_hook_result_diff_summary (const IsthmusHookResult *result,
                                  gsize                    max_bytes)
{
  static const char marks[] = { '~', '+', '-' };
  g_autoptr(GString) text = g_string_new (NULL);
  GStrv lists[3];

  g_return_val_if_fail (result != NULL, NULL);

  lists[0] = result->changed;
  lists[1] = result->added;
  lists[2] = result->removed;
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    for (guint j = 0; lists[i] != NULL && lists[i][j] != NULL; j++)
      g_string_append_printf (text, "%s%c%s", text->len > 0 ? " " : "", marks[i], lists[i][j]);

  if (max_bytes > 0 && text->len > max_bytes)
    {
      gsize cut = max_bytes;

      while (cut > 0 && ((guchar)text->str[cut] & 0xC0) == 0x80)
        cut--;
      g_string_truncate (text, cut);
      g_string_append (text, "…");
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* The worker */

static gboolean
write_line (const char *text)
{
  g_autofree char *line = g_strconcat (text, "\n", NULL);
  gsize left = strlen (line);
  const char *p = line;

  while (left > 0)
    {
      ssize_t n = write (STDOUT_FILENO, p, left);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      p += n;
      left -= n;
    }

  return TRUE;
}

static char *
build_json (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static int
report_load_failure (const char *kind,
                     const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, FALSE);
  add_string_member (builder, "kind", kind);
  add_string_member (builder, "error", message);
  json_builder_end_object (builder);
  text = build_json (builder);

  return write_line (text) ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* Calls @name on the harness; NULL (and the exception cleared into
 * @exception_text) when it threw. */
static JSCValue *
call_api (JSCValue    *api,
          const char  *name,
          char       **exception_text,
          GType        first_type,
          ...)
{
  JSCContext *context = jsc_value_get_context (api);
  g_autoptr(JSCValue) method = jsc_value_object_get_property (api, name);
  JSCValue *value;
  JSCException *exception;
  va_list args;
  GPtrArray *params = g_ptr_array_new_with_free_func (g_object_unref);
  GType type = first_type;

  va_start (args, first_type);
  while (type != G_TYPE_NONE)
    {
      if (type == G_TYPE_STRING)
        g_ptr_array_add (params, jsc_value_new_string (context, va_arg (args, const char *)));
      else if (type == G_TYPE_BOOLEAN)
        g_ptr_array_add (params, jsc_value_new_boolean (context, va_arg (args, gboolean)));
      type = va_arg (args, GType);
    }
  va_end (args);

  jsc_context_clear_exception (context);
  value = jsc_value_function_callv (method, params->len, (JSCValue **)params->pdata);
  g_ptr_array_unref (params);
  exception = jsc_context_get_exception (context);
  if (exception != NULL)
    {
      if (exception_text != NULL)
        *exception_text = jsc_exception_report (exception);
      jsc_context_clear_exception (context);
      g_clear_object (&value);
    }

  return value;
}

static char *
api_string (JSCValue   *api,
            const char *name)
{
  g_autoptr(JSCValue) value = call_api (api, name, NULL, G_TYPE_NONE);

  if (value == NULL || !jsc_value_is_string (value))
    return NULL;

  return jsc_value_to_string (value);
}

static gboolean
api_tick (JSCValue *api)
{
  g_autoptr(JSCValue) value = call_api (api, "tick", NULL, G_TYPE_NONE);

  return value != NULL && jsc_value_to_boolean (value);
}

static void
add_note_member (GPtrArray  *notes,
                 const char *format,
                 ...) G_GNUC_PRINTF (2, 3);

static void
add_note_member (GPtrArray  *notes,
                 const char *format,
                 ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (notes, g_strdup_vprintf (format, args));
  va_end (args);
}

/* Evaluates one script as the frame would. Returns FALSE after reporting
 * a load failure. */
static gboolean
evaluate_script (JSCContext              *context,
                 const IsthmusHookScript *script,
                 GPtrArray               *notes)
{
  g_autoptr(JSCException) syntax = NULL;
  g_autoptr(JSCValue) value = NULL;
  JSCCheckSyntaxResult check;
  JSCException *exception;

  check = jsc_context_check_syntax (context, script->code, -1,
                                    script->is_module ? JSC_CHECK_SYNTAX_MODE_MODULE : JSC_CHECK_SYNTAX_MODE_SCRIPT,
                                    script->file, script->line, &syntax);
  if (check != JSC_CHECK_SYNTAX_RESULT_SUCCESS)
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf ("%s:%u: %s", script->file,
                                 syntax != NULL ? jsc_exception_get_line_number (syntax) : script->line,
                                 syntax != NULL ? jsc_exception_get_message (syntax) : "syntax error");
      report_load_failure ("syntax", message);
      return FALSE;
    }

  jsc_context_clear_exception (context);
  value = jsc_context_evaluate_with_source_uri (context, script->code, -1, script->file, script->line);
  exception = jsc_context_get_exception (context);
  if (exception != NULL)
    {
      const char *name = jsc_exception_get_name (exception);
      g_autofree char *message = NULL;

      message = g_strdup_printf ("%s:%u: %s: %s", script->file, jsc_exception_get_line_number (exception),
                                 name != NULL ? name : "Error", jsc_exception_get_message (exception));
      if (script->is_module && g_strcmp0 (name, "SyntaxError") == 0)
        {
          g_autofree char *why = g_strdup_printf ("%s (module scripts with import or export cannot run headless)", message);

          report_load_failure ("syntax", why);
          return FALSE;
        }
      /* A browser reports an uncaught error and goes on with the next
       * script; so does the frame. */
      add_note_member (notes, "uncaught %s", message);
      jsc_context_clear_exception (context);
    }

  return TRUE;
}

static void
take_notes (JSCValue  *api,
            GPtrArray *notes)
{
  g_autofree char *json = api_string (api, "takeNotes");
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    return;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (root)); i++)
    g_ptr_array_add (notes, g_strdup (json_array_get_string_element (json_node_get_array (root), i)));
}

static int
handle_calls (JSCValue *api)
{
  g_autoptr(GInputStream) raw = g_unix_input_stream_new (STDIN_FILENO, FALSE);
  g_autoptr(GDataInputStream) input = g_data_input_stream_new (raw);

  g_data_input_stream_set_newline_type (input, G_DATA_STREAM_NEWLINE_TYPE_LF);

  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (input, NULL, NULL, NULL);
      g_autofree char *thrown = NULL;
      g_autofree char *answer = NULL;
      g_autoptr(JSCValue) started = NULL;
      g_autoptr(JSCValue) result = NULL;
      gint64 t0;
      gint64 hook_us;

      if (line == NULL)
        return EXIT_SUCCESS;

      t0 = g_get_monotonic_time ();
      started = call_api (api, "start", &thrown, G_TYPE_STRING, line, G_TYPE_NONE);
      for (;;)
        {
          g_clear_object (&result);
          if (started == NULL)
            break;
          result = call_api (api, "result", &thrown, G_TYPE_BOOLEAN, FALSE, G_TYPE_NONE);
          if (result == NULL || jsc_value_is_string (result))
            break;
          if (!api_tick (api))
            {
              g_clear_object (&result);
              result = call_api (api, "result", &thrown, G_TYPE_BOOLEAN, TRUE, G_TYPE_NONE);
              break;
            }
        }
      hook_us = g_get_monotonic_time () - t0;

      if (result != NULL && jsc_value_is_string (result))
        {
          g_autofree char *json = jsc_value_to_string (result);

          answer = g_strdup_printf ("{\"hookUs\":%" G_GINT64_FORMAT ",\"result\":%s}", hook_us, json);
        }
      else
        {
          g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

          json_builder_begin_object (builder);
          add_string_member (builder, "error", thrown != NULL ? thrown : "the runner failed");
          json_builder_end_object (builder);
          answer = build_json (builder);
        }

      if (!write_line (answer))
        return EXIT_FAILURE;
    }
}

/**
 * isthmus_hook_worker_main:
 * @app_dir: the isolation app folder
 *
 * Runs the worker side of #IsthmusHookRunner on stdin and stdout.
 *
 * Returns: the exit status
 */
int
isthmus_hook_worker_main (const char *app_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scripts = NULL;
  g_autoptr(GPtrArray) notes = NULL;
  g_autoptr(JSCVirtualMachine) vm = NULL;
  g_autoptr(JSCContext) context = NULL;
  g_autoptr(JSCValue) api = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  JSCValue *loaded;
  g_autofree char *hook_state = NULL;
  g_autofree char *ready = NULL;

  g_return_val_if_fail (app_dir != NULL, EXIT_FAILURE);

  scripts = isthmus_hook_app_scan (app_dir, &error);
  if (scripts == NULL)
    {
      g_autofree char *message = g_strdup_printf ("%s/index.html: %s", app_dir, error->message);

      return report_load_failure ("load", message);
    }

  vm = jsc_virtual_machine_new ();
  context = jsc_context_new_with_virtual_machine (vm);
  api = jsc_context_evaluate_with_source_uri (context, harness_js, -1, "isthmus:hook-runner", 1);
  if (api == NULL || !jsc_value_is_object (api))
    return report_load_failure ("load", "the hook runner's window did not start");

  notes = g_ptr_array_new_with_free_func (g_free);

  /* Tauri inlines every local <script src> at build time, so classic
   * scripts run in document order; module scripts run after them. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < scripts->len; i++)
        {
          const IsthmusHookScript *script = g_ptr_array_index (scripts, i);

          if ((pass == 0) == script->is_module)
            continue;
          if (script->is_external)
            {
              add_note_member (notes, "index.html:%u: not loaded: the external script %s (a real build cannot inline it, and the frame's CSP blocks it)",
                               script->tag_line, script->src);
              continue;
            }
          if (script->code == NULL)
            {
              g_autofree char *message = g_strdup_printf ("index.html:%u: %s", script->tag_line, script->problem);

              return report_load_failure ("load", message);
            }
          if (script->is_module)
            add_note_member (notes, "index.html:%u: a module script, run after the classic ones (it does not load in the sandboxed frame on Windows)",
                             script->tag_line);
          if (!evaluate_script (context, script, notes))
            return EXIT_SUCCESS;
        }
    }

  loaded = call_api (api, "loaded", NULL, G_TYPE_NONE);
  g_clear_object (&loaded);

  /* As the frame's runtime, wait until the hook is a function or null;
   * timers run on a virtual clock, and a loop is the parent's to stop. */
  for (;;)
    {
      g_clear_pointer (&hook_state, g_free);
      hook_state = api_string (api, "hookState");
      if (g_strcmp0 (hook_state, "missing") != 0 || !api_tick (api))
        break;
    }
  take_notes (api, notes);

  if (g_strcmp0 (hook_state, "missing") == 0)
    return report_load_failure ("no-hook", "the isolation app never sets window.__TAURI_ISOLATION_HOOK__ to a function or null");

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, TRUE);
  add_string_member (builder, "hook", hook_state);
  json_builder_set_member_name (builder, "notes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < notes->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (notes, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  ready = build_json (builder);
  if (!write_line (ready))
    return EXIT_FAILURE;

  return handle_calls (api);
}

/* The runner */

static void
stop_worker (IsthmusHookRunner *self)
{
  if (self->worker != NULL)
    {
      g_subprocess_force_exit (self->worker);
      g_subprocess_wait (self->worker, NULL, NULL);
    }
  g_clear_object (&self->to_worker);
  g_clear_object (&self->from_worker);
  g_clear_object (&self->worker);
  self->loaded = FALSE;
}

static void
isthmus_hook_runner_finalize (GObject *object)
{
  IsthmusHookRunner *self = (IsthmusHookRunner *)object;

  stop_worker (self);
  g_clear_pointer (&self->app_dir, g_free);
  g_clear_pointer (&self->worker_argv, g_strfreev);
  g_clear_pointer (&self->notes, g_ptr_array_unref);

  G_OBJECT_CLASS (isthmus_hook_runner_parent_class)->finalize (object);
}

static void
isthmus_hook_runner_class_init (IsthmusHookRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_hook_runner_finalize;
}

static void
isthmus_hook_runner_init (IsthmusHookRunner *self)
{
  self->timeout_ms = ISTHMUS_HOOK_DEFAULT_TIMEOUT_MS;
  self->notes = g_ptr_array_new_with_free_func (g_free);
}

/**
 * isthmus_hook_runner_new:
 * @app_dir: the isolation app folder (holding index.html)
 *
 * Writing to a worker that was just killed must not kill this process:
 * SIGPIPE is ignored from here on.
 *
 * Returns: (transfer full): a runner; nothing runs until the first call
 */
IsthmusHookRunner *
isthmus_hook_runner_new (const char *app_dir)
{
  IsthmusHookRunner *self;

  g_return_val_if_fail (app_dir != NULL, NULL);

  signal (SIGPIPE, SIG_IGN);

  self = g_object_new (ISTHMUS_TYPE_HOOK_RUNNER, NULL);
  self->app_dir = g_canonicalize_filename (app_dir, NULL);

  return self;
}

void
isthmus_hook_runner_set_timeout_ms (IsthmusHookRunner *self,
                                    guint              timeout_ms)
{
  g_return_if_fail (ISTHMUS_IS_HOOK_RUNNER (self));

  self->timeout_ms = timeout_ms > 0 ? timeout_ms : ISTHMUS_HOOK_DEFAULT_TIMEOUT_MS;
}

guint
isthmus_hook_runner_get_timeout_ms (IsthmusHookRunner *self)
{
  g_return_val_if_fail (ISTHMUS_IS_HOOK_RUNNER (self), 0);

  return self->timeout_ms;
}

void
isthmus_hook_runner_set_worker_argv (IsthmusHookRunner  *self,
                                     const char * const *argv)
{
  g_return_if_fail (ISTHMUS_IS_HOOK_RUNNER (self));

  g_clear_pointer (&self->worker_argv, g_strfreev);
  if (argv != NULL && argv[0] != NULL)
    self->worker_argv = g_strdupv ((char **)argv);
}

/**
 * isthmus_hook_runner_get_notes:
 * @self: a runner
 *
 * Returns: (transfer none) (element-type utf8): notes from loading
 */
GPtrArray *
isthmus_hook_runner_get_notes (IsthmusHookRunner *self)
{
  g_return_val_if_fail (ISTHMUS_IS_HOOK_RUNNER (self), NULL);

  return self->notes;
}

/* The worker dies with the thread that started it. */
static void
child_setup_cb (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
start_worker (IsthmusHookRunner  *self,
              GError            **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

  if (self->worker_argv != NULL)
    {
      for (guint i = 0; self->worker_argv[i] != NULL; i++)
        g_ptr_array_add (argv, g_strdup (self->worker_argv[i]));
    }
  else
    {
      char *exe = g_file_read_link ("/proc/self/exe", error);

      if (exe == NULL)
        return FALSE;
      g_ptr_array_add (argv, exe);
    }
  g_ptr_array_add (argv, g_strdup (ISTHMUS_HOOK_WORKER_OPTION));
  g_ptr_array_add (argv, g_strdup (self->app_dir));
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup_cb, NULL, NULL);
  self->worker = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, error);
  if (self->worker == NULL)
    return FALSE;

  self->to_worker = g_object_ref (g_subprocess_get_stdin_pipe (self->worker));
  self->from_worker = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->worker));
  g_data_input_stream_set_newline_type (self->from_worker, G_DATA_STREAM_NEWLINE_TYPE_LF);
  self->starts++;

  return TRUE;
}

typedef struct
{
  gboolean  done;
  char     *line;
  GError   *error;
} ReadState;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadState *state = user_data;

  state->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                           NULL, &state->error);
  state->done = TRUE;
}

static gboolean
read_timeout_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);

  return G_SOURCE_REMOVE;
}

/* One line from the worker within @timeout_ms; NULL with @timed_out set,
 * or with @error when the worker stopped. */
static char *
read_answer (IsthmusHookRunner  *self,
             guint               timeout_ms,
             gboolean           *timed_out,
             GError            **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) timeout = NULL;
  ReadState state = { 0 };

  *timed_out = FALSE;

  g_main_context_push_thread_default (context);
  g_data_input_stream_read_line_async (self->from_worker, G_PRIORITY_DEFAULT, cancellable,
                                       read_line_cb, &state);
  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, read_timeout_cb, cancellable, NULL);
  g_source_attach (timeout, context);
  while (!state.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (state.line != NULL)
    {
      g_clear_error (&state.error);
      return state.line;
    }

  if (g_cancellable_is_cancelled (cancellable))
    {
      *timed_out = TRUE;
      g_clear_error (&state.error);
      return NULL;
    }

  if (state.error != NULL)
    g_propagate_prefixed_error (error, state.error, _("the hook worker stopped: "));
  else
    g_set_error_literal (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_WORKER,
                         _("the hook worker stopped"));

  return NULL;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);

  return root != NULL ? json_node_copy (root) : NULL;
}

static GStrv
strv_member (JsonObject *object,
             const char *name)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
            g_ptr_array_add (values, g_strdup (json_node_get_string (element)));
        }
    }

  return steal_strv (g_steal_pointer (&values));
}

static char *
dup_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_node_get_string (node));
}

/**
 * isthmus_hook_runner_load:
 * @self: a runner
 * @error: return location for an error
 *
 * Returns: whether the app is loaded and its hook ready
 */
gboolean
isthmus_hook_runner_load (IsthmusHookRunner  *self,
                          GError            **error)
{
  g_autofree char *index = NULL;
  g_autofree char *line = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;
  gboolean timed_out;
  guint timeout_ms;

  g_return_val_if_fail (ISTHMUS_IS_HOOK_RUNNER (self), FALSE);

  if (self->loaded)
    return TRUE;

  index = g_build_filename (self->app_dir, "index.html", NULL);
  if (!g_file_test (index, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_LOAD,
                   _("%s has no index.html: not an isolation app"), self->app_dir);
      return FALSE;
    }

  stop_worker (self);
  if (self->starts > 0)
    g_ptr_array_add (self->notes,
                     g_strdup (_("the hook worker was restarted and the app loaded again: state the app kept between calls is lost")));
  if (!start_worker (self, &local_error))
    {
      g_set_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_WORKER,
                   _("cannot start the hook worker: %s"), local_error->message);
      return FALSE;
    }

  timeout_ms = self->timeout_ms + LOAD_EXTRA_MS;
  line = read_answer (self, timeout_ms, &timed_out, &local_error);
  if (line == NULL)
    {
      stop_worker (self);
      if (timed_out)
        g_set_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_LOAD,
                     _("loading the isolation app timed out after %u ms (does a script never end?)"), timeout_ms);
      else
        g_set_error_literal (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_WORKER,
                             local_error->message);
      return FALSE;
    }

  root = parse_json (line);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      stop_worker (self);
      g_set_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_WORKER,
                   _("the hook worker answered something unexpected: %.200s"), line);
      return FALSE;
    }
  object = json_node_get_object (root);

  if (!json_object_get_boolean_member_with_default (object, "ok", FALSE))
    {
      g_autofree char *kind = dup_string_member (object, "kind");
      g_autofree char *message = dup_string_member (object, "error");
      IsthmusHookRunnerError code = ISTHMUS_HOOK_RUNNER_ERROR_LOAD;

      if (g_strcmp0 (kind, "syntax") == 0)
        code = ISTHMUS_HOOK_RUNNER_ERROR_SYNTAX;
      else if (g_strcmp0 (kind, "no-hook") == 0)
        code = ISTHMUS_HOOK_RUNNER_ERROR_NO_HOOK;
      stop_worker (self);
      g_set_error_literal (error, ISTHMUS_HOOK_RUNNER_ERROR, code,
                           message != NULL ? message : _("the isolation app cannot be loaded"));
      return FALSE;
    }

  {
    g_auto(GStrv) notes = strv_member (object, "notes");

    for (guint i = 0; notes[i] != NULL; i++)
      g_ptr_array_add (self->notes, g_strdup (notes[i]));
  }
  self->loaded = TRUE;

  return TRUE;
}

static IsthmusHookResult *
result_new (const char *input,
            const char *verdict,
            const char *reason)
{
  IsthmusHookResult *result = g_new0 (IsthmusHookResult, 1);
  char *empty[] = { NULL };

  result->input = g_strdup (input);
  result->verdict = g_strdup (verdict);
  result->reason = g_strdup (reason);
  result->added = g_strdupv (empty);
  result->removed = g_strdupv (empty);
  result->changed = g_strdupv (empty);
  result->reads = g_strdupv (empty);
  result->lint = g_strdupv (empty);
  result->console = g_strdupv (empty);

  return result;
}

static void
fill_result (IsthmusHookResult *result,
             JsonObject        *answer,
             JsonNode          *input)
{
  JsonObject *object = json_object_get_object_member (answer, "result");
  g_autoptr(JsonNode) hooked = NULL;
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);

  result->hook_us = json_object_get_int_member_with_default (answer, "hookUs", -1);
  if (object == NULL)
    return;

  g_clear_pointer (&result->verdict, g_free);
  result->verdict = dup_string_member (object, "verdict");
  if (result->verdict == NULL)
    result->verdict = g_strdup ("hook-error");
  g_clear_pointer (&result->reason, g_free);
  result->reason = dup_string_member (object, "reason");
  result->hooked = dup_string_member (object, "hooked");
  g_strfreev (result->reads);
  result->reads = strv_member (object, "reads");
  g_strfreev (result->lint);
  result->lint = strv_member (object, "lint");
  g_strfreev (result->console);
  result->console = strv_member (object, "console");

  hooked = parse_json (result->hooked);
  if (hooked != NULL && input != NULL)
    isthmus_hook_json_diff (input, hooked, added, removed, changed);
  g_strfreev (result->added);
  result->added = steal_strv (g_steal_pointer (&added));
  g_strfreev (result->removed);
  result->removed = steal_strv (g_steal_pointer (&removed));
  g_strfreev (result->changed);
  result->changed = steal_strv (g_steal_pointer (&changed));
}

/**
 * isthmus_hook_runner_run:
 * @self: a runner
 * @message_json: the message {cmd, callback, error, payload, options}
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): what the hook did
 */
IsthmusHookResult *
isthmus_hook_runner_run (IsthmusHookRunner  *self,
                         const char         *message_json,
                         GError            **error)
{
  g_autoptr(JsonNode) input = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *request = NULL;
  g_autofree char *line = NULL;
  IsthmusHookResult *result;
  gboolean timed_out;

  g_return_val_if_fail (ISTHMUS_IS_HOOK_RUNNER (self), NULL);
  g_return_val_if_fail (message_json != NULL, NULL);

  input = parse_json (message_json);
  if (input == NULL || !JSON_NODE_HOLDS_OBJECT (input) || !isthmus_json_is_finite (input))
    {
      g_set_error_literal (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_RECORDING,
                           _("the message is not a JSON object"));
      return NULL;
    }
  text = isthmus_json_to_text (input, NULL);

  if (!isthmus_hook_runner_load (self, error))
    return NULL;

  request = g_strconcat (text, "\n", NULL);
  if (!g_output_stream_write_all (self->to_worker, request, strlen (request), NULL, NULL, &local_error) ||
      !g_output_stream_flush (self->to_worker, NULL, &local_error))
    {
      stop_worker (self);
      return result_new (text, "hook-error", local_error->message);
    }

  line = read_answer (self, self->timeout_ms, &timed_out, &local_error);
  if (line == NULL)
    {
      g_autofree char *reason = NULL;

      stop_worker (self);
      if (timed_out)
        reason = g_strdup_printf ("timed out after %u ms", self->timeout_ms);
      else
        reason = g_strdup (local_error->message);
      result = result_new (text, "hook-error", reason);
      result->timed_out = timed_out;
      result->hook_us = timed_out ? (gint64)self->timeout_ms * 1000 : -1;
      return result;
    }

  root = parse_json (line);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      stop_worker (self);
      return result_new (text, "hook-error", _("the hook worker answered something unexpected"));
    }

  result = result_new (text, "hook-error", NULL);
  if (json_object_has_member (json_node_get_object (root), "error"))
    result->reason = dup_string_member (json_node_get_object (root), "error");
  else
    fill_result (result, json_node_get_object (root), input);

  return result;
}

/* Recordings */

static gboolean
is_id (JsonObject *object,
       const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  type = json_node_get_value_type (node);

  return type == G_TYPE_INT64 && json_node_get_int (node) >= 0 && json_node_get_int (node) <= G_MAXUINT32;
}

static gboolean
is_invoke_message (JsonNode *node)
{
  JsonObject *object;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);

  return json_object_has_member (object, "cmd") &&
         JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "cmd")) &&
         json_node_get_value_type (json_object_get_member (object, "cmd")) == G_TYPE_STRING &&
         is_id (object, "callback") && is_id (object, "error");
}

/**
 * isthmus_hook_recording_load:
 * @path: a JSON Lines recording (`isthmus --record`)
 * @skipped: (out) (optional): invoke records without a usable message
 * @error: return location for an error
 *
 * Returns: (transfer full) (element-type IsthmusHookCall) (nullable): the
 *   recorded invokes
 */
GPtrArray *
isthmus_hook_recording_load (const char  *path,
                             guint       *skipped,
                             GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(GStrv) lines = NULL;
  guint skip_count = 0;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_RECORDING,
                   _("cannot read the recording: %s"), local_error->message);
      return NULL;
    }

  calls = g_ptr_array_new_with_free_func ((GDestroyNotify)isthmus_hook_call_free);
  lines = g_strsplit (contents, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *kind = NULL;
      JsonObject *record;
      JsonObject *isolation;
      JsonNode *message;
      IsthmusHookCall *call;

      g_strstrip (lines[i]);
      if (*lines[i] == '\0')
        continue;

      root = parse_json (lines[i]);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_RECORDING,
                       _("%s:%u: not a JSON object"), path, i + 1);
          return NULL;
        }
      record = json_node_get_object (root);
      kind = dup_string_member (record, "kind");
      if (g_strcmp0 (kind, "invoke") != 0)
        continue;

      isolation = json_object_has_member (record, "isolation") &&
                  JSON_NODE_HOLDS_OBJECT (json_object_get_member (record, "isolation"))
                    ? json_object_get_object_member (record, "isolation") : NULL;
      message = isolation != NULL ? json_object_get_member (isolation, "original") : NULL;
      if (!is_invoke_message (message))
        message = json_object_get_member (record, "request");
      if (!is_invoke_message (message) || !isthmus_json_is_finite (message))
        {
          skip_count++;
          continue;
        }

      call = g_new0 (IsthmusHookCall, 1);
      call->line = i + 1;
      call->id = (guint64)json_object_get_int_member_with_default (record, "id", 0);
      call->window = dup_string_member (record, "window");
      call->cmd = g_strdup (json_object_get_string_member (json_node_get_object (message), "cmd"));
      call->message = isthmus_json_to_text (message, NULL);
      call->then_verdict = isolation != NULL ? dup_string_member (isolation, "verdict") : NULL;
      g_ptr_array_add (calls, call);
    }

  if (skipped != NULL)
    *skipped = skip_count;

  return g_steal_pointer (&calls);
}

/* The check */

typedef struct
{
  char  *cmd;
  char  *window;
  char  *verdict;
  guint  matched;
  guint  failed;
} Expectation;

static void
expectation_free (gpointer data)
{
  Expectation *expectation = data;

  g_free (expectation->cmd);
  g_free (expectation->window);
  g_free (expectation->verdict);
  g_free (expectation);
}

static gboolean
is_known_verdict (const char *verdict)
{
  return g_strcmp0 (verdict, "passed") == 0 || g_strcmp0 (verdict, "modified") == 0 ||
         g_strcmp0 (verdict, "blocked") == 0 || g_strcmp0 (verdict, "hook-error") == 0;
}

static GPtrArray *
load_expectations (const char  *path,
                   GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) expectations = NULL;
  JsonArray *array;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_set_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_EXPECTATIONS,
                   _("cannot read the expectations: %s"), local_error->message);
      return NULL;
    }

  root = parse_json (contents);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_EXPECTATIONS,
                   _("%s: expectations are a JSON array of {\"cmd\", \"window\", \"verdict\"}"), path);
      return NULL;
    }

  expectations = g_ptr_array_new_with_free_func (expectation_free);
  array = json_node_get_array (root);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      Expectation *expectation;

      expectation = g_new0 (Expectation, 1);
      g_ptr_array_add (expectations, expectation);
      if (object != NULL)
        {
          expectation->cmd = dup_string_member (object, "cmd");
          expectation->window = dup_string_member (object, "window");
          expectation->verdict = dup_string_member (object, "verdict");
        }
      if (expectation->cmd == NULL || !is_known_verdict (expectation->verdict) ||
          (object != NULL && json_object_has_member (object, "window") && expectation->window == NULL))
        {
          g_set_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_EXPECTATIONS,
                       _("%s: expectation %u needs a \"cmd\" glob, an optional \"window\" glob and a \"verdict\" (passed, modified, blocked or hook-error)"),
                       path, i + 1);
          return NULL;
        }
    }

  return g_steal_pointer (&expectations);
}

static gboolean
expectation_matches (const Expectation     *expectation,
                     const IsthmusHookCall *call)
{
  if (!g_pattern_match_simple (expectation->cmd, call->cmd))
    return FALSE;
  if (expectation->window != NULL &&
      (call->window == NULL || !g_pattern_match_simple (expectation->window, call->window)))
    return FALSE;

  return TRUE;
}

static void
append_padded (GString    *out,
               const char *text,
               guint       width)
{
  glong chars = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  for (glong i = chars; i < (glong)width; i++)
    g_string_append_c (out, ' ');
}

/**
 * isthmus_hook_check:
 * @app_dir: the isolation app folder
 * @recording_path: a JSON Lines recording
 * @expectations_path: (nullable): a JSON file of expectations
 * @worker_argv: (nullable): the worker command, or NULL for this executable
 * @timeout_ms: the time limit of one call, 0 for the default
 * @out: where the table goes
 * @err: where findings and errors go
 *
 * Returns: 0 when every expectation holds, 1 when one fails, 2 when the
 *   app, the recording or the expectations cannot be loaded
 */
int
isthmus_hook_check (const char         *app_dir,
                    const char         *recording_path,
                    const char         *expectations_path,
                    const char * const *worker_argv,
                    guint               timeout_ms,
                    GString            *out,
                    GString            *err)
{
  enum { COL_INDEX, COL_WINDOW, COL_COMMAND, COL_VERDICT, COL_CHANGES, N_COLS };
  static const char * const headers[N_COLS] = { "#", "WINDOW", "COMMAND", "VERDICT (THEN → NOW)", "CHANGES" };
  g_autoptr(IsthmusHookRunner) runner = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GPtrArray) expectations = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  guint widths[N_COLS] = { 0 };
  guint counts[4] = { 0 };
  guint skipped = 0;
  guint failed = 0;
  guint met = 0;
  GPtrArray *notes;

  g_return_val_if_fail (app_dir != NULL && recording_path != NULL, 2);
  g_return_val_if_fail (out != NULL && err != NULL, 2);

  if (!g_file_test (app_dir, G_FILE_TEST_IS_DIR))
    {
      g_string_append_printf (err, _("isthmus: --check-hook needs an isolation app folder, not “%s”\n"), app_dir);
      return 2;
    }

  calls = isthmus_hook_recording_load (recording_path, &skipped, &error);
  if (calls == NULL)
    {
      g_string_append_printf (err, "isthmus: %s\n", error->message);
      return 2;
    }

  if (expectations_path != NULL)
    {
      expectations = load_expectations (expectations_path, &error);
      if (expectations == NULL)
        {
          g_string_append_printf (err, "isthmus: %s\n", error->message);
          return 2;
        }
    }

  findings = isthmus_hook_lint_app (app_dir, NULL);
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      g_autofree char *text = isthmus_hook_lint_finding_format (g_ptr_array_index (findings, i));

      g_string_append_printf (err, _("lint: %s\n"), text);
    }

  runner = isthmus_hook_runner_new (app_dir);
  if (timeout_ms > 0)
    isthmus_hook_runner_set_timeout_ms (runner, timeout_ms);
  isthmus_hook_runner_set_worker_argv (runner, worker_argv);
  if (!isthmus_hook_runner_load (runner, &error))
    {
      g_string_append_printf (err, "isthmus: %s\n", error->message);
      return 2;
    }
  notes = isthmus_hook_runner_get_notes (runner);
  for (guint i = 0; i < notes->len; i++)
    g_string_append_printf (err, _("note: %s\n"), (const char *)g_ptr_array_index (notes, i));

  results = g_ptr_array_new_with_free_func ((GDestroyNotify)isthmus_hook_result_free);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  for (guint c = 0; c < N_COLS; c++)
    widths[c] = g_utf8_strlen (headers[c], -1);

  for (guint i = 0; i < calls->len; i++)
    {
      const IsthmusHookCall *call = g_ptr_array_index (calls, i);
      IsthmusHookResult *result;
      char **row;

      result = isthmus_hook_runner_run (runner, call->message, &error);
      if (result == NULL)
        {
          g_string_append_printf (err, "isthmus: %s:%u: %s\n", recording_path, call->line, error->message);
          return 2;
        }
      g_ptr_array_add (results, result);

      if (g_str_equal (result->verdict, "passed"))
        counts[0]++;
      else if (g_str_equal (result->verdict, "modified"))
        counts[1]++;
      else if (g_str_equal (result->verdict, "blocked"))
        counts[2]++;
      else
        counts[3]++;

      row = g_new0 (char *, N_COLS + 1);
      row[COL_INDEX] = g_strdup_printf ("%u", i + 1);
      row[COL_WINDOW] = g_strdup (call->window != NULL ? call->window : "-");
      row[COL_COMMAND] = g_strdup (call->cmd);
      row[COL_VERDICT] = g_strdup_printf ("%s → %s", call->then_verdict != NULL ? call->then_verdict : "(none)",
                                          result->verdict);
      row[COL_CHANGES] = isthmus_hook_result_diff_summary (result, 60);
      for (guint c = 0; c < N_COLS; c++)
        widths[c] = MAX (widths[c], (guint)g_utf8_strlen (row[c], -1));
      g_ptr_array_add (rows, row);
    }

  for (guint c = 0; c < N_COLS; c++)
    {
      if (c + 1 < N_COLS)
        {
          append_padded (out, headers[c], widths[c]);
          g_string_append (out, "  ");
        }
      else
        g_string_append (out, headers[c]);
    }
  g_string_append_c (out, '\n');

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);
      const IsthmusHookResult *result = g_ptr_array_index (results, i);

      for (guint c = 0; c < N_COLS; c++)
        {
          if (c + 1 < N_COLS)
            {
              append_padded (out, row[c], widths[c]);
              g_string_append (out, "  ");
            }
          else
            g_string_append (out, row[c]);
        }
      g_string_append_c (out, '\n');
      if (result->reason != NULL)
        g_string_append_printf (out, "    %s\n", result->reason);
      for (guint j = 0; result->lint[j] != NULL; j++)
        g_string_append_printf (out, "    lint: %s\n", result->lint[j]);
      for (guint j = 0; result->console[j] != NULL; j++)
        g_string_append_printf (out, "    console.%s\n", result->console[j]);
    }

  g_string_append_printf (out, _("%u calls: %u passed, %u modified, %u blocked, %u hook-error"),
                          calls->len, counts[0], counts[1], counts[2], counts[3]);
  if (skipped > 0)
    g_string_append_printf (out, _("; %u invoke records without a usable message skipped"), skipped);
  g_string_append_c (out, '\n');

  if (expectations == NULL)
    return 0;

  for (guint e = 0; e < expectations->len; e++)
    {
      Expectation *expectation = g_ptr_array_index (expectations, e);

      for (guint i = 0; i < calls->len; i++)
        {
          const IsthmusHookCall *call = g_ptr_array_index (calls, i);
          const IsthmusHookResult *result = g_ptr_array_index (results, i);

          if (!expectation_matches (expectation, call))
            continue;
          expectation->matched++;
          if (!g_str_equal (result->verdict, expectation->verdict))
            {
              expectation->failed++;
              g_string_append_printf (out, _("FAILED: %s%s%s should be %s, but call %u is %s\n"),
                                      expectation->cmd,
                                      expectation->window != NULL ? _(" from window ") : "",
                                      expectation->window != NULL ? expectation->window : "",
                                      expectation->verdict, i + 1, result->verdict);
            }
        }
      if (expectation->matched == 0)
        {
          expectation->failed++;
          g_string_append_printf (out, _("FAILED: %s%s%s should be %s, but no recorded call matches\n"),
                                  expectation->cmd,
                                  expectation->window != NULL ? _(" from window ") : "",
                                  expectation->window != NULL ? expectation->window : "",
                                  expectation->verdict);
        }
      if (expectation->failed > 0)
        failed++;
      else
        met++;
    }

  g_string_append_printf (out, _("%u expectations: %u met, %u failed\n"), expectations->len, met, failed);

  return failed > 0 ? 1 : 0;
}

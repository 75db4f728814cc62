/* test-isolation.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The isolation pattern in a real WebKitWebView with the real
 * @tauri-apps/api: one host (web context) per hook fixture of
 * tests/web/isolation/hooks, plus attacks from the page and bridge worlds.
 */

#define G_LOG_DOMAIN "test-isolation"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "isthmus-config.h"
#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-isolation.h"
#include "isthmus-stream-commands.h"
#include "isthmus-web-host.h"
#include "isthmus-web-host-private.h"
#include "isthmus-web-isolation.h"
#include "web-test-util.h"

#define WAIT_TIMEOUT_MS 120000

typedef struct
{
  IsthmusCore    *core;
  IsthmusWebHost *host;
  GtkWindow      *window;
  WebKitWebView  *view;
  char           *hook;

  char           *report_name;
  gboolean        report_ok;
  char           *report_detail;
  int             bumps;
} Fixture;

static Fixture fixture;

static void
report_cb (IsthmusInvocation *invocation,
           gpointer           user_data)
{
  Fixture *f = user_data;
  JsonObject *args = json_node_get_object (isthmus_invocation_get_args (invocation));

  g_clear_pointer (&f->report_name, g_free);
  g_clear_pointer (&f->report_detail, g_free);
  f->report_name = g_strdup (json_object_get_string_member_with_default (args, "name", ""));
  f->report_ok = json_object_get_boolean_member_with_default (args, "ok", FALSE);
  f->report_detail = g_strdup (json_object_get_string_member_with_default (args, "detail", ""));
  isthmus_invocation_return_value (invocation, NULL);
}

static void
bump_cb (IsthmusInvocation *invocation,
         gpointer           user_data)
{
  Fixture *f = user_data;
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  f->bumps++;
  json_node_set_int (value, f->bumps);
  isthmus_invocation_return_value (invocation, value);
}

static gboolean
report_arrived (gpointer data)
{
  return fixture.report_name != NULL;
}

/* Makes sure the current host runs the isolation app @hook (NULL: the
 * bundled passthrough), creating a new web context when it changes. */
static void
use_hook (const char *hook)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  IsthmusRegistry *registry;

  if (fixture.host != NULL && g_strcmp0 (fixture.hook, hook) == 0)
    return;

  if (fixture.window != NULL)
    gtk_window_destroy (fixture.window);
  fixture.window = NULL;
  g_clear_object (&fixture.view);
  g_clear_object (&fixture.host);
  g_clear_object (&fixture.core);
  g_free (fixture.hook);
  fixture.hook = g_strdup (hook);

  fixture.core = isthmus_core_new ();
  registry = isthmus_core_get_registry (fixture.core);
  isthmus_demo_commands_register (registry);
  isthmus_stream_commands_register (registry);
  g_assert_true (isthmus_registry_add (registry, "test_report", NULL, report_cb, &fixture, NULL));
  g_assert_true (isthmus_registry_add (registry, "bump", NULL, bump_cb, &fixture, NULL));
  fixture.bumps = 0;

  path = g_test_build_filename (G_TEST_DIST, "web", "isolation", "tauri.conf.json", NULL);
  config = isthmus_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (isthmus_config_get_pattern (config), ==, ISTHMUS_PATTERN_ISOLATION);
  if (hook != NULL)
    {
      g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "web", "isolation", "hooks", hook, NULL);

      isthmus_config_set_isolation_dir (config, dir);
    }
  else
    isthmus_config_set_isolation_dir (config, NULL);

  fixture.host = isthmus_web_host_new (fixture.core, config, &error);
  g_assert_no_error (error);
  g_assert_true (isthmus_core_get_isolation (fixture.core));

  g_clear_pointer (&fixture.report_name, g_free);
  fixture.view = g_object_ref_sink (isthmus_web_host_create_view (fixture.host, "main"));
  fixture.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture.window, 400, 300);
  gtk_window_set_child (fixture.window, GTK_WIDGET (fixture.view));
  gtk_window_present (fixture.window);

  if (!wait_for (report_arrived, NULL, WAIT_TIMEOUT_MS))
    g_error ("hook %s: the first page did not report", hook);
}

static void
run_case (const char *name,
          const char *expect_name)
{
  g_autofree char *uri = g_strdup_printf ("tauri://localhost/web/isolation/page.html?case=%s", name);

  g_clear_pointer (&fixture.report_name, g_free);
  g_clear_pointer (&fixture.report_detail, g_free);
  webkit_web_view_load_uri (fixture.view, uri);

  if (!wait_for (report_arrived, NULL, WAIT_TIMEOUT_MS))
    g_error ("case %s: no report within %u ms", name, WAIT_TIMEOUT_MS);

  g_test_message ("case %s: %s: %s", name, fixture.report_ok ? "ok" : "FAILED", fixture.report_detail);
  g_assert_cmpstr (fixture.report_name, ==, expect_name != NULL ? expect_name : name);
  if (!fixture.report_ok)
    g_test_fail_printf ("case %s failed: %s", name, fixture.report_detail);
}

/* The newest record of @command (of any kind), or NULL. (transfer full) */
static IsthmusExchange *
last_record (const char *command)
{
  GListModel *model = G_LIST_MODEL (isthmus_core_get_recorder (fixture.core));

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i - 1);

      if (g_strcmp0 (isthmus_exchange_get_command (exchange), command) == 0)
        return g_steal_pointer (&exchange);
    }

  return NULL;
}

/* The newest console record whose text starts with @prefix. */
static char *
last_console (const char *prefix)
{
  GListModel *model = G_LIST_MODEL (isthmus_core_get_recorder (fixture.core));

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i - 1);
      GBytes *request = isthmus_exchange_get_request (exchange);
      gsize length;
      const char *data = g_bytes_get_data (request, &length);

      if (g_str_has_prefix (isthmus_exchange_get_command (exchange) ?: "", "console.") &&
          data != NULL && length >= strlen (prefix) && strncmp (data, prefix, strlen (prefix)) == 0)
        return g_strndup (data, length);
    }

  return NULL;
}

typedef struct
{
  JSCValue *value;
  GError   *error;
  gboolean  done;
} JsResult;

static void
js_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  JsResult *r = user_data;

  r->value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (object), result, &r->error);
  r->done = TRUE;
}

static gboolean
js_finished (gpointer data)
{
  return ((JsResult *)data)->done;
}

static char *
run_in_world (const char *world,
              const char *body)
{
  JsResult r = { 0 };
  char *text;

  webkit_web_view_call_async_javascript_function (fixture.view, body, -1, NULL, world,
                                                  "isthmus-test://isolation", NULL,
                                                  js_done_cb, &r);
  g_assert_true (wait_for (js_finished, &r, WAIT_TIMEOUT_MS));
  g_assert_no_error (r.error);
  g_assert_nonnull (r.value);
  text = jsc_value_to_string (r.value);
  g_object_unref (r.value);
  return text;
}

static const char *
bridge_world (void)
{
  return _isthmus_web_host_get_world_name (fixture.host, fixture.view);
}

static void
assert_verdict (const char *command,
                const char *verdict)
{
  g_autoptr(IsthmusExchange) exchange = last_record (command);

  g_assert_nonnull (exchange);
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, verdict);
}

static void
test_passthrough (void)
{
  g_autoptr(IsthmusExchange) exchange = NULL;
  const IsthmusExchangeIsolation *info;
  g_autofree char *line = NULL;

  use_hook (NULL);
  run_case ("passthrough", NULL);
  assert_verdict ("greet", "passed");

  exchange = last_record ("greet");
  info = isthmus_exchange_get_isolation (exchange);
  g_assert_cmpint (info->hook_us, >=, 0);
  g_assert_cmpint (info->encrypt_us, >=, 0);
  g_assert_cmpint (info->decrypt_us, >=, 0);
  g_assert_cmpint (info->transport_us, >=, 0);
  g_assert_nonnull (info->original);
  line = isthmus_exchange_to_jsonl (exchange);
  g_test_message ("record: %s", line);
  g_assert_nonnull (strstr (line, "\"isolation\":{\"verdict\":\"passed\""));
}

static void
test_modify (void)
{
  use_hook ("modify");
  run_case ("modify", NULL);
  assert_verdict ("greet", "modified");
}

static void
test_block (void)
{
  use_hook ("block");
  run_case ("block", NULL);
  assert_verdict ("greet", "blocked");
}

static void
test_throw (void)
{
  g_autoptr(IsthmusExchange) exchange = NULL;

  use_hook ("throw");
  run_case ("throw", NULL);
  exchange = last_record ("greet");
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "blocked");
  g_assert_nonnull (strstr (isthmus_exchange_get_isolation (exchange)->reason, "no greeting for page"));
}

static void
test_async (void)
{
  g_autoptr(IsthmusExchange) exchange = NULL;

  use_hook ("async");
  run_case ("async", NULL);
  exchange = last_record ("echo");
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "passed");
  g_assert_cmpint (isthmus_exchange_get_isolation (exchange)->hook_us, >=, 15000);
}

static gboolean
has_note (const char * const *notes,
          const char          *needle)
{
  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    if (strstr (notes[i], needle) != NULL)
      return TRUE;

  return FALSE;
}

static void
test_probe (void)
{
  g_autoptr(IsthmusExchange) exchange = NULL;
  g_autofree char *probe = NULL;
  const IsthmusExchangeIsolation *info;

  use_hook ("probe");
  run_case ("probe", NULL);
  exchange = last_record ("greet");
  info = isthmus_exchange_get_isolation (exchange);
  g_assert_cmpstr (info->verdict, ==, "passed");
  g_assert_true (has_note (info->lint, "the hook reads payload.message, which Tauri v2 never sets"));
  g_assert_true (has_note (info->lint, "confirm() is blocked in the sandboxed isolation frame"));
  g_assert_true (has_note (info->reads, "payload.message"));

  probe = last_console ("probe ");
  g_assert_nonnull (probe);
  g_test_message ("%s", probe);
  /* Exactly Tauri's message shape (options is absent when not given). */
  g_assert_nonnull (strstr (probe, "\"keys\":\"callback,cmd,error,payload\""));
  g_assert_nonnull (strstr (probe, "\"captured\":false"));
  g_assert_nonnull (strstr (probe, "\"exportKey\":\"threw"));
  g_assert_nonnull (strstr (probe, "\"fetched\":\"blocked\""));
  g_assert_nonnull (strstr (probe, "\"html\":false"));
}

static void
test_remove_frame (void)
{
  use_hook (NULL);
  run_case ("remove-frame", "remove-frame");
}

/* The bridge world wraps the handler to capture what the bridge posts. */
static const char capture_body[] =
  "const h = window.webkit.messageHandlers.isthmusIpc;"
  "const orig = h.postMessage.bind (h);"
  "window.__orig = orig; window.__captured = [];"
  "h.postMessage = (t) => { if (typeof t === 'string' && t[0] === 'E') window.__captured.push (t); return orig (t); };"
  "return 'ok';";

static const char replay_body[] =
  "const t = window.__captured.find ((x) => x.includes ('\"cmd\":\"bump\"'));"
  "if (t === undefined) return 'nothing captured';"
  "const counts = {};"
  "for (let i = 0; i < 10000; i += 100) {"
  "  const batch = [];"
  "  for (let j = 0; j < 100; j++) batch.push (window.__orig (t));"
  "  for (const s of await Promise.allSettled (batch)) {"
  "    const k = s.status === 'fulfilled' ? 'ok' : JSON.parse (s.reason.message).code;"
  "    counts[k] = (counts[k] || 0) + 1;"
  "  }"
  "}"
  "return JSON.stringify (counts);";

static const char forge_body[] =
  "const t = window.__captured.find ((x) => x.includes ('\"cmd\":\"bump\"'));"
  "const env = JSON.parse (t.split ('\\n')[1]);"
  "const counts = {};"
  "function random64 (n) { const b = new Uint8Array (n); crypto.getRandomValues (b); return btoa (String.fromCharCode (...b)); }"
  "for (let i = 0; i < 10000; i += 100) {"
  "  const batch = [];"
  "  for (let j = 0; j < 100; j++) {"
  "    const k = i + j;"
  "    let text;"
  "    if (k % 2 === 0) text = JSON.stringify ({cmd: 'bump', callback: 1, error: 2, payload: {}});"
  "    else text = 'E1 1\\n' + JSON.stringify ({...env, seq: 100 + k, nonce: random64 (12), ct: random64 (48)}) + '\\n';"
  "    batch.push (window.__orig (text));"
  "  }"
  "  for (const s of await Promise.allSettled (batch)) {"
  "    const c = s.status === 'fulfilled' ? 'ok' : JSON.parse (s.reason.message).code;"
  "    counts[c] = (counts[c] || 0) + 1;"
  "  }"
  "}"
  "return JSON.stringify (counts);";

static void
test_replay_and_forgery (void)
{
  g_autofree char *result = NULL;
  g_autofree char *captured = NULL;
  g_autoptr(IsthmusExchange) exchange = NULL;

  use_hook (NULL);
  run_case ("idle", NULL);

  result = run_in_world (bridge_world (), capture_body);
  g_assert_cmpstr (result, ==, "ok");
  g_clear_pointer (&result, g_free);

  result = run_in_world (NULL, "return String (await window.__TAURI_INTERNALS__.invoke ('bump'));");
  g_assert_cmpstr (result, ==, "1");
  g_assert_cmpint (fixture.bumps, ==, 1);
  g_clear_pointer (&result, g_free);

  /* T3: 10,000 replays of a valid envelope. */
  result = run_in_world (bridge_world (), replay_body);
  g_test_message ("replays: %s", result);
  g_assert_cmpstr (result, ==, "{\"ISOLATION_REJECTED\":10000}");
  g_assert_cmpint (fixture.bumps, ==, 1);
  exchange = last_record ("bump");
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "rejected-replay");
  g_assert_true (g_str_has_prefix (isthmus_exchange_get_isolation (exchange)->reason, "rejected: replay seq="));
  g_clear_pointer (&result, g_free);

  /* T1/T2: plaintext and forged envelopes from the bridge world. */
  result = run_in_world (bridge_world (), forge_body);
  g_test_message ("forgeries: %s", result);
  g_assert_cmpstr (result, ==, "{\"ISOLATION_REJECTED\":10000}");
  g_assert_cmpint (fixture.bumps, ==, 1);
  g_clear_pointer (&result, g_free);

  /* T5: after a reload (new epoch and key) the old envelope is refused. */
  captured = run_in_world (bridge_world (),
                           "return window.__captured.find ((x) => x.includes ('\"cmd\":\"bump\"'));");
  run_case ("idle", NULL);
  {
    g_autofree char *body = NULL;
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
    g_autofree char *quoted = NULL;

    json_node_set_string (node, captured);
    quoted = json_to_string (node, FALSE);
    body = g_strdup_printf ("try { await window.webkit.messageHandlers.isthmusIpc.postMessage (%s); return 'ok'; }"
                            "catch (e) { return JSON.parse (e.message).code; }", quoted);
    g_clear_pointer (&result, g_free);
    result = run_in_world (bridge_world (), body);
  }
  g_assert_cmpstr (result, ==, "ISOLATION_REJECTED");
  g_clear_object (&exchange);
  exchange = last_record ("bump");
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "rejected-stale");
  g_assert_cmpint (fixture.bumps, ==, 1);
}

/* The page world can talk to the frame with window.postMessage, and sees
 * its replies, but nothing it gets that way reaches the core: it posts a
 * bump request of its own to the frame, takes the envelope the frame
 * signs, and hands it and the bridge's own earlier reply back to the
 * bridge's window, as real and as synthetic events from the frame. */
static const char page_messages_body[] =
  "const frame = document.getElementById ('__tauri_isolation__').contentWindow;"
  "const replies = [];"
  "let wake = null;"
  "window.addEventListener ('message', (e) => {"
  "  if (e.source === frame && e.data && e.data.t === 'env') { replies.push (e.data); if (wake) wake (); }"
  "});"
  "function next (pred) {"
  "  return new Promise ((resolve) => {"
  "    const check = () => { const r = replies.find (pred); if (r) { wake = null; resolve (r); } };"
  "    wake = check; check ();"
  "  });"
  "}"
  "const first = await window.__TAURI_INTERNALS__.invoke ('bump');"
  "const seen = await next ((r) => r.id !== 'page-1');"
  "const text = JSON.stringify ({ cmd: 'bump', callback: 1, error: 2, payload: {} });"
  "frame.postMessage ({ t: 'req', id: 'page-1', text }, '*');"
  "const own = await next ((r) => r.id === 'page-1');"
  "for (const data of [own, seen, { ...own, id: seen.id }]) {"
  "  window.postMessage (data, '*');"
  "  window.dispatchEvent (new MessageEvent ('message', { data, source: frame, origin: 'null' }));"
  "}"
  "const second = await window.__TAURI_INTERNALS__.invoke ('bump');"
  "return first + ' ' + second + ' ' + typeof own.env + ' ' + /^[0-9a-f]{32}$/.test (seen.id);";

static void
test_page_messages (void)
{
  g_autofree char *result = NULL;
  g_autofree char *expected = NULL;
  IsthmusRecorder *recorder;
  GListModel *model;
  guint64 first = 0;
  guint n_bump = 0;
  guint n;
  int bumps;

  use_hook (NULL);
  run_case ("idle", NULL);
  recorder = isthmus_core_get_recorder (fixture.core);
  model = G_LIST_MODEL (recorder);
  isthmus_recorder_flush (recorder);
  n = g_list_model_get_n_items (model);
  if (n > 0)
    {
      g_autoptr(IsthmusExchange) last = g_list_model_get_item (model, n - 1);

      first = isthmus_exchange_get_id (last);
    }
  bumps = fixture.bumps;

  result = run_in_world (NULL, page_messages_body);
  g_test_message ("page world messages: %s", result);
  expected = g_strdup_printf ("%d %d string true", bumps + 1, bumps + 2);
  g_assert_cmpstr (result, ==, expected);
  g_assert_cmpint (fixture.bumps, ==, bumps + 2);

  /* Nothing else was forwarded, not even to be rejected. */
  isthmus_recorder_flush (recorder);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i);

      if (isthmus_exchange_get_id (exchange) <= first ||
          g_strcmp0 (isthmus_exchange_get_command (exchange), "bump") != 0)
        continue;
      n_bump++;
      g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "passed");
    }
  g_assert_cmpuint (n_bump, ==, 2);
}

/* A frame the page navigates fails closed at its next load. */
static const char navigate_body[] =
  "const iframe = document.getElementById ('__tauri_isolation__');"
  "const before = await window.__TAURI_INTERNALS__.invoke ('echo', { value: 1 });"
  "await new Promise ((resolve) => {"
  "  iframe.addEventListener ('load', resolve, { once: true });"
  "  iframe.contentWindow.location.href = 'about:blank';"
  "});"
  "try { await window.__TAURI_INTERNALS__.invoke ('echo', { value: 2 }); return 'resolved'; }"
  "catch (e) { return before + ' ' + String (e); }";

static void
test_navigate_frame (void)
{
  g_autofree char *result = NULL;

  use_hook (NULL);
  run_case ("idle", NULL);
  result = run_in_world (NULL, navigate_body);
  g_test_message ("navigated frame: %s", result);
  g_assert_true (g_str_has_prefix (result, "1 ISOLATION_UNAVAILABLE: "));
  g_assert_nonnull (strstr (result, "navigated away"));
}

static void
test_page_world (void)
{
  g_autofree char *result = NULL;

  use_hook (NULL);
  run_case ("idle", NULL);
  result = run_in_world (NULL, "return typeof window.webkit?.messageHandlers?.isthmusIpc + ' ' +"
                               " typeof window.__isthmusIsolationSend;");
  g_assert_cmpstr (result, ==, "undefined undefined");
}

static void
test_served_once (void)
{
  g_autofree char *src = NULL;
  g_autofree char *result = NULL;
  IsthmusWebIsolation *isolation;
  const char *token;
  guint tokens;

  use_hook (NULL);
  run_case ("idle", NULL);
  isolation = isthmus_web_isolation_from_context (isthmus_web_host_get_context (fixture.host));
  g_assert_nonnull (isolation);
  tokens = isthmus_web_isolation_get_n_tokens (isolation);

  src = run_in_world (NULL, "return document.getElementById ('__tauri_isolation__').getAttribute ('src');");
  g_assert_true (g_str_has_prefix (src, "isolation://localhost/"));
  token = src + strlen ("isolation://localhost/");
  src[strlen (src) - 1] = '\0';
  g_assert_cmpuint (isthmus_web_isolation_get_n_served (isolation, token), ==, 1);

  result = run_in_world (NULL, "const src = document.getElementById ('__tauri_isolation__').src;"
                               "try { const r = await fetch (src); return 'status ' + r.status + ' ' + (await r.text ()).includes ('key'); }"
                               "catch (e) { return 'blocked'; }");
  g_test_message ("page fetch of the isolation document: %s", result);
  g_assert_true (g_strcmp0 (result, "blocked") == 0 || g_str_has_prefix (result, "status 404"));
  g_clear_pointer (&result, g_free);

  /* The bridge world may not get a second token for this page either. */
  result = run_in_world (bridge_world (), "try { await window.webkit.messageHandlers.isthmusIpc.postMessage ('H'); return 'issued'; }"
                                          "catch (e) { return JSON.parse (e.message).code; }");
  g_assert_cmpstr (result, ==, "ISOLATION_UNAVAILABLE");
  g_assert_cmpuint (isthmus_web_isolation_get_n_served (isolation, token), ==, 1);
  g_assert_cmpuint (isthmus_web_isolation_get_n_tokens (isolation), ==, tokens);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("isthmus-test-isolation");
  gtk_init ();

  g_test_add_func ("/isthmus/web/isolation/passthrough", test_passthrough);
  g_test_add_func ("/isthmus/web/isolation/page-world", test_page_world);
  g_test_add_func ("/isthmus/web/isolation/served-once", test_served_once);
  g_test_add_func ("/isthmus/web/isolation/replay-forgery-stale", test_replay_and_forgery);
  g_test_add_func ("/isthmus/web/isolation/remove-frame", test_remove_frame);
  g_test_add_func ("/isthmus/web/isolation/page-messages", test_page_messages);
  g_test_add_func ("/isthmus/web/isolation/navigate-frame", test_navigate_frame);
  g_test_add_func ("/isthmus/web/isolation/modify", test_modify);
  g_test_add_func ("/isthmus/web/isolation/block", test_block);
  g_test_add_func ("/isthmus/web/isolation/throw", test_throw);
  g_test_add_func ("/isthmus/web/isolation/async", test_async);
  g_test_add_func ("/isthmus/web/isolation/probe", test_probe);

  ret = g_test_run ();

  if (fixture.window != NULL)
    gtk_window_destroy (fixture.window);
  g_clear_object (&fixture.view);
  g_clear_object (&fixture.host);
  g_clear_object (&fixture.core);
  g_clear_pointer (&fixture.hook, g_free);
  g_clear_pointer (&fixture.report_name, g_free);
  g_clear_pointer (&fixture.report_detail, g_free);

  return ret;
}

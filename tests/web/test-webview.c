/* test-webview.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-webview"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "isthmus-channel.h"
#include "isthmus-config.h"
#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-error.h"
#include "isthmus-stream-commands.h"
#include "isthmus-web-host.h"
#include "isthmus-web-host-private.h"
#include "web-test-util.h"

#define WAIT_TIMEOUT_MS 120000

typedef struct
{
  IsthmusCore    *core;
  IsthmusConfig  *config;
  IsthmusWebHost *host;
  GtkWindow      *window;
  WebKitWebView  *view;

  /* The last test_report received. */
  char           *report_name;
  gboolean        report_ok;
  char           *report_detail;

  /* Exchanges added to the recorder so far. */
  guint64         n_recorded;
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
recorder_items_changed_cb (GListModel *model,
                           guint       position,
                           guint       removed,
                           guint       added,
                           gpointer    user_data)
{
  Fixture *f = user_data;

  f->n_recorded += added;
}

static gboolean
report_arrived (gpointer data)
{
  Fixture *f = data;

  return f->report_name != NULL;
}

static void
run_case_in (WebKitWebView *view,
             const char    *name,
             gboolean       expect_ok)
{
  g_autofree char *uri = g_strdup_printf ("tauri://localhost/web/pages/cases.html?case=%s", name);

  g_clear_pointer (&fixture.report_name, g_free);
  g_clear_pointer (&fixture.report_detail, g_free);
  webkit_web_view_load_uri (view, uri);

  if (!wait_for (report_arrived, &fixture, WAIT_TIMEOUT_MS))
    g_error ("case %s: no report within %u ms", name, WAIT_TIMEOUT_MS);

  g_test_message ("case %s: %s: %s", name, fixture.report_ok ? "ok" : "FAILED", fixture.report_detail);
  g_assert_cmpstr (fixture.report_name, ==, name);
  if (expect_ok && !fixture.report_ok)
    g_test_fail_printf ("case %s failed: %s", name, fixture.report_detail);
}

static void
run_case (const char *name)
{
  run_case_in (fixture.view, name, TRUE);
}

static void
page_case_cb (gconstpointer data)
{
  run_case (data);
}

static void
test_iframes (void)
{
  guint64 before = fixture.n_recorded;

  run_case ("iframes");
  /* Only the page's own report reached the core. */
  g_assert_cmpuint (fixture.n_recorded - before, ==, 1);
}

static void
test_page_world (void)
{
  guint64 before = fixture.n_recorded;

  run_case ("page-world");
  g_assert_cmpuint (fixture.n_recorded - before, ==, 1);
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

  r->value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &r->error);
  r->done = TRUE;
}

static gboolean
js_finished (gpointer data)
{
  JsResult *r = data;

  return r->done;
}

/* Runs @body as an async function in @world of @view; returns its value
 * as a string. */
static char *
run_in_world (WebKitWebView *view,
              const char    *world,
              const char    *body)
{
  JsResult r = { 0 };
  char *text;

  webkit_web_view_call_async_javascript_function (view, body, -1, NULL, world,
                                                  "isthmus-test://bridge", NULL,
                                                  js_done_cb, &r);
  g_assert_true (wait_for (js_finished, &r, WAIT_TIMEOUT_MS));
  g_assert_no_error (r.error);
  g_assert_nonnull (r.value);
  g_assert_true (jsc_value_is_string (r.value));
  text = jsc_value_to_string (r.value);
  g_object_unref (r.value);
  return text;
}

static void
load_idle_page (void)
{
  run_case ("greet");
}

static void
test_bridge_non_string (void)
{
  const char *body =
    "const h = window.webkit.messageHandlers.isthmusIpc;"
    "const values = [undefined, null, {}, 1, [], ''];"
    "const settled = await Promise.allSettled (values.map ((v) => h.postMessage (v)));"
    "return JSON.stringify (settled.map ((s) => s.status === 'rejected' ?"
    "  JSON.parse (s.reason.message).code : 'resolved:' + typeof s.value));";
  const char *world;
  g_autofree char *result = NULL;
  guint64 before;

  load_idle_page ();
  before = fixture.n_recorded;
  world = _isthmus_web_host_get_world_name (fixture.host, fixture.view);
  g_assert_nonnull (world);

  result = run_in_world (fixture.view, world, body);
  g_test_message ("non-string posts: %s", result);
  g_assert_cmpstr (result, ==,
                   "[\"BAD_MESSAGE\",\"BAD_MESSAGE\",\"BAD_MESSAGE\",\"BAD_MESSAGE\",\"BAD_MESSAGE\",\"BAD_MESSAGE\"]");
  /* The five non-strings never reach the core; the empty string does. */
  g_assert_cmpuint (fixture.n_recorded - before, ==, 1);
}

static void
test_bridge_deep (void)
{
  const char *body =
    "const h = window.webkit.messageHandlers.isthmusIpc;"
    "const n = 100000;"
    "const text = '{\"cmd\":\"echo\",\"callback\":1,\"error\":2,\"payload\":{\"value\":' +"
    "  '['.repeat (n) + ']'.repeat (n) + '}}';"
    "try { await h.postMessage (text); return 'resolved'; }"
    "catch (e) { return JSON.parse (e.message).code; }";
  g_autofree char *result = NULL;

  load_idle_page ();
  result = run_in_world (fixture.view,
                         _isthmus_web_host_get_world_name (fixture.host, fixture.view),
                         body);
  g_assert_cmpstr (result, ==, "JSON_TOO_DEEP");
}

static void
test_bridge_too_large (void)
{
  /* Past the bridge's own check, the core refuses it again. */
  const char *body =
    "const h = window.webkit.messageHandlers.isthmusIpc;"
    "const text = '{\"cmd\":\"echo\",\"callback\":1,\"error\":2,\"payload\":{\"value\":\"' +"
    "  'x'.repeat (17 * 1024 * 1024) + '\"}}';"
    "try { await h.postMessage (text); return 'resolved'; }"
    "catch (e) { return JSON.parse (e.message).code; }";
  g_autofree char *result = NULL;

  load_idle_page ();
  result = run_in_world (fixture.view,
                         _isthmus_web_host_get_world_name (fixture.host, fixture.view),
                         body);
  g_assert_cmpstr (result, ==, "PAYLOAD_TOO_LARGE");
}

/* Calls made in one turn share script messages; every one is still its
 * own record with its own reply, async ones through a wait. */
static void
test_batch_concurrent (void)
{
  guint64 before = fixture.n_recorded;
  guint64 batches_before, waits_before, batches, waits;

  load_idle_page ();
  before = fixture.n_recorded;
  g_assert_true (_isthmus_web_host_get_batch_counts (fixture.host, fixture.view,
                                                     &batches_before, &waits_before));
  run_case ("concurrent");
  g_assert_true (_isthmus_web_host_get_batch_counts (fixture.host, fixture.view, &batches, &waits));
  g_test_message ("%" G_GUINT64_FORMAT " batches, %" G_GUINT64_FORMAT " waits",
                  batches - batches_before, waits - waits_before);
  /* 600 calls and the report, each recorded once. */
  g_assert_cmpuint (fixture.n_recorded - before, ==, 601);
  /* Every twelfth call is too large to share a message, so the others
   * cross in batches of at most eleven; each of the 100 slow calls is
   * answered through a wait. */
  g_assert_cmpuint (batches - batches_before, >=, 50);
  g_assert_cmpuint (waits - waits_before, ==, 100);
}

/* An async command answering with bytes, in a batch: the bytes come
 * through a wait and reach the page as an ArrayBuffer. */
static void
test_batch_late_bytes (void)
{
  guint64 batches_before, waits_before, batches, waits;

  load_idle_page ();
  g_assert_true (_isthmus_web_host_get_batch_counts (fixture.host, fixture.view,
                                                     &batches_before, &waits_before));
  run_case ("late-bytes");
  g_assert_true (_isthmus_web_host_get_batch_counts (fixture.host, fixture.view, &batches, &waits));
  g_assert_cmpuint (batches - batches_before, >=, 1);
  g_assert_cmpuint (waits - waits_before, ==, 2);
}

/* With a small message limit, calls that each fit are never refused for
 * crossing in one batch: the bridge sizes its batches by the limit. */
static void
test_batch_limit (void)
{
  g_autoptr(IsthmusCore) core = isthmus_core_new ();
  g_autoptr(IsthmusWebHost) host = NULL;
  g_autoptr(WebKitWebView) view = NULL;
  g_autoptr(GError) error = NULL;
  IsthmusJsonLimits limits = *isthmus_core_get_limits (core);
  Fixture counts = { 0 };
  GtkWindow *window;

  limits.max_bytes = 8192;
  isthmus_core_set_limits (core, &limits);
  isthmus_demo_commands_register (isthmus_core_get_registry (core));
  g_assert_true (isthmus_registry_add (isthmus_core_get_registry (core), "test_report", NULL,
                                       report_cb, &fixture, NULL));
  g_signal_connect (isthmus_core_get_recorder (core), "items-changed",
                    G_CALLBACK (recorder_items_changed_cb), &counts);

  host = isthmus_web_host_new (core, fixture.config, &error);
  g_assert_no_error (error);
  /* The window's own start page reports first ("no case"). */
  g_clear_pointer (&fixture.report_name, g_free);
  view = g_object_ref_sink (isthmus_web_host_create_view (host, "main"));
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);
  g_assert_true (wait_for (report_arrived, &fixture, WAIT_TIMEOUT_MS));
  counts.n_recorded = 0;

  run_case_in (view, "batch-limit", TRUE);
  /* Ten echoes and the report, each recorded. */
  g_assert_cmpuint (counts.n_recorded, ==, 11);

  gtk_window_destroy (window);
}

/* The batch and wait forms, posted directly from the bridge's world. */
static void
test_batch_forms (void)
{
  const char *body =
    "const h = window.webkit.messageHandlers.isthmusIpc;"
    "const code = async (p) => { try { await p; return 'resolved'; } catch (e) { return JSON.parse (e.message).code; } };"
    "const out = {};"
    "const echo = (v) => JSON.stringify ({cmd: 'echo', callback: 1, error: 2, payload: {value: v}});"
    "out.mixed = await h.postMessage ('\\u0002' + echo ('a') + '\\nnot json\\n' + echo (7) + '\\n');"
    "out.tooMany = await code (h.postMessage ('\\u0002' + Array (1025).fill (echo (1)).join ('\\n')));"
    "out.unknownWait = await code (h.postMessage ('\\u00039999999'));"
    "out.badWait = await code (h.postMessage ('\\u0003x1'));"
    "out.emptyWait = await code (h.postMessage ('\\u0003'));"
    "const slow = await h.postMessage ('\\u0002' + JSON.stringify ({cmd: 'slow', callback: 1, error: 2, payload: {ms: 50}}) + '\\n' + echo ('b'));"
    "const late = slow.split ('\\n')[0].slice (1);"
    "const first = h.postMessage ('\\u0003' + late);"
    "out.twice = await code (h.postMessage ('\\u0003' + late));"
    "out.slow = slow.replace (/^p[0-9]+/, 'p#');"
    "out.waited = await first;"
    "out.again = await code (h.postMessage ('\\u0003' + late));"
    "return JSON.stringify (out);";
  g_autofree char *result = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *out;
  g_auto(GStrv) lines = NULL;
  guint64 before;

  load_idle_page ();
  before = fixture.n_recorded;
  result = run_in_world (fixture.view, _isthmus_web_host_get_world_name (fixture.host, fixture.view), body);
  g_test_message ("batch forms: %s", result);

  root = json_from_string (result, &error);
  g_assert_no_error (error);
  out = json_node_get_object (root);

  /* One line per message, in order: the value, the parse error, the
   * value, and the empty last message refused. */
  lines = g_strsplit (json_object_get_string_member (out, "mixed"), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_cmpstr (lines[0], ==, "o\"a\"");
  g_assert_true (g_str_has_prefix (lines[1], "e{\"code\":\"BAD_MESSAGE\""));
  g_assert_cmpstr (lines[2], ==, "o7");
  g_assert_true (g_str_has_prefix (lines[3], "e{\"code\":\"BAD_MESSAGE\""));

  g_assert_cmpstr (json_object_get_string_member (out, "tooMany"), ==, "BAD_MESSAGE");
  g_assert_cmpstr (json_object_get_string_member (out, "unknownWait"), ==, "BAD_MESSAGE");
  g_assert_cmpstr (json_object_get_string_member (out, "badWait"), ==, "BAD_MESSAGE");
  g_assert_cmpstr (json_object_get_string_member (out, "emptyWait"), ==, "BAD_MESSAGE");
  /* The slow call waits; the echo beside it does not. */
  g_assert_cmpstr (json_object_get_string_member (out, "slow"), ==, "p#\no\"b\"");
  g_assert_cmpstr (json_object_get_string_member (out, "twice"), ==, "BAD_MESSAGE");
  g_assert_cmpstr (json_object_get_string_member (out, "waited"), ==, "{\"sleptMs\":50}");
  /* Answered once; then the number is gone. */
  g_assert_cmpstr (json_object_get_string_member (out, "again"), ==, "BAD_MESSAGE");
  /* The refused batch of 1,025 ran nothing: 4 + 2 records. */
  g_assert_cmpuint (fixture.n_recorded - before, ==, 6);
}

static void
test_bridge_nul (void)
{
  /* A raw NUL byte in the message text is an encoding error. */
  const char *body =
    "const h = window.webkit.messageHandlers.isthmusIpc;"
    "try { await h.postMessage ('{\"cmd\":\"echo\",\"callback\":1,\"error\":2,\"payload\":{\"value\":\"a\\u0000b\"}}'); return 'resolved'; }"
    "catch (e) { return JSON.parse (e.message).code; }";
  g_autofree char *result = NULL;

  load_idle_page ();
  result = run_in_world (fixture.view,
                         _isthmus_web_host_get_world_name (fixture.host, fixture.view),
                         body);
  g_assert_cmpstr (result, ==, "BAD_ENCODING");
}

static void
test_main_world_cannot_post (void)
{
  const char *body = "return typeof window.webkit?.messageHandlers?.isthmusIpc;";
  g_autofree char *result = NULL;

  load_idle_page ();
  result = run_in_world (fixture.view, NULL, body);
  g_assert_cmpstr (result, ==, "undefined");
}

static gboolean
one_pending (gpointer data)
{
  return isthmus_core_get_n_pending (fixture.core) >= 1;
}

static gboolean
none_pending (gpointer data)
{
  return isthmus_core_get_n_pending (fixture.core) == 0;
}

static void
test_web_process_terminated (void)
{
  run_case ("slow");
  g_assert_true (wait_for (one_pending, NULL, WAIT_TIMEOUT_MS));

  webkit_web_view_terminate_web_process (fixture.view);
  g_assert_true (wait_for (none_pending, NULL, 5000));

  /* A new page works. */
  run_case ("greet");
}

static void
test_navigation_cancels (void)
{
  run_case ("slow");
  g_assert_true (wait_for (one_pending, NULL, WAIT_TIMEOUT_MS));

  /* Loading the next page fails the old page's call with WEBVIEW_GONE. */
  run_case ("greet");
  g_assert_cmpuint (isthmus_core_get_n_pending (fixture.core), ==, 0);
}

typedef struct
{
  guint   n_pending;
  guint64 n_waits;
} PendingWaits;

static gboolean
pending_waits (gpointer data)
{
  PendingWaits *want = data;
  guint64 batches, waits;

  _isthmus_web_host_get_batch_counts (fixture.host, fixture.view, &batches, &waits);
  return isthmus_core_get_n_pending (fixture.core) == want->n_pending && waits >= want->n_waits;
}

static void
test_navigation_cancels_batch (void)
{
  PendingWaits want = { 2, 0 };
  guint64 batches;

  load_idle_page ();
  _isthmus_web_host_get_batch_counts (fixture.host, fixture.view, &batches, &want.n_waits);
  want.n_waits += 2;
  run_case ("slow-batch");
  g_assert_true (wait_for (pending_waits, &want, WAIT_TIMEOUT_MS));

  /* The waits are answered and the replies that come after are dropped. */
  run_case ("greet");
  g_assert_cmpuint (isthmus_core_get_n_pending (fixture.core), ==, 0);
}

static void
test_no_global (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(IsthmusWebHost) host = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  GtkWindow *window;
  WebKitWebView *view;

  path = g_test_build_filename (G_TEST_DIST, "web", "no-global", "tauri.conf.json", NULL);
  config = isthmus_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_false (isthmus_config_get_with_global_tauri (config));

  host = isthmus_web_host_new (fixture.core, config, &error);
  g_assert_no_error (error);

  g_clear_pointer (&fixture.report_name, g_free);
  view = isthmus_web_host_create_view (host, "second");
  g_assert_nonnull (view);
  g_assert_cmpstr (isthmus_web_host_get_view_label (host, view), ==, "second");
  g_assert_null (isthmus_web_host_get_view_label (fixture.host, view));

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 400, 300);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);

  if (!wait_for (report_arrived, &fixture, WAIT_TIMEOUT_MS))
    g_error ("case no-global: no report");
  g_test_message ("case no-global: %s: %s", fixture.report_ok ? "ok" : "FAILED", fixture.report_detail);
  g_assert_cmpstr (fixture.report_name, ==, "no-global");
  g_assert_true (fixture.report_ok);

  gtk_window_destroy (window);
}

static void
test_escape_json (void)
{
  g_autofree char *escaped = _isthmus_web_host_escape_json ("{\"a\":\"</script>\xe2\x80\xa8\xe2\x80\xa9\"}");

  g_assert_cmpstr (escaped, ==, "{\"a\":\"\\u003c/script>\\u2028\\u2029\"}");
}

static gboolean
late_bytes_cb (gpointer data)
{
  IsthmusInvocation *invocation = data;
  const char *text = isthmus_invocation_get_string (invocation, "text");
  g_autoptr(GBytes) reply = g_bytes_new (text != NULL ? text : "", text != NULL ? strlen (text) : 0);

  isthmus_invocation_return_bytes (invocation, reply);
  g_object_unref (invocation);
  return G_SOURCE_REMOVE;
}

/* test_late_bytes {text}: the UTF-8 bytes of @text as a raw reply, a
 * little later (an async command answering with bytes). */
static void
late_bytes (IsthmusInvocation *invocation,
            gpointer           user_data)
{
  g_timeout_add (5, late_bytes_cb, g_object_ref (invocation));
}

static void
setup_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  IsthmusRegistry *registry;

  fixture.core = isthmus_core_new ();
  registry = isthmus_core_get_registry (fixture.core);
  isthmus_demo_commands_register (registry);
  isthmus_stream_commands_register (registry);
  g_assert_true (isthmus_registry_add (registry, "test_report", NULL, report_cb, &fixture, NULL));
  g_assert_true (isthmus_registry_add (registry, "test_late_bytes", NULL, late_bytes, NULL, NULL));
  g_signal_connect (isthmus_core_get_recorder (fixture.core), "items-changed",
                    G_CALLBACK (recorder_items_changed_cb), &fixture);

  path = g_test_build_filename (G_TEST_DIST, "web", "tauri.conf.json", NULL);
  fixture.config = isthmus_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (isthmus_config_get_frontend_kind (fixture.config), ==, ISTHMUS_FRONTEND_DIRECTORY);
  g_assert_true (isthmus_config_get_with_global_tauri (fixture.config));

  fixture.host = isthmus_web_host_new (fixture.core, fixture.config, &error);
  g_assert_no_error (error);
  g_assert_true (WEBKIT_IS_WEB_CONTEXT (isthmus_web_host_get_context (fixture.host)));
  g_assert_true (isthmus_web_host_get_core (fixture.host) == fixture.core);

  fixture.view = g_object_ref_sink (isthmus_web_host_create_view (fixture.host, "main"));
  g_assert_cmpstr (isthmus_web_host_get_view_label (fixture.host, fixture.view), ==, "main");

  fixture.window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture.window, 800, 600);
  gtk_window_set_child (fixture.window, GTK_WIDGET (fixture.view));
  gtk_window_present (fixture.window);
}

static void
teardown_fixture (void)
{
  gtk_window_destroy (fixture.window);
  g_clear_object (&fixture.view);
  g_clear_object (&fixture.host);
  g_clear_object (&fixture.config);
  g_clear_object (&fixture.core);
  g_clear_pointer (&fixture.report_name, g_free);
  g_clear_pointer (&fixture.report_detail, g_free);
}

static const char * const page_cases[] = {
  "greet",
  "fail",
  "unknown",
  "invalid-args",
  "big",
  "long-strings",
  "sequential",
  "injection",
  "nul",
  "surrogate",
  "huge",
  "deep",
  "global",
  "api-surface",
};

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  /* WebKit derives its data directories from the program name, which
   * g_test_init() sets to the full path. */
  g_set_prgname ("isthmus-test-webview");
  gtk_init ();

  g_test_add_func ("/isthmus/web/escape-json", test_escape_json);
  for (guint i = 0; i < G_N_ELEMENTS (page_cases); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/isthmus/web/invoke/%s", page_cases[i]);

      g_test_add_data_func (test_path, page_cases[i], page_case_cb);
    }
  g_test_add_func ("/isthmus/web/isolation/page-world", test_page_world);
  g_test_add_func ("/isthmus/web/isolation/main-world-eval", test_main_world_cannot_post);
  g_test_add_func ("/isthmus/web/isolation/iframes", test_iframes);
  g_test_add_func ("/isthmus/web/bridge/non-string", test_bridge_non_string);
  g_test_add_func ("/isthmus/web/bridge/deep", test_bridge_deep);
  g_test_add_func ("/isthmus/web/bridge/too-large", test_bridge_too_large);
  g_test_add_func ("/isthmus/web/bridge/nul-byte", test_bridge_nul);
  g_test_add_func ("/isthmus/web/bridge/batch-concurrent", test_batch_concurrent);
  g_test_add_func ("/isthmus/web/bridge/batch-forms", test_batch_forms);
  g_test_add_func ("/isthmus/web/bridge/batch-late-bytes", test_batch_late_bytes);
  g_test_add_func ("/isthmus/web/bridge/batch-limit", test_batch_limit);
  g_test_add_func ("/isthmus/web/lifecycle/navigation", test_navigation_cancels);
  g_test_add_func ("/isthmus/web/lifecycle/navigation-batch", test_navigation_cancels_batch);
  g_test_add_func ("/isthmus/web/lifecycle/web-process-terminated", test_web_process_terminated);
  g_test_add_func ("/isthmus/web/config/no-global", test_no_global);

  setup_fixture ();
  ret = g_test_run ();
  teardown_fixture ();

  return ret;
}

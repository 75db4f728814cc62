/* test-hook-reload.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Saving the isolation app replaces the isolation frame (a new epoch)
 * without reloading the page; a syntax error keeps the old hook. A real
 * WebKitWebView with the real @tauri-apps/api and an isolation app in a
 * temporary folder.
 */

#define G_LOG_DOMAIN "test-hook-reload"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "isthmus-config.h"
#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-isolation.h"
#include "isthmus-web-host.h"
#include "isthmus-web-host-private.h"
#include "isthmus-web-reload.h"
#include "web-test-util.h"

#define WAIT_TIMEOUT_MS 60000
#define PAGE            "web/isolation/hook-reload.html"

/* Lets everything through; an echo of "slow" takes its time, so that it
 * is still in the old frame when the new one takes over. */
#define PASSTHROUGH_HOOK "window.__TAURI_ISOLATION_HOOK__ = async (payload) => {\n" \
                         "  if (payload.cmd === 'echo' && payload.payload.value === 'slow')\n" \
                         "    await new Promise ((resolve) => setTimeout (resolve, 8000));\n" \
                         "  return payload;\n" \
                         "};\n"
#define BLOCKING_HOOK    "/* Blocks greet. */\n" \
                         "window.__TAURI_ISOLATION_HOOK__ = (payload) =>\n" \
                         "  payload.cmd === 'greet' ? null : payload;\n"
/* The error is on line 3. */
#define BROKEN_HOOK      "/* Broken. */\n" \
                         "window.__TAURI_ISOLATION_HOOK__ = (payload) =>\n" \
                         "  payload.cmd === ) null : payload;\n"

typedef struct
{
  int   n_commits;
  int   n_loads;
  int   n_results;
  char *result;
} State;

static void
load_changed_cb (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 gpointer         user_data)
{
  State *state = user_data;
  const char *uri = webkit_web_view_get_uri (view);

  if (uri == NULL || strstr (uri, PAGE) == NULL)
    return;
  if (event == WEBKIT_LOAD_COMMITTED)
    state->n_commits++;
  else if (event == WEBKIT_LOAD_FINISHED)
    state->n_loads++;
}

static gboolean
page_loaded (gpointer data)
{
  return ((State *)data)->n_loads > 0;
}

static gboolean
result_arrived (gpointer data)
{
  return ((State *)data)->result != NULL;
}

static void
call_js_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  State *state = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result, &error);
  g_assert_no_error (error);
  state->result = jsc_value_to_string (value);
  state->n_results++;
}

/* Runs @body as an async function in @world (NULL: the page's); returns
 * its value as a string. */
static char *
call_js_in (WebKitWebView *view,
            State         *state,
            const char    *world,
            const char    *body)
{
  g_clear_pointer (&state->result, g_free);
  webkit_web_view_call_async_javascript_function (view, body, -1, NULL, world, NULL, NULL,
                                                  call_js_cb, state);
  if (!wait_for (result_arrived, state, WAIT_TIMEOUT_MS))
    g_error ("no answer to %s within %u ms", body, WAIT_TIMEOUT_MS);

  return g_steal_pointer (&state->result);
}

static char *
call_js (WebKitWebView *view,
         State         *state,
         const char    *body)
{
  return call_js_in (view, state, NULL, body);
}

typedef struct
{
  IsthmusCore *core;
  const char  *needle;
  gboolean     is_error;
  guint        count;
} RecordQuery;

/* The number of "reload" lifecycle records whose text holds @needle. */
static guint
count_records (IsthmusCore *core,
               const char  *needle,
               gboolean     is_error)
{
  GListModel *model = G_LIST_MODEL (isthmus_core_get_recorder (core));
  guint n = 0;

  isthmus_recorder_flush (isthmus_core_get_recorder (core));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i);
      GBytes *request;
      g_autofree char *text = NULL;

      if (isthmus_exchange_get_kind (exchange) != ISTHMUS_EXCHANGE_LIFECYCLE ||
          g_strcmp0 (isthmus_exchange_get_command (exchange), "reload") != 0 ||
          (isthmus_exchange_get_status (exchange) == ISTHMUS_EXCHANGE_ERROR) != is_error)
        continue;
      request = isthmus_exchange_get_request (exchange);
      text = g_strndup (g_bytes_get_data (request, NULL), g_bytes_get_size (request));
      if (strstr (text, needle) != NULL)
        n++;
    }

  return n;
}

static gboolean
record_count_reached (gpointer data)
{
  RecordQuery *query = data;

  return count_records (query->core, query->needle, query->is_error) >= query->count;
}

static void
test_hook_reload (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("isthmus-hook-reload-XXXXXX", &error);
  g_autofree char *index = NULL;
  g_autofree char *hook = NULL;
  g_autofree char *conf = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *page_state = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *after = NULL;
  g_autoptr(IsthmusCore) core = NULL;
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(IsthmusWebHost) host = NULL;
  g_autoptr(IsthmusWebReload) reload = NULL;
  RecordQuery reloaded = { 0 };
  RecordQuery broken = { 0 };
  WebKitWebView *view;
  GtkWindow *window;
  State state = { 0 };

  g_assert_no_error (error);
  index = g_build_filename (dir, "index.html", NULL);
  hook = g_build_filename (dir, "hook.js", NULL);
  g_assert_true (g_file_set_contents (index,
                                      "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                                      "<script src=\"hook.js\"></script></head><body></body></html>",
                                      -1, NULL));
  g_assert_true (g_file_set_contents (hook, PASSTHROUGH_HOOK, -1, NULL));

  core = isthmus_core_new ();
  isthmus_demo_commands_register (isthmus_core_get_registry (core));
  conf = g_test_build_filename (G_TEST_DIST, "web", "isolation", "tauri.conf.json", NULL);
  config = isthmus_config_load (conf, &error);
  g_assert_no_error (error);
  isthmus_config_set_isolation_dir (config, dir);
  host = isthmus_web_host_new (core, config, &error);
  g_assert_no_error (error);
  g_assert_true (isthmus_core_get_isolation (core));
  reload = isthmus_web_reload_new (host, &error);
  g_assert_no_error (error);

  view = isthmus_web_host_create_view (host, "main");
  g_assert_nonnull (view);
  g_object_ref_sink (view);
  g_signal_connect (view, "load-changed", G_CALLBACK (load_changed_cb), &state);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);

  uri = g_strconcat ("tauri://localhost/", PAGE, NULL);
  webkit_web_view_load_uri (view, uri);
  g_assert_true (wait_for (page_loaded, &state, WAIT_TIMEOUT_MS));
  reply = call_js (view, &state,
                   "if (window.hookReloadReady !== true)"
                   "  await new Promise ((resolve) => window.addEventListener ('hook-reload-ready', resolve));"
                   "return 'ready';");
  g_assert_cmpstr (reply, ==, "ready");
  g_clear_pointer (&reply, g_free);

  /* The passthrough hook lets greet through. */
  page_state = call_js (view, &state, "return window.pageState;");
  g_assert_true (g_str_has_prefix (page_state, "set at "));
  reply = call_js (view, &state, "return await window.greet ('one');");
  g_assert_cmpstr (reply, ==, "ok:Hello, one! You've been greeted from C.");
  g_clear_pointer (&reply, g_free);

  /* A call handed to the old frame before the switch. */
  reply = call_js (view, &state,
                   "window.slow = window.__TAURI_INTERNALS__.invoke ('echo', { value: 'slow' })"
                   "  .then ((v) => 'ok:' + v, (e) => 'error:' + e)"
                   "  .finally (() => { window.slowDone = true; });"
                   "return 'started';");
  g_assert_cmpstr (reply, ==, "started");
  g_clear_pointer (&reply, g_free);

  /* Saving a hook that blocks greet replaces the frame, not the page. */
  reloaded.core = core;
  reloaded.needle = "hook reloaded (epoch ";
  reloaded.count = 1;
  g_assert_true (g_file_set_contents (hook, BLOCKING_HOOK, -1, NULL));
  g_assert_true (wait_for (record_count_reached, &reloaded, WAIT_TIMEOUT_MS));

  /* The old frame still holds the slow call, and answers it under the
   * old epoch, which the core keeps until then; then the old frame goes. */
  reply = call_js (view, &state, "return window.slowDone === true ? 'done' : 'pending';");
  g_assert_cmpstr (reply, ==, "pending");
  g_clear_pointer (&reply, g_free);
  reply = call_js (view, &state, "return await window.slow;");
  g_assert_cmpstr (reply, ==, "ok:slow");
  g_clear_pointer (&reply, g_free);
  reply = call_js (view, &state,
                   "const count = () => document.querySelectorAll ('iframe').length;"
                   "if (count () !== 1)"
                   "  await new Promise ((resolve) => {"
                   "    const observer = new MutationObserver (() => {"
                   "      if (count () === 1) { observer.disconnect (); resolve (); }"
                   "    });"
                   "    observer.observe (document, { childList: true, subtree: true });"
                   "  });"
                   "return String (count ());");
  g_assert_cmpstr (reply, ==, "1");
  g_clear_pointer (&reply, g_free);

  reply = call_js (view, &state, "return await window.greet ('two');");
  g_assert_true (g_str_has_prefix (reply, "error:ISOLATION_BLOCKED: "));
  g_clear_pointer (&reply, g_free);
  after = call_js (view, &state, "return window.pageState;");
  g_assert_cmpstr (after, ==, page_state);
  g_clear_pointer (&after, g_free);
  reply = call_js (view, &state,
                   "return String (document.querySelectorAll ('iframe').length) + ' ' + "
                   "String (document.getElementById ('__tauri_isolation__') !== null);");
  g_assert_cmpstr (reply, ==, "1 true");
  g_clear_pointer (&reply, g_free);
  g_assert_cmpint (state.n_commits, ==, 1);

  /* Other commands still pass the new hook. */
  reply = call_js (view, &state, "return String (await window.__TAURI_INTERNALS__.invoke ('echo', { value: 7 }));");
  g_assert_cmpstr (reply, ==, "7");
  g_clear_pointer (&reply, g_free);

  /* A syntax error names its file and line; the blocking hook stays. */
  broken.core = core;
  broken.needle = "hook.js, line 3";
  broken.is_error = TRUE;
  broken.count = 1;
  g_assert_true (g_file_set_contents (hook, BROKEN_HOOK, -1, NULL));
  g_assert_true (wait_for (record_count_reached, &broken, WAIT_TIMEOUT_MS));
  g_assert_cmpuint (count_records (core, "hook reloaded (epoch ", FALSE), ==, 1);

  reply = call_js (view, &state, "return await window.greet ('three');");
  g_assert_true (g_str_has_prefix (reply, "error:ISOLATION_BLOCKED: "));
  g_clear_pointer (&reply, g_free);
  after = call_js (view, &state, "return window.pageState + ' ' + window.greets;");
  g_assert_true (g_str_has_prefix (after, page_state));
  g_assert_true (g_str_has_suffix (after, " 3"));
  g_assert_cmpint (state.n_commits, ==, 1);

  /* A new token only when the web layer asked for it: not even the
   * bridge's world gets one on its own. */
  reply = call_js_in (view, &state, _isthmus_web_host_get_world_name (host, view),
                      "return await window.webkit.messageHandlers.isthmusIpc.postMessage ('H+')"
                      "  .then (() => 'issued', (e) => 'refused: ' + e.message);");
  g_assert_true (g_str_has_prefix (reply, "refused: "));
  g_assert_nonnull (strstr (reply, "ISOLATION_UNAVAILABLE"));
  g_clear_pointer (&reply, g_free);
  reply = call_js_in (view, &state, _isthmus_web_host_get_world_name (host, view),
                      "return await window.__isthmusIsolationReplaceFrame ()"
                      "  .then ((epoch) => 'replaced ' + epoch, (e) => 'refused: ' + e.message);");
  g_assert_true (g_str_has_prefix (reply, "refused: "));
  g_clear_pointer (&reply, g_free);
  reply = call_js (view, &state, "return await window.greet ('four');");
  g_assert_true (g_str_has_prefix (reply, "error:ISOLATION_BLOCKED: "));
  g_clear_pointer (&reply, g_free);
  g_assert_cmpuint (count_records (core, "hook reloaded (epoch ", FALSE), ==, 1);

  gtk_window_destroy (window);
  g_object_unref (view);
  g_unlink (hook);
  g_unlink (index);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* WebKit derives its data directories from the program name, which
   * g_test_init() sets to the full path. */
  g_set_prgname ("isthmus-test-hook-reload");
  gtk_init ();

  g_test_add_func ("/isthmus/web-reload/isolation-hook", test_hook_reload);

  return g_test_run ();
}

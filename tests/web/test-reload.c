/* test-reload.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-reload"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "isthmus-config.h"
#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-web-host.h"
#include "isthmus-web-reload.h"
#include "web-test-util.h"

#define WAIT_TIMEOUT_MS 60000

typedef struct
{
  int                   n_loads;
  int                   n_composed;
  IsthmusComposerReply *reply;
} State;

static void
load_changed_cb (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 gpointer         user_data)
{
  State *state = user_data;

  if (event == WEBKIT_LOAD_FINISHED)
    state->n_loads++;
}

static void
compose_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  State *state = user_data;
  g_autoptr(GError) error = NULL;

  state->reply = isthmus_web_host_compose_finish (ISTHMUS_WEB_HOST (source), result, &error);
  g_assert_no_error (error);
  state->n_composed++;
}

static guint
count_reload_records (IsthmusCore *core)
{
  GListModel *model = G_LIST_MODEL (isthmus_core_get_recorder (core));
  guint n = 0;

  isthmus_recorder_flush (isthmus_core_get_recorder (core));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i);

      if (isthmus_exchange_get_kind (exchange) == ISTHMUS_EXCHANGE_LIFECYCLE &&
          g_strcmp0 (isthmus_exchange_get_command (exchange), "reload") == 0)
        n++;
    }

  return n;
}

/* Writing a file of the served folder reloads the view (a new page load)
 * and leaves a "reload" record in the traffic list. */
static void
test_folder_reload (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("isthmus-reload-XXXXXX", &error);
  g_autofree char *index = NULL;
  g_autofree char *script = NULL;
  g_autoptr(IsthmusCore) core = NULL;
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(IsthmusWebHost) host = NULL;
  g_autoptr(IsthmusWebReload) reload = NULL;
  g_autoptr(GPtrArray) views = NULL;
  WebKitWebView *view;
  GtkWindow *window;
  State state = { 0 };

  g_assert_no_error (error);
  index = g_build_filename (dir, "index.html", NULL);
  script = g_build_filename (dir, "app.js", NULL);
  g_assert_true (g_file_set_contents (index, "<!doctype html><title>reload</title><p>one</p>", -1, NULL));

  core = isthmus_core_new ();
  isthmus_demo_commands_register (isthmus_core_get_registry (core));
  config = isthmus_config_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (isthmus_config_get_frontend_kind (config), ==, ISTHMUS_FRONTEND_DIRECTORY);
  host = isthmus_web_host_new (core, config, &error);
  g_assert_no_error (error);
  reload = isthmus_web_reload_new (host, &error);
  g_assert_no_error (error);
  g_assert_true (isthmus_web_reload_is_watching (reload));

  view = isthmus_web_host_create_view (host, "main");
  g_assert_nonnull (view);
  g_object_ref_sink (view);
  g_signal_connect (view, "load-changed", G_CALLBACK (load_changed_cb), &state);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);

  views = isthmus_web_host_list_views (host);
  g_assert_cmpuint (views->len, ==, 1);
  g_assert_true (g_ptr_array_index (views, 0) == view);
  g_assert_true (isthmus_web_host_lookup_view (host, "main") == view);
  g_assert_null (isthmus_web_host_lookup_view (host, "other"));

  g_assert_true (wait_for_count (&state.n_loads, 1, WAIT_TIMEOUT_MS));
  g_assert_cmpuint (count_reload_records (core), ==, 0);

  g_assert_true (g_file_set_contents (script, "console.log ('two');", -1, NULL));
  g_assert_true (wait_for_count (&state.n_loads, 2, WAIT_TIMEOUT_MS));
  g_assert_cmpuint (isthmus_web_reload_get_n_reloads (reload), ==, 1);
  g_assert_cmpuint (count_reload_records (core), ==, 1);

  /* The composer reaches the core as that window. */
  isthmus_web_host_compose (host, "main", "greet", "{\"name\":\"web\"}", FALSE, NULL, compose_cb, &state);
  g_assert_true (wait_for_count (&state.n_composed, 1, WAIT_TIMEOUT_MS));
  g_assert_true (state.reply->ok);
  g_assert_nonnull (strstr (state.reply->json, "Hello, web!"));

  gtk_window_destroy (window);
  g_object_unref (view);
  g_clear_pointer (&state.reply, isthmus_composer_reply_free);
  g_unlink (script);
  g_unlink (index);
  g_rmdir (dir);
}

/* A dev-server frontend reloads itself: nothing is watched. */
static void
test_url_not_watched (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IsthmusCore) core = isthmus_core_new ();
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(IsthmusWebHost) host = NULL;
  g_autoptr(IsthmusWebReload) reload = NULL;

  config = isthmus_config_load ("http://127.0.0.1:1/", &error);
  g_assert_no_error (error);
  host = isthmus_web_host_new (core, config, &error);
  g_assert_no_error (error);
  reload = isthmus_web_reload_new (host, &error);
  g_assert_no_error (error);
  g_assert_false (isthmus_web_reload_is_watching (reload));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* WebKit derives its data directories from the program name, which
   * g_test_init() sets to the full path. */
  g_set_prgname ("isthmus-test-reload");
  gtk_init ();

  g_test_add_func ("/isthmus/web-reload/folder", test_folder_reload);
  g_test_add_func ("/isthmus/web-reload/url-not-watched", test_url_not_watched);

  return g_test_run ();
}

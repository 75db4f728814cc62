/* test-prototype.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-prototype"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "isthmus-demo-commands.h"
#include "isthmus-hook-runner.h"
#include "isthmus-prototype-window.h"
#include "ui-test-util.h"

/* The hook runner starts a worker process: these tests give each wait
 * twice as long as wait_for() does. */
#define WAIT_TIMEOUT_US (20 * G_USEC_PER_SEC)

/* Blocks every "echo" and lets the rest through unchanged. */
#define BLOCKING_HOOK \
  "<!DOCTYPE html>\n" \
  "<html><body>\n" \
  "<script>\n" \
  "  window.__TAURI_ISOLATION_HOOK__ = (payload) => {\n" \
  "    if (payload.cmd === 'echo') {\n" \
  "      return null\n" \
  "    }\n" \
  "    return payload\n" \
  "  }\n" \
  "</script>\n" \
  "</body></html>\n"

static IsthmusCore *
new_core (void)
{
  IsthmusCore *core = isthmus_core_new ();

  isthmus_demo_commands_register (isthmus_core_get_registry (core));

  return core;
}

static IsthmusPrototypeWindow *
new_window (IsthmusCore  *core,
            IsthmusMocks *mocks,
            const char   *isolation_dir)
{
  IsthmusPrototypeWindow *window;

  window = isthmus_prototype_window_new (NULL, core, NULL, mocks, isolation_dir);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static gboolean
reply_shown (gpointer user_data)
{
  IsthmusComposerView *view = user_data;

  return strstr (isthmus_composer_view_get_reply_text (view), "Hello") != NULL;
}

static IsthmusExchange *
find_record (IsthmusCore *core,
             const char  *command)
{
  GListModel *model = G_LIST_MODEL (isthmus_core_get_recorder (core));

  isthmus_recorder_flush (isthmus_core_get_recorder (core));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i);

      if (g_strcmp0 (isthmus_exchange_get_command (exchange), command) == 0)
        return exchange;
    }

  return NULL;
}

static void
test_composer (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  IsthmusPrototypeWindow *window = new_window (core, NULL, NULL);
  IsthmusComposerView *view = isthmus_prototype_window_get_composer_view (window);
  IsthmusExchange *record;

  isthmus_prototype_window_show_page (window, "composer");

  /* Bad JSON is refused with its line and column, and nothing is sent. */
  isthmus_composer_view_set_command (view, "greet");
  isthmus_composer_view_set_args (view, "{\n  \"name\": }");
  g_assert_nonnull (strstr (isthmus_composer_view_get_args_error (view), "line 2"));
  isthmus_composer_view_invoke (view);
  g_assert_null (find_record (core, "greet"));

  isthmus_composer_view_set_args (view, "{\"name\": \"<b>Ada</b>\"}");
  g_assert_cmpstr (isthmus_composer_view_get_args_error (view), ==, "");
  isthmus_composer_view_invoke (view);
  g_assert_true (wait_for_timeout (reply_shown, view, WAIT_TIMEOUT_US));
  /* Shown as plain text: the markup is still there. */
  g_assert_nonnull (strstr (isthmus_composer_view_get_reply_text (view), "<b>Ada</b>"));

  record = find_record (core, "greet");
  g_assert_nonnull (record);
  g_assert_cmpint (isthmus_exchange_get_status (record), ==, ISTHMUS_EXCHANGE_OK);
  g_assert_cmpstr (isthmus_exchange_get_window_label (record), ==, "main");
  g_assert_nonnull (strstr (isthmus_exchange_get_note (record), "composer"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_mocks (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(IsthmusMocks) mocks = isthmus_mocks_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("isthmus-proto-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "mocks.json", NULL);
  g_autofree char *saved = NULL;
  IsthmusPrototypeWindow *window;
  IsthmusMocksEditor *editor;

  g_assert_true (g_file_set_contents (path, "{\"commands\": {\"greet\": {\"reply\": 1}}}", -1, &error));
  g_assert_true (isthmus_mocks_load_file (mocks, path, &error));

  window = new_window (core, mocks, NULL);
  editor = isthmus_prototype_window_get_mocks_editor (window);
  isthmus_prototype_window_show_page (window, "mocks");

  isthmus_mocks_editor_set_text (editor, "{\n  \"commands\": {\n    \"greet\": {\"reply\": }\n  }\n}\n");
  g_assert_false (isthmus_mocks_editor_validate (editor));
  g_assert_nonnull (strstr (isthmus_mocks_editor_get_error_text (editor), "3"));
  g_assert_false (isthmus_mocks_editor_apply (editor, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  /* A valid text is saved and applied. */
  isthmus_mocks_editor_set_text (editor, "{\"commands\": {\"greet\": {\"reply\": 2}, \"x*\": {\"reply\": 3}}}");
  g_assert_true (isthmus_mocks_editor_validate (editor));
  g_assert_cmpstr (isthmus_mocks_editor_get_error_text (editor), ==, "");
  g_assert_true (isthmus_mocks_editor_apply (editor, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (isthmus_mocks_get_n_mocks (mocks), ==, 2);
  g_assert_true (g_file_get_contents (path, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "\"x*\""));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (path);
  g_rmdir (dir);
}

static gboolean
has_paused (gpointer user_data)
{
  return isthmus_breakpoints_view_get_n_paused (user_data) == 1;
}

static gboolean
no_paused (gpointer user_data)
{
  return isthmus_breakpoints_view_get_n_paused (user_data) == 0;
}

typedef struct
{
  IsthmusComposerReply *reply;
  gboolean              done;
} InvokeState;

static void
invoke_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  InvokeState *state = user_data;
  g_autoptr(GError) error = NULL;

  state->reply = isthmus_composer_invoke_finish (ISTHMUS_CORE (object), result, &error);
  g_assert_no_error (error);
  state->done = TRUE;
}

static gboolean
invoke_done (gpointer user_data)
{
  return ((InvokeState *)user_data)->done;
}

static void
test_breakpoints (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  IsthmusPrototypeWindow *window = new_window (core, NULL, NULL);
  IsthmusBreakpointsView *view = isthmus_prototype_window_get_breakpoints_view (window);
  InvokeState state = { 0 };

  isthmus_prototype_window_show_page (window, "breakpoints");

  /* A bad filter adds nothing. */
  g_assert_cmpuint (isthmus_breakpoints_view_add (view, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, "dur>abc"), ==, 0);
  g_assert_cmpuint (isthmus_breakpoints_view_add (view, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, "cmd:greet"), !=, 0);
  g_assert_cmpuint (isthmus_breakpoints_view_get_n_paused (view), ==, 0);

  isthmus_composer_invoke_async (core, "main", "greet", "{\"name\": \"Bo\"}", FALSE, NULL,
                                 invoke_done_cb, &state);
  g_assert_true (wait_for_timeout (has_paused, view, WAIT_TIMEOUT_US));
  g_assert_false (state.done);

  g_assert_true (isthmus_breakpoints_view_continue (view, 0));
  g_assert_true (wait_for_timeout (invoke_done, &state, WAIT_TIMEOUT_US));
  g_assert_nonnull (state.reply);
  g_assert_true (state.reply->ok);
  g_assert_nonnull (strstr (state.reply->json, "Bo"));
  g_assert_true (wait_for_timeout (no_paused, view, WAIT_TIMEOUT_US));

  isthmus_composer_reply_free (state.reply);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
replay_finished (gpointer user_data)
{
  IsthmusReplayView *view = user_data;

  return !isthmus_replay_view_is_running (view);
}

static void
invoke_and_wait (IsthmusCore *core,
                 const char  *command,
                 const char  *args)
{
  InvokeState state = { 0 };

  isthmus_composer_invoke_async (core, "main", command, args, FALSE, NULL, invoke_done_cb, &state);
  g_assert_true (wait_for_timeout (invoke_done, &state, WAIT_TIMEOUT_US));
  g_assert_nonnull (state.reply);
  isthmus_composer_reply_free (state.reply);
}

static void
test_replay (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("isthmus-proto-XXXXXX", NULL);
  g_autofree char *index = g_build_filename (dir, "index.html", NULL);
  IsthmusPrototypeWindow *window;
  IsthmusReplayView *view;
  IsthmusHookEditor *editor;
  GListModel *rows;
  guint n_changed = 0;

  g_assert_true (g_file_set_contents (index, BLOCKING_HOOK, -1, &error));

  invoke_and_wait (core, "greet", "{\"name\": \"A\"}");
  invoke_and_wait (core, "echo", "{\"value\": 1}");
  invoke_and_wait (core, "divide", "{\"a\": 4, \"b\": 2}");

  window = new_window (core, NULL, dir);
  view = isthmus_prototype_window_get_replay_view (window);
  editor = isthmus_prototype_window_get_hook_editor (window);
  isthmus_prototype_window_show_page (window, "replay");

  /* The editor opened the hook; a syntax error is named by its line and
   * nothing is saved. */
  g_assert_cmpstr (isthmus_hook_editor_get_path (editor), ==, index);
  isthmus_hook_editor_set_text (editor, "<script>\nlet x = ;\n</script>\n");
  g_assert_false (isthmus_hook_editor_save (editor, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "index.html:2:"));
  g_clear_error (&error);
  isthmus_hook_editor_set_text (editor, BLOCKING_HOOK);
  g_assert_true (isthmus_hook_editor_save (editor, &error));
  g_assert_no_error (error);

  /* A bad filter does not start. */
  isthmus_replay_view_set_filter_text (view, "dur>abc");
  g_assert_false (isthmus_replay_view_run (view));

  isthmus_replay_view_set_filter_text (view, "kind:invoke");
  g_assert_true (isthmus_replay_view_run (view));
  g_assert_true (wait_for_timeout (replay_finished, view, WAIT_TIMEOUT_US));

  rows = isthmus_replay_view_get_rows (view);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(IsthmusReplayRow) row = g_list_model_get_item (rows, i);
      gboolean is_echo = g_strcmp0 (isthmus_replay_row_get_command (row), "echo") == 0;

      g_assert_cmpuint (isthmus_replay_row_get_index (row), ==, i + 1);
      g_assert_cmpstr (isthmus_replay_row_get_now (row), ==, is_echo ? "blocked" : "passed");
      g_assert_cmpint (isthmus_replay_row_get_verdict_changed (row), ==, is_echo);
      if (isthmus_replay_row_get_verdict_changed (row))
        n_changed++;
    }
  g_assert_cmpuint (n_changed, ==, 1);
  g_assert_nonnull (strstr (isthmus_replay_view_get_status (view), "1 verdict changed"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_unlink (index);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  /* The hook runner starts this executable again as its worker. */
  if (argc == 3 && g_strcmp0 (argv[1], ISTHMUS_HOOK_WORKER_OPTION) == 0)
    return isthmus_hook_worker_main (argv[2]);

  /* The composer history goes to a scratch data folder. */
  data_home = g_dir_make_tmp ("isthmus-proto-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/isthmus/prototype/composer", test_composer);
  g_test_add_func ("/isthmus/prototype/mocks", test_mocks);
  g_test_add_func ("/isthmus/prototype/breakpoints", test_breakpoints);
  g_test_add_func ("/isthmus/prototype/replay", test_replay);

  status = g_test_run ();

  {
    g_autofree char *history = g_build_filename (data_home, "isthmus", "composer-history.json", NULL);
    g_autofree char *folder = g_path_get_dirname (history);

    g_unlink (history);
    g_rmdir (folder);
    g_rmdir (data_home);
  }

  return status;
}

/* test-composer.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "isthmus-composer.h"
#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-error.h"

typedef struct
{
  int                   calls;
  IsthmusComposerReply *reply;
  GError               *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->reply, isthmus_composer_reply_free);
  g_clear_error (&result->error);
  result->calls = 0;
}

static void
invoke_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  Result *result = user_data;

  result->calls++;
  result->reply = isthmus_composer_invoke_finish (ISTHMUS_CORE (source), res, &result->error);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static void
wait_until (const int *counter,
            int        target)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (20, timeout_cb, &timed_out);

  while (*counter < target && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
compose (IsthmusCore *core,
         const char  *window,
         const char  *cmd,
         const char  *args,
         gboolean     through_hook,
         Result      *result)
{
  result_clear (result);
  isthmus_composer_invoke_async (core, window, cmd, args, through_hook, NULL, invoke_cb, result);
  wait_until (&result->calls, 1);
  g_assert_cmpint (result->calls, ==, 1);
}

static IsthmusExchange *
last_record (IsthmusCore *core)
{
  GListModel *model = G_LIST_MODEL (isthmus_core_get_recorder (core));
  guint n;

  isthmus_recorder_flush (isthmus_core_get_recorder (core));
  n = g_list_model_get_n_items (model);
  g_assert_cmpuint (n, >, 0);

  return g_list_model_get_item (model, n - 1);
}

static IsthmusCore *
new_core (void)
{
  IsthmusCore *core = isthmus_core_new ();

  isthmus_demo_commands_register (isthmus_core_get_registry (core));

  return core;
}

/* A composed call takes the page's path: the handler answers, and the
 * record is an invoke from the chosen window marked "composer". */
static void
test_invoke (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(IsthmusExchange) record = NULL;
  Result result = { 0 };

  compose (core, "main", "greet", "{\"name\": \"Ada\"}", FALSE, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.reply->ok);
  g_assert_nonnull (strstr (result.reply->json, "Hello, Ada!"));

  record = last_record (core);
  g_assert_cmpint (isthmus_exchange_get_kind (record), ==, ISTHMUS_EXCHANGE_INVOKE);
  g_assert_cmpstr (isthmus_exchange_get_window_label (record), ==, "main");
  g_assert_cmpstr (isthmus_exchange_get_command (record), ==, "greet");
  g_assert_cmpstr (isthmus_exchange_get_note (record), ==, "composer");
  g_assert_cmpint (isthmus_exchange_get_status (record), ==, ISTHMUS_EXCHANGE_OK);

  /* Bad args reach the schema like a page's would. */
  compose (core, "main", "greet", "{\"name\": 5}", FALSE, &result);
  g_assert_no_error (result.error);
  g_assert_false (result.reply->ok);
  g_assert_cmpstr (result.reply->code, ==, "INVALID_ARGS");

  /* An unknown command too. */
  compose (core, "main", "no_such_command", NULL, FALSE, &result);
  g_assert_false (result.reply->ok);
  g_assert_cmpstr (result.reply->code, ==, "UNKNOWN_COMMAND");

  /* Empty args are {}. */
  compose (core, "main", "echo", "  ", FALSE, &result);
  g_assert_no_error (result.error);
  g_assert_nonnull (result.reply);

  result_clear (&result);
}

/* The ACL sees the chosen window's identity. */
static void
test_acl_identity (void)
{
  static const char capability[] =
    "{\"identifier\": \"a-only\", \"windows\": [\"a\"],"
    " \"permissions\": [\"allow-greet\"]}";
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(IsthmusExchange) record = NULL;
  Result result = { 0 };

  g_assert_true (isthmus_acl_load_data (isthmus_core_get_acl (core), capability,
                                        strlen (capability), "a-only.json"));

  compose (core, "a", "greet", "{\"name\": \"x\"}", FALSE, &result);
  g_assert_true (result.reply->ok);

  compose (core, "b", "greet", "{\"name\": \"x\"}", FALSE, &result);
  g_assert_false (result.reply->ok);
  g_assert_cmpstr (result.reply->code, ==, "ACL_DENIED");
  record = last_record (core);
  g_assert_cmpstr (isthmus_exchange_get_window_label (record), ==, "b");
  g_assert_cmpstr (isthmus_exchange_get_error_code (record), ==, "ACL_DENIED");
  g_assert_cmpstr (isthmus_exchange_get_note (record), ==, "composer");

  result_clear (&result);
}

/* Invalid JSON never reaches the core; the error names line and column. */
static void
test_bad_json (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint before;
  Result result = { 0 };

  isthmus_recorder_flush (isthmus_core_get_recorder (core));
  before = g_list_model_get_n_items (G_LIST_MODEL (isthmus_core_get_recorder (core)));

  compose (core, "main", "greet", "{\"name\":\n  \"x\",,}", FALSE, &result);
  g_assert_null (result.reply);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (result.error->message, "line 2, column"));

  isthmus_recorder_flush (isthmus_core_get_recorder (core));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (isthmus_core_get_recorder (core))), ==, before);

  /* Too deep for the guard. */
  node = isthmus_composer_parse_json ("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                                      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                                      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
                                      "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);

  /* Through the hook needs isolation. */
  compose (core, "main", "greet", "{}", TRUE, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);

  result_clear (&result);
}

/* A hook sender gets the message a page would post; its reply is the
 * composer's, and the core marks that call as the composer's. */
static void
hook_sender (const char *window_label,
             const char *message,
             GTask      *task,
             gpointer    user_data)
{
  int *calls = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  (*calls)++;
  g_assert_cmpstr (window_label, ==, "main");
  g_assert_true (json_parser_load_from_data (parser, message, -1, NULL));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "cmd"), ==, "greet");
  g_assert_true (json_object_has_member (object, "callback"));
  g_assert_true (json_object_has_member (object, "payload"));

  g_task_return_pointer (task, isthmus_composer_reply_new (TRUE, "\"hooked\"", NULL, NULL),
                         (GDestroyNotify)isthmus_composer_reply_free);
  g_object_unref (task);
}

static void
test_hook_sender (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(IsthmusExchange) record = NULL;
  g_autoptr(GBytes) bytes = NULL;
  Result result = { 0 };
  int calls = 0;
  const char *text = "{\"cmd\":\"greet\",\"callback\":77,\"error\":78,\"payload\":{\"name\":\"z\"}}";

  isthmus_composer_set_hook_sender (core, hook_sender, &calls, NULL);
  compose (core, "main", "greet", "{\"name\":\"y\"}", TRUE, &result);
  g_assert_cmpint (calls, ==, 1);
  g_assert_true (result.reply->ok);
  g_assert_cmpstr (result.reply->json, ==, "\"hooked\"");

  /* The web layer marks the calls it sends for the composer. */
  isthmus_composer_expect (core, "main", 77);
  bytes = g_bytes_new_static (text, strlen (text));
  record = g_object_ref (isthmus_core_handle_message (core, "main", bytes, NULL, NULL));
  g_assert_cmpstr (isthmus_exchange_get_note (record), ==, "composer");
  g_clear_object (&record);

  /* Once only. */
  record = g_object_ref (isthmus_core_handle_message (core, "main", bytes, NULL, NULL));
  g_assert_cmpstr (isthmus_exchange_get_note (record), ==, NULL);

  result_clear (&result);
}

static void
test_emit (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(IsthmusExchange) record = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (isthmus_composer_emit (core, "{\"kind\":", "ping", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_false (isthmus_composer_emit (core, NULL, "ping", "[1,", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);

  g_assert_false (isthmus_composer_emit (core, "{\"kind\":\"Nope\"}", "ping", NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_assert_true (isthmus_composer_emit (core, "{\"kind\":\"WebviewWindow\",\"label\":\"main\"}",
                                        "ping", "{\"n\":1}", &error));
  g_assert_no_error (error);
  record = last_record (core);
  g_assert_cmpint (isthmus_exchange_get_kind (record), ==, ISTHMUS_EXCHANGE_EMIT);
  g_clear_object (&record);

  g_assert_true (isthmus_composer_emit (core, NULL, "pong", NULL, &error));
  g_assert_no_error (error);
  record = last_record (core);
  g_assert_cmpint (isthmus_exchange_get_kind (record), ==, ISTHMUS_EXCHANGE_EMIT);
}

static void
test_history (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("isthmus-composer-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(IsthmusComposerHistory) history = NULL;
  g_autoptr(IsthmusComposerHistory) again = NULL;
  g_autoptr(IsthmusComposerItem) item = NULL;
  g_autofree char *sub = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "sub", "composer-history.json", NULL);

  history = isthmus_composer_history_new (path);
  g_assert_cmpstr (isthmus_composer_history_get_path (history), ==, path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  for (int i = 0; i < 55; i++)
    {
      g_autofree char *args = g_strdup_printf ("{\"i\":%d}", i);

      g_assert_true (isthmus_composer_history_add (history, "echo", args, "main", i % 2 == 0, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, ISTHMUS_COMPOSER_HISTORY_MAX);

  item = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpstr (isthmus_composer_item_get_args (item), ==, "{\"i\":54}");
  g_assert_true (isthmus_composer_item_get_through_hook (item));
  g_clear_object (&item);

  /* The same entry moves up instead of repeating. */
  g_assert_true (isthmus_composer_history_add (history, "echo", "{\"i\":10}", "main", TRUE, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, ISTHMUS_COMPOSER_HISTORY_MAX);
  item = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpstr (isthmus_composer_item_get_args (item), ==, "{\"i\":10}");
  g_clear_object (&item);

  /* Persisted: a new history reads the same entries in the same order. */
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  again = isthmus_composer_history_new (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, ISTHMUS_COMPOSER_HISTORY_MAX);
  item = g_list_model_get_item (G_LIST_MODEL (again), 0);
  g_assert_cmpstr (isthmus_composer_item_get_command (item), ==, "echo");
  g_assert_cmpstr (isthmus_composer_item_get_args (item), ==, "{\"i\":10}");
  g_assert_cmpstr (isthmus_composer_item_get_window (item), ==, "main");
  g_assert_true (isthmus_composer_item_get_through_hook (item));
  g_clear_object (&item);
  item = g_list_model_get_item (G_LIST_MODEL (again), 1);
  g_assert_cmpstr (isthmus_composer_item_get_args (item), ==, "{\"i\":54}");
  g_clear_object (&item);

  /* A broken file gives an empty history. */
  g_assert_true (g_file_set_contents (path, "{not json", -1, NULL));
  g_test_expect_message ("isthmus-composer", G_LOG_LEVEL_WARNING, "*could not be read*");
  g_clear_object (&again);
  again = isthmus_composer_history_new (path);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 0);

  g_unlink (path);
  sub = g_path_get_dirname (path);
  g_rmdir (sub);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/composer/invoke", test_invoke);
  g_test_add_func ("/isthmus/composer/acl-identity", test_acl_identity);
  g_test_add_func ("/isthmus/composer/bad-json", test_bad_json);
  g_test_add_func ("/isthmus/composer/hook-sender", test_hook_sender);
  g_test_add_func ("/isthmus/composer/emit", test_emit);
  g_test_add_func ("/isthmus/composer/history", test_history);

  return g_test_run ();
}

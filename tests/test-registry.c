/* test-registry.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "isthmus-error.h"
#include "isthmus-registry.h"

typedef struct
{
  int        calls;
  gboolean   ok;
  char      *json;
  GError    *error;
  GThread   *thread;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->json, g_free);
  g_clear_error (&reply->error);
}

static void
reply_cb (IsthmusInvocation *invocation,
          gboolean           ok,
          JsonNode          *value,
          const GError      *error,
          gpointer           user_data)
{
  Reply *reply = user_data;

  g_assert_nonnull (value);
  reply->calls++;
  reply->ok = ok;
  g_clear_pointer (&reply->json, g_free);
  reply->json = json_to_string (value, FALSE);
  g_clear_error (&reply->error);
  if (error != NULL)
    reply->error = g_error_copy (error);
  reply->thread = g_thread_self ();
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Iterates the default context until @reply was called, failing after ten
 * seconds rather than hanging. */
static void
wait_for_reply (Reply *reply)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (reply->calls == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

static void
drain_context (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_node_copy (json_parser_get_root (parser));
}

static IsthmusInvocation *
new_invocation (const char *command,
                const char *args_json,
                Reply      *reply)
{
  g_autoptr(JsonNode) args = args_json != NULL ? parse (args_json) : NULL;

  return isthmus_invocation_new (command, args, "main", reply_cb, reply, NULL);
}

static int handler_runs;

static void
counting_handler (IsthmusInvocation *invocation,
                  gpointer           user_data)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  handler_runs++;
  json_node_set_string (node, user_data != NULL ? user_data : "done");
  isthmus_invocation_return_value (invocation, node);
}

static void
destroy_count_cb (gpointer data)
{
  int *count = data;

  (*count)++;
}

static void
noop_handler (IsthmusInvocation *invocation,
              gpointer           user_data)
{
  isthmus_invocation_return_value (invocation, NULL);
}

static void
test_add_remove (void)
{
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  g_auto(GStrv) names = NULL;
  int destroyed = 0;

  g_assert_true (isthmus_registry_add (registry, "zeta", NULL, noop_handler, &destroyed, destroy_count_cb));
  g_assert_true (isthmus_registry_add (registry, "alpha", NULL, noop_handler, NULL, NULL));
  g_assert_true (isthmus_registry_add (registry, "plugin:x|y", NULL, noop_handler, NULL, NULL));
  g_assert_false (isthmus_registry_add (registry, "alpha", NULL, noop_handler, NULL, NULL));

  g_assert_true (isthmus_registry_contains (registry, "zeta"));
  g_assert_true (isthmus_registry_contains (registry, "plugin:x|y"));
  g_assert_false (isthmus_registry_contains (registry, "y"));

  names = isthmus_registry_list (registry);
  g_assert_cmpuint (g_strv_length (names), ==, 3);
  g_assert_cmpstr (names[0], ==, "alpha");
  g_assert_cmpstr (names[1], ==, "plugin:x|y");
  g_assert_cmpstr (names[2], ==, "zeta");

  g_assert_true (isthmus_registry_remove (registry, "zeta"));
  g_assert_cmpint (destroyed, ==, 1);
  g_assert_false (isthmus_registry_remove (registry, "zeta"));
  g_assert_false (isthmus_registry_contains (registry, "zeta"));
  g_assert_true (isthmus_registry_add (registry, "zeta", NULL, noop_handler, NULL, NULL));
}

static void
test_unknown (void)
{
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  struct {
    const char *command;
    const char *page_value;
  } cases[] = {
    { "nope", "\"Command nope not found\"" },
    { "plugin:x|y", "\"Command y not found\"" },
    { "plugin:x", "\"Command  not found\"" },
  };

  handler_runs = 0;
  isthmus_registry_add (registry, "greet", NULL, counting_handler, NULL, NULL);
  isthmus_registry_add (registry, "plugin:x|z", NULL, counting_handler, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Reply reply = { 0 };
      g_autoptr(IsthmusInvocation) invocation = new_invocation (cases[i].command, NULL, &reply);

      isthmus_registry_dispatch (registry, invocation);

      g_assert_cmpint (reply.calls, ==, 1);
      g_assert_false (reply.ok);
      g_assert_error (reply.error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_UNKNOWN_COMMAND);
      g_assert_cmpstr (reply.json, ==, cases[i].page_value);
      g_assert_true (isthmus_invocation_is_answered (invocation));
      reply_clear (&reply);
    }

  g_assert_cmpint (handler_runs, ==, 0);
}

static void
test_schema_rejects (void)
{
  static const IsthmusArgSpec specs[] = {
    { "name", ISTHMUS_ARG_STRING, TRUE, FALSE, FALSE, 0, 0 },
  };
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  g_autoptr(IsthmusSchema) schema = isthmus_schema_new (specs, G_N_ELEMENTS (specs), FALSE);
  const char *bad[] = { "{}", "{\"name\":1}", "{\"name\":\"a\",\"extra\":true}", "[1]" };

  handler_runs = 0;
  isthmus_registry_add (registry, "greet", schema, counting_handler, NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Reply reply = { 0 };
      g_autoptr(IsthmusInvocation) invocation = new_invocation ("greet", bad[i], &reply);

      isthmus_registry_dispatch (registry, invocation);
      g_assert_cmpint (reply.calls, ==, 1);
      g_assert_error (reply.error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_ARGS);
      g_assert_true (g_str_has_prefix (reply.json, "\"invalid args `"));
      reply_clear (&reply);
    }

  g_assert_cmpint (handler_runs, ==, 0);

  {
    Reply reply = { 0 };
    g_autoptr(IsthmusInvocation) invocation = new_invocation ("greet", "{\"name\":\"ok\"}", &reply);

    isthmus_registry_dispatch (registry, invocation);
    g_assert_cmpint (reply.calls, ==, 1);
    g_assert_true (reply.ok);
    g_assert_cmpint (handler_runs, ==, 1);
    reply_clear (&reply);
  }
}

static void
test_sync_answer (void)
{
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  g_autoptr(IsthmusInvocation) invocation = NULL;
  Reply reply = { 0 };

  handler_runs = 0;
  isthmus_registry_add (registry, "now", NULL, counting_handler, (gpointer)"right now", NULL);
  invocation = new_invocation ("now", "{\"a\":1}", &reply);

  g_assert_false (isthmus_invocation_is_answered (invocation));
  isthmus_registry_dispatch (registry, invocation);

  /* Answered before dispatch returned, with no main loop running. */
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"right now\"");
  g_assert_null (reply.error);
  g_assert_true (reply.thread == g_thread_self ());
  g_assert_cmpint (handler_runs, ==, 1);
  reply_clear (&reply);
}

static gboolean
answer_later_cb (gpointer data)
{
  IsthmusInvocation *invocation = data;
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (node, isthmus_invocation_get_int (invocation, "n", -1) * 2);
  isthmus_invocation_return_value (invocation, node);

  return G_SOURCE_REMOVE;
}

static void
later_handler (IsthmusInvocation *invocation,
               gpointer           user_data)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, answer_later_cb,
                   g_object_ref (invocation), g_object_unref);
}

static void
test_async_answer (void)
{
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  g_autoptr(IsthmusInvocation) invocation = NULL;
  Reply reply = { 0 };

  isthmus_registry_add (registry, "later", NULL, later_handler, NULL, NULL);
  invocation = new_invocation ("later", "{\"n\":21}", &reply);
  isthmus_registry_dispatch (registry, invocation);
  g_clear_object (&invocation);

  g_assert_cmpint (reply.calls, ==, 0);
  wait_for_reply (&reply);
  drain_context ();

  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "42");
  reply_clear (&reply);
}

static gpointer
answer_in_thread (gpointer data)
{
  IsthmusInvocation *invocation = data;

  isthmus_invocation_return_error_string (invocation, "from a thread");
  g_object_unref (invocation);

  return NULL;
}

static void
foreign_thread_handler (IsthmusInvocation *invocation,
                        gpointer           user_data)
{
  GThread **thread = user_data;

  *thread = g_thread_new ("answerer", answer_in_thread, g_object_ref (invocation));
}

static void
test_answer_from_thread (void)
{
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  g_autoptr(IsthmusInvocation) invocation = NULL;
  GThread *thread = NULL;
  Reply reply = { 0 };

  isthmus_registry_add (registry, "threaded", NULL, foreign_thread_handler, &thread, NULL);
  invocation = new_invocation ("threaded", NULL, &reply);
  isthmus_registry_dispatch (registry, invocation);
  g_clear_object (&invocation);

  g_assert_nonnull (thread);
  g_thread_join (thread);

  /* The thread answered, but the reply waits for the main context. */
  g_assert_cmpint (reply.calls, ==, 0);
  wait_for_reply (&reply);

  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_false (reply.ok);
  g_assert_null (reply.error);
  g_assert_cmpstr (reply.json, ==, "\"from a thread\"");
  g_assert_true (reply.thread == g_thread_self ());
  reply_clear (&reply);
}

static GThread *worker_seen;

static JsonNode *
sum_thread_func (IsthmusInvocation  *invocation,
                 GCancellable       *cancellable,
                 gpointer            user_data,
                 GError            **error)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  g_assert_true (cancellable == isthmus_invocation_get_cancellable (invocation));
  worker_seen = g_thread_self ();
  json_node_set_int (node,
                     isthmus_invocation_get_int (invocation, "a", 0) +
                     isthmus_invocation_get_int (invocation, "b", 0));

  return node;
}

static JsonNode *
failing_thread_func (IsthmusInvocation  *invocation,
                     GCancellable       *cancellable,
                     gpointer            user_data,
                     GError            **error)
{
  if (g_strcmp0 (user_data, "core") == 0)
    g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_NOT_SUPPORTED, "no such luck");
  else
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "file is gone");

  return NULL;
}

static void
test_thread_func (void)
{
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  g_autoptr(IsthmusInvocation) invocation = NULL;
  Reply reply = { 0 };

  worker_seen = NULL;
  isthmus_registry_add_thread (registry, "sum", NULL, sum_thread_func, NULL, NULL);
  invocation = new_invocation ("sum", "{\"a\":40,\"b\":2}", &reply);
  isthmus_registry_dispatch (registry, invocation);
  g_clear_object (&invocation);

  wait_for_reply (&reply);
  drain_context ();

  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "42");
  g_assert_nonnull (worker_seen);
  g_assert_true (worker_seen != g_thread_self ());
  g_assert_true (reply.thread == g_thread_self ());
  reply_clear (&reply);
}

static void
test_thread_func_error (void)
{
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  Reply reply = { 0 };

  isthmus_registry_add_thread (registry, "io", NULL, failing_thread_func, (gpointer)"io", NULL);
  isthmus_registry_add_thread (registry, "core", NULL, failing_thread_func, (gpointer)"core", NULL);

  {
    g_autoptr(IsthmusInvocation) invocation = new_invocation ("io", NULL, &reply);

    isthmus_registry_dispatch (registry, invocation);
  }
  wait_for_reply (&reply);
  g_assert_false (reply.ok);
  g_assert_null (reply.error);
  g_assert_cmpstr (reply.json, ==, "\"file is gone\"");
  reply_clear (&reply);
  reply.calls = 0;

  {
    g_autoptr(IsthmusInvocation) invocation = new_invocation ("core", NULL, &reply);

    isthmus_registry_dispatch (registry, invocation);
  }
  wait_for_reply (&reply);
  drain_context ();
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_false (reply.ok);
  g_assert_error (reply.error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (reply.json, ==, "\"NOT_SUPPORTED: no such luck\"");
  reply_clear (&reply);
}

static void
twice_handler (IsthmusInvocation *invocation,
               gpointer           user_data)
{
  isthmus_invocation_return_value (invocation, NULL);
  isthmus_invocation_return_error_string (invocation, "second");
}

static void
test_answer_twice (void)
{
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  g_autoptr(IsthmusInvocation) invocation = NULL;
  Reply reply = { 0 };

  isthmus_registry_add (registry, "twice", NULL, twice_handler, NULL, NULL);
  invocation = new_invocation ("twice", NULL, &reply);

  g_test_expect_message ("isthmus-invocation", G_LOG_LEVEL_CRITICAL, "*answered twice*");
  isthmus_registry_dispatch (registry, invocation);
  g_test_assert_expected_messages ();
  g_clear_object (&invocation);
  drain_context ();

  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "null");
  reply_clear (&reply);
}

static void
silent_handler (IsthmusInvocation *invocation,
                gpointer           user_data)
{
  handler_runs++;
}

static gboolean
drop_cb (gpointer data)
{
  g_object_unref (data);

  return G_SOURCE_REMOVE;
}

static gpointer
drop_in_thread (gpointer data)
{
  g_object_unref (data);

  return NULL;
}

static void
test_never_answers (void)
{
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  IsthmusInvocation *invocation;
  Reply reply = { 0 };

  handler_runs = 0;
  isthmus_registry_add (registry, "silent", NULL, silent_handler, NULL, NULL);

  /* The last reference goes when the dispatcher drops it. */
  invocation = new_invocation ("silent", NULL, &reply);
  isthmus_registry_dispatch (registry, invocation);
  g_assert_cmpint (reply.calls, ==, 0);
  g_object_unref (invocation);

  g_assert_cmpint (handler_runs, ==, 1);
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_false (reply.ok);
  g_assert_error (reply.error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INTERNAL);
  g_assert_cmpstr (reply.json, ==, "\"INTERNAL: handler did not reply\"");
  reply_clear (&reply);

  /* The last reference goes later, from an idle. */
  reply.calls = 0;
  invocation = new_invocation ("silent", NULL, &reply);
  isthmus_registry_dispatch (registry, invocation);
  g_idle_add (drop_cb, invocation);
  wait_for_reply (&reply);
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_error (reply.error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INTERNAL);
  reply_clear (&reply);

  /* The last reference goes in another thread: the reply still comes on
   * the main context. */
  reply.calls = 0;
  invocation = new_invocation ("silent", NULL, &reply);
  isthmus_registry_dispatch (registry, invocation);
  g_thread_join (g_thread_new ("dropper", drop_in_thread, invocation));
  g_assert_cmpint (reply.calls, ==, 0);
  wait_for_reply (&reply);
  drain_context ();
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_error (reply.error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INTERNAL);
  g_assert_true (reply.thread == g_thread_self ());
  reply_clear (&reply);
}

static IsthmusInvocation *kept;

static void
keep_handler (IsthmusInvocation *invocation,
              gpointer           user_data)
{
  kept = g_object_ref (invocation);
}

static void
test_cancellation (void)
{
  g_autoptr(IsthmusRegistry) registry = isthmus_registry_new ();
  g_autoptr(IsthmusInvocation) invocation = NULL;
  g_autoptr(GError) gone = NULL;
  Reply reply = { 0 };

  isthmus_registry_add (registry, "keep", NULL, keep_handler, NULL, NULL);
  invocation = new_invocation ("keep", NULL, &reply);
  isthmus_registry_dispatch (registry, invocation);
  g_assert_nonnull (kept);
  g_assert_false (g_cancellable_is_cancelled (isthmus_invocation_get_cancellable (kept)));

  gone = g_error_new_literal (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_WEBVIEW_GONE, "gone");
  isthmus_invocation_cancel (invocation, gone);

  g_assert_true (g_cancellable_is_cancelled (isthmus_invocation_get_cancellable (kept)));
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_error (reply.error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_WEBVIEW_GONE);
  g_assert_cmpstr (reply.json, ==, "\"WEBVIEW_GONE: gone\"");

  /* The handler's late answer raced the cancellation: dropped, silently
   * (a critical would abort this test). */
  isthmus_invocation_return_value (kept, NULL);
  g_clear_object (&kept);
  drain_context ();
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_error (reply.error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_WEBVIEW_GONE);
  reply_clear (&reply);
}

static void
test_args_getters (void)
{
  g_autoptr(IsthmusInvocation) invocation = NULL;
  g_autoptr(IsthmusInvocation) empty = NULL;
  Reply reply = { 0 };

  invocation = new_invocation ("x", "{\"s\":\"text\",\"i\":7,\"d\":3.0,\"f\":2.5,\"n\":null}", &reply);
  g_assert_cmpstr (isthmus_invocation_get_command (invocation), ==, "x");
  g_assert_cmpstr (isthmus_invocation_get_webview_label (invocation), ==, "main");
  g_assert_cmpstr (isthmus_invocation_get_string (invocation, "s"), ==, "text");
  g_assert_null (isthmus_invocation_get_string (invocation, "i"));
  g_assert_null (isthmus_invocation_get_string (invocation, "missing"));
  g_assert_cmpint (isthmus_invocation_get_int (invocation, "i", -1), ==, 7);
  g_assert_cmpint (isthmus_invocation_get_int (invocation, "d", -1), ==, 3);
  g_assert_cmpint (isthmus_invocation_get_int (invocation, "s", -1), ==, -1);
  g_assert_cmpint (isthmus_invocation_get_int (invocation, "n", -1), ==, -1);

  empty = new_invocation ("y", NULL, &reply);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (isthmus_invocation_get_args (empty)));
  g_assert_cmpuint (json_object_get_size (json_node_get_object (isthmus_invocation_get_args (empty))), ==, 0);

  isthmus_invocation_return_value (invocation, NULL);
  isthmus_invocation_return_value (empty, NULL);
  g_assert_cmpint (reply.calls, ==, 2);
  reply_clear (&reply);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/registry/add-remove", test_add_remove);
  g_test_add_func ("/isthmus/registry/unknown-command", test_unknown);
  g_test_add_func ("/isthmus/registry/schema-rejects", test_schema_rejects);
  g_test_add_func ("/isthmus/registry/sync-answer", test_sync_answer);
  g_test_add_func ("/isthmus/registry/async-answer", test_async_answer);
  g_test_add_func ("/isthmus/registry/answer-from-thread", test_answer_from_thread);
  g_test_add_func ("/isthmus/registry/thread-func", test_thread_func);
  g_test_add_func ("/isthmus/registry/thread-func-error", test_thread_func_error);
  g_test_add_func ("/isthmus/registry/answer-twice", test_answer_twice);
  g_test_add_func ("/isthmus/registry/never-answers", test_never_answers);
  g_test_add_func ("/isthmus/registry/cancellation", test_cancellation);
  g_test_add_func ("/isthmus/registry/args-getters", test_args_getters);

  return g_test_run ();
}

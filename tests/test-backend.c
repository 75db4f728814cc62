/* test-backend.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "isthmus-backend.h"
#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-error.h"

typedef struct
{
  int       calls;
  gboolean  ok;
  char     *json;
  char     *code;
  char     *message;
} Reply;

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->json, g_free);
  g_clear_pointer (&reply->code, g_free);
  g_clear_pointer (&reply->message, g_free);
  reply->calls = 0;
}

static void
reply_cb (const IsthmusReply *r,
          gpointer            user_data)
{
  Reply *reply = user_data;

  reply->calls++;
  reply->ok = r->ok;
  g_free (reply->json);
  reply->json = g_strndup (r->json, r->json_length);
  g_free (reply->code);
  reply->code = g_strdup (r->code);
  g_free (reply->message);
  reply->message = g_strdup (r->message);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

/* Iterates the default context until *@counter ≥ @target, failing after
 * ten seconds rather than hanging. */
static void
wait_until (const guint *counter,
            guint        target)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (*counter < target && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

typedef struct
{
  IsthmusCore    *core;
  IsthmusBackend *backend;
  guint           starts;
  guint           exits;
  guint           problems;
  GPtrArray      *problem_texts;
} Fixture;

static void
started_cb (IsthmusBackend *backend,
            Fixture        *fixture)
{
  fixture->starts++;
}

static void
exited_cb (IsthmusBackend *backend,
           const char     *how,
           Fixture        *fixture)
{
  fixture->exits++;
}

static void
problem_cb (IsthmusBackend *backend,
            const char     *text,
            Fixture        *fixture)
{
  g_test_message ("problem: %s", text);
  fixture->problems++;
  g_ptr_array_add (fixture->problem_texts, g_strdup (text));
}

static gboolean
fixture_set_up (Fixture    *fixture,
                const char *script)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *path = NULL;
  g_autofree char *quoted = NULL;
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;
  IsthmusRegistry *registry;
  g_auto(GStrv) names = NULL;

  memset (fixture, 0, sizeof *fixture);

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return FALSE;
    }

  fixture->problem_texts = g_ptr_array_new_with_free_func (g_free);
  fixture->core = isthmus_core_new ();
  registry = isthmus_core_get_registry (fixture->core);
  isthmus_demo_commands_register (registry);
  names = isthmus_registry_list (registry);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!g_str_has_prefix (names[i], "plugin:"))
        isthmus_registry_set_default (registry, names[i], TRUE);
    }

  if (g_str_has_prefix (script, "../"))
    path = g_test_build_filename (G_TEST_DIST, script, NULL);
  else
    path = g_test_build_filename (G_TEST_DIST, "fixtures", "backends", script, NULL);
  quoted = g_shell_quote (path);
  command = g_strdup_printf ("python3 -u %s", quoted);

  fixture->backend = isthmus_backend_new (command, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (isthmus_backend_get_argv (fixture->backend)[2], ==, path);
  g_signal_connect (fixture->backend, "started", G_CALLBACK (started_cb), fixture);
  g_signal_connect (fixture->backend, "exited", G_CALLBACK (exited_cb), fixture);
  g_signal_connect (fixture->backend, "problem", G_CALLBACK (problem_cb), fixture);
  isthmus_backend_set_restart_delays (fixture->backend, 50, 400);
  isthmus_backend_attach (fixture->backend, fixture->core);

  g_assert_true (isthmus_backend_start (fixture->backend, &error));
  g_assert_no_error (error);
  g_assert_true (isthmus_backend_is_running (fixture->backend));
  g_assert_cmpuint (fixture->starts, ==, 1);

  return TRUE;
}

static void
fixture_tear_down (Fixture *fixture)
{
  if (fixture->backend != NULL)
    g_object_run_dispose (G_OBJECT (fixture->backend));
  g_clear_object (&fixture->backend);
  g_clear_object (&fixture->core);
  g_clear_pointer (&fixture->problem_texts, g_ptr_array_unref);
}

static gboolean
problem_seen (Fixture    *fixture,
              const char *part)
{
  for (guint i = 0; i < fixture->problem_texts->len; i++)
    {
      if (strstr (g_ptr_array_index (fixture->problem_texts, i), part) != NULL)
        return TRUE;
    }

  return FALSE;
}

static IsthmusExchange *
invoke (Fixture    *fixture,
        const char *cmd,
        const char *payload,
        Reply      *reply)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  IsthmusExchange *exchange;

  reply_clear (reply);
  text = g_strdup_printf ("{\"cmd\":\"%s\",\"callback\":1,\"error\":2,\"payload\":%s,\"options\":null}",
                          cmd, payload);
  bytes = g_bytes_new (text, strlen (text));
  exchange = isthmus_core_handle_message (fixture->core, "main", bytes, reply_cb, reply);
  g_assert_nonnull (exchange);
  wait_until ((guint *)&reply->calls, 1);
  g_assert_cmpint (reply->calls, ==, 1);

  return exchange;
}

/* Counts the lifecycle records whose command is @what. */
static guint
count_records (Fixture    *fixture,
               const char *what)
{
  IsthmusRecorder *recorder = isthmus_core_get_recorder (fixture->core);
  guint count = 0;

  isthmus_recorder_flush (recorder);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (recorder)); i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (G_LIST_MODEL (recorder), i);

      if (g_strcmp0 (isthmus_exchange_get_command (exchange), what) == 0)
        count++;
    }

  return count;
}

static void
test_replies (void)
{
  Fixture fixture;
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  if (!fixture_set_up (&fixture, "good.py"))
    return;

  exchange = invoke (&fixture, "greet", "{\"name\": \"Ada\"}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"Hello, Ada! From Python in main.\"");
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), ==, "backend");

  /* An error with data rejects with the data. */
  exchange = invoke (&fixture, "fail", "{}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "HANDLER_ERROR");
  g_assert_cmpstr (reply.json, ==, "{\"kind\":\"BackendError\",\"n\":1}");
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), ==, "backend error -32000");

  /* Without data, with the message. */
  invoke (&fixture, "fail_plain", "{}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "HANDLER_ERROR");
  g_assert_cmpstr (reply.json, ==, "\"plain failure\"");

  /* "Method not found" goes on to the demo commands, then to Tauri's
   * unknown-command text. */
  invoke (&fixture, "echo", "{\"value\": [1, 2]}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "[1,2]");
  invoke (&fixture, "absent", "{}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "UNKNOWN_COMMAND");
  g_assert_cmpstr (reply.json, ==, "\"Command absent not found\"");

  /* A log notification becomes a record; so does the startup line on
   * stderr (it may arrive after the first answers). */
  invoke (&fixture, "log", "{\"text\": \"hello from the log\"}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpuint (count_records (&fixture, "backend log"), ==, 1);
  {
    guint stderr_records = 0;
    gboolean timed_out = FALSE;
    guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

    while ((stderr_records = count_records (&fixture, "backend stderr")) == 0 && !timed_out)
      g_main_context_iteration (NULL, TRUE);
    g_source_remove (id);
    g_assert_cmpuint (stderr_records, ==, 1);
  }

  g_assert_cmpuint (fixture.problems, ==, 0);
  g_assert_cmpuint (isthmus_backend_get_n_pending (fixture.backend), ==, 0);

  /* Stopped, the backend passes every call on. */
  isthmus_backend_stop (fixture.backend);
  g_assert_false (isthmus_backend_is_running (fixture.backend));
  invoke (&fixture, "greet", "{\"name\": \"Ada\"}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"Hello, Ada! You've been greeted from C.\"");

  reply_clear (&reply);
  fixture_tear_down (&fixture);
}

typedef struct
{
  guint  deliveries;
  char  *payload;
  char  *event;
} Delivered;

static void
deliver_cb (const char    *webview_label,
            const char    *event,
            const char    *payload_json,
            const guint32 *listener_ids,
            guint          n_ids,
            gpointer       user_data)
{
  Delivered *delivered = user_data;

  g_assert_cmpstr (webview_label, ==, "main");
  g_assert_cmpuint (n_ids, ==, 1);
  delivered->deliveries++;
  g_free (delivered->payload);
  delivered->payload = g_strdup (payload_json);
  g_free (delivered->event);
  delivered->event = g_strdup (event);
}

static void
test_emit (void)
{
  Fixture fixture;
  IsthmusEventBus *bus;
  IsthmusEventTarget any = { ISTHMUS_EVENT_TARGET_ANY_LABEL, (char *)"main" };
  g_autoptr(GError) error = NULL;
  Delivered delivered = { 0 };
  Reply reply = { 0 };

  if (!fixture_set_up (&fixture, "good.py"))
    return;

  bus = isthmus_core_get_event_bus (fixture.core);
  isthmus_event_bus_add_webview (bus, "main", deliver_cb, &delivered, NULL);
  isthmus_event_bus_listen (bus, "main", "backend-event", &any, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (isthmus_event_bus_get_n_listeners (bus), ==, 1);

  invoke (&fixture, "emit", "{\"n\": 1}", &reply);
  g_assert_true (reply.ok);
  wait_until (&delivered.deliveries, 1);
  g_assert_cmpstr (delivered.event, ==, "backend-event");
  g_assert_cmpstr (delivered.payload, ==, "{\"n\":1}");

  /* With a target that reaches main … */
  invoke (&fixture, "emit", "{\"n\": 2, \"target\": {\"kind\": \"AnyLabel\", \"label\": \"main\"}}", &reply);
  wait_until (&delivered.deliveries, 2);
  g_assert_nonnull (strstr (delivered.payload, "\"n\":2"));

  /* … and one that does not. */
  invoke (&fixture, "emit", "{\"n\": 3, \"target\": {\"kind\": \"Window\", \"label\": \"other\"}}", &reply);
  g_assert_true (reply.ok);
  invoke (&fixture, "emit", "{\"n\": 4}", &reply);
  wait_until (&delivered.deliveries, 3);
  g_assert_nonnull (strstr (delivered.payload, "\"n\":4"));
  g_assert_cmpuint (delivered.deliveries, ==, 3);

  /* A bad target is a clear problem, not a crash. */
  invoke (&fixture, "emit", "{\"n\": 5, \"target\": {\"kind\": \"Nowhere\"}}", &reply);
  g_assert_true (reply.ok);
  g_assert_true (problem_seen (&fixture, "bad target"));

  g_free (delivered.payload);
  g_free (delivered.event);
  reply_clear (&reply);
  fixture_tear_down (&fixture);
}

static void
test_crash (void)
{
  Fixture fixture;
  Reply reply = { 0 };
  g_autofree char *first_pid = NULL;

  if (!fixture_set_up (&fixture, "crash.py"))
    return;

  invoke (&fixture, "hello", "{}", &reply);
  g_assert_true (reply.ok);
  first_pid = g_strdup (reply.json);

  invoke (&fixture, "crash", "{}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "BACKEND_CRASHED");
  g_assert_nonnull (strstr (reply.message, "exited with status 3"));
  g_assert_cmpuint (isthmus_backend_get_n_pending (fixture.backend), ==, 0);
  g_assert_cmpuint (fixture.exits, ==, 1);
  g_assert_true (problem_seen (&fixture, "restarting it in 50 ms"));

  /* It comes back and answers again, from a new process. */
  wait_until (&fixture.starts, 2);
  g_assert_cmpuint (isthmus_backend_get_n_starts (fixture.backend), ==, 2);
  invoke (&fixture, "hello", "{}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, !=, first_pid);

  /* A second crash in a row waits longer, and it still comes back. */
  invoke (&fixture, "crash", "{}", &reply);
  g_assert_cmpstr (reply.code, ==, "BACKEND_CRASHED");
  g_assert_true (problem_seen (&fixture, "restarting it in 100 ms"));
  wait_until (&fixture.starts, 3);
  invoke (&fixture, "hello", "{}", &reply);
  g_assert_true (reply.ok);

  reply_clear (&reply);
  fixture_tear_down (&fixture);
}

static void
test_garbage (void)
{
  Fixture fixture;
  Reply reply = { 0 };

  if (!fixture_set_up (&fixture, "garbage.py"))
    return;

  /* The answer after the garbage still arrives: the parser resynchronised. */
  invoke (&fixture, "garbage", "{}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"still here\"");
  g_assert_true (problem_seen (&fixture, "not a header: “hello, this is not a header”"));
  g_assert_true (problem_seen (&fixture, "not valid JSON"));
  g_assert_true (problem_seen (&fixture, "not a JSON object"));
  g_assert_true (problem_seen (&fixture, "without Content-Length"));
  g_assert_true (problem_seen (&fixture, "bad Content-Length"));
  g_assert_true (problem_seen (&fixture, "id 999999, which no call is waiting for"));
  g_assert_cmpuint (fixture.starts, ==, 1);
  g_assert_cmpuint (fixture.exits, ==, 0);

  invoke (&fixture, "again", "{}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"again\"");

  /* An oversized frame cannot be skipped safely: the process restarts. */
  invoke (&fixture, "oversize", "{}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "BACKEND_CRASHED");
  g_assert_true (problem_seen (&fixture, "over the limit"));
  wait_until (&fixture.starts, 2);
  invoke (&fixture, "after", "{}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"after\"");

  reply_clear (&reply);
  fixture_tear_down (&fixture);
}

static void
test_timeout (void)
{
  Fixture fixture;
  Reply reply = { 0 };
  gint64 start;

  if (!fixture_set_up (&fixture, "silent.py"))
    return;

  isthmus_backend_set_timeout (fixture.backend, 300);
  g_assert_cmpuint (isthmus_backend_get_timeout (fixture.backend), ==, 300);

  start = g_get_monotonic_time ();
  invoke (&fixture, "anything", "{}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "BACKEND_TIMEOUT");
  g_assert_nonnull (strstr (reply.message, "within 300 ms"));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 300 * 1000);
  g_assert_cmpuint (isthmus_backend_get_n_pending (fixture.backend), ==, 0);
  g_assert_true (isthmus_backend_is_running (fixture.backend));

  reply_clear (&reply);
  fixture_tear_down (&fixture);
}

static void
test_flood (void)
{
  Fixture fixture;
  Reply reply = { 0 };
  guint records = 0;
  gboolean timed_out = FALSE;
  guint id;

  if (!fixture_set_up (&fixture, "good.py"))
    return;

  invoke (&fixture, "flood", "{\"lines\": 2000}", &reply);
  g_assert_true (reply.ok);

  /* The first second's worth arrives, and far from all 2001 lines. */
  id = g_timeout_add_seconds (10, timeout_cb, &timed_out);
  while ((records = count_records (&fixture, "backend stderr")) < 20 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (id);
  g_assert_cmpuint (records, >=, 20);
  g_assert_cmpuint (records, <=, 100);

  reply_clear (&reply);
  fixture_tear_down (&fixture);
}

/* The example in data/examples answers as its comments say. */
static void
test_example (void)
{
  Fixture fixture;
  Reply reply = { 0 };

  if (!fixture_set_up (&fixture, "../data/examples/backend.py"))
    return;

  invoke (&fixture, "greet", "{\"name\": \"Ada\"}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"Hello, Ada! You have been greeted from Python.\"");
  invoke (&fixture, "greet", "{}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.json, ==, "{\"kind\":\"InvalidName\"}");
  invoke (&fixture, "divide", "{\"a\": 1, \"b\": 0}", &reply);
  g_assert_cmpstr (reply.json, ==, "\"division by zero\"");
  invoke (&fixture, "divide", "{\"a\": 1, \"b\": 4}", &reply);
  g_assert_cmpstr (reply.json, ==, "0.25");
  invoke (&fixture, "echo", "{\"value\": \"demo\"}", &reply);
  g_assert_cmpstr (reply.json, ==, "\"demo\"");
  g_assert_cmpuint (fixture.problems, ==, 0);

  reply_clear (&reply);
  fixture_tear_down (&fixture);
}

static void
test_bad_command_line (void)
{
  g_autoptr(IsthmusBackend) backend = NULL;
  g_autoptr(GError) error = NULL;

  backend = isthmus_backend_new ("python3 'unterminated", &error);
  g_assert_null (backend);
  g_assert_error (error, G_SHELL_ERROR, G_SHELL_ERROR_BAD_QUOTING);
  g_clear_error (&error);

  backend = isthmus_backend_new ("/nonexistent/isthmus-backend --flag", &error);
  g_assert_no_error (error);
  g_assert_false (isthmus_backend_start (backend, &error));
  g_assert_nonnull (error);
  g_assert_false (isthmus_backend_is_running (backend));
}

/* The frame parser on its own. */
static void
test_framer (void)
{
  g_autoptr(IsthmusJsonRpcFramer) framer = isthmus_jsonrpc_framer_new (32);
  g_autoptr(GBytes) frame = isthmus_jsonrpc_frame ("{\"a\":1}", 7);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize length;
  const char *garbage = "junk\r\n\r\ncontent-length:  3\r\nContent-Type: x\r\n\r\n[1]Content-Length: 33\r\n\r\n";

  data = g_bytes_get_data (frame, &length);
  g_assert_cmpmem (data, length, "Content-Length: 7\r\n\r\n{\"a\":1}", 28);

  /* Byte by byte. */
  for (gsize i = 0; i < length; i++)
    {
      isthmus_jsonrpc_framer_push (framer, data + i, 1);
      if (i + 1 < length)
        g_assert_cmpint (isthmus_jsonrpc_framer_next (framer, &body, &error), ==, ISTHMUS_FRAME_NEED_MORE);
    }
  g_assert_cmpint (isthmus_jsonrpc_framer_next (framer, &body, &error), ==, ISTHMUS_FRAME_OK);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "{\"a\":1}", 7);
  g_clear_pointer (&body, g_bytes_unref);

  isthmus_jsonrpc_framer_push (framer, (const guint8 *)garbage, strlen (garbage));
  g_assert_cmpint (isthmus_jsonrpc_framer_next (framer, &body, &error), ==, ISTHMUS_FRAME_ERROR);
  g_assert_nonnull (strstr (error->message, "junk"));
  g_clear_error (&error);
  g_assert_cmpint (isthmus_jsonrpc_framer_next (framer, &body, &error), ==, ISTHMUS_FRAME_OK);
  g_assert_cmpmem (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "[1]", 3);
  g_clear_pointer (&body, g_bytes_unref);
  g_assert_cmpint (isthmus_jsonrpc_framer_next (framer, &body, &error), ==, ISTHMUS_FRAME_FATAL);
  g_assert_nonnull (strstr (error->message, "over the limit"));
  g_assert_null (body);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/backend/framer", test_framer);
  g_test_add_func ("/isthmus/backend/bad-command-line", test_bad_command_line);
  g_test_add_func ("/isthmus/backend/replies", test_replies);
  g_test_add_func ("/isthmus/backend/emit", test_emit);
  g_test_add_func ("/isthmus/backend/crash", test_crash);
  g_test_add_func ("/isthmus/backend/garbage", test_garbage);
  g_test_add_func ("/isthmus/backend/timeout", test_timeout);
  g_test_add_func ("/isthmus/backend/stderr-flood", test_flood);
  g_test_add_func ("/isthmus/backend/example", test_example);

  return g_test_run ();
}

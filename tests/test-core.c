/* test-core.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "isthmus-core.h"
#include "isthmus-test-util.h"
#include "isthmus-demo-commands.h"
#include "isthmus-error.h"

static IsthmusCore *
new_core (void)
{
  IsthmusCore *core = isthmus_core_new ();

  isthmus_demo_commands_register (isthmus_core_get_registry (core));

  return core;
}

static IsthmusExchange *
send_bytes (IsthmusCore *core,
            const char  *data,
            gsize        length,
            Reply       *reply)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);
  IsthmusExchange *exchange;

  exchange = isthmus_core_handle_message (core, "main", bytes, reply_cb, reply);
  g_assert_nonnull (exchange);
  wait_until (&reply->calls, 1);
  g_assert_cmpint (reply->calls, ==, 1);

  return exchange;
}

static IsthmusExchange *
send_text (IsthmusCore *core,
           const char  *text,
           Reply       *reply)
{
  return send_bytes (core, text, strlen (text), reply);
}

/* The string a rejection value holds. */
static char *
json_string (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_VALUE (root));
  g_assert_cmpint (json_node_get_value_type (root), ==, G_TYPE_STRING);

  return g_strdup (json_node_get_string (root));
}

static void
assert_error (Reply      *reply,
              const char *code,
              const char *page_prefix)
{
  g_autofree char *text = NULL;

  g_assert_cmpint (reply->calls, ==, 1);
  g_assert_false (reply->ok);
  g_assert_cmpstr (reply->code, ==, code);
  g_assert_nonnull (reply->message);
  text = json_string (reply->json);
  if (!g_str_has_prefix (text, page_prefix))
    g_error ("page value “%s” does not start with “%s”", text, page_prefix);
}

static void
test_success (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  Reply reply = { 0 };

  send_text (core,
             "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{\"name\":\"x\"},\"options\":null}",
             &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"Hello, x! You've been greeted from C.\"");
  g_assert_null (reply.code);
  g_assert_null (reply.message);
  reply_clear (&reply);
}

static void
test_sync_reply (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(GBytes) bytes = NULL;
  Reply reply = { 0 };
  const char *text = "{\"cmd\":\"echo\",\"payload\":{\"value\":[1,\"two\",{\"three\":3}]}}";

  bytes = g_bytes_new_static (text, strlen (text));
  isthmus_core_handle_message (core, "main", bytes, reply_cb, &reply);

  /* Echo answers at once: the reply came before handle_message returned. */
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "[1,\"two\",{\"three\":3}]");
  g_assert_cmpuint (isthmus_core_get_n_pending (core), ==, 0);
  reply_clear (&reply);
}

static void
test_handler_error (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  Reply reply = { 0 };

  send_text (core, "{\"cmd\":\"fail\",\"payload\":{\"message\":\"it broke\"}}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "HANDLER_ERROR");

  /* The error object reaches the page unchanged, not wrapped. */
  json_parser_load_from_data (parser, reply.json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_object_get_size (object), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "DemoError");
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, "it broke");
  reply_clear (&reply);

  /* A string error value stays a string. */
  send_text (core, "{\"cmd\":\"divide\",\"payload\":{\"a\":1,\"b\":0}}", &reply);
  g_assert_cmpstr (reply.code, ==, "HANDLER_ERROR");
  g_assert_cmpstr (reply.json, ==, "\"division by zero\"");
  reply_clear (&reply);
}

static void
test_unknown_command (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autofree char *text = NULL;
  g_autofree char *plugin_text = NULL;
  Reply reply = { 0 };
  Reply plugin = { 0 };

  send_text (core, "{\"cmd\":\"nope\",\"callback\":1,\"error\":2,\"payload\":{}}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "UNKNOWN_COMMAND");
  text = json_string (reply.json);
  g_assert_cmpstr (text, ==, "Command nope not found");

  send_text (core, "{\"cmd\":\"plugin:x|y\",\"callback\":1,\"error\":2,\"payload\":{}}", &plugin);
  g_assert_cmpstr (plugin.code, ==, "UNKNOWN_COMMAND");
  plugin_text = json_string (plugin.json);
  g_assert_cmpstr (plugin_text, ==, "Command y not found");

  reply_clear (&reply);
  reply_clear (&plugin);
}

static void
test_invalid_args (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autofree char *text = NULL;
  Reply reply = { 0 };
  Reply wrong = { 0 };
  Reply unknown = { 0 };

  send_text (core, "{\"cmd\":\"greet\",\"payload\":{}}", &reply);
  g_assert_cmpstr (reply.code, ==, "INVALID_ARGS");
  text = json_string (reply.json);
  g_assert_cmpstr (text, ==,
                   "invalid args `name` for command `greet`: command greet missing required key name");

  send_text (core, "{\"cmd\":\"greet\",\"payload\":{\"name\":1}}", &wrong);
  assert_error (&wrong, "INVALID_ARGS", "invalid args `name` for command `greet`: invalid type: integer `1`, expected a string");

  send_text (core, "{\"cmd\":\"greet\",\"payload\":{\"name\":\"a\",\"b\":1}}", &unknown);
  assert_error (&unknown, "INVALID_ARGS", "invalid args `b` for command `greet`: unknown field `b`");

  reply_clear (&reply);
  reply_clear (&wrong);
  reply_clear (&unknown);
}

static void
test_bad_messages (void)
{
  struct {
    const char *text;
    const char *code;
  } cases[] = {
    { "{\"cmd\" \"greet\"}", "BAD_MESSAGE" },
    { "{\"cmd\":\"greet\",}", "BAD_MESSAGE" },
    { "{\"cmd\":\"greet\"", "BAD_MESSAGE" },
    { "", "BAD_MESSAGE" },
    { "[1,2]", "BAD_MESSAGE" },
    { "\"greet\"", "BAD_MESSAGE" },
    { "null", "BAD_MESSAGE" },
    { "{\"payload\":{}}", "BAD_MESSAGE" },
    { "{\"cmd\":5,\"payload\":{}}", "BAD_MESSAGE" },
    { "{\"cmd\":null}", "BAD_MESSAGE" },
    { "{\"cmd\":{\"a\":1}}", "BAD_MESSAGE" },
    { "{\"cmd\":\"\"}", "BAD_MESSAGE" },
    { "{\"cmd\":\"greet\",\"callback\":\"1\",\"payload\":{\"name\":\"x\"}}", "BAD_MESSAGE" },
    { "{\"cmd\":\"greet\",\"error\":[],\"payload\":{\"name\":\"x\"}}", "BAD_MESSAGE" },
    { "{\"cmd\":\"greet\",\"callback\":1e400,\"payload\":{\"name\":\"x\"}}", "BAD_MESSAGE" },
    { "{\"cmd\":\"echo\",\"payload\":{\"value\":[-1e999]}}", "BAD_MESSAGE" },
    { "{\"cmd\":\"a\\u0000b\"}", "BAD_ENCODING" },
    { "{\"cmd\":\"echo\",\"payload\":{\"value\":\"\\ud800\"}}", "BAD_ENCODING" },
    { "{\"cmd\":\"echo\",\"payload\":{\"value\":\"\\udc00x\"}}", "BAD_ENCODING" },
  };
  g_autoptr(IsthmusCore) core = new_core ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *prefix = g_strconcat (cases[i].code, ": ", NULL);
      Reply reply = { 0 };

      g_test_message ("message %u: %s", i, cases[i].text);
      send_text (core, cases[i].text, &reply);
      assert_error (&reply, cases[i].code, prefix);
      reply_clear (&reply);
    }
}

static void
infinite_handler (IsthmusInvocation *invocation,
                  gpointer           user_data)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_double (node, 1e308 * 10.0);
  isthmus_invocation_return_value (invocation, node);
}

static void
test_non_finite_reply (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  isthmus_registry_add (isthmus_core_get_registry (core), "inf", NULL, infinite_handler, NULL, NULL);
  exchange = send_text (core, "{\"cmd\":\"inf\"}", &reply);
  assert_error (&reply, "INTERNAL", "INTERNAL: ");
  g_assert_cmpstr (isthmus_exchange_get_status_text (exchange), ==, "INTERNAL");
  reply_clear (&reply);
}

static void
test_exponent_numbers (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  Reply reply = { 0 };
  Reply overflow = { 0 };

  /* json-glib 1.6 would write 1e20 as "1e+20.0", which is not JSON. */
  send_text (core, "{\"cmd\":\"echo\",\"payload\":{\"value\":[1e20,-2.5E-7,0.5,\"1e+20.0\"]}}", &reply);
  g_assert_true (reply.ok);
  json_parser_load_from_data (parser, reply.json, -1, &error);
  g_assert_no_error (error);
  array = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpfloat (json_array_get_double_element (array, 0), ==, 1e20);
  g_assert_cmpfloat (json_array_get_double_element (array, 1), ==, -2.5e-7);
  g_assert_cmpfloat (json_array_get_double_element (array, 2), ==, 0.5);
  g_assert_cmpstr (json_array_get_string_element (array, 3), ==, "1e+20.0");

  send_text (core, "{\"cmd\":\"divide\",\"payload\":{\"a\":1e308,\"b\":0.1}}", &overflow);
  g_assert_cmpstr (overflow.code, ==, "HANDLER_ERROR");

  reply_clear (&reply);
  reply_clear (&overflow);
}

static void
test_long_cmd (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(GString) text = g_string_new ("{\"cmd\":\"");
  Reply reply = { 0 };
  Reply ok = { 0 };

  for (int i = 0; i < 257; i++)
    g_string_append_c (text, 'a');
  g_string_append (text, "\"}");
  send_text (core, text->str, &reply);
  assert_error (&reply, "BAD_MESSAGE", "BAD_MESSAGE: ");

  /* 256 bytes is still a name (an unknown one). */
  g_string_erase (text, 8, 1);
  send_text (core, text->str, &ok);
  g_assert_cmpstr (ok.code, ==, "UNKNOWN_COMMAND");

  reply_clear (&reply);
  reply_clear (&ok);
}

static void
test_nul_and_invalid_utf8 (void)
{
  static const char nul[] = "{\"cmd\":\"greet\",\"payload\":{\"name\":\"a\0b\"}}";
  static const char invalid[] = "{\"cmd\":\"greet\",\"payload\":{\"name\":\"a\xff\xfe\"}}";
  static const char overlong[] = "{\"cmd\":\"greet\",\"payload\":{\"name\":\"\xc0\xae\"}}";
  g_autoptr(IsthmusCore) core = new_core ();
  Reply r1 = { 0 };
  Reply r2 = { 0 };
  Reply r3 = { 0 };
  IsthmusExchange *exchange;

  send_bytes (core, nul, sizeof nul - 1, &r1);
  assert_error (&r1, "BAD_ENCODING", "BAD_ENCODING: ");

  exchange = send_bytes (core, invalid, sizeof invalid - 1, &r2);
  assert_error (&r2, "BAD_ENCODING", "BAD_ENCODING: ");
  g_assert_true (g_utf8_validate (isthmus_exchange_get_summary (exchange), -1, NULL));
  g_assert_cmpuint (isthmus_exchange_get_request_size (exchange), ==, sizeof invalid - 1);

  send_bytes (core, overlong, sizeof overlong - 1, &r3);
  assert_error (&r3, "BAD_ENCODING", "BAD_ENCODING: ");

  reply_clear (&r1);
  reply_clear (&r2);
  reply_clear (&r3);
}

static void
test_too_large (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  gsize size = 64 * 1024 * 1024;
  char *data = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;
  IsthmusExchange *exchange;
  Reply reply = { 0 };
  gint64 start;
  gint64 elapsed;

  /* All brackets: a depth check or a parse would fail differently. */
  memset (data, '[', size);
  bytes = g_bytes_new_take (data, size);

  start = g_get_monotonic_time ();
  exchange = isthmus_core_handle_message (core, "main", bytes, reply_cb, &reply);
  elapsed = g_get_monotonic_time () - start;

  g_assert_cmpint (reply.calls, ==, 1);
  assert_error (&reply, "PAYLOAD_TOO_LARGE", "PAYLOAD_TOO_LARGE: ");
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC / 2);
  g_assert_true (isthmus_exchange_get_request (exchange) == bytes);
  g_assert_cmpuint (isthmus_exchange_get_request_size (exchange), ==, size);
  g_assert_cmpstr (isthmus_exchange_get_status_text (exchange), ==, "PAYLOAD_TOO_LARGE");
  reply_clear (&reply);
}

static void
test_too_deep (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autoptr(GString) text = g_string_new ("{\"cmd\":\"echo\",\"payload\":{\"value\":");
  Reply reply = { 0 };
  Reply objects = { 0 };
  guint depth = 100000;

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  g_string_append (text, "}}");
  send_text (core, text->str, &reply);
  assert_error (&reply, "JSON_TOO_DEEP", "JSON_TOO_DEEP: ");

  g_string_assign (text, "{\"cmd\":\"echo\",\"payload\":{\"value\":");
  for (guint i = 0; i < depth; i++)
    g_string_append (text, "{\"a\":");
  g_string_append (text, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '}');
  g_string_append (text, "}}");
  send_text (core, text->str, &objects);
  assert_error (&objects, "JSON_TOO_DEEP", "JSON_TOO_DEEP: ");

  reply_clear (&reply);
  reply_clear (&objects);
}

static void
test_limits (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  IsthmusJsonLimits limits = { 64, 4 };
  Reply small = { 0 };
  Reply big = { 0 };
  Reply deep = { 0 };

  isthmus_core_set_limits (core, &limits);
  g_assert_cmpuint (isthmus_core_get_limits (core)->max_bytes, ==, 64);
  g_assert_cmpuint (isthmus_core_get_limits (core)->max_depth, ==, 4);

  send_text (core, "{\"cmd\":\"echo\",\"payload\":{\"value\":[[1]]}}", &small);
  g_assert_true (small.ok);
  send_text (core, "{\"cmd\":\"echo\",\"payload\":{\"value\":\"01234567890123456789012345678901234567890123456789\"}}", &big);
  assert_error (&big, "PAYLOAD_TOO_LARGE", "PAYLOAD_TOO_LARGE: ");
  send_text (core, "{\"cmd\":\"echo\",\"payload\":{\"value\":[[[1]]]}}", &deep);
  assert_error (&deep, "JSON_TOO_DEEP", "JSON_TOO_DEEP: ");

  reply_clear (&small);
  reply_clear (&big);
  reply_clear (&deep);
}

static void
test_many_requests (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  guint n = 10000;
  Reply *replies = g_new0 (Reply, n);
  int total = 0;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GBytes) bytes = NULL;

      /* Every tenth one goes to a worker thread, so replies arrive later. */
      if (i % 10 == 0)
        text = g_strdup_printf ("{\"cmd\":\"count_words\",\"callback\":%u,\"error\":%u,\"payload\":{\"text\":\"a b c %u\"}}", i, i + 1, i);
      else
        text = g_strdup_printf ("{\"cmd\":\"echo\",\"callback\":%u,\"error\":%u,\"payload\":{\"value\":%u}}", i, i + 1, i);
      bytes = g_bytes_new_take (g_steal_pointer (&text), strlen (text));
      isthmus_core_handle_message (core, "main", bytes, reply_cb, &replies[i]);
    }

  for (;;)
    {
      gboolean timed_out = FALSE;
      guint id;

      total = 0;
      for (guint i = 0; i < n; i++)
        total += replies[i].calls;
      if (total == (int)n)
        break;

      id = g_timeout_add_seconds (20, timeout_cb, &timed_out);
      g_main_context_iteration (NULL, TRUE);
      g_assert_false (timed_out);
      g_source_remove (id);
    }
  drain_context ();

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *expected = g_strdup_printf ("%u", i % 10 == 0 ? 4 : i);

      g_assert_cmpint (replies[i].calls, ==, 1);
      g_assert_true (replies[i].ok);
      g_assert_cmpstr (replies[i].json, ==, expected);
      reply_clear (&replies[i]);
    }
  g_assert_cmpuint (isthmus_core_get_n_pending (core), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (isthmus_core_get_recorder (core))), ==, n);

  g_free (replies);
}

static void
test_big_reply (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  IsthmusExchange *exchange;
  Reply reply = { 0 };
  gsize bytes = 1024 * 1024;

  exchange = send_text (core, "{\"cmd\":\"big\",\"payload\":{\"bytes\":1048576}}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpuint (reply.json_length, ==, bytes + 2);
  g_assert_cmpint (reply.json[0], ==, '"');
  g_assert_cmpint (reply.json[1], ==, 'x');
  g_assert_cmpint (reply.json[bytes], ==, 'x');
  g_assert_cmpint (reply.json[bytes + 1], ==, '"');
  g_assert_cmpuint (isthmus_exchange_get_reply_size (exchange), ==, bytes + 2);
  reply_clear (&reply);
}

static void
test_cancel_webview (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  const char *slow = "{\"cmd\":\"slow\",\"callback\":1,\"error\":2,\"payload\":{\"ms\":60000}}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (slow, strlen (slow));
  g_autoptr(GPtrArray) exchanges = g_ptr_array_new_with_free_func (g_object_unref);
  Reply replies[4] = { { 0 } };
  Reply other = { 0 };
  Reply after = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    g_ptr_array_add (exchanges,
                     g_object_ref (isthmus_core_handle_message (core, "main", bytes, reply_cb, &replies[i])));
  isthmus_core_handle_message (core, "other", bytes, reply_cb, &other);

  drain_context ();
  g_assert_cmpuint (isthmus_core_get_n_pending (core), ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    g_assert_cmpint (replies[i].calls, ==, 0);

  isthmus_core_cancel_webview (core, "main");

  /* Answered at once, without iterating. */
  g_assert_cmpuint (isthmus_core_get_n_pending (core), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      IsthmusExchange *exchange = g_ptr_array_index (exchanges, i);

      assert_error (&replies[i], "WEBVIEW_GONE", "WEBVIEW_GONE: ");
      g_assert_cmpstr (isthmus_exchange_get_status_text (exchange), ==, "WEBVIEW_GONE");
    }
  g_assert_cmpint (other.calls, ==, 0);

  /* The handlers see their cancellation and answer late: ignored. */
  drain_context ();
  for (guint i = 0; i < G_N_ELEMENTS (replies); i++)
    {
      g_assert_cmpint (replies[i].calls, ==, 1);
      g_assert_cmpstr (replies[i].code, ==, "WEBVIEW_GONE");
      reply_clear (&replies[i]);
    }

  /* A view with nothing pending: nothing happens. */
  isthmus_core_cancel_webview (core, "main");
  g_assert_cmpint (other.calls, ==, 0);

  isthmus_core_cancel_webview (core, "other");
  assert_error (&other, "WEBVIEW_GONE", "WEBVIEW_GONE: ");
  g_assert_cmpuint (isthmus_core_get_n_pending (core), ==, 0);
  drain_context ();
  g_assert_cmpint (other.calls, ==, 1);

  /* The core still works afterwards. */
  send_text (core, "{\"cmd\":\"slow\",\"payload\":{\"ms\":0}}", &after);
  g_assert_true (after.ok);
  g_assert_cmpstr (after.json, ==, "{\"sleptMs\":0}");

  reply_clear (&other);
  reply_clear (&after);
}

static void
test_dispose_answers_pending (void)
{
  IsthmusCore *core = new_core ();
  const char *slow = "{\"cmd\":\"slow\",\"payload\":{\"ms\":60000}}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (slow, strlen (slow));
  Reply reply = { 0 };

  isthmus_core_handle_message (core, "main", bytes, reply_cb, &reply);
  g_assert_cmpint (reply.calls, ==, 0);
  g_object_unref (core);

  assert_error (&reply, "CANCELLED", "CANCELLED: ");
  drain_context ();
  g_assert_cmpint (reply.calls, ==, 1);
  reply_clear (&reply);
}

static void
test_record (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  IsthmusRecorder *recorder = isthmus_core_get_recorder (core);
  g_autoptr(IsthmusExchange) first = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *command = NULL;
  g_autofree char *label = NULL;
  IsthmusExchange *exchange;
  IsthmusExchange *failed;
  GBytes *reply_bytes;
  gint64 duration = -2;
  guint64 id = 0;
  Reply reply = { 0 };
  Reply error = { 0 };
  const char *text = "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{\"name\":\"rec\"}}";

  exchange = send_text (core, text, &reply);
  g_object_get (exchange,
                "command", &command,
                "status-text", &status_text,
                "duration-us", &duration,
                "window-label", &label,
                "id", &id,
                NULL);
  g_assert_cmpstr (command, ==, "greet");
  g_assert_cmpstr (status_text, ==, "ok");
  g_assert_cmpstr (label, ==, "main");
  g_assert_cmpint (duration, >=, 0);
  g_assert_cmpuint (id, >, 0);
  g_assert_cmpint (isthmus_exchange_get_kind (exchange), ==, ISTHMUS_EXCHANGE_INVOKE);
  g_assert_cmpstr (isthmus_exchange_get_kind_name (exchange), ==, "invoke");
  g_assert_cmpint (isthmus_exchange_get_status (exchange), ==, ISTHMUS_EXCHANGE_OK);
  g_assert_null (isthmus_exchange_get_error_code (exchange));
  g_assert_cmpstr (isthmus_exchange_get_summary (exchange), ==, text);
  g_assert_cmpuint (isthmus_exchange_get_request_size (exchange), ==, strlen (text));
  g_assert_cmpint (isthmus_exchange_get_wall_time_us (exchange), >, 0);

  reply_bytes = isthmus_exchange_get_reply (exchange);
  g_assert_nonnull (reply_bytes);
  g_assert_cmpmem (g_bytes_get_data (reply_bytes, NULL), g_bytes_get_size (reply_bytes),
                   reply.json, reply.json_length);

  failed = send_text (core, "{\"cmd\":\"nope\"}", &error);
  g_assert_cmpstr (isthmus_exchange_get_command (failed), ==, "nope");
  g_assert_cmpstr (isthmus_exchange_get_status_text (failed), ==, "UNKNOWN_COMMAND");
  g_assert_cmpstr (isthmus_exchange_get_error_code (failed), ==, "UNKNOWN_COMMAND");
  g_assert_cmpstr (isthmus_exchange_get_error_message (failed), ==, "Command nope not found");
  g_assert_cmpint (isthmus_exchange_get_duration_us (failed), >=, 0);
  g_assert_cmpuint (isthmus_exchange_get_id (failed), >, id);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (recorder), 0);
  g_assert_true (first == exchange);

  reply_clear (&reply);
  reply_clear (&error);
}

static void
pending_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  int *notified = user_data;

  (*notified)++;
}

static void
test_record_pending (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  const char *text = "{\"cmd\":\"slow\",\"payload\":{\"ms\":1}}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  IsthmusExchange *exchange;
  Reply reply = { 0 };
  int notified = 0;

  exchange = isthmus_core_handle_message (core, "main", bytes, reply_cb, &reply);
  g_object_ref (exchange);
  g_assert_cmpint (isthmus_exchange_get_status (exchange), ==, ISTHMUS_EXCHANGE_PENDING);
  g_assert_cmpstr (isthmus_exchange_get_status_text (exchange), ==, "…");
  g_assert_cmpint (isthmus_exchange_get_duration_us (exchange), ==, -1);
  g_assert_null (isthmus_exchange_get_reply (exchange));
  g_signal_connect (exchange, "notify::status", G_CALLBACK (pending_notify_cb), &notified);

  wait_until (&reply.calls, 1);
  g_assert_cmpint (notified, ==, 1);
  g_assert_cmpstr (isthmus_exchange_get_status_text (exchange), ==, "ok");
  g_assert_cmpint (isthmus_exchange_get_duration_us (exchange), >=, 1000);
  g_object_unref (exchange);
  reply_clear (&reply);
}

static IsthmusExchange *
send_from (IsthmusCore *core,
           const char  *webview,
           const char  *text,
           Reply       *reply)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  IsthmusExchange *exchange;

  reply_clear (reply);
  exchange = isthmus_core_handle_message (core, webview, bytes, reply_cb, reply);
  wait_until (&reply->calls, 1);
  return exchange;
}

/* Capabilities are checked after parsing and before the schema, by the
 * core's own label of the view: window "b" cannot call what only "a" may,
 * and naming another label in the message gains nothing. */
static void
test_acl (void)
{
  static const char capability[] =
    "{\"identifier\": \"main-only\", \"windows\": [\"a\"],"
    " \"permissions\": [\"core:event:default\", \"allow-greet\"]}";
  g_autoptr(IsthmusCore) core = new_core ();
  IsthmusAcl *acl = isthmus_core_get_acl (core);
  IsthmusExchange *exchange;
  Reply reply = { 0 };
  g_autofree char *text = NULL;

  /* No capability at all: nothing is checked, and the record says so. */
  exchange = send_from (core, "b", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &reply);
  g_assert_true (reply.ok);
  g_assert_true (g_str_has_prefix (isthmus_exchange_get_acl_text (exchange), "not checked"));

  g_assert_true (isthmus_acl_load_data (acl, capability, strlen (capability), "main-only.json"));
  g_assert_true (isthmus_acl_is_active (acl));

  exchange = send_from (core, "a", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &reply);
  g_assert_true (reply.ok);
  g_assert_nonnull (strstr (isthmus_exchange_get_acl_text (exchange), "main-only"));

  exchange = send_from (core, "b",
                        "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\",\"label\":\"a\"},"
                        "\"options\":{\"webview\":\"a\",\"window\":\"a\"}}", &reply);
  assert_error (&reply, "ACL_DENIED", "Command greet not allowed by ACL");
  text = json_string (reply.json);
  g_assert_cmpstr (text, ==, "Command greet not allowed by ACL");
  g_assert_true (g_str_has_prefix (isthmus_exchange_get_acl_text (exchange), "denied"));
  g_assert_cmpstr (isthmus_exchange_get_error_code (exchange), ==, "ACL_DENIED");

  /* Denied before the schema: bad args from "b" still say ACL_DENIED. */
  send_from (core, "b", "{\"cmd\":\"greet\",\"payload\":{\"name\":1}}", &reply);
  assert_error (&reply, "ACL_DENIED", "Command greet not allowed by ACL");

  /* Plugin commands too: event listen from "a" is allowed, from "b" not. */
  send_from (core, "a", "{\"cmd\":\"plugin:event|listen\",\"payload\":"
                        "{\"event\":\"x\",\"target\":{\"kind\":\"Any\"},\"handler\":1}}", &reply);
  g_assert_true (reply.ok);
  send_from (core, "b", "{\"cmd\":\"plugin:event|emit\",\"payload\":{\"event\":\"x\"}}", &reply);
  assert_error (&reply, "ACL_DENIED", "Command plugin:event|emit not allowed by ACL");

  reply_clear (&reply);
}

/* Flood limits (threat T15): over the in-flight cap or the token bucket a
 * call is refused at once with RATE_LIMITED, never dropped; other windows
 * are not affected. */
static void
test_rate_limits (void)
{
  g_autoptr(IsthmusCore) core = new_core ();
  g_autofree Reply *slow = g_new0 (Reply, 8);
  Reply reply = { 0 };
  int limited = 0;
  int answered = 0;

  /* Four slow calls fill an in-flight cap of four; the fifth is refused. */
  isthmus_core_set_rate_limits (core, 4, 0, 1);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"cmd\":\"slow\",\"payload\":{\"ms\":200}}", 35);
      isthmus_core_handle_message (core, "main", bytes, reply_cb, &slow[i]);
    }
  g_assert_cmpint (slow[4].calls, ==, 1);
  g_assert_cmpstr (slow[4].code, ==, "RATE_LIMITED");
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (slow[i].calls, ==, 0);

  /* Another window still gets through. */
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"cmd\":\"echo\",\"payload\":{\"value\":1}}", 36);
    isthmus_core_handle_message (core, "other", bytes, reply_cb, &reply);
    wait_until (&reply.calls, 1);
    g_assert_true (reply.ok);
    reply_clear (&reply);
  }

  for (guint i = 0; i < 4; i++)
    wait_until (&slow[i].calls, 1);
  for (guint i = 0; i < 5; i++)
    reply_clear (&slow[i]);

  /* A bucket of 100 with a slow refill: a burst of 300 gets about 100
   * through and the rest refused, each with exactly one reply. */
  isthmus_core_set_rate_limits (core, 0, 10, 100);
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static ("{\"cmd\":\"echo\",\"payload\":{\"value\":1}}", 36);

      reply_clear (&reply);
      isthmus_core_handle_message (core, "main", bytes, reply_cb, &reply);
      wait_until (&reply.calls, 1);
      g_assert_cmpint (reply.calls, ==, 1);
      if (reply.ok)
        answered++;
      else
        {
          g_assert_cmpstr (reply.code, ==, "RATE_LIMITED");
          limited++;
        }
    }
  reply_clear (&reply);

  g_test_message ("%d answered, %d limited", answered, limited);
  g_assert_cmpint (answered + limited, ==, 300);
  g_assert_cmpint (answered, >=, 100);
  g_assert_cmpint (answered, <, 150);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/core/success", test_success);
  g_test_add_func ("/isthmus/core/sync-reply", test_sync_reply);
  g_test_add_func ("/isthmus/core/handler-error", test_handler_error);
  g_test_add_func ("/isthmus/core/unknown-command", test_unknown_command);
  g_test_add_func ("/isthmus/core/invalid-args", test_invalid_args);
  g_test_add_func ("/isthmus/core/bad-messages", test_bad_messages);
  g_test_add_func ("/isthmus/core/long-cmd", test_long_cmd);
  g_test_add_func ("/isthmus/core/exponent-numbers", test_exponent_numbers);
  g_test_add_func ("/isthmus/core/non-finite-reply", test_non_finite_reply);
  g_test_add_func ("/isthmus/core/nul-and-invalid-utf8", test_nul_and_invalid_utf8);
  g_test_add_func ("/isthmus/core/too-large", test_too_large);
  g_test_add_func ("/isthmus/core/too-deep", test_too_deep);
  g_test_add_func ("/isthmus/core/limits", test_limits);
  g_test_add_func ("/isthmus/core/many-requests", test_many_requests);
  g_test_add_func ("/isthmus/core/big-reply", test_big_reply);
  g_test_add_func ("/isthmus/core/cancel-webview", test_cancel_webview);
  g_test_add_func ("/isthmus/core/dispose-answers-pending", test_dispose_answers_pending);
  g_test_add_func ("/isthmus/core/record", test_record);
  g_test_add_func ("/isthmus/core/record-pending", test_record_pending);
  g_test_add_func ("/isthmus/core/acl", test_acl);
  g_test_add_func ("/isthmus/core/rate-limits", test_rate_limits);

  return g_test_run ();
}

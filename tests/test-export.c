/* test-export.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "isthmus-export.h"

static IsthmusExchange *
make (guint64                id,
      IsthmusExchangeKind    kind,
      const char            *window,
      const char            *command,
      const char            *request,
      IsthmusExchangeStatus  status,
      const char            *code,
      const char            *reply,
      gint64                 duration_us)
{
  g_autoptr(GBytes) request_bytes = g_bytes_new (request, strlen (request));
  g_autoptr(GBytes) reply_bytes = reply != NULL ? g_bytes_new (reply, strlen (reply)) : NULL;
  IsthmusExchange *exchange = isthmus_exchange_new (id, kind, window, request_bytes);

  isthmus_exchange_set_command (exchange, command);
  if (status != ISTHMUS_EXCHANGE_PENDING)
    isthmus_exchange_complete (exchange, status, code, code != NULL ? "it failed" : NULL,
                               reply_bytes, duration_us);
  return exchange;
}

/* Records covering every field and the awkward payloads: JSON with
 * spaces, invalid JSON, a JSON string, text that looks like JSON once made
 * valid UTF-8, non-finite numbers. */
static GListStore *
make_store (void)
{
  GListStore *store = g_list_store_new (ISTHMUS_TYPE_EXCHANGE);
  g_autoptr(IsthmusExchange) a = NULL;
  g_autoptr(IsthmusExchange) b = NULL;
  g_autoptr(IsthmusExchange) c = NULL;
  g_autoptr(IsthmusExchange) d = NULL;
  g_autoptr(IsthmusExchange) e = NULL;
  g_autoptr(IsthmusExchange) f = NULL;
  g_autoptr(IsthmusExchange) g = NULL;
  g_autoptr(IsthmusExchange) h = NULL;
  g_autoptr(IsthmusAclVerdict) denied = NULL;
  g_autoptr(IsthmusAclVerdict) allowed = NULL;
  g_autoptr(GBytes) original = g_bytes_new_static ("{\"cmd\": \"transfer\", \"amount\": 5}", 33);
  g_autoptr(GBytes) hooked = g_bytes_new_static ("{\"cmd\":\"transfer\",\"amount\":5}", 29);
  const char *reads[] = { "amount", NULL };
  const char *lint[] = { NULL };
  IsthmusExchangeIsolation info = { 0 };

  a = make (1, ISTHMUS_EXCHANGE_INVOKE, "main", "greet",
            "{ \"cmd\" : \"greet\", \"payload\": {\"name\": \"Ada\", \"n\": 1.5} }",
            ISTHMUS_EXCHANGE_OK, NULL, "\"Hello, Ada\"", 1500);
  allowed = isthmus_acl_verdict_new_restored ("greet", TRUE, TRUE, "default", "allow-greet",
                                              "allowed by capability default", NULL);
  isthmus_exchange_set_acl_verdict (a, allowed);
  g_list_store_append (store, a);

  b = make (2, ISTHMUS_EXCHANGE_INVOKE, "settings", "plugin:fs|read_file", "{\"cmd\":\"plugin:fs|read_file\"",
            ISTHMUS_EXCHANGE_ERROR, "ACL_DENIED", "\"Command plugin:fs|read_file not allowed by ACL\"", 120);
  denied = isthmus_acl_verdict_new_restored ("plugin:fs|read_file", TRUE, FALSE, NULL, NULL,
                                             "no capability grants it",
                                             "add \"fs:allow-read-file\" to capability \"default\"");
  isthmus_exchange_set_acl_verdict (b, denied);
  g_list_store_append (store, b);

  c = make (3, ISTHMUS_EXCHANGE_INVOKE, "main", "transfer", "{\"cmd\":\"transfer\",\"amount\":5}",
            ISTHMUS_EXCHANGE_OK, NULL, "{\"ok\":true,\"big\":1e300}", 900);
  info.verdict = "modified";
  info.reason = "amount capped";
  info.original = original;
  info.hooked = hooked;
  info.hook_us = 100;
  info.encrypt_us = 50;
  info.transport_us = 200;
  info.decrypt_us = 30;
  info.reads = reads;
  info.lint = lint;
  info.epoch = 2;
  info.seq = 17;
  info.key_fingerprint = "ab:cd";
  isthmus_exchange_set_isolation (c, &info);
  isthmus_exchange_set_note (c, "through the isolation hook");
  g_list_store_append (store, c);

  d = make (4, ISTHMUS_EXCHANGE_EMIT, "main", "user-login", "\"just a JSON string\"",
            ISTHMUS_EXCHANGE_OK, NULL, "", 5);
  g_list_store_append (store, d);

  e = make (5, ISTHMUS_EXCHANGE_CHANNEL, "main", "chunk", "not json at all",
            ISTHMUS_EXCHANGE_OK, NULL, NULL, 0);
  isthmus_exchange_set_parent_id (e, 1);
  g_list_store_append (store, e);

  /* Invalid UTF-8 that becomes valid JSON once repaired. */
  f = make (6, ISTHMUS_EXCHANGE_INVOKE, "main", "odd", "\"\xff\"",
            ISTHMUS_EXCHANGE_ERROR, "BAD_ENCODING", "[1e400]", 3);
  g_list_store_append (store, f);

  g = make (7, ISTHMUS_EXCHANGE_INVOKE, "main", "upload", "{\"cmd\":\"upload\"}",
            ISTHMUS_EXCHANGE_PENDING, NULL, NULL, -1);
  g_list_store_append (store, g);

  h = make (8, ISTHMUS_EXCHANGE_LIFECYCLE, NULL, NULL, "", ISTHMUS_EXCHANGE_OK, NULL, "{}", 0);
  g_list_store_append (store, h);

  return store;
}

static char *
bytes_to_string (GBytes *bytes)
{
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static GListStore *
store_from_array (GPtrArray *records)
{
  GListStore *store = g_list_store_new (ISTHMUS_TYPE_EXCHANGE);

  for (guint i = 0; i < records->len; i++)
    g_list_store_append (store, g_ptr_array_index (records, i));
  return store;
}

static void
test_jsonl_round_trip (void)
{
  g_autoptr(GListStore) store = make_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GListStore) imported = NULL;
  g_autofree char *first_text = NULL;
  IsthmusExchange *x;

  first = isthmus_export_to_bytes (ISTHMUS_EXPORT_JSONL, G_LIST_MODEL (store), NULL, 0, &error);
  g_assert_no_error (error);
  first_text = bytes_to_string (first);
  g_assert_true (g_str_has_suffix (first_text, "}\n"));

  records = isthmus_import_jsonl_bytes (first, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 8);

  imported = store_from_array (records);
  second = isthmus_export_to_bytes (ISTHMUS_EXPORT_JSONL, G_LIST_MODEL (imported), NULL, 0, &error);
  g_assert_no_error (error);
  if (!g_bytes_equal (first, second))
    {
      g_autofree char *second_text = bytes_to_string (second);

      g_error ("round trip differs:\n%s\n---\n%s", first_text, second_text);
    }

  /* The fields, not just the text. */
  for (guint i = 0; i < records->len; i++)
    {
      g_autoptr(IsthmusExchange) original = g_list_model_get_item (G_LIST_MODEL (store), i);

      x = g_ptr_array_index (records, i);
      g_assert_cmpuint (isthmus_exchange_get_id (x), ==, isthmus_exchange_get_id (original));
      g_assert_cmpint (isthmus_exchange_get_kind (x), ==, isthmus_exchange_get_kind (original));
      g_assert_cmpint (isthmus_exchange_get_status (x), ==, isthmus_exchange_get_status (original));
      g_assert_cmpstr (isthmus_exchange_get_command (x), ==, isthmus_exchange_get_command (original));
      g_assert_cmpstr (isthmus_exchange_get_window_label (x), ==, isthmus_exchange_get_window_label (original));
      g_assert_cmpstr (isthmus_exchange_get_error_code (x), ==, isthmus_exchange_get_error_code (original));
      g_assert_cmpuint (isthmus_exchange_get_request_size (x), ==, isthmus_exchange_get_request_size (original));
      g_assert_cmpuint (isthmus_exchange_get_reply_size (x), ==, isthmus_exchange_get_reply_size (original));
      g_assert_cmpint (isthmus_exchange_get_duration_us (x), ==, isthmus_exchange_get_duration_us (original));
      g_assert_cmpint (isthmus_exchange_get_wall_time_us (x), ==, isthmus_exchange_get_wall_time_us (original));
      g_assert_cmpuint (isthmus_exchange_get_parent_id (x), ==, isthmus_exchange_get_parent_id (original));
      g_assert_cmpstr (isthmus_exchange_get_note (x), ==, isthmus_exchange_get_note (original));
      g_assert_cmpstr (isthmus_exchange_get_acl_text (x), ==, isthmus_exchange_get_acl_text (original));
      g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (x), ==,
                       isthmus_exchange_get_isolation_verdict (original));
    }

  x = g_ptr_array_index (records, 2);
  g_assert_cmpint (isthmus_exchange_get_isolation (x)->transport_us, ==, 200);
  g_assert_cmpuint (isthmus_exchange_get_isolation (x)->seq, ==, 17);
  g_assert_cmpstr (isthmus_exchange_get_isolation (x)->reads[0], ==, "amount");
  x = g_ptr_array_index (records, 4);
  g_assert_cmpmem (g_bytes_get_data (isthmus_exchange_get_request (x), NULL),
                   g_bytes_get_size (isthmus_exchange_get_request (x)), "not json at all", 15);
  x = g_ptr_array_index (records, 6);
  g_assert_null (isthmus_exchange_get_reply (x));
}

static void
test_import_errors (void)
{
  static const struct
  {
    const char *text;
    const char *expected;
  } cases[] = {
    { "\n{nope}\n", "line 2: " },
    { "[1,2]\n", "line 1: not a JSON object" },
    { "{\"id\":1,\"kind\":\"teleport\",\"time\":\"2026-01-01T00:00:00.000000Z\",\"status\":\"ok\"}", "line 1: unknown kind" },
    { "{\"id\":1,\"kind\":\"invoke\",\"time\":\"yesterday\",\"status\":\"ok\"}", "line 1: \"time\"" },
    { "{\"id\":\"one\",\"kind\":\"invoke\"}", "line 1: \"id\" is not an integer" },
    { "{\"id\":1,\"kind\":\"invoke\",\"time\":\"2026-01-01T00:00:00Z\",\"status\":\"maybe\"}", "line 1: unknown status" },
    { "{\"id\":1,\"kind\":\"invoke\",\"time\":\"2026-01-01T00:00:00Z\",\"status\":\"ok\",\"acl\":3}", "line 1: \"acl\" is not an object" },
    { "\xff\xfe", "line 1: BAD_ENCODING" },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[c].text, strlen (cases[c].text));
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) records = isthmus_import_jsonl_bytes (bytes, &error);

      g_assert_null (records);
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
      if (!g_str_has_prefix (error->message, cases[c].expected))
        g_error ("case %u: “%s” does not start with “%s”", c, error->message, cases[c].expected);
    }

  /* Too deep for the guard: never reaches json-glib. */
  {
    g_autoptr(GString) deep = g_string_new ("{\"id\":1}\n");
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) records = NULL;

    for (guint i = 0; i < ISTHMUS_IMPORT_MAX_DEPTH + 10; i++)
      g_string_append_c (deep, '[');
    for (guint i = 0; i < ISTHMUS_IMPORT_MAX_DEPTH + 10; i++)
      g_string_append_c (deep, ']');
    bytes = g_bytes_new (deep->str, deep->len);
    records = isthmus_import_jsonl_bytes (bytes, &error);
    g_assert_null (records);
    g_assert_true (g_str_has_prefix (error->message, "line 1: "));
  }
}

/* HAR 1.2: the required members and their types. */
static JsonObject *
member_object (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    g_error ("HAR: “%s” is not an object", name);
  return json_node_get_object (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    g_error ("HAR: “%s” is not an array", name);
  return json_node_get_array (node);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    g_error ("HAR: “%s” is not a string", name);
  return json_node_get_string (node);
}

static double
member_number (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    g_error ("HAR: “%s” is not a number", name);
  return json_node_get_double (node);
}

static JsonNode *
parse (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
check_har (GBytes   *bytes,
           guint     expected_entries,
           gboolean  redacted)
{
  g_autoptr(JsonNode) root = parse (bytes);
  JsonObject *log;
  JsonObject *creator;
  JsonArray *entries;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  log = member_object (json_node_get_object (root), "log");
  g_assert_cmpstr (member_string (log, "version"), ==, "1.2");
  creator = member_object (log, "creator");
  g_assert_cmpstr (member_string (creator, "name"), ==, "Isthmus");
  member_string (creator, "version");
  entries = member_array (log, "entries");
  g_assert_cmpuint (json_array_get_length (entries), ==, expected_entries);

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonObject *request = member_object (entry, "request");
      JsonObject *response = member_object (entry, "response");
      JsonObject *content;
      JsonObject *post;
      JsonObject *timings = member_object (entry, "timings");
      g_autoptr(GDateTime) started = NULL;
      double sum;

      started = g_date_time_new_from_iso8601 (member_string (entry, "startedDateTime"), NULL);
      g_assert_nonnull (started);
      member_object (entry, "cache");

      g_assert_cmpstr (member_string (request, "method"), ==, "POST");
      g_assert_true (g_str_has_prefix (member_string (request, "url"), "ipc://localhost/"));
      member_string (request, "httpVersion");
      member_array (request, "cookies");
      member_array (request, "headers");
      member_array (request, "queryString");
      member_number (request, "headersSize");
      member_number (request, "bodySize");
      post = member_object (request, "postData");
      g_assert_cmpstr (member_string (post, "mimeType"), ==, "application/json");
      g_assert_true (g_str_has_prefix (member_string (post, "text"), "[redacted ") == redacted);

      member_number (response, "status");
      member_string (response, "statusText");
      member_string (response, "httpVersion");
      member_array (response, "cookies");
      member_array (response, "headers");
      member_string (response, "redirectURL");
      member_number (response, "headersSize");
      member_number (response, "bodySize");
      content = member_object (response, "content");
      member_number (content, "size");
      member_string (content, "mimeType");
      g_assert_true (g_str_has_prefix (member_string (content, "text"), "[redacted ") == redacted);

      g_assert_cmpfloat (member_number (timings, "send"), >=, 0);
      g_assert_cmpfloat (member_number (timings, "wait"), >=, 0);
      g_assert_cmpfloat (member_number (timings, "receive"), >=, 0);
      sum = member_number (timings, "send") + member_number (timings, "wait") +
            member_number (timings, "receive");
      g_assert_cmpfloat_with_epsilon (member_number (entry, "time"), sum, 1e-6);

      member_object (entry, "_isthmus");
    }
}

static void
test_har (void)
{
  g_autoptr(GListStore) store = make_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) redacted = NULL;
  g_autoptr(GBytes) open = NULL;
  g_autoptr(IsthmusFilter) filter = isthmus_filter_parse ("status:error", NULL);
  g_autoptr(GBytes) errors = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *entry;
  JsonObject *iso;

  redacted = isthmus_export_to_bytes (ISTHMUS_EXPORT_HAR, G_LIST_MODEL (store), NULL, 0, &error);
  g_assert_no_error (error);
  /* Invokes only: greet, read_file, transfer, odd, upload. */
  check_har (redacted, 5, TRUE);

  open = isthmus_export_to_bytes (ISTHMUS_EXPORT_HAR, G_LIST_MODEL (store), NULL,
                                  ISTHMUS_EXPORT_FLAGS_INCLUDE_PAYLOADS, &error);
  g_assert_no_error (error);
  check_har (open, 5, FALSE);

  errors = isthmus_export_to_bytes (ISTHMUS_EXPORT_HAR, G_LIST_MODEL (store), filter, 0, &error);
  g_assert_no_error (error);
  check_har (errors, 2, TRUE);

  /* The details of one entry. */
  root = parse (open);
  entry = json_array_get_object_element (member_array (member_object (json_node_get_object (root), "log"),
                                                      "entries"), 2);
  g_assert_cmpstr (member_string (member_object (entry, "request"), "url"), ==, "ipc://localhost/transfer");
  g_assert_cmpfloat_with_epsilon (member_number (member_object (entry, "timings"), "send"), 0.35, 1e-9);
  g_assert_cmpfloat_with_epsilon (member_number (member_object (entry, "timings"), "wait"), 0.9, 1e-9);
  g_assert_cmpint (member_number (member_object (entry, "response"), "status"), ==, 200);
  iso = member_object (entry, "_isthmus");
  g_assert_cmpstr (member_string (iso, "window"), ==, "main");
  g_assert_cmpstr (member_string (iso, "verdict"), ==, "modified");
  g_assert_cmpint (member_number (member_object (iso, "isolation"), "decryptUs"), ==, 30);

  entry = json_array_get_object_element (member_array (member_object (json_node_get_object (root), "log"),
                                                      "entries"), 1);
  g_assert_cmpstr (member_string (member_object (entry, "request"), "url"), ==,
                   "ipc://localhost/plugin:fs%7Cread_file");
  g_assert_cmpint (member_number (member_object (entry, "response"), "status"), ==, 403);
  g_assert_cmpstr (member_string (member_object (entry, "_isthmus"), "code"), ==, "ACL_DENIED");
  g_assert_false (json_object_get_boolean_member (member_object (member_object (entry, "_isthmus"), "acl"),
                                                  "allowed"));

  /* The redacted text gives the size. */
  root = (json_node_unref (root), parse (redacted));
  entry = json_array_get_object_element (member_array (member_object (json_node_get_object (root), "log"),
                                                      "entries"), 2);
  g_assert_cmpstr (member_string (member_object (member_object (entry, "request"), "postData"), "text"),
                   ==, "[redacted 29 bytes]");
  g_assert_cmpstr (member_string (member_object (member_object (entry, "response"), "content"), "text"),
                   ==, "[redacted 23 bytes]");
}

typedef struct
{
  gint64      ts;
  gint64      dur;
  const char *name;
  const char *cat;
} Slice;

static int
compare_slices (gconstpointer a,
                gconstpointer b)
{
  const Slice *x = a;
  const Slice *y = b;

  if (x->ts != y->ts)
    return x->ts < y->ts ? -1 : 1;
  return (y->dur > x->dur) - (y->dur < x->dur);
}

/* Complete events on one thread must nest: each one lies inside the
 * enclosing one, or starts after it ends. The isolation steps must lie
 * inside a call. Flows come in pairs. */
static guint
check_trace (GBytes *bytes)
{
  g_autoptr(JsonNode) root = parse (bytes);
  g_autoptr(GHashTable) threads = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)g_array_unref);
  g_autoptr(GHashTable) flows = g_hash_table_new (NULL, NULL);
  JsonArray *events = member_array (json_node_get_object (root), "traceEvents");
  GHashTableIter iter;
  gpointer value;
  guint spans = 0;

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *ph = member_string (event, "ph");
      gint64 tid = json_object_get_int_member (event, "tid");

      g_assert_cmpint (json_object_get_int_member (event, "pid"), ==, 1);
      if (g_str_equal (ph, "X"))
        {
          GArray *slices = g_hash_table_lookup (threads, GINT_TO_POINTER (tid));
          Slice slice = { json_object_get_int_member (event, "ts"), json_object_get_int_member (event, "dur"),
                          member_string (event, "name"), member_string (event, "cat") };

          g_assert_cmpint (slice.ts, >=, 0);
          g_assert_cmpint (slice.dur, >=, 0);
          if (slices == NULL)
            {
              slices = g_array_new (FALSE, FALSE, sizeof (Slice));
              g_hash_table_insert (threads, GINT_TO_POINTER (tid), slices);
            }
          g_array_append_val (slices, slice);
          if (!g_str_equal (slice.cat, "step"))
            spans++;
        }
      else if (g_str_equal (ph, "s") || g_str_equal (ph, "f"))
        {
          gint64 id = json_object_get_int_member (event, "id");
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (flows, GINT_TO_POINTER (id)));

          /* Starts add 1, finishes 1000. */
          g_hash_table_insert (flows, GINT_TO_POINTER (id),
                               GUINT_TO_POINTER (count + (g_str_equal (ph, "s") ? 1 : 1000)));
        }
      else
        g_assert_cmpstr (ph, ==, "M");
    }

  g_hash_table_iter_init (&iter, flows);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, 1001);

  g_hash_table_iter_init (&iter, threads);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *slices = value;
      g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (Slice));

      g_array_sort (slices, compare_slices);
      for (guint i = 0; i < slices->len; i++)
        {
          Slice *slice = &g_array_index (slices, Slice, i);

          while (stack->len > 0 &&
                 slice->ts >= g_array_index (stack, Slice, stack->len - 1).ts +
                              g_array_index (stack, Slice, stack->len - 1).dur &&
                 !(slice->dur == 0 && slice->ts == g_array_index (stack, Slice, stack->len - 1).ts +
                                                   g_array_index (stack, Slice, stack->len - 1).dur &&
                   !g_str_equal (g_array_index (stack, Slice, stack->len - 1).cat, "step")))
            g_array_set_size (stack, stack->len - 1);

          if (stack->len > 0)
            {
              Slice *parent = &g_array_index (stack, Slice, stack->len - 1);

              if (slice->ts < parent->ts || slice->ts + slice->dur > parent->ts + parent->dur)
                g_error ("trace: “%s” [%" G_GINT64_FORMAT ", +%" G_GINT64_FORMAT "] crosses “%s” [%"
                         G_GINT64_FORMAT ", +%" G_GINT64_FORMAT "]", slice->name, slice->ts, slice->dur,
                         parent->name, parent->ts, parent->dur);
            }
          else if (g_str_equal (slice->cat, "step"))
            g_error ("trace: step “%s” outside any call", slice->name);

          g_array_append_val (stack, *slice);
        }
    }

  return spans;
}

static void
test_trace (void)
{
  g_autoptr(GListStore) store = make_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) empty = NULL;
  g_autoptr(IsthmusFilter) none = isthmus_filter_parse ("cmd:nothing", NULL);
  g_autoptr(JsonNode) root = NULL;
  guint steps = 0;
  JsonArray *events;

  bytes = isthmus_export_to_bytes (ISTHMUS_EXPORT_TRACE, G_LIST_MODEL (store), NULL, 0, &error);
  g_assert_no_error (error);
  /* Every completed record is a span; the pending one is not. */
  g_assert_cmpuint (check_trace (bytes), ==, 7);

  root = parse (bytes);
  events = member_array (json_node_get_object (root), "traceEvents");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (event, "cat", ""), "step") == 0 &&
          !g_str_equal (member_string (event, "name"), "reply"))
        steps++;
    }
  /* hook, encrypt, transport, decrypt and handler for the one isolated call. */
  g_assert_cmpuint (steps, ==, 5);

  empty = isthmus_export_to_bytes (ISTHMUS_EXPORT_TRACE, G_LIST_MODEL (store), none, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (check_trace (empty), ==, 0);
}

/* Many overlapping calls on one window still nest. */
static void
test_trace_overlap (void)
{
  g_autoptr(GListStore) store = g_list_store_new (ISTHMUS_TYPE_EXCHANGE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(IsthmusExchange) e = make (i + 1, ISTHMUS_EXCHANGE_INVOKE, i % 2 ? "main" : "other",
                                           "slow", "{}", ISTHMUS_EXCHANGE_OK, NULL, "1",
                                           1000 + (gint64)(i * 7919) % 5000);

      g_list_store_append (store, e);
    }

  bytes = isthmus_export_to_bytes (ISTHMUS_EXPORT_TRACE, G_LIST_MODEL (store), NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (check_trace (bytes), ==, 50);
}

typedef struct
{
  gboolean  done;
  gssize    written;
  GError   *error;
  guint     progress_calls;
  guint     last_done;
  guint     last_total;
  gboolean  progress_after_done;
} AsyncState;

static void
progress_cb (guint    done,
             guint    total,
             gpointer user_data)
{
  AsyncState *state = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  if (state->done)
    state->progress_after_done = TRUE;
  state->progress_calls++;
  state->last_done = done;
  state->last_total = total;
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncState *state = user_data;

  state->written = isthmus_export_to_file_finish (result, &state->error);
  state->done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_error ("timed out waiting for the export");
  return G_SOURCE_REMOVE;
}

static void
wait_for (AsyncState *state)
{
  guint timeout = g_timeout_add_seconds (30, timeout_cb, NULL);

  while (!state->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);
}

static void
test_async (void)
{
  g_autoptr(GListStore) store = g_list_store_new (ISTHMUS_TYPE_EXCHANGE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autofree char *dir = g_dir_make_tmp ("isthmus-export-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "out.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  gsize length;
  AsyncState state = { 0 };

  g_assert_no_error (error);
  for (guint i = 0; i < 2000; i++)
    {
      g_autoptr(IsthmusExchange) e = make (i + 1, ISTHMUS_EXCHANGE_INVOKE, "main", "cmd",
                                           "{\"cmd\":\"cmd\"}", ISTHMUS_EXCHANGE_OK, NULL, "1", i);

      g_list_store_append (store, e);
    }

  expected = isthmus_export_to_bytes (ISTHMUS_EXPORT_JSONL, G_LIST_MODEL (store), NULL, 0, &error);
  g_assert_no_error (error);

  isthmus_export_to_file_async (ISTHMUS_EXPORT_JSONL, G_LIST_MODEL (store), NULL, 0, file,
                                progress_cb, &state, NULL, NULL, export_done_cb, &state);
  wait_for (&state);
  g_assert_no_error (state.error);
  g_assert_cmpint (state.written, ==, 2000);
  g_assert_cmpuint (state.progress_calls, >=, 1);
  g_assert_cmpuint (state.last_done, <=, state.last_total);
  g_assert_cmpuint (state.last_total, ==, 2000);

  /* No progress is delivered after the result. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (state.progress_after_done);

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (contents, length, g_bytes_get_data (expected, NULL), g_bytes_get_size (expected));

  /* Cancelled: an error, and the existing file is left alone. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autofree char *after = NULL;
    AsyncState cancelled = { 0 };

    g_cancellable_cancel (cancellable);
    isthmus_export_to_file_async (ISTHMUS_EXPORT_HAR, G_LIST_MODEL (store), NULL, 0, file,
                                  NULL, NULL, NULL, cancellable, export_done_cb, &cancelled);
    wait_for (&cancelled);
    g_assert_error (cancelled.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (cancelled.written, ==, -1);
    g_clear_error (&cancelled.error);

    g_file_get_contents (path, &after, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (after, ==, contents);
  }

  g_unlink (path);
  g_rmdir (dir);
}

typedef struct
{
  gboolean   done;
  GPtrArray *records;
  GError    *error;
} ImportState;

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ImportState *state = user_data;

  state->records = isthmus_import_file_finish (result, &state->error);
  state->done = TRUE;
}

static void
test_import_async (void)
{
  g_autoptr(GListStore) store = make_store ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = g_dir_make_tmp ("isthmus-import-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "in.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint timeout;
  ImportState state = { 0 };

  bytes = isthmus_export_to_bytes (ISTHMUS_EXPORT_JSONL, G_LIST_MODEL (store), NULL, 0, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);

  isthmus_import_file_async (file, NULL, NULL, NULL, NULL, import_done_cb, &state);
  timeout = g_timeout_add_seconds (30, timeout_cb, NULL);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (timeout);

  g_assert_no_error (state.error);
  g_assert_cmpuint (state.records->len, ==, 8);
  g_ptr_array_unref (state.records);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/export/jsonl-round-trip", test_jsonl_round_trip);
  g_test_add_func ("/isthmus/export/import-errors", test_import_errors);
  g_test_add_func ("/isthmus/export/har", test_har);
  g_test_add_func ("/isthmus/export/trace", test_trace);
  g_test_add_func ("/isthmus/export/trace-overlap", test_trace_overlap);
  g_test_add_func ("/isthmus/export/async", test_async);
  g_test_add_func ("/isthmus/export/import-async", test_import_async);

  return g_test_run ();
}

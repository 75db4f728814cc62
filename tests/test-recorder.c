/* test-recorder.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-record-writer.h"
#include "isthmus-recorder.h"

static guint64 next_id;

static IsthmusExchange *
new_exchange (const char *request)
{
  g_autoptr(GBytes) bytes = g_bytes_new (request, strlen (request));

  return isthmus_exchange_new (++next_id, ISTHMUS_EXCHANGE_INVOKE, "main", bytes);
}

static void
complete_ok (IsthmusExchange *exchange,
             const char      *reply)
{
  g_autoptr(GBytes) bytes = g_bytes_new (reply, strlen (reply));

  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_OK, NULL, NULL, bytes, 12);
}

static void
assert_ids (IsthmusRecorder *recorder,
            guint64          first,
            guint            n)
{
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IsthmusExchange) item = g_list_model_get_item (G_LIST_MODEL (recorder), i);

      g_assert_cmpuint (isthmus_exchange_get_id (item), ==, first + i);
    }

  g_assert_null (g_list_model_get_item (G_LIST_MODEL (recorder), n));
}

static void
test_ring_bound (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (5);
  guint64 base = next_id + 1;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (recorder)) == ISTHMUS_TYPE_EXCHANGE);
  g_assert_cmpuint (isthmus_recorder_get_capacity (recorder), ==, 5);

  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(IsthmusExchange) exchange = new_exchange ("{}");

      isthmus_recorder_add (recorder, exchange);
    }

  assert_ids (recorder, base + 3, 5);
  g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), ==, 3);

  /* Growing keeps everything; shrinking drops the oldest. */
  isthmus_recorder_set_capacity (recorder, 100);
  assert_ids (recorder, base + 3, 5);
  isthmus_recorder_set_capacity (recorder, 2);
  assert_ids (recorder, base + 6, 2);
  g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), ==, 6);

  /* Many more than the initial allocation. */
  isthmus_recorder_set_capacity (recorder, 1000);
  base = next_id + 1;
  for (guint i = 0; i < 1500; i++)
    {
      g_autoptr(IsthmusExchange) exchange = new_exchange ("{}");

      isthmus_recorder_add (recorder, exchange);
    }
  assert_ids (recorder, base + 500, 1000);
  g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), ==, 6 + 2 + 500);
}

static void
dropped_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  int *count = user_data;

  (*count)++;
}

static void
test_dropped_notify (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (1);
  int notified = 0;
  guint64 dropped = 0;

  g_signal_connect (recorder, "notify::dropped", G_CALLBACK (dropped_notify_cb), &notified);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(IsthmusExchange) exchange = new_exchange ("{}");

      isthmus_recorder_add (recorder, exchange);
    }

  g_object_get (recorder, "dropped", &dropped, NULL);
  g_assert_cmpuint (dropped, ==, 3);
  g_assert_cmpint (notified, ==, 3);
}

/* Replays items-changed on a shadow array. */
static void
shadow_items_changed_cb (GListModel *model,
                         guint       position,
                         guint       removed,
                         guint       added,
                         GPtrArray  *shadow)
{
  g_assert_cmpuint (position + removed, <=, shadow->len);

  g_ptr_array_remove_range (shadow, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (shadow, position + i, g_list_model_get_item (model, position + i));

  g_assert_cmpuint (shadow->len, ==, g_list_model_get_n_items (model));
}

static void
assert_same (IsthmusRecorder *recorder,
             GPtrArray       *shadow)
{
  GListModel *model = G_LIST_MODEL (recorder);

  g_assert_cmpuint (shadow->len, ==, g_list_model_get_n_items (model));
  g_assert_cmpuint (shadow->len, <=, isthmus_recorder_get_capacity (recorder));

  for (guint i = 0; i < shadow->len; i++)
    {
      g_autoptr(IsthmusExchange) item = g_list_model_get_item (model, i);

      g_assert_true (item == g_ptr_array_index (shadow, i));
    }
}

static void
test_items_changed (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (7);
  g_autoptr(GPtrArray) shadow = g_ptr_array_new_with_free_func (g_object_unref);
  guint adds = 0;

  g_signal_connect (recorder, "items-changed", G_CALLBACK (shadow_items_changed_cb), shadow);

  for (guint step = 0; step < 5000; step++)
    {
      guint op = g_test_rand_int_range (0, 100);

      if (op < 75)
        {
          g_autoptr(IsthmusExchange) exchange = new_exchange ("{}");

          isthmus_recorder_add (recorder, exchange);
          adds++;
        }
      else if (op < 78)
        isthmus_recorder_clear (recorder);
      else if (op < 93)
        isthmus_recorder_set_capacity (recorder, g_test_rand_int_range (1, 40));
      else
        isthmus_recorder_set_paused (recorder, !isthmus_recorder_get_paused (recorder));

      assert_same (recorder, shadow);
    }

  g_assert_cmpuint (adds, >, 0);
}

static guint64
model_bytes (IsthmusRecorder *recorder)
{
  guint64 sum = 0;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (recorder)); i++)
    {
      g_autoptr(IsthmusExchange) item = g_list_model_get_item (G_LIST_MODEL (recorder), i);

      sum += isthmus_exchange_get_request_size (item) + isthmus_exchange_get_reply_size (item);
    }
  return sum;
}

/* The bytes bound: random sizes, replies that come later, budgets that
 * change; the model seen through items-changed always matches, holds
 * what it counts, and stays within its bytes unless one record is
 * larger. */
static void
test_bytes_bound (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (50);
  g_autoptr(GPtrArray) shadow = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 dropped_seen = 0;

  g_assert_cmpuint (isthmus_recorder_get_max_bytes (recorder), ==, 256 * 1024 * 1024);
  isthmus_recorder_set_max_bytes (recorder, 4000);
  g_signal_connect (recorder, "items-changed", G_CALLBACK (shadow_items_changed_cb), shadow);

  for (guint step = 0; step < 5000; step++)
    {
      guint op = g_test_rand_int_range (0, 100);

      if (op < 60)
        {
          g_autofree char *request = g_strnfill (g_test_rand_int_range (1, 900), 'q');
          g_autoptr(IsthmusExchange) exchange = new_exchange (request);

          if (g_test_rand_bit ())
            complete_ok (exchange, "1");
          else
            g_ptr_array_add (pending, g_object_ref (exchange));
          isthmus_recorder_add (recorder, exchange);
        }
      else if (op < 88 && pending->len > 0)
        {
          guint i = g_test_rand_int_range (0, pending->len);
          g_autofree char *reply = g_strnfill (g_test_rand_int_range (1, 3000), 'r');

          complete_ok (g_ptr_array_index (pending, i), reply);
          g_ptr_array_remove_index_fast (pending, i);
        }
      else if (op < 92)
        isthmus_recorder_set_max_bytes (recorder, g_test_rand_int_range (500, 8000));
      else if (op < 95)
        isthmus_recorder_set_batch_interval (recorder, g_test_rand_bit () ? 0 : 1000);
      else if (op < 97)
        isthmus_recorder_flush (recorder);
      else
        isthmus_recorder_set_capacity (recorder, g_test_rand_int_range (1, 60));

      assert_same (recorder, shadow);
      g_assert_cmpuint (isthmus_recorder_get_bytes (recorder), ==, model_bytes (recorder));
      if (g_list_model_get_n_items (G_LIST_MODEL (recorder)) > 1)
        g_assert_cmpuint (isthmus_recorder_get_bytes (recorder), <=, isthmus_recorder_get_max_bytes (recorder));
      g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), >=, dropped_seen);
      dropped_seen = isthmus_recorder_get_dropped (recorder);
    }

  g_assert_cmpuint (dropped_seen, >, 0);
  isthmus_recorder_clear (recorder);
  g_assert_cmpuint (isthmus_recorder_get_bytes (recorder), ==, 0);
}

static void
test_pause_and_clear (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (3);
  g_autoptr(IsthmusExchange) a = new_exchange ("{}");
  g_autoptr(IsthmusExchange) b = new_exchange ("{}");
  g_autoptr(IsthmusExchange) c = new_exchange ("{}");
  gboolean paused = FALSE;

  isthmus_recorder_add (recorder, a);
  g_object_set (recorder, "paused", TRUE, NULL);
  g_object_get (recorder, "paused", &paused, NULL);
  g_assert_true (paused);
  isthmus_recorder_add (recorder, b);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 1);

  isthmus_recorder_set_paused (recorder, FALSE);
  isthmus_recorder_add (recorder, c);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 2);
  g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), ==, 0);

  isthmus_recorder_add (recorder, a);
  isthmus_recorder_add (recorder, b);
  g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), ==, 1);

  isthmus_recorder_clear (recorder);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), ==, 0);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (recorder), 0));

  isthmus_recorder_add (recorder, c);
  assert_ids (recorder, isthmus_exchange_get_id (c), 1);
}

static void
test_summary (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(IsthmusExchange) plain = NULL;
  g_autoptr(IsthmusExchange) cut = NULL;
  g_autoptr(IsthmusExchange) invalid = NULL;
  g_autoptr(IsthmusExchange) mostly_invalid = NULL;
  const char *summary;

  plain = new_exchange ("{\"cmd\":\"a\"}");
  g_assert_cmpstr (isthmus_exchange_get_summary (plain), ==, "{\"cmd\":\"a\"}");

  /* 199 ASCII bytes, then "é" (2 bytes) straddles the 200-byte cut. */
  for (int i = 0; i < 199; i++)
    g_string_append_c (text, 'a');
  g_string_append (text, "ééé");
  cut = new_exchange (text->str);
  summary = isthmus_exchange_get_summary (cut);
  g_assert_true (g_utf8_validate (summary, -1, NULL));
  g_assert_true (g_str_has_suffix (summary, "…"));
  g_assert_cmpuint (strlen (summary), ==, 199 + strlen ("…"));
  g_assert_null (strstr (summary, "\xef\xbf\xbd"));

  invalid = new_exchange ("{\"cmd\":\"\xff\"}");
  summary = isthmus_exchange_get_summary (invalid);
  g_assert_true (g_utf8_validate (summary, -1, NULL));
  g_assert_cmpstr (summary, ==, "{\"cmd\":\"\xef\xbf\xbd\"}");

  /* 200 invalid bytes become 600 bytes of U+FFFD: cut to 200 bytes. */
  g_string_truncate (text, 0);
  for (int i = 0; i < 200; i++)
    g_string_append_c (text, '\xff');
  mostly_invalid = new_exchange (text->str);
  summary = isthmus_exchange_get_summary (mostly_invalid);
  g_assert_true (g_utf8_validate (summary, -1, NULL));
  g_assert_cmpuint (strlen (summary), <=, 200 + strlen ("…"));
  g_assert_true (g_str_has_suffix (summary, "…"));
}

static void
test_exchange_properties (void)
{
  g_autoptr(IsthmusExchange) exchange = new_exchange ("{\"cmd\":\"x\"}");
  g_autoptr(GBytes) reply = g_bytes_new_static ("\"E\"", 3);
  g_autofree char *code = NULL;
  g_autofree char *kind_name = NULL;
  guint64 reply_size = 0;
  guint64 request_size = 0;
  int status = -1;
  GParamSpec *pspec;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (exchange), "status");
  g_assert_nonnull (pspec);
  g_assert_false (pspec->flags & G_PARAM_WRITABLE);

  isthmus_exchange_set_command (exchange, "x");
  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_ERROR, "HANDLER_ERROR", "E", reply, 5);

  g_object_get (exchange,
                "error-code", &code,
                "kind-name", &kind_name,
                "reply-size", &reply_size,
                "request-size", &request_size,
                "status", &status,
                NULL);
  g_assert_cmpstr (code, ==, "HANDLER_ERROR");
  g_assert_cmpstr (kind_name, ==, "invoke");
  g_assert_cmpuint (reply_size, ==, 3);
  g_assert_cmpuint (request_size, ==, 11);
  g_assert_cmpint (status, ==, ISTHMUS_EXCHANGE_ERROR);
  g_assert_cmpint (isthmus_exchange_get_duration_us (exchange), ==, 5);

  g_test_expect_message ("isthmus-exchange", G_LOG_LEVEL_CRITICAL, "*completed twice*");
  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_OK, NULL, NULL, reply, 9);
  g_test_assert_expected_messages ();
  g_assert_cmpint (isthmus_exchange_get_status (exchange), ==, ISTHMUS_EXCHANGE_ERROR);
  g_assert_cmpint (isthmus_exchange_get_duration_us (exchange), ==, 5);
}

static char *
make_tmp_path (const char *name,
               char      **dir_out)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp (NULL, &error);

  g_assert_no_error (error);
  *dir_out = dir;

  return g_build_filename (dir, name, NULL);
}

static void
remove_tmp (const char *path,
            const char *dir)
{
  g_unlink (path);
  g_rmdir (dir);
}

static char **
read_lines (const char *path,
            guint      *n_lines)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  char **lines;
  guint n;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (length, >, 0);
  g_assert_cmpint (contents[length - 1], ==, '\n');
  contents[length - 1] = '\0';

  lines = g_strsplit (contents, "\n", -1);
  n = g_strv_length (lines);
  *n_lines = n;

  return lines;
}

static JsonObject *
parse_line (JsonParser *parser,
            const char *line)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_writer_lines (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = make_tmp_path ("record.jsonl", &dir);
  g_autoptr(IsthmusRecordWriter) writer = NULL;
  g_autoptr(IsthmusExchange) json = NULL;
  g_autoptr(IsthmusExchange) not_json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  JsonObject *object;
  JsonNode *request;
  JsonNode *reply;
  guint n_lines = 0;

  writer = isthmus_record_writer_new (path, &error);
  g_assert_no_error (error);

  json = new_exchange ("{\n  \"cmd\": \"greet\",\n  \"payload\": {\"name\": \"x\"}\n}");
  isthmus_exchange_set_command (json, "greet");
  complete_ok (json, "{\"greeting\":\"Hello\",\"n\":[1,2]}");

  not_json = new_exchange ("not json at all \xff\n second line");
  {
    g_autoptr(GBytes) bytes = g_bytes_new_static ("\"BAD_MESSAGE: nope\"", 19);

    isthmus_exchange_complete (not_json, ISTHMUS_EXCHANGE_ERROR, "BAD_MESSAGE", "nope", bytes, 3);
  }

  isthmus_record_writer_write (writer, json);
  isthmus_record_writer_write (writer, not_json);
  g_assert_true (isthmus_record_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (isthmus_record_writer_get_written (writer), ==, 2);

  /* Ignored after close. */
  isthmus_record_writer_write (writer, json);

  lines = read_lines (path, &n_lines);
  g_assert_cmpuint (n_lines, ==, 2);

  object = parse_line (parser, lines[0]);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, (gint64)isthmus_exchange_get_id (json));
  g_assert_cmpstr (json_object_get_string_member (object, "window"), ==, "main");
  g_assert_cmpstr (json_object_get_string_member (object, "kind"), ==, "invoke");
  g_assert_cmpstr (json_object_get_string_member (object, "cmd"), ==, "greet");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "ok");
  g_assert_true (json_object_get_null_member (object, "code"));
  g_assert_cmpint (json_object_get_int_member (object, "durationUs"), ==, 12);
  g_assert_cmpint (json_object_get_int_member (object, "requestSize"), ==,
                   (gint64)isthmus_exchange_get_request_size (json));
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "time"), "Z"));
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$",
                                       json_object_get_string_member (object, "time"), 0, 0));
  request = json_object_get_member (object, "request");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (request));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (request), "cmd"), ==, "greet");
  reply = json_object_get_member (object, "reply");
  g_assert_true (JSON_NODE_HOLDS_OBJECT (reply));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reply), "greeting"), ==, "Hello");

  object = parse_line (parser, lines[1]);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, "BAD_MESSAGE");
  g_assert_cmpstr (json_object_get_string_member (object, "message"), ==, "nope");
  g_assert_true (json_object_get_null_member (object, "cmd"));
  request = json_object_get_member (object, "request");
  g_assert_cmpint (json_node_get_value_type (request), ==, G_TYPE_STRING);
  g_assert_cmpstr (json_node_get_string (request), ==, "not json at all \xef\xbf\xbd\n second line");
  reply = json_object_get_member (object, "reply");
  g_assert_cmpstr (json_node_get_string (reply), ==, "BAD_MESSAGE: nope");

  remove_tmp (path, dir);
}

static void
test_writer_appends (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = make_tmp_path ("append.jsonl", &dir);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines = 0;

  g_file_set_contents (path, "{\"earlier\":true}\n", -1, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(IsthmusRecordWriter) writer = isthmus_record_writer_new (path, &error);
      g_autoptr(IsthmusExchange) exchange = new_exchange ("{}");

      g_assert_no_error (error);
      complete_ok (exchange, "1");
      isthmus_record_writer_write (writer, exchange);
      g_assert_true (isthmus_record_writer_close (writer, &error));
      g_assert_no_error (error);
    }

  lines = read_lines (path, &n_lines);
  g_assert_cmpuint (n_lines, ==, 3);
  g_assert_cmpstr (lines[0], ==, "{\"earlier\":true}");

  remove_tmp (path, dir);
}

static void
test_writer_errors (void)
{
  g_autoptr(IsthmusRecordWriter) missing = NULL;
  g_autoptr(IsthmusRecordWriter) full = NULL;
  g_autoptr(GError) error = NULL;

  missing = isthmus_record_writer_new ("/nonexistent-isthmus-dir/record.jsonl", &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }

  full = isthmus_record_writer_new ("/dev/full", &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(IsthmusExchange) exchange = new_exchange ("{}");

      complete_ok (exchange, "1");
      isthmus_record_writer_write (full, exchange);
    }

  g_assert_false (isthmus_record_writer_close (full, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_cmpuint (isthmus_record_writer_get_written (full), ==, 0);
}

static void
test_paused_still_written (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = make_tmp_path ("paused.jsonl", &dir);
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (10);
  g_autoptr(IsthmusRecordWriter) writer = NULL;
  g_autoptr(IsthmusExchange) pending = new_exchange ("{\"cmd\":\"later\"}");
  g_autoptr(IsthmusExchange) done = new_exchange ("{\"cmd\":\"now\"}");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines = 0;

  writer = isthmus_record_writer_new (path, &error);
  g_assert_no_error (error);
  isthmus_recorder_set_writer (recorder, writer);
  isthmus_recorder_set_paused (recorder, TRUE);

  /* A completed record goes out at once, a pending one on completion. */
  complete_ok (done, "1");
  isthmus_recorder_add (recorder, done);
  isthmus_recorder_add (recorder, pending);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  complete_ok (pending, "2");

  g_assert_true (isthmus_record_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (isthmus_record_writer_get_written (writer), ==, 2);
  lines = read_lines (path, &n_lines);
  g_assert_cmpuint (n_lines, ==, 2);
  g_assert_nonnull (strstr (lines[0], "\"now\""));
  g_assert_nonnull (strstr (lines[1], "\"later\""));

  remove_tmp (path, dir);
}

static void
reply_count_cb (const IsthmusReply *reply,
                gpointer            user_data)
{
  guint *count = user_data;

  (*count)++;
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

static void
test_record_round_trip (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = make_tmp_path ("session.jsonl", &dir);
  g_autoptr(IsthmusCore) core = isthmus_core_new ();
  g_autoptr(IsthmusRecordWriter) writer = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  IsthmusRecorder *recorder = isthmus_core_get_recorder (core);
  gboolean timed_out = FALSE;
  guint n_lines = 0;
  guint replies = 0;
  guint n = 1000;
  guint timeout_id;

  isthmus_demo_commands_register (isthmus_core_get_registry (core));
  writer = isthmus_record_writer_new (path, &error);
  g_assert_no_error (error);
  isthmus_recorder_set_writer (recorder, writer);

  /* A small ring: the file still gets every record. */
  isthmus_recorder_set_capacity (recorder, 10);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (i % 100 == 0)
        text = g_strdup_printf ("{\"cmd\":\"slow\",\"payload\":{\"ms\":%u}}", i / 100);
      else if (i % 7 == 0)
        text = g_strdup_printf ("garbage %u", i);
      else
        text = g_strdup_printf ("{\"cmd\":\"echo\",\"payload\":{\"value\":{\"i\":%u}}}", i);
      bytes = g_bytes_new_take (g_steal_pointer (&text), strlen (text));
      isthmus_core_handle_message (core, "main", bytes, reply_count_cb, &replies);
    }

  timeout_id = g_timeout_add_seconds (20, timeout_cb, &timed_out);
  while (replies < n && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 10);
  g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), ==, n - 10);

  isthmus_recorder_set_writer (recorder, NULL);
  g_assert_true (isthmus_record_writer_close (writer, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (isthmus_record_writer_get_written (writer), ==, n);

  lines = read_lines (path, &n_lines);
  g_assert_cmpuint (n_lines, ==, n);

  for (guint i = 0; i < n_lines; i++)
    {
      JsonObject *object = parse_line (parser, lines[i]);
      const char *status = json_object_get_string_member (object, "status");

      g_assert_true (g_strcmp0 (status, "ok") == 0 || g_strcmp0 (status, "error") == 0);
      g_assert_true (json_object_has_member (object, "request"));
      g_assert_true (json_object_has_member (object, "reply"));
    }

  remove_tmp (path, dir);
}

typedef struct
{
  guint signals;
  guint removed;
  guint added;
} ChangeLog;

static void
count_changes_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  ChangeLog *log = user_data;

  log->signals++;
  log->removed += removed;
  log->added += added;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* With a batch interval, adding costs the model nothing until the batch
 * lands, in one change; the ring bound and dropped count still hold. */
static void
test_batched (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (10);
  ChangeLog log = { 0 };
  gboolean timed_out = FALSE;
  guint timeout_id;

  isthmus_recorder_set_batch_interval (recorder, 20);
  g_signal_connect (recorder, "items-changed", G_CALLBACK (count_changes_cb), &log);

  for (guint i = 0; i < 25; i++)
    {
      g_autoptr(IsthmusExchange) exchange = new_exchange ("{\"cmd\":\"a\"}");
      isthmus_recorder_add (recorder, exchange);
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  g_assert_cmpuint (log.signals, ==, 0);

  timeout_id = g_timeout_add_seconds (10, flag_cb, &timed_out);
  while (log.signals == 0 && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);

  g_assert_cmpuint (log.signals, ==, 1);
  g_assert_cmpuint (log.added, ==, 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 10);
  g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), ==, 15);

  /* A second batch pushes the oldest out: one removal, one addition. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(IsthmusExchange) exchange = new_exchange ("{\"cmd\":\"b\"}");
      isthmus_recorder_add (recorder, exchange);
    }
  isthmus_recorder_flush (recorder);
  g_assert_cmpuint (log.signals, ==, 3);
  g_assert_cmpuint (log.removed, ==, 4);
  g_assert_cmpuint (log.added, ==, 14);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 10);
  g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), ==, 19);

  /* Back to one by one: nothing waits. */
  isthmus_recorder_set_batch_interval (recorder, 0);
  {
    g_autoptr(IsthmusExchange) exchange = new_exchange ("{\"cmd\":\"c\"}");
    isthmus_recorder_add (recorder, exchange);
  }
  g_assert_cmpuint (log.signals, ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/recorder/ring-bound", test_ring_bound);
  g_test_add_func ("/isthmus/recorder/dropped-notify", test_dropped_notify);
  g_test_add_func ("/isthmus/recorder/items-changed", test_items_changed);
  g_test_add_func ("/isthmus/recorder/bytes-bound", test_bytes_bound);
  g_test_add_func ("/isthmus/recorder/pause-and-clear", test_pause_and_clear);
  g_test_add_func ("/isthmus/recorder/exchange-summary", test_summary);
  g_test_add_func ("/isthmus/recorder/exchange-properties", test_exchange_properties);
  g_test_add_func ("/isthmus/recorder/writer-lines", test_writer_lines);
  g_test_add_func ("/isthmus/recorder/writer-appends", test_writer_appends);
  g_test_add_func ("/isthmus/recorder/writer-errors", test_writer_errors);
  g_test_add_func ("/isthmus/recorder/paused-still-written", test_paused_still_written);
  g_test_add_func ("/isthmus/recorder/record-round-trip", test_record_round_trip);
  g_test_add_func ("/isthmus/recorder/batched", test_batched);

  return g_test_run ();
}

/* test-inspector.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-inspector"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "isthmus-detail-view.h"
#include "isthmus-exchange.h"
#include "isthmus-recorder.h"
#include "isthmus-stats-view.h"
#include "isthmus-traffic-list.h"
#include "ui-test-util.h"

#define REPLACEMENT "\xef\xbf\xbd"

static IsthmusExchange *
add_exchange (IsthmusRecorder *recorder,
              guint64          id,
              const char      *request,
              gssize           length,
              const char      *command)
{
  g_autoptr(GBytes) bytes = g_bytes_new (request, length < 0 ? strlen (request) : (gsize)length);
  g_autoptr(IsthmusExchange) exchange = NULL;

  exchange = isthmus_exchange_new (id, ISTHMUS_EXCHANGE_INVOKE, "main", bytes);
  isthmus_exchange_set_command (exchange, command);
  isthmus_recorder_add (recorder, exchange);

  return exchange;
}

static void
complete (IsthmusExchange *exchange,
          gboolean         ok,
          gint64           duration_us)
{
  g_autoptr(GBytes) reply = g_bytes_new_static ("\"done\"", 6);

  isthmus_exchange_complete (exchange, ok ? ISTHMUS_EXCHANGE_OK : ISTHMUS_EXCHANGE_ERROR,
                             ok ? NULL : "HANDLER_ERROR", ok ? NULL : "<b>bad</b>", reply, duration_us);
}

static GtkWidget *
show_in_window (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} FindText;

static gboolean
text_shown (gpointer user_data)
{
  FindText *find = user_data;

  return find_text_widget (find->root, find->text) != NULL;
}

typedef struct
{
  GtkLabel   *label;
  const char *text;
} LabelText;

static gboolean
label_has_text (gpointer user_data)
{
  LabelText *state = user_data;

  return g_strcmp0 (gtk_label_get_text (state->label), state->text) == 0;
}

static gboolean
widget_visible (gpointer user_data)
{
  return gtk_widget_get_visible (user_data);
}

static gboolean
widget_hidden (gpointer user_data)
{
  return !gtk_widget_get_visible (user_data);
}

static void
test_filter (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (100);
  g_autoptr(GError) error = NULL;
  g_autoptr(IsthmusFilter) expected = NULL;
  const char *bad = "cmd:greet dur>abc status:ok";
  GtkEditable *entry;
  GtkLabel *records_label;
  GtkLabel *error_label;
  GtkWidget *list;
  GtkWidget *window;
  LabelText state;
  int offset;

  complete (add_exchange (recorder, 1, "{}", -1, "greet"), TRUE, 50);
  complete (add_exchange (recorder, 2, "{}", -1, "greet"), FALSE, 20000);
  complete (add_exchange (recorder, 3, "{}", -1, "slow"), TRUE, 30000);
  add_exchange (recorder, 4, "{}", -1, "pending");

  list = g_object_ref_sink (isthmus_traffic_list_new (recorder));
  window = show_in_window (list);
  entry = GTK_EDITABLE (gtk_widget_get_template_child (list, ISTHMUS_TYPE_TRAFFIC_LIST, "search_entry"));
  records_label = GTK_LABEL (gtk_widget_get_template_child (list, ISTHMUS_TYPE_TRAFFIC_LIST, "records_label"));
  error_label = GTK_LABEL (gtk_widget_get_template_child (list, ISTHMUS_TYPE_TRAFFIC_LIST, "filter_error_label"));

  state = (LabelText) { records_label, "4 records" };
  g_assert_true (wait_for (label_has_text, &state));

  /* The filter language, not substrings. */
  gtk_editable_set_text (entry, "cmd:greet");
  state = (LabelText) { records_label, "2 of 4 records" };
  g_assert_true (wait_for (label_has_text, &state));
  g_assert_nonnull (isthmus_traffic_list_get_filter (ISTHMUS_TRAFFIC_LIST (list)));

  gtk_editable_set_text (entry, "dur>10ms");
  state = (LabelText) { records_label, "2 of 4 records" };
  g_assert_true (wait_for (label_has_text, &state));

  gtk_editable_set_text (entry, "status:ok|pending -cmd:slow");
  state = (LabelText) { records_label, "2 of 4 records" };
  g_assert_true (wait_for (label_has_text, &state));

  /* A parse error shows under the entry and keeps the last filter. */
  expected = isthmus_filter_parse (bad, &error);
  g_assert_null (expected);
  g_assert_nonnull (error);
  offset = isthmus_filter_error_get_offset (error);
  g_assert_cmpint (offset, >=, 0);

  gtk_editable_set_text (entry, bad);
  g_assert_true (wait_for (widget_visible, error_label));
  g_assert_cmpstr (gtk_label_get_text (error_label), ==, error->message);
  g_assert_false (gtk_label_get_use_markup (error_label));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));
  g_assert_cmpint (isthmus_traffic_list_get_filter_error_offset (ISTHMUS_TRAFFIC_LIST (list)), ==, offset);
  g_assert_cmpstr (gtk_label_get_text (records_label), ==, "2 of 4 records");

  /* Enter puts the cursor on the error. */
  g_signal_emit_by_name (entry, "activate");
  g_assert_cmpint (gtk_editable_get_position (entry), ==, offset);

  /* Fixing the text clears the error; new records are filtered too. */
  gtk_editable_set_text (entry, "cmd:greet");
  g_assert_true (wait_for (widget_hidden, error_label));
  state = (LabelText) { records_label, "2 of 4 records" };
  g_assert_true (wait_for (label_has_text, &state));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (entry), "error"));

  complete (add_exchange (recorder, 5, "{}", -1, "greet"), TRUE, 10);
  add_exchange (recorder, 6, "{}", -1, "other");
  state = (LabelText) { records_label, "3 of 6 records" };
  g_assert_true (wait_for (label_has_text, &state));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (list);
}

static gboolean
detail_idle (gpointer user_data)
{
  return !isthmus_detail_view_get_busy (user_data);
}

static void
test_detail_plain_text (void)
{
  static const char request[] = "{\"cmd\":\"<b>bold</b>\",\"payload\":{\"<i>k</i>\":\"v\xff\"}}";
  g_autoptr(IsthmusExchange) exchange = NULL;
  g_autoptr(GBytes) bytes = g_bytes_new (request, sizeof request - 1);
  g_autoptr(GBytes) reply = g_bytes_new_static ("\"<span size='999999'>x</span>\"", 30);
  GtkWidget *view;
  GtkWidget *window;
  FindText find;

  exchange = isthmus_exchange_new (7, ISTHMUS_EXCHANGE_INVOKE, "main", bytes);
  isthmus_exchange_set_command (exchange, "<b>bold</b>");
  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_ERROR, "INVALID_ARGS", "<i>missing</i>", reply, 42);

  view = g_object_ref_sink (isthmus_detail_view_new ());
  window = show_in_window (view);
  isthmus_detail_view_set_exchange (ISTHMUS_DETAIL_VIEW (view), exchange);

  /* Invalid UTF-8 in the request: it is not JSON and shows as text. */
  find.root = view;
  find.text = "#7 invoke <b>bold</b>";
  g_assert_true (wait_for (text_shown, &find));
  find.text = "Error INVALID_ARGS: <i>missing</i>";
  g_assert_true (wait_for (text_shown, &find));
  g_assert_cmpstr (isthmus_detail_view_get_refused_gate (ISTHMUS_DETAIL_VIEW (view)), ==, "schema");

  isthmus_detail_view_show_page (ISTHMUS_DETAIL_VIEW (view), "sent");
  g_assert_true (wait_for (detail_idle, view));
  {
    g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
    gboolean found = FALSE;

    collect_text_widgets (view, widgets);
    for (guint i = 0; i < widgets->len; i++)
      {
        const char *text = text_widget_get_text (g_ptr_array_index (widgets, i));

        if (strstr (text, "\"<i>k</i>\":\"v" REPLACEMENT "\"") != NULL)
          found = TRUE;
      }
    g_assert_true (found);
  }

  /* The reply is a JSON string holding markup: shown as it is. */
  isthmus_detail_view_show_page (ISTHMUS_DETAIL_VIEW (view), "reply");
  find.text = "\"<span size='999999'>x</span>\"";
  g_assert_true (wait_for (text_shown, &find));

  g_assert_cmpuint (assert_plain_text (view), >, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

static void
test_detail_isolation (void)
{
  g_autoptr(IsthmusExchange) exchange = NULL;
  g_autoptr(GBytes) request = g_bytes_new_static ("{}", 2);
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) hooked = NULL;
  g_autoptr(GBytes) decrypted = NULL;
  g_autoptr(GBytes) reply = g_bytes_new_static ("\"hi\"", 4);
  g_autofree char *invoke = NULL;
  IsthmusExchangeIsolation info = { 0 };
  GtkWidget *view;
  GtkWidget *window;
  FindText find;
  const char *diff;

  original = g_bytes_new_static ("{\"cmd\":\"greet\",\"payload\":{\"name\":\"Ada\",\"drop\":1}}", 49);
  hooked = g_bytes_new_static ("{\"cmd\":\"greet\",\"payload\":{\"name\":\"Bob\",\"added\":true}}", 53);
  decrypted = g_bytes_new_static ("{\"message\":{\"cmd\":\"greet\"},\"seq\":3}", 35);

  exchange = isthmus_exchange_new (9, ISTHMUS_EXCHANGE_INVOKE, "main", request);
  isthmus_exchange_set_command (exchange, "greet");
  info.verdict = "modified";
  info.reason = "renamed";
  info.original = original;
  info.hooked = hooked;
  info.decrypted = decrypted;
  info.hook_us = 120;
  info.encrypt_us = 40;
  info.transport_us = 300;
  info.decrypt_us = 25;
  isthmus_exchange_set_isolation (exchange, &info);
  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_OK, NULL, NULL, reply, 800);

  view = g_object_ref_sink (isthmus_detail_view_new ());
  window = show_in_window (view);
  isthmus_detail_view_set_exchange (ISTHMUS_DETAIL_VIEW (view), exchange);
  g_assert_true (wait_for (detail_idle, view));

  diff = isthmus_detail_view_get_diff (ISTHMUS_DETAIL_VIEW (view));
  g_assert_nonnull (strstr (diff, "~ $.payload.name: \"Ada\" → \"Bob\"\n"));
  g_assert_nonnull (strstr (diff, "- $.payload.drop: 1\n"));
  g_assert_nonnull (strstr (diff, "+ $.payload.added: true\n"));
  g_assert_null (strstr (diff, "cmd"));
  g_assert_null (isthmus_detail_view_get_refused_gate (ISTHMUS_DETAIL_VIEW (view)));

  find.root = view;
  find.text = "hook 120 µs · encrypt 40 µs · transport 300 µs · decrypt 25 µs · core 800 µs";
  g_assert_true (wait_for (text_shown, &find));

  /* Each of the three stages shows its own tree. */
  isthmus_detail_view_show_page (ISTHMUS_DETAIL_VIEW (view), "sent");
  find.text = "payload";
  g_assert_true (wait_for (text_shown, &find));
  isthmus_detail_view_show_page (ISTHMUS_DETAIL_VIEW (view), "hooked");
  find.text = "payload";
  g_assert_true (wait_for (text_shown, &find));
  isthmus_detail_view_show_page (ISTHMUS_DETAIL_VIEW (view), "decrypted");
  find.text = "seq";
  g_assert_true (wait_for (text_shown, &find));
  find.text = "3";
  g_assert_true (wait_for (text_shown, &find));

  invoke = isthmus_detail_view_format_invoke (exchange);
  g_assert_cmpstr (invoke, ==, "await invoke(\"greet\", {\"name\":\"Bob\",\"added\":true})");

  g_assert_cmpuint (assert_plain_text (view), >, 0);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

static void
test_detail_large (void)
{
  g_autoptr(IsthmusExchange) exchange = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GString) text = g_string_new ("{\"cmd\":\"big\",\"payload\":{\"items\":[");
  GtkWidget *view;
  GtkWidget *window;
  FindText find;

  for (guint i = 0; i < 60000; i++)
    g_string_append_printf (text, "%s%u", i > 0 ? "," : "", i);
  g_string_append (text, "]}}");
  g_assert_cmpuint (text->len, >, ISTHMUS_DETAIL_VIEW_THREAD_BYTES);
  bytes = g_bytes_new (text->str, text->len);

  exchange = isthmus_exchange_new (10, ISTHMUS_EXCHANGE_INVOKE, "main", bytes);
  view = g_object_ref_sink (isthmus_detail_view_new ());
  window = show_in_window (view);
  isthmus_detail_view_set_exchange (ISTHMUS_DETAIL_VIEW (view), exchange);

  /* Parsed in a thread: busy first, then the tree. */
  g_assert_true (isthmus_detail_view_get_busy (ISTHMUS_DETAIL_VIEW (view)));
  g_assert_true (wait_for (detail_idle, view));

  isthmus_detail_view_show_page (ISTHMUS_DETAIL_VIEW (view), "sent");
  find.root = view;
  find.text = "payload";
  g_assert_true (wait_for (text_shown, &find));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

static void
test_stats (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (100);
  g_autoptr(IsthmusFilter) filter = NULL;
  g_autoptr(GObject) row = NULL;
  g_autofree char *command = NULL;
  GListModel *rows;
  GtkWidget *view;
  GtkWidget *window;
  guint count;
  guint errors;
  guint64 histogram_total = 0;

  complete (add_exchange (recorder, 1, "{}", -1, "greet"), TRUE, 100);
  complete (add_exchange (recorder, 2, "{}", -1, "greet"), FALSE, 200);
  complete (add_exchange (recorder, 3, "{}", -1, "greet"), TRUE, 300);
  complete (add_exchange (recorder, 4, "{}", -1, "read"), TRUE, 5000);

  view = g_object_ref_sink (isthmus_stats_view_new ());
  window = show_in_window (view);
  isthmus_stats_view_set_model (ISTHMUS_STATS_VIEW (view), G_LIST_MODEL (recorder));

  rows = isthmus_stats_view_get_rows (ISTHMUS_STATS_VIEW (view));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 2);
  row = g_list_model_get_item (rows, 0);
  g_object_get (row, "command", &command, "count", &count, "errors", &errors, NULL);
  g_assert_cmpstr (command, ==, "greet");
  g_assert_cmpuint (count, ==, 3);
  g_assert_cmpuint (errors, ==, 1);

  for (guint i = 0; i < ISTHMUS_STATS_N_BUCKETS; i++)
    histogram_total += isthmus_stats_view_get_histogram (ISTHMUS_STATS_VIEW (view))[i];
  g_assert_cmpuint (histogram_total, ==, 4);

  /* It follows the filter. */
  filter = isthmus_filter_parse ("cmd:read", NULL);
  isthmus_stats_view_set_filter (ISTHMUS_STATS_VIEW (view), filter);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (view);
}

typedef struct
{
  GAsyncResult *result;
} AsyncData;

static void
async_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncData *data = user_data;

  data->result = g_object_ref (result);
}

static gboolean
async_done (gpointer user_data)
{
  AsyncData *data = user_data;

  return data->result != NULL;
}

static void
test_export (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (100);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileIOStream) io = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GtkEditable *entry;
  GtkLabel *records_label;
  GtkWidget *list;
  GtkWidget *window;
  AsyncData data = { NULL };
  LabelText state;
  gssize written;

  for (guint i = 1; i <= 20; i++)
    complete (add_exchange (recorder, i, "{\"cmd\":\"x\",\"payload\":{}}", -1, i % 4 == 0 ? "keep" : "skip"), TRUE, i);

  list = g_object_ref_sink (isthmus_traffic_list_new (recorder));
  window = show_in_window (list);
  entry = GTK_EDITABLE (gtk_widget_get_template_child (list, ISTHMUS_TYPE_TRAFFIC_LIST, "search_entry"));
  records_label = GTK_LABEL (gtk_widget_get_template_child (list, ISTHMUS_TYPE_TRAFFIC_LIST, "records_label"));

  gtk_editable_set_text (entry, "cmd:keep");
  state = (LabelText) { records_label, "5 of 20 records" };
  g_assert_true (wait_for (label_has_text, &state));

  file = g_file_new_tmp ("isthmus-export-XXXXXX.jsonl", &io, &error);
  g_assert_no_error (error);

  isthmus_traffic_list_export_async (ISTHMUS_TRAFFIC_LIST (list), ISTHMUS_EXPORT_JSONL,
                                     ISTHMUS_EXPORT_FLAGS_NONE, file, NULL, async_cb, &data);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (list, ISTHMUS_TYPE_TRAFFIC_LIST,
                                                                        "progress_box"))));
  g_assert_true (wait_for (async_done, &data));
  written = isthmus_traffic_list_export_finish (ISTHMUS_TRAFFIC_LIST (list), data.result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (written, ==, 5);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (list, ISTHMUS_TYPE_TRAFFIC_LIST,
                                                                         "progress_box"))));
  g_clear_object (&data.result);

  g_assert_true (g_file_load_contents (file, NULL, &contents, NULL, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (g_strstrip (contents), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 5);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_nonnull (strstr (lines[i], "\"keep\""));

  /* Imported records replace the live ones until "back to live". */
  {
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&contents), strlen (lines[0]));
    g_autoptr(GPtrArray) records = isthmus_import_jsonl_bytes (bytes, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (records->len, ==, 1);
    gtk_editable_set_text (entry, "");
    isthmus_traffic_list_show_imported (ISTHMUS_TRAFFIC_LIST (list), records, "<b>file</b>.jsonl");
    g_assert_true (isthmus_traffic_list_get_imported (ISTHMUS_TRAFFIC_LIST (list)));
    state = (LabelText) { records_label, "1 record" };
    g_assert_true (wait_for (label_has_text, &state));
    g_assert_true (gtk_widget_activate_action (list, "traffic.show-live", NULL));
    g_assert_false (isthmus_traffic_list_get_imported (ISTHMUS_TRAFFIC_LIST (list)));
    state = (LabelText) { records_label, "20 records" };
    g_assert_true (wait_for (label_has_text, &state));
  }

  g_file_delete (file, NULL, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (list);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/inspector/filter", test_filter);
  g_test_add_func ("/isthmus/inspector/detail-plain-text", test_detail_plain_text);
  g_test_add_func ("/isthmus/inspector/detail-isolation", test_detail_isolation);
  g_test_add_func ("/isthmus/inspector/detail-large", test_detail_large);
  g_test_add_func ("/isthmus/inspector/stats", test_stats);
  g_test_add_func ("/isthmus/inspector/export", test_export);

  return g_test_run ();
}

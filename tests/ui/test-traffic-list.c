/* test-traffic-list.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-traffic-list"

#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "isthmus-exchange.h"
#include "isthmus-recorder.h"
#include "isthmus-traffic-list.h"
#include "ui-test-util.h"

#define REPLACEMENT "\xef\xbf\xbd"

static IsthmusExchange *
add_exchange (IsthmusRecorder *recorder,
              guint64          id,
              const char      *window_label,
              const char      *request,
              gsize            request_length,
              const char      *command)
{
  g_autoptr(GBytes) bytes = g_bytes_new (request, request_length);
  g_autoptr(IsthmusExchange) exchange = NULL;

  exchange = isthmus_exchange_new (id, ISTHMUS_EXCHANGE_INVOKE, window_label, bytes);
  if (command != NULL)
    isthmus_exchange_set_command (exchange, command);
  isthmus_recorder_add (recorder, exchange);

  return exchange;
}

typedef struct
{
  GtkWidget   *root;
  const char **texts;
} FindAll;

static gboolean
all_texts_shown (gpointer user_data)
{
  FindAll *find = user_data;

  for (guint i = 0; find->texts[i] != NULL; i++)
    if (find_text_widget (find->root, find->texts[i]) == NULL)
      return FALSE;

  return TRUE;
}

static GtkWidget *
show_in_window (GtkWidget *child,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static void
test_sanitize (void)
{
  g_autofree char *long_text = g_strnfill (300, 'c');
  char *text;

  text = isthmus_traffic_list_sanitize_text (NULL, -1, 10);
  g_assert_cmpstr (text, ==, "");
  g_free (text);

  text = isthmus_traffic_list_sanitize_text ("<b>&amp;", -1, 10);
  g_assert_cmpstr (text, ==, "<b>&amp;");
  g_free (text);

  text = isthmus_traffic_list_sanitize_text ("a\xff" "b", -1, 10);
  g_assert_cmpstr (text, ==, "a" REPLACEMENT "b");
  g_free (text);

  text = isthmus_traffic_list_sanitize_text ("a\0b", 3, 10);
  g_assert_cmpstr (text, ==, "a" REPLACEMENT "b");
  g_free (text);

  text = isthmus_traffic_list_sanitize_text ("abcdef", -1, 6);
  g_assert_cmpstr (text, ==, "abcdef");
  g_free (text);

  text = isthmus_traffic_list_sanitize_text ("abcdefg", -1, 6);
  g_assert_cmpstr (text, ==, "abcdef…");
  g_free (text);

  /* Cut by characters, never inside one. */
  text = isthmus_traffic_list_sanitize_text ("ééééé", -1, 3);
  g_assert_cmpstr (text, ==, "ééé…");
  g_free (text);

  text = isthmus_traffic_list_sanitize_text (long_text, -1, ISTHMUS_TRAFFIC_LIST_MAX_CHARS);
  g_assert_cmpint (g_utf8_strlen (text, -1), ==, ISTHMUS_TRAFFIC_LIST_MAX_CHARS + 1);
  g_assert_true (g_str_has_suffix (text, "c…"));
  g_free (text);
}

static void
test_plain_text (void)
{
  static const char *commands[] = {
    "<a href=\"file:///etc/passwd\">x</a>",
    "<span size=\"99999999\">huge</span>",
    "Tom & Jerry",
    "<b",
  };
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (100);
  g_autofree char *big_request = NULL;
  g_autofree char *big_summary = NULL;
  g_autofree char *big_size = NULL;
  g_autofree char *long_command = NULL;
  g_autofree char *long_expected = NULL;
  g_autoptr(GPtrArray) expected = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();
  g_autoptr(GBytes) reply = g_bytes_new_static ("\"<b>boom</b>\"", 13);
  IsthmusExchange *exchange;
  GtkWidget *list;
  GtkWidget *window;
  GtkWidget *cell;
  guint n_labels = 0;
  FindAll find;
  gsize big_length = 10 * 1024 * 1024;
  guint64 id = 1;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *request = g_strdup_printf ("{\"cmd\":\"%s\",\"payload\":{}}", commands[i]);

      add_exchange (recorder, id++, "main", request, strlen (request), commands[i]);
      g_ptr_array_add (expected, g_strdup (commands[i]));
      /* The request is short: its summary is the whole text. */
      g_ptr_array_add (expected, g_steal_pointer (&request));
    }

  /* Invalid UTF-8 in the command and the request. */
  add_exchange (recorder, id++, "main", "{\"cmd\":\"bad\xff\xfe\"}", 15, "bad\xff\xfe" "cmd");
  g_ptr_array_add (expected, g_strdup ("bad" REPLACEMENT REPLACEMENT "cmd"));
  g_ptr_array_add (expected, g_strdup ("{\"cmd\":\"bad" REPLACEMENT REPLACEMENT "\"}"));

  /* A 10 MB request: only its summary (200 bytes and "…") is shown. */
  big_request = g_malloc (big_length);
  memset (big_request, 'x', big_length);
  memcpy (big_request, "{\"cmd\":\"big\",\"payload\":\"", 24);
  add_exchange (recorder, id++, "main", big_request, big_length, "big");
  big_summary = g_strdup_printf ("%.200s…", big_request);
  g_ptr_array_add (expected, g_strdup ("big"));
  g_ptr_array_add (expected, g_strdup (big_summary));
  big_size = g_format_size (big_length);
  g_ptr_array_add (expected, g_strdup_printf ("%s → …", big_size));

  /* A very long command name is cut at 256 characters. */
  long_command = g_strnfill (300, 'c');
  add_exchange (recorder, id++, "main", "{}", 2, long_command);
  long_expected = g_strdup_printf ("%.256s…", long_command);
  g_ptr_array_add (expected, g_strdup (long_expected));

  /* Markup in a window label and in an error reply. */
  exchange = add_exchange (recorder, id++, "<i>w</i>", "{}", 2, "failing");
  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_ERROR, "HANDLER_ERROR", "<b>boom</b>", reply, 1500);
  g_ptr_array_add (expected, g_strdup ("<i>w</i>"));
  g_ptr_array_add (expected, g_strdup ("HANDLER_ERROR"));
  g_ptr_array_add (expected, g_strdup ("1.5 ms"));

  exchange = add_exchange (recorder, id++, "main", "{}", 2, "quick");
  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_OK, NULL, NULL, reply, 250);
  g_ptr_array_add (expected, g_strdup ("250 µs"));
  g_ptr_array_add (expected, g_strdup ("ok"));
  g_ptr_array_add (expected, NULL);

  list = isthmus_traffic_list_new (recorder);
  g_object_ref_sink (list);
  window = show_in_window (list, 1400, 900);

  find.root = list;
  find.texts = (const char **)expected->pdata;
  if (!wait_for (all_texts_shown, &find))
    {
      for (guint i = 0; find.texts[i] != NULL; i++)
        if (find_text_widget (list, find.texts[i]) == NULL)
          g_test_message ("no cell shows “%s”", find.texts[i]);
      collect_text_widgets (list, widgets);
      for (guint j = 0; j < widgets->len; j++)
        g_test_message ("%s: “%.80s” mapped %d", G_OBJECT_TYPE_NAME (g_ptr_array_index (widgets, j)),
                        text_widget_get_text (g_ptr_array_index (widgets, j)),
                        gtk_widget_get_mapped (g_ptr_array_index (widgets, j)));
      g_assert_not_reached ();
    }

  /* No text widget of the list reads markup or carries attributes. */
  g_assert_cmpuint (assert_plain_text (list), >, expected->len);

  /* Each cell shows exactly its text: "<i>w</i>" and "<b>boom</b>" were
   * not parsed. The cells are inscriptions, which have no markup of
   * their own and so no link to follow. */
  for (guint i = 0; find.texts[i] != NULL; i++)
    {
      cell = find_text_widget (list, find.texts[i]);
      g_assert_nonnull (cell);
      g_assert_true (GTK_IS_INSCRIPTION (cell));
      g_assert_cmpstr (gtk_inscription_get_text (GTK_INSCRIPTION (cell)), ==, find.texts[i]);
      g_assert_null (gtk_inscription_get_attributes (GTK_INSCRIPTION (cell)));
    }

  /* The labels left in the list (the status bar, the column titles)
   * hold no link either: without markup a label has none. */
  collect_text_widgets (list, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (widgets, i);

      if (!GTK_IS_LABEL (widget))
        continue;
      n_labels++;
      g_assert_false (gtk_label_get_use_markup (GTK_LABEL (widget)));
      g_assert_null (gtk_label_get_current_uri (GTK_LABEL (widget)));
    }
  g_assert_cmpuint (n_labels, >, 0);

  /* Errors are marked by a style class, not by markup. */
  cell = find_text_widget (list, "HANDLER_ERROR");
  g_assert_true (GTK_IS_INSCRIPTION (cell));
  g_assert_true (gtk_widget_has_css_class (cell, "error"));
  cell = find_text_widget (list, "ok");
  g_assert_true (GTK_IS_INSCRIPTION (cell));
  g_assert_false (gtk_widget_has_css_class (cell, "error"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (list);
}

typedef struct
{
  GtkLabel   *label;
  const char *text;
  gboolean    visible;
} LabelState;

static gboolean
label_has_state (gpointer user_data)
{
  LabelState *state = user_data;

  return gtk_widget_get_visible (GTK_WIDGET (state->label)) == state->visible &&
         (state->text == NULL || g_strcmp0 (gtk_label_get_text (state->label), state->text) == 0);
}

static void
test_dropped (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (3);
  GtkWidget *list;
  GtkWidget *window;
  GtkLabel *records_label;
  GtkLabel *dropped_label;
  GtkEditable *search_entry;
  LabelState state;
  guint64 id = 1;

  list = isthmus_traffic_list_new (recorder);
  g_object_ref_sink (list);
  window = show_in_window (list, 900, 500);

  records_label = GTK_LABEL (gtk_widget_get_template_child (list, ISTHMUS_TYPE_TRAFFIC_LIST, "records_label"));
  dropped_label = GTK_LABEL (gtk_widget_get_template_child (list, ISTHMUS_TYPE_TRAFFIC_LIST, "dropped_label"));
  search_entry = GTK_EDITABLE (gtk_widget_get_template_child (list, ISTHMUS_TYPE_TRAFFIC_LIST, "search_entry"));

  for (guint i = 0; i < 3; i++)
    add_exchange (recorder, id++, "main", "{}", 2, i == 0 ? "alpha" : "beta");

  state = (LabelState) { records_label, "3 records", TRUE };
  g_assert_true (wait_for (label_has_state, &state));
  state = (LabelState) { dropped_label, NULL, FALSE };
  g_assert_true (wait_for (label_has_state, &state));

  /* The ring is full: two more drop the two oldest, and say so. */
  add_exchange (recorder, id++, "main", "{}", 2, "gamma");
  add_exchange (recorder, id++, "main", "{}", 2, "gamma");
  g_assert_cmpuint (isthmus_recorder_get_dropped (recorder), ==, 2);

  state = (LabelState) { dropped_label, "· 2 dropped", TRUE };
  g_assert_true (wait_for (label_has_state, &state));
  state = (LabelState) { records_label, "3 records", TRUE };
  g_assert_true (wait_for (label_has_state, &state));

  /* Filtering counts what is shown. */
  gtk_editable_set_text (search_entry, "GAMMA");
  state = (LabelState) { records_label, "2 of 3 records", TRUE };
  g_assert_true (wait_for (label_has_state, &state));
  gtk_editable_set_text (search_entry, "");
  state = (LabelState) { records_label, "3 records", TRUE };
  g_assert_true (wait_for (label_has_state, &state));

  /* Pausing goes both ways between the list and the recorder. */
  isthmus_traffic_list_set_paused (ISTHMUS_TRAFFIC_LIST (list), TRUE);
  g_assert_true (isthmus_recorder_get_paused (recorder));
  isthmus_recorder_set_paused (recorder, FALSE);
  g_assert_false (isthmus_traffic_list_get_paused (ISTHMUS_TRAFFIC_LIST (list)));

  /* Clearing empties the recorder and resets the count. */
  g_assert_true (gtk_widget_activate_action (list, "traffic.clear", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (recorder)), ==, 0);
  state = (LabelState) { records_label, "0 records", TRUE };
  g_assert_true (wait_for (label_has_state, &state));
  state = (LabelState) { dropped_label, NULL, FALSE };
  g_assert_true (wait_for (label_has_state, &state));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (list);
}

typedef struct
{
  GtkWidget     *list;
  GtkAdjustment *adjustment;
  const char    *last_text;
} Follow;

static gboolean
newest_row_in_view (gpointer user_data)
{
  Follow *follow = user_data;
  double upper = gtk_adjustment_get_upper (follow->adjustment);
  double page_size = gtk_adjustment_get_page_size (follow->adjustment);

  return upper > page_size && page_size > 0 &&
         gtk_adjustment_get_value (follow->adjustment) + page_size >= upper - 4.0 &&
         find_text_widget (follow->list, follow->last_text) != NULL;
}

static void
test_follow (void)
{
  g_autoptr(IsthmusRecorder) recorder = isthmus_recorder_new (10000);
  GtkScrolledWindow *scrolled_window;
  GtkWidget *window;
  Follow follow;
  guint64 id = 1;

  follow.list = isthmus_traffic_list_new (recorder);
  g_object_ref_sink (follow.list);
  window = show_in_window (follow.list, 900, 400);

  scrolled_window = GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (follow.list, ISTHMUS_TYPE_TRAFFIC_LIST,
                                                                        "scrolled_window"));
  follow.adjustment = gtk_scrolled_window_get_vadjustment (scrolled_window);

  for (guint i = 1; i <= 300; i++)
    {
      g_autofree char *command = g_strdup_printf ("tick-%u", i);

      add_exchange (recorder, id++, "main", "{}", 2, command);
    }
  follow.last_text = "tick-300";
  g_assert_true (wait_for (newest_row_in_view, &follow));
  g_assert_null (find_text_widget (follow.list, "tick-1"));

  /* New rows keep the newest in view. */
  for (guint i = 1; i <= 300; i++)
    {
      g_autofree char *command = g_strdup_printf ("tock-%u", i);

      add_exchange (recorder, id++, "main", "{}", 2, command);
    }
  follow.last_text = "tock-300";
  g_assert_true (wait_for (newest_row_in_view, &follow));
  g_assert_null (find_text_widget (follow.list, "tick-300"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (follow.list);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/traffic-list/sanitize", test_sanitize);
  g_test_add_func ("/isthmus/traffic-list/plain-text", test_plain_text);
  g_test_add_func ("/isthmus/traffic-list/dropped", test_dropped);
  g_test_add_func ("/isthmus/traffic-list/follow", test_follow);

  return g_test_run ();
}

/* bench-ingest.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The traffic list under load, as the app runs it (records reach the list
 * in 100 ms batches): 10,000 records a second for 10 seconds with the pane
 * visible, printing the main loop's largest and 99th-percentile gaps; the
 * memory one record costs at 100,000 records of 100-byte payloads; and the
 * time to apply a filter over them.
 */

#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>
#include <unistd.h>

#include "isthmus-filter.h"
#include "isthmus-recorder.h"
#include "isthmus-traffic-list.h"

#define RATE_PER_SECOND 10000
#define SECONDS         10
#define TICK_MS         10
#define MEMORY_RECORDS  100000

typedef struct
{
  IsthmusRecorder *recorder;
  GArray          *gaps_us;
  gint64           last_tick_us;
  gint64           start_us;
  guint64          added;
  guint64          next_id;
  gboolean         done;
} Load;

static IsthmusExchange *
make_record (guint64 id)
{
  static const char payload[] =
    "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{\"name\":\"0123456789012345678901234567890123456789\"}}";
  g_autoptr(GBytes) request = g_bytes_new_static (payload, sizeof payload - 1);
  g_autoptr(GBytes) reply = g_bytes_new_static ("\"Hello\"", 7);
  IsthmusExchange *exchange = isthmus_exchange_new (id, ISTHMUS_EXCHANGE_INVOKE, "main", request);

  isthmus_exchange_set_command (exchange, id % 7 == 0 ? "slow_thing" : "greet");
  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_OK, NULL, NULL, reply, 40 + id % 300);
  return exchange;
}

/* Adds what the rate asks for since the start, in TICK_MS steps. */
static gboolean
produce_cb (gpointer user_data)
{
  Load *load = user_data;
  gint64 now = g_get_monotonic_time ();
  guint64 due = (guint64)((now - load->start_us) * RATE_PER_SECOND / G_USEC_PER_SEC);

  while (load->added < due)
    {
      g_autoptr(IsthmusExchange) exchange = make_record (++load->next_id);

      isthmus_recorder_add (load->recorder, exchange);
      load->added++;
    }

  if (now - load->start_us >= (gint64)SECONDS * G_USEC_PER_SEC)
    {
      load->done = TRUE;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/* A high-priority 1 ms tick: the gaps between its runs are how long the
 * main loop was busy elsewhere. */
static gboolean
tick_cb (gpointer user_data)
{
  Load *load = user_data;
  gint64 now = g_get_monotonic_time ();

  if (load->last_tick_us != 0)
    {
      gint64 gap = now - load->last_tick_us;
      g_array_append_val (load->gaps_us, gap);
    }
  load->last_tick_us = now;

  return load->done ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

static gsize
rss_bytes (void)
{
  g_autofree char *text = NULL;
  unsigned long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &text, NULL, NULL) ||
      sscanf (text, "%lu %lu", &size, &resident) != 2)
    return 0;

  return resident * (gsize)sysconf (_SC_PAGESIZE);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(IsthmusRecorder) recorder = NULL;
  g_autoptr(IsthmusRecorder) big = NULL;
  g_autoptr(IsthmusFilter) filter = NULL;
  g_autoptr(GArray) gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  GtkWidget *window;
  GtkWidget *list;
  Load load = { 0 };
  gsize rss_before, rss_after;
  gint64 t0, t1;
  guint matched = 0;

  gtk_init ();

  recorder = isthmus_recorder_new (RATE_PER_SECOND * SECONDS);
  isthmus_recorder_set_batch_interval (recorder, 100);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 700);
  list = isthmus_traffic_list_new (recorder);
  gtk_window_set_child (GTK_WINDOW (window), list);
  gtk_window_present (GTK_WINDOW (window));

  /* Let the window map and draw its first rows before the clock starts:
   * the first layout of a list (fonts, styles, row widgets) is a one-time
   * cost that belongs to opening the window, not to ingesting. */
  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(IsthmusExchange) exchange = make_record (++load.next_id);
      isthmus_recorder_add (recorder, exchange);
    }
  isthmus_recorder_flush (recorder);
  {
    gint64 until = g_get_monotonic_time () + G_USEC_PER_SEC;

    while (g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, FALSE);
  }

  load.recorder = recorder;
  load.gaps_us = gaps;
  load.start_us = g_get_monotonic_time ();
  g_timeout_add (TICK_MS, produce_cb, &load);
  g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, &load, NULL);

  while (!load.done)
    g_main_context_iteration (NULL, TRUE);
  isthmus_recorder_flush (recorder);

  g_array_sort (gaps, compare_gint64);
  g_print ("Traffic list under load, pane visible, records in 100 ms batches\n");
  g_print ("  %" G_GUINT64_FORMAT " records in %d s (%d/s asked)\n", load.added, SECONDS, RATE_PER_SECOND);
  if (gaps->len > 0)
    g_print ("  main-loop gaps: p50 %.1f ms, p99 %.1f ms, max %.1f ms (targets: p99 < 16 ms, max < 50 ms)\n",
             g_array_index (gaps, gint64, gaps->len / 2) / 1000.0,
             g_array_index (gaps, gint64, (gaps->len * 99) / 100) / 1000.0,
             g_array_index (gaps, gint64, gaps->len - 1) / 1000.0);

  gtk_window_destroy (GTK_WINDOW (window));

  /* Memory per record, without a view. */
  rss_before = rss_bytes ();
  big = isthmus_recorder_new (MEMORY_RECORDS);
  for (guint64 i = 0; i < MEMORY_RECORDS; i++)
    {
      g_autoptr(IsthmusExchange) exchange = make_record (i + 1);
      isthmus_recorder_add (big, exchange);
    }
  rss_after = rss_bytes ();
  g_print ("  memory: %.0f bytes per record at %d records of about 100-byte payloads (target < 2048)\n",
           (double)(rss_after - rss_before) / MEMORY_RECORDS, MEMORY_RECORDS);

  /* Applying a filter over all of them. */
  filter = isthmus_filter_parse ("cmd:greet* dur>100us -window:other", NULL);
  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (big)); i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (G_LIST_MODEL (big), i);
      matched += isthmus_filter_matches (filter, exchange);
    }
  t1 = g_get_monotonic_time ();
  g_print ("  filter over %d records: %.1f ms, %u matched (target < 100 ms)\n",
           MEMORY_RECORDS, (t1 - t0) / 1000.0, matched);

  return 0;
}

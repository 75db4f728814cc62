/* bench-filter.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times the filter over 100,000 records with 100-byte payloads and prints
 * the figure. Fails if it takes more than a second, so the benchmark
 * catches gross regressions without flaking on a slow machine.
 */

#define G_LOG_DOMAIN "bench-filter"

#include "config.h"

#include <string.h>

#include "isthmus-filter.h"

#define N_RECORDS 100000

int
main (int   argc,
      char *argv[])
{
  static const char * const commands[] = { "greet", "greet_slow", "plugin:fs|read_file", "transfer", "upload" };
  static const char * const filters[] = {
    "cmd:greet*",
    "kind:invoke status:ok|error -cmd:*_slow dur>1ms size<64k",
    "\"needle\" window:m*",
    "verdict:denied|blocked err:ACL_*",
  };
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  double worst_ms = 0;

  for (guint i = 0; i < N_RECORDS; i++)
    {
      char payload[101];
      g_autoptr(GBytes) request = NULL;
      g_autoptr(GBytes) reply = g_bytes_new_static ("null", 4);
      IsthmusExchange *exchange;

      memset (payload, 'a' + i % 26, 100);
      payload[0] = '"';
      payload[99] = '"';
      payload[100] = '\0';
      request = g_bytes_new (payload, 100);
      exchange = isthmus_exchange_new (i + 1, ISTHMUS_EXCHANGE_INVOKE, i % 3 ? "main" : "settings", request);
      isthmus_exchange_set_command (exchange, commands[i % G_N_ELEMENTS (commands)]);
      isthmus_exchange_complete (exchange, i % 7 ? ISTHMUS_EXCHANGE_OK : ISTHMUS_EXCHANGE_ERROR,
                                 i % 7 ? NULL : "ACL_DENIED", NULL, reply, (gint64)(i % 5000));
      g_ptr_array_add (records, exchange);
    }

  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      g_autoptr(IsthmusFilter) filter = isthmus_filter_parse (filters[f], NULL);
      gint64 start = g_get_monotonic_time ();
      guint matched = 0;
      double ms;

      g_assert_nonnull (filter);
      for (guint i = 0; i < records->len; i++)
        matched += isthmus_filter_matches (filter, g_ptr_array_index (records, i));
      ms = (g_get_monotonic_time () - start) / 1000.0;
      worst_ms = MAX (worst_ms, ms);

      g_print ("filter %-60s %6u of %u records matched in %7.2f ms\n",
               filters[f], matched, N_RECORDS, ms);
    }

  g_print ("worst: %.2f ms for %u records\n", worst_ms, N_RECORDS);

  return worst_ms < 1000 ? 0 : 1;
}

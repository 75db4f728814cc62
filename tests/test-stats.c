/* test-stats.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-stats"

#include "config.h"

#include "isthmus-stats.h"

static IsthmusExchange *
make (guint64     id,
      const char *command,
      gint64      duration_us,
      gboolean    error)
{
  g_autoptr(GBytes) request = g_bytes_new_static ("{}", 2);
  g_autoptr(GBytes) reply = g_bytes_new_static ("null", 4);
  IsthmusExchange *exchange = isthmus_exchange_new (id, ISTHMUS_EXCHANGE_INVOKE, "main", request);

  isthmus_exchange_set_command (exchange, command);
  if (duration_us >= 0)
    isthmus_exchange_complete (exchange, error ? ISTHMUS_EXCHANGE_ERROR : ISTHMUS_EXCHANGE_OK,
                               error ? "HANDLER_ERROR" : NULL, NULL, reply, duration_us);
  return exchange;
}

static GListStore *
make_store (void)
{
  GListStore *store = g_list_store_new (ISTHMUS_TYPE_EXCHANGE);
  guint64 id = 1;

  /* "a": latencies 1…100 µs in a scrambled order, 3 errors. */
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(IsthmusExchange) e = make (id++, "a", (gint64)((i * 37) % 100) + 1, i < 3);

      g_list_store_append (store, e);
    }

  /* "b": one call, and one still pending. */
  {
    g_autoptr(IsthmusExchange) e = make (id++, "b", 7, FALSE);
    g_autoptr(IsthmusExchange) p = make (id++, "b", -1, FALSE);

    g_list_store_append (store, e);
    g_list_store_append (store, p);
  }

  /* "iso": through the isolation pattern, 10+20+30 µs before arrival,
   * 40 µs decrypting, 100 µs in the core: overhead 100 of 160 µs; 20 µs
   * encrypting 512 bytes is 40 µs per KiB. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(IsthmusExchange) e = make (id++, "iso", 100, FALSE);
      g_autoptr(GBytes) original = g_bytes_new_take (g_strnfill (512, 'x'), 512);
      IsthmusExchangeIsolation info = { 0 };

      info.verdict = "passed";
      info.original = original;
      info.hook_us = 10;
      info.encrypt_us = 20;
      info.transport_us = 30;
      info.decrypt_us = 40;
      isthmus_exchange_set_isolation (e, &info);
      g_list_store_append (store, e);
    }

  return store;
}

static void
test_percentiles (void)
{
  gint64 sorted[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

  g_assert_cmpint (isthmus_stats_percentile (sorted, 10, 50), ==, 5);
  g_assert_cmpint (isthmus_stats_percentile (sorted, 10, 95), ==, 10);
  g_assert_cmpint (isthmus_stats_percentile (sorted, 10, 10), ==, 1);
  g_assert_cmpint (isthmus_stats_percentile (sorted, 10, 100), ==, 10);
  g_assert_cmpint (isthmus_stats_percentile (sorted, 1, 99), ==, 1);
  g_assert_cmpint (isthmus_stats_percentile (sorted, 0, 50), ==, -1);
}

static void
test_per_command (void)
{
  g_autoptr(GListStore) store = make_store ();
  g_autoptr(IsthmusStats) stats = isthmus_stats_compute (G_LIST_MODEL (store), NULL);
  const IsthmusCommandStats *a;
  const IsthmusCommandStats *b;
  const IsthmusCommandStats *iso;
  const IsthmusCommandStats *total;

  g_assert_cmpuint (isthmus_stats_get_n_commands (stats), ==, 3);
  /* Most frequent first. */
  g_assert_cmpstr (isthmus_stats_get_command (stats, 0)->command, ==, "a");
  g_assert_cmpstr (isthmus_stats_get_command (stats, 1)->command, ==, "b");
  g_assert_cmpstr (isthmus_stats_get_command (stats, 2)->command, ==, "iso");

  a = isthmus_stats_lookup (stats, "a");
  g_assert_nonnull (a);
  g_assert_cmpuint (a->count, ==, 100);
  g_assert_cmpuint (a->errors, ==, 3);
  g_assert_cmpuint (a->completed, ==, 100);
  g_assert_cmpint (a->p50_us, ==, 50);
  g_assert_cmpint (a->p95_us, ==, 95);
  g_assert_cmpint (a->p99_us, ==, 99);
  g_assert_cmpint (a->mean_us, ==, 50);
  g_assert_cmpfloat (a->isolation_overhead_pct, ==, -1);
  g_assert_cmpfloat (a->encrypt_us_per_kib, ==, -1);

  b = isthmus_stats_lookup (stats, "b");
  g_assert_cmpuint (b->count, ==, 2);
  g_assert_cmpuint (b->completed, ==, 1);
  g_assert_cmpint (b->p50_us, ==, 7);
  g_assert_cmpint (b->p99_us, ==, 7);

  iso = isthmus_stats_lookup (stats, "iso");
  g_assert_cmpuint (iso->count, ==, 2);
  g_assert_cmpfloat_with_epsilon (iso->isolation_overhead_pct, 62.5, 1e-9);
  g_assert_cmpfloat_with_epsilon (iso->encrypt_us_per_kib, 40.0, 1e-9);

  total = isthmus_stats_get_total (stats);
  g_assert_cmpuint (total->count, ==, 104);
  g_assert_cmpuint (total->errors, ==, 3);
  g_assert_cmpuint (total->completed, ==, 103);
  g_assert_null (isthmus_stats_lookup (stats, "nope"));
}

static void
test_histogram (void)
{
  g_autoptr(GListStore) store = make_store ();
  g_autoptr(IsthmusStats) stats = isthmus_stats_compute (G_LIST_MODEL (store), NULL);
  const guint64 *histogram = isthmus_stats_get_histogram (stats);
  guint64 sum = 0;
  gint64 lower;
  gint64 upper;

  /* Log scale: 0 below 1 µs, then 4 per decade to 10 s, then the rest. */
  g_assert_cmpuint (isthmus_stats_bucket_for (0), ==, 0);
  g_assert_cmpuint (isthmus_stats_bucket_for (1), ==, 1);
  g_assert_cmpuint (isthmus_stats_bucket_for (9), ==, 4);
  g_assert_cmpuint (isthmus_stats_bucket_for (10), ==, 5);
  g_assert_cmpuint (isthmus_stats_bucket_for (9999999), ==, ISTHMUS_STATS_N_BUCKETS - 2);
  g_assert_cmpuint (isthmus_stats_bucket_for (10000000), ==, ISTHMUS_STATS_N_BUCKETS - 1);
  g_assert_cmpuint (isthmus_stats_bucket_for (G_MAXINT64 - 1), ==, ISTHMUS_STATS_N_BUCKETS - 1);

  isthmus_stats_get_bucket_range (0, &lower, &upper);
  g_assert_cmpint (lower, ==, 0);
  g_assert_cmpint (upper, ==, 1);
  isthmus_stats_get_bucket_range (5, &lower, &upper);
  g_assert_cmpint (lower, ==, 10);
  g_assert_cmpint (upper, ==, 18);
  isthmus_stats_get_bucket_range (ISTHMUS_STATS_N_BUCKETS - 1, &lower, &upper);
  g_assert_cmpint (lower, ==, 10000000);
  g_assert_cmpint (upper, ==, G_MAXINT64);

  for (guint i = 0; i < ISTHMUS_STATS_N_BUCKETS; i++)
    {
      gint64 next_lower;

      sum += histogram[i];
      if (i + 1 < ISTHMUS_STATS_N_BUCKETS)
        {
          isthmus_stats_get_bucket_range (i, NULL, &upper);
          isthmus_stats_get_bucket_range (i + 1, &next_lower, NULL);
          g_assert_cmpint (upper, ==, next_lower);
        }
    }
  g_assert_cmpuint (sum, ==, 103);
  /* 1 µs alone in [1, 2); three at 100 µs: one "a", both "iso". */
  g_assert_cmpuint (histogram[isthmus_stats_bucket_for (1)], ==, 1);
  g_assert_cmpuint (histogram[isthmus_stats_bucket_for (100)], ==, 3);
}

static void
test_filtered (void)
{
  g_autoptr(GListStore) store = make_store ();
  g_autoptr(IsthmusFilter) filter = isthmus_filter_parse ("-cmd:a status:ok", NULL);
  g_autoptr(IsthmusStats) stats = isthmus_stats_compute (G_LIST_MODEL (store), filter);
  const guint64 *histogram = isthmus_stats_get_histogram (stats);
  guint64 sum = 0;

  g_assert_cmpuint (isthmus_stats_get_n_commands (stats), ==, 2);
  g_assert_null (isthmus_stats_lookup (stats, "a"));
  g_assert_cmpuint (isthmus_stats_lookup (stats, "b")->count, ==, 1);
  g_assert_cmpuint (isthmus_stats_get_total (stats)->count, ==, 3);
  for (guint i = 0; i < ISTHMUS_STATS_N_BUCKETS; i++)
    sum += histogram[i];
  g_assert_cmpuint (sum, ==, 3);
}

static void
test_empty_model (void)
{
  g_autoptr(GListStore) store = g_list_store_new (ISTHMUS_TYPE_EXCHANGE);
  g_autoptr(IsthmusStats) stats = isthmus_stats_compute (G_LIST_MODEL (store), NULL);

  g_assert_cmpuint (isthmus_stats_get_n_commands (stats), ==, 0);
  g_assert_cmpuint (isthmus_stats_get_total (stats)->count, ==, 0);
  g_assert_cmpint (isthmus_stats_get_total (stats)->p50_us, ==, -1);
  g_assert_cmpint (isthmus_stats_get_total (stats)->mean_us, ==, -1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/stats/percentiles", test_percentiles);
  g_test_add_func ("/isthmus/stats/per-command", test_per_command);
  g_test_add_func ("/isthmus/stats/histogram", test_histogram);
  g_test_add_func ("/isthmus/stats/filtered", test_filtered);
  g_test_add_func ("/isthmus/stats/empty", test_empty_model);

  return g_test_run ();
}

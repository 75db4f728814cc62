/* isthmus-stats.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-stats"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "isthmus-stats.h"

/* What is gathered per command before the figures are worked out. */
typedef struct
{
  IsthmusCommandStats  row;
  GArray              *durations;
  gint64               isolation_us;
  gint64               isolated_total_us;
  gboolean             isolated;
  gint64               encrypt_us;
  guint64              encrypt_bytes;
} Accumulator;

struct _IsthmusStats
{
  Accumulator  total;
  GPtrArray   *commands;
  GHashTable  *by_name;
  guint64      histogram[ISTHMUS_STATS_N_BUCKETS];
};

/* The bucket boundaries in µs: 10^(i / per-decade), rounded. */
static gint64
bucket_edge (guint step)
{
  return (gint64)llround (pow (10.0, (double)step / ISTHMUS_STATS_BUCKETS_PER_DECADE));
}

void
isthmus_stats_get_bucket_range (guint   index,
                                gint64 *lower_us,
                                gint64 *upper_us)
{
  g_return_if_fail (index < ISTHMUS_STATS_N_BUCKETS);

  if (lower_us != NULL)
    *lower_us = index == 0 ? 0 : bucket_edge (index - 1);
  if (upper_us != NULL)
    *upper_us = index == ISTHMUS_STATS_N_BUCKETS - 1 ? G_MAXINT64 : bucket_edge (index);
}

guint
isthmus_stats_bucket_for (gint64 duration_us)
{
  guint lo = 0;
  guint hi = ISTHMUS_STATS_N_BUCKETS - 1;

  /* The first bucket whose upper edge is above the value. */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      gint64 upper;

      isthmus_stats_get_bucket_range (mid, NULL, &upper);
      if (duration_us < upper)
        hi = mid;
      else
        lo = mid + 1;
    }

  return lo;
}

gint64
isthmus_stats_percentile (const gint64 *sorted,
                          gsize         n,
                          double        percent)
{
  gsize rank;

  if (n == 0)
    return -1;

  rank = (gsize)ceil (percent / 100.0 * (double)n);
  rank = CLAMP (rank, 1, n);

  return sorted[rank - 1];
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *)a;
  gint64 y = *(const gint64 *)b;

  return (x > y) - (x < y);
}

static Accumulator *
accumulator_new (const char *command)
{
  Accumulator *acc = g_new0 (Accumulator, 1);

  acc->row.command = g_strdup (command);
  acc->durations = g_array_new (FALSE, FALSE, sizeof (gint64));
  return acc;
}

static void
accumulator_clear (Accumulator *acc)
{
  g_clear_pointer (&acc->row.command, g_free);
  g_clear_pointer (&acc->durations, g_array_unref);
}

static void
accumulator_free (Accumulator *acc)
{
  accumulator_clear (acc);
  g_free (acc);
}

static gint64
known (gint64 value)
{
  return MAX (value, 0);
}

static void
accumulate (Accumulator     *acc,
            IsthmusExchange *exchange)
{
  const IsthmusExchangeIsolation *isolation = isthmus_exchange_get_isolation (exchange);
  gint64 duration = isthmus_exchange_get_duration_us (exchange);

  acc->row.count++;
  if (isthmus_exchange_get_status (exchange) == ISTHMUS_EXCHANGE_ERROR)
    acc->row.errors++;
  if (duration >= 0)
    g_array_append_val (acc->durations, duration);

  if (isolation == NULL)
    return;

  if (duration >= 0)
    {
      gint64 before = known (isolation->hook_us) + known (isolation->encrypt_us) +
                      known (isolation->transport_us);

      acc->isolated = TRUE;
      acc->isolation_us += before + known (isolation->decrypt_us);
      acc->isolated_total_us += before + MAX (duration, known (isolation->decrypt_us));
    }

  if (isolation->encrypt_us >= 0)
    {
      GBytes *plaintext = isolation->original != NULL ? isolation->original
                                                      : isthmus_exchange_get_request (exchange);

      acc->encrypt_us += isolation->encrypt_us;
      acc->encrypt_bytes += plaintext != NULL ? g_bytes_get_size (plaintext) : 0;
    }
}

static void
finish (Accumulator *acc)
{
  gint64 *values = (gint64 *)(gpointer)acc->durations->data;
  gsize n = acc->durations->len;
  gint64 sum = 0;

  if (n > 1)
    qsort (values, n, sizeof (gint64), compare_int64);
  for (gsize i = 0; i < n; i++)
    sum += values[i];

  acc->row.completed = (guint)n;
  acc->row.p50_us = isthmus_stats_percentile (values, n, 50);
  acc->row.p95_us = isthmus_stats_percentile (values, n, 95);
  acc->row.p99_us = isthmus_stats_percentile (values, n, 99);
  acc->row.mean_us = n > 0 ? sum / (gint64)n : -1;

  if (acc->isolated && acc->isolated_total_us > 0)
    acc->row.isolation_overhead_pct = 100.0 * (double)acc->isolation_us / (double)acc->isolated_total_us;
  else if (acc->isolated)
    acc->row.isolation_overhead_pct = 0;
  else
    acc->row.isolation_overhead_pct = -1;

  if (acc->encrypt_bytes > 0)
    acc->row.encrypt_us_per_kib = (double)acc->encrypt_us * 1024.0 / (double)acc->encrypt_bytes;
  else
    acc->row.encrypt_us_per_kib = -1;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const Accumulator *x = *(const Accumulator * const *)a;
  const Accumulator *y = *(const Accumulator * const *)b;

  if (x->row.count != y->row.count)
    return x->row.count > y->row.count ? -1 : 1;
  return strcmp (x->row.command, y->row.command);
}

/**
 * isthmus_stats_compute:
 * @model: a #GListModel of #IsthmusExchange
 * @filter: (nullable): which records to count; %NULL for all
 *
 * Returns: (transfer full): the statistics; free with isthmus_stats_free()
 */
IsthmusStats *
isthmus_stats_compute (GListModel    *model,
                       IsthmusFilter *filter)
{
  IsthmusStats *self;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_new0 (IsthmusStats, 1);
  self->total.row.command = g_strdup ("");
  self->total.durations = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->commands = g_ptr_array_new_with_free_func ((GDestroyNotify)accumulator_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);

  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i);
      const char *command;
      Accumulator *acc;
      gint64 duration;

      if (exchange == NULL || !ISTHMUS_IS_EXCHANGE (exchange) ||
          !isthmus_filter_matches (filter, exchange))
        continue;

      command = isthmus_exchange_get_command (exchange);
      if (command == NULL)
        command = "";

      acc = g_hash_table_lookup (self->by_name, command);
      if (acc == NULL)
        {
          acc = accumulator_new (command);
          g_ptr_array_add (self->commands, acc);
          g_hash_table_insert (self->by_name, acc->row.command, acc);
        }

      accumulate (acc, exchange);
      accumulate (&self->total, exchange);

      duration = isthmus_exchange_get_duration_us (exchange);
      if (duration >= 0)
        self->histogram[isthmus_stats_bucket_for (duration)]++;
    }

  for (guint i = 0; i < self->commands->len; i++)
    finish (g_ptr_array_index (self->commands, i));
  finish (&self->total);
  g_ptr_array_sort (self->commands, compare_rows);

  return self;
}

void
isthmus_stats_free (IsthmusStats *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->by_name);
  g_ptr_array_unref (self->commands);
  accumulator_clear (&self->total);
  g_free (self);
}

const IsthmusCommandStats *
isthmus_stats_get_total (IsthmusStats *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->total.row;
}

guint
isthmus_stats_get_n_commands (IsthmusStats *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->commands->len;
}

const IsthmusCommandStats *
isthmus_stats_get_command (IsthmusStats *self,
                           guint         index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->commands->len, NULL);

  return &((Accumulator *)g_ptr_array_index (self->commands, index))->row;
}

const IsthmusCommandStats *
isthmus_stats_lookup (IsthmusStats *self,
                      const char   *command)
{
  Accumulator *acc;

  g_return_val_if_fail (self != NULL, NULL);

  acc = g_hash_table_lookup (self->by_name, command != NULL ? command : "");
  return acc != NULL ? &acc->row : NULL;
}

const guint64 *
isthmus_stats_get_histogram (IsthmusStats *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->histogram;
}

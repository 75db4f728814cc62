/* isthmus-stats.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "isthmus-filter.h"

G_BEGIN_DECLS

/* The latency histogram: ISTHMUS_STATS_BUCKETS_PER_DECADE log-scale buckets
 * per decade from 1 µs to 10 s, plus one below 1 µs (bucket 0) and one at
 * 10 s or more (the last). */
#define ISTHMUS_STATS_BUCKETS_PER_DECADE 4
#define ISTHMUS_STATS_N_BUCKETS          (7 * ISTHMUS_STATS_BUCKETS_PER_DECADE + 2)

/**
 * IsthmusCommandStats:
 * @command: the command ("" for records without one)
 * @count: records that matched the filter
 * @errors: of those, records that completed with an error
 * @completed: of those, records with a duration (not pending)
 * @p50_us: median latency, nearest rank; -1 when nothing completed
 * @p95_us: 95th percentile latency; -1 when nothing completed
 * @p99_us: 99th percentile latency; -1 when nothing completed
 * @mean_us: mean latency; -1 when nothing completed
 * @isolation_overhead_pct: the time spent in the isolation steps (hook,
 *   encrypt, transport, decrypt) as a percentage of the whole call (the
 *   steps before arrival plus the core's duration), summed over the
 *   records that went through isolation; -1 when none did
 * @encrypt_us_per_kib: encryption time per KiB of plaintext; -1 unknown
 *
 * One row of the statistics table.
 */
typedef struct
{
  char   *command;
  guint   count;
  guint   errors;
  guint   completed;
  gint64  p50_us;
  gint64  p95_us;
  gint64  p99_us;
  gint64  mean_us;
  double  isolation_overhead_pct;
  double  encrypt_us_per_kib;
} IsthmusCommandStats;

typedef struct _IsthmusStats IsthmusStats;

/* Computes statistics over @model (a GListModel of IsthmusExchange) for
 * the records @filter (nullable: all) matches. Pending records count but
 * have no latency. A snapshot: later changes to the model are not seen. */
IsthmusStats              *isthmus_stats_compute          (GListModel    *model,
                                                           IsthmusFilter *filter);
void                       isthmus_stats_free             (IsthmusStats  *self);
/* Totals over every matched record ("" as the command). */
const IsthmusCommandStats *isthmus_stats_get_total        (IsthmusStats  *self);
/* Per command, most frequent first, then by name. */
guint                      isthmus_stats_get_n_commands   (IsthmusStats  *self);
const IsthmusCommandStats *isthmus_stats_get_command      (IsthmusStats  *self,
                                                           guint          index);
/* (nullable) The row of @command, or NULL. */
const IsthmusCommandStats *isthmus_stats_lookup           (IsthmusStats  *self,
                                                           const char    *command);
/* ISTHMUS_STATS_N_BUCKETS counts of completed records by latency. */
const guint64             *isthmus_stats_get_histogram    (IsthmusStats  *self);
/* Bucket @index covers [*lower_us, *upper_us); the first starts at 0, the
 * last ends at G_MAXINT64. */
void                       isthmus_stats_get_bucket_range (guint          index,
                                                           gint64        *lower_us,
                                                           gint64        *upper_us);
/* The bucket a latency falls into. */
guint                      isthmus_stats_bucket_for       (gint64         duration_us);

/* Nearest-rank percentile of @n sorted values (@percent in (0, 100]);
 * -1 when @n is 0. */
gint64                     isthmus_stats_percentile       (const gint64  *sorted,
                                                           gsize          n,
                                                           double         percent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusStats, isthmus_stats_free)

G_END_DECLS

/* isthmus-stats-view.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "isthmus-stats.h"

G_BEGIN_DECLS

/* How often, at most, the statistics are recomputed while records come. */
#define ISTHMUS_STATS_VIEW_INTERVAL_MS 500

#define ISTHMUS_TYPE_STATS_VIEW (isthmus_stats_view_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusStatsView, isthmus_stats_view, ISTHMUS, STATS_VIEW, GtkWidget)

/* Per-command statistics of a model of IsthmusExchange records that a
 * filter matches, with a latency histogram. Each row of
 * isthmus_stats_view_get_rows() has the properties "command", "count",
 * "errors", "p50-us", "p95-us", "p99-us", "overhead-pct" and
 * "encrypt-us-per-kib". */
GtkWidget  *isthmus_stats_view_new        (void);
void        isthmus_stats_view_set_model  (IsthmusStatsView *self,
                                           GListModel       *model);
void        isthmus_stats_view_set_filter (IsthmusStatsView *self,
                                           IsthmusFilter    *filter);
/* Recomputes now instead of at the next interval. */
void        isthmus_stats_view_refresh    (IsthmusStatsView *self);
/* (transfer none) The rows shown, most frequent command first. */
GListModel *isthmus_stats_view_get_rows   (IsthmusStatsView *self);
/* (transfer none) The ISTHMUS_STATS_N_BUCKETS histogram counts. */
const guint64 *isthmus_stats_view_get_histogram (IsthmusStatsView *self);

G_END_DECLS

/* isthmus-stats-view.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-stats-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "isthmus-stats-view.h"
#include "isthmus-traffic-list.h"

/* One row of the table. */

#define ISTHMUS_TYPE_STATS_ROW (isthmus_stats_row_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusStatsRow, isthmus_stats_row, ISTHMUS, STATS_ROW, GObject)

struct _IsthmusStatsRow
{
  GObject              parent_instance;
  IsthmusCommandStats  stats;
};

G_DEFINE_FINAL_TYPE (IsthmusStatsRow, isthmus_stats_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_COMMAND,
  ROW_PROP_COUNT,
  ROW_PROP_ERRORS,
  ROW_PROP_P50_US,
  ROW_PROP_P95_US,
  ROW_PROP_P99_US,
  ROW_PROP_OVERHEAD_PCT,
  ROW_PROP_ENCRYPT_US_PER_KIB,
  N_ROW_PROPS
};

static void
isthmus_stats_row_finalize (GObject *object)
{
  IsthmusStatsRow *self = (IsthmusStatsRow *)object;

  g_clear_pointer (&self->stats.command, g_free);

  G_OBJECT_CLASS (isthmus_stats_row_parent_class)->finalize (object);
}

static void
isthmus_stats_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  IsthmusStatsRow *self = ISTHMUS_STATS_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_COMMAND:
      g_value_set_string (value, self->stats.command);
      break;

    case ROW_PROP_COUNT:
      g_value_set_uint (value, self->stats.count);
      break;

    case ROW_PROP_ERRORS:
      g_value_set_uint (value, self->stats.errors);
      break;

    case ROW_PROP_P50_US:
      g_value_set_int64 (value, self->stats.p50_us);
      break;

    case ROW_PROP_P95_US:
      g_value_set_int64 (value, self->stats.p95_us);
      break;

    case ROW_PROP_P99_US:
      g_value_set_int64 (value, self->stats.p99_us);
      break;

    case ROW_PROP_OVERHEAD_PCT:
      g_value_set_double (value, self->stats.isolation_overhead_pct);
      break;

    case ROW_PROP_ENCRYPT_US_PER_KIB:
      g_value_set_double (value, self->stats.encrypt_us_per_kib);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_stats_row_class_init (IsthmusStatsRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = isthmus_stats_row_finalize;
  object_class->get_property = isthmus_stats_row_get_property;

  g_object_class_install_property (object_class, ROW_PROP_COMMAND,
                                   g_param_spec_string ("command", NULL, NULL, NULL, flags));
  g_object_class_install_property (object_class, ROW_PROP_COUNT,
                                   g_param_spec_uint ("count", NULL, NULL, 0, G_MAXUINT, 0, flags));
  g_object_class_install_property (object_class, ROW_PROP_ERRORS,
                                   g_param_spec_uint ("errors", NULL, NULL, 0, G_MAXUINT, 0, flags));
  g_object_class_install_property (object_class, ROW_PROP_P50_US,
                                   g_param_spec_int64 ("p50-us", NULL, NULL, -1, G_MAXINT64, -1, flags));
  g_object_class_install_property (object_class, ROW_PROP_P95_US,
                                   g_param_spec_int64 ("p95-us", NULL, NULL, -1, G_MAXINT64, -1, flags));
  g_object_class_install_property (object_class, ROW_PROP_P99_US,
                                   g_param_spec_int64 ("p99-us", NULL, NULL, -1, G_MAXINT64, -1, flags));
  g_object_class_install_property (object_class, ROW_PROP_OVERHEAD_PCT,
                                   g_param_spec_double ("overhead-pct", NULL, NULL, -1, G_MAXDOUBLE, -1, flags));
  g_object_class_install_property (object_class, ROW_PROP_ENCRYPT_US_PER_KIB,
                                   g_param_spec_double ("encrypt-us-per-kib", NULL, NULL, -1, G_MAXDOUBLE, -1, flags));
}

static void
isthmus_stats_row_init (IsthmusStatsRow *self)
{
}

static IsthmusStatsRow *
isthmus_stats_row_new (const IsthmusCommandStats *stats)
{
  IsthmusStatsRow *self = g_object_new (ISTHMUS_TYPE_STATS_ROW, NULL);

  self->stats = *stats;
  self->stats.command = g_strdup (stats->command);

  return self;
}

/* The histogram. */

#define HISTOGRAM_TYPE (histogram_get_type ())

G_DECLARE_FINAL_TYPE (Histogram, histogram, HISTO, GRAM, GtkWidget)

struct _Histogram
{
  GtkWidget parent_instance;
  guint64   counts[ISTHMUS_STATS_N_BUCKETS];
};

G_DEFINE_FINAL_TYPE (Histogram, histogram, GTK_TYPE_WIDGET)

static char *
short_duration (gint64 us)
{
  if (us >= G_USEC_PER_SEC)
    return g_strdup_printf ("%g s", (double)us / G_USEC_PER_SEC);
  if (us >= 1000)
    return g_strdup_printf ("%g ms", (double)us / 1000);

  return g_strdup_printf ("%d µs", (int)us);
}

static void
histogram_snapshot (GtkWidget   *widget,
                    GtkSnapshot *snapshot)
{
  Histogram *self = (Histogram *)widget;
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double label_height = 16;
  double plot_height = MAX (height - label_height, 1);
  double bar_width = width / ISTHMUS_STATS_N_BUCKETS;
  guint64 max = 0;
  GdkRGBA bar;
  GdkRGBA text;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &text);
  gdk_rgba_parse (&bar, "#3584e4");

  for (guint i = 0; i < ISTHMUS_STATS_N_BUCKETS; i++)
    max = MAX (max, self->counts[i]);

  for (guint i = 0; i < ISTHMUS_STATS_N_BUCKETS; i++)
    {
      double h;

      if (self->counts[i] == 0 || max == 0)
        continue;

      h = MAX (plot_height * (double)self->counts[i] / (double)max, 1.0);
      gtk_snapshot_append_color (snapshot, &bar,
                                 &GRAPHENE_RECT_INIT (i * bar_width + 1, plot_height - h, MAX (bar_width - 2, 1), h));
    }

  /* A label at each decade. */
  for (guint i = 1; i < ISTHMUS_STATS_N_BUCKETS; i += ISTHMUS_STATS_BUCKETS_PER_DECADE)
    {
      g_autoptr(PangoLayout) layout = NULL;
      g_autofree char *label = NULL;
      gint64 lower;
      gint64 upper;

      isthmus_stats_get_bucket_range (i, &lower, &upper);
      label = short_duration (lower);
      layout = gtk_widget_create_pango_layout (widget, label);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (i * bar_width, plot_height + 1));
      gtk_snapshot_append_layout (snapshot, layout, &text);
      gtk_snapshot_restore (snapshot);
    }
}

static void
histogram_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 200 : 80;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 400 : 120;
}

static void
histogram_class_init (HistogramClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = histogram_snapshot;
  widget_class->measure = histogram_measure;
  gtk_widget_class_set_css_name (widget_class, "histogram");
}

static void
histogram_init (Histogram *self)
{
}

/* The view. */

struct _IsthmusStatsView
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkColumnView    *column_view;
  GtkBox           *histogram_box;
  GtkSortListModel *sort_model;
  GtkLabel         *summary_label;
  GtkColumnViewColumn *count_column;

  /* Owned by the template box */
  Histogram        *histogram;

  /* Owned references */
  GListModel       *model;
  IsthmusFilter    *filter;
  GListStore       *rows;

  guint             timeout_id;
  gint64            last_us;
};

G_DEFINE_FINAL_TYPE (IsthmusStatsView, isthmus_stats_view, GTK_TYPE_WIDGET)

static char *
format_text (gpointer    unused,
             const char *text)
{
  if (text == NULL || text[0] == '\0')
    return g_strdup (_("(none)"));

  return isthmus_traffic_list_sanitize_text (text, -1, ISTHMUS_TRAFFIC_LIST_MAX_CHARS);
}

static char *
format_count (gpointer unused,
              guint    count)
{
  return g_strdup_printf ("%u", count);
}

static char *
format_us (gpointer unused,
           gint64   us)
{
  g_autofree char *number = NULL;

  if (us < 0)
    return g_strdup ("–");

  number = g_strdup_printf ("%" G_GINT64_FORMAT, us);
  /* Translators: a duration in microseconds. */
  return g_strdup_printf (_("%s µs"), number);
}

static char *
format_pct (gpointer unused,
            double   pct)
{
  if (pct < 0)
    return g_strdup ("–");

  return g_strdup_printf ("%.1f %%", pct);
}

static char *
format_rate (gpointer unused,
             double   rate)
{
  if (rate < 0)
    return g_strdup ("–");

  /* Translators: microseconds per kibibyte. */
  return g_strdup_printf (_("%.1f µs/KiB"), rate);
}

static void
recompute (IsthmusStatsView *self)
{
  g_autoptr(IsthmusStats) stats = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListStore) empty = NULL;
  const IsthmusCommandStats *total;
  g_autofree char *summary = NULL;
  g_autofree char *p50 = NULL;
  g_autofree char *p95 = NULL;
  GListModel *model = self->model;

  self->last_us = g_get_monotonic_time ();

  if (model == NULL)
    model = G_LIST_MODEL (empty = g_list_store_new (G_TYPE_OBJECT));

  stats = isthmus_stats_compute (model, self->filter);

  for (guint i = 0; i < isthmus_stats_get_n_commands (stats); i++)
    g_ptr_array_add (rows, isthmus_stats_row_new (isthmus_stats_get_command (stats, i)));
  g_list_store_splice (self->rows, 0, g_list_model_get_n_items (G_LIST_MODEL (self->rows)),
                       rows->pdata, rows->len);

  memcpy (self->histogram->counts, isthmus_stats_get_histogram (stats), sizeof self->histogram->counts);
  gtk_widget_queue_draw (GTK_WIDGET (self->histogram));

  total = isthmus_stats_get_total (stats);
  p50 = format_us (NULL, total->p50_us);
  p95 = format_us (NULL, total->p95_us);
  /* Translators: totals above the statistics table. */
  summary = g_strdup_printf (_("%u calls · %u errors · p50 %s · p95 %s"),
                             total->count, total->errors, p50, p95);
  gtk_label_set_text (self->summary_label, summary);
}

static gboolean
timeout_cb (gpointer user_data)
{
  IsthmusStatsView *self = user_data;

  self->timeout_id = 0;
  recompute (self);

  return G_SOURCE_REMOVE;
}

static void
queue_recompute (IsthmusStatsView *self)
{
  gint64 wait_ms;

  if (self->timeout_id != 0)
    return;

  wait_ms = ISTHMUS_STATS_VIEW_INTERVAL_MS - (g_get_monotonic_time () - self->last_us) / 1000;
  self->timeout_id = g_timeout_add (CLAMP (wait_ms, 0, ISTHMUS_STATS_VIEW_INTERVAL_MS), timeout_cb, self);
}

static void
model_items_changed_cb (IsthmusStatsView *self,
                        guint             position,
                        guint             removed,
                        guint             added,
                        GListModel       *model)
{
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    queue_recompute (self);
}

static void
isthmus_stats_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (isthmus_stats_view_parent_class)->map (widget);

  queue_recompute (ISTHMUS_STATS_VIEW (widget));
}

static void
isthmus_stats_view_dispose (GObject *object)
{
  IsthmusStatsView *self = (IsthmusStatsView *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->filter, isthmus_filter_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), ISTHMUS_TYPE_STATS_VIEW);

  /* The headings and the scrolled window are children without a field. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  g_clear_object (&self->rows);

  G_OBJECT_CLASS (isthmus_stats_view_parent_class)->dispose (object);
}

static void
isthmus_stats_view_class_init (IsthmusStatsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isthmus_stats_view_dispose;

  widget_class->map = isthmus_stats_view_map;

  gtk_widget_class_set_css_name (widget_class, "statsview");
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-stats-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusStatsView, column_view);
  gtk_widget_class_bind_template_child (widget_class, IsthmusStatsView, count_column);
  gtk_widget_class_bind_template_child (widget_class, IsthmusStatsView, histogram_box);
  gtk_widget_class_bind_template_child (widget_class, IsthmusStatsView, sort_model);
  gtk_widget_class_bind_template_child (widget_class, IsthmusStatsView, summary_label);
  gtk_widget_class_bind_template_callback (widget_class, format_count);
  gtk_widget_class_bind_template_callback (widget_class, format_pct);
  gtk_widget_class_bind_template_callback (widget_class, format_rate);
  gtk_widget_class_bind_template_callback (widget_class, format_text);
  gtk_widget_class_bind_template_callback (widget_class, format_us);

  g_type_ensure (ISTHMUS_TYPE_STATS_ROW);
}

static void
isthmus_stats_view_init (IsthmusStatsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (ISTHMUS_TYPE_STATS_ROW);
  gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (self->rows));
  gtk_column_view_sort_by_column (self->column_view, self->count_column, GTK_SORT_DESCENDING);

  self->histogram = g_object_new (HISTOGRAM_TYPE, NULL);
  gtk_box_append (self->histogram_box, GTK_WIDGET (self->histogram));
}

GtkWidget *
isthmus_stats_view_new (void)
{
  return g_object_new (ISTHMUS_TYPE_STATS_VIEW, NULL);
}

void
isthmus_stats_view_set_model (IsthmusStatsView *self,
                              GListModel       *model)
{
  g_return_if_fail (ISTHMUS_IS_STATS_VIEW (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_object (model, "items-changed", G_CALLBACK (model_items_changed_cb), self, G_CONNECT_SWAPPED);

  recompute (self);
}

void
isthmus_stats_view_set_filter (IsthmusStatsView *self,
                               IsthmusFilter    *filter)
{
  g_return_if_fail (ISTHMUS_IS_STATS_VIEW (self));

  if (self->filter == filter)
    return;

  g_clear_pointer (&self->filter, isthmus_filter_unref);
  self->filter = filter != NULL ? isthmus_filter_ref (filter) : NULL;
  recompute (self);
}

void
isthmus_stats_view_refresh (IsthmusStatsView *self)
{
  g_return_if_fail (ISTHMUS_IS_STATS_VIEW (self));

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  recompute (self);
}

GListModel *
isthmus_stats_view_get_rows (IsthmusStatsView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_STATS_VIEW (self), NULL);

  return G_LIST_MODEL (self->rows);
}

const guint64 *
isthmus_stats_view_get_histogram (IsthmusStatsView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_STATS_VIEW (self), NULL);

  return self->histogram->counts;
}

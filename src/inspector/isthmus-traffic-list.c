/* isthmus-traffic-list.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-traffic-list"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "isthmus-exchange.h"
#include "isthmus-traffic-list.h"

/* How close, in pixels, the view must be to its end to count as being at
 * the bottom, where it follows new rows. */
#define BOTTOM_SLACK 4.0

#define ORIGIN_UNSET G_MININT64

/* How long typing must pause before the filter applies. */
#define FILTER_DELAY_MS 150

struct _IsthmusTrafficList
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkColumnView       *column_view;
  GtkCustomFilter     *custom_filter;
  GtkLabel            *dropped_label;
  GtkLabel            *filter_error_label;
  GtkFilterListModel  *filter_model;
  GtkWidget           *import_banner;
  GtkLabel            *import_label;
  GtkProgressBar      *progress_bar;
  GtkWidget           *progress_box;
  GtkLabel            *records_label;
  GtkScrolledWindow   *scrolled_window;
  GtkSearchEntry      *search_entry;
  GtkSingleSelection  *selection;
  GtkSortListModel    *sort_model;
  GtkColumnViewColumn *time_column;
  GtkListItemFactory  *time_factory;

  /* Owned references */
  IsthmusRecorder     *recorder;
  GBinding            *paused_binding;
  IsthmusFilter       *filter;
  GListStore          *imported;
  GCancellable        *export_cancellable;

  int                  filter_error_offset;

  /* Borrowed references */
  GtkAdjustment       *vadjustment;

  gint64               origin_mono_us;
  guint                status_idle_id;
  guint                filter_timeout_id;
  guint                scroll_tick_id;
  guint                relative_time : 1;
  guint                paused : 1;
  guint                follow : 1;
  guint                user_dragging : 1;
};

G_DEFINE_FINAL_TYPE (IsthmusTrafficList, isthmus_traffic_list, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RECORDER,
  PROP_RELATIVE_TIME,
  PROP_PAUSED,
  PROP_FILTER,
  PROP_SELECTED,
  PROP_IMPORTED,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void queue_status_update (IsthmusTrafficList *self);

char *
isthmus_traffic_list_sanitize_text (const char *text,
                                    gssize      length,
                                    guint       max_chars)
{
  g_autofree char *valid = NULL;
  gsize byte_length;
  gsize read_limit;
  const char *end;

  if (text == NULL)
    return g_strdup ("");

  byte_length = length < 0 ? strlen (text) : (gsize)length;

  /* A character takes at most four bytes and each invalid byte becomes one
   * character, so this many bytes always hold more than @max_chars
   * characters: nothing past them can show. */
  read_limit = (gsize)max_chars * 4 + 4;
  valid = g_utf8_make_valid (text, MIN (byte_length, read_limit));

  if (byte_length <= read_limit && g_utf8_strlen (valid, -1) <= (glong)max_chars)
    return g_steal_pointer (&valid);

  end = g_utf8_offset_to_pointer (valid, max_chars);
  return g_strdup_printf ("%.*s…", (int)(end - valid), valid);
}

static char *
sanitize (const char *text)
{
  return isthmus_traffic_list_sanitize_text (text, -1, ISTHMUS_TRAFFIC_LIST_MAX_CHARS);
}

/* Closures and callbacks used by the template. */

static char *
format_text (gpointer    unused,
             const char *text)
{
  return sanitize (text);
}

static char *
format_command (gpointer    unused,
                const char *command,
                const char *kind_name)
{
  g_autofree char *kind = NULL;

  if (command != NULL && command[0] != '\0')
    return sanitize (command);

  kind = sanitize (kind_name != NULL ? kind_name : "?");
  /* Translators: shown instead of a command name when a message had none;
   * %s is the message kind, such as "invoke". */
  return g_strdup_printf (_("(%s)"), kind);
}

static char **
status_css_classes (gpointer unused,
                    int      status)
{
  const char *classes[] = { NULL, NULL };

  if (status == ISTHMUS_EXCHANGE_ERROR)
    classes[0] = "error";
  else if (status == ISTHMUS_EXCHANGE_PENDING)
    classes[0] = "dim-label";

  return g_strdupv ((char **)classes);
}

static char *
format_size (gpointer unused,
             guint64  request_size,
             guint64  reply_size,
             int      status)
{
  g_autofree char *request = g_format_size (request_size);
  g_autofree char *reply = NULL;

  if (status == ISTHMUS_EXCHANGE_PENDING)
    /* Translators: request size while the reply is still pending. */
    return g_strdup_printf (_("%s → …"), request);

  reply = g_format_size (reply_size);
  /* Translators: request size → reply size. */
  return g_strdup_printf (_("%s → %s"), request, reply);
}

static char *
format_duration (gpointer unused,
                 gint64   duration_us)
{
  if (duration_us < 0)
    return g_strdup ("…");

  if (duration_us < 1000)
    /* Translators: a duration in microseconds. */
    return g_strdup_printf (_("%d µs"), (int)duration_us);

  /* Translators: a duration in milliseconds. */
  return g_strdup_printf (_("%.1f ms"), (double)duration_us / 1000.0);
}

static const char *
verdict_word (IsthmusExchange *exchange,
              const char      *isolation_verdict)
{
  IsthmusAclVerdict *acl;

  if (isolation_verdict != NULL && isolation_verdict[0] != '\0')
    return isolation_verdict;

  acl = exchange != NULL ? isthmus_exchange_get_acl_verdict (exchange) : NULL;
  if (acl == NULL)
    return NULL;
  if (!isthmus_acl_verdict_get_checked (acl))
    return "unchecked";

  return isthmus_acl_verdict_get_allowed (acl) ? "allowed" : "denied";
}

const char *
isthmus_traffic_list_verdict_class (const char *verdict)
{
  if (verdict == NULL)
    return NULL;
  if (strcmp (verdict, "passed") == 0 || strcmp (verdict, "allowed") == 0)
    return "verdict-ok";
  if (strcmp (verdict, "modified") == 0)
    return "verdict-modified";
  if (strcmp (verdict, "unchecked") == 0)
    return "verdict-unchecked";

  return "verdict-refused";
}

static char *
format_verdict (gpointer    unused,
                GObject    *item,
                const char *isolation_verdict,
                const char *acl_text)
{
  const char *word;

  if (!ISTHMUS_IS_EXCHANGE (item))
    return g_strdup ("");

  word = verdict_word (ISTHMUS_EXCHANGE (item), isolation_verdict);
  return sanitize (word != NULL ? word : "");
}

static char **
verdict_css_classes (gpointer    unused,
                     GObject    *item,
                     const char *isolation_verdict,
                     const char *acl_text)
{
  const char *classes[] = { NULL, NULL, NULL };
  const char *word;

  if (!ISTHMUS_IS_EXCHANGE (item))
    return g_strdupv ((char **)classes);

  word = verdict_word (ISTHMUS_EXCHANGE (item), isolation_verdict);
  if (word != NULL)
    {
      classes[0] = "verdict";
      classes[1] = isthmus_traffic_list_verdict_class (word);
    }

  return g_strdupv ((char **)classes);
}

static char *
verdict_sort_key (IsthmusExchange *exchange)
{
  const char *word;

  if (!ISTHMUS_IS_EXCHANGE (exchange))
    return g_strdup ("");

  word = verdict_word (exchange, isthmus_exchange_get_isolation_verdict (exchange));
  return g_strdup (word != NULL ? word : "");
}

static gint64
step_us (IsthmusExchange *exchange,
         guint            step)
{
  const IsthmusExchangeIsolation *isolation;

  if (!ISTHMUS_IS_EXCHANGE (exchange))
    return -1;

  isolation = isthmus_exchange_get_isolation (exchange);
  if (isolation == NULL)
    return -1;

  switch (step)
    {
    case 0:
      return isolation->hook_us;
    case 1:
      return isolation->encrypt_us;
    default:
      return isolation->decrypt_us;
    }
}

static char *
format_micros (gint64 us)
{
  if (us < 0)
    return g_strdup ("");

  /* Translators: a duration in microseconds. */
  return g_strdup_printf (_("%d µs"), (int)MIN (us, G_MAXINT));
}

static char *
format_hook_us (gpointer    unused,
                GObject    *item,
                const char *verdict)
{
  return format_micros (step_us (ISTHMUS_IS_EXCHANGE (item) ? ISTHMUS_EXCHANGE (item) : NULL, 0));
}

static char *
format_encrypt_us (gpointer    unused,
                   GObject    *item,
                   const char *verdict)
{
  return format_micros (step_us (ISTHMUS_IS_EXCHANGE (item) ? ISTHMUS_EXCHANGE (item) : NULL, 1));
}

static char *
format_decrypt_us (gpointer    unused,
                   GObject    *item,
                   const char *verdict)
{
  return format_micros (step_us (ISTHMUS_IS_EXCHANGE (item) ? ISTHMUS_EXCHANGE (item) : NULL, 2));
}

static gint64
hook_us_key (IsthmusExchange *exchange)
{
  return step_us (exchange, 0);
}

static gint64
encrypt_us_key (IsthmusExchange *exchange)
{
  return step_us (exchange, 1);
}

static gint64
decrypt_us_key (IsthmusExchange *exchange)
{
  return step_us (exchange, 2);
}

static char *
format_note (gpointer    unused,
             const char *note,
             const char *kind_name)
{
  if ((note == NULL || note[0] == '\0') && g_strcmp0 (kind_name, "emit") == 0)
    return g_strdup (_("no listener"));

  return sanitize (note);
}

static char *
pause_icon_name (gpointer unused,
                 gboolean paused)
{
  return g_strdup (paused ? "media-playback-start-symbolic" : "media-playback-pause-symbolic");
}

static char *
pause_tooltip (gpointer unused,
               gboolean paused)
{
  return g_strdup (paused ? _("Resume Recording") : _("Pause Recording"));
}

/* The filter. */

static gboolean
custom_filter_func (gpointer item,
                    gpointer user_data)
{
  IsthmusTrafficList *self = user_data;

  return isthmus_filter_matches (self->filter, item);
}

static void
show_filter_error (IsthmusTrafficList *self,
                   const GError       *error)
{
  g_autofree char *message = NULL;

  if (error == NULL)
    {
      self->filter_error_offset = -1;
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      gtk_widget_set_visible (GTK_WIDGET (self->filter_error_label), FALSE);
      gtk_label_set_text (self->filter_error_label, "");
      return;
    }

  self->filter_error_offset = isthmus_filter_error_get_offset (error);
  message = sanitize (error->message);
  gtk_label_set_text (self->filter_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->filter_error_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
}

static void
apply_filter_text (IsthmusTrafficList *self,
                   const char         *text)
{
  g_autoptr(IsthmusFilter) filter = NULL;
  g_autoptr(GError) error = NULL;

  filter = isthmus_filter_parse (text != NULL ? text : "", &error);
  show_filter_error (self, error);

  /* A text that does not parse keeps the last good filter. */
  if (filter == NULL)
    return;

  if (self->filter != NULL && filter != NULL &&
      g_strcmp0 (isthmus_filter_get_text (self->filter), isthmus_filter_get_text (filter)) == 0)
    return;

  g_clear_pointer (&self->filter, isthmus_filter_unref);
  if (!isthmus_filter_is_empty (filter))
    self->filter = g_steal_pointer (&filter);

  gtk_filter_changed (GTK_FILTER (self->custom_filter), GTK_FILTER_CHANGE_DIFFERENT);
  queue_status_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FILTER]);
}

static gboolean
filter_timeout_cb (gpointer user_data)
{
  IsthmusTrafficList *self = user_data;

  self->filter_timeout_id = 0;
  apply_filter_text (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));

  return G_SOURCE_REMOVE;
}

static void
search_changed_cb (IsthmusTrafficList *self,
                   GtkSearchEntry     *entry)
{
  g_assert (ISTHMUS_IS_TRAFFIC_LIST (self));

  /* Filter once typing pauses, whatever the text. */
  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);
  self->filter_timeout_id = g_timeout_add (FILTER_DELAY_MS, filter_timeout_cb, self);
}

static void
search_activate_cb (IsthmusTrafficList *self,
                    GtkSearchEntry     *entry)
{
  const char *text;

  g_assert (ISTHMUS_IS_TRAFFIC_LIST (self));

  text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);
  apply_filter_text (self, text);

  /* Enter on a text that does not parse puts the cursor on the error. */
  if (self->filter_error_offset >= 0)
    {
      int offset = (int)g_utf8_pointer_to_offset (text, text + MIN ((gsize)self->filter_error_offset, strlen (text)));

      gtk_editable_select_region (GTK_EDITABLE (entry), offset, offset);
      gtk_editable_set_position (GTK_EDITABLE (entry), offset);
    }
}

static void
selection_notify_cb (IsthmusTrafficList *self,
                     GParamSpec         *pspec,
                     GtkSingleSelection *selection)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED]);
}

static void
search_stop_cb (IsthmusTrafficList *self,
                GtkSearchEntry     *entry)
{
  g_assert (ISTHMUS_IS_TRAFFIC_LIST (self));

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* The Time column. */

static void
ensure_origin (IsthmusTrafficList *self,
               IsthmusExchange    *fallback)
{
  g_autoptr(IsthmusExchange) first = NULL;

  if (self->origin_mono_us != ORIGIN_UNSET)
    return;

  if (isthmus_traffic_list_get_model (self) != NULL)
    first = g_list_model_get_item (isthmus_traffic_list_get_model (self), 0);

  if (first != NULL)
    self->origin_mono_us = isthmus_exchange_get_mono_time_us (first);
  else if (fallback != NULL)
    self->origin_mono_us = isthmus_exchange_get_mono_time_us (fallback);
}


/* The cells: one signal factory per column that sets plain text directly
 * (no expression watches, which made every rebind cost closures), and
 * watches a record only while it is still pending. Each cell is a
 * GtkInscription: its size comes from the column, not from its text, so
 * the rows that change text as the list follows new records do not make
 * GTK measure them again (with labels, that relayout cost most of a
 * frame). Inscriptions take plain text only and hold no links. */
typedef enum
{
  CELL_KIND,
  CELL_WINDOW,
  CELL_COMMAND,
  CELL_VERDICT,
  CELL_STATUS,
  CELL_SIZE,
  CELL_DURATION,
  CELL_HOOK,
  CELL_ENCRYPT,
  CELL_DECRYPT,
  CELL_NOTE,
  CELL_REQUEST,
} CellKind;

static const struct
{
  const char *column_id;
  float       xalign;
  const char *css_class;
} cells[] = {
  [CELL_KIND] = { "kind_column", 0.0, NULL },
  [CELL_WINDOW] = { "window_column", 0.0, NULL },
  [CELL_COMMAND] = { "command_column", 0.0, NULL },
  [CELL_VERDICT] = { "verdict_column", 0.5, NULL },
  [CELL_STATUS] = { "status_column", 0.0, NULL },
  [CELL_SIZE] = { "size_column", 1.0, NULL },
  [CELL_DURATION] = { "duration_column", 1.0, "numeric" },
  [CELL_HOOK] = { "hook_column", 1.0, "numeric" },
  [CELL_ENCRYPT] = { "encrypt_column", 1.0, "numeric" },
  [CELL_DECRYPT] = { "decrypt_column", 1.0, "numeric" },
  [CELL_NOTE] = { "note_column", 0.0, NULL },
  [CELL_REQUEST] = { "request_column", 0.0, NULL },
};

static char *
cell_text (CellKind         kind,
           IsthmusExchange *exchange)
{
  GObject *item = G_OBJECT (exchange);

  switch (kind)
    {
    case CELL_KIND:
      return format_text (NULL, isthmus_exchange_get_kind_name (exchange));
    case CELL_WINDOW:
      return format_text (NULL, isthmus_exchange_get_window_label (exchange));
    case CELL_COMMAND:
      return format_command (NULL, isthmus_exchange_get_command (exchange),
                             isthmus_exchange_get_kind_name (exchange));
    case CELL_VERDICT:
      return format_verdict (NULL, item, isthmus_exchange_get_isolation_verdict (exchange),
                             isthmus_exchange_get_acl_text (exchange));
    case CELL_STATUS:
      return format_text (NULL, isthmus_exchange_get_status_text (exchange));
    case CELL_SIZE:
      return format_size (NULL, isthmus_exchange_get_request_size (exchange),
                          isthmus_exchange_get_reply_size (exchange),
                          isthmus_exchange_get_status (exchange));
    case CELL_DURATION:
      return format_duration (NULL, isthmus_exchange_get_duration_us (exchange));
    case CELL_HOOK:
      return format_hook_us (NULL, item, isthmus_exchange_get_isolation_verdict (exchange));
    case CELL_ENCRYPT:
      return format_encrypt_us (NULL, item, isthmus_exchange_get_isolation_verdict (exchange));
    case CELL_DECRYPT:
      return format_decrypt_us (NULL, item, isthmus_exchange_get_isolation_verdict (exchange));
    case CELL_NOTE:
      return format_note (NULL, isthmus_exchange_get_note (exchange),
                          isthmus_exchange_get_kind_name (exchange));
    case CELL_REQUEST:
    default:
      return format_text (NULL, isthmus_exchange_get_summary (exchange));
    }
}

static void
cell_update (GtkInscription  *label,
             CellKind         kind,
             IsthmusExchange *exchange)
{
  g_autofree char *text = cell_text (kind, exchange);
  g_auto(GStrv) extra = NULL;
  g_auto(GStrv) current = NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  g_auto(GStrv) classes = NULL;

  gtk_inscription_set_text (label, text);

  /* Only these cells change their classes with the record; the others
   * keep what cell_setup_cb() gave them. */
  if (kind == CELL_VERDICT)
    extra = verdict_css_classes (NULL, G_OBJECT (exchange),
                                 isthmus_exchange_get_isolation_verdict (exchange),
                                 isthmus_exchange_get_acl_text (exchange));
  else if (kind == CELL_STATUS)
    extra = status_css_classes (NULL, isthmus_exchange_get_status (exchange));
  else
    return;

  builder = g_strv_builder_new ();
  if (cells[kind].css_class != NULL)
    g_strv_builder_add (builder, cells[kind].css_class);
  if (extra != NULL)
    g_strv_builder_addv (builder, (const char **)extra);
  classes = g_strv_builder_end (builder);

  /* Setting classes restyles the cell even when they are the same. */
  current = gtk_widget_get_css_classes (GTK_WIDGET (label));
  if (!g_strv_equal ((const char * const *)current, (const char * const *)classes))
    gtk_widget_set_css_classes (GTK_WIDGET (label), (const char **)classes);
}

static void
cell_notify_cb (IsthmusExchange *exchange,
                GParamSpec      *pspec,
                GtkInscription  *label)
{
  cell_update (label, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (label), "isthmus-cell-kind")), exchange);
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  CellKind kind = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (label), cells[kind].xalign);
  if (cells[kind].css_class != NULL)
    gtk_widget_add_css_class (label, cells[kind].css_class);
  g_object_set_data (G_OBJECT (label), "isthmus-cell-kind", GINT_TO_POINTER (kind));
  gtk_list_item_set_child (list_item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  IsthmusExchange *exchange = gtk_list_item_get_item (list_item);
  GtkWidget *label = gtk_list_item_get_child (list_item);

  if (exchange == NULL || label == NULL)
    return;

  cell_update (GTK_INSCRIPTION (label), GPOINTER_TO_INT (user_data), exchange);

  /* Only a pending record still changes. */
  if (isthmus_exchange_get_status (exchange) == ISTHMUS_EXCHANGE_PENDING)
    {
      gulong id = g_signal_connect_object (exchange, "notify", G_CALLBACK (cell_notify_cb), label, 0);
      g_object_set_data (G_OBJECT (label), "isthmus-cell-handler", GSIZE_TO_POINTER (id));
      g_object_set_data_full (G_OBJECT (label), "isthmus-cell-item", g_object_ref (exchange), g_object_unref);
    }
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (list_item);
  gulong id;
  GObject *item;

  if (label == NULL)
    return;

  id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (label), "isthmus-cell-handler"));
  item = g_object_get_data (G_OBJECT (label), "isthmus-cell-item");
  if (id != 0 && item != NULL)
    g_signal_handler_disconnect (item, id);
  g_object_set_data (G_OBJECT (label), "isthmus-cell-handler", NULL);
  g_object_set_data (G_OBJECT (label), "isthmus-cell-item", NULL);
}

static void
setup_cells (IsthmusTrafficList *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      GtkColumnViewColumn *column;
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      column = GTK_COLUMN_VIEW_COLUMN (gtk_widget_get_template_child (GTK_WIDGET (self),
                                                                      ISTHMUS_TYPE_TRAFFIC_LIST,
                                                                      cells[i].column_id));
      g_assert (column != NULL);
      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GINT_TO_POINTER (i));
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GINT_TO_POINTER (i));
      g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), GINT_TO_POINTER (i));
      gtk_column_view_column_set_factory (column, factory);
    }
}

static char *
format_time (IsthmusTrafficList *self,
             IsthmusExchange    *exchange)
{
  g_autoptr(GDateTime) date_time = NULL;
  g_autofree char *clock = NULL;
  gint64 wall_us;

  if (self->relative_time)
    {
      ensure_origin (self, exchange);
      /* Translators: seconds since the first record, like "12.345 s". */
      return g_strdup_printf (_("%.3f s"),
                              (double)(isthmus_exchange_get_mono_time_us (exchange) - self->origin_mono_us) / G_USEC_PER_SEC);
    }

  wall_us = isthmus_exchange_get_wall_time_us (exchange);
  date_time = g_date_time_new_from_unix_local (wall_us / G_USEC_PER_SEC);
  if (date_time == NULL)
    return g_strdup ("?");

  clock = g_date_time_format (date_time, "%H:%M:%S");
  return g_strdup_printf ("%s.%03d", clock, (int)((wall_us % G_USEC_PER_SEC) / 1000));
}

static void
time_setup_cb (IsthmusTrafficList       *self,
               GtkListItem              *list_item,
               GtkSignalListItemFactory *factory)
{
  GtkWidget *label;

  label = gtk_inscription_new (NULL);
  gtk_inscription_set_xalign (GTK_INSCRIPTION (label), 1.0);
  gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
time_bind_cb (IsthmusTrafficList       *self,
              GtkListItem              *list_item,
              GtkSignalListItemFactory *factory)
{
  IsthmusExchange *exchange;
  g_autofree char *text = NULL;

  g_assert (ISTHMUS_IS_TRAFFIC_LIST (self));

  exchange = gtk_list_item_get_item (list_item);
  if (exchange == NULL)
    return;

  text = format_time (self, exchange);
  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)), text);
}

static void
refresh_time_column (IsthmusTrafficList *self)
{
  g_autoptr(GtkListItemFactory) factory = g_object_ref (self->time_factory);

  /* Setting the factory again rebuilds every visible cell of the column. */
  gtk_column_view_column_set_factory (self->time_column, NULL);
  gtk_column_view_column_set_factory (self->time_column, factory);
}

/* The status line. */

static gboolean
status_idle_cb (gpointer user_data)
{
  IsthmusTrafficList *self = user_data;
  g_autofree char *records = NULL;
  guint total = 0;
  guint shown;
  guint64 dropped = 0;

  self->status_idle_id = 0;

  if (self->imported != NULL)
    total = g_list_model_get_n_items (G_LIST_MODEL (self->imported));
  else if (self->recorder != NULL)
    {
      total = g_list_model_get_n_items (G_LIST_MODEL (self->recorder));
      dropped = isthmus_recorder_get_dropped (self->recorder);
    }
  shown = g_list_model_get_n_items (G_LIST_MODEL (self->filter_model));

  if (shown == total)
    records = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record", "%u records", total), total);
  else
    /* Translators: "3 of 10 records", shown while a filter hides some. */
    records = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u record", "%u of %u records", total),
                               shown, total);
  gtk_label_set_text (self->records_label, records);

  if (dropped > 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, dropped);
      g_autofree char *text = NULL;

      /* Translators: follows the record count, as in "10 records · 3 dropped";
       * %s is a number of records the full list had to drop. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "· %s dropped", "· %s dropped",
                                           (gulong)MIN (dropped, G_MAXULONG)),
                              number);
      gtk_label_set_text (self->dropped_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->dropped_label), dropped > 0);

  return G_SOURCE_REMOVE;
}

static void
queue_status_update (IsthmusTrafficList *self)
{
  if (self->status_idle_id == 0)
    self->status_idle_id = g_idle_add (status_idle_cb, self);
}

/* Following the newest row. */

static gboolean
is_at_bottom (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment)
           >= gtk_adjustment_get_upper (adjustment) - BOTTOM_SLACK;
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *frame_clock,
                gpointer       user_data)
{
  IsthmusTrafficList *self = ISTHMUS_TRAFFIC_LIST (widget);
  GtkAdjustment *adjustment = self->vadjustment;

  self->scroll_tick_id = 0;

  if (self->follow && !self->user_dragging && adjustment != NULL)
    gtk_adjustment_set_value (adjustment,
                              gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment));

  return G_SOURCE_REMOVE;
}

static void
queue_scroll_to_end (IsthmusTrafficList *self)
{
  if (self->scroll_tick_id == 0)
    self->scroll_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_tick_cb, NULL, NULL);
}

static void
vadjustment_value_changed_cb (IsthmusTrafficList *self,
                              GtkAdjustment      *adjustment)
{
  gboolean at_bottom = is_at_bottom (adjustment);

  if (self->user_dragging)
    {
      self->follow = at_bottom;
      return;
    }

  /* Only the user's own scrolling stops following (see the controllers);
   * when the list moves under us, as rows come and go, catch up. */
  if (at_bottom)
    self->follow = TRUE;
  else if (self->follow)
    queue_scroll_to_end (self);
}

static void
vadjustment_changed_cb (IsthmusTrafficList *self,
                        GtkAdjustment      *adjustment)
{
  if (self->follow && !self->user_dragging && !is_at_bottom (adjustment))
    queue_scroll_to_end (self);
}

static gboolean
scroll_cb (IsthmusTrafficList       *self,
           double                    dx,
           double                    dy,
           GtkEventControllerScroll *controller)
{
  if (dy < 0)
    self->follow = FALSE;

  return FALSE;
}

static gboolean
scrollbar_event_cb (IsthmusTrafficList       *self,
                    GdkEvent                 *event,
                    GtkEventControllerLegacy *controller)
{
  switch ((int)gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
      self->user_dragging = TRUE;
      break;

    case GDK_BUTTON_RELEASE:
    case GDK_TOUCH_END:
    case GDK_TOUCH_CANCEL:
      self->user_dragging = FALSE;
      if (self->vadjustment != NULL)
        self->follow = is_at_bottom (self->vadjustment);
      break;

    default:
      break;
    }

  return FALSE;
}

static gboolean
key_pressed_cb (IsthmusTrafficList    *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  switch (keyval)
    {
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      self->follow = FALSE;
      break;

    default:
      break;
    }

  return FALSE;
}

/* The model. */

static void
recorder_items_changed_cb (IsthmusTrafficList *self,
                           guint               position,
                           guint               removed,
                           guint               added,
                           GListModel         *model)
{
  if (added > 0 && self->origin_mono_us == ORIGIN_UNSET)
    ensure_origin (self, NULL);

  if (added > 0 && self->follow)
    queue_scroll_to_end (self);

  queue_status_update (self);
}

static void
recorder_notify_dropped_cb (IsthmusTrafficList *self,
                            GParamSpec         *pspec,
                            IsthmusRecorder    *recorder)
{
  queue_status_update (self);
}

static void
filter_items_changed_cb (IsthmusTrafficList *self,
                         guint               position,
                         guint               removed,
                         guint               added,
                         GListModel         *model)
{
  queue_status_update (self);
}

static void
detach_recorder (IsthmusTrafficList *self)
{
  if (self->paused_binding != NULL)
    {
      g_binding_unbind (self->paused_binding);
      self->paused_binding = NULL;
    }

  if (self->recorder != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->recorder, self);
      g_clear_object (&self->recorder);
    }

  if (self->sort_model != NULL && self->imported == NULL)
    gtk_sort_list_model_set_model (self->sort_model, NULL);
}

/* Actions. */

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  isthmus_traffic_list_clear (ISTHMUS_TRAFFIC_LIST (widget));
}

static void
show_live_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  isthmus_traffic_list_show_live (ISTHMUS_TRAFFIC_LIST (widget));
}

static void
cancel_export_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  IsthmusTrafficList *self = ISTHMUS_TRAFFIC_LIST (widget);

  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  isthmus_traffic_list_focus_search (ISTHMUS_TRAFFIC_LIST (widget));
}

/* GObject. */

static void
isthmus_traffic_list_dispose (GObject *object)
{
  IsthmusTrafficList *self = (IsthmusTrafficList *)object;
  GtkWidget *child;

  /* Detach first: tearing the models down emits changes that would
   * otherwise queue more updates. */
  detach_recorder (self);
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_data (self->filter_model, self);
  if (self->vadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->vadjustment, self);
      self->vadjustment = NULL;
    }

  g_clear_handle_id (&self->status_idle_id, g_source_remove);
  g_clear_handle_id (&self->filter_timeout_id, g_source_remove);
  if (self->export_cancellable != NULL)
    g_cancellable_cancel (self->export_cancellable);
  g_clear_object (&self->export_cancellable);
  g_clear_object (&self->imported);
  g_clear_pointer (&self->filter, isthmus_filter_unref);
  if (self->scroll_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_tick_id);
      self->scroll_tick_id = 0;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ISTHMUS_TYPE_TRAFFIC_LIST);

  /* The toolbar and the status line are children without a field. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (isthmus_traffic_list_parent_class)->dispose (object);
}

static void
isthmus_traffic_list_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  IsthmusTrafficList *self = ISTHMUS_TRAFFIC_LIST (object);

  switch (prop_id)
    {
    case PROP_RECORDER:
      g_value_set_object (value, self->recorder);
      break;

    case PROP_RELATIVE_TIME:
      g_value_set_boolean (value, self->relative_time);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;

    case PROP_FILTER:
      g_value_set_boxed (value, self->filter);
      break;

    case PROP_SELECTED:
      g_value_set_object (value, isthmus_traffic_list_get_selected (self));
      break;

    case PROP_IMPORTED:
      g_value_set_boolean (value, self->imported != NULL);
      break;

    case PROP_MODEL:
      g_value_set_object (value, isthmus_traffic_list_get_model (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_traffic_list_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  IsthmusTrafficList *self = ISTHMUS_TRAFFIC_LIST (object);

  switch (prop_id)
    {
    case PROP_RECORDER:
      isthmus_traffic_list_set_recorder (self, g_value_get_object (value));
      break;

    case PROP_RELATIVE_TIME:
      isthmus_traffic_list_set_relative_time (self, g_value_get_boolean (value));
      break;

    case PROP_PAUSED:
      isthmus_traffic_list_set_paused (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_traffic_list_class_init (IsthmusTrafficListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isthmus_traffic_list_dispose;
  object_class->get_property = isthmus_traffic_list_get_property;
  object_class->set_property = isthmus_traffic_list_set_property;

  properties [PROP_RECORDER] =
    g_param_spec_object ("recorder", NULL, NULL,
                         ISTHMUS_TYPE_RECORDER,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_RELATIVE_TIME] =
    g_param_spec_boolean ("relative-time", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_FILTER] =
    g_param_spec_boxed ("filter", NULL, NULL,
                        ISTHMUS_TYPE_FILTER,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL,
                         ISTHMUS_TYPE_EXCHANGE,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_IMPORTED] =
    g_param_spec_boolean ("imported", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "trafficlist");
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-traffic-list.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, column_view);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, custom_filter);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, dropped_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, filter_error_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, filter_model);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, import_banner);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, import_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, progress_box);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, records_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, selection);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, sort_model);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, time_column);
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    gtk_widget_class_bind_template_child_full (widget_class, cells[i].column_id, FALSE, 0);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, time_factory);
  gtk_widget_class_bind_template_callback (widget_class, decrypt_us_key);
  gtk_widget_class_bind_template_callback (widget_class, encrypt_us_key);
  gtk_widget_class_bind_template_callback (widget_class, hook_us_key);
  gtk_widget_class_bind_template_callback (widget_class, pause_icon_name);
  gtk_widget_class_bind_template_callback (widget_class, pause_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, selection_notify_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_setup_cb);
  gtk_widget_class_bind_template_callback (widget_class, verdict_sort_key);

  gtk_widget_class_install_action (widget_class, "traffic.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "traffic.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "traffic.show-live", NULL, show_live_action);
  gtk_widget_class_install_action (widget_class, "traffic.cancel-export", NULL, cancel_export_action);
  gtk_widget_class_install_property_action (widget_class, "traffic.pause", "paused");
  gtk_widget_class_install_property_action (widget_class, "traffic.relative-time", "relative-time");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "traffic.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "traffic.clear", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK, "traffic.pause", NULL);

  g_type_ensure (ISTHMUS_TYPE_EXCHANGE);
}

static void
isthmus_traffic_list_init (IsthmusTrafficList *self)
{
  GtkEventController *controller;
  GtkWidget *scrollbar;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->relative_time = TRUE;
  self->follow = TRUE;
  self->origin_mono_us = ORIGIN_UNSET;
  self->filter_error_offset = -1;

  gtk_custom_filter_set_filter_func (self->custom_filter, custom_filter_func, self, NULL);
  setup_cells (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "traffic.cancel-export", FALSE);

  /* No sort column by default: the recorder is already in time order, and
   * a sorter with no column lets the sort model pass records through
   * instead of sorting the whole list on every batch. */

  g_signal_connect_object (self->filter_model, "items-changed",
                           G_CALLBACK (filter_items_changed_cb), self, G_CONNECT_SWAPPED);

  self->vadjustment = gtk_scrolled_window_get_vadjustment (self->scrolled_window);
  g_signal_connect_object (self->vadjustment, "value-changed",
                           G_CALLBACK (vadjustment_value_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->vadjustment, "changed",
                           G_CALLBACK (vadjustment_changed_cb), self, G_CONNECT_SWAPPED);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "scroll", G_CALLBACK (scroll_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->scrolled_window), controller);

  controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);

  scrollbar = gtk_scrolled_window_get_vscrollbar (self->scrolled_window);
  if (scrollbar != NULL)
    {
      controller = gtk_event_controller_legacy_new ();
      gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
      g_signal_connect_object (controller, "event", G_CALLBACK (scrollbar_event_cb), self, G_CONNECT_SWAPPED);
      gtk_widget_add_controller (scrollbar, controller);
    }

  queue_status_update (self);
}

/**
 * isthmus_traffic_list_new:
 * @recorder: (nullable): the recorder to show
 *
 * Returns: (transfer floating): a new traffic list
 */
GtkWidget *
isthmus_traffic_list_new (IsthmusRecorder *recorder)
{
  g_return_val_if_fail (recorder == NULL || ISTHMUS_IS_RECORDER (recorder), NULL);

  return g_object_new (ISTHMUS_TYPE_TRAFFIC_LIST,
                       "recorder", recorder,
                       NULL);
}

/**
 * isthmus_traffic_list_get_recorder:
 * @self: a #IsthmusTrafficList
 *
 * Returns: (transfer none) (nullable): the recorder shown
 */
IsthmusRecorder *
isthmus_traffic_list_get_recorder (IsthmusTrafficList *self)
{
  g_return_val_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self), NULL);

  return self->recorder;
}

void
isthmus_traffic_list_set_recorder (IsthmusTrafficList *self,
                                   IsthmusRecorder    *recorder)
{
  g_return_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self));
  g_return_if_fail (recorder == NULL || ISTHMUS_IS_RECORDER (recorder));

  if (self->recorder == recorder)
    return;

  detach_recorder (self);
  self->origin_mono_us = ORIGIN_UNSET;
  self->follow = TRUE;

  if (recorder != NULL)
    {
      self->recorder = g_object_ref (recorder);
      g_signal_connect_object (recorder, "items-changed",
                               G_CALLBACK (recorder_items_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (recorder, "notify::dropped",
                               G_CALLBACK (recorder_notify_dropped_cb), self, G_CONNECT_SWAPPED);
      self->paused_binding = g_object_bind_property (recorder, "paused", self, "paused",
                                                     G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
      ensure_origin (self, NULL);
      if (self->imported == NULL)
        gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (recorder));
      queue_scroll_to_end (self);
    }

  queue_status_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RECORDER]);
}

gboolean
isthmus_traffic_list_get_relative_time (IsthmusTrafficList *self)
{
  g_return_val_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self), FALSE);

  return self->relative_time;
}

void
isthmus_traffic_list_set_relative_time (IsthmusTrafficList *self,
                                        gboolean            relative_time)
{
  g_return_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self));

  relative_time = !!relative_time;
  if (self->relative_time == relative_time)
    return;

  self->relative_time = relative_time;
  refresh_time_column (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RELATIVE_TIME]);
}

gboolean
isthmus_traffic_list_get_paused (IsthmusTrafficList *self)
{
  g_return_val_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self), FALSE);

  return self->paused;
}

void
isthmus_traffic_list_set_paused (IsthmusTrafficList *self,
                                 gboolean            paused)
{
  g_return_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAUSED]);
}

/**
 * isthmus_traffic_list_clear:
 * @self: a #IsthmusTrafficList
 *
 * Empties the recorder; times start again from the next record.
 */
void
isthmus_traffic_list_clear (IsthmusTrafficList *self)
{
  g_return_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self));

  if (self->imported != NULL)
    return;

  if (self->recorder != NULL)
    isthmus_recorder_clear (self->recorder);

  self->origin_mono_us = ORIGIN_UNSET;
  self->follow = TRUE;
  queue_status_update (self);
}

void
isthmus_traffic_list_focus_search (IsthmusTrafficList *self)
{
  g_return_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/**
 * isthmus_traffic_list_get_filter:
 * @self: a #IsthmusTrafficList
 *
 * Returns: (transfer none) (nullable): the filter in force, or %NULL when
 *   everything is shown
 */
IsthmusFilter *
isthmus_traffic_list_get_filter (IsthmusTrafficList *self)
{
  g_return_val_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self), NULL);

  return self->filter;
}

int
isthmus_traffic_list_get_filter_error_offset (IsthmusTrafficList *self)
{
  g_return_val_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self), -1);

  return self->filter_error_offset;
}

/**
 * isthmus_traffic_list_get_selected:
 * @self: a #IsthmusTrafficList
 *
 * Returns: (transfer none) (nullable): the selected record
 */
IsthmusExchange *
isthmus_traffic_list_get_selected (IsthmusTrafficList *self)
{
  g_return_val_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self), NULL);

  if (self->selection == NULL)
    return NULL;

  return gtk_single_selection_get_selected_item (self->selection);
}

/**
 * isthmus_traffic_list_get_model:
 * @self: a #IsthmusTrafficList
 *
 * Returns: (transfer none) (nullable): the records shown, before the
 *   filter: the imported ones, else the recorder
 */
GListModel *
isthmus_traffic_list_get_model (IsthmusTrafficList *self)
{
  g_return_val_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self), NULL);

  if (self->imported != NULL)
    return G_LIST_MODEL (self->imported);

  return self->recorder != NULL ? G_LIST_MODEL (self->recorder) : NULL;
}

/**
 * isthmus_traffic_list_show_imported:
 * @self: a #IsthmusTrafficList
 * @records: (element-type IsthmusExchange): records read from a file
 * @name: the file's display name
 *
 * Shows @records instead of the live traffic, read-only, under a banner
 * that leads back to the live view.
 */
void
isthmus_traffic_list_show_imported (IsthmusTrafficList *self,
                                    GPtrArray          *records,
                                    const char         *name)
{
  g_autofree char *safe_name = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self));
  g_return_if_fail (records != NULL);

  g_clear_object (&self->imported);
  self->imported = g_list_store_new (ISTHMUS_TYPE_EXCHANGE);
  g_list_store_splice (self->imported, 0, 0, records->pdata, records->len);

  self->origin_mono_us = ORIGIN_UNSET;
  ensure_origin (self, NULL);
  gtk_sort_list_model_set_model (self->sort_model, G_LIST_MODEL (self->imported));

  safe_name = sanitize (name != NULL ? name : "");
  /* Translators: %s is a file name. */
  text = g_strdup_printf (_("Viewing imported file %s"), safe_name);
  gtk_label_set_text (self->import_label, text);
  gtk_widget_set_visible (self->import_banner, TRUE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "traffic.clear", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "traffic.pause", FALSE);

  refresh_time_column (self);
  queue_status_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_IMPORTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODEL]);
}

void
isthmus_traffic_list_show_live (IsthmusTrafficList *self)
{
  g_return_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self));

  if (self->imported == NULL)
    return;

  g_clear_object (&self->imported);
  gtk_sort_list_model_set_model (self->sort_model, self->recorder != NULL ? G_LIST_MODEL (self->recorder) : NULL);
  gtk_widget_set_visible (self->import_banner, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "traffic.clear", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "traffic.pause", TRUE);

  self->origin_mono_us = ORIGIN_UNSET;
  ensure_origin (self, NULL);
  self->follow = TRUE;
  queue_scroll_to_end (self);
  refresh_time_column (self);
  queue_status_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_IMPORTED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODEL]);
}

gboolean
isthmus_traffic_list_get_imported (IsthmusTrafficList *self)
{
  g_return_val_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self), FALSE);

  return self->imported != NULL;
}

/* Export. */

static void
export_progress_cb (guint    done,
                    guint    total,
                    gpointer user_data)
{
  GWeakRef *weak = user_data;
  g_autoptr(IsthmusTrafficList) self = g_weak_ref_get (weak);
  g_autofree char *text = NULL;

  if (self == NULL)
    return;

  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double)done / total : 0.0);
  /* Translators: records written of all records to write. */
  text = g_strdup_printf (_("%u of %u"), done, total);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  IsthmusTrafficList *self = g_task_get_source_object (task);
  GError *error = NULL;
  gssize written;

  written = isthmus_export_to_file_finish (result, &error);

  g_clear_object (&self->export_cancellable);
  gtk_widget_set_visible (self->progress_box, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "traffic.cancel-export", FALSE);

  if (written < 0)
    g_task_return_error (task, error);
  else
    g_task_return_int (task, written);
}

/**
 * isthmus_traffic_list_export_async:
 * @self: a #IsthmusTrafficList
 * @format: the file format
 * @flags: export flags
 * @file: the file to write
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Writes the records shown (the current filter applies) to @file, with a
 * progress bar and a cancel button in the status line.
 */
void
isthmus_traffic_list_export_async (IsthmusTrafficList  *self,
                                   IsthmusExportFormat  format,
                                   IsthmusExportFlags   flags,
                                   GFile               *file,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GListStore) empty = NULL;
  GListModel *model;
  GWeakRef *weak;

  g_return_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, isthmus_traffic_list_export_async);

  if (self->export_cancellable != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "%s", _("An export is already running"));
      return;
    }

  model = isthmus_traffic_list_get_model (self);
  if (model == NULL)
    model = G_LIST_MODEL (empty = g_list_store_new (ISTHMUS_TYPE_EXCHANGE));

  self->export_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    g_signal_connect_object (cancellable, "cancelled", G_CALLBACK (g_cancellable_cancel),
                             self->export_cancellable, G_CONNECT_SWAPPED);

  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Exporting…"));
  gtk_widget_set_visible (self->progress_box, TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "traffic.cancel-export", TRUE);

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);

  isthmus_export_to_file_async (format, model, self->filter, flags, file,
                                export_progress_cb, weak, weak_ref_free,
                                self->export_cancellable,
                                export_done_cb, g_steal_pointer (&task));
}

/**
 * isthmus_traffic_list_export_finish:
 * @self: a #IsthmusTrafficList
 * @result: the result
 * @error: return location for an error
 *
 * Returns: the number of records written, or -1 with @error set
 */
gssize
isthmus_traffic_list_export_finish (IsthmusTrafficList  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (ISTHMUS_IS_TRAFFIC_LIST (self), -1);
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return g_task_propagate_int (G_TASK (result), error);
}

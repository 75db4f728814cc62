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

struct _IsthmusTrafficList
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkColumnView       *column_view;
  GtkLabel            *dropped_label;
  GtkFilterListModel  *filter_model;
  GtkLabel            *records_label;
  GtkScrolledWindow   *scrolled_window;
  GtkSearchEntry      *search_entry;
  GtkSortListModel    *sort_model;
  GtkColumnViewColumn *time_column;
  GtkListItemFactory  *time_factory;

  /* Owned references */
  IsthmusRecorder     *recorder;
  GBinding            *paused_binding;

  /* Borrowed references */
  GtkAdjustment       *vadjustment;

  gint64               origin_mono_us;
  guint                status_idle_id;
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
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

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

static gboolean
deny_activate_link_cb (GtkLabel   *label,
                       const char *uri,
                       gpointer    user_data)
{
  /* Cells never hold links; refuse anything that claims to be one. */
  return TRUE;
}

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

  if (self->recorder != NULL)
    first = g_list_model_get_item (G_LIST_MODEL (self->recorder), 0);

  if (first != NULL)
    self->origin_mono_us = isthmus_exchange_get_mono_time_us (first);
  else if (fallback != NULL)
    self->origin_mono_us = isthmus_exchange_get_mono_time_us (fallback);
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

  label = gtk_label_new (NULL);
  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
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
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)), text);
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

  if (self->recorder != NULL)
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

  if (self->sort_model != NULL)
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

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "trafficlist");
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-traffic-list.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, column_view);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, dropped_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, filter_model);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, records_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, search_entry);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, sort_model);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, time_column);
  gtk_widget_class_bind_template_child (widget_class, IsthmusTrafficList, time_factory);
  gtk_widget_class_bind_template_callback (widget_class, deny_activate_link_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_command);
  gtk_widget_class_bind_template_callback (widget_class, format_duration);
  gtk_widget_class_bind_template_callback (widget_class, format_size);
  gtk_widget_class_bind_template_callback (widget_class, format_text);
  gtk_widget_class_bind_template_callback (widget_class, pause_icon_name);
  gtk_widget_class_bind_template_callback (widget_class, pause_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, status_css_classes);
  gtk_widget_class_bind_template_callback (widget_class, time_bind_cb);
  gtk_widget_class_bind_template_callback (widget_class, time_setup_cb);

  gtk_widget_class_install_action (widget_class, "traffic.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "traffic.search", NULL, search_action);
  gtk_widget_class_install_property_action (widget_class, "traffic.pause", "paused");

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

  gtk_column_view_sort_by_column (self->column_view, self->time_column, GTK_SORT_ASCENDING);

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

/* isthmus-web-window-events.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-web"

#include "config.h"

#include "isthmus-core-raw.h"
#include "isthmus-event-bus.h"
#include "isthmus-window-plugin.h"
#include "isthmus-web-window-events.h"

/* Tauri's built-in window events (contract §3.6) for the window a view
 * sits in, emitted through the core to target Window <label>, so that
 * getCurrentWindow ().onResized (), onFocusChanged () and
 * onScaleChanged () work: tauri://resize with the webview's size in
 * physical pixels, tauri://focus and tauri://blur with no payload, and
 * tauri://scale-change with {scaleFactor, size}. The view's size is
 * compared after each layout of its frame clock, so that a resized window,
 * a moved divider or a maximised window are all seen, at no cost while
 * nothing is drawn; the event leaves from a low-priority idle, so a burst
 * of frames, as while the user drags the border, sends the sizes the page
 * could see, not one per frame. */

#define WATCH_KEY "isthmus-window-events"

typedef struct
{
  /* Borrowed references (weak pointers) */
  WebKitWebView *view;
  IsthmusCore   *core;
  GtkWindow     *window;
  GdkFrameClock *clock;

  char          *label;
  gulong         active_handler;
  gulong         layout_handler;
  guint          check_id;
  int            width;
  int            height;
  int            scale;
  int            active;   /* -1 before the first look */
  gboolean       baseline;
} Watch;

static void
emit (Watch      *watch,
      const char *event,
      JsonNode   *payload)
{
  IsthmusEventTarget target = { ISTHMUS_EVENT_TARGET_WINDOW, watch->label };
  g_autoptr(GError) error = NULL;

  /* Sent, and recorded, only when the page listens: a window that is
   * merely shown or resized adds nothing to the traffic of a page that
   * does not ask. */
  if (watch->core == NULL ||
      !isthmus_event_bus_has_listener (isthmus_core_get_event_bus (watch->core), &target, event))
    return;
  if (!isthmus_core_emit (watch->core, &target, event, payload, &error))
    g_debug ("Could not emit %s: %s", event, error->message);
}

static gboolean
check_size_cb (gpointer user_data)
{
  Watch *watch = user_data;
  GtkWidget *widget;
  int scale, width, height;

  watch->check_id = 0;
  if (watch->view == NULL)
    return G_SOURCE_REMOVE;

  widget = GTK_WIDGET (watch->view);
  scale = gtk_widget_get_scale_factor (widget);
  width = gtk_widget_get_width (widget) * scale;
  height = gtk_widget_get_height (widget) * scale;

  /* Not laid out yet: look again once it is. */
  if (width <= 0 || height <= 0)
    return G_SOURCE_REMOVE;

  if (watch->baseline)
    {
      watch->baseline = FALSE;
      watch->width = width;
      watch->height = height;
      watch->scale = scale;
      return G_SOURCE_REMOVE;
    }

  if (scale != watch->scale)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) payload = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "scaleFactor");
      json_builder_add_double_value (builder, scale);
      json_builder_set_member_name (builder, "size");
      json_builder_add_value (builder, isthmus_window_size_node (width, height));
      json_builder_end_object (builder);
      payload = json_builder_get_root (builder);
      emit (watch, "tauri://scale-change", payload);
    }

  if (width != watch->width || height != watch->height)
    {
      g_autoptr(JsonNode) payload = isthmus_window_size_node (width, height);

      emit (watch, "tauri://resize", payload);
    }

  watch->width = width;
  watch->height = height;
  watch->scale = scale;

  return G_SOURCE_REMOVE;
}

static void
queue_check (Watch *watch)
{
  if (watch->check_id == 0)
    watch->check_id = g_idle_add_full (G_PRIORITY_LOW, check_size_cb, watch, NULL);
}

static void
scale_changed_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  queue_check (user_data);
}

/* After each layout: only a size that differs from the last one sent
 * costs an idle. */
static void
layout_cb (GdkFrameClock *clock,
           gpointer       user_data)
{
  Watch *watch = user_data;
  GtkWidget *widget;
  int scale;

  if (watch->view == NULL)
    return;

  widget = GTK_WIDGET (watch->view);
  scale = gtk_widget_get_scale_factor (widget);
  if (watch->baseline ||
      gtk_widget_get_width (widget) * scale != watch->width ||
      gtk_widget_get_height (widget) * scale != watch->height)
    queue_check (watch);
}

static void
unwatch_clock (Watch *watch)
{
  if (watch->clock != NULL)
    g_clear_signal_handler (&watch->layout_handler, watch->clock);
  watch->layout_handler = 0;
  g_clear_weak_pointer (&watch->clock);
}

static void
realize_cb (GtkWidget *widget,
            gpointer   user_data)
{
  Watch *watch = user_data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);

  unwatch_clock (watch);
  if (clock == NULL)
    return;
  g_set_weak_pointer (&watch->clock, clock);
  watch->layout_handler = g_signal_connect_after (clock, "layout", G_CALLBACK (layout_cb), watch);
}

static void
unrealize_cb (GtkWidget *widget,
              gpointer   user_data)
{
  unwatch_clock (user_data);
}

static void
active_changed_cb (GtkWindow  *window,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  Watch *watch = user_data;
  int active = gtk_window_is_active (window) ? 1 : 0;

  if (active == watch->active)
    return;
  watch->active = active;
  emit (watch, active ? "tauri://focus" : "tauri://blur", NULL);
}

static void
unwatch_window (Watch *watch)
{
  if (watch->window != NULL)
    g_clear_signal_handler (&watch->active_handler, watch->window);
  watch->active_handler = 0;
  g_clear_weak_pointer (&watch->window);
}

static void
root_changed_cb (WebKitWebView *view,
                 GParamSpec    *pspec,
                 gpointer       user_data)
{
  Watch *watch = user_data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (view));

  if (root == GTK_ROOT (watch->window))
    return;

  unwatch_window (watch);
  if (!GTK_IS_WINDOW (root))
    return;

  g_set_weak_pointer (&watch->window, GTK_WINDOW (root));
  watch->active_handler = g_signal_connect (root, "notify::is-active", G_CALLBACK (active_changed_cb), watch);
  watch->active = gtk_window_is_active (GTK_WINDOW (root)) ? 1 : 0;
}

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_clear_handle_id (&watch->check_id, g_source_remove);
  unwatch_clock (watch);
  unwatch_window (watch);
  g_clear_weak_pointer (&watch->view);
  g_clear_weak_pointer (&watch->core);
  g_free (watch->label);
  g_free (watch);
}

/**
 * _isthmus_web_window_events_attach:
 * @view: a view of the web host
 * @core: its core
 * @label: its label, which is also its window's label
 *
 * Emits Tauri's built-in window events for the window @view sits in, now
 * and whenever it moves to another one, for as long as @view lives.
 */
void
_isthmus_web_window_events_attach (WebKitWebView *view,
                                   IsthmusCore   *core,
                                   const char    *label)
{
  Watch *watch;

  g_return_if_fail (WEBKIT_IS_WEB_VIEW (view));
  g_return_if_fail (label != NULL);

  watch = g_new0 (Watch, 1);
  g_set_weak_pointer (&watch->view, view);
  g_set_weak_pointer (&watch->core, core);
  watch->label = g_strdup (label);
  watch->active = -1;
  /* The size the page starts with is no change. */
  watch->baseline = TRUE;

  g_object_set_data_full (G_OBJECT (view), WATCH_KEY, watch, watch_free);
  g_signal_connect (view, "notify::root", G_CALLBACK (root_changed_cb), watch);
  g_signal_connect (view, "notify::scale-factor", G_CALLBACK (scale_changed_cb), watch);
  g_signal_connect (view, "realize", G_CALLBACK (realize_cb), watch);
  g_signal_connect (view, "unrealize", G_CALLBACK (unrealize_cb), watch);
  root_changed_cb (view, NULL, watch);
  if (gtk_widget_get_realized (GTK_WIDGET (view)))
    realize_cb (GTK_WIDGET (view), watch);
}

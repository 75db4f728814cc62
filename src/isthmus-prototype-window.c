/* isthmus-prototype-window.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-prototype-window"

#include "config.h"

#include <glib/gi18n.h>

#include "isthmus-prototype-window.h"

struct _IsthmusPrototypeWindow
{
  AdwApplicationWindow    parent_instance;

  /* Owned references */
  IsthmusCore            *core;
  IsthmusWebHost         *host;
  IsthmusComposerHistory *history;

  /* Pages (owned by the stack) */
  IsthmusHookEditor      *hook_editor;
  IsthmusReplayView      *replay_view;
  IsthmusMocksEditor     *mocks_editor;
  IsthmusComposerView    *composer_view;
  IsthmusBreakpointsView *breakpoints_view;

  /* Template widgets */
  AdwViewSwitcherTitle   *switcher_title;
  AdwViewStack           *view_stack;
};

G_DEFINE_FINAL_TYPE (IsthmusPrototypeWindow, isthmus_prototype_window, ADW_TYPE_APPLICATION_WINDOW)

/* The window labels to send from: the live views first, then the
 * config's windows. */
static GStrv
collect_windows (IsthmusPrototypeWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) views = NULL;
  GPtrArray *windows;

  if (self->host == NULL)
    return NULL;

  views = isthmus_web_host_list_views (self->host);
  for (guint i = 0; views != NULL && i < views->len; i++)
    {
      const char *label = isthmus_web_host_get_view_label (self->host, g_ptr_array_index (views, i));

      if (label != NULL && g_hash_table_add (seen, (gpointer)label))
        g_strv_builder_add (builder, label);
    }

  windows = isthmus_config_get_windows (isthmus_web_host_get_config (self->host));
  for (guint i = 0; windows != NULL && i < windows->len; i++)
    {
      const IsthmusWindowConfig *window_config = g_ptr_array_index (windows, i);

      if (window_config->label != NULL && g_hash_table_add (seen, window_config->label))
        g_strv_builder_add (builder, window_config->label);
    }

  return g_strv_builder_end (builder);
}

static void
refresh_composer (IsthmusPrototypeWindow *self)
{
  g_auto(GStrv) windows = collect_windows (self);

  isthmus_composer_view_set_windows (self->composer_view, (const char * const *)windows);
  isthmus_composer_view_refresh_commands (self->composer_view);
}

static void
page_changed_cb (IsthmusPrototypeWindow *self)
{
  if (self->composer_view != NULL &&
      adw_view_stack_get_visible_child (self->view_stack) == GTK_WIDGET (self->composer_view))
    refresh_composer (self);
}

static void
app_dir_changed_cb (IsthmusPrototypeWindow *self)
{
  isthmus_replay_view_set_app_dir (self->replay_view, isthmus_hook_editor_get_app_dir (self->hook_editor));
}

static void
add_page (IsthmusPrototypeWindow *self,
          GtkWidget              *page,
          const char             *name,
          const char             *title,
          const char             *icon_name)
{
  AdwViewStackPage *stack_page;

  stack_page = adw_view_stack_add_titled (self->view_stack, page, name, title);
  adw_view_stack_page_set_icon_name (stack_page, icon_name);
  adw_view_stack_page_set_use_underline (stack_page, TRUE);
}

static void
isthmus_prototype_window_dispose (GObject *object)
{
  IsthmusPrototypeWindow *self = (IsthmusPrototypeWindow *)object;

  self->hook_editor = NULL;
  self->replay_view = NULL;
  self->mocks_editor = NULL;
  self->composer_view = NULL;
  self->breakpoints_view = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (self), ISTHMUS_TYPE_PROTOTYPE_WINDOW);

  G_OBJECT_CLASS (isthmus_prototype_window_parent_class)->dispose (object);
}

static void
isthmus_prototype_window_finalize (GObject *object)
{
  IsthmusPrototypeWindow *self = (IsthmusPrototypeWindow *)object;

  g_clear_object (&self->core);
  g_clear_object (&self->host);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (isthmus_prototype_window_parent_class)->finalize (object);
}

static void
isthmus_prototype_window_class_init (IsthmusPrototypeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isthmus_prototype_window_dispose;
  object_class->finalize = isthmus_prototype_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-prototype-window.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusPrototypeWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, IsthmusPrototypeWindow, view_stack);
  gtk_widget_class_bind_template_callback (widget_class, page_changed_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close", NULL);
}

static void
isthmus_prototype_window_init (IsthmusPrototypeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

IsthmusPrototypeWindow *
isthmus_prototype_window_new (GtkApplication *application,
                              IsthmusCore    *core,
                              IsthmusWebHost *host,
                              IsthmusMocks   *mocks,
                              const char     *isolation_dir)
{
  IsthmusPrototypeWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (ISTHMUS_IS_CORE (core), NULL);
  g_return_val_if_fail (host == NULL || ISTHMUS_IS_WEB_HOST (host), NULL);
  g_return_val_if_fail (mocks == NULL || ISTHMUS_IS_MOCKS (mocks), NULL);

  self = g_object_new (ISTHMUS_TYPE_PROTOTYPE_WINDOW,
                       "application", application,
                       NULL);
  self->core = g_object_ref (core);
  g_set_object (&self->host, host);
  self->history = isthmus_composer_history_new (NULL);

  self->hook_editor = ISTHMUS_HOOK_EDITOR (isthmus_hook_editor_new ());
  self->replay_view = ISTHMUS_REPLAY_VIEW (isthmus_replay_view_new (core));
  self->mocks_editor = ISTHMUS_MOCKS_EDITOR (isthmus_mocks_editor_new (mocks));
  self->composer_view = ISTHMUS_COMPOSER_VIEW (isthmus_composer_view_new (core, self->history));
  self->breakpoints_view = ISTHMUS_BREAKPOINTS_VIEW (isthmus_breakpoints_view_new (core));

  /* Translators: the page titles of the prototype window; keep them short */
  add_page (self, GTK_WIDGET (self->hook_editor), "hook", _("_Hook"), "security-high-symbolic");
  add_page (self, GTK_WIDGET (self->replay_view), "replay", _("_Dry Run"), "media-playlist-repeat-symbolic");
  add_page (self, GTK_WIDGET (self->mocks_editor), "mocks", _("_Mocks"), "document-edit-symbolic");
  add_page (self, GTK_WIDGET (self->composer_view), "composer", _("_Composer"), "mail-send-symbolic");
  add_page (self, GTK_WIDGET (self->breakpoints_view), "breakpoints", _("_Breakpoints"), "media-playback-pause-symbolic");

  g_signal_connect_object (self->hook_editor, "notify::app-dir",
                           G_CALLBACK (app_dir_changed_cb), self, G_CONNECT_SWAPPED);
  isthmus_hook_editor_set_app_dir (self->hook_editor, isolation_dir);
  isthmus_replay_view_set_app_dir (self->replay_view, isolation_dir);

  /* Through the hook needs a running isolation frame to send through. */
  isthmus_composer_view_set_isolation (self->composer_view, isolation_dir != NULL && host != NULL);
  refresh_composer (self);

  return self;
}

IsthmusHookEditor *
isthmus_prototype_window_get_hook_editor (IsthmusPrototypeWindow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PROTOTYPE_WINDOW (self), NULL);

  return self->hook_editor;
}

IsthmusReplayView *
isthmus_prototype_window_get_replay_view (IsthmusPrototypeWindow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PROTOTYPE_WINDOW (self), NULL);

  return self->replay_view;
}

IsthmusMocksEditor *
isthmus_prototype_window_get_mocks_editor (IsthmusPrototypeWindow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PROTOTYPE_WINDOW (self), NULL);

  return self->mocks_editor;
}

IsthmusComposerView *
isthmus_prototype_window_get_composer_view (IsthmusPrototypeWindow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PROTOTYPE_WINDOW (self), NULL);

  return self->composer_view;
}

IsthmusBreakpointsView *
isthmus_prototype_window_get_breakpoints_view (IsthmusPrototypeWindow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PROTOTYPE_WINDOW (self), NULL);

  return self->breakpoints_view;
}

void
isthmus_prototype_window_show_page (IsthmusPrototypeWindow *self,
                                    const char             *name)
{
  g_return_if_fail (ISTHMUS_IS_PROTOTYPE_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

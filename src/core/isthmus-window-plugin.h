/* isthmus-window-plugin.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-config.h"
#include "isthmus-registry.h"

G_BEGIN_DECLS

typedef enum
{
  ISTHMUS_WINDOW_SHOW,
  ISTHMUS_WINDOW_HIDE,
  ISTHMUS_WINDOW_CLOSE,
  ISTHMUS_WINDOW_DESTROY,
  ISTHMUS_WINDOW_FOCUS,
} IsthmusWindowAction;

typedef enum
{
  ISTHMUS_WINDOW_VISIBLE,
  ISTHMUS_WINDOW_FOCUSED,
} IsthmusWindowFlag;

/**
 * IsthmusWindowBackend:
 * @list: the labels of the open windows, in creation order (transfer full)
 * @exists: whether a window @label is open
 * @get_title: its title (transfer full)
 * @set_title: sets its title
 * @get_size: its inner (the webview) or outer size in physical pixels
 * @set_size: sets its size, in physical or logical pixels
 * @get_scale_factor: its scale factor
 * @get_flag: whether it is visible or focused
 * @act: shows, hides, closes, destroys or focuses it
 *
 * What the window plugin needs from the windowing layer, which implements
 * it on real windows (the core itself knows no toolkit). Labels are also
 * webview labels: each window holds one webview of the same label. Called
 * on the main thread.
 */
typedef struct
{
  char     **(*list)             (gpointer             user_data);
  gboolean   (*exists)           (const char          *label,
                                  gpointer             user_data);
  char      *(*get_title)        (const char          *label,
                                  gpointer             user_data);
  void       (*set_title)        (const char          *label,
                                  const char          *title,
                                  gpointer             user_data);
  void       (*get_size)         (const char          *label,
                                  gboolean             outer,
                                  int                 *width,
                                  int                 *height,
                                  gpointer             user_data);
  void       (*set_size)         (const char          *label,
                                  double               width,
                                  double               height,
                                  gboolean             physical,
                                  gpointer             user_data);
  double     (*get_scale_factor) (const char          *label,
                                  gpointer             user_data);
  gboolean   (*get_flag)         (const char          *label,
                                  IsthmusWindowFlag    flag,
                                  gpointer             user_data);
  void       (*act)              (const char          *label,
                                  IsthmusWindowAction  action,
                                  gpointer             user_data);
} IsthmusWindowBackend;

/* Registers the subset of plugin:window|…, plugin:webview|… and
 * plugin:app|… that getCurrentWindow(), getCurrentWebview() and
 * @tauri-apps/api/app use, on @backend (copied) and @config (app name,
 * version, identifier). Every other command of those plugins answers
 * NOT_SUPPORTED at once. FALSE if they are registered already (then
 * @destroy is called on @user_data). */
gboolean isthmus_window_plugin_register (IsthmusRegistry            *registry,
                                         IsthmusConfig              *config,
                                         const IsthmusWindowBackend *backend,
                                         gpointer                    user_data,
                                         GDestroyNotify              destroy);

JsonNode *isthmus_window_size_node       (int                         width,
                                         int                         height);

/* The version of Tauri whose IPC Isthmus answers, for plugin:app|tauri_version. */
#define ISTHMUS_TAURI_VERSION "2.10.3"

G_END_DECLS

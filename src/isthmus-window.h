/* isthmus-window.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "isthmus-web-host.h"

G_BEGIN_DECLS

#define ISTHMUS_TYPE_WINDOW (isthmus_window_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusWindow, isthmus_window, ISTHMUS, WINDOW, AdwApplicationWindow)

/* One window of the frontend: the web view for the config window @label
 * beside the traffic list of the host's core. Its size, maximized state
 * and divider position are kept in @settings (dev.isthmus.Isthmus). */
IsthmusWindow  *isthmus_window_new          (GtkApplication *application,
                                             IsthmusWebHost *host,
                                             const char     *label,
                                             GSettings      *settings);
const char     *isthmus_window_get_label    (IsthmusWindow  *self);
WebKitWebView  *isthmus_window_get_web_view (IsthmusWindow  *self);
void            isthmus_window_add_toast    (IsthmusWindow  *self,
                                             const char     *text);

G_END_DECLS

/* isthmus-web-events.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-web-host.h"

G_BEGIN_DECLS

/* Wires a new view of @host into the core: event and channel delivery into
 * its page (renewed at every page load, dropped when the view goes), the
 * raw transport (the isthmus-ipc scheme and the bridge's raw script in
 * @world_name of @ucm) and the window plugin, whose windows are the views'
 * toplevels. Call before the view loads anything. */
void _isthmus_web_events_attach_view (IsthmusWebHost           *host,
                                      WebKitWebView            *view,
                                      const char               *label,
                                      WebKitUserContentManager *ucm,
                                      const char               *world_name);

G_END_DECLS

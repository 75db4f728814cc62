/* isthmus-web-window-events.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

#include "isthmus-core.h"

G_BEGIN_DECLS

void _isthmus_web_window_events_attach (WebKitWebView *view,
                                        IsthmusCore   *core,
                                        const char    *label);

G_END_DECLS

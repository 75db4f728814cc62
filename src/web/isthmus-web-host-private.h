/* isthmus-web-host-private.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-web-host.h"

G_BEGIN_DECLS

/* The name of the isolated script world holding the bridge and the
 * "isthmusIpc" handler of @view, or NULL. For tests and benchmarks that
 * must talk to the handler directly. */
const char *_isthmus_web_host_get_world_name (IsthmusWebHost *self,
                                              WebKitWebView  *view);

/* How many batches of invokes, and waits for their late replies, the
 * bridge of @view sent (isthmus-web-batch.h). For tests. */
gboolean    _isthmus_web_host_get_batch_counts (IsthmusWebHost *self,
                                                WebKitWebView  *view,
                                                guint64        *n_batches,
                                                guint64        *n_waits);

/* Escapes JSON text for a JavaScript source context: "<" and the line
 * separators U+2028/U+2029 become \u escapes. (transfer full) */
char       *_isthmus_web_host_escape_json    (const char     *json);

G_END_DECLS

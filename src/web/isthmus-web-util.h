/* isthmus-web-util.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

G_BEGIN_DECLS

/* @n_bytes of GnuTLS randomness as lower-case hex (transfer full). For
 * tokens, script world names and nonces. */
char     *_isthmus_web_random_hex         (gsize                   n_bytes);
/* Finishes @request with @status and a short plain-text body that names
 * only the status, never a path. */
void      _isthmus_web_finish_with_status (WebKitURISchemeRequest *request,
                                           guint                   status);
/* Compares two secrets in time independent of where they differ. */
gboolean  _isthmus_web_secret_equal       (const char             *a,
                                           const char             *b);

G_END_DECLS

/* isthmus-web-isolation.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

#include "isthmus-config.h"
#include "isthmus-core.h"

G_BEGIN_DECLS

/**
 * IsthmusWebIsolation:
 *
 * The WebKit side of the isolation pattern, one per web context:
 *
 *  - the `isolation` URI scheme, which serves `isolation://localhost/<token>/`
 *    once per token: the isolation app's index.html (from the configured
 *    directory, else the bundled passthrough app) with the runtime and the
 *    page load's key injected as the first child of <head>, its
 *    `<script src>` inlined, and a CSP that lets only those scripts run
 *    (`default-src 'none'`); the scheme is secure and not CORS-enabled;
 *  - per view, a new epoch and key in the core on every committed load and
 *    web-process termination;
 *  - the bridge's isolation script (isthmus-bridge-isolation.js) in the
 *    bridge's world, which asks for a token ("H"), creates the sandboxed
 *    iframe, hands it a MessagePort and carries each request through it;
 *  - the frame's console lines ("C<level> <text>"), recorded by the core.
 */
typedef struct _IsthmusWebIsolation IsthmusWebIsolation;

/* TRUE if @config asks for the isolation pattern (the pattern, or an
 * isolation directory set from the command line). */
gboolean             isthmus_web_isolation_wanted        (IsthmusConfig        *config);
/* Turns isolation on in @core and registers the scheme on @context (which
 * keeps the object; see isthmus_web_isolation_from_context()). */
IsthmusWebIsolation *isthmus_web_isolation_install       (WebKitWebContext     *context,
                                                          IsthmusCore          *core,
                                                          IsthmusConfig        *config,
                                                          GError              **error);
/* (nullable) The object installed on @context. */
IsthmusWebIsolation *isthmus_web_isolation_from_context  (WebKitWebContext     *context);
/* Adds the bridge's isolation script to @ucm in @world_name, with the same
 * config JSON as the bridge, and follows @view's loads for its epochs. */
void                 isthmus_web_isolation_attach_view   (IsthmusWebIsolation  *self,
                                                          WebKitWebView        *view,
                                                          const char           *label,
                                                          WebKitUserContentManager *ucm,
                                                          const char           *world_name,
                                                          const char           *config_json);
/* Answers the bridge's isolation messages ("H", "C…"); FALSE for anything
 * else, which goes to the core. */
gboolean             isthmus_web_isolation_handle_message (IsthmusWebIsolation *self,
                                                           const char          *label,
                                                           GBytes              *message,
                                                           JSCValue            *value,
                                                           WebKitScriptMessageReply *reply);
/* Asks @view's bridge to replace its isolation frame by a new one that
 * loads the isolation app as it is now, under a new epoch and key, without
 * reloading the page: the core issues the new token ("H+") only while this
 * call is pending. Calls handed to the old frame finish there; it goes
 * once they are answered. If the new frame fails, the old one keeps
 * serving and the call fails. */
void                 isthmus_web_isolation_replace_frame  (IsthmusWebIsolation *self,
                                                           WebKitWebView       *view,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
/* @epoch: the new epoch, or 0 if the page had no frame yet. */
gboolean             isthmus_web_isolation_replace_frame_finish (GAsyncResult  *result,
                                                                 guint64       *epoch,
                                                                 GError       **error);
/* @csp with the isolation scheme allowed as a frame source. (transfer full) */
char                *isthmus_web_isolation_patch_csp     (const char           *csp);

/* For tests: requests for the isolation document of @token so far, and how
 * many of them were served (0 or 1). @token is the last path segment of the
 * iframe's src. */
guint                isthmus_web_isolation_get_n_requests (IsthmusWebIsolation *self,
                                                           const char          *token);
guint                isthmus_web_isolation_get_n_served   (IsthmusWebIsolation *self,
                                                           const char          *token);
/* The number of tokens issued so far. */
guint                isthmus_web_isolation_get_n_tokens   (IsthmusWebIsolation *self);

G_END_DECLS

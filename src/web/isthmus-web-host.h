/* isthmus-web-host.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

#include "isthmus-composer.h"
#include "isthmus-config.h"
#include "isthmus-core.h"

G_BEGIN_DECLS

#define ISTHMUS_TYPE_WEB_HOST (isthmus_web_host_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusWebHost, isthmus_web_host, ISTHMUS, WEB_HOST, GObject)

/* The WebKit side of one running frontend: one WebKitWebContext (never the
 * default one), the tauri:// scheme serving the frontend through
 * IsthmusAssets (openat2), and, per view, a user content manager holding
 * the page script (main world, top frame, document start), the bridge script
 * (an isolated script world with a random name, top frame) and the one
 * script message handler registered with reply in that world. Every
 * message the handler gets goes to isthmus_core_handle_message() with the
 * view's label. Must be created before any view loads. Fails when the
 * frontend directory cannot be opened. */
IsthmusWebHost *isthmus_web_host_new          (IsthmusCore         *core,
                                               IsthmusConfig       *config,
                                               GError             **error);
IsthmusCore    *isthmus_web_host_get_core     (IsthmusWebHost      *self);
IsthmusConfig  *isthmus_web_host_get_config   (IsthmusWebHost      *self);
WebKitWebContext *isthmus_web_host_get_context (IsthmusWebHost     *self);
/* Creates a view for the window @label of the config (it must be one of
 * app.windows) and starts loading its URL: "tauri://localhost/<url>" for
 * a directory or resource frontend, the URL itself for a dev server.
 * (transfer floating) */
WebKitWebView  *isthmus_web_host_create_view  (IsthmusWebHost      *self,
                                               const char          *label);
/* The label a view was created for, or NULL. */
const char     *isthmus_web_host_get_view_label (IsthmusWebHost    *self,
                                                 WebKitWebView     *view);

/* The live views, in creation order (transfer container). */
GPtrArray      *isthmus_web_host_list_views   (IsthmusWebHost      *self);
/* (nullable) (transfer none) The newest live view of window @label. */
WebKitWebView  *isthmus_web_host_lookup_view  (IsthmusWebHost      *self,
                                               const char          *label);
/* Invokes @cmd as if the page of @label sent it (see
 * isthmus_composer_invoke_async()). With @through_hook (isolation only),
 * the bridge sends it through the view's isolation frame, so the hook and
 * the envelope apply; otherwise the core runs it directly. */
void            isthmus_web_host_compose      (IsthmusWebHost      *self,
                                               const char          *label,
                                               const char          *cmd,
                                               const char          *args_json_text,
                                               gboolean             through_hook,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
IsthmusComposerReply *isthmus_web_host_compose_finish (IsthmusWebHost *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS

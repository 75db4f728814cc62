/* isthmus-web-reload.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-web-host.h"

G_BEGIN_DECLS

#define ISTHMUS_WEB_RELOAD_DEBOUNCE_MS 200

#define ISTHMUS_TYPE_WEB_RELOAD (isthmus_web_reload_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusWebReload, isthmus_web_reload, ISTHMUS, WEB_RELOAD, GObject)

/* Live reload of a served frontend folder: every directory below it is
 * watched (node_modules and dot entries are ignored); changes are
 * gathered for ISTHMUS_WEB_RELOAD_DEBOUNCE_MS, then a lifecycle record
 * "reload" marks the divider in the traffic list and every view of @host
 * reloads (a new page: a new isolation epoch and key). A dev-server
 * frontend reloads itself: nothing is watched. With an isolation app
 * folder, its changes are checked first: a syntax error in one of its
 * scripts is recorded (with its file and line) and nothing changes, the
 * old hook keeps running; else, when only the isolation app changed, each
 * view's isolation frame is replaced (a new epoch and key) without
 * reloading its page (isthmus_web_isolation_replace_frame()), and a
 * lifecycle record "reload" of the view says "isolation hook reloaded
 * (epoch N)". Signal "reloaded" (string: the first changed path) on page
 * reloads. */
IsthmusWebReload *isthmus_web_reload_new          (IsthmusWebHost    *host,
                                                   GError           **error);
/* Whether a folder is watched (FALSE for a dev-server URL). */
gboolean          isthmus_web_reload_is_watching  (IsthmusWebReload  *self);
guint             isthmus_web_reload_get_n_reloads (IsthmusWebReload *self);
/* Reloads now, as if a file had changed. */
void              isthmus_web_reload_reload_now   (IsthmusWebReload  *self,
                                                   const char        *why);

G_END_DECLS

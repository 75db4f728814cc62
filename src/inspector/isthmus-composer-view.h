/* isthmus-composer-view.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "isthmus-composer.h"

G_BEGIN_DECLS

#define ISTHMUS_TYPE_COMPOSER_VIEW (isthmus_composer_view_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusComposerView, isthmus_composer_view, ISTHMUS, COMPOSER_VIEW, GtkWidget)

/* The composer page: invoke a command as a window would (directly or
 * through the isolation hook), emit an event, and reuse the history. The
 * reply and every other untrusted text is shown as plain text. Signal
 * "reply" (no arguments) after each answered or failed invoke. */
GtkWidget  *isthmus_composer_view_new            (IsthmusCore            *core,
                                                  IsthmusComposerHistory *history);
/* The window labels to send from (the first is the default). */
void        isthmus_composer_view_set_windows    (IsthmusComposerView    *self,
                                                  const char * const     *labels);
/* Whether isolation is on: the "through the hook" switch needs it. */
void        isthmus_composer_view_set_isolation  (IsthmusComposerView    *self,
                                                  gboolean                isolation);
/* Reloads the known commands from the core's registry. */
void        isthmus_composer_view_refresh_commands (IsthmusComposerView  *self);
void        isthmus_composer_view_set_command    (IsthmusComposerView    *self,
                                                  const char             *command);
void        isthmus_composer_view_set_args       (IsthmusComposerView    *self,
                                                  const char             *args_json);
/* Does what the Invoke button does. */
void        isthmus_composer_view_invoke         (IsthmusComposerView    *self);
/* The reply as shown (plain text), or "" before the first one. */
const char *isthmus_composer_view_get_reply_text (IsthmusComposerView    *self);
/* The args error as shown, or "". */
const char *isthmus_composer_view_get_args_error (IsthmusComposerView    *self);

G_END_DECLS

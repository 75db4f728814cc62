/* isthmus-breakpoints-view.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "isthmus-breakpoints.h"

G_BEGIN_DECLS

#define ISTHMUS_TYPE_BREAKPOINTS_VIEW (isthmus_breakpoints_view_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusBreakpointsView, isthmus_breakpoints_view, ISTHMUS, BREAKPOINTS_VIEW, GtkWidget)

/* The breakpoints page of @core: add "pause when <filter>" at a gate,
 * enable or remove breakpoints, and resolve the paused calls (Continue
 * with the args or reply edited, Drop, Answer with a value or an error). */
GtkWidget *isthmus_breakpoints_view_new          (IsthmusCore            *core);
/* Does what the Add button does with these values; returns the new
 * breakpoint's id, or 0 (the error is shown under the entry). */
guint      isthmus_breakpoints_view_add          (IsthmusBreakpointsView *self,
                                                  IsthmusBreakpointGate   gate,
                                                  const char             *filter_text);
/* The number of rows in the list of paused calls. */
guint      isthmus_breakpoints_view_get_n_paused (IsthmusBreakpointsView *self);
/* Presses Continue on the paused call at @position, with its JSON text as
 * it stands in the row. Returns FALSE if the call could not go on (the
 * reason is shown in the row). */
gboolean   isthmus_breakpoints_view_continue     (IsthmusBreakpointsView *self,
                                                  guint                   position);

G_END_DECLS

/* isthmus-traffic-list.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "isthmus-recorder.h"

G_BEGIN_DECLS

/* The longest text, in characters, a traffic list cell shows before it is
 * cut and ends in "…". */
#define ISTHMUS_TRAFFIC_LIST_MAX_CHARS 256

#define ISTHMUS_TYPE_TRAFFIC_LIST (isthmus_traffic_list_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusTrafficList, isthmus_traffic_list, ISTHMUS, TRAFFIC_LIST, GtkWidget)

/* The live traffic table over an IsthmusRecorder. Properties: "recorder"
 * (IsthmusRecorder), "relative-time" (gboolean: times relative to the first
 * record instead of wall-clock times), "paused" (gboolean, kept in sync
 * with the recorder's). Actions: "traffic.clear", "traffic.pause" (the
 * "paused" property), "traffic.search". */
GtkWidget       *isthmus_traffic_list_new               (IsthmusRecorder    *recorder);
IsthmusRecorder *isthmus_traffic_list_get_recorder      (IsthmusTrafficList *self);
void             isthmus_traffic_list_set_recorder      (IsthmusTrafficList *self,
                                                         IsthmusRecorder    *recorder);
gboolean         isthmus_traffic_list_get_relative_time (IsthmusTrafficList *self);
void             isthmus_traffic_list_set_relative_time (IsthmusTrafficList *self,
                                                         gboolean            relative_time);
gboolean         isthmus_traffic_list_get_paused        (IsthmusTrafficList *self);
void             isthmus_traffic_list_set_paused        (IsthmusTrafficList *self,
                                                         gboolean            paused);
void             isthmus_traffic_list_clear             (IsthmusTrafficList *self);
void             isthmus_traffic_list_focus_search      (IsthmusTrafficList *self);

/* Turns untrusted bytes into text a label may show: invalid UTF-8 and NUL
 * bytes become U+FFFD, and text longer than @max_chars characters is cut
 * there and ends in "…". @length may be -1 for a NUL-terminated string.
 * Never returns NULL. Reads at most about 4 × @max_chars bytes. */
char            *isthmus_traffic_list_sanitize_text     (const char         *text,
                                                         gssize              length,
                                                         guint               max_chars);

G_END_DECLS

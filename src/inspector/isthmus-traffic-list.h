/* isthmus-traffic-list.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "isthmus-export.h"
#include "isthmus-filter.h"
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

/* (nullable) The parsed filter of the search entry, NULL when empty.
 * "notify::filter" tells when it changes. A text that does not parse
 * keeps the previous filter and shows the error under the entry. */
IsthmusFilter   *isthmus_traffic_list_get_filter        (IsthmusTrafficList *self);
/* The byte offset of the filter's parse error, or -1. */
int              isthmus_traffic_list_get_filter_error_offset (IsthmusTrafficList *self);
/* (nullable) The selected record ("notify::selected"). */
IsthmusExchange *isthmus_traffic_list_get_selected      (IsthmusTrafficList *self);
/* (nullable) The records shown before filtering: imported or live. */
GListModel      *isthmus_traffic_list_get_model         (IsthmusTrafficList *self);
void             isthmus_traffic_list_show_imported     (IsthmusTrafficList *self,
                                                         GPtrArray          *records,
                                                         const char         *name);
void             isthmus_traffic_list_show_live         (IsthmusTrafficList *self);
gboolean         isthmus_traffic_list_get_imported      (IsthmusTrafficList *self);
void             isthmus_traffic_list_export_async      (IsthmusTrafficList  *self,
                                                         IsthmusExportFormat  format,
                                                         IsthmusExportFlags   flags,
                                                         GFile               *file,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
gssize           isthmus_traffic_list_export_finish     (IsthmusTrafficList  *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
/* The CSS class of a verdict word ("passed", "denied", …): "verdict-ok",
 * "verdict-modified", "verdict-unchecked" or "verdict-refused". */
const char      *isthmus_traffic_list_verdict_class     (const char         *verdict);

/* Turns untrusted bytes into text a label may show: invalid UTF-8 and NUL
 * bytes become U+FFFD, and text longer than @max_chars characters is cut
 * there and ends in "…". @length may be -1 for a NUL-terminated string.
 * Never returns NULL. Reads at most about 4 × @max_chars bytes. */
char            *isthmus_traffic_list_sanitize_text     (const char         *text,
                                                         gssize              length,
                                                         guint               max_chars);

G_END_DECLS

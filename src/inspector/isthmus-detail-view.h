/* isthmus-detail-view.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "isthmus-exchange.h"

G_BEGIN_DECLS

/* Payloads longer than this many bytes are parsed in a worker thread. */
#define ISTHMUS_DETAIL_VIEW_THREAD_BYTES (256 * 1024)
/* The most children a JSON tree node shows before a "… N more" row. */
#define ISTHMUS_DETAIL_VIEW_MAX_CHILDREN 200

#define ISTHMUS_TYPE_DETAIL_VIEW (isthmus_detail_view_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusDetailView, isthmus_detail_view, ISTHMUS, DETAIL_VIEW, GtkWidget)

/* Everything about one record, as plain text: the payload as sent, after
 * the hook and as decrypted (JSON trees), the diff between the first two,
 * the reply, the pipeline of gates, the timings, the emit targets and the
 * ACL's explanation. Property: "exchange" (IsthmusExchange, nullable).
 * Actions: "detail.copy-json", "detail.copy-invoke". Pages of its stack:
 * "overview", "sent", "hooked", "decrypted", "diff", "reply". */
GtkWidget       *isthmus_detail_view_new          (void);
IsthmusExchange *isthmus_detail_view_get_exchange (IsthmusDetailView *self);
void             isthmus_detail_view_set_exchange (IsthmusDetailView *self,
                                                   IsthmusExchange   *exchange);
void             isthmus_detail_view_show_page    (IsthmusDetailView *self,
                                                   const char        *page);
/* The field-level diff between the payload as sent and after the hook,
 * one "+ path: value", "- path: value" or "~ path: old → new" a line; ""
 * when nothing changed or no stage is known. (transfer none) */
const char      *isthmus_detail_view_get_diff     (IsthmusDetailView *self);
/* Whether payload stages are still being parsed in a worker thread. */
gboolean         isthmus_detail_view_get_busy     (IsthmusDetailView *self);
/* The gate that refused the record ("guard", "hook", "envelope", "acl",
 * "schema", "handler") or NULL. */
const char      *isthmus_detail_view_get_refused_gate (IsthmusDetailView *self);

/* The ready-to-paste `await invoke("cmd", {…})` line for @exchange.
 * (transfer full) */
char            *isthmus_detail_view_format_invoke (IsthmusExchange  *exchange);
/* Computes the diff text of two JSON values (either may be NULL).
 * At most @max_lines lines. (transfer full) */
char            *isthmus_detail_view_diff_json     (JsonNode         *before,
                                                    JsonNode         *after,
                                                    guint             max_lines);

G_END_DECLS

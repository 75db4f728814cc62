/* isthmus-recorder.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-exchange.h"

G_BEGIN_DECLS

#define ISTHMUS_TYPE_RECORDER (isthmus_recorder_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusRecorder, isthmus_recorder, ISTHMUS, RECORDER, GObject)

/* A bounded GListModel of IsthmusExchange, oldest first. When full, adding
 * drops the oldest record and counts it ("dropped", guint64, notifies).
 * Main thread only. Properties: "capacity" (guint, read-write),
 * "dropped" (guint64, read-only), "paused" (gboolean: while TRUE, records
 * are not added to the model, but still written to the sink). */
IsthmusRecorder *isthmus_recorder_new          (guint            capacity);
void             isthmus_recorder_add          (IsthmusRecorder *self,
                                                IsthmusExchange *exchange);
void             isthmus_recorder_clear        (IsthmusRecorder *self);
void             isthmus_recorder_set_batch_interval (IsthmusRecorder *self,
                                                      guint            ms);
void             isthmus_recorder_flush        (IsthmusRecorder *self);
guint            isthmus_recorder_get_capacity (IsthmusRecorder *self);
void             isthmus_recorder_set_capacity (IsthmusRecorder *self,
                                                guint            capacity);
guint64          isthmus_recorder_get_dropped  (IsthmusRecorder *self);
/* The most request and reply bytes the records may hold (default
 * 256 MiB): past it the oldest go, as past the capacity. */
guint64          isthmus_recorder_get_max_bytes (IsthmusRecorder *self);
void             isthmus_recorder_set_max_bytes (IsthmusRecorder *self,
                                                 guint64          max_bytes);
guint64          isthmus_recorder_get_bytes    (IsthmusRecorder *self);
gboolean         isthmus_recorder_get_paused   (IsthmusRecorder *self);
void             isthmus_recorder_set_paused   (IsthmusRecorder *self,
                                                gboolean         paused);
/* Every exchange added is also handed to the record writer when it
 * completes (and at once if it is already complete). NULL detaches. */
struct _IsthmusRecordWriter;
void             isthmus_recorder_set_writer   (IsthmusRecorder *self,
                                                struct _IsthmusRecordWriter *writer);

G_END_DECLS

/* isthmus-record-writer.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-exchange.h"

G_BEGIN_DECLS

#define ISTHMUS_TYPE_RECORD_WRITER (isthmus_record_writer_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusRecordWriter, isthmus_record_writer, ISTHMUS, RECORD_WRITER, GObject)

/* Appends JSON Lines to @path (created 0644 if missing) from a thread of its
 * own: isthmus_record_writer_write() only formats the line and queues it, so
 * recording never blocks IPC. Fails if the file cannot be opened. */
IsthmusRecordWriter *isthmus_record_writer_new   (const char          *path,
                                                  GError             **error);
/* Queues one completed exchange (main thread). */
void                 isthmus_record_writer_write (IsthmusRecordWriter *self,
                                                  IsthmusExchange     *exchange);
/* Waits until every queued line is written and fsync'ed, then closes the
 * file. Later writes are ignored. Returns FALSE with @error on an I/O error
 * (also one that happened earlier in the thread). */
gboolean             isthmus_record_writer_close (IsthmusRecordWriter *self,
                                                  GError             **error);
guint64              isthmus_record_writer_get_written (IsthmusRecordWriter *self);

G_END_DECLS

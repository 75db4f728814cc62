/* isthmus-export.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "isthmus-filter.h"

G_BEGIN_DECLS

typedef enum
{
  /* One isthmus_exchange_to_jsonl() line per record: the native,
   * lossless form, which isthmus_import_jsonl() reads back. */
  ISTHMUS_EXPORT_JSONL,
  /* HAR 1.2, one entry per invoke (url "ipc://localhost/<cmd>"). */
  ISTHMUS_EXPORT_HAR,
  /* Chrome Trace Event JSON ({"traceEvents": […]}), for Perfetto. */
  ISTHMUS_EXPORT_TRACE,
} IsthmusExportFormat;

typedef enum
{
  ISTHMUS_EXPORT_FLAGS_NONE = 0,
  /* HAR only: keep the request and reply texts. By default they are
   * replaced with "[redacted N bytes]". */
  ISTHMUS_EXPORT_FLAGS_INCLUDE_PAYLOADS = 1 << 0,
} IsthmusExportFlags;

/* Called on the main context of the caller of the _async function:
 * @done of @total records written. */
typedef void (*IsthmusExportProgress) (guint    done,
                                       guint    total,
                                       gpointer user_data);

/* Writes the records of @model (IsthmusExchange, main thread only) that
 * @filter (nullable) matches. */
gboolean   isthmus_export_to_stream      (IsthmusExportFormat     format,
                                          GListModel             *model,
                                          IsthmusFilter          *filter,
                                          IsthmusExportFlags      flags,
                                          GOutputStream          *stream,
                                          GCancellable           *cancellable,
                                          GError                **error);
/* The same into memory. (transfer full) */
GBytes    *isthmus_export_to_bytes       (IsthmusExportFormat     format,
                                          GListModel             *model,
                                          IsthmusFilter          *filter,
                                          IsthmusExportFlags      flags,
                                          GError                **error);
/* Takes a snapshot of @model on the calling thread, then formats and
 * writes @file in a worker thread. The file is replaced only when all
 * went well. @progress runs on the calling thread's main context. */
void       isthmus_export_to_file_async  (IsthmusExportFormat     format,
                                          GListModel             *model,
                                          IsthmusFilter          *filter,
                                          IsthmusExportFlags      flags,
                                          GFile                  *file,
                                          IsthmusExportProgress   progress,
                                          gpointer                progress_data,
                                          GDestroyNotify          progress_destroy,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data);
/* Returns the number of records written, or -1 with @error set. */
gssize     isthmus_export_to_file_finish (GAsyncResult           *result,
                                          GError                **error);

/* Reads JSON Lines back. Blank lines are skipped. Each line is checked
 * (at most ISTHMUS_IMPORT_MAX_LINE_BYTES, nesting at most
 * ISTHMUS_IMPORT_MAX_DEPTH) before it is parsed; an error
 * (G_IO_ERROR_INVALID_DATA) names the line, "line 3: …". Returns
 * (transfer full) a GPtrArray of IsthmusExchange, or NULL. */
#define ISTHMUS_IMPORT_MAX_LINE_BYTES (64 * 1024 * 1024)
#define ISTHMUS_IMPORT_MAX_DEPTH      600

GPtrArray *isthmus_import_jsonl          (GInputStream           *stream,
                                          GCancellable           *cancellable,
                                          GError                **error);
GPtrArray *isthmus_import_jsonl_bytes    (GBytes                 *bytes,
                                          GError                **error);
/* Reads @file in a worker thread; progress counts lines read (total 0). */
void       isthmus_import_file_async     (GFile                  *file,
                                          IsthmusExportProgress   progress,
                                          gpointer                progress_data,
                                          GDestroyNotify          progress_destroy,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data);
/* (transfer full) A GPtrArray of IsthmusExchange, or NULL. */
GPtrArray *isthmus_import_file_finish    (GAsyncResult           *result,
                                          GError                **error);

G_END_DECLS

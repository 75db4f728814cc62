/* isthmus-core-raw.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-core.h"

G_BEGIN_DECLS

/**
 * IsthmusRawReply:
 * @ok: whether the page's promise resolves
 * @json: (nullable): the value or the rejection value as JSON text, or
 *   %NULL for a raw reply
 * @json_length: its length in bytes
 * @bytes: (nullable): the raw reply (the page receives an ArrayBuffer)
 * @code: %NULL when @ok, else the stable error code
 * @message: %NULL when @ok, else a text for the record
 *
 * The reply to a raw invocation. Valid only during the reply callback.
 */
typedef struct
{
  gboolean    ok;
  const char *json;
  gsize       json_length;
  GBytes     *bytes;
  const char *code;
  const char *message;
} IsthmusRawReply;

typedef void (*IsthmusRawReplyFunc) (const IsthmusRawReply *reply,
                                     gpointer               user_data);

/* Emits @event with @payload (NULL: null) to @target (NULL: everyone)
 * through the core's event bus, as a backend does, and records it as an
 * EMIT record whose note says which webviews and listeners it reached. */
gboolean         isthmus_core_emit       (IsthmusCore              *self,
                                          const IsthmusEventTarget *target,
                                          const char               *event,
                                          JsonNode                 *payload,
                                          GError                  **error);

/* Handles one raw invoke from @webview_label: @cmd with @body as its args
 * (readable with isthmus_invocation_get_bytes(); the JSON args are `{}`).
 * Same rules as isthmus_core_handle_message(): size limit, capabilities,
 * registry, exactly one reply through @func, one record, which shows the
 * body's size rather than its bytes. Returns the record (transfer none). */
IsthmusExchange *isthmus_core_handle_raw (IsthmusCore              *self,
                                          const char               *webview_label,
                                          const char               *cmd,
                                          GBytes                   *body,
                                          IsthmusRawReplyFunc       func,
                                          gpointer                  user_data);

G_END_DECLS

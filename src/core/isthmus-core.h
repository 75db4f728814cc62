/* isthmus-core.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-acl.h"
#include "isthmus-event-bus.h"
#include "isthmus-json-guard.h"
#include "isthmus-recorder.h"
#include "isthmus-registry.h"

G_BEGIN_DECLS

/**
 * IsthmusReply:
 * @ok: whether the page's promise resolves
 * @json: the value (ok) or the rejection value (error), as JSON text
 * @json_length: its length in bytes
 * @code: %NULL when @ok, else the stable error code ("UNKNOWN_COMMAND",
 *   "HANDLER_ERROR", …)
 * @message: %NULL when @ok, else a human-readable text for the record
 * @raw: (nullable): when the handler answered with raw bytes
 *   (isthmus_invocation_return_bytes()), the bytes, which the page
 *   receives as an ArrayBuffer, as from Tauri; @json then holds them as an
 *   array of byte values, for transports that carry JSON only
 *
 * What the web layer sends back for one request. Valid only during the
 * reply callback.
 */
typedef struct
{
  gboolean    ok;
  const char *json;
  gsize       json_length;
  const char *code;
  const char *message;
  GBytes     *raw;
} IsthmusReply;

typedef void (*IsthmusReplyFunc) (const IsthmusReply *reply,
                                  gpointer            user_data);

#define ISTHMUS_TYPE_CORE (isthmus_core_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusCore, isthmus_core, ISTHMUS, CORE, GObject)

/* The IPC core: a registry, a recorder and the pipeline between them. */
IsthmusCore     *isthmus_core_new            (void);
IsthmusRegistry *isthmus_core_get_registry   (IsthmusCore             *self);
IsthmusRecorder *isthmus_core_get_recorder   (IsthmusCore             *self);
IsthmusAcl      *isthmus_core_get_acl        (IsthmusCore             *self);
IsthmusEventBus *isthmus_core_get_event_bus  (IsthmusCore             *self);
void             isthmus_core_set_limits     (IsthmusCore             *self,
                                              const IsthmusJsonLimits *limits);
const IsthmusJsonLimits *isthmus_core_get_limits (IsthmusCore         *self);

/* Handles one invoke message from @webview_label (the core's own label of
 * the view it came from): @message is the text the bridge posted, the JSON
 * of Tauri's `{cmd, callback, error, payload, options}`. Steps: size and
 * encoding guard, depth guard, parse (once), shape check (`cmd` a
 * non-empty string, `payload` any value), schema, handler. @func is called
 * exactly once, possibly before this returns, always on the calling
 * thread's main context. The exchange is added to the recorder at once
 * and completed when the reply leaves. Returns the exchange (transfer
 * none). */
IsthmusExchange *isthmus_core_handle_message (IsthmusCore             *self,
                                              const char              *webview_label,
                                              GBytes                  *message,
                                              IsthmusReplyFunc         func,
                                              gpointer                 user_data);

/* Cancels the pending invocations of @webview_label (its page went away);
 * their replies are recorded as WEBVIEW_GONE and @func is still called
 * once for each, with that error. */
void             isthmus_core_cancel_webview (IsthmusCore             *self,
                                              const char              *webview_label);
guint            isthmus_core_get_n_pending  (IsthmusCore             *self);
#define ISTHMUS_CORE_DEFAULT_MAX_IN_FLIGHT 1024
#define ISTHMUS_CORE_DEFAULT_RATE          5000.0
#define ISTHMUS_CORE_DEFAULT_BURST         20000.0

void             isthmus_core_set_rate_limits (IsthmusCore            *self,
                                               guint                   max_in_flight,
                                               double                  per_second,
                                               double                  burst);
void             isthmus_core_set_block_silently (IsthmusCore          *self,
                                                  gboolean              silently);
IsthmusExchange *isthmus_core_record_lifecycle (IsthmusCore           *self,
                                                const char            *window_label,
                                                const char            *what,
                                                const char            *text,
                                                gboolean               is_error);

G_END_DECLS

/* Backend emits and raw invocations (declared apart, same object). */
#include "isthmus-core-raw.h"

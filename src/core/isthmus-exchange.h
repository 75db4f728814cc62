/* isthmus-exchange.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "isthmus-acl.h"
#include "isthmus-json-text.h"

G_BEGIN_DECLS

typedef enum
{
  ISTHMUS_EXCHANGE_INVOKE,
  ISTHMUS_EXCHANGE_EMIT,
  ISTHMUS_EXCHANGE_EVENT,
  ISTHMUS_EXCHANGE_CHANNEL,
  ISTHMUS_EXCHANGE_LIFECYCLE,
} IsthmusExchangeKind;

typedef enum
{
  ISTHMUS_EXCHANGE_PENDING,
  ISTHMUS_EXCHANGE_OK,
  ISTHMUS_EXCHANGE_ERROR,
} IsthmusExchangeStatus;

#define ISTHMUS_TYPE_EXCHANGE (isthmus_exchange_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusExchange, isthmus_exchange, ISTHMUS, EXCHANGE, GObject)

/* One record of the traffic list. Created when a message arrives, completed
 * once when its reply leaves. All properties are read-only and notify on
 * completion: "id" (guint64), "kind" (int), "kind-name" (string),
 * "window-label", "command", "status" (int), "status-text" (string: "…",
 * "ok", or the error code), "error-code", "request-size" (guint64),
 * "reply-size" (guint64), "duration-us" (gint64, -1 while pending),
 * "wall-time-us" (gint64, g_get_real_time at arrival),
 * "mono-time-us" (gint64, g_get_monotonic_time at arrival),
 * "summary" (string: the first 200 bytes of the request, made valid UTF-8).
 * Texts are kept as received and produced (JSON text), never as trees. */
IsthmusExchange      *isthmus_exchange_new             (guint64               id,
                                                        IsthmusExchangeKind   kind,
                                                        const char           *window_label,
                                                        GBytes               *request);
/* Fills in the command once the request is parsed (may stay NULL if it
 * never parsed). */
void                  isthmus_exchange_set_command     (IsthmusExchange      *self,
                                                        const char           *command);
/* Completes the record: @reply_json is the reply value (ok) or the error
 * value the page received (error), as JSON text; @error_code is NULL for
 * ok, else the stable code; @error_message is the core's text (may be NULL).
 * A second call is ignored with a critical. */
void                  isthmus_exchange_complete        (IsthmusExchange      *self,
                                                        IsthmusExchangeStatus status,
                                                        const char           *error_code,
                                                        const char           *error_message,
                                                        GBytes               *reply_json,
                                                        gint64                duration_us);

guint64               isthmus_exchange_get_id          (IsthmusExchange      *self);
IsthmusExchangeKind   isthmus_exchange_get_kind        (IsthmusExchange      *self);
const char           *isthmus_exchange_get_kind_name   (IsthmusExchange      *self);
const char           *isthmus_exchange_get_window_label (IsthmusExchange     *self);
const char           *isthmus_exchange_get_command     (IsthmusExchange      *self);
IsthmusExchangeStatus isthmus_exchange_get_status      (IsthmusExchange      *self);
const char           *isthmus_exchange_get_status_text (IsthmusExchange      *self);
const char           *isthmus_exchange_get_error_code  (IsthmusExchange      *self);
const char           *isthmus_exchange_get_error_message (IsthmusExchange    *self);
/* (transfer none) The message as received (JSON text, maybe invalid). */
GBytes               *isthmus_exchange_get_request     (IsthmusExchange      *self);
/* (transfer none) The reply JSON text, or NULL while pending. */
GBytes               *isthmus_exchange_get_reply       (IsthmusExchange      *self);
guint64               isthmus_exchange_get_request_size (IsthmusExchange     *self);
guint64               isthmus_exchange_get_reply_size  (IsthmusExchange      *self);
gint64                isthmus_exchange_get_duration_us (IsthmusExchange      *self);
gint64                isthmus_exchange_get_wall_time_us (IsthmusExchange     *self);
gint64                isthmus_exchange_get_mono_time_us (IsthmusExchange     *self);
/* Valid UTF-8, at most 200 bytes plus "…". */
const char           *isthmus_exchange_get_summary     (IsthmusExchange      *self);

void                  isthmus_exchange_set_note        (IsthmusExchange      *self,
                                                        const char           *note);
const char           *isthmus_exchange_get_note        (IsthmusExchange      *self);
/* "parent-id": the record this one belongs to (a channel message's
 * invoke), 0 for none. */
void                  isthmus_exchange_set_parent_id   (IsthmusExchange      *self,
                                                        guint64               parent_id);
guint64               isthmus_exchange_get_parent_id   (IsthmusExchange      *self);

/* The capability check's verdict (the record keeps a reference). */
void                  isthmus_exchange_set_acl_verdict (IsthmusExchange     *self,
                                                        IsthmusAclVerdict   *verdict);
IsthmusAclVerdict    *isthmus_exchange_get_acl_verdict (IsthmusExchange     *self);
/* "allowed by …", "denied: …", "not checked: …" for the list. */
const char           *isthmus_exchange_get_acl_text    (IsthmusExchange     *self);

/* One JSON Lines record (no trailing newline): {"id","time" (RFC 3339 UTC,
 * µs), "window","kind","cmd","status","code","message","durationUs",
 * "requestSize","replySize","request","reply"}. "request" and "reply" are
 * embedded as JSON when the text is valid JSON, else as a string. */
char                 *isthmus_exchange_to_jsonl        (IsthmusExchange      *self);
/* The reverse: a record rebuilt from one parsed JSON Lines line, every
 * field as written (the sizes as recorded; "mono-time-us" is set to the
 * wall-clock time, which the line holds). G_IO_ERROR_INVALID_DATA names
 * the member that is wrong. */
IsthmusExchange      *isthmus_exchange_new_from_json   (JsonObject           *record,
                                                        GError              **error);

/* JSON helpers shared by the core and the records. FALSE when @root holds
 * an infinite or NaN number (json-glib reads 1e400 as infinity). */
gboolean              isthmus_json_is_finite           (JsonNode             *root);

/**
 * IsthmusExchangeIsolation:
 * @verdict: "passed", "modified", "blocked", "hook-error", "rejected-auth",
 *   "rejected-replay", "rejected-not-envelope" or "rejected-stale"
 * @reason: (nullable): the hook's or the core's reason
 * @original: (nullable): the message as the page sent it (informational:
 *   forwarded by the bridge outside the envelope)
 * @hooked: (nullable): the message after the hook, as decrypted
 * @decrypted: (nullable): the whole plaintext the core decrypted
 * @hook_us: time in the hook, measured in the isolation frame (authenticated)
 * @encrypt_us: time encrypting, measured in the frame (carried over the
 *   bridge's private port, not authenticated)
 * @transport_us: frame to core, by the wall clocks of both
 * @decrypt_us: time in isthmus_envelope_open()
 * @reads: (nullable): property paths of the message the hook read
 * @lint: (nullable): notes about the hook
 * @epoch: the envelope's epoch (0 if unknown)
 * @seq: the envelope's sequence number (0 if unknown)
 * @key_fingerprint: (nullable): the session key's non-secret fingerprint
 *
 * What the isolation pattern did to one call. Durations are -1 when
 * unknown. Never holds key bytes.
 */
typedef struct
{
  const char         *verdict;
  const char         *reason;
  GBytes             *original;
  GBytes             *hooked;
  GBytes             *decrypted;
  gint64              hook_us;
  gint64              encrypt_us;
  gint64              transport_us;
  gint64              decrypt_us;
  const char * const *reads;
  const char * const *lint;
  guint64             epoch;
  guint64             seq;
  const char         *key_fingerprint;
} IsthmusExchangeIsolation;

/* Copies @info onto the record ("isolation-verdict" notifies); written to
 * JSON Lines under "isolation". */
void                  isthmus_exchange_set_isolation   (IsthmusExchange                *self,
                                                        const IsthmusExchangeIsolation *info);
/* (nullable) What the isolation pattern did, or NULL in brownfield. */
const IsthmusExchangeIsolation *isthmus_exchange_get_isolation (IsthmusExchange *self);
const char           *isthmus_exchange_get_isolation_verdict (IsthmusExchange *self);

/* For the recorder only: the bytes it counted the record for, plus one,
 * or 0 when the record is in no recorder. */
guint64               _isthmus_exchange_get_ring_bytes (IsthmusExchange *self);
void                  _isthmus_exchange_set_ring_bytes (IsthmusExchange *self,
                                                        guint64          ring_bytes);

G_END_DECLS

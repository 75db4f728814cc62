/* isthmus-channel.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-core.h"
#include "isthmus-invocation.h"

G_BEGIN_DECLS

/* The prefix of a channel argument, as in Tauri: "__CHANNEL__:<u32 id>". */
#define ISTHMUS_CHANNEL_PREFIX "__CHANNEL__:"

/**
 * IsthmusChannelDeliverFunc:
 * @webview_label: the webview to deliver into
 * @callback_id: the page's callback id of the channel
 * @index: the message's index (for the end marker: the number sent)
 * @end: %TRUE for the end marker (then @json and @raw are %NULL)
 * @json: (nullable): the message as JSON text
 * @raw: (nullable): the message as bytes (the page receives an ArrayBuffer)
 *
 * How the web layer delivers one channel message into one webview, in
 * order, on the main thread.
 */
typedef void (*IsthmusChannelDeliverFunc) (const char *webview_label,
                                           guint32     callback_id,
                                           guint64     index,
                                           gboolean    end,
                                           const char *json,
                                           GBytes     *raw,
                                           gpointer    user_data);

#define ISTHMUS_TYPE_CHANNEL (isthmus_channel_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusChannel, isthmus_channel, ISTHMUS, CHANNEL, GObject)

/* The web layer registers each page's delivery function; adding a label
 * again (a new page) makes the channels of the old page silent. */
void            isthmus_core_add_channel_webview    (IsthmusCore               *core,
                                                     const char                *webview_label,
                                                     IsthmusChannelDeliverFunc  func,
                                                     gpointer                   user_data,
                                                     GDestroyNotify             destroy);
void            isthmus_core_remove_channel_webview (IsthmusCore               *core,
                                                     const char                *webview_label);

/* The channel named by the string argument @key ("__CHANNEL__:<id>") of
 * @invocation, bound to its webview, or NULL with INVALID_ARGS in @error
 * (Tauri's text: "invalid channel value `…`, expected a string in the
 * `__CHANNEL__:ID` format"). (transfer full) */
IsthmusChannel *isthmus_invocation_get_channel      (IsthmusInvocation         *invocation,
                                                     const char                *key,
                                                     GError                   **error);
guint32         isthmus_channel_get_id              (IsthmusChannel            *self);
/* Sends one message (@message: transfer none; NULL is JSON null) or raw
 * bytes. Each becomes a CHANNEL record whose parent is the invoke that
 * passed the channel. Call on the main thread. FALSE once closed or when
 * its page is gone. */
gboolean        isthmus_channel_send                (IsthmusChannel            *self,
                                                     JsonNode                  *message);
gboolean        isthmus_channel_send_bytes          (IsthmusChannel            *self,
                                                     GBytes                    *bytes);
/* Sends the end marker {end: true, index}; also sent when the last
 * reference goes. */
void            isthmus_channel_close               (IsthmusChannel            *self);

/* Raw invocations (an ArrayBuffer or typed array as the args): the body,
 * or NULL for a JSON invocation. (transfer none) */
GBytes         *isthmus_invocation_get_bytes        (IsthmusInvocation         *invocation);
/* Answers with raw bytes: the page receives an ArrayBuffer on the raw
 * transport, a JSON array of byte values on the JSON one. */
void            isthmus_invocation_return_bytes     (IsthmusInvocation         *invocation,
                                                     GBytes                    *bytes);

/* For the core: binds @invocation to the core's channels and its record. */
void            _isthmus_channel_attach_invocation  (IsthmusCore               *core,
                                                     IsthmusInvocation         *invocation,
                                                     guint64                   parent_id);
void            _isthmus_invocation_set_bytes       (IsthmusInvocation         *invocation,
                                                     GBytes                    *bytes);
/* (transfer none) (nullable) the bytes given to return_bytes */
GBytes         *_isthmus_invocation_peek_raw_reply  (IsthmusInvocation         *invocation);
/* The raw reply as a JSON array of numbers, for the JSON transport.
 * (transfer full) */
JsonNode       *_isthmus_bytes_to_json_array        (GBytes                    *bytes);

G_END_DECLS

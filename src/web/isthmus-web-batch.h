/* isthmus-web-batch.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

#include "isthmus-core.h"
#include "isthmus-error.h"

G_BEGIN_DECLS

/* Invokes the bridge gathered in one script message, for one view, in
 * the format of isthmus-batch.h. Each message goes through
 * isthmus_core_handle_message() on its own, in order, and is recorded on
 * its own. For each "p" line of the reply, the bridge posts a wait and
 * gets the reply as it would for a message of its own. */
typedef struct _IsthmusWebBatches IsthmusWebBatches;

IsthmusWebBatches *_isthmus_web_batches_new    (IsthmusCore              *core,
                                                const char               *label);
void               _isthmus_web_batches_free   (IsthmusWebBatches        *self);
/* Handles @message if it is a batch or a wait and returns TRUE; FALSE
 * for anything else. @reply is answered exactly once. */
gboolean           _isthmus_web_batches_handle (IsthmusWebBatches        *self,
                                                GBytes                   *message,
                                                JSCValue                 *value,
                                                WebKitScriptMessageReply *reply);
/* The page went away: waits still open are answered with an error and
 * replies nobody waits for yet are dropped when they come. */
void               _isthmus_web_batches_reset  (IsthmusWebBatches        *self);

/* How many batches and waits arrived, for tests. */
void               _isthmus_web_batches_get_counts (IsthmusWebBatches *self,
                                                    guint64           *n_batches,
                                                    guint64           *n_waits);

/* Answers @reply the way the bridge reads a message's own reply, from a
 * line of a batch reply (isthmus_batch_format_reply()): kind 'o', the
 * JSON text; 'r', "\1" and the bytes in base64 (script message replies
 * carry no ArrayBuffer, and JSON text never starts with U+0001); 'e', a
 * rejection with the error text. */
void               _isthmus_web_answer_line    (JSCContext               *context,
                                                WebKitScriptMessageReply *reply,
                                                char                      kind,
                                                const char               *text);

/* Rejects @reply with the core's own error text for @code. */
void               _isthmus_web_reply_error    (WebKitScriptMessageReply *reply,
                                                IsthmusIpcError           code,
                                                const char               *message);

G_END_DECLS

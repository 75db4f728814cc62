/* isthmus-web-batch.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <webkit/webkit.h>

#include "isthmus-core.h"

G_BEGIN_DECLS

/* Invokes the bridge gathered in one script message, for one view.
 *
 * A batch is "\2" followed by the messages joined by "\n" (JSON text
 * written by JSON.stringify never holds a raw line feed). Each message goes
 * through isthmus_core_handle_message() on its own, in order, and is
 * recorded on its own. The reply holds one line per message, in order:
 * "o" and the JSON value, "e" and the error {code, message, value}, "r"
 * and raw bytes in base64, or "p" and a number when the reply is not
 * ready yet. For each "p", the bridge posts "\3" and that number, and
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

/* The error text the bridge expects in a rejected reply:
 * {"code":…,"message":…,"value":…}; @value_json, if NULL, becomes the
 * string "CODE: message". (transfer full) */
char              *_isthmus_web_error_text     (const char               *code,
                                                const char               *message,
                                                const char               *value_json);

G_END_DECLS

/* isthmus-batch.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-core.h"

G_BEGIN_DECLS

/* The transport's batch format, without the transport.
 *
 * A batch is ISTHMUS_BATCH_MARK followed by invoke messages joined by
 * "\n" (JSON text written by JSON.stringify never holds a raw line feed).
 * Its reply has one line per message, in order: "o" and the JSON value,
 * "e" and the error {code, message, value}, "r" and raw bytes in base64,
 * or "p" and a number when the reply is not ready yet. A wait is
 * ISTHMUS_BATCH_WAIT_MARK followed by that number in decimal. */
#define ISTHMUS_BATCH_MARK      '\002'
#define ISTHMUS_BATCH_WAIT_MARK '\003'
#define ISTHMUS_BATCH_MAX_ITEMS 1024

typedef struct
{
  gsize offset;
  gsize length;
} IsthmusBatchSpan;

/* The messages of a batch (@data starts with the mark) as byte ranges of
 * @data, or NULL and BAD_MESSAGE for more than ISTHMUS_BATCH_MAX_ITEMS
 * messages or no mark. (transfer full) */
GArray  *isthmus_batch_split        (const char          *data,
                                     gsize                length,
                                     GError             **error);
/* The number of a wait (@data starts with the wait mark): 1 to G_MAXUINT
 * in plain decimal, nothing else. */
gboolean isthmus_batch_parse_wait   (const char          *data,
                                     gsize                length,
                                     guint               *id);
/* @reply as a line of a batch reply: its kind ('o', 'e' or 'r') and its
 * text (transfer full). */
void     isthmus_batch_format_reply (const IsthmusReply  *reply,
                                     char                *kind,
                                     char               **text);
/* The error text a rejected reply carries: {"code":…,"message":…,
 * "value":…}; @value_json, if NULL, becomes the string "CODE: message".
 * (transfer full) */
char    *isthmus_batch_error_text   (const char          *code,
                                     const char          *message,
                                     const char          *value_json);

G_END_DECLS

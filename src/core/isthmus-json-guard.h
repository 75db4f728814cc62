/* isthmus-json-guard.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH 128
#define ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES (16 * 1024 * 1024)

/**
 * IsthmusJsonLimits:
 * @max_bytes: the largest accepted text, in bytes
 * @max_depth: the deepest accepted nesting of arrays and objects
 *   (a scalar has depth 0, `[]` depth 1)
 */
typedef struct
{
  gsize max_bytes;
  guint max_depth;
} IsthmusJsonLimits;

/* Checks @text before any JSON parser sees it. It never recurses, never
 * allocates and touches each byte once. On failure it sets an
 * ISTHMUS_IPC_ERROR:
 *  - PAYLOAD_TOO_LARGE when @length exceeds max_bytes (checked first, before
 *    reading any byte);
 *  - BAD_ENCODING for invalid UTF-8, a raw NUL byte, a `\u0000` escape, or a
 *    lone surrogate escape (`\ud800` not followed by a low-surrogate escape,
 *    or a low-surrogate escape on its own) inside a string;
 *  - JSON_TOO_DEEP when the nesting of `[` and `{` outside strings exceeds
 *    max_depth;
 *  - BAD_MESSAGE when brackets do not balance, a string is unterminated or an
 *    escape is malformed (full grammar is left to the parser).
 * The error message starts with the code name, e.g.
 * "JSON_TOO_DEEP: nesting exceeds the limit of 128".
 * A NULL @limits means the defaults above. */
gboolean isthmus_json_guard_check (const char              *text,
                                   gsize                    length,
                                   const IsthmusJsonLimits *limits,
                                   GError                 **error);

G_END_DECLS

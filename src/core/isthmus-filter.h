/* isthmus-filter.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-exchange.h"

G_BEGIN_DECLS

#define ISTHMUS_FILTER_ERROR (isthmus_filter_error_quark ())

typedef enum
{
  ISTHMUS_FILTER_ERROR_SYNTAX,
} IsthmusFilterError;

GQuark isthmus_filter_error_quark (void);

typedef struct _IsthmusFilter IsthmusFilter;

#define ISTHMUS_TYPE_FILTER (isthmus_filter_get_type ())

GType          isthmus_filter_get_type         (void) G_GNUC_CONST;

/* One filter language for the traffic view, the statistics and the
 * exporters. Terms are separated by spaces and must all match:
 *   cmd:GLOB              the command (`*` and `?`)
 *   event: / event:GLOB   emits and events (GLOB on the event name)
 *   window:GLOB           the window label
 *   kind:K|K…             invoke, emit, event, channel, lifecycle
 *   status:S|S…           ok, error, pending
 *   verdict:GLOB|…        the isolation verdict (passed, blocked, …) or
 *                         the ACL's (allowed, denied, unchecked)
 *   err:GLOB|…            the error code
 *   dur OP N UNIT         OP is >, <, >=, <= or =; UNIT us, µs, ms or s
 *   size OP N[k|m]        request plus reply bytes (k = 1024, m = 1024²);
 *                         reqsize and replysize for one side
 *   -TERM                 negation
 *   "quoted text", text   case-insensitive (ASCII) substring of the
 *                         command, window, summary, error code or note
 * A value may be quoted (cmd:"a b"). A word whose prefix before ':' is not
 * a key is free text, so `plugin:fs|read_file` searches for itself.
 * An empty or blank text matches everything.
 *
 * On a syntax error, ISTHMUS_FILTER_ERROR_SYNTAX's message reads
 * "at OFFSET: expected …" and isthmus_filter_error_get_offset() gives
 * the byte offset. A parsed filter is immutable and may be used from
 * any thread; matching allocates nothing. */
IsthmusFilter *isthmus_filter_parse            (const char      *text,
                                                GError         **error);
IsthmusFilter *isthmus_filter_ref              (IsthmusFilter   *self);
void           isthmus_filter_unref            (IsthmusFilter   *self);
/* (nullable) @self NULL matches everything too. */
gboolean       isthmus_filter_matches          (IsthmusFilter   *self,
                                                IsthmusExchange *exchange);
/* TRUE when the filter has no terms. */
gboolean       isthmus_filter_is_empty         (IsthmusFilter   *self);
const char    *isthmus_filter_get_text         (IsthmusFilter   *self);
/* The byte offset of an ISTHMUS_FILTER_ERROR, or -1 for another error. */
int            isthmus_filter_error_get_offset (const GError    *error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusFilter, isthmus_filter_unref)

G_END_DECLS

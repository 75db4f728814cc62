/* isthmus-test-util.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the core's tests share: a reply catcher and a bounded wait on the
 * main context (never a sleep).
 */

#pragma once

#include "isthmus-core.h"

G_BEGIN_DECLS

/* Everything one IsthmusReply said, kept after the callback returns. */
typedef struct
{
  int       calls;
  gboolean  ok;
  char     *json;
  gsize     json_length;
  char     *code;
  char     *message;
  gint64    at_us;     /* monotonic time of the last reply */
} Reply;

void reply_clear (Reply              *reply);
/* An IsthmusReplyFunc whose user data is a Reply. */
void reply_cb    (const IsthmusReply *r,
                  gpointer            user_data);
/* Iterates the default main context until *@counter reaches @target;
 * fails the test after 20 seconds rather than hanging. */
void wait_until  (const int          *counter,
                  int                 target);
/* A GSourceFunc that sets the gboolean at @data: a deadline for loops
 * that wait on something else than a counter. */
gboolean timeout_cb (gpointer data);
/* Runs what is ready on the default main context, without blocking. */
void drain_context (void);

G_END_DECLS

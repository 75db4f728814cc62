/* isthmus-test-util.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "isthmus-test-util.h"

#define WAIT_SECONDS 20

void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->json, g_free);
  g_clear_pointer (&reply->code, g_free);
  g_clear_pointer (&reply->message, g_free);
  reply->calls = 0;
}

void
reply_cb (const IsthmusReply *r,
          gpointer            user_data)
{
  Reply *reply = user_data;

  g_assert_nonnull (r->json);
  g_assert_cmpuint (strlen (r->json), ==, r->json_length);
  if (r->ok)
    g_assert_null (r->code);
  else
    g_assert_nonnull (r->code);

  reply->calls++;
  reply->ok = r->ok;
  g_free (reply->json);
  reply->json = g_strndup (r->json, r->json_length);
  reply->json_length = r->json_length;
  g_free (reply->code);
  reply->code = g_strdup (r->code);
  g_free (reply->message);
  reply->message = g_strdup (r->message);
  reply->at_us = g_get_monotonic_time ();
}

gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

void
wait_until (const int *counter,
            int        target)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, &timed_out);

  while (*counter < target && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  g_assert_false (timed_out);
  g_source_remove (id);
}

void
drain_context (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

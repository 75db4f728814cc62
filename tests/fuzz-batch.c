/* fuzz-batch.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds arbitrary bytes to the batch format (isthmus-batch.h): as the
 * body of a batch, whose messages then run through a core, and as the
 * number of a wait. Checks the split against the bytes themselves, the
 * number against a plain decimal reading, and that every message gets
 * exactly one reply line that holds no line feed.
 */

#define G_LOG_DOMAIN "fuzz-batch"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "isthmus-batch.h"
#include "isthmus-core.h"
#include "isthmus-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Only so many messages of one input run through the core. */
#define MAX_RUN 64

typedef struct
{
  guint replies;
  char  kind;
  char *text;
} Collected;

static void
echo_cb (IsthmusInvocation *invocation,
         gpointer           user_data)
{
  isthmus_invocation_return_value (invocation, json_node_copy (isthmus_invocation_get_args (invocation)));
}

static void
collect_cb (const IsthmusReply *reply,
            gpointer            user_data)
{
  Collected *collected = user_data;

  collected->replies++;
  g_clear_pointer (&collected->text, g_free);
  isthmus_batch_format_reply (reply, &collected->kind, &collected->text);
}

static IsthmusCore *
get_core (void)
{
  static IsthmusCore *core;

  if (core == NULL)
    {
      /* A critical is a bug here, not an answer to bad input. */
      g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL);
      core = isthmus_core_new ();
      isthmus_registry_add (isthmus_core_get_registry (core), "echo", NULL, echo_cb, NULL, NULL);
      isthmus_recorder_set_capacity (isthmus_core_get_recorder (core), 16);
    }
  return core;
}

static void
check_split (const char *body,
             gsize       length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) spans = isthmus_batch_split (body, length, &error);
  gsize lines = 1;
  gsize next = 1;

  for (gsize i = 1; i < length; i++)
    lines += body[i] == '\n';

  if (lines > ISTHMUS_BATCH_MAX_ITEMS)
    {
      g_assert_null (spans);
      g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpuint (spans->len, ==, lines);

  /* The spans and the line feeds between them are the body, exactly. */
  for (guint i = 0; i < spans->len; i++)
    {
      const IsthmusBatchSpan *span = &g_array_index (spans, IsthmusBatchSpan, i);

      g_assert_cmpuint (span->offset, ==, next);
      g_assert_null (memchr (body + span->offset, '\n', span->length));
      next = span->offset + span->length;
      if (i + 1 < spans->len)
        {
          g_assert_cmpint (body[next], ==, '\n');
          next++;
        }
    }
  g_assert_cmpuint (next, ==, length);

  /* One reply per message, a line each. */
  for (guint i = 0; i < MIN (spans->len, MAX_RUN); i++)
    {
      const IsthmusBatchSpan *span = &g_array_index (spans, IsthmusBatchSpan, i);
      g_autoptr(GBytes) item = g_bytes_new (body + span->offset, span->length);
      Collected collected = { 0 };

      isthmus_core_handle_message (get_core (), "main", item, collect_cb, &collected);
      g_assert_cmpuint (collected.replies, ==, 1);
      g_assert_true (collected.kind == 'o' || collected.kind == 'e' || collected.kind == 'r');
      g_assert_nonnull (collected.text);
      g_assert_null (strchr (collected.text, '\n'));
      g_free (collected.text);
    }
}

static void
check_wait (const char *text,
            gsize       length)
{
  guint id = 0;
  gboolean plain = length >= 2 && length <= 11 && text[1] != '0';
  guint64 value = 0;

  for (gsize i = 1; plain && i < length; i++)
    {
      plain = g_ascii_isdigit (text[i]);
      value = value * 10 + (guint64)(text[i] - '0');
    }
  plain = plain && value >= 1 && value <= G_MAXUINT;

  g_assert_cmpint (isthmus_batch_parse_wait (text, length, &id), ==, plain);
  if (plain)
    g_assert_cmpuint (id, ==, value);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *body = g_malloc (size + 1);

  body[0] = ISTHMUS_BATCH_MARK;
  memcpy (body + 1, data, size);
  check_split (body, size + 1);

  body[0] = ISTHMUS_BATCH_WAIT_MARK;
  check_wait (body, size + 1);

  /* Without the mark, neither. */
  if (size > 0 && data[0] != ISTHMUS_BATCH_MARK)
    g_assert_null (isthmus_batch_split ((const char *)data, size, NULL));

  return 0;
}

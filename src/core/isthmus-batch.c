/* isthmus-batch.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-batch"

#include "config.h"

#include <string.h>

#include "isthmus-batch.h"
#include "isthmus-error.h"
#include "isthmus-json-text.h"

GArray *
isthmus_batch_split (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(GArray) spans = NULL;
  const char *p;
  const char *end;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0 || data[0] != ISTHMUS_BATCH_MARK)
    {
      g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE, "not a batch");
      return NULL;
    }

  spans = g_array_new (FALSE, FALSE, sizeof (IsthmusBatchSpan));
  p = data + 1;
  end = data + length;
  while (TRUE)
    {
      const char *line_end = memchr (p, '\n', end - p);
      IsthmusBatchSpan span;

      if (line_end == NULL)
        line_end = end;
      if (spans->len == ISTHMUS_BATCH_MAX_ITEMS)
        {
          g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                       "more than %d messages in one batch", ISTHMUS_BATCH_MAX_ITEMS);
          return NULL;
        }
      span.offset = p - data;
      span.length = line_end - p;
      g_array_append_val (spans, span);

      if (line_end == end)
        break;
      p = line_end + 1;
    }

  return g_steal_pointer (&spans);
}

gboolean
isthmus_batch_parse_wait (const char *data,
                          gsize       length,
                          guint      *id)
{
  guint64 value = 0;

  g_return_val_if_fail (id != NULL, FALSE);

  if (data == NULL || length < 2 || length > 11 || data[0] != ISTHMUS_BATCH_WAIT_MARK)
    return FALSE;
  for (gsize i = 1; i < length; i++)
    {
      if (data[i] < '0' || data[i] > '9' || (i == 1 && data[i] == '0'))
        return FALSE;
      value = value * 10 + (guint64)(data[i] - '0');
    }
  if (value > G_MAXUINT)
    return FALSE;

  *id = (guint)value;
  return TRUE;
}

char *
isthmus_batch_error_text (const char *code,
                          const char *message,
                          const char *value_json)
{
  g_autoptr(JsonNode) code_node = json_node_init_string (json_node_alloc (), code);
  g_autoptr(JsonNode) message_node = json_node_init_string (json_node_alloc (), message != NULL ? message : "");
  g_autofree char *code_json = isthmus_json_to_text (code_node, NULL);
  g_autofree char *message_json = isthmus_json_to_text (message_node, NULL);
  g_autofree char *fallback = NULL;

  if (value_json == NULL)
    {
      g_autofree char *joined = g_strdup_printf ("%s: %s", code, message != NULL ? message : "");
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), joined);

      fallback = isthmus_json_to_text (node, NULL);
      value_json = fallback;
    }

  return g_strdup_printf ("{\"code\":%s,\"message\":%s,\"value\":%s}",
                          code_json, message_json, value_json);
}

void
isthmus_batch_format_reply (const IsthmusReply  *reply,
                            char                *kind,
                            char               **text)
{
  g_return_if_fail (reply != NULL);

  if (reply->ok && reply->raw != NULL)
    {
      gsize size = 0;
      gconstpointer data = g_bytes_get_data (reply->raw, &size);

      *kind = 'r';
      *text = g_base64_encode (data, size);
    }
  else if (reply->ok)
    {
      *kind = 'o';
      *text = reply->json != NULL ? g_strndup (reply->json, reply->json_length) : g_strdup ("null");
    }
  else
    {
      g_autofree char *value_json = reply->json != NULL ? g_strndup (reply->json, reply->json_length) : NULL;

      *kind = 'e';
      *text = isthmus_batch_error_text (reply->code != NULL ? reply->code : "INTERNAL",
                                        reply->message != NULL ? reply->message : "",
                                        value_json);
    }
}

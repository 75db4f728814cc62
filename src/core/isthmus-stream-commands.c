/* isthmus-stream-commands.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-stream-commands"

#include "config.h"

#include <string.h>

#include "isthmus-channel.h"
#include "isthmus-stream-commands.h"

#define MAX_STEPS 10000

static void
stream_progress (IsthmusInvocation *invocation,
                 gpointer           user_data)
{
  g_autoptr(IsthmusChannel) channel = NULL;
  g_autoptr(GError) error = NULL;
  gint64 steps = isthmus_invocation_get_int (invocation, "steps", 0);

  channel = isthmus_invocation_get_channel (invocation, "onProgress", &error);
  if (channel == NULL)
    {
      isthmus_invocation_return_gerror (invocation, error);
      return;
    }

  for (gint64 step = 1; step <= steps; step++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
      g_autoptr(JsonNode) message = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "step");
      json_builder_add_int_value (builder, step);
      json_builder_set_member_name (builder, "of");
      json_builder_add_int_value (builder, steps);
      json_builder_end_object (builder);
      message = json_builder_get_root (builder);

      if (!isthmus_channel_send (channel, message))
        break;
    }

  isthmus_channel_close (channel);
  isthmus_invocation_return_value (invocation, NULL);
}

static void
reverse_bytes (IsthmusInvocation *invocation,
               gpointer           user_data)
{
  g_autoptr(GBytes) reply = NULL;
  GBytes *body = isthmus_invocation_get_bytes (invocation);
  const guint8 *data;
  guint8 *out;
  gsize size = 0;

  if (body == NULL)
    {
      isthmus_invocation_return_error_string (invocation,
                                              "reverse_bytes takes raw bytes (an ArrayBuffer or a Uint8Array)");
      return;
    }

  data = g_bytes_get_data (body, &size);
  out = g_malloc (MAX (size, 1));
  for (gsize i = 0; i < size; i++)
    out[i] = data[size - 1 - i];
  reply = g_bytes_new_take (out, size);

  isthmus_invocation_return_bytes (invocation, reply);
}

/* utf8_bytes {text}: the UTF-8 bytes of @text as a raw reply to an
 * ordinary JSON invoke (Tauri's tauri::ipc::Response): the page receives
 * an ArrayBuffer. */
static void
utf8_bytes (IsthmusInvocation *invocation,
            gpointer           user_data)
{
  const char *text = isthmus_invocation_get_string (invocation, "text");
  g_autoptr(GBytes) reply = g_bytes_new (text, strlen (text));

  isthmus_invocation_return_bytes (invocation, reply);
}

void
isthmus_stream_commands_register (IsthmusRegistry *registry)
{
  static const IsthmusArgSpec stream_args[] = {
    { "steps", ISTHMUS_ARG_INTEGER, TRUE, FALSE, TRUE, 0, MAX_STEPS },
    { "onProgress", ISTHMUS_ARG_STRING, TRUE },
  };
  static const IsthmusArgSpec text_args[] = {
    { "text", ISTHMUS_ARG_STRING, TRUE },
  };
  g_autoptr(IsthmusSchema) stream_schema = isthmus_schema_new (stream_args, G_N_ELEMENTS (stream_args), FALSE);
  g_autoptr(IsthmusSchema) text_schema = isthmus_schema_new (text_args, G_N_ELEMENTS (text_args), FALSE);

  g_return_if_fail (ISTHMUS_IS_REGISTRY (registry));

  isthmus_registry_add (registry, "stream_progress", stream_schema, stream_progress, NULL, NULL);
  isthmus_registry_add (registry, "reverse_bytes", NULL, reverse_bytes, NULL, NULL);
  isthmus_registry_add (registry, "utf8_bytes", text_schema, utf8_bytes, NULL, NULL);
}

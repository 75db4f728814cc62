/* fuzz-jsonrpc.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds arbitrary bytes to the backend's Content-Length frame parser, in
 * chunks whose sizes come from the input itself, and checks what it
 * promises: every frame fits the limit, the parser never holds more than
 * it was given, and after the input it either waits for more or stops.
 */

#define G_LOG_DOMAIN "fuzz-jsonrpc"

#include "config.h"

#include <stdint.h>

#include "isthmus-backend.h"

#define MAX_FRAME 4096

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(IsthmusJsonRpcFramer) framer = isthmus_jsonrpc_framer_new (MAX_FRAME);
  gsize offset = 0;
  gsize total_out = 0;
  guint steps = 0;

  while (offset < size)
    {
      /* The first byte of each chunk says how long the chunk is. */
      gsize chunk = MIN ((gsize)data[offset] + 1, size - offset);
      IsthmusFrameStatus status;

      isthmus_jsonrpc_framer_push (framer, data + offset, chunk);
      offset += chunk;

      do
        {
          g_autoptr(GBytes) body = NULL;
          g_autoptr(GError) error = NULL;

          status = isthmus_jsonrpc_framer_next (framer, &body, &error);
          g_assert (++steps < 4 * size + 16);

          switch (status)
            {
            case ISTHMUS_FRAME_OK:
              g_assert (body != NULL);
              g_assert (error == NULL);
              g_assert (g_bytes_get_size (body) <= MAX_FRAME);
              total_out += g_bytes_get_size (body);
              break;

            case ISTHMUS_FRAME_ERROR:
            case ISTHMUS_FRAME_FATAL:
              g_assert (body == NULL);
              g_assert (error != NULL && g_utf8_validate (error->message, -1, NULL));
              break;

            case ISTHMUS_FRAME_NEED_MORE:
            default:
              g_assert (body == NULL);
              break;
            }

          if (status == ISTHMUS_FRAME_FATAL)
            return 0;
        }
      while (status != ISTHMUS_FRAME_NEED_MORE);

      g_assert (total_out + isthmus_jsonrpc_framer_get_buffered (framer) <= offset);
    }

  /* A frame made by isthmus_jsonrpc_frame () always parses back. */
  {
    g_autoptr(IsthmusJsonRpcFramer) clean = isthmus_jsonrpc_framer_new (MAX_FRAME);
    g_autoptr(GBytes) framed = isthmus_jsonrpc_frame ((const char *)data, MIN (size, MAX_FRAME));
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GError) error = NULL;

    isthmus_jsonrpc_framer_push (clean, g_bytes_get_data (framed, NULL), g_bytes_get_size (framed));
    g_assert (isthmus_jsonrpc_framer_next (clean, &body, &error) == ISTHMUS_FRAME_OK);
    g_assert (g_bytes_get_size (body) == MIN (size, MAX_FRAME));
  }

  return 0;
}

/* isthmus-json-guard.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-json-guard"

#include "config.h"

#include <stdarg.h>

#include "isthmus-error.h"
#include "isthmus-json-guard.h"
#include "isthmus-json-scan.h"

/* Bracket kinds are remembered for this many levels, one bit each, so that
 * "[}" is caught without allocating. Deeper levels, allowed only by a
 * max_depth above this, are counted but not matched by kind. */
#define KIND_STACK_BITS 1024

typedef enum
{
  STATE_VALUE,      /* outside any string */
  STATE_STRING,     /* inside a string */
  STATE_ESCAPE,     /* after a backslash inside a string */
  STATE_HEX,        /* inside the four hex digits of a \u escape */
  STATE_LOW_SLASH,  /* after a high surrogate escape: a backslash must follow */
  STATE_LOW_U,      /* after that backslash: a 'u' must follow */
} State;

static const IsthmusJsonLimits default_limits = {
  ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES,
  ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH,
};

/* Returns how many continuation bytes follow @lead and narrows the range the
 * first of them must fall in, which rules out overlong forms, UTF-16
 * surrogates and code points above U+10FFFF. Returns -1 for a byte that can
 * never start a sequence. */
static int
utf8_sequence (guchar  lead,
               guchar *first_min,
               guchar *first_max)
{
  *first_min = 0x80;
  *first_max = 0xBF;

  if (lead >= 0xC2 && lead <= 0xDF)
    return 1;

  if (lead >= 0xE0 && lead <= 0xEF)
    {
      if (lead == 0xE0)
        *first_min = 0xA0;
      else if (lead == 0xED)
        *first_max = 0x9F;
      return 2;
    }

  if (lead >= 0xF0 && lead <= 0xF4)
    {
      if (lead == 0xF0)
        *first_min = 0x90;
      else if (lead == 0xF4)
        *first_max = 0x8F;
      return 3;
    }

  return -1;
}

/* Sets @error with a message that starts with the code's name, as the
 * header promises, and returns FALSE. The message is built only when the
 * caller wants it. */
G_GNUC_PRINTF (3, 4)
static gboolean
fail (GError          **error,
      IsthmusIpcError   code,
      const char       *format,
      ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  if (error == NULL)
    return FALSE;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, ISTHMUS_IPC_ERROR, code, "%s: %s",
               isthmus_ipc_error_to_code (code), detail);

  return FALSE;
}

/**
 * isthmus_json_guard_check:
 * @text: (array length=length): the JSON text, not necessarily
 *   NUL-terminated
 * @length: the length of @text in bytes
 * @limits: (nullable): the limits, or %NULL for the defaults
 * @error: return location for an %ISTHMUS_IPC_ERROR
 *
 * Checks size, encoding and nesting of @text in one pass, without recursion
 * or allocation, before a JSON parser sees it. See the header for the codes.
 *
 * Returns: %TRUE if @text may be handed to the parser.
 */
gboolean
isthmus_json_guard_check (const char              *text,
                          gsize                    length,
                          const IsthmusJsonLimits *limits,
                          GError                 **error)
{
  guint64 kinds[KIND_STACK_BITS / 64] = { 0 };
  const guchar *p = (const guchar *)text;
  State state = STATE_VALUE;
  gsize depth = 0;
  gsize string_start = 0;
  gsize escape_start = 0;
  gsize high_start = 0;
  guint hex_left = 0;
  guint unit = 0;
  gboolean want_low = FALSE;

  g_return_val_if_fail (text != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (limits == NULL)
    limits = &default_limits;

  /* The size comes first: not a single byte is read before it passes. */
  if (length > limits->max_bytes)
    return fail (error, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE,
                 "%" G_GSIZE_FORMAT " bytes exceed the limit of %" G_GSIZE_FORMAT,
                 length, limits->max_bytes);

  for (gsize i = 0; i < length; i++)
    {
      guchar c;

      /* Plain ASCII string content, the bulk of a large message, in a
       * tight loop; everything else goes through the state machine. */
      if (state == STATE_STRING)
        {
          i = (gsize)(isthmus_json_scan_plain (p + i, p + length, TRUE, FALSE) - p);
          while (i < length && p[i] >= 0x20 && p[i] < 0x80 && p[i] != '"' && p[i] != '\\')
            i++;
          if (i == length)
            break;
        }

      c = p[i];

      if (c == 0)
        return fail (error, ISTHMUS_IPC_ERROR_BAD_ENCODING,
                     "NUL byte at offset %" G_GSIZE_FORMAT, i);

      if (c >= 0x80)
        {
          gsize start = i;
          guchar first_min;
          guchar first_max;
          int more = utf8_sequence (c, &first_min, &first_max);

          if (more < 0)
            return fail (error, ISTHMUS_IPC_ERROR_BAD_ENCODING,
                         "invalid UTF-8 at offset %" G_GSIZE_FORMAT, start);

          for (int k = 0; k < more; k++)
            {
              guchar min = k == 0 ? first_min : 0x80;
              guchar max = k == 0 ? first_max : 0xBF;

              if (i + 1 >= length || p[i + 1] < min || p[i + 1] > max)
                return fail (error, ISTHMUS_IPC_ERROR_BAD_ENCODING,
                             "invalid UTF-8 at offset %" G_GSIZE_FORMAT, start);
              i++;
            }

          /* A multi-byte character is plain string content, or outside a
           * string a grammar error left to the parser. It cannot continue
           * an escape, and after a high surrogate it leaves that alone. */
          if (state == STATE_LOW_SLASH || state == STATE_LOW_U)
            return fail (error, ISTHMUS_IPC_ERROR_BAD_ENCODING,
                         "lone surrogate escape at offset %" G_GSIZE_FORMAT,
                         high_start);
          if (state == STATE_ESCAPE || state == STATE_HEX)
            return fail (error, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                         "malformed escape at offset %" G_GSIZE_FORMAT,
                         escape_start);
          continue;
        }

      switch (state)
        {
        case STATE_VALUE:
          if (c == '"')
            {
              state = STATE_STRING;
              string_start = i;
            }
          else if (c == '[' || c == '{')
            {
              if (depth >= limits->max_depth)
                return fail (error, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP,
                             "nesting exceeds the limit of %u",
                             limits->max_depth);

              if (depth < KIND_STACK_BITS)
                {
                  guint64 bit = G_GUINT64_CONSTANT (1) << (depth % 64);

                  if (c == '{')
                    kinds[depth / 64] |= bit;
                  else
                    kinds[depth / 64] &= ~bit;
                }
              depth++;
            }
          else if (c == ']' || c == '}')
            {
              gboolean mismatch = depth == 0;

              if (!mismatch && depth - 1 < KIND_STACK_BITS)
                {
                  gboolean is_object = (kinds[(depth - 1) / 64] >> ((depth - 1) % 64)) & 1;

                  mismatch = is_object != (c == '}');
                }

              if (mismatch)
                return fail (error, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                             "unbalanced '%c' at offset %" G_GSIZE_FORMAT,
                             c, i);
              depth--;
            }
          break;

        case STATE_STRING:
          if (c == '"')
            state = STATE_VALUE;
          else if (c == '\\')
            {
              state = STATE_ESCAPE;
              escape_start = i;
            }
          else if (c < 0x20)
            return fail (error, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                         "control character 0x%02x in a string at offset %" G_GSIZE_FORMAT,
                         c, i);
          break;

        case STATE_ESCAPE:
          if (c == 'u')
            {
              state = STATE_HEX;
              hex_left = 4;
              unit = 0;
            }
          else if (c == '"' || c == '\\' || c == '/' || c == 'b' ||
                   c == 'f' || c == 'n' || c == 'r' || c == 't')
            state = STATE_STRING;
          else
            return fail (error, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                         "malformed escape at offset %" G_GSIZE_FORMAT,
                         escape_start);
          break;

        case STATE_HEX:
          {
            int v = g_ascii_xdigit_value ((char)c);

            if (v < 0)
              return fail (error, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                           "malformed \\u escape at offset %" G_GSIZE_FORMAT,
                           escape_start);

            unit = (unit << 4) | (guint)v;
            if (--hex_left > 0)
              break;

            state = STATE_STRING;

            if (want_low)
              {
                want_low = FALSE;
                if (unit < 0xDC00 || unit > 0xDFFF)
                  return fail (error, ISTHMUS_IPC_ERROR_BAD_ENCODING,
                               "lone surrogate escape at offset %" G_GSIZE_FORMAT,
                               high_start);
              }
            else if (unit == 0)
              return fail (error, ISTHMUS_IPC_ERROR_BAD_ENCODING,
                           "\\u0000 escape at offset %" G_GSIZE_FORMAT,
                           escape_start);
            else if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                want_low = TRUE;
                high_start = escape_start;
                state = STATE_LOW_SLASH;
              }
            else if (unit >= 0xDC00 && unit <= 0xDFFF)
              return fail (error, ISTHMUS_IPC_ERROR_BAD_ENCODING,
                           "lone surrogate escape at offset %" G_GSIZE_FORMAT,
                           escape_start);
          }
          break;

        case STATE_LOW_SLASH:
          if (c != '\\')
            return fail (error, ISTHMUS_IPC_ERROR_BAD_ENCODING,
                         "lone surrogate escape at offset %" G_GSIZE_FORMAT,
                         high_start);
          state = STATE_LOW_U;
          escape_start = i;
          break;

        case STATE_LOW_U:
          if (c == 'u')
            {
              state = STATE_HEX;
              hex_left = 4;
              unit = 0;
            }
          else if (c == '"' || c == '\\' || c == '/' || c == 'b' ||
                   c == 'f' || c == 'n' || c == 'r' || c == 't')
            return fail (error, ISTHMUS_IPC_ERROR_BAD_ENCODING,
                         "lone surrogate escape at offset %" G_GSIZE_FORMAT,
                         high_start);
          else
            return fail (error, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                         "malformed escape at offset %" G_GSIZE_FORMAT,
                         escape_start);
          break;

        default:
          g_assert_not_reached ();
        }
    }

  if (state != STATE_VALUE)
    return fail (error, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                 "unterminated string starting at offset %" G_GSIZE_FORMAT,
                 string_start);

  if (depth != 0)
    return fail (error, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                 "%" G_GSIZE_FORMAT " brackets left open at the end", depth);

  return TRUE;
}

/* isthmus-json-scan.h
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

#pragma once

#include <string.h>

#include <glib.h>

G_BEGIN_DECLS

/* Runs of plain string content, eight bytes at a time: the bulk of a
 * large message is one long string, and a byte-at-a-time loop over it
 * cost about a millisecond per MiB in the guard and again in the writer.
 *
 * Each test below is exact: it is nonzero if and only if some byte of
 * the word has the property. A byte below the threshold borrows from the
 * bytes above it, which may then be marked too, but no byte is marked
 * unless a lower or equal one truly has the property. */

#define ISTHMUS_JSON_SCAN_ONES  G_GUINT64_CONSTANT (0x0101010101010101)
#define ISTHMUS_JSON_SCAN_HIGHS G_GUINT64_CONSTANT (0x8080808080808080)

/* Some byte of @word is below @n (at most 0x80). */
static inline guint64
isthmus_json_scan_below (guint64 word,
                         guint   n)
{
  return (word - ISTHMUS_JSON_SCAN_ONES * n) & ~word & ISTHMUS_JSON_SCAN_HIGHS;
}

/* Some byte of @word is @byte. */
static inline guint64
isthmus_json_scan_has (guint64 word,
                       guchar  byte)
{
  return isthmus_json_scan_below (word ^ (ISTHMUS_JSON_SCAN_ONES * byte), 1);
}

/* The first word of [@p, @end) holding a byte a JSON string cannot take
 * as it is: a control character, the quote or the backslash; with
 * @stop_at_high also any byte of 0x80 or above, and with @stop_at_del
 * DEL. Returns where that word starts, or where the last whole word
 * ends: the caller goes on byte by byte from there. */
static inline const guchar *
isthmus_json_scan_plain (const guchar *p,
                         const guchar *end,
                         gboolean      stop_at_high,
                         gboolean      stop_at_del)
{
  while (end - p >= 8)
    {
      guint64 word;
      guint64 special;

      memcpy (&word, p, sizeof word);
      special = isthmus_json_scan_below (word, 0x20) |
                isthmus_json_scan_has (word, '"') |
                isthmus_json_scan_has (word, '\\');
      if (stop_at_high)
        special |= word & ISTHMUS_JSON_SCAN_HIGHS;
      if (stop_at_del)
        special |= isthmus_json_scan_has (word, 0x7f);
      if (special != 0)
        break;
      p += 8;
    }
  return p;
}

G_END_DECLS

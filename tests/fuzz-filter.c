/* fuzz-filter.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds arbitrary bytes to the filter parser. A parse either succeeds and
 * the filter can be matched against records, or fails with a syntax error
 * whose offset lies within the text and whose message starts with it.
 */

#define G_LOG_DOMAIN "fuzz-filter"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "isthmus-filter.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static GPtrArray *
sample_records (void)
{
  static GPtrArray *records;

  if (records == NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new_static ("{\"cmd\":\"greet\"}", 15);
      g_autoptr(GBytes) reply = g_bytes_new_static ("\"hi\"", 4);
      IsthmusExchange *ok = isthmus_exchange_new (1, ISTHMUS_EXCHANGE_INVOKE, "main", request);
      IsthmusExchange *pending = isthmus_exchange_new (2, ISTHMUS_EXCHANGE_EMIT, NULL, NULL);
      IsthmusExchange *failed = isthmus_exchange_new (3, ISTHMUS_EXCHANGE_CHANNEL, "wïndow", request);

      isthmus_exchange_set_command (ok, "greet");
      isthmus_exchange_complete (ok, ISTHMUS_EXCHANGE_OK, NULL, NULL, reply, 1234);
      isthmus_exchange_set_command (failed, "plugin:fs|read_file");
      isthmus_exchange_set_note (failed, "ünïcode note");
      isthmus_exchange_complete (failed, ISTHMUS_EXCHANGE_ERROR, "ACL_DENIED", "no", reply, 5);

      records = g_ptr_array_new ();
      g_ptr_array_add (records, ok);
      g_ptr_array_add (records, pending);
      g_ptr_array_add (records, failed);
    }

  return records;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(IsthmusFilter) filter = isthmus_filter_parse (text, &error);
  GPtrArray *records = sample_records ();

  if (filter != NULL)
    {
      g_assert_no_error (error);
      for (guint i = 0; i < records->len; i++)
        isthmus_filter_matches (filter, g_ptr_array_index (records, i));
    }
  else
    {
      int offset = isthmus_filter_error_get_offset (error);
      g_autofree char *prefix = g_strdup_printf ("at %d: ", offset);

      g_assert_error (error, ISTHMUS_FILTER_ERROR, ISTHMUS_FILTER_ERROR_SYNTAX);
      g_assert_cmpint (offset, >=, 0);
      g_assert_cmpint (offset, <=, (int)strlen (text));
      g_assert_true (g_str_has_prefix (error->message, prefix));
    }

  return 0;
}

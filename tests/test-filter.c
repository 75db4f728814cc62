/* test-filter.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-filter"

#include "config.h"

#include <string.h>

#include "isthmus-filter.h"

/* The fixture: one record per line of this table. */
typedef struct
{
  IsthmusExchangeKind   kind;
  const char           *command;
  const char           *window;
  IsthmusExchangeStatus status;
  const char           *code;
  gint64                duration_us;
  gsize                 request_size;
  gsize                 reply_size;
  const char           *note;
  const char           *isolation;
  int                   acl;   /* 0 none, 1 allowed, 2 denied, 3 unchecked */
} Fixture;

static const Fixture fixtures[] = {
  /* 0 */ { ISTHMUS_EXCHANGE_INVOKE, "greet", "main", ISTHMUS_EXCHANGE_OK, NULL, 3000, 100, 20, NULL, "passed", 1 },
  /* 1 */ { ISTHMUS_EXCHANGE_INVOKE, "greet_slow", "main", ISTHMUS_EXCHANGE_OK, NULL, 250000, 40, 2000, NULL, NULL, 1 },
  /* 2 */ { ISTHMUS_EXCHANGE_INVOKE, "plugin:fs|read_file", "settings", ISTHMUS_EXCHANGE_ERROR, "ACL_DENIED", 150, 60, 50, NULL, NULL, 2 },
  /* 3 */ { ISTHMUS_EXCHANGE_EMIT, "user-login", "main", ISTHMUS_EXCHANGE_OK, NULL, 50, 30, 4, "reached 2 listeners", NULL, 0 },
  /* 4 */ { ISTHMUS_EXCHANGE_EVENT, "tauri://focus", "main", ISTHMUS_EXCHANGE_OK, NULL, 10, 10, 0, NULL, NULL, 0 },
  /* 5 */ { ISTHMUS_EXCHANGE_INVOKE, "transfer", "main", ISTHMUS_EXCHANGE_ERROR, "ISOLATION_BLOCKED", 800, 90, 70, NULL, "blocked", 3 },
  /* 6 */ { ISTHMUS_EXCHANGE_INVOKE, "upload", "main", ISTHMUS_EXCHANGE_PENDING, NULL, -1, 70000, 0, NULL, NULL, 1 },
  /* 7 */ { ISTHMUS_EXCHANGE_LIFECYCLE, "page-load", "main", ISTHMUS_EXCHANGE_OK, NULL, 0, 2, 2, "navigated to index.html", NULL, 0 },
};

#define ALL ((1u << G_N_ELEMENTS (fixtures)) - 1)
#define R(n) (1u << (n))

static IsthmusExchange *
make_record (guint          index,
             const Fixture *f)
{
  g_autofree char *request_text = NULL;
  g_autofree char *reply_text = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autoptr(GBytes) reply = NULL;
  IsthmusExchange *exchange;

  /* A JSON request padded to the wanted size. */
  request_text = g_strnfill (f->request_size, ' ');
  if (f->request_size >= 2)
    {
      request_text[0] = '{';
      request_text[f->request_size - 1] = '}';
    }
  request = g_bytes_new (request_text, f->request_size);
  reply_text = g_strnfill (f->reply_size, '1');
  reply = g_bytes_new (reply_text, f->reply_size);

  exchange = isthmus_exchange_new (index + 1, f->kind, f->window, request);
  isthmus_exchange_set_command (exchange, f->command);
  isthmus_exchange_set_note (exchange, f->note);
  if (f->acl != 0)
    {
      g_autoptr(IsthmusAclVerdict) verdict =
        isthmus_acl_verdict_new_restored (f->command, f->acl != 3, f->acl != 2, "default",
                                          NULL, "because", NULL);

      isthmus_exchange_set_acl_verdict (exchange, verdict);
    }
  if (f->isolation != NULL)
    {
      IsthmusExchangeIsolation info = { 0 };

      info.verdict = f->isolation;
      info.hook_us = info.encrypt_us = info.transport_us = info.decrypt_us = -1;
      isthmus_exchange_set_isolation (exchange, &info);
    }
  if (f->status != ISTHMUS_EXCHANGE_PENDING)
    isthmus_exchange_complete (exchange, f->status, f->code, NULL, reply, f->duration_us);

  return exchange;
}

static GPtrArray *
make_records (void)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    g_ptr_array_add (records, make_record (i, &fixtures[i]));

  return records;
}

static const struct
{
  const char *text;
  guint       expected;
} match_cases[] = {
  { "", ALL },
  { "   ", ALL },
  { "cmd:greet", R (0) },
  { "cmd:greet*", R (0) | R (1) },
  { "cmd:GREET*", R (0) | R (1) },
  { "cmd:gr?et", R (0) },
  { "cmd:*_slow", R (1) },
  { "cmd:*fs*", R (2) },
  { "cmd:p*:fs|*_f?le", R (2) },
  { "cmd:plugin:fs|read_file", R (2) },
  { "cmd:\"user-login\"", R (3) },
  { "-cmd:greet*", ALL & ~(R (0) | R (1)) },
  { "event:", R (3) | R (4) },
  { "event:user*", R (3) },
  { "event:tauri://*", R (4) },
  { "event:greet", 0 },
  { "window:settings", R (2) },
  { "window:m*", ALL & ~R (2) },
  { "kind:invoke", R (0) | R (1) | R (2) | R (5) | R (6) },
  { "kind:emit|event", R (3) | R (4) },
  { "kind:lifecycle", R (7) },
  { "KIND:Channel", 0 },
  { "verdict:blocked", R (5) },
  { "verdict:denied", R (2) },
  { "verdict:passed|denied", R (0) | R (2) },
  { "verdict:allowed", R (0) | R (1) | R (6) },
  { "verdict:unchecked", R (5) },
  { "status:ok", R (0) | R (1) | R (3) | R (4) | R (7) },
  { "status:error|pending", R (2) | R (5) | R (6) },
  { "-status:ok", R (2) | R (5) | R (6) },
  { "err:ACL_DENIED", R (2) },
  { "err:acl_denied", R (2) },
  { "err:ISOLATION_*", R (5) },
  { "err:*", R (2) | R (5) },
  { "dur>5ms", R (1) },
  { "dur>=3ms", R (0) | R (1) },
  { "dur<=200us", R (2) | R (3) | R (4) | R (7) },
  { "dur<200µs", R (2) | R (3) | R (4) | R (7) },
  { "dur<200μs", R (2) | R (3) | R (4) | R (7) },
  { "dur=800us", R (5) },
  { "dur>=1s", 0 },
  { "dur<0.25s", ALL & ~(R (1) | R (6)) },
  { "dur>0.8ms", R (0) | R (1) },
  { "-dur>1ms", ALL & ~(R (0) | R (1)) },
  { "size>64k", R (6) },
  { "size<1m", ALL },
  { "size>=2000", R (1) | R (6) },
  { "reqsize>64k", R (6) },
  { "replysize>1k", R (1) },
  { "replysize=0", R (4) | R (6) },
  { "greet", R (0) | R (1) },
  { "GREET", R (0) | R (1) },
  { "settings", R (2) },
  { "acl_denied", R (2) },
  { "listeners", R (3) },
  { "\"index.html\"", R (7) },
  { "\"navigated to\"", R (7) },
  { "\"\"", ALL },
  { "plugin:fs", R (2) },
  { "greet -cmd:greet_slow", R (0) },
  { "kind:invoke status:ok dur>1ms", R (0) | R (1) },
  { "kind:invoke -verdict:allowed", R (2) | R (5) },
  { "  cmd:greet\tstatus:ok  ", R (0) },
  { "nothing-matches-this", 0 },
};

static void
test_matches (void)
{
  g_autoptr(GPtrArray) records = make_records ();

  for (guint c = 0; c < G_N_ELEMENTS (match_cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IsthmusFilter) filter = isthmus_filter_parse (match_cases[c].text, &error);
      guint got = 0;

      g_assert_no_error (error);
      g_assert_nonnull (filter);
      g_assert_cmpstr (isthmus_filter_get_text (filter), ==, match_cases[c].text);

      for (guint i = 0; i < records->len; i++)
        if (isthmus_filter_matches (filter, g_ptr_array_index (records, i)))
          got |= R (i);

      if (got != match_cases[c].expected)
        g_error ("filter “%s”: matched 0x%x, expected 0x%x",
                 match_cases[c].text, got, match_cases[c].expected);
    }
}

static void
test_empty (void)
{
  g_autoptr(GPtrArray) records = make_records ();
  g_autoptr(IsthmusFilter) empty = isthmus_filter_parse (NULL, NULL);
  g_autoptr(IsthmusFilter) some = isthmus_filter_parse ("cmd:x", NULL);

  g_assert_true (isthmus_filter_is_empty (empty));
  g_assert_true (isthmus_filter_is_empty (NULL));
  g_assert_false (isthmus_filter_is_empty (some));
  for (guint i = 0; i < records->len; i++)
    {
      g_assert_true (isthmus_filter_matches (NULL, g_ptr_array_index (records, i)));
      g_assert_true (isthmus_filter_matches (empty, g_ptr_array_index (records, i)));
    }
}

static const struct
{
  const char *text;
  int         offset;
  const char *expected;
} error_cases[] = {
  { "dur>abc", 4, "expected a duration like 5ms" },
  { "dur>5", 4, "expected a duration like 5ms" },
  { "dur>5xs", 4, "expected a duration like 5ms" },
  { "cmd:a dur<=", 11, "expected a duration like 5ms" },
  { "dur:5ms", 3, "expected a comparison" },
  { "size:1k", 4, "expected a comparison" },
  { "size<1q", 5, "expected a size like 64k" },
  { "reqsize>k", 8, "expected a size like 64k" },
  { "kind:invoke|bogus", 12, "expected one of invoke" },
  { "kind:", 5, "expected a value" },
  { "status:fine", 7, "expected one of ok, error, pending" },
  { "status:ok|", 10, "expected one of ok, error, pending" },
  { "cmd:", 4, "expected a value after “cmd:”" },
  { "-", 1, "expected a term after" },
  { "foo - bar", 5, "expected a term after" },
  { "cmd:greet \"unterminated", 10, "expected a closing quote" },
  { "cmd:\"open", 4, "expected a closing quote" },
  { "\"ab\"c", 4, "expected a space after the closing quote" },
  { "window:\"a\"b", 10, "expected a space after the closing quote" },
};

static void
test_errors (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (error_cases); c++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(IsthmusFilter) filter = isthmus_filter_parse (error_cases[c].text, &error);
      g_autofree char *prefix = g_strdup_printf ("at %d: ", error_cases[c].offset);
      g_autoptr(GError) copy = NULL;

      if (filter != NULL)
        g_error ("filter “%s” parsed", error_cases[c].text);
      g_assert_error (error, ISTHMUS_FILTER_ERROR, ISTHMUS_FILTER_ERROR_SYNTAX);
      if (isthmus_filter_error_get_offset (error) != error_cases[c].offset)
        g_error ("filter “%s”: offset %d, expected %d (%s)", error_cases[c].text,
                 isthmus_filter_error_get_offset (error), error_cases[c].offset, error->message);
      g_assert_true (g_str_has_prefix (error->message, prefix));
      g_assert_nonnull (strstr (error->message, error_cases[c].expected));

      /* The offset survives a copy. */
      copy = g_error_copy (error);
      g_assert_cmpint (isthmus_filter_error_get_offset (copy), ==, error_cases[c].offset);

      /* Without an error location it still fails. */
      g_assert_null (isthmus_filter_parse (error_cases[c].text, NULL));
    }

  {
    g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "x");

    g_assert_cmpint (isthmus_filter_error_get_offset (other), ==, -1);
    g_assert_cmpint (isthmus_filter_error_get_offset (NULL), ==, -1);
  }
}

static void
test_refcount (void)
{
  IsthmusFilter *filter = isthmus_filter_parse ("cmd:a*", NULL);
  GValue value = G_VALUE_INIT;

  g_assert_true (isthmus_filter_ref (filter) == filter);
  isthmus_filter_unref (filter);

  g_value_init (&value, ISTHMUS_TYPE_FILTER);
  g_value_set_boxed (&value, filter);
  g_assert_true (g_value_get_boxed (&value) == filter);
  g_value_unset (&value);

  isthmus_filter_unref (filter);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/filter/matches", test_matches);
  g_test_add_func ("/isthmus/filter/empty", test_empty);
  g_test_add_func ("/isthmus/filter/errors", test_errors);
  g_test_add_func ("/isthmus/filter/refcount", test_refcount);

  return g_test_run ();
}

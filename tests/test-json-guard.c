/* test-json-guard.c
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

#define G_LOG_DOMAIN "test-json-guard"

#include "config.h"

#include <json-glib/json-glib.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>

#include "isthmus-error.h"
#include "isthmus-json-guard.h"
#include "isthmus-json-scan.h"

#define ACCEPT (-1)

/* Generous even under ASan: the guard stops at the first level past 128. */
#define QUICK_USEC (G_USEC_PER_SEC / 2)

typedef enum
{
  NEST_ARRAY,
  NEST_OBJECT,
  NEST_MIXED,
} Nest;

static const char *
nest_name (Nest nest)
{
  switch (nest)
    {
    case NEST_ARRAY:
      return "[";
    case NEST_OBJECT:
      return "{\"a\":";
    case NEST_MIXED:
    default:
      return "mixed";
    }
}

/* Builds @depth levels of @nest around the scalar 1, closed when @closed. */
static char *
make_nested (Nest     nest,
             gsize    depth,
             gboolean closed)
{
  GString *s = g_string_sized_new (depth * 6 + 2);

  for (gsize i = 0; i < depth; i++)
    {
      gboolean object = nest == NEST_OBJECT || (nest == NEST_MIXED && i % 2 == 1);

      g_string_append (s, object ? "{\"a\":" : "[");
    }

  g_string_append_c (s, '1');

  if (closed)
    {
      for (gsize i = depth; i > 0; i--)
        {
          gboolean object = nest == NEST_OBJECT || (nest == NEST_MIXED && (i - 1) % 2 == 1);

          g_string_append_c (s, object ? '}' : ']');
        }
    }

  return g_string_free (s, FALSE);
}

/* Checks @text against the guard: ACCEPT, or the expected error code. The
 * message must start with the code's name. */
static void
expect_len (const char *text,
            gsize       length,
            int         code)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = isthmus_json_guard_check (text, length, NULL, &error);

  if (code == ACCEPT)
    {
      if (!ok)
        g_test_message ("unexpected rejection: %s", error->message);
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_autofree char *prefix = NULL;

      g_assert_false (ok);
      g_assert_error (error, ISTHMUS_IPC_ERROR, code);
      prefix = g_strconcat (isthmus_ipc_error_to_code (code), ": ", NULL);
      g_assert_true (g_str_has_prefix (error->message, prefix));
    }

  /* The same verdict without an error location. */
  g_assert_cmpint (isthmus_json_guard_check (text, length, NULL, NULL), ==, ok);
}

static void
expect (const char *text,
        int         code)
{
  expect_len (text, strlen (text), code);
}

static void
assert_parses (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
}

static void
test_depth_limit (void)
{
  for (Nest nest = NEST_ARRAY; nest <= NEST_MIXED; nest++)
    {
      g_autofree char *ok = make_nested (nest, 128, TRUE);
      g_autofree char *deep = make_nested (nest, 129, TRUE);
      g_autofree char *deep_open = make_nested (nest, 129, FALSE);

      g_test_message ("nesting with %s", nest_name (nest));
      expect (ok, ACCEPT);
      assert_parses (ok);
      expect (deep, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
      expect (deep_open, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
    }
}

static void
test_depth_message (void)
{
  g_autofree char *deep = make_nested (NEST_ARRAY, 129, TRUE);
  g_autoptr(GError) error = NULL;

  g_assert_false (isthmus_json_guard_check (deep, strlen (deep), NULL, &error));
  g_assert_cmpstr (error->message, ==, "JSON_TOO_DEEP: nesting exceeds the limit of 128");
}

static void
test_depth_custom (void)
{
  IsthmusJsonLimits zero = { 1024, 0 };
  IsthmusJsonLimits wide = { 64 * 1024, 2000 };
  g_autofree char *d1500 = make_nested (NEST_MIXED, 1500, TRUE);
  g_autofree char *d2001 = make_nested (NEST_ARRAY, 2001, TRUE);
  g_autoptr(GError) error = NULL;

  g_assert_true (isthmus_json_guard_check ("1", 1, &zero, NULL));
  g_assert_true (isthmus_json_guard_check ("\"[\"", 3, &zero, NULL));
  g_assert_false (isthmus_json_guard_check ("[]", 2, &zero, &error));
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
  g_assert_cmpstr (error->message, ==, "JSON_TOO_DEEP: nesting exceeds the limit of 0");
  g_clear_error (&error);

  /* Deeper than the kind stack: still counted exactly. */
  g_assert_true (isthmus_json_guard_check (d1500, strlen (d1500), &wide, NULL));
  g_assert_false (isthmus_json_guard_check (d2001, strlen (d2001), &wide, &error));
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
}

static void
check_very_deep (gsize depth)
{
  for (Nest nest = NEST_ARRAY; nest <= NEST_MIXED; nest++)
    {
      for (int closed = 0; closed <= 1; closed++)
        {
          g_autofree char *text = make_nested (nest, depth, closed);
          g_autoptr(GError) error = NULL;
          gint64 start = g_get_monotonic_time ();
          gboolean ok = isthmus_json_guard_check (text, strlen (text), NULL, &error);
          gint64 elapsed = g_get_monotonic_time () - start;

          g_test_message ("depth %" G_GSIZE_FORMAT " %s closed=%d: %" G_GINT64_FORMAT " us",
                          depth, nest_name (nest), closed, elapsed);
          g_assert_false (ok);
          g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
          g_assert_cmpint (elapsed, <, QUICK_USEC);
        }
    }
}

static void
test_very_deep (void)
{
  check_very_deep (1000);
  check_very_deep (100000);
  check_very_deep (1000000);
}

typedef struct
{
  gboolean array_rejected;
  gboolean object_rejected;
  gboolean limit_accepted;
  gboolean limit_parsed;
} SmallStackResult;

static void *
small_stack_thread (void *data)
{
  SmallStackResult *result = data;
  g_autofree char *arrays = make_nested (NEST_ARRAY, 1000000, FALSE);
  g_autofree char *objects = make_nested (NEST_OBJECT, 1000000, TRUE);
  g_autofree char *limit = make_nested (NEST_MIXED, 128, TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  result->array_rejected =
    !isthmus_json_guard_check (arrays, strlen (arrays), NULL, &error) &&
    g_error_matches (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
  g_clear_error (&error);

  result->object_rejected =
    !isthmus_json_guard_check (objects, strlen (objects), NULL, &error) &&
    g_error_matches (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
  g_clear_error (&error);

  /* What the guard lets through, json-glib parses on this small stack. */
  result->limit_accepted = isthmus_json_guard_check (limit, strlen (limit), NULL, NULL);
  result->limit_parsed = result->limit_accepted &&
                         json_parser_load_from_data (parser, limit, -1, NULL) &&
                         json_parser_get_root (parser) != NULL;

  return NULL;
}

static void
test_small_stack (void)
{
  SmallStackResult result = { 0 };
  pthread_attr_t attr;
  pthread_t thread;

  g_assert_cmpint (pthread_attr_init (&attr), ==, 0);
  g_assert_cmpint (pthread_attr_setstacksize (&attr, 256 * 1024), ==, 0);
  g_assert_cmpint (pthread_create (&thread, &attr, small_stack_thread, &result), ==, 0);
  g_assert_cmpint (pthread_join (thread, NULL), ==, 0);
  pthread_attr_destroy (&attr);

  g_assert_true (result.array_rejected);
  g_assert_true (result.object_rejected);
  g_assert_true (result.limit_accepted);
  g_assert_true (result.limit_parsed);
}

static void
test_strings (void)
{
  g_autoptr(GString) many = g_string_new ("[\"");
  g_autofree char *deep_with_strings = NULL;
  GString *s;

  for (int i = 0; i < 1000; i++)
    g_string_append (many, "[{");
  g_string_append (many, "\"]");
  expect (many->str, ACCEPT);
  assert_parses (many->str);

  expect ("{\"[[[\": \"]]]}\"}", ACCEPT);
  expect ("[\"]\"]", ACCEPT);
  expect ("[\"}\", \"{\"]", ACCEPT);

  /* Escaped quotes do not end a string, escaped backslashes do. */
  expect ("[\"a\\\"[[[\"]", ACCEPT);
  expect ("[\"\\\\\"]", ACCEPT);
  expect ("[\"\\\\\"[", ISTHMUS_IPC_ERROR_BAD_MESSAGE);
  expect ("[\"\\\"]", ISTHMUS_IPC_ERROR_BAD_MESSAGE);
  expect ("{\"k\\\"}\":\"v\\\\\"}", ACCEPT);

  /* 128 real levels, each with a bracket-laden string: still accepted. */
  s = g_string_new (NULL);
  for (int i = 0; i < 128; i++)
    g_string_append (s, "[\"[{[{\",");
  g_string_append_c (s, '1');
  for (int i = 0; i < 128; i++)
    g_string_append_c (s, ']');
  deep_with_strings = g_string_free (s, FALSE);
  expect (deep_with_strings, ACCEPT);
  assert_parses (deep_with_strings);

  /* Valid escapes of every kind. */
  expect ("[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\uFFFF\"]", ACCEPT);
}

static void
test_size_limit (void)
{
  const gsize huge = 64 * 1024 * 1024;
  IsthmusJsonLimits four = { 4, 128 };
  g_autoptr(GError) error = NULL;
  void *region;

  /* A region that cannot be read: the guard must decide on the length
   * alone, or this test dies of SIGSEGV. */
  region = mmap (NULL, huge, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  g_assert_true (region != MAP_FAILED);

  g_assert_false (isthmus_json_guard_check (region, huge, NULL, &error));
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE);
  g_assert_true (g_str_has_prefix (error->message, "PAYLOAD_TOO_LARGE: "));
  g_assert_nonnull (strstr (error->message, "16777216"));
  g_clear_error (&error);

  g_assert_false (isthmus_json_guard_check (region, ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES + 1, NULL, &error));
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE);
  g_clear_error (&error);

  g_assert_cmpint (munmap (region, huge), ==, 0);

  g_assert_true (isthmus_json_guard_check ("[1]", 3, &four, NULL));
  g_assert_true (isthmus_json_guard_check ("[12]", 4, &four, NULL));
  g_assert_false (isthmus_json_guard_check ("[123]", 5, &four, &error));
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE);
  g_clear_error (&error);

  /* Size wins over every other problem. */
  g_assert_false (isthmus_json_guard_check ("[\0\xff[[[", 7, &four, &error));
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE);
}

static void
test_length_bound (void)
{
  /* Only @length bytes are read: the rest of the buffer does not count. */
  expect_len ("[1]]]]", 3, ACCEPT);
  expect_len ("[]", 1, ISTHMUS_IPC_ERROR_BAD_MESSAGE);
  expect_len ("\"ab\"\xff", 4, ACCEPT);
  expect_len ("", 0, ACCEPT);
  g_assert_true (isthmus_json_guard_check (NULL, 0, NULL, NULL));
}

static void
test_utf8 (void)
{
  static const struct {
    const char *text;
    int code;
  } cases[] = {
    { "[\"\xc3\xa9\"]", ACCEPT },                   /* é */
    { "[\"\xe2\x82\xac\"]", ACCEPT },               /* € */
    { "[\"\xf0\x9f\x98\x80\"]", ACCEPT },           /* 😀 */
    { "[\"\xf4\x8f\xbf\xbf\"]", ACCEPT },           /* U+10FFFF */
    { "[\"\xed\x9f\xbf\"]", ACCEPT },               /* U+D7FF */
    { "[\"\xee\x80\x80\"]", ACCEPT },               /* U+E000 */
    { "[\"\xc2\x80\"]", ACCEPT },                   /* U+0080 */
    { "[\"\xc0\x80\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },     /* overlong NUL */
    { "[\"\xc0\xaf\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },     /* overlong '/' */
    { "[\"\xc1\xbf\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\xe0\x80\xaf\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING }, /* overlong, 3 bytes */
    { "[\"\xe0\x9f\xbf\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\xf0\x80\x80\xaf\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\xf0\x8f\xbf\xbf\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\xed\xa0\x80\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING }, /* U+D800 in UTF-8 */
    { "[\"\xed\xbf\xbf\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING }, /* U+DFFF in UTF-8 */
    { "[\"\xed\xa0\xbd\xed\xb8\x80\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING }, /* CESU-8 pair */
    { "[\"\xf4\x90\x80\x80\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING }, /* above U+10FFFF */
    { "[\"\xf5\x80\x80\x80\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\xf8\x88\x80\x80\x80\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\xfe\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\xff\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\x80\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },         /* lone continuation */
    { "[\"\xbf\xbf\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\xc3\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },         /* truncated, quote follows */
    { "[\"\xe2\x82\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\xe2\x82" "A\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\xf0\x9f\x98\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"a\xe2\x82", ISTHMUS_IPC_ERROR_BAD_ENCODING },       /* truncated at the end */
    { "[\"a\xf0\x9f\x98", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"a\xc3", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[1]\xff", ISTHMUS_IPC_ERROR_BAD_ENCODING },            /* outside strings too */
    { "\xef\xbb\xbf[1]", ACCEPT },                  /* a BOM is valid UTF-8; grammar is the parser's */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      expect (cases[i].text, cases[i].code);
    }
}

static void
test_nul (void)
{
  g_autoptr(GError) error = NULL;

  expect_len ("[\"a\0b\"]", 7, ISTHMUS_IPC_ERROR_BAD_ENCODING);
  expect_len ("[1,\0 2]", 7, ISTHMUS_IPC_ERROR_BAD_ENCODING);
  expect_len ("\0", 1, ISTHMUS_IPC_ERROR_BAD_ENCODING);
  expect_len ("[1]\0", 4, ISTHMUS_IPC_ERROR_BAD_ENCODING);
  expect ("[\"a\\u0000b\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  expect ("{\"\\u0000\":1}", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  expect ("[\"\\u0001\"]", ACCEPT);
  expect ("[\"\\\\u0000\"]", ACCEPT); /* an escaped backslash, then text */

  g_assert_false (isthmus_json_guard_check ("[\"\\u0000\"]", 10, NULL, &error));
  g_assert_cmpstr (error->message, ==, "BAD_ENCODING: \\u0000 escape at offset 2");
}

static void
test_surrogates (void)
{
  static const struct {
    const char *text;
    int code;
  } cases[] = {
    { "[\"\\ud83d\\ude00\"]", ACCEPT },
    { "[\"\\uD83D\\uDE00\"]", ACCEPT },
    { "[\"\\ud800\\udc00\"]", ACCEPT },
    { "[\"\\udbff\\udfff\"]", ACCEPT },
    { "[\"a\\ud83d\\ude00b\\ud83d\\ude00\"]", ACCEPT },
    { "[\"\\ud7ff\\ue000\"]", ACCEPT },
    { "[\"\\ud800\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\\udc00\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\\udfff\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\\ud800x\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\\ud800\\n\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\\ud800\\\\\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\\ud800\\u0041\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\\ud800\\ud800\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\\ude00\\ud83d\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\\ud800\xc3\xa9\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "{\"\\ud800\":1}", ISTHMUS_IPC_ERROR_BAD_ENCODING },
    { "[\"\\ud800\\q\"]", ISTHMUS_IPC_ERROR_BAD_MESSAGE },
    { "[\"\\ud800\\udc0", ISTHMUS_IPC_ERROR_BAD_MESSAGE },    /* cut short */
    { "[\"\\ud800", ISTHMUS_IPC_ERROR_BAD_MESSAGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u: %s", i, cases[i].text);
      expect (cases[i].text, cases[i].code);
    }
}

static void
test_malformed (void)
{
  static const char * const bad[] = {
    "[",
    "]",
    "{",
    "}",
    "[}",
    "{]",
    "[[]",
    "[]]",
    "{}}",
    "{\"a\":[}",
    "[1,{\"a\":2]}",
    "[\"abc",
    "\"abc",
    "[\"abc\\",
    "[\"\\x\"]",
    "[\"\\U0041\"]",
    "[\"\\u12\"]",
    "[\"\\u12g4\"]",
    "[\"\\u\"]",
    "[\"a\nb\"]",
    "[\"a\tb\"]",
    "[\"\x1f\"]",
    "[\"\\\xc3\xa9\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_test_message ("case %u", i);
      expect (bad[i], ISTHMUS_IPC_ERROR_BAD_MESSAGE);
    }
}

static void
test_valid (void)
{
  static const char * const good[] = {
    "{}",
    "[]",
    "1",
    "-1.5e3",
    "\"text\"",
    "null",
    "true",
    " [ 1 , 2 ]\n",
    "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{\"name\":\"x\"}}",
    "{\"a\":[{\"b\":[{\"c\":{}}]}]}",
    "[\"\\u00e9\\u20ac\", \"\xc3\xa9\"]",
    "\r\n\t[1]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_test_message ("case %u: %s", i, good[i]);
      expect (good[i], ACCEPT);
      assert_parses (good[i]);
    }
}

static void
test_error_codes (void)
{
  for (int code = 0; code < ISTHMUS_IPC_ERROR_LAST; code++)
    {
      const char *name = isthmus_ipc_error_to_code (code);
      IsthmusIpcError back = ISTHMUS_IPC_ERROR_LAST;

      g_assert_nonnull (name);
      g_assert_true (isthmus_ipc_error_from_code (name, &back));
      g_assert_cmpint (back, ==, code);
    }

  g_assert_cmpstr (isthmus_ipc_error_to_code (ISTHMUS_IPC_ERROR_RATE_LIMITED), ==, "RATE_LIMITED");
  g_assert_cmpstr (isthmus_ipc_error_to_code (ISTHMUS_IPC_ERROR_ISOLATION_REJECTED), ==, "ISOLATION_REJECTED");
  g_assert_cmpstr (isthmus_ipc_error_to_code (ISTHMUS_IPC_ERROR_ISOLATION_BLOCKED), ==, "ISOLATION_BLOCKED");
  g_assert_cmpstr (isthmus_ipc_error_to_code (ISTHMUS_IPC_ERROR_ACL_DENIED), ==, "ACL_DENIED");
  g_assert_cmpstr (isthmus_ipc_error_to_code (ISTHMUS_IPC_ERROR_LAST), ==, "INTERNAL");
  g_assert_false (isthmus_ipc_error_from_code ("NO_SUCH_CODE", NULL));
  g_assert_false (isthmus_ipc_error_from_code ("", NULL));
}

static void
assert_page_value (GQuark      domain,
                   int         code,
                   const char *message,
                   const char *expected)
{
  g_autoptr(GError) error = g_error_new_literal (domain, code, message);
  g_autofree char *value = isthmus_ipc_error_to_page_value (error);

  g_assert_cmpstr (value, ==, expected);
}

static void
test_page_value (void)
{
  assert_page_value (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_UNKNOWN_COMMAND,
                     "Command nope not found", "Command nope not found");
  assert_page_value (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_ARGS,
                     "invalid args `name` for command `greet`: command greet missing required key name",
                     "invalid args `name` for command `greet`: command greet missing required key name");
  assert_page_value (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ACL_DENIED,
                     "Command plugin:fs|read_file not allowed by ACL",
                     "Command plugin:fs|read_file not allowed by ACL");
  assert_page_value (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_HANDLER_ERROR,
                     "boom", "HANDLER_ERROR: boom");
  assert_page_value (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_RATE_LIMITED,
                     "too many calls", "RATE_LIMITED: too many calls");
  assert_page_value (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_BLOCKED,
                     "the hook threw", "ISOLATION_BLOCKED: the hook threw");
  /* Messages that already carry their code are not prefixed twice. */
  assert_page_value (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP,
                     "JSON_TOO_DEEP: nesting exceeds the limit of 128",
                     "JSON_TOO_DEEP: nesting exceeds the limit of 128");
  assert_page_value (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                     "BAD_MESSAGEX", "BAD_MESSAGE: BAD_MESSAGEX");
  assert_page_value (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                     "", "BAD_MESSAGE: ");
  assert_page_value (ISTHMUS_IPC_ERROR, 9999, "odd", "INTERNAL: odd");
  assert_page_value (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No such file", "INTERNAL: No such file");
  assert_page_value (G_IO_ERROR, ISTHMUS_IPC_ERROR_UNKNOWN_COMMAND,
                     "Command x not found", "INTERNAL: Command x not found");
}

static void
test_guard_error_page_value (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert_false (isthmus_json_guard_check ("[", 1, NULL, &error));
  value = isthmus_ipc_error_to_page_value (error);
  g_assert_cmpstr (value, ==, error->message);
  g_assert_true (g_str_has_prefix (value, "BAD_MESSAGE: "));
}

/* Whether @c stops isthmus_json_scan_plain(), byte by byte. */
static gboolean
scan_stops_at (guchar   c,
               gboolean stop_at_high,
               gboolean stop_at_del)
{
  return c < 0x20 || c == '"' || c == '\\' ||
         (stop_at_high && c >= 0x80) || (stop_at_del && c == 0x7f);
}

/* The word scan against a byte-by-byte reading of the same rule, over
 * random buffers drawn mostly from the bytes next to each threshold. */
static void
test_scan_words (void)
{
  static const guchar near[] = {
    0x00, 0x01, 0x1f, 0x20, 0x21, '"', '#', '[', '\\', ']', 'a', 0x7e, 0x7f,
    0x80, 0x81, 0xbf, 0xc3, 0xfe, 0xff,
  };
  GRand *rand = g_rand_new_with_seed (20261127);

  for (guint round = 0; round < 200000; round++)
    {
      guchar buffer[48];
      guint length = g_rand_int_range (rand, 0, sizeof buffer + 1);
      guint plain_odds = g_rand_int_range (rand, 1, 200);
      gboolean stop_at_high = g_rand_boolean (rand);
      gboolean stop_at_del = g_rand_boolean (rand);
      const guchar *end = buffer + length;
      const guchar *q;
      gsize first = length;

      for (guint i = 0; i < length; i++)
        buffer[i] = g_rand_int_range (rand, 0, plain_odds) != 0 ? 'x' :
                    g_rand_boolean (rand) ? near[g_rand_int_range (rand, 0, G_N_ELEMENTS (near))] :
                    (guchar)g_rand_int_range (rand, 0, 256);
      for (guint i = 0; i < length && first == length; i++)
        if (scan_stops_at (buffer[i], stop_at_high, stop_at_del))
          first = i;

      q = isthmus_json_scan_plain (buffer, end, stop_at_high, stop_at_del);

      /* Whole words only, never past the first stop, and it stops at the
       * word holding it or the last whole word. */
      g_assert_cmpuint ((q - buffer) % 8, ==, 0);
      g_assert_cmpuint (q - buffer, <=, first);
      if (first < length && first / 8 * 8 + 8 <= length)
        g_assert_cmpuint (q - buffer, ==, first / 8 * 8);
      else
        g_assert_cmpuint (q - buffer, ==, MIN (first, length) / 8 * 8);
    }

  g_rand_free (rand);
}

/* Each kind of byte the guard must stop at, at every offset into the
 * eight-byte words of a long string, with its exact offset reported. */
static void
test_scan_offsets (void)
{
  static const struct
  {
    const char *bytes;
    int         code;
    const char *message;
  } cases[] = {
    { "\x01", ISTHMUS_IPC_ERROR_BAD_MESSAGE, "BAD_MESSAGE: control character 0x01 in a string at offset " },
    { "\x1f", ISTHMUS_IPC_ERROR_BAD_MESSAGE, "BAD_MESSAGE: control character 0x1f in a string at offset " },
    { "\x80", ISTHMUS_IPC_ERROR_BAD_ENCODING, "BAD_ENCODING: invalid UTF-8 at offset " },
    { "\xc3(", ISTHMUS_IPC_ERROR_BAD_ENCODING, "BAD_ENCODING: invalid UTF-8 at offset " },
    { "\xff", ISTHMUS_IPC_ERROR_BAD_ENCODING, "BAD_ENCODING: invalid UTF-8 at offset " },
    { "\xc3\xa9", ACCEPT, NULL },
    { "\xf0\x9f\x98\x80", ACCEPT, NULL },
    { "\\\"", ACCEPT, NULL },
    { "\\\\", ACCEPT, NULL },
    { "\x7f", ACCEPT, NULL },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    for (guint offset = 0; offset < 26; offset++)
      {
        g_autoptr(GString) text = g_string_new ("[\"");
        g_autoptr(GError) error = NULL;
        gboolean ok;

        for (guint i = 0; i < offset; i++)
          g_string_append_c (text, 'a' + i % 26);
        g_string_append (text, cases[c].bytes);
        for (guint i = 0; i < 19; i++)
          g_string_append_c (text, 'z');
        g_string_append (text, "\"]");

        ok = isthmus_json_guard_check (text->str, text->len, NULL, &error);
        if (cases[c].code == ACCEPT)
          {
            g_assert_no_error (error);
            g_assert_true (ok);
            assert_parses (text->str);
          }
        else
          {
            g_autofree char *expected = g_strdup_printf ("%s%u", cases[c].message, offset + 2);

            g_assert_false (ok);
            g_assert_error (error, ISTHMUS_IPC_ERROR, cases[c].code);
            g_assert_cmpstr (error->message, ==, expected);
          }
      }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/json-guard/depth-limit", test_depth_limit);
  g_test_add_func ("/isthmus/json-guard/depth-message", test_depth_message);
  g_test_add_func ("/isthmus/json-guard/depth-custom", test_depth_custom);
  g_test_add_func ("/isthmus/json-guard/very-deep", test_very_deep);
  g_test_add_func ("/isthmus/json-guard/small-stack", test_small_stack);
  g_test_add_func ("/isthmus/json-guard/strings", test_strings);
  g_test_add_func ("/isthmus/json-guard/scan-words", test_scan_words);
  g_test_add_func ("/isthmus/json-guard/scan-offsets", test_scan_offsets);
  g_test_add_func ("/isthmus/json-guard/size-limit", test_size_limit);
  g_test_add_func ("/isthmus/json-guard/length-bound", test_length_bound);
  g_test_add_func ("/isthmus/json-guard/utf8", test_utf8);
  g_test_add_func ("/isthmus/json-guard/nul", test_nul);
  g_test_add_func ("/isthmus/json-guard/surrogates", test_surrogates);
  g_test_add_func ("/isthmus/json-guard/malformed", test_malformed);
  g_test_add_func ("/isthmus/json-guard/valid", test_valid);
  g_test_add_func ("/isthmus/error/codes", test_error_codes);
  g_test_add_func ("/isthmus/error/page-value", test_page_value);
  g_test_add_func ("/isthmus/error/guard-page-value", test_guard_error_page_value);

  return g_test_run ();
}

/* test-json-text.c
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

#define G_LOG_DOMAIN "test-json-text"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "isthmus-error.h"
#include "isthmus-json-guard.h"
#include "isthmus-json-text.h"

/* Generous even under ASan: reading 4 MiB of escapes takes well under a
 * second, where a reader that searched the string's end again after each
 * escape took half a minute. */
#define LINEAR_USEC (10 * G_USEC_PER_SEC)

/* Strict JSON texts that json-glib 1.6 reads as JSON means them: every
 * kind of value, nesting, escapes and numbers it converts exactly. */
static const char * const strict_texts[] = {
  "null",
  "true",
  "false",
  "0",
  "-0",
  "7",
  "-1",
  "42",
  "123456789012345678",
  "9223372036854775807",
  "-9223372036854775808",
  "-9223372036854775807",
  "0.1",
  "-0.0",
  "0.0",
  "1.5",
  "-2.25",
  "100.0",
  "0.30000000000000004",
  "1e20",
  "1E20",
  "1e+20",
  "-1e20",
  "1e21",
  "1e22",
  "1e16",
  "1e15",
  "1e-7",
  "-1e-5",
  "123e-2",
  "5e-324",
  "1.7976931348623157e308",
  "-1.7976931348623157e308",
  "2.2250738585072014e-308",
  "3.141592653589793",
  "\"\"",
  "\"plain text\"",
  "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf\"",
  "\"\\u00e9\\u20ac\\ud83d\\ude00\\ud800\\udc00\\udbff\\udfff\\uFFFD\"",
  "\"a\\\"b\\\\c\\/d\"",
  "\"\\b\\f\\n\\r\\t\"",
  "\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\u0008\\u0009\\u000a"
  "\\u000b\\u000c\\u000d\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014"
  "\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e"
  "\\u001f\\u007f\"",
  "\"del:\x7f:raw\"",
  "\"\\u001f at the start, and at the end \\u001f\"",
  "[]",
  "{}",
  "[[],{},[[]],[{}]]",
  "[1,2.5,\"s\",null,true,false,[],{}]",
  "{\"z\":1,\"a\":2,\"m\":{\"y\":[1,2.5,\"s\",null,true,false],\"b\":{}}}",
  "{\"k\\n\\\"\\u0001\\u001f\\u007f\":\"v\",\"\xf0\x9f\x98\x80\":[\"\\ud83d\\ude00\"]}",
  "{\"\":\"\",\" \":[\"\"]}",
  "[[[[[[[[[[[[[[[[\"deep\"]]]]]]]]]]]]]]]]",
  "{\"a\":{\"b\":{\"c\":{\"d\":[{\"e\":null}]}}}}",
  " [ 1 , { \"a\" : [ ] , \"b\" : { } } , -3.5e+2 ]\n\t\r ",
  "{\"cmd\":\"greet\",\"callback\":1234,\"error\":5678,\"payload\":{\"name\":\"W\\u00f6rld\"},"
  "\"options\":{\"headers\":{\"Tauri-Callback\":\"1234\"}}}",
};

/* json-glib reads these wrongly or not at all, but strict JSON reads them
 * exactly: compared with g_ascii_strtod (). */
static const char * const exact_doubles[] = {
  "2.5e-310",
  "4.9406564584124654e-324",
  "1e-400",
  "9007199254740993.0",
  "12345678901234567890",
  "-9223372036854775809",
  "0.1e1",
  "1e308",
};

/* Texts every strict reader must refuse, each a BAD_MESSAGE. */
static const char * const rejected_texts[] = {
  "",
  " ",
  "\n\t\r ",
  "[1,2,]",
  "{\"a\":1,}",
  "01",
  "-01",
  "00",
  "1.",
  ".5",
  "+1",
  "[1 2]",
  "/*c*/1",
  "//c\n1",
  "1 /*c*/",
  "'a'",
  "['a']",
  "tru",
  "nul",
  "fals",
  "True",
  "NULL",
  "nulll",
  "truex",
  "[]x",
  "1 2",
  "\"a\"\"b\"",
  "0x10",
  "Infinity",
  "-Infinity",
  "NaN",
  "-",
  "--1",
  "- 1",
  "1e",
  "1e+",
  "1E-",
  "1.e5",
  "1.5.5",
  "1e5.0",
  "{\"a\" 1}",
  "{\"a\":}",
  "{\"a\"}",
  "{1:2}",
  "{a:1}",
  "{,}",
  "[,1]",
  "[1,,2]",
  "[:]",
  "[",
  "{",
  "[1",
  "{\"a\":1",
  "\"abc",
  "\"a\\x\"",
  "\"\\u12\"",
  "\"\\u12g4\"",
  "\"tab\there\"",
  "1e400",
  "-1e400",
  "[1e999]",
  "{\"n\":-1e309}",
};

/* Reads @text from a copy of exactly @length bytes without a terminator,
 * so that ASan catches any read past the end. */
static JsonNode *
read_exact (const char              *text,
            gsize                    length,
            const IsthmusJsonLimits *limits,
            GError                 **error)
{
  g_autofree char *copy = length > 0 ? g_memdup2 (text, length) : NULL;

  return isthmus_json_read (copy, length, limits, error);
}

static JsonNode *
read_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = read_exact (text, strlen (text), NULL, &error);
  if (node == NULL)
    g_test_message ("unexpected rejection of %s: %s", text, error->message);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
read_fails_len (const char              *text,
                gsize                    length,
                const IsthmusJsonLimits *limits,
                int                      code)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = read_exact (text, length, limits, &error);
  if (node != NULL)
    {
      g_autofree char *written = isthmus_json_to_text (node, NULL);

      g_test_message ("unexpected acceptance of %.*s as %s", (int)MIN (length, 200), text, written);
      json_node_unref (node);
    }
  g_assert_null (node);
  g_assert_error (error, ISTHMUS_IPC_ERROR, code);
  g_assert_true (error->message[0] != '\0');
  g_assert_true (g_utf8_validate (error->message, -1, NULL));

  /* The same verdict without an error location. */
  g_assert_null (read_exact (text, length, limits, NULL));
}

static void
read_fails (const char *text,
            int         code)
{
  read_fails_len (text, strlen (text), NULL, code);
}

static JsonNode *
glib_parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  if (error != NULL)
    g_test_message ("json-glib refused %s: %s", text, error->message);
  g_assert_no_error (error);
  g_assert_nonnull (json_parser_get_root (parser));
  return json_node_copy (json_parser_get_root (parser));
}

/* json_to_string (node, FALSE) with json-glib 1.6's two slips mended: the
 * ".0" it appends after an exponent ("1e+20.0"), and the 0x1f byte it
 * leaves raw in strings (it escapes bytes below 0x1f only, which makes
 * text no strict parser reads). */
static char *
glib_text (JsonNode *node)
{
  g_autofree char *raw = json_to_string (node, FALSE);
  GString *out = g_string_sized_new (strlen (raw) + 16);
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;

  for (const char *p = raw; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (*p == '\\')
            escaped = TRUE;
          else if (*p == '"')
            in_string = FALSE;

          if (*p == 0x1f)
            g_string_append (out, "\\u001f");
          else
            g_string_append_c (out, *p);
          continue;
        }

      g_string_append_c (out, *p);
      if (*p == '"')
        in_string = TRUE;
      else if (*p == 'e' || *p == 'E')
        {
          /* An exponent (or the end of true or false): copy its sign and
           * digits, then drop a ".0" after them. */
          p++;
          if (*p == '+' || *p == '-')
            g_string_append_c (out, *p++);
          while (g_ascii_isdigit (*p))
            g_string_append_c (out, *p++);
          if (p[0] == '.' && p[1] == '0' && !g_ascii_isdigit (p[2]))
            p += 2;
          p--;
        }
    }

  return g_string_free (out, FALSE);
}

/* Same node kinds, value types and values, and object members in the same
 * order. Doubles must be the same number, -0.0 apart from 0.0. */
static void
assert_same_tree (JsonNode *a,
                  JsonNode *b)
{
  g_assert_cmpint (json_node_get_node_type (a), ==, json_node_get_node_type (b));

  switch (json_node_get_node_type (a))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *oa = json_node_get_object (a);
        JsonObject *ob = json_node_get_object (b);
        g_autoptr(GList) ma = json_object_get_members (oa);
        g_autoptr(GList) mb = json_object_get_members (ob);
        const GList *la = ma;
        const GList *lb = mb;

        g_assert_cmpuint (json_object_get_size (oa), ==, json_object_get_size (ob));
        for (; la != NULL && lb != NULL; la = la->next, lb = lb->next)
          {
            g_assert_cmpstr (la->data, ==, lb->data);
            assert_same_tree (json_object_get_member (oa, la->data),
                              json_object_get_member (ob, lb->data));
          }
        g_assert_null (la);
        g_assert_null (lb);
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *aa = json_node_get_array (a);
        JsonArray *ab = json_node_get_array (b);

        g_assert_cmpuint (json_array_get_length (aa), ==, json_array_get_length (ab));
        for (guint i = 0; i < json_array_get_length (aa); i++)
          assert_same_tree (json_array_get_element (aa, i), json_array_get_element (ab, i));
      }
      break;

    case JSON_NODE_VALUE:
      g_assert_cmpstr (g_type_name (json_node_get_value_type (a)), ==,
                       g_type_name (json_node_get_value_type (b)));
      switch (json_node_get_value_type (a))
        {
        case G_TYPE_INT64:
          g_assert_cmpint (json_node_get_int (a), ==, json_node_get_int (b));
          break;
        case G_TYPE_DOUBLE:
          g_assert_cmpfloat (json_node_get_double (a), ==, json_node_get_double (b));
          g_assert_cmpint (signbit (json_node_get_double (a)) != 0, ==,
                           signbit (json_node_get_double (b)) != 0);
          break;
        case G_TYPE_BOOLEAN:
          g_assert_cmpint (json_node_get_boolean (a), ==, json_node_get_boolean (b));
          break;
        case G_TYPE_STRING:
          g_assert_cmpstr (json_node_get_string (a), ==, json_node_get_string (b));
          break;
        default:
          g_assert_not_reached ();
        }
      break;

    case JSON_NODE_NULL:
    default:
      break;
    }
}

static JsonNode *
new_object_node (void)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, json_object_new ());
  return node;
}

static JsonNode *
new_array_node (void)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, json_array_new ());
  return node;
}

/* Writes @node and checks the text against json-glib's, its reported
 * length, and that json-glib and the reader read it back to @node. */
static void
check_written (JsonNode *node)
{
  g_autofree char *expected = glib_text (node);
  g_autofree char *written = NULL;
  g_autoptr(JsonNode) by_glib = NULL;
  g_autoptr(JsonNode) by_reader = NULL;
  gsize length = 0;

  written = isthmus_json_to_text (node, &length);
  g_assert_cmpstr (written, ==, expected);
  g_assert_cmpuint (length, ==, strlen (written));

  by_glib = glib_parse (written);
  assert_same_tree (node, by_glib);

  by_reader = read_ok (written);
  assert_same_tree (node, by_reader);
}

static void
test_writer_matches_glib (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (strict_texts); i++)
    {
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("text %u: %s", i, strict_texts[i]);
      node = glib_parse (strict_texts[i]);
      check_written (node);
    }
}

/* Every byte below 0x80 alone in a string and in a member name, and every
 * escape together, as trees json-glib never parsed. */
static void
test_writer_every_byte (void)
{
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint c = 1; c < 0x80; c++)
    {
      char text[2] = { (char)c, '\0' };
      g_autoptr(JsonNode) string = json_node_init_string (json_node_alloc (), text);
      g_autoptr(JsonNode) object = new_object_node ();

      json_object_set_string_member (json_node_get_object (object), text, text);
      g_test_message ("byte 0x%02x", c);
      check_written (string);
      check_written (object);
      g_string_append_c (all, (char)c);
    }

  g_string_append (all, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf");
  {
    g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), all->str);
    g_autofree char *written = isthmus_json_to_text (node, NULL);

    check_written (node);
    g_assert_true (g_str_has_prefix (written,
                                     "\"\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n"
                                     "\\u000b\\f\\r\\u000e"));
    g_assert_nonnull (strstr (written, "\\u001e\\u001f !\\\"#"));
    g_assert_nonnull (strstr (written, "[\\\\]"));
    g_assert_nonnull (strstr (written, "/0123"));
    g_assert_nonnull (strstr (written, "~\\u007f\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"));
  }
}

/* Each byte the writer escapes, and characters it copies, at every offset
 * into the eight-byte words of a long string. */
static void
test_writer_offsets (void)
{
  static const char * const middles[] = {
    "\"", "\\", "\x01", "\n", "\x1f", "\x7f", "\xc3\xa9", "\xf0\x9f\x98\x80", "/", "~",
  };

  for (guint m = 0; m < G_N_ELEMENTS (middles); m++)
    for (guint offset = 0; offset < 26; offset++)
      {
        g_autoptr(GString) text = g_string_new (NULL);
        g_autoptr(JsonNode) node = NULL;

        for (guint i = 0; i < offset; i++)
          g_string_append_c (text, 'a' + i % 26);
        g_string_append (text, middles[m]);
        for (guint i = 0; i < 19 + offset % 3; i++)
          g_string_append_c (text, 'z');
        node = json_node_init_string (json_node_alloc (), text->str);
        g_test_message ("0x%02x at offset %u", (guchar)middles[m][0], offset);
        check_written (node);
      }
}

static void
test_writer_numbers (void)
{
  static const struct {
    double value;
    const char *text;
  } doubles[] = {
    { 0.1, "0.10000000000000001" },
    { -0.0, "-0.0" },
    { 0.0, "0.0" },
    { 100.0, "100.0" },
    { 1e20, "1e+20" },
    { -1e21, "-1e+21" },
    { 1e-7, "9.9999999999999995e-08" },
    { 5e-324, "4.9406564584124654e-324" },
    { 1.7976931348623157e308, "1.7976931348623157e+308" },
    { 1e16, "10000000000000000.0" },
    { 0.5, "0.5" },
  };
  g_autoptr(JsonNode) array = new_array_node ();
  g_autoptr(JsonNode) ints = new_array_node ();
  g_autofree char *written = NULL;
  g_autofree char *written_ints = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (doubles); i++)
    {
      g_autoptr(JsonNode) node = json_node_init_double (json_node_alloc (), doubles[i].value);
      g_autofree char *text = isthmus_json_to_text (node, NULL);

      g_assert_cmpstr (text, ==, doubles[i].text);
      check_written (node);
    }

  /* JSON has no NaN or infinity: null stands for them. */
  json_array_add_double_element (json_node_get_array (array), NAN);
  json_array_add_double_element (json_node_get_array (array), INFINITY);
  json_array_add_double_element (json_node_get_array (array), -INFINITY);
  json_array_add_double_element (json_node_get_array (array), 2.5);
  written = isthmus_json_to_text (array, NULL);
  g_assert_cmpstr (written, ==, "[null,null,null,2.5]");

  json_array_add_int_element (json_node_get_array (ints), G_MININT64);
  json_array_add_int_element (json_node_get_array (ints), G_MAXINT64);
  json_array_add_int_element (json_node_get_array (ints), 0);
  json_array_add_int_element (json_node_get_array (ints), -1);
  written_ints = isthmus_json_to_text (ints, NULL);
  g_assert_cmpstr (written_ints, ==, "[-9223372036854775808,9223372036854775807,0,-1]");
  check_written (ints);
}

/* Members are written in the order they were added, as json-glib writes
 * them, however many there are. */
static void
test_writer_member_order (void)
{
  g_autoptr(JsonNode) node = new_object_node ();
  JsonObject *object = json_node_get_object (node);
  g_autoptr(GString) expected = g_string_new ("{");
  g_autofree char *written = NULL;

  for (guint i = 0; i < 300; i++)
    {
      g_autofree char *name = g_strdup_printf ("k%u", (i * 7919) % 1000);

      json_object_set_int_member (object, name, i);
      g_string_append_printf (expected, "%s\"%s\":%u", i > 0 ? "," : "", name, i);
    }
  g_string_append_c (expected, '}');

  written = isthmus_json_to_text (node, NULL);
  g_assert_cmpstr (written, ==, expected->str);
  check_written (node);
}

static void
test_reader_matches_glib (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (strict_texts); i++)
    {
      g_autoptr(JsonNode) mine = NULL;
      g_autoptr(JsonNode) theirs = NULL;
      g_autofree char *mine_text = NULL;
      g_autofree char *their_text = NULL;

      g_test_message ("text %u: %s", i, strict_texts[i]);
      mine = read_ok (strict_texts[i]);
      theirs = glib_parse (strict_texts[i]);
      assert_same_tree (mine, theirs);

      mine_text = isthmus_json_to_text (mine, NULL);
      their_text = isthmus_json_to_text (theirs, NULL);
      g_assert_cmpstr (mine_text, ==, their_text);
    }
}

static void
test_reader_exact_numbers (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (exact_doubles); i++)
    {
      g_autoptr(JsonNode) node = NULL;
      double expected = g_ascii_strtod (exact_doubles[i], NULL);
      double value;

      g_test_message ("number %s", exact_doubles[i]);
      node = read_ok (exact_doubles[i]);
      g_assert_true (JSON_NODE_HOLDS_VALUE (node));
      g_assert_true (json_node_get_value_type (node) == G_TYPE_DOUBLE);
      value = json_node_get_double (node);
      g_assert_true (memcmp (&expected, &value, sizeof value) == 0);
    }
}

static void
test_reader_rejects (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (rejected_texts); i++)
    {
      g_test_message ("text %u: %s", i, rejected_texts[i]);
      read_fails (rejected_texts[i], ISTHMUS_IPC_ERROR_BAD_MESSAGE);
    }

  /* Nothing at all, with no buffer. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (isthmus_json_read (NULL, 0, NULL, &error));
    g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE);
  }
}

static void
test_reader_out_of_range (void)
{
  static const char * const texts[] = { "1e400", "-1e400", "[1,{\"a\":1e309}]" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (read_exact (texts[i], strlen (texts[i]), NULL, &error));
      g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE);
      g_assert_cmpstr (error->message, ==, "a number is out of range");
    }
}

static void
test_reader_big_integers (void)
{
  g_autoptr(JsonNode) big = read_ok ("12345678901234567890");
  g_autoptr(JsonNode) max = read_ok ("9223372036854775807");
  g_autoptr(JsonNode) min = read_ok ("-9223372036854775808");
  g_autoptr(JsonNode) over = read_ok ("9223372036854775808");
  g_autoptr(JsonNode) under = read_ok ("-9223372036854775809");
  g_autoptr(JsonNode) minus_zero = read_ok ("-0");
  g_autoptr(JsonNode) in_array = read_ok ("[18446744073709551616,1]");
  g_autofree char *written = NULL;

  g_assert_true (json_node_get_value_type (big) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (big), ==, 12345678901234567890.0);

  g_assert_true (json_node_get_value_type (max) == G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (max), ==, G_MAXINT64);

  g_assert_true (json_node_get_value_type (min) == G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (min), ==, G_MININT64);

  g_assert_true (json_node_get_value_type (over) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (over), ==, 9223372036854775808.0);

  g_assert_true (json_node_get_value_type (under) == G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (under), ==, -9223372036854775808.0);

  g_assert_true (json_node_get_value_type (minus_zero) == G_TYPE_INT64);
  g_assert_cmpint (json_node_get_int (minus_zero), ==, 0);

  written = isthmus_json_to_text (in_array, NULL);
  g_assert_cmpstr (written, ==, "[1.8446744073709552e+19,1]");
}

/* Text past @length is not read: the buffer need not end there. */
static void
test_reader_length_bound (void)
{
  static const struct {
    const char *text;
    gsize length;
    const char *expected;
  } cases[] = {
    { "123456", 3, "123" },
    { "-12.5e3x", 7, "-12500.0" },
    { "truex", 4, "true" },
    { "\"abc\"xyz", 5, "\"abc\"" },
    { "[1]]]]", 3, "[1]" },
    { "{\"a\":[]}}}", 8, "{\"a\":[]}" },
  };
  static const struct {
    const char *text;
    gsize length;
  } cut[] = {
    { "1e5", 2 },
    { "-1", 1 },
    { "1.5", 2 },
    { "true", 3 },
    { "\"abc\"", 4 },
    { "\"\\u0041\"", 6 },
    { "\"\\ud83d\\ude00\"", 8 },
    { "[1,2]", 4 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *written = NULL;

      node = read_exact (cases[i].text, cases[i].length, NULL, &error);
      g_assert_no_error (error);
      written = isthmus_json_to_text (node, NULL);
      g_assert_cmpstr (written, ==, cases[i].expected);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cut); i++)
    {
      g_test_message ("cut %u: %s", i, cut[i].text);
      read_fails_len (cut[i].text, cut[i].length, NULL, ISTHMUS_IPC_ERROR_BAD_MESSAGE);
    }
}

static char *
make_nested (gsize depth)
{
  GString *s = g_string_sized_new (depth * 6 + 2);

  for (gsize i = 0; i < depth; i++)
    g_string_append (s, i % 2 == 0 ? "[" : "{\"a\":");
  g_string_append_c (s, '1');
  for (gsize i = depth; i > 0; i--)
    g_string_append_c (s, (i - 1) % 2 == 0 ? ']' : '}');

  return g_string_free (s, FALSE);
}

/* The guard decides first, with its own codes, whatever the grammar. */
static void
test_guard_first (void)
{
  IsthmusJsonLimits small = { 8, ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH };
  IsthmusJsonLimits shallow = { ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES, 3 };
  IsthmusJsonLimits flat = { ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES, 0 };
  g_autofree char *deep_ok = make_nested (ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH);
  g_autofree char *deep = make_nested (ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH + 1);
  g_autofree char *very_deep_open = g_strnfill (100000, '[');
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) scalar = NULL;
  g_autoptr(GError) error = NULL;

  /* Size before anything else. */
  read_fails_len ("[1,2,3,4,5]", 11, &small, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE);
  read_fails_len ("\xff\xff\xff\xff\xff\xff\xff\xff\xff", 9, &small, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE);
  read_fails_len ("[[[[[[[[[", 9, &small, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE);
  ok = read_exact ("[1,2,34]", 8, &small, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);

  /* Depth. */
  g_clear_pointer (&ok, json_node_unref);
  ok = read_exact ("[[[1]]]", 7, &shallow, &error);
  g_assert_no_error (error);
  read_fails_len ("[[[[1]]]]", 9, &shallow, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
  read_fails_len ("{\"a\":{\"a\":{\"a\":{}}}}", 20, &shallow, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
  read_fails_len ("[[[[1,]]]]", 10, &shallow, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
  scalar = read_exact ("\"flat\"", 6, &flat, &error);
  g_assert_no_error (error);
  g_assert_nonnull (scalar);
  read_fails_len ("[]", 2, &flat, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);

  g_clear_pointer (&ok, json_node_unref);
  ok = read_ok (deep_ok);
  read_fails (deep, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
  read_fails (very_deep_open, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);

  /* Encoding, even where the grammar is broken too. */
  read_fails ("[\"\\ud800\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails ("[\"\\udc00\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails ("[\"\\ud800\\u0041\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails ("{\"\\ude00\\ud83d\":1}", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails ("[\"\\u0000\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails_len ("[\"a\0b\"]", 7, NULL, ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails_len ("[1]\0", 4, NULL, ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails ("[\"\xff\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails ("[\"\xc0\xaf\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails ("[\"\xed\xa0\x80\"]", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails ("[1,]\xff", ISTHMUS_IPC_ERROR_BAD_ENCODING);
  read_fails ("'\xff'", ISTHMUS_IPC_ERROR_BAD_ENCODING);

  /* The guard's messages carry the code's name. */
  g_assert_null (read_exact (deep, strlen (deep), NULL, &error));
  g_assert_cmpstr (error->message, ==, "JSON_TOO_DEEP: nesting exceeds the limit of 128");
  g_clear_error (&error);
  g_assert_null (read_exact ("[\"\\u0000\"]", 10, NULL, &error));
  g_assert_true (g_str_has_prefix (error->message, "BAD_ENCODING: "));
}

/* Reads @text as a single string and returns its bytes. */
static char *
read_string (const char *text,
             gsize      *length)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = read_exact (text, strlen (text), NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_true (json_node_get_value_type (node) == G_TYPE_STRING);
  *length = strlen (json_node_get_string (node));
  return g_strdup (json_node_get_string (node));
}

static void
test_large_string (void)
{
  static const char unit[] = "plain ascii, caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80|";
  g_autoptr(GString) value = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *written = NULL;
  g_autofree char *decoded = NULL;
  gsize length = 0;
  gsize written_length = 0;

  while (value->len < 1024 * 1024)
    g_string_append (value, unit);
  text = g_strdup_printf ("\"%s\"", value->str);

  decoded = read_string (text, &length);
  g_assert_cmpuint (length, ==, value->len);
  g_assert_true (memcmp (decoded, value->str, length) == 0);

  {
    g_autoptr(JsonNode) node = read_ok (text);

    written = isthmus_json_to_text (node, &written_length);
  }
  g_assert_cmpuint (written_length, ==, strlen (text));
  g_assert_true (strcmp (written, text) == 0);
}

static void
test_escapes_round_trip (void)
{
  static const char escapes[] =
    "\"q\\\"b\\\\s\\/b\\bf\\fn\\nr\\rt\\t"
    "\\u0001\\u001F\\u007f\\u0080\\u00e9\\u07FF\\u0800\\u20AC\\uFFFF"
    "\\ud83d\\ude00\\uD800\\uDC00\\udbff\\udfff raw \xc3\xa9\xf0\x9f\x98\x80\x7f\"";
  static const char expected[] =
    "q\"b\\s/b\bf\fn\nr\rt\t"
    "\x01\x1f\x7f\xc2\x80\xc3\xa9\xdf\xbf\xe0\xa0\x80\xe2\x82\xac\xef\xbf\xbf"
    "\xf0\x9f\x98\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf raw \xc3\xa9\xf0\x9f\x98\x80\x7f";
  static const char canonical[] =
    "\"q\\\"b\\\\s/b\\bf\\fn\\nr\\rt\\t"
    "\\u0001\\u001f\\u007f\xc2\x80\xc3\xa9\xdf\xbf\xe0\xa0\x80\xe2\x82\xac\xef\xbf\xbf"
    "\xf0\x9f\x98\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf raw \xc3\xa9\xf0\x9f\x98\x80\\u007f\"";
  g_autofree char *decoded = NULL;
  g_autofree char *again = NULL;
  g_autofree char *written = NULL;
  g_autofree char *rewritten = NULL;
  gsize length = 0;
  gsize again_length = 0;

  decoded = read_string (escapes, &length);
  g_assert_cmpuint (length, ==, strlen (expected));
  g_assert_cmpstr (decoded, ==, expected);

  {
    g_autoptr(JsonNode) node = read_ok (escapes);
    g_autoptr(JsonNode) theirs = glib_parse (escapes);

    assert_same_tree (node, theirs);
    written = isthmus_json_to_text (node, NULL);
  }
  g_assert_cmpstr (written, ==, canonical);

  again = read_string (written, &again_length);
  g_assert_cmpuint (again_length, ==, length);
  g_assert_true (memcmp (again, decoded, length) == 0);

  {
    g_autoptr(JsonNode) node = read_ok (written);

    rewritten = isthmus_json_to_text (node, NULL);
  }
  g_assert_cmpstr (rewritten, ==, written);
}

/* A string of escapes only, its closing quote 4 MiB away, and a long run
 * of escaped quotes: both read in linear time. */
static void
test_many_escapes (void)
{
  static const char * const units[] = { "\\n", "\\\"" };

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    {
      g_autoptr(GString) text = g_string_new ("\"");
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *written = NULL;
      gint64 start;
      gint64 elapsed;

      while (text->len < 4 * 1024 * 1024)
        g_string_append (text, units[u]);
      g_string_append_c (text, '"');

      start = g_get_monotonic_time ();
      node = read_ok (text->str);
      elapsed = g_get_monotonic_time () - start;
      g_test_message ("%s: %" G_GINT64_FORMAT " us", units[u], elapsed);
      g_assert_cmpint (elapsed, <, LINEAR_USEC);

      g_assert_cmpuint (strlen (json_node_get_string (node)), ==, (text->len - 2) / 2);
      written = isthmus_json_to_text (node, NULL);
      g_assert_true (strcmp (written, text->str) == 0);
    }
}

static void
test_duplicate_keys (void)
{
  static const struct {
    const char *text;
    const char *expected;
  } cases[] = {
    { "{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}" },
    { "{\"a\":[1,2],\"a\":{\"x\":1}}", "{\"a\":{\"x\":1}}" },
    { "{\"x\":{\"k\":1,\"k\":\"two\"},\"y\":0,\"x\":{\"k\":[],\"j\":null,\"k\":true}}",
      "{\"x\":{\"k\":true,\"j\":null},\"y\":0}" },
    { "{\"a\":1,\"\\u0061\":2}", "{\"a\":2}" },
    { "[{\"a\":1,\"a\":1,\"a\":1,\"a\":1,\"a\":0.5}]", "[{\"a\":0.5}]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) mine = NULL;
      g_autoptr(JsonNode) theirs = NULL;
      g_autofree char *written = NULL;
      g_autofree char *their_text = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      mine = read_ok (cases[i].text);
      theirs = glib_parse (cases[i].text);
      written = isthmus_json_to_text (mine, NULL);
      their_text = glib_text (theirs);
      g_assert_cmpstr (written, ==, cases[i].expected);
      g_assert_cmpstr (written, ==, their_text);
      assert_same_tree (mine, theirs);
    }

  {
    g_autoptr(JsonNode) node = read_ok ("{\"a\":1,\"b\":2,\"a\":3}");
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpuint (json_object_get_size (object), ==, 2);
    g_assert_cmpint (json_object_get_int_member (object, "a"), ==, 3);
  }
}

/* A large object whose names repeat reads in linear time: replacing a
 * member with json_object_set_member () searches every name, which took
 * most of a minute for this text. */
static void
test_duplicate_keys_many (void)
{
  const guint names = 100000;
  g_autoptr(GString) text = g_string_new ("{");
  g_autoptr(GString) expected = g_string_new ("{");
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *written = NULL;
  gint64 start;
  gint64 elapsed;

  for (guint i = 0; i < names; i++)
    {
      g_string_append_printf (text, "\"k%u\":%u,", i, i);
      g_string_append_printf (expected, "%s\"k%u\":%u", i > 0 ? "," : "",
                              i, i % 1000 == 0 ? i + 1 : i == names - 1 ? names : i);
    }
  for (guint i = 0; i < names; i++)
    g_string_append_printf (text, "\"k%u\":%u,", names - 1, i);
  for (guint i = 0; i < names; i += 1000)
    g_string_append_printf (text, "\"k%u\":%u,", i, i + 1);
  g_string_append_printf (text, "\"k%u\":%u}", names - 1, names);
  g_string_append_c (expected, '}');

  start = g_get_monotonic_time ();
  node = read_ok (text->str);
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("%u names, %u repeats: %" G_GINT64_FORMAT " us", names, names + names / 1000 + 1, elapsed);
  g_assert_cmpint (elapsed, <, LINEAR_USEC);

  g_assert_cmpuint (json_object_get_size (json_node_get_object (node)), ==, names);
  written = isthmus_json_to_text (node, NULL);
  g_assert_true (strcmp (written, expected->str) == 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/json-text/writer/matches-glib", test_writer_matches_glib);
  g_test_add_func ("/isthmus/json-text/writer/every-byte", test_writer_every_byte);
  g_test_add_func ("/isthmus/json-text/writer/offsets", test_writer_offsets);
  g_test_add_func ("/isthmus/json-text/writer/numbers", test_writer_numbers);
  g_test_add_func ("/isthmus/json-text/writer/member-order", test_writer_member_order);
  g_test_add_func ("/isthmus/json-text/reader/matches-glib", test_reader_matches_glib);
  g_test_add_func ("/isthmus/json-text/reader/exact-numbers", test_reader_exact_numbers);
  g_test_add_func ("/isthmus/json-text/reader/rejects", test_reader_rejects);
  g_test_add_func ("/isthmus/json-text/reader/out-of-range", test_reader_out_of_range);
  g_test_add_func ("/isthmus/json-text/reader/big-integers", test_reader_big_integers);
  g_test_add_func ("/isthmus/json-text/reader/length-bound", test_reader_length_bound);
  g_test_add_func ("/isthmus/json-text/reader/guard-first", test_guard_first);
  g_test_add_func ("/isthmus/json-text/round-trip/large-string", test_large_string);
  g_test_add_func ("/isthmus/json-text/round-trip/escapes", test_escapes_round_trip);
  g_test_add_func ("/isthmus/json-text/round-trip/many-escapes", test_many_escapes);
  g_test_add_func ("/isthmus/json-text/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/isthmus/json-text/duplicate-keys-many", test_duplicate_keys_many);

  return g_test_run ();
}

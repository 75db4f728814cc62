/* test-schema.c
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

#define G_LOG_DOMAIN "test-schema"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "isthmus-error.h"
#include "isthmus-schema.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_nonnull (root);

  return json_node_copy (root);
}

/* Validates @payload_text (NULL for no payload) against @schema and checks
 * the outcome: success when @expected is NULL, else that exact message. */
static void
check (IsthmusSchema *schema,
       const char    *cmd,
       const char    *payload_text,
       const char    *expected)
{
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (payload_text != NULL)
    payload = parse (payload_text);

  ok = isthmus_schema_validate (schema, cmd, payload, &error);

  if (expected == NULL)
    {
      if (!ok)
        g_test_message ("%s: unexpected rejection: %s", payload_text, error->message);
      g_assert_no_error (error);
      g_assert_true (ok);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_ARGS);
      g_assert_cmpstr (error->message, ==, expected);
    }

  /* The verdict does not depend on whether the caller wants the error. */
  g_assert_cmpint (isthmus_schema_validate (schema, cmd, payload, NULL), ==, ok);
}

static IsthmusSchema *
schema_one (IsthmusArgType type,
            gboolean       required,
            gboolean       nullable)
{
  IsthmusArgSpec spec = { "v", type, required, nullable, FALSE, 0, 0 };

  return isthmus_schema_new (&spec, 1, FALSE);
}

static IsthmusSchema *
schema_bounded (IsthmusArgType type,
                double         min,
                double         max)
{
  IsthmusArgSpec spec = { "v", type, TRUE, FALSE, TRUE, min, max };

  return isthmus_schema_new (&spec, 1, FALSE);
}

static void
test_type_matrix (void)
{
  static const struct {
    const char *json;
    const char *found;
  } values[] = {
    { "\"x\"", "string \"x\"" },
    { "1", "integer `1`" },
    { "-7", "integer `-7`" },
    { "1.5", "floating point `1.5`" },
    { "true", "boolean `true`" },
    { "false", "boolean `false`" },
    { "null", "null" },
    { "{}", "map" },
    { "[]", "sequence" },
  };
  static const struct {
    IsthmusArgType type;
    const char *expected;
    const char *accepts;  /* first letters of the accepted kinds */
  } types[] = {
    { ISTHMUS_ARG_ANY, NULL, "sifbnma" },
    { ISTHMUS_ARG_STRING, "a string", "s" },
    { ISTHMUS_ARG_INTEGER, "an integer", "i" },
    { ISTHMUS_ARG_NUMBER, "a number", "if" },
    { ISTHMUS_ARG_BOOLEAN, "a boolean", "b" },
    { ISTHMUS_ARG_OBJECT, "a map", "m" },
    { ISTHMUS_ARG_ARRAY, "a sequence", "a" },
  };
  /* The kind of each value above, in the letters of `accepts`. */
  static const char kinds[] = "siifbbnma";

  G_STATIC_ASSERT (G_N_ELEMENTS (kinds) - 1 == G_N_ELEMENTS (values));

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(IsthmusSchema) schema = schema_one (types[t].type, TRUE, FALSE);

      for (guint v = 0; v < G_N_ELEMENTS (values); v++)
        {
          g_autofree char *payload = g_strdup_printf ("{\"v\": %s}", values[v].json);
          gboolean accepted = strchr (types[t].accepts, kinds[v]) != NULL;
          g_autofree char *expected = NULL;

          if (!accepted)
            expected = g_strdup_printf ("invalid args `v` for command `cmd`: invalid type: %s, expected %s",
                                        values[v].found, types[t].expected);

          g_test_message ("type %u, value %s", t, values[v].json);
          check (schema, "cmd", payload, expected);
        }
    }
}

static void
test_required (void)
{
  IsthmusArgSpec specs[] = {
    { "name", ISTHMUS_ARG_STRING, TRUE, FALSE, FALSE, 0, 0 },
    { "count", ISTHMUS_ARG_INTEGER, FALSE, FALSE, FALSE, 0, 0 },
  };
  g_autoptr(IsthmusSchema) schema = isthmus_schema_new (specs, G_N_ELEMENTS (specs), FALSE);
  g_autoptr(IsthmusSchema) optional = isthmus_schema_new (specs + 1, 1, FALSE);
  const char *missing = "invalid args `name` for command `greet`: command greet missing required key name";

  check (schema, "greet", "{\"name\": \"x\"}", NULL);
  check (schema, "greet", "{\"name\": \"x\", \"count\": 3}", NULL);
  check (schema, "greet", "{}", missing);
  check (schema, "greet", "{\"count\": 3}", missing);
  check (schema, "greet", NULL, missing);
  check (schema, "greet", "null", missing);
  check (schema, "greet", "{\"Name\": \"x\"}", missing);

  check (optional, "greet", "{}", NULL);
  check (optional, "greet", NULL, NULL);
  check (optional, "greet", "null", NULL);
}

static void
test_order (void)
{
  IsthmusArgSpec specs[] = {
    { "first", ISTHMUS_ARG_STRING, TRUE, FALSE, FALSE, 0, 0 },
    { "second", ISTHMUS_ARG_INTEGER, TRUE, FALSE, FALSE, 0, 0 },
  };
  g_autoptr(IsthmusSchema) schema = isthmus_schema_new (specs, G_N_ELEMENTS (specs), FALSE);

  /* Parameters are decoded in order; unknown keys come last. */
  check (schema, "c", "{\"zzz\": 1, \"second\": \"no\", \"first\": 2}",
         "invalid args `first` for command `c`: invalid type: integer `2`, expected a string");
  check (schema, "c", "{\"zzz\": 1, \"second\": \"no\", \"first\": \"ok\"}",
         "invalid args `second` for command `c`: invalid type: string \"no\", expected an integer");
  check (schema, "c", "{\"zzz\": 1, \"first\": \"ok\"}",
         "invalid args `second` for command `c`: command c missing required key second");
  check (schema, "c", "{\"zzz\": 1, \"yyy\": 2, \"first\": \"ok\", \"second\": 1}",
         "invalid args `zzz` for command `c`: unknown field `zzz`");
}

static void
test_nullable (void)
{
  g_autoptr(IsthmusSchema) required_nullable = schema_one (ISTHMUS_ARG_STRING, TRUE, TRUE);
  g_autoptr(IsthmusSchema) optional = schema_one (ISTHMUS_ARG_STRING, FALSE, FALSE);
  g_autoptr(IsthmusSchema) optional_nullable = schema_one (ISTHMUS_ARG_INTEGER, FALSE, TRUE);
  g_autoptr(IsthmusSchema) strict = schema_one (ISTHMUS_ARG_STRING, TRUE, FALSE);
  g_autoptr(IsthmusSchema) any = schema_one (ISTHMUS_ARG_ANY, TRUE, FALSE);

  check (required_nullable, "c", "{\"v\": null}", NULL);
  check (required_nullable, "c", "{\"v\": \"x\"}", NULL);
  check (required_nullable, "c", "{}",
         "invalid args `v` for command `c`: command c missing required key v");
  check (required_nullable, "c", "{\"v\": 1}",
         "invalid args `v` for command `c`: invalid type: integer `1`, expected a string");

  check (optional, "c", "{\"v\": null}", NULL);
  check (optional, "c", "{}", NULL);
  check (optional, "c", "{\"v\": false}",
         "invalid args `v` for command `c`: invalid type: boolean `false`, expected a string");

  check (optional_nullable, "c", "{\"v\": null}", NULL);
  check (optional_nullable, "c", "{\"v\": 4}", NULL);

  check (strict, "c", "{\"v\": null}",
         "invalid args `v` for command `c`: invalid type: null, expected a string");
  check (any, "c", "{\"v\": null}", NULL);
  check (any, "c", "{}", "invalid args `v` for command `c`: command c missing required key v");
}

static void
test_bounds_string (void)
{
  g_autoptr(IsthmusSchema) schema = schema_bounded (ISTHMUS_ARG_STRING, 1, 2);
  g_autoptr(IsthmusSchema) unbounded = schema_one (ISTHMUS_ARG_STRING, TRUE, FALSE);
  g_autofree char *big = NULL;
  GString *s = g_string_new ("{\"v\": \"");

  check (schema, "c", "{\"v\": \"a\"}", NULL);
  check (schema, "c", "{\"v\": \"ab\"}", NULL);
  check (schema, "c", "{\"v\": \"\xc3\xa9\"}", NULL);  /* two bytes, one character */
  check (schema, "c", "{\"v\": \"\"}", "invalid args `v` for command `c`: 0 is out of range [1, 2]");
  check (schema, "c", "{\"v\": \"abc\"}", "invalid args `v` for command `c`: 3 is out of range [1, 2]");
  check (schema, "c", "{\"v\": \"\xc3\xa9" "a\"}", "invalid args `v` for command `c`: 3 is out of range [1, 2]");
  check (schema, "c", "{\"v\": \"\\u00e9\\u00e9\"}", "invalid args `v` for command `c`: 4 is out of range [1, 2]");

  for (int i = 0; i < 5000; i++)
    g_string_append_c (s, 'x');
  g_string_append (s, "\"}");
  big = g_string_free (s, FALSE);
  check (unbounded, "c", big, NULL);
  check (schema, "c", big, "invalid args `v` for command `c`: 5000 is out of range [1, 2]");
}

static void
test_bounds_integer (void)
{
  g_autoptr(IsthmusSchema) schema = schema_bounded (ISTHMUS_ARG_INTEGER, 0, 10);
  g_autoptr(IsthmusSchema) unbounded = schema_one (ISTHMUS_ARG_INTEGER, TRUE, FALSE);
  g_autoptr(IsthmusSchema) wide = schema_bounded (ISTHMUS_ARG_INTEGER, -1e300, 1e300);

  check (schema, "c", "{\"v\": 0}", NULL);
  check (schema, "c", "{\"v\": 10}", NULL);
  check (schema, "c", "{\"v\": -0}", NULL);
  check (schema, "c", "{\"v\": 11}", "invalid args `v` for command `c`: 11 is out of range [0, 10]");
  check (schema, "c", "{\"v\": -1}", "invalid args `v` for command `c`: -1 is out of range [0, 10]");

  check (unbounded, "c", "{\"v\": 9007199254740992}", NULL);
  check (unbounded, "c", "{\"v\": -9007199254740992}", NULL);
  check (unbounded, "c", "{\"v\": 9007199254740993}",
         "invalid args `v` for command `c`: 9007199254740993 is out of range [-9007199254740992, 9007199254740992]");
  check (unbounded, "c", "{\"v\": -9223372036854775807}",
         "invalid args `v` for command `c`: -9223372036854775807 is out of range [-9007199254740992, 9007199254740992]");
  check (wide, "c", "{\"v\": 9007199254740993}",
         "invalid args `v` for command `c`: 9007199254740993 is out of range [-9007199254740992, 9007199254740992]");

  /* Only integer literals are integers, as in serde. */
  check (unbounded, "c", "{\"v\": 1.0}",
         "invalid args `v` for command `c`: invalid type: floating point `1.0`, expected an integer");
  check (unbounded, "c", "{\"v\": 1e3}",
         "invalid args `v` for command `c`: invalid type: floating point `1000.0`, expected an integer");
  check (unbounded, "c", "{\"v\": \"1\"}",
         "invalid args `v` for command `c`: invalid type: string \"1\", expected an integer");
}

static void
test_bounds_number (void)
{
  g_autoptr(IsthmusSchema) schema = schema_bounded (ISTHMUS_ARG_NUMBER, 0, 1);
  g_autoptr(IsthmusSchema) fractional = schema_bounded (ISTHMUS_ARG_NUMBER, -0.5, 0.25);
  g_autoptr(IsthmusSchema) unbounded = schema_one (ISTHMUS_ARG_NUMBER, TRUE, FALSE);

  check (schema, "c", "{\"v\": 0}", NULL);
  check (schema, "c", "{\"v\": 0.5}", NULL);
  check (schema, "c", "{\"v\": 1}", NULL);
  check (schema, "c", "{\"v\": 1.0}", NULL);
  check (schema, "c", "{\"v\": 1.5}", "invalid args `v` for command `c`: 1.5 is out of range [0, 1]");
  check (schema, "c", "{\"v\": 2}", "invalid args `v` for command `c`: 2 is out of range [0, 1]");
  check (schema, "c", "{\"v\": -0.001}", "invalid args `v` for command `c`: -0.001 is out of range [0, 1]");
  check (fractional, "c", "{\"v\": 0.25}", NULL);
  check (fractional, "c", "{\"v\": -1}", "invalid args `v` for command `c`: -1 is out of range [-0.5, 0.25]");
  check (fractional, "c", "{\"v\": 1e21}",
         "invalid args `v` for command `c`: 1000000000000000000000 is out of range [-0.5, 0.25]");

  check (unbounded, "c", "{\"v\": 1e308}", NULL);
  check (unbounded, "c", "{\"v\": -123456789012}", NULL);
  /* json-glib reads an overflowing literal as infinity; it is no number. */
  check (unbounded, "c", "{\"v\": 1e400}",
         "invalid args `v` for command `c`: invalid type: floating point `inf`, expected a number");
  check (unbounded, "c", "{\"v\": -1e400}",
         "invalid args `v` for command `c`: invalid type: floating point `-inf`, expected a number");
  check (unbounded, "c", "{\"v\": true}",
         "invalid args `v` for command `c`: invalid type: boolean `true`, expected a number");
}

static void
test_bounds_containers (void)
{
  g_autoptr(IsthmusSchema) array = schema_bounded (ISTHMUS_ARG_ARRAY, 1, 3);
  g_autoptr(IsthmusSchema) object = schema_bounded (ISTHMUS_ARG_OBJECT, 0, 1);

  check (array, "c", "{\"v\": [1]}", NULL);
  check (array, "c", "{\"v\": [1, \"2\", null]}", NULL);
  check (array, "c", "{\"v\": []}", "invalid args `v` for command `c`: 0 is out of range [1, 3]");
  check (array, "c", "{\"v\": [1, 2, 3, 4]}", "invalid args `v` for command `c`: 4 is out of range [1, 3]");
  check (object, "c", "{\"v\": {}}", NULL);
  check (object, "c", "{\"v\": {\"a\": 1}}", NULL);
  check (object, "c", "{\"v\": {\"a\": 1, \"b\": 2}}", "invalid args `v` for command `c`: 2 is out of range [0, 1]");
}

static void
test_unknown_keys (void)
{
  IsthmusArgSpec spec = { "name", ISTHMUS_ARG_STRING, TRUE, FALSE, FALSE, 0, 0 };
  g_autoptr(IsthmusSchema) strict = isthmus_schema_new (&spec, 1, FALSE);
  g_autoptr(IsthmusSchema) lenient = isthmus_schema_new (&spec, 1, TRUE);
  g_autoptr(IsthmusSchema) empty = isthmus_schema_new (NULL, 0, FALSE);
  g_autoptr(IsthmusSchema) empty_lenient = isthmus_schema_new (NULL, 0, TRUE);

  check (strict, "greet", "{\"name\": \"x\", \"extra\": 1}",
         "invalid args `extra` for command `greet`: unknown field `extra`");
  check (strict, "greet", "{\"name\": \"x\"}", NULL);
  check (lenient, "greet", "{\"name\": \"x\", \"extra\": 1}", NULL);
  check (empty, "ping", "{}", NULL);
  check (empty, "ping", NULL, NULL);
  check (empty, "ping", "{\"a\": 1}", "invalid args `a` for command `ping`: unknown field `a`");
  check (empty_lenient, "ping", "{\"a\": 1}", NULL);
}

static void
test_payload_not_object (void)
{
  g_autoptr(IsthmusSchema) schema = schema_one (ISTHMUS_ARG_STRING, FALSE, FALSE);

  check (schema, "greet", "[1]",
         "invalid args `payload` for command `greet`: invalid type: sequence, expected a map");
  check (schema, "greet", "\"hi\"",
         "invalid args `payload` for command `greet`: invalid type: string \"hi\", expected a map");
  check (schema, "greet", "3",
         "invalid args `payload` for command `greet`: invalid type: integer `3`, expected a map");
  check (schema, "greet", "2.5",
         "invalid args `payload` for command `greet`: invalid type: floating point `2.5`, expected a map");
  check (schema, "greet", "false",
         "invalid args `payload` for command `greet`: invalid type: boolean `false`, expected a map");
  check (schema, "greet", "null", NULL);
  check (schema, "greet", NULL, NULL);
}

static void
test_serde_words (void)
{
  g_autoptr(IsthmusSchema) schema = schema_one (ISTHMUS_ARG_BOOLEAN, TRUE, FALSE);
  static const struct {
    const char *json;
    const char *found;
  } cases[] = {
    { "0.1", "floating point `0.1`" },
    { "-2.5", "floating point `-2.5`" },
    { "1e21", "floating point `1000000000000000000000.0`" },
    { "1.5e-7", "floating point `0.00000015`" },
    { "123456.789", "floating point `123456.789`" },
    { "0.0", "floating point `0.0`" },
    { "-0.0", "floating point `-0.0`" },
    { "9007199254740993.0", "floating point `9007199254740992.0`" },
    { "\"a\\\"b\\\\c\\n\\t\\r\"", "string \"a\\\"b\\\\c\\n\\t\\r\"" },
    { "\"\\u0001\\u007f\"", "string \"\\u{1}\\u{7f}\"" },
    { "\"\xc3\xa9\xe2\x82\xac\"", "string \"\xc3\xa9\xe2\x82\xac\"" },
    { "\"it's\"", "string \"it's\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *payload = g_strdup_printf ("{\"v\": %s}", cases[i].json);
      g_autofree char *expected =
        g_strdup_printf ("invalid args `v` for command `c`: invalid type: %s, expected a boolean",
                         cases[i].found);

      g_test_message ("case %u: %s", i, cases[i].json);
      check (schema, "c", payload, expected);
    }

  /* The smallest subnormal: 323 zeros after the point, then its digit. */
  {
    g_autofree char *zeros = g_strnfill (323, '0');
    g_autofree char *expected =
      g_strdup_printf ("invalid args `v` for command `c`: invalid type: floating point `0.%s5`, expected a boolean",
                       zeros);

    check (schema, "c", "{\"v\": 5e-324}", expected);
  }
}

static void
test_long_names (void)
{
  g_autofree char *key = g_strnfill (300, 'k');
  g_autofree char *cmd = g_strnfill (200, 'c');
  g_autofree char *key128 = g_strnfill (128, 'k');
  g_autofree char *cmd128 = g_strnfill (128, 'c');
  g_autofree char *value = g_strnfill (500, 's');
  g_autofree char *value128 = g_strnfill (128, 's');
  g_autofree char *expected = NULL;
  g_autofree char *payload = NULL;
  IsthmusArgSpec spec = { key, ISTHMUS_ARG_STRING, TRUE, FALSE, FALSE, 0, 0 };
  IsthmusArgSpec bool_spec = { "v", ISTHMUS_ARG_BOOLEAN, TRUE, FALSE, FALSE, 0, 0 };
  g_autoptr(IsthmusSchema) schema = isthmus_schema_new (&spec, 1, FALSE);
  g_autoptr(IsthmusSchema) strict = isthmus_schema_new (&bool_spec, 1, FALSE);
  g_autoptr(GString) wide = g_string_new ("a");
  g_autoptr(GError) error = NULL;
  const char *quoted;
  const char *end;

  expected = g_strdup_printf ("invalid args `%s` for command `%s`: command %s missing required key %s",
                              key128, cmd128, cmd128, key128);
  check (schema, cmd, "{}", expected);
  g_clear_pointer (&expected, g_free);

  payload = g_strdup_printf ("{\"v\": true, \"%s\": 1}", key);
  expected = g_strdup_printf ("invalid args `%s` for command `c`: unknown field `%s`", key128, key128);
  check (strict, "c", payload, expected);
  g_clear_pointer (&expected, g_free);
  g_clear_pointer (&payload, g_free);

  /* String values quoted in messages are cut the same way. */
  payload = g_strdup_printf ("{\"v\": \"%s\"}", value);
  expected = g_strdup_printf ("invalid args `v` for command `c`: invalid type: string \"%s\", expected a boolean",
                              value128);
  check (strict, "c", payload, expected);
  g_clear_pointer (&payload, g_free);

  /* A cut never splits a character: "a" and 100 two-byte characters are
   * cut to 127 bytes. */
  for (int i = 0; i < 100; i++)
    g_string_append (wide, "\xc3\xa9");
  payload = g_strdup_printf ("{\"v\": true, \"%s\": 1}", wide->str);
  {
    g_autoptr(JsonNode) node = parse (payload);

    g_assert_false (isthmus_schema_validate (strict, "c", node, &error));
  }
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  quoted = strstr (error->message, "unknown field `");
  g_assert_nonnull (quoted);
  quoted += strlen ("unknown field `");
  end = strchr (quoted, '`');
  g_assert_nonnull (end);
  g_assert_cmpint (end - quoted, ==, 127);
  g_assert_true (strncmp (quoted, wide->str, 127) == 0);
}

static void
test_boxed (void)
{
  char name[] = "name";
  IsthmusArgSpec specs[] = {
    { name, ISTHMUS_ARG_STRING, TRUE, FALSE, TRUE, 1, 64 },
    { "age", ISTHMUS_ARG_INTEGER, FALSE, TRUE, FALSE, 0, 0 },
  };
  g_autoptr(IsthmusSchema) schema = isthmus_schema_new (specs, G_N_ELEMENTS (specs), TRUE);
  IsthmusSchema *copy;
  const IsthmusArgSpec *spec;

  g_assert_true (G_TYPE_IS_BOXED (ISTHMUS_TYPE_SCHEMA));
  g_assert_cmpstr (g_type_name (ISTHMUS_TYPE_SCHEMA), ==, "IsthmusSchema");

  /* Names are copied, not borrowed. */
  name[0] = 'X';
  g_assert_cmpuint (isthmus_schema_get_n_specs (schema), ==, 2);
  spec = isthmus_schema_get_spec (schema, 0);
  g_assert_cmpstr (spec->name, ==, "name");
  g_assert_true (spec->name != name);
  g_assert_cmpint (spec->type, ==, ISTHMUS_ARG_STRING);
  g_assert_true (spec->required);
  g_assert_true (spec->has_bounds);
  g_assert_cmpfloat (spec->max, ==, 64);
  spec = isthmus_schema_get_spec (schema, 1);
  g_assert_cmpstr (spec->name, ==, "age");
  g_assert_true (spec->nullable);

  copy = g_boxed_copy (ISTHMUS_TYPE_SCHEMA, schema);
  g_assert_true (copy == schema);
  g_boxed_free (ISTHMUS_TYPE_SCHEMA, copy);

  copy = isthmus_schema_ref (schema);
  g_clear_pointer (&schema, isthmus_schema_unref);
  check (copy, "c", "{\"name\": \"n\"}", NULL);
  isthmus_schema_unref (copy);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/schema/type-matrix", test_type_matrix);
  g_test_add_func ("/isthmus/schema/required", test_required);
  g_test_add_func ("/isthmus/schema/order", test_order);
  g_test_add_func ("/isthmus/schema/nullable", test_nullable);
  g_test_add_func ("/isthmus/schema/bounds-string", test_bounds_string);
  g_test_add_func ("/isthmus/schema/bounds-integer", test_bounds_integer);
  g_test_add_func ("/isthmus/schema/bounds-number", test_bounds_number);
  g_test_add_func ("/isthmus/schema/bounds-containers", test_bounds_containers);
  g_test_add_func ("/isthmus/schema/unknown-keys", test_unknown_keys);
  g_test_add_func ("/isthmus/schema/payload-not-object", test_payload_not_object);
  g_test_add_func ("/isthmus/schema/serde-words", test_serde_words);
  g_test_add_func ("/isthmus/schema/long-names", test_long_names);
  g_test_add_func ("/isthmus/schema/boxed", test_boxed);

  return g_test_run ();
}

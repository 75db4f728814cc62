/* fuzz-schema.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Validates whatever the guard and json-glib let through against a set of
 * fixed schemas and one built from the input's own keys, and checks the
 * shape of every rejection.
 */

#define G_LOG_DOMAIN "fuzz-schema"

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdint.h>
#include <string.h>

#include "isthmus-error.h"
#include "isthmus-json-guard.h"
#include "isthmus-schema.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Key 128, command 128, the detail's key 128, a string value escaped at up
 * to six bytes per byte, or a float of some 330 digits: well below this. */
#define MESSAGE_MAX 4096

static void
check_one (IsthmusSchema *schema,
           const char    *cmd,
           JsonNode      *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) again = NULL;
  gboolean ok;

  ok = isthmus_schema_validate (schema, cmd, payload, &error);
  g_assert_cmpint (isthmus_schema_validate (schema, cmd, payload, NULL), ==, ok);
  g_assert_cmpint (isthmus_schema_validate (schema, cmd, payload, &again), ==, ok);

  if (ok)
    {
      g_assert_no_error (error);
      return;
    }

  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_ARGS);
  g_assert_true (g_str_has_prefix (error->message, "invalid args `"));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_cmpuint (strlen (error->message), <, MESSAGE_MAX);
  g_assert_cmpstr (error->message, ==, again->message);
}

static IsthmusSchema *
schema_from_keys (JsonObject *object,
                  gboolean    allow_unknown)
{
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GArray) specs = g_array_new (FALSE, TRUE, sizeof (IsthmusArgSpec));
  guint n = 0;

  for (const GList *l = members; l != NULL && n < 32; l = l->next, n++)
    {
      guint hash = g_str_hash (l->data);
      IsthmusArgSpec spec = {
        l->data,
        hash % (ISTHMUS_ARG_ARRAY + 1),
        (hash >> 3) & 1,
        (hash >> 4) & 1,
        (hash >> 5) & 1,
        (double)((hash >> 6) % 4),
        (double)((hash >> 8) % 64),
      };

      g_array_append_val (specs, spec);
    }

  /* A key the input never has, so that "missing" is reached too. */
  {
    IsthmusArgSpec absent = { "absentKey", ISTHMUS_ARG_STRING, TRUE, FALSE, FALSE, 0, 0 };

    g_array_append_val (specs, absent);
  }

  return isthmus_schema_new ((IsthmusArgSpec *)specs->data, specs->len, allow_unknown);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const IsthmusArgSpec fixed[] = {
    { "v", ISTHMUS_ARG_ANY, TRUE, FALSE, FALSE, 0, 0 },
    { "v", ISTHMUS_ARG_STRING, TRUE, FALSE, TRUE, 1, 16 },
    { "v", ISTHMUS_ARG_INTEGER, TRUE, FALSE, FALSE, 0, 0 },
    { "v", ISTHMUS_ARG_INTEGER, FALSE, TRUE, TRUE, -5, 5 },
    { "v", ISTHMUS_ARG_NUMBER, TRUE, FALSE, TRUE, -0.5, 1e10 },
    { "v", ISTHMUS_ARG_BOOLEAN, FALSE, FALSE, FALSE, 0, 0 },
    { "v", ISTHMUS_ARG_OBJECT, TRUE, TRUE, TRUE, 0, 2 },
    { "v", ISTHMUS_ARG_ARRAY, TRUE, FALSE, TRUE, 1, 3 },
    { "name", ISTHMUS_ARG_STRING, FALSE, FALSE, FALSE, 0, 0 },
  };
  g_autofree char *long_cmd = g_strnfill (300, 'c');
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;

  if (!isthmus_json_guard_check ((const char *)data, size, NULL, NULL))
    return 0;

  text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, size, NULL))
    return 0;

  root = json_parser_get_root (parser);

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    {
      for (int allow_unknown = 0; allow_unknown <= 1; allow_unknown++)
        {
          g_autoptr(IsthmusSchema) one = isthmus_schema_new (&fixed[i], 1, allow_unknown);

          check_one (one, "cmd", root);
          check_one (one, long_cmd, root);
        }
    }

  {
    g_autoptr(IsthmusSchema) all = isthmus_schema_new (fixed, G_N_ELEMENTS (fixed) - 1, FALSE);
    g_autoptr(IsthmusSchema) none = isthmus_schema_new (NULL, 0, FALSE);

    check_one (all, "cmd", root);
    check_one (none, "cmd", root);
    check_one (none, "cmd", NULL);
  }

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      g_autoptr(IsthmusSchema) strict = schema_from_keys (object, FALSE);
      g_autoptr(IsthmusSchema) lenient = schema_from_keys (object, TRUE);

      check_one (strict, "cmd", root);
      check_one (lenient, "cmd", root);
      check_one (strict, "cmd", NULL);
    }

  /* Every element of a top-level array is a payload of its own. */
  if (root != NULL && JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);
      g_autoptr(IsthmusSchema) any = isthmus_schema_new (&fixed[0], 1, TRUE);

      for (guint i = 0; i < json_array_get_length (array) && i < 64; i++)
        check_one (any, "cmd", json_array_get_element (array, i));
    }

  return 0;
}

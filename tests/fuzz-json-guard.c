/* fuzz-json-guard.c
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
 * Feeds arbitrary bytes to the JSON guard and, when it lets them through,
 * to json-glib. Checks what the guard promises against an independent
 * count of the nesting and against the parsed tree.
 */

#define G_LOG_DOMAIN "fuzz-json-guard"

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdint.h>
#include <string.h>

#include "isthmus-error.h"
#include "isthmus-json-guard.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* The deepest nesting of brackets outside strings, counted the simplest way
 * there is. Closing brackets below zero are ignored. */
static gsize
scan_depth (const uint8_t *data,
            size_t         size)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  gsize depth = 0;
  gsize deepest = 0;

  for (size_t i = 0; i < size; i++)
    {
      uint8_t c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          depth++;
          deepest = MAX (deepest, depth);
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return deepest;
}

/* Walks the parsed tree without recursion: returns its depth and checks
 * every string in it. */
static gsize
tree_depth (JsonNode *root)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize deepest = 0;

  g_ptr_array_add (nodes, root);
  g_array_append_vals (depths, &deepest, 1);

  while (nodes->len > 0)
    {
      JsonNode *node = g_ptr_array_steal_index (nodes, nodes->len - 1);
      gsize depth = g_array_index (depths, gsize, depths->len - 1);

      g_array_set_size (depths, depths->len - 1);

      if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          gsize inner = depth + 1;

          deepest = MAX (deepest, inner);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              g_ptr_array_add (nodes, json_array_get_element (array, i));
              g_array_append_vals (depths, &inner, 1);
            }
        }
      else if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);
          g_autoptr(GList) members = json_object_get_members (object);
          gsize inner = depth + 1;

          deepest = MAX (deepest, inner);
          for (const GList *l = members; l != NULL; l = l->next)
            {
              g_assert_true (g_utf8_validate (l->data, -1, NULL));
              g_ptr_array_add (nodes, json_object_get_member (object, l->data));
              g_array_append_vals (depths, &inner, 1);
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (node) &&
               json_node_get_value_type (node) == G_TYPE_STRING)
        g_assert_true (g_utf8_validate (json_node_get_string (node), -1, NULL));
    }

  return deepest;
}

static void
assert_error_shape (const GError *error)
{
  g_autofree char *prefix = NULL;

  g_assert_nonnull (error);
  g_assert_true (error->domain == ISTHMUS_IPC_ERROR);
  g_assert_true (error->code == ISTHMUS_IPC_ERROR_BAD_MESSAGE ||
                 error->code == ISTHMUS_IPC_ERROR_BAD_ENCODING ||
                 error->code == ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE ||
                 error->code == ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
  prefix = g_strconcat (isthmus_ipc_error_to_code (error->code), ": ", NULL);
  g_assert_true (g_str_has_prefix (error->message, prefix));
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
check_with_limits (const uint8_t           *data,
                   size_t                   size,
                   const IsthmusJsonLimits *limits,
                   gsize                    depth)
{
  g_autoptr(GError) error = NULL;
  guint max_depth = limits != NULL ? limits->max_depth : ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH;
  gboolean ok;

  ok = isthmus_json_guard_check ((const char *)data, size, limits, &error);
  g_assert_cmpint (isthmus_json_guard_check ((const char *)data, size, limits, NULL), ==, ok);

  if (!ok)
    {
      assert_error_shape (error);
      if (error->code == ISTHMUS_IPC_ERROR_JSON_TOO_DEEP)
        g_assert_cmpuint (depth, >, max_depth);
      return;
    }

  g_assert_no_error (error);
  g_assert_cmpuint (depth, <=, max_depth);
  g_assert_true (g_utf8_validate_len ((const char *)data, size, NULL));
  g_assert_null (memchr (data, 0, size));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  IsthmusJsonLimits shallow = { ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES, 3 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *text = NULL;
  gsize depth = scan_depth (data, size);

  check_with_limits (data, size, NULL, depth);
  check_with_limits (data, size, &shallow, depth);

  if (size > 0)
    {
      IsthmusJsonLimits tight = { size - 1, ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH };

      g_assert_false (isthmus_json_guard_check ((const char *)data, size, &tight, &error));
      g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE);
      g_clear_error (&error);
    }

  if (!isthmus_json_guard_check ((const char *)data, size, NULL, NULL))
    return 0;

  /* Accepted text has no NUL, so a terminated copy holds all of it. */
  text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';

  /* The tree can be shallower than the text, where a repeated key replaced
   * a deeper value, never deeper. */
  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, text, size, &error) &&
      json_parser_get_root (parser) != NULL)
    g_assert_cmpuint (tree_depth (json_parser_get_root (parser)), <=, depth);

  return 0;
}

/* fuzz-json-read.c
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
 * Feeds arbitrary bytes to the strict JSON reader. What it accepts is
 * written, read back and written again to the same text, which json-glib
 * must read too; what it refuses, it refuses with the guard's verdict
 * where the guard refuses, and as a bad message otherwise.
 */

#define G_LOG_DOMAIN "fuzz-json-read"

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdint.h>
#include <string.h>

#include "isthmus-error.h"
#include "isthmus-json-guard.h"
#include "isthmus-json-text.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Reads from a copy of exactly @size bytes, so that a sanitizer catches
 * any read past the end. */
static JsonNode *
read_copy (const uint8_t           *data,
           size_t                   size,
           const IsthmusJsonLimits *limits,
           GError                 **error)
{
  g_autofree char *copy = size > 0 ? g_memdup2 (data, size) : NULL;

  return isthmus_json_read (copy, size, limits, error);
}

/* json-glib reads strict JSON to a tree of the same shape: the same kinds
 * of nodes, members in the same order after repeated names (the last
 * value in the first place), the same strings and booleans. Numbers are
 * only numbers on both sides, json-glib wrapping big integers around and
 * rounding some tiny doubles differently. Walks both without recursion. */
static void
assert_same_shape (JsonNode *mine,
                   JsonNode *theirs)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new ();

  g_ptr_array_add (pairs, mine);
  g_ptr_array_add (pairs, theirs);

  while (pairs->len > 0)
    {
      JsonNode *b = g_ptr_array_steal_index (pairs, pairs->len - 1);
      JsonNode *a = g_ptr_array_steal_index (pairs, pairs->len - 1);

      g_assert_cmpint (json_node_get_node_type (a), ==, json_node_get_node_type (b));

      if (JSON_NODE_HOLDS_OBJECT (a))
        {
          JsonObject *oa = json_node_get_object (a);
          JsonObject *ob = json_node_get_object (b);
          g_autoptr(GList) ma = json_object_get_members (oa);
          g_autoptr(GList) mb = json_object_get_members (ob);
          const GList *la = ma;
          const GList *lb = mb;

          for (; la != NULL && lb != NULL; la = la->next, lb = lb->next)
            {
              g_assert_cmpstr (la->data, ==, lb->data);
              g_ptr_array_add (pairs, json_object_get_member (oa, la->data));
              g_ptr_array_add (pairs, json_object_get_member (ob, lb->data));
            }
          g_assert_true (la == NULL && lb == NULL);
        }
      else if (JSON_NODE_HOLDS_ARRAY (a))
        {
          JsonArray *aa = json_node_get_array (a);
          JsonArray *ab = json_node_get_array (b);

          g_assert_cmpuint (json_array_get_length (aa), ==, json_array_get_length (ab));
          for (guint i = 0; i < json_array_get_length (aa); i++)
            {
              g_ptr_array_add (pairs, json_array_get_element (aa, i));
              g_ptr_array_add (pairs, json_array_get_element (ab, i));
            }
        }
      else if (JSON_NODE_HOLDS_VALUE (a))
        {
          GType ta = json_node_get_value_type (a);
          GType tb = json_node_get_value_type (b);

          if (ta == G_TYPE_STRING || tb == G_TYPE_STRING)
            g_assert_cmpstr (json_node_get_string (a), ==, json_node_get_string (b));
          else if (ta == G_TYPE_BOOLEAN || tb == G_TYPE_BOOLEAN)
            {
              g_assert_true (ta == tb);
              g_assert_cmpint (json_node_get_boolean (a), ==, json_node_get_boolean (b));
            }
          else
            {
              g_assert_true (ta == G_TYPE_INT64 || ta == G_TYPE_DOUBLE);
              g_assert_true (tb == G_TYPE_INT64 || tb == G_TYPE_DOUBLE);
            }
        }
    }
}

static void
check_round_trip (JsonNode *root,
                  guint     max_depth)
{
  IsthmusJsonLimits again_limits = { G_MAXSIZE, max_depth };
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  gsize length = 0;
  gsize length_again = 0;

  text = isthmus_json_to_text (root, &length);
  g_assert_nonnull (text);
  g_assert_cmpuint (length, ==, strlen (text));
  g_assert_true (g_utf8_validate (text, length, NULL));

  /* The written text is strict JSON within the same depth, and writing
   * what it reads back changes nothing. */
  again = read_copy ((const uint8_t *)text, length, &again_limits, &error);
  if (again == NULL)
    g_error ("written text %s was refused: %s", text, error->message);
  text_again = isthmus_json_to_text (again, &length_again);
  g_assert_cmpuint (length_again, ==, length);
  g_assert_cmpstr (text_again, ==, text);

  /* json-glib, the tree's own library, reads it as well. */
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, length, &error))
    g_error ("json-glib refused written text %s: %s", text, error->message);
  g_assert_nonnull (json_parser_get_root (parser));
  g_assert_cmpint (json_node_get_node_type (json_parser_get_root (parser)), ==,
                   json_node_get_node_type (root));
}

static void
check_with_limits (const uint8_t           *data,
                   size_t                   size,
                   const IsthmusJsonLimits *limits)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) guard_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) root_quiet = NULL;
  gboolean guarded;

  guarded = isthmus_json_guard_check ((const char *)data, size, limits, &guard_error);
  root = read_copy (data, size, limits, &error);

  /* The same verdict without an error location. */
  root_quiet = read_copy (data, size, limits, NULL);
  g_assert_true ((root == NULL) == (root_quiet == NULL));

  if (root == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == ISTHMUS_IPC_ERROR);
      g_assert_true (error->code == ISTHMUS_IPC_ERROR_BAD_MESSAGE ||
                     error->code == ISTHMUS_IPC_ERROR_BAD_ENCODING ||
                     error->code == ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE ||
                     error->code == ISTHMUS_IPC_ERROR_JSON_TOO_DEEP);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      if (!guarded)
        {
          g_assert_cmpint (error->code, ==, guard_error->code);
          g_assert_cmpstr (error->message, ==, guard_error->message);
        }
      else
        g_assert_cmpint (error->code, ==, ISTHMUS_IPC_ERROR_BAD_MESSAGE);
      return;
    }

  g_assert_no_error (error);
  g_assert_true (guarded);
  check_round_trip (root, limits->max_depth);

  /* Accepted text has no NUL: json-glib, lenient, reads it too. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) glib_error = NULL;
    g_autofree char *text = g_strndup ((const char *)data, size);

    if (!json_parser_load_from_data (parser, text, size, &glib_error))
      g_error ("json-glib refused accepted text: %s", glib_error->message);
    assert_same_shape (root, json_parser_get_root (parser));
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  IsthmusJsonLimits defaults = {
    ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES,
    ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH,
  };
  IsthmusJsonLimits small = { 64 * 1024, 8 };
  IsthmusJsonLimits shallow = { 4096, 2 };

  check_with_limits (data, size, &small);
  check_with_limits (data, size, &shallow);
  if (size <= 1024 * 1024)
    check_with_limits (data, size, &defaults);

  if (size > 0)
    {
      IsthmusJsonLimits tight = { size - 1, ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH };
      g_autoptr(GError) error = NULL;

      g_assert_null (read_copy (data, size, &tight, &error));
      g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE);
    }

  return 0;
}

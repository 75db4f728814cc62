/* isthmus-json-text.c
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

#define G_LOG_DOMAIN "isthmus-json-text"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "isthmus-error.h"
#include "isthmus-json-scan.h"
#include "isthmus-json-text.h"

/* JSON text to and from json-glib trees, for the paths every message
 * takes. json-glib 1.6's own parser reads text through GScanner one
 * character at a time, accepts what JSON does not (comments, single
 * quotes, 0x10, 01, .5) and wraps integers above 2^63 to negative
 * numbers; its generator escapes one character at a time and writes
 * "1e+20.0". These read strict JSON (RFC 8259) and write compact JSON,
 * copying runs of plain bytes at once. */

/* Reading. */

typedef struct
{
  JsonNode   *node;     /* the object or array being filled */
  char       *name;     /* an object's member waiting for its value */
  GHashTable *repeated; /* the last values of repeated names, or NULL */
} Frame;

typedef struct
{
  const char *p;
  const char *end;
  const char *start;
  GString    *scratch;
  GArray     *stack;
} Reader;

static gboolean
syntax_error (Reader      *reader,
              GError     **error,
              const char  *what)
{
  g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
               "the message is not valid JSON: %s at offset %" G_GSIZE_FORMAT,
               what, (gsize)(reader->p - reader->start));
  return FALSE;
}

static inline void
skip_space (Reader *reader)
{
  while (reader->p < reader->end &&
         (*reader->p == ' ' || *reader->p == '\n' || *reader->p == '\r' || *reader->p == '\t'))
    reader->p++;
}

static gboolean
read_hex4 (Reader  *reader,
           guint   *unit)
{
  *unit = 0;
  if (reader->end - reader->p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int v = g_ascii_xdigit_value (reader->p[i]);

      if (v < 0)
        return FALSE;
      *unit = (*unit << 4) | (guint)v;
    }
  reader->p += 4;
  return TRUE;
}

/* Reads the string at reader->p (its opening quote) into the scratch
 * buffer. The guard has already checked the encoding (valid UTF-8, no NUL,
 * no control characters, no lone surrogates, no \u0000), so plain runs
 * are copied as they are; the escape checks here keep the reader within
 * the text on its own. */
static gboolean
read_string (Reader  *reader,
             GError **error)
{
  GString *out = reader->scratch;
  const char *quote = NULL;

  g_string_truncate (out, 0);
  reader->p++;

  for (;;)
    {
      const char *backslash;

      /* The next quote is searched for again only once an escaped quote
       * has been passed, so that a string of many escapes is read in
       * linear time. */
      if (quote == NULL || quote < reader->p)
        {
          quote = memchr (reader->p, '"', (gsize)(reader->end - reader->p));
          if (quote == NULL)
            return syntax_error (reader, error, "unterminated string");
        }

      backslash = memchr (reader->p, '\\', (gsize)(quote - reader->p));
      if (backslash == NULL)
        {
          g_string_append_len (out, reader->p, quote - reader->p);
          reader->p = quote + 1;
          break;
        }

      g_string_append_len (out, reader->p, backslash - reader->p);
      reader->p = backslash + 1;
      if (reader->p >= reader->end)
        return syntax_error (reader, error, "unterminated string");

      switch (*reader->p++)
        {
        case '"': g_string_append_c (out, '"'); break;
        case '\\': g_string_append_c (out, '\\'); break;
        case '/': g_string_append_c (out, '/'); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            guint unit;
            gunichar c;

            if (!read_hex4 (reader, &unit))
              return syntax_error (reader, error, "malformed \\u escape");
            c = unit;
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                guint low;

                if (reader->end - reader->p < 2 || reader->p[0] != '\\' || reader->p[1] != 'u')
                  return syntax_error (reader, error, "lone surrogate escape");
                reader->p += 2;
                if (!read_hex4 (reader, &low) || low < 0xDC00 || low > 0xDFFF)
                  return syntax_error (reader, error, "lone surrogate escape");
                c = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
              }
            else if ((unit >= 0xDC00 && unit <= 0xDFFF) || unit == 0)
              return syntax_error (reader, error, "escape of a lone surrogate or NUL");
            g_string_append_unichar (out, c);
          }
          break;
        default:
          return syntax_error (reader, error, "malformed escape");
        }
    }

  return TRUE;
}

static inline gboolean
is_digit (Reader *reader)
{
  return reader->p < reader->end && *reader->p >= '0' && *reader->p <= '9';
}

/* Skips a run of digits; FALSE if there was none. */
static gboolean
skip_digits (Reader *reader)
{
  const char *start = reader->p;

  while (is_digit (reader))
    reader->p++;
  return reader->p > start;
}

/* A number as RFC 8259 writes it: an integer that fits in 64 bits becomes
 * an int node, anything else a double, which must be finite (serde_json,
 * Tauri's parser, refuses 1e400 too). */
static JsonNode *
read_number (Reader  *reader,
             GError **error)
{
  const char *start = reader->p;
  gboolean integral = TRUE;
  char small[64];
  g_autofree char *large = NULL;
  char *text;
  gsize length;

  if (*reader->p == '-')
    reader->p++;
  if (reader->p < reader->end && *reader->p == '0')
    reader->p++;
  else if (!skip_digits (reader))
    goto malformed;
  if (reader->p < reader->end && *reader->p == '.')
    {
      integral = FALSE;
      reader->p++;
      if (!skip_digits (reader))
        goto malformed;
    }
  if (reader->p < reader->end && (*reader->p == 'e' || *reader->p == 'E'))
    {
      integral = FALSE;
      reader->p++;
      if (reader->p < reader->end && (*reader->p == '+' || *reader->p == '-'))
        reader->p++;
      if (!skip_digits (reader))
        goto malformed;
    }

  length = (gsize)(reader->p - start);
  if (length < sizeof small)
    {
      memcpy (small, start, length);
      small[length] = '\0';
      text = small;
    }
  else
    text = large = g_strndup (start, length);

  if (integral)
    {
      gint64 value;

      errno = 0;
      value = g_ascii_strtoll (text, NULL, 10);
      if (errno == 0)
        return json_node_init_int (json_node_alloc (), value);
    }

  {
    double value = g_ascii_strtod (text, NULL);

    if (!isfinite (value))
      {
        g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                             "a number is out of range");
        return NULL;
      }
    return json_node_init_double (json_node_alloc (), value);
  }

malformed:
  syntax_error (reader, error, "malformed number");
  return NULL;
}

/* true, false or null. */
static JsonNode *
read_word (Reader  *reader,
           GError **error)
{
  static const struct
  {
    const char *word;
    gsize       length;
  } words[] = { { "true", 4 }, { "false", 5 }, { "null", 4 } };
  gsize left = (gsize)(reader->end - reader->p);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (left >= words[i].length && memcmp (reader->p, words[i].word, words[i].length) == 0)
      {
        reader->p += words[i].length;
        if (i == 2)
          return json_node_init_null (json_node_alloc ());
        return json_node_init_boolean (json_node_alloc (), i == 0);
      }

  syntax_error (reader, error, "unexpected word");
  return NULL;
}

/* Reads an object's member name and the colon after it, into the frame
 * on top of the stack. */
static gboolean
read_member_name (Reader  *reader,
                  GError **error)
{
  Frame *top = &g_array_index (reader->stack, Frame, reader->stack->len - 1);

  skip_space (reader);
  if (reader->p >= reader->end || *reader->p != '"')
    return syntax_error (reader, error, "expected a member name");
  if (!read_string (reader, error))
    return FALSE;
  top->name = g_strndup (reader->scratch->str, reader->scratch->len);
  skip_space (reader);
  if (reader->p >= reader->end || *reader->p != ':')
    return syntax_error (reader, error, "expected ':'");
  reader->p++;
  return TRUE;
}

static void
frame_clear (Frame *frame)
{
  g_clear_pointer (&frame->node, json_node_unref);
  g_clear_pointer (&frame->name, g_free);
  g_clear_pointer (&frame->repeated, g_hash_table_unref);
}

/* Adds @value (transfer full) to the object of @frame under the name
 * waiting there. A repeated name keeps its first place and takes its last
 * value, as json_object_set_member () does; but json_object_set_member ()
 * replaces a member by searching the list of every name, which made an
 * object that repeats names quadratic to read (a 2 MiB text took a
 * minute). Repeated names wait in a table until the object closes. */
static void
add_member (Frame    *frame,
            JsonNode *value)
{
  JsonObject *object = json_node_get_object (frame->node);

  if (!json_object_has_member (object, frame->name))
    {
      json_object_set_member (object, frame->name, value);
      g_clear_pointer (&frame->name, g_free);
      return;
    }

  if (frame->repeated == NULL)
    frame->repeated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify)json_node_unref);
  g_hash_table_replace (frame->repeated, g_steal_pointer (&frame->name), value);
}

/* Returns the object of @frame (transfer full), with the last values of
 * its repeated names in place: rebuilt in one pass when names repeated. */
static JsonNode *
close_object (Frame *frame)
{
  g_autoptr(JsonNode) node = g_steal_pointer (&frame->node);
  g_autoptr(GHashTable) repeated = g_steal_pointer (&frame->repeated);
  g_autoptr(JsonObject) rebuilt = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *member;

  if (repeated == NULL)
    return g_steal_pointer (&node);

  rebuilt = json_object_new ();
  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &name, &member))
    {
      gpointer key = NULL;
      gpointer last = NULL;

      if (g_hash_table_steal_extended (repeated, name, &key, &last))
        {
          json_object_set_member (rebuilt, name, last);
          g_free (key);
        }
      else
        json_object_set_member (rebuilt, name, json_node_ref (member));
    }

  return json_node_init_object (json_node_alloc (), rebuilt);
}

/* Parses the guarded text without recursion: containers wait on an
 * explicit stack, each value is added to the container on top. */
static JsonNode *
parse (Reader                  *reader,
       const IsthmusJsonLimits *limits,
       GError                 **error)
{
  JsonNode *value = NULL;

  for (;;)
    {
      /* A value starts here. */
      skip_space (reader);
      if (reader->p >= reader->end)
        {
          syntax_error (reader, error, "expected a value");
          return NULL;
        }

      switch (*reader->p)
        {
        case '{':
        case '[':
          {
            gboolean is_object = *reader->p == '{';
            Frame frame = { NULL, NULL, NULL };

            if (reader->stack->len >= limits->max_depth)
              {
                g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP,
                             "%s: nesting exceeds the limit of %u",
                             isthmus_ipc_error_to_code (ISTHMUS_IPC_ERROR_JSON_TOO_DEEP),
                             limits->max_depth);
                return NULL;
              }
            reader->p++;
            if (is_object)
              {
                frame.node = json_node_new (JSON_NODE_OBJECT);
                json_node_take_object (frame.node, json_object_new ());
              }
            else
              {
                frame.node = json_node_new (JSON_NODE_ARRAY);
                json_node_take_array (frame.node, json_array_new ());
              }
            g_array_append_val (reader->stack, frame);

            skip_space (reader);
            if (reader->p < reader->end && *reader->p == (is_object ? '}' : ']'))
              {
                reader->p++;
                value = g_steal_pointer (&g_array_index (reader->stack, Frame, reader->stack->len - 1).node);
                g_array_set_size (reader->stack, reader->stack->len - 1);
                break;
              }
            if (is_object && !read_member_name (reader, error))
              return NULL;
            continue;
          }

        case '"':
          if (!read_string (reader, error))
            return NULL;
          value = json_node_init_string (json_node_alloc (), reader->scratch->str);
          break;

        case 't':
        case 'f':
        case 'n':
          value = read_word (reader, error);
          if (value == NULL)
            return NULL;
          break;

        default:
          if (*reader->p == '-' || (*reader->p >= '0' && *reader->p <= '9'))
            {
              value = read_number (reader, error);
              if (value == NULL)
                return NULL;
              break;
            }
          syntax_error (reader, error, "unexpected character");
          return NULL;
        }

      /* A value is complete: hand it to its container, and close
       * containers as long as their closing bracket follows. */
      for (;;)
        {
          Frame *top;
          gboolean is_object;

          if (reader->stack->len == 0)
            {
              skip_space (reader);
              if (reader->p != reader->end)
                {
                  json_node_unref (value);
                  syntax_error (reader, error, "text after the value");
                  return NULL;
                }
              return value;
            }

          top = &g_array_index (reader->stack, Frame, reader->stack->len - 1);
          is_object = JSON_NODE_HOLDS_OBJECT (top->node);
          if (is_object)
            add_member (top, value);
          else
            json_array_add_element (json_node_get_array (top->node), value);
          value = NULL;

          skip_space (reader);
          if (reader->p < reader->end && *reader->p == ',')
            {
              reader->p++;
              if (is_object && !read_member_name (reader, error))
                return NULL;
              break;
            }
          if (reader->p < reader->end && *reader->p == (is_object ? '}' : ']'))
            {
              reader->p++;
              value = is_object ? close_object (top) : g_steal_pointer (&top->node);
              g_array_set_size (reader->stack, reader->stack->len - 1);
              continue;
            }

          syntax_error (reader, error, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
          return NULL;
        }
    }
}

/* Each thread keeps one buffer for decoding strings, so that a large
 * string is copied into memory already in use rather than into fresh
 * pages (on this path, page faults cost more than the copies). Buffers
 * that grew past SCRATCH_KEEP_BYTES are let go. */
#define SCRATCH_KEEP_BYTES (2 * 1024 * 1024)

static void
scratch_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static GPrivate scratch_key = G_PRIVATE_INIT (scratch_free);

static GString *
take_scratch (void)
{
  GString *scratch = g_private_get (&scratch_key);

  if (scratch == NULL)
    return g_string_sized_new (256);
  g_private_set (&scratch_key, NULL);
  return scratch;
}

static void
give_back_scratch (GString *scratch)
{
  if (scratch->allocated_len > SCRATCH_KEEP_BYTES)
    {
      g_string_free (scratch, TRUE);
      return;
    }
  g_string_truncate (scratch, 0);
  g_private_replace (&scratch_key, scratch);
}

/**
 * isthmus_json_read:
 * @text: (array length=length): the JSON text, not necessarily
 *   NUL-terminated
 * @length: the length of @text in bytes
 * @limits: (nullable): the limits, or %NULL for the defaults
 * @error: return location for an %ISTHMUS_IPC_ERROR
 *
 * Checks @text with isthmus_json_guard_check() (size before anything else,
 * then encoding and nesting), then parses it as strict JSON in one more
 * pass without recursion. Integers that fit in 64 bits become int nodes,
 * other numbers doubles; a number JSON text cannot hold as a finite
 * double, a syntax error or text after the value are BAD_MESSAGE.
 *
 * Returns: (transfer full) (nullable): the tree, or %NULL with @error set
 */
JsonNode *
isthmus_json_read (const char              *text,
                   gsize                    length,
                   const IsthmusJsonLimits *limits,
                   GError                 **error)
{
  static const IsthmusJsonLimits default_limits = {
    ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES,
    ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH,
  };
  GString *scratch;
  g_autoptr(GArray) stack = NULL;
  Reader reader;
  JsonNode *root;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (limits == NULL)
    limits = &default_limits;

  if (!isthmus_json_guard_check (text, length, limits, error))
    return NULL;

  scratch = take_scratch ();
  stack = g_array_new (FALSE, FALSE, sizeof (Frame));
  g_array_set_clear_func (stack, (GDestroyNotify)frame_clear);

  reader.start = reader.p = text != NULL ? text : "";
  reader.end = reader.p + length;
  reader.scratch = scratch;
  reader.stack = stack;

  root = parse (&reader, limits, error);
  g_assert (root != NULL || error == NULL || *error != NULL);
  give_back_scratch (scratch);

  return root;
}

/* Writing. */

static const char hex[] = "0123456789abcdef";

/* An upper bound of the text's length when no string needs escapes, so
 * that the output grows at most rarely: strlen() runs far faster than the
 * writer's copies into a growing buffer. */
static gsize
estimate_length (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gsize total = 2;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          total += strlen (name) + 4 + estimate_length (member);
        return total;
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        gsize total = 2;

        for (guint i = 0; i < n; i++)
          total += 1 + estimate_length (json_array_get_element (array, i));
        return total;
      }

    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return strlen (json_node_get_string (node)) + 2;
      return 32;

    case JSON_NODE_NULL:
    default:
      return 4;
    }
}

static void
write_string (GString    *out,
              const char *text)
{
  const guchar *p = (const guchar *)text;
  const guchar *end = p + strlen (text);

  g_string_append_c (out, '"');
  for (;;)
    {
      const guchar *run = p;

      /* Bytes a JSON string must escape: controls (and the string's
       * end), the quote and the backslash; and DEL, as json-glib does. */
      p = isthmus_json_scan_plain (p, end, FALSE, TRUE);
      while (*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
        p++;
      if (p > run)
        g_string_append_len (out, (const char *)run, p - run);
      if (p == end)
        break;

      switch (*p)
        {
        case '"': g_string_append_len (out, "\\\"", 2); break;
        case '\\': g_string_append_len (out, "\\\\", 2); break;
        case '\b': g_string_append_len (out, "\\b", 2); break;
        case '\f': g_string_append_len (out, "\\f", 2); break;
        case '\n': g_string_append_len (out, "\\n", 2); break;
        case '\r': g_string_append_len (out, "\\r", 2); break;
        case '\t': g_string_append_len (out, "\\t", 2); break;
        default:
          {
            char escape[6] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 0xf] };

            g_string_append_len (out, escape, sizeof escape);
          }
          break;
        }
      p++;
    }
  g_string_append_c (out, '"');
}

/* As json-glib writes doubles (17 significant digits, ".0" when the text
 * would read back as an integer), without its ".0" after an exponent;
 * NaN and infinities, which JSON cannot hold, as null. */
static void
write_double (GString *out,
              double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (value))
    {
      g_string_append_len (out, "null", 4);
      return;
    }

  g_ascii_formatd (buffer, sizeof buffer, "%.17g", value);
  g_string_append (out, buffer);
  if (strpbrk (buffer, ".eE") == NULL)
    g_string_append_len (out, ".0", 2);
}

static void
write_node (GString  *out,
            JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            write_string (out, name);
            g_string_append_c (out, ':');
            write_node (out, member);
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            write_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          write_double (out, json_node_get_double (node));
          break;
        case G_TYPE_BOOLEAN:
          if (json_node_get_boolean (node))
            g_string_append_len (out, "true", 4);
          else
            g_string_append_len (out, "false", 5);
          break;
        case G_TYPE_STRING:
          write_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append_len (out, "null", 4);
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append_len (out, "null", 4);
      break;
    }
}

/**
 * isthmus_json_to_text:
 * @node: a JSON tree
 * @length: (out) (optional): the length of the text
 *
 * Writes @node as compact JSON text, always valid: strings escaped as
 * json-glib escapes them, doubles as json-glib writes them but without the
 * ".0" json-glib 1.6 appends after an exponent ("1e+20.0"), and numbers
 * JSON cannot hold (NaN, infinities) as null.
 *
 * Returns: (transfer full): compact JSON text
 */
char *
isthmus_json_to_text (JsonNode *node,
                      gsize    *length)
{
  GString *out;

  g_return_val_if_fail (node != NULL, NULL);

  out = g_string_sized_new (estimate_length (node) + 1);
  write_node (out, node);
  if (length != NULL)
    *length = out->len;

  return g_string_free (out, FALSE);
}

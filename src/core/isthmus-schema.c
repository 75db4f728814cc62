/* isthmus-schema.c
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

#define G_LOG_DOMAIN "isthmus-schema"

#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "isthmus-error.h"
#include "isthmus-schema.h"

/* Keys, commands and string values quoted in messages are cut to this many
 * bytes, at a character boundary. */
#define QUOTE_MAX_BYTES 128

/* The integers a JavaScript number holds exactly: ±2^53. */
#define SAFE_INTEGER_MAX G_GINT64_CONSTANT (9007199254740992)

struct _IsthmusSchema
{
  IsthmusArgSpec *specs;
  guint           n_specs;
  gboolean        allow_unknown;
};

G_DEFINE_BOXED_TYPE (IsthmusSchema, isthmus_schema, isthmus_schema_ref, isthmus_schema_unref)

static void
schema_clear (gpointer data)
{
  IsthmusSchema *self = data;

  for (guint i = 0; i < self->n_specs; i++)
    g_free ((char *)self->specs[i].name);
  g_clear_pointer (&self->specs, g_free);
}

/**
 * isthmus_schema_new:
 * @specs: (array length=n_specs): the arguments a command takes
 * @n_specs: the number of elements in @specs
 * @allow_unknown: whether keys not in @specs are accepted
 *
 * Creates a schema holding a copy of @specs, names included.
 *
 * Returns: (transfer full): a new #IsthmusSchema
 */
IsthmusSchema *
isthmus_schema_new (const IsthmusArgSpec *specs,
                    guint                 n_specs,
                    gboolean              allow_unknown)
{
  IsthmusSchema *self;

  g_return_val_if_fail (specs != NULL || n_specs == 0, NULL);

  for (guint i = 0; i < n_specs; i++)
    {
      g_return_val_if_fail (specs[i].name != NULL, NULL);
      g_return_val_if_fail ((guint)specs[i].type <= ISTHMUS_ARG_ARRAY, NULL);
    }

  self = g_atomic_rc_box_new0 (IsthmusSchema);
  self->n_specs = n_specs;
  self->allow_unknown = !!allow_unknown;
  self->specs = g_new0 (IsthmusArgSpec, MAX (n_specs, 1));

  for (guint i = 0; i < n_specs; i++)
    {
      self->specs[i] = specs[i];
      self->specs[i].name = g_strdup (specs[i].name);
    }

  return self;
}

/**
 * isthmus_schema_ref:
 * @self: an #IsthmusSchema
 *
 * Returns: (transfer full): @self, with one more reference
 */
IsthmusSchema *
isthmus_schema_ref (IsthmusSchema *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

/**
 * isthmus_schema_unref:
 * @self: (transfer full): an #IsthmusSchema
 *
 * Drops a reference, freeing the schema with the last one.
 */
void
isthmus_schema_unref (IsthmusSchema *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, schema_clear);
}

/**
 * isthmus_schema_get_n_specs:
 * @self: an #IsthmusSchema
 *
 * Returns: the number of argument specs
 */
guint
isthmus_schema_get_n_specs (IsthmusSchema *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_specs;
}

/**
 * isthmus_schema_get_spec:
 * @self: an #IsthmusSchema
 * @i: an index below isthmus_schema_get_n_specs()
 *
 * Returns: (transfer none): the @i-th spec, owned by @self
 */
const IsthmusArgSpec *
isthmus_schema_get_spec (IsthmusSchema *self,
                         guint          i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->n_specs, NULL);

  return &self->specs[i];
}

/* Cuts @text to QUOTE_MAX_BYTES at a character boundary and replaces
 * invalid UTF-8, so that messages stay short and printable. */
static char *
clip (const char *text)
{
  gsize len = strlen (text);

  if (len > QUOTE_MAX_BYTES)
    {
      len = QUOTE_MAX_BYTES;
      while (len > 0 && ((guchar)text[len] & 0xC0) == 0x80)
        len--;
    }

  return g_utf8_make_valid (text, len);
}

/* Appends @value the way Rust's Display prints an f64: the shortest digits
 * that read back to the same value, never in exponent notation. */
static void
append_rust_float (GString *out,
                   double   value)
{
  char buf[64];
  char digits[32];
  const char *mantissa;
  const char *e;
  guint n_digits = 0;
  int exponent;
  int point;

  if (isnan (value))
    {
      g_string_append (out, "NaN");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value < 0 ? "-inf" : "inf");
      return;
    }
  if (value == 0)
    {
      g_string_append (out, signbit (value) ? "-0" : "0");
      return;
    }

  for (int precision = 0; precision <= 17; precision++)
    {
      char format[16];

      g_snprintf (format, sizeof format, "%%.%de", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  mantissa = buf;
  if (*mantissa == '-')
    {
      g_string_append_c (out, '-');
      mantissa++;
    }

  e = strchr (mantissa, 'e');
  g_assert (e != NULL);

  for (const char *c = mantissa; c < e && n_digits < sizeof digits; c++)
    if (g_ascii_isdigit (*c))
      digits[n_digits++] = *c;

  while (n_digits > 1 && digits[n_digits - 1] == '0')
    n_digits--;

  exponent = atoi (e + 1);
  point = exponent + 1;

  if (point <= 0)
    {
      g_string_append (out, "0.");
      for (int k = 0; k < -point; k++)
        g_string_append_c (out, '0');
      g_string_append_len (out, digits, n_digits);
    }
  else if ((guint)point >= n_digits)
    {
      g_string_append_len (out, digits, n_digits);
      for (guint k = n_digits; k < (guint)point; k++)
        g_string_append_c (out, '0');
    }
  else
    {
      g_string_append_len (out, digits, point);
      g_string_append_c (out, '.');
      g_string_append_len (out, digits + point, n_digits - point);
    }
}

/* Appends @value as serde's Unexpected::Float does: Rust's Display, plus
 * ".0" when that shows no decimal point. */
static void
append_serde_float (GString *out,
                    double   value)
{
  gsize before = out->len;

  append_rust_float (out, value);

  if (isfinite (value) && strchr (out->str + before, '.') == NULL)
    g_string_append (out, ".0");
}

/* Appends @text quoted and escaped as Rust's Debug prints a str. */
static void
append_rust_debug_string (GString    *out,
                          const char *text)
{
  g_autofree char *clipped = clip (text);

  g_string_append_c (out, '"');

  for (const char *c = clipped; *c != '\0'; c = g_utf8_next_char (c))
    {
      gunichar ch = g_utf8_get_char (c);

      switch (ch)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;

        case '\\':
          g_string_append (out, "\\\\");
          break;

        case '\n':
          g_string_append (out, "\\n");
          break;

        case '\r':
          g_string_append (out, "\\r");
          break;

        case '\t':
          g_string_append (out, "\\t");
          break;

        default:
          if (ch < 0x20 || (ch >= 0x7F && ch < 0xA0))
            g_string_append_printf (out, "\\u{%x}", ch);
          else
            g_string_append_len (out, c, g_utf8_next_char (c) - c);
          break;
        }
    }

  g_string_append_c (out, '"');
}

/* Describes @node in serde's words for an "invalid type" message. */
static char *
describe_found (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      g_string_append (out, "map");
      break;

    case JSON_NODE_ARRAY:
      g_string_append (out, "sequence");
      break;

    case JSON_NODE_NULL:
      g_string_append (out, "null");
      break;

    case JSON_NODE_VALUE:
    default:
      {
        GType type = json_node_get_value_type (node);

        if (type == G_TYPE_STRING)
          {
            g_string_append (out, "string ");
            append_rust_debug_string (out, json_node_get_string (node));
          }
        else if (type == G_TYPE_INT64)
          g_string_append_printf (out, "integer `%" G_GINT64_FORMAT "`",
                                  json_node_get_int (node));
        else if (type == G_TYPE_DOUBLE)
          {
            g_string_append (out, "floating point `");
            append_serde_float (out, json_node_get_double (node));
            g_string_append_c (out, '`');
          }
        else if (type == G_TYPE_BOOLEAN)
          g_string_append_printf (out, "boolean `%s`",
                                  json_node_get_boolean (node) ? "true" : "false");
        else
          g_string_append (out, "unknown value");
      }
      break;
    }

  return g_string_free (out, FALSE);
}

static const char *
describe_expected (IsthmusArgType type)
{
  switch (type)
    {
    case ISTHMUS_ARG_STRING:
      return "a string";

    case ISTHMUS_ARG_INTEGER:
      return "an integer";

    case ISTHMUS_ARG_NUMBER:
      return "a number";

    case ISTHMUS_ARG_BOOLEAN:
      return "a boolean";

    case ISTHMUS_ARG_OBJECT:
      return "a map";

    case ISTHMUS_ARG_ARRAY:
      return "a sequence";

    case ISTHMUS_ARG_ANY:
    default:
      return "any value";
    }
}

/* Sets Tauri's "invalid args" error for @key of @cmd. */
G_GNUC_PRINTF (4, 5)
static gboolean
fail (GError    **error,
      const char *cmd,
      const char *key,
      const char *format,
      ...)
{
  g_autofree char *detail = NULL;
  g_autofree char *cmd_clipped = NULL;
  g_autofree char *key_clipped = NULL;
  va_list args;

  if (error == NULL)
    return FALSE;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  cmd_clipped = clip (cmd);
  key_clipped = clip (key);

  g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_ARGS,
               "invalid args `%s` for command `%s`: %s",
               key_clipped, cmd_clipped, detail);

  return FALSE;
}

static gboolean
fail_type (GError        **error,
           const char     *cmd,
           const char     *key,
           JsonNode       *node,
           IsthmusArgType  expected)
{
  g_autofree char *found = NULL;

  if (error == NULL)
    return FALSE;

  found = describe_found (node);

  return fail (error, cmd, key, "invalid type: %s, expected %s",
               found, describe_expected (expected));
}

/* Prints a bound: as an integer when it is one, else as Rust would. */
static void
append_bound (GString *out,
              double   value)
{
  if (value > -9.2e18 && value < 9.2e18 && value == (double)(gint64)value)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64)value);
  else
    append_rust_float (out, value);
}

static gboolean
fail_range (GError    **error,
            const char *cmd,
            const char *key,
            const char *value,
            double      min,
            double      max)
{
  g_autoptr(GString) range = NULL;

  if (error == NULL)
    return FALSE;

  range = g_string_new ("[");
  append_bound (range, min);
  g_string_append (range, ", ");
  append_bound (range, max);
  g_string_append_c (range, ']');

  return fail (error, cmd, key, "%s is out of range %s", value, range->str);
}

static gboolean
check_count (const IsthmusArgSpec *spec,
             const char           *cmd,
             gsize                 count,
             GError              **error)
{
  g_autofree char *value = NULL;

  if (!spec->has_bounds || ((double)count >= spec->min && (double)count <= spec->max))
    return TRUE;

  value = g_strdup_printf ("%" G_GSIZE_FORMAT, count);

  return fail_range (error, cmd, spec->name, value, spec->min, spec->max);
}

static gboolean
check_integer (const IsthmusArgSpec *spec,
               const char           *cmd,
               gint64                value,
               GError              **error)
{
  double min = -(double)SAFE_INTEGER_MAX;
  double max = (double)SAFE_INTEGER_MAX;
  g_autofree char *text = NULL;

  if (spec->has_bounds)
    {
      min = MAX (min, spec->min);
      max = MIN (max, spec->max);
    }

  if (value >= -SAFE_INTEGER_MAX && value <= SAFE_INTEGER_MAX &&
      (double)value >= min && (double)value <= max)
    return TRUE;

  text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return fail_range (error, cmd, spec->name, text, min, max);
}

static gboolean
check_number (const IsthmusArgSpec *spec,
              const char           *cmd,
              JsonNode             *node,
              GError              **error)
{
  g_autoptr(GString) text = NULL;
  double value;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      gint64 i = json_node_get_int (node);

      value = (double)i;
      text = g_string_new (NULL);
      g_string_append_printf (text, "%" G_GINT64_FORMAT, i);
    }
  else
    {
      value = json_node_get_double (node);

      /* json-glib turns a literal such as 1e400 into infinity. */
      if (!isfinite (value))
        return fail_type (error, cmd, spec->name, node, spec->type);

      text = g_string_new (NULL);
      append_rust_float (text, value);
    }

  if (!spec->has_bounds || (value >= spec->min && value <= spec->max))
    return TRUE;

  return fail_range (error, cmd, spec->name, text->str, spec->min, spec->max);
}

static gboolean
check_value (const IsthmusArgSpec *spec,
             const char           *cmd,
             JsonNode             *node,
             GError              **error)
{
  JsonNodeType node_type = json_node_get_node_type (node);
  GType value_type = node_type == JSON_NODE_VALUE ? json_node_get_value_type (node) : G_TYPE_INVALID;

  switch (spec->type)
    {
    case ISTHMUS_ARG_ANY:
      return TRUE;

    case ISTHMUS_ARG_STRING:
      if (value_type != G_TYPE_STRING)
        return fail_type (error, cmd, spec->name, node, spec->type);
      return check_count (spec, cmd, strlen (json_node_get_string (node)), error);

    case ISTHMUS_ARG_INTEGER:
      if (value_type != G_TYPE_INT64)
        return fail_type (error, cmd, spec->name, node, spec->type);
      return check_integer (spec, cmd, json_node_get_int (node), error);

    case ISTHMUS_ARG_NUMBER:
      if (value_type != G_TYPE_INT64 && value_type != G_TYPE_DOUBLE)
        return fail_type (error, cmd, spec->name, node, spec->type);
      return check_number (spec, cmd, node, error);

    case ISTHMUS_ARG_BOOLEAN:
      if (value_type != G_TYPE_BOOLEAN)
        return fail_type (error, cmd, spec->name, node, spec->type);
      return TRUE;

    case ISTHMUS_ARG_OBJECT:
      if (node_type != JSON_NODE_OBJECT)
        return fail_type (error, cmd, spec->name, node, spec->type);
      return check_count (spec, cmd, json_object_get_size (json_node_get_object (node)), error);

    case ISTHMUS_ARG_ARRAY:
      if (node_type != JSON_NODE_ARRAY)
        return fail_type (error, cmd, spec->name, node, spec->type);
      return check_count (spec, cmd, json_array_get_length (json_node_get_array (node)), error);

    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

static gboolean
is_known_key (IsthmusSchema *self,
              const char    *key)
{
  for (guint i = 0; i < self->n_specs; i++)
    {
      if (g_str_equal (self->specs[i].name, key))
        return TRUE;
    }

  return FALSE;
}

/**
 * isthmus_schema_validate:
 * @self: an #IsthmusSchema
 * @cmd: the command name, for messages
 * @payload: (nullable): the invoke's args
 * @error: return location for an %ISTHMUS_IPC_ERROR_INVALID_ARGS error
 *
 * Checks @payload against @self. The specs are checked in order, as Tauri
 * decodes a command's parameters in order, and unknown keys after that, in
 * the payload's member order. The first failure is reported, in Tauri's
 * words (see the header).
 *
 * Returns: %TRUE if @payload matches
 */
gboolean
isthmus_schema_validate (IsthmusSchema *self,
                         const char    *cmd,
                         JsonNode      *payload,
                         GError       **error)
{
  JsonObject *object = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (cmd != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (payload != NULL && !JSON_NODE_HOLDS_NULL (payload))
    {
      if (!JSON_NODE_HOLDS_OBJECT (payload))
        return fail_type (error, cmd, "payload", payload, ISTHMUS_ARG_OBJECT);
      object = json_node_get_object (payload);
    }

  for (guint i = 0; i < self->n_specs; i++)
    {
      const IsthmusArgSpec *spec = &self->specs[i];
      JsonNode *node = NULL;

      if (object != NULL)
        node = json_object_get_member (object, spec->name);

      if (node == NULL)
        {
          if (spec->required)
            {
              g_autofree char *cmd_clipped = clip (cmd);
              g_autofree char *key_clipped = clip (spec->name);

              return fail (error, cmd, spec->name,
                           "command %s missing required key %s",
                           cmd_clipped, key_clipped);
            }
          continue;
        }

      /* A null counts as absent for an optional key, as serde reads
       * Option<T>. */
      if (JSON_NODE_HOLDS_NULL (node) &&
          (spec->type == ISTHMUS_ARG_ANY || spec->nullable || !spec->required))
        continue;

      if (!check_value (spec, cmd, node, error))
        return FALSE;
    }

  if (!self->allow_unknown && object != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (object);

      for (const GList *l = members; l != NULL; l = l->next)
        {
          const char *key = l->data;

          if (!is_known_key (self, key))
            {
              g_autofree char *key_clipped = clip (key);

              return fail (error, cmd, key, "unknown field `%s`", key_clipped);
            }
        }
    }

  return TRUE;
}

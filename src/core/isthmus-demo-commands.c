/* isthmus-demo-commands.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-demo-commands"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "isthmus-demo-commands.h"
#include "isthmus-stream-commands.h"
#include "isthmus-error.h"

#define GREET_NAME_MAX 256
#define SLOW_MS_MAX 60000
#define BIG_BYTES_MAX 67108864

static JsonNode *
string_node (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);

  return node;
}

static void
greet (IsthmusInvocation *invocation,
       gpointer           user_data)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf ("Hello, %s! You've been greeted from C.",
                          isthmus_invocation_get_string (invocation, "name"));
  isthmus_invocation_return_value (invocation, string_node (text));
}

static void
echo (IsthmusInvocation *invocation,
      gpointer           user_data)
{
  JsonNode *args = isthmus_invocation_get_args (invocation);
  JsonNode *value = NULL;

  if (JSON_NODE_HOLDS_OBJECT (args))
    value = json_object_dup_member (json_node_get_object (args), "value");

  isthmus_invocation_return_value (invocation, value);
}

static void
fail (IsthmusInvocation *invocation,
      gpointer           user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *message = isthmus_invocation_get_string (invocation, "message");

  if (message == NULL)
    message = _("The demo command failed, as asked");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, "DemoError");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);

  isthmus_invocation_return_error_value (invocation, json_builder_get_root (builder));
}

static double
get_number (IsthmusInvocation *invocation,
            const char        *key)
{
  JsonNode *args = isthmus_invocation_get_args (invocation);
  JsonNode *node;

  if (!JSON_NODE_HOLDS_OBJECT (args))
    return NAN;

  node = json_object_get_member (json_node_get_object (args), key);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NAN;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (double)json_node_get_int (node);

    case G_TYPE_DOUBLE:
      return json_node_get_double (node);

    default:
      return NAN;
    }
}

static void
divide (IsthmusInvocation *invocation,
        gpointer           user_data)
{
  double a = get_number (invocation, "a");
  double b = get_number (invocation, "b");
  double result;
  JsonNode *node;

  if (b == 0.0)
    {
      isthmus_invocation_return_error_string (invocation, "division by zero");
      return;
    }

  result = a / b;
  if (!isfinite (result))
    {
      isthmus_invocation_return_error_string (invocation, "result out of range");
      return;
    }

  node = json_node_new (JSON_NODE_VALUE);
  /* Whole results within ±2^53 read better as integers. */
  if (result >= -9007199254740992.0 && result <= 9007199254740992.0 &&
      result == (double)(gint64)result)
    json_node_set_int (node, (gint64)result);
  else
    json_node_set_double (node, result);

  isthmus_invocation_return_value (invocation, node);
}

typedef struct
{
  IsthmusInvocation *invocation;
  GSource           *timeout;
  GSource           *cancelled;
  gint64             ms;
} Slow;

static void
slow_finish (Slow *slow)
{
  g_source_destroy (slow->timeout);
  g_source_destroy (slow->cancelled);
  g_source_unref (slow->timeout);
  g_source_unref (slow->cancelled);
  g_object_unref (slow->invocation);
  g_free (slow);
}

static gboolean
slow_timeout_cb (gpointer data)
{
  Slow *slow = data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sleptMs");
  json_builder_add_int_value (builder, slow->ms);
  json_builder_end_object (builder);

  isthmus_invocation_return_value (slow->invocation, json_builder_get_root (builder));
  slow_finish (slow);

  return G_SOURCE_REMOVE;
}

static gboolean
slow_cancelled_cb (GCancellable *cancellable,
                   gpointer      data)
{
  Slow *slow = data;
  g_autoptr(GError) error = NULL;

  error = g_error_new_literal (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_CANCELLED,
                               "the call was cancelled");
  isthmus_invocation_return_gerror (slow->invocation, error);
  slow_finish (slow);

  return G_SOURCE_REMOVE;
}

static void
slow (IsthmusInvocation *invocation,
      gpointer           user_data)
{
  GMainContext *context = g_main_context_get_thread_default ();
  Slow *slow = g_new0 (Slow, 1);

  slow->invocation = g_object_ref (invocation);
  slow->ms = isthmus_invocation_get_int (invocation, "ms", 0);

  /* Whichever source fires first answers and destroys the other. */
  slow->timeout = g_timeout_source_new ((guint)CLAMP (slow->ms, 0, SLOW_MS_MAX));
  g_source_set_callback (slow->timeout, slow_timeout_cb, slow, NULL);
  g_source_set_static_name (slow->timeout, "[isthmus] demo slow");

  slow->cancelled = g_cancellable_source_new (isthmus_invocation_get_cancellable (invocation));
  g_source_set_callback (slow->cancelled, G_SOURCE_FUNC (slow_cancelled_cb), slow, NULL);
  g_source_set_static_name (slow->cancelled, "[isthmus] demo slow cancelled");

  g_source_attach (slow->timeout, context);
  g_source_attach (slow->cancelled, context);
}

static void
big (IsthmusInvocation *invocation,
     gpointer           user_data)
{
  gint64 bytes = CLAMP (isthmus_invocation_get_int (invocation, "bytes", 0), 0, BIG_BYTES_MAX);
  g_autofree char *text = g_malloc ((gsize)bytes + 1);

  memset (text, 'x', (gsize)bytes);
  text[bytes] = '\0';

  isthmus_invocation_return_value (invocation, string_node (text));
}

static JsonNode *
count_words (IsthmusInvocation  *invocation,
             GCancellable       *cancellable,
             gpointer            user_data,
             GError            **error)
{
  const char *text = isthmus_invocation_get_string (invocation, "text");
  gboolean in_word = FALSE;
  gint64 count = 0;
  guint step = 0;
  JsonNode *node;

  for (const char *p = text != NULL ? text : ""; *p != '\0'; p = g_utf8_next_char (p))
    {
      gboolean space = g_unichar_isspace (g_utf8_get_char (p));

      if (!space && !in_word)
        count++;
      in_word = !space;

      if (++step % 65536 == 0 && g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_CANCELLED,
                               "the call was cancelled");
          return NULL;
        }
    }

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_int (node, count);

  return node;
}

static IsthmusSchema *
schema_of (const IsthmusArgSpec *specs,
           guint                 n_specs)
{
  return isthmus_schema_new (specs, n_specs, FALSE);
}

/**
 * isthmus_demo_commands_register:
 * @registry: an #IsthmusRegistry
 *
 * Adds the bundled demo's commands: greet, echo, fail, divide, slow, big
 * and count_words. Names that are taken already are left alone.
 */
static const char * const demo_names[] = {
  "greet", "echo", "fail", "divide", "slow", "big", "count_words",
  "stream_progress", "reverse_bytes",
};

void
isthmus_demo_commands_register (IsthmusRegistry *registry)
{
  static const IsthmusArgSpec greet_specs[] = {
    { "name", ISTHMUS_ARG_STRING, TRUE, FALSE, TRUE, 0, GREET_NAME_MAX },
  };
  static const IsthmusArgSpec echo_specs[] = {
    { "value", ISTHMUS_ARG_ANY, TRUE, TRUE, FALSE, 0, 0 },
  };
  static const IsthmusArgSpec fail_specs[] = {
    { "message", ISTHMUS_ARG_STRING, FALSE, TRUE, FALSE, 0, 0 },
  };
  static const IsthmusArgSpec divide_specs[] = {
    { "a", ISTHMUS_ARG_NUMBER, TRUE, FALSE, FALSE, 0, 0 },
    { "b", ISTHMUS_ARG_NUMBER, TRUE, FALSE, FALSE, 0, 0 },
  };
  static const IsthmusArgSpec slow_specs[] = {
    { "ms", ISTHMUS_ARG_INTEGER, TRUE, FALSE, TRUE, 0, SLOW_MS_MAX },
  };
  static const IsthmusArgSpec big_specs[] = {
    { "bytes", ISTHMUS_ARG_INTEGER, TRUE, FALSE, TRUE, 0, BIG_BYTES_MAX },
  };
  static const IsthmusArgSpec count_words_specs[] = {
    { "text", ISTHMUS_ARG_STRING, TRUE, FALSE, FALSE, 0, 0 },
  };
  g_autoptr(IsthmusSchema) greet_schema = NULL;
  g_autoptr(IsthmusSchema) echo_schema = NULL;
  g_autoptr(IsthmusSchema) fail_schema = NULL;
  g_autoptr(IsthmusSchema) divide_schema = NULL;
  g_autoptr(IsthmusSchema) slow_schema = NULL;
  g_autoptr(IsthmusSchema) big_schema = NULL;
  g_autoptr(IsthmusSchema) count_words_schema = NULL;

  g_return_if_fail (ISTHMUS_IS_REGISTRY (registry));

  greet_schema = schema_of (greet_specs, G_N_ELEMENTS (greet_specs));
  echo_schema = schema_of (echo_specs, G_N_ELEMENTS (echo_specs));
  fail_schema = schema_of (fail_specs, G_N_ELEMENTS (fail_specs));
  divide_schema = schema_of (divide_specs, G_N_ELEMENTS (divide_specs));
  slow_schema = schema_of (slow_specs, G_N_ELEMENTS (slow_specs));
  big_schema = schema_of (big_specs, G_N_ELEMENTS (big_specs));
  count_words_schema = schema_of (count_words_specs, G_N_ELEMENTS (count_words_specs));

  isthmus_registry_add (registry, "greet", greet_schema, greet, NULL, NULL);
  isthmus_registry_add (registry, "echo", echo_schema, echo, NULL, NULL);
  isthmus_registry_add (registry, "fail", fail_schema, fail, NULL, NULL);
  isthmus_registry_add (registry, "divide", divide_schema, divide, NULL, NULL);
  isthmus_registry_add (registry, "slow", slow_schema, slow, NULL, NULL);
  isthmus_registry_add (registry, "big", big_schema, big, NULL, NULL);
  isthmus_registry_add_thread (registry, "count_words", count_words_schema,
                               count_words, NULL, NULL);
  isthmus_stream_commands_register (registry);

  /* The demo answers last: mocks and a backend process come first. */
  for (guint i = 0; i < G_N_ELEMENTS (demo_names); i++)
    isthmus_registry_set_default (registry, demo_names[i], TRUE);
}

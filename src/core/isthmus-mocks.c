/* isthmus-mocks.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-mocks"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "isthmus-exchange.h"
#include "isthmus-json-guard.h"
#include "isthmus-mocks.h"

#define MOCKS_FILE_MAX_BYTES (16 * 1024 * 1024)
#define DELAY_MAX_MS 600000
#define NOTE_MOCKED "mocked"

typedef enum
{
  KIND_REPLY,
  KIND_ERROR,
  KIND_TEMPLATE,
  KIND_SEQUENCE,
} Kind;

typedef struct _Mock Mock;

struct _Mock
{
  Kind       kind;
  guint      delay_ms;
  /* The value of reply, error and template. */
  JsonNode  *value;
  /* Sequence steps (Mock), and where the next call starts. */
  GPtrArray *steps;
  gboolean   cycle;
  guint      position;
};

typedef struct
{
  char         *key;
  GPatternSpec *glob;
  Mock         *mock;
  /* The MOCK as written, for the JavaScript export. */
  JsonNode     *source;
} Rule;

struct _IsthmusMocks
{
  GObject       parent_instance;

  /* Rules in file order (owned), and the exact ones by key (borrowed). */
  GPtrArray    *rules;
  GHashTable   *exact;
  char         *path;
  GFileMonitor *monitor;
};

G_DEFINE_FINAL_TYPE (IsthmusMocks, isthmus_mocks, G_TYPE_OBJECT)

enum {
  CHANGED,
  LOAD_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
mock_free (gpointer data)
{
  Mock *mock = data;

  g_clear_pointer (&mock->value, json_node_unref);
  g_clear_pointer (&mock->steps, g_ptr_array_unref);
  g_free (mock);
}

static void
rule_free (gpointer data)
{
  Rule *rule = data;

  g_free (rule->key);
  g_clear_pointer (&rule->glob, g_pattern_spec_free);
  g_clear_pointer (&rule->mock, mock_free);
  g_clear_pointer (&rule->source, json_node_unref);
  g_free (rule);
}

static void
isthmus_mocks_finalize (GObject *object)
{
  IsthmusMocks *self = (IsthmusMocks *)object;

  g_clear_pointer (&self->exact, g_hash_table_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->path, g_free);
  if (self->monitor != NULL)
    g_file_monitor_cancel (self->monitor);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (isthmus_mocks_parent_class)->finalize (object);
}

static void
isthmus_mocks_class_init (IsthmusMocksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_mocks_finalize;

  /**
   * IsthmusMocks::changed:
   *
   * The mocks were loaded, reloaded or cleared.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  /**
   * IsthmusMocks::load-failed:
   * @error: why
   *
   * A watched file changed and did not load; the previous mocks stay.
   */
  signals[LOAD_FAILED] = g_signal_new ("load-failed", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
isthmus_mocks_init (IsthmusMocks *self)
{
  self->rules = g_ptr_array_new_with_free_func (rule_free);
  self->exact = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * isthmus_mocks_new:
 *
 * Returns: (transfer full): an empty set of mocks
 */
IsthmusMocks *
isthmus_mocks_new (void)
{
  return g_object_new (ISTHMUS_TYPE_MOCKS, NULL);
}

/* Validation. */

typedef struct
{
  const char *origin;
  /* "<container pointer>/<member or index>" → line where it ended. */
  GHashTable *lines;
  /* The first duplicate member seen, as "<pointer>/<name>", if any. */
  char       *duplicate;
  guint       duplicate_line;
} Checker;

static char *
member_key (gconstpointer  container,
            const char    *member)
{
  return g_strdup_printf ("%p/%s", container, member);
}

static void
object_member_cb (JsonParser *parser,
                  JsonObject *object,
                  const char *member,
                  gpointer    user_data)
{
  Checker *checker = user_data;
  char *key = member_key (object, member);

  if (g_hash_table_contains (checker->lines, key) && checker->duplicate == NULL)
    {
      checker->duplicate = g_strdup (member);
      checker->duplicate_line = json_parser_get_current_line (parser);
    }

  g_hash_table_replace (checker->lines, key,
                        GUINT_TO_POINTER (json_parser_get_current_line (parser)));
}

static void
array_element_cb (JsonParser *parser,
                  JsonArray  *array,
                  int         index,
                  gpointer    user_data)
{
  Checker *checker = user_data;
  g_autofree char *number = g_strdup_printf ("%d", index);

  g_hash_table_replace (checker->lines, member_key (array, number),
                        GUINT_TO_POINTER (json_parser_get_current_line (parser)));
}

static guint
line_of (Checker       *checker,
         gconstpointer  container,
         const char    *member)
{
  g_autofree char *key = NULL;

  if (container == NULL)
    return 1;

  key = member_key (container, member);

  return GPOINTER_TO_UINT (g_hash_table_lookup (checker->lines, key));
}

static gboolean
is_identifier (const char *name)
{
  if (!g_ascii_isalpha (*name) && *name != '_')
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_')
        return FALSE;
    }

  return TRUE;
}

static char *
path_member (const char *path,
             const char *member)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *quoted = NULL;

  if (is_identifier (member))
    return g_strconcat (path, ".", member, NULL);

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, member);
  quoted = json_to_string (node, FALSE);

  return g_strconcat (path, "[", quoted, "]", NULL);
}

static gboolean
fail_at (Checker        *checker,
         gconstpointer   container,
         const char     *member,
         const char     *path,
         GError        **error,
         const char     *format,
         ...) G_GNUC_PRINTF (6, 7);

static gboolean
fail_at (Checker        *checker,
         gconstpointer   container,
         const char     *member,
         const char     *path,
         GError        **error,
         const char     *format,
         ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
               "%s:%u: %s: %s", checker->origin,
               line_of (checker, container, member), path, text);

  return FALSE;
}

static const char *
node_kind_name (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return "a string";
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return "a boolean";
      return "a number";
    }
}

/* Checks the placeholders of the strings in a template. */
static gboolean
check_template (Checker        *checker,
                JsonNode       *node,
                gconstpointer   container,
                const char     *member,
                const char     *path,
                GError        **error)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          g_autofree char *child = path_member (path, l->data);

          if (!check_template (checker, json_object_get_member (object, l->data),
                               object, l->data, child, error))
            return FALSE;
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *child = g_strdup_printf ("%s[%u]", path, i);
          g_autofree char *index = g_strdup_printf ("%u", i);

          if (!check_template (checker, json_array_get_element (array, i),
                               array, index, child, error))
            return FALSE;
        }
    }
  else if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *p = json_node_get_string (node);

      while ((p = strstr (p, "${")) != NULL)
        {
          const char *end = strchr (p, '}');
          g_autofree char *name = NULL;

          if (end == NULL)
            return fail_at (checker, container, member, path, error,
                            _("“${” without a closing “}”"));

          name = g_strndup (p + 2, end - p - 2);
          if (!g_str_equal (name, "cmd") && !g_str_equal (name, "window") &&
              !g_str_equal (name, "args") && !g_str_has_prefix (name, "args."))
            return fail_at (checker, container, member, path, error,
                            _("unknown placeholder “${%s}” (use ${args.<path>}, ${cmd} or ${window})"),
                            name);
          p = end + 1;
        }
    }

  return TRUE;
}

static Mock *parse_mock (Checker        *checker,
                         JsonNode       *node,
                         gconstpointer   container,
                         const char     *member,
                         const char     *path,
                         GError        **error);

static Mock *
parse_mock (Checker        *checker,
            JsonNode       *node,
            gconstpointer   container,
            const char     *member,
            const char     *path,
            GError        **error)
{
  static const char * const kinds[] = { "reply", "error", "template", "sequence" };
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  Mock *mock;
  const char *kind = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail_at (checker, container, member, path, error,
               _("expected a mock object such as {\"reply\": …}, found %s"),
               node_kind_name (node));
      return NULL;
    }

  object = json_node_get_object (node);
  members = json_object_get_members (object);

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      gboolean known = g_str_equal (name, "delayMs") || g_str_equal (name, "cycle");

      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        {
          if (g_str_equal (name, kinds[i]))
            {
              g_autofree char *child = path_member (path, name);

              if (kind != NULL)
                {
                  fail_at (checker, object, name, child, error,
                           _("a mock has exactly one of reply, error, template and sequence; found both “%s” and “%s”"),
                           kind, name);
                  return NULL;
                }
              kind = kinds[i];
              known = TRUE;
            }
        }

      if (!known)
        {
          g_autofree char *child = path_member (path, name);

          fail_at (checker, object, name, child, error,
                   _("unknown member “%s” (expected reply, error, template, sequence, cycle or delayMs)"),
                   name);
          return NULL;
        }
    }

  if (kind == NULL)
    {
      fail_at (checker, container, member, path, error,
               _("a mock needs one of reply, error, template or sequence"));
      return NULL;
    }

  mock = g_new0 (Mock, 1);

  if (json_object_has_member (object, "delayMs"))
    {
      JsonNode *delay = json_object_get_member (object, "delayMs");
      g_autofree char *child = path_member (path, "delayMs");

      if (json_node_get_value_type (delay) != G_TYPE_INT64 ||
          json_node_get_int (delay) < 0 || json_node_get_int (delay) > DELAY_MAX_MS)
        {
          mock_free (mock);
          fail_at (checker, object, "delayMs", child, error,
                   _("expected an integer number of milliseconds from 0 to %d"),
                   DELAY_MAX_MS);
          return NULL;
        }
      mock->delay_ms = json_node_get_int (delay);
    }

  if (json_object_has_member (object, "cycle"))
    {
      JsonNode *cycle = json_object_get_member (object, "cycle");
      g_autofree char *child = path_member (path, "cycle");

      if (!g_str_equal (kind, "sequence"))
        {
          mock_free (mock);
          fail_at (checker, object, "cycle", child, error,
                   _("“cycle” belongs to a sequence"));
          return NULL;
        }
      if (json_node_get_value_type (cycle) != G_TYPE_BOOLEAN)
        {
          mock_free (mock);
          fail_at (checker, object, "cycle", child, error,
                   _("expected true or false, found %s"), node_kind_name (cycle));
          return NULL;
        }
      mock->cycle = json_node_get_boolean (cycle);
    }

  if (g_str_equal (kind, "sequence"))
    {
      JsonNode *steps = json_object_get_member (object, "sequence");
      g_autofree char *child = path_member (path, "sequence");
      JsonArray *array;

      mock->kind = KIND_SEQUENCE;

      if (!JSON_NODE_HOLDS_ARRAY (steps) ||
          json_array_get_length (json_node_get_array (steps)) == 0)
        {
          mock_free (mock);
          fail_at (checker, object, "sequence", child, error,
                   _("expected a non-empty array of mocks, found %s"),
                   JSON_NODE_HOLDS_ARRAY (steps) ? "an empty array" : node_kind_name (steps));
          return NULL;
        }

      array = json_node_get_array (steps);
      mock->steps = g_ptr_array_new_with_free_func (mock_free);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *step_path = g_strdup_printf ("%s[%u]", child, i);
          g_autofree char *index = g_strdup_printf ("%u", i);
          Mock *step;

          step = parse_mock (checker, json_array_get_element (array, i), array, index,
                             step_path, error);
          if (step == NULL)
            {
              mock_free (mock);
              return NULL;
            }
          g_ptr_array_add (mock->steps, step);
        }

      return mock;
    }

  mock->value = json_node_copy (json_object_get_member (object, kind));

  if (g_str_equal (kind, "reply"))
    mock->kind = KIND_REPLY;
  else if (g_str_equal (kind, "error"))
    mock->kind = KIND_ERROR;
  else
    {
      g_autofree char *child = path_member (path, "template");

      mock->kind = KIND_TEMPLATE;
      if (!check_template (checker, mock->value, object, "template", child, error))
        {
          mock_free (mock);
          return NULL;
        }
    }

  return mock;
}

static gboolean
has_glob_characters (const char *key)
{
  return strpbrk (key, "*?") != NULL;
}

/* Parses and checks a whole file into @rules. */
static gboolean
parse_rules (const char  *data,
             gsize        length,
             const char  *origin,
             GPtrArray   *rules,
             GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GList) members = NULL;
  Checker checker = { 0 };
  IsthmusJsonLimits limits = { MOCKS_FILE_MAX_BYTES, ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH };
  JsonNode *root;
  JsonObject *object;
  JsonNode *commands;
  gboolean ok = FALSE;

  checker.origin = origin;
  checker.lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!isthmus_json_guard_check (data, length, &limits, &local_error))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "%s: %s", origin, local_error->message);
      goto out;
    }

  parser = json_parser_new_immutable ();
  g_signal_connect (parser, "object-member", G_CALLBACK (object_member_cb), &checker);
  g_signal_connect (parser, "array-element", G_CALLBACK (array_element_cb), &checker);

  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      const char *message = local_error->message;

      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      g_set_error (error, JSON_PARSER_ERROR, local_error->code, "%s:%s", origin, message);
      goto out;
    }

  if (checker.duplicate != NULL)
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "%s:%u: member “%s” appears twice in the same object",
                   origin, checker.duplicate_line, checker.duplicate);
      goto out;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fail_at (&checker, NULL, NULL, "$", error,
               _("expected an object such as {\"commands\": {…}}, found %s"),
               root != NULL ? node_kind_name (root) : "nothing");
      goto out;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (!g_str_equal (l->data, "commands") && !g_str_equal (l->data, "$schema"))
        {
          g_autofree char *child = path_member ("$", l->data);

          fail_at (&checker, object, l->data, child, error,
                   _("unknown member “%s” (expected “commands”)"), (const char *)l->data);
          goto out;
        }
    }
  g_clear_pointer (&members, g_list_free);

  commands = json_object_get_member (object, "commands");
  if (commands == NULL || !JSON_NODE_HOLDS_OBJECT (commands))
    {
      fail_at (&checker, commands != NULL ? object : NULL, "commands", "$.commands", error,
               _("expected an object of mocks by command name, found %s"),
               commands != NULL ? node_kind_name (commands) : "nothing");
      goto out;
    }

  object = json_node_get_object (commands);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      g_autofree char *path = path_member ("$.commands", key);
      JsonNode *node = json_object_get_member (object, key);
      Rule *rule;
      Mock *mock;

      if (*key == '\0')
        {
          fail_at (&checker, object, key, path, error, _("a command name cannot be empty"));
          goto out;
        }

      mock = parse_mock (&checker, node, object, key, path, error);
      if (mock == NULL)
        goto out;

      rule = g_new0 (Rule, 1);
      rule->key = g_strdup (key);
      rule->mock = mock;
      rule->source = json_node_copy (node);
      if (has_glob_characters (key))
        rule->glob = g_pattern_spec_new (key);
      g_ptr_array_add (rules, rule);
    }

  ok = TRUE;

out:
  g_clear_pointer (&checker.lines, g_hash_table_unref);
  g_clear_pointer (&checker.duplicate, g_free);

  return ok;
}

static void
replace_rules (IsthmusMocks *self,
               GPtrArray    *rules)
{
  g_hash_table_remove_all (self->exact);
  g_ptr_array_set_size (self->rules, 0);

  while (rules->len > 0)
    {
      Rule *rule = g_ptr_array_steal_index (rules, 0);

      g_ptr_array_add (self->rules, rule);
      if (rule->glob == NULL)
        g_hash_table_replace (self->exact, rule->key, rule);
    }

  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * isthmus_mocks_load_data:
 * @self: an #IsthmusMocks
 * @data: the JSON text
 * @length: its length, or -1 if nul-terminated
 * @origin: what to call it in messages
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the text was valid and now answers
 */
gboolean
isthmus_mocks_load_data (IsthmusMocks  *self,
                         const char    *data,
                         gssize         length,
                         const char    *origin,
                         GError       **error)
{
  g_autoptr(GPtrArray) rules = NULL;

  g_return_val_if_fail (ISTHMUS_IS_MOCKS (self), FALSE);
  g_return_val_if_fail (data != NULL, FALSE);

  if (length < 0)
    length = strlen (data);

  rules = g_ptr_array_new_with_free_func (rule_free);
  if (!parse_rules (data, length, origin != NULL ? origin : "mocks", rules, error))
    return FALSE;

  replace_rules (self, rules);

  return TRUE;
}

/**
 * isthmus_mocks_load_file:
 * @self: an #IsthmusMocks
 * @path: the mocks file
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the file was valid and now answers
 */
gboolean
isthmus_mocks_load_file (IsthmusMocks  *self,
                         const char    *path,
                         GError       **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (ISTHMUS_IS_MOCKS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  display = g_filename_display_name (path);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, G_IO_ERROR, g_io_error_from_file_error (local_error->code),
                   "%s", local_error->message);
      return FALSE;
    }

  if (!isthmus_mocks_load_data (self, contents, length, display, error))
    return FALSE;

  if (g_strcmp0 (self->path, path) != 0)
    {
      gboolean watching = self->monitor != NULL;

      isthmus_mocks_set_watch (self, FALSE);
      g_free (self->path);
      self->path = g_strdup (path);
      isthmus_mocks_set_watch (self, watching);
    }

  return TRUE;
}

/**
 * isthmus_mocks_reload:
 * @self: an #IsthmusMocks
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the file last loaded loaded again
 */
gboolean
isthmus_mocks_reload (IsthmusMocks  *self,
                      GError       **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (ISTHMUS_IS_MOCKS (self), FALSE);

  if (self->path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "no mocks file was loaded");
      return FALSE;
    }

  path = g_strdup (self->path);

  return isthmus_mocks_load_file (self, path, error);
}

static void
monitor_changed_cb (GFileMonitor      *monitor,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    gpointer           user_data)
{
  IsthmusMocks *self = user_data;
  g_autoptr(GError) error = NULL;

  if (event != G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT &&
      event != G_FILE_MONITOR_EVENT_CREATED)
    return;

  if (!isthmus_mocks_reload (self, &error))
    g_signal_emit (self, signals[LOAD_FAILED], 0, error);
}

void
isthmus_mocks_set_watch (IsthmusMocks *self,
                         gboolean      watch)
{
  g_autoptr(GFile) file = NULL;

  g_return_if_fail (ISTHMUS_IS_MOCKS (self));

  if (self->monitor != NULL)
    {
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }

  if (!watch || self->path == NULL)
    return;

  file = g_file_new_for_path (self->path);
  self->monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, NULL, NULL);
  if (self->monitor != NULL)
    g_signal_connect_object (self->monitor, "changed",
                             G_CALLBACK (monitor_changed_cb), self, 0);
}

void
isthmus_mocks_clear (IsthmusMocks *self)
{
  g_autoptr(GPtrArray) none = NULL;

  g_return_if_fail (ISTHMUS_IS_MOCKS (self));

  none = g_ptr_array_new ();
  replace_rules (self, none);
}

const char *
isthmus_mocks_get_path (IsthmusMocks *self)
{
  g_return_val_if_fail (ISTHMUS_IS_MOCKS (self), NULL);

  return self->path;
}

guint
isthmus_mocks_get_n_mocks (IsthmusMocks *self)
{
  g_return_val_if_fail (ISTHMUS_IS_MOCKS (self), 0);

  return self->rules->len;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/**
 * isthmus_mocks_list:
 * @self: an #IsthmusMocks
 *
 * Returns: (transfer full): the keys, sorted
 */
char **
isthmus_mocks_list (IsthmusMocks *self)
{
  GPtrArray *keys;

  g_return_val_if_fail (ISTHMUS_IS_MOCKS (self), NULL);

  keys = g_ptr_array_new ();
  for (guint i = 0; i < self->rules->len; i++)
    g_ptr_array_add (keys, g_strdup (((Rule *)g_ptr_array_index (self->rules, i))->key));
  g_ptr_array_sort (keys, compare_strings);
  g_ptr_array_add (keys, NULL);

  return (char **)g_ptr_array_free (keys, FALSE);
}

/* Answering. */

static Rule *
find_rule (IsthmusMocks *self,
           const char   *command)
{
  Rule *rule = g_hash_table_lookup (self->exact, command);

  if (rule != NULL)
    return rule;

  for (guint i = 0; i < self->rules->len; i++)
    {
      rule = g_ptr_array_index (self->rules, i);
      if (rule->glob != NULL && g_pattern_spec_match_string (rule->glob, command))
        return rule;
    }

  return NULL;
}

/* Follows sequences to the mock that answers now, adding up the delays. */
static Mock *
resolve (Mock  *mock,
         guint *delay_ms)
{
  while (mock->kind == KIND_SEQUENCE)
    {
      Mock *step = g_ptr_array_index (mock->steps, mock->position);

      *delay_ms += mock->delay_ms;
      if (mock->cycle)
        mock->position = (mock->position + 1) % mock->steps->len;
      else if (mock->position + 1 < mock->steps->len)
        mock->position++;
      mock = step;
    }

  *delay_ms += mock->delay_ms;

  return mock;
}

static JsonNode *
lookup_placeholder (IsthmusInvocation *invocation,
                    const char        *name)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node;

  if (g_str_equal (name, "cmd"))
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, isthmus_invocation_get_command (invocation));
      return node;
    }
  if (g_str_equal (name, "window"))
    {
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, isthmus_invocation_get_webview_label (invocation));
      return node;
    }

  node = isthmus_invocation_get_args (invocation);
  parts = g_strsplit (name, ".", -1);

  for (guint i = 1; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint64 index;

          if (g_ascii_string_to_unsigned (parts[i], 10, 0, G_MAXUINT, &index, NULL) &&
              index < json_array_get_length (array))
            node = json_array_get_element (array, index);
          else
            node = NULL;
        }
      else
        node = NULL;
    }

  return node != NULL ? json_node_copy (node) : NULL;
}

static JsonNode *
fill_template (JsonNode          *node,
               IsthmusInvocation *invocation)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(JsonObject) copy = json_object_new ();
      g_autoptr(GList) members = json_object_get_members (object);
      JsonNode *result;

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (copy, l->data,
                                fill_template (json_object_get_member (object, l->data),
                                               invocation));
      result = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (result, copy);
      return result;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(JsonArray) copy = json_array_sized_new (json_array_get_length (array));
      JsonNode *result;

      for (guint i = 0; i < json_array_get_length (array); i++)
        json_array_add_element (copy, fill_template (json_array_get_element (array, i),
                                                     invocation));
      result = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (result, copy);
      return result;
    }

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      const char *p = text;
      g_autoptr(GString) out = g_string_new (NULL);
      gsize text_length = strlen (text);
      JsonNode *result;

      /* A string that is one placeholder takes the value's type. */
      if (g_str_has_prefix (text, "${") && text[text_length - 1] == '}' &&
          strchr (text + 2, '}') == text + text_length - 1)
        {
          g_autofree char *name = g_strndup (text + 2, text_length - 3);

          result = lookup_placeholder (invocation, name);
          return result != NULL ? result : json_node_new (JSON_NODE_NULL);
        }

      while (*p != '\0')
        {
          const char *start = strstr (p, "${");
          const char *end = start != NULL ? strchr (start, '}') : NULL;
          g_autofree char *name = NULL;
          g_autoptr(JsonNode) value = NULL;

          if (start == NULL || end == NULL)
            {
              g_string_append (out, p);
              break;
            }

          g_string_append_len (out, p, start - p);
          name = g_strndup (start + 2, end - start - 2);
          value = lookup_placeholder (invocation, name);
          if (value != NULL && json_node_get_value_type (value) == G_TYPE_STRING)
            g_string_append (out, json_node_get_string (value));
          else if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
            {
              g_autofree char *json = json_to_string (value, FALSE);

              g_string_append (out, json);
            }
          p = end + 1;
        }

      result = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (result, out->str);
      return result;
    }

  return json_node_copy (node);
}

typedef struct
{
  IsthmusInvocation *invocation;
  JsonNode          *value;
  gboolean           ok;
} Answer;

static void
answer_free (gpointer data)
{
  Answer *answer = data;

  g_clear_object (&answer->invocation);
  g_clear_pointer (&answer->value, json_node_unref);
  g_free (answer);
}

static void
deliver (Answer *answer)
{
  if (isthmus_invocation_is_answered (answer->invocation))
    return;

  isthmus_invocation_set_note (answer->invocation, NOTE_MOCKED);
  if (answer->ok)
    isthmus_invocation_return_value (answer->invocation, g_steal_pointer (&answer->value));
  else
    isthmus_invocation_return_error_value (answer->invocation, g_steal_pointer (&answer->value));
}

static gboolean
delay_done_cb (gpointer data)
{
  deliver (data);

  return G_SOURCE_REMOVE;
}

/**
 * isthmus_mocks_handle:
 * @self: an #IsthmusMocks
 * @invocation: a call
 *
 * Returns: %TRUE if a mock matched and answers @invocation
 */
gboolean
isthmus_mocks_handle (IsthmusMocks      *self,
                      IsthmusInvocation *invocation)
{
  Answer *answer;
  Rule *rule;
  Mock *mock;
  guint delay_ms = 0;

  g_return_val_if_fail (ISTHMUS_IS_MOCKS (self), FALSE);
  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (invocation), FALSE);

  rule = find_rule (self, isthmus_invocation_get_command (invocation));
  if (rule == NULL)
    return FALSE;

  mock = resolve (rule->mock, &delay_ms);

  answer = g_new0 (Answer, 1);
  answer->invocation = g_object_ref (invocation);
  answer->ok = mock->kind != KIND_ERROR;
  if (mock->kind == KIND_TEMPLATE)
    answer->value = fill_template (mock->value, invocation);
  else
    answer->value = json_node_copy (mock->value);

  if (delay_ms == 0)
    {
      deliver (answer);
      answer_free (answer);
    }
  else
    {
      g_autoptr(GSource) source = g_timeout_source_new (delay_ms);
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();

      g_source_set_name (source, "[isthmus] mock delay");
      g_source_set_callback (source, delay_done_cb, answer, answer_free);
      g_source_attach (source, context);
    }

  return TRUE;
}

static gboolean
resolver_cb (IsthmusInvocation *invocation,
             gpointer           user_data)
{
  return isthmus_mocks_handle (user_data, invocation);
}

/**
 * isthmus_mocks_attach:
 * @self: an #IsthmusMocks
 * @registry: the registry to answer in
 *
 * Returns: the resolver id, for isthmus_registry_remove_resolver()
 */
guint
isthmus_mocks_attach (IsthmusMocks    *self,
                      IsthmusRegistry *registry)
{
  g_return_val_if_fail (ISTHMUS_IS_MOCKS (self), 0);
  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (registry), 0);

  return isthmus_registry_add_resolver (registry, ISTHMUS_RESOLVER_PRIORITY_MOCKS,
                                        resolver_cb, g_object_ref (self), g_object_unref);
}

/**
 * isthmus_mocks_find_project_file:
 * @project_dir: a project folder
 *
 * Returns: (transfer full) (nullable): its mocks file, if there is one
 */
char *
isthmus_mocks_find_project_file (const char *project_dir)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (project_dir != NULL, NULL);

  path = g_build_filename (project_dir, ISTHMUS_MOCKS_PROJECT_FILE, NULL);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;

  return g_steal_pointer (&path);
}

/* Export. */

static char *
js_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *json = NULL;
  GString *out;

  json_node_set_string (node, text);
  json = json_to_string (node, FALSE);

  /* U+2028 and U+2029 end lines in older JavaScript engines. */
  out = g_string_new (json);
  g_string_replace (out, "\xe2\x80\xa8", "\\u2028", 0);
  g_string_replace (out, "\xe2\x80\xa9", "\\u2029", 0);

  return g_string_free (out, FALSE);
}

/* The glob as a JavaScript string literal of an anchored RegExp source. */
static char *
glob_to_regexp (const char *glob)
{
  g_autoptr(GString) source = g_string_new ("^");

  for (const char *p = glob; *p != '\0'; p++)
    {
      if (*p == '*')
        g_string_append (source, "[\\s\\S]*");
      else if (*p == '?')
        g_string_append (source, "[\\s\\S]");
      else
        {
          if (strchr ("^$\\.+()[]{}|/", *p) != NULL)
            g_string_append_c (source, '\\');
          g_string_append_c (source, *p);
        }
    }
  g_string_append_c (source, '$');

  return js_string (source->str);
}

static const char js_runtime[] =
  "const positions = new WeakMap ()\n"
  "\n"
  "function pick (mock, delay) {\n"
  "  delay += mock.delayMs ?? 0\n"
  "  if (!('sequence' in mock))\n"
  "    return { mock, delay }\n"
  "  const steps = mock.sequence\n"
  "  const position = positions.get (mock) ?? 0\n"
  "  positions.set (mock, mock.cycle ? (position + 1) % steps.length\n"
  "                                  : Math.min (position + 1, steps.length - 1))\n"
  "  return pick (steps[position], delay)\n"
  "}\n"
  "\n"
  "function lookup (context, name) {\n"
  "  if (name === 'cmd' || name === 'window')\n"
  "    return context[name]\n"
  "  let value = context.args\n"
  "  for (const part of name.split ('.').slice (1)) {\n"
  "    if (value === null || typeof value !== 'object' || !(part in value))\n"
  "      return undefined\n"
  "    value = value[part]\n"
  "  }\n"
  "  return value\n"
  "}\n"
  "\n"
  "function fill (value, context) {\n"
  "  if (Array.isArray (value))\n"
  "    return value.map ((item) => fill (item, context))\n"
  "  if (value !== null && typeof value === 'object')\n"
  "    return Object.fromEntries (Object.entries (value).map (([k, v]) => [k, fill (v, context)]))\n"
  "  if (typeof value !== 'string')\n"
  "    return value\n"
  "  const whole = /^\\$\\{([^}]*)\\}$/.exec (value)\n"
  "  if (whole)\n"
  "    return lookup (context, whole[1]) ?? null\n"
  "  return value.replace (/\\$\\{([^}]*)\\}/g, (_, name) => {\n"
  "    const found = lookup (context, name)\n"
  "    if (found === undefined || found === null)\n"
  "      return ''\n"
  "    return typeof found === 'string' ? found : JSON.stringify (found)\n"
  "  })\n"
  "}\n"
  "\n"
  "async function answer (mock, cmd, args) {\n"
  "  const { mock: chosen, delay } = pick (mock, 0)\n"
  "  if (delay > 0)\n"
  "    await new Promise ((resolve) => setTimeout (resolve, delay))\n"
  "  const copy = (value) => JSON.parse (JSON.stringify (value))\n"
  "  if ('error' in chosen)\n"
  "    throw copy (chosen.error)\n"
  "  if ('template' in chosen) {\n"
  "    const label = globalThis.window?.__TAURI_INTERNALS__?.metadata?.currentWebview?.label ?? 'main'\n"
  "    return fill (copy (chosen.template), { cmd, args: args ?? {}, window: label })\n"
  "  }\n"
  "  return copy (chosen.reply)\n"
  "}\n"
  "\n";

/**
 * isthmus_mocks_to_mock_ipc:
 * @self: an #IsthmusMocks
 *
 * Returns: (transfer full): an ES module for tests with
 *   `@tauri-apps/api/mocks`
 */
char *
isthmus_mocks_to_mock_ipc (IsthmusMocks *self)
{
  GString *out;
  gboolean any_glob = FALSE;

  g_return_val_if_fail (ISTHMUS_IS_MOCKS (self), NULL);

  out = g_string_new (NULL);
  g_string_append (out, "// Generated by Isthmus");
  if (self->path != NULL)
    {
      g_autofree char *base = g_path_get_basename (self->path);
      g_autofree char *display = g_filename_display_name (base);
      g_autofree char *comment = g_strdelimit (g_strdup (display), "\r\n", ' ');

      g_string_append_printf (out, " from %s", comment);
    }
  g_string_append (out,
                   ": the mocks as a mockIPC() fixture for @tauri-apps/api/mocks.\n"
                   "// Call installMocks () before the code under test invokes commands.\n"
                   "import { mockIPC } from '@tauri-apps/api/mocks'\n"
                   "\n"
                   "const mocks = [\n");

  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *json = json_to_string (rule->source, FALSE);
      g_autofree char *key = js_string (rule->key);
      g_autoptr(GString) safe = g_string_new (json);

      g_string_replace (safe, "\xe2\x80\xa8", "\\u2028", 0);
      g_string_replace (safe, "\xe2\x80\xa9", "\\u2029", 0);
      g_string_append_printf (out, "  /* %u */ %s, // %s\n", i, safe->str, key);
      any_glob |= rule->glob != NULL;
    }

  g_string_append (out, "]\n\n");
  g_string_append (out, js_runtime);

  if (any_glob)
    {
      g_string_append (out, "const globs = [\n");
      for (guint i = 0; i < self->rules->len; i++)
        {
          Rule *rule = g_ptr_array_index (self->rules, i);
          g_autofree char *key = NULL;

          if (rule->glob == NULL)
            continue;

          key = glob_to_regexp (rule->key);
          g_string_append_printf (out, "  [new RegExp (%s, 'u'), %u],\n", key, i);
        }
      g_string_append (out, "]\n\n");
    }

  g_string_append (out,
                   "export function installMocks () {\n"
                   "  mockIPC (async (cmd, args) => {\n"
                   "    switch (cmd) {\n");

  for (guint i = 0; i < self->rules->len; i++)
    {
      Rule *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *key = NULL;

      if (rule->glob != NULL)
        continue;

      key = js_string (rule->key);
      g_string_append_printf (out, "      case %s:\n        return answer (mocks[%u], cmd, args)\n",
                              key, i);
    }

  g_string_append (out, "    }\n");
  if (any_glob)
    g_string_append (out,
                     "    for (const [pattern, index] of globs) {\n"
                     "      if (pattern.test (cmd))\n"
                     "        return answer (mocks[index], cmd, args)\n"
                     "    }\n");
  g_string_append (out,
                   "    const name = cmd.startsWith ('plugin:') ? cmd.slice (cmd.indexOf ('|') + 1) : cmd\n"
                   "    throw `Command ${name} not found`\n"
                   "  })\n"
                   "}\n");

  return g_string_free (out, FALSE);
}

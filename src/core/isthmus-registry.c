/* isthmus-registry.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-registry"

#include "config.h"

#include <string.h>

#include "isthmus-error.h"
#include "isthmus-registry.h"

/* Command names quoted back to the page are cut at this many bytes. */
#define QUOTED_NAME_MAX 128

typedef struct
{
  char               *name;
  IsthmusSchema      *schema;
  IsthmusCommandFunc  func;
  IsthmusThreadFunc   thread_func;
  gpointer            user_data;
  GDestroyNotify      destroy;
  gboolean            is_default;
} Entry;

typedef struct
{
  guint                id;
  int                  priority;
  IsthmusResolverFunc  func;
  gpointer             user_data;
  GDestroyNotify       destroy;
} Resolver;

struct _IsthmusRegistry
{
  GObject     parent_instance;

  /* Owned references: name → Entry (refcounted, so that a running worker
   * keeps its entry when the command is removed meanwhile). */
  GHashTable *entries;
  /* Fallbacks: prefix → Entry. */
  GHashTable *fallbacks;
  /* Resolvers (owned), highest priority first. */
  GPtrArray  *resolvers;
  guint       next_resolver_id;
};

G_DEFINE_FINAL_TYPE (IsthmusRegistry, isthmus_registry, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  if (entry->destroy != NULL)
    entry->destroy (entry->user_data);
  g_clear_pointer (&entry->schema, isthmus_schema_unref);
  g_free (entry->name);
}

static Entry *
entry_ref (Entry *entry)
{
  return g_atomic_rc_box_acquire (entry);
}

static void
entry_unref (Entry *entry)
{
  g_atomic_rc_box_release_full (entry, entry_free);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Entry, entry_unref)

static void
resolver_free (gpointer data)
{
  Resolver *resolver = data;

  if (resolver->destroy != NULL)
    resolver->destroy (resolver->user_data);
  g_free (resolver);
}

static void
isthmus_registry_finalize (GObject *object)
{
  IsthmusRegistry *self = (IsthmusRegistry *)object;

  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_clear_pointer (&self->fallbacks, g_hash_table_unref);
  g_clear_pointer (&self->resolvers, g_ptr_array_unref);

  G_OBJECT_CLASS (isthmus_registry_parent_class)->finalize (object);
}

static void
isthmus_registry_class_init (IsthmusRegistryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_registry_finalize;
}

static void
isthmus_registry_init (IsthmusRegistry *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal,
                                         NULL, (GDestroyNotify)entry_unref);
  self->fallbacks = g_hash_table_new_full (g_str_hash, g_str_equal,
                                           NULL, (GDestroyNotify)entry_unref);
  self->resolvers = g_ptr_array_new_with_free_func (resolver_free);
}

/**
 * isthmus_registry_new:
 *
 * Returns: (transfer full): an empty registry
 */
IsthmusRegistry *
isthmus_registry_new (void)
{
  return g_object_new (ISTHMUS_TYPE_REGISTRY, NULL);
}

static gboolean
add_entry (IsthmusRegistry    *self,
           const char         *name,
           IsthmusSchema      *schema,
           IsthmusCommandFunc  func,
           IsthmusThreadFunc   thread_func,
           gpointer            user_data,
           GDestroyNotify      destroy)
{
  Entry *entry;

  if (g_hash_table_contains (self->entries, name))
    return FALSE;

  entry = g_atomic_rc_box_new0 (Entry);
  entry->name = g_strdup (name);
  entry->schema = schema != NULL ? isthmus_schema_ref (schema) : NULL;
  entry->func = func;
  entry->thread_func = thread_func;
  entry->user_data = user_data;
  entry->destroy = destroy;

  g_hash_table_insert (self->entries, entry->name, entry);

  return TRUE;
}

/**
 * isthmus_registry_add:
 * @self: an #IsthmusRegistry
 * @name: a bare app command or "plugin:<p>|<c>"
 * @schema: (nullable): the args schema; %NULL accepts any args
 * @func: the handler
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the command goes away
 *
 * Returns: %FALSE if @name is taken (then @destroy is not called)
 */
gboolean
isthmus_registry_add (IsthmusRegistry    *self,
                      const char         *name,
                      IsthmusSchema      *schema,
                      IsthmusCommandFunc  func,
                      gpointer            user_data,
                      GDestroyNotify      destroy)
{
  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return add_entry (self, name, schema, func, NULL, user_data, destroy);
}

/**
 * isthmus_registry_add_fallback:
 * @self: an #IsthmusRegistry
 * @prefix: a command prefix such as "plugin:window|"
 * @func: the handler for unregistered commands with that prefix
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the registry goes away
 *
 * Returns: %FALSE if @prefix is taken (then @destroy is not called)
 */
gboolean
isthmus_registry_add_fallback (IsthmusRegistry    *self,
                               const char         *prefix,
                               IsthmusCommandFunc  func,
                               gpointer            user_data,
                               GDestroyNotify      destroy)
{
  Entry *entry;

  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (prefix != NULL && *prefix != '\0', FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (g_hash_table_contains (self->fallbacks, prefix))
    return FALSE;

  entry = g_atomic_rc_box_new0 (Entry);
  entry->name = g_strdup (prefix);
  entry->func = func;
  entry->user_data = user_data;
  entry->destroy = destroy;
  g_hash_table_insert (self->fallbacks, entry->name, entry);

  return TRUE;
}

static Entry *
find_fallback (IsthmusRegistry *self,
               const char      *command)
{
  GHashTableIter iter;
  gpointer key, value;
  Entry *best = NULL;

  g_hash_table_iter_init (&iter, self->fallbacks);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_str_has_prefix (command, key) &&
          (best == NULL || strlen (key) > strlen (best->name)))
        best = value;
    }

  return best;
}

/**
 * isthmus_registry_add_thread:
 * @self: an #IsthmusRegistry
 * @name: a bare app command or "plugin:<p>|<c>"
 * @schema: (nullable): the args schema; %NULL accepts any args
 * @func: the blocking handler, run in a worker thread
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the command goes away
 *
 * Returns: %FALSE if @name is taken (then @destroy is not called)
 */
gboolean
isthmus_registry_add_thread (IsthmusRegistry    *self,
                             const char         *name,
                             IsthmusSchema      *schema,
                             IsthmusThreadFunc   func,
                             gpointer            user_data,
                             GDestroyNotify      destroy)
{
  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (name != NULL && *name != '\0', FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  return add_entry (self, name, schema, NULL, func, user_data, destroy);
}

gboolean
isthmus_registry_remove (IsthmusRegistry *self,
                         const char      *name)
{
  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return g_hash_table_remove (self->entries, name);
}

gboolean
isthmus_registry_contains (IsthmusRegistry *self,
                           const char      *name)
{
  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return g_hash_table_contains (self->entries, name);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/**
 * isthmus_registry_list:
 * @self: an #IsthmusRegistry
 *
 * Returns: (transfer full): the registered names, sorted
 */
char **
isthmus_registry_list (IsthmusRegistry *self)
{
  GHashTableIter iter;
  gpointer key;
  GPtrArray *names;

  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (self), NULL);

  names = g_ptr_array_sized_new (g_hash_table_size (self->entries) + 1);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (names, g_strdup (key));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return (char **)g_ptr_array_free (names, FALSE);
}

/* The name Tauri quotes in "Command <name> not found": for
 * "plugin:<p>|<c>" the command part only (empty when there is none). */
static char *
quoted_command_name (const char *command)
{
  const char *name = command;
  const char *end;
  gsize length;

  if (g_str_has_prefix (command, "plugin:"))
    {
      const char *bar = strchr (command, '|');

      name = bar != NULL ? bar + 1 : "";
    }

  end = strchr (name, '|');
  length = end != NULL ? (gsize)(end - name) : strlen (name);

  if (length > QUOTED_NAME_MAX)
    {
      length = QUOTED_NAME_MAX;
      while (length > 0 && ((guchar)name[length] & 0xC0) == 0x80)
        length--;
    }

  return g_strndup (name, length);
}

typedef struct
{
  Entry             *entry;
  IsthmusInvocation *invocation;
} ThreadData;

static void
thread_data_free (gpointer data)
{
  ThreadData *td = data;

  g_clear_pointer (&td->entry, entry_unref);
  g_clear_object (&td->invocation);
  g_free (td);
}

static void
run_thread_func (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  ThreadData *td = task_data;
  g_autoptr(GError) error = NULL;
  JsonNode *value;

  value = td->entry->thread_func (td->invocation, cancellable, td->entry->user_data, &error);

  if (error != NULL)
    {
      g_clear_pointer (&value, json_node_unref);

      if (error->domain == ISTHMUS_IPC_ERROR)
        isthmus_invocation_return_gerror (td->invocation, error);
      else
        isthmus_invocation_return_error_string (td->invocation, error->message);
    }
  else
    isthmus_invocation_return_value (td->invocation, value);

  g_task_return_boolean (task, TRUE);
}

/* Checks the args against @entry's schema and runs its handler. */
static void
run_entry (Entry             *entry,
           IsthmusInvocation *invocation)
{
  g_autoptr(Entry) held = entry_ref (entry);
  g_autoptr(GError) error = NULL;
  const char *command = isthmus_invocation_get_command (invocation);

  if (held->schema != NULL &&
      !isthmus_schema_validate (held->schema, command,
                                isthmus_invocation_get_args (invocation),
                                &error))
    {
      isthmus_invocation_return_gerror (invocation, error);
      return;
    }

  if (held->thread_func != NULL)
    {
      g_autoptr(GTask) task = NULL;
      ThreadData *td = g_new0 (ThreadData, 1);

      td->entry = g_steal_pointer (&held);
      td->invocation = g_object_ref (invocation);

      task = g_task_new (NULL, isthmus_invocation_get_cancellable (invocation), NULL, NULL);
      g_task_set_source_tag (task, isthmus_registry_dispatch);
      g_task_set_name (task, "isthmus-command");
      g_task_set_check_cancellable (task, FALSE);
      g_task_set_task_data (task, td, thread_data_free);
      g_task_run_in_thread (task, run_thread_func);
      return;
    }

  held->func (invocation, held->user_data);
}

/**
 * isthmus_registry_dispatch_default:
 * @self: an #IsthmusRegistry
 * @invocation: a call no resolver answers
 *
 * Runs the stages after the resolvers: a default command of that name,
 * else the longest matching fallback prefix, else UNKNOWN_COMMAND.
 */
void
isthmus_registry_dispatch_default (IsthmusRegistry   *self,
                                   IsthmusInvocation *invocation)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  const char *command;
  Entry *entry;

  g_return_if_fail (ISTHMUS_IS_REGISTRY (self));
  g_return_if_fail (ISTHMUS_IS_INVOCATION (invocation));

  command = isthmus_invocation_get_command (invocation);
  entry = g_hash_table_lookup (self->entries, command);
  if (entry == NULL)
    entry = find_fallback (self, command);

  if (entry != NULL)
    {
      run_entry (entry, invocation);
      return;
    }

  name = quoted_command_name (command);
  g_debug ("Unknown command “%s”", command);
  error = g_error_new (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_UNKNOWN_COMMAND,
                       "Command %s not found", name);
  isthmus_invocation_return_gerror (invocation, error);
}

/**
 * isthmus_registry_dispatch:
 * @self: an #IsthmusRegistry
 * @invocation: the call to run
 *
 * Looks up the command, checks the args against its schema and runs the
 * handler. Unknown commands answer UNKNOWN_COMMAND and bad args
 * INVALID_ARGS, in both cases without running any handler. Registered
 * commands win over the resolvers, which win over default commands and
 * fallbacks.
 */
void
isthmus_registry_dispatch (IsthmusRegistry   *self,
                           IsthmusInvocation *invocation)
{
  const char *command;
  Entry *entry;

  g_return_if_fail (ISTHMUS_IS_REGISTRY (self));
  g_return_if_fail (ISTHMUS_IS_INVOCATION (invocation));

  command = isthmus_invocation_get_command (invocation);
  entry = g_hash_table_lookup (self->entries, command);

  if (entry != NULL && !entry->is_default)
    {
      run_entry (entry, invocation);
      return;
    }

  for (guint i = 0; i < self->resolvers->len; i++)
    {
      Resolver *resolver = g_ptr_array_index (self->resolvers, i);

      if (resolver->func (invocation, resolver->user_data))
        return;
    }

  isthmus_registry_dispatch_default (self, invocation);
}

/**
 * isthmus_registry_add_resolver:
 * @self: an #IsthmusRegistry
 * @priority: higher runs first; see %ISTHMUS_RESOLVER_PRIORITY_MOCKS
 * @func: the resolver
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the resolver goes away
 *
 * Adds a resolver, offered every call that no registered non-default
 * command answers. A resolver must not add or remove resolvers while it
 * runs.
 *
 * Returns: the resolver's id, never 0
 */
guint
isthmus_registry_add_resolver (IsthmusRegistry     *self,
                               int                  priority,
                               IsthmusResolverFunc  func,
                               gpointer             user_data,
                               GDestroyNotify       destroy)
{
  Resolver *resolver;
  guint position;

  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  resolver = g_new0 (Resolver, 1);
  resolver->id = ++self->next_resolver_id;
  resolver->priority = priority;
  resolver->func = func;
  resolver->user_data = user_data;
  resolver->destroy = destroy;

  for (position = 0; position < self->resolvers->len; position++)
    {
      Resolver *other = g_ptr_array_index (self->resolvers, position);

      if (other->priority < priority)
        break;
    }
  g_ptr_array_insert (self->resolvers, position, resolver);

  return resolver->id;
}

/**
 * isthmus_registry_remove_resolver:
 * @self: an #IsthmusRegistry
 * @id: an id from isthmus_registry_add_resolver()
 *
 * Returns: %TRUE if a resolver was removed
 */
gboolean
isthmus_registry_remove_resolver (IsthmusRegistry *self,
                                  guint            id)
{
  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (self), FALSE);

  for (guint i = 0; i < self->resolvers->len; i++)
    {
      Resolver *resolver = g_ptr_array_index (self->resolvers, i);

      if (resolver->id == id)
        {
          g_ptr_array_remove_index (self->resolvers, i);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * isthmus_registry_set_default:
 * @self: an #IsthmusRegistry
 * @name: a registered command
 * @is_default: whether it answers only when no resolver takes the call
 *
 * Returns: %FALSE if @name is not registered
 */
gboolean
isthmus_registry_set_default (IsthmusRegistry *self,
                              const char      *name,
                              gboolean         is_default)
{
  Entry *entry;

  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries, name);
  if (entry == NULL)
    return FALSE;

  entry->is_default = !!is_default;

  return TRUE;
}

/* isthmus-web-reload.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-web-reload"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "isthmus-web-reload.h"
#include "isthmus-web-isolation.h"

struct _IsthmusWebReload
{
  GObject         parent_instance;

  /* Borrowed reference (a weak pointer) */
  IsthmusWebHost *host;

  /* Owned references: path → GFileMonitor. */
  GHashTable     *monitors;
  char           *frontend_dir;
  char           *isolation_dir;
  char           *first_change;

  guint           debounce_id;
  guint           n_reloads;
  gboolean        isolation_changed;
  gboolean        frontend_changed;
  /* Frame replacements under way, and whether the hook changed again
   * meanwhile. */
  guint           n_replacing;
  gboolean        replace_again;
};

G_DEFINE_FINAL_TYPE (IsthmusWebReload, isthmus_web_reload, G_TYPE_OBJECT)

enum {
  SIGNAL_RELOADED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
is_ignored (const char *name)
{
  return name[0] == '.' || g_str_equal (name, "node_modules");
}

/* Whether @path, below @root, passes through an ignored entry. */
static gboolean
is_ignored_path (const char *root,
                 const char *path)
{
  g_auto(GStrv) parts = NULL;
  const char *rel;

  if (root == NULL || !g_str_has_prefix (path, root))
    return FALSE;

  rel = path + strlen (root);
  parts = g_strsplit (rel, G_DIR_SEPARATOR_S, -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0' && is_ignored (parts[i]))
      return TRUE;

  return FALSE;
}

static void watch_tree (IsthmusWebReload *self,
                        GFile            *dir);

/* Checks the scripts of the isolation app; records the first syntax
 * error with its file and line. */
static gboolean
check_isolation_scripts (IsthmusWebReload *self)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(JSCContext) context = NULL;
  const char *name;

  dir = g_dir_open (self->isolation_dir, 0, NULL);
  if (dir == NULL)
    return TRUE;

  context = jsc_context_new ();
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *code = NULL;
      g_autoptr(JSCException) exception = NULL;
      gsize length;

      if (is_ignored (name) || !g_str_has_suffix (name, ".js"))
        continue;
      path = g_build_filename (self->isolation_dir, name, NULL);
      if (!g_file_get_contents (path, &code, &length, NULL))
        continue;

      if (jsc_context_check_syntax (context, code, length, JSC_CHECK_SYNTAX_MODE_SCRIPT,
                                    name, 1, &exception) != JSC_CHECK_SYNTAX_RESULT_SUCCESS)
        {
          g_autofree char *text = NULL;

          text = g_strdup_printf (_("The isolation hook was not reloaded: %s, line %u: %s"),
                                  name,
                                  exception != NULL ? jsc_exception_get_line_number (exception) : 0,
                                  exception != NULL ? jsc_exception_get_message (exception) : "");
          isthmus_core_record_lifecycle (isthmus_web_host_get_core (self->host), NULL,
                                         "reload", text, TRUE);
          return FALSE;
        }
    }

  return TRUE;
}

static void
do_reload (IsthmusWebReload *self,
           const char       *why)
{
  g_autoptr(GPtrArray) views = NULL;
  g_autofree char *text = NULL;

  if (self->host == NULL)
    return;

  text = g_strdup_printf (_("Reloading: %s changed"), why != NULL ? why : _("the frontend"));
  isthmus_core_record_lifecycle (isthmus_web_host_get_core (self->host), NULL, "reload", text, FALSE);

  views = isthmus_web_host_list_views (self->host);
  for (guint i = 0; i < views->len; i++)
    webkit_web_view_reload (g_ptr_array_index (views, i));

  self->n_reloads++;
  g_signal_emit (self, signals[SIGNAL_RELOADED], 0, why);
}

static void replace_frames (IsthmusWebReload *self);

typedef struct
{
  IsthmusWebReload *self;
  char             *label;
} Replacement;

static void
replaced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Replacement *replacement = user_data;
  g_autoptr(IsthmusWebReload) self = replacement->self;
  g_autofree char *label = replacement->label;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  guint64 epoch = 0;

  g_free (replacement);

  if (self->host != NULL)
    {
      IsthmusCore *core = isthmus_web_host_get_core (self->host);

      if (!isthmus_web_isolation_replace_frame_finish (result, &epoch, &error))
        {
          text = g_strdup_printf (_("The isolation hook was not reloaded: %s"), error->message);
          isthmus_core_record_lifecycle (core, label, "reload", text, TRUE);
        }
      else if (epoch > 0)
        {
          g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, epoch);

          text = g_strdup_printf (_("Isolation hook reloaded (epoch %s)"), number);
          isthmus_core_record_lifecycle (core, label, "reload", text, FALSE);
        }
    }

  self->n_replacing--;
  if (self->n_replacing == 0 && self->replace_again)
    {
      self->replace_again = FALSE;
      replace_frames (self);
    }
}

/* The isolation app changed (and its scripts parse): every view gets a new
 * isolation frame, and so a new epoch, without reloading its page. */
static void
replace_frames (IsthmusWebReload *self)
{
  g_autoptr(GPtrArray) views = NULL;
  IsthmusWebIsolation *isolation;

  if (self->host == NULL)
    return;

  if (self->n_replacing > 0)
    {
      self->replace_again = TRUE;
      return;
    }

  isolation = isthmus_web_isolation_from_context (isthmus_web_host_get_context (self->host));
  if (isolation == NULL)
    return;

  views = isthmus_web_host_list_views (self->host);
  for (guint i = 0; i < views->len; i++)
    {
      WebKitWebView *view = g_ptr_array_index (views, i);
      Replacement *replacement = g_new0 (Replacement, 1);

      replacement->self = g_object_ref (self);
      replacement->label = g_strdup (isthmus_web_host_get_view_label (self->host, view));
      self->n_replacing++;
      isthmus_web_isolation_replace_frame (isolation, view, NULL, replaced_cb, replacement);
    }
}

static gboolean
debounce_cb (gpointer user_data)
{
  IsthmusWebReload *self = user_data;
  g_autofree char *why = g_steal_pointer (&self->first_change);
  gboolean isolation = self->isolation_changed;
  gboolean frontend = self->frontend_changed;

  self->debounce_id = 0;
  self->isolation_changed = FALSE;
  self->frontend_changed = FALSE;

  if (isolation && !check_isolation_scripts (self))
    return G_SOURCE_REMOVE;

  if (isolation && !frontend)
    replace_frames (self);
  else
    do_reload (self, why);

  return G_SOURCE_REMOVE;
}

static void
changed_cb (GFileMonitor      *monitor,
            GFile             *file,
            GFile             *other_file,
            GFileMonitorEvent  event,
            gpointer           user_data)
{
  IsthmusWebReload *self = user_data;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *base = g_file_get_basename (file);

  if (path == NULL || base == NULL || is_ignored (base) ||
      is_ignored_path (self->frontend_dir, path) || is_ignored_path (self->isolation_dir, path))
    return;

  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    case G_FILE_MONITOR_EVENT_RENAMED:
    case G_FILE_MONITOR_EVENT_CHANGED:
      break;
    default:
      return;
    }

  if (event == G_FILE_MONITOR_EVENT_CREATED &&
      g_file_query_file_type (file, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL) == G_FILE_TYPE_DIRECTORY)
    watch_tree (self, file);

  if (self->isolation_dir != NULL && g_str_has_prefix (path, self->isolation_dir))
    self->isolation_changed = TRUE;
  else
    self->frontend_changed = TRUE;

  if (self->first_change == NULL)
    self->first_change = g_steal_pointer (&path);

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  self->debounce_id = g_timeout_add (ISTHMUS_WEB_RELOAD_DEBOUNCE_MS, debounce_cb, self);
}

static void
watch_tree (IsthmusWebReload *self,
            GFile            *dir)
{
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GFileEnumerator) children = NULL;
  g_autofree char *path = g_file_get_path (dir);
  GFileInfo *info;

  if (path == NULL || g_hash_table_contains (self->monitors, path))
    return;

  monitor = g_file_monitor_directory (dir, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);
  if (monitor == NULL)
    return;
  g_signal_connect_object (monitor, "changed", G_CALLBACK (changed_cb), self, 0);
  g_hash_table_insert (self->monitors, g_steal_pointer (&path), g_steal_pointer (&monitor));

  children = g_file_enumerate_children (dir,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children != NULL &&
         g_file_enumerator_iterate (children, &info, NULL, NULL, NULL) && info != NULL)
    {
      g_autoptr(GFile) child = NULL;

      if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY ||
          is_ignored (g_file_info_get_name (info)))
        continue;
      child = g_file_get_child (dir, g_file_info_get_name (info));
      watch_tree (self, child);
    }
}

static void
isthmus_web_reload_dispose (GObject *object)
{
  IsthmusWebReload *self = (IsthmusWebReload *)object;

  g_clear_handle_id (&self->debounce_id, g_source_remove);
  if (self->monitors != NULL)
    g_hash_table_remove_all (self->monitors);

  G_OBJECT_CLASS (isthmus_web_reload_parent_class)->dispose (object);
}

static void
isthmus_web_reload_finalize (GObject *object)
{
  IsthmusWebReload *self = (IsthmusWebReload *)object;

  g_clear_weak_pointer (&self->host);
  g_clear_pointer (&self->monitors, g_hash_table_unref);
  g_clear_pointer (&self->frontend_dir, g_free);
  g_clear_pointer (&self->isolation_dir, g_free);
  g_clear_pointer (&self->first_change, g_free);

  G_OBJECT_CLASS (isthmus_web_reload_parent_class)->finalize (object);
}

static void
isthmus_web_reload_class_init (IsthmusWebReloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = isthmus_web_reload_dispose;
  object_class->finalize = isthmus_web_reload_finalize;

  signals[SIGNAL_RELOADED] =
    g_signal_new ("reloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
isthmus_web_reload_init (IsthmusWebReload *self)
{
  self->monitors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

static char *
canonical (const char *dir)
{
  g_autofree char *abs = g_canonicalize_filename (dir, NULL);
  g_autofree char *real = realpath (abs, NULL);

  return g_strdup (real != NULL ? real : abs);
}

/**
 * isthmus_web_reload_new:
 * @host: the web host whose views reload
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a new #IsthmusWebReload
 */
IsthmusWebReload *
isthmus_web_reload_new (IsthmusWebHost  *host,
                        GError         **error)
{
  g_autoptr(IsthmusWebReload) self = NULL;
  IsthmusConfig *config;

  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (host), NULL);

  self = g_object_new (ISTHMUS_TYPE_WEB_RELOAD, NULL);
  g_set_weak_pointer (&self->host, host);
  config = isthmus_web_host_get_config (host);

  if (isthmus_config_get_frontend_kind (config) == ISTHMUS_FRONTEND_DIRECTORY)
    {
      g_autoptr(GFile) dir = NULL;

      self->frontend_dir = canonical (isthmus_config_get_frontend_dir (config));
      dir = g_file_new_for_path (self->frontend_dir);
      watch_tree (self, dir);
      if (!g_hash_table_contains (self->monitors, self->frontend_dir))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       _("Could not watch %s"), self->frontend_dir);
          return NULL;
        }
    }

  if (isthmus_web_isolation_wanted (config) && isthmus_config_get_isolation_dir (config) != NULL)
    {
      g_autoptr(GFile) dir = NULL;

      self->isolation_dir = canonical (isthmus_config_get_isolation_dir (config));
      dir = g_file_new_for_path (self->isolation_dir);
      watch_tree (self, dir);
    }

  return g_steal_pointer (&self);
}

gboolean
isthmus_web_reload_is_watching (IsthmusWebReload *self)
{
  g_return_val_if_fail (ISTHMUS_IS_WEB_RELOAD (self), FALSE);

  return g_hash_table_size (self->monitors) > 0;
}

guint
isthmus_web_reload_get_n_reloads (IsthmusWebReload *self)
{
  g_return_val_if_fail (ISTHMUS_IS_WEB_RELOAD (self), 0);

  return self->n_reloads;
}

void
isthmus_web_reload_reload_now (IsthmusWebReload *self,
                               const char       *why)
{
  g_return_if_fail (ISTHMUS_IS_WEB_RELOAD (self));

  do_reload (self, why);
}

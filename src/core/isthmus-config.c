/* isthmus-config.c
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

#define G_LOG_DOMAIN "isthmus-config"

#include "config.h"

#include <glib/gi18n.h>

#include <string.h>

#include "isthmus-config.h"
#include "isthmus-error.h"
#include "isthmus-json-guard.h"

/* Limits checked before json-glib sees a config file. */
#define CONFIG_MAX_BYTES (4 * 1024 * 1024)
#define CONFIG_MAX_DEPTH 64

#define DEFAULT_LABEL  "main"
#define DEFAULT_TITLE  "Isthmus"
#define DEFAULT_URL    "index.html"
#define DEFAULT_WIDTH  800
#define DEFAULT_HEIGHT 600

/* Window sizes beyond this are refused as INVALID. */
#define MAX_WINDOW_SIZE 100000

struct _IsthmusConfig
{
  GObject              parent_instance;

  IsthmusFrontendKind  frontend_kind;
  char                *frontend_dir;
  char                *frontend_url;
  char                *dev_url;
  char                *config_path;
  char                *product_name;
  char                *version;
  char                *identifier;
  char                *csp;
  char                *isolation_dir;
  JsonNode            *capabilities;
  GPtrArray           *windows;
  IsthmusPattern       pattern;
  gboolean             with_global_tauri;
  gboolean             freeze_prototype;
};

G_DEFINE_FINAL_TYPE (IsthmusConfig, isthmus_config, G_TYPE_OBJECT)

G_DEFINE_QUARK (IsthmusConfigError, isthmus_config_error)

/* What a loader knows while it reads one file: used to build messages. */
typedef struct
{
  const char *file;      /* display name of the config file */
  const char *base_dir;  /* directory relative paths are resolved against */
} LoadContext;

static void
window_config_free (IsthmusWindowConfig *window)
{
  if (window == NULL)
    return;

  g_free (window->label);
  g_free (window->title);
  g_free (window->url);
  g_free (window);
}

static IsthmusWindowConfig *
window_config_new_default (const char *product_name)
{
  IsthmusWindowConfig *window = g_new0 (IsthmusWindowConfig, 1);

  window->label = g_strdup (DEFAULT_LABEL);
  window->title = g_strdup (product_name != NULL ? product_name : DEFAULT_TITLE);
  window->url = g_strdup (DEFAULT_URL);
  window->width = DEFAULT_WIDTH;
  window->height = DEFAULT_HEIGHT;
  window->create = TRUE;
  window->visible = TRUE;

  return window;
}

static void
isthmus_config_finalize (GObject *object)
{
  IsthmusConfig *self = (IsthmusConfig *)object;

  g_clear_pointer (&self->frontend_dir, g_free);
  g_clear_pointer (&self->frontend_url, g_free);
  g_clear_pointer (&self->dev_url, g_free);
  g_clear_pointer (&self->config_path, g_free);
  g_clear_pointer (&self->product_name, g_free);
  g_clear_pointer (&self->version, g_free);
  g_clear_pointer (&self->identifier, g_free);
  g_clear_pointer (&self->csp, g_free);
  g_clear_pointer (&self->isolation_dir, g_free);
  g_clear_pointer (&self->capabilities, json_node_unref);
  g_clear_pointer (&self->windows, g_ptr_array_unref);

  G_OBJECT_CLASS (isthmus_config_parent_class)->finalize (object);
}

static void
isthmus_config_class_init (IsthmusConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_config_finalize;
}

static void
isthmus_config_init (IsthmusConfig *self)
{
  self->windows = g_ptr_array_new_with_free_func ((GDestroyNotify)window_config_free);
  self->pattern = ISTHMUS_PATTERN_BROWNFIELD;
}

/**
 * isthmus_label_is_valid:
 * @label: (nullable): a window label or event name
 *
 * Returns: %TRUE if @label is not empty and every character is Unicode
 *   alphanumeric or one of `-`, `/`, `:` and `_`
 */
gboolean
isthmus_label_is_valid (const char *label)
{
  const char *p;

  if (label == NULL || label[0] == '\0')
    return FALSE;

  if (!g_utf8_validate (label, -1, NULL))
    return FALSE;

  for (p = label; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type;

      if (c == '-' || c == '/' || c == ':' || c == '_')
        continue;

      if (g_unichar_isalpha (c) || g_unichar_isdigit (c))
        continue;

      /* Rust's char::is_numeric also counts letter and other numbers. */
      type = g_unichar_type (c);
      if (type == G_UNICODE_LETTER_NUMBER || type == G_UNICODE_OTHER_NUMBER)
        continue;

      return FALSE;
    }

  return TRUE;
}

static gboolean
is_http_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (text == NULL)
    return FALSE;

  if (g_ascii_strncasecmp (text, "http://", 7) != 0 &&
      g_ascii_strncasecmp (text, "https://", 8) != 0)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if ((guchar)*p <= 0x20 || (guchar)*p == 0x7f)
        return FALSE;
    }

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return FALSE;

  return g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
}

static char *
join_path (const char *prefix,
           const char *member)
{
  if (prefix == NULL || prefix[0] == '\0')
    return g_strdup (member);

  return g_strconcat (prefix, ".", member, NULL);
}

static gboolean
set_field_error (const LoadContext  *ctx,
                 GError            **error,
                 int                 code,
                 const char         *field,
                 const char         *message)
{
  g_set_error (error,
               ISTHMUS_CONFIG_ERROR,
               code,
               "%s: %s: %s",
               ctx->file, field, message);
  return FALSE;
}

/* Returns the member @name of @object, or NULL when it is absent or JSON
 * null (Tauri treats both as "use the default"). */
static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, name);
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
node_is_boolean (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN;
}

static gboolean
node_is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gboolean
read_string (const LoadContext  *ctx,
             JsonObject         *object,
             const char         *prefix,
             const char         *name,
             char              **out,
             GError            **error)
{
  g_autofree char *field = NULL;
  JsonNode *node = get_member (object, name);

  if (node == NULL)
    return TRUE;

  if (!node_is_string (node))
    {
      field = join_path (prefix, name);
      return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, field,
                              _("expected a string"));
    }

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
read_boolean (const LoadContext  *ctx,
              JsonObject         *object,
              const char         *prefix,
              const char         *name,
              gboolean           *out,
              GError            **error)
{
  g_autofree char *field = NULL;
  JsonNode *node = get_member (object, name);

  if (node == NULL)
    return TRUE;

  if (!node_is_boolean (node))
    {
      field = join_path (prefix, name);
      return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, field,
                              _("expected a boolean"));
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
read_size (const LoadContext  *ctx,
           JsonObject         *object,
           const char         *prefix,
           const char         *name,
           int                *out,
           GError            **error)
{
  g_autofree char *field = NULL;
  JsonNode *node = get_member (object, name);
  double value;

  if (node == NULL)
    return TRUE;

  field = join_path (prefix, name);

  if (!node_is_number (node))
    return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, field,
                            _("expected a number"));

  value = json_node_get_double (node);
  if (!(value >= 1.0 && value <= MAX_WINDOW_SIZE))
    return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, field,
                            _("expected a positive window size"));

  *out = (int)value;
  return TRUE;
}

/* Reads an optional object member; a present non-object is INVALID. */
static gboolean
read_object (const LoadContext  *ctx,
             JsonObject         *object,
             const char         *prefix,
             const char         *name,
             JsonObject        **out,
             GError            **error)
{
  g_autofree char *field = NULL;
  JsonNode *node = get_member (object, name);

  *out = NULL;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      field = join_path (prefix, name);
      return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, field,
                              _("expected an object"));
    }

  *out = json_node_get_object (node);
  return TRUE;
}

static char *
resolve_relative (const LoadContext *ctx,
                  const char        *path)
{
  return g_canonicalize_filename (path, ctx->base_dir);
}

static gboolean
parse_window (IsthmusConfig        *self,
              const LoadContext    *ctx,
              JsonNode             *node,
              guint                 index,
              IsthmusWindowConfig **out,
              GError              **error)
{
  g_autofree char *prefix = g_strdup_printf ("app.windows[%u]", index);
  g_autofree char *label_field = NULL;
  IsthmusWindowConfig *window;
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, prefix,
                            _("expected an object"));

  object = json_node_get_object (node);
  window = window_config_new_default (self->product_name);

  if (!read_string (ctx, object, prefix, "label", &window->label, error) ||
      !read_string (ctx, object, prefix, "title", &window->title, error) ||
      !read_string (ctx, object, prefix, "url", &window->url, error) ||
      !read_size (ctx, object, prefix, "width", &window->width, error) ||
      !read_size (ctx, object, prefix, "height", &window->height, error) ||
      !read_boolean (ctx, object, prefix, "create", &window->create, error) ||
      !read_boolean (ctx, object, prefix, "visible", &window->visible, error))
    {
      window_config_free (window);
      return FALSE;
    }

  if (!isthmus_label_is_valid (window->label))
    {
      g_autofree char *message = NULL;

      message = g_strdup_printf (_("“%s” is not a valid label (use letters, digits, “-”, “/”, “:” and “_”)"),
                                 window->label);
      label_field = join_path (prefix, "label");
      window_config_free (window);
      return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, label_field, message);
    }

  *out = window;
  return TRUE;
}

static gboolean
parse_windows (IsthmusConfig      *self,
               const LoadContext  *ctx,
               JsonObject         *app,
               GError            **error)
{
  g_autoptr(GHashTable) labels = NULL;
  g_autoptr(GPtrArray) parsed = NULL;
  JsonNode *node = get_member (app, "windows");
  JsonArray *array;
  guint length;

  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, "app.windows",
                            _("expected an array"));

  array = json_node_get_array (node);
  length = json_array_get_length (array);
  labels = g_hash_table_new (g_str_hash, g_str_equal);
  parsed = g_ptr_array_new_with_free_func ((GDestroyNotify)window_config_free);

  for (guint i = 0; i < length; i++)
    {
      IsthmusWindowConfig *window = NULL;

      if (!parse_window (self, ctx, json_array_get_element (array, i), i, &window, error))
        return FALSE;

      g_ptr_array_add (parsed, window);

      if (!g_hash_table_add (labels, window->label))
        {
          g_autofree char *field = g_strdup_printf ("app.windows[%u].label", i);
          g_autofree char *message = g_strdup_printf (_("duplicate label “%s”"), window->label);

          return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, field, message);
        }
    }

  /* Windows that are created at startup come first; the order among each
   * group stays as written. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < parsed->len; i++)
        {
          IsthmusWindowConfig *window = g_ptr_array_index (parsed, i);

          if (window != NULL && (pass == 0) == (window->create != FALSE))
            {
              g_ptr_array_add (self->windows, window);
              parsed->pdata[i] = NULL;
            }
        }
    }

  return TRUE;
}

/* Flattens app.security.csp to the value of a Content-Security-Policy
 * header, as Tauri's Csp Display does. */
static gboolean
parse_csp (IsthmusConfig      *self,
           const LoadContext  *ctx,
           JsonObject         *security,
           GError            **error)
{
  g_autoptr(GString) value = NULL;
  g_autoptr(GList) members = NULL;
  JsonNode *node = get_member (security, "csp");
  JsonObject *object;

  if (node == NULL)
    return TRUE;

  if (node_is_string (node))
    {
      self->csp = g_strdup (json_node_get_string (node));
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, "app.security.csp",
                            _("expected a string or an object"));

  object = json_node_get_object (node);
  members = json_object_get_members (object);
  value = g_string_new (NULL);

  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *directive = l->data;
      JsonNode *sources = json_object_get_member (object, directive);
      g_autofree char *field = g_strdup_printf ("app.security.csp.%s", directive);

      if (value->len > 0)
        g_string_append (value, "; ");
      g_string_append (value, directive);

      if (node_is_string (sources))
        {
          const char *text = json_node_get_string (sources);

          if (text[0] != '\0')
            g_string_append_printf (value, " %s", text);
        }
      else if (JSON_NODE_HOLDS_ARRAY (sources))
        {
          JsonArray *array = json_node_get_array (sources);
          guint length = json_array_get_length (array);

          for (guint i = 0; i < length; i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (!node_is_string (element))
                {
                  g_autofree char *element_field = g_strdup_printf ("%s[%u]", field, i);

                  return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, element_field,
                                          _("expected a string"));
                }

              g_string_append_printf (value, " %s", json_node_get_string (element));
            }
        }
      else
        {
          return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, field,
                                  _("expected a string or an array of strings"));
        }
    }

  self->csp = g_string_free (g_steal_pointer (&value), FALSE);
  return TRUE;
}

static gboolean
parse_pattern (IsthmusConfig      *self,
               const LoadContext  *ctx,
               JsonObject         *security,
               GError            **error)
{
  g_autofree char *use = NULL;
  g_autofree char *dir = NULL;
  JsonObject *pattern = NULL;
  JsonObject *options = NULL;

  if (!read_object (ctx, security, "app.security", "pattern", &pattern, error))
    return FALSE;

  if (pattern == NULL)
    return TRUE;

  if (get_member (pattern, "use") == NULL)
    return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, "app.security.pattern.use",
                            _("missing; expected “brownfield” or “isolation”"));

  if (!read_string (ctx, pattern, "app.security.pattern", "use", &use, error))
    return FALSE;

  if (g_strcmp0 (use, "brownfield") == 0)
    {
      self->pattern = ISTHMUS_PATTERN_BROWNFIELD;
      return TRUE;
    }

  if (g_strcmp0 (use, "isolation") != 0)
    return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, "app.security.pattern.use",
                            _("expected “brownfield” or “isolation”"));

  if (!read_object (ctx, pattern, "app.security.pattern", "options", &options, error) ||
      !read_string (ctx, options, "app.security.pattern.options", "dir", &dir, error))
    return FALSE;

  if (dir == NULL || dir[0] == '\0')
    return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, "app.security.pattern.options.dir",
                            _("missing; the isolation pattern needs a directory"));

  self->pattern = ISTHMUS_PATTERN_ISOLATION;
  self->isolation_dir = resolve_relative (ctx, dir);

  if (!g_file_test (self->isolation_dir, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *message = g_strdup_printf (_("directory “%s” not found"), dir);

      return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_NOT_FOUND,
                              "app.security.pattern.options.dir", message);
    }

  return TRUE;
}

static gboolean
parse_security (IsthmusConfig      *self,
                const LoadContext  *ctx,
                JsonObject         *app,
                GError            **error)
{
  JsonObject *security = NULL;
  JsonNode *capabilities;

  if (!read_object (ctx, app, "app", "security", &security, error))
    return FALSE;

  if (security == NULL)
    return TRUE;

  if (!parse_csp (self, ctx, security, error) ||
      !read_boolean (ctx, security, "app.security", "freezePrototype", &self->freeze_prototype, error) ||
      !parse_pattern (self, ctx, security, error))
    return FALSE;

  capabilities = get_member (security, "capabilities");
  if (capabilities != NULL)
    {
      if (!JSON_NODE_HOLDS_ARRAY (capabilities))
        return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, "app.security.capabilities",
                                _("expected an array"));

      self->capabilities = json_node_copy (capabilities);
    }

  return TRUE;
}

static gboolean
parse_build (IsthmusConfig      *self,
             const LoadContext  *ctx,
             JsonObject         *root,
             GError            **error)
{
  g_autofree char *dist_path = NULL;
  JsonObject *build = NULL;
  JsonNode *dist;

  if (!read_object (ctx, root, NULL, "build", &build, error) ||
      !read_string (ctx, build, "build", "devUrl", &self->dev_url, error))
    return FALSE;

  if (self->dev_url != NULL && !is_http_url (self->dev_url))
    return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_INVALID, "build.devUrl",
                            _("expected an http:// or https:// URL"));

  dist = get_member (build, "frontendDist");
  if (dist != NULL && JSON_NODE_HOLDS_ARRAY (dist))
    return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_UNSUPPORTED, "build.frontendDist",
                            _("a list of files is not supported; point it at a directory"));

  if (!read_string (ctx, build, "build", "frontendDist", &dist_path, error))
    return FALSE;

  if (dist_path != NULL && is_http_url (dist_path))
    {
      self->frontend_kind = ISTHMUS_FRONTEND_URL;
      self->frontend_url = g_steal_pointer (&dist_path);
      return TRUE;
    }

  if (dist_path != NULL && dist_path[0] != '\0')
    {
      g_autofree char *dir = resolve_relative (ctx, dist_path);

      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        {
          self->frontend_kind = ISTHMUS_FRONTEND_DIRECTORY;
          self->frontend_dir = g_steal_pointer (&dir);
          return TRUE;
        }
    }

  if (self->dev_url != NULL)
    {
      self->frontend_kind = ISTHMUS_FRONTEND_URL;
      self->frontend_url = g_strdup (self->dev_url);
      return TRUE;
    }

  if (dist_path != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("directory “%s” not found, and no build.devUrl is set"),
                                                  dist_path);

      return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_NOT_FOUND, "build.frontendDist", message);
    }

  return set_field_error (ctx, error, ISTHMUS_CONFIG_ERROR_NOT_FOUND, "build.frontendDist",
                          _("not set, and no build.devUrl is set"));
}

static gboolean
parse_root (IsthmusConfig      *self,
            const LoadContext  *ctx,
            JsonNode           *root_node,
            GError            **error)
{
  JsonObject *root;
  JsonObject *app = NULL;

  if (root_node == NULL || !JSON_NODE_HOLDS_OBJECT (root_node))
    {
      g_set_error (error,
                   ISTHMUS_CONFIG_ERROR,
                   ISTHMUS_CONFIG_ERROR_INVALID,
                   _("%s: the document must be a JSON object"),
                   ctx->file);
      return FALSE;
    }

  root = json_node_get_object (root_node);

  if (!read_string (ctx, root, NULL, "productName", &self->product_name, error) ||
      !read_string (ctx, root, NULL, "version", &self->version, error) ||
      !read_string (ctx, root, NULL, "identifier", &self->identifier, error) ||
      !parse_build (self, ctx, root, error) ||
      !read_object (ctx, root, NULL, "app", &app, error) ||
      !read_boolean (ctx, app, "app", "withGlobalTauri", &self->with_global_tauri, error) ||
      !parse_windows (self, ctx, app, error) ||
      !parse_security (self, ctx, app, error))
    return FALSE;

  return TRUE;
}

/* Reads at most CONFIG_MAX_BYTES + 1 bytes, so a huge file is refused
 * without being loaded. */
static char *
read_config_text (const char  *path,
                  const char  *display,
                  gsize       *length,
                  GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buffer = NULL;
  gsize bytes_read = 0;

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error,
                   ISTHMUS_CONFIG_ERROR,
                   g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                   ? ISTHMUS_CONFIG_ERROR_NOT_FOUND : ISTHMUS_CONFIG_ERROR_INVALID,
                   "%s: %s", display, local_error->message);
      return NULL;
    }

  buffer = g_malloc (CONFIG_MAX_BYTES + 2);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, CONFIG_MAX_BYTES + 1,
                                &bytes_read, NULL, &local_error))
    {
      g_set_error (error,
                   ISTHMUS_CONFIG_ERROR,
                   ISTHMUS_CONFIG_ERROR_INVALID,
                   "%s: %s", display, local_error->message);
      return NULL;
    }

  if (bytes_read > CONFIG_MAX_BYTES)
    {
      g_set_error (error,
                   ISTHMUS_CONFIG_ERROR,
                   ISTHMUS_CONFIG_ERROR_PARSE,
                   _("%s: the file is larger than %u MiB"),
                   display, (guint)(CONFIG_MAX_BYTES / (1024 * 1024)));
      return NULL;
    }

  buffer[bytes_read] = '\0';
  *length = bytes_read;

  return g_steal_pointer (&buffer);
}

/* The nesting depth of @text, counting brackets outside strings; used when
 * the guard stopped early on another problem, so that json-glib (which
 * recurses) never sees a deep document. */
static gboolean
depth_exceeds (const char *text,
               gsize       length,
               guint       max_depth)
{
  gboolean in_string = FALSE;
  guint depth = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > max_depth)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }

  return FALSE;
}

/* json-glib names data loaded from memory "<data>"; put the file there. */
static void
set_parse_error (GError     **error,
                 const char  *display,
                 const char  *message)
{
  if (g_str_has_prefix (message, "<data>:"))
    g_set_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_PARSE,
                 "%s:%s", display, message + strlen ("<data>:"));
  else
    g_set_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_PARSE,
                 "%s: %s", display, message);
}

static IsthmusConfig *
load_config_file (const char  *path,
                  GError     **error)
{
  g_autoptr(IsthmusConfig) self = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) guard_error = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *display = g_filename_display_name (path);
  g_autofree char *base_dir = g_path_get_dirname (path);
  g_autofree char *text = NULL;
  const IsthmusJsonLimits limits = { CONFIG_MAX_BYTES, CONFIG_MAX_DEPTH };
  const char *json;
  gsize length = 0;
  LoadContext ctx;

  text = read_config_text (path, display, &length, error);
  if (text == NULL)
    return NULL;

  /* Editors on some systems write a byte order mark. */
  json = text;
  if (length >= 3 && memcmp (json, "\xEF\xBB\xBF", 3) == 0)
    {
      json += 3;
      length -= 3;
    }

  if (!isthmus_json_guard_check (json, length, &limits, &guard_error))
    {
      /* Size and depth are final. For other problems json-glib gives a
       * better message with line and column, so let it try first. */
      if (g_error_matches (guard_error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE) ||
          g_error_matches (guard_error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_JSON_TOO_DEEP) ||
          depth_exceeds (json, length, CONFIG_MAX_DEPTH))
        {
          set_parse_error (error, display, guard_error->message);
          return NULL;
        }
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, (gssize)length, &parse_error))
    {
      set_parse_error (error, display, parse_error->message);
      return NULL;
    }

  if (guard_error != NULL)
    {
      set_parse_error (error, display, guard_error->message);
      return NULL;
    }

  self = g_object_new (ISTHMUS_TYPE_CONFIG, NULL);
  self->config_path = g_strdup (path);

  ctx.file = display;
  ctx.base_dir = base_dir;

  if (!parse_root (self, &ctx, json_parser_get_root (parser), error))
    return NULL;

  if (self->windows->len == 0)
    g_ptr_array_add (self->windows, window_config_new_default (self->product_name));

  return g_steal_pointer (&self);
}

static IsthmusConfig *
new_single_window (IsthmusFrontendKind  kind,
                   const char          *product_name)
{
  IsthmusConfig *self = g_object_new (ISTHMUS_TYPE_CONFIG, NULL);

  self->frontend_kind = kind;
  self->product_name = g_strdup (product_name);
  g_ptr_array_add (self->windows, window_config_new_default (product_name));

  return self;
}

/**
 * isthmus_config_new_demo:
 * @resource_root: where the demo frontend lives in the GResource
 *
 * Returns: (transfer full): the configuration of the bundled demo
 */
IsthmusConfig *
isthmus_config_new_demo (const char *resource_root)
{
  IsthmusConfig *self;

  g_return_val_if_fail (resource_root != NULL, NULL);

  self = new_single_window (ISTHMUS_FRONTEND_RESOURCE, "Isthmus Demo");
  self->frontend_dir = g_strdup (resource_root);
  self->identifier = g_strdup (APP_ID);
  self->version = g_strdup (PACKAGE_VERSION);
  self->with_global_tauri = TRUE;

  return self;
}

/**
 * isthmus_config_load:
 * @target: a URL, a project directory, a tauri.conf.json or a folder with
 *   an index.html
 * @error: return location for an #ISTHMUS_CONFIG_ERROR
 *
 * Returns: (transfer full): the configuration, or %NULL
 */
IsthmusConfig *
isthmus_config_load (const char  *target,
                     GError     **error)
{
  static const char * const config_names[] = {
    "tauri.conf.json",
    "src-tauri" G_DIR_SEPARATOR_S "tauri.conf.json",
  };
  static const char * const unsupported_names[] = {
    "tauri.conf.json5",
    "Tauri.toml",
    "src-tauri" G_DIR_SEPARATOR_S "tauri.conf.json5",
    "src-tauri" G_DIR_SEPARATOR_S "Tauri.toml",
  };
  g_autofree char *path = NULL;
  g_autofree char *display = NULL;
  g_autofree char *index = NULL;
  IsthmusConfig *self;

  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_ascii_strncasecmp (target, "http://", 7) == 0 ||
      g_ascii_strncasecmp (target, "https://", 8) == 0)
    {
      IsthmusWindowConfig *window;

      if (!is_http_url (target))
        {
          g_set_error (error,
                       ISTHMUS_CONFIG_ERROR,
                       ISTHMUS_CONFIG_ERROR_INVALID,
                       _("“%s” is not a valid URL"),
                       target);
          return NULL;
        }

      self = new_single_window (ISTHMUS_FRONTEND_URL, NULL);
      self->frontend_url = g_strdup (target);
      window = g_ptr_array_index (self->windows, 0);
      g_free (window->url);
      window->url = g_strdup (target);

      return self;
    }

  if (target[0] == '\0')
    {
      g_set_error_literal (error,
                           ISTHMUS_CONFIG_ERROR,
                           ISTHMUS_CONFIG_ERROR_NOT_FOUND,
                           _("No project given"));
      return NULL;
    }

  path = g_canonicalize_filename (target, NULL);
  display = g_filename_display_name (path);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return load_config_file (path, error);

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error,
                   ISTHMUS_CONFIG_ERROR,
                   ISTHMUS_CONFIG_ERROR_NOT_FOUND,
                   _("%s: no such file or directory"),
                   display);
      return NULL;
    }

  for (guint i = 0; i < G_N_ELEMENTS (config_names); i++)
    {
      g_autofree char *candidate = g_build_filename (path, config_names[i], NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
        return load_config_file (candidate, error);
    }

  for (guint i = 0; i < G_N_ELEMENTS (unsupported_names); i++)
    {
      g_autofree char *candidate = g_build_filename (path, unsupported_names[i], NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *candidate_display = g_filename_display_name (candidate);

          g_set_error (error,
                       ISTHMUS_CONFIG_ERROR,
                       ISTHMUS_CONFIG_ERROR_UNSUPPORTED,
                       _("%s: only tauri.conf.json is supported, not JSON5 or TOML"),
                       candidate_display);
          return NULL;
        }
    }

  index = g_build_filename (path, "index.html", NULL);
  if (g_file_test (index, G_FILE_TEST_IS_REGULAR))
    {
      self = new_single_window (ISTHMUS_FRONTEND_DIRECTORY, NULL);
      self->frontend_dir = g_steal_pointer (&path);
      return self;
    }

  g_set_error (error,
               ISTHMUS_CONFIG_ERROR,
               ISTHMUS_CONFIG_ERROR_NOT_FOUND,
               _("%s: no tauri.conf.json, src-tauri/tauri.conf.json or index.html here"),
               display);
  return NULL;
}

IsthmusFrontendKind
isthmus_config_get_frontend_kind (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), ISTHMUS_FRONTEND_RESOURCE);

  return self->frontend_kind;
}

const char *
isthmus_config_get_frontend_dir (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), NULL);

  if (self->frontend_kind == ISTHMUS_FRONTEND_URL)
    return NULL;

  return self->frontend_dir;
}

const char *
isthmus_config_get_frontend_url (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), NULL);

  if (self->frontend_kind != ISTHMUS_FRONTEND_URL)
    return NULL;

  return self->frontend_url;
}

const char *
isthmus_config_get_config_path (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), NULL);

  return self->config_path;
}

const char *
isthmus_config_get_product_name (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), NULL);

  return self->product_name;
}

const char *
isthmus_config_get_version (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), NULL);

  return self->version;
}

const char *
isthmus_config_get_identifier (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), NULL);

  return self->identifier;
}

gboolean
isthmus_config_get_with_global_tauri (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), FALSE);

  return self->with_global_tauri;
}

gboolean
isthmus_config_get_freeze_prototype (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), FALSE);

  return self->freeze_prototype;
}

const char *
isthmus_config_get_csp (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), NULL);

  return self->csp;
}

IsthmusPattern
isthmus_config_get_pattern (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), ISTHMUS_PATTERN_BROWNFIELD);

  return self->pattern;
}

const char *
isthmus_config_get_isolation_dir (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), NULL);

  return self->isolation_dir;
}

/**
 * isthmus_config_set_isolation_dir:
 * @self: a #IsthmusConfig
 * @dir: (nullable): the isolation app directory; relative paths are taken
 *   from the current directory
 *
 * Overrides the isolation directory, e.g. from the command line.
 */
void
isthmus_config_set_isolation_dir (IsthmusConfig *self,
                                  const char    *dir)
{
  g_return_if_fail (ISTHMUS_IS_CONFIG (self));

  g_clear_pointer (&self->isolation_dir, g_free);
  if (dir != NULL)
    self->isolation_dir = g_canonicalize_filename (dir, NULL);
}

JsonNode *
isthmus_config_get_capabilities (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), NULL);

  return self->capabilities;
}

GPtrArray *
isthmus_config_get_windows (IsthmusConfig *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (self), NULL);

  return self->windows;
}

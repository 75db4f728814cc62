/* isthmus-window-plugin.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-window-plugin"

#include "config.h"

#include <math.h>
#include <string.h>

#include "isthmus-error.h"
#include "isthmus-window-plugin.h"

typedef struct
{
  IsthmusWindowBackend  backend;
  gpointer              user_data;
  GDestroyNotify        destroy;

  /* Owned references */
  IsthmusConfig        *config;
} Plugin;

typedef void (*PluginFunc) (Plugin            *plugin,
                            IsthmusInvocation *invocation,
                            const char        *label);

static void
plugin_clear (gpointer data)
{
  Plugin *plugin = data;

  if (plugin->destroy != NULL)
    plugin->destroy (plugin->user_data);
  g_clear_object (&plugin->config);
}

static gpointer
plugin_ref (Plugin *plugin)
{
  return g_atomic_rc_box_acquire (plugin);
}

static void
plugin_unref (gpointer plugin)
{
  g_atomic_rc_box_release_full (plugin, plugin_clear);
}

static JsonNode *
string_node (const char *text)
{
  return json_node_init_string (json_node_alloc (), text != NULL ? text : "");
}

/**
 * isthmus_window_size_node:
 * @width: a width in physical pixels
 * @height: a height in physical pixels
 *
 * Tauri's PhysicalSize as JSON, `{width, height}`: what innerSize () reads
 * and tauri://resize carries.
 *
 * Returns: (transfer full): the node
 */
JsonNode *
isthmus_window_size_node (int width,
                          int height)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, height);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
get_all_windows (Plugin            *plugin,
                 IsthmusInvocation *invocation,
                 const char        *label)
{
  g_auto(GStrv) labels = plugin->backend.list (plugin->user_data);
  JsonArray *array = json_array_new ();

  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    json_array_add_string_element (array, labels[i]);

  isthmus_invocation_return_value (invocation, json_node_init_array (json_node_alloc (), array));
  json_array_unref (array);
}

static void
get_all_webviews (Plugin            *plugin,
                  IsthmusInvocation *invocation,
                  const char        *label)
{
  g_auto(GStrv) labels = plugin->backend.list (plugin->user_data);
  JsonArray *array = json_array_new ();

  for (guint i = 0; labels != NULL && labels[i] != NULL; i++)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "label", labels[i]);
      json_object_set_string_member (object, "windowLabel", labels[i]);
      json_array_add_object_element (array, object);
    }

  isthmus_invocation_return_value (invocation, json_node_init_array (json_node_alloc (), array));
  json_array_unref (array);
}

static void
title (Plugin            *plugin,
       IsthmusInvocation *invocation,
       const char        *label)
{
  g_autofree char *text = plugin->backend.get_title (label, plugin->user_data);

  isthmus_invocation_return_value (invocation, string_node (text));
}

static void
set_title (Plugin            *plugin,
           IsthmusInvocation *invocation,
           const char        *label)
{
  const char *value = isthmus_invocation_get_string (invocation, "value");

  if (value == NULL)
    {
      isthmus_invocation_return_error_string (invocation,
                                              "invalid args `value` for command `set_title`: "
                                              "command set_title missing required key value");
      return;
    }

  plugin->backend.set_title (label, value, plugin->user_data);
  isthmus_invocation_return_value (invocation, NULL);
}

static void
inner_size (Plugin            *plugin,
            IsthmusInvocation *invocation,
            const char        *label)
{
  int width = 0, height = 0;

  plugin->backend.get_size (label, FALSE, &width, &height, plugin->user_data);
  isthmus_invocation_return_value (invocation, isthmus_window_size_node (width, height));
}

static void
outer_size (Plugin            *plugin,
            IsthmusInvocation *invocation,
            const char        *label)
{
  int width = 0, height = 0;

  plugin->backend.get_size (label, TRUE, &width, &height, plugin->user_data);
  isthmus_invocation_return_value (invocation, isthmus_window_size_node (width, height));
}

static gboolean
read_dimension (JsonObject *object,
                const char *name,
                double     *out)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);
  if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
    return FALSE;

  *out = json_node_get_double (node);
  return isfinite (*out) && *out >= 1.0 && *out <= 100000.0;
}

/* value: {"Physical": {width, height}} or {"Logical": {width, height}}
 * (dpi.js Size), or a bare {width, height} (logical). */
static void
set_size (Plugin            *plugin,
          IsthmusInvocation *invocation,
          const char        *label)
{
  JsonObject *args = json_node_get_object (isthmus_invocation_get_args (invocation));
  JsonNode *value = json_object_get_member (args, "value");
  JsonObject *size = NULL;
  gboolean physical = FALSE;
  double width, height;

  if (value != NULL && JSON_NODE_HOLDS_OBJECT (value))
    {
      JsonObject *object = json_node_get_object (value);
      JsonNode *inner;

      if ((inner = json_object_get_member (object, "Physical")) != NULL && JSON_NODE_HOLDS_OBJECT (inner))
        {
          size = json_node_get_object (inner);
          physical = TRUE;
        }
      else if ((inner = json_object_get_member (object, "Logical")) != NULL && JSON_NODE_HOLDS_OBJECT (inner))
        size = json_node_get_object (inner);
      else
        size = object;
    }

  if (size == NULL || !read_dimension (size, "width", &width) || !read_dimension (size, "height", &height))
    {
      isthmus_invocation_return_error_string (invocation,
                                              "invalid args `value` for command `set_size`: "
                                              "expected a Size {Physical|Logical: {width, height}}");
      return;
    }

  plugin->backend.set_size (label, width, height, physical, plugin->user_data);
  isthmus_invocation_return_value (invocation, NULL);
}

static void
scale_factor (Plugin            *plugin,
              IsthmusInvocation *invocation,
              const char        *label)
{
  double factor = plugin->backend.get_scale_factor (label, plugin->user_data);

  isthmus_invocation_return_value (invocation, json_node_init_double (json_node_alloc (), factor));
}

static void
answer_flag (Plugin            *plugin,
             IsthmusInvocation *invocation,
             const char        *label,
             IsthmusWindowFlag  flag)
{
  gboolean value = plugin->backend.get_flag (label, flag, plugin->user_data);

  isthmus_invocation_return_value (invocation, json_node_init_boolean (json_node_alloc (), value));
}

static void
is_visible (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  answer_flag (plugin, invocation, label, ISTHMUS_WINDOW_VISIBLE);
}

static void
is_focused (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  answer_flag (plugin, invocation, label, ISTHMUS_WINDOW_FOCUSED);
}

/* Answers first: closing the window may take the page with it. */
static void
act (Plugin              *plugin,
     IsthmusInvocation   *invocation,
     const char          *label,
     IsthmusWindowAction  action)
{
  g_autofree char *owned = g_strdup (label);

  isthmus_invocation_return_value (invocation, NULL);
  plugin->backend.act (owned, action, plugin->user_data);
}

static void
show (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  act (plugin, invocation, label, ISTHMUS_WINDOW_SHOW);
}

static void
hide (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  act (plugin, invocation, label, ISTHMUS_WINDOW_HIDE);
}

static void
close_window (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  act (plugin, invocation, label, ISTHMUS_WINDOW_CLOSE);
}

static void
destroy_window (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  act (plugin, invocation, label, ISTHMUS_WINDOW_DESTROY);
}

static void
set_focus (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  act (plugin, invocation, label, ISTHMUS_WINDOW_FOCUS);
}

static void
app_name (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  isthmus_invocation_return_value (invocation, string_node (isthmus_config_get_product_name (plugin->config)));
}

static void
app_version (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  isthmus_invocation_return_value (invocation, string_node (isthmus_config_get_version (plugin->config)));
}

static void
app_tauri_version (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  isthmus_invocation_return_value (invocation, string_node (ISTHMUS_TAURI_VERSION));
}

static void
app_identifier (Plugin *plugin, IsthmusInvocation *invocation, const char *label)
{
  isthmus_invocation_return_value (invocation, string_node (isthmus_config_get_identifier (plugin->config)));
}

static const struct
{
  const char *name;
  PluginFunc  func;
  gboolean    needs_window;
} commands[] = {
  { "plugin:window|get_all_windows", get_all_windows, FALSE },
  { "plugin:webview|get_all_webviews", get_all_webviews, FALSE },
  { "plugin:window|title", title, TRUE },
  { "plugin:window|set_title", set_title, TRUE },
  { "plugin:window|inner_size", inner_size, TRUE },
  { "plugin:window|outer_size", outer_size, TRUE },
  { "plugin:window|set_size", set_size, TRUE },
  { "plugin:window|scale_factor", scale_factor, TRUE },
  { "plugin:window|is_visible", is_visible, TRUE },
  { "plugin:window|is_focused", is_focused, TRUE },
  { "plugin:window|show", show, TRUE },
  { "plugin:window|hide", hide, TRUE },
  { "plugin:window|close", close_window, TRUE },
  { "plugin:window|destroy", destroy_window, TRUE },
  { "plugin:window|set_focus", set_focus, TRUE },
  { "plugin:webview|webview_close", close_window, TRUE },
  { "plugin:webview|webview_show", show, TRUE },
  { "plugin:webview|webview_hide", hide, TRUE },
  { "plugin:webview|set_webview_focus", set_focus, TRUE },
  { "plugin:webview|webview_size", inner_size, TRUE },
  { "plugin:app|name", app_name, FALSE },
  { "plugin:app|version", app_version, FALSE },
  { "plugin:app|tauri_version", app_tauri_version, FALSE },
  { "plugin:app|identifier", app_identifier, FALSE },
};

static const char * const fallback_prefixes[] = {
  "plugin:window|",
  "plugin:webview|",
  "plugin:app|",
};

static void
command_cb (IsthmusInvocation *invocation,
            gpointer           user_data)
{
  Plugin *plugin = user_data;
  const char *command = isthmus_invocation_get_command (invocation);
  const char *label;

  label = isthmus_invocation_get_string (invocation, "label");
  if (label == NULL)
    label = isthmus_invocation_get_webview_label (invocation);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!g_str_equal (commands[i].name, command))
        continue;

      /* Tauri's text for an unknown window label. */
      if (commands[i].needs_window &&
          (label == NULL || !plugin->backend.exists (label, plugin->user_data)))
        {
          isthmus_invocation_return_error_string (invocation, "window not found");
          return;
        }

      commands[i].func (plugin, invocation, label);
      return;
    }
}

static void
not_supported_cb (IsthmusInvocation *invocation,
                  gpointer           user_data)
{
  g_autoptr(GError) error = NULL;

  error = g_error_new (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_NOT_SUPPORTED,
                       "%s is not supported by Isthmus",
                       isthmus_invocation_get_command (invocation));
  isthmus_invocation_return_gerror (invocation, error);
}

gboolean
isthmus_window_plugin_register (IsthmusRegistry            *registry,
                                IsthmusConfig              *config,
                                const IsthmusWindowBackend *backend,
                                gpointer                    user_data,
                                GDestroyNotify              destroy)
{
  Plugin *plugin;

  g_return_val_if_fail (ISTHMUS_IS_REGISTRY (registry), FALSE);
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (config), FALSE);
  g_return_val_if_fail (backend != NULL, FALSE);

  if (isthmus_registry_contains (registry, commands[0].name))
    {
      if (destroy != NULL)
        destroy (user_data);
      return FALSE;
    }

  plugin = g_atomic_rc_box_new0 (Plugin);
  plugin->backend = *backend;
  plugin->user_data = user_data;
  plugin->destroy = destroy;
  plugin->config = g_object_ref (config);

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (!isthmus_registry_add (registry, commands[i].name, NULL, command_cb,
                                 plugin_ref (plugin), plugin_unref))
        plugin_unref (plugin);
    }

  for (guint i = 0; i < G_N_ELEMENTS (fallback_prefixes); i++)
    isthmus_registry_add_fallback (registry, fallback_prefixes[i], not_supported_cb, NULL, NULL);

  plugin_unref (plugin);

  return TRUE;
}

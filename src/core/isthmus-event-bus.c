/* isthmus-event-bus.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-event-bus"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "isthmus-config.h"
#include "isthmus-error.h"
#include "isthmus-event-bus.h"

#define MAX_EVENT_NAME_CHARS 128

/* Tauri's text for a bad event name (event_name.rs). */
#define EVENT_NAME_RULE "Event name must include only alphanumeric characters, `-`, `/`, `:` and `_`."

typedef struct
{
  guint32             id;
  char               *webview_label;
  char               *event;
  IsthmusEventTarget  target;
} Listener;

typedef struct
{
  char                    *label;
  IsthmusEventDeliverFunc  func;
  gpointer                 user_data;
  GDestroyNotify           destroy;
} Webview;

struct _IsthmusEventBus
{
  GObject     parent_instance;

  /* Owned references */
  GHashTable *listeners;   /* guint32 id → Listener */
  GHashTable *by_event;    /* event name → GArray of guint32 ids, in listen order */
  GHashTable *webviews;    /* label → Webview */
  GPtrArray  *webview_order;

  guint32     next_id;
};

G_DEFINE_FINAL_TYPE (IsthmusEventBus, isthmus_event_bus, G_TYPE_OBJECT)

static const struct
{
  const char             *name;
  IsthmusEventTargetKind  kind;
  gboolean                labelled;
} target_kinds[] = {
  { "Any", ISTHMUS_EVENT_TARGET_ANY, FALSE },
  { "AnyLabel", ISTHMUS_EVENT_TARGET_ANY_LABEL, TRUE },
  { "App", ISTHMUS_EVENT_TARGET_APP, FALSE },
  { "Window", ISTHMUS_EVENT_TARGET_WINDOW, TRUE },
  { "Webview", ISTHMUS_EVENT_TARGET_WEBVIEW, TRUE },
  { "WebviewWindow", ISTHMUS_EVENT_TARGET_WEBVIEW_WINDOW, TRUE },
};

static void
listener_free (gpointer data)
{
  Listener *listener = data;

  g_free (listener->webview_label);
  g_free (listener->event);
  isthmus_event_target_clear (&listener->target);
  g_free (listener);
}

static void
webview_free (gpointer data)
{
  Webview *webview = data;

  if (webview->destroy != NULL)
    webview->destroy (webview->user_data);
  g_free (webview->label);
  g_free (webview);
}

static void
array_unref (gpointer data)
{
  g_array_unref (data);
}

gboolean
isthmus_event_name_is_valid (const char *name)
{
  guint n_chars = 0;

  if (name == NULL || *name == '\0')
    return FALSE;

  if (!g_utf8_validate (name, -1, NULL))
    return FALSE;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (++n_chars > MAX_EVENT_NAME_CHARS)
        return FALSE;

      if (c == '-' || c == '/' || c == ':' || c == '_')
        continue;

      if (!g_unichar_isalnum (c))
        return FALSE;
    }

  return TRUE;
}

void
isthmus_event_target_clear (IsthmusEventTarget *target)
{
  g_clear_pointer (&target->label, g_free);
  target->kind = ISTHMUS_EVENT_TARGET_ANY;
}

static gboolean
set_target_error (GError     **error,
                  const char  *detail)
{
  g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_ARGS,
               "invalid args `target`: %s", detail);
  return FALSE;
}

gboolean
isthmus_event_target_parse (JsonNode            *node,
                            IsthmusEventTarget  *target,
                            GError             **error)
{
  JsonObject *object;
  const char *kind;
  const char *label = NULL;

  g_return_val_if_fail (target != NULL, FALSE);

  target->kind = ISTHMUS_EVENT_TARGET_ANY;
  target->label = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return set_target_error (error, "expected an EventTarget, found null");

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      label = json_node_get_string (node);
      if (!isthmus_label_is_valid (label))
        return set_target_error (error, "Webview label must include only alphanumeric characters, `-`, `/`, `:` and `_`.");
      target->kind = ISTHMUS_EVENT_TARGET_ANY_LABEL;
      target->label = g_strdup (label);
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return set_target_error (error, "expected an EventTarget object or a label string");

  object = json_node_get_object (node);
  if (!json_object_has_member (object, "kind") ||
      !JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "kind")) ||
      json_node_get_value_type (json_object_get_member (object, "kind")) != G_TYPE_STRING)
    return set_target_error (error, "missing field `kind`");

  kind = json_object_get_string_member (object, "kind");

  for (guint i = 0; i < G_N_ELEMENTS (target_kinds); i++)
    {
      JsonNode *label_node;

      if (!g_str_equal (kind, target_kinds[i].name))
        continue;

      target->kind = target_kinds[i].kind;
      if (!target_kinds[i].labelled)
        return TRUE;

      label_node = json_object_get_member (object, "label");
      if (label_node == NULL || !JSON_NODE_HOLDS_VALUE (label_node) ||
          json_node_get_value_type (label_node) != G_TYPE_STRING)
        return set_target_error (error, "missing field `label`");

      label = json_node_get_string (label_node);
      if (!isthmus_label_is_valid (label))
        return set_target_error (error, "Webview label must include only alphanumeric characters, `-`, `/`, `:` and `_`.");

      target->label = g_strdup (label);
      return TRUE;
    }

  return set_target_error (error, "unknown variant, expected one of `Any`, `AnyLabel`, `App`, `Window`, `Webview`, `WebviewWindow`");
}

char *
isthmus_event_target_to_string (const IsthmusEventTarget *target)
{
  for (guint i = 0; i < G_N_ELEMENTS (target_kinds); i++)
    {
      if (target_kinds[i].kind != target->kind)
        continue;
      if (target_kinds[i].labelled)
        return g_strdup_printf ("%s(%s)", target_kinds[i].name, target->label ? target->label : "");
      return g_strdup (target_kinds[i].name);
    }

  return g_strdup ("?");
}

gboolean
isthmus_event_target_matches (const IsthmusEventTarget *emit_target,
                              const IsthmusEventTarget *listener_target)
{
  g_return_val_if_fail (emit_target != NULL, FALSE);
  g_return_val_if_fail (listener_target != NULL, FALSE);

  if (listener_target->kind == ISTHMUS_EVENT_TARGET_ANY ||
      emit_target->kind == ISTHMUS_EVENT_TARGET_ANY)
    return TRUE;

  switch (emit_target->kind)
    {
    case ISTHMUS_EVENT_TARGET_APP:
      return listener_target->kind == ISTHMUS_EVENT_TARGET_APP;

    case ISTHMUS_EVENT_TARGET_ANY_LABEL:
      return listener_target->kind != ISTHMUS_EVENT_TARGET_APP &&
             g_strcmp0 (emit_target->label, listener_target->label) == 0;

    case ISTHMUS_EVENT_TARGET_WINDOW:
    case ISTHMUS_EVENT_TARGET_WEBVIEW:
    case ISTHMUS_EVENT_TARGET_WEBVIEW_WINDOW:
      return (listener_target->kind == emit_target->kind ||
              listener_target->kind == ISTHMUS_EVENT_TARGET_ANY_LABEL) &&
             g_strcmp0 (emit_target->label, listener_target->label) == 0;

    case ISTHMUS_EVENT_TARGET_ANY:
    default:
      return TRUE;
    }
}

static void
isthmus_event_bus_finalize (GObject *object)
{
  IsthmusEventBus *self = (IsthmusEventBus *)object;

  g_clear_pointer (&self->listeners, g_hash_table_unref);
  g_clear_pointer (&self->by_event, g_hash_table_unref);
  g_clear_pointer (&self->webview_order, g_ptr_array_unref);
  g_clear_pointer (&self->webviews, g_hash_table_unref);

  G_OBJECT_CLASS (isthmus_event_bus_parent_class)->finalize (object);
}

static void
isthmus_event_bus_class_init (IsthmusEventBusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_event_bus_finalize;
}

static void
isthmus_event_bus_init (IsthmusEventBus *self)
{
  self->listeners = g_hash_table_new_full (NULL, NULL, NULL, listener_free);
  self->by_event = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, array_unref);
  self->webviews = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, webview_free);
  self->webview_order = g_ptr_array_new ();
}

IsthmusEventBus *
isthmus_event_bus_new (void)
{
  return g_object_new (ISTHMUS_TYPE_EVENT_BUS, NULL);
}

static void
drop_listener (IsthmusEventBus *self,
               guint32          id)
{
  Listener *listener = g_hash_table_lookup (self->listeners, GUINT_TO_POINTER (id));
  GArray *ids;

  if (listener == NULL)
    return;

  ids = g_hash_table_lookup (self->by_event, listener->event);
  if (ids != NULL)
    {
      for (guint i = 0; i < ids->len; i++)
        {
          if (g_array_index (ids, guint32, i) == id)
            {
              g_array_remove_index (ids, i);
              break;
            }
        }
      if (ids->len == 0)
        g_hash_table_remove (self->by_event, listener->event);
    }

  g_hash_table_remove (self->listeners, GUINT_TO_POINTER (id));
}

static void
drop_listeners_of (IsthmusEventBus *self,
                   const char      *webview_label)
{
  g_autoptr(GArray) doomed = g_array_new (FALSE, FALSE, sizeof (guint32));
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->listeners);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Listener *listener = value;

      if (g_str_equal (listener->webview_label, webview_label))
        {
          guint32 id = GPOINTER_TO_UINT (key);
          g_array_append_val (doomed, id);
        }
    }

  for (guint i = 0; i < doomed->len; i++)
    drop_listener (self, g_array_index (doomed, guint32, i));
}

void
isthmus_event_bus_add_webview (IsthmusEventBus         *self,
                               const char              *webview_label,
                               IsthmusEventDeliverFunc  func,
                               gpointer                 user_data,
                               GDestroyNotify           destroy)
{
  Webview *webview;

  g_return_if_fail (ISTHMUS_IS_EVENT_BUS (self));
  g_return_if_fail (webview_label != NULL);

  isthmus_event_bus_remove_webview (self, webview_label);

  webview = g_new0 (Webview, 1);
  webview->label = g_strdup (webview_label);
  webview->func = func;
  webview->user_data = user_data;
  webview->destroy = destroy;

  g_hash_table_insert (self->webviews, webview->label, webview);
  g_ptr_array_add (self->webview_order, webview->label);
}

void
isthmus_event_bus_remove_webview (IsthmusEventBus *self,
                                  const char      *webview_label)
{
  Webview *webview;

  g_return_if_fail (ISTHMUS_IS_EVENT_BUS (self));
  g_return_if_fail (webview_label != NULL);

  drop_listeners_of (self, webview_label);

  webview = g_hash_table_lookup (self->webviews, webview_label);
  if (webview == NULL)
    return;

  g_ptr_array_remove (self->webview_order, webview->label);
  g_hash_table_remove (self->webviews, webview_label);
}

guint32
isthmus_event_bus_listen (IsthmusEventBus          *self,
                          const char               *webview_label,
                          const char               *event,
                          const IsthmusEventTarget *target,
                          GError                  **error)
{
  Listener *listener;
  GArray *ids;

  g_return_val_if_fail (ISTHMUS_IS_EVENT_BUS (self), 0);
  g_return_val_if_fail (webview_label != NULL, 0);
  g_return_val_if_fail (target != NULL, 0);

  if (!isthmus_event_name_is_valid (event))
    {
      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_EVENT_NAME,
                   "invalid args `event` for command `listen`: " EVENT_NAME_RULE);
      return 0;
    }

  listener = g_new0 (Listener, 1);
  listener->id = self->next_id++;
  listener->webview_label = g_strdup (webview_label);
  listener->event = g_strdup (event);
  listener->target.kind = target->kind;
  listener->target.label = g_strdup (target->label);

  g_hash_table_insert (self->listeners, GUINT_TO_POINTER (listener->id), listener);

  ids = g_hash_table_lookup (self->by_event, event);
  if (ids == NULL)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (guint32));
      g_hash_table_insert (self->by_event, g_strdup (event), ids);
    }
  g_array_append_val (ids, listener->id);

  return listener->id;
}

gboolean
isthmus_event_bus_unlisten (IsthmusEventBus *self,
                            const char      *webview_label,
                            guint32          event_id)
{
  Listener *listener;

  g_return_val_if_fail (ISTHMUS_IS_EVENT_BUS (self), FALSE);

  listener = g_hash_table_lookup (self->listeners, GUINT_TO_POINTER (event_id));

  /* A page may only remove its own listeners. */
  if (listener == NULL || g_strcmp0 (listener->webview_label, webview_label) != 0)
    return FALSE;

  drop_listener (self, event_id);
  return TRUE;
}

guint
isthmus_event_bus_get_n_listeners (IsthmusEventBus *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EVENT_BUS (self), 0);

  return g_hash_table_size (self->listeners);
}

/**
 * isthmus_event_bus_has_listener:
 * @self: an #IsthmusEventBus
 * @target: (nullable): the emit's target, or %NULL for everyone
 * @event: the event name
 *
 * Whether an emit of @event to @target would reach any listener, by the
 * same rules as isthmus_event_bus_emit(). For events that are worth
 * sending (and recording) only when somebody listens.
 *
 * Returns: %TRUE if a listener would hear it
 */
gboolean
isthmus_event_bus_has_listener (IsthmusEventBus          *self,
                                const IsthmusEventTarget *target,
                                const char               *event)
{
  static const IsthmusEventTarget everyone = { ISTHMUS_EVENT_TARGET_ANY, NULL };
  GArray *ids;

  g_return_val_if_fail (ISTHMUS_IS_EVENT_BUS (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (target == NULL)
    target = &everyone;

  ids = g_hash_table_lookup (self->by_event, event);
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      Listener *listener = g_hash_table_lookup (self->listeners,
                                                GUINT_TO_POINTER (g_array_index (ids, guint32, i)));

      if (listener != NULL && isthmus_event_target_matches (target, &listener->target))
        return TRUE;
    }

  return FALSE;
}

gboolean
isthmus_event_bus_emit (IsthmusEventBus          *self,
                        const IsthmusEventTarget *target,
                        const char               *event,
                        JsonNode                 *payload,
                        char                    **reached,
                        GError                  **error)
{
  static const IsthmusEventTarget everyone = { ISTHMUS_EVENT_TARGET_ANY, NULL };
  g_autofree char *payload_json = NULL;
  g_autoptr(GString) summary = NULL;
  GArray *ids;

  g_return_val_if_fail (ISTHMUS_IS_EVENT_BUS (self), FALSE);

  if (target == NULL)
    target = &everyone;

  if (!isthmus_event_name_is_valid (event))
    {
      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_EVENT_NAME,
                   "invalid args `event` for command `emit`: " EVENT_NAME_RULE);
      return FALSE;
    }

  summary = g_string_new (NULL);
  ids = g_hash_table_lookup (self->by_event, event);

  if (ids != NULL)
    {
      g_autoptr(GPtrArray) plan = g_ptr_array_new_with_free_func (array_unref);
      g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);

      /* Decide every delivery first, then deliver: a delivery function may
       * change the listener tables. */
      for (guint w = 0; w < self->webview_order->len; w++)
        {
          const char *label = g_ptr_array_index (self->webview_order, w);
          g_autoptr(GArray) hits = g_array_new (FALSE, FALSE, sizeof (guint32));

          for (guint i = 0; i < ids->len; i++)
            {
              guint32 id = g_array_index (ids, guint32, i);
              Listener *listener = g_hash_table_lookup (self->listeners, GUINT_TO_POINTER (id));

              if (listener != NULL &&
                  g_str_equal (listener->webview_label, label) &&
                  isthmus_event_target_matches (target, &listener->target))
                g_array_append_val (hits, id);
            }

          if (hits->len == 0)
            continue;

          if (summary->len > 0)
            g_string_append (summary, "; ");
          g_string_append_printf (summary, "%s:", label);
          for (guint i = 0; i < hits->len; i++)
            g_string_append_printf (summary, "%s%u", i ? ", " : " ", g_array_index (hits, guint32, i));

          g_ptr_array_add (labels, g_strdup (label));
          g_ptr_array_add (plan, g_steal_pointer (&hits));
        }

      if (plan->len > 0)
        payload_json = payload != NULL ? json_to_string (payload, FALSE) : g_strdup ("null");

      for (guint w = 0; w < plan->len; w++)
        {
          const char *label = g_ptr_array_index (labels, w);
          GArray *hits = g_ptr_array_index (plan, w);
          Webview *webview = g_hash_table_lookup (self->webviews, label);

          if (webview != NULL && webview->func != NULL)
            webview->func (label, event, payload_json,
                           (const guint32 *)(gpointer)hits->data, hits->len,
                           webview->user_data);
        }
    }

  if (reached != NULL)
    *reached = summary->len > 0 ? g_string_free (g_steal_pointer (&summary), FALSE)
                                : g_strdup ("no listener");

  return TRUE;
}

static gboolean
check_event_name (IsthmusInvocation *invocation,
                  const char        *command)
{
  const char *event = isthmus_invocation_get_string (invocation, "event");
  g_autoptr(GError) error = NULL;

  if (isthmus_event_name_is_valid (event))
    return TRUE;

  g_set_error (&error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_EVENT_NAME,
               "invalid args `event` for command `%s`: " EVENT_NAME_RULE, command);
  isthmus_invocation_return_gerror (invocation, error);
  return FALSE;
}

static gboolean
parse_target_arg (IsthmusInvocation  *invocation,
                  const char         *command,
                  IsthmusEventTarget *target)
{
  JsonObject *args = json_node_get_object (isthmus_invocation_get_args (invocation));
  g_autoptr(GError) error = NULL;

  if (isthmus_event_target_parse (json_object_get_member (args, "target"), target, &error))
    return TRUE;

  /* Tauri's shape: "invalid args `target` for command `<cmd>`: <detail>". */
  {
    g_autoptr(GError) wrapped = NULL;
    const char *detail = error->message;

    if (g_str_has_prefix (detail, "invalid args `target`: "))
      detail += strlen ("invalid args `target`: ");
    wrapped = g_error_new (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_ARGS,
                           "invalid args `target` for command `%s`: %s", command, detail);
    isthmus_invocation_return_gerror (invocation, wrapped);
  }

  return FALSE;
}

static void
listen_cb (IsthmusInvocation *invocation,
           gpointer           user_data)
{
  IsthmusEventBus *self = user_data;
  IsthmusEventTarget target = { 0 };
  g_autoptr(GError) error = NULL;
  guint32 id;

  if (!check_event_name (invocation, "listen") ||
      !parse_target_arg (invocation, "listen", &target))
    return;

  id = isthmus_event_bus_listen (self,
                                 isthmus_invocation_get_webview_label (invocation),
                                 isthmus_invocation_get_string (invocation, "event"),
                                 &target, &error);
  isthmus_event_target_clear (&target);

  if (error != NULL)
    {
      isthmus_invocation_return_gerror (invocation, error);
      return;
    }

  isthmus_invocation_return_value (invocation, json_node_init_int (json_node_alloc (), id));
}

static void
unlisten_cb (IsthmusInvocation *invocation,
             gpointer           user_data)
{
  IsthmusEventBus *self = user_data;

  if (!check_event_name (invocation, "unlisten"))
    return;

  /* As in Tauri, unlistening an id that is gone is not an error. */
  isthmus_event_bus_unlisten (self,
                              isthmus_invocation_get_webview_label (invocation),
                              (guint32)isthmus_invocation_get_int (invocation, "eventId", 0));
  isthmus_invocation_return_value (invocation, NULL);
}

static void
emit_common (IsthmusEventBus          *self,
             IsthmusInvocation        *invocation,
             const IsthmusEventTarget *target)
{
  JsonObject *args = json_node_get_object (isthmus_invocation_get_args (invocation));
  g_autofree char *reached = NULL;
  g_autoptr(GError) error = NULL;

  if (!isthmus_event_bus_emit (self, target,
                               isthmus_invocation_get_string (invocation, "event"),
                               json_object_get_member (args, "payload"),
                               &reached, &error))
    {
      isthmus_invocation_return_gerror (invocation, error);
      return;
    }

  isthmus_invocation_set_note (invocation, reached);
  isthmus_invocation_return_value (invocation, NULL);
}

static void
emit_cb (IsthmusInvocation *invocation,
         gpointer           user_data)
{
  if (!check_event_name (invocation, "emit"))
    return;

  emit_common (user_data, invocation, NULL);
}

static void
emit_to_cb (IsthmusInvocation *invocation,
            gpointer           user_data)
{
  IsthmusEventTarget target = { 0 };

  if (!check_event_name (invocation, "emit_to") ||
      !parse_target_arg (invocation, "emit_to", &target))
    return;

  emit_common (user_data, invocation, &target);
  isthmus_event_target_clear (&target);
}

void
isthmus_event_bus_register_commands (IsthmusEventBus *self,
                                     IsthmusRegistry *registry)
{
  static const IsthmusArgSpec listen_args[] = {
    { "event", ISTHMUS_ARG_STRING, TRUE },
    { "target", ISTHMUS_ARG_ANY, TRUE },
    { "handler", ISTHMUS_ARG_INTEGER, TRUE, FALSE, TRUE, 0, G_MAXUINT32 },
  };
  static const IsthmusArgSpec unlisten_args[] = {
    { "event", ISTHMUS_ARG_STRING, TRUE },
    { "eventId", ISTHMUS_ARG_INTEGER, TRUE, FALSE, TRUE, 0, G_MAXUINT32 },
  };
  static const IsthmusArgSpec emit_args[] = {
    { "event", ISTHMUS_ARG_STRING, TRUE },
    { "payload", ISTHMUS_ARG_ANY, FALSE, TRUE },
  };
  static const IsthmusArgSpec emit_to_args[] = {
    { "target", ISTHMUS_ARG_ANY, TRUE },
    { "event", ISTHMUS_ARG_STRING, TRUE },
    { "payload", ISTHMUS_ARG_ANY, FALSE, TRUE },
  };
  g_autoptr(IsthmusSchema) listen_schema = isthmus_schema_new (listen_args, G_N_ELEMENTS (listen_args), TRUE);
  g_autoptr(IsthmusSchema) unlisten_schema = isthmus_schema_new (unlisten_args, G_N_ELEMENTS (unlisten_args), TRUE);
  g_autoptr(IsthmusSchema) emit_schema = isthmus_schema_new (emit_args, G_N_ELEMENTS (emit_args), TRUE);
  g_autoptr(IsthmusSchema) emit_to_schema = isthmus_schema_new (emit_to_args, G_N_ELEMENTS (emit_to_args), TRUE);

  g_return_if_fail (ISTHMUS_IS_EVENT_BUS (self));
  g_return_if_fail (ISTHMUS_IS_REGISTRY (registry));

  isthmus_registry_add (registry, "plugin:event|listen", listen_schema,
                        listen_cb, g_object_ref (self), g_object_unref);
  isthmus_registry_add (registry, "plugin:event|unlisten", unlisten_schema,
                        unlisten_cb, g_object_ref (self), g_object_unref);
  isthmus_registry_add (registry, "plugin:event|emit", emit_schema,
                        emit_cb, g_object_ref (self), g_object_unref);
  isthmus_registry_add (registry, "plugin:event|emit_to", emit_to_schema,
                        emit_to_cb, g_object_ref (self), g_object_unref);
}

/* isthmus-composer.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-composer"

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "isthmus-composer.h"
#include "isthmus-error.h"

#define COMPOSER_DATA_KEY "isthmus-composer"
#define COMPOSER_NOTE     "composer"
#define HISTORY_VERSION   1

/* What the composer keeps on a core. */
typedef struct
{
  guint                    direct;
  /* "label\ncallback" → number of calls expected. */
  GHashTable              *expected;
  IsthmusComposerHookFunc  hook_func;
  gpointer                 hook_data;
  GDestroyNotify           hook_destroy;
} ComposerState;

static void
composer_state_free (gpointer data)
{
  ComposerState *state = data;

  if (state->hook_destroy != NULL)
    state->hook_destroy (state->hook_data);
  g_clear_pointer (&state->expected, g_hash_table_unref);
  g_free (state);
}

static ComposerState *
peek_state (IsthmusCore *core)
{
  return g_object_get_data (G_OBJECT (core), COMPOSER_DATA_KEY);
}

static ComposerState *
ensure_state (IsthmusCore *core)
{
  ComposerState *state = peek_state (core);

  if (state == NULL)
    {
      state = g_new0 (ComposerState, 1);
      state->expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_object_set_data_full (G_OBJECT (core), COMPOSER_DATA_KEY, state, composer_state_free);
    }

  return state;
}

G_DEFINE_BOXED_TYPE (IsthmusComposerReply, isthmus_composer_reply,
                     isthmus_composer_reply_copy, isthmus_composer_reply_free)

IsthmusComposerReply *
isthmus_composer_reply_new (gboolean    ok,
                            const char *json,
                            const char *code,
                            const char *message)
{
  IsthmusComposerReply *reply = g_new0 (IsthmusComposerReply, 1);

  reply->ok = ok;
  reply->json = g_strdup (json != NULL ? json : "null");
  reply->code = g_strdup (code);
  reply->message = g_strdup (message);

  return reply;
}

IsthmusComposerReply *
isthmus_composer_reply_copy (const IsthmusComposerReply *reply)
{
  g_return_val_if_fail (reply != NULL, NULL);

  return isthmus_composer_reply_new (reply->ok, reply->json, reply->code, reply->message);
}

void
isthmus_composer_reply_free (IsthmusComposerReply *reply)
{
  if (reply == NULL)
    return;

  g_free (reply->json);
  g_free (reply->code);
  g_free (reply->message);
  g_free (reply);
}

/**
 * isthmus_composer_parse_json:
 * @text: what the user typed
 * @limits: (nullable): the size and depth limits
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the parsed value, or %NULL
 */
JsonNode *
isthmus_composer_parse_json (const char              *text,
                             const IsthmusJsonLimits *limits,
                             GError                 **error)
{
  IsthmusJsonLimits defaults = {
    .max_bytes = ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES,
    .max_depth = ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH,
  };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *message;
  const char *colon;
  guint line = 0;
  guint column = 0;
  int consumed = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (!isthmus_json_guard_check (text, strlen (text), limits != NULL ? limits : &defaults,
                                 &local_error))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, local_error->message);
      return NULL;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, &local_error))
    {
      /* json-glib writes "<data>:LINE:COLUMN: Parse error: …". */
      message = local_error->message;
      colon = g_str_has_prefix (message, "<data>:") ? message + strlen ("<data>:") : NULL;
      if (colon != NULL && sscanf (colon, "%u:%u: %n", &line, &column, &consumed) == 2 && consumed > 0)
        {
          const char *rest = colon + consumed;
          const char *detail = strstr (rest, ": ");

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("line %u, column %u: %s"), line, column,
                       detail != NULL ? detail + 2 : rest);
        }
      else
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, message);
      return NULL;
    }

  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("line 1, column 1: the text is empty"));
      return NULL;
    }

  if (!isthmus_json_is_finite (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("a number is out of range"));
      return NULL;
    }

  return json_node_copy (json_parser_get_root (parser));
}

char *
isthmus_composer_build_message (const char *cmd,
                                JsonNode   *args,
                                guint32     callback_id,
                                guint32     error_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (cmd != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cmd");
  json_builder_add_string_value (builder, cmd);
  json_builder_set_member_name (builder, "callback");
  json_builder_add_int_value (builder, callback_id);
  json_builder_set_member_name (builder, "error");
  json_builder_add_int_value (builder, error_id);
  json_builder_set_member_name (builder, "payload");
  if (args != NULL)
    json_builder_add_value (builder, json_node_copy (args));
  else
    {
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "options");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return isthmus_json_to_text (root, NULL);
}

static void
direct_reply_cb (const IsthmusReply *reply,
                 gpointer            user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autofree char *json = g_strndup (reply->json != NULL ? reply->json : "null",
                                     reply->json != NULL ? reply->json_length : 4);

  g_task_return_pointer (task,
                         isthmus_composer_reply_new (reply->ok, json, reply->code, reply->message),
                         (GDestroyNotify)isthmus_composer_reply_free);
}

static guint32
random_id (void)
{
  return g_random_int_range (1, G_MAXINT32);
}

/**
 * isthmus_composer_invoke_async:
 * @core: an #IsthmusCore
 * @window_label: the window the call comes from
 * @cmd: the command
 * @args_json_text: (nullable): the args as JSON text (NULL or blank: `{}`)
 * @through_hook: whether to send it through the isolation frame
 * @cancellable: (nullable): cancels the call before it is sent
 * @callback: called with the reply
 * @user_data: data for @callback
 *
 * Invokes @cmd as if @window_label had sent it.
 */
void
isthmus_composer_invoke_async (IsthmusCore         *core,
                               const char          *window_label,
                               const char          *cmd,
                               const char          *args_json_text,
                               gboolean             through_hook,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) args = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *message = NULL;
  g_autofree char *stripped = NULL;
  ComposerState *state;
  guint32 callback_id;

  g_return_if_fail (ISTHMUS_IS_CORE (core));
  g_return_if_fail (window_label != NULL);
  g_return_if_fail (cmd != NULL);

  task = g_task_new (core, cancellable, callback, user_data);
  g_task_set_source_tag (task, isthmus_composer_invoke_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (*cmd == '\0')
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("The command is empty"));
      return;
    }

  stripped = g_strstrip (g_strdup (args_json_text != NULL ? args_json_text : ""));
  if (*stripped != '\0')
    {
      args = isthmus_composer_parse_json (stripped, isthmus_core_get_limits (core), &error);
      if (args == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  state = ensure_state (core);
  callback_id = random_id ();
  message = isthmus_composer_build_message (cmd, args, callback_id, random_id ());

  if (through_hook)
    {
      if (state->hook_func == NULL)
        {
          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                                   _("Sending through the isolation hook needs the isolation pattern"));
          return;
        }
      isthmus_composer_expect (core, window_label, callback_id);
      state->hook_func (window_label, message, g_steal_pointer (&task), state->hook_data);
      return;
    }

  {
    gsize length = strlen (message);

    bytes = g_bytes_new_take (g_steal_pointer (&message), length);
  }

  state->direct++;
  isthmus_core_handle_message (core, window_label, bytes, direct_reply_cb, g_steal_pointer (&task));
  state->direct--;
}

IsthmusComposerReply *
isthmus_composer_invoke_finish (IsthmusCore   *core,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (ISTHMUS_IS_CORE (core), NULL);
  g_return_val_if_fail (g_task_is_valid (result, core), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
isthmus_composer_emit (IsthmusCore  *core,
                       const char   *target_json,
                       const char   *event,
                       const char   *payload_json,
                       GError      **error)
{
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(JsonNode) target_node = NULL;
  IsthmusEventTarget target = { 0 };
  gboolean has_target = FALSE;
  gboolean ok;

  g_return_val_if_fail (ISTHMUS_IS_CORE (core), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (target_json != NULL && *target_json != '\0')
    {
      target_node = isthmus_composer_parse_json (target_json, isthmus_core_get_limits (core), error);
      if (target_node == NULL || !isthmus_event_target_parse (target_node, &target, error))
        {
          isthmus_event_target_clear (&target);
          return FALSE;
        }
      has_target = TRUE;
    }

  if (payload_json != NULL && *payload_json != '\0')
    {
      payload = isthmus_composer_parse_json (payload_json, isthmus_core_get_limits (core), error);
      if (payload == NULL)
        {
          isthmus_event_target_clear (&target);
          return FALSE;
        }
    }

  ok = isthmus_core_emit (core, has_target ? &target : NULL, event, payload, error);
  isthmus_event_target_clear (&target);

  return ok;
}

void
isthmus_composer_set_hook_sender (IsthmusCore             *core,
                                  IsthmusComposerHookFunc  func,
                                  gpointer                 user_data,
                                  GDestroyNotify           destroy)
{
  ComposerState *state;

  g_return_if_fail (ISTHMUS_IS_CORE (core));

  state = ensure_state (core);
  if (state->hook_destroy != NULL)
    state->hook_destroy (state->hook_data);
  state->hook_func = func;
  state->hook_data = user_data;
  state->hook_destroy = destroy;
}

static char *
expected_key (const char *label,
              gint64      callback_id)
{
  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT, label, callback_id);
}

void
isthmus_composer_expect (IsthmusCore *core,
                         const char  *window_label,
                         guint32      callback_id)
{
  ComposerState *state;
  char *key;
  guint n;

  g_return_if_fail (ISTHMUS_IS_CORE (core));
  g_return_if_fail (window_label != NULL);

  state = ensure_state (core);
  key = expected_key (window_label, callback_id);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (state->expected, key));
  g_hash_table_replace (state->expected, key, GUINT_TO_POINTER (n + 1));
}

gboolean
_isthmus_composer_is_direct (IsthmusCore *core)
{
  ComposerState *state = peek_state (core);

  return state != NULL && state->direct > 0;
}

void
_isthmus_composer_mark (IsthmusCore     *core,
                        const char      *webview_label,
                        JsonNode        *root,
                        IsthmusExchange *exchange)
{
  ComposerState *state = peek_state (core);
  g_autofree char *key = NULL;
  JsonNode *callback;
  guint n;

  if (state == NULL)
    return;

  if (state->direct > 0)
    {
      isthmus_exchange_set_note (exchange, COMPOSER_NOTE);
      return;
    }

  if (g_hash_table_size (state->expected) == 0 || webview_label == NULL ||
      root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  callback = json_object_get_member (json_node_get_object (root), "callback");
  if (callback == NULL || json_node_get_value_type (callback) != G_TYPE_INT64)
    return;

  key = expected_key (webview_label, json_node_get_int (callback));
  n = GPOINTER_TO_UINT (g_hash_table_lookup (state->expected, key));
  if (n == 0)
    return;

  if (n == 1)
    g_hash_table_remove (state->expected, key);
  else
    g_hash_table_replace (state->expected, g_steal_pointer (&key), GUINT_TO_POINTER (n - 1));

  isthmus_exchange_set_note (exchange, COMPOSER_NOTE);
}

/* History. */

struct _IsthmusComposerItem
{
  GObject   parent_instance;

  char     *command;
  char     *args;
  char     *window;
  gboolean  through_hook;
};

G_DEFINE_FINAL_TYPE (IsthmusComposerItem, isthmus_composer_item, G_TYPE_OBJECT)

enum {
  ITEM_PROP_0,
  ITEM_PROP_COMMAND,
  ITEM_PROP_ARGS,
  ITEM_PROP_WINDOW,
  ITEM_PROP_THROUGH_HOOK,
  ITEM_N_PROPS
};

static GParamSpec *item_properties[ITEM_N_PROPS];

static void
isthmus_composer_item_finalize (GObject *object)
{
  IsthmusComposerItem *self = (IsthmusComposerItem *)object;

  g_clear_pointer (&self->command, g_free);
  g_clear_pointer (&self->args, g_free);
  g_clear_pointer (&self->window, g_free);

  G_OBJECT_CLASS (isthmus_composer_item_parent_class)->finalize (object);
}

static void
isthmus_composer_item_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  IsthmusComposerItem *self = ISTHMUS_COMPOSER_ITEM (object);

  switch (prop_id)
    {
    case ITEM_PROP_COMMAND:
      g_value_set_string (value, self->command);
      break;

    case ITEM_PROP_ARGS:
      g_value_set_string (value, self->args);
      break;

    case ITEM_PROP_WINDOW:
      g_value_set_string (value, self->window);
      break;

    case ITEM_PROP_THROUGH_HOOK:
      g_value_set_boolean (value, self->through_hook);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_composer_item_class_init (IsthmusComposerItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_composer_item_finalize;
  object_class->get_property = isthmus_composer_item_get_property;

  item_properties[ITEM_PROP_COMMAND] =
    g_param_spec_string ("command", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_ARGS] =
    g_param_spec_string ("args", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_WINDOW] =
    g_param_spec_string ("window", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  item_properties[ITEM_PROP_THROUGH_HOOK] =
    g_param_spec_boolean ("through-hook", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, ITEM_N_PROPS, item_properties);
}

static void
isthmus_composer_item_init (IsthmusComposerItem *self)
{
}

IsthmusComposerItem *
isthmus_composer_item_new (const char *command,
                           const char *args,
                           const char *window,
                           gboolean    through_hook)
{
  IsthmusComposerItem *self = g_object_new (ISTHMUS_TYPE_COMPOSER_ITEM, NULL);

  self->command = g_strdup (command != NULL ? command : "");
  self->args = g_strdup (args != NULL ? args : "");
  self->window = g_strdup (window != NULL ? window : "");
  self->through_hook = !!through_hook;

  return self;
}

const char *
isthmus_composer_item_get_command (IsthmusComposerItem *self)
{
  g_return_val_if_fail (ISTHMUS_IS_COMPOSER_ITEM (self), NULL);

  return self->command;
}

const char *
isthmus_composer_item_get_args (IsthmusComposerItem *self)
{
  g_return_val_if_fail (ISTHMUS_IS_COMPOSER_ITEM (self), NULL);

  return self->args;
}

const char *
isthmus_composer_item_get_window (IsthmusComposerItem *self)
{
  g_return_val_if_fail (ISTHMUS_IS_COMPOSER_ITEM (self), NULL);

  return self->window;
}

gboolean
isthmus_composer_item_get_through_hook (IsthmusComposerItem *self)
{
  g_return_val_if_fail (ISTHMUS_IS_COMPOSER_ITEM (self), FALSE);

  return self->through_hook;
}

struct _IsthmusComposerHistory
{
  GObject     parent_instance;

  char       *path;
  GListStore *items;
};

static GType
isthmus_composer_history_get_item_type (GListModel *model)
{
  return ISTHMUS_TYPE_COMPOSER_ITEM;
}

static guint
isthmus_composer_history_get_n_items (GListModel *model)
{
  IsthmusComposerHistory *self = ISTHMUS_COMPOSER_HISTORY (model);

  return g_list_model_get_n_items (G_LIST_MODEL (self->items));
}

static gpointer
isthmus_composer_history_get_item (GListModel *model,
                                   guint       position)
{
  IsthmusComposerHistory *self = ISTHMUS_COMPOSER_HISTORY (model);

  return g_list_model_get_item (G_LIST_MODEL (self->items), position);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = isthmus_composer_history_get_item_type;
  iface->get_n_items = isthmus_composer_history_get_n_items;
  iface->get_item = isthmus_composer_history_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (IsthmusComposerHistory, isthmus_composer_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  g_list_model_items_changed (G_LIST_MODEL (user_data), position, removed, added);
}

static void
isthmus_composer_history_finalize (GObject *object)
{
  IsthmusComposerHistory *self = (IsthmusComposerHistory *)object;

  g_clear_pointer (&self->path, g_free);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (isthmus_composer_history_parent_class)->finalize (object);
}

static void
isthmus_composer_history_class_init (IsthmusComposerHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_composer_history_finalize;
}

static void
isthmus_composer_history_init (IsthmusComposerHistory *self)
{
  self->items = g_list_store_new (ISTHMUS_TYPE_COMPOSER_ITEM);
  g_signal_connect_object (self->items, "items-changed", G_CALLBACK (items_changed_cb), self, 0);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static void
load_history (IsthmusComposerHistory *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *root;
  JsonNode *entries;

  if (!g_file_test (self->path, G_FILE_TEST_EXISTS))
    return;

  if (!json_parser_load_from_mapped_file (parser, self->path, &error))
    {
      g_warning ("The composer history %s could not be read: %s", self->path, error->message);
      return;
    }

  root = json_parser_get_root (parser);
  entries = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ?
            json_object_get_member (json_node_get_object (root), "entries") : NULL;
  if (entries == NULL || !JSON_NODE_HOLDS_ARRAY (entries))
    {
      g_warning ("The composer history %s has no entries", self->path);
      return;
    }

  for (guint i = 0; i < json_array_get_length (json_node_get_array (entries)); i++)
    {
      JsonNode *entry = json_array_get_element (json_node_get_array (entries), i);
      JsonObject *object;
      const char *cmd;

      if (items->len >= ISTHMUS_COMPOSER_HISTORY_MAX || !JSON_NODE_HOLDS_OBJECT (entry))
        continue;
      object = json_node_get_object (entry);
      cmd = member_string (object, "cmd");
      if (cmd == NULL)
        continue;
      g_ptr_array_add (items,
                       isthmus_composer_item_new (cmd,
                                                  member_string (object, "args"),
                                                  member_string (object, "window"),
                                                  json_object_get_boolean_member_with_default (object,
                                                                                               "throughHook",
                                                                                               FALSE)));
    }

  g_list_store_splice (self->items, 0, 0, items->pdata, items->len);
}

IsthmusComposerHistory *
isthmus_composer_history_new (const char *path)
{
  IsthmusComposerHistory *self = g_object_new (ISTHMUS_TYPE_COMPOSER_HISTORY, NULL);

  if (path != NULL)
    self->path = g_strdup (path);
  else
    self->path = g_build_filename (g_get_user_data_dir (), "isthmus", "composer-history.json", NULL);

  load_history (self);

  return self;
}

const char *
isthmus_composer_history_get_path (IsthmusComposerHistory *self)
{
  g_return_val_if_fail (ISTHMUS_IS_COMPOSER_HISTORY (self), NULL);

  return self->path;
}

gboolean
isthmus_composer_history_save (IsthmusComposerHistory  *self,
                               GError                 **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  g_autofree char *dir = NULL;
  guint n;

  g_return_val_if_fail (ISTHMUS_IS_COMPOSER_HISTORY (self), FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, HISTORY_VERSION);
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IsthmusComposerItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "cmd");
      json_builder_add_string_value (builder, item->command);
      json_builder_set_member_name (builder, "args");
      json_builder_add_string_value (builder, item->args);
      json_builder_set_member_name (builder, "window");
      json_builder_add_string_value (builder, item->window);
      json_builder_set_member_name (builder, "throughHook");
      json_builder_add_boolean_value (builder, item->through_hook);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  return g_file_set_contents (self->path, text, -1, error);
}

gboolean
isthmus_composer_history_add (IsthmusComposerHistory  *self,
                              const char              *command,
                              const char              *args,
                              const char              *window,
                              gboolean                 through_hook,
                              GError                 **error)
{
  g_autoptr(IsthmusComposerItem) item = NULL;
  guint n;

  g_return_val_if_fail (ISTHMUS_IS_COMPOSER_HISTORY (self), FALSE);
  g_return_val_if_fail (command != NULL, FALSE);

  item = isthmus_composer_item_new (command, args, window, through_hook);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IsthmusComposerItem) old = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      if (g_str_equal (old->command, item->command) && g_str_equal (old->args, item->args) &&
          g_str_equal (old->window, item->window) && old->through_hook == item->through_hook)
        {
          g_list_store_remove (self->items, i);
          break;
        }
    }

  g_list_store_insert (self->items, 0, item);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  if (n > ISTHMUS_COMPOSER_HISTORY_MAX)
    g_list_store_splice (self->items, ISTHMUS_COMPOSER_HISTORY_MAX,
                         n - ISTHMUS_COMPOSER_HISTORY_MAX, NULL, 0);

  return isthmus_composer_history_save (self, error);
}

void
isthmus_composer_history_clear (IsthmusComposerHistory *self)
{
  g_return_if_fail (ISTHMUS_IS_COMPOSER_HISTORY (self));

  g_list_store_remove_all (self->items);
}

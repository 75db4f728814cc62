/* isthmus-invocation.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-invocation"

#include "config.h"

#include "isthmus-error.h"
#include "isthmus-invocation.h"

struct _IsthmusInvocation
{
  GObject                     parent_instance;

  char                       *command;
  JsonNode                   *args;
  char                       *webview_label;
  char                       *note;
  GCancellable               *cancellable;
  GMainContext               *context;
  GThread                    *creator;

  /* Touched only on @context's thread. */
  IsthmusInvocationReplyFunc  func;
  gpointer                    user_data;
  GDestroyNotify              destroy;
  guint                       delivered : 1;

  /* Set from any thread. */
  int                         answered;
  int                         cancelled_by_core;
};

G_DEFINE_FINAL_TYPE (IsthmusInvocation, isthmus_invocation, G_TYPE_OBJECT)

typedef struct
{
  IsthmusInvocation *invocation;
  JsonNode          *value;
  GError            *error;
  gboolean           ok;
} Answer;

static void
answer_free (gpointer data)
{
  Answer *answer = data;

  g_clear_pointer (&answer->value, json_node_unref);
  g_clear_error (&answer->error);
  g_clear_object (&answer->invocation);
  g_free (answer);
}

/* Runs on the creating context: calls the reply function unless a reply
 * already left (the core answered a cancelled call first). */
static gboolean
deliver_cb (gpointer data)
{
  Answer *answer = data;
  IsthmusInvocation *self = answer->invocation;
  IsthmusInvocationReplyFunc func;
  gpointer user_data;
  GDestroyNotify destroy;

  if (self->delivered)
    return G_SOURCE_REMOVE;

  self->delivered = TRUE;
  func = g_steal_pointer (&self->func);
  user_data = g_steal_pointer (&self->user_data);
  destroy = g_steal_pointer (&self->destroy);

  if (func != NULL)
    func (self, answer->ok, answer->value, answer->error, user_data);
  if (destroy != NULL)
    destroy (user_data);

  return G_SOURCE_REMOVE;
}

/* Hands the answer to the creating context: at once when this thread runs
 * that context (or created the call and may run it now), else from an idle
 * source there. Unlike g_main_context_invoke(), this never runs the reply
 * in a worker thread that merely manages to acquire the global default
 * context. */
static void
deliver (IsthmusInvocation *self,
         gboolean           ok,
         JsonNode          *value,
         GError            *error)
{
  Answer *answer = g_new0 (Answer, 1);
  GSource *source;

  answer->invocation = g_object_ref (self);
  answer->ok = ok;
  answer->value = value;
  answer->error = error;

  if (g_main_context_is_owner (self->context))
    {
      deliver_cb (answer);
      answer_free (answer);
      return;
    }

  if (self->creator == g_thread_self () && g_main_context_acquire (self->context))
    {
      deliver_cb (answer);
      answer_free (answer);
      g_main_context_release (self->context);
      return;
    }

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, deliver_cb, answer, answer_free);
  g_source_set_static_name (source, "[isthmus] invocation reply");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* Claims the single answer. A second answer is a handler bug, unless the
 * core already answered because the call was cancelled: then the handler
 * merely raced the cancellation. */
static gboolean
claim_answer (IsthmusInvocation *self)
{
  if (g_atomic_int_compare_and_exchange (&self->answered, FALSE, TRUE))
    return TRUE;

  if (!g_atomic_int_get (&self->cancelled_by_core))
    g_critical ("Command “%s” was answered twice; the second answer is ignored",
                self->command);

  return FALSE;
}

static JsonNode *
error_page_value (const GError *error)
{
  g_autofree char *text = isthmus_ipc_error_to_page_value (error);
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);

  return node;
}

static void
isthmus_invocation_dispose (GObject *object)
{
  IsthmusInvocation *self = (IsthmusInvocation *)object;

  /* A handler dropped its last reference without answering. The delivery
   * keeps the object alive until the answer left on its context. */
  if (g_atomic_int_compare_and_exchange (&self->answered, FALSE, TRUE))
    {
      GError *error = g_error_new_literal (ISTHMUS_IPC_ERROR,
                                           ISTHMUS_IPC_ERROR_INTERNAL,
                                           "handler did not reply");

      deliver (self, FALSE, error_page_value (error), error);
    }

  G_OBJECT_CLASS (isthmus_invocation_parent_class)->dispose (object);
}

static void
isthmus_invocation_finalize (GObject *object)
{
  IsthmusInvocation *self = (IsthmusInvocation *)object;

  if (self->destroy != NULL)
    self->destroy (self->user_data);

  g_clear_pointer (&self->command, g_free);
  g_clear_pointer (&self->args, json_node_unref);
  g_clear_pointer (&self->webview_label, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (isthmus_invocation_parent_class)->finalize (object);
}

static void
isthmus_invocation_class_init (IsthmusInvocationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = isthmus_invocation_dispose;
  object_class->finalize = isthmus_invocation_finalize;
}

static void
isthmus_invocation_init (IsthmusInvocation *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * isthmus_invocation_new:
 * @command: the command name
 * @args: (nullable): the args; a shallow copy is kept, so the caller keeps
 *   its node. %NULL or JSON null mean `{}`.
 * @webview_label: (nullable): the core's label of the sending view
 * @func: called exactly once with the answer
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data after @func ran
 *
 * Creates a call on the thread-default main context, where @func will run.
 *
 * Returns: (transfer full): a new #IsthmusInvocation
 */
IsthmusInvocation *
isthmus_invocation_new (const char                 *command,
                        JsonNode                   *args,
                        const char                 *webview_label,
                        IsthmusInvocationReplyFunc  func,
                        gpointer                    user_data,
                        GDestroyNotify              destroy)
{
  IsthmusInvocation *self;

  g_return_val_if_fail (command != NULL, NULL);

  self = g_object_new (ISTHMUS_TYPE_INVOCATION, NULL);
  self->command = g_strdup (command);
  self->webview_label = g_strdup (webview_label);
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;
  self->context = g_main_context_ref_thread_default ();
  self->creator = g_thread_self ();

  if (args == NULL || JSON_NODE_HOLDS_NULL (args))
    {
      self->args = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (self->args, json_object_new ());
    }
  else
    self->args = json_node_copy (args);

  return self;
}

const char *
isthmus_invocation_get_command (IsthmusInvocation *self)
{
  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (self), NULL);

  return self->command;
}

/**
 * isthmus_invocation_get_args:
 * @self: an #IsthmusInvocation
 *
 * Returns: (transfer none): the args (`{}` when none were given)
 */
JsonNode *
isthmus_invocation_get_args (IsthmusInvocation *self)
{
  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (self), NULL);

  return self->args;
}

static JsonNode *
get_member (IsthmusInvocation *self,
            const char        *key)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (self->args))
    return NULL;

  object = json_node_get_object (self->args);

  return json_object_get_member (object, key);
}

/**
 * isthmus_invocation_get_string:
 * @self: an #IsthmusInvocation
 * @key: an args key
 *
 * Returns: (transfer none) (nullable): the string at @key, or %NULL when it
 *   is absent or not a string
 */
const char *
isthmus_invocation_get_string (IsthmusInvocation *self,
                               const char        *key)
{
  JsonNode *node;

  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  node = get_member (self, key);
  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * isthmus_invocation_get_int:
 * @self: an #IsthmusInvocation
 * @key: an args key
 * @default_value: returned when @key is absent or not a number
 *
 * Returns: the integer at @key (a whole double is accepted too)
 */
gint64
isthmus_invocation_get_int (IsthmusInvocation *self,
                            const char        *key,
                            gint64             default_value)
{
  JsonNode *node;
  GType type;

  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (self), default_value);
  g_return_val_if_fail (key != NULL, default_value);

  node = get_member (self, key);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return default_value;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return json_node_get_int (node);
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d >= -9007199254740992.0 && d <= 9007199254740992.0)
        return (gint64)d;
    }

  return default_value;
}

const char *
isthmus_invocation_get_webview_label (IsthmusInvocation *self)
{
  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (self), NULL);

  return self->webview_label;
}

/**
 * isthmus_invocation_get_cancellable:
 * @self: an #IsthmusInvocation
 *
 * Returns: (transfer none): cancelled when the view goes away or the core
 *   shuts down
 */
GCancellable *
isthmus_invocation_get_cancellable (IsthmusInvocation *self)
{
  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (self), NULL);

  return self->cancellable;
}

gboolean
isthmus_invocation_is_answered (IsthmusInvocation *self)
{
  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (self), FALSE);

  return g_atomic_int_get (&self->answered);
}

/**
 * isthmus_invocation_return_value:
 * @self: an #IsthmusInvocation
 * @value: (transfer full) (nullable): the value; %NULL means JSON null
 *
 * Answers with a value. May be called from any thread.
 */
void
isthmus_invocation_return_value (IsthmusInvocation *self,
                                 JsonNode          *value)
{
  g_autoptr(JsonNode) owned = value;

  g_return_if_fail (ISTHMUS_IS_INVOCATION (self));

  if (!claim_answer (self))
    return;

  if (owned == NULL)
    owned = json_node_new (JSON_NODE_NULL);

  deliver (self, TRUE, g_steal_pointer (&owned), NULL);
}

/**
 * isthmus_invocation_return_error_value:
 * @self: an #IsthmusInvocation
 * @value: (transfer full) (nullable): the error value; %NULL means JSON null
 *
 * Answers with a handler's error value, which the page receives unchanged.
 * May be called from any thread.
 */
void
isthmus_invocation_return_error_value (IsthmusInvocation *self,
                                       JsonNode          *value)
{
  g_autoptr(JsonNode) owned = value;

  g_return_if_fail (ISTHMUS_IS_INVOCATION (self));

  if (!claim_answer (self))
    return;

  if (owned == NULL)
    owned = json_node_new (JSON_NODE_NULL);

  deliver (self, FALSE, g_steal_pointer (&owned), NULL);
}

/**
 * isthmus_invocation_return_error_string:
 * @self: an #IsthmusInvocation
 * @message: the error text
 *
 * Answers with a string error value. May be called from any thread.
 */
void
isthmus_invocation_return_error_string (IsthmusInvocation *self,
                                        const char        *message)
{
  JsonNode *node;

  g_return_if_fail (ISTHMUS_IS_INVOCATION (self));
  g_return_if_fail (message != NULL);

  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, message);
  isthmus_invocation_return_error_value (self, node);
}

/**
 * isthmus_invocation_return_gerror:
 * @self: an #IsthmusInvocation
 * @error: a core error (#ISTHMUS_IPC_ERROR)
 *
 * Answers with a core error. May be called from any thread.
 */
void
isthmus_invocation_return_gerror (IsthmusInvocation *self,
                                  const GError      *error)
{
  g_return_if_fail (ISTHMUS_IS_INVOCATION (self));
  g_return_if_fail (error != NULL);

  if (!claim_answer (self))
    return;

  deliver (self, FALSE, error_page_value (error), g_error_copy (error));
}

/**
 * isthmus_invocation_cancel:
 * @self: an #IsthmusInvocation
 * @error: the core error the page receives instead of the handler's answer
 *
 * Cancels the call's #GCancellable and answers with @error at once,
 * unless the answer already left. A handler answer that comes later is
 * dropped silently. Call it on the creating context.
 */
void
isthmus_invocation_cancel (IsthmusInvocation *self,
                           const GError      *error)
{
  g_autoptr(IsthmusInvocation) hold = NULL;
  Answer *answer;

  g_return_if_fail (ISTHMUS_IS_INVOCATION (self));
  g_return_if_fail (error != NULL);

  hold = g_object_ref (self);
  g_atomic_int_set (&self->cancelled_by_core, TRUE);
  g_atomic_int_set (&self->answered, TRUE);
  g_cancellable_cancel (self->cancellable);

  answer = g_new0 (Answer, 1);
  answer->invocation = g_object_ref (self);
  answer->ok = FALSE;
  answer->value = error_page_value (error);
  answer->error = g_error_copy (error);

  deliver_cb (answer);
  answer_free (answer);
}

void
isthmus_invocation_set_note (IsthmusInvocation *self,
                             const char        *note)
{
  g_return_if_fail (ISTHMUS_IS_INVOCATION (self));

  g_free (self->note);
  self->note = g_strdup (note);
}

const char *
isthmus_invocation_get_note (IsthmusInvocation *self)
{
  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (self), NULL);

  return self->note;
}

/* isthmus-channel.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-channel"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "isthmus-channel.h"
#include "isthmus-error.h"
#include "isthmus-isolation.h"

#define HUB_KEY        "isthmus-channel-hub"
#define INV_HUB_KEY    "isthmus-channel-hub"
#define INV_PARENT_KEY "isthmus-channel-parent"
#define INV_BYTES_KEY  "isthmus-raw-body"
#define INV_REPLY_KEY  "isthmus-raw-reply"

typedef struct
{
  IsthmusChannelDeliverFunc  func;
  gpointer                   user_data;
  GDestroyNotify             destroy;
  guint64                    generation;
} Sink;

/* Per core: the pages channels deliver into. Shared by the core and every
 * channel, which may outlive both the invocation and the core. */
typedef struct
{
  /* Borrowed reference (a weak pointer) */
  IsthmusCore *core;

  /* Owned references: label → Sink */
  GHashTable  *sinks;
  guint64      next_generation;
} Hub;

struct _IsthmusChannel
{
  GObject  parent_instance;

  /* Owned references */
  Hub     *hub;
  char    *webview_label;

  guint32  id;
  guint64  generation;
  guint64  parent_id;
  guint64  next_index;
  gboolean closed;
};

G_DEFINE_FINAL_TYPE (IsthmusChannel, isthmus_channel, G_TYPE_OBJECT)

static void
sink_free (gpointer data)
{
  Sink *sink = data;

  if (sink->destroy != NULL)
    sink->destroy (sink->user_data);
  g_free (sink);
}

static void
hub_clear (gpointer data)
{
  Hub *hub = data;

  g_clear_weak_pointer (&hub->core);
  g_clear_pointer (&hub->sinks, g_hash_table_unref);
}

static Hub *
hub_ref (Hub *hub)
{
  return g_atomic_rc_box_acquire (hub);
}

static void
hub_unref (gpointer hub)
{
  g_atomic_rc_box_release_full (hub, hub_clear);
}

static Hub *
get_hub (IsthmusCore *core)
{
  Hub *hub = g_object_get_data (G_OBJECT (core), HUB_KEY);

  if (hub != NULL)
    return hub;

  hub = g_atomic_rc_box_new0 (Hub);
  g_set_weak_pointer (&hub->core, core);
  hub->sinks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, sink_free);
  g_object_set_data_full (G_OBJECT (core), HUB_KEY, hub, hub_unref);

  return hub;
}

void
isthmus_core_add_channel_webview (IsthmusCore               *core,
                                  const char                *webview_label,
                                  IsthmusChannelDeliverFunc  func,
                                  gpointer                   user_data,
                                  GDestroyNotify             destroy)
{
  Hub *hub;
  Sink *sink;

  g_return_if_fail (ISTHMUS_IS_CORE (core));
  g_return_if_fail (webview_label != NULL);

  hub = get_hub (core);
  sink = g_new0 (Sink, 1);
  sink->func = func;
  sink->user_data = user_data;
  sink->destroy = destroy;
  sink->generation = ++hub->next_generation;
  g_hash_table_replace (hub->sinks, g_strdup (webview_label), sink);
}

void
isthmus_core_remove_channel_webview (IsthmusCore *core,
                                     const char  *webview_label)
{
  g_return_if_fail (ISTHMUS_IS_CORE (core));
  g_return_if_fail (webview_label != NULL);

  g_hash_table_remove (get_hub (core)->sinks, webview_label);
}

void
_isthmus_channel_attach_invocation (IsthmusCore       *core,
                                    IsthmusInvocation *invocation,
                                    guint64            parent_id)
{
  g_return_if_fail (ISTHMUS_IS_CORE (core));
  g_return_if_fail (ISTHMUS_IS_INVOCATION (invocation));

  g_object_set_data_full (G_OBJECT (invocation), INV_HUB_KEY,
                          hub_ref (get_hub (core)), hub_unref);
  g_object_set_data_full (G_OBJECT (invocation), INV_PARENT_KEY,
                          g_memdup2 (&parent_id, sizeof parent_id), g_free);
}

static void
isthmus_channel_finalize (GObject *object)
{
  IsthmusChannel *self = (IsthmusChannel *)object;

  isthmus_channel_close (self);

  g_clear_pointer (&self->hub, hub_unref);
  g_clear_pointer (&self->webview_label, g_free);

  G_OBJECT_CLASS (isthmus_channel_parent_class)->finalize (object);
}

static void
isthmus_channel_class_init (IsthmusChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_channel_finalize;
}

static void
isthmus_channel_init (IsthmusChannel *self)
{
}

static gboolean
parse_channel_value (const char *text,
                     guint32    *id)
{
  const char *digits;
  char *end = NULL;
  guint64 value;

  if (text == NULL || !g_str_has_prefix (text, ISTHMUS_CHANNEL_PREFIX))
    return FALSE;

  digits = text + strlen (ISTHMUS_CHANNEL_PREFIX);
  if (!g_ascii_isdigit (digits[0]))
    return FALSE;

  value = g_ascii_strtoull (digits, &end, 10);
  if (end == NULL || *end != '\0' || value > G_MAXUINT32)
    return FALSE;

  *id = (guint32)value;
  return TRUE;
}

/**
 * isthmus_invocation_get_channel:
 * @invocation: an #IsthmusInvocation
 * @key: the args key holding "__CHANNEL__:<id>"
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the channel, bound to the
 *   invocation's webview and record
 */
IsthmusChannel *
isthmus_invocation_get_channel (IsthmusInvocation  *invocation,
                                const char         *key,
                                GError            **error)
{
  IsthmusChannel *self;
  const char *text;
  guint64 *parent;
  Hub *hub;
  guint32 id = 0;

  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (invocation), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  text = isthmus_invocation_get_string (invocation, key);
  if (!parse_channel_value (text, &id))
    {
      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_ARGS,
                   "invalid args `%s` for command `%s`: invalid channel value `%s`, "
                   "expected a string in the `__CHANNEL__:ID` format",
                   key, isthmus_invocation_get_command (invocation),
                   text != NULL ? text : "");
      return NULL;
    }

  hub = g_object_get_data (G_OBJECT (invocation), INV_HUB_KEY);
  if (hub == NULL)
    {
      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_NOT_SUPPORTED,
                   "this invocation did not come from a webview");
      return NULL;
    }

  self = g_object_new (ISTHMUS_TYPE_CHANNEL, NULL);
  self->hub = hub_ref (hub);
  self->webview_label = g_strdup (isthmus_invocation_get_webview_label (invocation));
  self->id = id;
  parent = g_object_get_data (G_OBJECT (invocation), INV_PARENT_KEY);
  self->parent_id = parent != NULL ? *parent : 0;

  /* Bound to the page that is there now. */
  if (self->webview_label != NULL)
    {
      Sink *sink = g_hash_table_lookup (hub->sinks, self->webview_label);

      self->generation = sink != NULL ? sink->generation : 0;
    }

  return self;
}

guint32
isthmus_channel_get_id (IsthmusChannel *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CHANNEL (self), 0);

  return self->id;
}

static Sink *
live_sink (IsthmusChannel *self)
{
  Sink *sink;

  if (self->hub->sinks == NULL || self->webview_label == NULL)
    return NULL;

  sink = g_hash_table_lookup (self->hub->sinks, self->webview_label);
  if (sink == NULL || sink->generation != self->generation || sink->func == NULL)
    return NULL;

  return sink;
}

static void
record (IsthmusChannel *self,
        GBytes         *request,
        const char     *note)
{
  IsthmusCore *core = self->hub->core;
  g_autoptr(IsthmusExchange) exchange = NULL;
  g_autofree char *command = NULL;

  if (core == NULL)
    return;

  exchange = isthmus_exchange_new (_isthmus_core_next_record_id (core),
                                   ISTHMUS_EXCHANGE_CHANNEL,
                                   self->webview_label, request);
  command = g_strdup_printf ("channel %u", self->id);
  isthmus_exchange_set_command (exchange, command);
  isthmus_exchange_set_parent_id (exchange, self->parent_id);
  if (note != NULL)
    isthmus_exchange_set_note (exchange, note);
  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_OK, NULL, NULL, NULL, 0);
  isthmus_recorder_add (isthmus_core_get_recorder (core), exchange);
}

static gboolean
send_common (IsthmusChannel *self,
             const char     *json,
             gsize           json_length,
             GBytes         *raw)
{
  g_autoptr(GBytes) request = NULL;
  g_autofree char *note = NULL;
  Sink *sink;
  guint64 index;

  if (self->closed)
    return FALSE;

  sink = live_sink (self);
  if (sink == NULL)
    return FALSE;

  index = self->next_index++;

  if (raw != NULL)
    {
      g_autofree char *text = g_strdup_printf ("{\"rawBytes\":%" G_GSIZE_FORMAT "}",
                                               g_bytes_get_size (raw));

      note = g_strdup_printf ("#%" G_GUINT64_FORMAT ", raw: %" G_GSIZE_FORMAT " bytes",
                              index, g_bytes_get_size (raw));
      request = g_bytes_new (text, strlen (text));
    }
  else
    {
      note = g_strdup_printf ("#%" G_GUINT64_FORMAT, index);
      request = g_bytes_new (json, json_length);
    }

  sink->func (self->webview_label, self->id, index, FALSE, json, raw, sink->user_data);
  record (self, request, note);

  return TRUE;
}

/**
 * isthmus_channel_send:
 * @self: an #IsthmusChannel
 * @message: (nullable): the message; %NULL sends JSON null
 *
 * Returns: %TRUE if the message left for the page
 */
gboolean
isthmus_channel_send (IsthmusChannel *self,
                      JsonNode       *message)
{
  g_autofree char *json = NULL;
  gsize length = 4;

  g_return_val_if_fail (ISTHMUS_IS_CHANNEL (self), FALSE);

  if (message != NULL)
    json = isthmus_json_to_text (message, &length);
  else
    json = g_strdup ("null");

  return send_common (self, json, length, NULL);
}

gboolean
isthmus_channel_send_bytes (IsthmusChannel *self,
                            GBytes         *bytes)
{
  g_return_val_if_fail (ISTHMUS_IS_CHANNEL (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);

  return send_common (self, NULL, 0, bytes);
}

void
isthmus_channel_close (IsthmusChannel *self)
{
  g_autofree char *note = NULL;
  Sink *sink;

  g_return_if_fail (ISTHMUS_IS_CHANNEL (self));

  if (self->closed)
    return;
  self->closed = TRUE;

  sink = live_sink (self);
  if (sink == NULL)
    return;

  sink->func (self->webview_label, self->id, self->next_index, TRUE, NULL, NULL, sink->user_data);
  note = g_strdup_printf ("end after %" G_GUINT64_FORMAT " messages", self->next_index);
  record (self, NULL, note);
}

/**
 * isthmus_invocation_get_bytes:
 * @invocation: an #IsthmusInvocation
 *
 * Returns: (transfer none) (nullable): the raw body, or %NULL for a JSON
 *   invocation
 */
GBytes *
isthmus_invocation_get_bytes (IsthmusInvocation *invocation)
{
  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (invocation), NULL);

  return g_object_get_data (G_OBJECT (invocation), INV_BYTES_KEY);
}

void
_isthmus_invocation_set_bytes (IsthmusInvocation *invocation,
                               GBytes            *bytes)
{
  g_return_if_fail (ISTHMUS_IS_INVOCATION (invocation));

  g_object_set_data_full (G_OBJECT (invocation), INV_BYTES_KEY,
                          bytes != NULL ? g_bytes_ref (bytes) : NULL,
                          (GDestroyNotify)g_bytes_unref);
}

/**
 * isthmus_invocation_return_bytes:
 * @invocation: an #IsthmusInvocation
 * @bytes: the reply
 *
 * Answers with raw bytes. Call it where the invocation was answered from
 * anyway (any thread), once.
 */
void
isthmus_invocation_return_bytes (IsthmusInvocation *invocation,
                                 GBytes            *bytes)
{
  g_return_if_fail (ISTHMUS_IS_INVOCATION (invocation));
  g_return_if_fail (bytes != NULL);

  if (isthmus_invocation_is_answered (invocation))
    {
      g_critical ("Command “%s” was answered twice; the second answer is ignored",
                  isthmus_invocation_get_command (invocation));
      return;
    }

  g_object_set_data_full (G_OBJECT (invocation), INV_REPLY_KEY,
                          g_bytes_ref (bytes), (GDestroyNotify)g_bytes_unref);
  isthmus_invocation_return_value (invocation, NULL);
}

GBytes *
_isthmus_invocation_peek_raw_reply (IsthmusInvocation *invocation)
{
  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (invocation), NULL);

  return g_object_get_data (G_OBJECT (invocation), INV_REPLY_KEY);
}

JsonNode *
_isthmus_bytes_to_json_array (GBytes *bytes)
{
  JsonArray *array;
  JsonNode *node;
  const guint8 *data;
  gsize size = 0;

  data = g_bytes_get_data (bytes, &size);
  array = json_array_sized_new (size);
  for (gsize i = 0; i < size; i++)
    json_array_add_int_element (array, data[i]);

  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);

  return node;
}

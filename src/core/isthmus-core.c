/* isthmus-core.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-core"

#include "config.h"

#include <string.h>

#include "isthmus-breakpoints.h"
#include "isthmus-channel.h"
#include "isthmus-composer.h"
#include "isthmus-core.h"
#include "isthmus-error.h"
#include "isthmus-event-bus.h"
#include "isthmus-isolation.h"
#include "isthmus-json-text.h"

#define CMD_MAX_BYTES 256
#define DEFAULT_RECORDER_CAPACITY 10000
#define MESSAGE_MAX_BYTES 1024

struct _IsthmusCore
{
  GObject            parent_instance;

  /* Owned references. */
  IsthmusRegistry   *registry;
  IsthmusRecorder   *recorder;
  IsthmusAcl        *acl;
  IsthmusEventBus   *event_bus;
  IsthmusExchange   *last_exchange;

  IsthmusJsonLimits  limits;
  guint64            next_id;

  /* Requests waiting for their handler, oldest first. */
  GQueue             pending;

  /* Flood limits per webview (threat T15): in-flight cap and a token
   * bucket; over them a call is refused at once, never dropped. */
  guint              max_in_flight;
  double             rate_per_second;
  double             rate_burst;
  GHashTable        *buckets;   /* label → Bucket */

  /* Tauri's behaviour for blocked calls, when chosen: no answer until the
   * page goes away (then WEBVIEW_GONE, which the page never sees). */
  gboolean           block_silently;
  GPtrArray         *silent;    /* Request *, owned */
};

typedef struct
{
  double tokens;
  gint64 updated_us;
} Bucket;

G_DEFINE_FINAL_TYPE (IsthmusCore, isthmus_core, G_TYPE_OBJECT)

/* One message on its way through the pipeline. */
typedef struct
{
  /* Borrowed references: the core answers every pending request in its
   * dispose, and an invocation stays alive until its answer left. */
  IsthmusCore       *core;
  IsthmusInvocation *invocation;

  /* Owned references. */
  IsthmusExchange   *exchange;
  char              *webview_label;

  IsthmusReplyFunc   func;
  gpointer           user_data;
  GList              link;
  gint64             arrival_us;
  guint              replied : 1;

  /* A call held at a breakpoint: what it waits with (owned). */
  JsonNode          *held_value;
  GError            *held_error;
  GBytes            *raw_reply;
  guint              held_ok : 1;
  guint              gated : 1;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_clear_object (&request->exchange);
  g_clear_pointer (&request->webview_label, g_free);
  g_clear_pointer (&request->held_value, json_node_unref);
  g_clear_error (&request->held_error);
  g_clear_pointer (&request->raw_reply, g_bytes_unref);
  g_free (request);
}

static JsonNode *
string_node (const char *text)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);

  return node;
}

static char *
cut_text (const char *text,
          gsize       max_bytes)
{
  gsize length = strlen (text);

  if (length <= max_bytes)
    return g_strdup (text);

  length = max_bytes;
  while (length > 0 && ((guchar)text[length] & 0xC0) == 0x80)
    length--;

  return g_strdup_printf ("%.*s…", (int)length, text);
}

/* The single reply path: renders the value once, completes the record,
 * then calls the reply function. */
static void finish_request (Request      *request,
                            gboolean      ok,
                            JsonNode     *value,
                            const GError *error);

static void
answer_held (Request      *request,
             gboolean      ok,
             JsonNode     *value,
             const GError *error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) page_value = NULL;

  request->gated = TRUE;
  if (error != NULL && value == NULL)
    {
      text = isthmus_ipc_error_to_page_value (error);
      page_value = string_node (text);
      value = page_value;
    }
  finish_request (request, ok, value, error);
}

static void
reply_gate_cb (gpointer      call,
               gboolean      proceed,
               gboolean      ok,
               JsonNode     *value,
               const GError *error)
{
  Request *request = call;

  if (proceed)
    finish_request (request, request->held_ok,
                    value != NULL ? value : request->held_value, request->held_error);
  else
    answer_held (request, ok, value, error);
  request_free (request);
}

/* Breakpoints before the reply: the reply waits in a copy of the request,
 * since the original belongs to its invocation. */
static gboolean
hold_reply (Request      *request,
            gboolean      ok,
            JsonNode     *value,
            const GError *error)
{
  IsthmusBreakpoints *breakpoints = _isthmus_breakpoints_peek (request->core);
  Request *held;

  if (request->gated || breakpoints == NULL ||
      !_isthmus_breakpoints_wants (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_REPLY, request->exchange))
    return FALSE;

  held = g_new0 (Request, 1);
  held->core = request->core;
  held->exchange = g_object_ref (request->exchange);
  held->webview_label = g_strdup (request->webview_label);
  held->func = request->func;
  held->user_data = request->user_data;
  held->arrival_us = request->arrival_us;
  held->gated = TRUE;
  held->held_ok = ok;
  held->held_value = value != NULL ? json_node_copy (value) : NULL;
  held->held_error = error != NULL ? g_error_copy (error) : NULL;

  request->replied = TRUE;
  request->func = NULL;
  if (request->link.data != NULL)
    {
      g_queue_unlink (&request->core->pending, &request->link);
      request->link.data = NULL;
    }

  _isthmus_breakpoints_hold (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_REPLY, held->exchange,
                             held->webview_label, value, ok, reply_gate_cb, held);
  return TRUE;
}

static void
finish_request (Request      *request,
                gboolean      ok,
                JsonNode     *value,
                const GError *error)
{
  IsthmusReply reply = { 0 };
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *json = NULL;
  g_autofree char *handler_message = NULL;
  const char *code = NULL;
  const char *message = NULL;
  gsize length;

  g_assert (request != NULL);
  g_assert (!request->replied);

  if (hold_reply (request, ok, value, error))
    return;

  request->replied = TRUE;

  if (request->link.data != NULL)
    {
      g_queue_unlink (&request->core->pending, &request->link);
      request->link.data = NULL;
    }

  /* A handler value JSON cannot express becomes an INTERNAL error, so the
   * page never receives "inf" or "nan". */
  if (value != NULL && !isthmus_json_is_finite (value))
    {
      g_autoptr(GError) bad = NULL;
      g_autofree char *text = NULL;
      g_autoptr(JsonNode) replacement = NULL;

      bad = g_error_new_literal (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INTERNAL,
                                 "the handler answered with a number JSON cannot express");
      text = isthmus_ipc_error_to_page_value (bad);
      replacement = string_node (text);
      request->replied = FALSE;
      finish_request (request, FALSE, replacement, bad);
      return;
    }

  if (value != NULL)
    json = isthmus_json_to_text (value, &length);
  else
    {
      json = g_strdup ("null");
      length = 4;
    }

  if (!ok)
    {
      if (error == NULL)
        {
          code = isthmus_ipc_error_to_code (ISTHMUS_IPC_ERROR_HANDLER_ERROR);
          if (value != NULL && json_node_get_value_type (value) == G_TYPE_STRING)
            message = json_node_get_string (value);
          else
            message = json;
        }
      else if (error->domain == ISTHMUS_IPC_ERROR)
        {
          code = isthmus_ipc_error_to_code (error->code);
          message = error->message;
        }
      else
        {
          code = isthmus_ipc_error_to_code (ISTHMUS_IPC_ERROR_INTERNAL);
          message = error->message;
        }

      /* The record keeps its own copy, cut to a readable length. */
      handler_message = cut_text (message, MESSAGE_MAX_BYTES);
      message = handler_message;
    }

  /* The record and the reply share one text. */
  bytes = g_bytes_new_take (g_steal_pointer (&json), length);

  isthmus_exchange_complete (request->exchange,
                             ok ? ISTHMUS_EXCHANGE_OK : ISTHMUS_EXCHANGE_ERROR,
                             code,
                             message,
                             bytes,
                             g_get_monotonic_time () - request->arrival_us);

  reply.ok = ok;
  reply.json = g_bytes_get_data (bytes, NULL);
  reply.json_length = length;
  reply.code = code;
  reply.message = message;
  reply.raw = ok ? request->raw_reply : NULL;

  if (request->func != NULL)
    request->func (&reply, request->user_data);
}

static void
finish_with_error (Request      *request,
                   const GError *error)
{
  g_autofree char *text = isthmus_ipc_error_to_page_value (error);
  g_autoptr(JsonNode) value = string_node (text);

  finish_request (request, FALSE, value, error);
}

static void
invocation_reply_cb (IsthmusInvocation *invocation,
                     gboolean           ok,
                     JsonNode          *value,
                     const GError      *error,
                     gpointer           user_data)
{
  Request *request = user_data;
  g_autoptr(JsonNode) bytes_value = NULL;

  if (isthmus_invocation_get_note (invocation) != NULL)
    isthmus_exchange_set_note (request->exchange, isthmus_invocation_get_note (invocation));

  /* Raw replies go to the web layer as bytes, and to the record (and any
   * transport that carries JSON only) as arrays of byte values. A reply
   * held at a breakpoint is JSON from there on. */
  if (ok && _isthmus_invocation_peek_raw_reply (invocation) != NULL)
    {
      GBytes *raw = _isthmus_invocation_peek_raw_reply (invocation);

      value = bytes_value = _isthmus_bytes_to_json_array (raw);
      g_clear_pointer (&request->raw_reply, g_bytes_unref);
      request->raw_reply = g_bytes_ref (raw);
    }

  request->invocation = NULL;
  finish_request (request, ok, value, error);
}

/* Answers the silently blocked calls of @webview_label (NULL: all). */
static void
answer_silent (IsthmusCore  *self,
               const char   *webview_label,
               const GError *error)
{
  for (guint i = self->silent->len; i > 0; i--)
    {
      Request *request = g_ptr_array_index (self->silent, i - 1);

      if (webview_label != NULL && g_strcmp0 (request->webview_label, webview_label) != 0)
        continue;

      g_ptr_array_remove_index (self->silent, i - 1);
      finish_with_error (request, error);
      request_free (request);
    }
}

static void
isthmus_core_dispose (GObject *object)
{
  IsthmusCore *self = (IsthmusCore *)object;
  g_autoptr(GError) error = NULL;

  error = g_error_new_literal (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_CANCELLED,
                               "the IPC core shut down");

  if (_isthmus_breakpoints_peek (self) != NULL)
    _isthmus_breakpoints_release (_isthmus_breakpoints_peek (self), NULL, error);

  while (self->pending.head != NULL)
    {
      Request *request = self->pending.head->data;

      isthmus_invocation_cancel (request->invocation, error);
    }

  if (self->silent != NULL)
    {
      answer_silent (self, NULL, error);
      g_clear_pointer (&self->silent, g_ptr_array_unref);
    }

  g_clear_object (&self->registry);
  g_clear_object (&self->recorder);
  g_clear_object (&self->acl);
  g_clear_object (&self->event_bus);
  g_clear_object (&self->last_exchange);
  g_clear_pointer (&self->buckets, g_hash_table_unref);

  G_OBJECT_CLASS (isthmus_core_parent_class)->dispose (object);
}

static void
isthmus_core_class_init (IsthmusCoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = isthmus_core_dispose;
}

static void
isthmus_core_init (IsthmusCore *self)
{
  self->registry = isthmus_registry_new ();
  self->recorder = isthmus_recorder_new (DEFAULT_RECORDER_CAPACITY);
  self->acl = isthmus_acl_new ();
  self->event_bus = isthmus_event_bus_new ();
  isthmus_event_bus_register_commands (self->event_bus, self->registry);
  self->limits.max_bytes = ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES;
  self->limits.max_depth = ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH;
  self->max_in_flight = ISTHMUS_CORE_DEFAULT_MAX_IN_FLIGHT;
  self->rate_per_second = ISTHMUS_CORE_DEFAULT_RATE;
  self->rate_burst = ISTHMUS_CORE_DEFAULT_BURST;
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->silent = g_ptr_array_new ();
  g_queue_init (&self->pending);
}

/**
 * isthmus_core_new:
 *
 * Returns: (transfer full): a core with an empty registry and a recorder
 */
IsthmusCore *
isthmus_core_new (void)
{
  return g_object_new (ISTHMUS_TYPE_CORE, NULL);
}

/**
 * isthmus_core_get_registry:
 * @self: an #IsthmusCore
 *
 * Returns: (transfer none): the command registry
 */
IsthmusRegistry *
isthmus_core_get_registry (IsthmusCore *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);

  return self->registry;
}

/**
 * isthmus_core_get_acl:
 * @self: an #IsthmusCore
 *
 * Returns: (transfer none): the capability ACL (inactive until a
 *   capability is loaded)
 */
IsthmusAcl *
isthmus_core_get_acl (IsthmusCore *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);

  return self->acl;
}

/**
 * isthmus_core_get_event_bus:
 * @self: an #IsthmusCore
 *
 * Returns: (transfer none): the event bus, whose plugin:event commands are
 *   registered on the core's registry
 */
IsthmusEventBus *
isthmus_core_get_event_bus (IsthmusCore *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);

  return self->event_bus;
}

/**
 * isthmus_core_get_recorder:
 * @self: an #IsthmusCore
 *
 * Returns: (transfer none): the traffic recorder
 */
IsthmusRecorder *
isthmus_core_get_recorder (IsthmusCore *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);

  return self->recorder;
}

void
isthmus_core_set_limits (IsthmusCore             *self,
                         const IsthmusJsonLimits *limits)
{
  g_return_if_fail (ISTHMUS_IS_CORE (self));
  g_return_if_fail (limits != NULL);

  self->limits = *limits;
}

const IsthmusJsonLimits *
isthmus_core_get_limits (IsthmusCore *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);

  return &self->limits;
}

static gboolean
is_number (JsonNode *node)
{
  GType type;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);

  return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* Checks the shape of Tauri's `{cmd, callback, error, payload, options}`
 * and returns the command (borrowed from @root) and the payload. */
static gboolean
check_shape (JsonNode    *root,
             const char **cmd_out,
             JsonNode   **payload_out,
             GError     **error)
{
  JsonObject *object;
  JsonNode *cmd;
  JsonNode *id;
  const char *text;
  static const char * const id_keys[] = { "callback", "error" };

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                           "the message is not a JSON object");
      return FALSE;
    }

  object = json_node_get_object (root);
  cmd = json_object_get_member (object, "cmd");

  if (cmd == NULL)
    {
      g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                           "the message has no \"cmd\"");
      return FALSE;
    }

  if (json_node_get_value_type (cmd) != G_TYPE_STRING)
    {
      g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                           "\"cmd\" is not a string");
      return FALSE;
    }

  text = json_node_get_string (cmd);
  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                           "\"cmd\" is empty");
      return FALSE;
    }

  if (strlen (text) > CMD_MAX_BYTES)
    {
      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                   "\"cmd\" is longer than %d bytes", CMD_MAX_BYTES);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (id_keys); i++)
    {
      id = json_object_get_member (object, id_keys[i]);
      if (id != NULL && !is_number (id))
        {
          g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                       "\"%s\" is not a number", id_keys[i]);
          return FALSE;
        }
    }

  *cmd_out = text;
  *payload_out = json_object_get_member (object, "payload");

  return TRUE;
}

/* Capabilities, after decryption and before argument checks. Identity is
 * the core's own label of the view, never a value from the message.
 * Answers and returns FALSE when the call is denied. */
static gboolean
check_acl (Request *request)
{
  const char *cmd = isthmus_exchange_get_command (request->exchange);
  g_autoptr(IsthmusAclVerdict) verdict = isthmus_acl_check (request->core->acl, cmd,
                                                             request->webview_label,
                                                             request->webview_label, NULL);

  isthmus_exchange_set_acl_verdict (request->exchange, verdict);
  if (!isthmus_acl_verdict_get_allowed (verdict))
    {
      g_autoptr(GError) denied = isthmus_acl_verdict_dup_error (verdict);

      finish_with_error (request, denied);
      return FALSE;
    }

  return TRUE;
}

/* Hands @request to the invocation, which owns it from now on. */
static void
start_handler (Request  *request,
               JsonNode *payload)
{
  IsthmusCore *self = request->core;
  g_autoptr(IsthmusInvocation) invocation = NULL;

  invocation = isthmus_invocation_new (isthmus_exchange_get_command (request->exchange),
                                       payload, request->webview_label,
                                       invocation_reply_cb, request, request_free);
  request->invocation = invocation;
  _isthmus_channel_attach_invocation (self, invocation, isthmus_exchange_get_id (request->exchange));
  request->link.data = request;
  g_queue_push_tail_link (&self->pending, &request->link);

  isthmus_registry_dispatch (self->registry, invocation);
}

static void pass_gates (Request               *request,
                        IsthmusBreakpointGate  gate,
                        JsonNode              *payload);

static void
call_gate_cb (gpointer      call,
              gboolean      proceed,
              gboolean      ok,
              JsonNode     *value,
              const GError *error)
{
  Request *request = call;
  g_autoptr(JsonNode) payload = g_steal_pointer (&request->held_value);

  if (!proceed)
    {
      answer_held (request, ok, value, error);
      request_free (request);
      return;
    }

  if (request->held_ok)
    pass_gates (request, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, value != NULL ? value : payload);
  else
    start_handler (request, value != NULL ? value : payload);
}

/* The gates from @gate on, then the handler: the capability check follows
 * the gate before the hook, the handler the one before the handler. A call
 * held at a gate waits with its payload; held_ok says which gate. */
static void
pass_gates (Request               *request,
            IsthmusBreakpointGate  gate,
            JsonNode              *payload)
{
  IsthmusBreakpoints *breakpoints = _isthmus_breakpoints_peek (request->core);

  if (gate == ISTHMUS_BREAKPOINT_BEFORE_HOOK && breakpoints != NULL &&
      _isthmus_breakpoints_wants (breakpoints, gate, request->exchange))
    {
      request->held_ok = TRUE;
      request->held_value = payload != NULL ? json_node_copy (payload) : NULL;
      _isthmus_breakpoints_hold (breakpoints, gate, request->exchange, request->webview_label,
                                 payload, TRUE, call_gate_cb, request);
      return;
    }

  if (!check_acl (request))
    {
      request_free (request);
      return;
    }

  if (breakpoints != NULL &&
      _isthmus_breakpoints_wants (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, request->exchange))
    {
      request->held_ok = FALSE;
      request->held_value = payload != NULL ? json_node_copy (payload) : NULL;
      _isthmus_breakpoints_hold (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, request->exchange,
                                 request->webview_label, payload, TRUE, call_gate_cb, request);
      return;
    }

  start_handler (request, payload);
}

static gboolean hold_blocked (IsthmusCore     *self,
                              Request         *request,
                              IsthmusExchange *exchange,
                              const GError    *error);

/* Refuses a call from @webview_label when it has max_in_flight calls
 * waiting for their handlers, or when its token bucket is empty. */
static gboolean
check_rate (IsthmusCore  *self,
            const char   *webview_label,
            gint64        now_us,
            GError      **error)
{
  const char *label = webview_label != NULL ? webview_label : "";
  Bucket *bucket;
  guint in_flight = 0;

  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      Request *pending = l->data;

      if (g_strcmp0 (pending->webview_label, label) == 0)
        in_flight++;
    }

  if (self->max_in_flight > 0 && in_flight >= self->max_in_flight)
    {
      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_RATE_LIMITED,
                   "RATE_LIMITED: %u calls of this window are still waiting for an answer", in_flight);
      return FALSE;
    }

  if (self->rate_per_second <= 0)
    return TRUE;

  bucket = g_hash_table_lookup (self->buckets, label);
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->rate_burst;
      bucket->updated_us = now_us;
      g_hash_table_insert (self->buckets, g_strdup (label), bucket);
    }

  bucket->tokens = MIN (self->rate_burst,
                        bucket->tokens + (now_us - bucket->updated_us) * self->rate_per_second / G_USEC_PER_SEC);
  bucket->updated_us = now_us;

  if (bucket->tokens < 1.0)
    {
      guint retry_ms = (guint)((1.0 - bucket->tokens) * 1000.0 / self->rate_per_second) + 1;

      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_RATE_LIMITED,
                   "RATE_LIMITED: more than %.0f calls a second from this window; retry after %u ms",
                   self->rate_per_second, retry_ms);
      return FALSE;
    }

  bucket->tokens -= 1.0;
  return TRUE;
}

/**
 * isthmus_core_set_rate_limits:
 * @self: an #IsthmusCore
 * @max_in_flight: calls of one webview that may wait for their handler at
 *   once (0: no cap)
 * @per_second: sustained calls a second per webview (0: no bucket)
 * @burst: calls a webview may make at once before the rate applies
 *
 * Sets the flood limits (defaults: 1024 in flight, 5,000/s, 20,000 burst).
 */
void
isthmus_core_set_rate_limits (IsthmusCore *self,
                              guint        max_in_flight,
                              double       per_second,
                              double       burst)
{
  g_return_if_fail (ISTHMUS_IS_CORE (self));

  self->max_in_flight = max_in_flight;
  self->rate_per_second = MAX (per_second, 0.0);
  self->rate_burst = MAX (burst, 1.0);
  g_hash_table_remove_all (self->buckets);
}

/**
 * isthmus_core_handle_message:
 * @self: an #IsthmusCore
 * @webview_label: the core's own label of the sending view
 * @message: the text the bridge posted
 * @func: called exactly once with the reply, possibly before this returns
 * @user_data: data for @func
 *
 * Runs one invoke message through the pipeline: size and encoding guard,
 * depth guard, parse, shape check, schema, handler.
 *
 * Returns: (transfer none): the exchange recording it, valid at least
 *   until the next message
 */
IsthmusExchange *
isthmus_core_handle_message (IsthmusCore      *self,
                             const char       *webview_label,
                             GBytes           *message,
                             IsthmusReplyFunc  func,
                             gpointer          user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(IsthmusExchange) exchange = NULL;
  Request *request;
  const char *data;
  const char *cmd = NULL;
  JsonNode *payload = NULL;
  gsize length;
  IsthmusIsolation *isolation;
  IsthmusIsolationFrame frame = { 0 };
  g_autoptr(GBytes) hooked = NULL;

  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);
  g_return_val_if_fail (message != NULL, NULL);

  /* Isolation: the record keeps the envelope as the request. */
  isolation = _isthmus_composer_is_direct (self) ? NULL : _isthmus_isolation_peek (self);
  if (isolation != NULL)
    {
      _isthmus_isolation_frame_parse (message, &frame);
      message = frame.envelope;
    }

  request = g_new0 (Request, 1);
  request->arrival_us = g_get_monotonic_time ();
  request->core = self;
  request->func = func;
  request->user_data = user_data;
  request->webview_label = g_strdup (webview_label);

  exchange = isthmus_exchange_new (++self->next_id, ISTHMUS_EXCHANGE_INVOKE,
                                   webview_label, message);
  request->exchange = g_object_ref (exchange);
  /* Keeps the returned record alive until the next message, even when the
   * recorder is paused and the reply left already. */
  g_set_object (&self->last_exchange, exchange);
  isthmus_recorder_add (self->recorder, exchange);

  if (!check_rate (self, webview_label, request->arrival_us, &error))
    {
      _isthmus_isolation_frame_clear (&frame);
      finish_with_error (request, error);
      request_free (request);
      return exchange;
    }

  /* Isolation: only an authentic envelope whose hook let the call pass
   * goes on, as the hooked message, exactly like brownfield. */
  if (isolation != NULL)
    {
      hooked = _isthmus_isolation_open (isolation, webview_label, &frame, exchange, &error);
      _isthmus_isolation_frame_clear (&frame);
      if (hooked == NULL && hold_blocked (self, request, exchange, error))
        return exchange;
      if (hooked == NULL)
        {
          finish_with_error (request, error);
          request_free (request);
          return exchange;
        }
      message = hooked;
    }

  data = g_bytes_get_data (message, &length);
  if (data == NULL)
    data = "";

  /* The guard first (size, encoding, depth), then one strict parse. */
  root = isthmus_json_read (data, length, &self->limits, &error);
  if (root == NULL)
    {
      finish_with_error (request, error);
      request_free (request);
      return exchange;
    }

  if (!check_shape (root, &cmd, &payload, &error))
    {
      finish_with_error (request, error);
      request_free (request);
      return exchange;
    }

  isthmus_exchange_set_command (exchange, cmd);
  _isthmus_composer_mark (self, webview_label, root, exchange);

  pass_gates (request, isolation != NULL ? ISTHMUS_BREAKPOINT_BEFORE_HOOK :
                                           ISTHMUS_BREAKPOINT_BEFORE_HANDLER,
              payload);

  return exchange;
}

/**
 * isthmus_core_cancel_webview:
 * @self: an #IsthmusCore
 * @webview_label: the view that went away
 *
 * Cancels the pending invocations of @webview_label and answers each at
 * once with WEBVIEW_GONE. Their handlers' later answers are dropped.
 */
void
isthmus_core_cancel_webview (IsthmusCore *self,
                             const char  *webview_label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) doomed = NULL;

  g_return_if_fail (ISTHMUS_IS_CORE (self));

  error = g_error_new_literal (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_WEBVIEW_GONE,
                               "the webview went away");
  doomed = g_ptr_array_new_with_free_func (g_object_unref);

  /* Calls held at a breakpoint are answered too: never a hang. */
  if (_isthmus_breakpoints_peek (self) != NULL)
    _isthmus_breakpoints_release (_isthmus_breakpoints_peek (self), webview_label, error);

  /* Collect first: answering unlinks requests from the queue. */
  for (GList *l = self->pending.head; l != NULL; l = l->next)
    {
      Request *request = l->data;

      if (g_strcmp0 (request->webview_label, webview_label) == 0)
        g_ptr_array_add (doomed, g_object_ref (request->invocation));
    }

  for (guint i = 0; i < doomed->len; i++)
    isthmus_invocation_cancel (g_ptr_array_index (doomed, i), error);

  answer_silent (self, webview_label, error);
}

/**
 * isthmus_core_set_block_silently:
 * @self: an #IsthmusCore
 * @silently: %TRUE for Tauri's behaviour
 *
 * By default a call the isolation hook blocks is rejected at once with
 * ISOLATION_BLOCKED. With @silently, it is recorded as blocked but not
 * answered, as in Tauri (the page's promise stays pending), until its page
 * goes away. At most the in-flight limit of such calls are kept per
 * webview; beyond that they are answered as usual.
 */
void
isthmus_core_set_block_silently (IsthmusCore *self,
                                 gboolean     silently)
{
  g_return_if_fail (ISTHMUS_IS_CORE (self));

  self->block_silently = !!silently;
}

static gboolean
hold_blocked (IsthmusCore     *self,
              Request         *request,
              IsthmusExchange *exchange,
              const GError    *error)
{
  guint held = 0;

  if (!self->block_silently ||
      !g_error_matches (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_BLOCKED))
    return FALSE;

  for (guint i = 0; i < self->silent->len; i++)
    {
      Request *other = g_ptr_array_index (self->silent, i);

      if (g_strcmp0 (other->webview_label, request->webview_label) == 0)
        held++;
    }
  if (self->max_in_flight > 0 && held >= self->max_in_flight)
    return FALSE;

  isthmus_exchange_set_note (exchange, "blocked and not answered, as in Tauri");
  g_ptr_array_add (self->silent, request);
  return TRUE;
}

guint
isthmus_core_get_n_pending (IsthmusCore *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CORE (self), 0);

  return self->pending.length;
}

/* Numbers a record made outside the invoke pipeline (declared in
 * isthmus-isolation.h). */
guint64
_isthmus_core_next_record_id (IsthmusCore *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CORE (self), 0);

  return ++self->next_id;
}

/**
 * isthmus_core_record_lifecycle:
 * @self: an #IsthmusCore
 * @window_label: (nullable): the window it concerns, or %NULL for the app
 * @what: a short name, e.g. "capabilities"
 * @text: what happened, shown as plain text
 * @is_error: whether the record shows as an error
 *
 * Adds a lifecycle record (a load, a reload, a configuration problem) to
 * the traffic list, so that what the user must know is seen where they
 * look.
 *
 * Returns: (transfer none): the record
 */
IsthmusExchange *
isthmus_core_record_lifecycle (IsthmusCore *self,
                               const char  *window_label,
                               const char  *what,
                               const char  *text,
                               gboolean     is_error)
{
  g_autoptr(IsthmusExchange) exchange = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autofree char *valid = NULL;

  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);
  g_return_val_if_fail (what != NULL, NULL);

  valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  request = g_bytes_new (valid, strlen (valid));
  exchange = isthmus_exchange_new (++self->next_id, ISTHMUS_EXCHANGE_LIFECYCLE,
                                   window_label != NULL ? window_label : "", request);
  isthmus_exchange_set_command (exchange, what);
  isthmus_recorder_add (self->recorder, exchange);
  isthmus_exchange_complete (exchange,
                             is_error ? ISTHMUS_EXCHANGE_ERROR : ISTHMUS_EXCHANGE_OK,
                             is_error ? "CONFIG_ERROR" : NULL,
                             is_error ? valid : NULL,
                             NULL, 0);
  g_set_object (&self->last_exchange, exchange);

  return exchange;
}

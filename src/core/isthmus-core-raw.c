/* isthmus-core-raw.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-core-raw"

#include "config.h"

#include <string.h>

#include "isthmus-channel.h"
#include "isthmus-core-raw.h"
#include "isthmus-error.h"
#include "isthmus-isolation.h"

/* One raw invocation on its way through the pipeline. */
typedef struct
{
  /* Owned references */
  IsthmusExchange     *exchange;

  IsthmusRawReplyFunc  func;
  gpointer             user_data;
  gint64               arrival_us;
} RawRequest;

static void
raw_request_free (gpointer data)
{
  RawRequest *request = data;

  g_clear_object (&request->exchange);
  g_free (request);
}

static GBytes *
size_text (const char *cmd,
           gsize       size)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  char *text;

  json_builder_begin_object (builder);
  if (cmd != NULL)
    {
      json_builder_set_member_name (builder, "cmd");
      json_builder_add_string_value (builder, cmd);
    }
  json_builder_set_member_name (builder, "rawBytes");
  json_builder_add_int_value (builder, (gint64)size);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  return g_bytes_new_take (text, strlen (text));
}

/* Completes the record and answers, once. */
static void
finish (RawRequest   *request,
        gboolean      ok,
        JsonNode     *value,
        GBytes       *raw,
        const GError *error)
{
  IsthmusRawReply reply = { 0 };
  g_autoptr(GBytes) recorded = NULL;
  g_autofree char *json = NULL;
  g_autofree char *page_text = NULL;
  const char *code = NULL;
  const char *message = NULL;
  gsize length = 0;

  if (ok && raw != NULL)
    {
      g_autofree char *note = NULL;
      const char *before = isthmus_exchange_get_note (request->exchange);

      recorded = size_text (NULL, g_bytes_get_size (raw));
      note = g_strdup_printf ("%s; raw reply: %" G_GSIZE_FORMAT " bytes",
                              before != NULL ? before : "", g_bytes_get_size (raw));
      isthmus_exchange_set_note (request->exchange, note);
    }
  else
    {
      g_autoptr(JsonNode) replacement = NULL;

      if (value == NULL && error != NULL)
        {
          page_text = isthmus_ipc_error_to_page_value (error);
          replacement = json_node_init_string (json_node_alloc (), page_text);
          value = replacement;
        }

      if (value != NULL && !isthmus_json_is_finite (value))
        {
          ok = FALSE;
          code = isthmus_ipc_error_to_code (ISTHMUS_IPC_ERROR_INTERNAL);
          message = "the handler answered with a number JSON cannot express";
          json = g_strdup ("\"INTERNAL: the handler answered with a number JSON cannot express\"");
          length = strlen (json);
        }
      else if (value != NULL)
        json = isthmus_json_to_text (value, &length);
      else
        {
          json = g_strdup ("null");
          length = 4;
        }

      if (!ok && code == NULL)
        {
          if (error == NULL)
            {
              code = isthmus_ipc_error_to_code (ISTHMUS_IPC_ERROR_HANDLER_ERROR);
              message = value != NULL && json_node_get_value_type (value) == G_TYPE_STRING ?
                        json_node_get_string (value) : json;
            }
          else
            {
              code = isthmus_ipc_error_to_code (error->domain == ISTHMUS_IPC_ERROR ?
                                                error->code : ISTHMUS_IPC_ERROR_INTERNAL);
              message = error->message;
            }
        }

      recorded = g_bytes_new (json, length);
    }

  isthmus_exchange_complete (request->exchange,
                             ok ? ISTHMUS_EXCHANGE_OK : ISTHMUS_EXCHANGE_ERROR,
                             code, message, recorded,
                             g_get_monotonic_time () - request->arrival_us);

  reply.ok = ok;
  reply.json = json;
  reply.json_length = length;
  reply.bytes = ok ? raw : NULL;
  reply.code = code;
  reply.message = message;

  if (request->func != NULL)
    request->func (&reply, request->user_data);
}

static void
invocation_reply_cb (IsthmusInvocation *invocation,
                     gboolean           ok,
                     JsonNode          *value,
                     const GError      *error,
                     gpointer           user_data)
{
  RawRequest *request = user_data;
  GBytes *raw = ok ? _isthmus_invocation_peek_raw_reply (invocation) : NULL;

  if (isthmus_invocation_get_note (invocation) != NULL)
    {
      g_autofree char *note = NULL;

      note = g_strdup_printf ("%s; %s", isthmus_exchange_get_note (request->exchange),
                              isthmus_invocation_get_note (invocation));
      isthmus_exchange_set_note (request->exchange, note);
    }

  finish (request, ok, value, raw, error);
}

/**
 * isthmus_core_handle_raw:
 * @self: an #IsthmusCore
 * @webview_label: the core's own label of the sending view
 * @cmd: the command
 * @body: the raw args
 * @func: called exactly once with the reply, possibly before this returns
 * @user_data: data for @func
 *
 * Returns: (transfer none): the record, valid at least while the recorder
 *   keeps it
 */
IsthmusExchange *
isthmus_core_handle_raw (IsthmusCore         *self,
                         const char          *webview_label,
                         const char          *cmd,
                         GBytes              *body,
                         IsthmusRawReplyFunc  func,
                         gpointer             user_data)
{
  g_autoptr(IsthmusInvocation) invocation = NULL;
  g_autoptr(GBytes) request_text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  const IsthmusJsonLimits *limits;
  IsthmusExchange *exchange;
  RawRequest *request;
  gsize size;

  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);
  g_return_val_if_fail (cmd != NULL, NULL);
  g_return_val_if_fail (body != NULL, NULL);

  size = g_bytes_get_size (body);
  request_text = size_text (cmd, size);

  request = g_new0 (RawRequest, 1);
  request->arrival_us = g_get_monotonic_time ();
  request->func = func;
  request->user_data = user_data;
  request->exchange = isthmus_exchange_new (_isthmus_core_next_record_id (self),
                                            ISTHMUS_EXCHANGE_INVOKE,
                                            webview_label, request_text);
  exchange = request->exchange;
  note = g_strdup_printf ("raw: %" G_GSIZE_FORMAT " bytes", size);
  isthmus_exchange_set_note (exchange, note);
  isthmus_recorder_add (isthmus_core_get_recorder (self), exchange);

  if (*cmd == '\0' || !g_utf8_validate (cmd, -1, NULL))
    {
      error = g_error_new_literal (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                                   "\"cmd\" is empty or not UTF-8");
      finish (request, FALSE, NULL, NULL, error);
      raw_request_free (request);
      return exchange;
    }

  isthmus_exchange_set_command (exchange, cmd);

  limits = isthmus_core_get_limits (self);
  if (limits != NULL && limits->max_bytes > 0 && size > limits->max_bytes)
    {
      error = g_error_new (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE,
                           "message exceeds the limit of %" G_GSIZE_FORMAT " bytes",
                           (gsize)limits->max_bytes);
      finish (request, FALSE, NULL, NULL, error);
      raw_request_free (request);
      return exchange;
    }

  {
    g_autoptr(IsthmusAclVerdict) verdict = isthmus_acl_check (isthmus_core_get_acl (self), cmd,
                                                               webview_label, webview_label, NULL);

    isthmus_exchange_set_acl_verdict (exchange, verdict);
    if (!isthmus_acl_verdict_get_allowed (verdict))
      {
        g_autoptr(GError) denied = isthmus_acl_verdict_dup_error (verdict);

        finish (request, FALSE, NULL, NULL, denied);
        raw_request_free (request);
        return exchange;
      }
  }

  invocation = isthmus_invocation_new (cmd, NULL, webview_label,
                                       invocation_reply_cb, request, raw_request_free);
  _isthmus_invocation_set_bytes (invocation, body);
  _isthmus_channel_attach_invocation (self, invocation, isthmus_exchange_get_id (exchange));

  isthmus_registry_dispatch (isthmus_core_get_registry (self), invocation);

  return exchange;
}

/**
 * isthmus_core_emit:
 * @self: an #IsthmusCore
 * @target: (nullable): the target; %NULL reaches every listener
 * @event: the event name
 * @payload: (nullable): the payload; %NULL is JSON null
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the event was valid and delivered to every matching
 *   listener
 */
gboolean
isthmus_core_emit (IsthmusCore               *self,
                   const IsthmusEventTarget  *target,
                   const char                *event,
                   JsonNode                  *payload,
                   GError                   **error)
{
  g_autoptr(IsthmusExchange) exchange = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autofree char *reached = NULL;
  g_autofree char *json = NULL;
  g_autofree char *target_text = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 start = g_get_monotonic_time ();
  gsize length = 4;
  gboolean ok;

  g_return_val_if_fail (ISTHMUS_IS_CORE (self), FALSE);

  json = payload != NULL ? isthmus_json_to_text (payload, &length) : g_strdup ("null");
  request = g_bytes_new (json, length);

  exchange = isthmus_exchange_new (_isthmus_core_next_record_id (self),
                                   ISTHMUS_EXCHANGE_EMIT, NULL, request);
  isthmus_exchange_set_command (exchange, event);
  isthmus_recorder_add (isthmus_core_get_recorder (self), exchange);

  ok = isthmus_event_bus_emit (isthmus_core_get_event_bus (self), target, event, payload,
                               &reached, &local_error);

  target_text = target != NULL ? isthmus_event_target_to_string (target) : g_strdup ("all");
  note = g_strdup_printf ("to %s: %s", target_text, ok ? reached : "not sent");
  isthmus_exchange_set_note (exchange, note);

  if (!ok)
    {
      isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_ERROR,
                                 isthmus_ipc_error_to_code (local_error->code),
                                 local_error->message, NULL,
                                 g_get_monotonic_time () - start);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_OK, NULL, NULL, NULL,
                             g_get_monotonic_time () - start);

  return TRUE;
}

/* isthmus-exchange.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-exchange"

#include "config.h"

#include <math.h>
#include <string.h>

#include "isthmus-exchange.h"
#include "isthmus-json-guard.h"

#define SUMMARY_MAX_BYTES 200

/* Embedding a request or a reply as JSON in a record needs a parse; texts
 * nested deeper than this are kept as strings instead. */
#define EMBED_MAX_DEPTH 512

struct _IsthmusExchange
{
  GObject               parent_instance;

  guint64               id;
  IsthmusExchangeKind   kind;
  IsthmusExchangeStatus status;
  char                 *window_label;
  char                 *command;
  char                 *error_code;
  char                 *error_message;
  GBytes               *request;
  GBytes               *reply;
  char                 *summary;
  char                 *note;
  IsthmusAclVerdict    *acl_verdict;
  char                 *acl_text;
  IsthmusExchangeIsolation *isolation;
  gint64                duration_us;
  gint64                wall_time_us;
  gint64                mono_time_us;
  guint64               parent_id;
  /* Set by isthmus_exchange_new_from_json(): the sizes as recorded. */
  gboolean              sizes_restored;
  guint64               restored_request_size;
  guint64               restored_reply_size;
  /* What the recorder holding it counted it for, plus one; 0 outside. */
  guint64               ring_bytes;
};

G_DEFINE_FINAL_TYPE (IsthmusExchange, isthmus_exchange, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_KIND_NAME,
  PROP_WINDOW_LABEL,
  PROP_COMMAND,
  PROP_STATUS,
  PROP_STATUS_TEXT,
  PROP_ERROR_CODE,
  PROP_REQUEST_SIZE,
  PROP_REPLY_SIZE,
  PROP_DURATION_US,
  PROP_WALL_TIME_US,
  PROP_MONO_TIME_US,
  PROP_SUMMARY,
  PROP_NOTE,
  PROP_ACL_TEXT,
  PROP_ISOLATION_VERDICT,
  PROP_PARENT_ID,
  N_PROPS
};

enum {
  COMPLETED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static const char * const kind_names[] = {
  [ISTHMUS_EXCHANGE_INVOKE] = "invoke",
  [ISTHMUS_EXCHANGE_EMIT] = "emit",
  [ISTHMUS_EXCHANGE_EVENT] = "event",
  [ISTHMUS_EXCHANGE_CHANNEL] = "channel",
  [ISTHMUS_EXCHANGE_LIFECYCLE] = "lifecycle",
};

static void
isolation_free (IsthmusExchangeIsolation *info)
{
  g_free ((char *)info->verdict);
  g_free ((char *)info->reason);
  g_clear_pointer (&info->original, g_bytes_unref);
  g_clear_pointer (&info->hooked, g_bytes_unref);
  g_clear_pointer (&info->decrypted, g_bytes_unref);
  g_strfreev ((char **)info->reads);
  g_strfreev ((char **)info->lint);
  g_free ((char *)info->key_fingerprint);
  g_free (info);
}

static void
isthmus_exchange_finalize (GObject *object)
{
  IsthmusExchange *self = (IsthmusExchange *)object;

  g_clear_pointer (&self->window_label, g_free);
  g_clear_pointer (&self->command, g_free);
  g_clear_pointer (&self->error_code, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->request, g_bytes_unref);
  g_clear_pointer (&self->reply, g_bytes_unref);
  g_clear_pointer (&self->summary, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_object (&self->acl_verdict);
  g_clear_pointer (&self->acl_text, g_free);
  g_clear_pointer (&self->isolation, isolation_free);

  G_OBJECT_CLASS (isthmus_exchange_parent_class)->finalize (object);
}

static void
isthmus_exchange_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  IsthmusExchange *self = ISTHMUS_EXCHANGE (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_uint64 (value, self->id);
      break;

    case PROP_PARENT_ID:
      g_value_set_uint64 (value, self->parent_id);
      break;

    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;

    case PROP_KIND_NAME:
      g_value_set_string (value, isthmus_exchange_get_kind_name (self));
      break;

    case PROP_WINDOW_LABEL:
      g_value_set_string (value, self->window_label);
      break;

    case PROP_COMMAND:
      g_value_set_string (value, self->command);
      break;

    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;

    case PROP_STATUS_TEXT:
      g_value_set_string (value, isthmus_exchange_get_status_text (self));
      break;

    case PROP_ERROR_CODE:
      g_value_set_string (value, self->error_code);
      break;

    case PROP_REQUEST_SIZE:
      g_value_set_uint64 (value, isthmus_exchange_get_request_size (self));
      break;

    case PROP_REPLY_SIZE:
      g_value_set_uint64 (value, isthmus_exchange_get_reply_size (self));
      break;

    case PROP_DURATION_US:
      g_value_set_int64 (value, self->duration_us);
      break;

    case PROP_WALL_TIME_US:
      g_value_set_int64 (value, self->wall_time_us);
      break;

    case PROP_MONO_TIME_US:
      g_value_set_int64 (value, self->mono_time_us);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, isthmus_exchange_get_summary (self));
      break;

    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;

    case PROP_ACL_TEXT:
      g_value_set_string (value, self->acl_text);
      break;

    case PROP_ISOLATION_VERDICT:
      g_value_set_string (value, isthmus_exchange_get_isolation_verdict (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_exchange_class_init (IsthmusExchangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = isthmus_exchange_finalize;
  object_class->get_property = isthmus_exchange_get_property;

  properties [PROP_ID] =
    g_param_spec_uint64 ("id", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties [PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      ISTHMUS_EXCHANGE_INVOKE, ISTHMUS_EXCHANGE_LIFECYCLE,
                      ISTHMUS_EXCHANGE_INVOKE, flags);
  properties [PROP_KIND_NAME] =
    g_param_spec_string ("kind-name", NULL, NULL, NULL, flags);
  properties [PROP_WINDOW_LABEL] =
    g_param_spec_string ("window-label", NULL, NULL, NULL, flags);
  properties [PROP_COMMAND] =
    g_param_spec_string ("command", NULL, NULL, NULL, flags);
  properties [PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL,
                      ISTHMUS_EXCHANGE_PENDING, ISTHMUS_EXCHANGE_ERROR,
                      ISTHMUS_EXCHANGE_PENDING, flags);
  properties [PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL, flags);
  properties [PROP_ERROR_CODE] =
    g_param_spec_string ("error-code", NULL, NULL, NULL, flags);
  properties [PROP_REQUEST_SIZE] =
    g_param_spec_uint64 ("request-size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties [PROP_REPLY_SIZE] =
    g_param_spec_uint64 ("reply-size", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties [PROP_DURATION_US] =
    g_param_spec_int64 ("duration-us", NULL, NULL, -1, G_MAXINT64, -1, flags);
  properties [PROP_WALL_TIME_US] =
    g_param_spec_int64 ("wall-time-us", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties [PROP_MONO_TIME_US] =
    g_param_spec_int64 ("mono-time-us", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties [PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL, flags);
  properties [PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL, NULL, flags);
  properties [PROP_ACL_TEXT] =
    g_param_spec_string ("acl-text", NULL, NULL, NULL, flags);
  properties [PROP_ISOLATION_VERDICT] =
    g_param_spec_string ("isolation-verdict", NULL, NULL, NULL, flags);
  properties [PROP_PARENT_ID] =
    g_param_spec_uint64 ("parent-id", NULL, NULL, 0, G_MAXUINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * IsthmusExchange::completed:
   *
   * Emitted once, after the record was completed and its properties
   * notified.
   */
  signals [COMPLETED] =
    g_signal_new ("completed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
isthmus_exchange_init (IsthmusExchange *self)
{
  self->status = ISTHMUS_EXCHANGE_PENDING;
  self->duration_us = -1;
}

static char *
make_summary (GBytes *request)
{
  const char *data;
  gsize length;
  gsize take;
  gboolean cut;
  g_autofree char *valid = NULL;
  gsize valid_length;

  data = g_bytes_get_data (request, &length);
  if (data == NULL || length == 0)
    return g_strdup ("");

  take = MIN (length, SUMMARY_MAX_BYTES);
  cut = take < length;

  /* Do not split a character at the cut: back off over continuation bytes
   * (at most three, as UTF-8 sequences are at most four bytes long). */
  if (cut)
    {
      gsize start = take;

      while (start > 0 && take - start < 3 && ((guchar)data[start] & 0xC0) == 0x80)
        start--;
      if (((guchar)data[start] & 0xC0) != 0x80)
        take = start;
    }

  valid = g_utf8_make_valid (data, take);
  valid_length = strlen (valid);

  /* Replacement characters take three bytes, so the valid text may have
   * grown past the limit. */
  if (valid_length > SUMMARY_MAX_BYTES)
    {
      const char *end = valid + SUMMARY_MAX_BYTES;

      while (end > valid && ((guchar)*end & 0xC0) == 0x80)
        end--;
      valid[end - valid] = '\0';
      cut = TRUE;
    }

  if (cut)
    return g_strconcat (valid, "…", NULL);

  return g_steal_pointer (&valid);
}

/**
 * isthmus_exchange_new:
 * @id: the record's number
 * @kind: what kind of traffic it is
 * @window_label: (nullable): the core's label of the view involved
 * @request: (nullable): the message as received; referenced, not copied
 *
 * Returns: (transfer full): a pending record, stamped with the current
 *   wall-clock and monotonic times.
 */
IsthmusExchange *
isthmus_exchange_new (guint64              id,
                      IsthmusExchangeKind  kind,
                      const char          *window_label,
                      GBytes              *request)
{
  IsthmusExchange *self;

  g_return_val_if_fail ((guint)kind < G_N_ELEMENTS (kind_names), NULL);

  self = g_object_new (ISTHMUS_TYPE_EXCHANGE, NULL);
  self->id = id;
  self->kind = kind;
  self->window_label = g_strdup (window_label);
  self->request = request != NULL ? g_bytes_ref (request) : g_bytes_new_static ("", 0);
  self->summary = make_summary (self->request);
  self->wall_time_us = g_get_real_time ();
  self->mono_time_us = g_get_monotonic_time ();

  return self;
}

/**
 * isthmus_exchange_set_command:
 * @self: an #IsthmusExchange
 * @command: (nullable): the command named by the request
 *
 * Fills in the command once the request is parsed.
 */
void
isthmus_exchange_set_command (IsthmusExchange *self,
                              const char      *command)
{
  g_return_if_fail (ISTHMUS_IS_EXCHANGE (self));

  if (g_strcmp0 (self->command, command) == 0)
    return;

  g_free (self->command);
  self->command = g_strdup (command);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_COMMAND]);
}

/**
 * isthmus_exchange_complete:
 * @self: an #IsthmusExchange
 * @status: %ISTHMUS_EXCHANGE_OK or %ISTHMUS_EXCHANGE_ERROR
 * @error_code: (nullable): %NULL for ok, else the stable code
 * @error_message: (nullable): the core's text
 * @reply_json: (nullable): the JSON text the page received; referenced
 * @duration_us: the time from arrival to reply
 *
 * Completes the record, notifies the changed properties and emits
 * #IsthmusExchange::completed. A second call is ignored with a critical.
 */
void
isthmus_exchange_complete (IsthmusExchange       *self,
                           IsthmusExchangeStatus  status,
                           const char            *error_code,
                           const char            *error_message,
                           GBytes                *reply_json,
                           gint64                 duration_us)
{
  g_return_if_fail (ISTHMUS_IS_EXCHANGE (self));
  g_return_if_fail (status == ISTHMUS_EXCHANGE_OK || status == ISTHMUS_EXCHANGE_ERROR);

  if (self->status != ISTHMUS_EXCHANGE_PENDING)
    {
      g_critical ("Exchange %" G_GUINT64_FORMAT " was completed twice", self->id);
      return;
    }

  self->status = status;
  self->error_code = g_strdup (status == ISTHMUS_EXCHANGE_ERROR && error_code == NULL ? "INTERNAL" : error_code);
  self->error_message = g_strdup (error_message);
  self->reply = reply_json != NULL ? g_bytes_ref (reply_json) : g_bytes_new_static ("", 0);
  self->duration_us = MAX (duration_us, 0);

  g_object_freeze_notify (G_OBJECT (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS_TEXT]);
  if (self->error_code != NULL)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR_CODE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REPLY_SIZE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DURATION_US]);
  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals [COMPLETED], 0);
}

guint64
isthmus_exchange_get_id (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), 0);

  return self->id;
}

IsthmusExchangeKind
isthmus_exchange_get_kind (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), ISTHMUS_EXCHANGE_INVOKE);

  return self->kind;
}

/**
 * isthmus_exchange_get_kind_name:
 * @self: an #IsthmusExchange
 *
 * Returns: (transfer none): "invoke", "emit", "event", "channel" or
 *   "lifecycle".
 */
const char *
isthmus_exchange_get_kind_name (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return kind_names[self->kind];
}

const char *
isthmus_exchange_get_window_label (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->window_label;
}

const char *
isthmus_exchange_get_command (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->command;
}

IsthmusExchangeStatus
isthmus_exchange_get_status (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), ISTHMUS_EXCHANGE_PENDING);

  return self->status;
}

/**
 * isthmus_exchange_get_status_text:
 * @self: an #IsthmusExchange
 *
 * Returns: (transfer none): "…" while pending, "ok", or the error code.
 */
const char *
isthmus_exchange_get_status_text (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  switch (self->status)
    {
    case ISTHMUS_EXCHANGE_PENDING:
      return "…";

    case ISTHMUS_EXCHANGE_OK:
      return "ok";

    case ISTHMUS_EXCHANGE_ERROR:
    default:
      return self->error_code;
    }
}

const char *
isthmus_exchange_get_error_code (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->error_code;
}

const char *
isthmus_exchange_get_error_message (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->error_message;
}

GBytes *
isthmus_exchange_get_request (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->request;
}

GBytes *
isthmus_exchange_get_reply (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->reply;
}

guint64
isthmus_exchange_get_request_size (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), 0);

  if (self->sizes_restored)
    return self->restored_request_size;
  return g_bytes_get_size (self->request);
}

guint64
isthmus_exchange_get_reply_size (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), 0);

  if (self->sizes_restored)
    return self->restored_reply_size;
  return self->reply != NULL ? g_bytes_get_size (self->reply) : 0;
}

gint64
isthmus_exchange_get_duration_us (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), -1);

  return self->duration_us;
}

gint64
isthmus_exchange_get_wall_time_us (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), 0);

  return self->wall_time_us;
}

gint64
isthmus_exchange_get_mono_time_us (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), 0);

  return self->mono_time_us;
}

const char *
isthmus_exchange_get_summary (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->summary;
}

static void
add_optional_string (JsonBuilder *builder,
                     const char  *name,
                     const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * isthmus_json_is_finite:
 * @root: (nullable): a JSON tree
 *
 * Checks for numbers JSON text cannot express: json-glib reads 1e400 as
 * infinity and would write it back as "inf". Walks the tree without
 * recursion.
 *
 * Returns: %FALSE if @root holds an infinite or NaN number
 */
gboolean
isthmus_json_is_finite (JsonNode *root)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();
  gboolean found = FALSE;

  if (root != NULL)
    g_ptr_array_add (stack, root);

  while (stack->len > 0 && !found)
    {
      JsonNode *node = g_ptr_array_steal_index_fast (stack, stack->len - 1);

      switch (json_node_get_node_type (node))
        {
        case JSON_NODE_OBJECT:
          {
            JsonObjectIter iter;
            JsonNode *member;

            json_object_iter_init (&iter, json_node_get_object (node));
            while (json_object_iter_next (&iter, NULL, &member))
              g_ptr_array_add (stack, member);
          }
          break;

        case JSON_NODE_ARRAY:
          {
            JsonArray *array = json_node_get_array (node);
            guint n = json_array_get_length (array);

            for (guint i = 0; i < n; i++)
              g_ptr_array_add (stack, json_array_get_element (array, i));
          }
          break;

        case JSON_NODE_VALUE:
          if (json_node_get_value_type (node) == G_TYPE_DOUBLE &&
              !isfinite (json_node_get_double (node)))
            found = TRUE;
          break;

        case JSON_NODE_NULL:
        default:
          break;
        }
    }

  return !found;
}

/* Adds @text as JSON when it is valid JSON (and not too deep to parse
 * safely), else as a string made valid UTF-8. */
static void
add_embedded (JsonBuilder *builder,
              const char  *name,
              GBytes      *text)
{
  IsthmusJsonLimits limits = { G_MAXSIZE, EMBED_MAX_DEPTH };
  const char *data;
  gsize length;

  json_builder_set_member_name (builder, name);

  if (text == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }

  data = g_bytes_get_data (text, &length);
  if (data == NULL)
    data = "";

  if (length > 0 && isthmus_json_guard_check (data, length, &limits, NULL))
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (json_parser_load_from_data (parser, data, length, NULL) &&
          json_parser_get_root (parser) != NULL &&
          isthmus_json_is_finite (json_parser_get_root (parser)))
        {
          json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
          return;
        }
    }

  {
    g_autofree char *valid = g_utf8_make_valid (data, length);

    json_builder_add_string_value (builder, valid);
  }
}

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

static void
add_isolation (JsonBuilder                    *builder,
               const IsthmusExchangeIsolation *info)
{
  static const char * const timing_names[] = { "hookUs", "encryptUs", "transportUs", "decryptUs" };
  gint64 timings[] = { info->hook_us, info->encrypt_us, info->transport_us, info->decrypt_us };

  json_builder_set_member_name (builder, "isolation");
  json_builder_begin_object (builder);
  add_optional_string (builder, "verdict", info->verdict);
  add_optional_string (builder, "reason", info->reason);
  for (guint i = 0; i < G_N_ELEMENTS (timings); i++)
    {
      json_builder_set_member_name (builder, timing_names[i]);
      if (timings[i] >= 0)
        json_builder_add_int_value (builder, timings[i]);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_int_value (builder, (gint64)info->epoch);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, (gint64)info->seq);
  add_optional_string (builder, "key", info->key_fingerprint);
  add_strv (builder, "reads", info->reads);
  add_strv (builder, "lint", info->lint);
  add_embedded (builder, "original", info->original);
  add_embedded (builder, "hooked", info->hooked);
  json_builder_end_object (builder);
}

static char *
format_time (gint64 wall_time_us)
{
  g_autoptr(GDateTime) seconds = NULL;
  g_autoptr(GDateTime) when = NULL;
  gint64 secs = wall_time_us / G_USEC_PER_SEC;
  gint64 usecs = wall_time_us % G_USEC_PER_SEC;

  if (usecs < 0)
    {
      secs -= 1;
      usecs += G_USEC_PER_SEC;
    }

  seconds = g_date_time_new_from_unix_utc (secs);
  if (seconds == NULL)
    return g_strdup ("1970-01-01T00:00:00.000000Z");
  when = g_date_time_add (seconds, usecs);

  return g_date_time_format (when, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/**
 * isthmus_exchange_to_jsonl:
 * @self: an #IsthmusExchange
 *
 * Formats one JSON Lines record. It reads only fields that do not change
 * after completion, so a completed record may be formatted on any thread.
 *
 * Returns: (transfer full): one line of JSON, without the newline.
 */
char *
isthmus_exchange_to_jsonl (IsthmusExchange *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *time = NULL;
  const char *status;

  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  switch (self->status)
    {
    case ISTHMUS_EXCHANGE_OK:
      status = "ok";
      break;

    case ISTHMUS_EXCHANGE_ERROR:
      status = "error";
      break;

    case ISTHMUS_EXCHANGE_PENDING:
    default:
      status = "pending";
      break;
    }

  time = format_time (self->wall_time_us);
  builder = json_builder_new_immutable ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, (gint64)self->id);
  add_optional_string (builder, "time", time);
  add_optional_string (builder, "window", self->window_label);
  add_optional_string (builder, "kind", kind_names[self->kind]);
  add_optional_string (builder, "cmd", self->command);
  add_optional_string (builder, "status", status);
  add_optional_string (builder, "code", self->error_code);
  add_optional_string (builder, "message", self->error_message);
  add_optional_string (builder, "note", self->note);
  if (self->parent_id != 0)
    {
      json_builder_set_member_name (builder, "parent");
      json_builder_add_int_value (builder, (gint64)self->parent_id);
    }
  if (self->acl_verdict != NULL)
    {
      IsthmusAclVerdict *v = self->acl_verdict;

      json_builder_set_member_name (builder, "acl");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "checked");
      json_builder_add_boolean_value (builder, isthmus_acl_verdict_get_checked (v));
      json_builder_set_member_name (builder, "allowed");
      json_builder_add_boolean_value (builder, isthmus_acl_verdict_get_allowed (v));
      add_optional_string (builder, "capability", isthmus_acl_verdict_get_capability (v));
      add_optional_string (builder, "permission", isthmus_acl_verdict_get_permission (v));
      add_optional_string (builder, "reason", isthmus_acl_verdict_get_reason (v));
      add_optional_string (builder, "suggestion", isthmus_acl_verdict_get_suggestion (v));
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "durationUs");
  json_builder_add_int_value (builder, self->duration_us);
  json_builder_set_member_name (builder, "requestSize");
  json_builder_add_int_value (builder, (gint64)isthmus_exchange_get_request_size (self));
  json_builder_set_member_name (builder, "replySize");
  json_builder_add_int_value (builder, (gint64)isthmus_exchange_get_reply_size (self));
  if (self->isolation != NULL)
    add_isolation (builder, self->isolation);
  add_embedded (builder, "request", self->request);
  if (self->status == ISTHMUS_EXCHANGE_PENDING)
    add_embedded (builder, "reply", NULL);
  else
    add_embedded (builder, "reply", self->reply);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);

  return isthmus_json_to_text (root, NULL);
}

/**
 * isthmus_exchange_set_note:
 * @self: an #IsthmusExchange
 * @note: (nullable): a short text about what happened, e.g. which webviews
 *   and listeners an emit reached
 *
 * Sets the record's note, shown beside its status and written to JSON Lines.
 */
void
isthmus_exchange_set_note (IsthmusExchange *self,
                           const char      *note)
{
  g_return_if_fail (ISTHMUS_IS_EXCHANGE (self));

  if (g_strcmp0 (self->note, note) == 0)
    return;

  g_free (self->note);
  self->note = g_strdup (note);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NOTE]);
}

const char *
isthmus_exchange_get_note (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->note;
}

/**
 * isthmus_exchange_set_parent_id:
 * @self: an #IsthmusExchange
 * @parent_id: the id of the record this one belongs to (a channel
 *   message's invoke), or 0
 */
void
isthmus_exchange_set_parent_id (IsthmusExchange *self,
                                guint64          parent_id)
{
  g_return_if_fail (ISTHMUS_IS_EXCHANGE (self));

  if (self->parent_id == parent_id)
    return;

  self->parent_id = parent_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PARENT_ID]);
}

guint64
isthmus_exchange_get_parent_id (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), 0);

  return self->parent_id;
}

void
isthmus_exchange_set_acl_verdict (IsthmusExchange   *self,
                                  IsthmusAclVerdict *verdict)
{
  g_return_if_fail (ISTHMUS_IS_EXCHANGE (self));
  g_return_if_fail (verdict == NULL || ISTHMUS_IS_ACL_VERDICT (verdict));

  if (!g_set_object (&self->acl_verdict, verdict))
    return;

  g_clear_pointer (&self->acl_text, g_free);
  if (verdict != NULL)
    {
      const char *reason = isthmus_acl_verdict_get_reason (verdict);

      if (!isthmus_acl_verdict_get_checked (verdict))
        self->acl_text = g_strdup_printf ("not checked: %s", reason);
      else if (isthmus_acl_verdict_get_allowed (verdict))
        self->acl_text = g_strdup (reason);
      else if (isthmus_acl_verdict_get_suggestion (verdict) != NULL)
        self->acl_text = g_strdup_printf ("denied: %s; %s", reason,
                                          isthmus_acl_verdict_get_suggestion (verdict));
      else
        self->acl_text = g_strdup_printf ("denied: %s", reason);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ACL_TEXT]);
}

IsthmusAclVerdict *
isthmus_exchange_get_acl_verdict (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->acl_verdict;
}

const char *
isthmus_exchange_get_acl_text (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->acl_text;
}

/**
 * isthmus_exchange_set_isolation:
 * @self: an #IsthmusExchange
 * @info: what the isolation pattern did to this call; copied
 *
 * Records the isolation verdict, the message before and after the hook,
 * and the per-step timings.
 */
void
isthmus_exchange_set_isolation (IsthmusExchange                *self,
                                const IsthmusExchangeIsolation *info)
{
  IsthmusExchangeIsolation *copy;

  g_return_if_fail (ISTHMUS_IS_EXCHANGE (self));
  g_return_if_fail (info != NULL);

  copy = g_new0 (IsthmusExchangeIsolation, 1);
  *copy = *info;
  copy->verdict = g_strdup (info->verdict);
  copy->reason = g_strdup (info->reason);
  copy->original = info->original != NULL ? g_bytes_ref (info->original) : NULL;
  copy->hooked = info->hooked != NULL ? g_bytes_ref (info->hooked) : NULL;
  copy->decrypted = info->decrypted != NULL ? g_bytes_ref (info->decrypted) : NULL;
  copy->reads = (const char * const *)g_strdupv ((char **)info->reads);
  copy->lint = (const char * const *)g_strdupv ((char **)info->lint);
  copy->key_fingerprint = g_strdup (info->key_fingerprint);

  g_clear_pointer (&self->isolation, isolation_free);
  self->isolation = copy;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ISOLATION_VERDICT]);
}

const IsthmusExchangeIsolation *
isthmus_exchange_get_isolation (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->isolation;
}

const char *
isthmus_exchange_get_isolation_verdict (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), NULL);

  return self->isolation != NULL ? self->isolation->verdict : NULL;
}

/* Restoring records from JSON Lines. */

/* The same test add_embedded() makes: would @data be embedded as JSON? */
static gboolean
text_embeds_as_json (const char *data,
                     gsize       length)
{
  IsthmusJsonLimits limits = { G_MAXSIZE, EMBED_MAX_DEPTH };
  g_autoptr(JsonParser) parser = NULL;

  if (length == 0 || !isthmus_json_guard_check (data, length, &limits, NULL))
    return FALSE;

  parser = json_parser_new_immutable ();

  return json_parser_load_from_data (parser, data, length, NULL) &&
         json_parser_get_root (parser) != NULL &&
         isthmus_json_is_finite (json_parser_get_root (parser));
}

/* The text that add_embedded() turns back into @node. A string member is
 * the record's own text unless that text would have been embedded as
 * JSON, in which case the record held a JSON string. */
static GBytes *
bytes_from_embedded (JsonNode *node)
{
  char *text;
  gsize length;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *string = json_node_get_string (node);

      if (!text_embeds_as_json (string, strlen (string)))
        return g_bytes_new (string, strlen (string));
    }

  text = isthmus_json_to_text (node, &length);

  return g_bytes_new_take (text, length);
}

static gboolean
get_string_member (JsonObject  *object,
                   const char  *name,
                   const char **value,
                   GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      *value = json_node_get_string (node);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "\"%s\" is not a string", name);
  return FALSE;
}

/* Integers may be absent (@fallback) or null (-1). */
static gboolean
get_int_member (JsonObject  *object,
                const char  *name,
                gint64       fallback,
                gint64      *value,
                GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = fallback;
  if (node == NULL)
    return TRUE;
  if (JSON_NODE_HOLDS_NULL (node))
    {
      *value = -1;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "\"%s\" is not an integer", name);
  return FALSE;
}

static gboolean
get_boolean_member (JsonObject  *object,
                    const char  *name,
                    gboolean    *value,
                    GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  *value = FALSE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    {
      *value = json_node_get_boolean (node);
      return TRUE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               "\"%s\" is not a boolean", name);
  return FALSE;
}

static gboolean
get_strv_member (JsonObject  *object,
                 const char  *name,
                 char      ***value,
                 GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  guint n;

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "\"%s\" is not an array", name);
      return FALSE;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) ||
          json_node_get_value_type (element) != G_TYPE_STRING)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "\"%s\" holds something other than strings", name);
          return FALSE;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }

  *value = g_strv_builder_end (builder);
  return TRUE;
}

static gboolean
restore_acl (IsthmusExchange  *self,
             JsonObject       *record,
             GError          **error)
{
  JsonNode *node = json_object_get_member (record, "acl");
  g_autoptr(IsthmusAclVerdict) verdict = NULL;
  JsonObject *acl;
  gboolean checked;
  gboolean allowed;
  const char *capability;
  const char *permission;
  const char *reason;
  const char *suggestion;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "\"acl\" is not an object");
      return FALSE;
    }

  acl = json_node_get_object (node);
  if (!get_boolean_member (acl, "checked", &checked, error) ||
      !get_boolean_member (acl, "allowed", &allowed, error) ||
      !get_string_member (acl, "capability", &capability, error) ||
      !get_string_member (acl, "permission", &permission, error) ||
      !get_string_member (acl, "reason", &reason, error) ||
      !get_string_member (acl, "suggestion", &suggestion, error))
    return FALSE;

  verdict = isthmus_acl_verdict_new_restored (self->command, checked, allowed,
                                              capability, permission,
                                              reason, suggestion);
  isthmus_exchange_set_acl_verdict (self, verdict);

  return TRUE;
}

static gboolean
restore_isolation (IsthmusExchange  *self,
                   JsonObject       *record,
                   GError          **error)
{
  JsonNode *node = json_object_get_member (record, "isolation");
  IsthmusExchangeIsolation info = { 0 };
  g_auto(GStrv) reads = NULL;
  g_auto(GStrv) lint = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) hooked = NULL;
  JsonObject *isolation;
  gint64 epoch;
  gint64 seq;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "\"isolation\" is not an object");
      return FALSE;
    }

  isolation = json_node_get_object (node);
  if (!get_string_member (isolation, "verdict", &info.verdict, error) ||
      !get_string_member (isolation, "reason", &info.reason, error) ||
      !get_int_member (isolation, "hookUs", -1, &info.hook_us, error) ||
      !get_int_member (isolation, "encryptUs", -1, &info.encrypt_us, error) ||
      !get_int_member (isolation, "transportUs", -1, &info.transport_us, error) ||
      !get_int_member (isolation, "decryptUs", -1, &info.decrypt_us, error) ||
      !get_int_member (isolation, "epoch", 0, &epoch, error) ||
      !get_int_member (isolation, "seq", 0, &seq, error) ||
      !get_string_member (isolation, "key", &info.key_fingerprint, error) ||
      !get_strv_member (isolation, "reads", &reads, error) ||
      !get_strv_member (isolation, "lint", &lint, error))
    return FALSE;

  original = bytes_from_embedded (json_object_get_member (isolation, "original"));
  hooked = bytes_from_embedded (json_object_get_member (isolation, "hooked"));
  info.original = original;
  info.hooked = hooked;
  info.reads = (const char * const *)reads;
  info.lint = (const char * const *)lint;
  info.epoch = (guint64)epoch;
  info.seq = (guint64)seq;
  isthmus_exchange_set_isolation (self, &info);

  return TRUE;
}

/**
 * isthmus_exchange_new_from_json:
 * @record: one parsed JSON Lines record, as isthmus_exchange_to_jsonl()
 *   writes it
 * @error: return location for a %G_IO_ERROR_INVALID_DATA error
 *
 * Rebuilds a record. Everything isthmus_exchange_to_jsonl() writes is
 * restored, so formatting the result gives the same line again; the
 * recorded request and reply sizes are kept even where the texts were
 * re-serialised. The monotonic time, which records do not hold, is set
 * to the wall-clock time. No signal is emitted.
 *
 * Returns: (transfer full) (nullable): the record, or %NULL with @error set
 */
IsthmusExchange *
isthmus_exchange_new_from_json (JsonObject  *record,
                                GError     **error)
{
  g_autoptr(IsthmusExchange) self = NULL;
  g_autoptr(GDateTime) when = NULL;
  const char *kind = NULL;
  const char *status = NULL;
  const char *time = NULL;
  const char *window = NULL;
  const char *command = NULL;
  const char *code = NULL;
  const char *message = NULL;
  const char *note = NULL;
  gint64 id;
  gint64 parent;
  gint64 duration;
  gint64 request_size;
  gint64 reply_size;
  guint k;

  g_return_val_if_fail (record != NULL, NULL);

  if (!get_int_member (record, "id", 0, &id, error) ||
      !get_string_member (record, "time", &time, error) ||
      !get_string_member (record, "window", &window, error) ||
      !get_string_member (record, "kind", &kind, error) ||
      !get_string_member (record, "cmd", &command, error) ||
      !get_string_member (record, "status", &status, error) ||
      !get_string_member (record, "code", &code, error) ||
      !get_string_member (record, "message", &message, error) ||
      !get_string_member (record, "note", &note, error) ||
      !get_int_member (record, "parent", 0, &parent, error) ||
      !get_int_member (record, "durationUs", -1, &duration, error) ||
      !get_int_member (record, "requestSize", -1, &request_size, error) ||
      !get_int_member (record, "replySize", -1, &reply_size, error))
    return NULL;

  for (k = 0; k < G_N_ELEMENTS (kind_names); k++)
    if (g_strcmp0 (kind, kind_names[k]) == 0)
      break;
  if (k == G_N_ELEMENTS (kind_names))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "unknown kind \"%s\"", kind != NULL ? kind : "(none)");
      return NULL;
    }

  if (time == NULL || (when = g_date_time_new_from_iso8601 (time, NULL)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "\"time\" is not an RFC 3339 time");
      return NULL;
    }

  self = g_object_new (ISTHMUS_TYPE_EXCHANGE, NULL);
  self->id = (guint64)id;
  self->kind = k;
  self->window_label = g_strdup (window);
  self->command = g_strdup (command);
  self->note = g_strdup (note);
  self->parent_id = parent > 0 ? (guint64)parent : 0;
  self->wall_time_us = g_date_time_to_unix (when) * G_USEC_PER_SEC +
                       g_date_time_get_microsecond (when);
  self->mono_time_us = self->wall_time_us;
  self->request = bytes_from_embedded (json_object_get_member (record, "request"));
  if (self->request == NULL)
    self->request = g_bytes_new_static ("", 0);
  self->summary = make_summary (self->request);

  if (g_strcmp0 (status, "ok") == 0 || g_strcmp0 (status, "error") == 0)
    {
      self->status = g_str_equal (status, "ok") ? ISTHMUS_EXCHANGE_OK : ISTHMUS_EXCHANGE_ERROR;
      self->error_code = g_strdup (code);
      self->error_message = g_strdup (message);
      self->reply = bytes_from_embedded (json_object_get_member (record, "reply"));
      self->duration_us = duration;
    }
  else if (g_strcmp0 (status, "pending") == 0)
    {
      self->error_code = g_strdup (code);
      self->error_message = g_strdup (message);
      self->duration_us = duration;
    }
  else
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "unknown status \"%s\"", status != NULL ? status : "(none)");
      return NULL;
    }

  self->sizes_restored = TRUE;
  self->restored_request_size = request_size >= 0 ? (guint64)request_size : g_bytes_get_size (self->request);
  self->restored_reply_size = reply_size >= 0 ? (guint64)reply_size
                                              : (self->reply != NULL ? g_bytes_get_size (self->reply) : 0);

  if (!restore_acl (self, record, error) ||
      !restore_isolation (self, record, error))
    return NULL;

  return g_steal_pointer (&self);
}

guint64
_isthmus_exchange_get_ring_bytes (IsthmusExchange *self)
{
  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (self), 0);

  return self->ring_bytes;
}

void
_isthmus_exchange_set_ring_bytes (IsthmusExchange *self,
                                  guint64          ring_bytes)
{
  g_return_if_fail (ISTHMUS_IS_EXCHANGE (self));

  self->ring_bytes = ring_bytes;
}

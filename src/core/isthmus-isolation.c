/* isthmus-isolation.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-isolation"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "isthmus-error.h"
#include "isthmus-isolation.h"
#include "isthmus-json-guard.h"
#include "isthmus-json-text.h"

#define ISOLATION_DATA_KEY "isthmus-isolation"
#define HEADER_MAX_BYTES   (64 * 1024)
#define HEADER_MAX_DEPTH   4
#define REASON_MAX_BYTES   1024
#define CONSOLE_MAX_BYTES  4096

/* One webview's current isolation frame. */
typedef struct _Session Session;

struct _Session
{
  IsthmusAeadKey      *key;
  guint64              epoch;
  IsthmusReplayWindow  window;
  /* The frame this one replaced within the same page load, while its
   * calls in flight are answered (see isthmus_core_begin_frame_epoch()). */
  Session             *previous;
};

struct _IsthmusIsolation
{
  /* Label → Session. */
  GHashTable *sessions;
  /* Epochs only grow, across all webviews, so an envelope of one page
   * load can never match the epoch of another. */
  guint64     last_epoch;
};

static void
session_free (gpointer data)
{
  Session *session = data;

  g_clear_pointer (&session->key, isthmus_aead_key_unref);
  g_clear_pointer (&session->previous, session_free);
  g_free (session);
}

static void
isolation_free (gpointer data)
{
  IsthmusIsolation *self = data;

  g_clear_pointer (&self->sessions, g_hash_table_unref);
  g_free (self);
}

IsthmusIsolation *
_isthmus_isolation_peek (IsthmusCore *core)
{
  return g_object_get_data (G_OBJECT (core), ISOLATION_DATA_KEY);
}

/**
 * isthmus_core_set_isolation:
 * @self: an #IsthmusCore
 * @enabled: whether every message must be an isolation envelope
 *
 * Turning it off forgets every session.
 */
void
isthmus_core_set_isolation (IsthmusCore *self,
                            gboolean     enabled)
{
  IsthmusIsolation *isolation;

  g_return_if_fail (ISTHMUS_IS_CORE (self));

  if (!enabled)
    {
      g_object_set_data (G_OBJECT (self), ISOLATION_DATA_KEY, NULL);
      return;
    }

  if (_isthmus_isolation_peek (self) != NULL)
    return;

  isolation = g_new0 (IsthmusIsolation, 1);
  isolation->sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, session_free);
  g_object_set_data_full (G_OBJECT (self), ISOLATION_DATA_KEY, isolation, isolation_free);
}

gboolean
isthmus_core_get_isolation (IsthmusCore *self)
{
  g_return_val_if_fail (ISTHMUS_IS_CORE (self), FALSE);

  return _isthmus_isolation_peek (self) != NULL;
}

/* A new session for @webview_label; with @keep, the current one stays
 * valid as the previous one (an older previous one goes). */
static guint64
begin (IsthmusIsolation *isolation,
       const char       *webview_label,
       IsthmusAeadKey   *key,
       gboolean          keep)
{
  Session *session;
  Session *current = NULL;
  gpointer old_label = NULL;

  session = g_new0 (Session, 1);
  session->key = isthmus_aead_key_ref (key);
  session->epoch = ++isolation->last_epoch;
  isthmus_replay_window_init (&session->window);

  if (keep && g_hash_table_steal_extended (isolation->sessions, webview_label,
                                           &old_label, (gpointer *)&current))
    {
      g_free (old_label);
      g_clear_pointer (&current->previous, session_free);
      session->previous = current;
    }
  g_hash_table_replace (isolation->sessions, g_strdup (webview_label), session);

  return session->epoch;
}

/**
 * isthmus_core_begin_epoch_with_key:
 * @self: an #IsthmusCore with isolation on
 * @webview_label: the view whose page load starts
 * @key: the session key
 *
 * Returns: the new epoch
 */
guint64
isthmus_core_begin_epoch_with_key (IsthmusCore    *self,
                                   const char     *webview_label,
                                   IsthmusAeadKey *key)
{
  IsthmusIsolation *isolation;

  g_return_val_if_fail (ISTHMUS_IS_CORE (self), 0);
  g_return_val_if_fail (webview_label != NULL, 0);
  g_return_val_if_fail (key != NULL, 0);

  isolation = _isthmus_isolation_peek (self);
  g_return_val_if_fail (isolation != NULL, 0);

  return begin (isolation, webview_label, key, FALSE);
}

/**
 * isthmus_core_begin_frame_epoch:
 * @self: an #IsthmusCore with isolation on
 * @webview_label: the view whose isolation frame is replaced
 * @epoch: (out): the new epoch
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new key
 */
IsthmusAeadKey *
isthmus_core_begin_frame_epoch (IsthmusCore  *self,
                                const char   *webview_label,
                                guint64      *epoch,
                                GError      **error)
{
  g_autoptr(IsthmusAeadKey) key = NULL;
  IsthmusIsolation *isolation;

  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);
  g_return_val_if_fail (webview_label != NULL, NULL);
  g_return_val_if_fail (epoch != NULL, NULL);

  isolation = _isthmus_isolation_peek (self);
  if (isolation == NULL)
    {
      g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_NOT_SUPPORTED,
                           "the isolation pattern is off");
      return NULL;
    }

  key = isthmus_aead_key_new_random (error);
  if (key == NULL)
    return NULL;

  *epoch = begin (isolation, webview_label, key, TRUE);

  return g_steal_pointer (&key);
}

/**
 * isthmus_core_retire_epoch:
 * @self: an #IsthmusCore
 * @webview_label: the view
 * @epoch: the epoch that ends
 *
 * Ends the previous epoch of @webview_label if it is @epoch. If @epoch is
 * the current one and a previous one is kept, the previous one becomes
 * current again (its replacement failed). Does nothing otherwise.
 */
void
isthmus_core_retire_epoch (IsthmusCore *self,
                           const char  *webview_label,
                           guint64      epoch)
{
  IsthmusIsolation *isolation;
  Session *session;

  g_return_if_fail (ISTHMUS_IS_CORE (self));

  isolation = _isthmus_isolation_peek (self);
  session = isolation != NULL && webview_label != NULL ?
            g_hash_table_lookup (isolation->sessions, webview_label) : NULL;
  if (session == NULL || session->previous == NULL)
    return;

  if (session->previous->epoch == epoch)
    g_clear_pointer (&session->previous, session_free);
  else if (session->epoch == epoch)
    g_hash_table_replace (isolation->sessions, g_strdup (webview_label),
                          g_steal_pointer (&session->previous));
}

/**
 * isthmus_core_begin_epoch:
 * @self: an #IsthmusCore with isolation on
 * @webview_label: the view whose page load starts
 * @epoch: (out): the new epoch
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the new key
 */
IsthmusAeadKey *
isthmus_core_begin_epoch (IsthmusCore  *self,
                          const char   *webview_label,
                          guint64      *epoch,
                          GError      **error)
{
  g_autoptr(IsthmusAeadKey) key = NULL;
  guint64 value;

  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);
  g_return_val_if_fail (webview_label != NULL, NULL);
  g_return_val_if_fail (epoch != NULL, NULL);

  if (_isthmus_isolation_peek (self) == NULL)
    {
      g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_NOT_SUPPORTED,
                           "the isolation pattern is off");
      return NULL;
    }

  key = isthmus_aead_key_new_random (error);
  if (key == NULL)
    return NULL;

  value = isthmus_core_begin_epoch_with_key (self, webview_label, key);
  *epoch = value;

  return g_steal_pointer (&key);
}

void
isthmus_core_end_isolation (IsthmusCore *self,
                            const char  *webview_label)
{
  IsthmusIsolation *isolation;

  g_return_if_fail (ISTHMUS_IS_CORE (self));

  isolation = _isthmus_isolation_peek (self);
  if (isolation != NULL && webview_label != NULL)
    g_hash_table_remove (isolation->sessions, webview_label);
}

/**
 * isthmus_core_record_console:
 * @self: an #IsthmusCore
 * @webview_label: the view whose isolation frame wrote it
 * @level: "log", "info", "warn", "error" or "debug"
 * @text: the text (any bytes; made valid UTF-8 and cut to 4 KiB)
 * @length: its length
 *
 * Returns: (transfer none): the completed lifecycle record
 */
IsthmusExchange *
isthmus_core_record_console (IsthmusCore *self,
                             const char  *webview_label,
                             const char  *level,
                             const char  *text,
                             gsize        length)
{
  g_autoptr(IsthmusExchange) exchange = NULL;
  g_autoptr(GBytes) request = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *command = NULL;
  static const char * const levels[] = { "log", "info", "warn", "error", "debug" };
  const char *name = "log";

  g_return_val_if_fail (ISTHMUS_IS_CORE (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    if (g_strcmp0 (level, levels[i]) == 0)
      name = levels[i];

  if (text == NULL)
    length = 0;
  valid = g_utf8_make_valid (text != NULL ? text : "", MIN (length, CONSOLE_MAX_BYTES));
  request = g_bytes_new (valid, strlen (valid));
  command = g_strconcat ("console.", name, NULL);

  exchange = isthmus_exchange_new (_isthmus_core_next_record_id (self), ISTHMUS_EXCHANGE_LIFECYCLE,
                                   webview_label, request);
  isthmus_exchange_set_command (exchange, command);
  isthmus_exchange_set_note (exchange, _("output of the isolation frame"));
  isthmus_recorder_add (isthmus_core_get_recorder (self), exchange);
  isthmus_exchange_complete (exchange, ISTHMUS_EXCHANGE_OK, NULL, NULL, NULL, 0);

  return exchange;
}

/* The bridge's framing: "E" encryptUs " " frameLegUs "\n" envelope "\n"
 * original. A message without it is taken whole as the envelope (and
 * then fails to parse as one, unless it is one). */
void
_isthmus_isolation_frame_parse (GBytes                *message,
                                IsthmusIsolationFrame *frame)
{
  const char *data;
  const char *end;
  const char *line_end;
  const char *envelope_end;
  gsize length;
  g_autofree char *numbers = NULL;
  char *cursor = NULL;
  gint64 encrypt_us;
  gint64 frame_leg_us;

  memset (frame, 0, sizeof *frame);
  frame->encrypt_us = -1;
  frame->frame_leg_us = -1;

  data = g_bytes_get_data (message, &length);
  if (data == NULL || length < 2 || data[0] != 'E')
    {
      frame->envelope = g_bytes_ref (message);
      return;
    }

  end = data + length;
  line_end = memchr (data, '\n', length);
  if (line_end == NULL || line_end - data > 64)
    {
      frame->envelope = g_bytes_ref (message);
      return;
    }

  numbers = g_strndup (data + 1, line_end - data - 1);
  encrypt_us = g_ascii_strtoll (numbers, &cursor, 10);
  if (cursor != NULL && *cursor == ' ')
    {
      frame_leg_us = g_ascii_strtoll (cursor + 1, NULL, 10);
      frame->encrypt_us = encrypt_us >= 0 ? encrypt_us : -1;
      frame->frame_leg_us = frame_leg_us > 0 ? frame_leg_us : -1;
    }

  envelope_end = memchr (line_end + 1, '\n', end - line_end - 1);
  if (envelope_end == NULL)
    envelope_end = end;

  frame->envelope = g_bytes_new_from_bytes (message, line_end + 1 - data, envelope_end - line_end - 1);
  if (envelope_end + 1 < end)
    frame->original = g_bytes_new_from_bytes (message, envelope_end + 1 - data, end - envelope_end - 1);
}

void
_isthmus_isolation_frame_clear (IsthmusIsolationFrame *frame)
{
  g_clear_pointer (&frame->envelope, g_bytes_unref);
  g_clear_pointer (&frame->original, g_bytes_unref);
}

static const char *
verdict_for_rejection (const char *message)
{
  if (g_str_has_prefix (message, "not an envelope"))
    return ISTHMUS_ISOLATION_REJECTED_NOT_ENVELOPE;
  if (g_str_has_prefix (message, "stale epoch") || g_str_has_prefix (message, "no isolation session"))
    return ISTHMUS_ISOLATION_REJECTED_STALE;
  if (g_str_has_prefix (message, "auth failed"))
    return ISTHMUS_ISOLATION_REJECTED_AUTH;

  return ISTHMUS_ISOLATION_REJECTED_REPLAY;
}

static char **
read_strv (JsonObject *object,
           const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  g_autoptr(GPtrArray) values = g_ptr_array_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array) && i < 256; i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_ptr_array_add (values, g_strdup (json_node_get_string (element)));
    }
  g_ptr_array_add (values, NULL);

  return (char **)g_ptr_array_free (g_steal_pointer (&values), FALSE);
}

static char *
cut (const char *text)
{
  gsize length = strlen (text);

  if (length <= REASON_MAX_BYTES)
    return g_strdup (text);

  length = REASON_MAX_BYTES;
  while (length > 0 && ((guchar)text[length] & 0xC0) == 0x80)
    length--;

  return g_strdup_printf ("%.*s…", (int)length, text);
}

GBytes *
_isthmus_isolation_open (IsthmusIsolation      *self,
                         const char            *webview_label,
                         IsthmusIsolationFrame *frame,
                         IsthmusExchange       *exchange,
                         GError               **error)
{
  static const IsthmusJsonLimits header_limits = { HEADER_MAX_BYTES, HEADER_MAX_DEPTH };
  IsthmusExchangeIsolation info = { 0 };
  IsthmusEnvelope envelope = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  g_autoptr(GBytes) hooked = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) reads = NULL;
  g_auto(GStrv) lint = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *verdict = NULL;
  JsonObject *header;
  Session *session;
  const char *data;
  const char *newline;
  gsize length;
  gint64 t0;

  info.original = frame->original;
  info.encrypt_us = frame->encrypt_us;
  info.transport_us = -1;
  info.hook_us = -1;
  info.decrypt_us = -1;

  data = g_bytes_get_data (frame->envelope, &length);
  if (!isthmus_envelope_parse (data, length, &envelope, &local_error))
    goto rejected;

  isthmus_exchange_set_command (exchange, envelope.cmd);
  info.epoch = envelope.epoch;
  info.seq = envelope.seq;

  session = webview_label != NULL ? g_hash_table_lookup (self->sessions, webview_label) : NULL;
  if (session == NULL)
    {
      g_set_error_literal (&local_error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED,
                           "no isolation session for this webview");
      goto rejected;
    }
  /* A call its replaced frame sealed before the switch. */
  if (envelope.epoch != session->epoch && session->previous != NULL &&
      envelope.epoch == session->previous->epoch)
    session = session->previous;
  info.key_fingerprint = isthmus_aead_key_get_fingerprint (session->key);

  t0 = g_get_monotonic_time ();
  plaintext = isthmus_envelope_open (&envelope, session->key, webview_label, session->epoch,
                                     &session->window, &local_error);
  info.decrypt_us = g_get_monotonic_time () - t0;
  if (plaintext == NULL)
    goto rejected;

  /* Authentic from here on: the frame wrote it. Still, never trust its
   * shape blindly. */
  info.decrypted = plaintext;
  data = g_bytes_get_data (plaintext, &length);
  newline = data != NULL ? memchr (data, '\n', MIN (length, HEADER_MAX_BYTES)) : NULL;
  if (newline == NULL)
    {
      g_set_error_literal (&local_error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED,
                           "bad plaintext: no header line");
      verdict = g_strdup (ISTHMUS_ISOLATION_HOOK_ERROR);
      goto failed;
    }

  root = isthmus_json_read (data, newline - data, &header_limits, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (&local_error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED,
                           "bad plaintext: unreadable header");
      verdict = g_strdup (ISTHMUS_ISOLATION_HOOK_ERROR);
      goto failed;
    }

  header = json_node_get_object (root);
  verdict = g_strdup (json_object_get_string_member_with_default (header, "verdict", ""));
  if (json_object_has_member (header, "reason") &&
      json_node_get_value_type (json_object_get_member (header, "reason")) == G_TYPE_STRING)
    reason = cut (json_object_get_string_member (header, "reason"));
  if (json_object_has_member (header, "hookUs"))
    {
      JsonNode *node = json_object_get_member (header, "hookUs");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        info.hook_us = MAX (json_node_get_int (node), 0);
    }
  /* Both ends of the frame leg are read on the bridge's clock; what the
   * hook and the encryption did not use is the postMessage hops. */
  if (frame->frame_leg_us >= 0)
    info.transport_us = MAX (frame->frame_leg_us - MAX (info.hook_us, 0) - MAX (frame->encrypt_us, 0), 0);
  reads = read_strv (header, "reads");
  lint = read_strv (header, "lint");
  info.reads = (const char * const *)reads;
  info.lint = (const char * const *)lint;

  hooked = g_bytes_new_from_bytes (plaintext, newline + 1 - data, length - (newline + 1 - data));
  info.hooked = hooked;
  info.reason = reason;
  info.verdict = verdict;

  if (g_strcmp0 (verdict, ISTHMUS_ISOLATION_PASSED) == 0 ||
      g_strcmp0 (verdict, ISTHMUS_ISOLATION_MODIFIED) == 0)
    {
      isthmus_exchange_set_isolation (exchange, &info);
      isthmus_envelope_clear (&envelope);
      return g_steal_pointer (&hooked);
    }

  if (g_strcmp0 (verdict, ISTHMUS_ISOLATION_BLOCKED) != 0 &&
      g_strcmp0 (verdict, ISTHMUS_ISOLATION_HOOK_ERROR) != 0)
    {
      g_free (verdict);
      verdict = g_strdup (ISTHMUS_ISOLATION_HOOK_ERROR);
      g_free (reason);
      reason = g_strdup ("unknown verdict from the isolation frame");
    }

  if (reason == NULL)
    reason = g_strdup (g_strcmp0 (verdict, ISTHMUS_ISOLATION_BLOCKED) == 0 ?
                       "the isolation hook blocked the call" : "the isolation hook failed");

  g_set_error_literal (&local_error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_BLOCKED, reason);

failed:
  info.verdict = verdict;
  info.reason = local_error->message;
  isthmus_exchange_set_isolation (exchange, &info);
  isthmus_envelope_clear (&envelope);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;

rejected:
  {
    g_autofree char *text = g_strconcat ("rejected: ", local_error->message, NULL);

    info.verdict = verdict_for_rejection (local_error->message);
    info.reason = text;
    isthmus_exchange_set_isolation (exchange, &info);
    isthmus_exchange_set_note (exchange, text);
  }
  isthmus_envelope_clear (&envelope);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

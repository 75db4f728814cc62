/* isthmus-web-batch.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Invokes that the bridge gathered into one script message: with many
 * calls in flight, one crossing of WebKit's IPC per batch instead of one
 * per call. Each message still goes through the whole core pipeline and
 * becomes its own record; only the transport is shared.
 */

#define G_LOG_DOMAIN "isthmus-web-batch"

#include "config.h"

#include <string.h>

#include "isthmus-batch.h"
#include "isthmus-error.h"
#include "isthmus-web-batch.h"

struct _IsthmusWebBatches
{
  /* Owned references */
  IsthmusCore *core;
  char        *label;
  /* guint late id → Slot *, replies the bridge will wait for. */
  GHashTable  *late;

  guint        next_late;
  guint64      n_batches;
  guint64      n_waits;
};

/* One message of a batch. Shared by the core's reply callback and, once
 * the batch's reply left without it, the table of late replies. */
typedef struct
{
  /* Borrowed: NULL once the batch's own reply left or the page went. */
  IsthmusWebBatches        *owner;

  /* Owned references */
  WebKitScriptMessageReply *waiter;
  JSCContext               *context;
  char                     *text;

  guint                     late_id;
  char                      kind;
  gboolean                  done;
  gboolean                  in_batch;
} Slot;

static void
slot_clear (gpointer data)
{
  Slot *slot = data;

  g_clear_pointer (&slot->waiter, webkit_script_message_reply_unref);
  g_clear_object (&slot->context);
  g_clear_pointer (&slot->text, g_free);
}

static Slot *
slot_ref (Slot *slot)
{
  return g_rc_box_acquire (slot);
}

static void
slot_unref (gpointer slot)
{
  g_rc_box_release_full (slot, slot_clear);
}

void
_isthmus_web_answer_line (JSCContext               *context,
                          WebKitScriptMessageReply *waiter,
                          char                      kind,
                          const char               *text)
{
  if (kind == 'e')
    {
      webkit_script_message_reply_return_error_message (waiter, text);
      return;
    }

  {
    g_autofree char *raw = kind == 'r' ? g_strconcat ("\001", text, NULL) : NULL;
    g_autoptr(JSCValue) value = jsc_value_new_string (context, raw != NULL ? raw : text);

    webkit_script_message_reply_return_value (waiter, value);
  }
}

void
_isthmus_web_reply_error (WebKitScriptMessageReply *reply,
                          IsthmusIpcError           code,
                          const char               *message)
{
  g_autofree char *text = isthmus_batch_error_text (isthmus_ipc_error_to_code (code), message, NULL);

  webkit_script_message_reply_return_error_message (reply, text);
}

static void
slot_reply_cb (const IsthmusReply *reply,
               gpointer            user_data)
{
  Slot *slot = user_data;

  /* The core calls this exactly once per message. */
  slot->done = TRUE;
  if (slot->owner != NULL || slot->in_batch)
    isthmus_batch_format_reply (reply, &slot->kind, &slot->text);

  if (slot->waiter != NULL)
    {
      WebKitScriptMessageReply *waiter = g_steal_pointer (&slot->waiter);

      _isthmus_web_answer_line (slot->context, waiter, slot->kind, slot->text);
      webkit_script_message_reply_unref (waiter);
      if (slot->owner != NULL)
        g_hash_table_remove (slot->owner->late, GUINT_TO_POINTER (slot->late_id));
    }

  slot_unref (slot);
}

static void
handle_batch (IsthmusWebBatches        *self,
              GBytes                   *message,
              JSCValue                 *value,
              WebKitScriptMessageReply *reply)
{
  g_autoptr(GPtrArray) slots = g_ptr_array_new_with_free_func (slot_unref);
  g_autoptr(GArray) spans = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(JSCValue) result = NULL;
  gsize length;
  const char *base = g_bytes_get_data (message, &length);
  const IsthmusJsonLimits *limits = isthmus_core_get_limits (self->core);

  self->n_batches++;
  if (limits != NULL && length > limits->max_bytes)
    {
      _isthmus_web_reply_error (reply, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE, "the batch exceeds the message size limit");
      return;
    }

  /* Split first, so that a refused batch runs nothing. */
  spans = isthmus_batch_split (base, length, &error);
  if (spans == NULL)
    {
      _isthmus_web_reply_error (reply, error->code, error->message);
      return;
    }

  /* Each message on its own through the pipeline; most reply at once. */
  for (guint i = 0; i < spans->len; i++)
    {
      const IsthmusBatchSpan *span = &g_array_index (spans, IsthmusBatchSpan, i);
      g_autoptr(GBytes) item = g_bytes_new_from_bytes (message, span->offset, span->length);
      Slot *slot = g_rc_box_new0 (Slot);

      slot->in_batch = TRUE;
      g_ptr_array_add (slots, slot);
      isthmus_core_handle_message (self->core, self->label, item, slot_reply_cb, slot_ref (slot));
    }

  out = g_string_sized_new (64 * slots->len);
  for (guint i = 0; i < slots->len; i++)
    {
      Slot *slot = g_ptr_array_index (slots, i);

      if (i > 0)
        g_string_append_c (out, '\n');
      slot->in_batch = FALSE;
      /* A reply that is late, or that cannot share a line, goes alone. */
      if (slot->done && strchr (slot->text, '\n') == NULL)
        {
          g_string_append_c (out, slot->kind);
          g_string_append (out, slot->text);
          continue;
        }

      slot->owner = self;
      do
        slot->late_id = ++self->next_late;
      while (slot->late_id == 0 ||
             g_hash_table_contains (self->late, GUINT_TO_POINTER (slot->late_id)));
      g_hash_table_insert (self->late, GUINT_TO_POINTER (slot->late_id), slot_ref (slot));
      g_string_append_printf (out, "p%u", slot->late_id);
    }

  {
    gsize size = out->len;
    g_autoptr(GBytes) bytes = g_bytes_new_take (g_string_free (g_steal_pointer (&out), FALSE), size);

    result = jsc_value_new_string_from_bytes (jsc_value_get_context (value), bytes);
    webkit_script_message_reply_return_value (reply, result);
  }
}

static void
handle_wait (IsthmusWebBatches        *self,
             GBytes                   *message,
             JSCValue                 *value,
             WebKitScriptMessageReply *reply)
{
  gsize length;
  const char *data = g_bytes_get_data (message, &length);
  guint id = 0;
  Slot *slot;

  self->n_waits++;
  if (!isthmus_batch_parse_wait (data, length, &id) ||
      (slot = g_hash_table_lookup (self->late, GUINT_TO_POINTER (id))) == NULL)
    {
      _isthmus_web_reply_error (reply, ISTHMUS_IPC_ERROR_BAD_MESSAGE, "no reply of that number is pending");
      return;
    }
  if (slot->waiter != NULL)
    {
      _isthmus_web_reply_error (reply, ISTHMUS_IPC_ERROR_BAD_MESSAGE, "that reply is waited for already");
      return;
    }

  if (slot->done)
    {
      _isthmus_web_answer_line (slot->context != NULL ? slot->context : jsc_value_get_context (value),
                   reply, slot->kind, slot->text);
      g_hash_table_remove (self->late, GUINT_TO_POINTER (id));
      return;
    }

  slot->waiter = webkit_script_message_reply_ref (reply);
  g_set_object (&slot->context, jsc_value_get_context (value));
}

IsthmusWebBatches *
_isthmus_web_batches_new (IsthmusCore *core,
                          const char  *label)
{
  IsthmusWebBatches *self = g_new0 (IsthmusWebBatches, 1);

  self->core = g_object_ref (core);
  self->label = g_strdup (label);
  self->late = g_hash_table_new_full (NULL, NULL, NULL, slot_unref);
  return self;
}

static gboolean
orphan_cb (gpointer key,
           gpointer value,
           gpointer user_data)
{
  Slot *slot = value;

  slot->owner = NULL;
  if (slot->waiter != NULL)
    {
      WebKitScriptMessageReply *waiter = g_steal_pointer (&slot->waiter);

      _isthmus_web_reply_error (waiter, ISTHMUS_IPC_ERROR_WEBVIEW_GONE, "the page that sent the batch is gone");
      webkit_script_message_reply_unref (waiter);
    }
  return TRUE;
}

void
_isthmus_web_batches_reset (IsthmusWebBatches *self)
{
  g_return_if_fail (self != NULL);

  g_hash_table_foreach_remove (self->late, orphan_cb, NULL);
}

void
_isthmus_web_batches_free (IsthmusWebBatches *self)
{
  if (self == NULL)
    return;

  _isthmus_web_batches_reset (self);
  g_clear_pointer (&self->late, g_hash_table_unref);
  g_clear_object (&self->core);
  g_clear_pointer (&self->label, g_free);
  g_free (self);
}

void
_isthmus_web_batches_get_counts (IsthmusWebBatches *self,
                                 guint64           *n_batches,
                                 guint64           *n_waits)
{
  g_return_if_fail (self != NULL);

  *n_batches = self->n_batches;
  *n_waits = self->n_waits;
}

gboolean
_isthmus_web_batches_handle (IsthmusWebBatches        *self,
                             GBytes                   *message,
                             JSCValue                 *value,
                             WebKitScriptMessageReply *reply)
{
  gsize length;
  const char *data;

  g_return_val_if_fail (self != NULL, FALSE);

  data = g_bytes_get_data (message, &length);
  if (data == NULL || length == 0)
    return FALSE;
  if (data[0] == ISTHMUS_BATCH_MARK)
    handle_batch (self, message, value, reply);
  else if (data[0] == ISTHMUS_BATCH_WAIT_MARK)
    handle_wait (self, message, value, reply);
  else
    return FALSE;
  return TRUE;
}

/* isthmus-envelope.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-envelope"

#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "isthmus-envelope.h"
#include "isthmus-error.h"
#include "isthmus-json-text.h"

/* An envelope holds base64 text of at most the message limit; the
 * envelope object itself is flat (depth 1). */
#define ENVELOPE_MAX_BYTES (64 * 1024 * 1024)
#define MAX_SEQ            G_MAXUINT32
#define MAX_CMD_BYTES      256
#define MAX_CTYPE_BYTES    64

struct _IsthmusAeadKey
{
  gatomicrefcount          ref_count;
  guint8                   bytes[ISTHMUS_AEAD_KEY_SIZE];
  char                     fingerprint[9];
  gnutls_aead_cipher_hd_t  handle;
};

G_DEFINE_BOXED_TYPE (IsthmusAeadKey, isthmus_aead_key, isthmus_aead_key_ref, isthmus_aead_key_unref)

static gboolean
rejected (GError     **error,
          const char  *format,
          ...) G_GNUC_PRINTF (2, 3);

static gboolean
rejected (GError     **error,
          const char  *format,
          ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED, message);
  return FALSE;
}

IsthmusAeadKey *
isthmus_aead_key_new (const guint8  *bytes,
                      gsize          length,
                      GError       **error)
{
  g_autoptr(IsthmusAeadKey) self = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  gnutls_datum_t datum;
  int ret;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (length != ISTHMUS_AEAD_KEY_SIZE)
    {
      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INTERNAL,
                   "INTERNAL: an AES-256 key is 32 bytes, not %" G_GSIZE_FORMAT, length);
      return NULL;
    }

  self = g_new0 (IsthmusAeadKey, 1);
  g_atomic_ref_count_init (&self->ref_count);
  memcpy (self->bytes, bytes, ISTHMUS_AEAD_KEY_SIZE);

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, self->bytes, ISTHMUS_AEAD_KEY_SIZE);
  memcpy (self->fingerprint, g_checksum_get_string (checksum), 8);
  self->fingerprint[8] = '\0';

  datum.data = self->bytes;
  datum.size = ISTHMUS_AEAD_KEY_SIZE;
  ret = gnutls_aead_cipher_init (&self->handle, GNUTLS_CIPHER_AES_256_GCM, &datum);
  if (ret < 0)
    {
      self->handle = NULL;
      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INTERNAL,
                   "INTERNAL: AES-256-GCM is not available: %s", gnutls_strerror (ret));
      return NULL;
    }

  return g_steal_pointer (&self);
}

IsthmusAeadKey *
isthmus_aead_key_new_random (GError **error)
{
  guint8 bytes[ISTHMUS_AEAD_KEY_SIZE];
  IsthmusAeadKey *self;
  int ret;

  ret = gnutls_rnd (GNUTLS_RND_KEY, bytes, sizeof bytes);
  if (ret < 0)
    {
      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INTERNAL,
                   "INTERNAL: no random key: %s", gnutls_strerror (ret));
      return NULL;
    }

  self = isthmus_aead_key_new (bytes, sizeof bytes, error);
  gnutls_memset (bytes, 0, sizeof bytes);
  return self;
}

IsthmusAeadKey *
isthmus_aead_key_ref (IsthmusAeadKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
isthmus_aead_key_unref (IsthmusAeadKey *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (self->handle != NULL)
    gnutls_aead_cipher_deinit (self->handle);
  gnutls_memset (self->bytes, 0, sizeof self->bytes);
  g_free (self);
}

const guint8 *
isthmus_aead_key_peek_bytes (IsthmusAeadKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->bytes;
}

const char *
isthmus_aead_key_get_fingerprint (IsthmusAeadKey *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->fingerprint;
}

GBytes *
isthmus_aead_encrypt (IsthmusAeadKey  *key,
                      const guint8    *nonce,
                      gsize            nonce_length,
                      const guint8    *aad,
                      gsize            aad_length,
                      const guint8    *plaintext,
                      gsize            plaintext_length,
                      GError         **error)
{
  g_autofree guint8 *out = NULL;
  size_t out_length;
  int ret;

  g_return_val_if_fail (key != NULL, NULL);

  if (nonce == NULL || nonce_length != ISTHMUS_AEAD_NONCE_SIZE)
    {
      rejected (error, "bad nonce: 12 bytes expected");
      return NULL;
    }

  if (plaintext_length > G_MAXSIZE - ISTHMUS_AEAD_TAG_SIZE)
    {
      rejected (error, "plaintext too large");
      return NULL;
    }

  out_length = plaintext_length + ISTHMUS_AEAD_TAG_SIZE;
  out = g_malloc (out_length);
  ret = gnutls_aead_cipher_encrypt (key->handle, nonce, nonce_length,
                                    aad_length ? aad : NULL, aad_length,
                                    ISTHMUS_AEAD_TAG_SIZE,
                                    plaintext_length ? plaintext : NULL, plaintext_length,
                                    out, &out_length);
  if (ret < 0)
    {
      g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INTERNAL,
                   "INTERNAL: encryption failed: %s", gnutls_strerror (ret));
      return NULL;
    }

  return g_bytes_new_take (g_steal_pointer (&out), out_length);
}

GBytes *
isthmus_aead_decrypt (IsthmusAeadKey  *key,
                      const guint8    *nonce,
                      gsize            nonce_length,
                      const guint8    *aad,
                      gsize            aad_length,
                      const guint8    *ct,
                      gsize            ct_length,
                      GError         **error)
{
  guint8 *out;
  size_t out_length;
  int ret;

  g_return_val_if_fail (key != NULL, NULL);

  if (nonce == NULL || nonce_length != ISTHMUS_AEAD_NONCE_SIZE)
    {
      rejected (error, "auth failed: the nonce is not 12 bytes");
      return NULL;
    }

  if (ct == NULL || ct_length < ISTHMUS_AEAD_TAG_SIZE)
    {
      rejected (error, "auth failed: shorter than the 16-byte tag");
      return NULL;
    }

  out_length = ct_length - ISTHMUS_AEAD_TAG_SIZE;
  out = g_malloc (MAX (out_length, 1));
  /* The tag size is the constant, never a length taken from the message. */
  ret = gnutls_aead_cipher_decrypt (key->handle, nonce, nonce_length,
                                    aad_length ? aad : NULL, aad_length,
                                    ISTHMUS_AEAD_TAG_SIZE,
                                    ct, ct_length,
                                    out, &out_length);
  if (ret < 0 || out_length != ct_length - ISTHMUS_AEAD_TAG_SIZE)
    {
      gnutls_memset (out, 0, MAX (ct_length - ISTHMUS_AEAD_TAG_SIZE, 1));
      g_free (out);
      rejected (error, "auth failed");
      return NULL;
    }

  return g_bytes_new_take (out, out_length);
}

void
isthmus_replay_window_init (IsthmusReplayWindow *self)
{
  memset (self, 0, sizeof *self);
}

static gboolean
window_test_bit (const IsthmusReplayWindow *self,
                 guint64                    seq)
{
  guint64 bit = seq % ISTHMUS_REPLAY_WINDOW;

  return (self->bits[bit / 64] >> (bit % 64)) & 1;
}

static void
window_set_bit (IsthmusReplayWindow *self,
                guint64              seq,
                gboolean             value)
{
  guint64 bit = seq % ISTHMUS_REPLAY_WINDOW;

  if (value)
    self->bits[bit / 64] |= G_GUINT64_CONSTANT (1) << (bit % 64);
  else
    self->bits[bit / 64] &= ~(G_GUINT64_CONSTANT (1) << (bit % 64));
}

gboolean
isthmus_replay_window_check (IsthmusReplayWindow  *self,
                             guint64               seq,
                             const char          **reason)
{
  const char *dummy;

  if (reason == NULL)
    reason = &dummy;

  if (seq == 0 || seq >= MAX_SEQ)
    {
      *reason = "out of range";
      return FALSE;
    }

  if (seq > self->top)
    {
      /* Slide: clear every slot between the old top and the new one. */
      if (seq - self->top >= ISTHMUS_REPLAY_WINDOW)
        memset (self->bits, 0, sizeof self->bits);
      else
        for (guint64 s = self->top + 1; s < seq; s++)
          window_set_bit (self, s, FALSE);

      window_set_bit (self, seq, TRUE);
      self->top = seq;
      return TRUE;
    }

  if (self->top - seq >= ISTHMUS_REPLAY_WINDOW)
    {
      *reason = "too old";
      return FALSE;
    }

  if (window_test_bit (self, seq))
    {
      *reason = "replay";
      return FALSE;
    }

  window_set_bit (self, seq, TRUE);
  return TRUE;
}

static gboolean
get_uint (JsonObject  *object,
          const char  *name,
          guint64      max,
          guint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  value = json_node_get_int (node);
  if (value < 0 || (guint64)value > max)
    return FALSE;

  *out = (guint64)value;
  return TRUE;
}

static const char *
get_string (JsonObject *object,
            const char *name,
            gsize       max_bytes)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);
  if (max_bytes > 0 && strlen (value) > max_bytes)
    return NULL;

  return value;
}

static GBytes *
get_base64 (JsonObject *object,
            const char *name)
{
  const char *text = get_string (object, name, 0);
  gsize length = 0;
  guchar *data;

  if (text == NULL)
    return NULL;

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return NULL;

  if (strlen (text) % 4 != 0)
    return NULL;

  data = g_base64_decode (text, &length);
  return g_bytes_new_take (data, length);
}

gboolean
isthmus_envelope_parse (const char       *text,
                        gsize             length,
                        IsthmusEnvelope  *envelope,
                        GError          **error)
{
  static const IsthmusJsonLimits limits = { ENVELOPE_MAX_BYTES, 2 };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *cmd;
  const char *ctype;
  guint64 version = 0;

  g_return_val_if_fail (envelope != NULL, FALSE);

  memset (envelope, 0, sizeof *envelope);

  if (text == NULL || length == 0)
    return rejected (error, "not an envelope: empty message");

  root = isthmus_json_read (text, length, &limits, &local_error);
  if (root == NULL && local_error->code == ISTHMUS_IPC_ERROR_BAD_MESSAGE)
    return rejected (error, "not an envelope: not JSON");
  if (root == NULL)
    return rejected (error, "not an envelope: %s", local_error->message);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return rejected (error, "not an envelope: not an object");

  object = json_node_get_object (root);

  if (!get_uint (object, "v", 1, &version) || version != 1)
    return rejected (error, "not an envelope: missing or unknown version `v`");
  if (!get_uint (object, "epoch", G_MAXUINT32, &envelope->epoch))
    return rejected (error, "not an envelope: bad `epoch`");
  if (!get_uint (object, "seq", G_MAXUINT32, &envelope->seq))
    return rejected (error, "not an envelope: bad `seq`");
  if (!get_uint (object, "callback", G_MAXUINT32, &envelope->callback))
    return rejected (error, "not an envelope: bad `callback`");
  if (!get_uint (object, "error", G_MAXUINT32, &envelope->error_id))
    return rejected (error, "not an envelope: bad `error`");

  cmd = get_string (object, "cmd", MAX_CMD_BYTES);
  if (cmd == NULL || *cmd == '\0')
    return rejected (error, "not an envelope: bad `cmd`");
  ctype = get_string (object, "ctype", MAX_CTYPE_BYTES);
  if (ctype == NULL)
    return rejected (error, "not an envelope: bad `ctype`");

  envelope->nonce = get_base64 (object, "nonce");
  if (envelope->nonce == NULL || g_bytes_get_size (envelope->nonce) != ISTHMUS_AEAD_NONCE_SIZE)
    {
      isthmus_envelope_clear (envelope);
      return rejected (error, "not an envelope: `nonce` is not 12 bytes of base64");
    }

  envelope->ct = get_base64 (object, "ct");
  if (envelope->ct == NULL || g_bytes_get_size (envelope->ct) < ISTHMUS_AEAD_TAG_SIZE)
    {
      isthmus_envelope_clear (envelope);
      return rejected (error, "not an envelope: `ct` is missing or shorter than the tag");
    }

  envelope->cmd = g_strdup (cmd);
  envelope->ctype = g_strdup (ctype);
  return TRUE;
}

void
isthmus_envelope_clear (IsthmusEnvelope *envelope)
{
  g_clear_pointer (&envelope->cmd, g_free);
  g_clear_pointer (&envelope->ctype, g_free);
  g_clear_pointer (&envelope->nonce, g_bytes_unref);
  g_clear_pointer (&envelope->ct, g_bytes_unref);
}

static GBytes *
build_aad (const char *webview_label,
           guint64     epoch,
           guint64     seq,
           const char *cmd,
           guint64     callback,
           guint64     error_id,
           const char *ctype)
{
  GByteArray *aad = g_byte_array_new ();
  char numbers[4][24];
  const char *parts[8];

  g_snprintf (numbers[0], sizeof numbers[0], "%" G_GUINT64_FORMAT, epoch);
  g_snprintf (numbers[1], sizeof numbers[1], "%" G_GUINT64_FORMAT, seq);
  g_snprintf (numbers[2], sizeof numbers[2], "%" G_GUINT64_FORMAT, callback);
  g_snprintf (numbers[3], sizeof numbers[3], "%" G_GUINT64_FORMAT, error_id);

  parts[0] = "isthmus-envelope-v1";
  parts[1] = webview_label;
  parts[2] = numbers[0];
  parts[3] = numbers[1];
  parts[4] = cmd;
  parts[5] = numbers[2];
  parts[6] = numbers[3];
  parts[7] = ctype;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (i > 0)
        g_byte_array_append (aad, (const guint8 *)"", 1);
      g_byte_array_append (aad, (const guint8 *)parts[i], strlen (parts[i]));
    }

  return g_byte_array_free_to_bytes (aad);
}

GBytes *
isthmus_envelope_build_aad (const IsthmusEnvelope *envelope,
                            const char            *webview_label)
{
  g_return_val_if_fail (envelope != NULL, NULL);
  g_return_val_if_fail (webview_label != NULL, NULL);

  return build_aad (webview_label, envelope->epoch, envelope->seq, envelope->cmd,
                    envelope->callback, envelope->error_id, envelope->ctype);
}

GBytes *
isthmus_envelope_open (const IsthmusEnvelope *envelope,
                       IsthmusAeadKey        *key,
                       const char            *webview_label,
                       guint64                epoch,
                       IsthmusReplayWindow   *window,
                       GError               **error)
{
  g_autoptr(GBytes) aad = NULL;
  g_autoptr(GBytes) plaintext = NULL;
  const char *reason = NULL;
  gsize nonce_length, ct_length, aad_length;
  const guint8 *nonce, *ct, *aad_data;

  g_return_val_if_fail (envelope != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (window != NULL, NULL);

  if (envelope->epoch != epoch)
    {
      rejected (error, "stale epoch %" G_GUINT64_FORMAT " (now %" G_GUINT64_FORMAT ")",
                envelope->epoch, epoch);
      return NULL;
    }

  aad = isthmus_envelope_build_aad (envelope, webview_label);
  nonce = g_bytes_get_data (envelope->nonce, &nonce_length);
  ct = g_bytes_get_data (envelope->ct, &ct_length);
  aad_data = g_bytes_get_data (aad, &aad_length);

  plaintext = isthmus_aead_decrypt (key, nonce, nonce_length, aad_data, aad_length,
                                    ct, ct_length, error);
  if (plaintext == NULL)
    return NULL;

  /* Only an authentic envelope may move the window. */
  if (!isthmus_replay_window_check (window, envelope->seq, &reason))
    {
      rejected (error, "%s seq=%" G_GUINT64_FORMAT, reason, envelope->seq);
      return NULL;
    }

  return g_steal_pointer (&plaintext);
}

char *
isthmus_envelope_seal (IsthmusAeadKey  *key,
                       const char      *webview_label,
                       guint64          epoch,
                       guint64          seq,
                       const char      *cmd,
                       guint64          callback,
                       guint64          error_id,
                       const char      *ctype,
                       const guint8    *plaintext,
                       gsize            plaintext_length,
                       GError         **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) aad = NULL;
  g_autoptr(GBytes) ct = NULL;
  g_autofree char *nonce_b64 = NULL;
  g_autofree char *ct_b64 = NULL;
  guint8 nonce[ISTHMUS_AEAD_NONCE_SIZE];
  gsize aad_length, ct_length;
  const guint8 *aad_data, *ct_data;

  g_return_val_if_fail (key != NULL, NULL);

  if (gnutls_rnd (GNUTLS_RND_NONCE, nonce, sizeof nonce) < 0)
    {
      g_set_error_literal (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INTERNAL,
                           "INTERNAL: no random nonce");
      return NULL;
    }

  aad = build_aad (webview_label, epoch, seq, cmd, callback, error_id, ctype);
  aad_data = g_bytes_get_data (aad, &aad_length);
  ct = isthmus_aead_encrypt (key, nonce, sizeof nonce, aad_data, aad_length,
                             plaintext, plaintext_length, error);
  if (ct == NULL)
    return NULL;

  ct_data = g_bytes_get_data (ct, &ct_length);
  nonce_b64 = g_base64_encode (nonce, sizeof nonce);
  ct_b64 = g_base64_encode (ct_data, ct_length);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "v");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "epoch");
  json_builder_add_int_value (builder, epoch);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, seq);
  json_builder_set_member_name (builder, "cmd");
  json_builder_add_string_value (builder, cmd);
  json_builder_set_member_name (builder, "callback");
  json_builder_add_int_value (builder, callback);
  json_builder_set_member_name (builder, "error");
  json_builder_add_int_value (builder, error_id);
  json_builder_set_member_name (builder, "ctype");
  json_builder_add_string_value (builder, ctype);
  json_builder_set_member_name (builder, "nonce");
  json_builder_add_string_value (builder, nonce_b64);
  json_builder_set_member_name (builder, "ct");
  json_builder_add_string_value (builder, ct_b64);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

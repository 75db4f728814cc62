/* isthmus-envelope.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ISTHMUS_AEAD_KEY_SIZE   32
#define ISTHMUS_AEAD_NONCE_SIZE 12
/* Fixed in code: never taken from a message (GnuTLS accepts a shorter
 * tag when told to). */
#define ISTHMUS_AEAD_TAG_SIZE   16
#define ISTHMUS_REPLAY_WINDOW   1024

typedef struct _IsthmusAeadKey IsthmusAeadKey;

#define ISTHMUS_TYPE_AEAD_KEY (isthmus_aead_key_get_type ())

GType           isthmus_aead_key_get_type   (void) G_GNUC_CONST;
/* 32 bytes from GnuTLS's key-grade generator. */
IsthmusAeadKey *isthmus_aead_key_new_random (GError          **error);
/* @bytes must be 32 bytes long. */
IsthmusAeadKey *isthmus_aead_key_new        (const guint8     *bytes,
                                             gsize             length,
                                             GError          **error);
IsthmusAeadKey *isthmus_aead_key_ref        (IsthmusAeadKey   *self);
/* The last unref wipes the key bytes. */
void            isthmus_aead_key_unref      (IsthmusAeadKey   *self);
/* The raw key, only for handing it to the isolation frame. */
const guint8   *isthmus_aead_key_peek_bytes (IsthmusAeadKey   *self);
/* A short non-secret fingerprint (first 8 hex digits of SHA-256 of the
 * key), for telling keys apart in the inspector. */
const char     *isthmus_aead_key_get_fingerprint (IsthmusAeadKey *self);

/* AES-256-GCM with a 12-byte nonce and a 16-byte tag appended to the
 * ciphertext. Decrypt refuses a wrong nonce size and @ct_length < 16 before
 * any crypto call; it returns the plaintext or sets
 * ISTHMUS_IPC_ERROR_ISOLATION_REJECTED ("auth failed"), never both. */
GBytes         *isthmus_aead_encrypt        (IsthmusAeadKey   *key,
                                             const guint8     *nonce,
                                             gsize             nonce_length,
                                             const guint8     *aad,
                                             gsize             aad_length,
                                             const guint8     *plaintext,
                                             gsize             plaintext_length,
                                             GError          **error);
GBytes         *isthmus_aead_decrypt        (IsthmusAeadKey   *key,
                                             const guint8     *nonce,
                                             gsize             nonce_length,
                                             const guint8     *aad,
                                             gsize             aad_length,
                                             const guint8     *ct,
                                             gsize             ct_length,
                                             GError          **error);

/**
 * IsthmusReplayWindow:
 *
 * A sliding window of the last %ISTHMUS_REPLAY_WINDOW sequence numbers
 * (as in IPsec): a number is accepted once; one older than the window is
 * refused. Sequence numbers start at 1 and stay below 2^32.
 */
typedef struct
{
  guint64 top;
  guint64 bits[ISTHMUS_REPLAY_WINDOW / 64];
} IsthmusReplayWindow;

void            isthmus_replay_window_init  (IsthmusReplayWindow *self);
/* Returns TRUE and marks @seq as seen, or FALSE with @reason ("replay",
 * "too old", "out of range"). Call only after the envelope authenticated. */
gboolean        isthmus_replay_window_check (IsthmusReplayWindow *self,
                                             guint64              seq,
                                             const char         **reason);

/**
 * IsthmusEnvelope:
 *
 * What the isolation frame sends for one call, as JSON text:
 * `{"v":1,"epoch":E,"seq":S,"cmd":C,"callback":CB,"error":ER,
 *   "ctype":T,"nonce":"<base64 of 12 bytes>","ct":"<base64>"}`.
 * `cmd`, `callback`, `error` and `ctype` travel in clear for the record
 * and are bound, with the webview and the epoch and sequence, as
 * additional authenticated data (see isthmus_envelope_build_aad()).
 */
typedef struct
{
  guint64  epoch;
  guint64  seq;
  char    *cmd;
  guint64  callback;
  guint64  error_id;
  char    *ctype;
  GBytes  *nonce;
  GBytes  *ct;
} IsthmusEnvelope;

/* Parses an envelope. Anything else (plaintext invoke, empty text, a
 * missing or mistyped field, a nonce that is not 12 bytes, a ciphertext
 * shorter than the tag) sets ISTHMUS_IPC_ERROR_ISOLATION_REJECTED with a
 * message starting "not an envelope". @text need not be NUL-terminated;
 * it is size- and depth-guarded before json-glib sees it. */
gboolean        isthmus_envelope_parse      (const char          *text,
                                             gsize                length,
                                             IsthmusEnvelope     *envelope,
                                             GError             **error);
void            isthmus_envelope_clear      (IsthmusEnvelope     *envelope);
/* "isthmus-envelope-v1" NUL webview NUL epoch NUL seq NUL cmd NUL callback
 * NUL error NUL ctype, numbers in decimal. (transfer full) */
GBytes         *isthmus_envelope_build_aad  (const IsthmusEnvelope *envelope,
                                             const char          *webview_label);
/* Checks the epoch against @epoch, decrypts with @key under the AAD for
 * @webview_label, then checks @window. On failure sets ISOLATION_REJECTED
 * with "auth failed", "stale epoch", "replay seq=N" or "too old seq=N". */
GBytes         *isthmus_envelope_open       (const IsthmusEnvelope *envelope,
                                             IsthmusAeadKey      *key,
                                             const char          *webview_label,
                                             guint64              epoch,
                                             IsthmusReplayWindow *window,
                                             GError             **error);
/* The inverse, for tests and benchmarks: seals @plaintext into envelope
 * JSON text with a random nonce. (transfer full) */
char           *isthmus_envelope_seal       (IsthmusAeadKey      *key,
                                             const char          *webview_label,
                                             guint64              epoch,
                                             guint64              seq,
                                             const char          *cmd,
                                             guint64              callback,
                                             guint64              error_id,
                                             const char          *ctype,
                                             const guint8        *plaintext,
                                             gsize                plaintext_length,
                                             GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusAeadKey, isthmus_aead_key_unref)

G_END_DECLS

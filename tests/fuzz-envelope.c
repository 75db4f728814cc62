/* fuzz-envelope.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds arbitrary bytes to the envelope parser and, when they parse, to the
 * opener under a fixed key: nothing forged may ever open.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "isthmus-envelope.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static IsthmusAeadKey *key;
  IsthmusEnvelope envelope;
  IsthmusReplayWindow window;
  GBytes *plain;
  GError *error = NULL;

  if (key == NULL)
    {
      guint8 bytes[ISTHMUS_AEAD_KEY_SIZE];

      memset (bytes, 0x42, sizeof bytes);
      key = isthmus_aead_key_new (bytes, sizeof bytes, NULL);
    }

  if (!isthmus_envelope_parse ((const char *)data, size, &envelope, &error))
    {
      g_assert_nonnull (error);
      g_error_free (error);
      return 0;
    }

  g_assert_cmpuint (g_bytes_get_size (envelope.nonce), ==, ISTHMUS_AEAD_NONCE_SIZE);
  g_assert_cmpuint (g_bytes_get_size (envelope.ct), >=, ISTHMUS_AEAD_TAG_SIZE);

  isthmus_replay_window_init (&window);
  plain = isthmus_envelope_open (&envelope, key, "main", envelope.epoch, &window, &error);

  /* Without the key, no input can authenticate. */
  g_assert_null (plain);
  g_assert_nonnull (error);
  g_error_free (error);
  isthmus_envelope_clear (&envelope);
  return 0;
}

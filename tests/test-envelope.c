/* test-envelope.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "isthmus-envelope.h"
#include "isthmus-error.h"

static GBytes *
unhex (const char *hex)
{
  gsize n = strlen (hex) / 2;
  guint8 *out = g_malloc (MAX (n, 1));

  for (gsize i = 0; i < n; i++)
    out[i] = (g_ascii_xdigit_value (hex[2 * i]) << 4) | g_ascii_xdigit_value (hex[2 * i + 1]);

  return g_bytes_new_take (out, n);
}

static IsthmusAeadKey *
fixed_key (guint8 fill)
{
  guint8 bytes[ISTHMUS_AEAD_KEY_SIZE];
  g_autoptr(GError) error = NULL;
  IsthmusAeadKey *key;

  memset (bytes, fill, sizeof bytes);
  key = isthmus_aead_key_new (bytes, sizeof bytes, &error);
  g_assert_no_error (error);
  return key;
}

/* Every AES-256-GCM vector with a 96-bit nonce and a 128-bit tag: our
 * wrapper's verdict matches Wycheproof's, and valid ones decrypt to msg
 * and encrypt back to ct‖tag. */
static void
test_wycheproof (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "wycheproof", "aes_gcm_test.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *groups;
  guint checked = 0, valid = 0, invalid = 0;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  groups = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "testGroups");

  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      JsonObject *group = json_array_get_object_element (groups, g);
      JsonArray *tests;

      if (json_object_get_int_member (group, "keySize") != 256 ||
          json_object_get_int_member (group, "ivSize") != 96 ||
          json_object_get_int_member (group, "tagSize") != 128)
        continue;

      tests = json_object_get_array_member (group, "tests");
      for (guint t = 0; t < json_array_get_length (tests); t++)
        {
          JsonObject *test = json_array_get_object_element (tests, t);
          g_autoptr(GBytes) key_bytes = unhex (json_object_get_string_member (test, "key"));
          g_autoptr(GBytes) iv = unhex (json_object_get_string_member (test, "iv"));
          g_autoptr(GBytes) aad = unhex (json_object_get_string_member (test, "aad"));
          g_autoptr(GBytes) msg = unhex (json_object_get_string_member (test, "msg"));
          g_autofree char *ct_hex = g_strconcat (json_object_get_string_member (test, "ct"),
                                                 json_object_get_string_member (test, "tag"), NULL);
          g_autoptr(GBytes) ct = unhex (ct_hex);
          g_autoptr(IsthmusAeadKey) key = NULL;
          g_autoptr(GBytes) plain = NULL;
          g_autoptr(GError) local_error = NULL;
          const char *result = json_object_get_string_member (test, "result");
          gboolean expect_valid = g_str_equal (result, "valid");

          key = isthmus_aead_key_new (g_bytes_get_data (key_bytes, NULL), g_bytes_get_size (key_bytes), &local_error);
          g_assert_no_error (local_error);

          plain = isthmus_aead_decrypt (key,
                                        g_bytes_get_data (iv, NULL), g_bytes_get_size (iv),
                                        g_bytes_get_data (aad, NULL), g_bytes_get_size (aad),
                                        g_bytes_get_data (ct, NULL), g_bytes_get_size (ct),
                                        &local_error);
          if (expect_valid)
            {
              g_autoptr(GBytes) sealed = NULL;

              g_assert_no_error (local_error);
              g_assert_nonnull (plain);
              g_assert_true (g_bytes_equal (plain, msg));

              sealed = isthmus_aead_encrypt (key,
                                             g_bytes_get_data (iv, NULL), g_bytes_get_size (iv),
                                             g_bytes_get_data (aad, NULL), g_bytes_get_size (aad),
                                             g_bytes_get_data (msg, NULL), g_bytes_get_size (msg),
                                             &local_error);
              g_assert_no_error (local_error);
              g_assert_true (g_bytes_equal (sealed, ct));
              valid++;
            }
          else
            {
              g_assert_null (plain);
              g_assert_error (local_error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED);
              invalid++;
            }
          checked++;
        }
    }

  g_test_message ("%u vectors: %u valid, %u invalid", checked, valid, invalid);
  g_assert_cmpuint (checked, >=, 60);
  g_assert_cmpuint (valid, >, 0);
  g_assert_cmpuint (invalid, >, 0);
}

/* GnuTLS accepts a truncated tag if told its size; ours is fixed at 16. */
static void
test_truncated_tag (void)
{
  g_autoptr(IsthmusAeadKey) key = fixed_key (7);
  const guint8 nonce[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
  const char *msg = "a secret message";
  g_autoptr(GBytes) ct = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize length;

  ct = isthmus_aead_encrypt (key, nonce, 12, NULL, 0, (const guint8 *)msg, strlen (msg), &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (ct, &length);
  g_assert_cmpuint (length, ==, strlen (msg) + 16);

  for (gsize cut = 1; cut <= 16; cut++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GBytes) p = isthmus_aead_decrypt (key, nonce, 12, NULL, 0, data, length - cut, &local_error);

      g_assert_null (p);
      g_assert_error (local_error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED);
    }

  /* Shorter than any tag at all: refused before any crypto call. */
  plain = isthmus_aead_decrypt (key, nonce, 12, NULL, 0, data, 15, &error);
  g_assert_null (plain);
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED);
  g_clear_error (&error);

  /* A nonce of another size is refused. */
  plain = isthmus_aead_decrypt (key, nonce, 8, NULL, 0, data, length, &error);
  g_assert_null (plain);
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED);
}

static void
test_replay_window (void)
{
  IsthmusReplayWindow w;
  const char *reason = NULL;

  isthmus_replay_window_init (&w);

  g_assert_false (isthmus_replay_window_check (&w, 0, &reason));
  g_assert_cmpstr (reason, ==, "out of range");
  g_assert_false (isthmus_replay_window_check (&w, G_MAXUINT32, &reason));
  g_assert_false (isthmus_replay_window_check (&w, G_GUINT64_CONSTANT (1) << 40, &reason));

  g_assert_true (isthmus_replay_window_check (&w, 1, NULL));
  g_assert_false (isthmus_replay_window_check (&w, 1, &reason));
  g_assert_cmpstr (reason, ==, "replay");

  /* Out of order inside the window: each accepted once. */
  g_assert_true (isthmus_replay_window_check (&w, 5, NULL));
  g_assert_true (isthmus_replay_window_check (&w, 3, NULL));
  g_assert_true (isthmus_replay_window_check (&w, 2, NULL));
  g_assert_false (isthmus_replay_window_check (&w, 3, &reason));
  g_assert_true (isthmus_replay_window_check (&w, 4, NULL));

  /* The window edge: top - 1023 is inside, top - 1024 is too old. */
  g_assert_true (isthmus_replay_window_check (&w, 2000, NULL));
  g_assert_true (isthmus_replay_window_check (&w, 2000 - 1023, NULL));
  g_assert_false (isthmus_replay_window_check (&w, 2000 - 1024, &reason));
  g_assert_cmpstr (reason, ==, "too old");
  g_assert_false (isthmus_replay_window_check (&w, 2000 - 1023, &reason));
  g_assert_cmpstr (reason, ==, "replay");

  /* A big jump clears the window; nothing seen before reappears. */
  g_assert_true (isthmus_replay_window_check (&w, 100000, NULL));
  g_assert_true (isthmus_replay_window_check (&w, 100000 - 1, NULL));
  g_assert_false (isthmus_replay_window_check (&w, 100000, &reason));
  g_assert_true (isthmus_replay_window_check (&w, G_MAXUINT32 - 1, NULL));
}

static char *
seal (IsthmusAeadKey *key,
      guint64         epoch,
      guint64         seq,
      const char     *cmd,
      const char     *plain)
{
  g_autoptr(GError) error = NULL;
  char *text = isthmus_envelope_seal (key, "main", epoch, seq, cmd, 11, 12, "application/json",
                                      (const guint8 *)plain, strlen (plain), &error);

  g_assert_no_error (error);
  return text;
}

static GBytes *
open_text (const char          *text,
           IsthmusAeadKey      *key,
           const char          *webview,
           guint64              epoch,
           IsthmusReplayWindow *window,
           GError             **error)
{
  IsthmusEnvelope envelope;
  GBytes *plain;

  if (!isthmus_envelope_parse (text, strlen (text), &envelope, error))
    return NULL;

  plain = isthmus_envelope_open (&envelope, key, webview, epoch, window, error);
  isthmus_envelope_clear (&envelope);
  return plain;
}

static void
test_envelope_roundtrip (void)
{
  g_autoptr(IsthmusAeadKey) key = fixed_key (1);
  g_autoptr(IsthmusAeadKey) other = fixed_key (2);
  g_autofree char *text = seal (key, 3, 1, "greet", "{\"name\":\"x\"}");
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GError) error = NULL;
  IsthmusReplayWindow window;

  isthmus_replay_window_init (&window);

  /* Wrong key, wrong webview, wrong epoch: refused, window untouched. */
  plain = open_text (text, other, "main", 3, &window, &error);
  g_assert_null (plain);
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED);
  g_assert_true (g_str_has_prefix (error->message, "auth failed"));
  g_clear_error (&error);

  plain = open_text (text, key, "other", 3, &window, &error);
  g_assert_null (plain);
  g_assert_true (g_str_has_prefix (error->message, "auth failed"));
  g_clear_error (&error);

  plain = open_text (text, key, "main", 4, &window, &error);
  g_assert_null (plain);
  g_assert_true (g_str_has_prefix (error->message, "stale epoch"));
  g_clear_error (&error);

  plain = open_text (text, key, "main", 3, &window, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), "{\"name\":\"x\"}", 12);
  g_clear_pointer (&plain, g_bytes_unref);

  /* A replay of the same envelope executes once in 10,001 sends. */
  for (guint i = 0; i < 10000; i++)
    {
      plain = open_text (text, key, "main", 3, &window, &error);
      g_assert_null (plain);
      g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED);
      g_assert_true (g_str_has_prefix (error->message, "replay seq=1"));
      g_clear_error (&error);
    }
}

/* Swapping any clear field (cmd, ids, content type, epoch, seq) or flipping
 * any bit of nonce or ciphertext makes the envelope fail. */
static void
test_envelope_tamper (void)
{
  g_autoptr(IsthmusAeadKey) key = fixed_key (9);
  g_autofree char *text = seal (key, 1, 7, "greet", "{\"name\":\"tamper\"}");
  IsthmusEnvelope good;
  g_autoptr(GError) error = NULL;
  guint rejected = 0, tried = 0;

  g_assert_true (isthmus_envelope_parse (text, strlen (text), &good, &error));
  g_assert_no_error (error);

  for (guint field = 0; field < 7; field++)
    {
      IsthmusEnvelope bad;
      IsthmusReplayWindow window;
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GError) local_error = NULL;

      isthmus_replay_window_init (&window);
      g_assert_true (isthmus_envelope_parse (text, strlen (text), &bad, NULL));
      switch (field)
        {
        case 0: g_free (bad.cmd); bad.cmd = g_strdup ("fs_write"); break;
        case 1: bad.callback++; break;
        case 2: bad.error_id++; break;
        case 3: g_free (bad.ctype); bad.ctype = g_strdup ("application/octet-stream"); break;
        case 4: bad.seq++; break;
        case 5: bad.epoch++; break;
        default: break;
        }

      plain = isthmus_envelope_open (&bad, key, field == 6 ? "mallory" : "main",
                                     bad.epoch, &window, &local_error);
      g_assert_null (plain);
      g_assert_error (local_error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED);
      isthmus_envelope_clear (&bad);
      rejected++;
      tried++;
    }

  for (guint which = 0; which < 2; which++)
    {
      GBytes *bytes = which == 0 ? good.nonce : good.ct;
      gsize length = g_bytes_get_size (bytes);

      for (gsize bit = 0; bit < length * 8; bit++)
        {
          g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (bytes, NULL), length);
          IsthmusEnvelope bad = good;
          IsthmusReplayWindow window;
          g_autoptr(GBytes) flipped = NULL;
          g_autoptr(GBytes) plain = NULL;
          g_autoptr(GError) local_error = NULL;

          copy[bit / 8] ^= 1 << (bit % 8);
          flipped = g_bytes_new (copy, length);
          if (which == 0)
            bad.nonce = flipped;
          else
            bad.ct = flipped;

          isthmus_replay_window_init (&window);
          plain = isthmus_envelope_open (&bad, key, "main", 1, &window, &local_error);
          g_assert_null (plain);
          g_assert_error (local_error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED);
          rejected++;
          tried++;
        }
    }

  g_test_message ("%u of %u mutations rejected", rejected, tried);
  g_assert_cmpuint (rejected, ==, tried);
  isthmus_envelope_clear (&good);
}

static void
test_envelope_not_envelopes (void)
{
  const char *cases[] = {
    "",
    "{}",
    "null",
    "[]",
    "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{}}",
    "{\"v\":1,\"epoch\":1,\"seq\":1,\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"ctype\":\"application/json\",\"nonce\":\"AAAAAAAAAAAAAAAA\"}",
    "{\"v\":1,\"epoch\":1,\"seq\":1,\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"ctype\":\"application/json\",\"nonce\":\"AAAAAAAAAAAAAAAA\",\"ct\":\"\"}",
    "{\"v\":1,\"epoch\":1,\"seq\":1,\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"ctype\":\"application/json\",\"nonce\":\"AAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}",
    "{\"v\":2,\"epoch\":1,\"seq\":1,\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"ctype\":\"application/json\",\"nonce\":\"AAAAAAAAAAAAAAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}",
    "{\"v\":1,\"epoch\":-1,\"seq\":1,\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"ctype\":\"application/json\",\"nonce\":\"AAAAAAAAAAAAAAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}",
    "{\"v\":1,\"epoch\":1,\"seq\":1,\"cmd\":\"\",\"callback\":1,\"error\":2,\"ctype\":\"application/json\",\"nonce\":\"AAAAAAAAAAAAAAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}",
    "{\"v\":1,\"epoch\":1,\"seq\":1,\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"ctype\":\"application/json\",\"nonce\":\"!!!!AAAAAAAAAAAA\",\"ct\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      IsthmusEnvelope envelope;
      g_autoptr(GError) error = NULL;

      g_assert_false (isthmus_envelope_parse (cases[i], strlen (cases[i]), &envelope, &error));
      g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ISOLATION_REJECTED);
      g_assert_true (g_str_has_prefix (error->message, "not an envelope"));
    }
}

static void
test_keys_differ (void)
{
  g_autoptr(IsthmusAeadKey) a = isthmus_aead_key_new_random (NULL);
  g_autoptr(IsthmusAeadKey) b = isthmus_aead_key_new_random (NULL);

  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_true (memcmp (isthmus_aead_key_peek_bytes (a), isthmus_aead_key_peek_bytes (b), 32) != 0);
  g_assert_cmpuint (strlen (isthmus_aead_key_get_fingerprint (a)), ==, 8);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/envelope/wycheproof", test_wycheproof);
  g_test_add_func ("/isthmus/envelope/truncated-tag", test_truncated_tag);
  g_test_add_func ("/isthmus/envelope/replay-window", test_replay_window);
  g_test_add_func ("/isthmus/envelope/roundtrip", test_envelope_roundtrip);
  g_test_add_func ("/isthmus/envelope/tamper", test_envelope_tamper);
  g_test_add_func ("/isthmus/envelope/not-envelopes", test_envelope_not_envelopes);
  g_test_add_func ("/isthmus/envelope/keys-differ", test_keys_differ);

  return g_test_run ();
}

/* test-isolation-core.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-error.h"
#include "isthmus-isolation.h"

typedef struct
{
  int       calls;
  gboolean  ok;
  char     *json;
  char     *code;
} Reply;

static int bumps;

static void
reply_cb (const IsthmusReply *r,
          gpointer            user_data)
{
  Reply *reply = user_data;

  reply->calls++;
  reply->ok = r->ok;
  g_free (reply->json);
  reply->json = g_strndup (r->json, r->json_length);
  g_free (reply->code);
  reply->code = g_strdup (r->code);
}

static void
reply_clear (Reply *reply)
{
  g_clear_pointer (&reply->json, g_free);
  g_clear_pointer (&reply->code, g_free);
  reply->calls = 0;
}

static void
bump_cb (IsthmusInvocation *invocation,
         gpointer           user_data)
{
  JsonNode *value = json_node_new (JSON_NODE_VALUE);

  bumps++;
  json_node_set_int (value, bumps);
  isthmus_invocation_return_value (invocation, value);
}

typedef struct
{
  IsthmusCore    *core;
  IsthmusAeadKey *key;
  guint64         epoch;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  bumps = 0;
  f->core = isthmus_core_new ();
  isthmus_demo_commands_register (isthmus_core_get_registry (f->core));
  g_assert_true (isthmus_registry_add (isthmus_core_get_registry (f->core), "bump", NULL,
                                       bump_cb, NULL, NULL));
  isthmus_core_set_isolation (f->core, TRUE);
  g_assert_true (isthmus_core_get_isolation (f->core));
  f->key = isthmus_core_begin_epoch (f->core, "main", &f->epoch, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->key);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->key, isthmus_aead_key_unref);
  g_clear_object (&f->core);
}

/* The bridge's framing around an envelope sealed like the frame does. */
static GBytes *
make_message (IsthmusAeadKey *key,
              const char     *label,
              guint64         epoch,
              guint64         seq,
              const char     *cmd,
              const char     *header,
              const char     *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plaintext = g_strconcat (header, "\n", message, NULL);
  g_autofree char *envelope = NULL;

  envelope = isthmus_envelope_seal (key, label, epoch, seq, cmd, 1, 2, "application/json",
                                    (const guint8 *)plaintext, strlen (plaintext), &error);
  g_assert_no_error (error);

  {
    char *text = g_strdup_printf ("E12 %.3f\n%s\n%s", g_get_real_time () / 1000.0, envelope, message);

    return g_bytes_new_take (text, strlen (text));
  }
}

static GBytes *
frame (const char *text)
{
  return g_bytes_new (text, strlen (text));
}

static IsthmusExchange *
send (Fixture *f,
      GBytes  *message,
      Reply   *reply)
{
  reply_clear (reply);
  return isthmus_core_handle_message (f->core, "main", message, reply_cb, reply);
}

#define PASSED_HEADER "{\"verdict\":\"passed\",\"reason\":null,\"hookUs\":7,\"reads\":[\"cmd\"],\"lint\":[]}"

static GBytes *
sealed (Fixture    *f,
        guint64     seq,
        const char *cmd,
        const char *header,
        const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *plaintext = g_strconcat (header, "\n", message, NULL);
  g_autofree char *envelope = NULL;
  g_autofree char *text = NULL;

  envelope = isthmus_envelope_seal (f->key, "main", f->epoch, seq, cmd, 1, 2, "application/json",
                                    (const guint8 *)plaintext, strlen (plaintext), &error);
  g_assert_no_error (error);
  text = g_strdup_printf ("E12 %.3f\n%s\n%s", g_get_real_time () / 1000.0, envelope, message);

  return frame (text);
}

static void
test_passed (Fixture       *f,
             gconstpointer  data)
{
  const char *msg = "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{\"name\":\"C\"}}";
  g_autoptr(GBytes) m = sealed (f, 1, "greet", PASSED_HEADER, msg);
  g_autofree char *line = NULL;
  const IsthmusExchangeIsolation *info;
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  exchange = send (f, m, &reply);
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"Hello, C! You've been greeted from C.\"");
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "passed");
  info = isthmus_exchange_get_isolation (exchange);
  g_assert_nonnull (info);
  g_assert_cmpint (info->hook_us, ==, 7);
  g_assert_cmpint (info->encrypt_us, ==, 12);
  g_assert_cmpint (info->decrypt_us, >=, 0);
  g_assert_cmpint (info->transport_us, >=, 0);
  g_assert_cmpstr (info->reads[0], ==, "cmd");
  g_assert_nonnull (info->original);
  g_assert_cmpstr (isthmus_exchange_get_command (exchange), ==, "greet");

  line = isthmus_exchange_to_jsonl (exchange);
  g_assert_nonnull (strstr (line, "\"isolation\":{\"verdict\":\"passed\""));
  g_assert_nonnull (strstr (line, "\"hookUs\":7"));
  g_assert_nonnull (strstr (line, "\"hooked\":{\"cmd\":\"greet\""));
  reply_clear (&reply);
}

static void
test_modified (Fixture       *f,
               gconstpointer  data)
{
  const char *header = "{\"verdict\":\"modified\",\"reason\":null,\"hookUs\":1,\"reads\":[],\"lint\":[\"the hook reads payload.message, which Tauri v2 never sets\"]}";
  const char *msg = "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{\"name\":\"hooked\"}}";
  g_autoptr(GBytes) m = sealed (f, 1, "greet", header, msg);
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  exchange = send (f, m, &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"Hello, hooked! You've been greeted from C.\"");
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "modified");
  g_assert_cmpstr (isthmus_exchange_get_isolation (exchange)->lint[0], ==,
                   "the hook reads payload.message, which Tauri v2 never sets");
  reply_clear (&reply);
}

static void
test_blocked (Fixture       *f,
              gconstpointer  data)
{
  const char *header = "{\"verdict\":\"blocked\",\"reason\":\"Error: no bumps today\",\"hookUs\":1,\"reads\":[],\"lint\":[]}";
  const char *msg = "{\"cmd\":\"bump\",\"callback\":1,\"error\":2,\"payload\":{}}";
  g_autoptr(GBytes) m = sealed (f, 1, "bump", header, msg);
  g_autoptr(GBytes) m2 = NULL;
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  exchange = send (f, m, &reply);
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "ISOLATION_BLOCKED");
  g_assert_cmpstr (reply.json, ==, "\"ISOLATION_BLOCKED: Error: no bumps today\"");
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "blocked");
  g_assert_cmpint (bumps, ==, 0);

  m2 = sealed (f, 2, "bump", "{\"verdict\":\"hook-error\",\"reason\":\"the isolation hook returned a string, not a message\"}", msg);
  exchange = send (f, m2, &reply);
  g_assert_cmpstr (reply.code, ==, "ISOLATION_BLOCKED");
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "hook-error");
  g_assert_cmpint (bumps, ==, 0);
  reply_clear (&reply);
}

/* Tauri's behaviour, when chosen: a blocked call is recorded but not
 * answered until its page goes away. */
static void
test_blocked_silently (Fixture       *f,
                       gconstpointer  data)
{
  const char *header = "{\"verdict\":\"blocked\",\"reason\":\"no\",\"hookUs\":1,\"reads\":[],\"lint\":[]}";
  const char *msg = "{\"cmd\":\"bump\",\"callback\":1,\"error\":2,\"payload\":{}}";
  g_autoptr(GBytes) m = sealed (f, 1, "bump", header, msg);
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  isthmus_core_set_block_silently (f->core, TRUE);
  exchange = send (f, m, &reply);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  g_assert_cmpint (reply.calls, ==, 0);
  g_assert_cmpint (bumps, ==, 0);
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "blocked");
  g_assert_nonnull (strstr (isthmus_exchange_get_note (exchange), "not answered"));

  isthmus_core_cancel_webview (f->core, "main");
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_cmpstr (reply.code, ==, "WEBVIEW_GONE");
  reply_clear (&reply);
}

static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  const char *msg = "{\"cmd\":\"bump\",\"callback\":1,\"error\":2,\"payload\":{}}";
  g_autoptr(GBytes) m = sealed (f, 7, "bump", PASSED_HEADER, msg);
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  exchange = send (f, m, &reply);
  g_assert_true (reply.ok);
  for (guint i = 0; i < 10000; i++)
    {
      exchange = send (f, m, &reply);
      g_assert_cmpint (reply.calls, ==, 1);
      g_assert_cmpstr (reply.code, ==, "ISOLATION_REJECTED");
    }
  g_assert_cmpint (bumps, ==, 1);
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "rejected-replay");
  g_assert_cmpstr (isthmus_exchange_get_isolation (exchange)->reason, ==, "rejected: replay seq=7");
  reply_clear (&reply);
}

static void
test_not_envelope (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const texts[] = {
    "{\"cmd\":\"bump\",\"callback\":1,\"error\":2,\"payload\":{}}",
    "",
    "E1 2\n",
    "E1 2\n{\"v\":1,\"epoch\":1,\"seq\":1,\"cmd\":\"bump\",\"callback\":1,\"error\":2,\"ctype\":\"application/json\",\"nonce\":\"AAAAAAAAAAAAAAAA\"}\n",
    "[]",
  };
  Reply reply = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) m = frame (texts[i]);
      IsthmusExchange *exchange = send (f, m, &reply);

      g_assert_cmpint (reply.calls, ==, 1);
      g_assert_cmpstr (reply.code, ==, "ISOLATION_REJECTED");
      g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "rejected-not-envelope");
    }
  g_assert_cmpint (bumps, ==, 0);
  reply_clear (&reply);
}

static void
test_forged (Fixture       *f,
             gconstpointer  data)
{
  const char *msg = "{\"cmd\":\"bump\",\"callback\":1,\"error\":2,\"payload\":{}}";
  g_autoptr(IsthmusAeadKey) other = isthmus_aead_key_new_random (NULL);
  g_autoptr(GBytes) wrong_key = make_message (other, "main", f->epoch, 1, "bump", PASSED_HEADER, msg);
  g_autoptr(GBytes) wrong_view = make_message (f->key, "second", f->epoch, 2, "bump", PASSED_HEADER, msg);
  g_autoptr(GBytes) wrong_epoch = make_message (f->key, "main", f->epoch + 5, 3, "bump", PASSED_HEADER, msg);
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  exchange = send (f, wrong_key, &reply);
  g_assert_cmpstr (reply.code, ==, "ISOLATION_REJECTED");
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "rejected-auth");
  exchange = send (f, wrong_view, &reply);
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "rejected-auth");
  exchange = send (f, wrong_epoch, &reply);
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "rejected-stale");

  /* The cmd in clear is bound: swapping it fails authentication. */
  {
    g_autoptr(GBytes) m = sealed (f, 9, "greet", PASSED_HEADER,
                                  "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{\"name\":\"x\"}}");
    gsize length;
    const char *text = g_bytes_get_data (m, &length);
    g_autoptr(GString) swapped = g_string_new_len (text, length);

    g_string_replace (swapped, "\"cmd\":\"greet\"", "\"cmd\":\"bump\"", 1);
    {
      g_autoptr(GBytes) s = g_bytes_new (swapped->str, swapped->len);

      exchange = send (f, s, &reply);
      g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "rejected-auth");
    }
  }

  /* 10,000 random forgeries: none executes, each gets its reply. */
  for (guint i = 0; i < 10000; i++)
    {
      guint8 nonce[12];
      guint8 ct[48];
      g_autofree char *n64 = NULL;
      g_autofree char *c64 = NULL;
      g_autofree char *text = NULL;
      g_autoptr(GBytes) m = NULL;

      for (guint j = 0; j < sizeof nonce; j++)
        nonce[j] = g_random_int ();
      for (guint j = 0; j < sizeof ct; j++)
        ct[j] = g_random_int ();
      n64 = g_base64_encode (nonce, sizeof nonce);
      c64 = g_base64_encode (ct, sizeof ct);
      text = g_strdup_printf ("E1 1\n{\"v\":1,\"epoch\":%" G_GUINT64_FORMAT ",\"seq\":%u,\"cmd\":\"bump\","
                              "\"callback\":1,\"error\":2,\"ctype\":\"application/json\","
                              "\"nonce\":\"%s\",\"ct\":\"%s\"}\n", f->epoch, i + 1, n64, c64);
      m = frame (text);
      send (f, m, &reply);
      g_assert_cmpint (reply.calls, ==, 1);
      g_assert_cmpstr (reply.code, ==, "ISOLATION_REJECTED");
    }
  g_assert_cmpint (bumps, ==, 0);
  reply_clear (&reply);
}

static void
test_new_epoch (Fixture       *f,
                gconstpointer  data)
{
  const char *msg = "{\"cmd\":\"bump\",\"callback\":1,\"error\":2,\"payload\":{}}";
  g_autoptr(GBytes) old = sealed (f, 1, "bump", PASSED_HEADER, msg);
  g_autoptr(IsthmusAeadKey) next = NULL;
  g_autoptr(GError) error = NULL;
  IsthmusExchange *exchange;
  guint64 epoch = 0;
  Reply reply = { 0 };

  next = isthmus_core_begin_epoch (f->core, "main", &epoch, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (epoch, >, f->epoch);
  g_assert_cmpstr (isthmus_aead_key_get_fingerprint (next), !=, isthmus_aead_key_get_fingerprint (f->key));

  exchange = send (f, old, &reply);
  g_assert_cmpstr (reply.code, ==, "ISOLATION_REJECTED");
  g_assert_cmpstr (isthmus_exchange_get_isolation_verdict (exchange), ==, "rejected-stale");
  g_assert_cmpint (bumps, ==, 0);

  /* A view without a session is refused too. */
  isthmus_core_end_isolation (f->core, "main");
  {
    g_autoptr(GBytes) m = make_message (next, "main", epoch, 1, "bump", PASSED_HEADER, msg);

    exchange = send (f, m, &reply);
    g_assert_cmpstr (reply.code, ==, "ISOLATION_REJECTED");
    g_assert_cmpint (bumps, ==, 0);
  }
  reply_clear (&reply);
}

static void
test_console (Fixture       *f,
              gconstpointer  data)
{
  IsthmusExchange *exchange;
  g_autofree char *line = NULL;

  exchange = isthmus_core_record_console (f->core, "main", "warn", "<b>hi</b>\xff", 10);
  g_assert_cmpint (isthmus_exchange_get_kind (exchange), ==, ISTHMUS_EXCHANGE_LIFECYCLE);
  g_assert_cmpstr (isthmus_exchange_get_command (exchange), ==, "console.warn");
  g_assert_cmpint (isthmus_exchange_get_status (exchange), ==, ISTHMUS_EXCHANGE_OK);
  line = isthmus_exchange_to_jsonl (exchange);
  g_assert_nonnull (strstr (line, "<b>hi</b>"));
}

static void
test_brownfield_untouched (void)
{
  g_autoptr(IsthmusCore) core = isthmus_core_new ();
  g_autoptr(GBytes) m = frame ("{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{\"name\":\"B\"}}");
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  isthmus_demo_commands_register (isthmus_core_get_registry (core));
  g_assert_false (isthmus_core_get_isolation (core));
  exchange = isthmus_core_handle_message (core, "main", m, reply_cb, &reply);
  g_assert_true (reply.ok);
  g_assert_null (isthmus_exchange_get_isolation (exchange));
  reply_clear (&reply);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/isthmus/isolation-core/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("passed", test_passed);
  ADD ("modified", test_modified);
  ADD ("blocked-silently", test_blocked_silently);
  ADD ("blocked", test_blocked);
  ADD ("replay", test_replay);
  ADD ("not-envelope", test_not_envelope);
  ADD ("forged", test_forged);
  ADD ("new-epoch", test_new_epoch);
  ADD ("console", test_console);
#undef ADD
  g_test_add_func ("/isthmus/isolation-core/brownfield", test_brownfield_untouched);

  return g_test_run ();
}

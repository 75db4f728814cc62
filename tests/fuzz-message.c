/* fuzz-message.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds arbitrary bytes to isthmus_core_handle_message() as one invoke
 * message and checks the core's promises: exactly one reply, a reply that
 * is valid JSON, an error code on every rejection, a completed record whose
 * JSON Lines form is one parseable line.
 */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-error.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

typedef struct
{
  guint     calls;
  gboolean  ok;
  char     *json;
  char     *code;
} Reply;

static void
reply_cb (const IsthmusReply *reply,
          gpointer            user_data)
{
  Reply *r = user_data;

  r->calls++;
  if (r->calls > 1)
    g_error ("the core replied %u times to one message", r->calls);

  if (reply->json == NULL || strlen (reply->json) != reply->json_length)
    g_error ("the reply text and its length disagree");
  if (!reply->ok && (reply->code == NULL || reply->message == NULL))
    g_error ("a rejection without a code or a message");
  if (reply->ok && reply->code != NULL)
    g_error ("a success with an error code");

  r->ok = reply->ok;
  r->json = g_strndup (reply->json, reply->json_length);
  r->code = g_strdup (reply->code);
}

static void
raw_handler (IsthmusInvocation *invocation,
             gpointer           user_data)
{
  isthmus_invocation_return_value (invocation,
                                   json_node_copy (isthmus_invocation_get_args (invocation)));
}

static void
silent_handler (IsthmusInvocation *invocation,
                gpointer           user_data)
{
}

static IsthmusCore *
get_core (void)
{
  static IsthmusCore *core;

  if (core == NULL)
    {
      IsthmusRegistry *registry;

      core = isthmus_core_new ();
      registry = isthmus_core_get_registry (core);
      isthmus_demo_commands_register (registry);
      isthmus_registry_add (registry, "raw", NULL, raw_handler, NULL, NULL);
      isthmus_registry_add (registry, "plugin:fuzz|raw", NULL, raw_handler, NULL, NULL);
      isthmus_registry_add (registry, "silent", NULL, silent_handler, NULL, NULL);
      isthmus_recorder_set_capacity (isthmus_core_get_recorder (core), 16);
    }

  return core;
}

static void
check_json (const char *what,
            const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("%s is not valid JSON: %s", what, error->message);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  IsthmusCore *core = get_core ();
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(IsthmusExchange) exchange = NULL;
  g_autofree char *line = NULL;
  Reply reply = { 0 };

  exchange = g_object_ref (isthmus_core_handle_message (core, "fuzz", bytes, reply_cb, &reply));

  /* Let quick handlers finish, then answer the rest (slow, worker
   * threads) the way a page going away does. */
  while (reply.calls == 0 && g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  if (reply.calls == 0)
    isthmus_core_cancel_webview (core, "fuzz");
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);

  if (reply.calls != 1)
    g_error ("the core replied %u times to one message", reply.calls);
  if (isthmus_core_get_n_pending (core) != 0)
    g_error ("requests still pending after their reply");

  check_json ("the reply", reply.json);

  if (isthmus_exchange_get_status (exchange) ==  ISTHMUS_EXCHANGE_PENDING)
    g_error ("the record was not completed");
  if ((isthmus_exchange_get_status (exchange) == ISTHMUS_EXCHANGE_OK) != reply.ok)
    g_error ("the record's status disagrees with the reply");
  if (g_strcmp0 (isthmus_exchange_get_error_code (exchange), reply.code) != 0)
    g_error ("the record's code disagrees with the reply");
  if (reply.code != NULL && !isthmus_ipc_error_from_code (reply.code, NULL))
    g_error ("unknown error code %s", reply.code);
  if (isthmus_exchange_get_request (exchange) != bytes)
    g_error ("the record does not hold the request as received");
  if (!g_utf8_validate (isthmus_exchange_get_summary (exchange), -1, NULL))
    g_error ("the summary is not valid UTF-8");

  line = isthmus_exchange_to_jsonl (exchange);
  if (strchr (line, '\n') != NULL)
    g_error ("the JSON Lines record spans lines");
  check_json ("the JSON Lines record", line);

  g_free (reply.json);
  g_free (reply.code);

  return 0;
}

/* test-breakpoints.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "isthmus-breakpoints.h"
#include "isthmus-core.h"
#include "isthmus-test-util.h"
#include "isthmus-demo-commands.h"
#include "isthmus-error.h"
#include "isthmus-isolation.h"

static void
drain (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

/* Keeps the last paused call. */
typedef struct
{
  int                n_paused;
  int                n_resolved;
  IsthmusPausedCall *call;
} Watch;

static void
paused_cb (IsthmusBreakpoints *breakpoints,
           IsthmusPausedCall  *call,
           gpointer            user_data)
{
  Watch *watch = user_data;

  watch->n_paused++;
  g_set_object (&watch->call, call);
}

static void
resolved_cb (IsthmusBreakpoints *breakpoints,
             IsthmusPausedCall  *call,
             gpointer            user_data)
{
  Watch *watch = user_data;

  watch->n_resolved++;
}

static IsthmusCore *
new_core (IsthmusBreakpoints **breakpoints,
          Watch               *watch)
{
  IsthmusCore *core = isthmus_core_new ();

  isthmus_demo_commands_register (isthmus_core_get_registry (core));
  *breakpoints = isthmus_breakpoints_get_for_core (core);
  g_assert_true (*breakpoints == isthmus_breakpoints_get_for_core (core));
  g_signal_connect (*breakpoints, "paused", G_CALLBACK (paused_cb), watch);
  g_signal_connect (*breakpoints, "resolved", G_CALLBACK (resolved_cb), watch);

  return core;
}

static IsthmusExchange *
send_from (IsthmusCore *core,
           const char  *label,
           const char  *text,
           Reply       *reply)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  reply_clear (reply);
  return isthmus_core_handle_message (core, label, bytes, reply_cb, reply);
}

static char *
json_string (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return g_strdup (json_node_get_string (json_parser_get_root (parser)));
}

/* Before the handler: the call waits, its record says so, and continuing
 * with edited args runs the handler with them. */
static void
test_before_handler_edit (void)
{
  IsthmusBreakpoints *breakpoints;
  Watch watch = { 0 };
  g_autoptr(IsthmusCore) core = new_core (&breakpoints, &watch);
  g_autoptr(GError) error = NULL;
  g_autoptr(IsthmusExchange) exchange = NULL;
  Reply reply = { 0 };
  Reply other = { 0 };
  guint id;

  id = isthmus_breakpoints_add (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, "cmd:greet", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (id, !=, 0);

  exchange = g_object_ref (send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"Ada\"}}", &reply));
  drain ();
  g_assert_cmpint (reply.calls, ==, 0);
  g_assert_cmpint (watch.n_paused, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (isthmus_breakpoints_get_paused (breakpoints)), ==, 1);
  g_assert_cmpint (isthmus_paused_call_get_gate (watch.call), ==, ISTHMUS_BREAKPOINT_BEFORE_HANDLER);
  g_assert_true (isthmus_paused_call_get_exchange (watch.call) == exchange);
  g_assert_cmpstr (isthmus_paused_call_get_window_label (watch.call), ==, "main");
  g_assert_cmpstr (isthmus_paused_call_get_json (watch.call), ==, "{\"name\":\"Ada\"}");
  g_assert_cmpint (isthmus_exchange_get_status (exchange), ==, ISTHMUS_EXCHANGE_PENDING);
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), ==, "paused at before handler");

  /* Other calls go on meanwhile. */
  send_from (core, "main", "{\"cmd\":\"echo\",\"payload\":{\"x\":1}}", &other);
  wait_until (&other.calls, 1);
  g_assert_cmpint (reply.calls, ==, 0);

  /* Invalid edits are refused and the call stays paused. */
  g_assert_false (isthmus_paused_call_continue (watch.call, "{\"name\": }", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_true (g_str_has_prefix (error->message, "line 1, column"));
  g_clear_error (&error);
  g_assert_false (isthmus_paused_call_is_resolved (watch.call));

  g_assert_true (isthmus_paused_call_continue (watch.call, "{\"name\": \"Grace\"}", &error));
  g_assert_no_error (error);
  wait_until (&reply.calls, 1);
  g_assert_true (reply.ok);
  g_assert_nonnull (strstr (reply.json, "Hello, Grace!"));
  g_assert_cmpint (watch.n_resolved, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (isthmus_breakpoints_get_paused (breakpoints)), ==, 0);
  g_assert_cmpint (isthmus_exchange_get_status (exchange), ==, ISTHMUS_EXCHANGE_OK);
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), ==, "continued with edits at before handler");

  /* A second action fails; still one reply. */
  g_assert_false (isthmus_paused_call_drop (watch.call, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  drain ();
  g_assert_cmpint (reply.calls, ==, 1);

  /* Edited args still meet the schema. */
  send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"Ada\"}}", &reply);
  g_assert_cmpint (watch.n_paused, ==, 2);
  g_assert_true (isthmus_paused_call_continue (watch.call, "{\"name\": 42}", &error));
  wait_until (&reply.calls, 1);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "INVALID_ARGS");

  /* A removed breakpoint pauses nothing; an unchanged continue works. */
  g_assert_true (isthmus_breakpoints_remove (breakpoints, id));
  send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"Ada\"}}", &reply);
  wait_until (&reply.calls, 1);
  g_assert_cmpint (watch.n_paused, ==, 2);

  g_clear_object (&watch.call);
  reply_clear (&reply);
  reply_clear (&other);
}

/* Only matching calls pause; a disabled breakpoint pauses nothing. */
static void
test_filter (void)
{
  IsthmusBreakpoints *breakpoints;
  Watch watch = { 0 };
  g_autoptr(IsthmusCore) core = new_core (&breakpoints, &watch);
  g_autoptr(GError) error = NULL;
  Reply reply = { 0 };
  guint id;

  g_assert_cmpuint (isthmus_breakpoints_add (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_HANDLER,
                                             "cmd:\"", &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);

  id = isthmus_breakpoints_add (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, "window:other", &error);
  g_assert_no_error (error);

  send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &reply);
  wait_until (&reply.calls, 1);
  g_assert_cmpint (watch.n_paused, ==, 0);

  send_from (core, "other", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &reply);
  drain ();
  g_assert_cmpint (watch.n_paused, ==, 1);
  g_assert_true (isthmus_paused_call_continue (watch.call, NULL, &error));
  wait_until (&reply.calls, 1);
  g_assert_true (reply.ok);
  g_assert_nonnull (strstr (reply.json, "Hello, x!"));

  g_assert_true (isthmus_breakpoints_set_enabled (breakpoints, id, FALSE));
  send_from (core, "other", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &reply);
  wait_until (&reply.calls, 1);
  g_assert_cmpint (watch.n_paused, ==, 1);

  g_clear_object (&watch.call);
  reply_clear (&reply);
}

/* Drop answers BREAKPOINT_DROPPED; answer gives a typed value or error. */
static void
test_drop_and_answer (void)
{
  IsthmusBreakpoints *breakpoints;
  Watch watch = { 0 };
  g_autoptr(IsthmusCore) core = new_core (&breakpoints, &watch);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  isthmus_breakpoints_add (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, "cmd:greet", &error);
  g_assert_no_error (error);

  exchange = send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &reply);
  g_assert_true (isthmus_paused_call_drop (watch.call, &error));
  g_assert_no_error (error);
  wait_until (&reply.calls, 1);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "BREAKPOINT_DROPPED");
  text = json_string (reply.json);
  g_assert_true (g_str_has_prefix (text, "BREAKPOINT_DROPPED: "));
  g_assert_cmpstr (isthmus_exchange_get_error_code (exchange), ==, "BREAKPOINT_DROPPED");
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), ==, "dropped at before handler");

  send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &reply);
  g_assert_true (isthmus_paused_call_answer (watch.call, TRUE, "{\"mocked\": true}", &error));
  wait_until (&reply.calls, 1);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "{\"mocked\":true}");

  exchange = send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &reply);
  g_assert_false (isthmus_paused_call_answer (watch.call, FALSE, "nope", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_true (isthmus_paused_call_answer (watch.call, FALSE, "\"refused by hand\"", &error));
  wait_until (&reply.calls, 1);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"refused by hand\"");
  g_assert_cmpstr (reply.code, ==, "HANDLER_ERROR");
  g_assert_cmpstr (isthmus_exchange_get_error_code (exchange), ==, "HANDLER_ERROR");

  drain ();
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_cmpint (watch.n_paused, ==, 3);
  g_assert_cmpint (watch.n_resolved, ==, 3);

  g_clear_object (&watch.call);
  reply_clear (&reply);
}

/* Before the reply: the handler ran, the reply waits and may be edited. */
static void
test_before_reply (void)
{
  IsthmusBreakpoints *breakpoints;
  Watch watch = { 0 };
  g_autoptr(IsthmusCore) core = new_core (&breakpoints, &watch);
  g_autoptr(GError) error = NULL;
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  isthmus_breakpoints_add (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_REPLY, "cmd:greet", &error);
  g_assert_no_error (error);

  exchange = send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &reply);
  drain ();
  g_assert_cmpint (reply.calls, ==, 0);
  g_assert_cmpint (watch.n_paused, ==, 1);
  g_assert_cmpint (isthmus_paused_call_get_gate (watch.call), ==, ISTHMUS_BREAKPOINT_BEFORE_REPLY);
  g_assert_true (isthmus_paused_call_get_ok (watch.call));
  g_assert_nonnull (strstr (isthmus_paused_call_get_json (watch.call), "Hello, x!"));
  g_assert_cmpint (isthmus_exchange_get_status (exchange), ==, ISTHMUS_EXCHANGE_PENDING);
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), ==, "paused at before reply");

  g_assert_true (isthmus_paused_call_continue (watch.call, "\"edited reply\"", &error));
  g_assert_no_error (error);
  wait_until (&reply.calls, 1);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"edited reply\"");
  g_assert_cmpint (isthmus_exchange_get_status (exchange), ==, ISTHMUS_EXCHANGE_OK);

  /* Unchanged. */
  send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"y\"}}", &reply);
  g_assert_true (isthmus_paused_call_continue (watch.call, NULL, &error));
  wait_until (&reply.calls, 1);
  g_assert_nonnull (strstr (reply.json, "Hello, y!"));

  /* Errors pause before the reply too (the record is matched as pending,
   * by command), and can be dropped. */
  send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":1}}", &reply);
  g_assert_cmpint (watch.n_paused, ==, 3);
  g_assert_false (isthmus_paused_call_get_ok (watch.call));
  g_assert_true (isthmus_paused_call_drop (watch.call, &error));
  wait_until (&reply.calls, 1);
  g_assert_cmpstr (reply.code, ==, "BREAKPOINT_DROPPED");

  /* Both gates: before the handler, then before the reply. */
  isthmus_breakpoints_add (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, "cmd:greet", &error);
  send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"z\"}}", &reply);
  g_assert_cmpint (isthmus_paused_call_get_gate (watch.call), ==, ISTHMUS_BREAKPOINT_BEFORE_HANDLER);
  g_assert_true (isthmus_paused_call_continue (watch.call, NULL, &error));
  drain ();
  g_assert_cmpint (reply.calls, ==, 0);
  g_assert_cmpint (isthmus_paused_call_get_gate (watch.call), ==, ISTHMUS_BREAKPOINT_BEFORE_REPLY);
  g_assert_true (isthmus_paused_call_continue (watch.call, NULL, &error));
  wait_until (&reply.calls, 1);
  g_assert_nonnull (strstr (reply.json, "Hello, z!"));

  /* Answered at the first gate: no second pause. */
  send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"z\"}}", &reply);
  g_assert_true (isthmus_paused_call_answer (watch.call, TRUE, "1", &error));
  wait_until (&reply.calls, 1);
  g_assert_cmpstr (reply.json, ==, "1");
  drain ();
  g_assert_cmpint (reply.calls, ==, 1);
  g_assert_cmpint (watch.n_paused, ==, watch.n_resolved);

  g_clear_object (&watch.call);
  reply_clear (&reply);
}

/* A paused call of a view that goes away is answered WEBVIEW_GONE, at
 * either gate; other views' calls stay paused. */
static void
test_webview_gone (void)
{
  IsthmusBreakpoints *breakpoints;
  Watch watch = { 0 };
  g_autoptr(IsthmusCore) core = new_core (&breakpoints, &watch);
  g_autoptr(GError) error = NULL;
  g_autoptr(IsthmusPausedCall) first = NULL;
  Reply a = { 0 };
  Reply b = { 0 };
  Reply c = { 0 };

  isthmus_breakpoints_add (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, "cmd:greet", &error);
  isthmus_breakpoints_add (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_REPLY, "cmd:echo", &error);

  send_from (core, "a", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &a);
  first = g_object_ref (watch.call);
  send_from (core, "a", "{\"cmd\":\"echo\",\"payload\":{\"x\":1}}", &b);
  send_from (core, "b", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &c);
  drain ();
  g_assert_cmpint (watch.n_paused, ==, 3);

  isthmus_core_cancel_webview (core, "a");
  g_assert_cmpint (a.calls, ==, 1);
  g_assert_cmpstr (a.code, ==, "WEBVIEW_GONE");
  g_assert_cmpint (b.calls, ==, 1);
  g_assert_cmpstr (b.code, ==, "WEBVIEW_GONE");
  g_assert_cmpint (c.calls, ==, 0);
  g_assert_true (isthmus_paused_call_is_resolved (first));
  g_assert_false (isthmus_paused_call_continue (first, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (isthmus_breakpoints_get_paused (breakpoints)), ==, 1);

  /* Shutting the core down answers the rest (CANCELLED). */
  g_clear_object (&watch.call);
  g_clear_object (&core);
  g_assert_cmpint (c.calls, ==, 1);
  g_assert_cmpstr (c.code, ==, "CANCELLED");
  drain ();
  g_assert_cmpint (a.calls, ==, 1);
  g_assert_cmpint (b.calls, ==, 1);

  reply_clear (&a);
  reply_clear (&b);
  reply_clear (&c);
}

/* The time limit continues a forgotten call unchanged. */
static void
test_time_limit (void)
{
  IsthmusBreakpoints *breakpoints;
  Watch watch = { 0 };
  g_autoptr(IsthmusCore) core = new_core (&breakpoints, &watch);
  g_autoptr(GError) error = NULL;
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  isthmus_breakpoints_set_time_limit (breakpoints, 50);
  g_assert_cmpuint (isthmus_breakpoints_get_time_limit (breakpoints), ==, 50);
  isthmus_breakpoints_add (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_HANDLER, "", &error);
  g_assert_no_error (error);

  exchange = send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"late\"}}", &reply);
  g_assert_cmpint (watch.n_paused, ==, 1);
  wait_until (&reply.calls, 1);
  g_assert_true (reply.ok);
  g_assert_nonnull (strstr (reply.json, "Hello, late!"));
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), ==,
                   "continued after the time limit at before handler");
  g_assert_cmpint (watch.n_resolved, ==, 1);

  g_clear_object (&watch.call);
  reply_clear (&reply);
}

/* With isolation on, the gate before the hook sees the decrypted call
 * before the ACL; without isolation it is never reached. */
static void
test_before_hook_brownfield (void)
{
  IsthmusBreakpoints *breakpoints;
  Watch watch = { 0 };
  g_autoptr(IsthmusCore) core = new_core (&breakpoints, &watch);
  g_autoptr(GError) error = NULL;
  Reply reply = { 0 };

  isthmus_breakpoints_add (breakpoints, ISTHMUS_BREAKPOINT_BEFORE_HOOK, "", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (isthmus_breakpoints_get_n_breakpoints (breakpoints), ==, 1);

  send_from (core, "main", "{\"cmd\":\"greet\",\"payload\":{\"name\":\"x\"}}", &reply);
  wait_until (&reply.calls, 1);
  g_assert_true (reply.ok);
  g_assert_cmpint (watch.n_paused, ==, 0);

  isthmus_breakpoints_clear (breakpoints);
  g_assert_cmpuint (isthmus_breakpoints_get_n_breakpoints (breakpoints), ==, 0);
  reply_clear (&reply);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/breakpoints/before-handler-edit", test_before_handler_edit);
  g_test_add_func ("/isthmus/breakpoints/filter", test_filter);
  g_test_add_func ("/isthmus/breakpoints/drop-and-answer", test_drop_and_answer);
  g_test_add_func ("/isthmus/breakpoints/before-reply", test_before_reply);
  g_test_add_func ("/isthmus/breakpoints/webview-gone", test_webview_gone);
  g_test_add_func ("/isthmus/breakpoints/time-limit", test_time_limit);
  g_test_add_func ("/isthmus/breakpoints/before-hook-brownfield", test_before_hook_brownfield);

  return g_test_run ();
}

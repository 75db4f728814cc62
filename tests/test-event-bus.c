/* test-event-bus.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "isthmus-error.h"
#include "isthmus-event-bus.h"

typedef struct
{
  char   *webview;
  char   *event;
  char   *payload;
  GArray *ids;
} Delivery;

static void
delivery_free (gpointer data)
{
  Delivery *d = data;

  g_free (d->webview);
  g_free (d->event);
  g_free (d->payload);
  g_array_unref (d->ids);
  g_free (d);
}

static void
record_cb (const char    *webview_label,
           const char    *event,
           const char    *payload_json,
           const guint32 *listener_ids,
           guint          n_ids,
           gpointer       user_data)
{
  GPtrArray *log = user_data;
  Delivery *d = g_new0 (Delivery, 1);

  d->webview = g_strdup (webview_label);
  d->event = g_strdup (event);
  d->payload = g_strdup (payload_json);
  d->ids = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_array_append_vals (d->ids, listener_ids, n_ids);
  g_ptr_array_add (log, d);
}

static IsthmusEventTarget
target (IsthmusEventTargetKind  kind,
        const char             *label)
{
  IsthmusEventTarget t = { kind, (char *)label };
  return t;
}

static void
test_event_name (void)
{
  g_autofree char *max = g_strnfill (128, 'a');
  g_autofree char *over = g_strnfill (129, 'a');
  const char *good[] = { "a", "tauri://focus", "my-event_1/x:y", "événement", "数据", max };
  const char *bad[] = { "", "a'b", "a\"]);alert(1)//", "</script>", "a\u2028b", "a\nb", "a b", over, "a.b", "a\\b" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (isthmus_event_name_is_valid (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (isthmus_event_name_is_valid (bad[i]));
  g_assert_false (isthmus_event_name_is_valid (NULL));
  g_assert_false (isthmus_event_name_is_valid ("\xff\xfe"));
}

static void
test_target_parse (void)
{
  static const struct { const char *json; const char *expect; } cases[] = {
    { "{\"kind\":\"Any\"}", "Any" },
    { "{\"kind\":\"App\"}", "App" },
    { "{\"kind\":\"AnyLabel\",\"label\":\"main\"}", "AnyLabel(main)" },
    { "{\"kind\":\"Window\",\"label\":\"w\"}", "Window(w)" },
    { "{\"kind\":\"Webview\",\"label\":\"v\"}", "Webview(v)" },
    { "{\"kind\":\"WebviewWindow\",\"label\":\"vw\"}", "WebviewWindow(vw)" },
    { "\"other\"", "AnyLabel(other)" },
    { "{\"kind\":\"Window\"}", NULL },
    { "{\"kind\":\"Nope\"}", NULL },
    { "{\"label\":\"x\"}", NULL },
    { "{\"kind\":\"Window\",\"label\":\"a b\"}", NULL },
    { "42", NULL },
    { "null", NULL },
    { "[]", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (cases[i].json, NULL);
      g_autoptr(GError) error = NULL;
      IsthmusEventTarget t;
      gboolean ok = isthmus_event_target_parse (node, &t, &error);

      if (cases[i].expect == NULL)
        {
          g_assert_false (ok);
          g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_ARGS);
        }
      else
        {
          g_autofree char *s = NULL;

          g_assert_no_error (error);
          g_assert_true (ok);
          s = isthmus_event_target_to_string (&t);
          g_assert_cmpstr (s, ==, cases[i].expect);
          isthmus_event_target_clear (&t);
        }
    }
}

static void
test_target_matches (void)
{
  const IsthmusEventTarget any = target (ISTHMUS_EVENT_TARGET_ANY, NULL);
  const IsthmusEventTarget app = target (ISTHMUS_EVENT_TARGET_APP, NULL);
  const IsthmusEventTarget al_a = target (ISTHMUS_EVENT_TARGET_ANY_LABEL, "a");
  const IsthmusEventTarget al_b = target (ISTHMUS_EVENT_TARGET_ANY_LABEL, "b");
  const IsthmusEventTarget w_a = target (ISTHMUS_EVENT_TARGET_WINDOW, "a");
  const IsthmusEventTarget w_b = target (ISTHMUS_EVENT_TARGET_WINDOW, "b");
  const IsthmusEventTarget v_a = target (ISTHMUS_EVENT_TARGET_WEBVIEW, "a");
  const IsthmusEventTarget vw_a = target (ISTHMUS_EVENT_TARGET_WEBVIEW_WINDOW, "a");
  /* emit target, listener target, expected */
  const struct { const IsthmusEventTarget *e, *l; gboolean m; } table[] = {
    { &any, &any, TRUE }, { &any, &app, TRUE }, { &any, &w_a, TRUE }, { &any, &al_a, TRUE },
    { &app, &any, TRUE }, { &app, &app, TRUE }, { &app, &w_a, FALSE }, { &app, &al_a, FALSE },
    { &al_a, &any, TRUE }, { &al_a, &al_a, TRUE }, { &al_a, &w_a, TRUE }, { &al_a, &v_a, TRUE },
    { &al_a, &vw_a, TRUE }, { &al_a, &al_b, FALSE }, { &al_a, &w_b, FALSE }, { &al_a, &app, FALSE },
    { &w_a, &w_a, TRUE }, { &w_a, &al_a, TRUE }, { &w_a, &v_a, FALSE }, { &w_a, &vw_a, FALSE },
    { &w_a, &w_b, FALSE }, { &w_a, &app, FALSE }, { &w_a, &any, TRUE },
    { &v_a, &v_a, TRUE }, { &v_a, &w_a, FALSE }, { &v_a, &al_a, TRUE },
    { &vw_a, &vw_a, TRUE }, { &vw_a, &w_a, FALSE }, { &vw_a, &al_a, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_autofree char *e = isthmus_event_target_to_string (table[i].e);
      g_autofree char *l = isthmus_event_target_to_string (table[i].l);

      g_test_message ("emit %s → listener %s", e, l);
      g_assert_cmpint (isthmus_event_target_matches (table[i].e, table[i].l), ==, table[i].m);
    }
}

static void
test_emit_delivery (void)
{
  g_autoptr(IsthmusEventBus) bus = isthmus_event_bus_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (delivery_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *reached = NULL;
  IsthmusEventTarget any = target (ISTHMUS_EVENT_TARGET_ANY, NULL);
  IsthmusEventTarget win_b = target (ISTHMUS_EVENT_TARGET_WINDOW, "b");
  IsthmusEventTarget to_b = target (ISTHMUS_EVENT_TARGET_ANY_LABEL, "b");
  g_autoptr(JsonNode) payload = json_from_string ("{\"s\":\"'\\\"]);x=1;//</script>\\u2028\"}", NULL);
  guint32 a1, b1, b2;
  Delivery *d;

  isthmus_event_bus_add_webview (bus, "a", record_cb, log, NULL);
  isthmus_event_bus_add_webview (bus, "b", record_cb, log, NULL);

  a1 = isthmus_event_bus_listen (bus, "a", "ping", &any, &error);
  g_assert_no_error (error);
  b1 = isthmus_event_bus_listen (bus, "b", "ping", &win_b, &error);
  g_assert_no_error (error);
  b2 = isthmus_event_bus_listen (bus, "b", "other", &any, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a1, !=, b1);
  g_assert_cmpuint (isthmus_event_bus_get_n_listeners (bus), ==, 3);

  /* Who would hear an emit, by the same target rules. */
  {
    IsthmusEventTarget win_a = target (ISTHMUS_EVENT_TARGET_WINDOW, "a");
    IsthmusEventTarget app = target (ISTHMUS_EVENT_TARGET_APP, NULL);

    g_assert_true (isthmus_event_bus_has_listener (bus, NULL, "ping"));
    g_assert_true (isthmus_event_bus_has_listener (bus, &win_b, "ping"));
    g_assert_true (isthmus_event_bus_has_listener (bus, &win_a, "ping"));
    g_assert_true (isthmus_event_bus_has_listener (bus, &app, "other"));
    g_assert_false (isthmus_event_bus_has_listener (bus, NULL, "nobody"));

    /* A Window b listener hears emits to b, to everyone, not to a. */
    g_assert_cmpuint (isthmus_event_bus_listen (bus, "b", "solo", &win_b, &error), !=, 0);
    g_assert_no_error (error);
    g_assert_true (isthmus_event_bus_has_listener (bus, &win_b, "solo"));
    g_assert_true (isthmus_event_bus_has_listener (bus, NULL, "solo"));
    g_assert_false (isthmus_event_bus_has_listener (bus, &win_a, "solo"));
    g_assert_false (isthmus_event_bus_has_listener (bus, &app, "solo"));
  }

  /* A plain emit reaches both webviews' "ping" listeners, not "other". */
  g_assert_true (isthmus_event_bus_emit (bus, NULL, "ping", payload, &reached, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 2);
  d = g_ptr_array_index (log, 0);
  g_assert_cmpstr (d->webview, ==, "a");
  g_assert_cmpuint (d->ids->len, ==, 1);
  g_assert_cmpuint (g_array_index (d->ids, guint32, 0), ==, a1);
  g_assert_cmpstr (d->payload, ==, "{\"s\":\"'\\\"]);x=1;//</script>\u2028\"}");
  d = g_ptr_array_index (log, 1);
  g_assert_cmpstr (d->webview, ==, "b");
  g_assert_cmpuint (g_array_index (d->ids, guint32, 0), ==, b1);
  g_assert_nonnull (strstr (reached, "a:"));
  g_assert_nonnull (strstr (reached, "b:"));
  g_clear_pointer (&reached, g_free);

  /* AnyLabel "b" reaches the Window("b") listener and the Any listener of a. */
  g_ptr_array_set_size (log, 0);
  g_assert_true (isthmus_event_bus_emit (bus, &to_b, "ping", NULL, &reached, &error));
  g_assert_cmpuint (log->len, ==, 2);
  d = g_ptr_array_index (log, 0);
  g_assert_cmpstr (d->payload, ==, "null");
  g_clear_pointer (&reached, g_free);

  /* No listener: visible as such. */
  g_ptr_array_set_size (log, 0);
  g_assert_true (isthmus_event_bus_emit (bus, NULL, "nobody", NULL, &reached, &error));
  g_assert_cmpstr (reached, ==, "no listener");
  g_assert_cmpuint (log->len, ==, 0);
  g_clear_pointer (&reached, g_free);

  /* A page cannot remove another page's listener. */
  g_assert_false (isthmus_event_bus_unlisten (bus, "a", b1));
  g_assert_true (isthmus_event_bus_unlisten (bus, "b", b1));
  g_assert_false (isthmus_event_bus_unlisten (bus, "b", b1));
  {
    IsthmusEventTarget win_c = target (ISTHMUS_EVENT_TARGET_WINDOW, "c");

    /* "a" listens with Any: it hears every target; after "b"'s Window b
     * listener is gone, a Window c emit still reaches "a" only. */
    g_assert_true (isthmus_event_bus_has_listener (bus, &win_c, "ping"));
  }
  g_ptr_array_set_size (log, 0);
  g_assert_true (isthmus_event_bus_emit (bus, NULL, "ping", NULL, NULL, &error));
  g_assert_cmpuint (log->len, ==, 1);

  /* Removing a webview drops its listeners. */
  isthmus_event_bus_remove_webview (bus, "b");
  g_assert_cmpuint (isthmus_event_bus_get_n_listeners (bus), ==, 1);
  g_assert_false (isthmus_event_bus_unlisten (bus, "b", b2));

  /* Bad names are refused with their code. */
  g_assert_false (isthmus_event_bus_emit (bus, NULL, "a'b", NULL, NULL, &error));
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_EVENT_NAME);
  g_clear_error (&error);
  g_assert_cmpuint (isthmus_event_bus_listen (bus, "a", "x\"y", &any, &error), ==, 0);
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_EVENT_NAME);
}

static void
test_emit_order (void)
{
  g_autoptr(IsthmusEventBus) bus = isthmus_event_bus_new ();
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (delivery_free);
  IsthmusEventTarget any = target (ISTHMUS_EVENT_TARGET_ANY, NULL);

  isthmus_event_bus_add_webview (bus, "main", record_cb, log, NULL);
  isthmus_event_bus_listen (bus, "main", "tick", &any, NULL);

  for (guint i = 0; i < 10000; i++)
    {
      g_autoptr(JsonNode) n = json_node_init_int (json_node_alloc (), i);
      g_assert_true (isthmus_event_bus_emit (bus, NULL, "tick", n, NULL, NULL));
    }

  g_assert_cmpuint (log->len, ==, 10000);
  for (guint i = 0; i < log->len; i++)
    {
      Delivery *d = g_ptr_array_index (log, i);
      g_autofree char *expect = g_strdup_printf ("%u", i);
      g_assert_cmpstr (d->payload, ==, expect);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/event-bus/name", test_event_name);
  g_test_add_func ("/isthmus/event-bus/target-parse", test_target_parse);
  g_test_add_func ("/isthmus/event-bus/target-matches", test_target_matches);
  g_test_add_func ("/isthmus/event-bus/emit-delivery", test_emit_delivery);
  g_test_add_func ("/isthmus/event-bus/emit-order", test_emit_order);

  return g_test_run ();
}

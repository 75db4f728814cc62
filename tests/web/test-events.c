/* test-events.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-events"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>

#include "isthmus-channel.h"
#include "isthmus-config.h"
#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-error.h"
#include "isthmus-web-host.h"
#include "web-test-util.h"

#define WAIT_TIMEOUT_MS 120000

typedef struct
{
  gboolean  ok;
  char     *detail;
} Report;

typedef struct
{
  IsthmusCore    *core;
  IsthmusConfig  *config;
  IsthmusWebHost *host;
  GtkWindow      *windows[2];
  WebKitWebView  *views[2];

  /* name → Report */
  GHashTable     *reports;
} Fixture;

static Fixture fixture;

static void
report_free (gpointer data)
{
  Report *report = data;

  g_free (report->detail);
  g_free (report);
}

static void
report_cb (IsthmusInvocation *invocation,
           gpointer           user_data)
{
  JsonObject *args = json_node_get_object (isthmus_invocation_get_args (invocation));
  Report *report = g_new0 (Report, 1);

  report->ok = json_object_get_boolean_member_with_default (args, "ok", FALSE);
  report->detail = g_strdup (json_object_get_string_member_with_default (args, "detail", ""));
  g_hash_table_replace (fixture.reports,
                        g_strdup (json_object_get_string_member_with_default (args, "name", "")),
                        report);
  isthmus_invocation_return_value (invocation, NULL);
}

/* A backend emit through the C API, asked for by the page. */
static void
emit_cb (IsthmusInvocation *invocation,
         gpointer           user_data)
{
  JsonObject *args = json_node_get_object (isthmus_invocation_get_args (invocation));
  g_autoptr(GError) error = NULL;

  if (!isthmus_core_emit (fixture.core, NULL, isthmus_invocation_get_string (invocation, "event"),
                          json_object_get_member (args, "payload"), &error))
    {
      isthmus_invocation_return_gerror (invocation, error);
      return;
    }
  isthmus_invocation_return_value (invocation, NULL);
}

static void
emit_many_cb (IsthmusInvocation *invocation,
              gpointer           user_data)
{
  gint64 count = isthmus_invocation_get_int (invocation, "count", 0);
  const char *event = isthmus_invocation_get_string (invocation, "event");

  for (gint64 i = 0; i < count; i++)
    {
      g_autoptr(JsonNode) payload = json_node_init_int (json_node_alloc (), i);

      g_assert_true (isthmus_core_emit (fixture.core, NULL, event, payload, NULL));
    }
  isthmus_invocation_return_value (invocation, NULL);
}

static gboolean
has_report (const char *name)
{
  return g_hash_table_contains (fixture.reports, name);
}

static gboolean
report_arrived (gpointer name)
{
  return has_report (name);
}

static void
wait_for_report (const char *name)
{
  if (!wait_for (report_arrived, (gpointer)name, WAIT_TIMEOUT_MS))
    g_error ("case %s: no report within %u ms", name, WAIT_TIMEOUT_MS);
}

static void
load_case (WebKitWebView *view,
           const char    *name)
{
  g_autofree char *uri = g_strdup_printf ("tauri://localhost/web/pages/events.html?case=%s", name);

  g_hash_table_remove (fixture.reports, name);
  webkit_web_view_load_uri (view, uri);
}

static void
check_report (const char *name)
{
  Report *report;

  wait_for_report (name);
  report = g_hash_table_lookup (fixture.reports, name);
  g_test_message ("case %s: %s: %s", name, report->ok ? "ok" : "FAILED", report->detail);
  if (!report->ok)
    g_test_fail_printf ("case %s failed: %s", name, report->detail);
}

static void
run_case (const char *name)
{
  load_case (fixture.views[0], name);
  check_report (name);
}

/* The newest record matching @kind and @command, or NULL. (transfer full) */
static IsthmusExchange *
find_record (IsthmusExchangeKind  kind,
             const char          *command)
{
  GListModel *model = G_LIST_MODEL (isthmus_core_get_recorder (fixture.core));

  for (guint i = g_list_model_get_n_items (model); i > 0; i--)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i - 1);

      if (isthmus_exchange_get_kind (exchange) == kind &&
          g_strcmp0 (isthmus_exchange_get_command (exchange), command) == 0)
        return g_steal_pointer (&exchange);
    }

  return NULL;
}

static void
test_payload (void)
{
  g_autoptr(IsthmusExchange) emit = NULL;

  run_case ("payload");

  emit = find_record (ISTHMUS_EXCHANGE_EMIT, "payload-test");
  g_assert_nonnull (emit);
  g_assert_cmpstr (isthmus_exchange_get_note (emit), ==, "to all: main: 0");
}

static void
test_unlisten (void)
{
  run_case ("unlisten");
}

static void
test_once (void)
{
  run_case ("once");
}

static void
test_many (void)
{
  run_case ("many");
}

static void
test_channel (void)
{
  g_autoptr(IsthmusExchange) invoke = NULL;
  g_autoptr(IsthmusExchange) message = NULL;
  GListModel *model = G_LIST_MODEL (isthmus_core_get_recorder (fixture.core));
  guint n_channel = 0;

  run_case ("channel");

  invoke = find_record (ISTHMUS_EXCHANGE_INVOKE, "stream_progress");
  g_assert_nonnull (invoke);
  g_assert_cmpint (isthmus_exchange_get_status (invoke), ==, ISTHMUS_EXCHANGE_OK);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i);

      if (isthmus_exchange_get_kind (exchange) == ISTHMUS_EXCHANGE_CHANNEL &&
          isthmus_exchange_get_parent_id (exchange) == isthmus_exchange_get_id (invoke))
        n_channel++;
    }
  /* 1000 messages and the end marker. */
  g_assert_cmpuint (n_channel, ==, 1001);
}

static void
test_raw (void)
{
  g_autoptr(IsthmusExchange) record = NULL;

  run_case ("raw");

  record = find_record (ISTHMUS_EXCHANGE_INVOKE, "reverse_bytes");
  g_assert_nonnull (record);
  /* The newest is the small ArrayBuffer; the size shows, not the bytes. */
  g_assert_nonnull (strstr (isthmus_exchange_get_note (record), "raw: 2 bytes"));
  g_assert_cmpuint (isthmus_exchange_get_request_size (record), <, 100);

  {
    GListModel *model = G_LIST_MODEL (isthmus_core_get_recorder (fixture.core));
    gboolean found = FALSE;

    for (guint i = 0; i < g_list_model_get_n_items (model) && !found; i++)
      {
        g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i);
        const char *note = isthmus_exchange_get_note (exchange);

        found = g_strcmp0 (isthmus_exchange_get_command (exchange), "reverse_bytes") == 0 &&
                note != NULL && strstr (note, "raw: 4194304 bytes; raw reply: 4194304 bytes") != NULL;
      }
    g_assert_true (found);
  }
}

static void
test_bad_name (void)
{
  g_autoptr(GError) error = NULL;

  run_case ("bad-name");

  g_assert_false (isthmus_core_emit (fixture.core, NULL, "a'b", NULL, &error));
  g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_INVALID_EVENT_NAME);
}

static void
test_window (void)
{
  gtk_window_set_title (fixture.windows[0], "Events main");
  run_case ("window");
  g_assert_cmpstr (gtk_window_get_title (fixture.windows[0]), ==, "Retitled </b> \xe2\x80\xa8");
}

/* test_grow {by}: makes the first view @by pixels wider than it is. */
static void
grow_cb (IsthmusInvocation *invocation,
         gpointer           user_data)
{
  GtkWidget *view = GTK_WIDGET (fixture.views[0]);
  gint64 by = isthmus_invocation_get_int (invocation, "by", 0);

  gtk_widget_set_size_request (view, gtk_widget_get_width (view) + (int)by, gtk_widget_get_height (view));
  isthmus_invocation_return_value (invocation, NULL);
}

/* tauri://resize reaches the page, as a Window main emit in the records. */
static void
test_window_events (void)
{
  g_autoptr(IsthmusExchange) emit = NULL;

  run_case ("window-events");
  gtk_widget_set_size_request (GTK_WIDGET (fixture.views[0]), -1, -1);
  emit = find_record (ISTHMUS_EXCHANGE_EMIT, "tauri://resize");
  g_assert_nonnull (emit);
  g_assert_nonnull (strstr (isthmus_exchange_get_note (emit), "main: 1"));
}

static void
test_unsupported (void)
{
  run_case ("unsupported");
}

/* Window "other" cannot call what only "main" may, through the real
 * @tauri-apps/api, and gets Tauri's text. */
static void
test_acl_windows (void)
{
  static const char capabilities[] =
    "[{\"identifier\": \"both\", \"windows\": [\"main\", \"other\"],"
    "  \"permissions\": [\"core:default\", \"allow-test-report\"]},"
    " {\"identifier\": \"main-only\", \"windows\": [\"main\"],"
    "  \"permissions\": [\"allow-greet\"]}]";
  IsthmusAcl *acl = isthmus_core_get_acl (fixture.core);
  g_autoptr(IsthmusExchange) denied = NULL;

  g_assert_true (isthmus_acl_load_data (acl, capabilities, strlen (capabilities), "test.json"));

  run_case ("acl-main");
  load_case (fixture.views[1], "acl-other");
  check_report ("acl-other");

  denied = find_record (ISTHMUS_EXCHANGE_INVOKE, "greet");
  g_assert_nonnull (denied);
  g_assert_cmpstr (isthmus_exchange_get_window_label (denied), ==, "other");
  g_assert_cmpstr (isthmus_exchange_get_error_code (denied), ==, "ACL_DENIED");
  g_assert_nonnull (strstr (isthmus_exchange_get_acl_text (denied), "allow-greet"));

  isthmus_acl_clear (acl);
}

static void
test_cross_window (void)
{
  g_autoptr(IsthmusExchange) emit_to = NULL;

  load_case (fixture.views[1], "cross-listen");
  wait_for_report ("cross-ready");
  run_case ("cross-emit");
  check_report ("cross-listen");

  emit_to = find_record (ISTHMUS_EXCHANGE_INVOKE, "plugin:event|emit_to");
  g_assert_nonnull (emit_to);
  g_assert_cmpstr (isthmus_exchange_get_window_label (emit_to), ==, "main");
  g_assert_nonnull (strstr (isthmus_exchange_get_note (emit_to), "other:"));
}

static void
setup_fixture (void)
{
  static const char * const labels[] = { "main", "other" };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  IsthmusRegistry *registry;

  fixture.reports = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, report_free);
  fixture.core = isthmus_core_new ();
  registry = isthmus_core_get_registry (fixture.core);
  isthmus_demo_commands_register (registry);
  g_assert_true (isthmus_registry_add (registry, "test_report", NULL, report_cb, NULL, NULL));
  g_assert_true (isthmus_registry_add (registry, "test_emit", NULL, emit_cb, NULL, NULL));
  g_assert_true (isthmus_registry_add (registry, "test_grow", NULL, grow_cb, NULL, NULL));
  g_assert_true (isthmus_registry_add (registry, "test_emit_many", NULL, emit_many_cb, NULL, NULL));

  path = g_test_build_filename (G_TEST_DIST, "web", "events", "tauri.conf.json", NULL);
  fixture.config = isthmus_config_load (path, &error);
  g_assert_no_error (error);

  fixture.host = isthmus_web_host_new (fixture.core, fixture.config, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      fixture.views[i] = g_object_ref_sink (isthmus_web_host_create_view (fixture.host, labels[i]));
      fixture.windows[i] = GTK_WINDOW (gtk_window_new ());
      gtk_window_set_title (fixture.windows[i], i == 0 ? "Events main" : "Events other");
      gtk_window_set_default_size (fixture.windows[i], 640, 480);
      gtk_window_set_child (fixture.windows[i], GTK_WIDGET (fixture.views[i]));
      gtk_window_present (fixture.windows[i]);
    }
}

static void
teardown_fixture (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (fixture.windows); i++)
    {
      gtk_window_destroy (fixture.windows[i]);
      g_clear_object (&fixture.views[i]);
    }
  g_clear_object (&fixture.host);
  g_clear_object (&fixture.config);
  g_clear_object (&fixture.core);
  g_clear_pointer (&fixture.reports, g_hash_table_unref);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("isthmus-test-events");
  gtk_init ();

  g_test_add_func ("/isthmus/events/payload", test_payload);
  g_test_add_func ("/isthmus/events/unlisten", test_unlisten);
  g_test_add_func ("/isthmus/events/once", test_once);
  g_test_add_func ("/isthmus/events/ten-thousand", test_many);
  g_test_add_func ("/isthmus/events/bad-name", test_bad_name);
  g_test_add_func ("/isthmus/events/cross-window", test_cross_window);
  g_test_add_func ("/isthmus/channels/thousand", test_channel);
  g_test_add_func ("/isthmus/raw/four-mib", test_raw);
  g_test_add_func ("/isthmus/windows/current", test_window);
  g_test_add_func ("/isthmus/windows/events", test_window_events);
  g_test_add_func ("/isthmus/windows/unsupported", test_unsupported);
  g_test_add_func ("/isthmus/acl/two-windows", test_acl_windows);

  setup_fixture ();
  ret = g_test_run ();
  teardown_fixture ();

  return ret;
}

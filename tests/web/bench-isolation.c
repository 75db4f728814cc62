/* bench-isolation.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One invoke round trip through the real @tauri-apps/api, brownfield
 * against the isolation pattern (bundled passthrough hook), in the same
 * run, with the isolation per-step split taken from the records, and the
 * least any isolation pattern can cost: a bare sandboxed frame that seals
 * each message with WebCrypto and posts it back.
 */

#define G_LOG_DOMAIN "bench-isolation"

#include "config.h"

#include <gtk/gtk.h>

#include "isthmus-config.h"
#include "isthmus-core.h"
#include "isthmus-demo-commands.h"
#include "isthmus-isolation.h"
#include "isthmus-web-host.h"
#include "web-test-util.h"

#define WAIT_TIMEOUT_MS 300000

typedef struct
{
  gsize       size;
  const char *label;
  int         iterations;
  int         batch;
} Workload;

/* Each measure runs in ROUNDS interleaved rounds of 1/ROUNDS of the
 * calls; the median round is printed. */
#define ROUNDS 3

static const Workload workloads[] = {
  { 100,     "100 B",  2100, 20 },
  { 10240,   "10 KiB", 990,  10 },
  { 1048576, "1 MiB",  60,   2 },
};

static gboolean bench_ready;

static void
ready_cb (IsthmusInvocation *invocation,
          gpointer           user_data)
{
  bench_ready = TRUE;
  isthmus_invocation_return_value (invocation, NULL);
}

typedef struct
{
  JSCValue *value;
  GError   *error;
  gboolean  done;
} JsResult;

static void
js_done_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  JsResult *r = user_data;

  r->value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (object), result, &r->error);
  r->done = TRUE;
}

typedef struct
{
  IsthmusCore    *core;
  IsthmusWebHost *host;
  WebKitWebView  *view;
  GtkWindow      *window;
} Setup;

static void
setup (Setup    *s,
       gboolean  isolation)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  s->core = isthmus_core_new ();
  isthmus_demo_commands_register (isthmus_core_get_registry (s->core));
  isthmus_registry_add (isthmus_core_get_registry (s->core), "bench_ready", NULL, ready_cb, NULL, NULL);
  isthmus_recorder_set_capacity (isthmus_core_get_recorder (s->core), 1000);

  path = g_test_build_filename (G_TEST_DIST, "web", isolation ? "isolation" : ".", "tauri.conf.json", NULL);
  config = isthmus_config_load (path, &error);
  if (config == NULL)
    g_error ("%s", error->message);
  if (isolation)
    isthmus_config_set_isolation_dir (config, NULL);
  s->host = isthmus_web_host_new (s->core, config, &error);
  if (s->host == NULL)
    g_error ("%s", error->message);

  bench_ready = FALSE;
  s->view = isthmus_web_host_create_view (s->host, "main");
  s->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (s->window, GTK_WIDGET (s->view));
  gtk_window_present (s->window);
  webkit_web_view_load_uri (s->view, "tauri://localhost/web/pages/bench.html");
  if (!wait_for_flag (&bench_ready, WAIT_TIMEOUT_MS))
    g_error ("the benchmark page did not load");
}

static double
run (Setup          *s,
     const Workload *w)
{
  JsResult r = { 0 };
  g_autofree char *body = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = NULL;

  body = g_strdup_printf ("return await window.__benchFull (%" G_GSIZE_FORMAT ", %d, %d, 1, 1);",
                          w->size, w->iterations, w->batch);
  webkit_web_view_call_async_javascript_function (s->view, body, -1, NULL, NULL, "isthmus-bench://run",
                                                  NULL, js_done_cb, &r);
  if (!wait_for_flag (&r.done, WAIT_TIMEOUT_MS) || r.error != NULL)
    g_error ("benchmark script failed: %s", r.error != NULL ? r.error->message : "timeout");
  text = jsc_value_to_string (r.value);
  g_object_unref (r.value);
  if (!json_parser_load_from_data (parser, text, -1, NULL))
    g_error ("bad result %s", text);

  return json_object_get_double_member (json_node_get_object (json_parser_get_root (parser)), "meanUs");
}

/* The least any isolation pattern costs on top of brownfield, with no code
 * of Isthmus: a sandboxed frame (scripts only, opaque origin) that takes
 * the message by postMessage, seals it with WebCrypto AES-256-GCM under a
 * non-extractable key and a fresh nonce, and posts the ciphertext back,
 * which is what Tauri's isolation pattern asks of the frame. Measured in
 * the brownfield page, sequentially, like the invokes. */
static const char frame_floor_body[] =
  "const frameScript = `"
  "  let key = null;"
  "  crypto.subtle.importKey ('raw', crypto.getRandomValues (new Uint8Array (32)), {name: 'AES-GCM'}, false, ['encrypt'])"
  "    .then ((k) => { key = k; parent.postMessage ({ready: true}, '*'); });"
  "  const encoder = new TextEncoder ();"
  "  addEventListener ('message', async (e) => {"
  "    if (e.source !== parent) return;"
  "    const iv = crypto.getRandomValues (new Uint8Array (12));"
  "    const ct = await crypto.subtle.encrypt ({name: 'AES-GCM', iv}, key, encoder.encode (e.data.text));"
  "    parent.postMessage ({id: e.data.id, ct}, '*', [ct]);"
  "  });`;"
  "const frame = document.createElement ('iframe');"
  "frame.setAttribute ('sandbox', 'allow-scripts');"
  "frame.style.display = 'none';"
  "let waiting = null;"
  "addEventListener ('message', (e) => {"
  "  if (e.source !== frame.contentWindow || waiting === null) return;"
  "  const w = waiting; waiting = null; w (e.data);"
  "});"
  "const ready = new Promise ((resolve) => { waiting = resolve; });"
  "frame.srcdoc = '<script>' + frameScript + '<' + '/script>';"
  "document.body.appendChild (frame);"
  "await ready;"
  "const text = JSON.stringify ({cmd: 'echo', callback: 1, error: 2, payload: {value: 'x'.repeat (size)}});"
  "let id = 0;"
  "function seal () {"
  "  return new Promise ((resolve) => { waiting = resolve; frame.contentWindow.postMessage ({id: ++id, text}, '*'); });"
  "}"
  "for (let i = 0; i < 10; i++) await seal ();"
  "const t0 = performance.now ();"
  "for (let i = 0; i < iterations; i++) {"
  "  const reply = await seal ();"
  "  if (!(reply.ct instanceof ArrayBuffer) || reply.ct.byteLength !== new TextEncoder ().encode (text).length + 16)"
  "    throw new Error ('bad ciphertext');"
  "}"
  "const mean = (performance.now () - t0) / iterations * 1000;"
  "frame.remove ();"
  "return mean;";

static double
run_frame_floor (Setup          *s,
                 const Workload *w)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  JsResult r = { 0 };
  double mean;

  g_variant_builder_add (&builder, "{sv}", "size", g_variant_new_uint32 ((guint32)w->size));
  g_variant_builder_add (&builder, "{sv}", "iterations", g_variant_new_int32 (w->iterations));
  webkit_web_view_call_async_javascript_function (s->view, frame_floor_body, -1,
                                                  g_variant_builder_end (&builder),
                                                  NULL, "isthmus-bench://frame-floor", NULL, js_done_cb, &r);
  if (!wait_for_flag (&r.done, WAIT_TIMEOUT_MS) || r.error != NULL)
    g_error ("the frame floor failed: %s", r.error != NULL ? r.error->message : "timeout");
  mean = jsc_value_to_double (r.value);
  g_object_unref (r.value);

  return mean;
}

/* Means of the isolation steps over the echo records kept. */
static void
split (Setup  *s,
       double  means[4])
{
  GListModel *model = G_LIST_MODEL (isthmus_core_get_recorder (s->core));
  guint n = 0;

  for (guint k = 0; k < 4; k++)
    means[k] = 0;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i);
      const IsthmusExchangeIsolation *info = isthmus_exchange_get_isolation (exchange);

      if (info == NULL || g_strcmp0 (isthmus_exchange_get_command (exchange), "echo") != 0)
        continue;
      means[0] += info->hook_us;
      means[1] += info->encrypt_us;
      means[2] += info->transport_us;
      means[3] += info->decrypt_us;
      n++;
    }

  for (guint k = 0; k < 4; k++)
    means[k] = n > 0 ? means[k] / n : 0;
}

int
main (int   argc,
      char *argv[])
{
  Setup brown = { 0 };
  Setup iso = { 0 };
  double brown_means[G_N_ELEMENTS (workloads)];
  double iso_means[G_N_ELEMENTS (workloads)];
  double floor_means[G_N_ELEMENTS (workloads)];

  g_test_init (&argc, &argv, NULL);
  g_set_prgname ("isthmus-bench-isolation");
  gtk_init ();

  setup (&brown, FALSE);
  setup (&iso, TRUE);

  g_print ("Isthmus invoke('echo') round trip, sequential means, brownfield vs isolation "
           "(bundled passthrough hook), WebKitGTK %u.%u.%u\n",
           webkit_get_major_version (), webkit_get_minor_version (), webkit_get_micro_version ());
  g_print ("Each figure is the median of %d rounds, run interleaved.\n", ROUNDS);
  g_print ("split, means in µs: hook and encrypt (timed in the frame; its timer has about\n"
           "1 ms granularity, so single values are coarse), transport (the postMessage hops to\n"
           "and from the frame, on the bridge's clock), decrypt (in the core)\n\n");
  g_print ("%-7s %12s %12s %7s   %8s %8s %9s %8s\n", "payload", "brownfield", "isolation", "ratio",
           "hook", "encrypt", "transport", "decrypt");

  for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
    {
      const Workload *w = &workloads[i];
      Workload round = *w;
      double b_rounds[ROUNDS], s_rounds[ROUNDS], f_rounds[ROUNDS];
      double means[4];
      double b, s;

      /* The split is over this size's records only. */
      isthmus_recorder_clear (isthmus_core_get_recorder (iso.core));
      round.iterations = w->iterations / ROUNDS;
      for (guint r = 0; r < ROUNDS; r++)
        {
          b_rounds[r] = run (&brown, &round);
          s_rounds[r] = run (&iso, &round);
          f_rounds[r] = run_frame_floor (&brown, &round);
        }
      b = median_of (b_rounds, ROUNDS);
      s = median_of (s_rounds, ROUNDS);

      split (&iso, means);
      g_print ("%-7s %9.1f µs %9.1f µs %6.2fx   %8.0f %8.0f %9.0f %8.0f\n", w->label, b, s, s / b,
               means[0], means[1], means[2], means[3]);
      brown_means[i] = b;
      iso_means[i] = s;
      floor_means[i] = median_of (f_rounds, ROUNDS);
    }

  g_print ("\nThe least isolation can cost, with no code of Isthmus: frame floor = postMessage to a\n"
           "sandboxed frame, WebCrypto AES-256-GCM seal there (non-extractable key, fresh nonce),\n"
           "postMessage of the ciphertext back; bound = brownfield + frame floor.\n\n");
  g_print ("%-7s %12s %12s %12s %12s %14s\n", "payload", "brownfield", "frame floor", "bound",
           "bound ratio", "isolation ratio");
  for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
    {
      double f = floor_means[i];

      g_print ("%-7s %9.1f µs %9.1f µs %9.1f µs %11.2fx %14.2fx\n", workloads[i].label,
               brown_means[i], f, brown_means[i] + f, (brown_means[i] + f) / brown_means[i],
               iso_means[i] / brown_means[i]);
    }

  gtk_window_destroy (brown.window);
  gtk_window_destroy (iso.window);
  return 0;
}

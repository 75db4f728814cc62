/* bench-ipc.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Round-trip cost of one invoke, in one web process: the floor (a bare
 * script message handler with reply that echoes the string back, called
 * from its own isolated world) against a full Isthmus invoke through the
 * real @tauri-apps/api (page script, bridge, core pipeline, echo command),
 * and two fixed costs of the design on top of the floor: the crossing
 * between the page world and the bridge's world, and the page's own JSON,
 * and the floor reached through a minimal bridge with no Isthmus code.
 */

#define G_LOG_DOMAIN "bench-ipc"

#include "config.h"

#include <stdio.h>

#include <gtk/gtk.h>

#include "isthmus-channel.h"
#include "isthmus-config.h"
#include "isthmus-core.h"
#include "isthmus-core-raw.h"
#include "isthmus-demo-commands.h"
#include "isthmus-recorder.h"
#include "isthmus-web-host-private.h"
#include "isthmus-web-host.h"
#include "web-test-util.h"

#define WAIT_TIMEOUT_MS 300000
#define RAW_HANDLER     "isthmusBenchRaw"

typedef struct
{
  gsize       size;
  const char *label;
  int         iterations;
  int         batch;
  int         total;
  int         inflight;
} Workload;

/* Each measure runs in ROUNDS rounds, interleaved with the others, each
 * with 1/ROUNDS of the calls; the median round is printed. The machine's
 * drift then moves the floor and Isthmus together. */
#define ROUNDS 3

static const Workload workloads[] = {
  { 100,     "100 B",  3000, 25, 6000, 100 },
  { 10240,   "10 KiB", 990,  10, 1800, 100 },
  { 1048576, "1 MiB",  90,   2,  150,  50 },
};

typedef struct
{
  double mean_us;
  double median_us;
  double calls_per_second;
} Figures;

/* The median of each figure over the rounds. */
static Figures
median_figures (const Figures *rounds)
{
  double mean[ROUNDS], median[ROUNDS], rate[ROUNDS];
  Figures figures;

  for (guint r = 0; r < ROUNDS; r++)
    {
      mean[r] = rounds[r].mean_us;
      median[r] = rounds[r].median_us;
      rate[r] = rounds[r].calls_per_second;
    }
  figures.mean_us = median_of (mean, ROUNDS);
  figures.median_us = median_of (median, ROUNDS);
  figures.calls_per_second = median_of (rate, ROUNDS);
  return figures;
}

static gboolean bench_ready;
static gboolean events_done;

static void
events_done_cb (IsthmusInvocation *invocation,
                gpointer           user_data)
{
  events_done = TRUE;
  isthmus_invocation_return_value (invocation, NULL);
}

/* bench_stream {n, size, onMessage}: n messages of a size-byte string
 * through the channel, then the end marker, then the reply. */
static void
stream_cb (IsthmusInvocation *invocation,
           gpointer           user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(IsthmusChannel) channel = isthmus_invocation_get_channel (invocation, "onMessage", &error);
  gint64 n = isthmus_invocation_get_int (invocation, "n", 0);
  gint64 size = isthmus_invocation_get_int (invocation, "size", 0);
  g_autofree char *text = g_strnfill (size, 'x');
  g_autoptr(JsonNode) message = json_node_init_string (json_node_alloc (), text);

  if (channel == NULL)
    {
      isthmus_invocation_return_gerror (invocation, error);
      return;
    }

  for (gint64 i = 0; i < n; i++)
    isthmus_channel_send (channel, message);
  isthmus_channel_close (channel);
  isthmus_invocation_return_value (invocation, NULL);
}

static void
ready_cb (IsthmusInvocation *invocation,
          gpointer           user_data)
{
  bench_ready = TRUE;
  isthmus_invocation_return_value (invocation, NULL);
}

static gboolean
raw_message_cb (WebKitUserContentManager *ucm,
                JSCValue                 *value,
                WebKitScriptMessageReply *reply,
                gpointer                  user_data)
{
  g_autoptr(GBytes) bytes = jsc_value_to_string_as_bytes (value);
  g_autoptr(JSCValue) echo = jsc_value_new_string_from_bytes (jsc_value_get_context (value), bytes);

  webkit_script_message_reply_return_value (reply, echo);
  return TRUE;
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

static Figures
run_js (WebKitWebView  *view,
        const char     *world,
        const char     *body,
        const Workload *w)
{
  JsResult r = { 0 };
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  Figures figures;

  g_variant_builder_add (&builder, "{sv}", "size", g_variant_new_uint32 ((guint32)w->size));
  g_variant_builder_add (&builder, "{sv}", "iterations", g_variant_new_int32 (w->iterations));
  g_variant_builder_add (&builder, "{sv}", "batch", g_variant_new_int32 (w->batch));
  g_variant_builder_add (&builder, "{sv}", "total", g_variant_new_int32 (w->total));
  g_variant_builder_add (&builder, "{sv}", "inflight", g_variant_new_int32 (w->inflight));

  webkit_web_view_call_async_javascript_function (view, body, -1,
                                                  g_variant_builder_end (&builder),
                                                  world, "isthmus-bench://run", NULL,
                                                  js_done_cb, &r);
  if (!wait_for_flag (&r.done, WAIT_TIMEOUT_MS))
    g_error ("benchmark script did not finish");
  if (r.error != NULL)
    g_error ("benchmark script failed: %s", r.error->message);

  text = jsc_value_to_string (r.value);
  g_object_unref (r.value);
  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("bad benchmark result %s: %s", text, error->message);
  object = json_node_get_object (json_parser_get_root (parser));
  figures.mean_us = json_object_get_double_member (object, "meanUs");
  figures.median_us = json_object_get_double_member (object, "medianUs");
  figures.calls_per_second = json_object_get_double_member (object, "callsPerSecond");
  return figures;
}

/* A round-trip loop in the world of a handler: the same shape as
 * bench.js, with the message text Isthmus would post. */
#define ROUND_TRIP_BODY(HANDLER, CHECK) \
  "const h = window.webkit.messageHandlers." HANDLER ";" \
  "const text = JSON.stringify ({cmd: 'echo', callback: 1, error: 2, payload: {value: 'x'.repeat (size)}});" \
  "const times = [];" \
  "for (let i = 0; i < 10; i++) await h.postMessage (text);" \
  "for (let i = 0; i < iterations; i += batch) {" \
  "  const t0 = performance.now ();" \
  "  for (let j = 0; j < batch; j++) {" \
  "    const r = await h.postMessage (text);" \
  "    " CHECK \
  "  }" \
  "  times.push ((performance.now () - t0) / batch);" \
  "}" \
  "let next = 0, done = 0;" \
  "const t0 = performance.now ();" \
  "await new Promise ((resolve, reject) => {" \
  "  function launch () {" \
  "    if (next >= total) return;" \
  "    next++;" \
  "    h.postMessage (text).then (() => { done++; if (done === total) resolve (); else launch (); }, reject);" \
  "  }" \
  "  for (let i = 0; i < inflight; i++) launch ();" \
  "});" \
  "const elapsed = performance.now () - t0;" \
  "const sorted = times.slice ().sort ((a, b) => a - b);" \
  "return JSON.stringify ({meanUs: times.reduce ((a, b) => a + b, 0) / times.length * 1000," \
  "  medianUs: sorted[sorted.length >> 1] * 1000, callsPerSecond: total / elapsed * 1000});"

/* The floor: a bare handler with reply that echoes the string. */
static const char raw_body[] =
  ROUND_TRIP_BODY (RAW_HANDLER, "if (r.length !== text.length) throw new Error ('bad echo');");

/* The core alone: Isthmus's own handler, posted to from the bridge's world
 * (no page script, no @tauri-apps/api, no bridge). */
static const char core_body[] =
  ROUND_TRIP_BODY ("isthmusIpc", "if (typeof r !== 'string') throw new Error ('bad reply');");

typedef struct
{
  gsize       size;
  const char *label;
  int         n;
} EventWorkload;

static const EventWorkload event_workloads[] = {
  { 100,   "100 B",  5000 },
  { 10240, "10 KiB", 2000 },
};

typedef struct
{
  int calls;
  int done;
} FloorCount;

static void
floor_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  FloorCount *count = user_data;
  g_autoptr(JSCValue) value = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (object), result, NULL);
  count->done++;
}

/* The raw floor: n calls of a page function taking the payload as an
 * argument, the way Isthmus delivers events. */
static double
run_event_floor (WebKitWebView       *view,
                 const EventWorkload *w)
{
  g_autofree char *payload = g_strnfill (w->size, 'x');
  FloorCount count = { 0 };
  gboolean finished = FALSE;
  gint64 t0 = g_get_monotonic_time ();

  for (int i = 0; i < w->n; i++)
    {
      GVariantBuilder builder;

      g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
      g_variant_builder_add (&builder, "{sv}", "p", g_variant_new_string (payload));
      webkit_web_view_call_async_javascript_function (view, "window.__benchSink = p.length;", -1,
                                                      g_variant_builder_end (&builder),
                                                      NULL, NULL, NULL, floor_done_cb, &count);
    }

  while (count.done < w->n && !finished)
    {
      g_main_context_iteration (NULL, TRUE);
      finished = g_get_monotonic_time () - t0 > (gint64)WAIT_TIMEOUT_MS * 1000;
    }
  if (count.done < w->n)
    g_error ("the floor's calls did not finish");

  return w->n / ((g_get_monotonic_time () - t0) / 1e6);
}

static double
run_event_emits (IsthmusCore         *core,
                 WebKitWebView       *view,
                 const EventWorkload *w)
{
  g_autofree char *payload_text = g_strnfill (w->size, 'x');
  g_autoptr(JsonNode) payload = json_node_init_string (json_node_alloc (), payload_text);
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  JsResult r = { 0 };
  gint64 t0;

  g_variant_builder_add (&builder, "{sv}", "n", g_variant_new_int32 (w->n));
  webkit_web_view_call_async_javascript_function (view, "return await window.__benchListen (n);", -1,
                                                  g_variant_builder_end (&builder),
                                                  NULL, "isthmus-bench://listen", NULL, js_done_cb, &r);
  if (!wait_for_flag (&r.done, WAIT_TIMEOUT_MS) || r.error != NULL)
    g_error ("the page could not listen");
  g_clear_object (&r.value);

  events_done = FALSE;
  t0 = g_get_monotonic_time ();
  for (int i = 0; i < w->n; i++)
    if (!isthmus_core_emit (core, NULL, "bench-event", payload, NULL))
      g_error ("emit failed");

  if (!wait_for_flag (&events_done, WAIT_TIMEOUT_MS))
    g_error ("the page did not receive every event");

  return w->n / ((g_get_monotonic_time () - t0) / 1e6);
}

static double
run_channel (WebKitWebView       *view,
             const EventWorkload *w)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  JsResult r = { 0 };
  double per_second;

  g_variant_builder_add (&builder, "{sv}", "n", g_variant_new_int32 (w->n));
  g_variant_builder_add (&builder, "{sv}", "size", g_variant_new_int32 ((gint32)w->size));
  webkit_web_view_call_async_javascript_function (view, "return await window.__benchChannel (n, size);", -1,
                                                  g_variant_builder_end (&builder),
                                                  NULL, "isthmus-bench://channel", NULL, js_done_cb, &r);
  if (!wait_for_flag (&r.done, WAIT_TIMEOUT_MS) || r.error != NULL)
    g_error ("the channel benchmark failed: %s", r.error ? r.error->message : "timeout");

  per_second = jsc_value_to_double (r.value);
  g_clear_object (&r.value);
  return per_second;
}

/* Fixed costs of the design. The crossing: the bridge's isolated world
 * echoes a CustomEvent back to the page world, carrying the same text
 * as an invoke, with no other work (the listener below is installed in
 * the bridge's world by the benchmark, not by Isthmus). The page's JSON:
 * @tauri-apps/api hands invoke() an object and expects one back, and the
 * page script carries both as JSON text (strings are the fastest values
 * a script message carries), so it writes the message and reads the
 * reply once each. */
static const char crossing_install[] =
  "document.addEventListener ('isthmus-bench-cross-q', function (e) {"
  "  document.dispatchEvent (new CustomEvent ('isthmus-bench-cross-r', {detail: e.detail}));"
  "}, true);"
  "return true;";

/* The floor reached the way any page world must reach an isolated world's
 * handler, with nothing else: a CustomEvent to a listener in the floor's
 * world that posts the text to the bare handler and sends the reply back
 * in a CustomEvent from the promise's reaction. No code of Isthmus. */
static const char minimal_bridge_install[] =
  "const h = window.webkit.messageHandlers." RAW_HANDLER ";"
  "document.addEventListener ('isthmus-bench-mb-q', function (e) {"
  "  h.postMessage (e.detail).then ((r) => document.dispatchEvent (new CustomEvent ('isthmus-bench-mb-r', {detail: r})));"
  "}, true);"
  "return true;";

#define LOOP_BODY(SETUP, CALL) \
  SETUP \
  "const times = [];" \
  "for (let i = 0; i < 10; i++) await " CALL ";" \
  "for (let i = 0; i < iterations; i += batch) {" \
  "  const t0 = performance.now ();" \
  "  for (let j = 0; j < batch; j++) await " CALL ";" \
  "  times.push ((performance.now () - t0) / batch);" \
  "}" \
  "const sorted = times.slice ().sort ((a, b) => a - b);" \
  "return JSON.stringify ({meanUs: times.reduce ((a, b) => a + b, 0) / times.length * 1000," \
  "  medianUs: sorted[sorted.length >> 1] * 1000, callsPerSecond: 0});"

/* The page-side listeners are installed once per page: a listener left
 * from an earlier run would run again on every event of later ones. */
static const char crossing_body[] =
  LOOP_BODY ("const text = '1 ' + JSON.stringify ({cmd: 'echo', callback: 1, error: 2, payload: {value: 'x'.repeat (size)}});"
             "if (!window.__benchCross) {"
             "  const state = window.__benchCross = {settle: null, length: 0};"
             "  document.addEventListener ('isthmus-bench-cross-r', (e) => {"
             "    if (typeof e.detail !== 'string' || e.detail.length !== state.length) throw new Error ('bad crossing');"
             "    const s = state.settle; state.settle = null; s ();"
             "  }, true);"
             "}"
             "const state = window.__benchCross;"
             "state.length = text.length;"
             "function cross () {"
             "  return new Promise ((resolve) => {"
             "    state.settle = resolve;"
             "    document.dispatchEvent (new CustomEvent ('isthmus-bench-cross-q', {detail: text}));"
             "  });"
             "}",
             "cross ()");

/* The page side of the minimal bridge: call () sends the text to the
 * listener in the floor's world and settles when the reply comes back. */
#define MINIMAL_BRIDGE_SETUP \
  "const text = JSON.stringify ({cmd: 'echo', callback: 1, error: 2, payload: {value: 'x'.repeat (size)}});" \
  "if (!window.__benchMinimal) {" \
  "  const state = window.__benchMinimal = {settle: null, length: 0};" \
  "  document.addEventListener ('isthmus-bench-mb-r', (e) => {" \
  "    if (typeof e.detail !== 'string' || e.detail.length !== state.length) throw new Error ('bad echo');" \
  "    const s = state.settle; state.settle = null; s ();" \
  "  }, true);" \
  "}" \
  "const state = window.__benchMinimal;" \
  "state.length = text.length;" \
  "function call () {" \
  "  return new Promise ((resolve) => {" \
  "    state.settle = resolve;" \
  "    document.dispatchEvent (new CustomEvent ('isthmus-bench-mb-q', {detail: text}));" \
  "  });" \
  "}"

static const char minimal_bridge_body[] = LOOP_BODY (MINIMAL_BRIDGE_SETUP, "call ()");

/* Two more floors, in the floor's world, sequential only. Fresh: each
 * call posts a string the web process has not posted before, as every
 * real message is (the floor posts the same string object each time, and
 * WebKit's serialiser then reuses the hash it computed for it the first
 * time: about 1 ms at 1 MiB). The strings are made before the clock
 * starts, and each call awaits the post itself, as the floor does.
 * API shape: the bare handler reached the way @tauri-apps/api reaches
 * any transport: its invoke () is an async function returning
 * the promise of __TAURI_INTERNALS__.invoke (), which a reaction to the
 * reply settles. No work is done in any of these steps; on this WebKit
 * each promise step between a reply and the next post adds latency to
 * the next round trip. */
static const char fresh_body[] =
  LOOP_BODY ("const h = window.webkit.messageHandlers." RAW_HANDLER ";"
             "const value = 'x'.repeat (size);"
             "const texts = [];"
             "for (let i = 0; i < iterations + 10; i++)"
             "  texts.push (JSON.stringify ({cmd: 'echo', callback: i, error: 2, payload: {value}}));"
             "let next = 0;",
             "h.postMessage (texts[next++])");

static const char api_shape_body[] =
  LOOP_BODY ("const h = window.webkit.messageHandlers." RAW_HANDLER ";"
             "const text = JSON.stringify ({cmd: 'echo', callback: 1, error: 2, payload: {value: 'x'.repeat (size)}});"
             "function internals (t) {"
             "  return new Promise ((resolve, reject) => { h.postMessage (t).then (resolve, reject); });"
             "}"
             "async function invoke (t) { return internals (t); }",
             "invoke (text)");

/* The same minimal bridge reached through the promise steps of
 * @tauri-apps/api's invoke () (see api_shape_body): the least a bridge
 * between the worlds can cost under the real package. */
static const char minimal_shape_body[] =
  LOOP_BODY (MINIMAL_BRIDGE_SETUP "async function invoke () { return call (); }", "invoke ()");

static const char page_json_body[] =
  LOOP_BODY ("const args = {value: 'x'.repeat (size)};"
             "const reply = JSON.stringify (args.value);"
             "async function json () {"
             "  const text = JSON.stringify ({cmd: 'echo', callback: 1, error: 2, payload: args, options: undefined});"
             "  const value = JSON.parse (reply);"
             "  if (text.length < size || value.length !== size) throw new Error ('bad JSON');"
             "}",
             "json ()");

/* A session that runs longer than a few minutes has its recorder at one
 * of its bounds, the number of records or their bytes, dropping the
 * oldest records as new ones come: the steady state this measures. Until
 * then, each record's text lands in memory never touched before, which
 * costs about 3 ms per MiB to fault in on the CI's VM, once. So before
 * each payload size, the recorder is filled with records of that size
 * alone: as many calls as it keeps records, or as its bytes bound holds
 * records of that size, whichever is fewer. (Records of the size before
 * would otherwise keep the number bound reached while the bytes of the
 * new size still grow into fresh memory.) */
static void
fill_recorder (WebKitWebView   *view,
               const char      *world,
               IsthmusRecorder *recorder,
               const Workload  *w)
{
  Workload fill = *w;
  /* The request as the core records it, and the echoed reply. */
  guint64 per_record = 2 * (w->size + 64);
  guint64 calls = MIN (isthmus_recorder_get_capacity (recorder),
                       isthmus_recorder_get_max_bytes (recorder) / per_record + 1);

  fill.iterations = (int)calls;
  fill.total = 1;
  fill.inflight = 1;
  run_js (view, world, core_body, &fill);
}

/* The measures each payload size runs, in this order, in each round. */
enum
{
  MEASURE_FLOOR,
  MEASURE_CORE,
  MEASURE_FULL,
  MEASURE_MINIMAL,
  MEASURE_FRESH,
  MEASURE_SHAPE,
  MEASURE_MINIMAL_SHAPE,
  N_MEASURES
};

static const char full_body[] =
  "return await window.__benchFull (size, iterations, batch, total, inflight);";

int
main (int   argc,
      char *argv[])
{
  g_autoptr(IsthmusCore) core = NULL;
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(IsthmusWebHost) host = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *raw_world = NULL;
  const char *bridge_world;
  WebKitUserContentManager *ucm;
  WebKitWebView *view;
  GtkWindow *window;
  gint64 start = g_get_monotonic_time ();
  double floor_means[G_N_ELEMENTS (workloads)];
  double full_means[G_N_ELEMENTS (workloads)];
  double crossing_means[G_N_ELEMENTS (workloads)];
  double page_json_means[G_N_ELEMENTS (workloads)];
  double minimal_means[G_N_ELEMENTS (workloads)];
  double fresh_means[G_N_ELEMENTS (workloads)];
  double shape_means[G_N_ELEMENTS (workloads)];
  double minimal_shape_means[G_N_ELEMENTS (workloads)];

  g_test_init (&argc, &argv, NULL);
  /* WebKit derives its data directories from the program name, which
   * g_test_init() sets to the full path. */
  g_set_prgname ("isthmus-bench-ipc");
  gtk_init ();

  core = isthmus_core_new ();
  isthmus_demo_commands_register (isthmus_core_get_registry (core));
  isthmus_registry_add (isthmus_core_get_registry (core), "bench_ready", NULL, ready_cb, NULL, NULL);
  isthmus_registry_add (isthmus_core_get_registry (core), "bench_events_done", NULL, events_done_cb, NULL, NULL);
  isthmus_registry_add (isthmus_core_get_registry (core), "bench_stream", NULL, stream_cb, NULL, NULL);
  /* Keep the recorder small: the benchmark is about the pipeline. */
  isthmus_recorder_set_capacity (isthmus_core_get_recorder (core), 1000);

  path = g_test_build_filename (G_TEST_DIST, "web", "tauri.conf.json", NULL);
  config = isthmus_config_load (path, &error);
  if (config == NULL)
    g_error ("%s", error->message);
  host = isthmus_web_host_new (core, config, &error);
  if (host == NULL)
    g_error ("%s", error->message);

  view = isthmus_web_host_create_view (host, "main");
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 800, 600);
  gtk_window_set_child (window, GTK_WIDGET (view));
  gtk_window_present (window);

  /* The floor's handler: its own world, same view, same web process. */
  raw_world = g_strdup_printf ("isthmus-bench-%08x", g_random_int ());
  ucm = webkit_web_view_get_user_content_manager (view);
  g_signal_connect (ucm, "script-message-with-reply-received::" RAW_HANDLER,
                    G_CALLBACK (raw_message_cb), NULL);
  webkit_user_content_manager_register_script_message_handler_with_reply (ucm, RAW_HANDLER, raw_world);

  bridge_world = _isthmus_web_host_get_world_name (host, view);
  webkit_web_view_load_uri (view, "tauri://localhost/web/pages/bench.html");
  if (!wait_for_flag (&bench_ready, WAIT_TIMEOUT_MS))
    g_error ("the benchmark page did not load");

  {
    JsResult installed = { 0 };

    webkit_web_view_call_async_javascript_function (view, crossing_install, -1, NULL, bridge_world,
                                                    "isthmus-bench://crossing", NULL, js_done_cb, &installed);
    if (!wait_for_flag (&installed.done, WAIT_TIMEOUT_MS) || installed.error != NULL)
      g_error ("could not install the crossing echo");
    g_clear_object (&installed.value);

    installed = (JsResult) { 0 };
    webkit_web_view_call_async_javascript_function (view, minimal_bridge_install, -1, NULL, raw_world,
                                                    "isthmus-bench://minimal-bridge", NULL, js_done_cb, &installed);
    if (!wait_for_flag (&installed.done, WAIT_TIMEOUT_MS) || installed.error != NULL)
      g_error ("could not install the minimal bridge");
    g_clear_object (&installed.value);
  }

  g_print ("Isthmus IPC round trips, one web process (WebKitGTK %u.%u.%u)\n",
           webkit_get_major_version (), webkit_get_minor_version (), webkit_get_micro_version ());
  g_print ("floor = bare script message handler with reply echoing the string;\n"
           "core = the same message posted to Isthmus's handler from the bridge world (core pipeline only);\n"
           "isthmus = @tauri-apps/api invoke('echo', {value}) through page script, bridge and core;\n"
           "ratio = how many times slower the full invoke is than the floor;\n"
           "each figure is the median of %d rounds, run interleaved, after the recorder was filled\n"
           "with records of the size to one of its bounds (the steady state of any longer session).\n\n", ROUNDS);
  g_print ("%-7s %-26s %14s %14s %14s %8s\n", "payload", "measure", "floor", "core", "isthmus", "ratio");

  for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
    {
      const Workload *w = &workloads[i];
      g_autofree char *mean = g_strdup_printf ("mean, sequential n=%d", w->iterations);
      g_autofree char *median = g_strdup_printf ("median, batches of %d", w->batch);
      g_autofree char *par = g_strdup_printf ("%d in flight, n=%d", w->inflight, w->total);
      const struct
      {
        const char *world;
        const char *body;
      } measures[] = {
        [MEASURE_FLOOR] = { raw_world, raw_body },
        [MEASURE_CORE] = { bridge_world, core_body },
        [MEASURE_FULL] = { NULL, full_body },
        [MEASURE_MINIMAL] = { NULL, minimal_bridge_body },
        [MEASURE_FRESH] = { raw_world, fresh_body },
        [MEASURE_SHAPE] = { raw_world, api_shape_body },
        [MEASURE_MINIMAL_SHAPE] = { NULL, minimal_shape_body },
      };
      Figures rounds[N_MEASURES][ROUNDS];
      Figures figures[N_MEASURES];
      Workload round = *w;
      Figures raw, core_only, full;

      round.iterations = w->iterations / ROUNDS;
      round.total = w->total / ROUNDS;
      fill_recorder (view, bridge_world, isthmus_core_get_recorder (core), w);

      for (guint r = 0; r < ROUNDS; r++)
        for (guint m = 0; m < N_MEASURES; m++)
          rounds[m][r] = run_js (view, measures[m].world, measures[m].body, &round);
      for (guint m = 0; m < N_MEASURES; m++)
        figures[m] = median_figures (rounds[m]);
      raw = figures[MEASURE_FLOOR];
      core_only = figures[MEASURE_CORE];
      full = figures[MEASURE_FULL];

      floor_means[i] = raw.mean_us;
      full_means[i] = full.mean_us;
      minimal_means[i] = figures[MEASURE_MINIMAL].mean_us;
      fresh_means[i] = figures[MEASURE_FRESH].mean_us;
      shape_means[i] = figures[MEASURE_SHAPE].mean_us;
      minimal_shape_means[i] = figures[MEASURE_MINIMAL_SHAPE].mean_us;
      crossing_means[i] = run_js (view, NULL, crossing_body, w).mean_us;
      page_json_means[i] = run_js (view, NULL, page_json_body, w).mean_us;

      g_print ("%-7s %-26s %11.1f µs %11.1f µs %11.1f µs %7.2fx\n", w->label, mean,
               raw.mean_us, core_only.mean_us, full.mean_us, full.mean_us / raw.mean_us);
      g_print ("%-7s %-26s %11.1f µs %11.1f µs %11.1f µs %7.2fx\n", "", median,
               raw.median_us, core_only.median_us, full.median_us, full.median_us / raw.median_us);
      g_print ("%-7s %-26s %9.0f /s   %9.0f /s   %9.0f /s   %7.2fx\n", "", par,
               raw.calls_per_second, core_only.calls_per_second, full.calls_per_second,
               raw.calls_per_second / full.calls_per_second);
    }

  g_print ("\nFixed costs of the design (sequential means): crossing = a CustomEvent from the page world\n"
           "to the bridge's isolated world and back with the same text and no other work; page JSON =\n"
           "writing the invoke message and reading the reply as JSON text in the page; bound = floor +\n"
           "both; minimal bridge = the floor's handler reached from the page world through a listener in\n"
           "its world that posts the text and sends the reply back in a CustomEvent (no Isthmus code).\n\n");
  g_print ("%-7s %12s %12s %12s %12s %8s %14s %8s\n", "payload", "floor", "crossing", "page JSON", "bound",
           "bound/floor", "minimal bridge", "isthmus/floor");
  for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
    {
      double bound = floor_means[i] + crossing_means[i] + page_json_means[i];

      g_print ("%-7s %9.1f µs %9.1f µs %9.1f µs %9.1f µs %10.2fx %8.1f µs %.2fx %12.2fx\n", workloads[i].label,
               floor_means[i], crossing_means[i], page_json_means[i], bound,
               bound / floor_means[i], minimal_means[i], minimal_means[i] / floor_means[i],
               full_means[i] / floor_means[i]);
    }

  g_print ("\nOther floors (sequential means, the same rounds): fresh = the floor posting a string it has\n"
           "not posted before on each call, as every real message is; API shape = the floor reached through\n"
           "the promise steps of @tauri-apps/api's invoke () (an async function returning a promise that a\n"
           "reaction to the reply settles), with no other work; minimal bridge, API shape = the minimal\n"
           "bridge above reached through those same steps: the least a bridge between the worlds can cost\n"
           "under the real package.\n\n");
  g_print ("%-7s %12s %12s %8s %12s %8s %14s %8s %14s %14s\n", "payload", "floor", "fresh", "/floor",
           "API shape", "/floor", "min. br. shape", "/floor", "isthmus/shape", "isthmus/mbs");
  for (guint i = 0; i < G_N_ELEMENTS (workloads); i++)
    g_print ("%-7s %9.1f µs %9.1f µs %7.2fx %9.1f µs %7.2fx %11.1f µs %7.2fx %13.2fx %13.2fx\n",
             workloads[i].label, floor_means[i], fresh_means[i], fresh_means[i] / floor_means[i],
             shape_means[i], shape_means[i] / floor_means[i],
             minimal_shape_means[i], minimal_shape_means[i] / floor_means[i],
             full_means[i] / shape_means[i], full_means[i] / minimal_shape_means[i]);

  g_print ("\nEvents from C into the page: floor = webkit_web_view_call_async_javascript_function\n"
           "with the payload as an argument; isthmus = isthmus_core_emit to a listener registered\n"
           "with @tauri-apps/api listen(). Channel: a command streaming through a Channel.\n\n");
  g_print ("%-7s %-26s %14s %14s %8s\n", "payload", "measure", "floor", "isthmus", "ratio");
  for (guint i = 0; i < G_N_ELEMENTS (event_workloads); i++)
    {
      const EventWorkload *w = &event_workloads[i];
      g_autofree char *what = g_strdup_printf ("events/s, n=%d", w->n);
      double floor_rate = run_event_floor (view, w);
      double full_rate = run_event_emits (core, view, w);
      double chan_rate = run_channel (view, w);

      g_print ("%-7s %-26s %9.0f /s   %9.0f /s   %7.2fx\n", w->label, what,
               floor_rate, full_rate, floor_rate / full_rate);
      g_print ("%-7s %-26s %8.1f MB/s   %8.1f MB/s   %7.2fx\n", "", "channel throughput",
               floor_rate * w->size / 1e6, chan_rate * w->size / 1e6, floor_rate / chan_rate);
    }

  g_print ("\nTotal time: %.1f s\n", (g_get_monotonic_time () - start) / 1e6);

  gtk_window_destroy (window);
  return 0;
}

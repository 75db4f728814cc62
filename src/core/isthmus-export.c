/* isthmus-export.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-export"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "isthmus-export.h"
#include "isthmus-json-guard.h"

/* Output is gathered in memory and written in pieces of about this size. */
#define FLUSH_BYTES (64 * 1024)
/* Progress is reported at most once per this many records. */
#define PROGRESS_EVERY 256

/* Progress, marshalled from the worker to the caller's main context. At
 * most one report is queued at a time; none is delivered once the caller
 * has finished the task. */
typedef struct
{
  gatomicrefcount        ref_count;
  GMainContext          *context;
  IsthmusExportProgress  func;
  gpointer               data;
  GDestroyNotify         destroy;
  int                    queued;
  int                    finished;
  guint                  done;
  guint                  total;
} Progress;

static Progress *
progress_new (IsthmusExportProgress func,
              gpointer              data,
              GDestroyNotify        destroy)
{
  Progress *progress = g_new0 (Progress, 1);

  g_atomic_ref_count_init (&progress->ref_count);
  progress->context = g_main_context_ref_thread_default ();
  progress->func = func;
  progress->data = data;
  progress->destroy = destroy;
  return progress;
}

static Progress *
progress_ref (Progress *progress)
{
  g_atomic_ref_count_inc (&progress->ref_count);
  return progress;
}

static void
progress_unref (Progress *progress)
{
  if (!g_atomic_ref_count_dec (&progress->ref_count))
    return;

  if (progress->destroy != NULL)
    progress->destroy (progress->data);
  g_main_context_unref (progress->context);
  g_free (progress);
}

static gboolean
progress_dispatch_cb (gpointer user_data)
{
  Progress *progress = user_data;

  g_atomic_int_set (&progress->queued, 0);
  if (!g_atomic_int_get (&progress->finished) && progress->func != NULL)
    progress->func (g_atomic_int_get (&progress->done),
                    g_atomic_int_get (&progress->total),
                    progress->data);

  return G_SOURCE_REMOVE;
}

static void
progress_report (Progress *progress,
                 guint     done,
                 guint     total)
{
  if (progress == NULL || progress->func == NULL)
    return;

  g_atomic_int_set (&progress->done, done);
  g_atomic_int_set (&progress->total, total);
  if (g_atomic_int_compare_and_exchange (&progress->queued, 0, 1))
    g_main_context_invoke_full (progress->context, G_PRIORITY_DEFAULT,
                                progress_dispatch_cb, progress_ref (progress),
                                (GDestroyNotify)progress_unref);
}

/* Output buffering. */

typedef struct
{
  GOutputStream *stream;
  GCancellable  *cancellable;
  GString       *buffer;
} Writer;

static gboolean
writer_flush (Writer  *writer,
              GError **error)
{
  if (writer->buffer->len == 0)
    return TRUE;
  if (!g_output_stream_write_all (writer->stream, writer->buffer->str, writer->buffer->len,
                                  NULL, writer->cancellable, error))
    return FALSE;
  g_string_truncate (writer->buffer, 0);
  return TRUE;
}

static gboolean
writer_maybe_flush (Writer  *writer,
                    GError **error)
{
  if (writer->buffer->len < FLUSH_BYTES)
    return !g_cancellable_set_error_if_cancelled (writer->cancellable, error);
  return writer_flush (writer, error);
}

static void
append_node (GString  *out,
             JsonNode *node)
{
  gsize length;
  g_autofree char *text = isthmus_json_to_text (node, &length);

  g_string_append_len (out, text, length);
}

/* Formatting helpers. */

static char *
format_iso8601_ms (gint64 wall_time_us)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *seconds = NULL;
  gint64 secs = wall_time_us / G_USEC_PER_SEC;
  gint64 usecs = wall_time_us % G_USEC_PER_SEC;

  if (usecs < 0)
    {
      secs -= 1;
      usecs += G_USEC_PER_SEC;
    }

  when = g_date_time_new_from_unix_utc (secs);
  if (when == NULL)
    return g_strdup ("1970-01-01T00:00:00.000Z");
  seconds = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int)(usecs / 1000));
}

static char *
bytes_to_text (GBytes *bytes)
{
  const char *data;
  gsize length;

  if (bytes == NULL)
    return g_strdup ("");
  data = g_bytes_get_data (bytes, &length);
  return g_utf8_make_valid (data != NULL ? data : "", length);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_int (JsonBuilder *builder,
         const char  *name,
         gint64       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, value);
}

static void
add_double (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_double_value (builder, value);
}

/* Milliseconds with µs precision, as HAR wants them. */
static double
us_to_ms (gint64 us)
{
  return (double)us / 1000.0;
}

static void
add_empty_array (JsonBuilder *builder,
                 const char  *name)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
}

static gint64
known (gint64 value)
{
  return MAX (value, 0);
}

/* The time spent before the core received the call: hook, encrypt and
 * transport, when the record went through the isolation pattern. */
static gint64
isolation_before_us (const IsthmusExchangeIsolation *isolation)
{
  if (isolation == NULL)
    return 0;
  return known (isolation->hook_us) + known (isolation->encrypt_us) + known (isolation->transport_us);
}

/* JSON Lines. */

static gboolean
write_jsonl (GPtrArray *records,
             Writer    *writer,
             Progress  *progress,
             GError   **error)
{
  for (guint i = 0; i < records->len; i++)
    {
      g_autofree char *line = isthmus_exchange_to_jsonl (g_ptr_array_index (records, i));

      g_string_append (writer->buffer, line);
      g_string_append_c (writer->buffer, '\n');
      if (!writer_maybe_flush (writer, error))
        return FALSE;
      if (i % PROGRESS_EVERY == 0)
        progress_report (progress, i, records->len);
    }

  return writer_flush (writer, error);
}

/* HAR 1.2. */

static void
har_status (IsthmusExchange *exchange,
            int             *status,
            const char     **text)
{
  const char *code = isthmus_exchange_get_error_code (exchange);

  switch (isthmus_exchange_get_status (exchange))
    {
    case ISTHMUS_EXCHANGE_OK:
      *status = 200, *text = "OK";
      return;

    case ISTHMUS_EXCHANGE_PENDING:
      *status = 0, *text = "";
      return;

    case ISTHMUS_EXCHANGE_ERROR:
    default:
      break;
    }

  if (g_strcmp0 (code, "ACL_DENIED") == 0 || g_str_has_prefix (code != NULL ? code : "", "ISOLATION_"))
    *status = 403, *text = "Forbidden";
  else if (g_strcmp0 (code, "UNKNOWN_COMMAND") == 0)
    *status = 404, *text = "Not Found";
  else if (g_strcmp0 (code, "PAYLOAD_TOO_LARGE") == 0)
    *status = 413, *text = "Payload Too Large";
  else if (g_strcmp0 (code, "BAD_MESSAGE") == 0 || g_strcmp0 (code, "BAD_ENCODING") == 0 ||
           g_strcmp0 (code, "JSON_TOO_DEEP") == 0 || g_strcmp0 (code, "INVALID_ARGS") == 0 ||
           g_strcmp0 (code, "INVALID_EVENT_NAME") == 0)
    *status = 400, *text = "Bad Request";
  else if (g_strcmp0 (code, "RATE_LIMITED") == 0)
    *status = 429, *text = "Too Many Requests";
  else if (g_strcmp0 (code, "NOT_SUPPORTED") == 0)
    *status = 501, *text = "Not Implemented";
  else if (g_strcmp0 (code, "BACKEND_TIMEOUT") == 0)
    *status = 504, *text = "Gateway Timeout";
  else
    *status = 500, *text = "Internal Server Error";
}

static void
har_text (JsonBuilder *builder,
          GBytes      *bytes,
          gboolean     include)
{
  json_builder_set_member_name (builder, "text");
  if (include)
    {
      g_autofree char *text = bytes_to_text (bytes);

      json_builder_add_string_value (builder, text);
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("[redacted %" G_GSIZE_FORMAT " bytes]",
                                               bytes != NULL ? g_bytes_get_size (bytes) : 0);

      json_builder_add_string_value (builder, text);
    }
}

static JsonNode *
har_entry (IsthmusExchange    *exchange,
           IsthmusExportFlags  flags)
{
  const IsthmusExchangeIsolation *isolation = isthmus_exchange_get_isolation (exchange);
  IsthmusAclVerdict *acl = isthmus_exchange_get_acl_verdict (exchange);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autofree char *started = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  gboolean include = (flags & ISTHMUS_EXPORT_FLAGS_INCLUDE_PAYLOADS) != 0;
  const char *command = isthmus_exchange_get_command (exchange);
  const char *status_text;
  gint64 send_us = isolation_before_us (isolation);
  gint64 wait_us = known (isthmus_exchange_get_duration_us (exchange));
  int status;

  har_status (exchange, &status, &status_text);
  started = format_iso8601_ms (isthmus_exchange_get_wall_time_us (exchange) - send_us);
  escaped = g_uri_escape_string (command != NULL ? command : "", "!$&'()*+,;=:@", FALSE);
  url = g_strconcat ("ipc://localhost/", escaped, NULL);

  json_builder_begin_object (builder);
  add_string (builder, "startedDateTime", started);
  add_double (builder, "time", us_to_ms (send_us + wait_us));

  json_builder_set_member_name (builder, "request");
  json_builder_begin_object (builder);
  add_string (builder, "method", "POST");
  add_string (builder, "url", url);
  add_string (builder, "httpVersion", "HTTP/1.1");
  add_empty_array (builder, "cookies");
  json_builder_set_member_name (builder, "headers");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  add_string (builder, "name", "Content-Type");
  add_string (builder, "value", "application/json");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  add_empty_array (builder, "queryString");
  json_builder_set_member_name (builder, "postData");
  json_builder_begin_object (builder);
  add_string (builder, "mimeType", "application/json");
  har_text (builder, isthmus_exchange_get_request (exchange), include);
  json_builder_end_object (builder);
  add_int (builder, "headersSize", -1);
  add_int (builder, "bodySize", (gint64)isthmus_exchange_get_request_size (exchange));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "response");
  json_builder_begin_object (builder);
  add_int (builder, "status", status);
  add_string (builder, "statusText", status_text);
  add_string (builder, "httpVersion", "HTTP/1.1");
  add_empty_array (builder, "cookies");
  add_empty_array (builder, "headers");
  json_builder_set_member_name (builder, "content");
  json_builder_begin_object (builder);
  add_int (builder, "size", (gint64)isthmus_exchange_get_reply_size (exchange));
  add_string (builder, "mimeType", "application/json");
  har_text (builder, isthmus_exchange_get_reply (exchange), include);
  json_builder_end_object (builder);
  add_string (builder, "redirectURL", "");
  add_int (builder, "headersSize", -1);
  add_int (builder, "bodySize", (gint64)isthmus_exchange_get_reply_size (exchange));
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "cache");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "timings");
  json_builder_begin_object (builder);
  add_int (builder, "blocked", -1);
  add_int (builder, "dns", -1);
  add_int (builder, "connect", -1);
  add_double (builder, "send", us_to_ms (send_us));
  add_double (builder, "wait", us_to_ms (wait_us));
  add_double (builder, "receive", 0);
  add_int (builder, "ssl", -1);
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "_isthmus");
  json_builder_begin_object (builder);
  add_int (builder, "id", (gint64)isthmus_exchange_get_id (exchange));
  add_string (builder, "window", isthmus_exchange_get_window_label (exchange));
  add_string (builder, "status", isthmus_exchange_get_status (exchange) == ISTHMUS_EXCHANGE_PENDING
                                 ? "pending" : isthmus_exchange_get_status_text (exchange));
  add_string (builder, "code", isthmus_exchange_get_error_code (exchange));
  add_string (builder, "message", isthmus_exchange_get_error_message (exchange));
  add_string (builder, "note", isthmus_exchange_get_note (exchange));
  add_string (builder, "verdict", isthmus_exchange_get_isolation_verdict (exchange));
  add_int (builder, "durationUs", isthmus_exchange_get_duration_us (exchange));
  json_builder_set_member_name (builder, "acl");
  if (acl != NULL)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "checked");
      json_builder_add_boolean_value (builder, isthmus_acl_verdict_get_checked (acl));
      json_builder_set_member_name (builder, "allowed");
      json_builder_add_boolean_value (builder, isthmus_acl_verdict_get_allowed (acl));
      add_string (builder, "capability", isthmus_acl_verdict_get_capability (acl));
      add_string (builder, "permission", isthmus_acl_verdict_get_permission (acl));
      add_string (builder, "reason", isthmus_acl_verdict_get_reason (acl));
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "isolation");
  if (isolation != NULL)
    {
      static const char * const names[] = { "hookUs", "encryptUs", "transportUs", "decryptUs" };
      gint64 values[] = { isolation->hook_us, isolation->encrypt_us,
                          isolation->transport_us, isolation->decrypt_us };

      json_builder_begin_object (builder);
      add_string (builder, "reason", isolation->reason);
      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        add_int (builder, names[i], values[i]);
      add_int (builder, "epoch", (gint64)isolation->epoch);
      add_int (builder, "seq", (gint64)isolation->seq);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
write_har (GPtrArray          *records,
           IsthmusExportFlags  flags,
           Writer             *writer,
           Progress           *progress,
           GError            **error)
{
  gboolean first = TRUE;

  g_string_append (writer->buffer,
                   "{\"log\":{\"version\":\"1.2\","
                   "\"creator\":{\"name\":\"Isthmus\",\"version\":\"" PACKAGE_VERSION "\"},"
                   "\"entries\":[");

  for (guint i = 0; i < records->len; i++)
    {
      IsthmusExchange *exchange = g_ptr_array_index (records, i);
      g_autoptr(JsonNode) entry = NULL;

      if (i % PROGRESS_EVERY == 0)
        progress_report (progress, i, records->len);
      if (isthmus_exchange_get_kind (exchange) != ISTHMUS_EXCHANGE_INVOKE)
        continue;

      entry = har_entry (exchange, flags);
      if (!first)
        g_string_append_c (writer->buffer, ',');
      first = FALSE;
      append_node (writer->buffer, entry);
      if (!writer_maybe_flush (writer, error))
        return FALSE;
    }

  g_string_append (writer->buffer, "]}}\n");

  return writer_flush (writer, error);
}

/* Chrome Trace Event format. */

typedef struct
{
  IsthmusExchange *exchange;
  gint64           start;
  gint64           end;
  int              tid;
} Span;

typedef struct
{
  char   *window;
  GArray *lane_ends;
  GArray *lane_tids;
} WindowLanes;

static void
window_lanes_free (WindowLanes *lanes)
{
  g_free (lanes->window);
  g_array_unref (lanes->lane_ends);
  g_array_unref (lanes->lane_tids);
  g_free (lanes);
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *x = a;
  const Span *y = b;
  guint64 xid;
  guint64 yid;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  xid = isthmus_exchange_get_id (x->exchange);
  yid = isthmus_exchange_get_id (y->exchange);
  return (xid > yid) - (xid < yid);
}

static void
trace_event_begin (JsonBuilder *builder,
                   const char  *ph,
                   const char  *name,
                   const char  *cat,
                   int          tid,
                   gint64       ts)
{
  json_builder_begin_object (builder);
  add_string (builder, "name", name);
  add_string (builder, "cat", cat);
  add_string (builder, "ph", ph);
  add_int (builder, "pid", 1);
  add_int (builder, "tid", tid);
  add_int (builder, "ts", ts);
}

static void
trace_step (JsonBuilder *builder,
            const char  *name,
            int          tid,
            gint64       ts,
            gint64       dur)
{
  trace_event_begin (builder, "X", name, "step", tid, ts);
  add_int (builder, "dur", dur);
  json_builder_end_object (builder);
}

/* The events of one record: its span, the steps inside it, and a flow
 * from the call to its reply. */
static JsonNode *
trace_record (const Span *span,
              gint64      base)
{
  IsthmusExchange *exchange = span->exchange;
  const IsthmusExchangeIsolation *isolation = isthmus_exchange_get_isolation (exchange);
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  const char *name = isthmus_exchange_get_command (exchange);
  const char *kind = isthmus_exchange_get_kind_name (exchange);
  gint64 arrival = isthmus_exchange_get_mono_time_us (exchange) - base;
  gint64 start = span->start - base;
  gint64 end = span->end - base;
  gint64 id = (gint64)isthmus_exchange_get_id (exchange);

  if (name == NULL)
    name = kind;

  json_builder_begin_array (builder);

  trace_event_begin (builder, "X", name, kind, span->tid, start);
  add_int (builder, "dur", end - start);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  add_int (builder, "id", id);
  add_string (builder, "window", isthmus_exchange_get_window_label (exchange));
  add_string (builder, "status", isthmus_exchange_get_status_text (exchange));
  add_string (builder, "verdict", isthmus_exchange_get_isolation_verdict (exchange));
  if (isthmus_exchange_get_parent_id (exchange) != 0)
    add_int (builder, "parent", (gint64)isthmus_exchange_get_parent_id (exchange));
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  if (isolation != NULL)
    {
      gint64 t = start;
      gint64 decrypt = known (isolation->decrypt_us);

      if (isolation->hook_us >= 0)
        trace_step (builder, "hook", span->tid, t, isolation->hook_us);
      t += known (isolation->hook_us);
      if (isolation->encrypt_us >= 0)
        trace_step (builder, "encrypt", span->tid, t, isolation->encrypt_us);
      if (isolation->transport_us >= 0)
        trace_step (builder, "transport", span->tid, arrival - isolation->transport_us,
                    isolation->transport_us);
      if (isolation->decrypt_us >= 0)
        trace_step (builder, "decrypt", span->tid, arrival, decrypt);
      trace_step (builder, "handler", span->tid, arrival + decrypt, end - (arrival + decrypt));
    }

  if (isthmus_exchange_get_kind (exchange) == ISTHMUS_EXCHANGE_INVOKE)
    {
      /* A zero-length "reply" step marks where the reply left; the flow
       * ends on it. */
      trace_step (builder, "reply", span->tid, end, 0);

      trace_event_begin (builder, "s", "reply", "flow", span->tid, start);
      add_int (builder, "id", id);
      json_builder_end_object (builder);
      trace_event_begin (builder, "f", "reply", "flow", span->tid, end);
      add_int (builder, "id", id);
      add_string (builder, "bp", "e");
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);

  return json_builder_get_root (builder);
}

static void
append_metadata (GString    *out,
                 const char *name,
                 int         tid,
                 const char *key,
                 JsonNode   *value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  add_string (builder, "name", name);
  add_string (builder, "ph", "M");
  add_int (builder, "pid", 1);
  add_int (builder, "tid", tid);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, key);
  json_builder_add_value (builder, value);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  append_node (out, root);
  g_string_append_c (out, ',');
}

static gboolean
write_trace (GPtrArray *records,
             Writer    *writer,
             Progress  *progress,
             GError   **error)
{
  g_autoptr(GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));
  g_autoptr(GHashTable) windows = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                         (GDestroyNotify)window_lanes_free);
  g_autoptr(GPtrArray) window_order = g_ptr_array_new ();
  gint64 base = G_MAXINT64;
  int next_tid = 1;
  gboolean first = TRUE;

  /* Spans; pending records have no end and are left out. */
  for (guint i = 0; i < records->len; i++)
    {
      IsthmusExchange *exchange = g_ptr_array_index (records, i);
      const IsthmusExchangeIsolation *isolation = isthmus_exchange_get_isolation (exchange);
      gint64 arrival = isthmus_exchange_get_mono_time_us (exchange);
      gint64 duration = isthmus_exchange_get_duration_us (exchange);
      Span span = { exchange, 0, 0, 0 };

      if (duration < 0)
        continue;

      span.start = arrival - isolation_before_us (isolation);
      span.end = arrival + MAX (duration, isolation != NULL ? known (isolation->decrypt_us) : 0);
      base = MIN (base, span.start);
      g_array_append_val (spans, span);
    }

  /* Calls on one window may overlap, which complete events on one thread
   * must not: each window gets as many lanes (threads) as it needs. */
  g_array_sort (spans, compare_spans);
  for (guint i = 0; i < spans->len; i++)
    {
      Span *span = &g_array_index (spans, Span, i);
      const char *window = isthmus_exchange_get_window_label (span->exchange);
      WindowLanes *lanes;
      guint lane;

      if (window == NULL)
        window = "";
      lanes = g_hash_table_lookup (windows, window);
      if (lanes == NULL)
        {
          lanes = g_new0 (WindowLanes, 1);
          lanes->window = g_strdup (window);
          lanes->lane_ends = g_array_new (FALSE, FALSE, sizeof (gint64));
          lanes->lane_tids = g_array_new (FALSE, FALSE, sizeof (int));
          g_hash_table_insert (windows, lanes->window, lanes);
          g_ptr_array_add (window_order, lanes);
        }

      for (lane = 0; lane < lanes->lane_ends->len; lane++)
        if (g_array_index (lanes->lane_ends, gint64, lane) <= span->start)
          break;
      if (lane == lanes->lane_ends->len)
        {
          int tid = next_tid++;

          g_array_append_val (lanes->lane_ends, span->end);
          g_array_append_val (lanes->lane_tids, tid);
        }
      /* A zero-length span at the very end of the previous one would
       * start where it ends: keep lanes strictly apart. */
      g_array_index (lanes->lane_ends, gint64, lane) = span->end + 1;
      span->tid = g_array_index (lanes->lane_tids, int, lane);
    }

  g_string_append (writer->buffer, "{\"traceEvents\":[");
  append_metadata (writer->buffer, "process_name", 0, "name", json_node_init_string (json_node_alloc (), "Isthmus"));
  for (guint w = 0; w < window_order->len; w++)
    {
      WindowLanes *lanes = g_ptr_array_index (window_order, w);

      for (guint lane = 0; lane < lanes->lane_tids->len; lane++)
        {
          int tid = g_array_index (lanes->lane_tids, int, lane);
          g_autofree char *name = lane == 0 ? g_strdup (lanes->window)
                                            : g_strdup_printf ("%s #%u", lanes->window, lane + 1);

          append_metadata (writer->buffer, "thread_name", tid, "name",
                           json_node_init_string (json_node_alloc (), name));
          append_metadata (writer->buffer, "thread_sort_index", tid, "sort_index",
                           json_node_init_int (json_node_alloc (), tid));
        }
    }
  /* The metadata leaves a trailing comma; the events follow it. */

  for (guint i = 0; i < spans->len; i++)
    {
      g_autoptr(JsonNode) events = trace_record (&g_array_index (spans, Span, i), base);
      JsonArray *array = json_node_get_array (events);

      for (guint e = 0; e < json_array_get_length (array); e++)
        {
          if (!first)
            g_string_append_c (writer->buffer, ',');
          first = FALSE;
          append_node (writer->buffer, json_array_get_element (array, e));
        }

      if (i % PROGRESS_EVERY == 0)
        progress_report (progress, i, spans->len);
      if (!writer_maybe_flush (writer, error))
        return FALSE;
    }

  if (first)
    g_string_truncate (writer->buffer, writer->buffer->len - 1);
  g_string_append (writer->buffer,
                   "],\"displayTimeUnit\":\"ms\","
                   "\"otherData\":{\"creator\":\"Isthmus " PACKAGE_VERSION "\"}}\n");

  return writer_flush (writer, error);
}

/* Writes @records (already filtered). */
static gboolean
write_records (IsthmusExportFormat  format,
               GPtrArray           *records,
               IsthmusExportFlags   flags,
               GOutputStream       *stream,
               Progress            *progress,
               GCancellable        *cancellable,
               GError             **error)
{
  g_autoptr(GString) buffer = g_string_sized_new (FLUSH_BYTES + 4096);
  Writer writer = { stream, cancellable, buffer };
  gboolean ok;

  switch (format)
    {
    case ISTHMUS_EXPORT_JSONL:
      ok = write_jsonl (records, &writer, progress, error);
      break;

    case ISTHMUS_EXPORT_HAR:
      ok = write_har (records, flags, &writer, progress, error);
      break;

    case ISTHMUS_EXPORT_TRACE:
      ok = write_trace (records, &writer, progress, error);
      break;

    default:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "unknown export format");
      return FALSE;
    }

  if (ok)
    progress_report (progress, records->len, records->len);

  return ok;
}

static GPtrArray *
collect (GListModel    *model,
         IsthmusFilter *filter)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i);

      if (exchange != NULL && isthmus_filter_matches (filter, exchange))
        g_ptr_array_add (records, g_steal_pointer (&exchange));
    }

  return records;
}

/**
 * isthmus_export_to_stream:
 * @format: the file format
 * @model: a #GListModel of #IsthmusExchange
 * @filter: (nullable): which records to write; %NULL for all
 * @flags: options
 * @stream: where to write; not closed
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Writes on the calling thread, which must own @model.
 *
 * Returns: %TRUE on success
 */
gboolean
isthmus_export_to_stream (IsthmusExportFormat   format,
                          GListModel           *model,
                          IsthmusFilter        *filter,
                          IsthmusExportFlags    flags,
                          GOutputStream        *stream,
                          GCancellable         *cancellable,
                          GError              **error)
{
  g_autoptr(GPtrArray) records = NULL;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  records = collect (model, filter);

  return write_records (format, records, flags, stream, NULL, cancellable, error);
}

/**
 * isthmus_export_to_bytes:
 * @format: the file format
 * @model: a #GListModel of #IsthmusExchange
 * @filter: (nullable): which records to write; %NULL for all
 * @flags: options
 * @error: return location for an error
 *
 * Returns: (transfer full) (nullable): the whole export
 */
GBytes *
isthmus_export_to_bytes (IsthmusExportFormat   format,
                         GListModel           *model,
                         IsthmusFilter        *filter,
                         IsthmusExportFlags    flags,
                         GError              **error)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();

  if (!isthmus_export_to_stream (format, model, filter, flags, stream, NULL, error) ||
      !g_output_stream_close (stream, NULL, error))
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (stream));
}

/* Asynchronous export. */

typedef struct
{
  IsthmusExportFormat  format;
  IsthmusExportFlags   flags;
  GPtrArray           *records;
  IsthmusFilter       *filter;
  GFile               *file;
  Progress            *progress;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_clear_pointer (&job->records, g_ptr_array_unref);
  g_clear_pointer (&job->filter, isthmus_filter_unref);
  g_clear_object (&job->file);
  g_clear_pointer (&job->progress, progress_unref);
  g_free (job);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(GPtrArray) matched = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < job->records->len; i++)
    {
      IsthmusExchange *exchange = g_ptr_array_index (job->records, i);

      if (isthmus_filter_matches (job->filter, exchange))
        g_ptr_array_add (matched, g_object_ref (exchange));
    }

  stream = g_file_replace (job->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                           cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!write_records (job->format, matched, job->flags, G_OUTPUT_STREAM (stream),
                      job->progress, cancellable, &error))
    {
      g_autoptr(GCancellable) abort = g_cancellable_new ();

      /* Closing with a cancelled cancellable drops the temporary file and
       * leaves any existing file as it was. */
      g_cancellable_cancel (abort);
      g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_int (task, matched->len);
}

/* A record that may still change on the main thread is copied, frozen,
 * before the worker sees it. */
static IsthmusExchange *
snapshot_record (IsthmusExchange *exchange)
{
  g_autofree char *line = NULL;
  g_autoptr(JsonParser) parser = NULL;
  IsthmusExchange *copy;

  if (isthmus_exchange_get_status (exchange) != ISTHMUS_EXCHANGE_PENDING)
    return g_object_ref (exchange);

  line = isthmus_exchange_to_jsonl (exchange);
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, line, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return g_object_ref (exchange);

  copy = isthmus_exchange_new_from_json (json_node_get_object (json_parser_get_root (parser)), NULL);
  return copy != NULL ? copy : g_object_ref (exchange);
}

/**
 * isthmus_export_to_file_async:
 * @format: the file format
 * @model: a #GListModel of #IsthmusExchange, owned by the calling thread
 * @filter: (nullable): which records to write; %NULL for all
 * @flags: options
 * @file: the file to write; replaced once everything is written
 * @progress: (nullable): called with the records written so far
 * @progress_data: data for @progress
 * @progress_destroy: (nullable): frees @progress_data
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when done
 * @user_data: data for @callback
 *
 * Snapshots @model, then filters, formats and writes in a worker thread.
 */
void
isthmus_export_to_file_async (IsthmusExportFormat    format,
                              GListModel            *model,
                              IsthmusFilter         *filter,
                              IsthmusExportFlags     flags,
                              GFile                 *file,
                              IsthmusExportProgress  progress,
                              gpointer               progress_data,
                              GDestroyNotify         progress_destroy,
                              GCancellable          *cancellable,
                              GAsyncReadyCallback    callback,
                              gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ExportJob *job;
  guint n;

  g_return_if_fail (G_IS_LIST_MODEL (model));
  g_return_if_fail (G_IS_FILE (file));

  job = g_new0 (ExportJob, 1);
  job->format = format;
  job->flags = flags;
  job->filter = filter != NULL ? isthmus_filter_ref (filter) : NULL;
  job->file = g_object_ref (file);
  job->progress = progress_new (progress, progress_data, progress_destroy);
  job->records = g_ptr_array_new_with_free_func (g_object_unref);

  n = g_list_model_get_n_items (model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IsthmusExchange) exchange = g_list_model_get_item (model, i);

      if (exchange != NULL)
        g_ptr_array_add (job->records, snapshot_record (exchange));
    }

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, isthmus_export_to_file_async);
  g_task_set_task_data (task, job, (GDestroyNotify)export_job_free);
  g_task_run_in_thread (task, export_thread);
}

gssize
isthmus_export_to_file_finish (GAsyncResult  *result,
                               GError       **error)
{
  ExportJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), -1);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == isthmus_export_to_file_async, -1);

  job = g_task_get_task_data (G_TASK (result));
  g_atomic_int_set (&job->progress->finished, 1);

  return g_task_propagate_int (G_TASK (result), error);
}

/* Import. */

static gboolean
import_line (GPtrArray   *records,
             const char  *line,
             gsize        length,
             guint        number,
             GError     **error)
{
  IsthmusJsonLimits limits = { ISTHMUS_IMPORT_MAX_LINE_BYTES, ISTHMUS_IMPORT_MAX_DEPTH };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  IsthmusExchange *exchange;
  JsonNode *root;

  if (length > 0 && line[length - 1] == '\r')
    length--;

  /* Blank lines separate nothing; skip them. */
  {
    gsize i = 0;

    while (i < length && (line[i] == ' ' || line[i] == '\t'))
      i++;
    if (i == length)
      return TRUE;
  }

  if (!isthmus_json_guard_check (line, length, &limits, &local_error))
    goto failed;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, line, (gssize)length, &local_error))
    goto failed;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (&local_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("not a JSON object"));
      goto failed;
    }

  exchange = isthmus_exchange_new_from_json (json_node_get_object (root), &local_error);
  if (exchange == NULL)
    goto failed;

  g_ptr_array_add (records, exchange);
  return TRUE;

failed:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("line %u: %s"), number, local_error->message);
  return FALSE;
}

static GPtrArray *
import_stream (GInputStream  *stream,
               Progress      *progress,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GByteArray) line = g_byte_array_new ();
  g_autofree guint8 *chunk = g_malloc (FLUSH_BYTES);
  guint number = 1;

  for (;;)
    {
      gssize got = g_input_stream_read (stream, chunk, FLUSH_BYTES, cancellable, error);
      gsize start = 0;

      if (got < 0)
        return NULL;
      if (got == 0)
        break;

      for (gsize i = 0; i < (gsize)got; i++)
        {
          if (chunk[i] != '\n')
            continue;

          if (line->len + (i - start) > ISTHMUS_IMPORT_MAX_LINE_BYTES)
            goto too_long;
          g_byte_array_append (line, chunk + start, (guint)(i - start));
          if (!import_line (records, (const char *)line->data, line->len, number, error))
            return NULL;
          g_byte_array_set_size (line, 0);
          start = i + 1;
          if (number++ % PROGRESS_EVERY == 0)
            progress_report (progress, number - 1, 0);
        }

      if (line->len + ((gsize)got - start) > ISTHMUS_IMPORT_MAX_LINE_BYTES)
        goto too_long;
      g_byte_array_append (line, chunk + start, (guint)((gsize)got - start));
    }

  if (line->len > 0 &&
      !import_line (records, (const char *)line->data, line->len, number, error))
    return NULL;

  return g_steal_pointer (&records);

too_long:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
               _("line %u: longer than %d bytes"), number, ISTHMUS_IMPORT_MAX_LINE_BYTES);
  return NULL;
}

/**
 * isthmus_import_jsonl:
 * @stream: JSON Lines, as written by the exporter
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error naming the line
 *
 * Returns: (transfer full) (element-type IsthmusExchange) (nullable): the
 *   records, in file order
 */
GPtrArray *
isthmus_import_jsonl (GInputStream  *stream,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  return import_stream (stream, NULL, cancellable, error);
}

GPtrArray *
isthmus_import_jsonl_bytes (GBytes  *bytes,
                            GError **error)
{
  g_autoptr(GInputStream) stream = NULL;

  g_return_val_if_fail (bytes != NULL, NULL);

  stream = g_memory_input_stream_new_from_bytes (bytes);
  return import_stream (stream, NULL, NULL, error);
}

typedef struct
{
  GFile    *file;
  Progress *progress;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_clear_object (&job->file);
  g_clear_pointer (&job->progress, progress_unref);
  g_free (job);
}

static void
import_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ImportJob *job = task_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *records;

  stream = g_file_read (job->file, cancellable, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  records = import_stream (G_INPUT_STREAM (stream), job->progress, cancellable, &error);
  if (records == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, records, (GDestroyNotify)g_ptr_array_unref);
}

void
isthmus_import_file_async (GFile                 *file,
                           IsthmusExportProgress  progress,
                           gpointer               progress_data,
                           GDestroyNotify         progress_destroy,
                           GCancellable          *cancellable,
                           GAsyncReadyCallback    callback,
                           gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  ImportJob *job;

  g_return_if_fail (G_IS_FILE (file));

  job = g_new0 (ImportJob, 1);
  job->file = g_object_ref (file);
  job->progress = progress_new (progress, progress_data, progress_destroy);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, isthmus_import_file_async);
  g_task_set_task_data (task, job, (GDestroyNotify)import_job_free);
  g_task_run_in_thread (task, import_thread);
}

GPtrArray *
isthmus_import_file_finish (GAsyncResult  *result,
                            GError       **error)
{
  ImportJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == isthmus_import_file_async, NULL);

  job = g_task_get_task_data (G_TASK (result));
  g_atomic_int_set (&job->progress->finished, 1);

  return g_task_propagate_pointer (G_TASK (result), error);
}

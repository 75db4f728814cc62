/* isthmus-backend.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-backend"

#include "config.h"

#include <signal.h>
#include <glib/gi18n.h>
#include <string.h>

#include "isthmus-backend.h"
#include "isthmus-error.h"
#include "isthmus-exchange.h"
#include "isthmus-json-guard.h"

/* Header lines and header blocks longer than this are garbage. */
#define HEADER_MAX_BYTES 8192
#define READ_CHUNK (64 * 1024)
#define STDERR_CHUNK 4096
#define STDERR_LINE_MAX 2048
/* Lifecycle records from the process's output, per second. */
#define OUTPUT_RECORDS_PER_SECOND 20
/* A process that stayed up this long restarts after the first delay. */
#define STABLE_RUN_US (10 * G_USEC_PER_SEC)
/* How long an exited process's stdout may stay open (a grandchild). */
#define EXIT_GRACE_MS 1000
#define TIMED_OUT_IDS_MAX 1024
#define EXCERPT_MAX 60

/* The frame parser. */

struct _IsthmusJsonRpcFramer
{
  GByteArray *buffer;
  gsize       max_frame;
  /* Reading a body of this many bytes, when in_body. */
  guint64     body_length;
  gboolean    in_body;
  /* Headers of the frame being read. */
  gint64      content_length;
  gsize       header_bytes;
  guint       n_headers;
};

IsthmusJsonRpcFramer *
isthmus_jsonrpc_framer_new (gsize max_frame)
{
  IsthmusJsonRpcFramer *framer = g_new0 (IsthmusJsonRpcFramer, 1);

  framer->buffer = g_byte_array_new ();
  framer->max_frame = max_frame;
  framer->content_length = -1;

  return framer;
}

void
isthmus_jsonrpc_framer_free (IsthmusJsonRpcFramer *framer)
{
  if (framer == NULL)
    return;

  g_byte_array_unref (framer->buffer);
  g_free (framer);
}

void
isthmus_jsonrpc_framer_push (IsthmusJsonRpcFramer *framer,
                             const guint8         *data,
                             gsize                 length)
{
  g_return_if_fail (framer != NULL);
  g_return_if_fail (data != NULL || length == 0);

  g_byte_array_append (framer->buffer, data, length);
}

gsize
isthmus_jsonrpc_framer_get_buffered (IsthmusJsonRpcFramer *framer)
{
  g_return_val_if_fail (framer != NULL, 0);

  return framer->buffer->len;
}

static void
reset_headers (IsthmusJsonRpcFramer *framer)
{
  framer->content_length = -1;
  framer->header_bytes = 0;
  framer->n_headers = 0;
}

/* A printable excerpt of untrusted bytes, for messages. */
static char *
excerpt (const guint8 *data,
         gsize         length)
{
  g_autofree char *cut = g_strndup ((const char *)data, MIN (length, EXCERPT_MAX));
  g_autofree char *escaped = g_strescape (cut, NULL);
  g_autofree char *valid = g_utf8_make_valid (escaped, -1);

  return g_strdup_printf ("“%s%s”", valid, length > EXCERPT_MAX ? "…" : "");
}

GBytes *
isthmus_jsonrpc_frame (const char *json,
                       gsize       length)
{
  GString *out;

  g_return_val_if_fail (json != NULL, NULL);

  out = g_string_sized_new (length + 32);
  g_string_append_printf (out, "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", length);
  g_string_append_len (out, json, length);

  return g_string_free_to_bytes (out);
}

IsthmusFrameStatus
isthmus_jsonrpc_framer_next (IsthmusJsonRpcFramer  *framer,
                             GBytes               **body,
                             GError               **error)
{
  g_return_val_if_fail (framer != NULL, ISTHMUS_FRAME_NEED_MORE);
  g_return_val_if_fail (body != NULL && *body == NULL, ISTHMUS_FRAME_NEED_MORE);

  for (;;)
    {
      GByteArray *buffer = framer->buffer;
      const guint8 *newline;
      g_autofree char *line = NULL;
      gsize line_length;
      char *colon;

      if (framer->in_body)
        {
          if (buffer->len < framer->body_length)
            return ISTHMUS_FRAME_NEED_MORE;

          *body = g_bytes_new (buffer->data, framer->body_length);
          g_byte_array_remove_range (buffer, 0, framer->body_length);
          framer->in_body = FALSE;
          reset_headers (framer);
          return ISTHMUS_FRAME_OK;
        }

      newline = memchr (buffer->data, '\n', buffer->len);
      if (newline == NULL && buffer->len <= HEADER_MAX_BYTES)
        return ISTHMUS_FRAME_NEED_MORE;

      if (newline == NULL)
        {
          g_autofree char *text = excerpt (buffer->data, buffer->len);

          g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BACKEND_ERROR,
                       _("skipped %u bytes without a line end where a header was expected: %s"),
                       buffer->len, text);
          g_byte_array_set_size (buffer, 0);
          reset_headers (framer);
          return ISTHMUS_FRAME_ERROR;
        }

      line_length = newline - buffer->data;
      line = g_strndup ((const char *)buffer->data, line_length);
      if (line_length > 0 && line[line_length - 1] == '\r')
        line[--line_length] = '\0';
      g_byte_array_remove_range (buffer, 0, newline - buffer->data + 1);

      /* A NUL inside the line cuts it short: garbage in any case. */
      if (strlen (line) != line_length)
        {
          g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BACKEND_ERROR,
                       _("skipped a header line with a NUL byte"));
          reset_headers (framer);
          return ISTHMUS_FRAME_ERROR;
        }

      framer->header_bytes += line_length + 1;
      if (framer->header_bytes > HEADER_MAX_BYTES)
        {
          g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BACKEND_ERROR,
                       _("skipped a header block longer than %d bytes"), HEADER_MAX_BYTES);
          reset_headers (framer);
          return ISTHMUS_FRAME_ERROR;
        }

      if (line_length == 0)
        {
          /* Blank lines between frames are harmless. */
          if (framer->n_headers == 0)
            {
              framer->header_bytes = 0;
              continue;
            }

          if (framer->content_length < 0)
            {
              g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BACKEND_ERROR,
                           _("skipped a header block without Content-Length"));
              reset_headers (framer);
              return ISTHMUS_FRAME_ERROR;
            }

          if ((guint64)framer->content_length > framer->max_frame)
            {
              g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BACKEND_ERROR,
                           "a frame of %" G_GINT64_FORMAT " bytes is over the limit of %"
                           G_GSIZE_FORMAT " bytes",
                           framer->content_length, framer->max_frame);
              reset_headers (framer);
              return ISTHMUS_FRAME_FATAL;
            }

          framer->in_body = TRUE;
          framer->body_length = framer->content_length;
          continue;
        }

      colon = strchr (line, ':');
      if (colon == NULL)
        {
          g_autofree char *text = excerpt ((const guint8 *)line, line_length);

          g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BACKEND_ERROR,
                       _("skipped a line that is not a header: %s"), text);
          reset_headers (framer);
          return ISTHMUS_FRAME_ERROR;
        }

      *colon = '\0';
      framer->n_headers++;

      if (g_ascii_strcasecmp (g_strstrip (line), "Content-Length") == 0)
        {
          const char *value = g_strstrip (colon + 1);
          guint64 number = 0;

          if (*value == '\0' || strspn (value, "0123456789") != strlen (value) ||
              !g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT64, &number, NULL))
            {
              g_autofree char *text = excerpt ((const guint8 *)value, strlen (value));

              g_set_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BACKEND_ERROR,
                           _("skipped a frame with a bad Content-Length: %s"), text);
              reset_headers (framer);
              return ISTHMUS_FRAME_ERROR;
            }

          framer->content_length = number;
        }
    }
}

/* The process. */

typedef struct _Run Run;

struct _IsthmusBackend
{
  GObject          parent_instance;

  char           **argv;
  /* Borrowed: the core keeps the resolver, and the backend a reference
   * on the core. */
  IsthmusCore     *core;
  guint            resolver_id;
  GMainContext    *context;

  /* Owned: the current process, if one runs. */
  Run             *run;
  gboolean         wanted;
  GSource         *restart_source;
  guint            restart_delay_ms;
  guint            first_restart_ms;
  guint            max_restart_ms;
  guint            timeout_ms;
  gsize            max_frame;
  guint            n_starts;

  guint64          next_id;
  /* id → Call. */
  GHashTable      *pending;
  GHashTable      *timed_out;

  /* Output records in the current second, and those left out. */
  gint64           output_window_us;
  guint            output_records;
  guint            output_dropped;
};

struct _Run
{
  /* Cleared when the run is over; callbacks then do nothing. */
  IsthmusBackend       *backend;
  GSubprocess          *process;
  GCancellable         *cancellable;
  IsthmusJsonRpcFramer *framer;
  GQueue                writes;
  gboolean              writing;
  GString              *stderr_line;
  gint64                started_us;
  gboolean              exited;
  gboolean              stdout_closed;
  GSource              *grace_source;
  /* Why the run ends, when Isthmus ended it. */
  char                 *reason;
};

typedef struct
{
  guint64            id;
  IsthmusInvocation *invocation;
  GSource           *timeout_source;
} Call;

G_DEFINE_FINAL_TYPE (IsthmusBackend, isthmus_backend, G_TYPE_OBJECT)

enum {
  STARTED,
  EXITED,
  PROBLEM,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
call_free (gpointer data)
{
  Call *call = data;

  if (call->timeout_source != NULL)
    {
      g_source_destroy (call->timeout_source);
      g_source_unref (call->timeout_source);
    }
  g_clear_object (&call->invocation);
  g_free (call);
}

static void
run_free (Run *run)
{
  g_clear_object (&run->process);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->framer, isthmus_jsonrpc_framer_free);
  g_queue_clear_full (&run->writes, (GDestroyNotify)g_bytes_unref);
  if (run->stderr_line != NULL)
    g_string_free (run->stderr_line, TRUE);
  if (run->grace_source != NULL)
    {
      g_source_destroy (run->grace_source);
      g_source_unref (run->grace_source);
    }
  g_free (run->reason);
}

static Run *
run_ref (Run *run)
{
  return g_rc_box_acquire (run);
}

static void
run_unref (Run *run)
{
  g_rc_box_release_full (run, (GDestroyNotify)run_free);
}

static gboolean
run_is_current (Run *run)
{
  return run->backend != NULL && run->backend->run == run;
}

static void
record (IsthmusBackend *self,
        const char     *what,
        gboolean        is_error,
        const char     *text)
{
  if (is_error)
    g_signal_emit (self, signals[PROBLEM], 0, text);

  if (self->core != NULL)
    isthmus_core_record_lifecycle (self->core, NULL, what, text, is_error);
  else if (is_error)
    g_message ("%s: %s", what, text);
  else
    g_debug ("%s: %s", what, text);
}

static void record_printf (IsthmusBackend *self,
                           gboolean        is_error,
                           const char     *format,
                           ...) G_GNUC_PRINTF (3, 4);

static void
record_printf (IsthmusBackend *self,
               gboolean        is_error,
               const char     *format,
               ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  record (self, "backend", is_error, text);
}

/* Records output of the process (stderr lines, log notifications), at
 * most OUTPUT_RECORDS_PER_SECOND a second. */
static void
record_output (IsthmusBackend *self,
               const char     *what,
               const char     *text)
{
  gint64 now = g_get_monotonic_time ();

  if (now - self->output_window_us >= G_USEC_PER_SEC)
    {
      guint dropped = self->output_dropped;

      self->output_window_us = now;
      self->output_records = 0;
      self->output_dropped = 0;
      if (dropped > 0)
        record_printf (self, FALSE,
                       _("%u lines of backend output were left out (more than %d a second)"),
                       dropped, OUTPUT_RECORDS_PER_SECOND);
    }

  if (self->output_records >= OUTPUT_RECORDS_PER_SECOND)
    {
      self->output_dropped++;
      return;
    }

  self->output_records++;
  record (self, what, FALSE, text);
}

static void
isthmus_backend_dispose (GObject *object)
{
  IsthmusBackend *self = (IsthmusBackend *)object;

  isthmus_backend_stop (self);

  if (self->core != NULL)
    {
      isthmus_registry_remove_resolver (isthmus_core_get_registry (self->core),
                                        self->resolver_id);
      g_clear_object (&self->core);
    }

  G_OBJECT_CLASS (isthmus_backend_parent_class)->dispose (object);
}

static void
isthmus_backend_finalize (GObject *object)
{
  IsthmusBackend *self = (IsthmusBackend *)object;

  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->timed_out, g_hash_table_unref);
  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (isthmus_backend_parent_class)->finalize (object);
}

static void
isthmus_backend_class_init (IsthmusBackendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = isthmus_backend_dispose;
  object_class->finalize = isthmus_backend_finalize;

  /**
   * IsthmusBackend::started:
   *
   * A process was started (first start or restart).
   */
  signals[STARTED] = g_signal_new ("started", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  /**
   * IsthmusBackend::exited:
   * @text: how it ended
   *
   * The process ended.
   */
  signals[EXITED] = g_signal_new ("exited", G_TYPE_FROM_CLASS (klass),
                                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * IsthmusBackend::problem:
   * @text: what went wrong
   *
   * A problem was recorded (bad output, a crash, a failed start).
   */
  signals[PROBLEM] = g_signal_new ("problem", G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
isthmus_backend_init (IsthmusBackend *self)
{
  self->pending = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, call_free);
  self->timed_out = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->timeout_ms = ISTHMUS_BACKEND_DEFAULT_TIMEOUT_MS;
  self->max_frame = ISTHMUS_BACKEND_DEFAULT_MAX_FRAME;
  self->first_restart_ms = ISTHMUS_BACKEND_FIRST_RESTART_MS;
  self->max_restart_ms = ISTHMUS_BACKEND_MAX_RESTART_MS;
  self->context = g_main_context_ref_thread_default ();
}

/**
 * isthmus_backend_new:
 * @command_line: the command, split as a shell would (no shell runs)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a stopped backend, or %NULL if
 *   @command_line does not parse
 */
IsthmusBackend *
isthmus_backend_new (const char  *command_line,
                     GError     **error)
{
  IsthmusBackend *self;
  g_auto(GStrv) argv = NULL;

  g_return_val_if_fail (command_line != NULL, NULL);

  if (!g_shell_parse_argv (command_line, NULL, &argv, error))
    return NULL;

  self = g_object_new (ISTHMUS_TYPE_BACKEND, NULL);
  self->argv = g_steal_pointer (&argv);

  return self;
}

const char * const *
isthmus_backend_get_argv (IsthmusBackend *self)
{
  g_return_val_if_fail (ISTHMUS_IS_BACKEND (self), NULL);

  return (const char * const *)self->argv;
}

static gboolean
resolver_cb (IsthmusInvocation *invocation,
             gpointer           user_data)
{
  return isthmus_backend_handle (user_data, invocation);
}

void
isthmus_backend_attach (IsthmusBackend *self,
                        IsthmusCore    *core)
{
  g_return_if_fail (ISTHMUS_IS_BACKEND (self));
  g_return_if_fail (ISTHMUS_IS_CORE (core));
  g_return_if_fail (self->core == NULL);

  self->core = g_object_ref (core);
  self->resolver_id = isthmus_registry_add_resolver (isthmus_core_get_registry (core),
                                                     ISTHMUS_RESOLVER_PRIORITY_BACKEND,
                                                     resolver_cb, self, NULL);
}

void
isthmus_backend_set_timeout (IsthmusBackend *self,
                             guint           timeout_ms)
{
  g_return_if_fail (ISTHMUS_IS_BACKEND (self));
  g_return_if_fail (timeout_ms > 0);

  self->timeout_ms = timeout_ms;
}

guint
isthmus_backend_get_timeout (IsthmusBackend *self)
{
  g_return_val_if_fail (ISTHMUS_IS_BACKEND (self), 0);

  return self->timeout_ms;
}

void
isthmus_backend_set_restart_delays (IsthmusBackend *self,
                                    guint           first_ms,
                                    guint           max_ms)
{
  g_return_if_fail (ISTHMUS_IS_BACKEND (self));
  g_return_if_fail (first_ms > 0 && first_ms <= max_ms);

  self->first_restart_ms = first_ms;
  self->max_restart_ms = max_ms;
}

void
isthmus_backend_set_max_frame (IsthmusBackend *self,
                               gsize           max_bytes)
{
  g_return_if_fail (ISTHMUS_IS_BACKEND (self));
  g_return_if_fail (max_bytes > 0);

  self->max_frame = max_bytes;
}

guint
isthmus_backend_get_n_pending (IsthmusBackend *self)
{
  g_return_val_if_fail (ISTHMUS_IS_BACKEND (self), 0);

  return g_hash_table_size (self->pending);
}

guint
isthmus_backend_get_n_starts (IsthmusBackend *self)
{
  g_return_val_if_fail (ISTHMUS_IS_BACKEND (self), 0);

  return self->n_starts;
}

gboolean
isthmus_backend_is_running (IsthmusBackend *self)
{
  g_return_val_if_fail (ISTHMUS_IS_BACKEND (self), FALSE);

  return self->run != NULL;
}

static GSource *
add_timeout (IsthmusBackend *self,
             guint           ms,
             GSourceFunc     func,
             gpointer        data,
             GDestroyNotify  destroy)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, data, destroy);
  g_source_attach (source, self->context);

  return source;
}

/* Fails every pending call with @code. */
static void
fail_pending (IsthmusBackend  *self,
              IsthmusIpcError  code,
              const char      *message)
{
  g_autoptr(GError) error = g_error_new_literal (ISTHMUS_IPC_ERROR, code, message);
  g_autoptr(GPtrArray) invocations = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (invocations, g_object_ref (((Call *)value)->invocation));
  g_hash_table_remove_all (self->pending);

  for (guint i = 0; i < invocations->len; i++)
    isthmus_invocation_return_gerror (g_ptr_array_index (invocations, i), error);
}

/* Writing. */

static void write_next (Run *run);

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error);
  run->writing = FALSE;
  g_bytes_unref (g_queue_pop_head (&run->writes));

  if (error != NULL)
    {
      /* The process is going away; its exit is reported elsewhere. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Writing to the backend failed: %s", error->message);
      g_queue_clear_full (&run->writes, (GDestroyNotify)g_bytes_unref);
    }
  else if (run_is_current (run))
    write_next (run);

  run_unref (run);
}

static void
write_next (Run *run)
{
  GBytes *bytes;

  if (run->writing || g_queue_is_empty (&run->writes))
    return;

  bytes = g_queue_peek_head (&run->writes);
  run->writing = TRUE;
  g_output_stream_write_all_async (g_subprocess_get_stdin_pipe (run->process),
                                   g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   G_PRIORITY_DEFAULT, run->cancellable,
                                   write_done_cb, run_ref (run));
}

static void
send_node (Run      *run,
           JsonNode *message)
{
  g_autofree char *json = NULL;
  gsize length = 0;

  json = isthmus_json_to_text (message, &length);
  g_queue_push_tail (&run->writes, isthmus_jsonrpc_frame (json, length));
  write_next (run);
}

/* Process end and restart. */

static void start_run (IsthmusBackend *self);

static gboolean
restart_cb (gpointer data)
{
  IsthmusBackend *self = data;

  g_clear_pointer (&self->restart_source, g_source_unref);
  if (self->wanted && self->run == NULL)
    start_run (self);

  return G_SOURCE_REMOVE;
}

static char *
describe_exit (GSubprocess *process)
{
  if (g_subprocess_get_if_signaled (process))
    return g_strdup_printf ("was killed by signal %d (%s)", g_subprocess_get_term_sig (process),
                            g_strsignal (g_subprocess_get_term_sig (process)));
  if (g_subprocess_get_if_exited (process))
    return g_strdup_printf ("exited with status %d", g_subprocess_get_exit_status (process));

  return g_strdup ("ended");
}

static char *
describe_delay (guint ms)
{
  if (ms < 1000)
    return g_strdup_printf ("%u ms", ms);

  return g_strdup_printf ("%.1f s", ms / 1000.0);
}

/* The current run is over (exited and its stdout drained). */
static void
finish_run (Run *run)
{
  IsthmusBackend *self = run->backend;
  g_autofree char *how = NULL;
  g_autofree char *message = NULL;
  gint64 lived_us;

  if (!run_is_current (run))
    return;

  how = run->exited ? describe_exit (run->process) : g_strdup ("stopped answering");
  lived_us = g_get_monotonic_time () - run->started_us;

  g_cancellable_cancel (run->cancellable);
  self->run = NULL;
  run->backend = NULL;

  if (run->reason != NULL)
    message = g_strdup_printf ("the backend %s (%s)", how, run->reason);
  else
    message = g_strdup_printf ("the backend %s", how);

  {
    g_autofree char *failed = g_strdup_printf ("%s before answering", message);

    fail_pending (self, ISTHMUS_IPC_ERROR_BACKEND_CRASHED, failed);
  }

  g_signal_emit (self, signals[EXITED], 0, how);

  if (self->wanted)
    {
      g_autofree char *delay = NULL;

      if (lived_us >= STABLE_RUN_US || self->restart_delay_ms == 0)
        self->restart_delay_ms = self->first_restart_ms;
      else
        self->restart_delay_ms = MIN (self->restart_delay_ms * 2, self->max_restart_ms);

      delay = describe_delay (self->restart_delay_ms);
      record_printf (self, TRUE, _("%s; restarting it in %s"), message, delay);
      self->restart_source = add_timeout (self, self->restart_delay_ms, restart_cb, self, NULL);
    }
  else
    record_printf (self, FALSE, "%s", message);

  run_unref (run);
}

static gboolean
grace_cb (gpointer data)
{
  Run *run = data;

  g_clear_pointer (&run->grace_source, g_source_unref);
  finish_run (run);

  return G_SOURCE_REMOVE;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  run->exited = TRUE;

  if (run_is_current (run))
    {
      if (run->stdout_closed)
        finish_run (run);
      else if (run->grace_source == NULL)
        run->grace_source = add_timeout (run->backend, EXIT_GRACE_MS, grace_cb, run, NULL);
    }

  run_unref (run);
}

/* Ends the current process because its output cannot be trusted. */
static void
kill_run (Run        *run,
          const char *reason)
{
  if (run->reason == NULL)
    run->reason = g_strdup (reason);
  g_subprocess_force_exit (run->process);
}

/* Messages from the process. */

static void
answer_call (IsthmusBackend *self,
             JsonObject     *message,
             gint64          id)
{
  g_autoptr(IsthmusInvocation) invocation = NULL;
  Call *call;
  JsonNode *error_node;

  call = g_hash_table_lookup (self->pending, &id);
  if (call == NULL)
    {
      if (g_hash_table_contains (self->timed_out, &id))
        record_printf (self, TRUE, "the backend answered call %" G_GINT64_FORMAT
                       " after its time-out; the answer was dropped", id);
      else
        record_printf (self, TRUE, "the backend answered id %" G_GINT64_FORMAT
                       ", which no call is waiting for; the answer was dropped", id);
      return;
    }

  invocation = g_object_ref (call->invocation);
  g_hash_table_remove (self->pending, &id);

  if (json_object_has_member (message, "result"))
    {
      isthmus_invocation_set_note (invocation, "backend");
      isthmus_invocation_return_value (invocation,
                                       json_node_copy (json_object_get_member (message, "result")));
      return;
    }

  error_node = json_object_get_member (message, "error");
  if (error_node != NULL && JSON_NODE_HOLDS_OBJECT (error_node))
    {
      JsonObject *error_object = json_node_get_object (error_node);
      JsonNode *code_node = json_object_get_member (error_object, "code");
      JsonNode *message_node = json_object_get_member (error_object, "message");
      JsonNode *data = json_object_get_member (error_object, "data");
      gint64 code = 0;
      g_autofree char *note = NULL;

      if (code_node != NULL && json_node_get_value_type (code_node) == G_TYPE_INT64)
        code = json_node_get_int (code_node);

      if (code == ISTHMUS_BACKEND_METHOD_NOT_FOUND && data == NULL && self->core != NULL)
        {
          isthmus_registry_dispatch_default (isthmus_core_get_registry (self->core), invocation);
          return;
        }

      note = g_strdup_printf ("backend error %" G_GINT64_FORMAT, code);
      isthmus_invocation_set_note (invocation, note);

      if (data != NULL)
        isthmus_invocation_return_error_value (invocation, json_node_copy (data));
      else if (message_node != NULL && JSON_NODE_HOLDS_VALUE (message_node))
        isthmus_invocation_return_error_value (invocation, json_node_copy (message_node));
      else
        isthmus_invocation_return_error_string (invocation, "backend error");
      return;
    }

  {
    g_autoptr(GError) error = NULL;

    error = g_error_new (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BACKEND_ERROR,
                         "the backend's answer to call %" G_GINT64_FORMAT
                         " has neither a result nor an error object", id);
    record (self, "backend", TRUE, error->message);
    isthmus_invocation_return_gerror (invocation, error);
  }
}

static void
handle_emit (IsthmusBackend *self,
             JsonObject     *params)
{
  IsthmusEventTarget target = { 0 };
  g_autoptr(GError) error = NULL;
  JsonNode *event = params != NULL ? json_object_get_member (params, "event") : NULL;
  JsonNode *payload = params != NULL ? json_object_get_member (params, "payload") : NULL;
  JsonNode *target_node = params != NULL ? json_object_get_member (params, "target") : NULL;
  gboolean has_target = FALSE;

  if (event == NULL || json_node_get_value_type (event) != G_TYPE_STRING)
    {
      record_printf (self, TRUE, _("the backend sent an emit without an event name"));
      return;
    }

  if (target_node != NULL && !JSON_NODE_HOLDS_NULL (target_node))
    {
      if (!isthmus_event_target_parse (target_node, &target, &error))
        {
          record_printf (self, TRUE, _("the backend's emit of “%s” has a bad target: %s"),
                         json_node_get_string (event), error->message);
          return;
        }
      has_target = TRUE;
    }

  if (self->core == NULL)
    g_debug ("Emit of “%s” dropped: the backend is not attached", json_node_get_string (event));
  else if (!isthmus_core_emit (self->core, has_target ? &target : NULL,
                               json_node_get_string (event), payload, &error))
    record_printf (self, TRUE, _("the backend's emit of “%s” failed: %s"),
                   json_node_get_string (event), error->message);

  isthmus_event_target_clear (&target);
}

static void
handle_message (Run    *run,
                GBytes *body)
{
  IsthmusBackend *self = run->backend;
  IsthmusJsonLimits limits = { self->max_frame, ISTHMUS_JSON_GUARD_DEFAULT_MAX_DEPTH };
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;
  JsonNode *root;
  JsonObject *message;
  JsonNode *method;
  JsonNode *id;
  JsonNode *params;

  data = g_bytes_get_data (body, &length);

  if (!isthmus_json_guard_check (data, length, &limits, &error))
    {
      record_printf (self, TRUE, _("the backend sent a message that is not valid JSON: %s"),
                     error->message);
      return;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &error))
    {
      record_printf (self, TRUE, _("the backend sent a message that is not valid JSON: %s"),
                     error->message);
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      record_printf (self, TRUE, _("the backend sent a message that is not a JSON object"));
      return;
    }

  message = json_node_get_object (root);
  method = json_object_get_member (message, "method");
  id = json_object_get_member (message, "id");
  params = json_object_get_member (message, "params");

  if (method != NULL)
    {
      const char *name = json_node_get_value_type (method) == G_TYPE_STRING
                         ? json_node_get_string (method) : "";
      JsonObject *params_object = params != NULL && JSON_NODE_HOLDS_OBJECT (params)
                                  ? json_node_get_object (params) : NULL;

      if (id == NULL && g_str_equal (name, "emit"))
        handle_emit (self, params_object);
      else if (id == NULL && g_str_equal (name, "log"))
        {
          JsonNode *text = params_object != NULL ? json_object_get_member (params_object, "text") : NULL;

          if (text != NULL && json_node_get_value_type (text) == G_TYPE_STRING)
            record_output (self, "backend log", json_node_get_string (text));
          else
            record_printf (self, TRUE, _("the backend sent a log without a text"));
        }
      else if (id != NULL)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
          g_autoptr(JsonNode) reply = NULL;

          /* Isthmus serves no requests: say so, as JSON-RPC does. */
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "jsonrpc");
          json_builder_add_string_value (builder, "2.0");
          json_builder_set_member_name (builder, "id");
          json_builder_add_value (builder, json_node_copy (id));
          json_builder_set_member_name (builder, "error");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_int_value (builder, ISTHMUS_BACKEND_METHOD_NOT_FOUND);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, "Method not found");
          json_builder_end_object (builder);
          json_builder_end_object (builder);
          reply = json_builder_get_root (builder);
          send_node (run, reply);
          record_printf (self, TRUE, _("the backend called “%s”, which Isthmus does not serve"), name);
        }
      else
        record_printf (self, TRUE, _("the backend sent an unknown notification “%s”"), name);
      return;
    }

  if (id != NULL && json_node_get_value_type (id) == G_TYPE_INT64)
    {
      answer_call (self, message, json_node_get_int (id));
      return;
    }

  record_printf (self, TRUE, _("the backend sent a message with neither a method nor a numeric id"));
}

static void read_stdout (Run *run);

static void
stdout_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gboolean fatal = FALSE;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (!run_is_current (run))
    {
      run_unref (run);
      return;
    }

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      run->stdout_closed = TRUE;
      if (run->exited)
        finish_run (run);
      run_unref (run);
      return;
    }

  isthmus_jsonrpc_framer_push (run->framer, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

  /* The run may end while a message is handled (a reply that drops the
   * last reference to the backend's caller): check after each one. */
  while (run_is_current (run) && !fatal)
    {
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) frame_error = NULL;
      IsthmusFrameStatus status;

      status = isthmus_jsonrpc_framer_next (run->framer, &body, &frame_error);
      if (status == ISTHMUS_FRAME_NEED_MORE)
        break;

      switch (status)
        {
        case ISTHMUS_FRAME_OK:
          handle_message (run, body);
          break;

        case ISTHMUS_FRAME_ERROR:
          record_printf (run->backend, TRUE, _("garbage on the backend's stdout: %s"),
                         frame_error->message);
          break;

        case ISTHMUS_FRAME_FATAL:
        case ISTHMUS_FRAME_NEED_MORE:
        default:
          record_printf (run->backend, TRUE, _("garbage on the backend's stdout: %s"),
                         frame_error->message);
          kill_run (run, frame_error->message);
          fatal = TRUE;
          break;
        }
    }

  if (run_is_current (run) && !fatal)
    read_stdout (run);

  run_unref (run);
}

static void
read_stdout (Run *run)
{
  g_input_stream_read_bytes_async (g_subprocess_get_stdout_pipe (run->process), READ_CHUNK,
                                   G_PRIORITY_DEFAULT, run->cancellable,
                                   stdout_cb, run_ref (run));
}

static void
flush_stderr_line (Run *run)
{
  g_autofree char *valid = NULL;

  if (run->stderr_line->len > 0 && run->stderr_line->str[run->stderr_line->len - 1] == '\r')
    g_string_truncate (run->stderr_line, run->stderr_line->len - 1);

  valid = g_utf8_make_valid (run->stderr_line->str, run->stderr_line->len);
  record_output (run->backend, "backend stderr", valid);
  g_string_truncate (run->stderr_line, 0);
}

static void read_stderr (Run *run);

static void
stderr_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GBytes) bytes = NULL;
  const char *data;
  gsize length;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (!run_is_current (run))
    {
      run_unref (run);
      return;
    }

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      if (run->stderr_line->len > 0)
        flush_stderr_line (run);
      run_unref (run);
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n')
        flush_stderr_line (run);
      else if (run->stderr_line->len < STDERR_LINE_MAX)
        g_string_append_c (run->stderr_line, data[i] != '\0' ? data[i] : ' ');
    }

  read_stderr (run);
  run_unref (run);
}

static void
read_stderr (Run *run)
{
  g_input_stream_read_bytes_async (g_subprocess_get_stderr_pipe (run->process), STDERR_CHUNK,
                                   G_PRIORITY_DEFAULT, run->cancellable,
                                   stderr_cb, run_ref (run));
}

/* Writing to a process that died raises SIGPIPE, which would end Isthmus
 * itself; the write then fails with EPIPE instead. */
static void
ignore_sigpipe (void)
{
  struct sigaction current;

  if (sigaction (SIGPIPE, NULL, &current) == 0 && current.sa_handler == SIG_DFL)
    {
      struct sigaction ignore = { 0 };

      ignore.sa_handler = SIG_IGN;
      sigemptyset (&ignore.sa_mask);
      sigaction (SIGPIPE, &ignore, NULL);
    }
}

static gboolean
spawn (IsthmusBackend  *self,
       GError         **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  Run *run;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* Output of Python backends arrives line by line, not at exit. */
  g_subprocess_launcher_setenv (launcher, "PYTHONUNBUFFERED", "1", FALSE);
  g_subprocess_launcher_setenv (launcher, "ISTHMUS_BACKEND", "1", TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)self->argv, error);
  if (process == NULL)
    return FALSE;

  run = g_rc_box_new0 (Run);
  run->backend = self;
  run->process = g_steal_pointer (&process);
  run->cancellable = g_cancellable_new ();
  run->framer = isthmus_jsonrpc_framer_new (self->max_frame);
  run->stderr_line = g_string_new (NULL);
  run->started_us = g_get_monotonic_time ();
  g_queue_init (&run->writes);

  self->run = run;
  self->n_starts++;

  g_subprocess_wait_async (run->process, run->cancellable, wait_cb, run_ref (run));
  read_stdout (run);
  read_stderr (run);

  return TRUE;
}

static void
start_run (IsthmusBackend *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = g_strjoinv (" ", self->argv);

  if (!spawn (self, &error))
    {
      g_autofree char *delay = NULL;

      self->restart_delay_ms = self->restart_delay_ms == 0
                               ? self->first_restart_ms
                               : MIN (self->restart_delay_ms * 2, self->max_restart_ms);
      delay = describe_delay (self->restart_delay_ms);
      record_printf (self, TRUE, _("the backend “%s” did not start: %s; trying again in %s"),
                     command, error->message, delay);
      self->restart_source = add_timeout (self, self->restart_delay_ms, restart_cb, self, NULL);
      return;
    }

  record_printf (self, FALSE, _("started the backend “%s” (process %s)"), command,
                 g_subprocess_get_identifier (self->run->process));
  g_signal_emit (self, signals[STARTED], 0);
}

/**
 * isthmus_backend_start:
 * @self: an #IsthmusBackend
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the process started (or already runs)
 */
gboolean
isthmus_backend_start (IsthmusBackend  *self,
                       GError         **error)
{
  g_autofree char *command = NULL;

  g_return_val_if_fail (ISTHMUS_IS_BACKEND (self), FALSE);

  if (self->run != NULL)
    return TRUE;

  ignore_sigpipe ();

  if (self->restart_source != NULL)
    {
      g_source_destroy (self->restart_source);
      g_clear_pointer (&self->restart_source, g_source_unref);
    }

  if (!spawn (self, error))
    return FALSE;

  self->wanted = TRUE;
  self->restart_delay_ms = 0;
  command = g_strjoinv (" ", self->argv);
  record_printf (self, FALSE, _("started the backend “%s” (process %s)"), command,
                 g_subprocess_get_identifier (self->run->process));
  g_signal_emit (self, signals[STARTED], 0);

  return TRUE;
}

void
isthmus_backend_stop (IsthmusBackend *self)
{
  Run *run;

  g_return_if_fail (ISTHMUS_IS_BACKEND (self));

  self->wanted = FALSE;

  if (self->restart_source != NULL)
    {
      g_source_destroy (self->restart_source);
      g_clear_pointer (&self->restart_source, g_source_unref);
    }

  run = g_steal_pointer (&self->run);
  if (run != NULL)
    {
      run->backend = NULL;
      g_cancellable_cancel (run->cancellable);
      g_subprocess_force_exit (run->process);
      run_unref (run);
      record_printf (self, FALSE, _("stopped the backend"));
    }

  fail_pending (self, ISTHMUS_IPC_ERROR_BACKEND_ERROR, _("the backend was stopped"));
}

static gboolean
call_timeout_cb (gpointer data)
{
  IsthmusBackend *self = data;
  GHashTableIter iter;
  gpointer value;
  g_autoptr(IsthmusInvocation) invocation = NULL;
  g_autoptr(GError) error = NULL;
  GSource *current = g_main_current_source ();
  gint64 id = 0;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Call *call = value;

      if (call->timeout_source == current)
        {
          id = call->id;
          invocation = g_object_ref (call->invocation);
          g_clear_pointer (&call->timeout_source, g_source_unref);
          g_hash_table_iter_remove (&iter);
          break;
        }
    }

  if (invocation == NULL)
    return G_SOURCE_REMOVE;

  if (g_hash_table_size (self->timed_out) >= TIMED_OUT_IDS_MAX)
    g_hash_table_remove_all (self->timed_out);
  g_hash_table_add (self->timed_out, g_memdup2 (&id, sizeof id));

  error = g_error_new (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BACKEND_TIMEOUT,
                       "the backend did not answer “%s” within %u ms",
                       isthmus_invocation_get_command (invocation), self->timeout_ms);
  isthmus_invocation_return_gerror (invocation, error);

  return G_SOURCE_REMOVE;
}

/**
 * isthmus_backend_handle:
 * @self: an #IsthmusBackend
 * @invocation: a call
 *
 * Returns: %TRUE if the backend takes @invocation
 */
gboolean
isthmus_backend_handle (IsthmusBackend    *self,
                        IsthmusInvocation *invocation)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) message = NULL;
  Call *call;

  g_return_val_if_fail (ISTHMUS_IS_BACKEND (self), FALSE);
  g_return_val_if_fail (ISTHMUS_IS_INVOCATION (invocation), FALSE);

  if (!self->wanted)
    return FALSE;

  if (self->run == NULL)
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BACKEND_CRASHED,
                                   "the backend is restarting");
      isthmus_invocation_return_gerror (invocation, error);
      return TRUE;
    }

  call = g_new0 (Call, 1);
  call->id = ++self->next_id;
  call->invocation = g_object_ref (invocation);
  call->timeout_source = add_timeout (self, self->timeout_ms, call_timeout_cb, self, NULL);
  g_hash_table_insert (self->pending, &call->id, call);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jsonrpc");
  json_builder_add_string_value (builder, "2.0");
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, call->id);
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, "invoke");
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "cmd");
  json_builder_add_string_value (builder, isthmus_invocation_get_command (invocation));
  json_builder_set_member_name (builder, "args");
  json_builder_add_value (builder, json_node_copy (isthmus_invocation_get_args (invocation)));
  json_builder_set_member_name (builder, "window");
  json_builder_add_string_value (builder, isthmus_invocation_get_webview_label (invocation) != NULL
                                          ? isthmus_invocation_get_webview_label (invocation) : "");
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  message = json_builder_get_root (builder);

  send_node (self->run, message);

  return TRUE;
}

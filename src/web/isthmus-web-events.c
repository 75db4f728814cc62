/* isthmus-web-events.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-web-events"

#include "config.h"

#include <string.h>

#include <gtk/gtk.h>
#include <libsoup/soup.h>

#include "isthmus-channel.h"
#include "isthmus-error.h"
#include "isthmus-web-events.h"
#include "isthmus-web-util.h"
#include "isthmus-web-window-events.h"
#include "isthmus-window-plugin.h"

#define RAW_SCHEME        "isthmus-ipc"
#define RAW_BASE          RAW_SCHEME "://localhost/"
#define RAW_PLACEHOLDER   "ISTHMUS_RAW_CONFIG"
#define RAW_SCRIPT        RESOURCE_BASE "/web/isthmus-bridge-raw.js"
#define RAW_READ_CHUNK    (1024 * 1024)
#define CONTEXT_KEY       "isthmus-web-events-context"
#define HOST_KEY          "isthmus-web-events-windows"
#define VIEW_KEY          "isthmus-web-events-view"
#define SOURCE_URI        "isthmus://core"

/* Per view: what deliveries and the raw scheme need. */
typedef struct
{
  /* Borrowed references (weak pointers) */
  WebKitWebView *view;
  IsthmusCore   *core;

  char          *label;
  char          *secret;
} ViewState;

/* Per host: the open views by label, for the window plugin. */
typedef struct
{
  GPtrArray *views;   /* ViewState, owned references, creation order */
} Windows;

/* One raw request waiting for its body or its reply. */
typedef struct
{
  WebKitURISchemeRequest *request;
  GInputStream           *stream;
  GByteArray             *body;
  IsthmusCore            *core;
  char                   *label;
  char                   *cmd;
  gsize                   max_bytes;
} RawCall;

static const char event_function[] =
  "const t = window.__TAURI_INTERNALS__;"
  "if (t && t.__isthmusEvent) t.__isthmusEvent (e, p, i);";

static const char channel_function[] =
  "const t = window.__TAURI_INTERNALS__;"
  "if (t && t.__isthmusChannel) t.__isthmusChannel (c, x, k, m);";

static void
view_state_clear (gpointer data)
{
  ViewState *state = data;

  g_clear_weak_pointer (&state->view);
  g_clear_weak_pointer (&state->core);
  g_clear_pointer (&state->label, g_free);
  if (state->secret != NULL)
    memset (state->secret, 0, strlen (state->secret));
  g_clear_pointer (&state->secret, g_free);
}

static ViewState *
view_state_ref (ViewState *state)
{
  return g_atomic_rc_box_acquire (state);
}

static void
view_state_unref (gpointer state)
{
  g_atomic_rc_box_release_full (state, view_state_clear);
}

static void
call_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (object), result, &error);
  if (value == NULL)
    g_debug ("A delivery into the page failed: %s", error->message);
}

/* Events: one call per emit and webview, the values as arguments. */
static void
deliver_event_cb (const char    *webview_label,
                  const char    *event,
                  const char    *payload_json,
                  const guint32 *listener_ids,
                  guint          n_ids,
                  gpointer       user_data)
{
  ViewState *state = user_data;
  GVariantBuilder builder;
  g_autoptr(GString) ids = NULL;

  if (state->view == NULL)
    return;

  /* WebKit converts no arrays of numbers: the ids go as JSON text. */
  ids = g_string_new ("[");
  for (guint i = 0; i < n_ids; i++)
    g_string_append_printf (ids, "%s%u", i > 0 ? "," : "", listener_ids[i]);
  g_string_append_c (ids, ']');

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "e", g_variant_new_string (event));
  g_variant_builder_add (&builder, "{sv}", "p", g_variant_new_string (payload_json));
  g_variant_builder_add (&builder, "{sv}", "i", g_variant_new_string (ids->str));

  webkit_web_view_call_async_javascript_function (state->view, event_function, -1,
                                                  g_variant_builder_end (&builder),
                                                  NULL, SOURCE_URI, NULL, call_done_cb, NULL);
}

static void
deliver_channel_cb (const char *webview_label,
                    guint32     callback_id,
                    guint64     index,
                    gboolean    end,
                    const char *json,
                    GBytes     *raw,
                    gpointer    user_data)
{
  ViewState *state = user_data;
  GVariantBuilder builder;
  GVariant *message;
  const char *kind;

  if (state->view == NULL)
    return;

  if (end)
    {
      kind = "end";
      message = g_variant_new_string ("");
    }
  else if (raw != NULL)
    {
      gsize size = 0;
      const guint8 *data = g_bytes_get_data (raw, &size);
      g_autofree char *base64 = g_base64_encode (data, size);

      kind = "raw";
      message = g_variant_new_string (base64);
    }
  else
    {
      kind = "json";
      message = g_variant_new_string (json != NULL ? json : "null");
    }

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&builder, "{sv}", "c", g_variant_new_uint32 (callback_id));
  g_variant_builder_add (&builder, "{sv}", "x", g_variant_new_double ((double)index));
  g_variant_builder_add (&builder, "{sv}", "k", g_variant_new_string (kind));
  g_variant_builder_add (&builder, "{sv}", "m", message);

  webkit_web_view_call_async_javascript_function (state->view, channel_function, -1,
                                                  g_variant_builder_end (&builder),
                                                  NULL, SOURCE_URI, NULL, call_done_cb, NULL);
}

static void
load_changed_cb (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 gpointer         user_data)
{
  ViewState *state = user_data;

  if (event != WEBKIT_LOAD_COMMITTED || state->core == NULL)
    return;

  /* A new page: the old page's listeners and channels are gone. */
  isthmus_event_bus_add_webview (isthmus_core_get_event_bus (state->core), state->label,
                                 deliver_event_cb, view_state_ref (state), view_state_unref);
  isthmus_core_add_channel_webview (state->core, state->label,
                                    deliver_channel_cb, view_state_ref (state), view_state_unref);
}

static void
view_state_closure_notify (gpointer  data,
                           GClosure *closure)
{
  view_state_unref (data);
}

/* The window plugin's view of the GTK side. */

static void
windows_clear (gpointer data)
{
  Windows *windows = data;

  g_ptr_array_unref (windows->views);
}

static void
windows_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, windows_clear);
}

static ViewState *
find_view (Windows    *windows,
           const char *label)
{
  for (guint i = 0; i < windows->views->len; i++)
    {
      ViewState *state = g_ptr_array_index (windows->views, i);

      if (state->view != NULL && g_strcmp0 (state->label, label) == 0)
        return state;
    }

  return NULL;
}

static GtkWindow *
find_window (Windows    *windows,
             const char *label)
{
  ViewState *state = find_view (windows, label);
  GtkRoot *root;

  if (state == NULL)
    return NULL;

  root = gtk_widget_get_root (GTK_WIDGET (state->view));
  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static char **
backend_list (gpointer user_data)
{
  Windows *windows = user_data;
  GPtrArray *labels = g_ptr_array_new ();

  for (guint i = 0; i < windows->views->len; i++)
    {
      ViewState *state = g_ptr_array_index (windows->views, i);

      if (state->view != NULL)
        g_ptr_array_add (labels, g_strdup (state->label));
    }
  g_ptr_array_add (labels, NULL);

  return (char **)g_ptr_array_free (labels, FALSE);
}

static gboolean
backend_exists (const char *label,
                gpointer    user_data)
{
  return find_window (user_data, label) != NULL;
}

static char *
backend_get_title (const char *label,
                   gpointer    user_data)
{
  GtkWindow *window = find_window (user_data, label);

  return g_strdup (window != NULL ? gtk_window_get_title (window) : NULL);
}

static void
backend_set_title (const char *label,
                   const char *title,
                   gpointer    user_data)
{
  GtkWindow *window = find_window (user_data, label);

  if (window != NULL)
    gtk_window_set_title (window, title);
}

static void
backend_get_size (const char *label,
                  gboolean    outer,
                  int        *width,
                  int        *height,
                  gpointer    user_data)
{
  ViewState *state = find_view (user_data, label);
  GtkWindow *window = find_window (user_data, label);
  GtkWidget *widget;
  int scale;

  *width = *height = 0;
  if (state == NULL || window == NULL)
    return;

  widget = outer ? GTK_WIDGET (window) : GTK_WIDGET (state->view);
  scale = gtk_widget_get_scale_factor (widget);
  *width = gtk_widget_get_width (widget) * scale;
  *height = gtk_widget_get_height (widget) * scale;

  /* Not laid out yet: the size the window asks for. */
  if (*width == 0 || *height == 0)
    {
      gtk_window_get_default_size (window, width, height);
      *width = MAX (*width, 0) * scale;
      *height = MAX (*height, 0) * scale;
    }
}

/* A window that is shown keeps its size in GTK 4 whatever its default
 * size says; the size a page asks for is given to the window when GTK
 * next negotiates the toplevel's size. */
typedef struct
{
  int     width;
  int     height;
  gulong  handler;
} PendingSize;

#define PENDING_SIZE_KEY "isthmus-pending-size"

static void
compute_size_cb (GdkToplevel     *toplevel,
                 GdkToplevelSize *size,
                 gpointer         user_data)
{
  PendingSize *pending = user_data;

  if (pending->width <= 0 || pending->height <= 0)
    return;
  gdk_toplevel_size_set_size (size, pending->width, pending->height);
  pending->width = pending->height = 0;
}

static void
backend_set_size (const char *label,
                  double      width,
                  double      height,
                  gboolean    physical,
                  gpointer    user_data)
{
  ViewState *state = find_view (user_data, label);
  GtkWindow *window = find_window (user_data, label);
  GdkSurface *surface;
  PendingSize *pending;
  double scale;
  int new_width, new_height;

  if (window == NULL || state == NULL || state->view == NULL)
    return;

  /* Tauri's size is the webview's: the window grows or shrinks by the
   * difference, so that the inspector beside the page keeps its room. */
  scale = physical ? gtk_widget_get_scale_factor (GTK_WIDGET (window)) : 1.0;
  new_width = (int)(width / scale + 0.5);
  new_height = (int)(height / scale + 0.5);
  if (gtk_widget_get_width (GTK_WIDGET (state->view)) > 0)
    {
      new_width += gtk_widget_get_width (GTK_WIDGET (window)) - gtk_widget_get_width (GTK_WIDGET (state->view));
      new_height += gtk_widget_get_height (GTK_WIDGET (window)) - gtk_widget_get_height (GTK_WIDGET (state->view));
    }
  new_width = MAX (new_width, 1);
  new_height = MAX (new_height, 1);
  gtk_window_set_default_size (window, new_width, new_height);

  surface = gtk_native_get_surface (GTK_NATIVE (window));
  if (!gtk_widget_get_mapped (GTK_WIDGET (window)) || !GDK_IS_TOPLEVEL (surface))
    return;

  pending = g_object_get_data (G_OBJECT (surface), PENDING_SIZE_KEY);
  if (pending == NULL)
    {
      pending = g_new0 (PendingSize, 1);
      g_object_set_data_full (G_OBJECT (surface), PENDING_SIZE_KEY, pending, g_free);
      pending->handler = g_signal_connect_after (surface, "compute-size", G_CALLBACK (compute_size_cb), pending);
    }
  pending->width = new_width;
  pending->height = new_height;
  gtk_widget_queue_resize (GTK_WIDGET (window));
}

static double
backend_get_scale_factor (const char *label,
                          gpointer    user_data)
{
  GtkWindow *window = find_window (user_data, label);

  return window != NULL ? gtk_widget_get_scale_factor (GTK_WIDGET (window)) : 1.0;
}

static gboolean
backend_get_flag (const char        *label,
                  IsthmusWindowFlag  flag,
                  gpointer           user_data)
{
  GtkWindow *window = find_window (user_data, label);

  if (window == NULL)
    return FALSE;

  if (flag == ISTHMUS_WINDOW_FOCUSED)
    return gtk_window_is_active (window);

  return gtk_widget_get_visible (GTK_WIDGET (window));
}

static void
backend_act (const char          *label,
             IsthmusWindowAction  action,
             gpointer             user_data)
{
  GtkWindow *window = find_window (user_data, label);

  if (window == NULL)
    return;

  switch (action)
    {
    case ISTHMUS_WINDOW_SHOW:
    case ISTHMUS_WINDOW_FOCUS:
      gtk_window_present (window);
      break;

    case ISTHMUS_WINDOW_HIDE:
      gtk_widget_set_visible (GTK_WIDGET (window), FALSE);
      break;

    case ISTHMUS_WINDOW_CLOSE:
      gtk_window_close (window);
      break;

    case ISTHMUS_WINDOW_DESTROY:
    default:
      gtk_window_destroy (window);
      break;
    }
}

static const IsthmusWindowBackend window_backend = {
  backend_list,
  backend_exists,
  backend_get_title,
  backend_set_title,
  backend_get_size,
  backend_set_size,
  backend_get_scale_factor,
  backend_get_flag,
  backend_act,
};

static void
view_weak_notify_cb (gpointer  user_data,
                     GObject  *where_the_object_was)
{
  ViewState *state = user_data;

  if (state->core != NULL)
    {
      isthmus_event_bus_remove_webview (isthmus_core_get_event_bus (state->core), state->label);
      isthmus_core_remove_channel_webview (state->core, state->label);
    }
  view_state_unref (state);
}

/* The raw transport. */

static void
raw_call_free (RawCall *call)
{
  g_clear_object (&call->request);
  g_clear_object (&call->stream);
  g_clear_pointer (&call->body, g_byte_array_unref);
  g_clear_object (&call->core);
  g_clear_pointer (&call->label, g_free);
  g_clear_pointer (&call->cmd, g_free);
  g_free (call);
}

static void
finish_raw (WebKitURISchemeRequest *request,
            guint                   status,
            const char             *content_type,
            GBytes                 *body)
{
  g_autoptr(WebKitURISchemeResponse) response = NULL;
  g_autoptr(GInputStream) stream = NULL;
  SoupMessageHeaders *headers;

  stream = g_memory_input_stream_new_from_bytes (body);
  response = webkit_uri_scheme_response_new (stream, g_bytes_get_size (body));
  webkit_uri_scheme_response_set_status (response, status, NULL);
  webkit_uri_scheme_response_set_content_type (response, content_type);

  /* Headers set this way replace the content type set above. */
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_append (headers, "Content-Type", content_type);
  soup_message_headers_append (headers, "Access-Control-Allow-Origin", "*");
  soup_message_headers_append (headers, "Access-Control-Allow-Methods", "POST, OPTIONS");
  soup_message_headers_append (headers, "Access-Control-Allow-Headers", "Content-Type, Isthmus-Token");
  soup_message_headers_append (headers, "Cache-Control", "no-store");
  webkit_uri_scheme_response_set_http_headers (response, headers);

  webkit_uri_scheme_request_finish_with_response (request, response);
}

static void
finish_raw_error (WebKitURISchemeRequest *request,
                  guint                   status,
                  IsthmusIpcError         code,
                  const char             *message,
                  const char             *value_json)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *fallback = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, isthmus_ipc_error_to_code (code));
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "value");
  if (value_json == NULL)
    {
      fallback = g_strdup_printf ("%s: %s", isthmus_ipc_error_to_code (code), message);
      json_builder_add_string_value (builder, fallback);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  /* The value is spliced in as the JSON text the core produced. */
  if (value_json != NULL)
    {
      g_autofree char *head = json_to_string (root, FALSE);
      gsize head_length = strlen (head);

      g_assert (g_str_has_suffix (head, "null}"));
      head[head_length - 5] = '\0';
      text = g_strconcat (head, value_json, "}", NULL);
    }
  else
    text = json_to_string (root, FALSE);

  body = g_bytes_new_take (text, strlen (text));
  finish_raw (request, status, "application/json", body);
}

static void
raw_reply_cb (const IsthmusRawReply *reply,
              gpointer               user_data)
{
  RawCall *call = user_data;

  if (reply->ok && reply->bytes != NULL)
    finish_raw (call->request, 200, "application/octet-stream", reply->bytes);
  else if (reply->ok)
    {
      g_autoptr(GBytes) body = g_bytes_new (reply->json, reply->json_length);

      finish_raw (call->request, 200, "application/json", body);
    }
  else
    {
      g_autofree char *value = g_strndup (reply->json, reply->json_length);
      IsthmusIpcError code = ISTHMUS_IPC_ERROR_INTERNAL;
      g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *head = NULL;
      char *text;
      g_autoptr(GBytes) body = NULL;

      isthmus_ipc_error_from_code (reply->code, &code);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, reply->code != NULL ? reply->code : "INTERNAL");
      json_builder_set_member_name (builder, "message");
      json_builder_add_string_value (builder, reply->message != NULL ? reply->message : "");
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      head = json_to_string (root, FALSE);
      head[strlen (head) - 1] = '\0';
      text = g_strconcat (head, ",\"value\":", value, "}", NULL);
      body = g_bytes_new_take (text, strlen (text));
      finish_raw (call->request, 400, "application/json", body);
    }

  raw_call_free (call);
}

static void
read_body_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  RawCall *call = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;
  g_autoptr(GBytes) body = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      finish_raw_error (call->request, 400, ISTHMUS_IPC_ERROR_BAD_MESSAGE, error->message, NULL);
      raw_call_free (call);
      return;
    }

  if (g_bytes_get_size (chunk) > 0)
    {
      if (call->body->len + g_bytes_get_size (chunk) > call->max_bytes)
        {
          g_autofree char *message = g_strdup_printf ("message exceeds the limit of %" G_GSIZE_FORMAT " bytes",
                                                      call->max_bytes);

          finish_raw_error (call->request, 413, ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE, message, NULL);
          raw_call_free (call);
          return;
        }
      g_byte_array_append (call->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
      g_input_stream_read_bytes_async (call->stream, RAW_READ_CHUNK, G_PRIORITY_DEFAULT,
                                       NULL, read_body_cb, call);
      return;
    }

  body = g_byte_array_free_to_bytes (g_steal_pointer (&call->body));
  isthmus_core_handle_raw (call->core, call->label, call->cmd, body, raw_reply_cb, call);
}

static void
raw_scheme_cb (WebKitURISchemeRequest *request,
               gpointer                user_data)
{
  g_autoptr(GUri) uri = NULL;
  WebKitWebView *view;
  ViewState *state;
  SoupMessageHeaders *headers;
  const char *method;
  const char *path;
  const IsthmusJsonLimits *limits;
  RawCall *call;

  method = webkit_uri_scheme_request_get_http_method (request);
  if (g_strcmp0 (method, "OPTIONS") == 0)
    {
      g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

      finish_raw (request, 204, "text/plain", empty);
      return;
    }

  view = webkit_uri_scheme_request_get_web_view (request);
  state = view != NULL ? g_object_get_data (G_OBJECT (view), VIEW_KEY) : NULL;
  headers = webkit_uri_scheme_request_get_http_headers (request);

  if (state == NULL || state->core == NULL || headers == NULL ||
      !_isthmus_web_secret_equal (soup_message_headers_get_one (headers, "Isthmus-Token"), state->secret))
    {
      finish_raw_error (request, 403, ISTHMUS_IPC_ERROR_BAD_MESSAGE,
                        "the raw request is not from this view's bridge", NULL);
      return;
    }

  if (g_strcmp0 (method, "POST") != 0)
    {
      finish_raw_error (request, 405, ISTHMUS_IPC_ERROR_BAD_MESSAGE, "only POST is accepted", NULL);
      return;
    }

  uri = g_uri_parse (webkit_uri_scheme_request_get_uri (request), G_URI_FLAGS_ENCODED, NULL);
  path = uri != NULL ? g_uri_get_path (uri) : NULL;
  if (path == NULL || path[0] != '/' || path[1] == '\0')
    {
      finish_raw_error (request, 400, ISTHMUS_IPC_ERROR_BAD_MESSAGE, "no command in the URL", NULL);
      return;
    }

  call = g_new0 (RawCall, 1);
  call->request = g_object_ref (request);
  call->core = g_object_ref (state->core);
  call->label = g_strdup (state->label);
  call->cmd = g_uri_unescape_string (path + 1, NULL);
  limits = isthmus_core_get_limits (state->core);
  call->max_bytes = limits != NULL && limits->max_bytes > 0 ? limits->max_bytes : G_MAXSIZE;
  call->body = g_byte_array_new ();

  if (call->cmd == NULL)
    {
      finish_raw_error (request, 400, ISTHMUS_IPC_ERROR_BAD_ENCODING, "the command is not readable", NULL);
      raw_call_free (call);
      return;
    }

  call->stream = webkit_uri_scheme_request_get_http_body (request);
  if (call->stream == NULL)
    {
      g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);

      isthmus_core_handle_raw (call->core, call->label, call->cmd, empty, raw_reply_cb, call);
      return;
    }

  g_input_stream_read_bytes_async (call->stream, RAW_READ_CHUNK, G_PRIORITY_DEFAULT,
                                   NULL, read_body_cb, call);
}

static void
install_raw_scheme (WebKitWebContext *context)
{
  WebKitSecurityManager *security;

  if (g_object_get_data (G_OBJECT (context), CONTEXT_KEY) != NULL)
    return;

  g_object_set_data (G_OBJECT (context), CONTEXT_KEY, GINT_TO_POINTER (TRUE));
  webkit_web_context_register_uri_scheme (context, RAW_SCHEME, raw_scheme_cb, NULL, NULL);

  security = webkit_web_context_get_security_manager (context);
  webkit_security_manager_register_uri_scheme_as_secure (security, RAW_SCHEME);
  webkit_security_manager_register_uri_scheme_as_cors_enabled (security, RAW_SCHEME);
}

static void
add_raw_script (WebKitUserContentManager *ucm,
                const char               *world_name,
                ViewState                *state,
                IsthmusCore              *core)
{
  g_autoptr(GBytes) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(WebKitUserScript) script = NULL;
  g_autofree char *config_json = NULL;
  g_autoptr(GString) text = NULL;
  const IsthmusJsonLimits *limits = isthmus_core_get_limits (core);
  const char *data;
  const char *at;
  gsize size;

  source = g_resources_lookup_data (RAW_SCRIPT, G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (source == NULL)
    {
      g_critical ("The raw bridge script is missing: %s", error->message);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "secret");
  json_builder_add_string_value (builder, state->secret);
  json_builder_set_member_name (builder, "base");
  json_builder_add_string_value (builder, RAW_BASE);
  json_builder_set_member_name (builder, "maxBytes");
  json_builder_add_int_value (builder, limits != NULL ? (gint64)MIN (limits->max_bytes, (gsize)G_MAXINT32) : G_MAXINT32);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  config_json = json_to_string (root, FALSE);

  data = g_bytes_get_data (source, &size);
  at = g_strstr_len (data, size, RAW_PLACEHOLDER);
  g_assert (at != NULL);
  text = g_string_sized_new (size + strlen (config_json));
  g_string_append_len (text, data, at - data);
  g_string_append (text, config_json);
  at += strlen (RAW_PLACEHOLDER);
  g_string_append_len (text, at, size - (at - data));

  script = webkit_user_script_new_for_world (text->str,
                                             WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                             WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START,
                                             world_name, NULL, NULL);
  webkit_user_content_manager_add_script (ucm, script);
}

void
_isthmus_web_events_attach_view (IsthmusWebHost           *host,
                                 WebKitWebView            *view,
                                 const char               *label,
                                 WebKitUserContentManager *ucm,
                                 const char               *world_name)
{
  IsthmusCore *core;
  ViewState *state;
  Windows *windows;

  g_return_if_fail (ISTHMUS_IS_WEB_HOST (host));
  g_return_if_fail (WEBKIT_IS_WEB_VIEW (view));
  g_return_if_fail (label != NULL);

  core = isthmus_web_host_get_core (host);

  state = g_atomic_rc_box_new0 (ViewState);
  g_set_weak_pointer (&state->view, view);
  g_set_weak_pointer (&state->core, core);
  state->label = g_strdup (label);
  state->secret = _isthmus_web_random_hex (32);

  install_raw_scheme (isthmus_web_host_get_context (host));
  if (ucm != NULL && world_name != NULL)
    add_raw_script (ucm, world_name, state, core);
  _isthmus_web_window_events_attach (view, core, label);

  g_object_set_data_full (G_OBJECT (view), VIEW_KEY, view_state_ref (state), view_state_unref);
  g_signal_connect_data (view, "load-changed", G_CALLBACK (load_changed_cb),
                         view_state_ref (state), view_state_closure_notify, 0);

  windows = g_object_get_data (G_OBJECT (host), HOST_KEY);
  if (windows == NULL)
    {
      windows = g_atomic_rc_box_new0 (Windows);
      windows->views = g_ptr_array_new_with_free_func (view_state_unref);
      g_object_set_data_full (G_OBJECT (host), HOST_KEY, windows, windows_unref);
      isthmus_window_plugin_register (isthmus_core_get_registry (core),
                                      isthmus_web_host_get_config (host),
                                      &window_backend,
                                      g_atomic_rc_box_acquire (windows), windows_unref);
    }

  /* Views that went away leave their slot; their label may come back. */
  for (guint i = windows->views->len; i > 0; i--)
    {
      ViewState *old = g_ptr_array_index (windows->views, i - 1);

      if (old->view == NULL)
        g_ptr_array_remove_index (windows->views, i - 1);
    }
  g_ptr_array_add (windows->views, view_state_ref (state));

  /* The weak reference holds the last reference. */
  g_object_weak_ref (G_OBJECT (view), view_weak_notify_cb, state);
}

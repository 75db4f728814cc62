/* isthmus-web-host.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-web-host"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "isthmus-assets.h"
#include "isthmus-error.h"
#include "isthmus-batch.h"
#include "isthmus-web-batch.h"
#include "isthmus-web-events.h"
#include "isthmus-web-host-private.h"
#include "isthmus-web-isolation.h"
#include "isthmus-web-js.h"
#include "isthmus-web-util.h"

#define HANDLER_NAME        "isthmusIpc"
#define SCHEME              "tauri"
#define SCRIPT_PLACEHOLDER  "ISTHMUS_CONFIG_JSON"
#define JS_RESOURCE_BASE    RESOURCE_BASE "/web/"
#define VIEW_DATA_KEY       "isthmus-web-host-view"
#define PAGE_SCRIPT_FILE    "isthmus-page-script.js"

struct _IsthmusWebHost
{
  GObject           parent_instance;

  /* Owned references */
  IsthmusCore      *core;
  IsthmusConfig    *config;
  IsthmusAssets    *assets;
  WebKitWebContext *context;
  GBytes           *page_source;
  GBytes           *bridge_source;

  /* Views created (GWeakRef *), oldest first. */
  GPtrArray        *views;
};

G_DEFINE_FINAL_TYPE (IsthmusWebHost, isthmus_web_host, G_TYPE_OBJECT)

/* What the tauri:// handler needs; shared with the web context, which can
 * outlive the host. */
typedef struct
{
  IsthmusAssets *assets;
  char          *csp;
} SchemeData;

/* Per view, shared between the view and its user content manager. */
typedef struct
{
  /* Borrowed references (a weak pointer) */
  IsthmusWebHost *host;

  /* Owned references */
  IsthmusCore       *core;
  char              *label;
  char              *world_name;
  IsthmusWebBatches *batches;
} ViewData;

/* One request waiting for the core's reply. */
typedef struct
{
  WebKitScriptMessageReply *reply;
  JSCContext               *context;
} PendingReply;

static void
scheme_data_free (gpointer user_data)
{
  SchemeData *data = user_data;

  g_clear_object (&data->assets);
  g_clear_pointer (&data->csp, g_free);
  g_free (data);
}

static void
view_data_free (gpointer user_data)
{
  ViewData *data = user_data;

  g_clear_weak_pointer (&data->host);
  g_clear_object (&data->core);
  g_clear_pointer (&data->label, g_free);
  g_clear_pointer (&data->world_name, g_free);
  g_clear_pointer (&data->batches, _isthmus_web_batches_free);
}

static ViewData *
view_data_ref (ViewData *data)
{
  return g_atomic_rc_box_acquire (data);
}

static void
view_data_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, view_data_free);
}

static void
view_data_closure_notify (gpointer  data,
                          GClosure *closure)
{
  view_data_unref (data);
}

char *
_isthmus_web_host_escape_json (const char *json)
{
  GString *out = g_string_sized_new (strlen (json) + 16);

  for (const char *p = json; *p != '\0'; p++)
    {
      if (*p == '<')
        g_string_append (out, "\\u003c");
      else if ((guchar)p[0] == 0xe2 && (guchar)p[1] == 0x80 &&
               ((guchar)p[2] == 0xa8 || (guchar)p[2] == 0xa9))
        {
          g_string_append (out, (guchar)p[2] == 0xa8 ? "\\u2028" : "\\u2029");
          p += 2;
        }
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* The per-view values the scripts read, as JSON escaped for a script. */
static char *
build_script_config (IsthmusWebHost *self,
                     ViewData       *data,
                     const char     *token)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  const IsthmusJsonLimits *limits = isthmus_core_get_limits (self->core);
  gsize max_bytes = limits != NULL ? limits->max_bytes : ISTHMUS_JSON_GUARD_DEFAULT_MAX_BYTES;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "windowLabel");
  json_builder_add_string_value (builder, data->label);
  json_builder_set_member_name (builder, "webviewLabel");
  json_builder_add_string_value (builder, data->label);
  json_builder_set_member_name (builder, "withGlobalTauri");
  json_builder_add_boolean_value (builder, isthmus_config_get_with_global_tauri (self->config));
  json_builder_set_member_name (builder, "sep");
  json_builder_add_string_value (builder, G_DIR_SEPARATOR_S);
  json_builder_set_member_name (builder, "delimiter");
  json_builder_add_string_value (builder, G_SEARCHPATH_SEPARATOR_S);
  json_builder_set_member_name (builder, "pattern");
  json_builder_add_string_value (builder, isthmus_web_isolation_wanted (self->config) ?
                                 "isolation" : "brownfield");
  json_builder_set_member_name (builder, "maxBytes");
  json_builder_add_int_value (builder, (gint64)MIN (max_bytes, (gsize)G_MAXINT32));
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);

  return _isthmus_web_host_escape_json (json);
}

/* Puts @config_json in place of the one placeholder of @source. */
static char *
fill_template (GBytes     *source,
               const char *config_json)
{
  gsize size = 0;
  const char *text = g_bytes_get_data (source, &size);
  const char *at = g_strstr_len (text, size, SCRIPT_PLACEHOLDER);
  GString *out;

  g_assert (at != NULL);

  out = g_string_sized_new (size + strlen (config_json));
  g_string_append_len (out, text, at - text);
  g_string_append (out, config_json);
  at += strlen (SCRIPT_PLACEHOLDER);
  g_string_append_len (out, at, size - (at - text));

  return g_string_free (out, FALSE);
}

static void
uri_scheme_cb (WebKitURISchemeRequest *request,
               gpointer                user_data)
{
  SchemeData *data = user_data;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(WebKitURISchemeResponse) response = NULL;
  g_autofree char *resolved = NULL;
  SoupMessageHeaders *headers;
  const char *mime_type = NULL;
  const char *path;
  goffset size = 0;

  uri = g_uri_parse (webkit_uri_scheme_request_get_uri (request), G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      _isthmus_web_finish_with_status (request, 400);
      return;
    }

  if (g_strcmp0 (g_uri_get_host (uri), "localhost") != 0)
    {
      _isthmus_web_finish_with_status (request, 403);
      return;
    }

  if (data->assets == NULL)
    {
      _isthmus_web_finish_with_status (request, 404);
      return;
    }

  path = g_uri_get_path (uri);
  if (path == NULL || path[0] == '\0')
    path = "/";

  stream = isthmus_assets_open (data->assets, path, &resolved, &mime_type, &size, &error);
  if (stream == NULL)
    {
      g_debug ("tauri:// %s: %s", path, error->message);
      _isthmus_web_finish_with_status (request, isthmus_asset_error_to_http_status (error));
      return;
    }

  response = webkit_uri_scheme_response_new (stream, size);
  webkit_uri_scheme_response_set_status (response, 200, NULL);
  webkit_uri_scheme_response_set_content_type (response, mime_type);

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_append (headers, "Cache-Control", "no-cache");
  if (data->csp != NULL)
    soup_message_headers_append (headers, "Content-Security-Policy", data->csp);
  webkit_uri_scheme_response_set_http_headers (response, headers);

  webkit_uri_scheme_request_finish_with_response (request, response);
}

static void
pending_reply_free (PendingReply *pending)
{
  g_clear_pointer (&pending->reply, webkit_script_message_reply_unref);
  g_clear_object (&pending->context);
  g_free (pending);
}

static void
core_reply_cb (const IsthmusReply *reply,
               gpointer            user_data)
{
  PendingReply *pending = user_data;

  if (reply->ok && reply->raw == NULL)
    {
      /* The JSON text as it is, without a copy of our own. */
      g_autoptr(GBytes) bytes = g_bytes_new_static (reply->json != NULL ? reply->json : "null",
                                                    reply->json != NULL ? reply->json_length : 4);
      g_autoptr(JSCValue) value = jsc_value_new_string_from_bytes (pending->context, bytes);

      webkit_script_message_reply_return_value (pending->reply, value);
    }
  else
    {
      /* Raw bytes and errors, as a late reply to a batch goes. */
      g_autofree char *text = NULL;
      char kind;

      isthmus_batch_format_reply (reply, &kind, &text);
      _isthmus_web_answer_line (pending->context, pending->reply, kind, text);
    }

  pending_reply_free (pending);
}

static gboolean
script_message_cb (WebKitUserContentManager *ucm,
                   JSCValue                 *value,
                   WebKitScriptMessageReply *reply,
                   gpointer                  user_data)
{
  ViewData *data = user_data;
  g_autoptr(GBytes) bytes = NULL;
  PendingReply *pending;

  if (!jsc_value_is_string (value))
    {
      _isthmus_web_reply_error (reply, ISTHMUS_IPC_ERROR_BAD_MESSAGE, "the message is not a string");
      return TRUE;
    }

  bytes = jsc_value_to_string_as_bytes (value);
  if (bytes == NULL)
    {
      _isthmus_web_reply_error (reply, ISTHMUS_IPC_ERROR_BAD_ENCODING, "the message could not be read");
      return TRUE;
    }

  /* The bridge's own isolation messages (token request, frame console). */
  if (data->host != NULL && data->host->context != NULL)
    {
      IsthmusWebIsolation *isolation = isthmus_web_isolation_from_context (data->host->context);

      if (isolation != NULL &&
          isthmus_web_isolation_handle_message (isolation, data->label, bytes, value, reply))
        return TRUE;
    }

  /* Invokes the bridge gathered into one message (isthmus-web-batch.h). */
  if (_isthmus_web_batches_handle (data->batches, bytes, value, reply))
    return TRUE;

  pending = g_new0 (PendingReply, 1);
  pending->reply = webkit_script_message_reply_ref (reply);
  pending->context = g_object_ref (jsc_value_get_context (value));

  isthmus_core_handle_message (data->core, data->label, bytes, core_reply_cb, pending);

  return TRUE;
}

static void
load_changed_cb (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 gpointer         user_data)
{
  ViewData *data = user_data;

  if (event == WEBKIT_LOAD_STARTED || event == WEBKIT_LOAD_COMMITTED)
    {
      isthmus_core_cancel_webview (data->core, data->label);
      _isthmus_web_batches_reset (data->batches);
    }
}

static void
web_process_terminated_cb (WebKitWebView                     *view,
                           WebKitWebProcessTerminationReason  reason,
                           gpointer                           user_data)
{
  ViewData *data = user_data;

  g_debug ("Web process of view %s terminated (reason %d)", data->label, reason);
  isthmus_core_cancel_webview (data->core, data->label);
  _isthmus_web_batches_reset (data->batches);
}

static void
view_weak_notify_cb (gpointer  user_data,
                     GObject  *where_the_object_was)
{
  ViewData *data = user_data;

  isthmus_core_cancel_webview (data->core, data->label);
  view_data_unref (data);
}

static const IsthmusWindowConfig *
find_window (IsthmusWebHost *self,
             const char     *label)
{
  GPtrArray *windows = isthmus_config_get_windows (self->config);

  for (guint i = 0; windows != NULL && i < windows->len; i++)
    {
      const IsthmusWindowConfig *window = g_ptr_array_index (windows, i);

      if (g_strcmp0 (window->label, label) == 0)
        return window;
    }

  return NULL;
}

static gboolean
is_web_url (const char *url)
{
  return g_str_has_prefix (url, "http://") || g_str_has_prefix (url, "https://");
}

/* The URL a window starts at. (transfer full) */
static char *
window_start_url (IsthmusWebHost            *self,
                  const IsthmusWindowConfig *window)
{
  const char *url = window->url != NULL ? window->url : "index.html";

  if (is_web_url (url))
    return g_strdup (url);

  if (isthmus_config_get_frontend_kind (self->config) == ISTHMUS_FRONTEND_URL)
    {
      const char *base = isthmus_config_get_frontend_url (self->config);
      g_autofree char *resolved = NULL;

      if (g_strcmp0 (url, "index.html") == 0)
        return g_strdup (base);
      resolved = g_uri_resolve_relative (base, url, G_URI_FLAGS_ENCODED, NULL);
      return resolved != NULL ? g_steal_pointer (&resolved) : g_strdup (base);
    }

  while (url[0] == '/')
    url++;
  return g_strconcat (SCHEME "://localhost/", url, NULL);
}

static void
weak_ref_free (gpointer data)
{
  GWeakRef *ref = data;

  g_weak_ref_clear (ref);
  g_free (ref);
}

static void compose_hook_cb (const char *window_label,
                             const char *message,
                             GTask      *task,
                             gpointer    user_data);

static void
isthmus_web_host_dispose (GObject *object)
{
  IsthmusWebHost *self = (IsthmusWebHost *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->assets);

  G_OBJECT_CLASS (isthmus_web_host_parent_class)->dispose (object);
}

static void
isthmus_web_host_finalize (GObject *object)
{
  IsthmusWebHost *self = (IsthmusWebHost *)object;

  g_clear_object (&self->core);
  g_clear_object (&self->config);
  g_clear_pointer (&self->page_source, g_bytes_unref);
  g_clear_pointer (&self->bridge_source, g_bytes_unref);
  g_clear_pointer (&self->views, g_ptr_array_unref);

  G_OBJECT_CLASS (isthmus_web_host_parent_class)->finalize (object);
}

static void
isthmus_web_host_class_init (IsthmusWebHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = isthmus_web_host_dispose;
  object_class->finalize = isthmus_web_host_finalize;
}

static void
isthmus_web_host_init (IsthmusWebHost *self)
{
  self->views = g_ptr_array_new_with_free_func (weak_ref_free);
}

/**
 * isthmus_web_host_new:
 * @core: the IPC core answering the views' messages
 * @config: the frontend to run
 * @error: return location for a #GError
 *
 * Creates the web context and registers the tauri:// scheme on it.
 *
 * Returns: (transfer full): a new #IsthmusWebHost, or %NULL
 */
IsthmusWebHost *
isthmus_web_host_new (IsthmusCore    *core,
                      IsthmusConfig  *config,
                      GError        **error)
{
  g_autoptr(IsthmusWebHost) self = NULL;
  g_autoptr(IsthmusAssets) assets = NULL;
  WebKitSecurityManager *security;
  SchemeData *scheme_data;

  g_return_val_if_fail (ISTHMUS_IS_CORE (core), NULL);
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (config), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  switch (isthmus_config_get_frontend_kind (config))
    {
    case ISTHMUS_FRONTEND_DIRECTORY:
      assets = isthmus_assets_new_for_directory (isthmus_config_get_frontend_dir (config), error);
      if (assets == NULL)
        return NULL;
      break;

    case ISTHMUS_FRONTEND_RESOURCE:
      assets = isthmus_assets_new_for_resource (isthmus_config_get_frontend_dir (config));
      break;

    case ISTHMUS_FRONTEND_URL:
    default:
      break;
    }

  /* Referencing the resource keeps it linked in from the static library. */
  g_assert (isthmus_web_js_get_resource () != NULL);

  self = g_object_new (ISTHMUS_TYPE_WEB_HOST, NULL);
  self->core = g_object_ref (core);
  self->config = g_object_ref (config);
  self->assets = g_steal_pointer (&assets);
  self->page_source = g_resources_lookup_data (JS_RESOURCE_BASE PAGE_SCRIPT_FILE,
                                               G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (self->page_source == NULL)
    return NULL;
  self->bridge_source = g_resources_lookup_data (JS_RESOURCE_BASE "isthmus-bridge.js",
                                                 G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (self->bridge_source == NULL)
    return NULL;

  self->context = webkit_web_context_new ();

  scheme_data = g_new0 (SchemeData, 1);
  scheme_data->assets = self->assets != NULL ? g_object_ref (self->assets) : NULL;
  if (isthmus_web_isolation_wanted (config))
    scheme_data->csp = isthmus_web_isolation_patch_csp (isthmus_config_get_csp (config));
  else
    scheme_data->csp = g_strdup (isthmus_config_get_csp (config));
  webkit_web_context_register_uri_scheme (self->context, SCHEME,
                                          uri_scheme_cb, scheme_data,
                                          scheme_data_free);

  security = webkit_web_context_get_security_manager (self->context);
  webkit_security_manager_register_uri_scheme_as_secure (security, SCHEME);
  webkit_security_manager_register_uri_scheme_as_cors_enabled (security, SCHEME);

  if (isthmus_web_isolation_wanted (config) &&
      isthmus_web_isolation_install (self->context, core, config, error) == NULL)
    return NULL;

  if (isthmus_web_isolation_wanted (config))
    {
      GWeakRef *ref = g_new0 (GWeakRef, 1);

      g_weak_ref_init (ref, self);
      isthmus_composer_set_hook_sender (core, compose_hook_cb, ref, weak_ref_free);
    }

  return g_steal_pointer (&self);
}

IsthmusCore *
isthmus_web_host_get_core (IsthmusWebHost *self)
{
  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (self), NULL);

  return self->core;
}

IsthmusConfig *
isthmus_web_host_get_config (IsthmusWebHost *self)
{
  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (self), NULL);

  return self->config;
}

WebKitWebContext *
isthmus_web_host_get_context (IsthmusWebHost *self)
{
  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (self), NULL);

  return self->context;
}

/**
 * isthmus_web_host_create_view:
 * @self: a #IsthmusWebHost
 * @label: the label of one of the config's windows
 *
 * Creates a view with its own user content manager, page script, bridge
 * and script message handler, and starts loading the window's URL.
 *
 * Returns: (transfer floating) (nullable): the new view
 */
WebKitWebView *
isthmus_web_host_create_view (IsthmusWebHost *self,
                              const char     *label)
{
  g_autoptr(WebKitUserContentManager) ucm = NULL;
  g_autoptr(WebKitUserScript) page = NULL;
  g_autoptr(WebKitUserScript) bridge = NULL;
  g_autofree char *token = NULL;
  g_autofree char *config_json = NULL;
  g_autofree char *page_text = NULL;
  g_autofree char *bridge_text = NULL;
  g_autofree char *url = NULL;
  g_autofree char *world_hex = NULL;
  const IsthmusWindowConfig *window;
  WebKitWebView *view;
  ViewData *data;

  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (self), NULL);
  g_return_val_if_fail (label != NULL, NULL);

  window = find_window (self, label);
  if (window == NULL)
    {
      g_critical ("No window labelled \"%s\" in the configuration", label);
      return NULL;
    }

  data = g_atomic_rc_box_new0 (ViewData);
  g_set_weak_pointer (&data->host, self);
  data->core = g_object_ref (self->core);
  data->label = g_strdup (label);
  world_hex = _isthmus_web_random_hex (16);
  data->world_name = g_strconcat ("isthmus-bridge-", world_hex, NULL);
  data->batches = _isthmus_web_batches_new (self->core, label);
  token = _isthmus_web_random_hex (16);

  config_json = build_script_config (self, data, token);
  page_text = fill_template (self->page_source, config_json);
  bridge_text = fill_template (self->bridge_source, config_json);

  ucm = webkit_user_content_manager_new ();
  g_signal_connect_data (ucm, "script-message-with-reply-received::" HANDLER_NAME,
                         G_CALLBACK (script_message_cb),
                         view_data_ref (data), view_data_closure_notify, 0);
  if (!webkit_user_content_manager_register_script_message_handler_with_reply (ucm,
                                                                              HANDLER_NAME,
                                                                              data->world_name))
    g_critical ("Could not register the %s script message handler", HANDLER_NAME);

  page = webkit_user_script_new (page_text,
                                 WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                 WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START,
                                 NULL, NULL);
  bridge = webkit_user_script_new_for_world (bridge_text,
                                             WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                             WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START,
                                             data->world_name,
                                             NULL, NULL);
  webkit_user_content_manager_add_script (ucm, page);
  webkit_user_content_manager_add_script (ucm, bridge);

  view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                       "user-content-manager", ucm,
                       "web-context", self->context,
                       NULL);

  g_object_set_data_full (G_OBJECT (view), VIEW_DATA_KEY, view_data_ref (data), view_data_unref);
  g_signal_connect_data (view, "load-changed",
                         G_CALLBACK (load_changed_cb),
                         view_data_ref (data), view_data_closure_notify, 0);
  g_signal_connect_data (view, "web-process-terminated",
                         G_CALLBACK (web_process_terminated_cb),
                         view_data_ref (data), view_data_closure_notify, 0);
  /* The weak reference keeps the last reference of @data. */
  g_object_weak_ref (G_OBJECT (view), view_weak_notify_cb, data);
  _isthmus_web_events_attach_view (self, view, label, ucm, data->world_name);

  if (isthmus_web_isolation_from_context (self->context) != NULL)
    isthmus_web_isolation_attach_view (isthmus_web_isolation_from_context (self->context),
                                       view, label, ucm, data->world_name, config_json);

  {
    GWeakRef *ref = g_new0 (GWeakRef, 1);

    g_weak_ref_init (ref, view);
    g_ptr_array_add (self->views, ref);
  }

  url = window_start_url (self, window);
  webkit_web_view_load_uri (view, url);

  return view;
}

static ViewData *
get_view_data (IsthmusWebHost *self,
               WebKitWebView  *view)
{
  ViewData *data;

  if (!WEBKIT_IS_WEB_VIEW (view))
    return NULL;

  data = g_object_get_data (G_OBJECT (view), VIEW_DATA_KEY);
  if (data == NULL || data->host != self)
    return NULL;

  return data;
}

gboolean
_isthmus_web_host_get_batch_counts (IsthmusWebHost *self,
                                    WebKitWebView  *view,
                                    guint64        *n_batches,
                                    guint64        *n_waits)
{
  ViewData *data = get_view_data (self, view);

  if (data == NULL)
    return FALSE;
  _isthmus_web_batches_get_counts (data->batches, n_batches, n_waits);
  return TRUE;
}

const char *
isthmus_web_host_get_view_label (IsthmusWebHost *self,
                                 WebKitWebView  *view)
{
  ViewData *data;

  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (self), NULL);

  data = get_view_data (self, view);
  return data != NULL ? data->label : NULL;
}

const char *
_isthmus_web_host_get_world_name (IsthmusWebHost *self,
                                  WebKitWebView  *view)
{
  ViewData *data;

  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (self), NULL);

  data = get_view_data (self, view);
  return data != NULL ? data->world_name : NULL;
}

GPtrArray *
isthmus_web_host_list_views (IsthmusWebHost *self)
{
  GPtrArray *views;

  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (self), NULL);

  views = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->views->len; i++)
    {
      WebKitWebView *view = g_weak_ref_get (g_ptr_array_index (self->views, i));

      if (view != NULL)
        g_ptr_array_add (views, view);
    }

  return views;
}

WebKitWebView *
isthmus_web_host_lookup_view (IsthmusWebHost *self,
                              const char     *label)
{
  g_autoptr(GPtrArray) views = NULL;

  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (self), NULL);
  g_return_val_if_fail (label != NULL, NULL);

  views = isthmus_web_host_list_views (self);
  for (guint i = views->len; i > 0; i--)
    {
      WebKitWebView *view = g_ptr_array_index (views, i - 1);

      if (g_strcmp0 (isthmus_web_host_get_view_label (self, view), label) == 0)
        return view;
    }

  return NULL;
}

#define COMPOSE_SCRIPT \
  "try {" \
  "  const reply = await window.__isthmusIsolationSend (message);" \
  "  return JSON.stringify ({ ok: true, json: String (reply) });" \
  "} catch (e) {" \
  "  return JSON.stringify ({ ok: false, text: String (e && e.message) });" \
  "}"

static void
compose_js_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) inner = json_parser_new ();
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonObject *failure = NULL;
  JsonNode *page_value = NULL;
  g_autofree char *page_json = NULL;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result, &error);
  if (value == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  text = jsc_value_to_string (value);
  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "the bridge gave no answer for the composed call");
      return;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_get_boolean_member_with_default (object, "ok", FALSE))
    {
      g_task_return_pointer (task,
                             isthmus_composer_reply_new (TRUE,
                                                         json_object_get_string_member_with_default (object, "json", "null"),
                                                         NULL, NULL),
                             (GDestroyNotify)isthmus_composer_reply_free);
      return;
    }

  /* A rejection carries {code, message, value} as its message. */
  if (json_parser_load_from_data (inner, json_object_get_string_member_with_default (object, "text", ""),
                                  -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (inner)))
    failure = json_node_get_object (json_parser_get_root (inner));

  if (failure != NULL)
    page_value = json_object_get_member (failure, "value");
  page_json = page_value != NULL ? json_to_string (page_value, FALSE) : g_strdup ("null");

  g_task_return_pointer (task,
                         isthmus_composer_reply_new (FALSE, page_json,
                                                     failure != NULL ?
                                                     json_object_get_string_member_with_default (failure, "code", "INTERNAL") :
                                                     "INTERNAL",
                                                     failure != NULL ?
                                                     json_object_get_string_member_with_default (failure, "message", "") :
                                                     json_object_get_string_member_with_default (object, "text", "")),
                         (GDestroyNotify)isthmus_composer_reply_free);
}

/* Sends @message through the isolation frame of the view of @label, by
 * calling the bridge's send function in the bridge's world. */
static void
compose_hook_cb (const char *window_label,
                 const char *message,
                 GTask      *task,
                 gpointer    user_data)
{
  g_autoptr(IsthmusWebHost) self = g_weak_ref_get (user_data);
  WebKitWebView *view;
  GVariantDict args;
  const char *world;

  view = self != NULL ? isthmus_web_host_lookup_view (self, window_label) : NULL;
  world = view != NULL ? _isthmus_web_host_get_world_name (self, view) : NULL;
  if (world == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "No view for window \"%s\"", window_label);
      g_object_unref (task);
      return;
    }

  g_variant_dict_init (&args, NULL);
  g_variant_dict_insert (&args, "message", "s", message);
  webkit_web_view_call_async_javascript_function (view, COMPOSE_SCRIPT, -1,
                                                  g_variant_dict_end (&args),
                                                  world, NULL,
                                                  g_task_get_cancellable (task),
                                                  compose_js_cb, task);
}

static void
compose_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  IsthmusComposerReply *reply;

  reply = isthmus_composer_invoke_finish (ISTHMUS_CORE (source), result, &error);
  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, reply, (GDestroyNotify)isthmus_composer_reply_free);
}

void
isthmus_web_host_compose (IsthmusWebHost      *self,
                          const char          *label,
                          const char          *cmd,
                          const char          *args_json_text,
                          gboolean             through_hook,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ISTHMUS_IS_WEB_HOST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, isthmus_web_host_compose);
  isthmus_composer_invoke_async (self->core, label, cmd, args_json_text, through_hook,
                                 cancellable, compose_done_cb, task);
}

IsthmusComposerReply *
isthmus_web_host_compose_finish (IsthmusWebHost  *self,
                                 GAsyncResult    *result,
                                 GError         **error)
{
  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

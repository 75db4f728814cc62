/* isthmus-web-isolation.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-web-isolation"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "isthmus-assets.h"
#include "isthmus-error.h"
#include "isthmus-isolation.h"
#include "isthmus-web-host-private.h"
#include "isthmus-web-isolation.h"
#include "isthmus-web-util.h"

#define SCHEME                "isolation"
#define CONTEXT_DATA_KEY      "isthmus-web-isolation"
#define VIEW_LABEL_KEY        "isthmus-web-isolation-label"
#define VIEW_WORLD_KEY        "isthmus-web-isolation-world"
#define REPLACE_SCRIPT        "return await window.__isthmusIsolationReplaceFrame ();"
#define ISOLATION_BASE        RESOURCE_BASE "/isolation/"
#define RUNTIME_PLACEHOLDER   "ISTHMUS_ISOLATION_CONFIG_JSON"
#define BRIDGE_PLACEHOLDER    "ISTHMUS_CONFIG_JSON"
#define UNAVAILABLE           "ISOLATION_UNAVAILABLE"
#define MAX_INLINED_BYTES     (8 * 1024 * 1024)

extern GResource *isthmus_isolation_get_resource (void);

/* What one view's current page load may fetch. */
typedef struct
{
  IsthmusAeadKey *key;
  guint64         epoch;
  gboolean        issued;
  /* The web layer asked the bridge to replace the frame ("H+"). */
  gboolean        armed;
} ViewState;

/* One isolation document, served at most once. */
typedef struct
{
  char           *label;
  IsthmusAeadKey *key;
  guint64         epoch;
  guint           n_requests;
  guint           n_served;
} Token;

struct _IsthmusWebIsolation
{
  /* Owned references */
  IsthmusCore   *core;
  IsthmusAssets *assets;
  GBytes        *runtime_source;
  GBytes        *bridge_source;
  char          *origin;

  /* Label → ViewState; token → Token. */
  GHashTable    *views;
  GHashTable    *tokens;
};

static void
view_state_free (gpointer data)
{
  ViewState *state = data;

  g_clear_pointer (&state->key, isthmus_aead_key_unref);
  g_free (state);
}

static void
token_free (gpointer data)
{
  Token *token = data;

  g_clear_pointer (&token->label, g_free);
  g_clear_pointer (&token->key, isthmus_aead_key_unref);
  g_free (token);
}

static void
isolation_free (gpointer data)
{
  IsthmusWebIsolation *self = data;

  g_clear_object (&self->core);
  g_clear_object (&self->assets);
  g_clear_pointer (&self->runtime_source, g_bytes_unref);
  g_clear_pointer (&self->bridge_source, g_bytes_unref);
  g_clear_pointer (&self->origin, g_free);
  g_clear_pointer (&self->views, g_hash_table_unref);
  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_free (self);
}

gboolean
isthmus_web_isolation_wanted (IsthmusConfig *config)
{
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (config), FALSE);

  return isthmus_config_get_pattern (config) == ISTHMUS_PATTERN_ISOLATION ||
         isthmus_config_get_isolation_dir (config) != NULL;
}

/* The origin of the app's pages, as the frame sees it in event.origin. */
static char *
app_origin (IsthmusConfig *config)
{
  g_autoptr(GUri) uri = NULL;

  if (isthmus_config_get_frontend_kind (config) != ISTHMUS_FRONTEND_URL)
    return g_strdup ("tauri://localhost");

  uri = g_uri_parse (isthmus_config_get_frontend_url (config), G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return g_strdup ("null");

  if (g_uri_get_port (uri) > 0)
    return g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri), g_uri_get_host (uri),
                            g_uri_get_port (uri));

  return g_strdup_printf ("%s://%s", g_uri_get_scheme (uri), g_uri_get_host (uri));
}

static GBytes *
read_asset (IsthmusAssets  *assets,
            const char     *path,
            GError        **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) out = NULL;
  goffset size = 0;

  stream = isthmus_assets_open (assets, path, NULL, NULL, &size, error);
  if (stream == NULL)
    return NULL;

  if (size > MAX_INLINED_BYTES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s is too large to inline", path);
      return NULL;
    }

  out = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (out, stream,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, error) < 0)
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* Replaces the one @placeholder of @source by @value. */
static char *
fill (GBytes     *source,
      const char *placeholder,
      const char *value)
{
  gsize size = 0;
  const char *text = g_bytes_get_data (source, &size);
  const char *at = g_strstr_len (text, size, placeholder);
  GString *out;

  g_assert (at != NULL);

  out = g_string_sized_new (size + strlen (value));
  g_string_append_len (out, text, at - text);
  g_string_append (out, value);
  at += strlen (placeholder);
  g_string_append_len (out, at, size - (at - text));

  return g_string_free (out, FALSE);
}

/* The value of attribute @name in the tag text [@tag, @end), or NULL. */
static char *
tag_attribute (const char *tag,
               const char *end,
               const char *name,
               const char **attr_start,
               const char **attr_end)
{
  gsize name_length = strlen (name);

  for (const char *p = tag; p + name_length < end; p++)
    {
      const char *v;
      char quote;
      const char *value_end;

      if (!g_ascii_isspace (p[-1]) || g_ascii_strncasecmp (p, name, name_length) != 0)
        continue;
      v = p + name_length;
      while (v < end && g_ascii_isspace (*v))
        v++;
      if (v >= end || *v != '=')
        continue;
      v++;
      while (v < end && g_ascii_isspace (*v))
        v++;
      quote = (*v == '"' || *v == '\'') ? *v : '\0';
      if (quote != '\0')
        v++;
      value_end = v;
      while (value_end < end &&
             (quote != '\0' ? *value_end != quote : !g_ascii_isspace (*value_end) && *value_end != '>'))
        value_end++;
      if (attr_start != NULL)
        *attr_start = p;
      if (attr_end != NULL)
        *attr_end = quote != '\0' && value_end < end ? value_end + 1 : value_end;
      return g_strndup (v, value_end - v);
    }

  return NULL;
}

static const char *
find_ci (const char *haystack,
         const char *end,
         const char *needle)
{
  gsize n = strlen (needle);

  for (const char *p = haystack; p + n <= end; p++)
    if (g_ascii_strncasecmp (p, needle, n) == 0)
      return p;

  return NULL;
}

/* Script text safe inside <script>…</script>. */
static void
append_script_text (GString    *out,
                    const char *text,
                    gsize       length)
{
  const char *end = text + length;
  const char *p = text;
  const char *hit;

  while ((hit = find_ci (p, end, "</script")) != NULL)
    {
      g_string_append_len (out, p, hit - p);
      g_string_append (out, "<\\/script");
      p = hit + strlen ("</script");
    }
  g_string_append_len (out, p, end - p);
}

/* Gives every <script> of @html the nonce and inlines those with a
 * relative src, as Tauri does at build time. */
static char *
prepare_html (IsthmusAssets *assets,
              const char    *html,
              gsize          length,
              const char    *nonce)
{
  GString *out = g_string_sized_new (length + 1024);
  const char *end = html + length;
  const char *p = html;
  const char *open;

  while ((open = find_ci (p, end, "<script")) != NULL)
    {
      const char *tag_end = memchr (open, '>', end - open);
      g_autofree char *src = NULL;
      const char *src_start = NULL;
      const char *src_end = NULL;
      const char *close;

      if (tag_end == NULL || !(g_ascii_isspace (open[7]) || open[7] == '>'))
        {
          g_string_append_len (out, p, open + 7 - p);
          p = open + 7;
          continue;
        }

      g_string_append_len (out, p, open - p);
      src = tag_attribute (open + 7, tag_end, "src", &src_start, &src_end);
      close = find_ci (tag_end, end, "</script");

      if (src == NULL || g_str_has_prefix (src, "//") || strstr (src, ":") != NULL || close == NULL)
        {
          /* Inline script (or a remote one, which the CSP refuses). */
          g_string_append_printf (out, "<script nonce=\"%s\"", nonce);
          g_string_append_len (out, open + 7, tag_end + 1 - (open + 7));
          p = tag_end + 1;
          continue;
        }

      {
        g_autoptr(GBytes) content = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *path = NULL;
        const char *rel = src;
        const char *close_end;

        while (g_str_has_prefix (rel, "./"))
          rel += 2;
        path = rel[0] == '/' ? g_strdup (rel) : g_strconcat ("/", rel, NULL);
        content = read_asset (assets, path, &error);

        g_string_append_printf (out, "<script nonce=\"%s\"", nonce);
        g_string_append_len (out, open + 7, src_start - (open + 7));
        g_string_append_len (out, src_end, tag_end + 1 - src_end);
        if (content != NULL)
          {
            gsize content_length;
            const char *data = g_bytes_get_data (content, &content_length);

            append_script_text (out, data != NULL ? data : "", content_length);
          }
        else
          g_string_append_printf (out, "console.error(%s);",
                                  "\"isolation: a script of the isolation app could not be read\"");
        close_end = memchr (close, '>', end - close);
        g_string_append (out, "</script>");
        p = close_end != NULL ? close_end + 1 : end;
      }
    }

  g_string_append_len (out, p, end - p);
  return g_string_free (out, FALSE);
}

static void
wipe_free (gpointer data)
{
  GString *text = data;

  explicit_bzero (text->str, text->allocated_len);
  g_string_free (text, TRUE);
}

/* The isolation document for @token, with the key. The returned bytes
 * wipe themselves when freed. */
static GBytes *
build_document (IsthmusWebIsolation  *self,
                Token                *token,
                char                **csp,
                GError              **error)
{
  g_autoptr(GBytes) html = NULL;
  g_autofree char *nonce = _isthmus_web_random_hex (16);
  g_autofree char *prepared = NULL;
  g_autofree char *label_json = NULL;
  g_autofree char *origin_json = NULL;
  GString *config;
  GString *doc;
  const guint8 *key = isthmus_aead_key_peek_bytes (token->key);
  const char *head;
  const char *runtime;
  gsize runtime_length;
  gsize length;
  const char *data;
  const char *end;

  html = read_asset (self->assets, "/index.html", error);
  if (html == NULL)
    return NULL;

  data = g_bytes_get_data (html, &length);
  if (data == NULL)
    data = "";
  prepared = prepare_html (self->assets, data, length, nonce);

  {
    g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

    json_node_set_string (node, token->label);
    label_json = json_to_string (node, FALSE);
    json_node_set_string (node, self->origin);
    origin_json = json_to_string (node, FALSE);
  }

  config = g_string_sized_new (512);
  g_string_append (config, "{\"key\":[");
  for (guint i = 0; i < ISTHMUS_AEAD_KEY_SIZE; i++)
    g_string_append_printf (config, i > 0 ? ",%u" : "%u", key[i]);
  g_string_append_printf (config, "],\"label\":%s,\"epoch\":%" G_GUINT64_FORMAT
                          ",\"origin\":%s,\"lint\":true}",
                          label_json, token->epoch, origin_json);

  runtime = g_bytes_get_data (self->runtime_source, &runtime_length);

  doc = g_string_sized_new (strlen (prepared) + runtime_length + config->len + 256);
  end = prepared + strlen (prepared);
  head = find_ci (prepared, end, "<head");
  if (head != NULL && (g_ascii_isspace (head[5]) || head[5] == '>') &&
      memchr (head, '>', end - head) != NULL)
    {
      const char *after = (const char *)memchr (head, '>', end - head) + 1;

      g_string_append_len (doc, prepared, after - prepared);
      head = after;
    }
  else
    {
      g_string_append (doc, "<head>");
      head = NULL;
    }

  {
    const char *at = g_strstr_len (runtime, runtime_length, RUNTIME_PLACEHOLDER);
    g_autofree char *escaped = NULL;

    g_assert (at != NULL);
    g_string_append_printf (doc, "<script nonce=\"%s\">", nonce);
    g_string_append_len (doc, runtime, at - runtime);
    escaped = _isthmus_web_host_escape_json (config->str);
    g_string_append (doc, escaped);
    explicit_bzero (escaped, strlen (escaped));
    at += strlen (RUNTIME_PLACEHOLDER);
    g_string_append_len (doc, at, runtime_length - (at - runtime));
    g_string_append (doc, "</script>");
  }
  explicit_bzero (config->str, config->allocated_len);
  g_string_free (config, TRUE);

  if (head != NULL)
    g_string_append (doc, head);
  else
    {
      g_string_append (doc, "</head>");
      g_string_append (doc, prepared);
    }

  *csp = g_strdup_printf ("default-src 'none'; script-src 'nonce-%s'; "
                          "style-src 'unsafe-inline'; img-src data:; "
                          "base-uri 'none'; form-action 'none'", nonce);

  return g_bytes_new_with_free_func (doc->str, doc->len, wipe_free, doc);
}

static void
uri_scheme_cb (WebKitURISchemeRequest *request,
               gpointer                user_data)
{
  IsthmusWebIsolation *self = user_data;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(WebKitURISchemeResponse) response = NULL;
  g_autofree char *name = NULL;
  g_autofree char *csp = NULL;
  SoupMessageHeaders *headers;
  WebKitWebView *view;
  const char *label;
  const char *path;
  const char *slash;
  Token *token;

  uri = g_uri_parse (webkit_uri_scheme_request_get_uri (request), G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_host (uri), "localhost") != 0)
    {
      _isthmus_web_finish_with_status (request, 404);
      return;
    }

  /* Only "/<token>/" or "/<token>". */
  path = g_uri_get_path (uri);
  if (path == NULL || path[0] != '/')
    {
      _isthmus_web_finish_with_status (request, 404);
      return;
    }
  slash = strchr (path + 1, '/');
  if (slash != NULL && slash[1] != '\0')
    {
      _isthmus_web_finish_with_status (request, 404);
      return;
    }
  name = slash != NULL ? g_strndup (path + 1, slash - path - 1) : g_strdup (path + 1);

  token = g_hash_table_lookup (self->tokens, name);
  if (token == NULL)
    {
      _isthmus_web_finish_with_status (request, 404);
      return;
    }
  token->n_requests++;

  /* Served once, to the view it was issued for, and never to a query. */
  view = webkit_uri_scheme_request_get_web_view (request);
  label = view != NULL ? g_object_get_data (G_OBJECT (view), VIEW_LABEL_KEY) : NULL;
  if (token->key == NULL || token->n_served > 0 || g_strcmp0 (label, token->label) != 0 ||
      g_uri_get_query (uri) != NULL)
    {
      _isthmus_web_finish_with_status (request, 404);
      return;
    }

  document = build_document (self, token, &csp, &error);
  g_clear_pointer (&token->key, isthmus_aead_key_unref);
  token->n_served++;
  if (document == NULL)
    {
      g_warning ("The isolation app could not be read: %s", error->message);
      _isthmus_web_finish_with_status (request, 500);
      return;
    }

  stream = g_memory_input_stream_new_from_bytes (document);
  response = webkit_uri_scheme_response_new (stream, g_bytes_get_size (document));
  webkit_uri_scheme_response_set_status (response, 200, NULL);
  webkit_uri_scheme_response_set_content_type (response, "text/html; charset=utf-8");

  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  soup_message_headers_append (headers, "Cache-Control", "no-store");
  soup_message_headers_append (headers, "Content-Security-Policy", csp);
  soup_message_headers_append (headers, "X-Content-Type-Options", "nosniff");
  webkit_uri_scheme_response_set_http_headers (response, headers);

  webkit_uri_scheme_request_finish_with_response (request, response);
}

/* A new epoch and key for @label; the old tokens of the view go. */
static void
new_epoch (IsthmusWebIsolation *self,
           const char          *label)
{
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  Token *token;
  ViewState *state;

  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&token))
    if (g_strcmp0 (token->label, label) == 0)
      g_clear_pointer (&token->key, isthmus_aead_key_unref);

  state = g_new0 (ViewState, 1);
  state->key = isthmus_core_begin_epoch (self->core, label, &state->epoch, &error);
  if (state->key == NULL)
    g_warning ("No isolation key for view %s: %s", label, error->message);
  g_hash_table_replace (self->views, g_strdup (label), state);
}

static void
load_changed_cb (WebKitWebView   *view,
                 WebKitLoadEvent  event,
                 gpointer         user_data)
{
  IsthmusWebIsolation *self = user_data;
  const char *label = g_object_get_data (G_OBJECT (view), VIEW_LABEL_KEY);

  if (event == WEBKIT_LOAD_COMMITTED && label != NULL)
    new_epoch (self, label);
}

static void
web_process_terminated_cb (WebKitWebView                     *view,
                           WebKitWebProcessTerminationReason  reason,
                           gpointer                           user_data)
{
  IsthmusWebIsolation *self = user_data;
  const char *label = g_object_get_data (G_OBJECT (view), VIEW_LABEL_KEY);

  if (label != NULL)
    new_epoch (self, label);
}

typedef struct
{
  IsthmusWebIsolation *self;
  char                *label;
} ViewLink;

static void
view_gone_cb (gpointer  user_data,
              GObject  *where_the_object_was)
{
  ViewLink *link = user_data;

  g_hash_table_remove (link->self->views, link->label);
  isthmus_core_end_isolation (link->self->core, link->label);
  g_free (link->label);
  g_free (link);
}

/**
 * isthmus_web_isolation_install:
 * @context: the host's web context, before any view loads
 * @core: the core, whose isolation is turned on
 * @config: the frontend's config
 * @error: return location for a #GError
 *
 * Returns: (transfer none) (nullable): the object, owned by @context
 */
IsthmusWebIsolation *
isthmus_web_isolation_install (WebKitWebContext  *context,
                               IsthmusCore       *core,
                               IsthmusConfig     *config,
                               GError           **error)
{
  IsthmusWebIsolation *self;
  WebKitSecurityManager *security;
  const char *dir;

  g_return_val_if_fail (WEBKIT_IS_WEB_CONTEXT (context), NULL);
  g_return_val_if_fail (ISTHMUS_IS_CORE (core), NULL);
  g_return_val_if_fail (ISTHMUS_IS_CONFIG (config), NULL);

  /* Referencing the resource keeps it linked in from the static library. */
  g_assert (isthmus_isolation_get_resource () != NULL);

  self = g_new0 (IsthmusWebIsolation, 1);
  self->core = g_object_ref (core);
  self->origin = app_origin (config);
  self->views = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, view_state_free);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, token_free);

  dir = isthmus_config_get_isolation_dir (config);
  if (dir != NULL)
    self->assets = isthmus_assets_new_for_directory (dir, error);
  else
    self->assets = isthmus_assets_new_for_resource (ISOLATION_BASE "passthrough");

  if (self->assets == NULL)
    {
      isolation_free (self);
      return NULL;
    }

  self->runtime_source = g_resources_lookup_data (ISOLATION_BASE "isthmus-isolation-runtime.js",
                                                  G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (self->runtime_source != NULL)
    self->bridge_source = g_resources_lookup_data (ISOLATION_BASE "isthmus-bridge-isolation.js",
                                                   G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (self->bridge_source == NULL)
    {
      isolation_free (self);
      return NULL;
    }

  isthmus_core_set_isolation (core, TRUE);

  g_object_set_data_full (G_OBJECT (context), CONTEXT_DATA_KEY, self, isolation_free);
  webkit_web_context_register_uri_scheme (context, SCHEME, uri_scheme_cb, self, NULL);
  security = webkit_web_context_get_security_manager (context);
  webkit_security_manager_register_uri_scheme_as_secure (security, SCHEME);

  return self;
}

IsthmusWebIsolation *
isthmus_web_isolation_from_context (WebKitWebContext *context)
{
  g_return_val_if_fail (WEBKIT_IS_WEB_CONTEXT (context), NULL);

  return g_object_get_data (G_OBJECT (context), CONTEXT_DATA_KEY);
}

void
isthmus_web_isolation_attach_view (IsthmusWebIsolation      *self,
                                   WebKitWebView            *view,
                                   const char               *label,
                                   WebKitUserContentManager *ucm,
                                   const char               *world_name,
                                   const char               *config_json)
{
  g_autoptr(WebKitUserScript) script = NULL;
  g_autofree char *text = NULL;
  ViewLink *link;

  g_return_if_fail (self != NULL);
  g_return_if_fail (WEBKIT_IS_WEB_VIEW (view));
  g_return_if_fail (label != NULL);

  text = fill (self->bridge_source, BRIDGE_PLACEHOLDER, config_json);
  script = webkit_user_script_new_for_world (text,
                                             WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                             WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START,
                                             world_name, NULL, NULL);
  webkit_user_content_manager_add_script (ucm, script);

  g_object_set_data_full (G_OBJECT (view), VIEW_LABEL_KEY, g_strdup (label), g_free);
  g_object_set_data_full (G_OBJECT (view), VIEW_WORLD_KEY, g_strdup (world_name), g_free);
  g_signal_connect (view, "load-changed", G_CALLBACK (load_changed_cb), self);
  g_signal_connect (view, "web-process-terminated", G_CALLBACK (web_process_terminated_cb), self);

  link = g_new0 (ViewLink, 1);
  link->self = self;
  link->label = g_strdup (label);
  g_object_weak_ref (G_OBJECT (view), view_gone_cb, link);
}

static void
reply_error (WebKitScriptMessageReply *reply,
             const char               *code,
             const char               *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *value = g_strdup_printf ("%s: %s", code, message);
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "value");
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);

  webkit_script_message_reply_return_error_message (reply, text);
}

static void
reply_value (WebKitScriptMessageReply *reply,
             JSCValue                 *value,
             const char               *json)
{
  g_autoptr(JSCValue) result = jsc_value_new_string (jsc_value_get_context (value), json);

  webkit_script_message_reply_return_value (reply, result);
}

/* Issues a token for @key (transfer full) of @label's @epoch; the old
 * unserved tokens of the view go. Returns the bridge's reply. */
static char *
issue_token (IsthmusWebIsolation *self,
             const char          *label,
             IsthmusAeadKey      *key,
             guint64              epoch)
{
  g_autofree char *name = _isthmus_web_random_hex (16);
  GHashTableIter iter;
  Token *token;

  g_hash_table_iter_init (&iter, self->tokens);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&token))
    if (g_strcmp0 (token->label, label) == 0)
      g_clear_pointer (&token->key, isthmus_aead_key_unref);

  token = g_new0 (Token, 1);
  token->label = g_strdup (label);
  token->key = key;
  token->epoch = epoch;
  g_hash_table_replace (self->tokens, g_strdup (name), token);

  return g_strdup_printf ("{\"url\":\"" SCHEME "://localhost/%s/\",\"epoch\":%" G_GUINT64_FORMAT "}",
                          name, epoch);
}

gboolean
isthmus_web_isolation_handle_message (IsthmusWebIsolation      *self,
                                      const char               *label,
                                      GBytes                   *message,
                                      JSCValue                 *value,
                                      WebKitScriptMessageReply *reply)
{
  const char *data;
  gsize length;

  g_return_val_if_fail (self != NULL, FALSE);

  data = g_bytes_get_data (message, &length);
  if (data == NULL || length == 0)
    return FALSE;

  if (length == 1 && data[0] == 'H')
    {
      ViewState *state = label != NULL ? g_hash_table_lookup (self->views, label) : NULL;
      g_autofree char *json = NULL;

      if (state == NULL || state->key == NULL || state->issued)
        {
          reply_error (reply, UNAVAILABLE,
                       state != NULL && state->issued ?
                       "the isolation frame of this page was created already" :
                       "no isolation session for this page");
          return TRUE;
        }

      state->issued = TRUE;
      json = issue_token (self, label, g_steal_pointer (&state->key), state->epoch);
      reply_value (reply, value, json);
      return TRUE;
    }

  /* A new frame for the same page, only when the web layer asked for it
   * (isthmus_web_isolation_replace_frame()); never on the page's own. */
  if (length == 2 && data[0] == 'H' && data[1] == '+')
    {
      ViewState *state = label != NULL ? g_hash_table_lookup (self->views, label) : NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *json = NULL;
      IsthmusAeadKey *key;
      guint64 epoch = 0;

      if (state == NULL || !state->issued || !state->armed)
        {
          reply_error (reply, UNAVAILABLE, "the isolation frame of this page was created already");
          return TRUE;
        }
      state->armed = FALSE;

      key = isthmus_core_begin_frame_epoch (self->core, label, &epoch, &error);
      if (key == NULL)
        {
          reply_error (reply, UNAVAILABLE, error->message);
          return TRUE;
        }
      state->epoch = epoch;
      json = issue_token (self, label, key, epoch);
      reply_value (reply, value, json);
      return TRUE;
    }

  /* The bridge is done with the frame of an epoch. */
  if (length > 2 && length < 24 && data[0] == 'H' && data[1] == '-')
    {
      g_autofree char *number = g_strndup (data + 2, length - 2);
      guint64 epoch = 0;

      if (label != NULL && g_ascii_string_to_unsigned (number, 10, 1, G_MAXUINT64, &epoch, NULL))
        isthmus_core_retire_epoch (self->core, label, epoch);
      reply_value (reply, value, "null");
      return TRUE;
    }

  if (data[0] == 'C')
    {
      const char *space = memchr (data, ' ', MIN (length, 16));
      g_autofree char *level = NULL;

      if (space == NULL)
        {
          reply_error (reply, "BAD_MESSAGE", "a console line needs a level");
          return TRUE;
        }
      level = g_strndup (data + 1, space - data - 1);
      isthmus_core_record_console (self->core, label, level, space + 1, length - (space + 1 - data));
      reply_value (reply, value, "null");
      return TRUE;
    }

  return FALSE;
}

/* Adds the isolation scheme to frame-src (or default-src when there is
 * no frame-src or child-src), as Tauri adds its isolation URL. */
char *
isthmus_web_isolation_patch_csp (const char *csp)
{
  g_auto(GStrv) directives = NULL;
  GString *out;
  gboolean has_frame = FALSE;

  if (csp == NULL)
    return NULL;

  directives = g_strsplit (csp, ";", -1);
  for (guint i = 0; directives[i] != NULL; i++)
    {
      const char *d = directives[i];

      while (g_ascii_isspace (*d))
        d++;
      if (g_str_has_prefix (d, "frame-src") || g_str_has_prefix (d, "child-src"))
        has_frame = TRUE;
    }

  out = g_string_new (NULL);
  for (guint i = 0; directives[i] != NULL; i++)
    {
      const char *d = directives[i];
      g_autofree char *trimmed = NULL;

      while (g_ascii_isspace (*d))
        d++;
      trimmed = g_strchomp (g_strdup (d));
      if (*trimmed == '\0')
        continue;
      if (out->len > 0)
        g_string_append (out, "; ");
      g_string_append (out, trimmed);
      if (g_str_has_prefix (trimmed, "frame-src") ||
          g_str_has_prefix (trimmed, "child-src") ||
          (!has_frame && g_str_has_prefix (trimmed, "default-src")))
        g_string_append (out, " " SCHEME ":");
    }

  return g_string_free (out, FALSE);
}

guint
isthmus_web_isolation_get_n_requests (IsthmusWebIsolation *self,
                                      const char          *token)
{
  Token *t;

  g_return_val_if_fail (self != NULL, 0);

  t = token != NULL ? g_hash_table_lookup (self->tokens, token) : NULL;
  return t != NULL ? t->n_requests : 0;
}

guint
isthmus_web_isolation_get_n_served (IsthmusWebIsolation *self,
                                    const char          *token)
{
  Token *t;

  g_return_val_if_fail (self != NULL, 0);

  t = token != NULL ? g_hash_table_lookup (self->tokens, token) : NULL;
  return t != NULL ? t->n_served : 0;
}

guint
isthmus_web_isolation_get_n_tokens (IsthmusWebIsolation *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->tokens);
}

typedef struct
{
  IsthmusWebIsolation *self;
  char                *label;
} ReplaceData;

static void
replace_data_free (gpointer data)
{
  ReplaceData *replace = data;

  g_free (replace->label);
  g_free (replace);
}

static void
replace_js_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JSCValue) value = NULL;
  ReplaceData *replace = g_task_get_task_data (task);
  ViewState *state;

  value = webkit_web_view_call_async_javascript_function_finish (WEBKIT_WEB_VIEW (source), result, &error);

  /* Whatever happened, the bridge may not ask again on its own. */
  state = g_hash_table_lookup (replace->self->views, replace->label);
  if (state != NULL)
    state->armed = FALSE;

  if (value == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (!jsc_value_is_number (value))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                             "the bridge did not replace the isolation frame");
  else
    {
      guint64 *epoch = g_new (guint64, 1);

      *epoch = (guint64)MAX (jsc_value_to_double (value), 0.0);
      g_task_return_pointer (task, epoch, g_free);
    }
}

/**
 * isthmus_web_isolation_replace_frame:
 * @self: the isolation of @view's context
 * @view: a view attached with isthmus_web_isolation_attach_view()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the new frame serves (or failed)
 * @user_data: for @callback
 *
 * Asks the bridge of @view to replace its isolation frame by one that
 * loads the isolation app as it is now, under a new epoch and key, without
 * reloading the page.
 */
void
isthmus_web_isolation_replace_frame (IsthmusWebIsolation *self,
                                     WebKitWebView       *view,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  const char *label;
  const char *world;
  ViewState *state;
  ReplaceData *replace;

  g_return_if_fail (self != NULL);
  g_return_if_fail (WEBKIT_IS_WEB_VIEW (view));

  task = g_task_new (view, cancellable, callback, user_data);
  g_task_set_source_tag (task, isthmus_web_isolation_replace_frame);

  label = g_object_get_data (G_OBJECT (view), VIEW_LABEL_KEY);
  world = g_object_get_data (G_OBJECT (view), VIEW_WORLD_KEY);
  state = label != NULL ? g_hash_table_lookup (self->views, label) : NULL;
  if (state == NULL || world == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               "the view has no isolation session");
      return;
    }

  replace = g_new0 (ReplaceData, 1);
  replace->self = self;
  replace->label = g_strdup (label);
  g_task_set_task_data (task, replace, replace_data_free);

  state->armed = TRUE;
  webkit_web_view_call_async_javascript_function (view, REPLACE_SCRIPT, -1, NULL, world, NULL,
                                                  cancellable, replace_js_cb, g_steal_pointer (&task));
}

/**
 * isthmus_web_isolation_replace_frame_finish:
 * @result: the result given to the callback
 * @epoch: (out) (optional): the new epoch, 0 when the page had no frame
 *   yet (its first frame loads the isolation app as it is now)
 * @error: return location for a #GError
 *
 * Returns: whether the new frame serves
 */
gboolean
isthmus_web_isolation_replace_frame_finish (GAsyncResult  *result,
                                            guint64       *epoch,
                                            GError       **error)
{
  g_autofree guint64 *value = NULL;

  g_return_val_if_fail (G_IS_TASK (result), FALSE);

  value = g_task_propagate_pointer (G_TASK (result), error);
  if (value == NULL)
    return FALSE;
  if (epoch != NULL)
    *epoch = *value;

  return TRUE;
}

/* isthmus-web-util.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-web-util"

#include "config.h"

#include <gnutls/crypto.h>
#include <libsoup/soup.h>
#include <string.h>

#include "isthmus-web-util.h"

char *
_isthmus_web_random_hex (gsize n_bytes)
{
  g_autofree guint8 *buf = g_malloc (MAX (n_bytes, 1));
  GString *hex = g_string_sized_new (n_bytes * 2);
  int ret;

  ret = gnutls_rnd (GNUTLS_RND_NONCE, buf, n_bytes);
  if (ret < 0)
    g_error ("No randomness: %s", gnutls_strerror (ret));

  for (gsize i = 0; i < n_bytes; i++)
    g_string_append_printf (hex, "%02x", buf[i]);

  return g_string_free (hex, FALSE);
}

void
_isthmus_web_finish_with_status (WebKitURISchemeRequest *request,
                                 guint                   status)
{
  g_autoptr(WebKitURISchemeResponse) response = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *body = NULL;
  const char *phrase = soup_status_get_phrase (status);
  gsize len;

  body = g_strdup_printf ("%u %s\n", status, phrase != NULL ? phrase : "Error");
  len = strlen (body);
  stream = g_memory_input_stream_new_from_data (g_steal_pointer (&body), len, g_free);
  response = webkit_uri_scheme_response_new (stream, len);
  webkit_uri_scheme_response_set_status (response, status, phrase);
  webkit_uri_scheme_response_set_content_type (response, "text/plain; charset=utf-8");
  webkit_uri_scheme_request_finish_with_response (request, response);
}

gboolean
_isthmus_web_secret_equal (const char *a,
                           const char *b)
{
  gsize la, lb;
  guint8 diff;

  if (a == NULL || b == NULL)
    return FALSE;

  la = strlen (a);
  lb = strlen (b);
  diff = la != lb;
  for (gsize i = 0; i < la; i++)
    diff |= (guint8)a[i] ^ (guint8)b[i % MAX (lb, 1)];

  return diff == 0;
}

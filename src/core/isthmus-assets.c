/* isthmus-assets.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-assets"

#include "config.h"

/* O_PATH comes with the GNU extensions. */
#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif

#include <glib/gi18n.h>
#include <gio/gunixinputstream.h>

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "isthmus-assets.h"

/* The longest request path accepted, before decoding. Longer paths are
 * refused as BAD_PATH without touching the file system. */
#define MAX_URI_PATH_LENGTH 4096

/* How often an open is retried when the kernel reports a rename race
 * (EAGAIN) during a RESOLVE_BENEATH lookup. */
#define MAX_OPEN_RETRIES 16

struct _IsthmusAssets
{
  GObject  parent_instance;

  /* A directory opened with O_PATH, or -1 in resource mode. */
  int      root_fd;
  /* The resource root without a trailing slash, or NULL. */
  char    *resource_root;
  char    *description;
};

G_DEFINE_FINAL_TYPE (IsthmusAssets, isthmus_assets, G_TYPE_OBJECT)

G_DEFINE_QUARK (IsthmusAssetError, isthmus_asset_error)

typedef struct
{
  const char *extension;
  const char *mime_type;
} MimeEntry;

/* Text types carry a charset so that WebKit never sniffs one. */
static const MimeEntry mime_table[] = {
  { "html",  "text/html; charset=utf-8" },
  { "htm",   "text/html; charset=utf-8" },
  { "js",    "text/javascript; charset=utf-8" },
  { "mjs",   "text/javascript; charset=utf-8" },
  { "cjs",   "text/javascript; charset=utf-8" },
  { "css",   "text/css; charset=utf-8" },
  { "json",  "application/json; charset=utf-8" },
  { "map",   "application/json; charset=utf-8" },
  { "svg",   "image/svg+xml; charset=utf-8" },
  { "txt",   "text/plain; charset=utf-8" },
  { "xml",   "text/xml; charset=utf-8" },
  { "png",   "image/png" },
  { "jpg",   "image/jpeg" },
  { "jpeg",  "image/jpeg" },
  { "gif",   "image/gif" },
  { "webp",  "image/webp" },
  { "ico",   "image/x-icon" },
  { "avif",  "image/avif" },
  { "wasm",  "application/wasm" },
  { "woff",  "font/woff" },
  { "woff2", "font/woff2" },
  { "ttf",   "font/ttf" },
  { "otf",   "font/otf" },
  { "mp3",   "audio/mpeg" },
  { "mp4",   "video/mp4" },
  { "webm",  "video/webm" },
  { "ogg",   "audio/ogg" },
  { "wav",   "audio/wav" },
  { "pdf",   "application/pdf" },
};

static void
isthmus_assets_finalize (GObject *object)
{
  IsthmusAssets *self = (IsthmusAssets *)object;

  if (self->root_fd >= 0)
    {
      close (self->root_fd);
      self->root_fd = -1;
    }

  g_clear_pointer (&self->resource_root, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (isthmus_assets_parent_class)->finalize (object);
}

static void
isthmus_assets_class_init (IsthmusAssetsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_assets_finalize;
}

static void
isthmus_assets_init (IsthmusAssets *self)
{
  self->root_fd = -1;
}

/**
 * isthmus_asset_error_to_http_status:
 * @error: (nullable): an error from isthmus_assets_open()
 *
 * Returns: the HTTP status a scheme handler answers with for @error.
 */
guint
isthmus_asset_error_to_http_status (const GError *error)
{
  if (error == NULL || error->domain != ISTHMUS_ASSET_ERROR)
    return 500;

  switch (error->code)
    {
    case ISTHMUS_ASSET_ERROR_BAD_PATH:
      return 400;
    case ISTHMUS_ASSET_ERROR_FORBIDDEN:
      return 403;
    case ISTHMUS_ASSET_ERROR_NOT_FOUND:
      return 404;
    case ISTHMUS_ASSET_ERROR_IO:
    case ISTHMUS_ASSET_ERROR_UNSUPPORTED:
    default:
      return 500;
    }
}

/**
 * isthmus_assets_new_for_directory:
 * @root: the directory to serve
 * @error: return location for an error
 *
 * Opens @root once; every later open is relative to that descriptor.
 *
 * Returns: (transfer full): a new #IsthmusAssets, or %NULL
 */
IsthmusAssets *
isthmus_assets_new_for_directory (const char  *root,
                                  GError     **error)
{
  g_autoptr(IsthmusAssets) self = NULL;
  g_autofree char *display = NULL;
  int fd;
  int saved_errno;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  display = g_filename_display_name (root);

  fd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error,
                   ISTHMUS_ASSET_ERROR,
                   saved_errno == ENOENT ? ISTHMUS_ASSET_ERROR_NOT_FOUND
                   : saved_errno == ENOTDIR ? ISTHMUS_ASSET_ERROR_FORBIDDEN
                   : ISTHMUS_ASSET_ERROR_IO,
                   _("Cannot open the frontend directory “%s”: %s"),
                   display, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (ISTHMUS_TYPE_ASSETS, NULL);
  self->root_fd = fd;
  self->description = g_canonicalize_filename (root, NULL);

  return g_steal_pointer (&self);
}

/**
 * isthmus_assets_new_for_resource:
 * @resource_root: a path in the registered resources, e.g.
 *   "/dev/isthmus/Isthmus/demo"
 *
 * Returns: (transfer full): a new #IsthmusAssets
 */
IsthmusAssets *
isthmus_assets_new_for_resource (const char *resource_root)
{
  IsthmusAssets *self;
  gsize len;

  g_return_val_if_fail (resource_root != NULL, NULL);
  g_return_val_if_fail (resource_root[0] == '/', NULL);

  self = g_object_new (ISTHMUS_TYPE_ASSETS, NULL);

  len = strlen (resource_root);
  while (len > 1 && resource_root[len - 1] == '/')
    len--;
  self->resource_root = g_strndup (resource_root, len);
  self->description = g_strconcat ("resource://", self->resource_root, NULL);

  return self;
}

/**
 * isthmus_assets_get_description:
 * @self: a #IsthmusAssets
 *
 * Returns: what is served, for people to read
 */
const char *
isthmus_assets_get_description (IsthmusAssets *self)
{
  g_return_val_if_fail (ISTHMUS_IS_ASSETS (self), NULL);

  return self->description;
}

/**
 * isthmus_assets_guess_mime_type:
 * @path: a file name or path
 *
 * Returns: the MIME type for the extension of @path, never %NULL
 */
const char *
isthmus_assets_guess_mime_type (const char *path)
{
  const char *base;
  const char *dot;

  if (path == NULL)
    return "application/octet-stream";

  base = strrchr (path, '/');
  base = base != NULL ? base + 1 : path;
  dot = strrchr (base, '.');
  if (dot == NULL || dot[1] == '\0')
    return "application/octet-stream";

  for (guint i = 0; i < G_N_ELEMENTS (mime_table); i++)
    {
      if (g_ascii_strcasecmp (dot + 1, mime_table[i].extension) == 0)
        return mime_table[i].mime_type;
    }

  return "application/octet-stream";
}

static void
set_bad_path (GError     **error,
              const char  *reason)
{
  g_set_error (error,
               ISTHMUS_ASSET_ERROR,
               ISTHMUS_ASSET_ERROR_BAD_PATH,
               _("Bad request path: %s"),
               reason);
}

/* Decodes @uri_path exactly once and checks every rule of
 * isthmus_assets_open(). Returns the path relative to the root, without
 * the leading slash ("" for the root itself), or NULL with BAD_PATH. */
static char *
decode_path (const char  *uri_path,
             GError     **error)
{
  g_autoptr(GString) decoded = NULL;
  gsize len;
  const char *segment;

  if (uri_path == NULL || uri_path[0] != '/')
    {
      set_bad_path (error, _("the path must start with “/”"));
      return NULL;
    }

  len = strlen (uri_path);
  if (len > MAX_URI_PATH_LENGTH)
    {
      set_bad_path (error, _("the path is too long"));
      return NULL;
    }

  decoded = g_string_sized_new (len);

  for (gsize i = 1; i < len; i++)
    {
      guchar c = (guchar)uri_path[i];

      if (c == '\\')
        {
          set_bad_path (error, _("backslash"));
          return NULL;
        }

      if (c == '%')
        {
          int hi;
          int lo;

          if (i + 2 >= len)
            {
              set_bad_path (error, _("truncated percent escape"));
              return NULL;
            }

          hi = g_ascii_xdigit_value (uri_path[i + 1]);
          lo = hi >= 0 ? g_ascii_xdigit_value (uri_path[i + 2]) : -1;
          if (hi < 0 || lo < 0)
            {
              set_bad_path (error, _("invalid percent escape"));
              return NULL;
            }

          c = (guchar)((hi << 4) | lo);
          i += 2;

          if (c == '/' || c == '\\' || c == '\0')
            {
              set_bad_path (error, _("encoded separator or NUL"));
              return NULL;
            }
        }

      if (c < 0x20 || c == 0x7f)
        {
          set_bad_path (error, _("control character"));
          return NULL;
        }

      g_string_append_c (decoded, (char)c);
    }

  if (!g_utf8_validate (decoded->str, decoded->len, NULL))
    {
      set_bad_path (error, _("invalid UTF-8"));
      return NULL;
    }

  /* Check every segment. An empty segment is only allowed at the very end,
   * where it means the directory's index.html. */
  segment = decoded->str;
  for (;;)
    {
      const char *slash = strchr (segment, '/');
      gsize seg_len = slash != NULL ? (gsize)(slash - segment) : strlen (segment);

      if (seg_len == 0 && slash != NULL)
        {
          set_bad_path (error, _("empty path segment"));
          return NULL;
        }

      if ((seg_len == 1 && segment[0] == '.') ||
          (seg_len == 2 && segment[0] == '.' && segment[1] == '.'))
        {
          set_bad_path (error, _("“.” or “..” segment"));
          return NULL;
        }

      if (slash == NULL)
        break;

      segment = slash + 1;
    }

  return g_string_free (g_steal_pointer (&decoded), FALSE);
}

/* The outcome of one lookup below the root. */
typedef enum
{
  LOOKUP_OK,
  LOOKUP_MISSING,     /* absent, or a directory: the fallbacks may apply */
  LOOKUP_FAILED,      /* a final error, set in @error */
} LookupResult;

static LookupResult
open_in_directory (IsthmusAssets  *self,
                   const char     *rel,
                   GInputStream  **stream,
                   goffset        *size,
                   GError        **error)
{
  struct open_how how;
  struct stat st;
  int fd = -1;
  int saved_errno = 0;
  int flags;

  g_assert (self->root_fd >= 0);
  g_assert (rel != NULL && rel[0] != '\0' && rel[0] != '/');

  memset (&how, 0, sizeof how);
  how.flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;

  for (guint attempt = 0; attempt < MAX_OPEN_RETRIES; attempt++)
    {
      fd = (int)syscall (SYS_openat2, self->root_fd, rel, &how, sizeof how);
      saved_errno = fd < 0 ? errno : 0;
      if (fd >= 0 || (saved_errno != EAGAIN && saved_errno != EINTR))
        break;
    }

  if (fd < 0)
    {
      switch (saved_errno)
        {
        case ENOENT:
        case ENOTDIR:
          return LOOKUP_MISSING;

        case ELOOP:
        case EXDEV:
        case EACCES:
        case EPERM:
        case ENXIO:
        case ENODEV:
          g_set_error (error,
                       ISTHMUS_ASSET_ERROR,
                       ISTHMUS_ASSET_ERROR_FORBIDDEN,
                       _("“%s” may not be served (a link, or outside the frontend)"),
                       rel);
          return LOOKUP_FAILED;

        case ENAMETOOLONG:
          set_bad_path (error, _("the path is too long"));
          return LOOKUP_FAILED;

        case ENOSYS:
        case E2BIG:
          g_set_error (error,
                       ISTHMUS_ASSET_ERROR,
                       ISTHMUS_ASSET_ERROR_UNSUPPORTED,
                       _("The kernel has no openat2(); refusing to serve files"));
          return LOOKUP_FAILED;

        default:
          g_set_error (error,
                       ISTHMUS_ASSET_ERROR,
                       ISTHMUS_ASSET_ERROR_IO,
                       _("Cannot open “%s”: %s"),
                       rel, g_strerror (saved_errno));
          return LOOKUP_FAILED;
        }
    }

  if (fstat (fd, &st) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_set_error (error,
                   ISTHMUS_ASSET_ERROR,
                   ISTHMUS_ASSET_ERROR_IO,
                   _("Cannot read “%s”: %s"),
                   rel, g_strerror (saved_errno));
      return LOOKUP_FAILED;
    }

  if (S_ISDIR (st.st_mode))
    {
      close (fd);
      return LOOKUP_MISSING;
    }

  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error,
                   ISTHMUS_ASSET_ERROR,
                   ISTHMUS_ASSET_ERROR_FORBIDDEN,
                   _("“%s” is not a regular file"),
                   rel);
      return LOOKUP_FAILED;
    }

  /* Regular files ignore O_NONBLOCK, but the stream should not see it. */
  flags = fcntl (fd, F_GETFL);
  if (flags >= 0)
    fcntl (fd, F_SETFL, flags & ~O_NONBLOCK);

  *stream = g_unix_input_stream_new (fd, TRUE);
  *size = st.st_size;

  return LOOKUP_OK;
}

static LookupResult
open_in_resource (IsthmusAssets  *self,
                  const char     *rel,
                  GInputStream  **stream,
                  goffset        *size,
                  GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;

  g_assert (self->resource_root != NULL);
  g_assert (rel != NULL && rel[0] != '\0' && rel[0] != '/');

  if (strcmp (self->resource_root, "/") == 0)
    path = g_strconcat ("/", rel, NULL);
  else
    path = g_strconcat (self->resource_root, "/", rel, NULL);

  bytes = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_NOT_FOUND))
        return LOOKUP_MISSING;

      g_set_error (error,
                   ISTHMUS_ASSET_ERROR,
                   ISTHMUS_ASSET_ERROR_IO,
                   _("Cannot read “%s” from the bundled resources"),
                   rel);
      return LOOKUP_FAILED;
    }

  *size = (goffset)g_bytes_get_size (bytes);
  *stream = g_memory_input_stream_new_from_bytes (bytes);

  return LOOKUP_OK;
}

static LookupResult
lookup (IsthmusAssets  *self,
        const char     *rel,
        GInputStream  **stream,
        goffset        *size,
        GError        **error)
{
  if (self->root_fd >= 0)
    return open_in_directory (self, rel, stream, size, error);
  else
    return open_in_resource (self, rel, stream, size, error);
}

/**
 * isthmus_assets_open:
 * @self: a #IsthmusAssets
 * @uri_path: the still percent-encoded path of the request URI
 * @resolved_path: (out) (optional) (transfer full): the relative path served
 * @mime_type: (out) (optional) (transfer none): its MIME type
 * @size: (out) (optional): its size in bytes
 * @error: return location for an #ISTHMUS_ASSET_ERROR
 *
 * Returns: (transfer full): a stream at the start of the file, or %NULL
 */
GInputStream *
isthmus_assets_open (IsthmusAssets  *self,
                     const char     *uri_path,
                     char          **resolved_path,
                     const char    **mime_type,
                     goffset        *size,
                     GError        **error)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *rel = NULL;
  const char *last_segment;

  g_return_val_if_fail (ISTHMUS_IS_ASSETS (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rel = decode_path (uri_path, error);
  if (rel == NULL)
    return NULL;

  candidates = g_ptr_array_new_with_free_func (g_free);

  if (rel[0] == '\0' || g_str_has_suffix (rel, "/"))
    {
      g_ptr_array_add (candidates, g_strconcat (rel, "index.html", NULL));
    }
  else
    {
      g_ptr_array_add (candidates, g_strdup (rel));

      /* Tauri's fallbacks for a missing extensionless path. */
      last_segment = strrchr (rel, '/');
      last_segment = last_segment != NULL ? last_segment + 1 : rel;
      if (strchr (last_segment, '.') == NULL)
        {
          g_ptr_array_add (candidates, g_strconcat (rel, ".html", NULL));
          g_ptr_array_add (candidates, g_strconcat (rel, "/index.html", NULL));
          g_ptr_array_add (candidates, g_strdup ("index.html"));
        }
    }

  for (guint i = 0; i < candidates->len; i++)
    {
      const char *candidate = g_ptr_array_index (candidates, i);
      GInputStream *stream = NULL;
      goffset stream_size = 0;

      switch (lookup (self, candidate, &stream, &stream_size, error))
        {
        case LOOKUP_OK:
          g_debug ("Serving “%s” for “%s”", candidate, uri_path);
          if (resolved_path != NULL)
            *resolved_path = g_strdup (candidate);
          if (mime_type != NULL)
            *mime_type = isthmus_assets_guess_mime_type (candidate);
          if (size != NULL)
            *size = stream_size;
          return stream;

        case LOOKUP_FAILED:
          return NULL;

        case LOOKUP_MISSING:
        default:
          break;
        }
    }

  g_set_error (error,
               ISTHMUS_ASSET_ERROR,
               ISTHMUS_ASSET_ERROR_NOT_FOUND,
               _("“%s” not found in the frontend"),
               rel[0] != '\0' ? rel : "index.html");

  return NULL;
}

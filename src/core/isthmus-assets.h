/* isthmus-assets.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ISTHMUS_ASSET_ERROR (isthmus_asset_error_quark ())

typedef enum
{
  ISTHMUS_ASSET_ERROR_BAD_PATH,   /* HTTP 400: undecodable, traversal, NUL, encoded separator */
  ISTHMUS_ASSET_ERROR_FORBIDDEN,  /* HTTP 403: escapes the root, symlink out, not a regular file */
  ISTHMUS_ASSET_ERROR_NOT_FOUND,  /* HTTP 404 */
  ISTHMUS_ASSET_ERROR_IO,         /* HTTP 500 */
  ISTHMUS_ASSET_ERROR_UNSUPPORTED,/* HTTP 500: openat2 missing (ENOSYS), fail closed */
} IsthmusAssetError;

#define ISTHMUS_TYPE_ASSETS (isthmus_assets_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusAssets, isthmus_assets, ISTHMUS, ASSETS, GObject)

GQuark         isthmus_asset_error_quark          (void) G_GNUC_CONST;
guint          isthmus_asset_error_to_http_status (const GError *error);

/* Serves the files below @root. The root is opened once (O_PATH|O_DIRECTORY)
 * and every later open goes through openat2 (RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS) relative to that descriptor, then fstat must show a
 * regular file. */
IsthmusAssets *isthmus_assets_new_for_directory (const char    *root,
                                                 GError       **error);
/* Serves files compiled into a GResource below @resource_root
 * (e.g. "/dev/isthmus/Isthmus/demo"). */
IsthmusAssets *isthmus_assets_new_for_resource  (const char    *resource_root);
/* A human-readable description of what is served ("/home/x/dist" or
 * "resource:///dev/isthmus/Isthmus/demo"). */
const char    *isthmus_assets_get_description   (IsthmusAssets *self);

/* @uri_path is the still percent-encoded path of a request URI, starting with
 * "/" (query and fragment already removed). It is decoded exactly once;
 * "%2f", "%5c", "%00", invalid escapes, invalid UTF-8 after decoding, "." and
 * ".." segments, and a backslash are refused with BAD_PATH before any file
 * system access. "/" and paths ending in "/" mean "<path>/index.html".
 * A missing path whose last segment has no extension falls back, as Tauri
 * does, to "<p>.html", "<p>/index.html" and finally "/index.html".
 * On success returns a stream positioned at the start, and sets @size, the
 * @mime_type (never NULL; see isthmus_assets_guess_mime_type()) and
 * @resolved_path (the decoded relative path actually served, e.g.
 * "index.html"). Error messages never contain absolute paths. */
GInputStream  *isthmus_assets_open              (IsthmusAssets *self,
                                                 const char    *uri_path,
                                                 char         **resolved_path,
                                                 const char   **mime_type,
                                                 goffset       *size,
                                                 GError       **error);

/* MIME type by extension, lower-cased: html/htm, js/mjs/cjs ("text/javascript"),
 * css, json, map, svg, png, jpg/jpeg, gif, webp, ico, avif, wasm
 * ("application/wasm"), woff, woff2, ttf, otf, txt, xml, mp3, mp4, webm, ogg,
 * wav, pdf; "application/octet-stream" otherwise. Text types carry
 * "; charset=utf-8". */
const char    *isthmus_assets_guess_mime_type   (const char    *path);

G_END_DECLS

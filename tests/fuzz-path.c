/* fuzz-path.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Feeds each input as the path of a request URI to an IsthmusAssets rooted
 * in a temporary directory that holds one file, next to a sibling directory
 * with a secret. Whatever is served must be that one file.
 */

#define G_LOG_DOMAIN "fuzz-path"

#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "isthmus-assets.h"

#define KNOWN_CONTENT "<!doctype html><title>the only file</title>\n"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static IsthmusAssets *assets;
static char *base_dir;
static char *root_dir;
static char *index_path;
static char *secret_dir;
static char *secret_path;

static void
cleanup (void)
{
  g_clear_object (&assets);
  if (index_path != NULL)
    g_unlink (index_path);
  if (secret_path != NULL)
    g_unlink (secret_path);
  if (secret_dir != NULL)
    g_rmdir (secret_dir);
  if (root_dir != NULL)
    g_rmdir (root_dir);
  if (base_dir != NULL)
    g_rmdir (base_dir);
  g_clear_pointer (&index_path, g_free);
  g_clear_pointer (&secret_path, g_free);
  g_clear_pointer (&secret_dir, g_free);
  g_clear_pointer (&root_dir, g_free);
  g_clear_pointer (&base_dir, g_free);
}

static void
setup (void)
{
  g_autoptr(GError) error = NULL;

  base_dir = g_dir_make_tmp ("isthmus-fuzz-path-XXXXXX", &error);
  g_assert_no_error (error);

  root_dir = g_build_filename (base_dir, "app", NULL);
  secret_dir = g_build_filename (base_dir, "app-evil", NULL);
  index_path = g_build_filename (root_dir, "index.html", NULL);
  secret_path = g_build_filename (secret_dir, "secret.txt", NULL);

  g_assert_cmpint (g_mkdir (root_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (secret_dir, 0755), ==, 0);
  g_file_set_contents (index_path, KNOWN_CONTENT, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (secret_path, "SECRET\n", -1, &error);
  g_assert_no_error (error);

  assets = isthmus_assets_new_for_directory (root_dir, &error);
  g_assert_no_error (error);

  atexit (cleanup);
}

static void
check_one (const char *uri_path)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *resolved = NULL;
  const char *mime = NULL;
  goffset size = -1;
  char buffer[sizeof KNOWN_CONTENT + 16];
  gsize n = 0;

  stream = isthmus_assets_open (assets, uri_path, &resolved, &mime, &size, &error);

  if (stream == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (error->domain == ISTHMUS_ASSET_ERROR);
      g_assert_null (strstr (error->message, base_dir));
      g_assert_cmpuint (isthmus_asset_error_to_http_status (error), >=, 400);
      return;
    }

  g_assert_no_error (error);
  g_assert_nonnull (resolved);
  g_assert_nonnull (mime);
  g_assert_null (strstr (resolved, ".."));
  g_assert_false (g_path_is_absolute (resolved));
  g_assert_cmpint (size, ==, (goffset)strlen (KNOWN_CONTENT));

  g_input_stream_read_all (stream, buffer, sizeof buffer, &n, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (buffer, n, KNOWN_CONTENT, strlen (KNOWN_CONTENT));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *input = NULL;
  g_autofree char *rooted = NULL;

  if (assets == NULL)
    setup ();

  /* A URI path is a C string here: anything after a NUL is not seen. */
  input = g_strndup ((const char *)data, size);
  check_one (input);

  /* Also try the input as a path below the root. */
  rooted = g_strconcat ("/", input, NULL);
  check_one (rooted);

  return 0;
}

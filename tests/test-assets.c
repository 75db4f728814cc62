/* test-assets.c
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

#define G_LOG_DOMAIN "test-assets"

#include "config.h"

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif

#include <glib.h>
#include <glib/gstdio.h>
#include <gio/gio.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "isthmus-assets.h"

#define RACE_ITERATIONS 10000
#define SAFE_CONTENT "SAFE-CONTENT-INSIDE-THE-ROOT\n"

/* A scratch tree: base/app is the served root, base/app-evil a sibling
 * whose name shares the root's prefix. */
typedef struct
{
  char *base;
  char *root;
  char *evil;
} Tree;

static int
remove_cb (const char        *path,
           const struct stat *st,
           int                flag,
           struct FTW        *ftw)
{
  return remove (path);
}

static void
tree_free (Tree *tree)
{
  if (tree->base != NULL)
    nftw (tree->base, remove_cb, 16, FTW_DEPTH | FTW_PHYS);

  g_free (tree->base);
  g_free (tree->root);
  g_free (tree->evil);
  g_free (tree);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Tree, tree_free)

static void
write_file (const char *dir,
            const char *name,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static Tree *
tree_new (gboolean with_index)
{
  g_autoptr(GError) error = NULL;
  Tree *tree = g_new0 (Tree, 1);

  tree->base = g_dir_make_tmp ("isthmus-assets-XXXXXX", &error);
  g_assert_no_error (error);
  tree->root = g_build_filename (tree->base, "app", NULL);
  tree->evil = g_build_filename (tree->base, "app-evil", NULL);

  g_assert_cmpint (g_mkdir (tree->root, 0755), ==, 0);
  write_file (tree->evil, "secret.txt", "EVIL-SECRET\n");
  write_file (tree->evil, "index.html", "EVIL-INDEX\n");

  if (with_index)
    write_file (tree->root, "index.html", "<!doctype html><title>root</title>\n");

  return tree;
}

static char *
read_stream (GInputStream *stream)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_output_stream_splice (out, stream,
                              G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, >=, 0);

  /* Terminate the data so it can be compared as a string. */
  return g_strndup (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (out)),
                    g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)));
}

/* Opens @uri_path and returns its contents, or NULL with @error set. */
static char *
fetch (IsthmusAssets  *assets,
       const char     *uri_path,
       char          **resolved,
       const char    **mime,
       GError        **error)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *contents = NULL;
  goffset size = -1;

  stream = isthmus_assets_open (assets, uri_path, resolved, mime, &size, error);
  if (stream == NULL)
    return NULL;

  contents = read_stream (stream);
  g_assert_cmpint (size, ==, (goffset)strlen (contents));

  return g_steal_pointer (&contents);
}

static void
assert_error_is_clean (const GError *error,
                       const Tree   *tree)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_null (strstr (error->message, tree->base));
  g_assert_null (strstr (error->message, tree->root));
}

static void
test_mime (void)
{
  static const struct {
    const char *path;
    const char *mime;
  } cases[] = {
    { "index.html", "text/html; charset=utf-8" },
    { "a/b/PAGE.HTM", "text/html; charset=utf-8" },
    { "main.js", "text/javascript; charset=utf-8" },
    { "chunk.mjs", "text/javascript; charset=utf-8" },
    { "lib.cjs", "text/javascript; charset=utf-8" },
    { "style.css", "text/css; charset=utf-8" },
    { "data.json", "application/json; charset=utf-8" },
    { "main.js.map", "application/json; charset=utf-8" },
    { "logo.svg", "image/svg+xml; charset=utf-8" },
    { "logo.png", "image/png" },
    { "photo.JPG", "image/jpeg" },
    { "photo.jpeg", "image/jpeg" },
    { "anim.gif", "image/gif" },
    { "pic.webp", "image/webp" },
    { "favicon.ico", "image/x-icon" },
    { "pic.avif", "image/avif" },
    { "module.wasm", "application/wasm" },
    { "font.woff", "font/woff" },
    { "font.woff2", "font/woff2" },
    { "font.ttf", "font/ttf" },
    { "font.otf", "font/otf" },
    { "notes.txt", "text/plain; charset=utf-8" },
    { "feed.xml", "text/xml; charset=utf-8" },
    { "song.mp3", "audio/mpeg" },
    { "clip.mp4", "video/mp4" },
    { "clip.webm", "video/webm" },
    { "sound.ogg", "audio/ogg" },
    { "sound.wav", "audio/wav" },
    { "doc.pdf", "application/pdf" },
    { "archive.tar.gz", "application/octet-stream" },
    { "Makefile", "application/octet-stream" },
    { "dir.js/file", "application/octet-stream" },
    { "trailing.", "application/octet-stream" },
    { "", "application/octet-stream" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (isthmus_assets_guess_mime_type (cases[i].path), ==, cases[i].mime);

  g_assert_cmpstr (isthmus_assets_guess_mime_type (NULL), ==, "application/octet-stream");
}

static void
test_http_status (void)
{
  static const struct {
    IsthmusAssetError code;
    guint status;
  } cases[] = {
    { ISTHMUS_ASSET_ERROR_BAD_PATH, 400 },
    { ISTHMUS_ASSET_ERROR_FORBIDDEN, 403 },
    { ISTHMUS_ASSET_ERROR_NOT_FOUND, 404 },
    { ISTHMUS_ASSET_ERROR_IO, 500 },
    { ISTHMUS_ASSET_ERROR_UNSUPPORTED, 500 },
  };
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "x");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (ISTHMUS_ASSET_ERROR, cases[i].code, "x");

      g_assert_cmpuint (isthmus_asset_error_to_http_status (error), ==, cases[i].status);
    }

  g_assert_cmpuint (isthmus_asset_error_to_http_status (other), ==, 500);
  g_assert_cmpuint (isthmus_asset_error_to_http_status (NULL), ==, 500);
}

static void
test_serve (void)
{
  static const struct {
    const char *uri_path;
    const char *resolved;
    const char *mime;
    const char *contents;
  } cases[] = {
    { "/", "index.html", "text/html; charset=utf-8", "<!doctype html><title>root</title>\n" },
    { "/index.html", "index.html", "text/html; charset=utf-8", "<!doctype html><title>root</title>\n" },
    { "/about", "about.html", "text/html; charset=utf-8", "ABOUT\n" },
    { "/sub/", "sub/index.html", "text/html; charset=utf-8", "SUB-INDEX\n" },
    { "/sub", "sub/index.html", "text/html; charset=utf-8", "SUB-INDEX\n" },
    { "/sub/page.js", "sub/page.js", "text/javascript; charset=utf-8", "console.log (1);\n" },
    { "/sub/deeper/style.css", "sub/deeper/style.css", "text/css; charset=utf-8", "body {}\n" },
    { "/data.json", "data.json", "application/json; charset=utf-8", "{\"a\": 1}\n" },
    { "/caf%C3%A9.txt", "café.txt", "text/plain; charset=utf-8", "CAFE\n" },
    { "/with%20space.txt", "with space.txt", "text/plain; charset=utf-8", "SPACE\n" },
    { "/%252e%252e", "%2e%2e", "application/octet-stream", "LITERAL-PERCENT\n" },
    { "/client/route/42", "index.html", "text/html; charset=utf-8", "<!doctype html><title>root</title>\n" },
    { "/blob", "blob", "application/octet-stream", "BLOB\n" },
  };
  g_autoptr(Tree) tree = tree_new (TRUE);
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *canonical = NULL;

  write_file (tree->root, "about.html", "ABOUT\n");
  write_file (tree->root, "sub/index.html", "SUB-INDEX\n");
  write_file (tree->root, "sub/page.js", "console.log (1);\n");
  write_file (tree->root, "sub/deeper/style.css", "body {}\n");
  write_file (tree->root, "data.json", "{\"a\": 1}\n");
  write_file (tree->root, "café.txt", "CAFE\n");
  write_file (tree->root, "with space.txt", "SPACE\n");
  write_file (tree->root, "%2e%2e", "LITERAL-PERCENT\n");
  write_file (tree->root, "blob", "BLOB\n");

  assets = isthmus_assets_new_for_directory (tree->root, &error);
  g_assert_no_error (error);
  g_assert_nonnull (assets);

  canonical = g_canonicalize_filename (tree->root, NULL);
  g_assert_cmpstr (isthmus_assets_get_description (assets), ==, canonical);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *resolved = NULL;
      g_autofree char *contents = NULL;
      const char *mime = NULL;

      g_test_message ("%s", cases[i].uri_path);
      contents = fetch (assets, cases[i].uri_path, &resolved, &mime, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (contents, ==, cases[i].contents);
      g_assert_cmpstr (resolved, ==, cases[i].resolved);
      g_assert_cmpstr (mime, ==, cases[i].mime);
    }
}

static void
test_not_found (void)
{
  static const char * const with_extension[] = {
    "/missing.png",
    "/sub/missing.js",
    "/sub/",
    "/nothere/",
    "/index.html/",
    "/index.html/x.js",
  };
  g_autoptr(Tree) tree = tree_new (FALSE);
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GError) error = NULL;

  write_file (tree->root, "sub/other.txt", "OTHER\n");
  write_file (tree->root, "index.txt", "INDEX-TXT\n");

  assets = isthmus_assets_new_for_directory (tree->root, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (with_extension); i++)
    {
      g_autoptr(GInputStream) stream = NULL;

      g_test_message ("%s", with_extension[i]);
      stream = isthmus_assets_open (assets, with_extension[i], NULL, NULL, NULL, &error);
      g_assert_null (stream);
      g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_NOT_FOUND);
      assert_error_is_clean (error, tree);
      g_clear_error (&error);
    }

  /* Without an index.html the last fallback has nothing to serve. */
  g_assert_null (isthmus_assets_open (assets, "/client/route", NULL, NULL, NULL, &error));
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (isthmus_assets_open (assets, "/", NULL, NULL, NULL, &error));
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

static void
test_bad_paths (void)
{
  static const char * const cases[] = {
    "",
    "index.html",
    "/..",
    "/../",
    "/../app-evil/secret.txt",
    "/sub/..",
    "/sub/../index.html",
    "/.",
    "/./index.html",
    "/sub/./x",
    "/%2e%2e/app-evil/secret.txt",
    "/%2E%2e%2Fapp-evil%2Fsecret.txt",
    "/.%2e/app-evil/secret.txt",
    "/%2e/index.html",
    "/..%2fapp-evil/secret.txt",
    "/..%5capp-evil%5csecret.txt",
    "/..\\app-evil\\secret.txt",
    "/index.html\\",
    "/%2f",
    "/a%2fb",
    "/%5c",
    "/a/%00/b",
    "/index.html%00.png",
    "/%c0%ae%c0%ae/app-evil/secret.txt",
    "/%c0%af",
    "/%e0%80%ae",
    "/%ed%a0%80",
    "/%ff",
    "/%80",
    "/%",
    "/%2",
    "/%zz",
    "/%g0",
    "/%0g",
    "/%%32%65",
    "//index.html",
    "/sub//index.html",
    "/%0a",
    "/%7f",
    "/x\ty",
  };
  g_autoptr(Tree) tree = tree_new (TRUE);
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *long_path = NULL;

  write_file (tree->root, "sub/x", "X\n");

  assets = isthmus_assets_new_for_directory (tree->root, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GInputStream) stream = NULL;

      g_test_message ("“%s”", cases[i]);
      stream = isthmus_assets_open (assets, cases[i], NULL, NULL, NULL, &error);
      g_assert_null (stream);
      g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_BAD_PATH);
      g_assert_cmpuint (isthmus_asset_error_to_http_status (error), ==, 400);
      assert_error_is_clean (error, tree);
      g_clear_error (&error);
    }

  /* Over-long paths are refused before any lookup. */
  long_path = g_strnfill (8192, 'a');
  long_path[0] = '/';
  g_assert_null (isthmus_assets_open (assets, long_path, NULL, NULL, NULL, &error));
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_BAD_PATH);
}

/* Every input of the fuzz corpus is an attack: none may succeed in a root
 * without an index.html, and the sibling's files never leak. */
static void
test_corpus (void)
{
  g_autoptr(Tree) tree = tree_new (FALSE);
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *corpus_dir;
  const char *name;
  guint count = 0;

  write_file (tree->root, "a.txt", "INSIDE\n");

  assets = isthmus_assets_new_for_directory (tree->root, &error);
  g_assert_no_error (error);

  corpus_dir = g_test_get_filename (G_TEST_DIST, "corpus", "path", NULL);
  dir = g_dir_open (corpus_dir, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (corpus_dir, name, NULL);
      g_autofree char *input = NULL;
      g_autoptr(GInputStream) stream = NULL;
      gsize length = 0;

      g_file_get_contents (path, &input, &length, &error);
      g_assert_no_error (error);

      g_test_message ("corpus %s", name);
      stream = isthmus_assets_open (assets, input, NULL, NULL, NULL, &error);
      g_assert_null (stream);
      g_assert_nonnull (error);
      g_assert_true (g_error_matches (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_BAD_PATH) ||
                     g_error_matches (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_NOT_FOUND));
      assert_error_is_clean (error, tree);
      g_clear_error (&error);
      count++;
    }

  g_assert_cmpuint (count, >=, 30);
}

static void
assert_forbidden (IsthmusAssets *assets,
                  const Tree    *tree,
                  const char    *uri_path)
{
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;

  g_test_message ("%s", uri_path);
  stream = isthmus_assets_open (assets, uri_path, NULL, NULL, NULL, &error);
  g_assert_null (stream);
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_FORBIDDEN);
  g_assert_cmpuint (isthmus_asset_error_to_http_status (error), ==, 403);
  assert_error_is_clean (error, tree);
}

static void
make_symlink (const char *target,
              const char *dir,
              const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_assert_cmpint (symlink (target, path), ==, 0);
}

static void
test_symlinks (void)
{
  g_autoptr(Tree) tree = tree_new (TRUE);
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = g_build_filename (tree->root, "sub", NULL);
  g_autofree char *contents = NULL;

  write_file (tree->root, "sub/real.txt", "REAL\n");

  make_symlink ("/etc/passwd", tree->root, "passwd");
  make_symlink ("/etc/passwd", tree->root, "passwd.txt");
  make_symlink ("/etc", tree->root, "etc");
  make_symlink ("/proc/self/root", tree->root, "proc");
  make_symlink ("/proc/self/root/etc/passwd", tree->root, "magic.txt");
  make_symlink ("../app-evil", tree->root, "evil");
  make_symlink (tree->evil, tree->root, "evil-abs");
  make_symlink ("index.html", tree->root, "inside.html");
  make_symlink ("chain-2.html", tree->root, "chain-1.html");
  make_symlink ("chain-3.html", tree->root, "chain-2.html");
  make_symlink ("/etc/passwd", tree->root, "chain-3.html");
  make_symlink ("..", sub, "up");
  make_symlink ("/etc/passwd", sub, "index.html");

  assets = isthmus_assets_new_for_directory (tree->root, &error);
  g_assert_no_error (error);

  assert_forbidden (assets, tree, "/passwd");
  assert_forbidden (assets, tree, "/passwd.txt");
  assert_forbidden (assets, tree, "/etc/passwd");
  assert_forbidden (assets, tree, "/etc/");
  assert_forbidden (assets, tree, "/proc/etc/passwd");
  assert_forbidden (assets, tree, "/proc/self/root/etc/passwd");
  assert_forbidden (assets, tree, "/magic.txt");
  assert_forbidden (assets, tree, "/evil/secret.txt");
  assert_forbidden (assets, tree, "/evil/");
  assert_forbidden (assets, tree, "/evil-abs/secret.txt");
  assert_forbidden (assets, tree, "/inside.html");
  assert_forbidden (assets, tree, "/chain-1.html");
  assert_forbidden (assets, tree, "/chain-2.html");
  assert_forbidden (assets, tree, "/sub/up/index.html");
  assert_forbidden (assets, tree, "/sub/up/app-evil/secret.txt");
  assert_forbidden (assets, tree, "/sub/");

  /* The real file next to the links is still served. */
  contents = fetch (assets, "/sub/real.txt", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "REAL\n");
}

static void
test_prefix_sibling (void)
{
  g_autoptr(Tree) tree = tree_new (FALSE);
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *escape = NULL;
  g_autofree char *absolute = NULL;

  write_file (tree->root, "ok.txt", "OK\n");

  assets = isthmus_assets_new_for_directory (tree->root, &error);
  g_assert_no_error (error);

  /* A string prefix check would accept base/app-evil for base/app. */
  escape = g_strdup ("/../app-evil/secret.txt");
  g_assert_null (isthmus_assets_open (assets, escape, NULL, NULL, NULL, &error));
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_BAD_PATH);
  assert_error_is_clean (error, tree);
  g_clear_error (&error);

  g_assert_null (isthmus_assets_open (assets, "/-evil/secret.txt", NULL, NULL, NULL, &error));
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_NOT_FOUND);
  assert_error_is_clean (error, tree);
  g_clear_error (&error);

  /* An absolute path in the request is just a path below the root. */
  absolute = g_build_filename (tree->evil, "secret.txt", NULL);
  g_assert_null (isthmus_assets_open (assets, absolute, NULL, NULL, NULL, &error));
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_NOT_FOUND);
  g_clear_error (&error);
}

typedef struct
{
  IsthmusAssets *assets;
  GMutex         mutex;
  GCond          cond;
  gboolean       done;
  GInputStream  *stream;
  GError        *error;
} OpenJob;

static gpointer
open_thread (gpointer data)
{
  OpenJob *job = data;
  GInputStream *stream;
  GError *error = NULL;

  stream = isthmus_assets_open (job->assets, "/fifo", NULL, NULL, NULL, &error);

  g_mutex_lock (&job->mutex);
  job->stream = stream;
  job->error = error;
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->mutex);

  return NULL;
}

static void
test_fifo (void)
{
  g_autoptr(Tree) tree = tree_new (TRUE);
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fifo = g_build_filename (tree->root, "fifo", NULL);
  g_autoptr(GThread) thread = NULL;
  gint64 deadline;
  OpenJob job = { 0 };

  g_assert_cmpint (mkfifo (fifo, 0644), ==, 0);

  assets = isthmus_assets_new_for_directory (tree->root, &error);
  g_assert_no_error (error);

  g_mutex_init (&job.mutex);
  g_cond_init (&job.cond);
  job.assets = assets;

  /* The open runs on a thread so that a blocking open fails the test
   * instead of hanging it. */
  thread = g_thread_new ("fifo-open", open_thread, &job);

  deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&job.mutex);
  while (!job.done)
    {
      if (!g_cond_wait_until (&job.cond, &job.mutex, deadline))
        break;
    }
  g_mutex_unlock (&job.mutex);

  g_assert_true (job.done);
  g_thread_join (g_steal_pointer (&thread));

  g_assert_null (job.stream);
  g_assert_error (job.error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_FORBIDDEN);
  assert_error_is_clean (job.error, tree);

  g_clear_error (&job.error);
  g_mutex_clear (&job.mutex);
  g_cond_clear (&job.cond);
}

static void
test_device (void)
{
  g_autoptr(Tree) tree = tree_new (TRUE);
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device = g_build_filename (tree->root, "null.txt", NULL);

  make_symlink ("/dev/null", tree->root, "devnull.txt");
  make_symlink ("/dev/zero", tree->root, "zero");

  assets = isthmus_assets_new_for_directory (tree->root, &error);
  g_assert_no_error (error);

  assert_forbidden (assets, tree, "/devnull.txt");
  assert_forbidden (assets, tree, "/zero");

  if (mknod (device, S_IFCHR | 0666, makedev (1, 3)) != 0)
    {
      g_test_skip ("cannot create a device node here");
      return;
    }

  assert_forbidden (assets, tree, "/null.txt");
}

typedef struct
{
  char   *a;
  char   *b;
  char   *spare;
  int     done;
  int     swaps;
  int     failures;
} Swapper;

static void
swap_once (Swapper *swapper)
{
  if (renameat2 (AT_FDCWD, swapper->a, AT_FDCWD, swapper->b, RENAME_EXCHANGE) == 0)
    return;

  /* File systems without RENAME_EXCHANGE get three plain renames. */
  if (rename (swapper->a, swapper->spare) != 0 ||
      rename (swapper->b, swapper->a) != 0 ||
      rename (swapper->spare, swapper->b) != 0)
    g_atomic_int_inc (&swapper->failures);
}

static gpointer
swap_thread (gpointer data)
{
  Swapper *swapper = data;

  while (g_atomic_int_get (&swapper->swaps) < RACE_ITERATIONS ||
         !g_atomic_int_get (&swapper->done))
    {
      swap_once (swapper);
      g_atomic_int_inc (&swapper->swaps);
    }

  return NULL;
}

static void
run_race (const Tree *tree,
          Swapper    *swapper,
          const char *uri_path)
{
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *passwd = NULL;
  GThread *thread;
  guint served = 0;
  guint refused = 0;

  g_file_get_contents ("/etc/passwd", &passwd, NULL, NULL);

  assets = isthmus_assets_new_for_directory (tree->root, &error);
  g_assert_no_error (error);

  thread = g_thread_new ("swapper", swap_thread, swapper);

  for (guint i = 0; i < RACE_ITERATIONS || g_atomic_int_get (&swapper->swaps) < RACE_ITERATIONS; i++)
    {
      g_autofree char *contents = fetch (assets, uri_path, NULL, NULL, &error);

      if (contents != NULL)
        {
          g_assert_cmpstr (contents, ==, SAFE_CONTENT);
          if (passwd != NULL)
            g_assert_cmpstr (contents, !=, passwd);
          served++;
        }
      else
        {
          g_assert_true (g_error_matches (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_FORBIDDEN) ||
                         g_error_matches (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_NOT_FOUND));
          assert_error_is_clean (error, tree);
          g_clear_error (&error);
          refused++;
        }
    }

  g_atomic_int_set (&swapper->done, TRUE);
  g_thread_join (thread);

  g_test_message ("%s: %u served, %u refused, %d swaps", uri_path, served, refused, swapper->swaps);
  g_assert_cmpint (swapper->failures, ==, 0);
  g_assert_cmpuint (served + refused, >=, RACE_ITERATIONS);
  g_assert_cmpint (swapper->swaps, >=, RACE_ITERATIONS);
}

static void
test_race_file (void)
{
  g_autoptr(Tree) tree = tree_new (FALSE);
  g_autofree char *dir = g_build_filename (tree->root, "dir", NULL);
  Swapper swapper = { 0 };

  write_file (dir, "file", SAFE_CONTENT);
  make_symlink ("/etc/passwd", dir, "alt");

  swapper.a = g_build_filename (dir, "file", NULL);
  swapper.b = g_build_filename (dir, "alt", NULL);
  swapper.spare = g_build_filename (dir, "spare", NULL);

  run_race (tree, &swapper, "/dir/file");

  g_free (swapper.a);
  g_free (swapper.b);
  g_free (swapper.spare);
}

static void
test_race_dir (void)
{
  g_autoptr(Tree) tree = tree_new (FALSE);
  g_autofree char *dir = g_build_filename (tree->root, "dir", NULL);
  Swapper swapper = { 0 };

  write_file (dir, "passwd", SAFE_CONTENT);
  make_symlink ("/etc", tree->root, "alt");

  swapper.a = g_strdup (dir);
  swapper.b = g_build_filename (tree->root, "alt", NULL);
  swapper.spare = g_build_filename (tree->root, "spare", NULL);

  run_race (tree, &swapper, "/dir/passwd");

  g_free (swapper.a);
  g_free (swapper.b);
  g_free (swapper.spare);
}

static void
test_missing_root (void)
{
  g_autoptr(Tree) tree = tree_new (FALSE);
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (tree->base, "nope", NULL);
  g_autofree char *file = g_build_filename (tree->evil, "secret.txt", NULL);

  assets = isthmus_assets_new_for_directory (missing, &error);
  g_assert_null (assets);
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  assets = isthmus_assets_new_for_directory (file, &error);
  g_assert_null (assets);
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_FORBIDDEN);
}

static void
test_resource (void)
{
  g_autoptr(Tree) tree = tree_new (FALSE);
  g_autoptr(IsthmusAssets) assets = NULL;
  g_autoptr(GResource) resource = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *compiler = g_find_program_in_path ("glib-compile-resources");
  g_autofree char *source_dir = g_build_filename (tree->base, "res", NULL);
  g_autofree char *xml = g_build_filename (tree->base, "test.gresource.xml", NULL);
  g_autofree char *target = g_build_filename (tree->base, "test.gresource", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *resolved = NULL;
  const char *mime = NULL;
  int status = -1;
  const char *argv[] = { NULL, "--sourcedir", NULL, "--target", NULL, NULL, NULL };

  if (compiler == NULL)
    {
      g_test_skip ("glib-compile-resources is not installed");
      return;
    }

  write_file (source_dir, "index.html", "RES-INDEX\n");
  write_file (source_dir, "js/app.js", "RES-JS\n");
  write_file (source_dir, "big.txt", "RES-COMPRESSED RES-COMPRESSED RES-COMPRESSED\n");
  write_file (tree->base, "test.gresource.xml",
              "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<gresources>\n"
              "  <gresource prefix=\"/dev/isthmus/Test/demo\">\n"
              "    <file>index.html</file>\n"
              "    <file>js/app.js</file>\n"
              "    <file compressed=\"true\">big.txt</file>\n"
              "  </gresource>\n"
              "  <gresource prefix=\"/dev/isthmus/Test\">\n"
              "    <file alias=\"secret.txt\">index.html</file>\n"
              "  </gresource>\n"
              "</gresources>\n");

  argv[0] = compiler;
  argv[2] = source_dir;
  argv[4] = target;
  argv[5] = xml;
  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);

  resource = g_resource_load (target, &error);
  g_assert_no_error (error);
  g_resources_register (resource);

  assets = isthmus_assets_new_for_resource ("/dev/isthmus/Test/demo/");
  g_assert_cmpstr (isthmus_assets_get_description (assets), ==, "resource:///dev/isthmus/Test/demo");

  contents = fetch (assets, "/", &resolved, &mime, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "RES-INDEX\n");
  g_assert_cmpstr (resolved, ==, "index.html");
  g_assert_cmpstr (mime, ==, "text/html; charset=utf-8");
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&resolved, g_free);

  contents = fetch (assets, "/js/app.js", &resolved, &mime, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "RES-JS\n");
  g_assert_cmpstr (mime, ==, "text/javascript; charset=utf-8");
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&resolved, g_free);

  contents = fetch (assets, "/big.txt", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "RES-COMPRESSED RES-COMPRESSED RES-COMPRESSED\n");
  g_clear_pointer (&contents, g_free);

  /* Tauri's fallback also applies to resources. */
  contents = fetch (assets, "/some/route", &resolved, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, "RES-INDEX\n");
  g_assert_cmpstr (resolved, ==, "index.html");
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&resolved, g_free);

  /* A resource directory is not a file: the fallbacks end at index.html. */
  contents = fetch (assets, "/js", &resolved, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (resolved, ==, "index.html");
  g_clear_pointer (&contents, g_free);
  g_clear_pointer (&resolved, g_free);

  g_assert_null (isthmus_assets_open (assets, "/../secret.txt", NULL, NULL, NULL, &error));
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_BAD_PATH);
  g_clear_error (&error);

  g_assert_null (isthmus_assets_open (assets, "/%2e%2e%2fsecret.txt", NULL, NULL, NULL, &error));
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_BAD_PATH);
  g_clear_error (&error);

  g_assert_null (isthmus_assets_open (assets, "/missing.js", NULL, NULL, NULL, &error));
  g_assert_error (error, ISTHMUS_ASSET_ERROR, ISTHMUS_ASSET_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_resources_unregister (resource);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/assets/mime", test_mime);
  g_test_add_func ("/isthmus/assets/http-status", test_http_status);
  g_test_add_func ("/isthmus/assets/serve", test_serve);
  g_test_add_func ("/isthmus/assets/not-found", test_not_found);
  g_test_add_func ("/isthmus/assets/bad-paths", test_bad_paths);
  g_test_add_func ("/isthmus/assets/corpus", test_corpus);
  g_test_add_func ("/isthmus/assets/symlinks", test_symlinks);
  g_test_add_func ("/isthmus/assets/prefix-sibling", test_prefix_sibling);
  g_test_add_func ("/isthmus/assets/fifo", test_fifo);
  g_test_add_func ("/isthmus/assets/device", test_device);
  g_test_add_func ("/isthmus/assets/race-file", test_race_file);
  g_test_add_func ("/isthmus/assets/race-dir", test_race_dir);
  g_test_add_func ("/isthmus/assets/missing-root", test_missing_root);
  g_test_add_func ("/isthmus/assets/resource", test_resource);

  return g_test_run ();
}

/* fuzz-driver.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs a libFuzzer-style target over every file of a corpus directory, so
 * that fuzz targets build and run as ordinary tests without clang's fuzzer.
 * With -fsanitize=fuzzer the target links against libFuzzer instead.
 */

#include "config.h"

#include <glib.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static void
run_one (const char *path,
         guint      *count)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, &error))
    g_error ("%s: %s", path, error->message);

  LLVMFuzzerTestOneInput ((const uint8_t *)contents, length);
  (*count)++;
}

int
main (int   argc,
      char *argv[])
{
  guint count = 0;

  if (argc < 2)
    {
      g_printerr ("usage: %s CORPUS-DIR|FILE...\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      if (g_file_test (argv[i], G_FILE_TEST_IS_DIR))
        {
          g_autoptr(GDir) dir = NULL;
          g_autoptr(GError) error = NULL;
          const char *name;

          dir = g_dir_open (argv[i], 0, &error);
          if (dir == NULL)
            g_error ("%s", error->message);

          while ((name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *path = g_build_filename (argv[i], name, NULL);
              if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
                run_one (path, &count);
            }
        }
      else
        run_one (argv[i], &count);
    }

  if (count == 0)
    {
      g_printerr ("no corpus input found\n");
      return 1;
    }

  g_print ("%u inputs ran without a crash\n", count);
  return 0;
}

/* test-config.c
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

#define G_LOG_DOMAIN "test-config"

#include "config.h"

#ifndef _GNU_SOURCE
# define _GNU_SOURCE
#endif

#include <glib.h>
#include <glib/gstdio.h>

#include <ftw.h>
#include <stdio.h>
#include <string.h>

#include "isthmus-config.h"

static const char *
project (const char *name)
{
  return g_test_get_filename (G_TEST_DIST, "fixtures", "projects", name, NULL);
}

static char *
project_path (const char *name,
              const char *child)
{
  return g_canonicalize_filename (child, project (name));
}

static IsthmusWindowConfig *
window_at (IsthmusConfig *config,
           guint          index)
{
  GPtrArray *windows = isthmus_config_get_windows (config);

  g_assert_nonnull (windows);
  g_assert_cmpuint (index, <, windows->len);

  return g_ptr_array_index (windows, index);
}

static void
assert_default_window (const IsthmusWindowConfig *window,
                       const char                *title)
{
  g_assert_cmpstr (window->label, ==, "main");
  g_assert_cmpstr (window->title, ==, title);
  g_assert_cmpstr (window->url, ==, "index.html");
  g_assert_cmpint (window->width, ==, 800);
  g_assert_cmpint (window->height, ==, 600);
  g_assert_true (window->create);
  g_assert_true (window->visible);
}

static void
test_top_level (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = project_path ("top-level", "tauri.conf.json");
  g_autofree char *dist = project_path ("top-level", "dist");
  IsthmusWindowConfig *window;
  JsonNode *capabilities;

  config = isthmus_config_load (project ("top-level"), &error);
  g_assert_no_error (error);
  g_assert_nonnull (config);

  g_assert_cmpstr (isthmus_config_get_config_path (config), ==, conf);
  g_assert_cmpint (isthmus_config_get_frontend_kind (config), ==, ISTHMUS_FRONTEND_DIRECTORY);
  g_assert_cmpstr (isthmus_config_get_frontend_dir (config), ==, dist);
  g_assert_null (isthmus_config_get_frontend_url (config));
  g_assert_true (g_path_is_absolute (isthmus_config_get_frontend_dir (config)));
  g_assert_cmpstr (isthmus_config_get_product_name (config), ==, "Top Level");
  g_assert_cmpstr (isthmus_config_get_version (config), ==, "1.2.3");
  g_assert_cmpstr (isthmus_config_get_identifier (config), ==, "dev.isthmus.fixture.top");
  g_assert_true (isthmus_config_get_with_global_tauri (config));
  g_assert_true (isthmus_config_get_freeze_prototype (config));
  g_assert_cmpstr (isthmus_config_get_csp (config), ==,
                   "default-src 'self'; connect-src ipc: http://ipc.localhost; img-src 'self' data:");
  g_assert_cmpint (isthmus_config_get_pattern (config), ==, ISTHMUS_PATTERN_BROWNFIELD);
  g_assert_null (isthmus_config_get_isolation_dir (config));

  capabilities = isthmus_config_get_capabilities (config);
  g_assert_nonnull (capabilities);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (capabilities));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (capabilities)), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (json_node_get_array (capabilities), 0), ==, "default");

  /* One window with the label and url defaults and the given size. */
  g_assert_cmpuint (isthmus_config_get_windows (config)->len, ==, 1);
  window = window_at (config, 0);
  g_assert_cmpstr (window->label, ==, "main");
  g_assert_cmpstr (window->title, ==, "Top Level Window");
  g_assert_cmpstr (window->url, ==, "index.html");
  g_assert_cmpint (window->width, ==, 1024);
  g_assert_cmpint (window->height, ==, 768);
  g_assert_true (window->create);
  g_assert_true (window->visible);
}

static void
test_config_file_target (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = project_path ("top-level", "tauri.conf.json");
  g_autofree char *dist = project_path ("top-level", "dist");

  config = isthmus_config_load (conf, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (isthmus_config_get_config_path (config), ==, conf);
  g_assert_cmpstr (isthmus_config_get_frontend_dir (config), ==, dist);
}

static void
test_src_tauri (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = project_path ("src-tauri-layout", "src-tauri/tauri.conf.json");
  g_autofree char *dist = project_path ("src-tauri-layout", "dist");
  g_autofree char *isolation = project_path ("src-tauri-layout", "isolation-app");
  IsthmusWindowConfig *window;

  config = isthmus_config_load (project ("src-tauri-layout"), &error);
  g_assert_no_error (error);

  g_assert_cmpstr (isthmus_config_get_config_path (config), ==, conf);

  /* "../dist" is relative to src-tauri/, not to the project directory. */
  g_assert_cmpint (isthmus_config_get_frontend_kind (config), ==, ISTHMUS_FRONTEND_DIRECTORY);
  g_assert_cmpstr (isthmus_config_get_frontend_dir (config), ==, dist);
  g_assert_null (strstr (isthmus_config_get_frontend_dir (config), ".."));

  g_assert_cmpint (isthmus_config_get_pattern (config), ==, ISTHMUS_PATTERN_ISOLATION);
  g_assert_cmpstr (isthmus_config_get_isolation_dir (config), ==, isolation);
  g_assert_cmpstr (isthmus_config_get_csp (config), ==, "default-src 'self'; connect-src ipc: http://ipc.localhost");

  /* Fields left out take Tauri's defaults. */
  g_assert_false (isthmus_config_get_with_global_tauri (config));
  g_assert_false (isthmus_config_get_freeze_prototype (config));
  g_assert_null (isthmus_config_get_capabilities (config));

  g_assert_cmpuint (isthmus_config_get_windows (config)->len, ==, 1);
  window = window_at (config, 0);
  assert_default_window (window, "Nested Layout");

  isthmus_config_set_isolation_dir (config, "/tmp/elsewhere");
  g_assert_cmpstr (isthmus_config_get_isolation_dir (config), ==, "/tmp/elsewhere");
  isthmus_config_set_isolation_dir (config, NULL);
  g_assert_null (isthmus_config_get_isolation_dir (config));
}

static void
test_dev_url (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  /* frontendDist names a missing directory: Isthmus uses devUrl. */
  config = isthmus_config_load (project ("dev-url"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (isthmus_config_get_frontend_kind (config), ==, ISTHMUS_FRONTEND_URL);
  g_assert_cmpstr (isthmus_config_get_frontend_url (config), ==, "http://localhost:5173/");
  g_assert_null (isthmus_config_get_frontend_dir (config));
  g_assert_cmpstr (isthmus_config_get_product_name (config), ==, "Dev Server");
  g_assert_null (isthmus_config_get_version (config));
  assert_default_window (window_at (config, 0), "Dev Server");
  g_clear_object (&config);

  /* frontendDist itself may be a URL. */
  config = isthmus_config_load (project ("url-dist"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (isthmus_config_get_frontend_kind (config), ==, ISTHMUS_FRONTEND_URL);
  g_assert_cmpstr (isthmus_config_get_frontend_url (config), ==, "https://example.org/app/");
  g_assert_cmpint (isthmus_config_get_pattern (config), ==, ISTHMUS_PATTERN_BROWNFIELD);
}

static void
test_multi_window (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *windows;
  IsthmusWindowConfig *window;

  config = isthmus_config_load (project ("multi-window"), &error);
  g_assert_no_error (error);

  windows = isthmus_config_get_windows (config);
  g_assert_cmpuint (windows->len, ==, 3);

  /* Windows created at startup come first, in file order. */
  window = window_at (config, 0);
  g_assert_cmpstr (window->label, ==, "main");
  g_assert_cmpstr (window->title, ==, "Main");
  g_assert_cmpint (window->width, ==, 640);
  g_assert_cmpint (window->height, ==, 480);
  g_assert_true (window->create);

  window = window_at (config, 1);
  g_assert_cmpstr (window->label, ==, "fenêtre:2/x_y-z");
  g_assert_cmpstr (window->title, ==, "Many Windows");
  g_assert_cmpstr (window->url, ==, "https://example.org/");
  g_assert_cmpint (window->width, ==, 800);
  g_assert_true (window->create);
  g_assert_true (window->visible);

  window = window_at (config, 2);
  g_assert_cmpstr (window->label, ==, "settings");
  g_assert_cmpstr (window->url, ==, "settings.html");
  g_assert_false (window->create);
  g_assert_false (window->visible);
}

static void
test_plain_folder (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = project_path ("plain-folder", ".");

  config = isthmus_config_load (project ("plain-folder"), &error);
  g_assert_no_error (error);
  g_assert_cmpint (isthmus_config_get_frontend_kind (config), ==, ISTHMUS_FRONTEND_DIRECTORY);
  g_assert_cmpstr (isthmus_config_get_frontend_dir (config), ==, dir);
  g_assert_null (isthmus_config_get_config_path (config));
  g_assert_null (isthmus_config_get_product_name (config));
  g_assert_null (isthmus_config_get_csp (config));
  g_assert_cmpuint (isthmus_config_get_windows (config)->len, ==, 1);
  assert_default_window (window_at (config, 0), "Isthmus");
}

static void
test_neither (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = project_path ("neither", "no-such-thing");

  config = isthmus_config_load (project ("neither"), &error);
  g_assert_null (config);
  g_assert_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "neither"));
  g_clear_error (&error);

  config = isthmus_config_load (missing, &error);
  g_assert_null (config);
  g_assert_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "no-such-thing"));
  g_clear_error (&error);

  config = isthmus_config_load ("", &error);
  g_assert_null (config);
  g_assert_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_NOT_FOUND);
}

static void
test_url_target (void)
{
  static const char * const bad[] = {
    "http://",
    "https:///path",
    "http://exa mple.org/",
  };
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  IsthmusWindowConfig *window;

  config = isthmus_config_load ("http://localhost:1420/", &error);
  g_assert_no_error (error);
  g_assert_cmpint (isthmus_config_get_frontend_kind (config), ==, ISTHMUS_FRONTEND_URL);
  g_assert_cmpstr (isthmus_config_get_frontend_url (config), ==, "http://localhost:1420/");
  g_assert_null (isthmus_config_get_frontend_dir (config));
  g_assert_null (isthmus_config_get_config_path (config));
  g_assert_cmpuint (isthmus_config_get_windows (config)->len, ==, 1);
  window = window_at (config, 0);
  g_assert_cmpstr (window->label, ==, "main");
  g_assert_cmpstr (window->title, ==, "Isthmus");
  g_assert_cmpstr (window->url, ==, "http://localhost:1420/");
  g_clear_object (&config);

  config = isthmus_config_load ("HTTPS://example.org:8443/app?x=1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (isthmus_config_get_frontend_kind (config), ==, ISTHMUS_FRONTEND_URL);
  g_clear_object (&config);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      config = isthmus_config_load (bad[i], &error);
      g_assert_null (config);
      g_assert_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_INVALID);
      g_clear_error (&error);
    }
}

static void
test_demo (void)
{
  g_autoptr(IsthmusConfig) config = NULL;

  config = isthmus_config_new_demo ("/dev/isthmus/Isthmus/demo");
  g_assert_cmpint (isthmus_config_get_frontend_kind (config), ==, ISTHMUS_FRONTEND_RESOURCE);
  g_assert_cmpstr (isthmus_config_get_frontend_dir (config), ==, "/dev/isthmus/Isthmus/demo");
  g_assert_null (isthmus_config_get_frontend_url (config));
  g_assert_null (isthmus_config_get_config_path (config));
  g_assert_cmpstr (isthmus_config_get_product_name (config), ==, "Isthmus Demo");
  g_assert_true (isthmus_config_get_with_global_tauri (config));
  g_assert_cmpint (isthmus_config_get_pattern (config), ==, ISTHMUS_PATTERN_BROWNFIELD);
  g_assert_cmpuint (isthmus_config_get_windows (config)->len, ==, 1);
  assert_default_window (window_at (config, 0), "Isthmus Demo");
}

static void
test_parse_error (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = project_path ("malformed-json", "tauri.conf.json");
  g_autofree char *expected = NULL;
  int line = 0;
  int column = 0;

  config = isthmus_config_load (project ("malformed-json"), &error);
  g_assert_null (config);
  g_assert_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_PARSE);
  g_test_message ("%s", error->message);

  /* The comma is missing at the end of line 7; json-glib 1.6 reports
   * line 7, later versions may point at the next token on line 8. */
  expected = g_strdup_printf ("%s:", conf);
  g_assert_true (g_str_has_prefix (error->message, expected));
  g_assert_cmpint (sscanf (error->message + strlen (expected), "%d:%d:", &line, &column), ==, 2);
  g_assert_cmpint (line, >=, 7);
  g_assert_cmpint (line, <=, 8);
  g_assert_cmpint (column, >=, 1);
  g_assert_null (strstr (error->message, "<data>"));
}

static void
assert_field_error (const char *name,
                    int         code,
                    const char *field_message)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *conf = project_path (name, "tauri.conf.json");
  g_autofree char *expected = g_strdup_printf ("%s: %s", conf, field_message);

  config = isthmus_config_load (project (name), &error);
  g_assert_null (config);
  g_assert_error (error, ISTHMUS_CONFIG_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_str_has_prefix (error->message, expected));
}

static void
test_field_errors (void)
{
  assert_field_error ("wrong-type", ISTHMUS_CONFIG_ERROR_INVALID,
                      "app.windows[1].label: expected a string");
  assert_field_error ("bad-label", ISTHMUS_CONFIG_ERROR_INVALID,
                      "app.windows[0].label: “a b” is not a valid label");
  assert_field_error ("duplicate-labels", ISTHMUS_CONFIG_ERROR_INVALID,
                      "app.windows[2].label: duplicate label “main”");
  assert_field_error ("dist-array", ISTHMUS_CONFIG_ERROR_UNSUPPORTED,
                      "build.frontendDist: ");
  assert_field_error ("bad-csp", ISTHMUS_CONFIG_ERROR_INVALID,
                      "app.security.csp.default-src[1]: expected a string");
}

static int
remove_cb (const char        *path,
           const struct stat *st,
           int                flag,
           struct FTW        *ftw)
{
  return remove (path);
}

/* Writes @json as tauri.conf.json into a new temporary project (with a
 * dist/index.html) and loads it. */
static IsthmusConfig *
load_text (const char  *json,
           gssize       length,
           char       **conf_out,
           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("isthmus-config-XXXXXX", &local_error);
  g_autofree char *conf = NULL;
  g_autofree char *dist = NULL;
  g_autofree char *index = NULL;
  IsthmusConfig *config;

  g_assert_no_error (local_error);
  conf = g_build_filename (dir, "tauri.conf.json", NULL);
  dist = g_build_filename (dir, "dist", NULL);
  index = g_build_filename (dist, "index.html", NULL);

  g_assert_cmpint (g_mkdir (dist, 0755), ==, 0);
  g_file_set_contents (index, "<!doctype html>\n", -1, &local_error);
  g_assert_no_error (local_error);
  g_file_set_contents (conf, json, length, &local_error);
  g_assert_no_error (local_error);

  config = isthmus_config_load (dir, error);

  nftw (dir, remove_cb, 8, FTW_DEPTH | FTW_PHYS);

  if (conf_out != NULL)
    *conf_out = g_steal_pointer (&conf);

  return config;
}

static void
test_field_types (void)
{
  static const struct {
    const char *json;
    int code;
    const char *message;
  } cases[] = {
    { "[1, 2]", ISTHMUS_CONFIG_ERROR_INVALID, "the document must be a JSON object" },
    { "{\"productName\": 3, \"build\": {\"frontendDist\": \"dist\"}}", ISTHMUS_CONFIG_ERROR_INVALID, "productName: expected a string" },
    { "{\"build\": []}", ISTHMUS_CONFIG_ERROR_INVALID, "build: expected an object" },
    { "{\"build\": {\"frontendDist\": 5}}", ISTHMUS_CONFIG_ERROR_INVALID, "build.frontendDist: expected a string" },
    { "{\"build\": {\"devUrl\": \"ftp://x\"}}", ISTHMUS_CONFIG_ERROR_INVALID, "build.devUrl: expected an http" },
    { "{\"build\": {}}", ISTHMUS_CONFIG_ERROR_NOT_FOUND, "build.frontendDist: not set" },
    { "{\"build\": {\"frontendDist\": \"nope\"}}", ISTHMUS_CONFIG_ERROR_NOT_FOUND, "build.frontendDist: directory “nope” not found" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": 1}", ISTHMUS_CONFIG_ERROR_INVALID, "app: expected an object" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"withGlobalTauri\": \"yes\"}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.withGlobalTauri: expected a boolean" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"windows\": {}}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.windows: expected an array" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"windows\": [1]}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.windows[0]: expected an object" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"windows\": [{}, {\"label\": \"b\", \"width\": \"big\"}]}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.windows[1].width: expected a number" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"windows\": [{\"height\": -5}]}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.windows[0].height: expected a positive window size" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"windows\": [{\"create\": 1}]}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.windows[0].create: expected a boolean" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"windows\": [{\"label\": \"\"}]}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.windows[0].label: “” is not a valid label" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"security\": {\"csp\": 5}}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.security.csp: expected a string or an object" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"security\": {\"csp\": {\"a\": {}}}}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.security.csp.a: expected a string or an array of strings" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"security\": {\"freezePrototype\": null, \"pattern\": {\"use\": \"other\"}}}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.security.pattern.use: expected “brownfield” or “isolation”" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"security\": {\"pattern\": {}}}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.security.pattern.use: missing" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"security\": {\"pattern\": {\"use\": \"isolation\"}}}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.security.pattern.options.dir: missing" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"security\": {\"pattern\": {\"use\": \"isolation\", \"options\": {\"dir\": 1}}}}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.security.pattern.options.dir: expected a string" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"security\": {\"pattern\": {\"use\": \"isolation\", \"options\": {\"dir\": \"gone\"}}}}}", ISTHMUS_CONFIG_ERROR_NOT_FOUND, "app.security.pattern.options.dir: directory “gone” not found" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"security\": {\"capabilities\": {}}}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.security.capabilities: expected an array" },
    { "{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"windows\": [{\"label\": \"a\"}, {\"label\": \"b\"}, {\"label\": \"c\", \"title\": []}]}}", ISTHMUS_CONFIG_ERROR_INVALID, "app.windows[2].title: expected a string" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(IsthmusConfig) config = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *conf = NULL;
      g_autofree char *expected = NULL;

      config = load_text (cases[i].json, -1, &conf, &error);
      g_test_message ("%s → %s", cases[i].json, error != NULL ? error->message : "(loaded)");
      g_assert_null (config);
      g_assert_error (error, ISTHMUS_CONFIG_ERROR, cases[i].code);

      expected = g_strdup_printf ("%s: %s", conf, cases[i].message);
      g_assert_true (g_str_has_prefix (error->message, expected));
    }
}

static void
test_defaults (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  /* Nulls, an empty window list and a BOM all mean "use the defaults". */
  config = load_text ("\xEF\xBB\xBF{\"productName\": null, \"build\": {\"frontendDist\": \"dist\"},"
                      " \"app\": {\"windows\": [], \"withGlobalTauri\": null,"
                      " \"security\": {\"csp\": null, \"pattern\": {\"use\": \"brownfield\"}}}}",
                      -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (isthmus_config_get_frontend_kind (config), ==, ISTHMUS_FRONTEND_DIRECTORY);
  g_assert_null (isthmus_config_get_product_name (config));
  g_assert_null (isthmus_config_get_csp (config));
  g_assert_false (isthmus_config_get_with_global_tauri (config));
  g_assert_cmpuint (isthmus_config_get_windows (config)->len, ==, 1);
  assert_default_window (window_at (config, 0), "Isthmus");
  g_clear_object (&config);

  /* An object CSP with an empty list keeps the bare directive. */
  config = load_text ("{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"security\": {\"csp\":"
                      " {\"upgrade-insecure-requests\": [], \"script-src\": \"'self'\"}}}}",
                      -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (isthmus_config_get_csp (config), ==, "upgrade-insecure-requests; script-src 'self'");
  g_clear_object (&config);

  /* Only windows with create set to FALSE still give a non-empty list. */
  config = load_text ("{\"build\": {\"frontendDist\": \"dist\"}, \"app\": {\"windows\":"
                      " [{\"label\": \"later\", \"create\": false}]}}",
                      -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (isthmus_config_get_windows (config)->len, ==, 1);
  g_assert_cmpstr (window_at (config, 0)->label, ==, "later");
  g_assert_false (window_at (config, 0)->create);
}

static void
test_guards (void)
{
  g_autoptr(IsthmusConfig) config = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new ("{\"build\": {\"frontendDist\": \"dist\"}, \"x\": ");
  g_autoptr(GString) big = g_string_new ("{\"build\": {\"frontendDist\": \"dist\"}, \"x\": \"");
  g_autofree char *conf = NULL;

  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');

  config = load_text (deep->str, deep->len, &conf, &error);
  g_assert_null (config);
  g_assert_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, conf));
  g_clear_error (&error);
  g_clear_pointer (&conf, g_free);

  /* Malformed before it gets deep: still never handed to json-glib. */
  g_string_truncate (deep, 0);
  g_string_append (deep, "{\"a\": \"\\q\", \"x\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  config = load_text (deep->str, deep->len, &conf, &error);
  g_assert_null (config);
  g_assert_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_PARSE);
  g_clear_error (&error);
  g_clear_pointer (&conf, g_free);

  while (big->len <= 4 * 1024 * 1024)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"}");

  config = load_text (big->str, big->len, &conf, &error);
  g_assert_null (config);
  g_assert_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, conf));
  g_assert_nonnull (strstr (error->message, "4 MiB"));
  g_clear_error (&error);
  g_clear_pointer (&conf, g_free);

  /* Invalid UTF-8 names the file too. */
  config = load_text ("{\"productName\": \"\xff\", \"build\": {\"frontendDist\": \"dist\"}}", -1, &conf, &error);
  g_assert_null (config);
  g_assert_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, conf));
  g_clear_error (&error);
  g_clear_pointer (&conf, g_free);

  /* Empty file. */
  config = load_text ("", 0, &conf, &error);
  g_assert_null (config);
  g_assert_nonnull (error);
  g_assert_true (error->domain == ISTHMUS_CONFIG_ERROR);
  g_assert_true (g_str_has_prefix (error->message, conf));
}

static void
test_label_valid (void)
{
  static const struct {
    const char *label;
    gboolean valid;
  } cases[] = {
    { "main", TRUE },
    { "Main_2", TRUE },
    { "a-b/c:d_e", TRUE },
    { "fenêtre", TRUE },
    { "окно", TRUE },
    { "窓", TRUE },
    { "٣", TRUE },
    { "Ⅻ", TRUE },
    { "½", TRUE },
    { "-", TRUE },
    { "", FALSE },
    { "a b", FALSE },
    { "a.b", FALSE },
    { "a\tb", FALSE },
    { "tab\n", FALSE },
    { "emoji😀", FALSE },
    { "a,b", FALSE },
    { "a*", FALSE },
    { "\xff", FALSE },
    { "\xc0\xae", FALSE },
    { "․․", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *escaped = g_strescape (cases[i].label, NULL);

      g_test_message ("“%s”", escaped);
      g_assert_cmpint (isthmus_label_is_valid (cases[i].label), ==, cases[i].valid);
    }

  g_assert_false (isthmus_label_is_valid (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/config/top-level", test_top_level);
  g_test_add_func ("/isthmus/config/config-file-target", test_config_file_target);
  g_test_add_func ("/isthmus/config/src-tauri", test_src_tauri);
  g_test_add_func ("/isthmus/config/dev-url", test_dev_url);
  g_test_add_func ("/isthmus/config/multi-window", test_multi_window);
  g_test_add_func ("/isthmus/config/plain-folder", test_plain_folder);
  g_test_add_func ("/isthmus/config/neither", test_neither);
  g_test_add_func ("/isthmus/config/url-target", test_url_target);
  g_test_add_func ("/isthmus/config/demo", test_demo);
  g_test_add_func ("/isthmus/config/parse-error", test_parse_error);
  g_test_add_func ("/isthmus/config/field-errors", test_field_errors);
  g_test_add_func ("/isthmus/config/field-types", test_field_types);
  g_test_add_func ("/isthmus/config/defaults", test_defaults);
  g_test_add_func ("/isthmus/config/guards", test_guards);
  g_test_add_func ("/isthmus/config/label-valid", test_label_valid);

  return g_test_run ();
}

/* test-acl.c
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
 * Capability fixtures under tests/fixtures/acl/<case>/ (a capabilities/
 * directory, optionally inline.json for app.security.capabilities) are
 * resolved, dumped and checked; the text is compared byte for byte with
 * <case>/expected.txt. ISTHMUS_UPDATE_GOLDEN=1 rewrites those files.
 */

#define G_LOG_DOMAIN "test-acl"

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "isthmus-acl.h"
#include "isthmus-config.h"
#include "isthmus-error.h"

typedef struct
{
  const char *command;
  const char *window;
  const char *webview;
  const char *origin;
  gboolean    allowed;
} Check;

typedef struct
{
  const char     *name;
  const char     *dir;        /* the fixture directory, NULL = name */
  IsthmusAclMode  mode;
  gboolean        active;
  guint           n_errors;
  const char     *windows[3];
  Check           checks[12];
} AclCase;

static const AclCase cases[] = {
  {
    "one-capability", NULL, ISTHMUS_ACL_TAURI, TRUE, 0, { "main" },
    {
      { "plugin:window|title", "main", NULL, NULL, TRUE },
      { "plugin:window|set_title", "main", NULL, NULL, FALSE },
      { "plugin:event|emit_to", "main", NULL, NULL, TRUE },
      { "plugin:app|version", "main", NULL, NULL, TRUE },
      { "plugin:app|app_hide", "main", NULL, NULL, FALSE },
      { "plugin:path|resolve_directory", "main", NULL, NULL, TRUE },
      { "plugin:fs|read_file", "main", NULL, NULL, FALSE },
      { "plugin:__TAURI_CHANNEL__|fetch", "nobody", NULL, NULL, TRUE },
      { "greet", "main", NULL, NULL, TRUE },
      { "plugin:window|title", "other", NULL, NULL, FALSE },
      { "plugin:window|set-title", "main", NULL, NULL, FALSE },
      { "plugin:window", "main", NULL, NULL, FALSE },
    },
  },
  {
    "window-globs", NULL, ISTHMUS_ACL_TAURI, TRUE, 0, { "main", "admin-1" },
    {
      { "plugin:window|set_title", "admin-1", NULL, NULL, TRUE },
      { "plugin:window|set_title", "main", NULL, NULL, FALSE },
      { "plugin:event|emit", "admin-1", NULL, NULL, TRUE },
      { "plugin:event|emit", "anything", NULL, NULL, TRUE },
      { "plugin:window|close", "admins", NULL, NULL, FALSE },
      { "plugin:fs|read_file", "main", "panel-2", NULL, TRUE },
      { "plugin:fs|read_file", "main", "main", NULL, FALSE },
    },
  },
  {
    "deny-overrides", NULL, ISTHMUS_ACL_TAURI, TRUE, 0, { "main", "other" },
    {
      { "plugin:window|close", "main", NULL, NULL, FALSE },
      { "plugin:window|close", "other", NULL, NULL, FALSE },
      { "plugin:window|set_title", "main", NULL, NULL, TRUE },
    },
  },
  {
    "remote-urls", NULL, ISTHMUS_ACL_TAURI, TRUE, 0, { "main" },
    {
      { "plugin:event|emit", "main", NULL, "https://a.example.com/x", TRUE },
      { "plugin:event|emit", "main", NULL, "https://deep.a.example.com/", TRUE },
      { "plugin:event|emit", "main", NULL, "https://example.org/", FALSE },
      { "plugin:event|emit", "main", NULL, "https://a.example.com.evil.org/", FALSE },
      { "plugin:event|emit", "main", NULL, "https://a.example.com@evil.org/", FALSE },
      { "plugin:event|emit", "main", NULL, "http://a.example.com/", FALSE },
      { "plugin:event|emit", "main", NULL, "https://a.example.com:8443/", FALSE },
      { "plugin:event|emit", "main", NULL, NULL, FALSE },
      { "plugin:event|listen", "main", NULL, NULL, TRUE },
      { "plugin:event|listen", "main", NULL, "https://a.example.com/", FALSE },
    },
  },
  {
    "platforms", NULL, ISTHMUS_ACL_TAURI, TRUE, 0, { "main" },
    {
      { "plugin:window|close", "main", NULL, NULL, TRUE },
      { "plugin:window|set_title", "main", NULL, NULL, FALSE },
    },
  },
  {
    "malformed", NULL, ISTHMUS_ACL_TAURI, TRUE, 5, { "main" },
    {
      { "plugin:event|emit", "main", NULL, NULL, TRUE },
      { "plugin:window|close", "main", NULL, NULL, TRUE },
      { "plugin:window|hide", "main", NULL, NULL, TRUE },
      { "plugin:window|destroy", "main", NULL, NULL, FALSE },
      { "plugin:window|minimize", "main", NULL, NULL, FALSE },
      { "plugin:fs|read_file", "main", NULL, NULL, TRUE },
    },
  },
  {
    "inline-restrict", NULL, ISTHMUS_ACL_TAURI, TRUE, 1, { "main" },
    {
      { "plugin:window|close", "main", NULL, NULL, TRUE },
      { "plugin:window|set_title", "main", NULL, NULL, FALSE },
      { "plugin:event|emit", "main", NULL, NULL, TRUE },
    },
  },
  {
    "multi-window", NULL, ISTHMUS_ACL_TAURI, TRUE, 0, { "a", "b" },
    {
      { "greet", "a", NULL, NULL, TRUE },
      { "greet", "b", NULL, NULL, FALSE },
      { "greet", "c", NULL, NULL, FALSE },
      { "plugin:window|set_title", "a", NULL, NULL, TRUE },
      { "plugin:window|set_title", "b", NULL, NULL, FALSE },
      { "plugin:event|listen", "b", NULL, NULL, TRUE },
      { "plugin:event|listen", "a", NULL, NULL, FALSE },
      /* win-a names windows only, so a webview labelled "a" inside
       * window b gets nothing from it. */
      { "greet", "b", "a", NULL, FALSE },
    },
  },
  {
    "app-tauri", NULL, ISTHMUS_ACL_TAURI, TRUE, 0, { "main" },
    {
      { "greet", "main", NULL, NULL, TRUE },
      { "greet", "stranger", NULL, NULL, TRUE },
      { "plugin:window|title", "stranger", NULL, NULL, FALSE },
    },
  },
  {
    "app-strict", "app-tauri", ISTHMUS_ACL_STRICT, TRUE, 0, { "main" },
    {
      { "greet", "main", NULL, NULL, FALSE },
      { "plugin:window|title", "main", NULL, NULL, TRUE },
    },
  },
  {
    "app-manifest", NULL, ISTHMUS_ACL_TAURI, TRUE, 0, { "main" },
    {
      { "greet", "main", NULL, NULL, TRUE },
      { "farewell", "main", NULL, NULL, FALSE },
      { "self_destruct", "main", NULL, NULL, FALSE },
    },
  },
  {
    "no-capabilities", NULL, ISTHMUS_ACL_STRICT, FALSE, 0, { "main" },
    {
      { "plugin:fs|remove", "main", NULL, NULL, TRUE },
      { "greet", "main", NULL, "https://evil.example/", TRUE },
    },
  },
  {
    "event-plugin", NULL, ISTHMUS_ACL_TAURI, TRUE, 0, { "main" },
    {
      { "plugin:event|listen", "main", NULL, NULL, TRUE },
      { "plugin:event|unlisten", "main", NULL, NULL, TRUE },
      { "plugin:event|emit", "main", NULL, NULL, TRUE },
      { "plugin:event|emit_to", "main", NULL, NULL, TRUE },
      { "plugin:event|listen", "second", NULL, NULL, FALSE },
      { "plugin:window|title", "main", NULL, NULL, FALSE },
    },
  },
  {
    "unknown-permissions", NULL, ISTHMUS_ACL_TAURI, TRUE, 0, { "main" },
    {
      { "plugin:fs|read_file", "main", NULL, NULL, FALSE },
      { "plugin:window|close", "main", NULL, NULL, FALSE },
      { "plugin:shell|execute", "main", NULL, NULL, TRUE },
      { "plugin:dialog|open", "main", NULL, NULL, TRUE },
    },
  },
};

static char *
fixture_dir (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "acl", name, NULL);
}

static void
append_check (GString           *text,
              const Check       *check,
              IsthmusAclVerdict *verdict)
{
  g_string_append_printf (text, "check %s window=%s webview=%s origin=%s\n",
                          check->command, check->window,
                          check->webview != NULL ? check->webview : check->window,
                          check->origin != NULL ? check->origin : "local");
  g_string_append_printf (text, "  %s%s: %s\n",
                          isthmus_acl_verdict_get_allowed (verdict) ? "allowed" : "denied",
                          isthmus_acl_verdict_get_checked (verdict) ? "" : " (not checked)",
                          isthmus_acl_verdict_get_reason (verdict));
  if (isthmus_acl_verdict_get_capability (verdict) != NULL)
    g_string_append_printf (text, "  capability: %s, permission: %s\n",
                            isthmus_acl_verdict_get_capability (verdict),
                            isthmus_acl_verdict_get_permission (verdict));
  if (isthmus_acl_verdict_get_error_message (verdict) != NULL)
    g_string_append_printf (text, "  rejection: %s\n", isthmus_acl_verdict_get_error_message (verdict));
  if (isthmus_acl_verdict_get_suggestion (verdict) != NULL)
    g_string_append_printf (text, "  suggestion: %s\n", isthmus_acl_verdict_get_suggestion (verdict));
}

static void
compare_golden (const char *case_dir,
                const char *actual)
{
  g_autofree char *path = g_build_filename (case_dir, "expected.txt", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (g_getenv ("ISTHMUS_UPDATE_GOLDEN"), "1") == 0)
    {
      g_file_set_contents (path, actual, -1, &error);
      g_assert_no_error (error);
      return;
    }

  g_file_get_contents (path, &expected, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (actual, ==, expected);
}

static void
test_case (gconstpointer data)
{
  const AclCase *tc = data;
  g_autofree char *case_dir = fixture_dir (tc->name);
  g_autofree char *data_dir = fixture_dir (tc->dir != NULL ? tc->dir : tc->name);
  g_autofree char *inline_path = g_build_filename (data_dir, "inline.json", NULL);
  g_autofree char *cwd = g_get_current_dir ();
  g_autoptr(IsthmusAcl) acl = isthmus_acl_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *errors;

  isthmus_acl_set_mode (acl, tc->mode);

  /* Relative paths keep the messages, and so the golden files, stable. */
  g_assert_cmpint (g_chdir (data_dir), ==, 0);
  g_assert_true (isthmus_acl_load_directory (acl, "capabilities", &error));
  g_assert_no_error (error);

  if (g_file_test ("inline.json", G_FILE_TEST_EXISTS))
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      json_parser_load_from_file (parser, inline_path, &error);
      g_assert_no_error (error);
      isthmus_acl_add_inline (acl, json_parser_get_root (parser), "tauri.conf.json");
    }
  g_assert_cmpint (g_chdir (cwd), ==, 0);

  g_assert_cmpint (isthmus_acl_is_active (acl), ==, tc->active);
  errors = isthmus_acl_get_errors (acl);
  for (guint i = 0; i < errors->len; i++)
    g_test_message ("%s", (const char *)g_ptr_array_index (errors, i));
  g_assert_cmpuint (errors->len, ==, tc->n_errors);

  for (guint i = 0; i < G_N_ELEMENTS (tc->windows) && tc->windows[i] != NULL; i++)
    {
      g_autofree char *dump = isthmus_acl_dump_table (acl, tc->windows[i]);

      g_string_append_printf (text, "== table for window \"%s\" ==\n%s", tc->windows[i], dump);
    }

  g_string_append (text, "== checks ==\n");
  for (guint i = 0; i < G_N_ELEMENTS (tc->checks) && tc->checks[i].command != NULL; i++)
    {
      const Check *check = &tc->checks[i];
      g_autoptr(IsthmusAclVerdict) verdict = NULL;
      g_autoptr(GError) denied = NULL;

      verdict = isthmus_acl_check (acl, check->command, check->window, check->webview, check->origin);
      append_check (text, check, verdict);

      if (isthmus_acl_verdict_get_allowed (verdict) != check->allowed)
        g_error ("%s: %s in window %s: expected %s, got: %s", tc->name, check->command, check->window,
                 check->allowed ? "allowed" : "denied", isthmus_acl_verdict_get_reason (verdict));

      denied = isthmus_acl_verdict_dup_error (verdict);
      if (check->allowed)
        {
          g_assert_null (denied);
          g_assert_null (isthmus_acl_verdict_get_suggestion (verdict));
        }
      else
        {
          g_autofree char *tauri_text = g_strdup_printf ("Command %s not allowed by ACL", check->command);

          g_assert_error (denied, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ACL_DENIED);
          g_assert_cmpstr (denied->message, ==, tauri_text);
          g_assert_cmpstr (isthmus_acl_verdict_get_error_message (verdict), ==, tauri_text);
        }
    }

  compare_golden (case_dir, text->str);
}

/* The exact texts the page and the user see. */
static void
test_messages (void)
{
  g_autoptr(IsthmusAcl) acl = isthmus_acl_new ();
  g_autoptr(IsthmusAclVerdict) verdict = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *page_value = NULL;
  const char *text = "{\"identifier\": \"default\", \"windows\": [\"main\"], \"permissions\": [\"core:default\"]}";

  g_assert_true (isthmus_acl_load_data (acl, text, strlen (text), "default.json"));

  verdict = isthmus_acl_check (acl, "plugin:window|set_title", "main", NULL, NULL);
  g_assert_false (isthmus_acl_verdict_get_allowed (verdict));
  g_assert_true (isthmus_acl_verdict_get_checked (verdict));
  g_assert_cmpstr (isthmus_acl_verdict_get_error_message (verdict), ==,
                   "Command plugin:window|set_title not allowed by ACL");
  g_assert_cmpstr (isthmus_acl_verdict_get_reason (verdict), ==, "no capability grants it");
  g_assert_cmpstr (isthmus_acl_verdict_get_suggestion (verdict), ==,
                   "add \"core:window:allow-set-title\" to capability \"default\"");

  /* The rejection reaches the page as Tauri's text, unchanged. */
  error = isthmus_acl_verdict_dup_error (verdict);
  page_value = isthmus_ipc_error_to_page_value (error);
  g_assert_cmpstr (page_value, ==, "Command plugin:window|set_title not allowed by ACL");
  g_clear_object (&verdict);

  verdict = isthmus_acl_check (acl, "plugin:window|title", "main", NULL, NULL);
  g_assert_true (isthmus_acl_verdict_get_allowed (verdict));
  g_assert_cmpstr (isthmus_acl_verdict_get_capability (verdict), ==, "default");
  g_assert_cmpstr (isthmus_acl_verdict_get_permission (verdict), ==, "core:default");
  g_assert_null (isthmus_acl_verdict_get_error_message (verdict));
  g_clear_object (&verdict);

  isthmus_acl_set_mode (acl, ISTHMUS_ACL_STRICT);
  verdict = isthmus_acl_check (acl, "greet", "b", NULL, NULL);
  g_assert_false (isthmus_acl_verdict_get_allowed (verdict));
  g_assert_cmpstr (isthmus_acl_verdict_get_error_message (verdict), ==, "Command greet not allowed by ACL");
  g_assert_cmpstr (isthmus_acl_verdict_get_suggestion (verdict), ==,
                   "add a capability for window \"b\" with \"allow-greet\"");
}

static void
test_errors (void)
{
  g_autoptr(IsthmusAcl) acl = isthmus_acl_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) deep = g_string_new ("{\"identifier\": \"x\", \"permissions\": [], \"d\": ");
  GPtrArray *errors;
  const char *bad = "{\n  \"identifier\": \"a\",\n  \"windows\": [\"main\"]\n  \"permissions\": []\n}\n";
  const char *field = "[\n  {\n    \"identifier\": \"a\",\n    \"permissions\": [\n      \"core:default\",\n      42\n    ]\n  }\n]\n";
  const char *platform = "{\"identifier\": \"p\",\n \"platforms\": [\"linux\", \"beos\"],\n \"permissions\": []}";

  g_assert_false (isthmus_acl_load_directory (acl, "/nonexistent/capabilities", &error));
  g_assert_error (error, ISTHMUS_CONFIG_ERROR, ISTHMUS_CONFIG_ERROR_NOT_FOUND);
  g_assert_false (isthmus_acl_is_active (acl));

  g_assert_false (isthmus_acl_load_data (acl, bad, strlen (bad), "bad.json"));
  g_assert_false (isthmus_acl_load_data (acl, field, strlen (field), "field.json"));
  g_assert_false (isthmus_acl_load_data (acl, platform, strlen (platform), "platform.json"));

  for (guint i = 0; i < 100; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  g_assert_false (isthmus_acl_load_data (acl, deep->str, deep->len, "deep.json"));

  errors = isthmus_acl_get_errors (acl);
  g_assert_cmpuint (errors->len, ==, 4);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (errors, 0), "bad.json:3:"));
  g_assert_cmpstr (g_ptr_array_index (errors, 1), ==,
                   "field.json:6: [0].permissions[1]: must be a permission identifier or an object with \"identifier\"");
  g_assert_cmpstr (g_ptr_array_index (errors, 2), ==,
                   "platform.json:2: platforms[1]: unknown platform \"beos\" (expected linux, macOS, windows, android or iOS)");
  g_assert_nonnull (strstr (g_ptr_array_index (errors, 3), "JSON_TOO_DEEP"));

  /* Sources that failed to load still turn the ACL on: it fails closed. */
  g_assert_true (isthmus_acl_is_active (acl));
  {
    g_autoptr(IsthmusAclVerdict) verdict = isthmus_acl_check (acl, "plugin:event|emit", "main", NULL, NULL);

    g_assert_false (isthmus_acl_verdict_get_allowed (verdict));
  }
}

static void
changed_cb (IsthmusAcl *acl,
            guint      *count)
{
  (*count)++;
}

static void
test_inline_only (void)
{
  g_autoptr(IsthmusAcl) acl = isthmus_acl_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(IsthmusAclVerdict) verdict = NULL;
  const char *conf = "[{\"identifier\": \"inline\", \"windows\": [\"main\"],"
                     " \"permissions\": [{\"identifier\": \"core:window:allow-close\", \"allow\": [1]}]},"
                     " \"from-file\", 7]";
  GPtrArray *errors;
  guint changed = 0;

  g_signal_connect (acl, "changed", G_CALLBACK (changed_cb), &changed);

  json_parser_load_from_data (parser, conf, -1, &error);
  g_assert_no_error (error);
  isthmus_acl_add_inline (acl, json_parser_get_root (parser), "tauri.conf.json");
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (isthmus_acl_is_active (acl));

  errors = isthmus_acl_get_errors (acl);
  g_assert_cmpuint (errors->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (errors, 0), ==,
                   "tauri.conf.json: app.security.capabilities[2]: must be a capability identifier or an inline capability object");
  g_assert_cmpstr (g_ptr_array_index (errors, 1), ==,
                   "tauri.conf.json: app.security.capabilities[1]: no capability with identifier \"from-file\"");

  verdict = isthmus_acl_check (acl, "plugin:window|close", "main", NULL, NULL);
  g_assert_true (isthmus_acl_verdict_get_allowed (verdict));

  /* A file loaded later resolves the reference. */
  {
    const char *file = "{\"identifier\": \"from-file\", \"windows\": [\"main\"], \"permissions\": [\"core:event:allow-emit\"]}";
    g_autoptr(IsthmusAclVerdict) emit = NULL;

    g_assert_true (isthmus_acl_load_data (acl, file, strlen (file), "from-file.json"));
    g_assert_cmpuint (isthmus_acl_get_errors (acl)->len, ==, 1);
    emit = isthmus_acl_check (acl, "plugin:event|emit", "main", NULL, NULL);
    g_assert_true (isthmus_acl_verdict_get_allowed (emit));
  }

  isthmus_acl_clear (acl);
  g_assert_false (isthmus_acl_is_active (acl));
  g_assert_cmpuint (isthmus_acl_get_errors (acl)->len, ==, 0);
  g_assert_cmpuint (changed, ==, 3);
}

static void
test_resolve_table (void)
{
  g_autoptr(IsthmusAcl) acl = isthmus_acl_new ();
  g_autoptr(GPtrArray) rows = NULL;
  const char *text = "[{\"identifier\": \"a\", \"windows\": [\"main\"], \"permissions\": [\"core:event:default\", \"fs:default\"]},"
                     " {\"identifier\": \"b\", \"windows\": [\"x\"], \"permissions\": [\"core:event:deny-emit\"]}]";
  guint allowed = 0;
  guint denied = 0;
  guint unknown = 0;

  g_assert_true (isthmus_acl_load_data (acl, text, strlen (text), "two.json"));
  rows = isthmus_acl_resolve_table (acl, "main", NULL, NULL);

  for (guint i = 0; i < rows->len; i++)
    {
      IsthmusAclRow *row = g_ptr_array_index (rows, i);

      if (row->kind == ISTHMUS_ACL_ROW_ALLOWED)
        {
          allowed++;
          g_assert_cmpstr (row->capability, ==, "a");
          g_assert_cmpstr (row->via, ==, "core:event:default");
          if (g_str_equal (row->command, "plugin:event|emit"))
            g_assert_cmpstr (row->note, ==, "overridden by a deny in capability \"b\"");
        }
      else if (row->kind == ISTHMUS_ACL_ROW_DENIED)
        {
          denied++;
          g_assert_cmpstr (row->command, ==, "plugin:event|emit");
          g_assert_cmpstr (row->permission, ==, "core:event:deny-emit");
        }
      else
        {
          unknown++;
          g_assert_cmpstr (row->permission, ==, "fs:default");
        }
    }

  g_assert_cmpuint (allowed, ==, 4);
  g_assert_cmpuint (denied, ==, 1);
  g_assert_cmpuint (unknown, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/isthmus/acl/golden/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }

  g_test_add_func ("/isthmus/acl/messages", test_messages);
  g_test_add_func ("/isthmus/acl/errors", test_errors);
  g_test_add_func ("/isthmus/acl/inline-only", test_inline_only);
  g_test_add_func ("/isthmus/acl/resolve-table", test_resolve_table);

  return g_test_run ();
}

/* test-hook-lint.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hook-lint"

#include "config.h"

#include <string.h>

#include "isthmus-hook-lint.h"

static GPtrArray *
lint_fixture (const char *name)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "fixtures", "hooks", name, NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *findings;

  findings = isthmus_hook_lint_app (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (findings);

  return findings;
}

/* The finding with @code at @file:@line, or NULL. */
static const IsthmusHookLintFinding *
find (GPtrArray  *findings,
      const char *code,
      const char *file,
      guint       line)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const IsthmusHookLintFinding *f = g_ptr_array_index (findings, i);

      if (g_str_equal (f->code, code) && g_str_equal (f->file, file) && f->line == line)
        return f;
    }

  return NULL;
}

static guint
count_code (GPtrArray  *findings,
            const char *code)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    if (g_str_equal (((IsthmusHookLintFinding *)g_ptr_array_index (findings, i))->code, code))
      n++;

  return n;
}

static void
test_module_script (void)
{
  g_autoptr(GPtrArray) findings = lint_fixture ("lint-module");
  const IsthmusHookLintFinding *f;
  g_autofree char *text = NULL;

  f = find (findings, "module-script", "index.html", 4);
  g_assert_nonnull (f);
  text = isthmus_hook_lint_finding_format (f);
  g_assert_true (g_str_has_prefix (text, "index.html:4: <script type=\"module\">"));
  g_assert_nonnull (strstr (text, "Windows"));
  g_assert_cmpuint (findings->len, ==, 1);
}

static void
test_cdn_script (void)
{
  g_autoptr(GPtrArray) findings = lint_fixture ("lint-cdn");
  const IsthmusHookLintFinding *f;

  /* The <link>, the <script src>, and the URL in the code. */
  g_assert_nonnull (find (findings, "external-url", "index.html", 3));
  f = find (findings, "external-url", "index.html", 6);
  g_assert_nonnull (f);
  g_assert_nonnull (strstr (f->message, "https://cdn.jsdelivr.net/npm/lodash@4/lodash.min.js"));
  g_assert_nonnull (find (findings, "external-url", "index.html", 9));

  f = find (findings, "bare-import", "index.html", 8);
  g_assert_nonnull (f);
  g_assert_nonnull (strstr (f->message, "lodash/merge"));
  /* An import statement in a classic script. */
  g_assert_nonnull (find (findings, "module-script", "index.html", 8));
  g_assert_cmpuint (count_code (findings, "missing-return"), ==, 0);
}

static void
test_missing_return (void)
{
  g_autoptr(GPtrArray) findings = lint_fixture ("lint-missing-return");
  const IsthmusHookLintFinding *f;

  f = find (findings, "missing-return", "index.html", 5);
  g_assert_nonnull (f);
  g_assert_nonnull (strstr (f->message, "(line 11)"));
  g_assert_cmpuint (findings->len, ==, 1);
}

static void
test_bundled (void)
{
  g_autoptr(GPtrArray) findings = lint_fixture ("lint-bundled");

  g_assert_nonnull (find (findings, "bundler-output", "assets/index-4f2a.js", 2));
  g_assert_nonnull (find (findings, "missing-return", "assets/index-4f2a.js", 4));
  g_assert_nonnull (find (findings, "dialog", "assets/index-4f2a.js", 7));
}

static void
test_clean (void)
{
  static const char * const apps[] = { "lint-clean", "passthrough", "async", "endless", "block-null" };

  for (guint i = 0; i < G_N_ELEMENTS (apps); i++)
    {
      g_autoptr(GPtrArray) findings = lint_fixture (apps[i]);

      for (guint j = 0; j < findings->len; j++)
        {
          g_autofree char *text = isthmus_hook_lint_finding_format (g_ptr_array_index (findings, j));

          g_test_message ("%s: %s", apps[i], text);
        }
      g_assert_cmpuint (findings->len, ==, 0);
    }
}

static void
test_examples (void)
{
  static const char * const apps[] = { "examples/allow-list", "examples/path-guard", "passthrough" };

  for (guint i = 0; i < G_N_ELEMENTS (apps); i++)
    {
      g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "..", "isolation", apps[i], NULL);
      g_autoptr(GPtrArray) findings = NULL;
      g_autoptr(GError) error = NULL;

      findings = isthmus_hook_lint_app (dir, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (findings->len, ==, 0);
    }
}

static void
test_no_hook (void)
{
  g_autoptr(GPtrArray) findings = lint_fixture ("no-hook");

  g_assert_nonnull (find (findings, "no-hook", "index.html", 1));
}

static void
test_missing_dir (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (isthmus_hook_lint_app ("/nonexistent/isolation-app", &error));
  g_assert_nonnull (error);
}

typedef struct
{
  const char *code;
  gboolean    missing_return;
} ReturnCase;

static void
test_return_heuristic (void)
{
  static const ReturnCase cases[] = {
    { "window.__TAURI_ISOLATION_HOOK__ = (m) => m", FALSE },
    { "window.__TAURI_ISOLATION_HOOK__ = async m => ({ ...m })", FALSE },
    { "window.__TAURI_ISOLATION_HOOK__ = (m) => { console.log (m) }", TRUE },
    { "window.__TAURI_ISOLATION_HOOK__ = function (m) { if (m.cmd) return m; else throw new Error ('x') }", FALSE },
    { "window.__TAURI_ISOLATION_HOOK__ = function (m) { if (m.cmd) return m }", TRUE },
    { "window.__TAURI_ISOLATION_HOOK__ = async function (m) { for (const x of m.list) { return m } }", TRUE },
    { "window.__TAURI_ISOLATION_HOOK__ = (m) => {\n  const a = m.payload\n  if (!a)\n    return null\n  return m\n}", FALSE },
    { "window.__TAURI_ISOLATION_HOOK__ = (m) => { switch (m.cmd) { case 'a': return m } }", TRUE },
    { "window.__TAURI_ISOLATION_HOOK__ = (m) => { switch (m.cmd) { case 'a': return m; default: return null } }", FALSE },
    { "window.__TAURI_ISOLATION_HOOK__ = (m) => { try { return m } catch (e) { console.error (e) } }", TRUE },
    { "window.__TAURI_ISOLATION_HOOK__ = (m) => { try { work () } finally { return m } }", FALSE },
    { "window.__TAURI_ISOLATION_HOOK__ = (m) => { const f = () => { return 1 }; f () }", TRUE },
    { "function hook (m) { if (m) { return m } }\nwindow.__TAURI_ISOLATION_HOOK__ = hook", TRUE },
    { "const hook = (m) => { return m }\nwindow.__TAURI_ISOLATION_HOOK__ = hook", FALSE },
    { "window.__TAURI_ISOLATION_HOOK__ = null", FALSE },
    { "window.__TAURI_ISOLATION_HOOK__ = (m) => { const s = '}'; /* } */ return m }", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) findings = g_ptr_array_new_with_free_func ((GDestroyNotify)isthmus_hook_lint_finding_free);
      gboolean mentions;

      mentions = isthmus_hook_lint_code ("hook.js", cases[i].code, 1, FALSE, findings);
      g_test_message ("case %u: %s", i, cases[i].code);
      g_assert_true (mentions);
      g_assert_cmpuint (count_code (findings, "missing-return"), ==, cases[i].missing_return ? 1 : 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/hook-lint/module-script", test_module_script);
  g_test_add_func ("/isthmus/hook-lint/cdn-script", test_cdn_script);
  g_test_add_func ("/isthmus/hook-lint/missing-return", test_missing_return);
  g_test_add_func ("/isthmus/hook-lint/bundled", test_bundled);
  g_test_add_func ("/isthmus/hook-lint/clean", test_clean);
  g_test_add_func ("/isthmus/hook-lint/examples", test_examples);
  g_test_add_func ("/isthmus/hook-lint/no-hook", test_no_hook);
  g_test_add_func ("/isthmus/hook-lint/missing-dir", test_missing_dir);
  g_test_add_func ("/isthmus/hook-lint/return-heuristic", test_return_heuristic);

  return g_test_run ();
}

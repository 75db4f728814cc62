/* isthmus-hook-lint.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * IsthmusHookScript:
 * @file: the file the code is in, relative to the app folder ("index.html"
 *   for an inline script, else the src path)
 * @line: the line of @file where the code starts (1-based)
 * @tag_line: the line of the <script> tag in index.html
 * @src: (nullable): the src attribute as written, or NULL for inline code
 * @code: (nullable): the code; NULL when it cannot be loaded (@problem says why)
 * @problem: (nullable): why @code is NULL
 * @is_module: a `<script type="module">`
 * @is_external: @src names another origin (a scheme or "//host")
 *
 * One script of an isolation app, in document order.
 */
typedef struct
{
  char     *file;
  guint     line;
  guint     tag_line;
  char     *src;
  char     *code;
  char     *problem;
  gboolean  is_module;
  gboolean  is_external;
} IsthmusHookScript;

void       isthmus_hook_script_free        (IsthmusHookScript *script);

/* Reads @app_dir/index.html and returns its scripts in document order
 * (element-type IsthmusHookScript), skipping non-JavaScript types (JSON,
 * templates, import maps) and anything inside HTML comments. A local src
 * is read from the folder (a leading "/" is the folder's root; a path that
 * leaves the folder is not read). External sources are never fetched.
 * NULL with @error when index.html cannot be read. (transfer full) */
GPtrArray *isthmus_hook_app_scan           (const char        *app_dir,
                                            GError           **error);

/**
 * IsthmusHookLintFinding:
 * @file: relative to the app folder
 * @line: 1-based
 * @code: a stable name: "module-script", "external-url", "bare-import",
 *   "bundler-output", "missing-return", "dialog", "missing-script", "no-hook"
 * @message: what breaks in a real Tauri build, for people
 */
typedef struct
{
  char  *file;
  guint  line;
  char  *code;
  char  *message;
} IsthmusHookLintFinding;

void       isthmus_hook_lint_finding_free  (IsthmusHookLintFinding *finding);
/* "file:line: message". (transfer full) */
char      *isthmus_hook_lint_finding_format (const IsthmusHookLintFinding *finding);

/* Lints an isolation app for what breaks in a real Tauri build: module
 * scripts (they do not load in the sandboxed frame on Windows), external
 * URLs (Tauri inlines only local <script src>; the frame's CSP blocks
 * every fetch), bare or URL imports and bundler output (the app is not
 * bundled), dialogs (no allow-modals), no __TAURI_ISOLATION_HOOK__ at all
 * (the Tauri build panics), and hooks that can end without a return.
 *
 * The last one is a heuristic on tokens, not a parser: for a function
 * assigned to __TAURI_ISOLATION_HOOK__ (a function expression, an arrow
 * with a block body, or the name of a function declared in the same
 * script), the body must end every path in `return` or `throw`. `if`
 * needs both branches to end so; `try` needs its block and its `catch`,
 * or its `finally`; `switch` needs a `default`, no `break`, and a last
 * statement that ends so; `while (true)` and `for (;;)` without `break`
 * count as ending; other loops never do. Statements end at `;`, at a
 * block's end, or at a line break where the next line starts a new
 * statement.
 *
 * Returns: (transfer full) (element-type IsthmusHookLintFinding): the
 *   findings in file order, or NULL with @error when index.html cannot
 *   be read. */
GPtrArray *isthmus_hook_lint_app           (const char        *app_dir,
                                            GError           **error);
/* The JavaScript checks alone on one piece of code whose first line is
 * @first_line of @file; findings are appended to @findings. Returns TRUE
 * when the code mentions __TAURI_ISOLATION_HOOK__. */
gboolean   isthmus_hook_lint_code          (const char        *file,
                                            const char        *code,
                                            guint              first_line,
                                            gboolean           is_module,
                                            GPtrArray         *findings);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusHookScript, isthmus_hook_script_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusHookLintFinding, isthmus_hook_lint_finding_free)

G_END_DECLS

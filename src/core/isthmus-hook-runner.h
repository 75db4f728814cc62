/* isthmus-hook-runner.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The hidden option that turns an executable into a hook worker:
 * "<exe> --hook-worker DIR". Every executable that runs hooks must call
 * isthmus_hook_worker_main() when given it (isthmus does, in
 * handle_local_options; tests do, first thing in main()). */
#define ISTHMUS_HOOK_WORKER_OPTION "--hook-worker"

/* The default time limit of one hook call (and of loading the app). */
#define ISTHMUS_HOOK_DEFAULT_TIMEOUT_MS 2000

#define ISTHMUS_HOOK_RUNNER_ERROR (isthmus_hook_runner_error_quark ())

typedef enum
{
  ISTHMUS_HOOK_RUNNER_ERROR_LOAD,
  ISTHMUS_HOOK_RUNNER_ERROR_SYNTAX,
  ISTHMUS_HOOK_RUNNER_ERROR_NO_HOOK,
  ISTHMUS_HOOK_RUNNER_ERROR_WORKER,
  ISTHMUS_HOOK_RUNNER_ERROR_RECORDING,
  ISTHMUS_HOOK_RUNNER_ERROR_EXPECTATIONS,
} IsthmusHookRunnerError;

GQuark isthmus_hook_runner_error_quark (void);

/**
 * IsthmusHookResult:
 * @verdict: "passed", "modified", "blocked" (the hook returned null or
 *   undefined, or threw) or "hook-error" (it returned a non-object, a
 *   message without valid cmd/callback/error, or never finished)
 * @reason: (nullable): the hook's error, or why the verdict was given
 * @input: the message given to the hook, as JSON text
 * @hooked: (nullable): the message after the hook (passed and modified)
 * @added: JSON paths only in @hooked ("payload.path", "payload.list[2]")
 * @removed: JSON paths only in @input
 * @changed: JSON paths whose values differ
 * @reads: paths of the message the hook read
 * @lint: notes about the hook (dialogs, fields Tauri v2 never sets, APIs
 *   the headless runner lacks)
 * @console: the hook's console output during the call, "level: text"
 * @hook_us: time in the hook (wall clock, in the worker)
 * @timed_out: the call was stopped at the time limit
 *
 * What the hook did to one message, decided as the isolation runtime does.
 */
typedef struct
{
  char     *verdict;
  char     *reason;
  char     *input;
  char     *hooked;
  GStrv     added;
  GStrv     removed;
  GStrv     changed;
  GStrv     reads;
  GStrv     lint;
  GStrv     console;
  gint64    hook_us;
  gboolean  timed_out;
} IsthmusHookResult;

void                isthmus_hook_result_free       (IsthmusHookResult *result);
/* "~payload.path +payload.x -options" (at most @max_bytes, then "…"), or
 * "" when nothing changed. (transfer full) */
char               *isthmus_hook_result_diff_summary (const IsthmusHookResult *result,
                                                      gsize                    max_bytes);

/* Field-level difference of two JSON values, as paths appended to the
 * arrays (element-type utf8). Objects compare by key, arrays by index. */
void                isthmus_hook_json_diff         (JsonNode          *before,
                                                    JsonNode          *after,
                                                    GPtrArray         *added,
                                                    GPtrArray         *removed,
                                                    GPtrArray         *changed);

#define ISTHMUS_TYPE_HOOK_RUNNER (isthmus_hook_runner_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusHookRunner, isthmus_hook_runner, ISTHMUS, HOOK_RUNNER, GObject)

/* Runs the isolation app in @app_dir headless, as the isolation frame
 * would: the inline and local scripts of its index.html in document
 * order (external URLs are never fetched), in a fresh JavaScriptCore
 * context with a minimal window (console captured, timers on a virtual
 * clock, promise jobs drained; alert/confirm/prompt present and noted).
 *
 * The JavaScript runs in a worker process (this executable again, with
 * ISTHMUS_HOOK_WORKER_OPTION), so that a hook that loops forever is
 * killed at the time limit; the next call starts a fresh worker, which
 * loads the app again (state the app kept between calls is then lost,
 * and a note says so). Synchronous; not thread-safe. */
IsthmusHookRunner  *isthmus_hook_runner_new        (const char        *app_dir);
/* Default ISTHMUS_HOOK_DEFAULT_TIMEOUT_MS. */
void                isthmus_hook_runner_set_timeout_ms (IsthmusHookRunner *self,
                                                        guint              timeout_ms);
guint               isthmus_hook_runner_get_timeout_ms (IsthmusHookRunner *self);
/* The worker command, without the option and folder that are appended;
 * default: this executable (/proc/self/exe). */
void                isthmus_hook_runner_set_worker_argv (IsthmusHookRunner  *self,
                                                         const char * const *argv);
/* Starts the worker and loads the app. Errors: LOAD (no index.html,
 * unreadable script), SYNTAX (message "file:line: …"), NO_HOOK (the app
 * never sets __TAURI_ISOLATION_HOOK__ to a function or null), WORKER.
 * Called by isthmus_hook_runner_run() when needed. */
gboolean            isthmus_hook_runner_load       (IsthmusHookRunner *self,
                                                    GError           **error);
/* Notes from loading: skipped external scripts, errors thrown by scripts,
 * console output, restarts. (transfer none) (element-type utf8) */
GPtrArray          *isthmus_hook_runner_get_notes  (IsthmusHookRunner *self);
/* Runs the hook on @message_json ({cmd, callback, error, payload,
 * options}). NULL with @error only when the app cannot be (re)loaded or
 * @message_json is not a JSON object; a hook that misbehaves or times
 * out is a result. (transfer full) */
IsthmusHookResult  *isthmus_hook_runner_run        (IsthmusHookRunner *self,
                                                    const char        *message_json,
                                                    GError           **error);

/* The worker: reads requests on stdin and answers on stdout, one JSON
 * object per line. Returns the exit status. */
int                 isthmus_hook_worker_main       (const char        *app_dir);

/**
 * IsthmusHookCall:
 * @line: the line of the record in the recording (1-based)
 * @id: the record's id
 * @window: (nullable): its window label
 * @cmd: (nullable): its command
 * @message: the message as the page sent it (JSON text): the record's
 *   isolation "original" if present, else its "request"
 * @then_verdict: (nullable): the isolation verdict recorded then, NULL
 *   when the call was not hooked
 *
 * One recorded invoke, from a JSON Lines recording.
 */
typedef struct
{
  guint    line;
  guint64  id;
  char    *window;
  char    *cmd;
  char    *message;
  char    *then_verdict;
} IsthmusHookCall;

void                isthmus_hook_call_free         (IsthmusHookCall   *call);
/* The invoke records of a recording (element-type IsthmusHookCall); other
 * kinds and invokes without an invoke-shaped message are skipped (counted
 * in @skipped). A line that is not a JSON object is an error naming its
 * line. (transfer full) */
GPtrArray          *isthmus_hook_recording_load    (const char        *path,
                                                    guint             *skipped,
                                                    GError           **error);

/* The check of `isthmus --check-hook DIR RECORDING [--expect FILE]`: runs
 * every recorded call through the hook, writes a table to @out (and lint
 * findings and problems to @err), and returns the exit status: 0 when all
 * expectations hold, 1 when one fails (an expectation that matches no call
 * fails too), 2 for a usage or load error. Expectations: a JSON array of
 * {"cmd": glob, "window": glob (optional), "verdict": …}. @worker_argv
 * may be NULL (this executable); @timeout_ms 0 means the default. */
int                 isthmus_hook_check             (const char         *app_dir,
                                                    const char         *recording_path,
                                                    const char         *expectations_path,
                                                    const char * const *worker_argv,
                                                    guint               timeout_ms,
                                                    GString            *out,
                                                    GString            *err);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusHookResult, isthmus_hook_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusHookCall, isthmus_hook_call_free)

G_END_DECLS

/* test-hook-runner.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-hook-runner"

#include "config.h"

#include <string.h>
#include <sys/wait.h>

#include "isthmus-hook-runner.h"

/* Short, so that the time-limit tests stay quick. */
#define TEST_TIMEOUT_MS 500

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", "hooks", name, NULL);
}

static IsthmusHookRunner *
runner_for (const char *name)
{
  g_autofree char *dir = fixture (name);
  IsthmusHookRunner *runner = isthmus_hook_runner_new (dir);

  isthmus_hook_runner_set_timeout_ms (runner, TEST_TIMEOUT_MS);

  return runner;
}

static IsthmusHookResult *
run (IsthmusHookRunner *runner,
     const char        *message)
{
  g_autoptr(GError) error = NULL;
  IsthmusHookResult *result;

  result = isthmus_hook_runner_run (runner, message, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);

  return result;
}

static gboolean
strv_has (GStrv        strv,
          const char  *value)
{
  return strv != NULL && g_strv_contains ((const char * const *)strv, value);
}

static gboolean
notes_have_prefix (GPtrArray  *notes,
                   const char *prefix)
{
  for (guint i = 0; notes != NULL && i < notes->len; i++)
    if (g_str_has_prefix (g_ptr_array_index (notes, i), prefix))
      return TRUE;

  return FALSE;
}

static void
test_passthrough (void)
{
  g_autoptr(IsthmusHookRunner) runner = runner_for ("passthrough");
  g_autoptr(IsthmusHookResult) result = NULL;

  result = run (runner, "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{\"name\":\"Ada\"}}");
  g_assert_cmpstr (result->verdict, ==, "passed");
  g_assert_null (result->reason);
  g_assert_cmpstr (result->hooked, ==, result->input);
  g_assert_cmpuint (g_strv_length (result->added), ==, 0);
  g_assert_cmpuint (g_strv_length (result->removed), ==, 0);
  g_assert_cmpuint (g_strv_length (result->changed), ==, 0);
  g_assert_false (result->timed_out);
  g_assert_cmpint (result->hook_us, >=, 0);
}

static void
test_modify (void)
{
  g_autoptr(IsthmusHookRunner) runner = runner_for ("modify");
  g_autoptr(IsthmusHookResult) result = NULL;
  g_autofree char *summary = NULL;

  result = run (runner, "{\"cmd\":\"fs_read\",\"callback\":1,\"error\":2,"
                        "\"payload\":{\"path\":\"./a.txt\",\"dryRun\":true},\"options\":null}");
  g_assert_cmpstr (result->verdict, ==, "modified");
  g_assert_nonnull (result->hooked);
  g_assert_nonnull (strstr (result->hooked, "\"path\":\"a.txt\""));
  g_assert_true (strv_has (result->changed, "payload.path"));
  g_assert_true (strv_has (result->added, "payload.audited"));
  g_assert_true (strv_has (result->removed, "payload.dryRun"));
  g_assert_true (strv_has (result->reads, "payload"));

  summary = isthmus_hook_result_diff_summary (result, 0);
  g_assert_cmpstr (summary, ==, "~payload.path +payload.audited -payload.dryRun");
}

static void
test_block_null (void)
{
  g_autoptr(IsthmusHookRunner) runner = runner_for ("block-null");
  g_autoptr(IsthmusHookResult) blocked = NULL;
  g_autoptr(IsthmusHookResult) passed = NULL;

  blocked = run (runner, "{\"cmd\":\"fs_write\",\"callback\":1,\"error\":2,\"payload\":{}}");
  g_assert_cmpstr (blocked->verdict, ==, "blocked");
  g_assert_cmpstr (blocked->reason, ==, "the isolation hook returned null");
  g_assert_null (blocked->hooked);

  passed = run (runner, "{\"cmd\":\"fs_read\",\"callback\":3,\"error\":4,\"payload\":{}}");
  g_assert_cmpstr (passed->verdict, ==, "passed");
}

static void
test_throw (void)
{
  g_autoptr(IsthmusHookRunner) runner = runner_for ("throw");
  g_autoptr(IsthmusHookResult) result = NULL;

  result = run (runner, "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{}}");
  g_assert_cmpstr (result->verdict, ==, "blocked");
  g_assert_cmpstr (result->reason, ==, "Error: command greet is not allowed");
  g_assert_true (strv_has (result->console, "warn: refusing greet"));
}

static void
test_async (void)
{
  g_autoptr(IsthmusHookRunner) runner = runner_for ("async");
  g_autoptr(IsthmusHookResult) stamped = NULL;
  g_autoptr(IsthmusHookResult) denied = NULL;

  /* The hook is set by a timer after load and awaits timers itself. */
  stamped = run (runner, "{\"cmd\":\"greet\",\"callback\":1,\"error\":2,\"payload\":{}}");
  g_assert_cmpstr (stamped->verdict, ==, "modified");
  g_assert_true (strv_has (stamped->added, "payload.stamped"));
  g_assert_false (stamped->timed_out);

  denied = run (runner, "{\"cmd\":\"deny\",\"callback\":3,\"error\":4,\"payload\":{}}");
  g_assert_cmpstr (denied->verdict, ==, "blocked");
  g_assert_cmpstr (denied->reason, ==, "Error: denied later");
}

static void
test_endless (void)
{
  g_autoptr(IsthmusHookRunner) runner = runner_for ("endless");
  g_autoptr(IsthmusHookResult) first = NULL;
  g_autoptr(IsthmusHookResult) spin = NULL;
  g_autoptr(IsthmusHookResult) after = NULL;
  g_autoptr(IsthmusHookResult) hang = NULL;
  g_autoptr(IsthmusHookResult) poll = NULL;
  gint64 t0;
  gint64 elapsed_ms;

  first = run (runner, "{\"cmd\":\"ok\",\"callback\":1,\"error\":2,\"payload\":{}}");
  g_assert_cmpstr (first->verdict, ==, "modified");
  g_assert_nonnull (strstr (first->hooked, "\"calls\":1"));

  /* while (true) {}: stopped at the limit, not hung on. */
  t0 = g_get_monotonic_time ();
  spin = run (runner, "{\"cmd\":\"spin\",\"callback\":3,\"error\":4,\"payload\":{}}");
  elapsed_ms = (g_get_monotonic_time () - t0) / 1000;
  g_assert_cmpstr (spin->verdict, ==, "hook-error");
  g_assert_true (spin->timed_out);
  g_assert_cmpstr (spin->reason, ==, "timed out after 500 ms");
  g_assert_cmpint (elapsed_ms, >=, TEST_TIMEOUT_MS - 50);
  g_assert_cmpint (elapsed_ms, <, TEST_TIMEOUT_MS + 5000);

  /* A fresh worker takes the next call; the app's state starts over. */
  after = run (runner, "{\"cmd\":\"ok\",\"callback\":5,\"error\":6,\"payload\":{}}");
  g_assert_cmpstr (after->verdict, ==, "modified");
  g_assert_nonnull (strstr (after->hooked, "\"calls\":1"));
  g_assert_true (notes_have_prefix (isthmus_hook_runner_get_notes (runner),
                                    "the hook worker was restarted"));

  /* A promise that never settles, with nothing left to run. */
  hang = run (runner, "{\"cmd\":\"hang\",\"callback\":7,\"error\":8,\"payload\":{}}");
  g_assert_cmpstr (hang->verdict, ==, "hook-error");
  g_assert_false (hang->timed_out);
  g_assert_nonnull (strstr (hang->reason, "never settles"));

  /* A promise that never settles while a timer keeps running. */
  poll = run (runner, "{\"cmd\":\"poll\",\"callback\":9,\"error\":10,\"payload\":{}}");
  g_assert_cmpstr (poll->verdict, ==, "hook-error");
  g_assert_true (poll->timed_out);
}

static void
test_load_errors (void)
{
  g_autoptr(IsthmusHookRunner) syntax = runner_for ("syntax-error");
  g_autoptr(IsthmusHookRunner) no_hook = runner_for ("no-hook");
  g_autoptr(IsthmusHookRunner) missing = runner_for ("does-not-exist");
  g_autoptr(GError) error = NULL;

  g_assert_false (isthmus_hook_runner_load (syntax, &error));
  g_assert_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_SYNTAX);
  g_assert_true (g_str_has_prefix (error->message, "index.html:6: "));
  g_clear_error (&error);

  g_assert_false (isthmus_hook_runner_load (no_hook, &error));
  g_assert_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_NO_HOOK);
  g_clear_error (&error);

  g_assert_null (isthmus_hook_runner_run (missing, "{\"cmd\":\"a\",\"callback\":1,\"error\":2}", &error));
  g_assert_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_LOAD);
}

static void
test_diff (void)
{
  g_autoptr(JsonNode) before = json_from_string ("{\"a\":1,\"b\":{\"c\":[1,2,3],\"d e\":true},\"gone\":null}", NULL);
  g_autoptr(JsonNode) after = json_from_string ("{\"a\":2,\"b\":{\"c\":[1,5],\"d e\":true,\"new\":{}}}", NULL);
  g_autoptr(GPtrArray) added = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) removed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) changed = g_ptr_array_new_with_free_func (g_free);

  isthmus_hook_json_diff (before, after, added, removed, changed);
  g_assert_cmpuint (changed->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (changed, 0), ==, "a");
  g_assert_cmpstr (g_ptr_array_index (changed, 1), ==, "b.c[1]");
  g_assert_cmpuint (removed->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (removed, 0), ==, "b.c[2]");
  g_assert_cmpstr (g_ptr_array_index (removed, 1), ==, "gone");
  g_assert_cmpuint (added->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (added, 0), ==, "b.new");
}

static void
test_recording (void)
{
  g_autofree char *path = fixture ("policy/recording.jsonl");
  g_autofree char *broken = fixture ("policy/broken.jsonl");
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;
  const IsthmusHookCall *call;
  guint skipped = 0;

  calls = isthmus_hook_recording_load (path, &skipped, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 5);
  g_assert_cmpuint (skipped, ==, 1);

  call = g_ptr_array_index (calls, 1);
  g_assert_cmpuint (call->line, ==, 3);
  g_assert_cmpuint (call->id, ==, 3);
  g_assert_cmpstr (call->window, ==, "preview");
  g_assert_cmpstr (call->cmd, ==, "fs_write");
  g_assert_cmpstr (call->then_verdict, ==, "passed");
  /* The isolation record's "original", not its envelope. */
  g_assert_nonnull (strstr (call->message, "../etc/passwd"));

  call = g_ptr_array_index (calls, 0);
  g_assert_null (call->then_verdict);
  g_assert_cmpstr (call->cmd, ==, "greet");

  g_assert_null (isthmus_hook_recording_load (broken, NULL, &error));
  g_assert_error (error, ISTHMUS_HOOK_RUNNER_ERROR, ISTHMUS_HOOK_RUNNER_ERROR_RECORDING);
  g_assert_true (g_str_has_suffix (error->message, "broken.jsonl:2: not a JSON object"));
}

static int
check (const char *app,
       const char *recording,
       const char *expectations,
       GString    *out,
       GString    *err)
{
  g_autofree char *dir = fixture (app);
  g_autofree char *rec = fixture (recording);
  g_autofree char *exp = expectations != NULL ? fixture (expectations) : NULL;

  g_string_truncate (out, 0);
  g_string_truncate (err, 0);

  return isthmus_hook_check (dir, rec, exp, NULL, TEST_TIMEOUT_MS, out, err);
}

static void
test_check (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);

  g_assert_cmpint (check ("policy", "policy/recording.jsonl", "policy/expect-ok.json", out, err), ==, 0);
  g_assert_nonnull (strstr (out->str, "preview  fs_write  passed → blocked"));
  g_assert_nonnull (strstr (out->str, "~payload.path +payload.checked"));
  g_assert_nonnull (strstr (out->str, "5 expectations: 5 met, 0 failed"));
  /* The external script is skipped, and said so. */
  g_assert_nonnull (strstr (err->str, "lint: index.html:5: external script"));
  g_assert_nonnull (strstr (err->str, "note: index.html:5: not loaded"));

  g_assert_cmpint (check ("policy", "policy/recording.jsonl", NULL, out, err), ==, 0);
  g_assert_cmpint (check ("policy", "policy/recording.jsonl", "policy/expect-fail.json", out, err), ==, 1);
  g_assert_nonnull (strstr (out->str, "FAILED: fs_* should be passed, but call 2 is blocked"));
  g_assert_cmpint (check ("policy", "policy/recording.jsonl", "policy/expect-unmatched.json", out, err), ==, 1);
  g_assert_nonnull (strstr (out->str, "no recorded call matches"));

  g_assert_cmpint (check ("policy", "policy/recording.jsonl", "policy/expect-bad.json", out, err), ==, 2);
  g_assert_cmpint (check ("policy", "policy/broken.jsonl", NULL, out, err), ==, 2);
  g_assert_nonnull (strstr (err->str, "broken.jsonl:2:"));
  g_assert_cmpint (check ("syntax-error", "policy/recording.jsonl", NULL, out, err), ==, 2);
  g_assert_nonnull (strstr (err->str, "index.html:6:"));
  g_assert_cmpint (check ("does-not-exist", "policy/recording.jsonl", NULL, out, err), ==, 2);
}

static int
run_cli (const char  *exe,
         const char  *app,
         const char  *recording,
         const char  *expectations,
         char       **out,
         char       **err)
{
  g_autofree char *dir = fixture (app);
  g_autofree char *rec = fixture (recording);
  g_autofree char *exp = expectations != NULL ? fixture (expectations) : NULL;
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  const char *argv[] = { exe, "--check-hook", dir, rec, exp != NULL ? "--expect" : NULL, exp, NULL };
  int wait_status = 0;

  /* No display at all: the check must not need one. */
  envp = g_environ_unsetenv (envp, "DISPLAY");
  envp = g_environ_unsetenv (envp, "WAYLAND_DISPLAY");

  g_spawn_sync (NULL, (char **)argv, envp, G_SPAWN_DEFAULT, NULL, NULL, out, err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));

  return WEXITSTATUS (wait_status);
}

static void
test_cli (void)
{
  const char *exe = g_getenv ("ISTHMUS_EXE");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  if (exe == NULL || !g_file_test (exe, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("ISTHMUS_EXE is not set to the isthmus executable");
      return;
    }

  g_assert_cmpint (run_cli (exe, "policy", "policy/recording.jsonl", "policy/expect-ok.json", &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "passed → blocked"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (exe, "policy", "policy/recording.jsonl", "policy/expect-fail.json", &out, &err), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (exe, "syntax-error", "policy/recording.jsonl", NULL, &out, &err), ==, 2);
  g_assert_nonnull (strstr (err, "index.html:6: "));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_cli (exe, "policy", "policy/broken.jsonl", NULL, &out, &err), ==, 2);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  /* The executable is its own hook worker. */
  g_assert_cmpint (run_cli (exe, "endless", "policy/recording.jsonl", NULL, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "5 calls: 0 passed, 5 modified"));
}

int
main (int   argc,
      char *argv[])
{
  /* The runner starts this executable again as its worker. */
  if (argc == 3 && g_str_equal (argv[1], ISTHMUS_HOOK_WORKER_OPTION))
    return isthmus_hook_worker_main (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/hook-runner/passthrough", test_passthrough);
  g_test_add_func ("/isthmus/hook-runner/modify", test_modify);
  g_test_add_func ("/isthmus/hook-runner/block-null", test_block_null);
  g_test_add_func ("/isthmus/hook-runner/throw", test_throw);
  g_test_add_func ("/isthmus/hook-runner/async", test_async);
  g_test_add_func ("/isthmus/hook-runner/endless", test_endless);
  g_test_add_func ("/isthmus/hook-runner/load-errors", test_load_errors);
  g_test_add_func ("/isthmus/hook-runner/diff", test_diff);
  g_test_add_func ("/isthmus/hook-runner/recording", test_recording);
  g_test_add_func ("/isthmus/hook-runner/check", test_check);
  g_test_add_func ("/isthmus/hook-runner/cli", test_cli);

  return g_test_run ();
}

/* test-mocks.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>

#include "isthmus-core.h"
#include "isthmus-test-util.h"
#include "isthmus-demo-commands.h"
#include "isthmus-error.h"
#include "isthmus-mocks.h"

/* A core with the demo commands as defaults and @mocks_json as mocks. */
static IsthmusCore *
new_core (const char    *mocks_json,
          IsthmusMocks **out_mocks)
{
  IsthmusCore *core = isthmus_core_new ();
  IsthmusRegistry *registry = isthmus_core_get_registry (core);
  g_autoptr(IsthmusMocks) mocks = isthmus_mocks_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  isthmus_demo_commands_register (registry);
  names = isthmus_registry_list (registry);
  for (guint i = 0; names[i] != NULL; i++)
    {
      if (!g_str_has_prefix (names[i], "plugin:"))
        g_assert_true (isthmus_registry_set_default (registry, names[i], TRUE));
    }

  g_assert_true (isthmus_mocks_load_data (mocks, mocks_json, -1, "test.json", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (isthmus_mocks_attach (mocks, registry), >, 0);

  if (out_mocks != NULL)
    *out_mocks = g_object_ref (mocks);

  return core;
}

static IsthmusExchange *
invoke (IsthmusCore *core,
        const char  *cmd,
        const char  *payload,
        Reply       *reply)
{
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  IsthmusExchange *exchange;

  reply_clear (reply);
  text = g_strdup_printf ("{\"cmd\":\"%s\",\"callback\":1,\"error\":2,\"payload\":%s,\"options\":null}",
                          cmd, payload);
  bytes = g_bytes_new (text, strlen (text));
  exchange = isthmus_core_handle_message (core, "main", bytes, reply_cb, reply);
  g_assert_nonnull (exchange);
  wait_until (&reply->calls, 1);
  g_assert_cmpint (reply->calls, ==, 1);

  return exchange;
}

static void
assert_load_fails (const char *json,
                   const char *expected_location,
                   const char *expected_text)
{
  g_autoptr(IsthmusMocks) mocks = isthmus_mocks_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (isthmus_mocks_load_data (mocks, json, -1, "mocks.json", &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  if (!g_str_has_prefix (error->message, expected_location))
    g_error ("“%s” does not start with “%s”", error->message, expected_location);
  if (strstr (error->message, expected_text) == NULL)
    g_error ("“%s” does not mention “%s”", error->message, expected_text);
  g_assert_cmpuint (isthmus_mocks_get_n_mocks (mocks), ==, 0);
}

static void
test_validation (void)
{
  assert_load_fails ("{\n  \"commands\": {\n    \"a\": {\"reply\": 1},,\n  }\n}",
                     "mocks.json:3:", "Parse error");
  assert_load_fails ("[1, 2]", "mocks.json:1: $:", "expected an object");
  assert_load_fails ("{\"mocks\": {}}", "mocks.json:1: $.mocks:", "unknown member");
  assert_load_fails ("{}", "mocks.json:1: $.commands:", "found nothing");
  assert_load_fails ("{\n\"commands\": []\n}", "mocks.json:2: $.commands:", "found an array");
  assert_load_fails ("{\"commands\": {\n\"greet\": \"hi\"\n}}",
                     "mocks.json:2: $.commands.greet:", "expected a mock object");
  assert_load_fails ("{\"commands\": {\n\"greet\": {\"delayMs\": 5}\n}}",
                     "mocks.json:2: $.commands.greet:", "needs one of");
  assert_load_fails ("{\"commands\": {\"greet\":\n {\"reply\": 1,\n \"error\": 2}}}",
                     "mocks.json:3: $.commands.greet.error:", "exactly one of");
  assert_load_fails ("{\"commands\": {\"greet\": {\"reply\": 1, \"replay\": 2}}}",
                     "mocks.json:1: $.commands.greet.replay:", "unknown member");
  assert_load_fails ("{\"commands\": {\"greet\": {\"reply\": 1,\n\n \"delayMs\": -1}}}",
                     "mocks.json:3: $.commands.greet.delayMs:", "integer number of milliseconds");
  assert_load_fails ("{\"commands\": {\"greet\": {\"reply\": 1, \"delayMs\": 1.5}}}",
                     "mocks.json:1: $.commands.greet.delayMs:", "integer");
  assert_load_fails ("{\"commands\": {\"greet\": {\"sequence\": []}}}",
                     "mocks.json:1: $.commands.greet.sequence:", "an empty array");
  assert_load_fails ("{\"commands\": {\"greet\": {\"sequence\": {\"reply\": 1}}}}",
                     "mocks.json:1: $.commands.greet.sequence:", "found an object");
  assert_load_fails ("{\"commands\": {\"plugin:x|y\": {\"sequence\": [\n"
                     "  {\"reply\": 1},\n"
                     "  {\"rep\": 2}\n"
                     "]}}}",
                     "mocks.json:3: $.commands[\"plugin:x|y\"].sequence[1].rep:", "unknown member");
  assert_load_fails ("{\"commands\": {\"greet\": {\"sequence\": [{\"reply\": 1}], \"cycle\": 1}}}",
                     "mocks.json:1: $.commands.greet.cycle:", "true or false");
  assert_load_fails ("{\"commands\": {\"greet\": {\"reply\": 1, \"cycle\": true}}}",
                     "mocks.json:1: $.commands.greet.cycle:", "belongs to a sequence");
  assert_load_fails ("{\"commands\": {\"greet\": {\"template\": {\"a\": [\"${nope}\"]}}}}",
                     "mocks.json:1: $.commands.greet.template.a[0]:", "unknown placeholder");
  assert_load_fails ("{\"commands\": {\"greet\": {\"template\": \"${args.x\"}}}",
                     "mocks.json:1: $.commands.greet.template:", "without a closing");
  assert_load_fails ("{\"commands\": {\n\"greet\": {\"reply\": 1},\n\"greet\": {\"reply\": 2}\n}}",
                     "mocks.json:3:", "appears twice");
  assert_load_fails ("{\"commands\": {\"\": {\"reply\": 1}}}",
                     "mocks.json:1: $.commands[\"\"]:", "cannot be empty");
}

static void
test_failed_load_keeps_mocks (void)
{
  g_autoptr(IsthmusMocks) mocks = isthmus_mocks_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (isthmus_mocks_load_data (mocks, "{\"commands\": {\"a\": {\"reply\": 1}}}",
                                          -1, "m.json", &error));
  g_assert_no_error (error);
  g_assert_false (isthmus_mocks_load_data (mocks, "{\"commands\": {\"b\": 1}}", -1, "m.json", &error));
  g_assert_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA);
  g_assert_cmpuint (isthmus_mocks_get_n_mocks (mocks), ==, 1);
}

static void
test_reply_and_order (void)
{
  g_autoptr(IsthmusCore) core = NULL;
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  core = new_core ("{\"commands\": {"
                   "\"greet\": {\"reply\": {\"mocked\": true}},"
                   "\"plugin:event|unlisten\": {\"reply\": \"not me\"},"
                   "\"nothing\": {\"reply\": null}}}", NULL);

  /* A mock wins over a default (demo) command, and says so. */
  exchange = invoke (core, "greet", "{\"name\": \"x\"}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "{\"mocked\":true}");
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), ==, "mocked");

  exchange = invoke (core, "nothing", "{}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "null");

  /* Demo commands still answer what no mock covers. */
  exchange = invoke (core, "echo", "{\"value\": 7}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "7");
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), !=, "mocked");

  /* A builtin plugin command wins over a mock. */
  exchange = invoke (core, "plugin:event|unlisten", "{\"event\": \"e\", \"eventId\": 1}", &reply);
  g_assert_cmpstr (reply.json, !=, "\"not me\"");
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), !=, "mocked");

  /* Nothing at all: Tauri's text. */
  invoke (core, "absent", "{}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "UNKNOWN_COMMAND");
  g_assert_cmpstr (reply.json, ==, "\"Command absent not found\"");

  reply_clear (&reply);
}

static void
test_error (void)
{
  g_autoptr(IsthmusCore) core = NULL;
  IsthmusExchange *exchange;
  Reply reply = { 0 };

  core = new_core ("{\"commands\": {\"save\": {\"error\": {\"kind\": \"Disk\", \"message\": \"full\"}},"
                   "\"plain\": {\"error\": \"nope\"}}}", NULL);

  exchange = invoke (core, "save", "{}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.code, ==, "HANDLER_ERROR");
  g_assert_cmpstr (reply.json, ==, "{\"kind\":\"Disk\",\"message\":\"full\"}");
  g_assert_cmpstr (isthmus_exchange_get_note (exchange), ==, "mocked");

  invoke (core, "plain", "{}", &reply);
  g_assert_false (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"nope\"");

  reply_clear (&reply);
}

static void
test_delay (void)
{
  g_autoptr(IsthmusCore) core = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *text = "{\"cmd\":\"later\",\"callback\":1,\"error\":2,\"payload\":{},\"options\":null}";
  Reply reply = { 0 };
  gint64 start;

  core = new_core ("{\"commands\": {\"later\": {\"delayMs\": 80, \"reply\": \"done\"}}}", NULL);

  bytes = g_bytes_new_static (text, strlen (text));
  start = g_get_monotonic_time ();
  isthmus_core_handle_message (core, "main", bytes, reply_cb, &reply);
  /* Not answered at once … */
  g_assert_cmpint (reply.calls, ==, 0);
  g_assert_cmpuint (isthmus_core_get_n_pending (core), ==, 1);
  wait_until (&reply.calls, 1);
  /* … but after the delay. */
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==, "\"done\"");
  g_assert_cmpint (reply.at_us - start, >=, 80 * 1000);

  reply_clear (&reply);
}

static void
test_sequence (void)
{
  g_autoptr(IsthmusCore) core = NULL;
  g_autoptr(IsthmusMocks) mocks = NULL;
  g_autoptr(GError) error = NULL;
  Reply reply = { 0 };
  const char *sticky[] = { "1", "2", "\"last\"", "\"last\"" };
  const char *cycled[] = { "\"a\"", "\"b\"", "\"a\"", "\"b\"" };

  core = new_core ("{\"commands\": {"
                   "\"sticky\": {\"sequence\": [{\"reply\": 1}, {\"reply\": 2}, {\"error\": \"last\"}]},"
                   "\"cycled\": {\"sequence\": [{\"reply\": \"a\"}, {\"reply\": \"b\", \"delayMs\": 10}],"
                   " \"cycle\": true}}}", &mocks);

  for (guint i = 0; i < G_N_ELEMENTS (sticky); i++)
    {
      invoke (core, "sticky", "{}", &reply);
      g_assert_cmpstr (reply.json, ==, sticky[i]);
      g_assert_cmpint (reply.ok, ==, i < 2);
    }

  for (guint i = 0; i < G_N_ELEMENTS (cycled); i++)
    {
      invoke (core, "cycled", "{}", &reply);
      g_assert_true (reply.ok);
      g_assert_cmpstr (reply.json, ==, cycled[i]);
    }

  /* Loading again starts the sequences over. */
  g_assert_true (isthmus_mocks_load_data (mocks,
                                          "{\"commands\": {\"sticky\": {\"sequence\": [{\"reply\": 1}, {\"reply\": 2}]}}}",
                                          -1, "again.json", &error));
  g_assert_no_error (error);
  invoke (core, "sticky", "{}", &reply);
  g_assert_cmpstr (reply.json, ==, "1");

  reply_clear (&reply);
}

static void
test_template (void)
{
  g_autoptr(IsthmusCore) core = NULL;
  Reply reply = { 0 };

  core = new_core ("{\"commands\": {\"user_*\": {\"template\": {"
                   "\"id\": \"${args.user.id}\","
                   "\"first\": \"${args.tags.0}\","
                   "\"text\": \"Hello, ${args.user.name}! (${args.user.id}, ${args.missing})\","
                   "\"whole\": \"${args}\","
                   "\"missing\": \"${args.nope.deeper}\","
                   "\"cmd\": \"${cmd} in ${window}\","
                   "\"fixed\": [1, true, null]}},"
                   "\"user_exact\": {\"reply\": \"exact wins\"}}}", NULL);

  invoke (core, "user_get",
          "{\"user\": {\"id\": 42, \"name\": \"Ada\"}, \"tags\": [\"x\", \"y\"]}", &reply);
  g_assert_true (reply.ok);
  g_assert_cmpstr (reply.json, ==,
                   "{\"id\":42,\"first\":\"x\",\"text\":\"Hello, Ada! (42, )\","
                   "\"whole\":{\"user\":{\"id\":42,\"name\":\"Ada\"},\"tags\":[\"x\",\"y\"]},"
                   "\"missing\":null,\"cmd\":\"user_get in main\",\"fixed\":[1,true,null]}");

  /* An exact key wins over a glob. */
  invoke (core, "user_exact", "{}", &reply);
  g_assert_cmpstr (reply.json, ==, "\"exact wins\"");

  reply_clear (&reply);
}

static void
changed_cb (IsthmusMocks *mocks,
            gpointer      user_data)
{
  (*(int *)user_data)++;
}

static void
test_file_reload (void)
{
  g_autoptr(IsthmusCore) core = NULL;
  g_autoptr(IsthmusMocks) mocks = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *sub = NULL;
  g_autofree char *path = NULL;
  g_autofree char *found = NULL;
  Reply reply = { 0 };
  int changed = 0;

  dir = g_dir_make_tmp ("isthmus-mocks-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_null (isthmus_mocks_find_project_file (dir));

  sub = g_build_filename (dir, ".isthmus", NULL);
  g_assert_cmpint (g_mkdir (sub, 0700), ==, 0);
  path = g_build_filename (dir, ISTHMUS_MOCKS_PROJECT_FILE, NULL);
  g_file_set_contents (path, "{\"commands\": {\"v\": {\"reply\": 1}}}", -1, &error);
  g_assert_no_error (error);
  found = isthmus_mocks_find_project_file (dir);
  g_assert_cmpstr (found, ==, path);

  core = new_core ("{\"commands\": {}}", &mocks);
  g_signal_connect (mocks, "changed", G_CALLBACK (changed_cb), &changed);

  g_assert_true (isthmus_mocks_load_file (mocks, path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, 1);
  g_assert_cmpstr (isthmus_mocks_get_path (mocks), ==, path);
  invoke (core, "v", "{}", &reply);
  g_assert_cmpstr (reply.json, ==, "1");

  g_file_set_contents (path, "{\"commands\": {\"v\": {\"reply\": 2}}}", -1, &error);
  g_assert_no_error (error);
  g_assert_true (isthmus_mocks_reload (mocks, &error));
  g_assert_no_error (error);
  g_assert_cmpint (changed, ==, 2);
  invoke (core, "v", "{}", &reply);
  g_assert_cmpstr (reply.json, ==, "2");

  /* A broken edit names the file and keeps the last good mocks. */
  g_file_set_contents (path, "{\"commands\": {\"v\": {\"reply\": }}}", -1, &error);
  g_assert_no_error (error);
  g_assert_false (isthmus_mocks_reload (mocks, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "mocks.json:1:"));
  g_clear_error (&error);
  g_assert_cmpint (changed, ==, 2);
  invoke (core, "v", "{}", &reply);
  g_assert_cmpstr (reply.json, ==, "2");

  isthmus_mocks_clear (mocks);
  g_assert_cmpint (changed, ==, 3);
  g_assert_cmpuint (isthmus_mocks_get_n_mocks (mocks), ==, 0);

  g_assert_false (isthmus_mocks_load_file (mocks, "/nonexistent/mocks.json", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  g_unlink (path);
  g_rmdir (sub);
  g_rmdir (dir);
  reply_clear (&reply);
}

static const char export_mocks[] =
  "{\"commands\": {"
  "\"greet\": {\"template\": \"Hi ${args.name}\"},"
  "\"fail\": {\"error\": {\"kind\": \"E\"}},"
  "\"seq\": {\"sequence\": [{\"reply\": 1}, {\"reply\": 2, \"delayMs\": 20}]},"
  "\"plugin:fs|read_*\": {\"reply\": \"glob \\u2028 \\\"quoted\\\" */ `${x}`\"},"
  "\"it's\": {\"reply\": true}}}";

static const char export_driver[] =
  "globalThis.window = globalThis\n"
  "const { installMocks } = await import ('./mocks.mjs')\n"
  "installMocks ()\n"
  "const invoke = (cmd, args) => window.__TAURI_INTERNALS__.invoke (cmd, args)\n"
  "const out = []\n"
  "const settle = (p) => p.then ((v) => ['ok', v], (e) => ['err', e])\n"
  "out.push (await settle (invoke ('greet', { name: 'Ada' })))\n"
  "out.push (await settle (invoke ('fail', {})))\n"
  "out.push (await settle (invoke ('seq', {})))\n"
  "out.push (await settle (invoke ('seq', {})))\n"
  "out.push (await settle (invoke ('seq', {})))\n"
  "out.push (await settle (invoke ('plugin:fs|read_file', {})))\n"
  "out.push (await settle (invoke (\"it's\", {})))\n"
  "out.push (await settle (invoke ('plugin:x|nope', {})))\n"
  "console.log (JSON.stringify (out))\n";

static void
run_node (const char * const *argv,
          const char         *cwd,
          char              **out)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_spawn_sync (cwd, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[1], err);
}

static void
test_export (void)
{
  g_autoptr(IsthmusMocks) mocks = isthmus_mocks_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *js = NULL;
  g_autofree char *node = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *module = NULL;
  g_autofree char *driver = NULL;
  g_autofree char *modules = NULL;
  g_autofree char *link = NULL;
  g_autofree char *output = NULL;

  g_assert_true (isthmus_mocks_load_data (mocks, export_mocks, -1, "export.json", &error));
  g_assert_no_error (error);

  js = isthmus_mocks_to_mock_ipc (mocks);
  g_assert_nonnull (strstr (js, "import { mockIPC } from '@tauri-apps/api/mocks'"));
  g_assert_nonnull (strstr (js, "export function installMocks ()"));
  g_assert_nonnull (strstr (js, "switch (cmd)"));
  g_assert_nonnull (strstr (js, "case \"greet\":"));
  g_assert_null (strstr (js, "\xe2\x80\xa8"));

  node = g_find_program_in_path ("node");
  if (node == NULL)
    {
      g_test_message ("node is not installed: the generated module is not run");
      return;
    }

  dir = g_dir_make_tmp ("isthmus-mockipc-XXXXXX", &error);
  g_assert_no_error (error);
  module = g_build_filename (dir, "mocks.mjs", NULL);
  g_file_set_contents (module, js, -1, &error);
  g_assert_no_error (error);

  {
    const char *check[] = { node, "--check", module, NULL };

    run_node (check, dir, NULL);
  }

  /* With @tauri-apps/api at hand (npm ci in tests/), run it for real. */
  modules = g_test_build_filename (G_TEST_DIST, "node_modules", NULL);
  if (g_file_test (modules, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *mocks_js = g_build_filename (modules, "@tauri-apps", "api", "mocks.js", NULL);

      if (g_file_test (mocks_js, G_FILE_TEST_EXISTS))
        {
          const char *run[] = { node, "driver.mjs", NULL };

          link = g_build_filename (dir, "node_modules", NULL);
          g_assert_cmpint (symlink (modules, link), ==, 0);
          driver = g_build_filename (dir, "driver.mjs", NULL);
          g_file_set_contents (driver, export_driver, -1, &error);
          g_assert_no_error (error);
          run_node (run, dir, &output);
          g_strstrip (output);
          g_assert_cmpstr (output, ==,
                           "[[\"ok\",\"Hi Ada\"],[\"err\",{\"kind\":\"E\"}],[\"ok\",1],[\"ok\",2],"
                           "[\"ok\",2],[\"ok\",\"glob \xe2\x80\xa8 \\\"quoted\\\" */ `${x}`\"],"
                           "[\"ok\",true],[\"err\",\"Command nope not found\"]]");
          g_unlink (driver);
          g_unlink (link);
        }
    }
  else
    g_test_message ("tests/node_modules is missing: the generated module is only syntax-checked");

  g_unlink (module);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/isthmus/mocks/validation", test_validation);
  g_test_add_func ("/isthmus/mocks/failed-load-keeps-mocks", test_failed_load_keeps_mocks);
  g_test_add_func ("/isthmus/mocks/reply-and-order", test_reply_and_order);
  g_test_add_func ("/isthmus/mocks/error", test_error);
  g_test_add_func ("/isthmus/mocks/delay", test_delay);
  g_test_add_func ("/isthmus/mocks/sequence", test_sequence);
  g_test_add_func ("/isthmus/mocks/template", test_template);
  g_test_add_func ("/isthmus/mocks/file-reload", test_file_reload);
  g_test_add_func ("/isthmus/mocks/export-mock-ipc", test_export);

  return g_test_run ();
}

/* fuzz-capability.c
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
 * Feeds arbitrary text to the capability loader, as a file and as
 * app.security.capabilities, then checks a few commands and the resolved
 * table, asserting what every verdict promises.
 */

#define G_LOG_DOMAIN "fuzz-capability"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "isthmus-acl.h"
#include "isthmus-error.h"
#include "isthmus-json-guard.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static const struct
{
  const char *command;
  const char *window;
  const char *origin;
} probes[] = {
  { "plugin:event|emit", "main", NULL },
  { "plugin:window|set_title", "main", NULL },
  { "plugin:fs|read_file", "admin-1", "https://a.example.com/x" },
  { "greet", "main", NULL },
  { "plugin:__TAURI_CHANNEL__|fetch", "main", NULL },
  { "plugin:window|set-title", "main", NULL },
  { "plugin:", "", "not a url" },
};

static void
check_verdict (IsthmusAcl *acl,
               const char *command,
               const char *window,
               const char *origin)
{
  g_autoptr(IsthmusAclVerdict) verdict = isthmus_acl_check (acl, command, window, NULL, origin);
  g_autoptr(GError) error = isthmus_acl_verdict_dup_error (verdict);
  const char *reason = isthmus_acl_verdict_get_reason (verdict);

  g_assert_nonnull (reason);
  g_assert_true (g_utf8_validate (reason, -1, NULL));
  g_assert_cmpstr (isthmus_acl_verdict_get_command (verdict), ==, command);

  if (isthmus_acl_verdict_get_allowed (verdict))
    {
      g_assert_null (error);
      g_assert_null (isthmus_acl_verdict_get_error_message (verdict));
      g_assert_null (isthmus_acl_verdict_get_suggestion (verdict));
      if (isthmus_acl_verdict_get_checked (verdict))
        {
          g_assert_nonnull (isthmus_acl_verdict_get_capability (verdict));
          g_assert_nonnull (isthmus_acl_verdict_get_permission (verdict));
        }
    }
  else
    {
      g_autofree char *text = g_strdup_printf ("Command %s not allowed by ACL", command);

      g_assert_true (isthmus_acl_is_active (acl));
      g_assert_true (isthmus_acl_verdict_get_checked (verdict));
      g_assert_error (error, ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_ACL_DENIED);
      g_assert_cmpstr (error->message, ==, text);
    }

  /* Nothing but the exempt channel fetch passes an active ACL unchecked in
   * strict mode. */
  if (isthmus_acl_is_active (acl) && isthmus_acl_get_mode (acl) == ISTHMUS_ACL_STRICT &&
      !g_str_equal (command, "plugin:__TAURI_CHANNEL__|fetch"))
    g_assert_true (isthmus_acl_verdict_get_checked (verdict));
}

static void
exercise (IsthmusAcl *acl)
{
  GPtrArray *errors = isthmus_acl_get_errors (acl);
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *dump = NULL;

  for (guint i = 0; i < errors->len; i++)
    g_assert_true (g_utf8_validate (g_ptr_array_index (errors, i), -1, NULL));

  for (int mode = ISTHMUS_ACL_TAURI; mode <= ISTHMUS_ACL_STRICT; mode++)
    {
      isthmus_acl_set_mode (acl, mode);
      for (guint i = 0; i < G_N_ELEMENTS (probes); i++)
        check_verdict (acl, probes[i].command, probes[i].window, probes[i].origin);
    }

  rows = isthmus_acl_resolve_table (acl, "main", NULL, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      IsthmusAclRow *row = g_ptr_array_index (rows, i);

      g_assert_nonnull (row->capability);
      g_assert_nonnull (row->permission);
      g_assert_true ((row->command == NULL) == (row->kind == ISTHMUS_ACL_ROW_UNKNOWN));
    }

  dump = isthmus_acl_dump_table (acl, "main");
  g_assert_true (g_utf8_validate (dump, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(IsthmusAcl) from_file = isthmus_acl_new ();
  g_autoptr(IsthmusAcl) from_config = isthmus_acl_new ();
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *text = NULL;
  gboolean ok;

  ok = isthmus_acl_load_data (from_file, (const char *)data, size, "fuzz.json");
  g_assert_true (ok == (isthmus_acl_get_errors (from_file)->len == 0));
  g_assert_true (isthmus_acl_is_active (from_file));
  exercise (from_file);

  if (!isthmus_json_guard_check ((const char *)data, size, NULL, NULL))
    return 0;

  /* Accepted text has no NUL, so a terminated copy holds all of it. */
  text = g_malloc (size + 1);
  memcpy (text, data, size);
  text[size] = '\0';

  parser = json_parser_new ();
  if (json_parser_load_from_data (parser, text, size, NULL) && json_parser_get_root (parser) != NULL)
    {
      isthmus_acl_add_inline (from_config, json_parser_get_root (parser), "tauri.conf.json");
      exercise (from_config);
    }

  return 0;
}

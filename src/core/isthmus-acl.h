/* isthmus-acl.h
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

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * IsthmusAclMode:
 * @ISTHMUS_ACL_TAURI: as Tauri does: every `plugin:` command is checked;
 *   app commands (bare names) are checked only when some enabled capability
 *   references an app permission (an `allow-x`/`deny-x` without a colon).
 *   That reference is Isthmus' stand-in for "the app has an ACL manifest",
 *   which a Tauri build learns from its build script and Isthmus cannot see.
 * @ISTHMUS_ACL_STRICT: every command, app commands included, needs a
 *   permission (threat model R6).
 *
 * In both modes a loader that found no capability at all leaves the ACL
 * off: everything is allowed and each verdict says so.
 */
typedef enum
{
  ISTHMUS_ACL_TAURI,
  ISTHMUS_ACL_STRICT,
} IsthmusAclMode;

typedef enum
{
  ISTHMUS_ACL_ROW_ALLOWED,
  ISTHMUS_ACL_ROW_DENIED,
  ISTHMUS_ACL_ROW_UNKNOWN,
} IsthmusAclRowKind;

/**
 * IsthmusAclRow:
 * @kind: what the row says
 * @command: the command the permission names (`plugin:window|set_title`,
 *   `greet`), or %NULL for an unknown permission
 * @permission: the permission that grants or denies it, in its full form
 *   (`core:window:allow-set-title`)
 * @capability: the identifier of the capability that holds it
 * @via: the permission sets it came through (`core:default >
 *   core:window:default`), or %NULL when written directly
 * @note: extra text (a scope summary, "overridden by a deny", why a
 *   permission is unknown), or %NULL
 *
 * One line of the resolved table of a window.
 */
typedef struct
{
  IsthmusAclRowKind  kind;
  char              *command;
  char              *permission;
  char              *capability;
  char              *via;
  char              *note;
} IsthmusAclRow;

void isthmus_acl_row_free (IsthmusAclRow *row);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusAclRow, isthmus_acl_row_free)

#define ISTHMUS_TYPE_ACL_VERDICT (isthmus_acl_verdict_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusAclVerdict, isthmus_acl_verdict, ISTHMUS, ACL_VERDICT, GObject)

/* TRUE when the command may run. */
gboolean     isthmus_acl_verdict_get_allowed       (IsthmusAclVerdict *self);
/* FALSE when nothing was checked: the ACL is off, the command is the exempt
 * channel fetch, or an app command in Tauri mode without app permissions. */
gboolean     isthmus_acl_verdict_get_checked       (IsthmusAclVerdict *self);
const char  *isthmus_acl_verdict_get_command       (IsthmusAclVerdict *self);
/* The capability and permission that allowed the command, or, when it was
 * explicitly denied, those of the deny. NULL otherwise. */
const char  *isthmus_acl_verdict_get_capability    (IsthmusAclVerdict *self);
const char  *isthmus_acl_verdict_get_permission    (IsthmusAclVerdict *self);
/* Why: "allowed by capability …", "explicitly denied by capability X
 * permission Y", "allowed only for windows [...]", "no capability grants
 * it", "no capabilities: nothing is checked"… Never NULL. */
const char  *isthmus_acl_verdict_get_reason        (IsthmusAclVerdict *self);
/* The smallest change that would allow the command, e.g.
 * `add "core:window:allow-set-title" to capability "default"`; NULL when
 * allowed. */
const char  *isthmus_acl_verdict_get_suggestion    (IsthmusAclVerdict *self);
/* Tauri's rejection text, "Command <cmd> not allowed by ACL"; NULL when
 * allowed. */
const char  *isthmus_acl_verdict_get_error_message (IsthmusAclVerdict *self);
/* An ISTHMUS_IPC_ERROR_ACL_DENIED error carrying that text, or NULL when
 * allowed. (transfer full) */
GError      *isthmus_acl_verdict_dup_error         (IsthmusAclVerdict *self);
/* A verdict restored from a record (JSON Lines import): nothing is
 * checked again, the fields are taken as written. */
IsthmusAclVerdict *isthmus_acl_verdict_new_restored (const char *command,
                                                     gboolean    checked,
                                                     gboolean    allowed,
                                                     const char *capability,
                                                     const char *permission,
                                                     const char *reason,
                                                     const char *suggestion);

#define ISTHMUS_TYPE_ACL (isthmus_acl_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusAcl, isthmus_acl, ISTHMUS, ACL, GObject)

/* Signals: "changed" after every load, add or clear. */

IsthmusAcl         *isthmus_acl_new              (void);
void                isthmus_acl_set_mode         (IsthmusAcl     *self,
                                                  IsthmusAclMode  mode);
IsthmusAclMode      isthmus_acl_get_mode         (IsthmusAcl     *self);
/* Forgets every capability and error. */
void                isthmus_acl_clear            (IsthmusAcl     *self);

/* Loads every `*.json` below @dir, recursively, in sorted path order. A
 * `*.toml` file gives an error (Debian 12 ships no C TOML parser). File
 * names in messages are @dir joined with the path below it. Returns FALSE
 * (with ISTHMUS_CONFIG_ERROR_NOT_FOUND) only when @dir is not a directory;
 * problems with single files are collected, see isthmus_acl_get_errors(),
 * and loading goes on with the other files. */
gboolean            isthmus_acl_load_directory   (IsthmusAcl     *self,
                                                  const char     *dir,
                                                  GError        **error);
/* Loads one capability file's text (one capability, an array of them, or
 * {"capabilities": [...]}) named @source_name in messages. Returns FALSE
 * when it recorded an error. */
gboolean            isthmus_acl_load_data        (IsthmusAcl     *self,
                                                  const char     *data,
                                                  gsize           length,
                                                  const char     *source_name);
/* app.security.capabilities: an array whose strings name capabilities
 * loaded from files and whose objects are inline capabilities. A non-empty
 * list enables only what it names. @source_name (e.g. the config path)
 * prefixes messages. */
void                isthmus_acl_add_inline       (IsthmusAcl     *self,
                                                  JsonNode       *capabilities,
                                                  const char     *source_name);

/* Every problem found so far, as "file:line: field: message" strings.
 * (transfer none) (element-type utf8): valid until the next change. */
GPtrArray          *isthmus_acl_get_errors       (IsthmusAcl     *self);
/* FALSE when no capability source was seen at all: the ACL is off. A
 * source that failed to load still turns it on (it fails closed). */
gboolean            isthmus_acl_is_active        (IsthmusAcl     *self);

/* Decides whether @command may run for the caller the core identified:
 * @window_label and @webview_label (NULL = same as the window) are the
 * labels the core owns, never values from the message; @origin is the
 * caller URL for remote content, NULL for the local app URL.
 * (transfer full) */
IsthmusAclVerdict  *isthmus_acl_check            (IsthmusAcl     *self,
                                                  const char     *command,
                                                  const char     *window_label,
                                                  const char     *webview_label,
                                                  const char     *origin);

/* The resolved table for one caller: allowed rows (from the capabilities
 * that match it), denied rows (every deny of an enabled capability, since a
 * deny holds everywhere) and unknown permissions, sorted by command.
 * (transfer full) (element-type IsthmusAclRow) */
GPtrArray          *isthmus_acl_resolve_table    (IsthmusAcl     *self,
                                                  const char     *window_label,
                                                  const char     *webview_label,
                                                  const char     *origin);
/* A stable text form of the capabilities' state and of the resolved table
 * for @window_label (webview of the same label, local origin), used for
 * golden files. (transfer full) */
char               *isthmus_acl_dump_table       (IsthmusAcl     *self,
                                                  const char     *window_label);

G_END_DECLS

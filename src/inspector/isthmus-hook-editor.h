/* isthmus-hook-editor.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Where the bundled passthrough isolation app lives in the resources. */
#define ISTHMUS_HOOK_EDITOR_PASSTHROUGH_RESOURCE "/dev/isthmus/Isthmus/isolation/passthrough/index.html"

#define ISTHMUS_TYPE_HOOK_EDITOR (isthmus_hook_editor_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusHookEditor, isthmus_hook_editor, ISTHMUS, HOOK_EDITOR, GtkWidget)

/* An editor on the isolation app's hook: the script file that sets
 * __TAURI_ISOLATION_HOOK__, or index.html. Save checks the syntax of the
 * scripts first (an error names its file and line, and nothing is
 * written), then replaces the file atomically, which the live reload
 * picks up; the lint findings of the saved app are listed under it.
 * Property "app-dir" (string, nullable): the isolation app folder. */
GtkWidget  *isthmus_hook_editor_new           (void);
void        isthmus_hook_editor_set_app_dir   (IsthmusHookEditor  *self,
                                               const char         *app_dir);
const char *isthmus_hook_editor_get_app_dir   (IsthmusHookEditor  *self);
/* (nullable) The file being edited. */
const char *isthmus_hook_editor_get_path      (IsthmusHookEditor  *self);
void        isthmus_hook_editor_set_text      (IsthmusHookEditor  *self,
                                               const char         *text);
/* Checks the syntax of the text; FALSE with an error naming the line. */
gboolean    isthmus_hook_editor_check         (IsthmusHookEditor  *self,
                                               GError            **error);
/* Checks, then writes the file. */
gboolean    isthmus_hook_editor_save          (IsthmusHookEditor  *self,
                                               GError            **error);
/* Copies the bundled passthrough app into @folder (its index.html must
 * not exist yet) and edits it. */
gboolean    isthmus_hook_editor_start_from_passthrough (IsthmusHookEditor *self,
                                                        GFile             *folder,
                                                        GError           **error);

G_END_DECLS

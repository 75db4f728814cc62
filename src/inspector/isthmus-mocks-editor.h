/* isthmus-mocks-editor.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "isthmus-mocks.h"

G_BEGIN_DECLS

#define ISTHMUS_TYPE_MOCKS_EDITOR (isthmus_mocks_editor_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusMocksEditor, isthmus_mocks_editor, ISTHMUS, MOCKS_EDITOR, GtkWidget)

/* A JSON editor on the mocks file of @mocks (nullable: nothing to edit),
 * checked as one types (the error, with its line, under it); Apply saves
 * the file and reloads the mocks, and the mocks can be exported as a
 * mockIPC() fixture for @tauri-apps/api/mocks. */
GtkWidget  *isthmus_mocks_editor_new             (IsthmusMocks       *mocks);
void        isthmus_mocks_editor_set_text        (IsthmusMocksEditor *self,
                                                  const char         *text);
/* Checks the text now; returns whether it is a valid mocks file. */
gboolean    isthmus_mocks_editor_validate        (IsthmusMocksEditor *self);
/* The validation error as shown, or "". */
const char *isthmus_mocks_editor_get_error_text  (IsthmusMocksEditor *self);
/* Saves the text to the mocks file and reloads the mocks. */
gboolean    isthmus_mocks_editor_apply           (IsthmusMocksEditor *self,
                                                  GError            **error);

G_END_DECLS

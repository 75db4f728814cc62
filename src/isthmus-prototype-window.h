/* isthmus-prototype-window.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "isthmus-breakpoints-view.h"
#include "isthmus-composer-view.h"
#include "isthmus-hook-editor.h"
#include "isthmus-mocks-editor.h"
#include "isthmus-replay-view.h"
#include "isthmus-web-host.h"

G_BEGIN_DECLS

#define ISTHMUS_TYPE_PROTOTYPE_WINDOW (isthmus_prototype_window_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusPrototypeWindow, isthmus_prototype_window, ISTHMUS, PROTOTYPE_WINDOW, AdwApplicationWindow)

/* The prototyping window: the isolation hook's editor, a dry-run replay
 * of recorded calls through it, the mocks editor, the composer and the
 * breakpoints, on @core. @host (nullable) gives the open windows;
 * @mocks (nullable) is the mocks file in use; @isolation_dir (nullable)
 * the isolation app. */
IsthmusPrototypeWindow *isthmus_prototype_window_new (GtkApplication *application,
                                                      IsthmusCore    *core,
                                                      IsthmusWebHost *host,
                                                      IsthmusMocks   *mocks,
                                                      const char     *isolation_dir);
/* The pages, for tests. (transfer none) */
IsthmusHookEditor      *isthmus_prototype_window_get_hook_editor      (IsthmusPrototypeWindow *self);
IsthmusReplayView      *isthmus_prototype_window_get_replay_view      (IsthmusPrototypeWindow *self);
IsthmusMocksEditor     *isthmus_prototype_window_get_mocks_editor     (IsthmusPrototypeWindow *self);
IsthmusComposerView    *isthmus_prototype_window_get_composer_view    (IsthmusPrototypeWindow *self);
IsthmusBreakpointsView *isthmus_prototype_window_get_breakpoints_view (IsthmusPrototypeWindow *self);
/* Shows the page @name: "hook", "replay", "mocks", "composer" or
 * "breakpoints". */
void                    isthmus_prototype_window_show_page (IsthmusPrototypeWindow *self,
                                                            const char             *name);

G_END_DECLS

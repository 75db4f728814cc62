/* isthmus-mocks.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-registry.h"

G_BEGIN_DECLS

/* The mocks file of a project folder, relative to it. */
#define ISTHMUS_MOCKS_PROJECT_FILE ".isthmus/mocks.json"

#define ISTHMUS_TYPE_MOCKS (isthmus_mocks_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusMocks, isthmus_mocks, ISTHMUS, MOCKS, GObject)

/*
 * Canned answers, read from a JSON file:
 *
 *   {"commands": {"<command or glob>": MOCK, …}}
 *
 * A key with `*` or `?` is a glob (GPatternSpec: `*` any text, `?` one
 * character). An exact key wins over globs; among globs the first in the
 * file wins. MOCK is an object with exactly one of:
 *
 *   {"reply": V}          resolves with V
 *   {"error": V}          rejects with V (recorded as HANDLER_ERROR)
 *   {"template": V}       resolves with V where every string "${args.a.b}"
 *                         is replaced by that argument (any type; null when
 *                         absent) and "${args.x}" inside a longer string by
 *                         its text; also "${cmd}" and "${window}"
 *   {"sequence": [MOCK, …], "cycle": false}
 *                         answers with each MOCK in turn, then sticks at the
 *                         last one, or starts over when "cycle" is true; the
 *                         position resets when the file is (re)loaded
 *
 * plus an optional "delayMs": n (0‥600000) that waits before answering.
 * Answers are marked "mocked" in the record's note.
 */

IsthmusMocks *isthmus_mocks_new              (void);
/* Loads @path, replacing the current mocks only if the whole file is
 * valid. Errors (G_IO_ERROR for I/O, JSON_PARSER_ERROR otherwise) name the
 * file, the line and the JSON path. Emits "changed" on success. */
gboolean      isthmus_mocks_load_file        (IsthmusMocks  *self,
                                              const char    *path,
                                              GError       **error);
/* The same from text; @origin names it in messages (a file name). */
gboolean      isthmus_mocks_load_data        (IsthmusMocks  *self,
                                              const char    *data,
                                              gssize         length,
                                              const char    *origin,
                                              GError       **error);
/* Loads the last loaded file again (after the user edited it). */
gboolean      isthmus_mocks_reload           (IsthmusMocks  *self,
                                              GError       **error);
/* Reloads by itself when the file changes on disk; a file that fails to
 * load emits "load-failed" (GError) and keeps the previous mocks. */
void          isthmus_mocks_set_watch        (IsthmusMocks  *self,
                                              gboolean       watch);
/* Drops every mock (emits "changed"). */
void          isthmus_mocks_clear            (IsthmusMocks  *self);
/* (nullable) The file last loaded. */
const char   *isthmus_mocks_get_path         (IsthmusMocks  *self);
guint         isthmus_mocks_get_n_mocks      (IsthmusMocks  *self);
/* Sorted keys (commands and globs), for the UI (transfer full). */
char        **isthmus_mocks_list             (IsthmusMocks  *self);

/* Answers @invocation if a mock matches it; returns FALSE otherwise. */
gboolean      isthmus_mocks_handle           (IsthmusMocks      *self,
                                              IsthmusInvocation *invocation);
/* Installs the mocks as a resolver of @registry (priority
 * ISTHMUS_RESOLVER_PRIORITY_MOCKS); the registry keeps a reference. */
guint         isthmus_mocks_attach           (IsthmusMocks      *self,
                                              IsthmusRegistry   *registry);

/* The path of the project's mocks file if it exists, else NULL
 * (transfer full). */
char         *isthmus_mocks_find_project_file (const char       *project_dir);

/* A JavaScript module for tests with @tauri-apps/api/mocks that answers
 * as these mocks do: it exports installMocks(), which calls mockIPC().
 * (transfer full) */
char         *isthmus_mocks_to_mock_ipc      (IsthmusMocks      *self);

G_END_DECLS

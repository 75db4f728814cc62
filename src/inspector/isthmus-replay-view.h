/* isthmus-replay-view.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "isthmus-core.h"

G_BEGIN_DECLS

#define ISTHMUS_TYPE_REPLAY_ROW (isthmus_replay_row_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusReplayRow, isthmus_replay_row, ISTHMUS, REPLAY_ROW, GObject)

/* One replayed call; read-only properties "index" (guint, 1-based),
 * "window", "command", "then" (the verdict recorded then, or "not
 * hooked"), "now" (the edited hook's verdict), "changes" (the changed
 * paths), "reason" and "verdict-changed" (gboolean). */
guint       isthmus_replay_row_get_index           (IsthmusReplayRow *self);
const char *isthmus_replay_row_get_command         (IsthmusReplayRow *self);
const char *isthmus_replay_row_get_then            (IsthmusReplayRow *self);
const char *isthmus_replay_row_get_now             (IsthmusReplayRow *self);
gboolean    isthmus_replay_row_get_verdict_changed (IsthmusReplayRow *self);

#define ISTHMUS_TYPE_REPLAY_VIEW (isthmus_replay_view_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusReplayView, isthmus_replay_view, ISTHMUS, REPLAY_VIEW, GtkWidget)

/* The dry-run page: runs recorded calls (this session's, or a JSON Lines
 * file's; all or those a filter matches) through the isolation hook of
 * an app folder with the headless hook runner, in a worker thread, and
 * shows the verdict then and now. Signal "finished" (no arguments) when
 * a run ends, finished, failed or stopped. */
GtkWidget  *isthmus_replay_view_new          (IsthmusCore       *core);
/* The isolation app to run (nullable: nothing to run). */
void        isthmus_replay_view_set_app_dir  (IsthmusReplayView *self,
                                              const char        *app_dir);
/* Replays @file instead of this session's records (NULL: the session). */
void        isthmus_replay_view_set_file     (IsthmusReplayView *self,
                                              GFile             *file);
void        isthmus_replay_view_set_filter_text (IsthmusReplayView *self,
                                                 const char        *text);
/* Does what the Run button does; FALSE when the run cannot start (the
 * reason is shown). */
gboolean    isthmus_replay_view_run          (IsthmusReplayView *self);
gboolean    isthmus_replay_view_is_running   (IsthmusReplayView *self);
/* (transfer none) The rows of the last run (IsthmusReplayRow). */
GListModel *isthmus_replay_view_get_rows     (IsthmusReplayView *self);
/* The status line as shown. */
const char *isthmus_replay_view_get_status   (IsthmusReplayView *self);

G_END_DECLS

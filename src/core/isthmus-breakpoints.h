/* isthmus-breakpoints.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "isthmus-core.h"

G_BEGIN_DECLS

/**
 * IsthmusBreakpointGate:
 * @ISTHMUS_BREAKPOINT_BEFORE_HOOK: with isolation on, the call as the
 *   core decrypted it (after the isolation hook ran in the frame), before
 *   the capability check; never reached in brownfield
 * @ISTHMUS_BREAKPOINT_BEFORE_HANDLER: after the capability check, before
 *   the schema and the handler; continuing may replace the args
 * @ISTHMUS_BREAKPOINT_BEFORE_REPLY: the reply is ready and has not left;
 *   continuing may replace the value the page receives
 *
 * Where a "pause when <filter>" breakpoint waits. The filter is matched
 * against the record as it stands at that point (at the first two gates a
 * pending record with its command and window; before the reply, still
 * pending too).
 */
typedef enum
{
  ISTHMUS_BREAKPOINT_BEFORE_HOOK,
  ISTHMUS_BREAKPOINT_BEFORE_HANDLER,
  ISTHMUS_BREAKPOINT_BEFORE_REPLY,
} IsthmusBreakpointGate;

/* "before hook", "before handler", "before reply" (untranslated: they
 * are part of the record's note). */
const char *isthmus_breakpoint_gate_to_string (IsthmusBreakpointGate gate);

#define ISTHMUS_TYPE_PAUSED_CALL (isthmus_paused_call_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusPausedCall, isthmus_paused_call, ISTHMUS, PAUSED_CALL, GObject)

/* One call waiting at a gate. It is resolved exactly once: by one of the
 * actions below, by the time limit (continues unchanged), or by the core
 * (WEBVIEW_GONE when its webview goes away, CANCELLED at shutdown). After
 * that the actions fail with G_IO_ERROR_CLOSED. */
IsthmusBreakpointGate isthmus_paused_call_get_gate     (IsthmusPausedCall *self);
IsthmusExchange      *isthmus_paused_call_get_exchange (IsthmusPausedCall *self);
const char           *isthmus_paused_call_get_window_label (IsthmusPausedCall *self);
/* The args (before hook and handler) or the reply value (before reply)
 * as JSON text. */
const char           *isthmus_paused_call_get_json     (IsthmusPausedCall *self);
/* Before the reply: whether the reply resolves the page's promise. */
gboolean              isthmus_paused_call_get_ok       (IsthmusPausedCall *self);
gboolean              isthmus_paused_call_is_resolved  (IsthmusPausedCall *self);
/* Lets the call go on. @edited_json (nullable) replaces the args (before
 * hook or handler; they are checked against the schema as usual) or the
 * reply value (before reply). Invalid JSON fails with
 * G_IO_ERROR_INVALID_DATA naming the line and column, and the call stays
 * paused. */
gboolean              isthmus_paused_call_continue     (IsthmusPausedCall *self,
                                                        const char        *edited_json,
                                                        GError           **error);
/* Answers the page with BREAKPOINT_DROPPED. */
gboolean              isthmus_paused_call_drop         (IsthmusPausedCall *self,
                                                        GError           **error);
/* Answers the page with @value_json: a value (@ok) or the value its
 * promise rejects with (recorded as HANDLER_ERROR). */
gboolean              isthmus_paused_call_answer       (IsthmusPausedCall *self,
                                                        gboolean           ok,
                                                        const char        *value_json,
                                                        GError           **error);

#define ISTHMUS_TYPE_BREAKPOINTS (isthmus_breakpoints_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusBreakpoints, isthmus_breakpoints, ISTHMUS, BREAKPOINTS, GObject)

/* The breakpoints of @core, created on first use (transfer none; the core
 * keeps them). Signals: "paused" (IsthmusPausedCall *) when a call starts
 * waiting, "resolved" (IsthmusPausedCall *) when it stops. */
IsthmusBreakpoints *isthmus_breakpoints_get_for_core (IsthmusCore           *core);
/* Adds "pause when @filter_text at @gate". Returns its id (never 0), or 0
 * with ISTHMUS_FILTER_ERROR for a bad filter. */
guint               isthmus_breakpoints_add          (IsthmusBreakpoints    *self,
                                                      IsthmusBreakpointGate  gate,
                                                      const char            *filter_text,
                                                      GError               **error);
gboolean            isthmus_breakpoints_remove       (IsthmusBreakpoints    *self,
                                                      guint                  id);
gboolean            isthmus_breakpoints_set_enabled  (IsthmusBreakpoints    *self,
                                                      guint                  id,
                                                      gboolean               enabled);
void                isthmus_breakpoints_clear        (IsthmusBreakpoints    *self);
guint               isthmus_breakpoints_get_n_breakpoints (IsthmusBreakpoints *self);
/* After @ms milliseconds a paused call continues unchanged (0: never, the
 * default). Applies to calls paused from now on. */
void                isthmus_breakpoints_set_time_limit (IsthmusBreakpoints  *self,
                                                      guint                  ms);
guint               isthmus_breakpoints_get_time_limit (IsthmusBreakpoints  *self);
/* (transfer none) The paused calls, oldest first (IsthmusPausedCall). */
GListModel         *isthmus_breakpoints_get_paused   (IsthmusBreakpoints    *self);

/* Used by the pipeline (isthmus-core.c). The core hands over a held call
 * with a function that the breakpoints call exactly once: @proceed with
 * @value the edited JSON or NULL for unchanged, or not @proceed with the
 * answer (@ok and @value, or @error). */
typedef void (*IsthmusGateFunc) (gpointer      call,
                                 gboolean      proceed,
                                 gboolean      ok,
                                 JsonNode     *value,
                                 const GError *error);

IsthmusBreakpoints *_isthmus_breakpoints_peek    (IsthmusCore           *core);
gboolean            _isthmus_breakpoints_wants   (IsthmusBreakpoints    *self,
                                                  IsthmusBreakpointGate  gate,
                                                  IsthmusExchange       *exchange);
void                _isthmus_breakpoints_hold    (IsthmusBreakpoints    *self,
                                                  IsthmusBreakpointGate  gate,
                                                  IsthmusExchange       *exchange,
                                                  const char            *webview_label,
                                                  JsonNode              *json,
                                                  gboolean               ok,
                                                  IsthmusGateFunc        func,
                                                  gpointer               call);
/* Answers the calls of @webview_label (NULL: all) with @error. */
void                _isthmus_breakpoints_release (IsthmusBreakpoints    *self,
                                                  const char            *webview_label,
                                                  const GError          *error);

G_END_DECLS

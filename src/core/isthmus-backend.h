/* isthmus-backend.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-core.h"

G_BEGIN_DECLS

#define ISTHMUS_BACKEND_DEFAULT_TIMEOUT_MS  10000
#define ISTHMUS_BACKEND_DEFAULT_MAX_FRAME   (64 * 1024 * 1024)
#define ISTHMUS_BACKEND_FIRST_RESTART_MS    500
#define ISTHMUS_BACKEND_MAX_RESTART_MS      30000

/* JSON-RPC's "method not found": the backend has no such command, and the
 * call goes on to the default commands. */
#define ISTHMUS_BACKEND_METHOD_NOT_FOUND    (-32601)

#define ISTHMUS_TYPE_BACKEND (isthmus_backend_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusBackend, isthmus_backend, ISTHMUS, BACKEND, GObject)

/*
 * An external backend process (`--backend CMD`) that answers commands.
 * Isthmus speaks JSON-RPC 2.0 over its stdin and stdout, each message
 * framed as in the Language Server Protocol:
 *
 *   Content-Length: <bytes>\r\n
 *   \r\n
 *   <JSON body>
 *
 * Isthmus sends {"jsonrpc": "2.0", "id": N, "method": "invoke", "params":
 * {"cmd", "args", "window"}}; the process answers {"jsonrpc": "2.0", "id":
 * N, "result": V} (the page's promise resolves with V) or "error": {code,
 * message, data?} (it rejects with data when present, else with message;
 * recorded as HANDLER_ERROR with the code in the note; code -32601 passes
 * the call on to the default commands). The process may send the
 * notifications "emit" {event, payload?, target?} (an event through the
 * core's event bus; target as Tauri's EventTarget) and "log" {text}. Its
 * stderr lines become lifecycle records (at most 20 a second).
 *
 * A call fails with BACKEND_TIMEOUT after the time-out, with
 * BACKEND_CRASHED when the process ends first; the process is then
 * started again after 0.5 s, 1 s, 2 s … at most 30 s (the delay starts
 * over once a process stayed up 10 s). Garbage on stdout is recorded and
 * skipped line by line; a frame over the size limit restarts the process.
 */

IsthmusBackend *isthmus_backend_new               (const char      *command_line,
                                                   GError         **error);
/* Answers commands through @core's registry (a resolver of priority
 * ISTHMUS_RESOLVER_PRIORITY_BACKEND) and records and emits through it. */
void            isthmus_backend_attach            (IsthmusBackend  *self,
                                                   IsthmusCore     *core);
/* Starts the process; FALSE if it cannot be started at all. */
gboolean        isthmus_backend_start             (IsthmusBackend  *self,
                                                   GError         **error);
/* Stops the process for good: pending calls fail with BACKEND_ERROR and
 * later calls go on to the default commands. */
void            isthmus_backend_stop              (IsthmusBackend  *self);
gboolean        isthmus_backend_is_running        (IsthmusBackend  *self);
/* (transfer none) The argv from the command line. */
const char * const *isthmus_backend_get_argv      (IsthmusBackend  *self);
void            isthmus_backend_set_timeout       (IsthmusBackend  *self,
                                                   guint            timeout_ms);
guint           isthmus_backend_get_timeout       (IsthmusBackend  *self);
void            isthmus_backend_set_restart_delays (IsthmusBackend *self,
                                                   guint            first_ms,
                                                   guint            max_ms);
void            isthmus_backend_set_max_frame     (IsthmusBackend  *self,
                                                   gsize            max_bytes);
guint           isthmus_backend_get_n_pending     (IsthmusBackend  *self);
/* How many times the process was started (restarts included). */
guint           isthmus_backend_get_n_starts      (IsthmusBackend  *self);

/* Takes @invocation if the backend is wanted (started and not stopped);
 * while the process restarts, the call fails with BACKEND_CRASHED. */
gboolean        isthmus_backend_handle            (IsthmusBackend    *self,
                                                   IsthmusInvocation *invocation);

/* The Content-Length frame parser, apart for tests and fuzzing. */
typedef struct _IsthmusJsonRpcFramer IsthmusJsonRpcFramer;

typedef enum
{
  ISTHMUS_FRAME_NEED_MORE,
  ISTHMUS_FRAME_OK,
  /* Garbage was skipped; the parser goes on with the next line. */
  ISTHMUS_FRAME_ERROR,
  /* A frame over the size limit: the stream cannot be trusted any more. */
  ISTHMUS_FRAME_FATAL,
} IsthmusFrameStatus;

IsthmusJsonRpcFramer *isthmus_jsonrpc_framer_new  (gsize                 max_frame);
void                  isthmus_jsonrpc_framer_free (IsthmusJsonRpcFramer *framer);
void                  isthmus_jsonrpc_framer_push (IsthmusJsonRpcFramer *framer,
                                                   const guint8         *data,
                                                   gsize                 length);
/* The next frame's body in @body (transfer full) for OK; a message in
 * @error for ERROR and FATAL. */
IsthmusFrameStatus    isthmus_jsonrpc_framer_next (IsthmusJsonRpcFramer *framer,
                                                   GBytes              **body,
                                                   GError              **error);
/* How many bytes wait in the parser. */
gsize                 isthmus_jsonrpc_framer_get_buffered (IsthmusJsonRpcFramer *framer);
/* Frames @json (transfer full). */
GBytes               *isthmus_jsonrpc_frame       (const char           *json,
                                                   gsize                 length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusJsonRpcFramer, isthmus_jsonrpc_framer_free)

G_END_DECLS

/* isthmus-error.h
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

#include <glib.h>

G_BEGIN_DECLS

#define ISTHMUS_IPC_ERROR (isthmus_ipc_error_quark ())

/**
 * IsthmusIpcError:
 *
 * Stable error codes of the IPC core. Their names (see
 * isthmus_ipc_error_to_code()) are part of the recorded traffic and of the
 * rejection texts the page sees, so they never change once released.
 */
typedef enum
{
  ISTHMUS_IPC_ERROR_INTERNAL,
  ISTHMUS_IPC_ERROR_BAD_MESSAGE,
  ISTHMUS_IPC_ERROR_BAD_ENCODING,
  ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE,
  ISTHMUS_IPC_ERROR_JSON_TOO_DEEP,
  ISTHMUS_IPC_ERROR_UNKNOWN_COMMAND,
  ISTHMUS_IPC_ERROR_INVALID_ARGS,
  ISTHMUS_IPC_ERROR_HANDLER_ERROR,
  ISTHMUS_IPC_ERROR_CANCELLED,
  ISTHMUS_IPC_ERROR_WEBVIEW_GONE,
  ISTHMUS_IPC_ERROR_NOT_SUPPORTED,
  ISTHMUS_IPC_ERROR_INVALID_EVENT_NAME,
  ISTHMUS_IPC_ERROR_RATE_LIMITED,
  ISTHMUS_IPC_ERROR_ISOLATION_REJECTED,
  ISTHMUS_IPC_ERROR_ISOLATION_BLOCKED,
  /* The message is Tauri's text, "Command <cmd> not allowed by ACL",
   * and reaches the page unchanged. */
  ISTHMUS_IPC_ERROR_ACL_DENIED,
  /* The backend process did not answer within its time-out. */
  ISTHMUS_IPC_ERROR_BACKEND_TIMEOUT,
  /* The backend process ended (or was restarted) before answering. */
  ISTHMUS_IPC_ERROR_BACKEND_CRASHED,
  /* The backend process is not available or broke the protocol. */
  ISTHMUS_IPC_ERROR_BACKEND_ERROR,
  /* The user dropped the call at a breakpoint. */
  ISTHMUS_IPC_ERROR_BREAKPOINT_DROPPED,
  ISTHMUS_IPC_ERROR_LAST,
} IsthmusIpcError;

GQuark       isthmus_ipc_error_quark   (void) G_GNUC_CONST;
const char  *isthmus_ipc_error_to_code (IsthmusIpcError code);
gboolean     isthmus_ipc_error_from_code (const char      *name,
                                          IsthmusIpcError *code);
/* The value the page's promise rejects with for a core error, as in
 * Tauri: Tauri's exact text where Tauri has one (UNKNOWN_COMMAND:
 * "Command <name> not found", INVALID_ARGS: "invalid args `<k>` for
 * command `<c>`: …", which the core's messages already are), otherwise
 * "<CODE>: <message>". Errors of other domains become
 * "INTERNAL: <message>". (transfer full) */
char        *isthmus_ipc_error_to_page_value (const GError *error);

G_END_DECLS

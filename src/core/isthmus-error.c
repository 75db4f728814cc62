/* isthmus-error.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-error"

#include "config.h"

#include <string.h>

#include "isthmus-error.h"

G_DEFINE_QUARK (IsthmusIpcError, isthmus_ipc_error)

static const char * const codes[] = {
  [ISTHMUS_IPC_ERROR_INTERNAL] = "INTERNAL",
  [ISTHMUS_IPC_ERROR_BAD_MESSAGE] = "BAD_MESSAGE",
  [ISTHMUS_IPC_ERROR_BAD_ENCODING] = "BAD_ENCODING",
  [ISTHMUS_IPC_ERROR_PAYLOAD_TOO_LARGE] = "PAYLOAD_TOO_LARGE",
  [ISTHMUS_IPC_ERROR_JSON_TOO_DEEP] = "JSON_TOO_DEEP",
  [ISTHMUS_IPC_ERROR_UNKNOWN_COMMAND] = "UNKNOWN_COMMAND",
  [ISTHMUS_IPC_ERROR_INVALID_ARGS] = "INVALID_ARGS",
  [ISTHMUS_IPC_ERROR_HANDLER_ERROR] = "HANDLER_ERROR",
  [ISTHMUS_IPC_ERROR_CANCELLED] = "CANCELLED",
  [ISTHMUS_IPC_ERROR_WEBVIEW_GONE] = "WEBVIEW_GONE",
  [ISTHMUS_IPC_ERROR_NOT_SUPPORTED] = "NOT_SUPPORTED",
  [ISTHMUS_IPC_ERROR_INVALID_EVENT_NAME] = "INVALID_EVENT_NAME",
  [ISTHMUS_IPC_ERROR_RATE_LIMITED] = "RATE_LIMITED",
  [ISTHMUS_IPC_ERROR_ISOLATION_REJECTED] = "ISOLATION_REJECTED",
  [ISTHMUS_IPC_ERROR_ISOLATION_BLOCKED] = "ISOLATION_BLOCKED",
  [ISTHMUS_IPC_ERROR_ACL_DENIED] = "ACL_DENIED",
  [ISTHMUS_IPC_ERROR_BACKEND_TIMEOUT] = "BACKEND_TIMEOUT",
  [ISTHMUS_IPC_ERROR_BACKEND_CRASHED] = "BACKEND_CRASHED",
  [ISTHMUS_IPC_ERROR_BACKEND_ERROR] = "BACKEND_ERROR",
  [ISTHMUS_IPC_ERROR_BREAKPOINT_DROPPED] = "BREAKPOINT_DROPPED",
};

G_STATIC_ASSERT (G_N_ELEMENTS (codes) == ISTHMUS_IPC_ERROR_LAST);

/**
 * isthmus_ipc_error_to_code:
 * @code: an #IsthmusIpcError
 *
 * Returns: (transfer none): the stable upper-case name of @code.
 */
const char *
isthmus_ipc_error_to_code (IsthmusIpcError code)
{
  if ((guint)code >= ISTHMUS_IPC_ERROR_LAST)
    return codes[ISTHMUS_IPC_ERROR_INTERNAL];

  return codes[code];
}

/**
 * isthmus_ipc_error_from_code:
 * @name: a stable code name such as `"UNKNOWN_COMMAND"`
 * @code: (out): where to store the code
 *
 * Returns: %TRUE if @name names a code.
 */
gboolean
isthmus_ipc_error_from_code (const char      *name,
                             IsthmusIpcError *code)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      if (g_str_equal (codes[i], name))
        {
          if (code != NULL)
            *code = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Codes whose messages are already the exact text Tauri rejects with. */
static gboolean
is_tauri_text (int code)
{
  switch (code)
    {
    case ISTHMUS_IPC_ERROR_UNKNOWN_COMMAND:
    case ISTHMUS_IPC_ERROR_INVALID_ARGS:
    case ISTHMUS_IPC_ERROR_ACL_DENIED:
      return TRUE;

    default:
      return FALSE;
    }
}

/**
 * isthmus_ipc_error_to_page_value:
 * @error: a #GError
 *
 * Builds the value the page's promise rejects with. Messages of
 * %ISTHMUS_IPC_ERROR_UNKNOWN_COMMAND, %ISTHMUS_IPC_ERROR_INVALID_ARGS and
 * %ISTHMUS_IPC_ERROR_ACL_DENIED are Tauri's own texts and pass unchanged.
 * Other codes become "<CODE>: <message>", unless the message already starts
 * with that prefix. Errors of other domains become "INTERNAL: <message>".
 *
 * Returns: (transfer full): the rejection text.
 */
char *
isthmus_ipc_error_to_page_value (const GError *error)
{
  const char *name;
  const char *message;
  gsize name_len;

  g_return_val_if_fail (error != NULL, NULL);

  message = error->message != NULL ? error->message : "";

  if (error->domain != ISTHMUS_IPC_ERROR)
    return g_strconcat (codes[ISTHMUS_IPC_ERROR_INTERNAL], ": ", message, NULL);

  if (is_tauri_text (error->code))
    return g_strdup (message);

  name = isthmus_ipc_error_to_code (error->code);
  name_len = strlen (name);

  if (strncmp (message, name, name_len) == 0 &&
      message[name_len] == ':' &&
      message[name_len + 1] == ' ')
    return g_strdup (message);

  return g_strconcat (name, ": ", message, NULL);
}

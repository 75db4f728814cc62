/* isthmus-invocation.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ISTHMUS_TYPE_INVOCATION (isthmus_invocation_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusInvocation, isthmus_invocation, ISTHMUS, INVOCATION, GObject)

/**
 * IsthmusInvocationReplyFunc:
 * @invocation: the invocation being answered
 * @ok: %TRUE for a value, %FALSE for an error
 * @value: (nullable): the value or the error value the page receives; never
 *   %NULL for @ok (JSON null is a node)
 * @error: (nullable): for the core's own errors, the #ISTHMUS_IPC_ERROR;
 *   %NULL for a value and for a handler's error value
 *
 * Called exactly once, on the thread-default main context the invocation was
 * created in.
 */
typedef void (*IsthmusInvocationReplyFunc) (IsthmusInvocation *invocation,
                                            gboolean           ok,
                                            JsonNode          *value,
                                            const GError      *error,
                                            gpointer           user_data);

/* One call of one command. A handler answers it once, now or later, from
 * any thread; the answer is delivered on the creating main context. A
 * handler that drops its last reference without answering answers with
 * INTERNAL "handler did not reply", so every request gets exactly one
 * reply. */
IsthmusInvocation *isthmus_invocation_new           (const char                 *command,
                                                     JsonNode                   *args,
                                                     const char                 *webview_label,
                                                     IsthmusInvocationReplyFunc  func,
                                                     gpointer                    user_data,
                                                     GDestroyNotify              destroy);
const char        *isthmus_invocation_get_command   (IsthmusInvocation *self);
/* (transfer none) The args object (never NULL; `{}` when none were given). */
JsonNode          *isthmus_invocation_get_args      (IsthmusInvocation *self);
/* Convenience getters on the args object; the schema has checked types. */
const char        *isthmus_invocation_get_string    (IsthmusInvocation *self,
                                                     const char        *key);
gint64             isthmus_invocation_get_int       (IsthmusInvocation *self,
                                                     const char        *key,
                                                     gint64             default_value);
/* The core's label of the webview that sent it (never from the message). */
const char        *isthmus_invocation_get_webview_label (IsthmusInvocation *self);
/* Cancelled when the webview goes away or the core shuts down. */
GCancellable      *isthmus_invocation_get_cancellable (IsthmusInvocation *self);
gboolean           isthmus_invocation_is_answered   (IsthmusInvocation *self);
/* A short text for the record (for example which listeners an emit
 * reached); set it before answering, on the creating thread. */
void               isthmus_invocation_set_note      (IsthmusInvocation *self,
                                                     const char        *note);
const char        *isthmus_invocation_get_note      (IsthmusInvocation *self);

/* Answers with a value (takes ownership of @value; NULL means JSON null). */
void               isthmus_invocation_return_value  (IsthmusInvocation *self,
                                                     JsonNode          *value);
/* Answers with a handler's error value, delivered to the page unchanged
 * (takes ownership). Recorded as HANDLER_ERROR. */
void               isthmus_invocation_return_error_value (IsthmusInvocation *self,
                                                     JsonNode          *value);
/* Convenience: a string error value. */
void               isthmus_invocation_return_error_string (IsthmusInvocation *self,
                                                     const char        *message);
/* Answers with a core error (ISTHMUS_IPC_ERROR); the page receives
 * isthmus_ipc_error_to_page_value(). */
void               isthmus_invocation_return_gerror (IsthmusInvocation *self,
                                                     const GError      *error);
/* For the core: cancels the call's GCancellable and answers with @error
 * (WEBVIEW_GONE, CANCELLED) at once unless the answer already left; a later
 * handler answer is dropped silently. Call on the creating context. */
void               isthmus_invocation_cancel        (IsthmusInvocation *self,
                                                     const GError      *error);

G_END_DECLS

/* isthmus-composer.h
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
 * IsthmusComposerReply:
 * @ok: whether the page's promise would resolve
 * @json: the value (ok) or the rejection value, as JSON text
 * @code: (nullable): %NULL when @ok, else the stable error code
 * @message: (nullable): %NULL when @ok, else the text for the record
 *
 * What a composed call was answered with.
 */
typedef struct
{
  gboolean  ok;
  char     *json;
  char     *code;
  char     *message;
} IsthmusComposerReply;

#define ISTHMUS_TYPE_COMPOSER_REPLY (isthmus_composer_reply_get_type ())

GType                 isthmus_composer_reply_get_type (void) G_GNUC_CONST;
IsthmusComposerReply *isthmus_composer_reply_new      (gboolean                    ok,
                                                       const char                 *json,
                                                       const char                 *code,
                                                       const char                 *message);
IsthmusComposerReply *isthmus_composer_reply_copy     (const IsthmusComposerReply *reply);
void                  isthmus_composer_reply_free     (IsthmusComposerReply       *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusComposerReply, isthmus_composer_reply_free)

/* Parses text a user typed as JSON: the size and depth guard of @limits
 * (NULL: the defaults), then the parser. On failure,
 * G_IO_ERROR_INVALID_DATA with "line L, column C: …". (transfer full) */
JsonNode *isthmus_composer_parse_json (const char              *text,
                                       const IsthmusJsonLimits *limits,
                                       GError                 **error);

/* Builds the message a page would post for @cmd with @args (NULL:
 * `{}`): Tauri's `{cmd, callback, error, payload, options}` with the
 * callback ids given. (transfer full) */
char     *isthmus_composer_build_message (const char *cmd,
                                          JsonNode   *args,
                                          guint32     callback_id,
                                          guint32     error_id);

/* Invokes @cmd from C as if the window @window_label had sent it: the args
 * text is checked (guard and parse, with the line and column of an
 * error), then the call takes the page's path through the core (ACL with
 * that window's identity, schema, handler, breakpoints) and is recorded
 * like any other, with the note "composer". With @through_hook, which
 * needs isolation and a web layer that registered a hook sender, the web
 * layer sends it through the view's isolation frame instead, so the hook
 * and the envelope apply. The finish function returns the reply; a
 * GError only when the call could not be made (bad JSON, no hook). */
void                  isthmus_composer_invoke_async  (IsthmusCore          *core,
                                                      const char           *window_label,
                                                      const char           *cmd,
                                                      const char           *args_json_text,
                                                      gboolean              through_hook,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
IsthmusComposerReply *isthmus_composer_invoke_finish (IsthmusCore          *core,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Emits @event with @payload_json (NULL or empty: null) to the target
 * given as Tauri's EventTarget JSON (NULL or empty: everyone), recorded
 * as an emit record. */
gboolean              isthmus_composer_emit          (IsthmusCore          *core,
                                                      const char           *target_json,
                                                      const char           *event,
                                                      const char           *payload_json,
                                                      GError              **error);

/**
 * IsthmusComposerHookFunc:
 * @window_label: the window to send from
 * @message: the invoke message, as the page would post it
 * @task: answer it with g_task_return_pointer (task,
 *   isthmus_composer_reply_new (…), isthmus_composer_reply_free) or an error
 *
 * How the web layer sends a composed call through a view's isolation
 * frame.
 */
typedef void (*IsthmusComposerHookFunc) (const char *window_label,
                                         const char *message,
                                         GTask      *task,
                                         gpointer    user_data);

/* Registered by the web layer when isolation is on (NULL: none). */
void isthmus_composer_set_hook_sender (IsthmusCore             *core,
                                       IsthmusComposerHookFunc  func,
                                       gpointer                 user_data,
                                       GDestroyNotify           destroy);
/* Marks the next call from @window_label whose callback id is
 * @callback_id as the composer's (for calls the web layer sends). */
void isthmus_composer_expect          (IsthmusCore             *core,
                                       const char              *window_label,
                                       guint32                  callback_id);

#define ISTHMUS_TYPE_COMPOSER_ITEM (isthmus_composer_item_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusComposerItem, isthmus_composer_item, ISTHMUS, COMPOSER_ITEM, GObject)

/* One history entry; read-only properties "command", "args", "window",
 * "through-hook". */
IsthmusComposerItem *isthmus_composer_item_new              (const char          *command,
                                                             const char          *args,
                                                             const char          *window,
                                                             gboolean             through_hook);
const char          *isthmus_composer_item_get_command      (IsthmusComposerItem *self);
const char          *isthmus_composer_item_get_args         (IsthmusComposerItem *self);
const char          *isthmus_composer_item_get_window       (IsthmusComposerItem *self);
gboolean             isthmus_composer_item_get_through_hook (IsthmusComposerItem *self);

#define ISTHMUS_COMPOSER_HISTORY_MAX 50

#define ISTHMUS_TYPE_COMPOSER_HISTORY (isthmus_composer_history_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusComposerHistory, isthmus_composer_history, ISTHMUS, COMPOSER_HISTORY, GObject)

/* The last ISTHMUS_COMPOSER_HISTORY_MAX composed calls, newest first, a
 * GListModel of IsthmusComposerItem, kept in @path (NULL: the user data
 * dir's isthmus/composer-history.json). Loading a missing file gives an
 * empty history; a broken one too, with a warning. */
IsthmusComposerHistory *isthmus_composer_history_new  (const char             *path);
const char             *isthmus_composer_history_get_path (IsthmusComposerHistory *self);
/* Adds an entry at the top (an identical one moves up) and saves. */
gboolean                isthmus_composer_history_add  (IsthmusComposerHistory *self,
                                                       const char             *command,
                                                       const char             *args,
                                                       const char             *window,
                                                       gboolean                through_hook,
                                                       GError                **error);
gboolean                isthmus_composer_history_save (IsthmusComposerHistory *self,
                                                       GError                **error);
void                    isthmus_composer_history_clear (IsthmusComposerHistory *self);

/* Used by the pipeline (isthmus-core.c). */
gboolean _isthmus_composer_is_direct (IsthmusCore     *core);
void     _isthmus_composer_mark      (IsthmusCore     *core,
                                      const char      *webview_label,
                                      JsonNode        *root,
                                      IsthmusExchange *exchange);

G_END_DECLS

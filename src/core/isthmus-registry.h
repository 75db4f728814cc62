/* isthmus-registry.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-invocation.h"
#include "isthmus-schema.h"

G_BEGIN_DECLS

/* A handler that answers @invocation now (call one of the
 * isthmus_invocation_return_*() before returning) or later (keep a
 * reference and answer from a callback or another thread). */
typedef void     (*IsthmusCommandFunc)     (IsthmusInvocation *invocation,
                                            gpointer           user_data);
/* A blocking handler run in a worker thread through GTask: returns the
 * value (transfer full; NULL means JSON null) or sets @error (a core
 * error in ISTHMUS_IPC_ERROR, or any other GError, which becomes a
 * HANDLER_ERROR whose page value is the message string). It should check
 * @cancellable when it runs long. */
typedef JsonNode *(*IsthmusThreadFunc)     (IsthmusInvocation *invocation,
                                            GCancellable      *cancellable,
                                            gpointer           user_data,
                                            GError           **error);

#define ISTHMUS_TYPE_REGISTRY (isthmus_registry_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusRegistry, isthmus_registry, ISTHMUS, REGISTRY, GObject)

IsthmusRegistry *isthmus_registry_new            (void);
/* Registers @name (a bare app command or "plugin:<p>|<c>"). @schema may be
 * NULL (any args). Returns FALSE if @name is taken. */
gboolean         isthmus_registry_add            (IsthmusRegistry    *self,
                                                  const char         *name,
                                                  IsthmusSchema      *schema,
                                                  IsthmusCommandFunc  func,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
gboolean         isthmus_registry_add_thread     (IsthmusRegistry    *self,
                                                  const char         *name,
                                                  IsthmusSchema      *schema,
                                                  IsthmusThreadFunc   func,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
/* A handler for every unregistered command starting with @prefix (for
 * example "plugin:window|"), run when no exact name matches; the longest
 * matching prefix wins. Returns FALSE if @prefix is taken. */
gboolean         isthmus_registry_add_fallback   (IsthmusRegistry    *self,
                                                  const char         *prefix,
                                                  IsthmusCommandFunc  func,
                                                  gpointer            user_data,
                                                  GDestroyNotify      destroy);
gboolean         isthmus_registry_remove         (IsthmusRegistry    *self,
                                                  const char         *name);
gboolean         isthmus_registry_contains       (IsthmusRegistry    *self,
                                                  const char         *name);
/* Sorted names, for the UI and --help (transfer full). */
char           **isthmus_registry_list           (IsthmusRegistry    *self);

/* Looks up the command of @invocation, checks its args against the schema
 * and runs the handler. Unknown commands answer UNKNOWN_COMMAND, bad args
 * INVALID_ARGS, in both cases without running any handler.
 *
 * The order (DESIGN.md, "Backends"): a registered command that is not a
 * default → the resolvers, highest priority first → a default command →
 * the longest matching fallback prefix → UNKNOWN_COMMAND. */
void             isthmus_registry_dispatch       (IsthmusRegistry    *self,
                                                  IsthmusInvocation  *invocation);

/* A resolver is offered every command no registered (non-default) command
 * answers. It returns TRUE if it takes @invocation, and then answers it
 * exactly once, now or later; FALSE passes it on. It runs on the thread
 * that dispatches, before any schema check. */
typedef gboolean (*IsthmusResolverFunc)    (IsthmusInvocation *invocation,
                                            gpointer           user_data);

/* Priorities of the resolvers Isthmus installs (higher runs first). */
#define ISTHMUS_RESOLVER_PRIORITY_MOCKS   200
#define ISTHMUS_RESOLVER_PRIORITY_BACKEND 100

/* Adds a resolver; among equal priorities the earlier one runs first.
 * Returns its id (never 0), for isthmus_registry_remove_resolver(). */
guint            isthmus_registry_add_resolver   (IsthmusRegistry     *self,
                                                  int                  priority,
                                                  IsthmusResolverFunc  func,
                                                  gpointer             user_data,
                                                  GDestroyNotify       destroy);
gboolean         isthmus_registry_remove_resolver (IsthmusRegistry    *self,
                                                  guint                id);
/* Marks the registered command @name as a default (for example the
 * bundled demo commands): it answers only when no resolver took the call.
 * Returns FALSE if @name is not registered. */
gboolean         isthmus_registry_set_default    (IsthmusRegistry    *self,
                                                  const char         *name,
                                                  gboolean            is_default);
/* Runs the stages after the resolvers (default command, fallback,
 * UNKNOWN_COMMAND), for a resolver that took @invocation and then found
 * it has no answer for it (a backend without that method). */
void             isthmus_registry_dispatch_default (IsthmusRegistry  *self,
                                                  IsthmusInvocation  *invocation);

G_END_DECLS

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
gboolean         isthmus_registry_remove         (IsthmusRegistry    *self,
                                                  const char         *name);
gboolean         isthmus_registry_contains       (IsthmusRegistry    *self,
                                                  const char         *name);
/* Sorted names, for the UI and --help (transfer full). */
char           **isthmus_registry_list           (IsthmusRegistry    *self);

/* Looks up the command of @invocation, checks its args against the schema
 * and runs the handler. Unknown commands answer UNKNOWN_COMMAND, bad args
 * INVALID_ARGS, in both cases without running any handler. */
void             isthmus_registry_dispatch       (IsthmusRegistry    *self,
                                                  IsthmusInvocation  *invocation);

G_END_DECLS

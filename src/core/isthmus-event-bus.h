/* isthmus-event-bus.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "isthmus-registry.h"

G_BEGIN_DECLS

typedef enum
{
  ISTHMUS_EVENT_TARGET_ANY,
  ISTHMUS_EVENT_TARGET_ANY_LABEL,
  ISTHMUS_EVENT_TARGET_APP,
  ISTHMUS_EVENT_TARGET_WINDOW,
  ISTHMUS_EVENT_TARGET_WEBVIEW,
  ISTHMUS_EVENT_TARGET_WEBVIEW_WINDOW,
} IsthmusEventTargetKind;

/**
 * IsthmusEventTarget:
 * @kind: the kind, as Tauri's `EventTarget` tag
 * @label: the label for the labelled kinds, else %NULL
 */
typedef struct
{
  IsthmusEventTargetKind  kind;
  char                   *label;
} IsthmusEventTarget;

/**
 * IsthmusEventDeliverFunc:
 * @webview_label: the webview to deliver into
 * @event: the event name (valid)
 * @payload_json: the payload as JSON text ("null" when none)
 * @listener_ids: the ids of that webview's listeners that match
 * @n_ids: how many
 *
 * How the web layer delivers one emit into one webview. Called on the main
 * thread, once per webview with matching listeners, in emit order.
 */
typedef void (*IsthmusEventDeliverFunc) (const char    *webview_label,
                                         const char    *event,
                                         const char    *payload_json,
                                         const guint32 *listener_ids,
                                         guint          n_ids,
                                         gpointer       user_data);

#define ISTHMUS_TYPE_EVENT_BUS (isthmus_event_bus_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusEventBus, isthmus_event_bus, ISTHMUS, EVENT_BUS, GObject)

/* TRUE if @name is 1 to 128 characters, each a Unicode letter or digit or
 * one of `-` `/` `:` `_` (Tauri's rule; it is also an injection guard). */
gboolean         isthmus_event_name_is_valid        (const char               *name);

/* Parses Tauri's `EventTarget` JSON: `{"kind": "Any"}`, `{"kind":
 * "AnyLabel", "label": L}`, `{"kind": "App"}`, `{"kind": "Window" |
 * "Webview" | "WebviewWindow", "label": L}`, or a bare string (AnyLabel).
 * Labels must satisfy isthmus_label_is_valid(). */
gboolean         isthmus_event_target_parse         (JsonNode                 *node,
                                                     IsthmusEventTarget       *target,
                                                     GError                  **error);
void             isthmus_event_target_clear         (IsthmusEventTarget       *target);
/* "Any", "AnyLabel(main)", "Window(main)", … (transfer full) */
char            *isthmus_event_target_to_string     (const IsthmusEventTarget *target);
/* Whether an emit to @emit_target reaches a listener registered with
 * @listener_target, by Tauri v2's rules: an Any listener hears everything;
 * Any (and a plain emit) reaches everyone; AnyLabel L reaches Window,
 * Webview, WebviewWindow and AnyLabel listeners of L; Window L reaches
 * Window L and AnyLabel L (likewise Webview, WebviewWindow); App reaches
 * App listeners. */
gboolean         isthmus_event_target_matches       (const IsthmusEventTarget *emit_target,
                                                     const IsthmusEventTarget *listener_target);

IsthmusEventBus *isthmus_event_bus_new              (void);
/* Registers plugin:event|listen, |unlisten, |emit and |emit_to, with
 * Tauri's argument names and replies, on @registry. */
void             isthmus_event_bus_register_commands (IsthmusEventBus         *self,
                                                     IsthmusRegistry          *registry);
/* A webview events can be delivered into. Adding a label again replaces
 * its delivery function and drops its listeners (a new page). */
void             isthmus_event_bus_add_webview      (IsthmusEventBus          *self,
                                                     const char               *webview_label,
                                                     IsthmusEventDeliverFunc   func,
                                                     gpointer                  user_data,
                                                     GDestroyNotify            destroy);
/* Drops the webview and its listeners (page unload, view destroyed). */
void             isthmus_event_bus_remove_webview   (IsthmusEventBus          *self,
                                                     const char               *webview_label);
/* Registers a listener as plugin:event|listen does; returns its id. */
guint32          isthmus_event_bus_listen           (IsthmusEventBus          *self,
                                                     const char               *webview_label,
                                                     const char               *event,
                                                     const IsthmusEventTarget *target,
                                                     GError                  **error);
gboolean         isthmus_event_bus_unlisten         (IsthmusEventBus          *self,
                                                     const char               *webview_label,
                                                     guint32                   event_id);
guint            isthmus_event_bus_get_n_listeners  (IsthmusEventBus          *self);
/* Whether an emit of @event to @target (NULL: everyone) would reach any
 * listener. */
gboolean         isthmus_event_bus_has_listener     (IsthmusEventBus          *self,
                                                     const IsthmusEventTarget *target,
                                                     const char               *event);

/* Emits @event with @payload (NULL: null) to @target (NULL: everyone, like
 * Tauri's emit). Delivers to every webview with matching listeners and
 * returns, in @reached (transfer full, may be NULL), a description such as
 * "main: 3, 7; other: 12" or "no listener". The C API for backends. */
gboolean         isthmus_event_bus_emit             (IsthmusEventBus          *self,
                                                     const IsthmusEventTarget *target,
                                                     const char               *event,
                                                     JsonNode                 *payload,
                                                     char                    **reached,
                                                     GError                  **error);

G_END_DECLS

/* isthmus-breakpoints.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-breakpoints"

#include "config.h"

#include <glib/gi18n.h>

#include "isthmus-breakpoints.h"
#include "isthmus-composer.h"
#include "isthmus-error.h"
#include "isthmus-filter.h"

#define BREAKPOINTS_DATA_KEY "isthmus-breakpoints"

typedef struct
{
  guint                  id;
  IsthmusBreakpointGate  gate;
  IsthmusFilter         *filter;
  gboolean               enabled;
} Breakpoint;

struct _IsthmusBreakpoints
{
  GObject     parent_instance;

  /* Borrowed reference (a weak pointer): the core owns this object. */
  IsthmusCore *core;

  /* Owned references */
  GPtrArray   *breakpoints;
  GListStore  *paused;

  guint        next_id;
  guint        time_limit_ms;
};

struct _IsthmusPausedCall
{
  GObject                parent_instance;

  /* Borrowed reference (a weak pointer) */
  IsthmusBreakpoints    *breakpoints;

  /* Owned references */
  IsthmusExchange       *exchange;
  char                  *window_label;
  char                  *json;
  char                  *prior_note;

  IsthmusBreakpointGate  gate;
  IsthmusGateFunc        func;
  gpointer               call;
  guint                  timeout_id;
  gboolean               ok;
  gboolean               resolved;
};

G_DEFINE_FINAL_TYPE (IsthmusBreakpoints, isthmus_breakpoints, G_TYPE_OBJECT)
G_DEFINE_FINAL_TYPE (IsthmusPausedCall, isthmus_paused_call, G_TYPE_OBJECT)

enum {
  SIGNAL_PAUSED,
  SIGNAL_RESOLVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

const char *
isthmus_breakpoint_gate_to_string (IsthmusBreakpointGate gate)
{
  switch (gate)
    {
    case ISTHMUS_BREAKPOINT_BEFORE_HOOK:
      return "before hook";
    case ISTHMUS_BREAKPOINT_BEFORE_HANDLER:
      return "before handler";
    case ISTHMUS_BREAKPOINT_BEFORE_REPLY:
      return "before reply";
    default:
      return "unknown gate";
    }
}

static void
breakpoint_free (gpointer data)
{
  Breakpoint *breakpoint = data;

  g_clear_pointer (&breakpoint->filter, isthmus_filter_unref);
  g_free (breakpoint);
}

/* Paused calls. */

static void
isthmus_paused_call_finalize (GObject *object)
{
  IsthmusPausedCall *self = (IsthmusPausedCall *)object;

  /* Every call is resolved before its last reference goes: the store and
   * the core's release hold it until then. */
  g_warn_if_fail (self->resolved);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_weak_pointer (&self->breakpoints);
  g_clear_object (&self->exchange);
  g_clear_pointer (&self->window_label, g_free);
  g_clear_pointer (&self->json, g_free);
  g_clear_pointer (&self->prior_note, g_free);

  G_OBJECT_CLASS (isthmus_paused_call_parent_class)->finalize (object);
}

static void
isthmus_paused_call_class_init (IsthmusPausedCallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_paused_call_finalize;
}

static void
isthmus_paused_call_init (IsthmusPausedCall *self)
{
}

static void
set_note (IsthmusPausedCall *self,
          const char        *what)
{
  g_autofree char *note = NULL;

  if (self->prior_note != NULL && *self->prior_note != '\0')
    note = g_strdup_printf ("%s; %s %s", self->prior_note, what,
                            isthmus_breakpoint_gate_to_string (self->gate));
  else
    note = g_strdup_printf ("%s %s", what, isthmus_breakpoint_gate_to_string (self->gate));

  isthmus_exchange_set_note (self->exchange, note);
}

/* Resolves @self once: takes it off the list and hands the outcome to the
 * core. */
static gboolean
resolve (IsthmusPausedCall *self,
         gboolean           proceed,
         gboolean           ok,
         JsonNode          *value,
         const GError      *error,
         const char        *what,
         GError           **out_error)
{
  g_autoptr(IsthmusPausedCall) hold = NULL;
  IsthmusGateFunc func;
  gpointer call;
  guint position;

  if (self->resolved)
    {
      g_set_error_literal (out_error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                           _("The call is not paused any more"));
      return FALSE;
    }

  hold = g_object_ref (self);
  self->resolved = TRUE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  func = g_steal_pointer (&self->func);
  call = g_steal_pointer (&self->call);

  if (self->breakpoints != NULL &&
      g_list_store_find (self->breakpoints->paused, self, &position))
    g_list_store_remove (self->breakpoints->paused, position);

  set_note (self, what);
  func (call, proceed, ok, value, error);

  if (self->breakpoints != NULL)
    g_signal_emit (self->breakpoints, signals[SIGNAL_RESOLVED], 0, self);

  return TRUE;
}

static const IsthmusJsonLimits *
call_limits (IsthmusPausedCall *self)
{
  if (self->breakpoints != NULL && self->breakpoints->core != NULL)
    return isthmus_core_get_limits (self->breakpoints->core);

  return NULL;
}

IsthmusBreakpointGate
isthmus_paused_call_get_gate (IsthmusPausedCall *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PAUSED_CALL (self), ISTHMUS_BREAKPOINT_BEFORE_HANDLER);

  return self->gate;
}

IsthmusExchange *
isthmus_paused_call_get_exchange (IsthmusPausedCall *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PAUSED_CALL (self), NULL);

  return self->exchange;
}

const char *
isthmus_paused_call_get_window_label (IsthmusPausedCall *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PAUSED_CALL (self), NULL);

  return self->window_label;
}

const char *
isthmus_paused_call_get_json (IsthmusPausedCall *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PAUSED_CALL (self), NULL);

  return self->json;
}

gboolean
isthmus_paused_call_get_ok (IsthmusPausedCall *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PAUSED_CALL (self), FALSE);

  return self->ok;
}

gboolean
isthmus_paused_call_is_resolved (IsthmusPausedCall *self)
{
  g_return_val_if_fail (ISTHMUS_IS_PAUSED_CALL (self), TRUE);

  return self->resolved;
}

/**
 * isthmus_paused_call_continue:
 * @self: a paused call
 * @edited_json: (nullable): new args or a new reply value, as JSON text
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the call went on
 */
gboolean
isthmus_paused_call_continue (IsthmusPausedCall  *self,
                              const char         *edited_json,
                              GError            **error)
{
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (ISTHMUS_IS_PAUSED_CALL (self), FALSE);

  if (self->resolved)
    return resolve (self, TRUE, TRUE, NULL, NULL, NULL, error);

  if (edited_json != NULL)
    {
      value = isthmus_composer_parse_json (edited_json, call_limits (self), error);
      if (value == NULL)
        return FALSE;
    }

  return resolve (self, TRUE, self->ok, value, NULL,
                  value != NULL ? "continued with edits at" : "continued at", error);
}

gboolean
isthmus_paused_call_drop (IsthmusPausedCall  *self,
                          GError            **error)
{
  g_autoptr(GError) dropped = NULL;

  g_return_val_if_fail (ISTHMUS_IS_PAUSED_CALL (self), FALSE);

  dropped = g_error_new_literal (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_BREAKPOINT_DROPPED,
                                 "the call was dropped at a breakpoint");

  return resolve (self, FALSE, FALSE, NULL, dropped, "dropped at", error);
}

gboolean
isthmus_paused_call_answer (IsthmusPausedCall  *self,
                            gboolean            ok,
                            const char         *value_json,
                            GError            **error)
{
  g_autoptr(JsonNode) value = NULL;

  g_return_val_if_fail (ISTHMUS_IS_PAUSED_CALL (self), FALSE);
  g_return_val_if_fail (value_json != NULL, FALSE);

  if (self->resolved)
    return resolve (self, FALSE, ok, NULL, NULL, NULL, error);

  value = isthmus_composer_parse_json (value_json, call_limits (self), error);
  if (value == NULL)
    return FALSE;

  return resolve (self, FALSE, ok, value, NULL, "answered at", error);
}

/* Breakpoints. */

static void
isthmus_breakpoints_dispose (GObject *object)
{
  IsthmusBreakpoints *self = (IsthmusBreakpoints *)object;
  g_autoptr(GError) error = NULL;

  error = g_error_new_literal (ISTHMUS_IPC_ERROR, ISTHMUS_IPC_ERROR_CANCELLED,
                               "the breakpoints went away");
  if (self->paused != NULL)
    _isthmus_breakpoints_release (self, NULL, error);

  G_OBJECT_CLASS (isthmus_breakpoints_parent_class)->dispose (object);
}

static void
isthmus_breakpoints_finalize (GObject *object)
{
  IsthmusBreakpoints *self = (IsthmusBreakpoints *)object;

  g_clear_weak_pointer (&self->core);
  g_clear_pointer (&self->breakpoints, g_ptr_array_unref);
  g_clear_object (&self->paused);

  G_OBJECT_CLASS (isthmus_breakpoints_parent_class)->finalize (object);
}

static void
isthmus_breakpoints_class_init (IsthmusBreakpointsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = isthmus_breakpoints_dispose;
  object_class->finalize = isthmus_breakpoints_finalize;

  signals[SIGNAL_PAUSED] =
    g_signal_new ("paused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ISTHMUS_TYPE_PAUSED_CALL);
  signals[SIGNAL_RESOLVED] =
    g_signal_new ("resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ISTHMUS_TYPE_PAUSED_CALL);
}

static void
isthmus_breakpoints_init (IsthmusBreakpoints *self)
{
  self->breakpoints = g_ptr_array_new_with_free_func (breakpoint_free);
  self->paused = g_list_store_new (ISTHMUS_TYPE_PAUSED_CALL);
  self->next_id = 1;
}

/**
 * isthmus_breakpoints_get_for_core:
 * @core: an #IsthmusCore
 *
 * Returns: (transfer none): the breakpoints of @core
 */
IsthmusBreakpoints *
isthmus_breakpoints_get_for_core (IsthmusCore *core)
{
  IsthmusBreakpoints *self;

  g_return_val_if_fail (ISTHMUS_IS_CORE (core), NULL);

  self = _isthmus_breakpoints_peek (core);
  if (self == NULL)
    {
      self = g_object_new (ISTHMUS_TYPE_BREAKPOINTS, NULL);
      g_set_weak_pointer (&self->core, core);
      g_object_set_data_full (G_OBJECT (core), BREAKPOINTS_DATA_KEY, self, g_object_unref);
    }

  return self;
}

guint
isthmus_breakpoints_add (IsthmusBreakpoints     *self,
                         IsthmusBreakpointGate   gate,
                         const char             *filter_text,
                         GError                **error)
{
  g_autoptr(IsthmusFilter) filter = NULL;
  Breakpoint *breakpoint;

  g_return_val_if_fail (ISTHMUS_IS_BREAKPOINTS (self), 0);
  g_return_val_if_fail (gate <= ISTHMUS_BREAKPOINT_BEFORE_REPLY, 0);

  filter = isthmus_filter_parse (filter_text != NULL ? filter_text : "", error);
  if (filter == NULL)
    return 0;

  breakpoint = g_new0 (Breakpoint, 1);
  breakpoint->id = self->next_id++;
  breakpoint->gate = gate;
  breakpoint->filter = g_steal_pointer (&filter);
  breakpoint->enabled = TRUE;
  g_ptr_array_add (self->breakpoints, breakpoint);

  return breakpoint->id;
}

static Breakpoint *
find_breakpoint (IsthmusBreakpoints *self,
                 guint               id,
                 guint              *index)
{
  for (guint i = 0; i < self->breakpoints->len; i++)
    {
      Breakpoint *breakpoint = g_ptr_array_index (self->breakpoints, i);

      if (breakpoint->id == id)
        {
          if (index != NULL)
            *index = i;
          return breakpoint;
        }
    }

  return NULL;
}

gboolean
isthmus_breakpoints_remove (IsthmusBreakpoints *self,
                            guint               id)
{
  guint index;

  g_return_val_if_fail (ISTHMUS_IS_BREAKPOINTS (self), FALSE);

  if (find_breakpoint (self, id, &index) == NULL)
    return FALSE;

  g_ptr_array_remove_index (self->breakpoints, index);
  return TRUE;
}

gboolean
isthmus_breakpoints_set_enabled (IsthmusBreakpoints *self,
                                 guint               id,
                                 gboolean            enabled)
{
  Breakpoint *breakpoint;

  g_return_val_if_fail (ISTHMUS_IS_BREAKPOINTS (self), FALSE);

  breakpoint = find_breakpoint (self, id, NULL);
  if (breakpoint == NULL)
    return FALSE;

  breakpoint->enabled = !!enabled;
  return TRUE;
}

void
isthmus_breakpoints_clear (IsthmusBreakpoints *self)
{
  g_return_if_fail (ISTHMUS_IS_BREAKPOINTS (self));

  g_ptr_array_set_size (self->breakpoints, 0);
}

guint
isthmus_breakpoints_get_n_breakpoints (IsthmusBreakpoints *self)
{
  g_return_val_if_fail (ISTHMUS_IS_BREAKPOINTS (self), 0);

  return self->breakpoints->len;
}

void
isthmus_breakpoints_set_time_limit (IsthmusBreakpoints *self,
                                    guint               ms)
{
  g_return_if_fail (ISTHMUS_IS_BREAKPOINTS (self));

  self->time_limit_ms = ms;
}

guint
isthmus_breakpoints_get_time_limit (IsthmusBreakpoints *self)
{
  g_return_val_if_fail (ISTHMUS_IS_BREAKPOINTS (self), 0);

  return self->time_limit_ms;
}

GListModel *
isthmus_breakpoints_get_paused (IsthmusBreakpoints *self)
{
  g_return_val_if_fail (ISTHMUS_IS_BREAKPOINTS (self), NULL);

  return G_LIST_MODEL (self->paused);
}

IsthmusBreakpoints *
_isthmus_breakpoints_peek (IsthmusCore *core)
{
  return g_object_get_data (G_OBJECT (core), BREAKPOINTS_DATA_KEY);
}

gboolean
_isthmus_breakpoints_wants (IsthmusBreakpoints    *self,
                            IsthmusBreakpointGate  gate,
                            IsthmusExchange       *exchange)
{
  for (guint i = 0; i < self->breakpoints->len; i++)
    {
      Breakpoint *breakpoint = g_ptr_array_index (self->breakpoints, i);

      if (breakpoint->enabled && breakpoint->gate == gate &&
          isthmus_filter_matches (breakpoint->filter, exchange))
        return TRUE;
    }

  return FALSE;
}

static gboolean
time_limit_cb (gpointer user_data)
{
  IsthmusPausedCall *self = user_data;

  self->timeout_id = 0;
  resolve (self, TRUE, self->ok, NULL, NULL, "continued after the time limit at", NULL);

  return G_SOURCE_REMOVE;
}

void
_isthmus_breakpoints_hold (IsthmusBreakpoints    *self,
                           IsthmusBreakpointGate  gate,
                           IsthmusExchange       *exchange,
                           const char            *webview_label,
                           JsonNode              *json,
                           gboolean               ok,
                           IsthmusGateFunc        func,
                           gpointer               call)
{
  g_autoptr(IsthmusPausedCall) paused = NULL;

  g_return_if_fail (ISTHMUS_IS_BREAKPOINTS (self));
  g_return_if_fail (func != NULL);

  paused = g_object_new (ISTHMUS_TYPE_PAUSED_CALL, NULL);
  g_set_weak_pointer (&paused->breakpoints, self);
  paused->exchange = g_object_ref (exchange);
  paused->window_label = g_strdup (webview_label);
  paused->json = json != NULL ? isthmus_json_to_text (json, NULL) : g_strdup ("null");
  paused->prior_note = g_strdup (isthmus_exchange_get_note (exchange));
  paused->gate = gate;
  paused->ok = ok;
  paused->func = func;
  paused->call = call;

  set_note (paused, "paused at");
  g_list_store_append (self->paused, paused);

  if (self->time_limit_ms > 0)
    paused->timeout_id = g_timeout_add (self->time_limit_ms, time_limit_cb, paused);

  g_signal_emit (self, signals[SIGNAL_PAUSED], 0, paused);
}

void
_isthmus_breakpoints_release (IsthmusBreakpoints *self,
                              const char         *webview_label,
                              const GError       *error)
{
  g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_if_fail (ISTHMUS_IS_BREAKPOINTS (self));
  g_return_if_fail (error != NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->paused));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(IsthmusPausedCall) paused = g_list_model_get_item (G_LIST_MODEL (self->paused), i);

      if (webview_label == NULL || g_strcmp0 (paused->window_label, webview_label) == 0)
        g_ptr_array_add (doomed, g_steal_pointer (&paused));
    }

  for (guint i = 0; i < doomed->len; i++)
    resolve (g_ptr_array_index (doomed, i), FALSE, FALSE, NULL, error,
             "answered by the core at", NULL);
}

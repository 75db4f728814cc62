/* isthmus-breakpoints-view.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-breakpoints-view"

#include "config.h"

#include <glib/gi18n.h>

#include "isthmus-breakpoints-view.h"

struct _IsthmusBreakpointsView
{
  GtkWidget           parent_instance;

  /* Owned references */
  IsthmusCore        *core;

  /* Unowned references: the core keeps them */
  IsthmusBreakpoints *breakpoints;

  /* Template widgets */
  GtkButton          *add_button;
  GtkLabel           *add_error_label;
  GtkListBox         *breakpoint_list;
  GtkEntry           *filter_entry;
  GtkDropDown        *gate_dropdown;
  GtkListBox         *paused_list;
};

G_DEFINE_FINAL_TYPE (IsthmusBreakpointsView, isthmus_breakpoints_view, GTK_TYPE_WIDGET)

/* The widgets of one paused call's row. */
typedef struct
{
  IsthmusPausedCall *call;
  GtkTextView       *json_view;
  GtkCheckButton    *as_error_check;
  GtkLabel          *error_label;
} PausedRow;

static void
paused_row_free (PausedRow *row)
{
  g_clear_object (&row->call);
  g_free (row);
}

static const char *
gate_label (IsthmusBreakpointGate gate)
{
  switch (gate)
    {
    case ISTHMUS_BREAKPOINT_BEFORE_HOOK:
      return _("Before the hook");
    case ISTHMUS_BREAKPOINT_BEFORE_HANDLER:
      return _("Before the handler");
    case ISTHMUS_BREAKPOINT_BEFORE_REPLY:
      return _("Before the reply");
    default:
      return "";
    }
}

static char *
get_row_json (PausedRow *row)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (row->json_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
show_row_result (PausedRow    *row,
                 const GError *error)
{
  if (error == NULL)
    return;

  gtk_label_set_text (row->error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (row->error_label), TRUE);
}

static gboolean
continue_row (PausedRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = get_row_json (row);
  const char *original = isthmus_paused_call_get_json (row->call);
  gboolean ok;

  /* Unchanged text continues unchanged, so that the core does not parse
   * again what it gave. */
  ok = isthmus_paused_call_continue (row->call,
                                     g_strcmp0 (text, original) != 0 ? text : NULL,
                                     &error);
  show_row_result (row, error);

  return ok;
}

static void
continue_clicked_cb (GtkButton *button,
                     PausedRow *row)
{
  continue_row (row);
}

static void
drop_clicked_cb (GtkButton *button,
                 PausedRow *row)
{
  g_autoptr(GError) error = NULL;

  isthmus_paused_call_drop (row->call, &error);
  show_row_result (row, error);
}

static void
answer_clicked_cb (GtkButton *button,
                   PausedRow *row)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = get_row_json (row);
  gboolean ok = !gtk_check_button_get_active (row->as_error_check);

  isthmus_paused_call_answer (row->call, ok, text, &error);
  show_row_result (row, error);
}

static GtkWidget *
new_button (const char *label,
            const char *tooltip)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_tooltip_text (button, tooltip);

  return button;
}

static GtkWidget *
create_paused_row (gpointer item,
                   gpointer user_data)
{
  IsthmusPausedCall *call = item;
  IsthmusExchange *exchange = isthmus_paused_call_get_exchange (call);
  IsthmusBreakpointGate gate = isthmus_paused_call_get_gate (call);
  PausedRow *row = g_new0 (PausedRow, 1);
  g_autofree char *title = NULL;
  GtkWidget *list_row;
  GtkWidget *box;
  GtkWidget *title_label;
  GtkWidget *json_label;
  GtkWidget *scrolled;
  GtkWidget *buttons;
  GtkWidget *button;

  row->call = g_object_ref (call);

  /* Translators: a paused call: its gate, window and command */
  title = g_strdup_printf (_("%s · %s · %s"),
                           gate_label (gate),
                           isthmus_paused_call_get_window_label (call) != NULL ? isthmus_paused_call_get_window_label (call) : "",
                           exchange != NULL && isthmus_exchange_get_command (exchange) != NULL ? isthmus_exchange_get_command (exchange) : "");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  title_label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_wrap (GTK_LABEL (title_label), TRUE);
  gtk_widget_add_css_class (title_label, "heading");
  gtk_box_append (GTK_BOX (box), title_label);

  json_label = gtk_label_new_with_mnemonic (gate == ISTHMUS_BREAKPOINT_BEFORE_REPLY
                                            ? (isthmus_paused_call_get_ok (call) ? _("_Reply value (JSON)") : _("_Rejection value (JSON)"))
                                            : _("_Arguments (JSON)"));
  gtk_label_set_xalign (GTK_LABEL (json_label), 0);
  gtk_widget_add_css_class (json_label, "dim-label");
  gtk_box_append (GTK_BOX (box), json_label);

  row->json_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_monospace (row->json_view, TRUE);
  gtk_text_view_set_wrap_mode (row->json_view, GTK_WRAP_WORD_CHAR);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (row->json_view),
                            isthmus_paused_call_get_json (call) != NULL ? isthmus_paused_call_get_json (call) : "null", -1);
  gtk_label_set_mnemonic_widget (GTK_LABEL (json_label), GTK_WIDGET (row->json_view));
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 60);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 200);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (row->json_view));
  gtk_widget_add_css_class (scrolled, "card");
  gtk_box_append (GTK_BOX (box), scrolled);

  row->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (row->error_label, 0);
  gtk_label_set_wrap (row->error_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (row->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (row->error_label), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (row->error_label));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);

  row->as_error_check = GTK_CHECK_BUTTON (gtk_check_button_new_with_mnemonic (_("Answer as an _error")));
  gtk_box_append (GTK_BOX (buttons), GTK_WIDGET (row->as_error_check));

  button = new_button (_("Ans_wer"), _("Answer the page with the text above, without running the rest"));
  g_signal_connect (button, "clicked", G_CALLBACK (answer_clicked_cb), row);
  gtk_box_append (GTK_BOX (buttons), button);

  button = new_button (_("_Drop"), _("Answer the page with BREAKPOINT_DROPPED"));
  gtk_widget_add_css_class (button, "destructive-action");
  g_signal_connect (button, "clicked", G_CALLBACK (drop_clicked_cb), row);
  gtk_box_append (GTK_BOX (buttons), button);

  button = new_button (_("_Continue"), _("Let the call go on, with the text above if it was edited"));
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect (button, "clicked", G_CALLBACK (continue_clicked_cb), row);
  gtk_box_append (GTK_BOX (buttons), button);

  gtk_box_append (GTK_BOX (box), buttons);

  list_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (list_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (list_row), box);
  g_object_set_data_full (G_OBJECT (list_row), "paused-row", row, (GDestroyNotify)paused_row_free);

  return list_row;
}

static void
enabled_changed_cb (GtkSwitch  *widget,
                    GParamSpec *pspec,
                    IsthmusBreakpointsView *self)
{
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "breakpoint-id"));

  isthmus_breakpoints_set_enabled (self->breakpoints, id, gtk_switch_get_active (widget));
}

static void
remove_clicked_cb (GtkButton              *button,
                   IsthmusBreakpointsView *self)
{
  GtkWidget *row = gtk_widget_get_ancestor (GTK_WIDGET (button), GTK_TYPE_LIST_BOX_ROW);
  guint id = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "breakpoint-id"));

  isthmus_breakpoints_remove (self->breakpoints, id);
  if (row != NULL)
    gtk_list_box_remove (self->breakpoint_list, row);
}

static void
append_breakpoint_row (IsthmusBreakpointsView *self,
                       guint                   id,
                       IsthmusBreakpointGate   gate,
                       const char             *filter_text)
{
  g_autofree char *title = NULL;
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *toggle;
  GtkWidget *remove;

  /* Translators: a breakpoint, "Pause when cmd:greet · Before the handler" */
  title = g_strdup_printf (_("Pause when %s · %s"),
                           filter_text[0] != '\0' ? filter_text : _("any call"),
                           gate_label (gate));

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), label);

  toggle = gtk_switch_new ();
  gtk_switch_set_active (GTK_SWITCH (toggle), TRUE);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (toggle, _("Enabled"));
  g_object_set_data (G_OBJECT (toggle), "breakpoint-id", GUINT_TO_POINTER (id));
  g_signal_connect_object (toggle, "notify::active", G_CALLBACK (enabled_changed_cb), self, 0);
  gtk_box_append (GTK_BOX (box), toggle);

  remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (remove, _("Remove the breakpoint"));
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data (G_OBJECT (remove), "breakpoint-id", GUINT_TO_POINTER (id));
  g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), remove);

  gtk_list_box_append (self->breakpoint_list, box);
}

guint
isthmus_breakpoints_view_add (IsthmusBreakpointsView *self,
                              IsthmusBreakpointGate   gate,
                              const char             *filter_text)
{
  g_autoptr(GError) error = NULL;
  guint id;

  g_return_val_if_fail (ISTHMUS_IS_BREAKPOINTS_VIEW (self), 0);

  if (filter_text == NULL)
    filter_text = "";

  id = isthmus_breakpoints_add (self->breakpoints, gate, filter_text, &error);
  if (id == 0)
    {
      gtk_label_set_text (self->add_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), TRUE);
      return 0;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->add_error_label), FALSE);
  append_breakpoint_row (self, id, gate, filter_text);

  return id;
}

static void
add_cb (IsthmusBreakpointsView *self)
{
  guint gate = gtk_drop_down_get_selected (self->gate_dropdown);

  if (gate > ISTHMUS_BREAKPOINT_BEFORE_REPLY)
    gate = ISTHMUS_BREAKPOINT_BEFORE_HANDLER;

  if (isthmus_breakpoints_view_add (self, gate, gtk_editable_get_text (GTK_EDITABLE (self->filter_entry))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), "");
}

static void
isthmus_breakpoints_view_dispose (GObject *object)
{
  IsthmusBreakpointsView *self = (IsthmusBreakpointsView *)object;
  GtkWidget *child;

  if (self->paused_list != NULL)
    gtk_list_box_bind_model (self->paused_list, NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), ISTHMUS_TYPE_BREAKPOINTS_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (isthmus_breakpoints_view_parent_class)->dispose (object);
}

static void
isthmus_breakpoints_view_finalize (GObject *object)
{
  IsthmusBreakpointsView *self = (IsthmusBreakpointsView *)object;

  g_clear_object (&self->core);

  G_OBJECT_CLASS (isthmus_breakpoints_view_parent_class)->finalize (object);
}

static void
isthmus_breakpoints_view_class_init (IsthmusBreakpointsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isthmus_breakpoints_view_dispose;
  object_class->finalize = isthmus_breakpoints_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-breakpoints-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusBreakpointsView, add_button);
  gtk_widget_class_bind_template_child (widget_class, IsthmusBreakpointsView, add_error_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusBreakpointsView, breakpoint_list);
  gtk_widget_class_bind_template_child (widget_class, IsthmusBreakpointsView, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, IsthmusBreakpointsView, gate_dropdown);
  gtk_widget_class_bind_template_child (widget_class, IsthmusBreakpointsView, paused_list);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
}

static void
isthmus_breakpoints_view_init (IsthmusBreakpointsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
isthmus_breakpoints_view_new (IsthmusCore *core)
{
  IsthmusBreakpointsView *self;

  g_return_val_if_fail (ISTHMUS_IS_CORE (core), NULL);

  self = g_object_new (ISTHMUS_TYPE_BREAKPOINTS_VIEW, NULL);
  self->core = g_object_ref (core);
  self->breakpoints = isthmus_breakpoints_get_for_core (core);
  gtk_list_box_bind_model (self->paused_list, isthmus_breakpoints_get_paused (self->breakpoints),
                           create_paused_row, NULL, NULL);

  return GTK_WIDGET (self);
}

guint
isthmus_breakpoints_view_get_n_paused (IsthmusBreakpointsView *self)
{
  guint n = 0;

  g_return_val_if_fail (ISTHMUS_IS_BREAKPOINTS_VIEW (self), 0);

  while (gtk_list_box_get_row_at_index (self->paused_list, n) != NULL)
    n++;

  return n;
}

gboolean
isthmus_breakpoints_view_continue (IsthmusBreakpointsView *self,
                                   guint                   position)
{
  GtkListBoxRow *list_row;
  PausedRow *row;

  g_return_val_if_fail (ISTHMUS_IS_BREAKPOINTS_VIEW (self), FALSE);

  list_row = gtk_list_box_get_row_at_index (self->paused_list, position);
  if (list_row == NULL)
    return FALSE;

  row = g_object_get_data (G_OBJECT (list_row), "paused-row");

  return continue_row (row);
}

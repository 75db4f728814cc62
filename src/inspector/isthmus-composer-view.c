/* isthmus-composer-view.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-composer-view"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "isthmus-composer-view.h"
#include "isthmus-registry.h"

/* How long after the last key the args are checked, in milliseconds. */
#define CHECK_DELAY_MS 250

struct _IsthmusComposerView
{
  GtkWidget               parent_instance;

  /* Owned references */
  IsthmusCore            *core;
  IsthmusComposerHistory *history;
  GCancellable           *cancellable;
  char                   *reply_text;
  guint                   check_id;

  /* Template widgets */
  GtkLabel               *args_error_label;
  GtkSourceView          *args_view;
  GtkDropDown            *command_dropdown;
  GtkEntry               *command_entry;
  GtkStringList          *commands_model;
  GtkLabel               *emit_status_label;
  GtkEntry               *event_entry;
  GtkListBox             *history_list;
  GtkSwitch              *hook_switch;
  GtkButton              *invoke_button;
  GtkEntry               *payload_entry;
  GtkLabel               *reply_label;
  GtkDropDown            *target_dropdown;
  GtkEntry               *target_label_entry;
  GtkDropDown            *window_dropdown;
  GtkStringList          *windows_model;

  guint                   filling_commands : 1;
};

G_DEFINE_FINAL_TYPE (IsthmusComposerView, isthmus_composer_view, GTK_TYPE_WIDGET)

enum {
  REPLY,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Tauri's EventTarget kinds, in the order of the target drop-down. */
static const char *target_kinds[] = {
  "Any", "AnyLabel", "App", "Window", "Webview", "WebviewWindow",
};

static void
update_scheme (IsthmusComposerView *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->args_view));
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gtk_source_buffer_set_style_scheme (GTK_SOURCE_BUFFER (buffer),
                                      gtk_source_style_scheme_manager_get_scheme (schemes,
                                                                                  dark ? "Adwaita-dark" : "Adwaita"));
}

static char *
get_args_text (IsthmusComposerView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->args_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
check_args (IsthmusComposerView *self)
{
  g_autofree char *text = get_args_text (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_clear_handle_id (&self->check_id, g_source_remove);

  if (g_strstrip (text)[0] == '\0')
    {
      gtk_widget_set_visible (GTK_WIDGET (self->args_error_label), FALSE);
      gtk_label_set_text (self->args_error_label, "");
      return TRUE;
    }

  node = isthmus_composer_parse_json (text, isthmus_core_get_limits (self->core), &error);
  if (node == NULL)
    {
      gtk_label_set_text (self->args_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->args_error_label), TRUE);
      return FALSE;
    }

  gtk_label_set_text (self->args_error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->args_error_label), FALSE);

  return TRUE;
}

static gboolean
check_args_timeout_cb (gpointer user_data)
{
  IsthmusComposerView *self = user_data;

  self->check_id = 0;
  check_args (self);

  return G_SOURCE_REMOVE;
}

static void
args_changed_cb (IsthmusComposerView *self,
                 GtkTextBuffer       *buffer)
{
  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add (CHECK_DELAY_MS, check_args_timeout_cb, self);
}

static void
show_reply (IsthmusComposerView *self,
            const char          *text,
            gboolean             ok)
{
  g_free (self->reply_text);
  self->reply_text = g_strdup (text);

  gtk_label_set_text (self->reply_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->reply_label), "dim-label");
  if (ok)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->reply_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->reply_label), "success");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->reply_label), "success");
      gtk_widget_add_css_class (GTK_WIDGET (self->reply_label), "error");
    }
}

static const char *
get_window (IsthmusComposerView *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->window_dropdown);

  if (item == NULL)
    return "main";

  return gtk_string_object_get_string (item);
}

typedef struct
{
  IsthmusComposerView *self;
  char                *command;
  char                *args;
  char                *window;
  gboolean             through_hook;
} InvokeData;

static void
invoke_data_free (InvokeData *data)
{
  g_clear_object (&data->self);
  g_free (data->command);
  g_free (data->args);
  g_free (data->window);
  g_free (data);
}

static void
invoke_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  InvokeData *data = user_data;
  IsthmusComposerView *self = data->self;
  g_autoptr(IsthmusComposerReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = isthmus_composer_invoke_finish (ISTHMUS_CORE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      invoke_data_free (data);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->invoke_button), TRUE);

  if (reply == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not sent: %s"), error->message);

      show_reply (self, text, FALSE);
    }
  else
    {
      g_autoptr(GError) history_error = NULL;

      if (reply->ok)
        {
          show_reply (self, reply->json, TRUE);
        }
      else
        {
          g_autofree char *text = NULL;

          /* Translators: %s are an error code, its message and the rejection value */
          text = g_strdup_printf (_("Rejected (%s): %s\n%s"),
                                  reply->code != NULL ? reply->code : "",
                                  reply->message != NULL ? reply->message : "",
                                  reply->json != NULL ? reply->json : "null");
          show_reply (self, text, FALSE);
        }

      if (self->history != NULL &&
          !isthmus_composer_history_add (self->history, data->command, data->args,
                                         data->window, data->through_hook, &history_error))
        g_debug ("The composer history was not saved: %s", history_error->message);
    }

  g_signal_emit (self, signals[REPLY], 0);
  invoke_data_free (data);
}

static void
invoke_cb (IsthmusComposerView *self)
{
  InvokeData *data;
  const char *command;
  g_autofree char *args = NULL;

  command = gtk_editable_get_text (GTK_EDITABLE (self->command_entry));
  if (command[0] == '\0')
    {
      show_reply (self, _("Type a command first"), FALSE);
      g_signal_emit (self, signals[REPLY], 0);
      return;
    }

  if (!check_args (self))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->args_view));
      return;
    }

  args = get_args_text (self);

  data = g_new0 (InvokeData, 1);
  data->self = g_object_ref (self);
  data->command = g_strdup (command);
  data->args = g_strdup (g_strstrip (args)[0] != '\0' ? args : "{}");
  data->window = g_strdup (get_window (self));
  data->through_hook = gtk_widget_get_sensitive (GTK_WIDGET (self->hook_switch)) &&
                       gtk_switch_get_active (self->hook_switch);

  gtk_widget_set_sensitive (GTK_WIDGET (self->invoke_button), FALSE);
  gtk_label_set_text (self->reply_label, _("Waiting for the reply…"));

  isthmus_composer_invoke_async (self->core, data->window, data->command, data->args,
                                 data->through_hook, self->cancellable,
                                 invoke_done_cb, data);
}

static char *
build_target_json (IsthmusComposerView *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  guint kind = gtk_drop_down_get_selected (self->target_dropdown);
  const char *label = gtk_editable_get_text (GTK_EDITABLE (self->target_label_entry));

  if (kind >= G_N_ELEMENTS (target_kinds))
    kind = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, target_kinds[kind]);
  if (kind != 0 && kind != 2)
    {
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, label);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}

static void
emit_cb (IsthmusComposerView *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  const char *event = gtk_editable_get_text (GTK_EDITABLE (self->event_entry));
  const char *payload = gtk_editable_get_text (GTK_EDITABLE (self->payload_entry));

  if (event[0] == '\0')
    {
      gtk_label_set_text (self->emit_status_label, _("Type an event name first"));
      return;
    }

  target = build_target_json (self);
  if (isthmus_composer_emit (self->core, target, event, payload, &error))
    {
      gtk_label_set_text (self->emit_status_label, _("Emitted"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->emit_status_label), "error");
    }
  else
    {
      gtk_label_set_text (self->emit_status_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->emit_status_label), "error");
    }
}

static void
command_selected_cb (IsthmusComposerView *self)
{
  GtkStringObject *item;

  if (self->filling_commands)
    return;

  item = gtk_drop_down_get_selected_item (self->command_dropdown);
  if (item != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->command_entry), gtk_string_object_get_string (item));
}

static void
select_window (IsthmusComposerView *self,
               const char          *label)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->windows_model));

  for (guint i = 0; i < n; i++)
    {
      if (g_strcmp0 (gtk_string_list_get_string (self->windows_model, i), label) == 0)
        {
          gtk_drop_down_set_selected (self->window_dropdown, i);
          return;
        }
    }
}

static void
history_activated_cb (IsthmusComposerView *self,
                      GtkListBoxRow       *row)
{
  IsthmusComposerItem *item = g_object_get_data (G_OBJECT (row), "item");

  if (item == NULL)
    return;

  isthmus_composer_view_set_command (self, isthmus_composer_item_get_command (item));
  isthmus_composer_view_set_args (self, isthmus_composer_item_get_args (item));
  select_window (self, isthmus_composer_item_get_window (item));
  if (gtk_widget_get_sensitive (GTK_WIDGET (self->hook_switch)))
    gtk_switch_set_active (self->hook_switch, isthmus_composer_item_get_through_hook (item));
  gtk_widget_grab_focus (GTK_WIDGET (self->command_entry));
}

static GtkWidget *
create_history_row (gpointer item,
                    gpointer user_data)
{
  IsthmusComposerItem *entry = item;
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *title;
  GtkWidget *subtitle;
  g_autofree char *detail = NULL;

  /* Translators: "window · args", under a command in the history */
  detail = g_strdup_printf (_("%s · %s%s"),
                            isthmus_composer_item_get_window (entry),
                            isthmus_composer_item_get_args (entry),
                            isthmus_composer_item_get_through_hook (entry) ? _(" · through the hook") : "");

  title = gtk_label_new (isthmus_composer_item_get_command (entry));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  subtitle = gtk_label_new (detail);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), subtitle);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Use this call again"));
  g_object_set_data_full (G_OBJECT (row), "item", g_object_ref (entry), g_object_unref);

  return row;
}

static void
isthmus_composer_view_dispose (GObject *object)
{
  IsthmusComposerView *self = (IsthmusComposerView *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->check_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), ISTHMUS_TYPE_COMPOSER_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (isthmus_composer_view_parent_class)->dispose (object);
}

static void
isthmus_composer_view_finalize (GObject *object)
{
  IsthmusComposerView *self = (IsthmusComposerView *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->core);
  g_clear_object (&self->history);
  g_clear_pointer (&self->reply_text, g_free);

  G_OBJECT_CLASS (isthmus_composer_view_parent_class)->finalize (object);
}

static void
isthmus_composer_view_class_init (IsthmusComposerViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isthmus_composer_view_dispose;
  object_class->finalize = isthmus_composer_view_finalize;

  signals[REPLY] = g_signal_new ("reply", G_TYPE_FROM_CLASS (klass),
                                 G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-composer-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, args_error_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, args_view);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, command_dropdown);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, command_entry);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, commands_model);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, emit_status_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, event_entry);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, history_list);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, hook_switch);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, invoke_button);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, payload_entry);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, reply_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, target_dropdown);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, target_label_entry);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, window_dropdown);
  gtk_widget_class_bind_template_child (widget_class, IsthmusComposerView, windows_model);
  gtk_widget_class_bind_template_callback (widget_class, command_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, emit_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, invoke_cb);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
}

static void
isthmus_composer_view_init (IsthmusComposerView *self)
{
  GtkSourceLanguageManager *languages;
  GtkSourceBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  languages = gtk_source_language_manager_get_default ();
  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->args_view)));
  gtk_source_buffer_set_language (buffer, gtk_source_language_manager_get_language (languages, "json"));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), "{}", -1);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (args_changed_cb), self, G_CONNECT_SWAPPED);
  update_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);

  gtk_string_list_append (self->windows_model, "main");
}

GtkWidget *
isthmus_composer_view_new (IsthmusCore            *core,
                           IsthmusComposerHistory *history)
{
  IsthmusComposerView *self;

  g_return_val_if_fail (ISTHMUS_IS_CORE (core), NULL);
  g_return_val_if_fail (history == NULL || ISTHMUS_IS_COMPOSER_HISTORY (history), NULL);

  self = g_object_new (ISTHMUS_TYPE_COMPOSER_VIEW, NULL);
  self->core = g_object_ref (core);
  if (history != NULL)
    {
      self->history = g_object_ref (history);
      gtk_list_box_bind_model (self->history_list, G_LIST_MODEL (history),
                               create_history_row, NULL, NULL);
    }

  isthmus_composer_view_refresh_commands (self);

  return GTK_WIDGET (self);
}

void
isthmus_composer_view_refresh_commands (IsthmusComposerView *self)
{
  g_auto(GStrv) commands = NULL;
  guint n;

  g_return_if_fail (ISTHMUS_IS_COMPOSER_VIEW (self));

  commands = isthmus_registry_list (isthmus_core_get_registry (self->core));
  n = g_list_model_get_n_items (G_LIST_MODEL (self->commands_model));

  self->filling_commands = TRUE;
  gtk_string_list_splice (self->commands_model, 0, n, (const char * const *)commands);
  gtk_drop_down_set_selected (self->command_dropdown, GTK_INVALID_LIST_POSITION);
  self->filling_commands = FALSE;
}

void
isthmus_composer_view_set_windows (IsthmusComposerView *self,
                                   const char * const  *labels)
{
  guint n;

  g_return_if_fail (ISTHMUS_IS_COMPOSER_VIEW (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->windows_model));
  if (labels == NULL || labels[0] == NULL)
    {
      static const char * const fallback[] = { "main", NULL };

      labels = fallback;
    }
  gtk_string_list_splice (self->windows_model, 0, n, labels);
  gtk_drop_down_set_selected (self->window_dropdown, 0);
}

void
isthmus_composer_view_set_isolation (IsthmusComposerView *self,
                                     gboolean             isolation)
{
  g_return_if_fail (ISTHMUS_IS_COMPOSER_VIEW (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->hook_switch), isolation);
  if (!isolation)
    gtk_switch_set_active (self->hook_switch, FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->hook_switch),
                               isolation ? _("Send the call through the window’s isolation frame")
                                         : _("Needs the isolation pattern"));
}

void
isthmus_composer_view_set_command (IsthmusComposerView *self,
                                   const char          *command)
{
  g_return_if_fail (ISTHMUS_IS_COMPOSER_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->command_entry), command != NULL ? command : "");
}

void
isthmus_composer_view_set_args (IsthmusComposerView *self,
                                const char          *args_json)
{
  GtkTextBuffer *buffer;

  g_return_if_fail (ISTHMUS_IS_COMPOSER_VIEW (self));

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->args_view));
  gtk_text_buffer_set_text (buffer, args_json != NULL ? args_json : "", -1);
  check_args (self);
}

void
isthmus_composer_view_invoke (IsthmusComposerView *self)
{
  g_return_if_fail (ISTHMUS_IS_COMPOSER_VIEW (self));

  invoke_cb (self);
}

const char *
isthmus_composer_view_get_reply_text (IsthmusComposerView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_COMPOSER_VIEW (self), NULL);

  return self->reply_text != NULL ? self->reply_text : "";
}

const char *
isthmus_composer_view_get_args_error (IsthmusComposerView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_COMPOSER_VIEW (self), NULL);

  return gtk_label_get_text (self->args_error_label);
}

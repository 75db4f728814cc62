/* isthmus-mocks-editor.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-mocks-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <string.h>

#include "isthmus-mocks-editor.h"

/* How long after the last key the text is checked, in milliseconds. */
#define CHECK_DELAY_MS 300

struct _IsthmusMocksEditor
{
  GtkWidget             parent_instance;

  /* Owned references */
  IsthmusMocks         *mocks;
  IsthmusMocks         *scratch;
  GtkFileChooserNative *chooser;
  char                 *error_text;
  guint                 check_id;

  /* Template widgets */
  GtkButton            *apply_button;
  GtkButton            *export_button;
  GtkLabel             *path_label;
  GtkSourceView        *source_view;
  GtkStack             *stack;
  GtkLabel             *status_label;
};

G_DEFINE_FINAL_TYPE (IsthmusMocksEditor, isthmus_mocks_editor, GTK_TYPE_WIDGET)

static void
update_scheme (GtkSourceBuffer *buffer)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gtk_source_buffer_set_style_scheme (buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes,
                                                                                  dark ? "Adwaita-dark" : "Adwaita"));
}

static void
dark_changed_cb (IsthmusMocksEditor *self)
{
  update_scheme (GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view))));
}

static char *
get_text (IsthmusMocksEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);

  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
set_status (IsthmusMocksEditor *self,
            const char         *text,
            gboolean            is_error)
{
  gtk_label_set_text (self->status_label, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

gboolean
isthmus_mocks_editor_validate (IsthmusMocksEditor *self)
{
  g_autofree char *text = NULL;
  g_autofree char *origin = NULL;
  g_autoptr(GError) error = NULL;
  const char *path;

  g_return_val_if_fail (ISTHMUS_IS_MOCKS_EDITOR (self), FALSE);

  g_clear_handle_id (&self->check_id, g_source_remove);

  text = get_text (self);
  path = self->mocks != NULL ? isthmus_mocks_get_path (self->mocks) : NULL;
  origin = path != NULL ? g_path_get_basename (path) : g_strdup ("mocks.json");

  g_clear_pointer (&self->error_text, g_free);
  if (!isthmus_mocks_load_data (self->scratch, text, -1, origin, &error))
    {
      self->error_text = g_strdup (error->message);
      set_status (self, error->message, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), FALSE);
      return FALSE;
    }

  {
    g_autofree char *summary = NULL;
    guint n = isthmus_mocks_get_n_mocks (self->scratch);

    summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Valid: %u mock", "Valid: %u mocks", n), n);
    set_status (self, summary, FALSE);
  }
  gtk_widget_set_sensitive (GTK_WIDGET (self->apply_button), self->mocks != NULL && path != NULL);

  return TRUE;
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  IsthmusMocksEditor *self = user_data;

  self->check_id = 0;
  isthmus_mocks_editor_validate (self);

  return G_SOURCE_REMOVE;
}

static void
text_changed_cb (IsthmusMocksEditor *self)
{
  g_clear_handle_id (&self->check_id, g_source_remove);
  self->check_id = g_timeout_add (CHECK_DELAY_MS, check_timeout_cb, self);
}

gboolean
isthmus_mocks_editor_apply (IsthmusMocksEditor  *self,
                            GError             **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;
  const char *path;

  g_return_val_if_fail (ISTHMUS_IS_MOCKS_EDITOR (self), FALSE);

  path = self->mocks != NULL ? isthmus_mocks_get_path (self->mocks) : NULL;
  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no mocks file to save to"));
      return FALSE;
    }

  if (!isthmus_mocks_editor_validate (self))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, self->error_text);
      return FALSE;
    }

  text = get_text (self);
  file = g_file_new_for_path (path);
  if (!g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                G_FILE_CREATE_NONE, NULL, NULL, error))
    return FALSE;

  if (!isthmus_mocks_reload (self->mocks, error))
    return FALSE;

  gtk_text_buffer_set_modified (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)), FALSE);

  return TRUE;
}

static void
apply_cb (IsthmusMocksEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (!isthmus_mocks_editor_apply (self, &error))
    set_status (self, error->message, TRUE);
  else
    set_status (self, _("Saved and applied"), FALSE);
}

static void
export_response_cb (IsthmusMocksEditor   *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *module = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file == NULL)
    return;

  module = isthmus_mocks_to_mock_ipc (self->mocks);
  if (!g_file_replace_contents (file, module, strlen (module), NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, &error))
    set_status (self, error->message, TRUE);
  else
    set_status (self, _("Exported the mocks as a mockIPC() fixture"), FALSE);
}

static void
export_cb (IsthmusMocksEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->mocks == NULL || self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Export as mockIPC Fixture"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SAVE,
                                               _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), "isthmus-mocks.js");
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (export_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
apply_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  apply_cb (ISTHMUS_MOCKS_EDITOR (widget));
}

static void
load_from_file (IsthmusMocksEditor *self)
{
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = self->mocks != NULL ? isthmus_mocks_get_path (self->mocks) : NULL;

  if (path == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "editor");
  display = g_filename_display_name (path);
  gtk_label_set_text (self->path_label, display);

  if (!g_file_get_contents (path, &contents, NULL, &error))
    {
      set_status (self, error->message, TRUE);
      return;
    }
  if (!g_utf8_validate (contents, -1, NULL))
    {
      set_status (self, _("The mocks file is not UTF-8 text"), TRUE);
      return;
    }

  isthmus_mocks_editor_set_text (self, contents);
  gtk_text_buffer_set_modified (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)), FALSE);
}

static void
isthmus_mocks_editor_dispose (GObject *object)
{
  IsthmusMocksEditor *self = (IsthmusMocksEditor *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->check_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), ISTHMUS_TYPE_MOCKS_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (isthmus_mocks_editor_parent_class)->dispose (object);
}

static void
isthmus_mocks_editor_finalize (GObject *object)
{
  IsthmusMocksEditor *self = (IsthmusMocksEditor *)object;

  g_clear_object (&self->mocks);
  g_clear_object (&self->scratch);
  g_clear_pointer (&self->error_text, g_free);

  G_OBJECT_CLASS (isthmus_mocks_editor_parent_class)->finalize (object);
}

static void
isthmus_mocks_editor_class_init (IsthmusMocksEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isthmus_mocks_editor_dispose;
  object_class->finalize = isthmus_mocks_editor_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-mocks-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusMocksEditor, apply_button);
  gtk_widget_class_bind_template_child (widget_class, IsthmusMocksEditor, export_button);
  gtk_widget_class_bind_template_child (widget_class, IsthmusMocksEditor, path_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusMocksEditor, source_view);
  gtk_widget_class_bind_template_child (widget_class, IsthmusMocksEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, IsthmusMocksEditor, status_label);
  gtk_widget_class_bind_template_callback (widget_class, apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, export_cb);

  gtk_widget_class_install_action (widget_class, "mocks.apply", NULL, apply_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "mocks.apply", NULL);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
}

static void
isthmus_mocks_editor_init (IsthmusMocksEditor *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  GtkSourceBuffer *buffer;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->scratch = isthmus_mocks_new ();

  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)));
  gtk_source_buffer_set_language (buffer, gtk_source_language_manager_get_language (languages, "json"));
  update_scheme (buffer);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (text_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
isthmus_mocks_editor_new (IsthmusMocks *mocks)
{
  IsthmusMocksEditor *self;

  g_return_val_if_fail (mocks == NULL || ISTHMUS_IS_MOCKS (mocks), NULL);

  self = g_object_new (ISTHMUS_TYPE_MOCKS_EDITOR, NULL);
  g_set_object (&self->mocks, mocks);
  load_from_file (self);

  return GTK_WIDGET (self);
}

void
isthmus_mocks_editor_set_text (IsthmusMocksEditor *self,
                               const char         *text)
{
  g_return_if_fail (ISTHMUS_IS_MOCKS_EDITOR (self));

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)),
                            text != NULL ? text : "", -1);
  isthmus_mocks_editor_validate (self);
}

const char *
isthmus_mocks_editor_get_error_text (IsthmusMocksEditor *self)
{
  g_return_val_if_fail (ISTHMUS_IS_MOCKS_EDITOR (self), NULL);

  return self->error_text != NULL ? self->error_text : "";
}

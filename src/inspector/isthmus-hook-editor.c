/* isthmus-hook-editor.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-hook-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>
#include <jsc/jsc.h>
#include <string.h>

#include "isthmus-hook-editor.h"
#include "isthmus-hook-lint.h"

#define HOOK_NAME "__TAURI_ISOLATION_HOOK__"

struct _IsthmusHookEditor
{
  GtkWidget             parent_instance;

  /* Owned references */
  char                 *app_dir;
  char                 *path;
  char                 *relative;
  GtkFileChooserNative *chooser;

  /* Template widgets */
  GtkButton            *check_button;
  GtkLabel             *lint_label;
  GtkLabel             *path_label;
  GtkButton            *save_button;
  GtkSourceView        *source_view;
  GtkStack             *stack;
  GtkButton            *start_button;
  GtkLabel             *status_label;

  guint                 is_script : 1;
  guint                 is_module : 1;
};

G_DEFINE_FINAL_TYPE (IsthmusHookEditor, isthmus_hook_editor, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_APP_DIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkSourceBuffer *
get_buffer (IsthmusHookEditor *self)
{
  return GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)));
}

static void
update_scheme (IsthmusHookEditor *self)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());

  gtk_source_buffer_set_style_scheme (get_buffer (self),
                                      gtk_source_style_scheme_manager_get_scheme (schemes,
                                                                                  dark ? "Adwaita-dark" : "Adwaita"));
}

static char *
get_text (IsthmusHookEditor *self)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (get_buffer (self)), &start, &end);

  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (get_buffer (self)), &start, &end, FALSE);
}

static void
set_status (IsthmusHookEditor *self,
            const char        *text,
            gboolean           is_error)
{
  gtk_label_set_text (self->status_label, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
refresh_lint (IsthmusHookEditor *self)
{
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  findings = isthmus_hook_lint_app (self->app_dir, &error);
  if (findings == NULL)
    {
      gtk_label_set_text (self->lint_label, error->message);
      return;
    }

  for (guint i = 0; i < findings->len; i++)
    {
      g_autofree char *line = isthmus_hook_lint_finding_format (g_ptr_array_index (findings, i));

      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, line);
    }

  gtk_label_set_text (self->lint_label, text->len > 0 ? text->str : _("No findings"));
}

/* Checks one piece of code whose first line is @first_line of @file. */
static gboolean
check_code (const char  *file,
            const char  *code,
            guint        first_line,
            gboolean     is_module,
            GError     **error)
{
  g_autoptr(JSCContext) context = jsc_context_new ();
  g_autoptr(JSCException) exception = NULL;
  JSCCheckSyntaxResult result;

  result = jsc_context_check_syntax (context, code, -1,
                                     is_module ? JSC_CHECK_SYNTAX_MODE_MODULE : JSC_CHECK_SYNTAX_MODE_SCRIPT,
                                     file, first_line, &exception);
  if (result == JSC_CHECK_SYNTAX_RESULT_SUCCESS)
    return TRUE;

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s:%u: %s",
               file,
               exception != NULL ? jsc_exception_get_line_number (exception) : first_line,
               exception != NULL ? jsc_exception_get_message (exception) : _("syntax error"));

  return FALSE;
}

/* The inline scripts of an edited index.html, read as the runner reads
 * them: the text goes to a scratch folder and is scanned there. */
static gboolean
check_index (const char  *text,
             GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *index = NULL;
  g_autoptr(GPtrArray) scripts = NULL;
  gboolean ok = TRUE;

  dir = g_dir_make_tmp (NULL, error);
  if (dir == NULL)
    return FALSE;

  index = g_build_filename (dir, "index.html", NULL);
  if (g_file_set_contents (index, text, -1, error))
    scripts = isthmus_hook_app_scan (dir, error);
  g_unlink (index);
  g_rmdir (dir);

  if (scripts == NULL)
    return FALSE;

  for (guint i = 0; ok && i < scripts->len; i++)
    {
      const IsthmusHookScript *script = g_ptr_array_index (scripts, i);

      if (script->src == NULL && script->code != NULL)
        ok = check_code ("index.html", script->code, script->line, script->is_module, error);
    }

  return ok;
}

gboolean
isthmus_hook_editor_check (IsthmusHookEditor  *self,
                           GError            **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (ISTHMUS_IS_HOOK_EDITOR (self), FALSE);

  if (self->path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("There is no isolation app"));
      return FALSE;
    }

  text = get_text (self);
  if (self->is_script)
    return check_code (self->relative, text, 1, self->is_module, error);

  return check_index (text, error);
}

gboolean
isthmus_hook_editor_save (IsthmusHookEditor  *self,
                          GError            **error)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (ISTHMUS_IS_HOOK_EDITOR (self), FALSE);

  if (!isthmus_hook_editor_check (self, error))
    return FALSE;

  text = get_text (self);
  file = g_file_new_for_path (self->path);
  if (!g_file_replace_contents (file, text, strlen (text), NULL, FALSE,
                                G_FILE_CREATE_NONE, NULL, NULL, error))
    return FALSE;

  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (get_buffer (self)), FALSE);
  refresh_lint (self);

  return TRUE;
}

static void
check_cb (IsthmusHookEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (isthmus_hook_editor_check (self, &error))
    set_status (self, _("No syntax errors"), FALSE);
  else
    set_status (self, error->message, TRUE);
}

static void
save_cb (IsthmusHookEditor *self)
{
  g_autoptr(GError) error = NULL;

  if (isthmus_hook_editor_save (self, &error))
    {
      set_status (self, _("Saved; the live reload loads the new hook"), FALSE);
    }
  else
    {
      g_autofree char *text = g_strdup_printf (_("Not saved: %s"), error->message);

      set_status (self, text, TRUE);
    }
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save_cb (ISTHMUS_HOOK_EDITOR (widget));
}

gboolean
isthmus_hook_editor_start_from_passthrough (IsthmusHookEditor  *self,
                                            GFile              *folder,
                                            GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) index = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (ISTHMUS_IS_HOOK_EDITOR (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (folder), FALSE);

  bytes = g_resources_lookup_data (ISTHMUS_HOOK_EDITOR_PASSTHROUGH_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;

  index = g_file_get_child (folder, "index.html");
  stream = g_file_create (index, G_FILE_CREATE_NONE, NULL, error);
  if (stream == NULL)
    return FALSE;
  if (!g_output_stream_write_all (G_OUTPUT_STREAM (stream), g_bytes_get_data (bytes, NULL),
                                  g_bytes_get_size (bytes), NULL, NULL, error) ||
      !g_output_stream_close (G_OUTPUT_STREAM (stream), NULL, error))
    return FALSE;

  dir = g_file_get_path (folder);
  isthmus_hook_editor_set_app_dir (self, dir);

  return TRUE;
}

static void
chooser_response_cb (IsthmusHookEditor    *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (folder == NULL)
    return;

  if (!isthmus_hook_editor_start_from_passthrough (self, folder, &error))
    {
      AdwStatusPage *page = ADW_STATUS_PAGE (gtk_widget_get_ancestor (GTK_WIDGET (self->start_button),
                                                                      ADW_TYPE_STATUS_PAGE));

      adw_status_page_set_description (page, error->message);
      return;
    }

  {
    g_autofree char *display = g_filename_display_name (self->app_dir);
    g_autofree char *text = NULL;

    text = g_strdup_printf (_("Copied the passthrough app; run Isthmus with --isolation %s to use it"), display);
    set_status (self, text, FALSE);
  }
}

static void
start_cb (IsthmusHookEditor *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Folder for the Isolation App"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* Picks the file to edit: the local script that sets the hook, else
 * index.html. */
static void
pick_file (IsthmusHookEditor *self)
{
  g_autoptr(GPtrArray) scripts = NULL;

  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->relative, g_free);
  self->is_script = FALSE;
  self->is_module = FALSE;

  scripts = isthmus_hook_app_scan (self->app_dir, NULL);
  for (guint i = 0; scripts != NULL && i < scripts->len; i++)
    {
      const IsthmusHookScript *script = g_ptr_array_index (scripts, i);

      if (script->src != NULL && !script->is_external && script->code != NULL &&
          strstr (script->code, HOOK_NAME) != NULL)
        {
          self->relative = g_strdup (script->file);
          self->is_script = TRUE;
          self->is_module = script->is_module;
          break;
        }
    }

  if (self->relative == NULL)
    self->relative = g_strdup ("index.html");
  self->path = g_build_filename (self->app_dir, self->relative, NULL);
}

static void
load (IsthmusHookEditor *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  g_autofree char *contents = NULL;
  g_autofree char *display = NULL;
  g_autoptr(GError) error = NULL;

  if (self->app_dir == NULL)
    {
      g_clear_pointer (&self->path, g_free);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  pick_file (self);
  gtk_stack_set_visible_child_name (self->stack, "editor");
  display = g_filename_display_name (self->path);
  gtk_label_set_text (self->path_label, display);

  gtk_source_buffer_set_language (get_buffer (self),
                                  gtk_source_language_manager_get_language (languages,
                                                                            self->is_script ? "js" : "html"));

  if (!g_file_get_contents (self->path, &contents, NULL, &error))
    {
      set_status (self, error->message, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
      return;
    }
  if (!g_utf8_validate (contents, -1, NULL))
    {
      set_status (self, _("The file is not UTF-8 text"), TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), FALSE);
      return;
    }

  gtk_widget_set_sensitive (GTK_WIDGET (self->save_button), TRUE);
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (get_buffer (self)), contents, -1);
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (get_buffer (self)), FALSE);
  set_status (self, "", FALSE);
  refresh_lint (self);
}

static void
isthmus_hook_editor_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  IsthmusHookEditor *self = ISTHMUS_HOOK_EDITOR (object);

  switch (prop_id)
    {
    case PROP_APP_DIR:
      g_value_set_string (value, self->app_dir);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_hook_editor_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  IsthmusHookEditor *self = ISTHMUS_HOOK_EDITOR (object);

  switch (prop_id)
    {
    case PROP_APP_DIR:
      isthmus_hook_editor_set_app_dir (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_hook_editor_dispose (GObject *object)
{
  IsthmusHookEditor *self = (IsthmusHookEditor *)object;
  GtkWidget *child;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), ISTHMUS_TYPE_HOOK_EDITOR);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (isthmus_hook_editor_parent_class)->dispose (object);
}

static void
isthmus_hook_editor_finalize (GObject *object)
{
  IsthmusHookEditor *self = (IsthmusHookEditor *)object;

  g_clear_pointer (&self->app_dir, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->relative, g_free);

  G_OBJECT_CLASS (isthmus_hook_editor_parent_class)->finalize (object);
}

static void
isthmus_hook_editor_class_init (IsthmusHookEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isthmus_hook_editor_dispose;
  object_class->finalize = isthmus_hook_editor_finalize;
  object_class->get_property = isthmus_hook_editor_get_property;
  object_class->set_property = isthmus_hook_editor_set_property;

  properties[PROP_APP_DIR] =
    g_param_spec_string ("app-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-hook-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusHookEditor, check_button);
  gtk_widget_class_bind_template_child (widget_class, IsthmusHookEditor, lint_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusHookEditor, path_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusHookEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, IsthmusHookEditor, source_view);
  gtk_widget_class_bind_template_child (widget_class, IsthmusHookEditor, stack);
  gtk_widget_class_bind_template_child (widget_class, IsthmusHookEditor, start_button);
  gtk_widget_class_bind_template_child (widget_class, IsthmusHookEditor, status_label);
  gtk_widget_class_bind_template_callback (widget_class, check_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
  gtk_widget_class_bind_template_callback (widget_class, start_cb);

  gtk_widget_class_install_action (widget_class, "hook.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "hook.save", NULL);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
}

static void
isthmus_hook_editor_init (IsthmusHookEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  update_scheme (self);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_scheme), self, G_CONNECT_SWAPPED);
}

GtkWidget *
isthmus_hook_editor_new (void)
{
  return g_object_new (ISTHMUS_TYPE_HOOK_EDITOR, NULL);
}

void
isthmus_hook_editor_set_app_dir (IsthmusHookEditor *self,
                                 const char        *app_dir)
{
  g_return_if_fail (ISTHMUS_IS_HOOK_EDITOR (self));

  if (g_strcmp0 (self->app_dir, app_dir) == 0 && (app_dir == NULL || self->path != NULL))
    return;

  g_free (self->app_dir);
  self->app_dir = g_strdup (app_dir);
  load (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APP_DIR]);
}

const char *
isthmus_hook_editor_get_app_dir (IsthmusHookEditor *self)
{
  g_return_val_if_fail (ISTHMUS_IS_HOOK_EDITOR (self), NULL);

  return self->app_dir;
}

const char *
isthmus_hook_editor_get_path (IsthmusHookEditor *self)
{
  g_return_val_if_fail (ISTHMUS_IS_HOOK_EDITOR (self), NULL);

  return self->path;
}

void
isthmus_hook_editor_set_text (IsthmusHookEditor *self,
                              const char        *text)
{
  g_return_if_fail (ISTHMUS_IS_HOOK_EDITOR (self));

  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (get_buffer (self)), text != NULL ? text : "", -1);
}

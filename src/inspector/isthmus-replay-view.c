/* isthmus-replay-view.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-replay-view"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "isthmus-export.h"
#include "isthmus-hook-runner.h"
#include "isthmus-replay-view.h"

/* The longest changed-paths text in a cell, in bytes. */
#define CHANGES_MAX_BYTES 200

/* One row of the table. */

struct _IsthmusReplayRow
{
  GObject   parent_instance;
  guint     index;
  char     *window;
  char     *command;
  char     *then;
  char     *now;
  char     *changes;
  char     *reason;
  gboolean  verdict_changed;
};

G_DEFINE_FINAL_TYPE (IsthmusReplayRow, isthmus_replay_row, G_TYPE_OBJECT)

enum {
  ROW_PROP_0,
  ROW_PROP_INDEX,
  ROW_PROP_WINDOW,
  ROW_PROP_COMMAND,
  ROW_PROP_THEN,
  ROW_PROP_NOW,
  ROW_PROP_CHANGES,
  ROW_PROP_REASON,
  ROW_PROP_VERDICT_CHANGED,
  N_ROW_PROPS
};

static GParamSpec *row_properties[N_ROW_PROPS];

static void
isthmus_replay_row_finalize (GObject *object)
{
  IsthmusReplayRow *self = (IsthmusReplayRow *)object;

  g_free (self->window);
  g_free (self->command);
  g_free (self->then);
  g_free (self->now);
  g_free (self->changes);
  g_free (self->reason);

  G_OBJECT_CLASS (isthmus_replay_row_parent_class)->finalize (object);
}

static void
isthmus_replay_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  IsthmusReplayRow *self = ISTHMUS_REPLAY_ROW (object);

  switch (prop_id)
    {
    case ROW_PROP_INDEX:
      g_value_set_uint (value, self->index);
      break;
    case ROW_PROP_WINDOW:
      g_value_set_string (value, self->window);
      break;
    case ROW_PROP_COMMAND:
      g_value_set_string (value, self->command);
      break;
    case ROW_PROP_THEN:
      g_value_set_string (value, self->then);
      break;
    case ROW_PROP_NOW:
      g_value_set_string (value, self->now);
      break;
    case ROW_PROP_CHANGES:
      g_value_set_string (value, self->changes);
      break;
    case ROW_PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case ROW_PROP_VERDICT_CHANGED:
      g_value_set_boolean (value, self->verdict_changed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_replay_row_class_init (IsthmusReplayRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = isthmus_replay_row_finalize;
  object_class->get_property = isthmus_replay_row_get_property;

  row_properties[ROW_PROP_INDEX] =
    g_param_spec_uint ("index", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_WINDOW] =
    g_param_spec_string ("window", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_COMMAND] =
    g_param_spec_string ("command", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_THEN] =
    g_param_spec_string ("then", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_NOW] =
    g_param_spec_string ("now", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_CHANGES] =
    g_param_spec_string ("changes", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  row_properties[ROW_PROP_VERDICT_CHANGED] =
    g_param_spec_boolean ("verdict-changed", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_ROW_PROPS, row_properties);
}

static void
isthmus_replay_row_init (IsthmusReplayRow *self)
{
}

/* Builds the row of @call from its @result (NULL: the run failed with
 * @error). Called in the worker thread. */
static IsthmusReplayRow *
replay_row_new (guint                    index,
                const IsthmusHookCall   *call,
                const IsthmusHookResult *result,
                const GError            *error)
{
  IsthmusReplayRow *self = g_object_new (ISTHMUS_TYPE_REPLAY_ROW, NULL);

  self->index = index;
  self->window = g_strdup (call->window != NULL ? call->window : "");
  self->command = g_strdup (call->cmd != NULL ? call->cmd : "");
  /* Translators: the verdict of a call that went through no isolation hook */
  self->then = g_strdup (call->then_verdict != NULL ? call->then_verdict : _("not hooked"));

  if (result != NULL)
    {
      self->now = g_strdup (result->verdict);
      self->changes = isthmus_hook_result_diff_summary (result, CHANGES_MAX_BYTES);
      self->reason = g_strdup (result->reason);
    }
  else
    {
      /* Translators: the verdict column when the hook could not run */
      self->now = g_strdup (_("not run"));
      self->changes = g_strdup ("");
      self->reason = g_strdup (error != NULL ? error->message : NULL);
    }

  /* An unhooked call went through unchanged, as "passed" would. */
  self->verdict_changed = g_strcmp0 (call->then_verdict != NULL ? call->then_verdict : "passed",
                                     result != NULL ? result->verdict : "") != 0;

  return self;
}

guint
isthmus_replay_row_get_index (IsthmusReplayRow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_REPLAY_ROW (self), 0);

  return self->index;
}

const char *
isthmus_replay_row_get_command (IsthmusReplayRow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_REPLAY_ROW (self), NULL);

  return self->command;
}

const char *
isthmus_replay_row_get_then (IsthmusReplayRow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_REPLAY_ROW (self), NULL);

  return self->then;
}

const char *
isthmus_replay_row_get_now (IsthmusReplayRow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_REPLAY_ROW (self), NULL);

  return self->now;
}

gboolean
isthmus_replay_row_get_verdict_changed (IsthmusReplayRow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_REPLAY_ROW (self), FALSE);

  return self->verdict_changed;
}

/* The view. */

struct _IsthmusReplayView
{
  GtkWidget             parent_instance;

  /* Owned references */
  IsthmusCore          *core;
  GListStore           *store;
  GFile                *file;
  GCancellable         *cancellable;
  GtkFileChooserNative *chooser;
  char                 *app_dir;
  char                 *status;
  guint                 generation;

  /* Template widgets */
  GtkColumnView        *column_view;
  GtkButton            *file_button;
  GtkEntry             *filter_entry;
  GtkProgressBar       *progress_bar;
  GtkButton            *run_button;
  GtkDropDown          *source_dropdown;
  GtkLabel             *status_label;
  GtkButton            *stop_button;
};

G_DEFINE_FINAL_TYPE (IsthmusReplayView, isthmus_replay_view, GTK_TYPE_WIDGET)

enum {
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What the worker thread runs. */
typedef struct
{
  IsthmusReplayView *self;
  guint              generation;
  char              *app_dir;
  GBytes            *jsonl;
  GFile             *file;
  IsthmusFilter     *filter;
  guint              n_done;
  guint              n_changed;
  guint              n_calls;
  guint              n_skipped;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->self);
  g_free (data->app_dir);
  g_clear_pointer (&data->jsonl, g_bytes_unref);
  g_clear_object (&data->file);
  g_clear_pointer (&data->filter, isthmus_filter_unref);
  g_free (data);
}

/* One finished call, handed to the main thread. */
typedef struct
{
  IsthmusReplayView *self;
  guint              generation;
  IsthmusReplayRow  *row;
  guint              done;
  guint              total;
} Progress;

static void
set_status (IsthmusReplayView *self,
            const char        *text,
            gboolean           is_error)
{
  g_free (self->status);
  self->status = g_strdup (text);

  if (self->status_label == NULL)
    return;

  gtk_label_set_text (self->status_label, text);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static gboolean
progress_cb (gpointer user_data)
{
  Progress *progress = user_data;
  IsthmusReplayView *self = progress->self;

  if (progress->generation == self->generation && self->store != NULL)
    {
      g_list_store_append (self->store, progress->row);
      if (self->progress_bar != NULL && progress->total > 0)
        gtk_progress_bar_set_fraction (self->progress_bar, (double)progress->done / progress->total);
    }

  g_object_unref (progress->self);
  g_object_unref (progress->row);
  g_free (progress);

  return G_SOURCE_REMOVE;
}

/* The calls to run, read from a recording file. */
static GPtrArray *
load_calls (const char  *path,
            guint       *skipped,
            GError     **error)
{
  return isthmus_hook_recording_load (path, skipped, error);
}

/* Writes @bytes to a temporary file and loads its calls. */
static GPtrArray *
load_calls_from_bytes (GBytes  *bytes,
                       guint   *skipped,
                       GError **error)
{
  g_autofree char *path = NULL;
  GPtrArray *calls;
  int fd;

  fd = g_file_open_tmp (NULL, &path, error);
  if (fd < 0)
    return NULL;
  g_close (fd, NULL);

  if (!g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error))
    {
      g_unlink (path);
      return NULL;
    }

  calls = load_calls (path, skipped, error);
  g_unlink (path);

  return calls;
}

static GPtrArray *
load_file_calls (RunData       *data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GPtrArray) exchanges = NULL;
  g_autoptr(GListStore) store = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;

  path = g_file_get_path (data->file);
  if (isthmus_filter_is_empty (data->filter) && path != NULL)
    return load_calls (path, &data->n_skipped, error);

  /* With a filter, the records are read as records, filtered and written
   * back out as the runner reads them. */
  stream = g_file_read (data->file, cancellable, error);
  if (stream == NULL)
    return NULL;
  exchanges = isthmus_import_jsonl (G_INPUT_STREAM (stream), cancellable, error);
  if (exchanges == NULL)
    return NULL;

  store = g_list_store_new (ISTHMUS_TYPE_EXCHANGE);
  g_list_store_splice (store, 0, 0, exchanges->pdata, exchanges->len);
  bytes = isthmus_export_to_bytes (ISTHMUS_EXPORT_JSONL, G_LIST_MODEL (store), data->filter,
                                   ISTHMUS_EXPORT_FLAGS_NONE, error);
  if (bytes == NULL)
    return NULL;

  return load_calls_from_bytes (bytes, &data->n_skipped, error);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *data = task_data;
  g_autoptr(IsthmusHookRunner) runner = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GError) error = NULL;

  if (data->jsonl != NULL)
    calls = load_calls_from_bytes (data->jsonl, &data->n_skipped, &error);
  else
    calls = load_file_calls (data, cancellable, &error);

  if (calls == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data->n_calls = calls->len;
  runner = isthmus_hook_runner_new (data->app_dir);
  if (!isthmus_hook_runner_load (runner, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < calls->len; i++)
    {
      const IsthmusHookCall *call = g_ptr_array_index (calls, i);
      g_autoptr(IsthmusHookResult) result = NULL;
      g_autoptr(GError) call_error = NULL;
      Progress *progress;

      if (g_task_return_error_if_cancelled (task))
        return;

      result = isthmus_hook_runner_run (runner, call->message, &call_error);

      progress = g_new0 (Progress, 1);
      progress->self = g_object_ref (data->self);
      progress->generation = data->generation;
      progress->row = replay_row_new (i + 1, call, result, call_error);
      progress->done = i + 1;
      progress->total = calls->len;
      if (progress->row->verdict_changed)
        data->n_changed++;
      data->n_done = i + 1;
      g_main_context_invoke_full (g_task_get_context (task), G_PRIORITY_DEFAULT,
                                  progress_cb, progress, NULL);
    }

  g_task_return_boolean (task, TRUE);
}

static void
set_running (IsthmusReplayView *self,
             gboolean           running)
{
  if (self->run_button == NULL)
    return;

  gtk_widget_set_sensitive (GTK_WIDGET (self->run_button), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stop_button), running);
  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  IsthmusReplayView *self = ISTHMUS_REPLAY_VIEW (object);
  RunData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (data->generation != self->generation)
    return;

  g_clear_object (&self->cancellable);
  set_running (self, FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        /* Translators: the replay was stopped after %u of %u calls */
        text = g_strdup_printf (_("Stopped after %u of %u calls"), data->n_done, data->n_calls);
      else
        text = g_strdup_printf (_("The replay failed: %s"), error->message);
      set_status (self, text, !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
    }
  else
    {
      g_autofree char *text = NULL;
      g_autofree char *calls = NULL;

      calls = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Replayed %u call", "Replayed %u calls", data->n_calls),
                               data->n_calls);
      /* Translators: "Replayed 3 calls: 1 verdict changed (2 other records skipped)" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s: %u verdict changed (%u other records skipped)",
                                           "%s: %u verdicts changed (%u other records skipped)",
                                           data->n_changed),
                              calls, data->n_changed, data->n_skipped);
      set_status (self, text, FALSE);
    }

  g_signal_emit (self, signals[FINISHED], 0);
}

gboolean
isthmus_replay_view_run (IsthmusReplayView *self)
{
  g_autoptr(IsthmusFilter) filter = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  RunData *data;
  gboolean from_file;

  g_return_val_if_fail (ISTHMUS_IS_REPLAY_VIEW (self), FALSE);

  if (self->cancellable != NULL)
    return FALSE;

  if (self->app_dir == NULL)
    {
      set_status (self, _("There is no isolation app to run: open one on the Hook page"), TRUE);
      return FALSE;
    }

  filter = isthmus_filter_parse (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)), &error);
  if (filter == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Filter: %s"), error->message);

      set_status (self, text, TRUE);
      return FALSE;
    }

  from_file = gtk_drop_down_get_selected (self->source_dropdown) == 1;
  if (from_file && self->file == NULL)
    {
      set_status (self, _("Choose a JSON Lines file first"), TRUE);
      return FALSE;
    }

  data = g_new0 (RunData, 1);
  data->self = g_object_ref (self);
  data->generation = ++self->generation;
  data->app_dir = g_strdup (self->app_dir);
  data->filter = isthmus_filter_ref (filter);

  if (from_file)
    {
      data->file = g_object_ref (self->file);
    }
  else
    {
      IsthmusRecorder *recorder = isthmus_core_get_recorder (self->core);

      /* The session's records are read here, on the main thread. */
      isthmus_recorder_flush (recorder);
      data->jsonl = isthmus_export_to_bytes (ISTHMUS_EXPORT_JSONL, G_LIST_MODEL (recorder), filter,
                                             ISTHMUS_EXPORT_FLAGS_NONE, &error);
      if (data->jsonl == NULL)
        {
          set_status (self, error->message, TRUE);
          run_data_free (data);
          return FALSE;
        }
    }

  g_list_store_remove_all (self->store);
  self->cancellable = g_cancellable_new ();
  set_running (self, TRUE);
  set_status (self, _("Running the calls through the hook…"), FALSE);

  task = g_task_new (self, self->cancellable, run_done_cb, NULL);
  g_task_set_source_tag (task, isthmus_replay_view_run);
  g_task_set_task_data (task, data, (GDestroyNotify)run_data_free);
  g_task_run_in_thread (task, run_thread);

  return TRUE;
}

static void
run_cb (IsthmusReplayView *self)
{
  isthmus_replay_view_run (self);
}

static void
stop_cb (IsthmusReplayView *self)
{
  g_cancellable_cancel (self->cancellable);
}

static void
filter_changed_cb (IsthmusReplayView *self)
{
  g_autoptr(IsthmusFilter) filter = NULL;
  g_autoptr(GError) error = NULL;

  filter = isthmus_filter_parse (gtk_editable_get_text (GTK_EDITABLE (self->filter_entry)), &error);
  if (filter == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->filter_entry), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->filter_entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->filter_entry), error != NULL ? error->message : NULL);
}

static void
source_changed_cb (IsthmusReplayView *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->file_button),
                          gtk_drop_down_get_selected (self->source_dropdown) == 1);
}

static void
chooser_response_cb (IsthmusReplayView    *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);

  if (file != NULL)
    isthmus_replay_view_set_file (self, file);
}

static void
choose_file_cb (IsthmusReplayView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->chooser != NULL)
    return;

  gtk_file_filter_set_name (filter, _("JSON Lines recordings"));
  gtk_file_filter_add_pattern (filter, "*.jsonl");

  self->chooser = gtk_file_chooser_native_new (_("Replay a Recording"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb),
                           self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static char *
format_index (gpointer unused,
              guint    index)
{
  return g_strdup_printf ("%u", index);
}

static GStrv
changed_css_classes (gpointer unused,
                     gboolean changed)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  GStrv classes;

  if (changed)
    g_strv_builder_add (builder, "warning");
  classes = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return classes;
}

static void
isthmus_replay_view_dispose (GObject *object)
{
  IsthmusReplayView *self = (IsthmusReplayView *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), ISTHMUS_TYPE_REPLAY_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (isthmus_replay_view_parent_class)->dispose (object);
}

static void
isthmus_replay_view_finalize (GObject *object)
{
  IsthmusReplayView *self = (IsthmusReplayView *)object;

  g_clear_object (&self->core);
  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->app_dir, g_free);
  g_clear_pointer (&self->status, g_free);

  G_OBJECT_CLASS (isthmus_replay_view_parent_class)->finalize (object);
}

static void
isthmus_replay_view_class_init (IsthmusReplayViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isthmus_replay_view_dispose;
  object_class->finalize = isthmus_replay_view_finalize;

  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                    G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                    G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-replay-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusReplayView, column_view);
  gtk_widget_class_bind_template_child (widget_class, IsthmusReplayView, file_button);
  gtk_widget_class_bind_template_child (widget_class, IsthmusReplayView, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, IsthmusReplayView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, IsthmusReplayView, run_button);
  gtk_widget_class_bind_template_child (widget_class, IsthmusReplayView, source_dropdown);
  gtk_widget_class_bind_template_child (widget_class, IsthmusReplayView, status_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusReplayView, stop_button);
  gtk_widget_class_bind_template_callback (widget_class, changed_css_classes);
  gtk_widget_class_bind_template_callback (widget_class, choose_file_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, format_index);
  gtk_widget_class_bind_template_callback (widget_class, run_cb);
  gtk_widget_class_bind_template_callback (widget_class, source_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_cb);

  g_type_ensure (ISTHMUS_TYPE_REPLAY_ROW);
}

static void
isthmus_replay_view_init (IsthmusReplayView *self)
{
  GtkNoSelection *selection;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The store outlives the template, for runs that finish late. */
  self->store = g_list_store_new (ISTHMUS_TYPE_REPLAY_ROW);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->store)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
}

GtkWidget *
isthmus_replay_view_new (IsthmusCore *core)
{
  IsthmusReplayView *self;

  g_return_val_if_fail (ISTHMUS_IS_CORE (core), NULL);

  self = g_object_new (ISTHMUS_TYPE_REPLAY_VIEW, NULL);
  self->core = g_object_ref (core);
  isthmus_replay_view_set_app_dir (self, NULL);

  return GTK_WIDGET (self);
}

void
isthmus_replay_view_set_app_dir (IsthmusReplayView *self,
                                 const char        *app_dir)
{
  g_return_if_fail (ISTHMUS_IS_REPLAY_VIEW (self));

  g_free (self->app_dir);
  self->app_dir = g_strdup (app_dir);

  if (app_dir == NULL)
    {
      set_status (self, _("No isolation app: replaying needs one (see the Hook page)"), FALSE);
    }
  else
    {
      g_autofree char *display = g_filename_display_name (app_dir);
      g_autofree char *text = g_strdup_printf (_("Replays through the hook saved in %s"), display);

      set_status (self, text, FALSE);
    }
}

void
isthmus_replay_view_set_file (IsthmusReplayView *self,
                              GFile             *file)
{
  g_return_if_fail (ISTHMUS_IS_REPLAY_VIEW (self));
  g_return_if_fail (file == NULL || G_IS_FILE (file));

  g_set_object (&self->file, file);
  gtk_drop_down_set_selected (self->source_dropdown, file != NULL ? 1 : 0);

  if (file != NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      gtk_button_set_label (self->file_button, name);
      gtk_button_set_use_underline (self->file_button, FALSE);
    }
}

void
isthmus_replay_view_set_filter_text (IsthmusReplayView *self,
                                     const char        *text)
{
  g_return_if_fail (ISTHMUS_IS_REPLAY_VIEW (self));

  gtk_editable_set_text (GTK_EDITABLE (self->filter_entry), text != NULL ? text : "");
}

gboolean
isthmus_replay_view_is_running (IsthmusReplayView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_REPLAY_VIEW (self), FALSE);

  return self->cancellable != NULL;
}

GListModel *
isthmus_replay_view_get_rows (IsthmusReplayView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_REPLAY_VIEW (self), NULL);

  return G_LIST_MODEL (self->store);
}

const char *
isthmus_replay_view_get_status (IsthmusReplayView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_REPLAY_VIEW (self), NULL);

  return self->status != NULL ? self->status : "";
}

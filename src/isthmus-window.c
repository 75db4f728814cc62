/* isthmus-window.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "isthmus-detail-view.h"
#include "isthmus-export.h"
#include "isthmus-stats-view.h"
#include "isthmus-traffic-list.h"
#include "isthmus-window.h"

/* The narrowest the inspector gets when the divider is placed for it. */
#define MIN_INSPECTOR_WIDTH 560

struct _IsthmusWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GtkLabel             *acl_label;
  IsthmusDetailView    *detail_view;
  AdwHeaderBar         *header_bar;
  GtkPaned             *paned;
  GtkGrid              *permissions_grid;
  GtkMenuButton        *primary_menu_button;
  IsthmusStatsView     *stats_view;
  AdwToastOverlay      *toast_overlay;
  IsthmusTrafficList   *traffic_list;
  AdwWindowTitle       *window_title;

  /* Owned references */
  GtkNativeDialog      *file_chooser;

  /* Owned references */
  IsthmusWebHost       *host;
  GSettings            *settings;
  char                 *label;

  /* Borrowed references */
  WebKitWebView        *web_view;

  int                   initial_position;
  guint                 recording_paused : 1;
};

G_DEFINE_FINAL_TYPE (IsthmusWindow, isthmus_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_WEB_HOST,
  PROP_LABEL,
  PROP_SETTINGS,
  PROP_RECORDING_PAUSED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static const IsthmusWindowConfig *
find_window_config (IsthmusConfig *config,
                    const char    *label)
{
  GPtrArray *windows = isthmus_config_get_windows (config);

  for (guint i = 0; windows != NULL && i < windows->len; i++)
    {
      const IsthmusWindowConfig *window_config = g_ptr_array_index (windows, i);

      if (g_strcmp0 (window_config->label, label) == 0)
        return window_config;
    }

  return NULL;
}

static char *
display_path (const char *path)
{
  const char *home = g_get_home_dir ();
  g_autofree char *display = NULL;
  gsize home_length;

  display = g_filename_display_name (path);
  home_length = home != NULL ? strlen (home) : 0;

  if (home_length > 1 &&
      g_str_has_prefix (display, home) &&
      (display[home_length] == '/' || display[home_length] == '\0'))
    return g_strconcat ("~", display + home_length, NULL);

  return g_steal_pointer (&display);
}

static char *
describe_frontend (IsthmusConfig *config)
{
  g_autofree char *text = NULL;

  switch (isthmus_config_get_frontend_kind (config))
    {
    case ISTHMUS_FRONTEND_RESOURCE:
      return g_strdup (_("Bundled demo"));

    case ISTHMUS_FRONTEND_DIRECTORY:
      if (isthmus_config_get_frontend_dir (config) == NULL)
        return g_strdup ("");
      text = display_path (isthmus_config_get_frontend_dir (config));
      break;

    case ISTHMUS_FRONTEND_URL:
      text = g_strdup (isthmus_config_get_frontend_url (config));
      break;

    default:
      return g_strdup ("");
    }

  return isthmus_traffic_list_sanitize_text (text, -1, ISTHMUS_TRAFFIC_LIST_MAX_CHARS);
}

static gboolean
web_view_load_failed_cb (IsthmusWindow   *self,
                         WebKitLoadEvent  load_event,
                         const char      *failing_uri,
                         GError          *error,
                         WebKitWebView   *web_view)
{
  g_autofree char *uri = NULL;
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;

  g_assert (ISTHMUS_IS_WINDOW (self));

  g_debug ("Loading %s failed: %s", failing_uri, error != NULL ? error->message : "?");

  /* A navigation that replaced another is not a failure worth telling. */
  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED) ||
      g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
    return FALSE;

  uri = isthmus_traffic_list_sanitize_text (failing_uri, -1, ISTHMUS_TRAFFIC_LIST_MAX_CHARS);
  message = isthmus_traffic_list_sanitize_text (error != NULL ? error->message : NULL, -1,
                                                ISTHMUS_TRAFFIC_LIST_MAX_CHARS);
  /* Translators: the first %s is a URL, the second the reason. */
  text = g_strdup_printf (_("Could not load %s: %s"), uri, message);
  isthmus_window_add_toast (self, text);

  return FALSE;
}

static void
web_view_web_process_terminated_cb (IsthmusWindow                      *self,
                                    WebKitWebProcessTerminationReason   reason,
                                    WebKitWebView                      *web_view)
{
  g_assert (ISTHMUS_IS_WINDOW (self));

  switch (reason)
    {
    case WEBKIT_WEB_PROCESS_CRASHED:
      isthmus_window_add_toast (self, _("The page’s web process crashed"));
      break;

    case WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT:
      isthmus_window_add_toast (self, _("The page’s web process ran out of memory"));
      break;

    case WEBKIT_WEB_PROCESS_TERMINATED_BY_API:
    default:
      break;
    }
}

static void
save_window_state (IsthmusWindow *self)
{
  int width;
  int height;
  gboolean maximized;

  if (self->settings == NULL)
    return;

  maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);

  if (!maximized && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", maximized);

  /* Keep the divider only where the user put it, so that the default
   * placement still follows each config's window width. */
  if (gtk_widget_get_realized (GTK_WIDGET (self->paned)) &&
      gtk_paned_get_position (self->paned) != self->initial_position)
    g_settings_set_int (self->settings, "inspector-position", gtk_paned_get_position (self->paned));
}

static void
restore_window_state (IsthmusWindow             *self,
                      const IsthmusWindowConfig *window_config)
{
  int width = 1280;
  int height = 800;
  int position = -1;

  if (self->settings != NULL)
    {
      width = MAX (g_settings_get_int (self->settings, "window-width"), 400);
      height = MAX (g_settings_get_int (self->settings, "window-height"), 300);
      position = g_settings_get_int (self->settings, "inspector-position");
    }

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);

  if (self->settings != NULL && g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* By default the page gets the width its config asks for and the
   * inspector the rest, but never less than MIN_INSPECTOR_WIDTH. */
  if (position < 0)
    {
      position = window_config != NULL ? window_config->width : 800;
      position = MIN (position, width - MIN_INSPECTOR_WIDTH);
      position = MAX (position, width / 3);
    }

  gtk_paned_set_position (self->paned, position);
  self->initial_position = position;
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  IsthmusWindow *self = ISTHMUS_WINDOW (widget);

  isthmus_traffic_list_focus_search (self->traffic_list);
}

static void
clear_traffic_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  IsthmusWindow *self = ISTHMUS_WINDOW (widget);

  isthmus_traffic_list_clear (self->traffic_list);
}

/* Inspector wiring. */

static void
traffic_selected_cb (IsthmusWindow      *self,
                     GParamSpec         *pspec,
                     IsthmusTrafficList *list)
{
  isthmus_detail_view_set_exchange (self->detail_view, isthmus_traffic_list_get_selected (list));
}

static void
traffic_filter_cb (IsthmusWindow      *self,
                   GParamSpec         *pspec,
                   IsthmusTrafficList *list)
{
  isthmus_stats_view_set_filter (self->stats_view, isthmus_traffic_list_get_filter (list));
}

static void
traffic_model_cb (IsthmusWindow      *self,
                  GParamSpec         *pspec,
                  IsthmusTrafficList *list)
{
  isthmus_stats_view_set_model (self->stats_view, isthmus_traffic_list_get_model (list));
  isthmus_detail_view_set_exchange (self->detail_view, isthmus_traffic_list_get_selected (list));
}

static IsthmusAcl *
get_acl (IsthmusWindow *self)
{
  if (self->host == NULL)
    return NULL;

  return isthmus_core_get_acl (isthmus_web_host_get_core (self->host));
}

static void
acl_changed_cb (IsthmusWindow *self)
{
  IsthmusAcl *acl = get_acl (self);

  gtk_widget_set_visible (GTK_WIDGET (self->acl_label), acl == NULL || !isthmus_acl_is_active (acl));
}

static const char *
row_kind_text (IsthmusAclRowKind kind)
{
  switch (kind)
    {
    case ISTHMUS_ACL_ROW_ALLOWED:
      return _("allowed");
    case ISTHMUS_ACL_ROW_DENIED:
      return _("denied");
    case ISTHMUS_ACL_ROW_UNKNOWN:
    default:
      return _("unknown");
    }
}

static void
attach_cell (GtkGrid    *grid,
             const char *text,
             int         column,
             int         row,
             gboolean    heading)
{
  g_autofree char *safe = isthmus_traffic_list_sanitize_text (text != NULL ? text : "", -1,
                                                              ISTHMUS_TRAFFIC_LIST_MAX_CHARS);
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_use_underline (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), safe);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_selectable (GTK_LABEL (label), !heading);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  gtk_grid_attach (grid, label, column, row, 1, 1);
}

/* The most rows the permissions table shows. */
#define MAX_PERMISSION_ROWS 2000

static void
permissions_show_cb (IsthmusWindow *self,
                     GtkPopover    *popover)
{
  g_autoptr(GPtrArray) rows = NULL;
  IsthmusAcl *acl = get_acl (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->permissions_grid))) != NULL)
    gtk_grid_remove (self->permissions_grid, child);

  if (acl == NULL || !isthmus_acl_is_active (acl))
    {
      attach_cell (self->permissions_grid, _("No capabilities: nothing is checked"), 0, 0, TRUE);
      return;
    }

  /* Translators: column headers of the permissions table. */
  attach_cell (self->permissions_grid, _("Kind"), 0, 0, TRUE);
  attach_cell (self->permissions_grid, _("Command"), 1, 0, TRUE);
  attach_cell (self->permissions_grid, _("Permission"), 2, 0, TRUE);
  attach_cell (self->permissions_grid, _("Capability"), 3, 0, TRUE);
  attach_cell (self->permissions_grid, _("Note"), 4, 0, TRUE);

  rows = isthmus_acl_resolve_table (acl, self->label, self->label, NULL);
  for (guint i = 0; rows != NULL && i < MIN (rows->len, MAX_PERMISSION_ROWS); i++)
    {
      const IsthmusAclRow *row = g_ptr_array_index (rows, i);
      g_autofree char *note = NULL;

      if (row->via != NULL && row->note != NULL)
        note = g_strdup_printf ("%s (%s)", row->note, row->via);
      else
        note = g_strdup (row->note != NULL ? row->note : row->via);

      attach_cell (self->permissions_grid, row_kind_text (row->kind), 0, i + 1, FALSE);
      attach_cell (self->permissions_grid, row->command, 1, i + 1, FALSE);
      attach_cell (self->permissions_grid, row->permission, 2, i + 1, FALSE);
      attach_cell (self->permissions_grid, row->capability, 3, i + 1, FALSE);
      attach_cell (self->permissions_grid, note, 4, i + 1, FALSE);
    }

  if (rows == NULL || rows->len == 0)
    attach_cell (self->permissions_grid, _("No permission applies to this window"), 0, 1, FALSE);
}

/* Export and import. */

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(IsthmusWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gssize written;

  written = isthmus_traffic_list_export_finish (ISTHMUS_TRAFFIC_LIST (source), result, &error);
  if (written < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        text = g_strdup (_("Export cancelled"));
      else
        /* Translators: %s is the reason. */
        text = g_strdup_printf (_("Export failed: %s"), error->message);
    }
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u record", "Exported %u records",
                                         (gulong)written),
                            (guint)written);

  isthmus_window_add_toast (self, text);
}

static void
export_response_cb (IsthmusWindow        *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  IsthmusExportFormat format = ISTHMUS_EXPORT_JSONL;
  IsthmusExportFlags flags = ISTHMUS_EXPORT_FLAGS_NONE;
  const char *choice;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "format");
      if (g_strcmp0 (choice, "har") == 0)
        format = ISTHMUS_EXPORT_HAR;
      else if (g_strcmp0 (choice, "trace") == 0)
        format = ISTHMUS_EXPORT_TRACE;
      choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "payloads");
      if (g_strcmp0 (choice, "true") == 0)
        flags |= ISTHMUS_EXPORT_FLAGS_INCLUDE_PAYLOADS;
    }

  g_clear_object (&self->file_chooser);

  if (file != NULL)
    isthmus_traffic_list_export_async (self->traffic_list, format, flags, file, NULL,
                                       export_done_cb, g_object_ref (self));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  IsthmusWindow *self = ISTHMUS_WINDOW (widget);
  static const char *format_ids[] = { "jsonl", "har", "trace", NULL };
  const char *format_labels[4];
  GtkFileChooserNative *chooser;

  if (self->file_chooser != NULL)
    return;

  format_labels[0] = _("JSON Lines");
  format_labels[1] = _("HAR 1.2");
  format_labels[2] = _("Chrome Trace");
  format_labels[3] = NULL;

  chooser = gtk_file_chooser_native_new (_("Export Traffic"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "traffic.jsonl");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "format", _("Format"),
                               format_ids, format_labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "format", "jsonl");
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "payloads",
                               _("Include payloads in HAR"), NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "payloads", "false");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (export_response_cb), self, G_CONNECT_SWAPPED);

  self->file_chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->file_chooser);
}

typedef struct
{
  IsthmusWindow *self;
  char          *name;
} ImportData;

static void
import_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ImportData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;

  records = isthmus_import_file_finish (result, &error);
  if (records == NULL)
    {
      g_autofree char *message = isthmus_traffic_list_sanitize_text (error->message, -1,
                                                                     ISTHMUS_TRAFFIC_LIST_MAX_CHARS);
      /* Translators: %s is the reason. */
      g_autofree char *text = g_strdup_printf (_("Import failed: %s"), message);

      isthmus_window_add_toast (data->self, text);
    }
  else
    isthmus_traffic_list_show_imported (data->self->traffic_list, records, data->name);

  g_object_unref (data->self);
  g_free (data->name);
  g_free (data);
}

static void
import_response_cb (IsthmusWindow        *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  g_clear_object (&self->file_chooser);

  if (file != NULL)
    {
      ImportData *data = g_new0 (ImportData, 1);

      data->self = g_object_ref (self);
      data->name = g_file_get_basename (file);
      isthmus_import_file_async (file, NULL, NULL, NULL, NULL, import_done_cb, data);
    }
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  IsthmusWindow *self = ISTHMUS_WINDOW (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->file_chooser != NULL)
    return;

  chooser = gtk_file_chooser_native_new (_("Import Recording"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("JSON Lines"));
  gtk_file_filter_add_pattern (filter, "*.jsonl");
  gtk_file_filter_add_pattern (filter, "*.ndjson");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect_object (chooser, "response", G_CALLBACK (import_response_cb), self, G_CONNECT_SWAPPED);

  self->file_chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->file_chooser);
}

static gboolean
isthmus_window_close_request (GtkWindow *window)
{
  save_window_state (ISTHMUS_WINDOW (window));

  return GTK_WINDOW_CLASS (isthmus_window_parent_class)->close_request (window);
}

static void
isthmus_window_constructed (GObject *object)
{
  IsthmusWindow *self = (IsthmusWindow *)object;
  const IsthmusWindowConfig *window_config;
  IsthmusConfig *config;
  IsthmusCore *core;
  g_autofree char *subtitle = NULL;
  const char *title;

  G_OBJECT_CLASS (isthmus_window_parent_class)->constructed (object);

  g_assert (ISTHMUS_IS_WEB_HOST (self->host));
  g_assert (self->label != NULL);

  config = isthmus_web_host_get_config (self->host);
  core = isthmus_web_host_get_core (self->host);
  window_config = find_window_config (config, self->label);

  title = window_config != NULL ? window_config->title : NULL;
  if (title == NULL || title[0] == '\0')
    title = isthmus_config_get_product_name (config);
  if (title == NULL || title[0] == '\0')
    title = "Isthmus";

  /* The header follows the window's title, which the page may change
   * through plugin:window|set_title. */
  g_object_bind_property (self, "title", self->window_title, "title", G_BINDING_SYNC_CREATE);
  gtk_window_set_title (GTK_WINDOW (self), title);
  subtitle = describe_frontend (config);
  adw_window_title_set_subtitle (self->window_title, subtitle);

  isthmus_traffic_list_set_recorder (self->traffic_list, isthmus_core_get_recorder (core));
  g_signal_connect_object (self->traffic_list, "notify::selected",
                           G_CALLBACK (traffic_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->traffic_list, "notify::filter",
                           G_CALLBACK (traffic_filter_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->traffic_list, "notify::model",
                           G_CALLBACK (traffic_model_cb), self, G_CONNECT_SWAPPED);
  isthmus_stats_view_set_model (self->stats_view, isthmus_traffic_list_get_model (self->traffic_list));
  g_signal_connect_object (isthmus_core_get_acl (core), "changed",
                           G_CALLBACK (acl_changed_cb), self, G_CONNECT_SWAPPED);
  acl_changed_cb (self);
  g_object_bind_property (self->traffic_list, "paused", self, "recording-paused",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  self->web_view = isthmus_web_host_create_view (self->host, self->label);
  if (self->web_view != NULL)
    {
      gtk_widget_set_hexpand (GTK_WIDGET (self->web_view), TRUE);
      gtk_widget_set_vexpand (GTK_WIDGET (self->web_view), TRUE);
      gtk_widget_set_size_request (GTK_WIDGET (self->web_view), 200, -1);
      g_signal_connect_object (self->web_view, "load-failed",
                               G_CALLBACK (web_view_load_failed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->web_view, "web-process-terminated",
                               G_CALLBACK (web_view_web_process_terminated_cb), self, G_CONNECT_SWAPPED);
      gtk_paned_set_start_child (self->paned, GTK_WIDGET (self->web_view));
    }

  if (self->settings != NULL)
    {
      g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();
      g_autoptr(GAction) color_scheme = g_settings_create_action (self->settings, "color-scheme");
      g_autoptr(GAction) relative_time = g_settings_create_action (self->settings, "relative-time");
      g_autoptr(GAction) block_silently = g_settings_create_action (self->settings, "isolation-block-silently");
      g_autoptr(GAction) acl_mode = g_settings_create_action (self->settings, "acl-mode");

      g_action_map_add_action (G_ACTION_MAP (group), color_scheme);
      g_action_map_add_action (G_ACTION_MAP (group), relative_time);
      g_action_map_add_action (G_ACTION_MAP (group), block_silently);
      g_action_map_add_action (G_ACTION_MAP (group), acl_mode);
      gtk_widget_insert_action_group (GTK_WIDGET (self), "settings", G_ACTION_GROUP (group));

      g_settings_bind (self->settings, "relative-time",
                       self->traffic_list, "relative-time",
                       G_SETTINGS_BIND_DEFAULT);
    }

  restore_window_state (self, window_config);

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

static void
isthmus_window_dispose (GObject *object)
{
  IsthmusWindow *self = (IsthmusWindow *)object;

  self->web_view = NULL;
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);

  gtk_widget_dispose_template (GTK_WIDGET (self), ISTHMUS_TYPE_WINDOW);

  G_OBJECT_CLASS (isthmus_window_parent_class)->dispose (object);
}

static void
isthmus_window_finalize (GObject *object)
{
  IsthmusWindow *self = (IsthmusWindow *)object;

  g_clear_object (&self->host);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (isthmus_window_parent_class)->finalize (object);
}

static void
isthmus_window_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  IsthmusWindow *self = ISTHMUS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WEB_HOST:
      g_value_set_object (value, self->host);
      break;

    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_RECORDING_PAUSED:
      g_value_set_boolean (value, self->recording_paused);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_window_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  IsthmusWindow *self = ISTHMUS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_WEB_HOST:
      self->host = g_value_dup_object (value);
      break;

    case PROP_LABEL:
      self->label = g_value_dup_string (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_RECORDING_PAUSED:
      if (self->recording_paused != g_value_get_boolean (value))
        {
          self->recording_paused = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_window_class_init (IsthmusWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = isthmus_window_constructed;
  object_class->dispose = isthmus_window_dispose;
  object_class->finalize = isthmus_window_finalize;
  object_class->get_property = isthmus_window_get_property;
  object_class->set_property = isthmus_window_set_property;

  window_class->close_request = isthmus_window_close_request;

  properties [PROP_WEB_HOST] =
    g_param_spec_object ("web-host", NULL, NULL,
                         ISTHMUS_TYPE_WEB_HOST,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties [PROP_RECORDING_PAUSED] =
    g_param_spec_boolean ("recording-paused", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-window.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusWindow, acl_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusWindow, detail_view);
  gtk_widget_class_bind_template_child (widget_class, IsthmusWindow, header_bar);
  gtk_widget_class_bind_template_child (widget_class, IsthmusWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, IsthmusWindow, permissions_grid);
  gtk_widget_class_bind_template_child (widget_class, IsthmusWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, IsthmusWindow, stats_view);
  gtk_widget_class_bind_template_child (widget_class, IsthmusWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, IsthmusWindow, traffic_list);
  gtk_widget_class_bind_template_child (widget_class, IsthmusWindow, window_title);

  gtk_widget_class_bind_template_callback (widget_class, permissions_show_cb);

  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.import", NULL, import_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.import", NULL);
  gtk_widget_class_install_action (widget_class, "win.clear-traffic", NULL, clear_traffic_action);
  gtk_widget_class_install_property_action (widget_class, "win.pause-traffic", "recording-paused");

  g_type_ensure (ISTHMUS_TYPE_DETAIL_VIEW);
  g_type_ensure (ISTHMUS_TYPE_STATS_VIEW);
  g_type_ensure (ISTHMUS_TYPE_TRAFFIC_LIST);
}

static void
isthmus_window_init (IsthmusWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * isthmus_window_new:
 * @application: the application
 * @host: the web host that creates the view
 * @label: the label of a window of the host's config
 * @settings: (nullable): the application settings
 *
 * Returns: (transfer none): a new window, owned by @application
 */
IsthmusWindow *
isthmus_window_new (GtkApplication *application,
                    IsthmusWebHost *host,
                    const char     *label,
                    GSettings      *settings)
{
  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (ISTHMUS_IS_WEB_HOST (host), NULL);
  g_return_val_if_fail (label != NULL, NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (ISTHMUS_TYPE_WINDOW,
                       "application", application,
                       "web-host", host,
                       "label", label,
                       "settings", settings,
                       NULL);
}

const char *
isthmus_window_get_label (IsthmusWindow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_WINDOW (self), NULL);

  return self->label;
}

/**
 * isthmus_window_get_web_view:
 * @self: a #IsthmusWindow
 *
 * Returns: (transfer none) (nullable): the window's web view
 */
WebKitWebView *
isthmus_window_get_web_view (IsthmusWindow *self)
{
  g_return_val_if_fail (ISTHMUS_IS_WINDOW (self), NULL);

  return self->web_view;
}

/**
 * isthmus_window_add_toast:
 * @self: a #IsthmusWindow
 * @text: plain text (it is escaped, never read as markup)
 *
 * Shows @text in a toast over the window.
 */
void
isthmus_window_add_toast (IsthmusWindow *self,
                          const char    *text)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (ISTHMUS_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  /* AdwToast titles are Pango markup in libadwaita 1.2. */
  escaped = g_markup_escape_text (text, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* isthmus-application.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-application"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <math.h>
#include <signal.h>

#include "isthmus-application.h"
#include "isthmus-backend.h"
#include "isthmus-mocks.h"
#include "isthmus-config.h"
#include "isthmus-demo-commands.h"
#include "isthmus-hook-runner.h"
#include "isthmus-prototype-window.h"
#include "isthmus-record-writer.h"
#include "isthmus-web-host.h"
#include "isthmus-web-reload.h"
#include "isthmus-window.h"

#define SCHEMA_ID "dev.isthmus.Isthmus"

/* How often new records reach the traffic list, in milliseconds. */
#define RECORDER_BATCH_MS 100

/* The longest --quit-after, in seconds, that fits a timeout in ms. */
#define MAX_QUIT_AFTER 2000000.0

/* The exit status for bad arguments, as with most command-line tools. */
#define EXIT_USAGE 2

struct _IsthmusApplication
{
  AdwApplication       parent_instance;

  /* Owned references */
  GSettingsSchema     *schema;
  GSettings           *settings;
  IsthmusCore         *core;
  IsthmusConfig       *config;
  IsthmusWebHost      *host;
  IsthmusRecordWriter *writer;
  char                *capabilities_dir;
  char                *mocks_path;
  char                *backend_command;
  IsthmusMocks        *mocks;
  IsthmusBackend      *backend;
  IsthmusWebReload    *reload;
  char                *acl_mode;

  double               quit_after;
  guint                quit_after_id;
  guint                sigterm_id;
  guint                sigint_id;
  guint                local_options_seen : 1;
};

G_DEFINE_FINAL_TYPE (IsthmusApplication, isthmus_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "record", 'r', G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Append every record to FILE as JSON Lines"), N_("FILE.jsonl") },
  { "quit-after", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Close the windows and quit after SECONDS"), N_("SECONDS") },
  { "isolation", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the isolation pattern with the isolation app in DIR (its index.html defines __TAURI_ISOLATION_HOOK__)"), N_("DIR") },
  { "capabilities", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Load capability files (*.json) from DIR, besides the project's own"), N_("DIR") },
  { "mocks", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Answer commands from a mocks file (default: .isthmus/mocks.json in the project)"), N_("FILE") },
  { "backend", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Answer commands with a process speaking JSON-RPC 2.0 on its stdin and stdout"), N_("COMMAND") },
  { "acl", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Capability checking: “tauri” (as a real Tauri app) or “strict” (every command needs a permission)"), N_("MODE") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { "check-hook", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("Run the calls of RECORDING.jsonl through the isolation hook in DIR, print a table and exit (give RECORDING.jsonl as the target)"), N_("DIR") },
  { "expect", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME, NULL,
    N_("With --check-hook: a JSON array of {\"cmd\", \"window\", \"verdict\"} that must hold (exit status 1 if not)"), N_("FILE.json") },
  { "hook-worker", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, NULL,
    NULL, NULL },
  { G_OPTION_REMAINING, 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME_ARRAY, NULL,
    NULL, NULL },
  { NULL }
};

static void G_GNUC_PRINTF (1, 2)
print_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("isthmus: %s\n", message);
}

static GSettingsSchema *
lookup_schema (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  GSettingsSchema *schema = NULL;
  g_autofree char *exe = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema != NULL)
    return schema;

  /* Run from a build tree, the compiled schema sits in data/ beside src/. */
  exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (exe);
      g_autofree char *data_dir = g_build_filename (dir, "..", "data", NULL);
      g_autofree char *compiled = g_build_filename (data_dir, "gschemas.compiled", NULL);

      if (g_file_test (compiled, G_FILE_TEST_IS_REGULAR))
        {
          g_autoptr(GSettingsSchemaSource) build_source = NULL;

          build_source = g_settings_schema_source_new_from_directory (data_dir, source, FALSE, NULL);
          if (build_source != NULL)
            schema = g_settings_schema_source_lookup (build_source, SCHEMA_ID, TRUE);
        }
    }

  return schema;
}

static void
apply_color_scheme (IsthmusApplication *self)
{
  g_autofree char *value = g_settings_get_string (self->settings, "color-scheme");
  AdwColorScheme color_scheme = ADW_COLOR_SCHEME_DEFAULT;

  if (g_strcmp0 (value, "light") == 0)
    color_scheme = ADW_COLOR_SCHEME_FORCE_LIGHT;
  else if (g_strcmp0 (value, "dark") == 0)
    color_scheme = ADW_COLOR_SCHEME_FORCE_DARK;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), color_scheme);
}

static void
apply_limits (IsthmusApplication *self)
{
  IsthmusJsonLimits limits;

  limits.max_bytes = g_settings_get_uint (self->settings, "max-message-bytes");
  limits.max_depth = g_settings_get_uint (self->settings, "max-json-depth");
  isthmus_core_set_limits (self->core, &limits);

  isthmus_recorder_set_capacity (isthmus_core_get_recorder (self->core),
                                 g_settings_get_uint (self->settings, "ring-capacity"));
  isthmus_recorder_set_max_bytes (isthmus_core_get_recorder (self->core),
                                  (guint64)g_settings_get_uint (self->settings, "ring-max-mib") * 1024 * 1024);
}

static void
settings_changed_cb (IsthmusApplication *self,
                     const char         *key,
                     GSettings          *settings)
{
  if (g_strcmp0 (key, "color-scheme") == 0)
    apply_color_scheme (self);
  else if (g_strcmp0 (key, "isolation-block-silently") == 0)
    isthmus_core_set_block_silently (self->core, g_settings_get_boolean (self->settings, key));
  else if (g_strcmp0 (key, "ring-capacity") == 0 ||
           g_strcmp0 (key, "ring-max-mib") == 0 ||
           g_strcmp0 (key, "max-message-bytes") == 0 ||
           g_strcmp0 (key, "max-json-depth") == 0)
    apply_limits (self);
}

static void
close_all_windows (IsthmusApplication *self,
                   gboolean            destroy)
{
  GList *windows;

  windows = g_list_copy_deep (gtk_application_get_windows (GTK_APPLICATION (self)),
                              (GCopyFunc)g_object_ref, NULL);

  for (const GList *l = windows; l != NULL; l = l->next)
    {
      if (destroy)
        gtk_window_destroy (GTK_WINDOW (l->data));
      else
        gtk_window_close (GTK_WINDOW (l->data));
    }

  g_list_free_full (windows, g_object_unref);
}

static void
quit (IsthmusApplication *self)
{
  g_clear_handle_id (&self->quit_after_id, g_source_remove);

  /* Closing (rather than destroying) lets each window save its state. */
  close_all_windows (self, FALSE);
  g_application_quit (G_APPLICATION (self));
}

static gboolean
quit_after_cb (gpointer user_data)
{
  IsthmusApplication *self = user_data;

  self->quit_after_id = 0;
  g_debug ("Quitting after %.3f s, as asked", self->quit_after);
  quit (self);

  return G_SOURCE_REMOVE;
}

/* SIGTERM and SIGINT quit as cleanly as --quit-after: windows close and
 * the record file is flushed. */
static gboolean
quit_signal_cb (gpointer user_data)
{
  IsthmusApplication *self = user_data;

  g_debug ("Quitting on a signal");
  quit (self);

  return G_SOURCE_CONTINUE;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  quit (ISTHMUS_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  IsthmusApplication *self = user_data;
  static const char *developers[] = { "The Isthmus Developers", NULL };
  GtkWindow *window;
  GtkWidget *about;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", window,
                        "application-name", "Isthmus",
                        "application-icon", APP_ID,
                        "developer-name", _("The Isthmus Developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Runs a Tauri web frontend in WebKitGTK, answers its IPC from C and shows every message live."),
                        "copyright", "© 2026 The Isthmus Developers",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: replace with your names, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  IsthmusApplication *self = user_data;
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

/* The prototyping window: one per application, raised when open. */
static void
prototype_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  IsthmusApplication *self = user_data;
  IsthmusPrototypeWindow *window = NULL;

  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (ISTHMUS_IS_PROTOTYPE_WINDOW (l->data))
        window = l->data;
    }

  if (window == NULL)
    window = isthmus_prototype_window_new (GTK_APPLICATION (self), self->core, self->host, self->mocks,
                                           self->config != NULL ? isthmus_config_get_isolation_dir (self->config) : NULL);

  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "prototype", prototype_action },
  { "quit", quit_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
};

static gboolean
isthmus_application_local_command_line (GApplication   *application,
                                        char         ***arguments,
                                        int            *exit_status)
{
  IsthmusApplication *self = ISTHMUS_APPLICATION (application);
  gboolean handled;

  handled = G_APPLICATION_CLASS (isthmus_application_parent_class)->local_command_line (application,
                                                                                         arguments,
                                                                                         exit_status);

  /* GApplication already printed why the options did not parse; make the
   * status that of a usage error. */
  if (handled && *exit_status == EXIT_FAILURE && !self->local_options_seen)
    *exit_status = EXIT_USAGE;

  return handled;
}

/* --isolation, --capabilities and --acl: checked here, before any window,
 * so that a mistake is a one-line error. */
static gboolean
apply_security_options (IsthmusApplication *self,
                        GVariantDict       *options)
{
  const char *isolation = NULL;
  const char *capabilities = NULL;
  const char *acl = NULL;
  const char *mocks = NULL;
  const char *backend = NULL;

  if (g_variant_dict_lookup (options, "isolation", "^&ay", &isolation))
    {
      g_autofree char *absolute = g_canonicalize_filename (isolation, NULL);
      g_autofree char *index = g_build_filename (absolute, "index.html", NULL);

      if (!g_file_test (index, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *display = g_filename_display_name (isolation);

          print_error (_("--isolation needs a folder with an index.html, not “%s”"), display);
          return FALSE;
        }
      isthmus_config_set_isolation_dir (self->config, absolute);
    }

  if (g_variant_dict_lookup (options, "capabilities", "^&ay", &capabilities))
    {
      if (!g_file_test (capabilities, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *display = g_filename_display_name (capabilities);

          print_error (_("--capabilities needs a folder, not “%s”"), display);
          return FALSE;
        }
      self->capabilities_dir = g_canonicalize_filename (capabilities, NULL);
    }

  if (g_variant_dict_lookup (options, "mocks", "^&ay", &mocks))
    {
      if (!g_file_test (mocks, G_FILE_TEST_IS_REGULAR))
        {
          g_autofree char *display = g_filename_display_name (mocks);

          print_error (_("--mocks needs a JSON file, not “%s”"), display);
          return FALSE;
        }
      self->mocks_path = g_canonicalize_filename (mocks, NULL);
    }

  if (g_variant_dict_lookup (options, "backend", "&s", &backend))
    {
      g_auto(GStrv) argv = NULL;
      g_autoptr(GError) error = NULL;

      if (!g_shell_parse_argv (backend, NULL, &argv, &error))
        {
          print_error (_("--backend needs a command line: %s"), error->message);
          return FALSE;
        }
      self->backend_command = g_strdup (backend);
    }

  if (g_variant_dict_lookup (options, "acl", "&s", &acl))
    {
      if (!g_str_equal (acl, "tauri") && !g_str_equal (acl, "strict"))
        {
          print_error (_("--acl is “tauri” or “strict”, not “%s”"), acl);
          return FALSE;
        }
      self->acl_mode = g_strdup (acl);
    }

  return TRUE;
}

/* Loads the project's capabilities (the capabilities folder beside its
 * tauri.conf.json, and app.security.capabilities), then --capabilities.
 * Problems go to the traffic list and to stderr; the app still starts. */
static void
load_capabilities (IsthmusApplication *self)
{
  IsthmusAcl *acl = isthmus_core_get_acl (self->core);
  const char *config_path = isthmus_config_get_config_path (self->config);
  g_autofree char *mode = NULL;
  GPtrArray *errors;

  mode = self->acl_mode != NULL ? g_strdup (self->acl_mode)
                                : g_settings_get_string (self->settings, "acl-mode");
  isthmus_acl_set_mode (acl, g_strcmp0 (mode, "strict") == 0 ? ISTHMUS_ACL_STRICT : ISTHMUS_ACL_TAURI);

  if (config_path != NULL)
    {
      g_autofree char *config_dir = g_path_get_dirname (config_path);
      g_autofree char *dir = g_build_filename (config_dir, "capabilities", NULL);

      if (g_file_test (dir, G_FILE_TEST_IS_DIR))
        isthmus_acl_load_directory (acl, dir, NULL);
      if (isthmus_config_get_capabilities (self->config) != NULL)
        isthmus_acl_add_inline (acl, isthmus_config_get_capabilities (self->config), config_path);
    }

  if (self->capabilities_dir != NULL)
    isthmus_acl_load_directory (acl, self->capabilities_dir, NULL);

  errors = isthmus_acl_get_errors (acl);
  for (guint i = 0; errors != NULL && i < errors->len; i++)
    {
      const char *text = g_ptr_array_index (errors, i);

      g_printerr ("isthmus: %s\n", text);
      isthmus_core_record_lifecycle (self->core, NULL, "capabilities", text, TRUE);
    }

  if (!isthmus_acl_is_active (acl))
    isthmus_core_record_lifecycle (self->core, NULL, "capabilities",
                                   _("No capabilities: nothing is checked. Add capability files to check commands as Tauri does."),
                                   FALSE);
  else
    {
      g_autofree char *text = g_strdup_printf (_("Capabilities loaded; checking in %s mode"),
                                               isthmus_acl_get_mode (acl) == ISTHMUS_ACL_STRICT ? "strict" : "tauri");

      isthmus_core_record_lifecycle (self->core, NULL, "capabilities", text, FALSE);
    }
}

/* --check-hook DIR RECORDING.jsonl [--expect FILE]: no display needed. */
static int
check_hook (GVariantDict *options,
            const char   *app_dir)
{
  g_autofree const char **targets = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  const char *expect = NULL;
  int status;

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &targets);
  if (targets == NULL || targets[0] == NULL || targets[1] != NULL)
    {
      print_error (_("--check-hook needs an isolation app folder and one recording: --check-hook DIR RECORDING.jsonl"));
      return EXIT_USAGE;
    }
  g_variant_dict_lookup (options, "expect", "^&ay", &expect);

  status = isthmus_hook_check (app_dir, targets[0], expect, NULL, 0, out, err);
  g_printerr ("%s", err->str);
  g_print ("%s", out->str);

  return status;
}

/* Mocks (--mocks, or .isthmus/mocks.json in the project) and the backend
 * process (--backend). Problems are lifecycle records; the app starts. */
static void
start_backends (IsthmusApplication *self)
{
  IsthmusRegistry *registry = isthmus_core_get_registry (self->core);
  const char *config_path = isthmus_config_get_config_path (self->config);
  const char *frontend_dir = isthmus_config_get_frontend_dir (self->config);
  g_autofree char *found = NULL;
  g_autoptr(GError) error = NULL;
  const char *path = self->mocks_path;

  if (path == NULL && config_path != NULL)
    {
      g_autofree char *config_dir = g_path_get_dirname (config_path);
      g_autofree char *project_dir = g_path_get_dirname (config_dir);

      found = isthmus_mocks_find_project_file (config_dir);
      if (found == NULL)
        found = isthmus_mocks_find_project_file (project_dir);
      path = found;
    }
  if (path == NULL && config_path == NULL && frontend_dir != NULL &&
      isthmus_config_get_frontend_kind (self->config) == ISTHMUS_FRONTEND_DIRECTORY)
    path = found = isthmus_mocks_find_project_file (frontend_dir);

  if (path != NULL)
    {
      self->mocks = isthmus_mocks_new ();
      if (!isthmus_mocks_load_file (self->mocks, path, &error))
        {
          g_printerr ("isthmus: %s\n", error->message);
          isthmus_core_record_lifecycle (self->core, NULL, "mocks", error->message, TRUE);
          g_clear_error (&error);
        }
      isthmus_mocks_set_watch (self->mocks, TRUE);
      isthmus_mocks_attach (self->mocks, registry);
    }

  if (self->backend_command != NULL)
    {
      self->backend = isthmus_backend_new (self->backend_command, &error);
      if (self->backend == NULL)
        {
          g_printerr ("isthmus: %s\n", error->message);
          isthmus_core_record_lifecycle (self->core, NULL, "backend", error->message, TRUE);
          return;
        }
      isthmus_backend_attach (self->backend, self->core);
      if (!isthmus_backend_start (self->backend, &error))
        {
          g_printerr ("isthmus: %s\n", error->message);
          isthmus_core_record_lifecycle (self->core, NULL, "backend", error->message, TRUE);
        }
    }
}

static int
isthmus_application_handle_local_options (GApplication *application,
                                          GVariantDict *options)
{
  IsthmusApplication *self = ISTHMUS_APPLICATION (application);
  g_autofree const char **targets = NULL;
  g_autoptr(GError) error = NULL;
  const char *record = NULL;
  const char *quit_after = NULL;
  const char *hook_worker = NULL;
  const char *hook_dir = NULL;

  self->local_options_seen = TRUE;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("isthmus %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  /* The hook runner's worker process (isthmus_hook_runner_new()). */
  if (g_variant_dict_lookup (options, "hook-worker", "^&ay", &hook_worker))
    return isthmus_hook_worker_main (hook_worker);

  if (g_variant_dict_lookup (options, "check-hook", "^&ay", &hook_dir))
    return check_hook (options, hook_dir);
  if (g_variant_dict_contains (options, "expect"))
    {
      print_error (_("--expect goes with --check-hook"));
      return EXIT_USAGE;
    }

  /* Read as a string: GApplication drops a double option equal to 0. */
  if (g_variant_dict_lookup (options, "quit-after", "&s", &quit_after))
    {
      char *end = NULL;
      double seconds = g_ascii_strtod (quit_after, &end);

      if (end == quit_after || *end != '\0' || isnan (seconds) || seconds < 0.0 || seconds > MAX_QUIT_AFTER)
        {
          print_error (_("--quit-after needs a number of seconds from 0 to %.0f, not “%s”"),
                       MAX_QUIT_AFTER, quit_after);
          return EXIT_USAGE;
        }
      self->quit_after = seconds;
    }

  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &targets);
  if (targets != NULL && targets[0] != NULL && targets[1] != NULL)
    {
      print_error (_("only one target can be given (a folder, a URL or a tauri.conf.json)"));
      return EXIT_USAGE;
    }

  self->schema = lookup_schema ();
  if (self->schema == NULL)
    {
      print_error (_("the settings schema %s is not installed (set GSETTINGS_SCHEMA_DIR to run from a build tree)"),
                   SCHEMA_ID);
      return EXIT_FAILURE;
    }

  if (targets != NULL && targets[0] != NULL)
    self->config = isthmus_config_load (targets[0], &error);
  else
    self->config = isthmus_config_new_demo (RESOURCE_BASE "/demo");

  if (self->config == NULL)
    {
      print_error ("%s", error != NULL ? error->message : _("cannot load the target"));
      return EXIT_USAGE;
    }

  if (g_variant_dict_lookup (options, "record", "^&ay", &record))
    {
      self->writer = isthmus_record_writer_new (record, &error);
      if (self->writer == NULL)
        {
          g_autofree char *display = g_filename_display_name (record);

          print_error (_("cannot open the record file “%s”: %s"), display,
                       error != NULL ? error->message : _("unknown error"));
          return EXIT_USAGE;
        }
    }

  if (!apply_security_options (self, options))
    return EXIT_USAGE;

  return -1;
}

static void
isthmus_application_startup (GApplication *application)
{
  IsthmusApplication *self = ISTHMUS_APPLICATION (application);
  static const char *no_accels[] = { NULL };
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.shortcuts", { "<Control>question", NULL } },
    { "app.prototype", { "<Control><Shift>p", NULL } },
    { "win.find", { "<Control>f", NULL } },
    { "win.clear-traffic", { "<Control>l", NULL } },
    { "win.pause-traffic", { "<Control>p", NULL } },
  };

  G_APPLICATION_CLASS (isthmus_application_parent_class)->startup (application);

  if (self->schema == NULL)
    self->schema = lookup_schema ();
  if (self->schema != NULL)
    self->settings = g_settings_new_full (self->schema, NULL, NULL);
  else
    g_error ("The settings schema %s is not installed", SCHEMA_ID);

  g_signal_connect_object (self->settings, "changed",
                           G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  apply_color_scheme (self);

  self->core = isthmus_core_new ();
  isthmus_demo_commands_register (isthmus_core_get_registry (self->core));
  /* The list takes new records in batches, never inside the IPC path. */
  isthmus_recorder_set_batch_interval (isthmus_core_get_recorder (self->core), RECORDER_BATCH_MS);
  apply_limits (self);
  isthmus_core_set_block_silently (self->core,
                                   g_settings_get_boolean (self->settings, "isolation-block-silently"));

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action, accels[i].accels);

  /* app.shortcuts owns Ctrl+? so that the menu shows it. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", no_accels);
}

static int
isthmus_application_command_line (GApplication            *application,
                                  GApplicationCommandLine *command_line)
{
  IsthmusApplication *self = ISTHMUS_APPLICATION (application);
  g_autoptr(GError) error = NULL;
  GPtrArray *windows;
  gboolean opened = FALSE;

  if (self->host != NULL)
    {
      g_application_activate (application);
      return EXIT_SUCCESS;
    }

  if (self->config == NULL)
    self->config = isthmus_config_new_demo (RESOURCE_BASE "/demo");

  /* The writer first, so that it gets the lifecycle records too. */
  if (self->writer != NULL)
    isthmus_recorder_set_writer (isthmus_core_get_recorder (self->core), self->writer);

  load_capabilities (self);
  start_backends (self);

  self->host = isthmus_web_host_new (self->core, self->config, &error);
  if (self->host == NULL)
    {
      g_application_command_line_printerr (command_line, "isthmus: %s\n",
                                           error != NULL ? error->message : _("cannot serve the frontend"));
      return EXIT_USAGE;
    }

  /* Live reload of a served folder (a dev server reloads by itself). */
  self->reload = isthmus_web_reload_new (self->host, &error);
  if (self->reload == NULL)
    {
      g_debug ("No live reload: %s", error->message);
      g_clear_error (&error);
    }

  windows = isthmus_config_get_windows (self->config);
  for (guint i = 0; windows != NULL && i < windows->len; i++)
    {
      const IsthmusWindowConfig *window_config = g_ptr_array_index (windows, i);
      IsthmusWindow *window;

      if (!window_config->create)
        continue;

      window = isthmus_window_new (GTK_APPLICATION (self), self->host, window_config->label, self->settings);
      if (window_config->visible)
        gtk_window_present (GTK_WINDOW (window));
      opened = TRUE;
    }

  if (!opened)
    g_debug ("The config creates no window");

  self->sigterm_id = g_unix_signal_add (SIGTERM, quit_signal_cb, self);
  self->sigint_id = g_unix_signal_add (SIGINT, quit_signal_cb, self);

  if (self->quit_after >= 0.0)
    self->quit_after_id = g_timeout_add_full (G_PRIORITY_DEFAULT,
                                              (guint)(self->quit_after * 1000.0),
                                              quit_after_cb, self, NULL);

  return EXIT_SUCCESS;
}

static void
isthmus_application_activate (GApplication *application)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (application));
  if (window != NULL)
    gtk_window_present (window);
}

static void
isthmus_application_shutdown (GApplication *application)
{
  IsthmusApplication *self = ISTHMUS_APPLICATION (application);

  g_clear_handle_id (&self->quit_after_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  g_clear_handle_id (&self->sigint_id, g_source_remove);

  /* Views go first, so that what they still had pending is completed and
   * recorded; then the writer gets everything before it is closed. */
  g_clear_object (&self->reload);
  close_all_windows (self, TRUE);
  g_clear_object (&self->host);
  if (self->backend != NULL)
    isthmus_backend_stop (self->backend);
  g_clear_object (&self->backend);
  g_clear_object (&self->mocks);

  if (self->writer != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (self->core != NULL)
        isthmus_recorder_set_writer (isthmus_core_get_recorder (self->core), NULL);
      if (!isthmus_record_writer_close (self->writer, &error))
        print_error (_("writing the record file failed: %s"), error->message);
      g_clear_object (&self->writer);
    }

  if (self->settings != NULL)
    g_settings_sync ();

  G_APPLICATION_CLASS (isthmus_application_parent_class)->shutdown (application);
}

static void
isthmus_application_finalize (GObject *object)
{
  IsthmusApplication *self = (IsthmusApplication *)object;

  g_clear_object (&self->host);
  g_clear_object (&self->writer);
  g_clear_object (&self->config);
  g_clear_pointer (&self->capabilities_dir, g_free);
  g_clear_pointer (&self->mocks_path, g_free);
  g_clear_pointer (&self->backend_command, g_free);
  g_clear_pointer (&self->acl_mode, g_free);
  g_clear_object (&self->core);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->schema, g_settings_schema_unref);

  G_OBJECT_CLASS (isthmus_application_parent_class)->finalize (object);
}

static void
isthmus_application_class_init (IsthmusApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = isthmus_application_finalize;

  application_class->local_command_line = isthmus_application_local_command_line;
  application_class->handle_local_options = isthmus_application_handle_local_options;
  application_class->startup = isthmus_application_startup;
  application_class->command_line = isthmus_application_command_line;
  application_class->activate = isthmus_application_activate;
  application_class->shutdown = isthmus_application_shutdown;
}

static void
isthmus_application_init (IsthmusApplication *self)
{
  self->quit_after = -1.0;

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[DIR|URL|tauri.conf.json]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Run a Tauri v2 web frontend in WebKitGTK, answer its IPC "
                                              "from C and show every message live."));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("The target is one of:\n"
                                                  "  DIR              a Tauri project (DIR/tauri.conf.json or\n"
                                                  "                   DIR/src-tauri/tauri.conf.json), or a folder\n"
                                                  "                   holding index.html\n"
                                                  "  tauri.conf.json  a Tauri config file\n"
                                                  "  URL              an http:// or https:// dev server\n"
                                                  "Without a target, Isthmus runs its bundled demo.\n"
                                                  "\n"
                                                  "Exit status: 0 on success, 2 for bad arguments or a target\n"
                                                  "that cannot be loaded."));
}

IsthmusApplication *
isthmus_application_new (void)
{
  IsthmusApplication *self;

  self = g_object_new (ISTHMUS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", RESOURCE_BASE,
                       NULL);

  return self;
}

/**
 * isthmus_application_get_settings:
 * @self: a #IsthmusApplication
 *
 * Returns: (transfer none) (nullable): the settings, once started up
 */
GSettings *
isthmus_application_get_settings (IsthmusApplication *self)
{
  g_return_val_if_fail (ISTHMUS_IS_APPLICATION (self), NULL);

  return self->settings;
}

/**
 * isthmus_application_get_core:
 * @self: a #IsthmusApplication
 *
 * Returns: (transfer none) (nullable): the IPC core, once started up
 */
IsthmusCore *
isthmus_application_get_core (IsthmusApplication *self)
{
  g_return_val_if_fail (ISTHMUS_IS_APPLICATION (self), NULL);

  return self->core;
}

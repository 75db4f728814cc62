/* isthmus-config.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define ISTHMUS_CONFIG_ERROR (isthmus_config_error_quark ())

typedef enum
{
  ISTHMUS_CONFIG_ERROR_NOT_FOUND,   /* no tauri.conf.json / index.html / file */
  ISTHMUS_CONFIG_ERROR_PARSE,       /* malformed JSON; message names file:line:column */
  ISTHMUS_CONFIG_ERROR_INVALID,     /* a field of the wrong type or value; names file and field path */
  ISTHMUS_CONFIG_ERROR_UNSUPPORTED, /* valid Tauri, but not something Isthmus can run */
} IsthmusConfigError;

typedef enum
{
  ISTHMUS_FRONTEND_RESOURCE,  /* the bundled demo, from the GResource */
  ISTHMUS_FRONTEND_DIRECTORY, /* files below frontend_dir, served over tauri://localhost/ */
  ISTHMUS_FRONTEND_URL,       /* a dev server URL, loaded as is */
} IsthmusFrontendKind;

typedef enum
{
  ISTHMUS_PATTERN_BROWNFIELD,
  ISTHMUS_PATTERN_ISOLATION,
} IsthmusPattern;

/* One entry of app.windows[] (defaults as in Tauri). */
typedef struct
{
  char     *label;    /* default "main"; must match [A-Za-z0-9_:/-]+ (Unicode alnum allowed) */
  char     *title;    /* default: productName, else "Isthmus" */
  char     *url;      /* default "index.html": app-relative path, or an http(s) URL */
  int       width;    /* default 800 */
  int       height;   /* default 600 */
  gboolean  create;   /* default TRUE */
  gboolean  visible;  /* default TRUE */
} IsthmusWindowConfig;

#define ISTHMUS_TYPE_CONFIG (isthmus_config_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusConfig, isthmus_config, ISTHMUS, CONFIG, GObject)

GQuark          isthmus_config_error_quark (void) G_GNUC_CONST;

/* The bundled demo: resource frontend at @resource_root, one window "main",
 * product name "Isthmus Demo", withGlobalTauri TRUE. */
IsthmusConfig  *isthmus_config_new_demo    (const char    *resource_root);

/* @target is what the user named on the command line:
 *  - an http:// or https:// URL: a dev server (one window "main", URL frontend);
 *  - a directory holding tauri.conf.json, or src-tauri/tauri.conf.json;
 *  - a path to a tauri.conf.json file itself;
 *  - a directory holding index.html (plain folder, one window "main").
 * Relative paths in the config (build.frontendDist, the isolation dir) are
 * resolved against the config file's directory. build.frontendDist may be a
 * directory or a URL; an array of files gives UNSUPPORTED. Every error
 * message names the file and, for fields, the JSON path ("app.windows[1].label"). */
IsthmusConfig  *isthmus_config_load        (const char    *target,
                                            GError       **error);

IsthmusFrontendKind  isthmus_config_get_frontend_kind  (IsthmusConfig *self);
/* Absolute directory (DIRECTORY), resource root (RESOURCE) or NULL. */
const char          *isthmus_config_get_frontend_dir   (IsthmusConfig *self);
/* The dev-server URL (URL kind) or NULL. */
const char          *isthmus_config_get_frontend_url   (IsthmusConfig *self);
/* Absolute path of the config file read, or NULL (demo, URL, plain folder). */
const char          *isthmus_config_get_config_path    (IsthmusConfig *self);
const char          *isthmus_config_get_product_name   (IsthmusConfig *self);
const char          *isthmus_config_get_version        (IsthmusConfig *self);
const char          *isthmus_config_get_identifier     (IsthmusConfig *self);
gboolean             isthmus_config_get_with_global_tauri (IsthmusConfig *self);
gboolean             isthmus_config_get_freeze_prototype  (IsthmusConfig *self);
/* app.security.csp flattened to a header value ("a b; c d"), or NULL. */
const char          *isthmus_config_get_csp            (IsthmusConfig *self);
IsthmusPattern       isthmus_config_get_pattern        (IsthmusConfig *self);
/* Absolute isolation app dir, or NULL. */
const char          *isthmus_config_get_isolation_dir  (IsthmusConfig *self);
void                 isthmus_config_set_isolation_dir  (IsthmusConfig *self,
                                                        const char    *dir);
/* app.security.capabilities as written (array), or NULL. */
JsonNode            *isthmus_config_get_capabilities   (IsthmusConfig *self);
/* Windows with create == TRUE first-class; never empty. Element type
 * IsthmusWindowConfig *, owned by the config. */
GPtrArray           *isthmus_config_get_windows        (IsthmusConfig *self);

/* TRUE if every character is Unicode alphanumeric or one of - / : _ and the
 * label is not empty (Tauri's label and event-name rule). */
gboolean             isthmus_label_is_valid            (const char    *label);

G_END_DECLS

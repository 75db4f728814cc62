/* isthmus-schema.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  ISTHMUS_ARG_ANY,      /* any JSON value, null included */
  ISTHMUS_ARG_STRING,   /* bounds: length in bytes */
  ISTHMUS_ARG_INTEGER,  /* a JSON number with no fraction, within ±2^53; bounds: value */
  ISTHMUS_ARG_NUMBER,   /* any finite JSON number; bounds: value */
  ISTHMUS_ARG_BOOLEAN,
  ISTHMUS_ARG_OBJECT,   /* bounds: member count */
  ISTHMUS_ARG_ARRAY,    /* bounds: element count */
} IsthmusArgType;

/**
 * IsthmusArgSpec:
 * @name: the JSON key (camelCase, as Tauri maps snake_case parameters)
 * @type: the expected type
 * @required: whether the key must be present
 * @nullable: whether `null` is accepted (a null optional key counts as absent)
 * @has_bounds: whether @min and @max apply
 * @min: lower bound, inclusive (see #IsthmusArgType for what is bounded)
 * @max: upper bound, inclusive
 */
typedef struct
{
  const char     *name;
  IsthmusArgType  type;
  gboolean        required;
  gboolean        nullable;
  gboolean        has_bounds;
  double          min;
  double          max;
} IsthmusArgSpec;

typedef struct _IsthmusSchema IsthmusSchema;

#define ISTHMUS_TYPE_SCHEMA (isthmus_schema_get_type ())

GType          isthmus_schema_get_type  (void) G_GNUC_CONST;
/* Copies @specs (names included). With @allow_unknown FALSE, keys not in
 * @specs are refused. */
IsthmusSchema *isthmus_schema_new       (const IsthmusArgSpec *specs,
                                         guint                 n_specs,
                                         gboolean              allow_unknown);
IsthmusSchema *isthmus_schema_ref       (IsthmusSchema        *self);
void           isthmus_schema_unref     (IsthmusSchema        *self);
guint          isthmus_schema_get_n_specs (IsthmusSchema      *self);
const IsthmusArgSpec *isthmus_schema_get_spec (IsthmusSchema  *self,
                                               guint           i);

/* Checks @payload (the invoke's args; NULL or JSON null mean `{}`) for
 * command @cmd. On failure sets ISTHMUS_IPC_ERROR_INVALID_ARGS whose message
 * is Tauri's text:
 *  - "invalid args `<key>` for command `<cmd>`: command <cmd> missing required key <key>"
 *  - "invalid args `<key>` for command `<cmd>`: invalid type: <found>, expected <expected>"
 *    (<found> in serde's words: "string \"x\"", "integer `1`", "floating point `1.5`",
 *    "boolean `true`", "null", "map", "sequence"; <expected>: "a string",
 *    "an integer", "a number", "a boolean", "a map", "a sequence")
 *  - "invalid args `<key>` for command `<cmd>`: <value> is out of range [<min>, <max>]"
 *  - "invalid args `<key>` for command `<cmd>`: unknown field `<key>`"
 *  - payload not an object: "invalid args `payload` for command `<cmd>`: invalid type: <found>, expected a map"
 * Keys and commands quoted in messages are cut at 128 bytes. */
gboolean       isthmus_schema_validate  (IsthmusSchema        *self,
                                         const char           *cmd,
                                         JsonNode             *payload,
                                         GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (IsthmusSchema, isthmus_schema_unref)

G_END_DECLS

/* isthmus-json-text.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "isthmus-json-guard.h"

G_BEGIN_DECLS

JsonNode *isthmus_json_read    (const char              *text,
                                gsize                    length,
                                const IsthmusJsonLimits *limits,
                                GError                 **error);

char     *isthmus_json_to_text (JsonNode                *node,
                                gsize                   *length);

G_END_DECLS

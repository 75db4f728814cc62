/* isthmus-application.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "isthmus-core.h"

G_BEGIN_DECLS

#define ISTHMUS_TYPE_APPLICATION (isthmus_application_get_type ())

G_DECLARE_FINAL_TYPE (IsthmusApplication, isthmus_application, ISTHMUS, APPLICATION, AdwApplication)

IsthmusApplication *isthmus_application_new          (void);
GSettings          *isthmus_application_get_settings (IsthmusApplication *self);
IsthmusCore        *isthmus_application_get_core     (IsthmusApplication *self);

G_END_DECLS

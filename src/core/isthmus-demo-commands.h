/* isthmus-demo-commands.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-registry.h"

G_BEGIN_DECLS

/* The bundled demo's commands, answered when nothing else does:
 *  - greet {name: string ≤ 256 bytes} → "Hello, <name>! You've been greeted from C."
 *  - echo {value: any} → value, unchanged
 *  - fail {message?: string} → rejects with the handler error value
 *    {kind: "DemoError", message} (an object, to show error payloads)
 *  - divide {a: number, b: number} → a / b, or rejects with the string
 *    "division by zero"
 *  - slow {ms: integer 0‥60000} → after ms milliseconds (async, cancellable),
 *    {"sleptMs": ms}
 *  - big {bytes: integer 0‥67108864} → a string of that many bytes
 *  - count_words {text: string} → integer, computed in a worker thread
 */
void isthmus_demo_commands_register (IsthmusRegistry *registry);

G_END_DECLS

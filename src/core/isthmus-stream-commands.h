/* isthmus-stream-commands.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-registry.h"

G_BEGIN_DECLS

/* Demo commands for channels and raw payloads:
 *  - stream_progress {steps: integer 0…10000, onProgress: channel} sends
 *    {step, of} for each step through the channel, closes it, resolves null;
 *  - reverse_bytes (raw args) answers the bytes reversed, raw. */
void isthmus_stream_commands_register (IsthmusRegistry *registry);

G_END_DECLS

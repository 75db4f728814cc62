/* isthmus-isolation.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "isthmus-core.h"
#include "isthmus-envelope.h"

G_BEGIN_DECLS

/**
 * SECTION:isthmus-isolation
 *
 * The core's half of the isolation pattern. With isolation on, every
 * message of every webview must be what the bridge posts for one call:
 *
 *   "E" encryptUs " " sentAtMs "\n" envelope "\n" original
 *
 * where `envelope` is the JSON text of an #IsthmusEnvelope sealed by the
 * isolation frame, `encryptUs` is the time the frame spent encrypting and
 * `sentAtMs` the frame's wall clock (ms since the epoch, fractional) when
 * it handed the envelope to the bridge. Both numbers travel over the
 * bridge's private MessagePort and are informational only, as is
 * `original` (the message as the page sent it, before the hook).
 *
 * The envelope's plaintext is two lines: a header, the JSON object
 * `{"verdict", "reason", "hookUs", "reads", "lint"}`, then "\n" and the
 * JSON text of the message after the hook. The verdict ("passed",
 * "modified", "blocked" or "hook-error") and the hook time are therefore
 * authenticated; `cmd`, the callback ids, the webview, the epoch and the
 * sequence number are bound as additional data.
 *
 * Anything else, a message sealed under another key, epoch or webview, or
 * a replay, is refused with ISOLATION_REJECTED; a blocked call is answered
 * with ISOLATION_BLOCKED and the hook's reason.
 */

/* Verdicts as recorded on the exchange. */
#define ISTHMUS_ISOLATION_PASSED                "passed"
#define ISTHMUS_ISOLATION_MODIFIED              "modified"
#define ISTHMUS_ISOLATION_BLOCKED               "blocked"
#define ISTHMUS_ISOLATION_HOOK_ERROR            "hook-error"
#define ISTHMUS_ISOLATION_REJECTED_AUTH         "rejected-auth"
#define ISTHMUS_ISOLATION_REJECTED_REPLAY       "rejected-replay"
#define ISTHMUS_ISOLATION_REJECTED_NOT_ENVELOPE "rejected-not-envelope"
#define ISTHMUS_ISOLATION_REJECTED_STALE        "rejected-stale"

typedef struct _IsthmusIsolation IsthmusIsolation;

/* Turns the isolation pattern on or off for every webview of @self. */
void             isthmus_core_set_isolation       (IsthmusCore     *self,
                                                   gboolean         enabled);
gboolean         isthmus_core_get_isolation       (IsthmusCore     *self);
/* Starts a new epoch for @webview_label with a fresh random key and an
 * empty replay window; envelopes of earlier epochs are refused from now
 * on. Call on every page load and web-process restart. Returns the key
 * (transfer full) for the isolation document and sets @epoch. */
IsthmusAeadKey  *isthmus_core_begin_epoch         (IsthmusCore     *self,
                                                   const char      *webview_label,
                                                   guint64         *epoch,
                                                   GError         **error);
/* Like isthmus_core_begin_epoch() with a given key, for tests. */
guint64          isthmus_core_begin_epoch_with_key (IsthmusCore    *self,
                                                    const char     *webview_label,
                                                    IsthmusAeadKey *key);
/* Like isthmus_core_begin_epoch(), for a new isolation frame within the
 * same page load (the hook was reloaded): the current epoch stays valid
 * too, as the previous one, so that the calls its frame is still
 * answering are accepted, until isthmus_core_retire_epoch() or the next
 * epoch of @webview_label. */
IsthmusAeadKey  *isthmus_core_begin_frame_epoch   (IsthmusCore     *self,
                                                   const char      *webview_label,
                                                   guint64         *epoch,
                                                   GError         **error);
/* Ends the kept previous epoch @epoch of @webview_label; if @epoch is the
 * current one, the previous one becomes current again. */
void             isthmus_core_retire_epoch        (IsthmusCore     *self,
                                                   const char      *webview_label,
                                                   guint64          epoch);
/* Forgets the session of @webview_label (its view went away). */
void             isthmus_core_end_isolation       (IsthmusCore     *self,
                                                   const char      *webview_label);
/* Records one line of the isolation frame's console output as a
 * lifecycle record ("console.<level>"), as plain text. */
IsthmusExchange *isthmus_core_record_console      (IsthmusCore     *self,
                                                   const char      *webview_label,
                                                   const char      *level,
                                                   const char      *text,
                                                   gsize            length);

/* Used by the pipeline (isthmus-core.c). */
typedef struct
{
  /* The envelope text (the whole message when it is not framed). */
  GBytes  *envelope;
  /* The page's message before the hook, or NULL. */
  GBytes  *original;
  gint64   encrypt_us;
  /* What the bridge measured from handing the request to the frame to
   * getting its envelope back; hook and encrypt time are taken off it to
   * give the transport time within the web process. */
  gint64   frame_leg_us;
} IsthmusIsolationFrame;

IsthmusIsolation *_isthmus_isolation_peek         (IsthmusCore           *core);
void              _isthmus_isolation_frame_parse  (GBytes                *message,
                                                   IsthmusIsolationFrame *frame);
void              _isthmus_isolation_frame_clear  (IsthmusIsolationFrame *frame);
/* Opens the envelope of @frame for @webview_label and records the
 * isolation fields on @exchange. Returns the hooked message text to run
 * through the pipeline, or NULL with ISOLATION_REJECTED or
 * ISOLATION_BLOCKED set. */
GBytes           *_isthmus_isolation_open         (IsthmusIsolation      *self,
                                                   const char            *webview_label,
                                                   IsthmusIsolationFrame *frame,
                                                   IsthmusExchange       *exchange,
                                                   GError               **error);
/* Implemented in isthmus-core.c: numbers a record made outside the invoke
 * pipeline. */
guint64           _isthmus_core_next_record_id    (IsthmusCore           *core);

G_END_DECLS

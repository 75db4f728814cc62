/* ui-test-util.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the GTK tests share: a bounded wait on the main context (never a
 * sleep) and lookups over the widgets that show text. A text widget is a
 * GtkLabel or a GtkInscription (the traffic list's cells).
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How long wait_for() waits before it gives up. */
#define UI_TEST_WAIT_TIMEOUT_US (10 * G_USEC_PER_SEC)

typedef gboolean (*ConditionFunc) (gpointer user_data);

/* Iterates the default main context until @condition holds, or
 * UI_TEST_WAIT_TIMEOUT_US pass; returns whether it holds. A periodic
 * source wakes the blocking iteration up to check again. */
gboolean    wait_for             (ConditionFunc  condition,
                                  gpointer       user_data);
/* The same with a deadline of @timeout_us microseconds. */
gboolean    wait_for_timeout     (ConditionFunc  condition,
                                  gpointer       user_data,
                                  gint64         timeout_us);
/* Adds @root and every widget under it that shows text to @widgets. */
void        collect_text_widgets (GtkWidget     *root,
                                  GPtrArray     *widgets);
/* The text a GtkLabel or GtkInscription shows; "" when it has none. */
const char *text_widget_get_text (GtkWidget     *widget);
/* The first mapped text widget under @root showing exactly @text. */
GtkWidget  *find_text_widget     (GtkWidget     *root,
                                  const char    *text);
/* Asserts that every text widget under @root shows plain, valid UTF-8
 * text: no markup and no attributes. Returns how many it checked. */
guint       assert_plain_text    (GtkWidget     *root);

G_END_DECLS

/* web-test-util.h
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the WebKit tests and benchmarks share: bounded waits on the main
 * context (never a sleep), and the benchmarks' median. A 50 ms wake-up
 * keeps the deadline checked when nothing else happens.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*Condition) (gpointer data);

/* Iterates the default main context until @cond holds or @timeout_ms
 * pass; returns whether it holds. */
gboolean wait_for       (Condition       cond,
                         gpointer        data,
                         guint           timeout_ms);
gboolean wait_for_flag  (const gboolean *flag,
                         guint           timeout_ms);
gboolean wait_for_count (const int      *counter,
                         int             target,
                         guint           timeout_ms);

/* The median of @n values (sorts them in place); for benchmarks that
 * print the median of interleaved rounds. */
double   median_of      (double         *values,
                         guint           n);

G_END_DECLS

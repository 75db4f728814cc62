/* web-test-util.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "web-test-util.h"

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
wait_for (Condition cond,
          gpointer  data,
          guint     timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;
  guint wake = g_timeout_add (50, wake_cb, NULL);
  gboolean ok;

  while (!(ok = cond (data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (wake);
  return ok;
}

static gboolean
flag_set (gpointer data)
{
  return *(const gboolean *)data;
}

gboolean
wait_for_flag (const gboolean *flag,
               guint           timeout_ms)
{
  return wait_for (flag_set, (gpointer)flag, timeout_ms);
}

typedef struct
{
  const int *counter;
  int        target;
} Count;

static gboolean
count_reached (gpointer data)
{
  const Count *count = data;

  return *count->counter >= count->target;
}

gboolean
wait_for_count (const int *counter,
                int        target,
                guint      timeout_ms)
{
  Count count = { counter, target };

  return wait_for (count_reached, &count, timeout_ms);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return (x > y) - (x < y);
}

double
median_of (double *values,
           guint   n)
{
  g_return_val_if_fail (values != NULL && n > 0, 0);

  qsort (values, n, sizeof (double), compare_doubles);
  return values[n / 2];
}

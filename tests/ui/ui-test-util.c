/* ui-test-util.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ui-test-util"

#include "config.h"

#include "ui-test-util.h"

static gboolean
wake_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
wait_for_timeout (ConditionFunc condition,
                  gpointer      user_data,
                  gint64        timeout_us)
{
  gint64 deadline = g_get_monotonic_time () + timeout_us;
  gboolean met;
  guint wake_id;

  wake_id = g_timeout_add (10, wake_cb, NULL);
  while (!(met = condition (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (wake_id);

  return met;
}

gboolean
wait_for (ConditionFunc condition,
          gpointer      user_data)
{
  return wait_for_timeout (condition, user_data, UI_TEST_WAIT_TIMEOUT_US);
}

void
collect_text_widgets (GtkWidget *root,
                      GPtrArray *widgets)
{
  if (GTK_IS_LABEL (root) || GTK_IS_INSCRIPTION (root))
    g_ptr_array_add (widgets, root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_text_widgets (child, widgets);
}

const char *
text_widget_get_text (GtkWidget *widget)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_INSCRIPTION (widget))
    text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));
  else
    g_assert_not_reached ();

  return text != NULL ? text : "";
}

GtkWidget *
find_text_widget (GtkWidget  *root,
                  const char *text)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  collect_text_widgets (root, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (widgets, i);

      if (gtk_widget_get_mapped (widget) &&
          g_strcmp0 (text_widget_get_text (widget), text) == 0)
        return widget;
    }

  return NULL;
}

guint
assert_plain_text (GtkWidget *root)
{
  g_autoptr(GPtrArray) widgets = g_ptr_array_new ();

  collect_text_widgets (root, widgets);
  for (guint i = 0; i < widgets->len; i++)
    {
      GtkWidget *widget = g_ptr_array_index (widgets, i);
      const char *text = text_widget_get_text (widget);
      gboolean use_markup = FALSE;
      PangoAttrList *attributes;

      if (GTK_IS_LABEL (widget))
        {
          use_markup = gtk_label_get_use_markup (GTK_LABEL (widget));
          attributes = gtk_label_get_attributes (GTK_LABEL (widget));
        }
      else
        {
          attributes = gtk_inscription_get_attributes (GTK_INSCRIPTION (widget));
        }

      /* Name the widget before an assertion stops the test. */
      if (use_markup || attributes != NULL || !g_utf8_validate (text, -1, NULL))
        g_test_message ("%s “%.80s” is not plain text", G_OBJECT_TYPE_NAME (widget), text);
      g_assert_false (use_markup);
      g_assert_null (attributes);
      g_assert_true (g_utf8_validate (text, -1, NULL));
    }

  return widgets->len;
}

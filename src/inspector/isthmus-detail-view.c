/* isthmus-detail-view.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-detail-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "isthmus-detail-view.h"
#include "isthmus-export.h"
#include "isthmus-json-guard.h"
#include "isthmus-traffic-list.h"

/* The most characters of a payload shown as plain text when it is not
 * JSON. */
#define MAX_TEXT_CHARS 16384
#define MAX_DIFF_LINES 500

static char *
sanitize (const char *text)
{
  return isthmus_traffic_list_sanitize_text (text, -1, ISTHMUS_TRAFFIC_LIST_MAX_CHARS);
}

static GtkWidget *
plain_label_new (const char *text)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_use_markup (GTK_LABEL (label), FALSE);
  gtk_label_set_use_underline (GTK_LABEL (label), FALSE);
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);

  return label;
}

/* One node of a JSON tree, as the tree list shows it. */

#define JSON_ITEM_TYPE (json_item_get_type ())

G_DECLARE_FINAL_TYPE (JsonItem, json_item, JSON, ITEM, GObject)

struct _JsonItem
{
  GObject   parent_instance;
  char     *key;
  char     *text;
  JsonNode *node;
  guint     more;
};

G_DEFINE_FINAL_TYPE (JsonItem, json_item, G_TYPE_OBJECT)

static void
json_item_finalize (GObject *object)
{
  JsonItem *self = (JsonItem *)object;

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->node, json_node_unref);

  G_OBJECT_CLASS (json_item_parent_class)->finalize (object);
}

static void
json_item_class_init (JsonItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = json_item_finalize;
}

static void
json_item_init (JsonItem *self)
{
}

static char *
describe_value (JsonNode *node)
{
  g_autofree char *text = NULL;
  guint n;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      n = json_object_get_size (json_node_get_object (node));
      /* Translators: an object with %u members. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "{ %u member }", "{ %u members }", n), n);

    case JSON_NODE_ARRAY:
      n = json_array_get_length (json_node_get_array (node));
      /* Translators: an array with %u items. */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "[ %u item ]", "[ %u items ]", n), n);

    case JSON_NODE_NULL:
      return g_strdup ("null");

    case JSON_NODE_VALUE:
    default:
      text = isthmus_json_to_text (node, NULL);
      return sanitize (text);
    }
}

static JsonItem *
json_item_new (const char *key,
               JsonNode   *node)
{
  JsonItem *self = g_object_new (JSON_ITEM_TYPE, NULL);

  self->key = sanitize (key);
  self->node = node != NULL ? json_node_ref (node) : NULL;
  self->text = node != NULL ? describe_value (node) : g_strdup ("");

  return self;
}

static JsonItem *
json_item_new_more (guint more)
{
  JsonItem *self = g_object_new (JSON_ITEM_TYPE, NULL);

  self->key = g_strdup ("");
  /* Translators: a row that stands for children not shown. */
  self->text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "… %u more", "… %u more", more), more);
  self->more = more;

  return self;
}

static gboolean
has_children (JsonNode *node)
{
  if (node == NULL)
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_size (json_node_get_object (node)) > 0;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) > 0;

  return FALSE;
}

/* The children of @node, at most ISTHMUS_DETAIL_VIEW_MAX_CHILDREN of them
 * and a "… N more" row. Only called when a row is expanded. */
static GListModel *
children_model (JsonNode *node)
{
  GListStore *store = g_list_store_new (JSON_ITEM_TYPE);
  guint n = 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *member;
      JsonNode *child;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &member, &child))
        {
          if (n++ < ISTHMUS_DETAIL_VIEW_MAX_CHILDREN)
            {
              g_autoptr(JsonItem) item = json_item_new (member, child);

              g_list_store_append (store, item);
            }
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      n = json_array_get_length (array);
      for (guint i = 0; i < MIN (n, ISTHMUS_DETAIL_VIEW_MAX_CHILDREN); i++)
        {
          g_autofree char *key = g_strdup_printf ("[%u]", i);
          g_autoptr(JsonItem) item = json_item_new (key, json_array_get_element (array, i));

          g_list_store_append (store, item);
        }
    }

  if (n > ISTHMUS_DETAIL_VIEW_MAX_CHILDREN)
    {
      g_autoptr(JsonItem) more = json_item_new_more (n - ISTHMUS_DETAIL_VIEW_MAX_CHILDREN);

      g_list_store_append (store, more);
    }

  return G_LIST_MODEL (store);
}

static GListModel *
create_children_cb (gpointer item,
                    gpointer user_data)
{
  JsonItem *json_item = item;

  if (!has_children (json_item->node))
    return NULL;

  return children_model (json_item->node);
}

/* A payload stage: a size line above a JSON tree, or the plain text when
 * it is not JSON, or a spinner while a large text is parsed. */

#define JSON_PANE_TYPE (json_pane_get_type ())

G_DECLARE_FINAL_TYPE (JsonPane, json_pane, JSON, PANE, GtkWidget)

struct _JsonPane
{
  GtkWidget     parent_instance;

  GtkLabel     *size_label;
  GtkStack     *stack;
  GtkSpinner   *spinner;
  GtkListView  *list_view;
  GtkLabel     *text_label;
  GtkLabel     *empty_label;

  JsonNode     *root;
  GCancellable *cancellable;
  guint         busy : 1;
};

G_DEFINE_FINAL_TYPE (JsonPane, json_pane, GTK_TYPE_WIDGET)

enum {
  PANE_LOADED,
  N_PANE_SIGNALS
};

static guint pane_signals [N_PANE_SIGNALS];

static void
json_row_setup_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *list_item,
                   gpointer                  user_data)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *key = plain_label_new (NULL);
  GtkWidget *value = plain_label_new (NULL);

  gtk_widget_add_css_class (key, "json-key");
  gtk_label_set_single_line_mode (GTK_LABEL (value), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (value, TRUE);
  gtk_widget_add_css_class (value, "json-value");
  gtk_box_append (GTK_BOX (box), key);
  gtk_box_append (GTK_BOX (box), value);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (list_item, expander);
}

static void
json_row_bind_cb (GtkSignalListItemFactory *factory,
                  GtkListItem              *list_item,
                  gpointer                  user_data)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));
  GtkWidget *key = gtk_widget_get_first_child (box);
  GtkWidget *value = gtk_widget_get_next_sibling (key);
  JsonItem *item = gtk_tree_list_row_get_item (row);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_label_set_text (GTK_LABEL (key), item->key);
  gtk_widget_set_visible (key, item->key[0] != '\0');
  gtk_label_set_text (GTK_LABEL (value), item->text);
  if (item->more > 0)
    gtk_widget_add_css_class (value, "dim-label");
  else
    gtk_widget_remove_css_class (value, "dim-label");

  g_object_unref (item);
}

static void
json_pane_dispose (GObject *object)
{
  JsonPane *self = (JsonPane *)object;
  GtkWidget *child;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->root, json_node_unref);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (json_pane_parent_class)->dispose (object);
}

static void
json_pane_class_init (JsonPaneClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = json_pane_dispose;

  pane_signals [PANE_LOADED] =
    g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "jsonpane");
}

static void
json_pane_init (JsonPane *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled;
  GtkWidget *spinner_box;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);

  self->size_label = GTK_LABEL (plain_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->size_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->size_label), "json-size");
  gtk_widget_set_parent (GTK_WIDGET (self->size_label), GTK_WIDGET (self));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));

  self->empty_label = GTK_LABEL (plain_label_new (NULL));
  gtk_label_set_xalign (self->empty_label, 0.5);
  gtk_widget_add_css_class (GTK_WIDGET (self->empty_label), "dim-label");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->empty_label), "empty");

  spinner_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_valign (spinner_box, GTK_ALIGN_CENTER);
  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_size_request (GTK_WIDGET (self->spinner), 32, 32);
  gtk_box_append (GTK_BOX (spinner_box), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (spinner_box), plain_label_new (_("Parsing…")));
  gtk_stack_add_named (self->stack, spinner_box, "loading");

  g_signal_connect (factory, "setup", G_CALLBACK (json_row_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (json_row_bind_cb), NULL);
  self->list_view = GTK_LIST_VIEW (gtk_list_view_new (NULL, g_object_ref (factory)));
  gtk_widget_add_css_class (GTK_WIDGET (self->list_view), "json-tree");
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list_view));
  gtk_stack_add_named (self->stack, scrolled, "tree");

  self->text_label = GTK_LABEL (plain_label_new (NULL));
  gtk_label_set_wrap (self->text_label, TRUE);
  gtk_label_set_wrap_mode (self->text_label, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (self->text_label, TRUE);
  gtk_label_set_yalign (self->text_label, 0.0);
  gtk_widget_add_css_class (GTK_WIDGET (self->text_label), "monospace");
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->text_label));
  gtk_stack_add_named (self->stack, scrolled, "text");
}

static JsonNode *
parse_payload (GBytes  *bytes,
               GError **error)
{
  IsthmusJsonLimits limits = { ISTHMUS_IMPORT_MAX_LINE_BYTES, ISTHMUS_IMPORT_MAX_DEPTH };
  g_autoptr(JsonParser) parser = NULL;
  const char *data;
  gsize length;

  data = g_bytes_get_data (bytes, &length);

  /* The guard keeps the recursive parser away from absurd nesting. */
  if (!isthmus_json_guard_check (data, length, &limits, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, _("Empty text"));
      return NULL;
    }

  return json_node_ref (json_parser_get_root (parser));
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;
  JsonNode *root = parse_payload (task_data, &error);

  if (root == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, root, (GDestroyNotify)json_node_unref);
}

static void
json_pane_show_root (JsonPane *self,
                     JsonNode *root)
{
  g_autoptr(GListStore) top = g_list_store_new (JSON_ITEM_TYPE);
  GtkTreeListModel *tree;
  GtkSingleSelection *selection;

  g_clear_pointer (&self->root, json_node_unref);
  self->root = json_node_ref (root);

  if (has_children (root))
    {
      g_autoptr(GListModel) children = children_model (root);

      for (guint i = 0; i < g_list_model_get_n_items (children); i++)
        {
          g_autoptr(GObject) item = g_list_model_get_item (children, i);

          g_list_store_append (top, item);
        }
    }
  else
    {
      g_autoptr(JsonItem) item = json_item_new ("", root);

      g_list_store_append (top, item);
    }

  tree = gtk_tree_list_model_new (G_LIST_MODEL (g_steal_pointer (&top)), FALSE, FALSE,
                                  create_children_cb, NULL, NULL);
  selection = gtk_single_selection_new (G_LIST_MODEL (tree));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  gtk_stack_set_visible_child_name (self->stack, "tree");
}

static void
json_pane_show_text (JsonPane     *self,
                     GBytes       *bytes,
                     const GError *error)
{
  g_autofree char *text = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *all = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  text = isthmus_traffic_list_sanitize_text (data, length, MAX_TEXT_CHARS);
  reason = sanitize (error != NULL ? error->message : "");
  /* Translators: %s says why a text is not shown as a JSON tree. */
  all = g_strdup_printf (_("Not JSON (%s):\n%s"), reason, text);
  gtk_label_set_text (self->text_label, all);
  gtk_stack_set_visible_child_name (self->stack, "text");
}

static void
parse_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = G_TASK (result);
  g_autoptr(JsonPane) self = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  if (g_task_get_cancellable (task) != self->cancellable || g_cancellable_is_cancelled (self->cancellable))
    return;

  root = g_task_propagate_pointer (task, &error);
  self->busy = FALSE;
  gtk_spinner_stop (self->spinner);

  if (root != NULL)
    json_pane_show_root (self, root);
  else
    json_pane_show_text (self, g_task_get_task_data (task), error);

  g_signal_emit (self, pane_signals [PANE_LOADED], 0);
}

static void
json_pane_set_bytes (JsonPane   *self,
                     GBytes     *bytes,
                     const char *empty_text)
{
  g_autofree char *size = NULL;
  g_autofree char *size_text = NULL;
  gsize length;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->root, json_node_unref);
  gtk_list_view_set_model (self->list_view, NULL);
  self->busy = FALSE;
  gtk_spinner_stop (self->spinner);

  if (bytes == NULL)
    {
      gtk_label_set_text (self->size_label, "");
      gtk_label_set_text (self->empty_label, empty_text);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      g_signal_emit (self, pane_signals [PANE_LOADED], 0);
      return;
    }

  length = g_bytes_get_size (bytes);
  size = g_format_size_full (length, G_FORMAT_SIZE_LONG_FORMAT);
  /* Translators: the full size of a payload. */
  size_text = g_strdup_printf (_("Size: %s"), size);
  gtk_label_set_text (self->size_label, size_text);

  if (length > ISTHMUS_DETAIL_VIEW_THREAD_BYTES)
    {
      g_autoptr(GTask) task = NULL;

      self->cancellable = g_cancellable_new ();
      self->busy = TRUE;
      task = g_task_new (NULL, self->cancellable, parse_done_cb, g_object_ref (self));
      g_task_set_source_tag (task, json_pane_set_bytes);
      g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify)g_bytes_unref);
      g_task_set_return_on_cancel (task, FALSE);
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
      g_task_run_in_thread (task, parse_thread);
    }
  else
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) root = parse_payload (bytes, &error);

      if (root != NULL)
        json_pane_show_root (self, root);
      else
        json_pane_show_text (self, bytes, error);
      g_signal_emit (self, pane_signals [PANE_LOADED], 0);
    }
}

/* The timing bar: one coloured segment per step, as wide as its share. */

#define TIMING_BAR_TYPE (timing_bar_get_type ())

G_DECLARE_FINAL_TYPE (TimingBar, timing_bar, TIMING, BAR, GtkWidget)

enum {
  STEP_HOOK,
  STEP_ENCRYPT,
  STEP_TRANSPORT,
  STEP_DECRYPT,
  STEP_CORE,
  N_STEPS
};

static const char *step_colors[N_STEPS] = {
  "#3584e4", "#9141ac", "#e66100", "#2190a4", "#26a269",
};

struct _TimingBar
{
  GtkWidget parent_instance;
  gint64    steps[N_STEPS];
};

G_DEFINE_FINAL_TYPE (TimingBar, timing_bar, GTK_TYPE_WIDGET)

static void
timing_bar_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  TimingBar *self = (TimingBar *)widget;
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double total = 0;
  double x = 0;

  for (guint i = 0; i < N_STEPS; i++)
    total += MAX (self->steps[i], 0);

  if (total <= 0 || width <= 0)
    return;

  for (guint i = 0; i < N_STEPS; i++)
    {
      GdkRGBA color;
      double w;

      if (self->steps[i] <= 0)
        continue;

      w = MAX (width * self->steps[i] / total, 2.0);
      gdk_rgba_parse (&color, step_colors[i]);
      gtk_snapshot_append_color (snapshot, &color, &GRAPHENE_RECT_INIT (x, 0, MIN (w, width - x), height));
      x += w;
      if (x >= width)
        break;
    }
}

static void
timing_bar_measure (GtkWidget      *widget,
                    GtkOrientation  orientation,
                    int             for_size,
                    int            *minimum,
                    int            *natural,
                    int            *minimum_baseline,
                    int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 100 : 14;
}

static void
timing_bar_class_init (TimingBarClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->snapshot = timing_bar_snapshot;
  widget_class->measure = timing_bar_measure;
  gtk_widget_class_set_css_name (widget_class, "timingbar");
}

static void
timing_bar_init (TimingBar *self)
{
  for (guint i = 0; i < N_STEPS; i++)
    self->steps[i] = -1;
}

/* The detail view. */

struct _IsthmusDetailView
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkLabel        *acl_label;
  GtkStackPage    *decrypted_page;
  GtkBox          *decrypted_box;
  GtkStackPage    *diff_page;
  GtkTextView     *diff_view;
  GtkStackPage    *hooked_page;
  GtkBox          *hooked_box;
  GtkStack        *main_stack;
  GtkLabel        *note_label;
  GtkBox          *pipeline_box;
  GtkLabel        *refusal_label;
  GtkBox          *reply_box;
  GtkBox          *sent_box;
  GtkStack        *stack;
  GtkLabel        *status_label;
  GtkBox          *timing_box;
  GtkLabel        *timing_label;
  GtkLabel        *title_label;

  /* Owned by the template boxes */
  JsonPane        *sent_pane;
  JsonPane        *hooked_pane;
  JsonPane        *decrypted_pane;
  JsonPane        *reply_pane;
  TimingBar       *timing_bar;

  /* Owned references */
  IsthmusExchange *exchange;
  char            *diff;

  const char      *refused_gate;
};

G_DEFINE_FINAL_TYPE (IsthmusDetailView, isthmus_detail_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_EXCHANGE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* The JSON diff. */

static void
add_diff_line (GString    *out,
               guint      *lines,
               guint       max_lines,
               char        sign,
               const char *path,
               JsonNode   *before,
               JsonNode   *after)
{
  g_autofree char *old_text = NULL;
  g_autofree char *new_text = NULL;

  if (*lines >= max_lines)
    return;

  (*lines)++;
  old_text = before != NULL ? describe_value (before) : NULL;
  new_text = after != NULL ? describe_value (after) : NULL;

  if (sign == '~')
    g_string_append_printf (out, "~ %s: %s → %s\n", path, old_text, new_text);
  else
    g_string_append_printf (out, "%c %s: %s\n", sign, path, sign == '+' ? new_text : old_text);
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    return FALSE;

  return json_node_equal (a, b);
}

static void
diff_nodes (GString    *out,
            guint      *lines,
            guint       max_lines,
            const char *path,
            JsonNode   *before,
            JsonNode   *after)
{
  if (*lines >= max_lines)
    return;

  if (before == NULL && after == NULL)
    return;
  if (before == NULL)
    {
      add_diff_line (out, lines, max_lines, '+', path, NULL, after);
      return;
    }
  if (after == NULL)
    {
      add_diff_line (out, lines, max_lines, '-', path, before, NULL);
      return;
    }

  if (JSON_NODE_HOLDS_OBJECT (before) && JSON_NODE_HOLDS_OBJECT (after))
    {
      JsonObject *a = json_node_get_object (before);
      JsonObject *b = json_node_get_object (after);
      JsonObjectIter iter;
      const char *member;
      JsonNode *child;

      json_object_iter_init (&iter, a);
      while (json_object_iter_next (&iter, &member, &child))
        {
          g_autofree char *safe = sanitize (member);
          g_autofree char *sub = g_strdup_printf ("%s.%s", path, safe);

          diff_nodes (out, lines, max_lines, sub, child,
                      json_object_has_member (b, member) ? json_object_get_member (b, member) : NULL);
        }

      json_object_iter_init (&iter, b);
      while (json_object_iter_next (&iter, &member, &child))
        {
          if (!json_object_has_member (a, member))
            {
              g_autofree char *safe = sanitize (member);
              g_autofree char *sub = g_strdup_printf ("%s.%s", path, safe);

              add_diff_line (out, lines, max_lines, '+', sub, NULL, child);
            }
        }
      return;
    }

  if (JSON_NODE_HOLDS_ARRAY (before) && JSON_NODE_HOLDS_ARRAY (after))
    {
      JsonArray *a = json_node_get_array (before);
      JsonArray *b = json_node_get_array (after);
      guint n = MAX (json_array_get_length (a), json_array_get_length (b));

      for (guint i = 0; i < n && *lines < max_lines; i++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", path, i);

          diff_nodes (out, lines, max_lines, sub,
                      i < json_array_get_length (a) ? json_array_get_element (a, i) : NULL,
                      i < json_array_get_length (b) ? json_array_get_element (b, i) : NULL);
        }
      return;
    }

  if (!nodes_equal (before, after))
    add_diff_line (out, lines, max_lines, '~', path, before, after);
}

char *
isthmus_detail_view_diff_json (JsonNode *before,
                               JsonNode *after,
                               guint     max_lines)
{
  GString *out = g_string_new (NULL);
  guint lines = 0;

  diff_nodes (out, &lines, max_lines, "$", before, after);
  if (lines >= max_lines)
    /* Translators: the diff was cut after this many lines. */
    g_string_append_printf (out, _("… (cut after %u lines)\n"), max_lines);

  return g_string_free (out, FALSE);
}

static void
update_diff (IsthmusDetailView *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->diff_view);
  const char *shown;

  g_clear_pointer (&self->diff, g_free);

  if (self->sent_pane->busy || self->hooked_pane->busy)
    shown = _("Parsing…");
  else if (self->sent_pane->root == NULL || self->hooked_pane->root == NULL)
    shown = _("No hook stage to compare");
  else
    {
      self->diff = isthmus_detail_view_diff_json (self->sent_pane->root, self->hooked_pane->root, MAX_DIFF_LINES);
      shown = self->diff[0] != '\0' ? self->diff : _("The hook changed nothing");
    }

  gtk_text_buffer_set_text (buffer, shown, -1);
}

static void
pane_loaded_cb (IsthmusDetailView *self,
                JsonPane          *pane)
{
  update_diff (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

/* The pipeline. */

static const char *gate_ids[] = { "guard", "hook", "envelope", "acl", "schema", "handler" };

static const char *
gate_title (guint index)
{
  switch (index)
    {
    case 0: return C_("pipeline gate", "Guard");
    case 1: return C_("pipeline gate", "Hook");
    case 2: return C_("pipeline gate", "Envelope");
    case 3: return C_("pipeline gate", "ACL");
    case 4: return C_("pipeline gate", "Schema");
    default: return C_("pipeline gate", "Handler");
    }
}

static int
refused_gate_index (IsthmusExchange *exchange)
{
  const char *code = isthmus_exchange_get_error_code (exchange);
  const char *verdict = isthmus_exchange_get_isolation_verdict (exchange);
  IsthmusAclVerdict *acl = isthmus_exchange_get_acl_verdict (exchange);

  if (verdict != NULL && (strcmp (verdict, "blocked") == 0 || strcmp (verdict, "hook-error") == 0))
    return 1;
  if (verdict != NULL && g_str_has_prefix (verdict, "rejected"))
    return 2;
  if (acl != NULL && isthmus_acl_verdict_get_checked (acl) && !isthmus_acl_verdict_get_allowed (acl))
    return 3;

  if (isthmus_exchange_get_status (exchange) != ISTHMUS_EXCHANGE_ERROR || code == NULL)
    return -1;

  if (strcmp (code, "BAD_MESSAGE") == 0 || strcmp (code, "BAD_ENCODING") == 0 ||
      strcmp (code, "PAYLOAD_TOO_LARGE") == 0 || strcmp (code, "JSON_TOO_DEEP") == 0 ||
      strcmp (code, "RATE_LIMITED") == 0 || strcmp (code, "INVALID_EVENT_NAME") == 0)
    return 0;
  if (strcmp (code, "ISOLATION_BLOCKED") == 0)
    return 1;
  if (strcmp (code, "ISOLATION_REJECTED") == 0)
    return 2;
  if (strcmp (code, "ACL_DENIED") == 0)
    return 3;
  if (strcmp (code, "INVALID_ARGS") == 0)
    return 4;

  return 5;
}

static void
update_pipeline (IsthmusDetailView *self)
{
  IsthmusExchange *exchange = self->exchange;
  const IsthmusExchangeIsolation *isolation = isthmus_exchange_get_isolation (exchange);
  IsthmusAclVerdict *acl = isthmus_exchange_get_acl_verdict (exchange);
  int refused = refused_gate_index (exchange);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pipeline_box))) != NULL)
    gtk_box_remove (self->pipeline_box, child);

  for (guint i = 0; i < G_N_ELEMENTS (gate_ids); i++)
    {
      GtkWidget *label = plain_label_new (gate_title (i));
      const char *state;

      gtk_label_set_xalign (GTK_LABEL (label), 0.5);
      gtk_widget_add_css_class (label, "gate");

      if (refused >= 0 && (int)i == refused)
        state = "gate-refused";
      else if (refused >= 0 && (int)i > refused)
        state = "gate-not-reached";
      else if ((i == 1 || i == 2) && isolation == NULL)
        state = "gate-skipped";
      else if (i == 3 && acl != NULL && !isthmus_acl_verdict_get_checked (acl))
        state = "gate-skipped";
      else if (i == 5 && isthmus_exchange_get_status (exchange) == ISTHMUS_EXCHANGE_PENDING)
        state = "gate-pending";
      else
        state = "gate-passed";

      gtk_widget_add_css_class (label, state);
      gtk_widget_set_tooltip_text (label, gate_ids[i]);
      gtk_box_append (self->pipeline_box, label);
    }

  self->refused_gate = refused >= 0 ? gate_ids[refused] : NULL;

  if (refused >= 0)
    {
      const char *reason = NULL;
      g_autofree char *safe = NULL;
      g_autofree char *text = NULL;

      if ((refused == 1 || refused == 2) && isolation != NULL && isolation->reason != NULL)
        reason = isolation->reason;
      else if (refused == 3 && acl != NULL)
        reason = isthmus_acl_verdict_get_reason (acl);
      if (reason == NULL)
        reason = isthmus_exchange_get_error_message (exchange);
      if (reason == NULL)
        reason = isthmus_exchange_get_error_code (exchange);

      safe = sanitize (reason != NULL ? reason : "");
      /* Translators: the first %s is a pipeline gate, the second why it refused. */
      text = g_strdup_printf (_("Refused at %s: %s"), gate_title (refused), safe);
      gtk_label_set_text (self->refusal_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->refusal_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->refusal_label), FALSE);
}

static void
append_step (GString    *out,
             const char *name,
             gint64      us)
{
  g_autofree char *number = NULL;

  if (us < 0)
    return;
  if (out->len > 0)
    g_string_append (out, " · ");
  number = g_strdup_printf ("%" G_GINT64_FORMAT, us);
  /* Translators: a pipeline step and its duration, "hook 12 µs". */
  g_string_append_printf (out, _("%s %s µs"), name, number);
}

static void
update_timing (IsthmusDetailView *self)
{
  const IsthmusExchangeIsolation *isolation = isthmus_exchange_get_isolation (self->exchange);
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 steps[N_STEPS] = { -1, -1, -1, -1, -1 };

  if (isolation != NULL)
    {
      steps[STEP_HOOK] = isolation->hook_us;
      steps[STEP_ENCRYPT] = isolation->encrypt_us;
      steps[STEP_TRANSPORT] = isolation->transport_us;
      steps[STEP_DECRYPT] = isolation->decrypt_us;
    }
  steps[STEP_CORE] = isthmus_exchange_get_duration_us (self->exchange);

  memcpy (self->timing_bar->steps, steps, sizeof steps);
  gtk_widget_queue_draw (GTK_WIDGET (self->timing_bar));

  append_step (text, _("hook"), steps[STEP_HOOK]);
  append_step (text, _("encrypt"), steps[STEP_ENCRYPT]);
  append_step (text, _("transport"), steps[STEP_TRANSPORT]);
  append_step (text, _("decrypt"), steps[STEP_DECRYPT]);
  append_step (text, _("core"), steps[STEP_CORE]);
  if (text->len == 0)
    g_string_append (text, _("Still running"));

  gtk_label_set_text (self->timing_label, text->str);
}

static void
update_overview (IsthmusDetailView *self)
{
  IsthmusExchange *exchange = self->exchange;
  IsthmusAclVerdict *acl = isthmus_exchange_get_acl_verdict (exchange);
  const char *note = isthmus_exchange_get_note (exchange);
  g_autofree char *id_text = NULL;
  g_autofree char *command = NULL;
  g_autofree char *title = NULL;
  g_autofree char *status = NULL;
  g_autoptr(GString) acl_text = g_string_new (NULL);

  command = sanitize (isthmus_exchange_get_command (exchange) != NULL ? isthmus_exchange_get_command (exchange) : "");
  id_text = g_strdup_printf ("%" G_GUINT64_FORMAT, isthmus_exchange_get_id (exchange));
  /* Translators: "#12 invoke greet". */
  title = g_strdup_printf (_("#%s %s %s"), id_text,
                           isthmus_exchange_get_kind_name (exchange), command);
  gtk_label_set_text (self->title_label, title);

  switch (isthmus_exchange_get_status (exchange))
    {
    case ISTHMUS_EXCHANGE_PENDING:
      status = g_strdup (_("Waiting for the reply"));
      break;

    case ISTHMUS_EXCHANGE_OK:
      status = g_strdup (_("Replied ok"));
      break;

    case ISTHMUS_EXCHANGE_ERROR:
    default:
      {
        g_autofree char *code = sanitize (isthmus_exchange_get_error_code (exchange));
        g_autofree char *message = sanitize (isthmus_exchange_get_error_message (exchange));

        /* Translators: an error code and its message. */
        status = g_strdup_printf (_("Error %s: %s"), code, message);
      }
      break;
    }
  gtk_label_set_text (self->status_label, status);

  update_pipeline (self);
  update_timing (self);

  if (isthmus_exchange_get_kind (exchange) == ISTHMUS_EXCHANGE_EMIT ||
      isthmus_exchange_get_kind (exchange) == ISTHMUS_EXCHANGE_EVENT ||
      (note != NULL && note[0] != '\0'))
    {
      g_autofree char *safe = sanitize (note != NULL && note[0] != '\0' ? note : _("no listener"));
      /* Translators: for emits, the webviews and listeners reached. */
      g_autofree char *text = g_strdup_printf (_("Targets: %s"), safe);

      gtk_label_set_text (self->note_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->note_label), FALSE);

  if (acl == NULL)
    g_string_append (acl_text, _("Not checked"));
  else
    {
      g_autofree char *reason = sanitize (isthmus_acl_verdict_get_reason (acl));

      g_string_append (acl_text, reason);
      if (isthmus_acl_verdict_get_suggestion (acl) != NULL)
        {
          g_autofree char *suggestion = sanitize (isthmus_acl_verdict_get_suggestion (acl));

          g_string_append_c (acl_text, '\n');
          /* Translators: %s is the smallest change that allows a command. */
          g_string_append_printf (acl_text, _("Suggestion: %s"), suggestion);
        }
    }
  gtk_label_set_text (self->acl_label, acl_text->str);
}

static void
update_payloads (IsthmusDetailView *self)
{
  const IsthmusExchangeIsolation *isolation = isthmus_exchange_get_isolation (self->exchange);
  GBytes *sent = isthmus_exchange_get_request (self->exchange);

  if (isolation != NULL && isolation->original != NULL)
    sent = isolation->original;

  gtk_widget_set_visible (GTK_WIDGET (gtk_stack_page_get_child (self->hooked_page)), isolation != NULL);
  gtk_widget_set_visible (GTK_WIDGET (gtk_stack_page_get_child (self->decrypted_page)), isolation != NULL);
  gtk_widget_set_visible (GTK_WIDGET (gtk_stack_page_get_child (self->diff_page)), isolation != NULL);

  json_pane_set_bytes (self->sent_pane, sent, _("Nothing was sent"));
  json_pane_set_bytes (self->hooked_pane, isolation != NULL ? isolation->hooked : NULL,
                       _("No payload after the hook"));
  json_pane_set_bytes (self->decrypted_pane, isolation != NULL ? isolation->decrypted : NULL,
                       _("Nothing was decrypted"));
  json_pane_set_bytes (self->reply_pane, isthmus_exchange_get_reply (self->exchange),
                       isthmus_exchange_get_status (self->exchange) == ISTHMUS_EXCHANGE_PENDING
                         ? _("Waiting for the reply") : _("No reply"));
  update_diff (self);
}

static void
exchange_notify_cb (IsthmusDetailView *self,
                    GParamSpec        *pspec,
                    IsthmusExchange   *exchange)
{
  /* Completion and the isolation verdict change what is shown. */
  if (g_strcmp0 (pspec->name, "status") == 0 || g_strcmp0 (pspec->name, "isolation-verdict") == 0)
    {
      update_overview (self);
      update_payloads (self);
    }
  else if (g_strcmp0 (pspec->name, "note") == 0 || g_strcmp0 (pspec->name, "acl-text") == 0)
    update_overview (self);
}

/* Copying. */

static void
append_js_string (GString    *out,
                  const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *encoded = NULL;

  json_node_set_string (node, text);
  encoded = isthmus_json_to_text (node, NULL);
  g_string_append (out, encoded);
}

char *
isthmus_detail_view_format_invoke (IsthmusExchange *exchange)
{
  const IsthmusExchangeIsolation *isolation;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GString) out = g_string_new ("await invoke(");
  g_autofree char *args = NULL;
  IsthmusJsonLimits limits = { ISTHMUS_IMPORT_MAX_LINE_BYTES, ISTHMUS_IMPORT_MAX_DEPTH };
  const char *data;
  GBytes *bytes;
  gsize length;

  g_return_val_if_fail (ISTHMUS_IS_EXCHANGE (exchange), NULL);

  isolation = isthmus_exchange_get_isolation (exchange);
  bytes = isthmus_exchange_get_request (exchange);
  if (isolation != NULL && isolation->hooked != NULL)
    bytes = isolation->hooked;
  else if (isolation != NULL && isolation->original != NULL)
    bytes = isolation->original;

  append_js_string (out, isthmus_exchange_get_command (exchange) != NULL ? isthmus_exchange_get_command (exchange) : "");

  data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;
  if (data != NULL &&
      isthmus_json_guard_check (data, length, &limits, NULL) &&
      json_parser_load_from_data (parser, data, length, NULL) &&
      json_parser_get_root (parser) != NULL &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      JsonObject *object = json_node_get_object (json_parser_get_root (parser));
      JsonNode *payload = NULL;

      if (json_object_has_member (object, "payload"))
        payload = json_object_get_member (object, "payload");
      else if (json_object_has_member (object, "args"))
        payload = json_object_get_member (object, "args");
      else if (!json_object_has_member (object, "cmd"))
        payload = json_parser_get_root (parser);

      if (payload != NULL && JSON_NODE_HOLDS_OBJECT (payload) &&
          json_object_get_size (json_node_get_object (payload)) > 0)
        args = isthmus_json_to_text (payload, NULL);
    }

  if (args != NULL)
    g_string_append_printf (out, ", %s", args);
  g_string_append (out, ")");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
copy_text (IsthmusDetailView *self,
           const char        *text)
{
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
copy_json_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  IsthmusDetailView *self = ISTHMUS_DETAIL_VIEW (widget);
  g_autofree char *line = NULL;

  if (self->exchange == NULL)
    return;

  line = isthmus_exchange_to_jsonl (self->exchange);
  copy_text (self, line);
}

static void
copy_invoke_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  IsthmusDetailView *self = ISTHMUS_DETAIL_VIEW (widget);
  g_autofree char *line = NULL;

  if (self->exchange == NULL)
    return;

  line = isthmus_detail_view_format_invoke (self->exchange);
  copy_text (self, line);
}

/* GObject. */

static void
isthmus_detail_view_dispose (GObject *object)
{
  IsthmusDetailView *self = (IsthmusDetailView *)object;

  if (self->exchange != NULL)
    g_signal_handlers_disconnect_by_data (self->exchange, self);
  g_clear_object (&self->exchange);
  g_clear_pointer (&self->diff, g_free);

  gtk_widget_dispose_template (GTK_WIDGET (self), ISTHMUS_TYPE_DETAIL_VIEW);

  G_OBJECT_CLASS (isthmus_detail_view_parent_class)->dispose (object);
}

static void
isthmus_detail_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  IsthmusDetailView *self = ISTHMUS_DETAIL_VIEW (object);

  switch (prop_id)
    {
    case PROP_EXCHANGE:
      g_value_set_object (value, self->exchange);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, isthmus_detail_view_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_detail_view_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  IsthmusDetailView *self = ISTHMUS_DETAIL_VIEW (object);

  switch (prop_id)
    {
    case PROP_EXCHANGE:
      isthmus_detail_view_set_exchange (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_detail_view_class_init (IsthmusDetailViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = isthmus_detail_view_dispose;
  object_class->get_property = isthmus_detail_view_get_property;
  object_class->set_property = isthmus_detail_view_set_property;

  properties [PROP_EXCHANGE] =
    g_param_spec_object ("exchange", NULL, NULL,
                         ISTHMUS_TYPE_EXCHANGE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "detailview");
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/isthmus-detail-view.ui");
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, acl_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, decrypted_box);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, decrypted_page);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, diff_page);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, diff_view);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, hooked_box);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, hooked_page);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, main_stack);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, note_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, pipeline_box);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, refusal_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, reply_box);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, sent_box);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, stack);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, status_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, timing_box);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, timing_label);
  gtk_widget_class_bind_template_child (widget_class, IsthmusDetailView, title_label);

  gtk_widget_class_install_action (widget_class, "detail.copy-json", NULL, copy_json_action);
  gtk_widget_class_install_action (widget_class, "detail.copy-invoke", NULL, copy_invoke_action);
}

static JsonPane *
add_pane (IsthmusDetailView *self,
          GtkBox            *box)
{
  JsonPane *pane = g_object_new (JSON_PANE_TYPE, NULL);

  gtk_box_append (box, GTK_WIDGET (pane));
  g_signal_connect_object (pane, "loaded", G_CALLBACK (pane_loaded_cb), self, G_CONNECT_SWAPPED);

  return pane;
}

static void
isthmus_detail_view_init (IsthmusDetailView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->sent_pane = add_pane (self, self->sent_box);
  self->hooked_pane = add_pane (self, self->hooked_box);
  self->decrypted_pane = add_pane (self, self->decrypted_box);
  self->reply_pane = add_pane (self, self->reply_box);

  self->timing_bar = g_object_new (TIMING_BAR_TYPE, NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (self->timing_bar), TRUE);
  gtk_box_append (self->timing_box, GTK_WIDGET (self->timing_bar));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.copy-json", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.copy-invoke", FALSE);
  gtk_stack_set_visible_child_name (self->main_stack, "empty");
}

GtkWidget *
isthmus_detail_view_new (void)
{
  return g_object_new (ISTHMUS_TYPE_DETAIL_VIEW, NULL);
}

/**
 * isthmus_detail_view_get_exchange:
 * @self: a #IsthmusDetailView
 *
 * Returns: (transfer none) (nullable): the record shown
 */
IsthmusExchange *
isthmus_detail_view_get_exchange (IsthmusDetailView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_DETAIL_VIEW (self), NULL);

  return self->exchange;
}

void
isthmus_detail_view_set_exchange (IsthmusDetailView *self,
                                  IsthmusExchange   *exchange)
{
  g_return_if_fail (ISTHMUS_IS_DETAIL_VIEW (self));
  g_return_if_fail (exchange == NULL || ISTHMUS_IS_EXCHANGE (exchange));

  if (self->exchange == exchange)
    return;

  if (self->exchange != NULL)
    g_signal_handlers_disconnect_by_data (self->exchange, self);
  g_set_object (&self->exchange, exchange);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.copy-json", exchange != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "detail.copy-invoke",
                                 exchange != NULL && isthmus_exchange_get_kind (exchange) == ISTHMUS_EXCHANGE_INVOKE);

  if (exchange == NULL)
    {
      json_pane_set_bytes (self->sent_pane, NULL, "");
      json_pane_set_bytes (self->hooked_pane, NULL, "");
      json_pane_set_bytes (self->decrypted_pane, NULL, "");
      json_pane_set_bytes (self->reply_pane, NULL, "");
      self->refused_gate = NULL;
      gtk_stack_set_visible_child_name (self->main_stack, "empty");
    }
  else
    {
      g_signal_connect_object (exchange, "notify", G_CALLBACK (exchange_notify_cb), self, G_CONNECT_SWAPPED);
      update_overview (self);
      update_payloads (self);
      gtk_stack_set_visible_child_name (self->main_stack, "details");
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_EXCHANGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
}

void
isthmus_detail_view_show_page (IsthmusDetailView *self,
                               const char        *page)
{
  g_return_if_fail (ISTHMUS_IS_DETAIL_VIEW (self));
  g_return_if_fail (page != NULL);

  gtk_stack_set_visible_child_name (self->stack, page);
}

const char *
isthmus_detail_view_get_diff (IsthmusDetailView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_DETAIL_VIEW (self), NULL);

  return self->diff != NULL ? self->diff : "";
}

gboolean
isthmus_detail_view_get_busy (IsthmusDetailView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_DETAIL_VIEW (self), FALSE);

  return self->sent_pane->busy || self->hooked_pane->busy ||
         self->decrypted_pane->busy || self->reply_pane->busy;
}

const char *
isthmus_detail_view_get_refused_gate (IsthmusDetailView *self)
{
  g_return_val_if_fail (ISTHMUS_IS_DETAIL_VIEW (self), NULL);

  return self->refused_gate;
}

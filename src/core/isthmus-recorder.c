/* isthmus-recorder.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-recorder"

#include "config.h"

#include <gio/gio.h>

#include "isthmus-record-writer.h"
#include "isthmus-recorder.h"

#define MIN_ALLOC 16
/* What the records in the ring may hold in request and reply bodies. */
#define DEFAULT_MAX_BYTES (256 * 1024 * 1024)

struct _IsthmusRecorder
{
  GObject               parent_instance;

  /* A ring of owned references: the oldest record is at @head. The array
   * grows on demand up to @capacity slots. */
  IsthmusExchange     **items;
  guint                 alloc;
  guint                 head;
  guint                 n_items;
  guint                 capacity;
  /* Request and reply bytes of the records in the ring, and the most
   * they may hold: past it, the oldest records go, as past @capacity. */
  guint64               bytes;
  guint64               max_bytes;

  guint64               dropped;
  IsthmusRecordWriter  *writer;

  /* With a batch interval, records wait here and reach the model in one
   * items-changed per interval, so that a list view never runs inside the
   * IPC path. */
  GPtrArray            *batch;
  guint                 batch_ms;
  guint                 batch_source;

  guint                 paused : 1;
};

static void list_model_iface_init (GListModelInterface *iface);
static void append_items          (IsthmusRecorder      *self,
                                   IsthmusExchange     **exchanges,
                                   guint                 n);
static gboolean batch_timeout_cb  (gpointer              user_data);
static void add_dropped           (IsthmusRecorder      *self,
                                   guint                 n);

G_DEFINE_FINAL_TYPE_WITH_CODE (IsthmusRecorder, isthmus_recorder, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static guint64
exchange_bytes (IsthmusExchange *exchange)
{
  return isthmus_exchange_get_request_size (exchange) + isthmus_exchange_get_reply_size (exchange);
}

/* Each record in the ring remembers what it was counted for
 * (_isthmus_exchange_set_ring_bytes(), plus one), so that dropping it
 * takes off exactly that. */
static void
count_item (IsthmusRecorder *self,
            IsthmusExchange *exchange)
{
  guint64 n = exchange_bytes (exchange);

  _isthmus_exchange_set_ring_bytes (exchange, n + 1);
  self->bytes += n;
}

static void
uncount_item (IsthmusRecorder *self,
              IsthmusExchange *exchange)
{
  guint64 counted = _isthmus_exchange_get_ring_bytes (exchange);

  _isthmus_exchange_set_ring_bytes (exchange, 0);
  if (counted > 0)
    self->bytes -= MIN (self->bytes, counted - 1);
}

/* Drops the oldest record, without telling the model's observers. */
static void
drop_head (IsthmusRecorder *self)
{
  uncount_item (self, self->items[self->head]);
  g_clear_object (&self->items[self->head]);
  self->head = (self->head + 1) % self->alloc;
  self->n_items--;
}

/* Drops the oldest records while the ring holds more than its bytes,
 * keeping at least the newest, and tells the observers. */
static void
drop_over_budget (IsthmusRecorder *self)
{
  guint removed = 0;

  for (; self->bytes > self->max_bytes && self->n_items > 1; removed++)
    drop_head (self);
  if (removed > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      add_dropped (self, removed);
    }
}

enum {
  PROP_0,
  PROP_CAPACITY,
  PROP_DROPPED,
  PROP_PAUSED,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static GType
isthmus_recorder_get_item_type (GListModel *model)
{
  return ISTHMUS_TYPE_EXCHANGE;
}

static guint
isthmus_recorder_get_n_items (GListModel *model)
{
  return ISTHMUS_RECORDER (model)->n_items;
}

static gpointer
isthmus_recorder_get_item (GListModel *model,
                           guint       position)
{
  IsthmusRecorder *self = ISTHMUS_RECORDER (model);

  if (position >= self->n_items)
    return NULL;

  return g_object_ref (self->items[(self->head + position) % self->alloc]);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = isthmus_recorder_get_item_type;
  iface->get_n_items = isthmus_recorder_get_n_items;
  iface->get_item = isthmus_recorder_get_item;
}

/* Moves the newest @keep records to a fresh array of @new_alloc slots,
 * dropping the older ones, and returns how many were dropped. */
static guint
relocate (IsthmusRecorder *self,
          guint            keep,
          guint            new_alloc)
{
  IsthmusExchange **items;
  guint removed;

  g_assert (keep <= self->n_items);
  g_assert (keep <= new_alloc);

  removed = self->n_items - keep;
  items = g_new0 (IsthmusExchange *, MAX (new_alloc, 1));

  for (guint i = 0; i < self->n_items; i++)
    {
      IsthmusExchange *item = self->items[(self->head + i) % self->alloc];

      if (i < removed)
        {
          uncount_item (self, item);
          g_object_unref (item);
        }
      else
        items[i - removed] = item;
    }

  g_free (self->items);
  self->items = items;
  self->alloc = MAX (new_alloc, 1);
  self->head = 0;
  self->n_items = keep;

  return removed;
}

static void
exchange_completed_cb (IsthmusExchange *exchange,
                       IsthmusRecorder *self)
{
  g_signal_handlers_disconnect_by_func (exchange, exchange_completed_cb, self);

  if (self->writer != NULL)
    isthmus_record_writer_write (self->writer, exchange);

  /* In the ring: its reply counts now. */
  if (_isthmus_exchange_get_ring_bytes (exchange) > 0)
    {
      uncount_item (self, exchange);
      count_item (self, exchange);
      drop_over_budget (self);
    }
}

static void
isthmus_recorder_dispose (GObject *object)
{
  IsthmusRecorder *self = (IsthmusRecorder *)object;

  g_clear_handle_id (&self->batch_source, g_source_remove);
  g_clear_pointer (&self->batch, g_ptr_array_unref);
  if (self->items != NULL)
    relocate (self, 0, 0);
  g_clear_object (&self->writer);

  G_OBJECT_CLASS (isthmus_recorder_parent_class)->dispose (object);
}

static void
isthmus_recorder_finalize (GObject *object)
{
  IsthmusRecorder *self = (IsthmusRecorder *)object;

  g_clear_pointer (&self->items, g_free);

  G_OBJECT_CLASS (isthmus_recorder_parent_class)->finalize (object);
}

static void
isthmus_recorder_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  IsthmusRecorder *self = ISTHMUS_RECORDER (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      g_value_set_uint (value, self->capacity);
      break;

    case PROP_DROPPED:
      g_value_set_uint64 (value, self->dropped);
      break;

    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_recorder_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  IsthmusRecorder *self = ISTHMUS_RECORDER (object);

  switch (prop_id)
    {
    case PROP_CAPACITY:
      isthmus_recorder_set_capacity (self, g_value_get_uint (value));
      break;

    case PROP_PAUSED:
      isthmus_recorder_set_paused (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
isthmus_recorder_class_init (IsthmusRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = isthmus_recorder_dispose;
  object_class->finalize = isthmus_recorder_finalize;
  object_class->get_property = isthmus_recorder_get_property;
  object_class->set_property = isthmus_recorder_set_property;

  properties [PROP_CAPACITY] =
    g_param_spec_uint ("capacity", NULL, NULL,
                       1, G_MAXUINT, 10000,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_DROPPED] =
    g_param_spec_uint64 ("dropped", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
isthmus_recorder_init (IsthmusRecorder *self)
{
  self->capacity = 10000;
  self->max_bytes = DEFAULT_MAX_BYTES;
  self->alloc = MIN_ALLOC;
  self->items = g_new0 (IsthmusExchange *, self->alloc);
}

/**
 * isthmus_recorder_new:
 * @capacity: the most records kept (at least 1)
 *
 * Returns: (transfer full): an empty recorder
 */
IsthmusRecorder *
isthmus_recorder_new (guint capacity)
{
  return g_object_new (ISTHMUS_TYPE_RECORDER,
                       "capacity", MAX (capacity, 1),
                       NULL);
}

static void
add_dropped (IsthmusRecorder *self,
             guint            n)
{
  if (n == 0)
    return;

  self->dropped += n;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DROPPED]);
}

/**
 * isthmus_recorder_add:
 * @self: an #IsthmusRecorder
 * @exchange: the record to add
 *
 * Appends @exchange (unless paused), dropping the oldest record when full,
 * and hands it to the writer once it completes.
 */
void
isthmus_recorder_add (IsthmusRecorder *self,
                      IsthmusExchange *exchange)
{
  g_return_if_fail (ISTHMUS_IS_RECORDER (self));
  g_return_if_fail (ISTHMUS_IS_EXCHANGE (exchange));

  if (isthmus_exchange_get_status (exchange) != ISTHMUS_EXCHANGE_PENDING)
    {
      if (self->writer != NULL)
        isthmus_record_writer_write (self->writer, exchange);
    }
  else
    g_signal_connect_object (exchange, "completed",
                             G_CALLBACK (exchange_completed_cb), self, 0);

  if (self->paused)
    return;

  if (self->batch_ms > 0)
    {
      if (self->batch == NULL)
        self->batch = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (self->batch, g_object_ref (exchange));
      if (self->batch_source == 0)
        self->batch_source = g_timeout_add (self->batch_ms, batch_timeout_cb, self);
      return;
    }

  append_items (self, &exchange, 1);
}

/* Appends @n records in one items-changed (plus one for what the ring
 * drops at its front). */
static void
append_items (IsthmusRecorder  *self,
              IsthmusExchange **exchanges,
              guint             n)
{
  guint removed = 0;
  guint first = 0;
  guint64 incoming = 0;

  if (n == 0)
    return;

  /* Only the newest @capacity of the batch can stay, and only as many of
   * the newest as fit the bytes (at least one). */
  if (n > self->capacity)
    first = n - self->capacity;
  for (guint i = first; i < n; i++)
    incoming += exchange_bytes (exchanges[i]);
  while (first < n - 1 && incoming > self->max_bytes)
    incoming -= exchange_bytes (exchanges[first++]);
  add_dropped (self, first);

  /* Then the oldest records make room, in number and in bytes. */
  for (; self->n_items > 0 &&
         (self->n_items + (n - first) > self->capacity || self->bytes + incoming > self->max_bytes);
       removed++)
    drop_head (self);

  if (removed > 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
      add_dropped (self, removed);
    }

  if (self->n_items + (n - first) > self->alloc)
    relocate (self, self->n_items,
              MIN (self->capacity, MAX (MAX (MIN_ALLOC, self->alloc * 2), self->n_items + (n - first))));

  for (guint i = first; i < n; i++)
    {
      self->items[(self->head + self->n_items) % self->alloc] = g_object_ref (exchanges[i]);
      count_item (self, exchanges[i]);
      self->n_items++;
    }

  g_list_model_items_changed (G_LIST_MODEL (self), self->n_items - (n - first), 0, n - first);
}

static gboolean
batch_timeout_cb (gpointer user_data)
{
  IsthmusRecorder *self = user_data;

  self->batch_source = 0;
  isthmus_recorder_flush (self);

  return G_SOURCE_REMOVE;
}

/**
 * isthmus_recorder_flush:
 * @self: an #IsthmusRecorder
 *
 * Moves the records waiting for the next batch into the model now.
 */
void
isthmus_recorder_flush (IsthmusRecorder *self)
{
  g_autoptr(GPtrArray) batch = NULL;

  g_return_if_fail (ISTHMUS_IS_RECORDER (self));

  g_clear_handle_id (&self->batch_source, g_source_remove);
  batch = g_steal_pointer (&self->batch);
  if (batch != NULL)
    append_items (self, (IsthmusExchange **)batch->pdata, batch->len);
}

/**
 * isthmus_recorder_set_batch_interval:
 * @self: an #IsthmusRecorder
 * @ms: the interval in milliseconds, or 0 to add records one by one
 *
 * With an interval, records reach the model at most once per interval, in
 * one change, so that a view of the model costs IPC nothing. The record
 * writer still gets every record as soon as it completes.
 */
void
isthmus_recorder_set_batch_interval (IsthmusRecorder *self,
                                     guint            ms)
{
  g_return_if_fail (ISTHMUS_IS_RECORDER (self));

  self->batch_ms = ms;
  if (ms == 0)
    isthmus_recorder_flush (self);
}

/**
 * isthmus_recorder_clear:
 * @self: an #IsthmusRecorder
 *
 * Removes every record and resets the dropped count.
 */
void
isthmus_recorder_clear (IsthmusRecorder *self)
{
  guint removed;

  g_return_if_fail (ISTHMUS_IS_RECORDER (self));

  g_clear_handle_id (&self->batch_source, g_source_remove);
  g_clear_pointer (&self->batch, g_ptr_array_unref);

  removed = relocate (self, 0, MIN (self->capacity, MIN_ALLOC));
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);

  if (self->dropped != 0)
    {
      self->dropped = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_DROPPED]);
    }
}

guint64
isthmus_recorder_get_max_bytes (IsthmusRecorder *self)
{
  g_return_val_if_fail (ISTHMUS_IS_RECORDER (self), 0);

  return self->max_bytes;
}

/**
 * isthmus_recorder_set_max_bytes:
 * @self: an #IsthmusRecorder
 * @max_bytes: the most request and reply bytes the records may hold
 *
 * Bounds the memory of the records as the capacity bounds their number:
 * past it, the oldest records are dropped and counted, but the newest
 * always stays. The record writer has every record already. The default
 * is 256 MiB.
 */
void
isthmus_recorder_set_max_bytes (IsthmusRecorder *self,
                                guint64          max_bytes)
{
  g_return_if_fail (ISTHMUS_IS_RECORDER (self));

  self->max_bytes = max_bytes;
  drop_over_budget (self);
}

/* The request and reply bytes the records hold now. */
guint64
isthmus_recorder_get_bytes (IsthmusRecorder *self)
{
  g_return_val_if_fail (ISTHMUS_IS_RECORDER (self), 0);

  return self->bytes;
}

guint
isthmus_recorder_get_capacity (IsthmusRecorder *self)
{
  g_return_val_if_fail (ISTHMUS_IS_RECORDER (self), 0);

  return self->capacity;
}

/**
 * isthmus_recorder_set_capacity:
 * @self: an #IsthmusRecorder
 * @capacity: the most records kept (at least 1)
 *
 * Shrinking drops the oldest records, which count as dropped.
 */
void
isthmus_recorder_set_capacity (IsthmusRecorder *self,
                               guint            capacity)
{
  guint removed = 0;

  g_return_if_fail (ISTHMUS_IS_RECORDER (self));

  capacity = MAX (capacity, 1);
  if (self->capacity == capacity)
    return;

  self->capacity = capacity;

  if (self->n_items > capacity)
    removed = relocate (self, capacity, capacity);
  else if (self->alloc > capacity)
    relocate (self, self->n_items, capacity);

  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAPACITY]);
  add_dropped (self, removed);
}

guint64
isthmus_recorder_get_dropped (IsthmusRecorder *self)
{
  g_return_val_if_fail (ISTHMUS_IS_RECORDER (self), 0);

  return self->dropped;
}

gboolean
isthmus_recorder_get_paused (IsthmusRecorder *self)
{
  g_return_val_if_fail (ISTHMUS_IS_RECORDER (self), FALSE);

  return self->paused;
}

void
isthmus_recorder_set_paused (IsthmusRecorder *self,
                             gboolean         paused)
{
  g_return_if_fail (ISTHMUS_IS_RECORDER (self));

  paused = !!paused;
  if (self->paused == paused)
    return;

  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAUSED]);
}

/**
 * isthmus_recorder_set_writer:
 * @self: an #IsthmusRecorder
 * @writer: (nullable): the sink for completed records; %NULL detaches
 *
 * Every record added from now on, and every one still pending, is handed
 * to @writer when it completes.
 */
void
isthmus_recorder_set_writer (IsthmusRecorder             *self,
                             struct _IsthmusRecordWriter *writer)
{
  g_return_if_fail (ISTHMUS_IS_RECORDER (self));
  g_return_if_fail (writer == NULL || ISTHMUS_IS_RECORD_WRITER (writer));

  g_set_object (&self->writer, writer);
}

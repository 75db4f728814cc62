/* isthmus-record-writer.c
 *
 * Copyright 2026 The Isthmus Developers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "isthmus-record-writer"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "isthmus-record-writer.h"

struct _IsthmusRecordWriter
{
  GObject      parent_instance;

  char        *path;
  int          fd;
  GThread     *thread;
  GAsyncQueue *queue;
  gboolean     closed;

  /* Shared with the thread, under @mutex. */
  GMutex       mutex;
  GError      *error;
  guint64      written;
};

G_DEFINE_FINAL_TYPE (IsthmusRecordWriter, isthmus_record_writer, G_TYPE_OBJECT)

/* What travels through the queue: a completed exchange, formatted in the
 * thread, a line formatted already, or the end marker. */
typedef struct
{
  IsthmusExchange *exchange;
  char            *line;
  gboolean         stop;
} Item;

static void
item_free (gpointer data)
{
  Item *item = data;

  g_clear_object (&item->exchange);
  g_free (item->line);
  g_free (item);
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           GError     **error)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "Could not write the record: %s", g_strerror (saved_errno));
          return FALSE;
        }

      data += n;
      length -= n;
    }

  return TRUE;
}

static void
set_thread_error (IsthmusRecordWriter *self,
                  GError              *error)
{
  g_mutex_lock (&self->mutex);
  if (self->error == NULL)
    self->error = error;
  else
    g_error_free (error);
  g_mutex_unlock (&self->mutex);
}

static gpointer
writer_thread (gpointer data)
{
  IsthmusRecordWriter *self = data;
  gboolean failed = FALSE;

  for (;;)
    {
      Item *item = g_async_queue_pop (self->queue);
      g_autofree char *line = NULL;
      GError *error = NULL;
      gsize length;

      if (item->stop)
        {
          item_free (item);
          break;
        }

      /* After an I/O error the file is in an unknown state; keep draining
       * so that close() returns, but write nothing more. */
      if (failed)
        {
          item_free (item);
          continue;
        }

      if (item->line != NULL)
        line = g_steal_pointer (&item->line);
      else
        line = isthmus_exchange_to_jsonl (item->exchange);
      item_free (item);

      length = strlen (line);
      line = g_realloc (line, length + 2);
      line[length++] = '\n';
      line[length] = '\0';

      if (!write_all (self->fd, line, length, &error))
        {
          set_thread_error (self, error);
          failed = TRUE;
          continue;
        }

      g_mutex_lock (&self->mutex);
      self->written++;
      g_mutex_unlock (&self->mutex);
    }

  if (!failed && fsync (self->fd) != 0)
    {
      int saved_errno = errno;

      /* Files on some pseudo file systems cannot be synced; that loses
       * nothing that was written. */
      if (saved_errno != EINVAL && saved_errno != EROFS)
        set_thread_error (self,
                          g_error_new (G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                       "Could not flush the record file: %s",
                                       g_strerror (saved_errno)));
    }

  return NULL;
}

static void
isthmus_record_writer_dispose (GObject *object)
{
  IsthmusRecordWriter *self = (IsthmusRecordWriter *)object;

  if (!self->closed)
    isthmus_record_writer_close (self, NULL);

  G_OBJECT_CLASS (isthmus_record_writer_parent_class)->dispose (object);
}

static void
isthmus_record_writer_finalize (GObject *object)
{
  IsthmusRecordWriter *self = (IsthmusRecordWriter *)object;

  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_error (&self->error);
  g_clear_pointer (&self->path, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (isthmus_record_writer_parent_class)->finalize (object);
}

static void
isthmus_record_writer_class_init (IsthmusRecordWriterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = isthmus_record_writer_dispose;
  object_class->finalize = isthmus_record_writer_finalize;
}

static void
isthmus_record_writer_init (IsthmusRecordWriter *self)
{
  self->fd = -1;
  g_mutex_init (&self->mutex);
  self->queue = g_async_queue_new_full (item_free);
}

/**
 * isthmus_record_writer_new:
 * @path: the JSON Lines file to append to (created 0644 if missing)
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): a writer with its thread running,
 *   or %NULL if @path cannot be opened
 */
IsthmusRecordWriter *
isthmus_record_writer_new (const char  *path,
                           GError     **error)
{
  g_autoptr(IsthmusRecordWriter) self = NULL;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  fd = g_open (path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (path);

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not open “%s” for recording: %s",
                   display, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (ISTHMUS_TYPE_RECORD_WRITER, NULL);
  self->fd = fd;
  self->path = g_strdup (path);
  self->thread = g_thread_new ("isthmus-record", writer_thread, self);

  return g_steal_pointer (&self);
}

/**
 * isthmus_record_writer_write:
 * @self: an #IsthmusRecordWriter
 * @exchange: a completed exchange
 *
 * Queues one record. A completed exchange is formatted in the writer's
 * thread; a pending one is formatted now. Ignored after close.
 */
void
isthmus_record_writer_write (IsthmusRecordWriter *self,
                             IsthmusExchange     *exchange)
{
  Item *item;

  g_return_if_fail (ISTHMUS_IS_RECORD_WRITER (self));
  g_return_if_fail (ISTHMUS_IS_EXCHANGE (exchange));

  if (self->closed)
    return;

  item = g_new0 (Item, 1);
  if (isthmus_exchange_get_status (exchange) == ISTHMUS_EXCHANGE_PENDING)
    item->line = isthmus_exchange_to_jsonl (exchange);
  else
    item->exchange = g_object_ref (exchange);

  g_async_queue_push (self->queue, item);
}

/**
 * isthmus_record_writer_close:
 * @self: an #IsthmusRecordWriter
 * @error: return location for a #GError
 *
 * Waits until every queued line is written and synced, then closes the
 * file. Later writes are ignored.
 *
 * Returns: %FALSE with @error set on an I/O error, including one that
 *   happened earlier in the thread
 */
gboolean
isthmus_record_writer_close (IsthmusRecordWriter  *self,
                             GError              **error)
{
  g_autoptr(GError) local_error = NULL;
  Item *stop;

  g_return_val_if_fail (ISTHMUS_IS_RECORD_WRITER (self), FALSE);

  if (self->closed)
    return TRUE;

  self->closed = TRUE;

  if (self->thread != NULL)
    {
      stop = g_new0 (Item, 1);
      stop->stop = TRUE;
      g_async_queue_push (self->queue, stop);
      g_thread_join (g_steal_pointer (&self->thread));
    }

  if (self->fd >= 0)
    {
      if (!g_close (self->fd, &local_error))
        {
          g_mutex_lock (&self->mutex);
          if (self->error == NULL)
            self->error = g_steal_pointer (&local_error);
          g_mutex_unlock (&self->mutex);
        }
      self->fd = -1;
    }

  g_mutex_lock (&self->mutex);
  local_error = g_steal_pointer (&self->error);
  g_mutex_unlock (&self->mutex);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  return TRUE;
}

guint64
isthmus_record_writer_get_written (IsthmusRecordWriter *self)
{
  guint64 written;

  g_return_val_if_fail (ISTHMUS_IS_RECORD_WRITER (self), 0);

  g_mutex_lock (&self->mutex);
  written = self->written;
  g_mutex_unlock (&self->mutex);

  return written;
}

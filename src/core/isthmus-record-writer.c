/* isthmus-record-writer.c: placeholder until written. */

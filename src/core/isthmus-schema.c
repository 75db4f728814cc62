/* isthmus-schema.c: placeholder until written. */

/* isthmus-core.c: placeholder until written. */

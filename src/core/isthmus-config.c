/* isthmus-config.c: placeholder until written. */

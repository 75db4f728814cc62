/* isthmus-registry.c: placeholder until written. */

/* isthmus-invocation.c: placeholder until written. */

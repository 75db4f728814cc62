/* isthmus-json-guard.c: placeholder until written. */

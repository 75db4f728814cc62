/* isthmus-assets.c: placeholder until written. */

/* isthmus-exchange.c: placeholder until written. */

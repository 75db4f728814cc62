/* isthmus-demo-commands.c: placeholder until written. */

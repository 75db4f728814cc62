/* isthmus-recorder.c: placeholder until written. */

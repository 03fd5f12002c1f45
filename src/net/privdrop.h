/* Give up every privilege once the sockets are open. */
#ifndef HS_NET_PRIVDROP_H
#define HS_NET_PRIVDROP_H

#include <stddef.h>

/*
 * Return to the real user id (set-uid installs), empty every capability
 * set (effective, permitted, inheritable, ambient, bounding where
 * allowed) and set no_new_privs.  0, or a negative errno with a message.
 */
int hs_drop_privileges(char *err, size_t errlen);

#endif

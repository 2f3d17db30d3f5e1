/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_PATH_H
#define IOR_PATH_H

#include <stddef.h>

/*
 * Normalize an absolute path in place, lexically, as `realpath -s` does:
 * empty and "." components go, ".." takes the component before it away
 * (never above "/"), no slash at the end. Returns the new length. Symlinks
 * are not looked at: after a symlinked directory, ".." names the link's
 * parent, not its target's.
 */
size_t ior_path_normalize(char *path);

#endif

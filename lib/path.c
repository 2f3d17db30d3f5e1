// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "path.h"

size_t ior_path_normalize(char *path)
{
	const char *in = path;
	size_t o = 0; /* path[0, o) is the result so far, without a slash at the end */

	while (*in) {
		const char *comp;
		size_t len;

		while (*in == '/')
			in++;
		comp = in;
		while (*in && *in != '/')
			in++;
		len = in - comp;
		if (!len || (len == 1 && comp[0] == '.'))
			continue;
		if (len == 2 && comp[0] == '.' && comp[1] == '.') {
			while (o > 0 && path[o - 1] != '/')
				o--;
			if (o > 0)
				o--; /* the slash before it */
			continue;
		}
		path[o++] = '/';
		memmove(path + o, comp, len); /* o <= comp - path: never ahead of the input */
		o += len;
	}
	if (!o)
		path[o++] = '/';
	path[o] = '\0';
	return o;
}

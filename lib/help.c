// SPDX-License-Identifier: GPL-2.0
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "help.h"
#include "usage.h"

const struct ior_doc *ior_doc_find(const char *name)
{
	char buf[128];
	size_t i;

	snprintf(buf, sizeof(buf), "ior-%s", name);
	for (i = 0; i < ior_docs_nr; i++)
		if (!strcmp(ior_docs[i].name, name) || !strcmp(ior_docs[i].name, buf))
			return &ior_docs[i];
	return NULL;
}

int levenshtein(const char *a, const char *b, int w, int s, int add, int del)
{
	int la = strlen(a), lb = strlen(b), i, j, ret;
	int *row0 = calloc(lb + 1, sizeof(int));
	int *row1 = calloc(lb + 1, sizeof(int));
	int *row2 = calloc(lb + 1, sizeof(int));

	if (!row0 || !row1 || !row2) {
		ret = la + lb;
		goto out;
	}
	for (j = 0; j <= lb; j++)
		row1[j] = j * add;
	for (i = 0; i < la; i++) {
		int *dummy;

		row2[0] = (i + 1) * del;
		for (j = 0; j < lb; j++) {
			row2[j + 1] = row1[j] + s * (a[i] != b[j]);
			if (i > 0 && j > 0 && a[i - 1] == b[j] && a[i] == b[j - 1] &&
			    row2[j + 1] > row0[j - 1] + w)
				row2[j + 1] = row0[j - 1] + w;
			if (row2[j + 1] > row1[j + 1] + del)
				row2[j + 1] = row1[j + 1] + del;
			if (row2[j + 1] > row2[j] + add)
				row2[j + 1] = row2[j] + add;
		}
		dummy = row0;
		row0 = row1;
		row1 = row2;
		row2 = dummy;
	}
	ret = row1[lb];
out:
	free(row0);
	free(row1);
	free(row2);
	return ret;
}

static pid_t pager_pid;

static void wait_for_pager(void)
{
	fflush(stdout);
	fclose(stdout);
	if (pager_pid > 0)
		waitpid(pager_pid, NULL, 0);
}

/*
 * Whether the program a pager command line starts (its first word) can be
 * run: a pager that is not there would take the text and show nothing.
 */
static int pager_runs(const char *pager)
{
	char name[256], *file;
	size_t len = strcspn(pager, " \t");
	int runs;

	if (len >= sizeof(name))
		return 1; /* not a plain name: leave it to the shell */
	memcpy(name, pager, len);
	name[len] = '\0';
	file = ior_find_command(name); /* a name with a / is given back as it is */
	runs = file && !access(file, X_OK);
	free(file);
	return runs;
}

void setup_pager(void)
{
	const char *pager = getenv("IOR_PAGER");
	int fds[2];

	if (!isatty(STDOUT_FILENO))
		return;
	if (!pager)
		pager = getenv("PAGER");
	if (!pager)
		pager = "less";
	if (!*pager || !strcmp(pager, "cat") || !pager_runs(pager) || pipe(fds))
		return;
	pager_pid = fork();
	if (pager_pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (!pager_pid) {
		signal(SIGPIPE, SIG_DFL); /* ior ignores it; the pager's own pipes want it back */
		dup2(fds[0], STDIN_FILENO);
		close(fds[0]);
		close(fds[1]);
		setenv("LESS", "FRX", 0);
		execlp("sh", "sh", "-c", pager, (char *)NULL);
		_exit(127);
	}
	dup2(fds[1], STDOUT_FILENO);
	close(fds[0]);
	close(fds[1]);
	signal(SIGPIPE, SIG_IGN);
	atexit(wait_for_pager);
}

// SPDX-License-Identifier: MIT
/* Progress on a terminal: once an operation has run for a second, one
 * self-overwriting stderr line says how many set elements went out or
 * came in.  Nothing is shown when stderr is not a terminal, so scripts,
 * pipes and tests see exactly nft's output. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "api.h"

#define SHOW_AFTER_MS 1000
#define REFRESH_MS 100
/* A commit of this many elements takes the kernel about a second: say so
 * before the (single, blocking) send rather than after. */
#define BIG_BATCH 100000

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const char *const verbs[] = {
	[NFK_PROGRESS_SENDING] = "sending",
	[NFK_PROGRESS_SENT] = "committed",
	[NFK_PROGRESS_RECEIVED] = "received",
};

static void progress_cb(void *arg, enum nfk_progress_what what, uint64_t elements)
{
	struct nfk_progress *p = arg;
	uint64_t t = now_ms();

	if (!elements)
		return;
	if (what == NFK_PROGRESS_RECEIVED && (t - p->start < SHOW_AFTER_MS || t - p->last < REFRESH_MS))
		return;
	if (what != NFK_PROGRESS_RECEIVED && !p->shown && t - p->start < SHOW_AFTER_MS &&
	    elements < BIG_BATCH)
		return;
	p->last = t;
	p->shown = true;
	if (what == NFK_PROGRESS_SENDING)
		fprintf(stderr, "\r\033[Knfkit: %s %llu elements...", verbs[what],
			(unsigned long long)elements);
	else
		fprintf(stderr, "\r\033[Knfkit: %llu elements %s", (unsigned long long)elements,
			verbs[what]);
	fflush(stderr);
}

void nfk_progress_start(struct nfk_progress *p)
{
	p->start = now_ms();
	p->last = 0;
	p->shown = false;
}

void nfk_progress_attach(struct nfk_progress *p, struct nfk_sock *s)
{
	if (s && isatty(STDERR_FILENO))
		nfk_sock_set_progress(s, progress_cb, p);
}

void nfk_progress_end(struct nfk_progress *p)
{
	/* leave the line clean for whatever prints next */
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}

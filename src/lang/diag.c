// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <string.h>

#include "lang.h"

void nfk_diag_add(struct nfk_diags *ds, const struct nfk_loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (!ds)
		return;
	if (ds->n < NFK_DIAG_MAX) {
		struct nfk_diag *d = &ds->d[ds->n];
		memset(d, 0, sizeof(*d));
		if (loc)
			d->loc = *loc;
		va_start(ap, fmt);
		vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
		va_end(ap);
	}
	ds->n++;
}

void nfk_diag_print(FILE *f, const struct nfk_diag *d)
{
	const struct nfk_loc *l = &d->loc;
	const struct nfk_src *src = l->src;

	if (!src || !l->line) {
		fprintf(f, "Error: %s\n", d->msg);
		return;
	}
	if (src->name)
		fprintf(f, "%s:%u:%u-%u: ", src->name, l->line, l->col, l->col_end);
	fprintf(f, "Error: %s\n", d->msg);
	/* the line holding offset; at the very end of the text nft shows the
	 * last line */
	size_t off = l->offset <= src->len ? l->offset : src->len;
	size_t start = off - (l->col > 0 ? l->col - 1 : 0);
	if (start > off)
		start = 0;
	if (off == src->len && start == off && start > 0) {
		size_t e = start - 1;
		start = e;
		while (start > 0 && src->text[start - 1] != '\n')
			start--;
	}
	size_t end = start;
	while (end < src->len && src->text[end] != '\n')
		end++;
	fprintf(f, "%.*s\n", (int)(end - start), src->text + start);
	for (uint32_t c = 1; c < l->col; c++)
		fputc(start + c - 1 < end && src->text[start + c - 1] == '\t' ? '\t' : ' ', f);
	for (uint32_t c = l->col; c <= l->col_end; c++)
		fputc('^', f);
	fputc('\n', f);
}

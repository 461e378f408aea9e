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

/* A line nft prints as it is (its netlink layer's complaints). */
void nfk_diag_note(struct nfk_diags *ds, const char *fmt, ...)
{
	va_list ap;

	if (!ds)
		return;
	if (ds->n < NFK_DIAG_MAX) {
		struct nfk_diag *d = &ds->d[ds->n];
		memset(d, 0, sizeof(*d));
		d->plain = true;
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

	if (d->plain) {
		fprintf(f, "%s\n", d->msg);
		return;
	}
	if (!src || !l->line) {
		fprintf(f, "Error: %s\n", d->msg);
		return;
	}
	const char *lead = "In file included from";
	for (const struct nfk_loc *in = src->included_from; in && in->src; in = in->src->included_from) {
		fprintf(f, "%s %s:%u:%u-%u:\n", lead, in->src->name ? in->src->name : "",
			in->line, in->col, in->col_end);
		lead = "                 from";
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
	/* nft reads a file's line into a buffer of 1024: longer lines are
	 * cut (command-line text is printed whole) */
	size_t shown = src->name && end - start > 1023 ? 1023 : end - start;
	fprintf(f, "%.*s\n", (int)shown, src->text + start);
	/* nft underlines the context columns even when they are on another line */
	const struct nfk_loc *x = &d->ctx;
	bool ctx = x->line && x->src == src && x->col;
	uint32_t last = l->col_end;
	if (ctx && x->col_end > last)
		last = x->col_end;
	for (uint32_t c = 1; c <= last; c++) {
		char ch = start + c - 1 < end && src->text[start + c - 1] == '\t' ? '\t' : ' ';
		if (c >= l->col && c <= l->col_end)
			ch = '^';
		else if (ctx && c >= x->col && c <= x->col_end)
			ch = '~';
		fputc(ch, f);
	}
	fputc('\n', f);
}

void nfk_diag_tag_eval(struct nfk_diags *ds, unsigned cmd)
{
	if (ds && ds->n && ds->n <= NFK_DIAG_MAX) {
		ds->d[ds->n - 1].eval = true;
		ds->d[ds->n - 1].cmd = cmd;
	}
}

/* Does a come after b?  Syntax errors in the order found, then evaluation
 * errors by command, then by position in it (the rules of a table block). */
static bool diag_after(const struct nfk_diag *a, const struct nfk_diag *b)
{
	if (a->eval != b->eval)
		return a->eval;
	if (!a->eval || a->cmd != b->cmd)
		return a->eval && a->cmd > b->cmd;
	if (a->loc.src != b->loc.src)
		return false;
	return a->loc.line > b->loc.line || (a->loc.line == b->loc.line && a->loc.col > b->loc.col);
}

void nfk_diags_settle(struct nfk_diags *ds)
{
	unsigned n = ds->n < NFK_DIAG_MAX ? ds->n : NFK_DIAG_MAX;

	/* insertion sort: stable, and there are a few dozen at most */
	for (unsigned i = 1; i < n; i++) {
		struct nfk_diag d = ds->d[i];
		unsigned j = i;

		for (; j > 0 && diag_after(&ds->d[j - 1], &d); j--)
			ds->d[j] = ds->d[j - 1];
		ds->d[j] = d;
	}
	ds->n = n < NFK_DIAG_ERRORS ? n : NFK_DIAG_ERRORS;
}

void nfk_diag_set_ctx(struct nfk_diags *ds, const struct nfk_loc *ctx)
{
	if (ds && ds->n && ds->n <= NFK_DIAG_MAX && ctx)
		ds->d[ds->n - 1].ctx = *ctx;
}

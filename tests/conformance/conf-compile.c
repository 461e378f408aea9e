// SPDX-License-Identifier: MIT
/*
 * Compiler conformance: for each corpus record, compile its setup and its
 * rule offline and compare the `--debug=netlink` print of the rule's
 * messages with the record's payload (README "Recommended comparison").
 *
 *   conf-compile CORPUS.jsonl [-v] [-n N] [--min-pass PCT] [--only SUBSTR]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "lang/lang.h"

static const char *const families[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };
#define NFAM (sizeof(families) / sizeof(families[0]))

struct lines {
	char **v;
	size_t n, cap;
};

static void lines_push(struct lines *l, const char *s, size_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
	}
	l->v[l->n++] = strndup(s, n);
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* __set123 -> __set%d, __map7 -> __map%d */
static void norm_names(char *s)
{
	static const char *const pfx[] = { "__set", "__map" };
	for (size_t k = 0; k < 2; k++) {
		char *p = s;
		while ((p = strstr(p, pfx[k]))) {
			p += 5;
			char *q = p;
			while (*q >= '0' && *q <= '9')
				q++;
			if (q > p) {
				memmove(p + 2, q, strlen(q) + 1);
				p[0] = '%';
				p[1] = 'd';
			}
		}
	}
}

static char *strip(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		s[--n] = 0;
	return s;
}

/* Collapses whitespace. */
static void collapse(char *s)
{
	char *o = s;
	bool sp = false;
	for (char *p = s; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			sp = true;
			continue;
		}
		if (sp && o != s)
			*o++ = ' ';
		sp = false;
		*o++ = *p;
	}
	*o = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The comparable items of a payload: expression lines "[ ... ]" and
 * element lines, each element line as its sorted "... [end]" items. */
static void canon(struct lines *in, struct lines *out)
{
	for (size_t i = 0; i < in->n; i++) {
		char *buf = strdup(in->v[i]);
		norm_names(buf);
		char *s = strip(buf);
		if (!strncmp(s, "element ", 8) || strstr(in->v[i], "\telement ")) {
			struct lines items = { 0 };
			char *p = s;
			char *e;
			while ((e = strstr(p, "[end]"))) {
				e += 5;
				char *it = strndup(p, e - p);
				collapse(it);
				char *t = strip(it);
				lines_push(&items, t, strlen(t));
				free(it);
				p = e;
			}
			qsort(items.v, items.n, sizeof(char *), cmp_str);
			size_t tot = 16;
			for (size_t j = 0; j < items.n; j++)
				tot += strlen(items.v[j]) + 2;
			char *joined = calloc(1, tot);
			strcpy(joined, "E:");
			for (size_t j = 0; j < items.n; j++) {
				strcat(joined, items.v[j]);
				strcat(joined, "|");
			}
			lines_push(out, joined, strlen(joined));
			free(joined);
			lines_free(&items);
		} else if (s[0] == '[') {
			lines_push(out, s, strlen(s));
		}
		free(buf);
	}
}

struct copy_arg {
	struct nfk_batch *dst;
	size_t from;
};

static int copy_msg(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct copy_arg *ca = arg;
	struct nfk_buf *b;
	const struct nfgenmsg *g = nfk_msg_payload(nlh);

	if (index < ca->from)
		return 0;
	struct nlmsghdr *n = nfk_batch_msg(ca->dst, &b, nlh->nlmsg_type & 0xff, nlh->nlmsg_flags &
					   ~(NLM_F_REQUEST | NLM_F_ACK), g->nfgen_family, cookie);
	if (!n)
		return -1;
	size_t len;
	const void *attrs = nfk_msg_attrs(nlh, &len);
	if (attrs && len) {
		memcpy(b->data + b->len, attrs, len);
		b->len += len;
	}
	nfk_batch_end_msg(ca->dst, n);
	return 0;
}

/* Compiles text; returns the number of messages, or -1 with diags. */
static long compile_text(const char *text, struct nfk_batch *b, struct nfk_diags *ds)
{
	struct nfk_script *sc = NULL;
	struct nfk_compile_opts o = { 0 };
	long ret = -1;

	if (nfk_script_parse(&sc, NULL, text, ds) == 0 && nfk_script_compile(sc, &o, b, ds) == 0)
		ret = (long)nfk_batch_count(b);
	nfk_script_free(sc);
	return ret;
}

static char *memprint(struct nfk_batch *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	nfk_batch_print_debug(f, b);
	fclose(f);
	return buf;
}

static void split_lines(const char *s, struct lines *out)
{
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		lines_push(out, s, n);
		s += n + (e ? 1 : 0);
	}
}

int main(int argc, char **argv)
{
	/* the corpus was made with TZ=UTC-2 (meta hour, meta time) */
	setenv("TZ", "UTC-2", 1);
	const char *path = NULL, *only = NULL;
	int verbose = 0;
	long show = 20;
	double min_pass = -1;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			show = atol(argv[++i]);
		else if (!strcmp(argv[i], "--min-pass") && i + 1 < argc)
			min_pass = atof(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else
			path = argv[i];
	}
	if (!path) {
		fprintf(stderr, "usage: %s CORPUS.jsonl [-v] [-n N] [--min-pass PCT] [--only SUBSTR]\n",
			argv[0]);
		return 2;
	}
	struct corpus *c = corpus_open(path);
	if (!c) {
		perror(path);
		return 2;
	}
	size_t pass[NFAM] = { 0 }, total[NFAM] = { 0 }, npass = 0, nfail = 0, shown = 0;
	const struct corpus_val *r;
	while ((r = corpus_next(c))) {
		const char *id = corpus_str(r, "id"), *fam = corpus_str(r, "family");
		const char *expect = corpus_str(r, "expect"), *rule = corpus_str(r, "rule");
		const char *rej = corpus_str(r, "nft106_rejected_by");
		if (!id || !fam || !expect || !rule)
			continue;
		if (only && !strstr(id, only))
			continue;
		bool is_fail = !strcmp(expect, "fail");
		if (is_fail && (!rej || strcmp(rej, "nft")))
			continue;   /* only the kernel rejects it: not a compiler test */
		size_t fi = 0;
		while (fi < NFAM && strcmp(families[fi], fam))
			fi++;
		if (fi == NFAM)
			continue;
		total[fi]++;

		/* setup, then setup + rule: the rule's messages are the tail */
		const struct corpus_val *setup;
		size_t nsetup = corpus_arr(r, "setup", &setup);
		size_t tl = strlen(rule) + 256;
		for (size_t i = 0; i < nsetup; i++)
			tl += setup[i].kind == CJ_STR ? strlen(setup[i].str) + 1 : 0;
		char *text = malloc(tl);
		size_t off = 0;
		text[0] = 0;
		for (size_t i = 0; i < nsetup; i++)
			if (setup[i].kind == CJ_STR)
				off += sprintf(text + off, "%s\n", setup[i].str);
		struct nfk_diags ds = { 0 };
		struct nfk_batch *b1 = NULL, *b2 = NULL, *b3 = NULL;
		nfk_batch_new(&b1);
		nfk_batch_new(&b2);
		nfk_batch_new(&b3);
		long nset = compile_text(text, b1, &ds);
		const char *why = NULL;
		char *got = NULL;
		struct lines want = { 0 }, gotl = { 0 }, wc = { 0 }, gc = { 0 };
		bool ok = false;
		if (nset < 0) {
			why = "setup failed";
		} else {
			const char *table = corpus_str(r, "table"), *chain = corpus_str(r, "chain");
			off += sprintf(text + off, "add rule %s %s %s ", fam, table, chain);
			strcpy(text + off, rule);
			memset(&ds, 0, sizeof(ds));
			long n = compile_text(text, b2, &ds);
			if (is_fail) {
				ok = n < 0;
				why = ok ? NULL : "compiled, nft rejects it";
			} else if (n < 0) {
				why = "compile error";
			} else {
				struct copy_arg ca = { b3, (size_t)nset };
				nfk_batch_for_each(b2, copy_msg, &ca);
				got = memprint(b3);
				split_lines(got, &gotl);
				const struct corpus_val *pl;
				size_t np = corpus_arr(r, "payload", &pl);
				for (size_t i = 0; i < np; i++)
					if (pl[i].kind == CJ_STR)
						lines_push(&want, pl[i].str, strlen(pl[i].str));
				canon(&want, &wc);
				canon(&gotl, &gc);
				ok = wc.n == gc.n;
				for (size_t i = 0; ok && i < wc.n; i++)
					ok = !strcmp(wc.v[i], gc.v[i]);
				why = ok ? NULL : "payload differs";
			}
		}
		if (ok) {
			pass[fi]++;
			npass++;
		} else {
			nfail++;
			if (verbose && (long)shown < show) {
				shown++;
				printf("FAIL %s: %s: %s\n", id, why, rule);
				if (ds.n)
					printf("  error: %s\n", ds.d[0].msg);
				for (size_t i = 0; i < wc.n || i < gc.n; i++) {
					const char *w = i < wc.n ? wc.v[i] : "";
					const char *g = i < gc.n ? gc.v[i] : "";
					printf("  %s %-60s | %s\n", strcmp(w, g) ? "!" : " ", w, g);
				}
			}
		}
		free(got);
		lines_free(&want);
		lines_free(&gotl);
		lines_free(&wc);
		lines_free(&gc);
		nfk_batch_free(b1);
		nfk_batch_free(b2);
		nfk_batch_free(b3);
		free(text);
	}
	corpus_close(c);
	for (size_t i = 0; i < NFAM; i++)
		printf("%-7s %zu/%zu\n", families[i], pass[i], total[i]);
	double pct = npass + nfail ? 100.0 * npass / (npass + nfail) : 0;
	printf("conf-compile: %.1f%%\n", pct);
	printf("%zu passed, %zu failed\n", npass, nfail);
	if (min_pass >= 0 && pct < min_pass)
		return 1;
	return 0;
}

// SPDX-License-Identifier: MIT
/*
 * Compiler conformance, offline: for each corpus record, compile its setup,
 * then its setup and its rule, and
 *   - `ok` records: compare the `--debug=netlink` print of the rule's
 *     messages with the record's payload (README "Recommended comparison");
 *   - `fail` records nft rejects (nft106_rejected_by "nft"): the rule must
 *     not compile, and the first line of nfkit's diagnostic must be nft's
 *     (nft106_error);
 *   - every message of every batch compiled (setup and rule) must pass
 *     its schema (nfk_msg_validate).
 * `fail` records only the kernel rejects are left to conf-list, which loads
 * rules into a kernel.
 *
 * The run is exact against a list of known failures (--known FILE; format
 * in corpus.h): a failure not listed, or a listed record that passes,
 * fails the run; so does a record that cannot be read and a run that
 * compares nothing.  Exit 0 when all is as expected, 1 otherwise, 2 on a
 * usage or input error.
 *
 *   conf-compile CORPUS.jsonl [--known FILE] [-v] [-n N] [--only SUBSTR]
 *   -v: show the payload comparison of the first N (20) unexpected failures
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "lang/lang.h"
#include "obj/objects.h"

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

struct validate_arg {
	const char *what;
	char *why;
	size_t whylen;
	bool bad;
};

static int validate_msg(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct validate_arg *va = arg;
	struct nfk_verr err = { .msg = "" };
	int ret = nfk_msg_validate(nlh, &err);

	(void)cookie;
	if (ret == 0)
		return 0;
	va->bad = true;
	snprintf(va->why, va->whylen, "invalid message: %s message %zu (type 0x%x): %s (%s)",
		 va->what, index, nlh->nlmsg_type, err.msg[0] ? err.msg : "no detail",
		 strerror(-ret));
	return 1;
}

/* Every message of a compiled batch against its schema; false (why
 * filled) at the first invalid one. */
static bool validate_batch(const struct nfk_batch *b, const char *what, char *why, size_t whylen)
{
	struct validate_arg va = { what, why, whylen, false };

	nfk_batch_for_each(b, validate_msg, &va);
	return !va.bad;
}

/* The first line nfkit prints for its first diagnostic, as the nfkit
 * command prints it for a command given as words (no file name). */
static char *first_diag_line(const struct nfk_diags *ds)
{
	char *buf = NULL, *nl;
	size_t len = 0;
	FILE *f;

	if (!ds->n)
		return strdup("(no diagnostic)");
	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	nfk_diag_print(f, &ds->d[0]);
	fclose(f);
	if (buf && (nl = strchr(buf, '\n')))
		*nl = 0;
	return buf;
}

/* Compiles text; returns the number of messages, or -1 with *err the first
 * line of the first diagnostic (printed while the script, which the
 * diagnostic points into, is still alive). */
static long compile_text(const char *text, struct nfk_batch *b, char **err)
{
	struct nfk_script *sc = NULL;
	struct nfk_compile_opts o = { 0 };
	struct nfk_diags ds = { .n = 0 };
	long ret = -1;

	*err = NULL;
	if (nfk_script_parse(&sc, NULL, text, &ds) == 0 && nfk_script_compile(sc, &o, b, &ds) == 0)
		ret = (long)nfk_batch_count(b);
	if (ret < 0 && !(*err = first_diag_line(&ds))) {
		perror("first_diag_line");
		exit(2);
	}
	nfk_script_free(sc);
	return ret;
}

static char *join_setup(const struct corpus_val *r, size_t extra, size_t *off)
{
	const struct corpus_val *setup;
	size_t nsetup = corpus_arr(r, "setup", &setup);
	size_t tl = extra + 1;
	char *text;

	for (size_t i = 0; i < nsetup; i++)
		tl += setup[i].kind == CJ_STR ? strlen(setup[i].str) + 1 : 0;
	text = malloc(tl);
	if (!text) {
		perror("malloc");
		exit(2);
	}
	*off = 0;
	text[0] = 0;
	for (size_t i = 0; i < nsetup; i++)
		if (setup[i].kind == CJ_STR)
			*off += sprintf(text + *off, "%s\n", setup[i].str);
	return text;
}

struct record_result {
	bool ok;
	char why[768];
	struct lines wc, gc;       /* canonical payload: expected, got */
};

/* Runs one record.  Returns false when the record is not for this runner
 * (a fail record only the kernel rejects). */
static bool run_record(const struct corpus_val *r, struct record_result *res)
{
	const char *fam = corpus_str(r, "family"), *expect = corpus_str(r, "expect");
	const char *rule = corpus_str(r, "rule"), *rej = corpus_str(r, "nft106_rejected_by");
	const char *table = corpus_str(r, "table"), *chain = corpus_str(r, "chain");
	const char *nft_err = corpus_str(r, "nft106_error");
	bool is_fail = !strcmp(expect, "fail");
	struct nfk_batch *b1 = NULL, *b2 = NULL, *b3 = NULL;
	struct lines want = { 0 }, gotl = { 0 };
	char *text, *got = NULL, *e = NULL;
	size_t off;
	long nset, n;

	if (is_fail && rej && !strcmp(rej, "kernel"))
		return false;
	res->ok = false;
	res->why[0] = 0;
	if (!table || !chain) {
		snprintf(res->why, sizeof(res->why), "malformed record: no table or chain");
		return true;
	}
	text = join_setup(r, strlen(rule) + strlen(fam) + strlen(table) + strlen(chain) + 32, &off);
	if (nfk_batch_new(&b1) || nfk_batch_new(&b2) || nfk_batch_new(&b3)) {
		perror("nfk_batch_new");
		exit(2);
	}
	/* setup, then setup + rule: the rule's messages are the tail */
	nset = compile_text(text, b1, &e);
	if (nset < 0) {
		snprintf(res->why, sizeof(res->why), "setup failed: %s", e);
		goto out;
	}
	if (!validate_batch(b1, "setup", res->why, sizeof(res->why)))
		goto out;
	sprintf(text + off, "add rule %s %s %s %s", fam, table, chain, rule);
	n = compile_text(text, b2, &e);
	if (n >= 0 && !validate_batch(b2, "rule", res->why, sizeof(res->why)))
		goto out;
	if (is_fail) {
		if (n >= 0)
			snprintf(res->why, sizeof(res->why), "compiled, nft rejects it");
		else if (!nft_err || !strcmp(e, nft_err))
			res->ok = true;
		else
			snprintf(res->why, sizeof(res->why), "error text differs: nfkit says \"%s\"", e);
		goto out;
	}
	if (n < 0) {
		snprintf(res->why, sizeof(res->why), "compile error: %s", e);
		goto out;
	}
	struct copy_arg ca = { b3, (size_t)nset };
	nfk_batch_for_each(b2, copy_msg, &ca);
	got = memprint(b3);
	split_lines(got ? got : "", &gotl);
	const struct corpus_val *pl;
	size_t np = corpus_arr(r, "payload", &pl);
	for (size_t i = 0; i < np; i++)
		if (pl[i].kind == CJ_STR)
			lines_push(&want, pl[i].str, strlen(pl[i].str));
	canon(&want, &res->wc);
	canon(&gotl, &res->gc);
	if (!res->wc.n) {
		snprintf(res->why, sizeof(res->why), "malformed record: ok without payload");
		goto out;
	}
	res->ok = res->wc.n == res->gc.n;
	for (size_t i = 0; res->ok && i < res->wc.n; i++)
		res->ok = !strcmp(res->wc.v[i], res->gc.v[i]);
	if (!res->ok)
		snprintf(res->why, sizeof(res->why), "payload differs");
out:
	free(e);
	free(got);
	lines_free(&want);
	lines_free(&gotl);
	nfk_batch_free(b1);
	nfk_batch_free(b2);
	nfk_batch_free(b3);
	free(text);
	return true;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s CORPUS.jsonl [--known FILE] [-v] [-n N] [--only SUBSTR]\n", argv0);
}

int main(int argc, char **argv)
{
	/* the corpus was made with TZ=UTC-2 (meta hour, meta time) */
	setenv("TZ", "UTC-2", 1);
	const char *path = NULL, *only = NULL, *known_file = NULL;
	int verbose = 0;
	long show = 20;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "-n") && i + 1 < argc)
			show = atol(argv[++i]);
		else if (!strcmp(argv[i], "--known") && i + 1 < argc)
			known_file = argv[++i];
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = argv[++i];
		else if (argv[i][0] == '-' || path) {
			usage(argv[0]);
			return 2;
		} else
			path = argv[i];
	}
	if (!path) {
		usage(argv[0]);
		return 2;
	}
	struct known_list *known = known_load(known_file);
	if (!known)
		return 2;
	struct corpus *c = corpus_open(path);
	if (!c) {
		perror(path);
		return 2;
	}
	size_t pass[NFAM] = { 0 }, total[NFAM] = { 0 };
	size_t npass = 0, nfail = 0, nknown = 0, nfixed = 0, nkernel = 0, shown = 0;
	size_t err_total = 0, err_match = 0;
	const struct corpus_val *r;
	while ((r = corpus_next(c))) {
		const char *id = corpus_str(r, "id"), *fam = corpus_str(r, "family");
		const char *expect = corpus_str(r, "expect"), *rule = corpus_str(r, "rule");
		struct record_result res = { .ok = false };
		char where[64];

		if (only && (!id || !strstr(id, only)))
			continue;
		if (!id) {
			snprintf(where, sizeof(where), "line %zu", corpus_lineno(c));
			id = where;
		}
		size_t fi = 0;
		while (fam && fi < NFAM && strcmp(families[fi], fam))
			fi++;
		if (!fam || fi == NFAM || !expect || !rule ||
		    (strcmp(expect, "ok") && strcmp(expect, "fail"))) {
			/* a record this runner cannot read is a failure, never a skip */
			nfail++;
			known_report(known, KV_FAIL, id,
				     "malformed record: family, expect or rule missing or unknown");
			continue;
		}
		if (!run_record(r, &res)) {
			nkernel++;
			continue;
		}
		total[fi]++;
		bool is_fail = !strcmp(expect, "fail");
		if (is_fail) {
			err_total++;
			err_match += res.ok;
		}
		enum known_verdict v = known_judge(known, id, res.ok, res.why);
		known_report(known, v, id, res.why);
		switch (v) {
		case KV_PASS:
			pass[fi]++;
			npass++;
			break;
		case KV_KNOWN:
			nknown++;
			break;
		case KV_FIXED:
			pass[fi]++;
			nfixed++;
			break;
		case KV_FAIL:
			nfail++;
			if (verbose && (long)shown < show) {
				shown++;
				printf("  rule: %s\n", rule);
				for (size_t i = 0; i < res.wc.n || i < res.gc.n; i++) {
					const char *w = i < res.wc.n ? res.wc.v[i] : "";
					const char *g = i < res.gc.n ? res.gc.v[i] : "";
					printf("  %s %-60s | %s\n", strcmp(w, g) ? "!" : " ", w, g);
				}
			}
			break;
		}
		lines_free(&res.wc);
		lines_free(&res.gc);
	}
	size_t bad = corpus_bad_lines(c);
	corpus_close(c);
	for (size_t i = 0; i < NFAM; i++)
		printf("%-7s %zu/%zu\n", families[i], pass[i], total[i]);
	printf("fail records rejected by nft: %zu, with nft's error text: %zu\n", err_total,
	       err_match);
	if (nkernel)
		printf("not compared here: %zu fail records only the kernel rejects (conf-list)\n",
		       nkernel);
	known_report_unseen(known);
	if (bad)
		printf("FAIL %zu corpus lines are not JSON objects\n", bad);
	if (nknown)
		printf("%zu known failures (listed in %s), counted as skipped\n", nknown,
		       known_path(known));
	if (nfixed)
		printf("%zu listed records pass now: remove them from %s\n", nfixed, known_path(known));
	nfail += bad + nfixed;
	known_free(known);
	if (npass + nfail + nknown == 0) {
		printf("conf-compile: no record compared\n");
		printf("0 passed, 0 failed\n");
		return 1;
	}
	if (nknown)
		printf("%zu passed, %zu failed, %zu skipped\n", npass, nfail, nknown);
	else
		printf("%zu passed, %zu failed\n", npass, nfail);
	return nfail ? 1 : 0;
}

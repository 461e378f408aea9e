// SPDX-License-Identifier: MIT
/*
 * Listing conformance: for every `ok` record of a corpus file, load its
 * setup and rule with the real nft (the oracle) into the current network
 * namespace, list the chain with nfkit's back end (-s -p, as the corpus
 * harness did) and compare with the record's `listing`.  Items inside
 * {...} compare whitespace- and order-insensitively (whitespace within an
 * item is ignored altogether, as the upstream runner does).
 *
 * Usage: conf-list CORPUS.jsonl [-v] [-f FAMILY] [-n MAX] [-i ID-SUBSTRING]
 *                  [--min-pass PCT]
 * --min-pass: exit non-zero when fewer than PCT percent of the listed
 * records pass (a regression gate), instead of on any failure.
 * Time matches (meta hour/day/time) depend on the local timezone; as the
 * upstream runner did, TZ defaults to UTC-2, the zone the corpus assumes.
 * Must run in a fresh namespace (`unshare -n`): it refuses to start when
 * the ruleset is not empty.  Records the kernel refuses are skipped.
 */
#include <errno.h>
#include <getopt.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "corpus.h"
#include "lang/lang.h"

#define BATCH 64

static const char *const families[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };
#define NFAM 6

struct rec {
	char *id, *family, *table, *chain, *rule, *listing;
	char **setup;
	size_t nsetup;
	char tname[32];
	bool loaded;
};

struct counts {
	unsigned pass, fail, skip;
};

static int verbose;

static int fam_index(const char *f)
{
	for (int i = 0; i < NFAM; i++)
		if (!strcmp(f, families[i]))
			return i;
	return -1;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");

	if (!d) {
		perror("strdup");
		exit(2);
	}
	return d;
}

static void rec_free(struct rec *r)
{
	free(r->id);
	free(r->family);
	free(r->table);
	free(r->chain);
	free(r->rule);
	free(r->listing);
	for (size_t i = 0; i < r->nsetup; i++)
		free(r->setup[i]);
	free(r->setup);
	memset(r, 0, sizeof(*r));
}

/* Writes a setup line with the record's table renamed to its unique name. */
static void put_renamed(FILE *f, const char *line, const char *from, const char *to)
{
	size_t fl = strlen(from);
	const char *p = line;

	while (*p) {
		if (!strncmp(p, from, fl) && p > line && p[-1] == ' ' &&
		    (p[fl] == ' ' || p[fl] == 0)) {
			fputs(to, f);
			p += fl;
		} else {
			fputc(*p++, f);
		}
	}
	fputc('\n', f);
}

static void put_record(FILE *f, const struct rec *r)
{
	for (size_t i = 0; i < r->nsetup; i++)
		put_renamed(f, r->setup[i], r->table, r->tname);
	fprintf(f, "add rule %s %s %s %s\n", r->family, r->tname, r->chain, r->rule);
}

static int nft_load(struct rec *v, size_t n)
{
	FILE *p = popen("nft -f - >/dev/null 2>&1", "w");

	if (!p)
		return -1;
	for (size_t i = 0; i < n; i++)
		put_record(p, &v[i]);
	return pclose(p) == 0 ? 0 : -1;
}

static void nft_flush(void)
{
	if (system("nft flush ruleset") != 0)
		fprintf(stderr, "conf-list: nft flush ruleset failed\n");
}

/* ---- comparison ------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collapses whitespace; inside top-level braces, items are trimmed, and
 * sorted so that order does not matter. */
static char *normalize(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n * 2 + 8), *o = out;
	const char *p = s;

	if (!out)
		exit(2);
	while (*p) {
		if (*p == '{') {
			const char *q = p + 1;
			int depth = 1;
			char *items[1024];
			size_t ni = 0;
			const char *start = q;

			while (*q && depth) {
				if (*q == '{')
					depth++;
				else if (*q == '}')
					depth--;
				if ((depth == 1 && *q == ',') || depth == 0) {
					size_t l = (size_t)(q - start);
					char *it = malloc(l + 1), *w = it;

					if (!it)
						exit(2);
					/* as upstream: whitespace inside an item does
					 * not count ("25:accept" is "25 : accept") */
					for (size_t i = 0; i < l; i++) {
						char c = start[i];

						if (c != ' ' && c != '\t' && c != '\n')
							*w++ = c;
					}
					*w = 0;
					if (ni < 1024)
						items[ni++] = it;
					else
						free(it);
					start = q + 1;
				}
				q++;
			}
			qsort(items, ni, sizeof(items[0]), cmp_str);
			*o++ = '{';
			for (size_t i = 0; i < ni; i++) {
				size_t l = strlen(items[i]);
				char *grow;

				if ((size_t)(o - out) + l + 8 > n * 2 + 8) {
					size_t at = (size_t)(o - out);

					grow = realloc(out, at + l + n * 2 + 16);
					if (!grow)
						exit(2);
					out = grow;
					o = out + at;
					n += l + 8;
				}
				o += sprintf(o, "%s%s", i ? "," : "", items[i]);
				free(items[i]);
			}
			*o++ = '}';
			p = q;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			if (o != out && o[-1] != ' ')
				*o++ = ' ';
			p++;
			continue;
		}
		*o++ = *p++;
	}
	while (o != out && o[-1] == ' ')
		o--;
	*o = 0;
	return out;
}

/* The rule line(s) of a listed chain: everything between the chain's
 * header (and type line) and its closing brace, joined. */
static char *chain_rules(const char *listing)
{
	const char *p = listing;
	char *out = calloc(1, strlen(listing) + 1);
	size_t ol = 0;

	if (!out)
		exit(2);
	while ((p = strchr(p, '\n'))) {
		const char *line = ++p, *end = strchr(line, '\n');
		size_t l = end ? (size_t)(end - line) : strlen(line);

		if (l > 2 && line[0] == '\t' && line[1] == '\t' && strncmp(line + 2, "type ", 5) != 0) {
			if (ol)
				out[ol++] = '\n';
			memcpy(out + ol, line + 2, l - 2);
			ol += l - 2;
		}
	}
	out[ol] = 0;
	return out;
}

static bool check_one(const struct nfk_kstate *ks, const struct rec *r,
		      const struct nfk_list_opts *o)
{
	struct nfk_cmd cmd = { .op = NFK_CMD_LIST, .obj = NFK_OBJ_CHAIN };
	char *buf = NULL, *rules, *a, *b;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	bool ok;

	cmd.h.family = nfk_family_by_name(r->family);
	cmd.h.table = r->tname;
	cmd.h.chain = r->chain;
	if (!m)
		exit(2);
	nfk_list_cmd(m, ks, &cmd, o, NULL);
	fclose(m);
	rules = chain_rules(buf ? buf : "");
	a = normalize(rules);
	b = normalize(r->listing);
	ok = strcmp(a, b) == 0;
	if (!ok && verbose)
		printf("FAIL %s\n  rule:     %s\n  expected: %s\n  got:      %s\n", r->id, r->rule,
		       r->listing, rules);
	free(a);
	free(b);
	free(rules);
	free(buf);
	return ok;
}

static void run_batch(struct nfk_sock *s, struct rec *v, size_t n, struct counts *c)
{
	struct nfk_list_opts o = { .stateless = true, .print = NFK_PRINT_NUMERIC_PROTO };
	struct nfk_kstate *ks = NULL;
	int ret;

	if (!n)
		return;
	if (nft_load(v, n) == 0) {
		for (size_t i = 0; i < n; i++)
			v[i].loaded = true;
	} else {
		/* something in the batch was refused: find out what, one by one */
		nft_flush();
		for (size_t i = 0; i < n; i++)
			v[i].loaded = nft_load(&v[i], 1) == 0;
	}
	ret = nfk_kstate_fetch_list(&ks, s, -1, NULL);
	if (ret < 0) {
		fprintf(stderr, "conf-list: fetch: %s\n", strerror(-ret));
		exit(2);
	}
	for (size_t i = 0; i < n; i++) {
		int fi = fam_index(v[i].family);

		if (fi < 0)
			continue;
		if (!v[i].loaded) {
			c[fi].skip++;
			if (verbose > 1)
				printf("SKIP %s\n", v[i].id);
			continue;
		}
		if (check_one(ks, &v[i], &o))
			c[fi].pass++;
		else
			c[fi].fail++;
	}
	nfk_kstate_free(ks);
	nft_flush();
	for (size_t i = 0; i < n; i++)
		rec_free(&v[i]);
}

static bool ruleset_empty(void)
{
	FILE *p = popen("nft list ruleset 2>/dev/null", "r");
	char line[256];
	bool empty = true;

	if (!p)
		return false;
	while (fgets(line, sizeof(line), p))
		empty = false;
	return pclose(p) == 0 && empty;
}

int main(int argc, char **argv)
{
	static struct rec batch[BATCH];
	struct counts c[NFAM] = { { 0 } }, t = { 0 };
	const char *only = NULL, *idsub = NULL;
	long max = -1, seen = 0;
	struct nfk_sock *s;
	struct corpus *cp;
	const struct corpus_val *v;
	static const struct option lopts[] = {
		{ "min-pass", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	double min_pass = -1;
	size_t n = 0;
	int opt;

	while ((opt = getopt_long(argc, argv, "vf:n:i:", lopts, NULL)) != -1) {
		if (opt == 'i')
			idsub = optarg;
		else if (opt == 'm')
			min_pass = atof(optarg);
		else if (opt == 'v')
			verbose++;
		else if (opt == 'f')
			only = optarg;
		else if (opt == 'n')
			max = atol(optarg);
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: conf-list CORPUS.jsonl [-v] [-f FAMILY] [-n MAX] [-i ID] [--min-pass PCT]\n");
		return 2;
	}
	/* nft and nfkit both read it: nft when compiling, nfkit when listing */
	setenv("TZ", getenv("TZ") ? getenv("TZ") : "UTC-2", 1);
	tzset();
	if (!ruleset_empty()) {
		fprintf(stderr, "conf-list: the ruleset is not empty; run me in a fresh namespace (unshare -n)\n");
		return 2;
	}
	cp = corpus_open(argv[optind]);
	if (!cp) {
		perror(argv[optind]);
		return 2;
	}
	if (nfk_sock_open(&s) < 0) {
		fprintf(stderr, "conf-list: cannot open netlink socket\n");
		return 2;
	}
	while ((v = corpus_next(cp))) {
		const char *expect = corpus_str(v, "expect");
		struct rec *r;

		if (!expect || strcmp(expect, "ok") != 0 || !corpus_str(v, "listing"))
			continue;
		if (only && strcmp(only, corpus_str(v, "family") ? corpus_str(v, "family") : ""))
			continue;
		if (idsub && !strstr(corpus_str(v, "id") ? corpus_str(v, "id") : "", idsub))
			continue;
		if (max >= 0 && seen >= max)
			break;
		seen++;
		r = &batch[n];
		r->id = xstrdup(corpus_str(v, "id"));
		r->family = xstrdup(corpus_str(v, "family"));
		r->table = xstrdup(corpus_str(v, "table"));
		r->chain = xstrdup(corpus_str(v, "chain"));
		r->rule = xstrdup(corpus_str(v, "rule"));
		r->listing = xstrdup(corpus_str(v, "listing"));
		{
			const struct corpus_val *items;

			r->nsetup = corpus_arr(v, "setup", &items);
		}
		r->setup = calloc(r->nsetup + 1, sizeof(char *));
		if (!r->setup)
			return 2;
		for (size_t i = 0; i < r->nsetup; i++)
			r->setup[i] = xstrdup(corpus_arr_str(v, "setup", i));
		snprintf(r->tname, sizeof(r->tname), "cl%zu", n);
		if (++n == BATCH) {
			run_batch(s, batch, n, c);
			n = 0;
		}
	}
	run_batch(s, batch, n, c);
	corpus_close(cp);
	nfk_sock_close(s);
	for (int i = 0; i < NFAM; i++) {
		if (!c[i].pass && !c[i].fail && !c[i].skip)
			continue;
		printf("%-7s %u passed, %u failed, %u skipped\n", families[i], c[i].pass, c[i].fail,
		       c[i].skip);
		t.pass += c[i].pass;
		t.fail += c[i].fail;
		t.skip += c[i].skip;
	}
	printf("%u passed, %u failed, %u skipped\n", t.pass, t.fail, t.skip);
	if (min_pass >= 0) {
		double pct = t.pass + t.fail ? 100.0 * t.pass / (t.pass + t.fail) : 100.0;

		printf("pass rate %.2f%% (minimum %.2f%%)\n", pct, min_pass);
		return pct + 1e-9 < min_pass ? 1 : 0;
	}
	return t.fail ? 1 : 0;
}

// SPDX-License-Identifier: MIT
/*
 * Listing conformance, in a kernel: for every record of a corpus file, load
 * its setup and rule with the real nft (the oracle) into the current
 * network namespace, list the chain with nfkit's back end (-s -p, as the
 * corpus harness did) and compare with the record's `listing`.  Items
 * inside {...} compare whitespace- and order-insensitively (whitespace
 * within an item is ignored altogether, as the upstream runner does).
 *
 * Kernel rejections, compared with nft in the same run (first line of the
 * error, the rule given as words, as `nft add rule ...` / `nfkit add rule
 * ...` would): with the record's setup loaded,
 *   - `fail` records only the kernel rejects (nft106_rejected_by "kernel"):
 *     nfkit must fail with nft's first error line (a pass); if nft loads
 *     the rule here (a kernel that accepts it) and nfkit does too, the
 *     record is skipped with that reason;
 *   - `ok` records nft cannot load here (this kernel lacks a feature): the
 *     listing cannot be compared, so the record is skipped with nft's error,
 *     but only when nfkit gets the same error; otherwise it fails.
 * `fail` records nft itself rejects are conf-compile's (offline).
 *
 * The run is exact against a list of known failures (--known FILE; format
 * in corpus.h): a failure not listed, or a listed record that passes,
 * fails the run; so does a record that cannot be read and a run that
 * compares nothing.  Exit 0 when all is as expected, 1 otherwise, 2 on a
 * usage or setup error.
 *
 * Usage: conf-list CORPUS.jsonl [--known FILE] [-v] [-f FAMILY] [-n MAX]
 *                  [-i ID-SUBSTRING]
 * Time matches (meta hour/day/time) depend on the local timezone; as the
 * upstream runner did, TZ defaults to UTC-2, the zone the corpus assumes.
 * Must run in a fresh namespace (`unshare -n`): it refuses to start when
 * the ruleset is not empty.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "corpus.h"
#include "lang/lang.h"
#include "nfkit/nfkit.h"

#define BATCH 64

static const char *const families[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };
#define NFAM 6

enum rec_kind {
	REC_LIST,     /* ok record: load with nft, list with nfkit */
	REC_KFAIL,    /* fail record the kernel rejects: nfkit must get nft's error */
};

enum rec_state { R_PASS, R_FAIL, R_SKIP };

struct rec {
	char *id, *family, *table, *chain, *rule, *listing, *nft_error;
	char **setup;
	size_t nsetup;
	enum rec_kind kind;
	char tname[32];
	bool loaded;
	char *load_err;          /* nft's first error line when it was not */
	enum rec_state state;
	char why[768];
};

struct counts {
	unsigned pass, fail, skip, known;
};

static int verbose;
/* nft's stderr goes here; its first line is the error compared. */
static char errfile[] = "/tmp/conf-list-err.XXXXXX";

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
	free(r->nft_error);
	free(r->load_err);
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

/* The record's setup, and its rule unless it is one the kernel must
 * reject (that one is given to nft and nfkit as words, on its own). */
static void put_record(FILE *f, const struct rec *r, bool with_rule)
{
	for (size_t i = 0; i < r->nsetup; i++)
		put_renamed(f, r->setup[i], r->table, r->tname);
	if (with_rule && r->kind == REC_LIST)
		fprintf(f, "add rule %s %s %s %s\n", r->family, r->tname, r->chain, r->rule);
}

/* The first line of a text (a copy), "" when empty. */
static char *first_line(const char *text)
{
	const char *nl = strchr(text ? text : "", '\n');

	return nl ? strndup(text, (size_t)(nl - text)) : xstrdup(text);
}

static char *read_errfile(void)
{
	FILE *f = fopen(errfile, "r");
	char *line = NULL, *ret;
	size_t cap = 0;

	if (!f)
		return xstrdup("(no stderr)");
	if (getline(&line, &cap, f) < 0) {
		free(line);
		line = NULL;
	}
	fclose(f);
	ret = first_line(line ? line : "");
	free(line);
	return ret;
}

/* nft -f - on the records; 0, or -1 with *err (if given) nft's first line. */
static int nft_load(struct rec *v, size_t n, bool with_rule, char **err)
{
	char cmd[128];
	FILE *p;
	int rc;

	snprintf(cmd, sizeof(cmd), "nft -f - >/dev/null 2>%s", errfile);
	p = popen(cmd, "w");
	if (!p) {
		perror("popen nft");
		exit(2);
	}
	for (size_t i = 0; i < n; i++)
		put_record(p, &v[i], with_rule);
	rc = pclose(p);
	if (rc != 0 && err)
		*err = read_errfile();
	return rc == 0 ? 0 : -1;
}

static void nft_flush(void)
{
	if (system("nft flush ruleset") != 0) {
		fprintf(stderr, "conf-list: nft flush ruleset failed\n");
		exit(2);
	}
}

/* `nft CMD` (one word: nft joins its words with spaces); the exit code,
 * and nft's first stderr line in *err. */
static int nft_words(const char *cmd, char **err)
{
	pid_t pid = fork();
	int st;

	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		int e = open(errfile, O_WRONLY | O_TRUNC | O_CREAT, 0600);
		int o = open("/dev/null", O_WRONLY);

		if (e < 0 || o < 0 || dup2(e, 2) < 0 || dup2(o, 1) < 0)
			_exit(127);
		execlp("nft", "nft", cmd, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0) {
		perror("waitpid");
		exit(2);
	}
	*err = read_errfile();
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* nfk_ctx_run(CMD), as `nfkit CMD` runs it: the result, and the first line
 * nfkit printed on its error stream in *err. */
static int nfkit_words(struct nfk_ctx *ctx, const char *cmd, char **err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *e = open_memstream(&buf, &len), *o = fopen("/dev/null", "w");
	int ret;

	if (!e || !o) {
		perror("conf-list: output streams");
		exit(2);
	}
	nfk_ctx_set_output(ctx, o, e);
	ret = nfk_ctx_run(ctx, cmd);
	fclose(e);
	fclose(o);
	nfk_ctx_set_output(ctx, stdout, stderr);
	*err = first_line(buf);
	free(buf);
	return ret;
}

/* Whether nft's error line is the kernel's refusal ("Could not process
 * rule: ...", or of a chain, set...) rather than nft's own. */
static bool kernel_error(const char *line)
{
	return strstr(line, "Error: Could not process ") != NULL;
}

/*
 * With the record's setup loaded: its rule as words, through nfkit, then
 * through nft; sets r->state and r->why.
 */
static void compare_rejection(struct nfk_ctx *ctx, struct rec *r)
{
	size_t l = strlen(r->family) + strlen(r->tname) + strlen(r->chain) + strlen(r->rule) + 16;
	char *cmd = malloc(l), *kerr = NULL, *nerr = NULL;
	int krc, nrc;

	if (!cmd)
		exit(2);
	snprintf(cmd, l, "add rule %s %s %s %s", r->family, r->tname, r->chain, r->rule);
	krc = nfkit_words(ctx, cmd, &kerr);
	nrc = nft_words(cmd, &nerr);
	r->state = R_FAIL;
	if (krc == 0 && nrc == 0) {
		if (r->kind == REC_KFAIL) {
			r->state = R_SKIP;
			snprintf(r->why, sizeof(r->why),
				 "this kernel accepts it (nft and nfkit load it; nft 1.0.6's kernel said \"%s\")",
				 r->nft_error ? r->nft_error : "?");
		} else {
			snprintf(r->why, sizeof(r->why),
				 "nft refuses it in a file (\"%s\") but loads it as words", r->load_err);
		}
	} else if (nrc == 0) {
		snprintf(r->why, sizeof(r->why), "nft loads it, nfkit fails: nfkit says \"%s\"", kerr);
	} else if (krc == 0) {
		snprintf(r->why, sizeof(r->why), "nfkit loads it, nft rejects it: nft says \"%s\"", nerr);
	} else if (strcmp(kerr, nerr)) {
		snprintf(r->why, sizeof(r->why), "error text differs: nfkit says \"%s\"; nft says \"%s\"",
			 kerr, nerr);
	} else if (r->kind == REC_KFAIL) {
		r->state = R_PASS;
		if (r->nft_error && strcmp(nerr, r->nft_error))
			printf("note %s: nft says \"%s\" here, \"%s\" in the corpus\n", r->id, nerr,
			       r->nft_error);
	} else {
		/* an ok record this kernel refuses: nothing to list */
		r->state = kernel_error(nerr) ? R_SKIP : R_FAIL;
		snprintf(r->why, sizeof(r->why), "%s: nft says \"%s\" (nfkit too)",
			 r->state == R_SKIP ? "this kernel refuses it" : "nft rejects this ok record",
			 nerr);
	}
	free(cmd);
	free(kerr);
	free(nerr);
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

/* Lists the record's chain; passes when its rules are the listing.  On a
 * mismatch, r->why holds what nfkit listed (lines joined with "\\n"). */
static bool check_one(const struct nfk_kstate *ks, struct rec *r, const struct nfk_list_opts *o)
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
	if (!ok) {
		size_t w = (size_t)snprintf(r->why, sizeof(r->why), "listing differs: nfkit lists \"");

		for (const char *p = rules; *p && w + 4 < sizeof(r->why); p++) {
			if (*p == '\n') {
				r->why[w++] = '\\';
				r->why[w++] = 'n';
			} else {
				r->why[w++] = *p;
			}
		}
		snprintf(r->why + w, sizeof(r->why) - w, "\"");
	}
	free(a);
	free(b);
	free(rules);
	free(buf);
	return ok;
}

static void run_batch(struct nfk_sock *s, struct nfk_ctx *ctx, struct rec *v, size_t n,
		      struct counts *c, struct known_list *known)
{
	struct nfk_list_opts o = { .stateless = true, .print = NFK_PRINT_NUMERIC_PROTO };
	struct nfk_kstate *ks = NULL;
	int ret;

	if (!n)
		return;
	if (nft_load(v, n, true, NULL) == 0) {
		for (size_t i = 0; i < n; i++)
			v[i].loaded = true;
	} else {
		/* something in the batch was refused: find out what, one by one */
		nft_flush();
		for (size_t i = 0; i < n; i++)
			v[i].loaded = nft_load(&v[i], 1, true, &v[i].load_err) == 0;
	}
	for (size_t i = 0; i < n; i++) {
		struct rec *r = &v[i];
		char *err = NULL;

		if (r->loaded && r->kind == REC_LIST)
			continue;
		/* the rule as words needs the setup alone */
		if (!r->loaded && nft_load(r, 1, false, &err) < 0) {
			r->state = kernel_error(err) ? R_SKIP : R_FAIL;
			snprintf(r->why, sizeof(r->why), "nft cannot load the setup here: %s", err);
			free(err);
			continue;
		}
		compare_rejection(ctx, r);
	}
	ret = nfk_kstate_fetch_list(&ks, s, -1, NULL);
	if (ret < 0) {
		fprintf(stderr, "conf-list: fetch: %s\n", strerror(-ret));
		exit(2);
	}
	for (size_t i = 0; i < n; i++) {
		struct rec *r = &v[i];
		int fi = fam_index(r->family);
		enum known_verdict kv;

		if (r->loaded && r->kind == REC_LIST)
			r->state = check_one(ks, r, &o) ? R_PASS : R_FAIL;
		if (r->state == R_SKIP) {
			/* the listing was not compared: neither passed nor failed */
			c[fi].skip++;
			printf("skip %s: %s\n", r->id, r->why);
			continue;
		}
		kv = known_judge(known, r->id, r->state == R_PASS, r->why);
		known_report(known, kv, r->id, r->why);
		if (kv == KV_FAIL || (verbose && kv == KV_KNOWN))
			printf("  rule:     %s\n", r->rule);
		if (r->kind == REC_LIST && (kv == KV_FAIL || (verbose && kv == KV_KNOWN)))
			printf("  expected: %s\n", r->listing);
		if (kv == KV_PASS)
			c[fi].pass++;
		else if (kv == KV_KNOWN)
			c[fi].known++;
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

static void usage(void)
{
	fprintf(stderr, "usage: conf-list CORPUS.jsonl [--known FILE] [-v] [-f FAMILY] [-n MAX] [-i ID]\n");
}

int main(int argc, char **argv)
{
	static struct rec batch[BATCH];
	struct counts c[NFAM] = { { 0 } }, t = { 0 };
	const char *only = NULL, *idsub = NULL, *known_file = NULL;
	long max = -1, seen = 0;
	unsigned malformed = 0, kfail = 0;
	struct known_list *known;
	struct nfk_sock *s;
	struct nfk_ctx *ctx;
	struct corpus *cp;
	const struct corpus_val *v;
	static const struct option lopts[] = {
		{ "known", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	size_t n = 0, bad;
	int opt, fd;

	while ((opt = getopt_long(argc, argv, "vf:n:i:", lopts, NULL)) != -1) {
		if (opt == 'i')
			idsub = optarg;
		else if (opt == 'k')
			known_file = optarg;
		else if (opt == 'v')
			verbose++;
		else if (opt == 'f')
			only = optarg;
		else if (opt == 'n')
			max = atol(optarg);
		else {
			usage();
			return 2;
		}
	}
	if (optind + 1 != argc) {
		usage();
		return 2;
	}
	known = known_load(known_file);
	if (!known)
		return 2;
	/* nft and nfkit both read it: nft when compiling, nfkit when listing */
	setenv("TZ", getenv("TZ") ? getenv("TZ") : "UTC-2", 1);
	tzset();
	if (!ruleset_empty()) {
		fprintf(stderr, "conf-list: the ruleset is not empty; run me in a fresh namespace (unshare -n)\n");
		return 2;
	}
	fd = mkstemp(errfile);
	if (fd < 0) {
		perror("mkstemp");
		return 2;
	}
	close(fd);
	cp = corpus_open(argv[optind]);
	if (!cp) {
		perror(argv[optind]);
		unlink(errfile);
		return 2;
	}
	if (nfk_sock_open(&s) < 0 || nfk_ctx_new(&ctx) < 0) {
		fprintf(stderr, "conf-list: cannot open netlink socket\n");
		unlink(errfile);
		return 2;
	}
	while ((v = corpus_next(cp))) {
		const char *id = corpus_str(v, "id"), *fam = corpus_str(v, "family");
		const char *expect = corpus_str(v, "expect"), *rej = corpus_str(v, "nft106_rejected_by");
		enum rec_kind kind;
		struct rec *r;

		if (only && strcmp(only, fam ? fam : ""))
			continue;
		if (idsub && !strstr(id ? id : "", idsub))
			continue;
		if (expect && !strcmp(expect, "fail") && !(rej && !strcmp(rej, "kernel")))
			continue;   /* nft rejects it before the kernel: conf-compile's */
		if (max >= 0 && seen >= max)
			break;
		seen++;
		kind = expect && !strcmp(expect, "fail") ? REC_KFAIL : REC_LIST;
		if (!id || !fam || fam_index(fam) < 0 || !expect ||
		    (strcmp(expect, "ok") && strcmp(expect, "fail")) || !corpus_str(v, "table") ||
		    !corpus_str(v, "chain") || !corpus_str(v, "rule") ||
		    (kind == REC_LIST && !corpus_str(v, "listing"))) {
			/* a record this runner cannot read is a failure, never a skip */
			printf("FAIL %s: malformed record (id, family, expect, table, chain, rule or listing)\n",
			       id ? id : "(no id)");
			malformed++;
			continue;
		}
		kfail += kind == REC_KFAIL;
		r = &batch[n];
		r->kind = kind;
		r->id = xstrdup(id);
		r->family = xstrdup(fam);
		r->table = xstrdup(corpus_str(v, "table"));
		r->chain = xstrdup(corpus_str(v, "chain"));
		r->rule = xstrdup(corpus_str(v, "rule"));
		r->listing = xstrdup(corpus_str(v, "listing"));
		r->nft_error = corpus_str(v, "nft106_error") ? xstrdup(corpus_str(v, "nft106_error")) : NULL;
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
			run_batch(s, ctx, batch, n, c, known);
			n = 0;
		}
	}
	run_batch(s, ctx, batch, n, c, known);
	bad = corpus_bad_lines(cp);
	corpus_close(cp);
	nfk_ctx_free(ctx);
	nfk_sock_close(s);
	unlink(errfile);
	for (int i = 0; i < NFAM; i++) {
		if (!c[i].pass && !c[i].fail && !c[i].skip && !c[i].known)
			continue;
		printf("%-7s %u passed, %u failed, %u skipped, %u known\n", families[i], c[i].pass,
		       c[i].fail, c[i].skip, c[i].known);
		t.pass += c[i].pass;
		t.fail += c[i].fail;
		t.skip += c[i].skip;
		t.known += c[i].known;
	}
	printf("fail records only the kernel rejects: %u (compared with nft's error here)\n", kfail);
	known_report_unseen(known);
	if (bad)
		printf("FAIL %zu corpus lines are not JSON objects\n", bad);
	if (t.skip)
		printf("%u records skipped, each with its reason above\n", t.skip);
	if (t.known)
		printf("%u known failures (listed in %s), counted as skipped\n", t.known,
		       known_path(known));
	t.fail += malformed + (unsigned)bad;
	known_free(known);
	if (t.pass + t.fail + t.known == 0) {
		printf("conf-list: no record compared\n");
		printf("0 passed, 0 failed, %u skipped\n", t.skip);
		return 1;
	}
	printf("%u passed, %u failed, %u skipped\n", t.pass, t.fail, t.skip + t.known);
	return t.fail ? 1 : 0;
}

// SPDX-License-Identifier: MIT
/*
 * The symbolic constants of nfkit's datatypes against nft's own tables, in
 * the same run: `nft describe EXPR` (nft 1.0.6) prints, for the datatype of
 * an expression, every pre-defined symbolic constant with its value, in the
 * order of nft's table.  For every meta key, ct key and header field nfkit
 * knows, nft describes it; for every datatype nfkit gives symbols:
 *   - each of nft's names parses in nfkit to nft's value;
 *   - each of nft's values prints in nfkit as nft's first name for that
 *     value (nft prints the first match of its table; the quotes some
 *     types print around names are not judged here);
 *   - nfkit has no symbol nft lacks.
 * inet_proto has no table in nft: it parses with getprotobyname() and
 * prints with getprotobynumber(), so /etc/protocols is the reference there.
 * A datatype nft describes no table for is skipped with that reason.
 * Known differences are listed in known[] below, each with its reason:
 * still checked, a skip while they differ, a failure once they agree (so
 * the list stays exact).
 * Needs no kernel; run-all runs it with the kernel tests (it needs nft).
 */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/types.h"

static unsigned passed, failed, skipped;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (cond) {                                                     \
			passed++;                                               \
		} else {                                                        \
			failed++;                                               \
			printf("FAIL - ");                                      \
			printf(__VA_ARGS__);                                    \
			putchar('\n');                                          \
		}                                                               \
	} while (0)

/* Checks known to fail: id, reason. */
static const struct {
	const char *id, *why;
} known[] = {
	{ "inet_proto aliases",
	  "nfkit's protocol table holds the names of /etc/protocols but not their aliases "
	  "(TCP, IPv6-ICMP...), which nft takes through getprotobyname()" },
	{ "inet_proto name hopopt",
	  "nfkit's protocol table has one name a number (ip for 0); nft takes hopopt too" },
	{ "inet_proto name mptcp",
	  "nfkit does not know mptcp (262 in /etc/protocols), which nft takes as 6 (tcp)" },
};

static const char *known_why(const char *id)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i].id, id))
			return known[i].why;
	return NULL;
}

/* A check with an id that may be listed in known[]. */
static void check_id(const char *id, bool ok, const char *detail)
{
	const char *why = known_why(id);

	if (ok && why) {
		failed++;
		printf("FAIL - %s: passes now, remove it from known[] in %s\n", id, __FILE__);
	} else if (ok) {
		passed++;
	} else if (why) {
		skipped++;
		printf("skip - %s: known: %s (%s)\n", id, why, detail);
	} else {
		failed++;
		printf("FAIL - %s: %s\n", id, detail);
	}
}

struct nsym {
	char name[64];
	unsigned long long value;
};

/* nft's table for one datatype. */
struct ntable {
	char type[64];
	char expr[96];                /* the expression nft described */
	struct nsym *v;
	size_t n;
};

static struct ntable *tables;
static size_t ntables;
static unsigned described, describe_failed;

static struct ntable *table_find(const char *type)
{
	for (size_t i = 0; i < ntables; i++)
		if (!strcmp(tables[i].type, type))
			return &tables[i];
	return NULL;
}

/* Runs `nft describe EXPR` and keeps its table under its datatype's name
 * (the first expression of each datatype is enough). */
static void describe(const char *expr)
{
	char cmd[256], line[512], type[64] = "";
	struct ntable t = { .v = NULL };
	bool in_syms = false;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "nft describe %s 2>&1", expr);
	p = popen(cmd, "r");
	if (!p) {
		perror("popen");
		exit(2);
	}
	while (fgets(line, sizeof(line), p)) {
		const char *d = strstr(line, ", datatype ");
		char name[64];
		const char *last;

		if (!type[0] && d) {
			sscanf(d + 11, "%63s", type);
			continue;
		}
		if (!strncmp(line, "pre-defined symbolic constants", 30)) {
			in_syms = true;
			continue;
		}
		if (!in_syms || line[0] != '\t' || sscanf(line + 1, "%63s", name) != 1)
			continue;
		line[strcspn(line, "\n")] = 0;
		last = strrchr(line, ' ');
		last = last ? last + 1 : strrchr(line, '\t') + 1;
		t.v = realloc(t.v, (t.n + 1) * sizeof(*t.v));
		if (!t.v)
			exit(2);
		snprintf(t.v[t.n].name, sizeof(t.v[t.n].name), "%s", name);
		t.v[t.n].value = strtoull(last, NULL, 0);
		t.n++;
	}
	if (pclose(p) != 0 || !type[0]) {
		printf("# nft describe %s: refused\n", expr);
		describe_failed++;
		free(t.v);
		return;
	}
	described++;
	if (!t.n || table_find(type)) {
		free(t.v);
		return;
	}
	snprintf(t.type, sizeof(t.type), "%s", type);
	snprintf(t.expr, sizeof(t.expr), "%s", expr);
	tables = realloc(tables, (ntables + 1) * sizeof(*tables));
	if (!tables)
		exit(2);
	tables[ntables++] = t;
}

static void strip_quotes(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = 0;
	}
}

static void compare(const struct nfk_dtype *t, const struct ntable *nt)
{
	unsigned len = nfk_dtype_len(t);
	enum nfk_byteorder bo = nfk_dtype_bo(t);

	for (size_t i = 0; i < nt->n; i++) {
		const struct nsym *s = &nt->v[i];
		uint8_t buf[16];
		unsigned blen = sizeof(buf);
		char err[128] = "", out[128];
		const char *first = s->name;
		int r;

		/* nft's name -> nft's value */
		r = nfk_value_parse(t, NFK_BO_INVALID, 0, s->name, buf, &blen, err, sizeof(err));
		CHECK(!r && nfk_value_get_uint(buf, blen, bo) == s->value,
		      "%s: \"%s\" parses to %llu (%s), nft says %llu", t->name, s->name,
		      r ? 0ULL : (unsigned long long)nfk_value_get_uint(buf, blen, bo),
		      r ? err : "ok", s->value);
		/* nft's value -> nft's first name for it */
		for (size_t j = 0; j < i; j++) {
			if (nt->v[j].value == s->value) {
				first = nt->v[j].name;
				break;
			}
		}
		if (!len || len > sizeof(buf)) {
			CHECK(0, "%s: %u-byte values", t->name, len);
			continue;
		}
		nfk_value_put_uint(buf, len, bo, s->value);
		nfk_value_snprint(out, sizeof(out), t, NFK_BO_INVALID, buf, len, 0);
		strip_quotes(out);
		CHECK(!strcmp(out, first), "%s: %llu prints as %s, nft prints %s", t->name,
		      s->value, out, first);
	}
	/* no symbol nft does not have */
	char extra[512] = "";
	for (const struct nfk_sym *s = t->syms; s->name; s++) {
		bool found = false;

		for (size_t i = 0; i < nt->n && !found; i++)
			found = !strcmp(nt->v[i].name, s->name);
		if (!found && strlen(extra) + strlen(s->name) + 2 < sizeof(extra)) {
			strcat(extra, " ");
			strcat(extra, s->name);
		}
	}
	CHECK(!extra[0], "%s: symbols nft does not have:%s", t->name, extra);
}

/* inet_proto against the system's protocol database, as nft uses it:
 * getprotobyname() for a name, keeping the low byte of the number (nft
 * 1.0.6 takes "mptcp", 262, as 6: tcp), getprotobynumber() to print. */
static void compare_protocols(const struct nfk_dtype *t)
{
	struct protoent *pe;
	char aliases_bad[768] = "";
	unsigned n = 0;

	setprotoent(1);
	while ((pe = getprotoent())) {
		uint8_t want = (uint8_t)pe->p_proto, buf[16];
		unsigned blen = sizeof(buf);
		char err[128] = "", out[128], id[96], detail[256];
		int r;

		n++;
		r = nfk_value_parse(t, NFK_BO_INVALID, 0, pe->p_name, buf, &blen, err, sizeof(err));
		snprintf(id, sizeof(id), "inet_proto name %s", pe->p_name);
		snprintf(detail, sizeof(detail), "\"%s\" gives %s, nft gives %u", pe->p_name,
			 r ? err : blen == 1 ? (buf[0] == want ? "the same" : "another value") : "bytes",
			 want);
		check_id(id, !r && blen == 1 && buf[0] == want, detail);
		if (pe->p_proto >= 0 && pe->p_proto <= 255) {
			const struct protoent *byn = getprotobynumber(pe->p_proto);

			buf[0] = want;
			nfk_value_snprint(out, sizeof(out), t, NFK_BO_INVALID, buf, 1, 0);
			CHECK(byn && !strcmp(out, byn->p_name), "inet_proto: %u prints as %s, nft prints %s",
			      want, out, byn ? byn->p_name : "?");
		}
		for (char **a = pe->p_aliases; a && *a; a++) {
			blen = sizeof(buf);
			r = nfk_value_parse(t, NFK_BO_INVALID, 0, *a, buf, &blen, err, sizeof(err));
			if ((r || blen != 1 || buf[0] != want) &&
			    strlen(aliases_bad) + strlen(*a) + 2 < sizeof(aliases_bad)) {
				strcat(aliases_bad, " ");
				strcat(aliases_bad, *a);
			}
		}
	}
	endprotoent();
	/* no name nft would refuse */
	for (const struct nfk_sym *sy = t->syms; sy->name; sy++) {
		pe = getprotobyname(sy->name);
		CHECK(pe && (uint8_t)pe->p_proto == sy->value,
		      "inet_proto: nfkit takes %s as %llu, nft %s", sy->name,
		      (unsigned long long)sy->value, pe ? "another number" : "refuses it");
	}
	printf("# inet_proto: %u protocols (/etc/protocols)\n", n);
	if (!n) {
		skipped++;
		printf("skip - inet_proto: no protocol database here\n");
		return;
	}
	check_id("inet_proto aliases", !aliases_bad[0], aliases_bad);
}

int main(void)
{
	char expr[96];

	if (system("nft --version >/dev/null 2>&1") != 0) {
		printf("nft (the oracle) is missing\n0 passed, 1 failed\n");
		return 1;
	}
	for (const struct nfk_key *k = nfk_meta_keys; k->name; k++) {
		snprintf(expr, sizeof(expr), "meta %s", k->name);
		describe(expr);
	}
	for (const struct nfk_key *k = nfk_ct_keys; k->name; k++) {
		snprintf(expr, sizeof(expr), "ct %s%s", k->flags & NFK_KEY_DIR_ONLY ? "original " : "",
			 k->name);
		describe(expr);
	}
	for (const struct nfk_proto *p = nfk_protos; p->name; p++) {
		for (const struct nfk_hdr_field *f = p->fields; f->name; f++) {
			snprintf(expr, sizeof(expr), "%s %s", p->name, f->name);
			describe(expr);
		}
	}
	/* expressions of their own, with types no key or field has */
	describe("fib daddr type");
	describe("mh type");
	printf("# nft described %u expressions (%u it refused), %zu datatypes with symbols\n",
	       described, describe_failed, ntables);
	CHECK(ntables > 10, "nft gave %zu symbol tables: the parsing of its output is broken",
	      ntables);

	for (unsigned i = 0; i < NFK_TYPE_MAX; i++) {
		const struct nfk_dtype *t = &nfk_dtypes[i];
		const struct ntable *nt;

		if (!t->name || !t->syms || i == NFK_TYPE_VERDICT)
			continue;
		if (i == NFK_TYPE_INET_PROTOCOL) {
			compare_protocols(t);
			continue;
		}
		nt = table_find(t->name);
		if (!nt) {
			skipped++;
			printf("skip - %s: nft describes no symbol table for it (no expression of "
			       "this type, or its symbols come from a file)\n", t->name);
			continue;
		}
		printf("# %s: %zu symbols (nft describe %s)\n", t->name, nt->n, nt->expr);
		compare(t, nt);
	}
	for (size_t i = 0; i < ntables; i++)
		free(tables[i].v);
	free(tables);
	if (skipped)
		printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
	else
		printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

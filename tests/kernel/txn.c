// SPDX-License-Identifier: MIT
/*
 * Kernel test (run as root inside `unshare -n`; it needs nft, the oracle):
 * the object API's transactions against the kernel, with nft as the
 * judge of what they did.
 *  - set ids: the NFTA_SET_ID of every set the transaction creates, one
 *    change each, equal what `nft -c --debug=mnl` sends for the same
 *    commands in one file, and the committed ruleset lists as nft's does;
 *  - hostile names ("x; flush ruleset", quotes, braces, a newline, 255
 *    bytes) create exactly that one table (and its chain, set and
 *    element), listed by nft as its own objects are; 256 and 300 bytes
 *    are -ENAMETOOLONG and nothing is applied (the kernel itself refuses
 *    256: nft gets ERANGE);
 *  - element and object text that would run commands is a syntax error
 *    and nothing is applied;
 *  - a zero-initialised base chain gets the kernel's default policy and
 *    lists as nft's chain without a policy does: accept;
 *  - options sz: fields beyond it are ignored, a non-zero tail refuses;
 *  - errors: the change index, nft's message and nft's location (shifted
 *    to the element text) for a bad element list, and kernel errors on an
 *    element and on a rule.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "nfkit/nfkit.h"

static unsigned passed, failed;

#define CHECK(cond, ...)                                         \
	do {                                                     \
		if (cond) {                                      \
			passed++;                                \
		} else {                                         \
			failed++;                                \
			printf("FAIL %s:%d: ", __FILE__, __LINE__); \
			printf(__VA_ARGS__);                     \
			putchar('\n');                           \
		}                                                \
	} while (0)

static struct nfk_ctx *ctx;

/* The output of a shell command (stdout and stderr), malloc'd. */
static char *run(const char *cmd)
{
	char *full = NULL, *out = NULL;
	size_t len = 0;
	FILE *p, *m;
	int c;

	if (asprintf(&full, "%s 2>&1", cmd) < 0)
		return strdup("");
	p = popen(full, "r");
	m = open_memstream(&out, &len);
	while (p && (c = fgetc(p)) != EOF)
		fputc(c, m);
	if (p)
		pclose(p);
	fclose(m);
	free(full);
	return out;
}

static void sh(const char *cmd)
{
	free(run(cmd));
}

/* Writes text to a file nft can read (one per process: runs may overlap). */
static char path[64];

static const char *file_with(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/nfkit-ktest-txn.%d.nft", (int)getpid());
	f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
	return path;
}

static struct nfk_txn *txn(void)
{
	struct nfk_txn *t = NULL;

	if (nfk_txn_new(ctx, &t) < 0)
		return NULL;
	nfk_txn_set_error_cb(t, NULL, NULL);   /* errors are read, not printed */
	return t;
}

/* ---- set ids against nft --debug=mnl ------------------------------------ */

static const char ids_script[] =
	"add table ip ids\n"
	"add chain ip ids c\n"
	"add set ip ids named { type ipv4_addr; }\n"
	"add rule ip ids c ip saddr { 1.1.1.1, 3.3.3.3 } accept\n"
	"add rule ip ids c tcp dport { 22, 80 } drop\n";

/* nft's NFTA_SET_ID values, in message order, from its mnl dump (message
 * type 02569 is NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_NEWSET; attribute 10
 * is NFTA_SET_ID): "00 00 00 01,00 00 00 02,..." */
static char *nft_set_ids(void)
{
	char *cmd = NULL, *out;

	if (asprintf(&cmd, "nft -c --debug=mnl -f %s | sed 's/\\x1b\\[[0-9;]*m//g' | awk '"
			   "/^\\| *[0-9]+ \\| [-A-Z]+ \\|/ { type = $2 } "
			   "/^\\|[0-9]+\\|..\\|[0-9]+\\|/ { split($0, a, \"|\"); want = (type == 2569 && a[4] + 0 == 10) } "
			   "/data/ && want { sub(/^\\| */, \"\"); sub(/ *\\|.*/, \"\"); printf \"%%s,\", $0; want = 0 }'",
		     file_with(ids_script)) < 0)
		return strdup("");
	out = run(cmd);
	free(cmd);
	return out;
}

static int nfk_ids_cb(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	FILE *f = arg;
	size_t len;
	const void *attrs = nfk_msg_attrs(nlh, &len);
	const struct nlattr *id;
	(void)index;
	(void)cookie;

	if ((nlh->nlmsg_type & 0xff) != NFT_MSG_NEWSET)
		return 0;
	id = nfk_attr_find(attrs, len, NFTA_SET_ID);
	if (!id || nfk_attr_len(id) != 4) {
		fprintf(f, "none,");
		return 0;
	}
	const uint8_t *b = nfk_attr_data(id);
	fprintf(f, "%02x %02x %02x %02x,", b[0], b[1], b[2], b[3]);
	return 0;
}

static void test_set_ids(void)
{
	struct nfk_set_opts so = { .sz = sizeof(so), .key_type = "ipv4_addr" };
	struct nfk_txn *t = txn();
	char *want = nft_set_ids(), *got = NULL, *ours, *theirs;
	size_t len = 0;
	FILE *f;

	CHECK(strlen(want) > 20, "nft's set ids read from its mnl dump: %s", want);
	CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, "ids") == 0, "table");
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "ids", "c", NULL) == 0, "chain");
	CHECK(nfk_txn_add_set(t, NFPROTO_IPV4, "ids", "named", &so) == 0, "set");
	CHECK(nfk_txn_add_text(t, "add rule ip ids c ip saddr { 1.1.1.1, 3.3.3.3 } accept") == 0, "rule 1");
	CHECK(nfk_txn_add_text(t, "add rule ip ids c tcp dport { 22, 80 } drop") == 0, "rule 2");
	f = open_memstream(&got, &len);
	nfk_batch_for_each(nfk_txn_batch(t), nfk_ids_cb, f);
	fclose(f);
	CHECK(!strcmp(got, want), "NFTA_SET_ID: nfkit %s, nft %s", got, want);
	CHECK(nfk_txn_commit(t) == 0, "commit");
	ours = run("nft list ruleset");
	sh("nft flush ruleset");
	{
		char *cmd = NULL;

		if (asprintf(&cmd, "nft -f %s", file_with(ids_script)) >= 0)
			sh(cmd);
		free(cmd);
	}
	theirs = run("nft list ruleset");
	CHECK(!strcmp(ours, theirs), "ruleset:\n%s--- nft's:\n%s", ours, theirs);
	sh("nft flush ruleset");
	free(want);
	free(got);
	free(ours);
	free(theirs);
	nfk_txn_free(t);
}

/* ---- hostile names ------------------------------------------------------- */

/* nft's listing of a table NAME holding set s { 10.0.0.1 } and chain c,
 * made by nft with a name it can write, the name then substituted. */
static char *nft_template;

static char *listing_for(const char *name)
{
	const char *at = strstr(nft_template, "table ip plain {");
	char *s = NULL;

	if (!at || asprintf(&s, "table ip sentinel {\n}\n%.*stable ip %s {%s", (int)(at - nft_template),
			    nft_template, name, at + strlen("table ip plain {")) < 0)
		return strdup("?");
	return s;
}

static void test_names(void)
{
	static const char plain[] =
		"add table ip plain\n"
		"add chain ip plain c\n"
		"add set ip plain s { type ipv4_addr; }\n"
		"add element ip plain s { 10.0.0.1 }\n";
	char n255[256], n256[257], n300[301], *cmd = NULL;
	const char *names[] = { "x; flush ruleset", "a\"b", "c}d { e", "f\ng", "'h' \\ i", n255 };
	struct nfk_set_opts so = { .sz = sizeof(so), .key_type = "ipv4_addr" };

	memset(n255, 'n', 255);
	n255[255] = 0;
	memset(n256, 'n', 256);
	n256[256] = 0;
	memset(n300, 'n', 300);
	n300[300] = 0;
	if (asprintf(&cmd, "nft -f %s", file_with(plain)) >= 0)
		sh(cmd);
	free(cmd);
	nft_template = run("nft list ruleset");
	CHECK(strstr(nft_template, "elements = { 10.0.0.1 }") != NULL, "nft's template:\n%s", nft_template);
	sh("nft flush ruleset");

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct nfk_txn *t = txn();
		char *tables, *want_tables = NULL, *ruleset, *want;
		int ret;

		sh("nft flush ruleset; nft add table ip sentinel");
		ret = nfk_txn_add_table(t, NFPROTO_IPV4, names[i]);
		ret = ret ? ret : nfk_txn_add_chain(t, NFPROTO_IPV4, names[i], "c", NULL);
		ret = ret ? ret : nfk_txn_add_set(t, NFPROTO_IPV4, names[i], "s", &so);
		ret = ret ? ret : nfk_txn_add_elements(t, NFPROTO_IPV4, names[i], "s", "10.0.0.1");
		ret = ret ? ret : nfk_txn_commit(t);
		CHECK(ret == 0, "name %zu: %d", i, ret);
		tables = run("nft list tables");
		if (asprintf(&want_tables, "table ip sentinel\ntable ip %s\n", names[i]) < 0)
			want_tables = NULL;
		CHECK(want_tables && !strcmp(tables, want_tables), "name %zu: nft list tables:\n%s", i, tables);
		ruleset = run("nft list ruleset");
		want = listing_for(names[i]);
		CHECK(!strcmp(ruleset, want), "name %zu: nft list ruleset:\n%s--- want:\n%s", i, ruleset, want);
		free(tables);
		free(want_tables);
		free(ruleset);
		free(want);
		nfk_txn_free(t);
	}

	/* longer than the kernel takes: refused, nothing applied */
	{
		struct nfk_txn *t = txn();
		char *out, *nft_err;

		sh("nft flush ruleset; nft add table ip sentinel");
		if (asprintf(&cmd, "nft add table ip %s", n256) < 0)
			cmd = NULL;
		nft_err = cmd ? run(cmd) : strdup("");
		free(cmd);
		CHECK(strstr(nft_err, "Numerical result out of range") != NULL,
		      "the kernel refuses a 256-byte name: %.80s", nft_err);
		CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, "ok") == 0, "a good table first");
		CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, n256) == -ENAMETOOLONG, "256 bytes");
		CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, n300) == -ENAMETOOLONG, "300 bytes");
		CHECK(nfk_txn_add_set(t, NFPROTO_IPV4, "ok", n300, &so) == -ENAMETOOLONG, "set, 300 bytes");
		CHECK(nfk_txn_commit(t) == 0, "commit the rest");
		out = run("nft list tables");
		CHECK(!strcmp(out, "table ip sentinel\ntable ip ok\n"), "only the good table:\n%s", out);
		free(out);
		free(nft_err);
		nfk_txn_free(t);
	}

	/* text that would close the block and run commands: refused */
	{
		struct nfk_txn *t = txn();
		char *out;

		sh("nft flush ruleset; nft add table ip sentinel");
		CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, "t") == 0, "table");
		CHECK(nfk_txn_add_set(t, NFPROTO_IPV4, "t", "s", &so) == 0, "set");
		CHECK(nfk_txn_add_elements(t, NFPROTO_IPV4, "t", "s",
					   "1.2.3.4 }; flush ruleset; add element ip t s {") == -EINVAL,
		      "elements with commands");
		CHECK(nfk_txn_add_object(t, NFPROTO_IPV4, "t", "q",
					 "quota 10 mbytes; flush ruleset") == -EINVAL, "body with a command");
		CHECK(nfk_txn_add_object(t, NFPROTO_IPV4, "t", "q", "quota 10 mbytes") == 0, "quota");
		CHECK(nfk_txn_commit(t) == 0, "commit");
		out = run("nft list tables; nft list quota ip t q");
		CHECK(!strcmp(out, "table ip sentinel\ntable ip t\n"
				   "table ip t {\n\tquota q {\n\t\t10 mbytes\n\t}\n}\n"),
		      "the sentinel is still there, the quota as nft lists it:\n%s", out);
		free(out);
		nfk_txn_free(t);
	}
	sh("nft flush ruleset");
	free(nft_template);
}

/* ---- chain policy and options sz ------------------------------------------- */

/* nfkit's chain `name` of table t, listed by nft, against nft's own chain
 * `ref` built from spec, listed by nft: the same but for the name. */
static void same_chain(const char *name, const char *spec, const char *what)
{
	char *cmd = NULL, *ours, *theirs, *p;

	if (asprintf(&cmd, "nft add chain ip t ref '%s'", spec) >= 0)
		sh(cmd);
	free(cmd);
	if (asprintf(&cmd, "nft list chain ip t %s", name) < 0)
		return;
	ours = run(cmd);
	free(cmd);
	theirs = run("nft list chain ip t ref");
	p = strstr(theirs, "chain ref {");
	if (p)
		memcpy(p + 6, name, 3);   /* names of three letters */
	CHECK(!strcmp(ours, theirs), "%s:\n%s--- nft's:\n%s", what, ours, theirs);
	free(ours);
	free(theirs);
	sh("nft delete chain ip t ref");
}

static void test_chains(void)
{
	struct {
		struct nfk_chain_opts o;
		uint64_t newer[2];
	} big = { .o = { .type = "filter", .hooknum = NF_INET_LOCAL_IN } };
	struct nfk_txn *t = txn();
	char *out;

	sh("nft flush ruleset; nft add table ip t");
	/* zero-initialised: the kernel's default, which nft lists as accept */
	big.o.sz = sizeof(big.o);
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "zer", &big.o) == 0, "zero policy");
	big.o.policy = NFK_CHAIN_POLICY_DROP;
	big.o.hooknum = NF_INET_FORWARD;
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "drp", &big.o) == 0, "drop");
	/* an older caller's sz: policy beyond it reads as zero */
	big.o.hooknum = NF_INET_LOCAL_OUT;
	big.o.sz = offsetof(struct nfk_chain_opts, policy);
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "old", &big.o) == 0, "sz up to prio");
	/* a newer caller's: a zero tail is fine, a non-zero one refused */
	big.o.hooknum = NF_INET_PRE_ROUTING;
	big.o.sz = sizeof(big);
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "new", &big.o) == 0, "larger, zero tail");
	big.newer[0] = 1;
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "bad", &big.o) == -EINVAL, "larger, non-zero tail");
	big.o.sz = 0;
	CHECK(nfk_txn_add_chain(t, NFPROTO_IPV4, "t", "bd0", &big.o) == -EINVAL, "sz 0");
	CHECK(nfk_txn_commit(t) == 0, "commit");
	same_chain("zer", "{ type filter hook input priority 0; }", "zero-initialised opts");
	same_chain("drp", "{ type filter hook forward priority 0; policy drop; }", "policy drop");
	same_chain("old", "{ type filter hook output priority 0; }", "policy beyond sz");
	same_chain("new", "{ type filter hook prerouting priority 0; policy drop; }", "larger sz");
	out = run("nft list chains");
	CHECK(!strstr(out, "bad") && !strstr(out, "bd0"), "refused chains absent:\n%s", out);
	free(out);
	sh("nft flush ruleset");
	nfk_txn_free(t);
}

/* ---- structured errors --------------------------------------------------------- */

/* The columns of the carets in nft's error output, and its message line. */
static bool nft_caret(const char *out, unsigned *col, unsigned *col_end, char *msg, size_t len)
{
	const char *m = strstr(out, "Error: ");
	const char *nl = m ? strchr(m, '\n') : NULL;
	const char *line = nl ? strchr(nl + 1, '\n') : NULL;
	const char *c;

	if (!line)
		return false;
	snprintf(msg, len, "%.*s", (int)(nl - m - 7), m + 7);
	line++;
	c = strchr(line, '^');
	if (!c)
		return false;
	*col = (unsigned)(c - line) + 1;
	*col_end = *col + (unsigned)strspn(c, "^") - 1;
	return true;
}

static void check_err(const struct nfk_error *e, size_t change, int error, const char *nft_out,
		      unsigned shift, const char *what)
{
	unsigned col = 0, col_end = 0;
	char msg[256] = "";

	CHECK(nft_caret(nft_out, &col, &col_end, msg, sizeof(msg)), "%s: nft said:\n%s", what, nft_out);
	CHECK(e != NULL, "%s: an error", what);
	if (!e)
		return;
	CHECK(e->change == change, "%s: change %zu, want %zu", what, e->change, change);
	CHECK(e->error == error, "%s: %d, want %d", what, e->error, error);
	CHECK(!strcmp(e->message, msg), "%s: message \"%s\", nft \"%s\"", what, e->message, msg);
	CHECK(e->line == 1 && e->col == col - shift && e->col_end == col_end - shift,
	      "%s: at %u:%u-%u, nft at 1:%u-%u less %u", what, e->line, e->col, e->col_end, col, col_end,
	      shift);
}

static void test_errors(void)
{
	/* where the elements start in "add element ip t s { ..." */
	const unsigned shift = (unsigned)strlen("add element ip t s { ");
	struct nfk_txn *t;
	char *nft_out;

	sh("nft flush ruleset; nft add table ip t; nft add chain ip t c; "
	   "nft add set ip t s '{ type ipv4_addr; flags interval; }'; "
	   "nft add element ip t s '{ 10.0.0.0/24 }'; "
	   "nft add map ip t m '{ type ipv4_addr : verdict; }'");

	/* a syntax error in elements, at compile time */
	t = txn();
	nft_out = run("nft add element ip t s '{ 1.2.3.4 5.6.7.8 }'");
	CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, "t") == 0, "table");
	CHECK(nfk_txn_add_elements(t, NFPROTO_IPV4, "t", "s", "1.2.3.4 5.6.7.8") == -EINVAL, "bad elements");
	CHECK(nfk_txn_nerrors(t) == 1, "one error");
	check_err(nfk_txn_get_error(t, 0), 1, -EINVAL, nft_out, shift, "element syntax");
	free(nft_out);
	nfk_txn_free(t);

	/* kernel errors: an element overlapping the kernel's interval, an
	 * element jumping to no chain, a rule jumping to no chain */
	nft_out = run("nft add element ip t s '{ 10.0.1.1, 10.0.0.5 }'");
	t = txn();
	CHECK(nfk_txn_add_elements(t, NFPROTO_IPV4, "t", "s", "10.0.1.1, 10.0.0.5") == 0, "elements");
	CHECK(nfk_txn_commit(t) == -EEXIST, "the kernel refuses the overlap");
	check_err(nfk_txn_get_error(t, 0), 0, -EEXIST, nft_out, shift, "overlap");
	free(nft_out);
	nfk_txn_free(t);

	nft_out = run("nft add element ip t m '{ 1.2.3.4 : jump nochain }'");
	t = txn();
	CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, "t") == 0, "table");
	CHECK(nfk_txn_add_elements(t, NFPROTO_IPV4, "t", "m", "1.2.3.4 : jump nochain") == 0, "elements");
	CHECK(nfk_txn_commit(t) == -ENOENT, "the kernel finds no chain");
	check_err(nfk_txn_get_error(t, 0), 1, -ENOENT, nft_out, shift, "element jump");
	free(nft_out);
	nfk_txn_free(t);

	nft_out = run("nft add rule ip t c jump nochain");
	t = txn();
	CHECK(nfk_txn_add_table(t, NFPROTO_IPV4, "t") == 0, "table");
	CHECK(nfk_txn_add_elements(t, NFPROTO_IPV4, "t", "s", "10.9.0.1") == 0, "elements");
	CHECK(nfk_txn_add_text(t, "add rule ip t c jump nochain") == 0, "rule");
	CHECK(nfk_txn_commit(t) == -ENOENT, "the kernel finds no chain");
	check_err(nfk_txn_get_error(t, 0), 2, -ENOENT, nft_out, 0, "rule jump");
	free(nft_out);
	nft_out = run("nft list set ip t s");
	CHECK(!strstr(nft_out, "10.9.0.1"), "nothing applied:\n%s", nft_out);
	free(nft_out);
	nfk_txn_free(t);
	sh("nft flush ruleset");
}

int main(void)
{
	char *v = run("nft --version");

	if (!strstr(v, "nftables")) {
		printf("nft (the oracle) is missing\n0 passed, 1 failed\n");
		return 1;
	}
	free(v);
	if (nfk_ctx_new(&ctx) < 0)
		return 1;
	sh("nft flush ruleset");
	test_set_ids();
	test_names();
	test_chains();
	test_errors();
	nfk_ctx_free(ctx);
	if (path[0])
		remove(path);
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

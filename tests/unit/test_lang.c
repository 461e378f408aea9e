// SPDX-License-Identifier: MIT
/* Front end: lexer, parser, diagnostics, compiler output (offline). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lang/ast.h"
#include "lang/lang.h"

static int npass, nfail;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (cond) {                                                    \
			npass++;                                               \
		} else {                                                       \
			nfail++;                                               \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);   \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
		}                                                              \
	} while (0)

/* Compiles text offline; returns the debug print (malloc'd) or NULL with
 * the first diagnostic printed into *diag. */
static char *compile(const char *name, const char *text, char **diag, size_t *nmsgs)
{
	struct nfk_script *sc = NULL;
	struct nfk_diags ds = { 0 };
	struct nfk_batch *b = NULL;
	struct nfk_compile_opts o = { 0 };
	char *out = NULL;
	size_t len = 0;

	*diag = NULL;
	nfk_batch_new(&b);
	int r = nfk_script_parse(&sc, name, text, &ds);
	if (!r)
		r = nfk_script_compile(sc, &o, b, &ds);
	if (r) {
		FILE *f = open_memstream(diag, &len);
		if (ds.n)
			nfk_diag_print(f, &ds.d[0]);
		fclose(f);
	} else {
		FILE *f = open_memstream(&out, &len);
		nfk_batch_print_debug(f, b);
		fclose(f);
		if (nmsgs)
			*nmsgs = nfk_batch_count(b);
	}
	nfk_batch_free(b);
	nfk_script_free(sc);
	return out;
}

/* The expression lines ("  [ ... ]") of a debug print, joined. */
static char *exprs_of(const char *dbg)
{
	size_t n = strlen(dbg);
	char *o = calloc(1, n + 1), *p = o;
	const char *s = dbg;

	while (*s) {
		const char *e = strchr(s, '\n');
		size_t l = e ? (size_t)(e - s) : strlen(s);
		if (l > 3 && !strncmp(s, "  [", 3)) {
			memcpy(p, s + 2, l - 2);
			p += l - 2;
			*p++ = '\n';
		}
		s += l + (e ? 1 : 0);
	}
	return o;
}

static void expect_rule(int family_inet, const char *rule, const char *want)
{
	char text[1024], *diag;

	snprintf(text, sizeof(text), "add rule %s t c %s", family_inet ? "inet" : "ip", rule);
	char *dbg = compile(NULL, text, &diag, NULL);
	if (!dbg) {
		CHECK(0, "%s: %s", rule, diag ? diag : "?");
		free(diag);
		return;
	}
	char *got = exprs_of(dbg);
	CHECK(!strcmp(got, want), "%s:\n got:\n%s want:\n%s", rule, got, want);
	free(got);
	free(dbg);
}

static void test_lexer(void)
{
	struct nfk_src src = { .name = "x",
			       .text = "ip saddr 10.0.0.0/8 dnat to 10.0.0.2:80 ip6 daddr dead::beef "
				       "{ 22 : accept } $v @s \"q s\" != 1:1234 # c\n" };
	src.len = strlen(src.text);
	struct nfk_lexer lx;
	struct nfk_tok t;
	static const char *const want[] = {
		"ip", "saddr", "10.0.0.0", "/", "8", "dnat", "to", "10.0.0.2", ":", "80", "ip6",
		"daddr", "dead::beef", "{", "22", ":", "accept", "}", "$v", "@s", "\"q s\"", "!=",
		"1:1234",
	};
	nfk_lex_init(&lx, &src);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		nfk_lex_next(&lx, &t);
		CHECK(t.len == strlen(want[i]) && !memcmp(t.s, want[i], t.len),
		      "token %zu: got '%.*s' want '%s'", i, (int)t.len, t.s, want[i]);
	}
	nfk_lex_next(&lx, &t);
	CHECK(t.kind == T_NL, "comment then newline");
	CHECK(t.loc.line == 1 && t.loc.col > 1, "newline location");
	nfk_lex_next(&lx, &t);
	CHECK(t.kind == T_EOF && t.loc.line == 2, "eof on line 2");
}

static void test_rules(void)
{
	expect_rule(1, "tcp dport 22 accept",
		    "[ meta load l4proto => reg 1 ]\n[ cmp eq reg 1 0x00000006 ]\n"
		    "[ payload load 2b @ transport header + 2 => reg 1 ]\n"
		    "[ cmp eq reg 1 0x00001600 ]\n[ immediate reg 0 accept ]\n");
	expect_rule(1, "ct state established,related accept",
		    "[ ct load state => reg 1 ]\n"
		    "[ bitwise reg 1 = ( reg 1 & 0x00000006 ) ^ 0x00000000 ]\n"
		    "[ cmp neq reg 1 0x00000000 ]\n[ immediate reg 0 accept ]\n");
	expect_rule(1, "icmp type echo-request accept",
		    "[ meta load nfproto => reg 1 ]\n[ cmp eq reg 1 0x00000002 ]\n"
		    "[ meta load l4proto => reg 1 ]\n[ cmp eq reg 1 0x00000001 ]\n"
		    "[ payload load 1b @ transport header + 0 => reg 1 ]\n"
		    "[ cmp eq reg 1 0x00000008 ]\n[ immediate reg 0 accept ]\n");
	expect_rule(1, "iifname \"virbr0\" accept",
		    "[ meta load iifname => reg 1 ]\n"
		    "[ cmp eq reg 1 0x62726976 0x00003072 0x00000000 0x00000000 ]\n"
		    "[ immediate reg 0 accept ]\n");
	expect_rule(1, "meta nfproto ipv4 counter reject with icmp port-unreachable",
		    "[ meta load nfproto => reg 1 ]\n[ cmp eq reg 1 0x00000002 ]\n"
		    "[ counter pkts 0 bytes 0 ]\n[ reject type 0 code 3 ]\n");
	expect_rule(0, "tcp dport 8080 dnat to 10.0.0.2:80",
		    "[ meta load l4proto => reg 1 ]\n[ cmp eq reg 1 0x00000006 ]\n"
		    "[ payload load 2b @ transport header + 2 => reg 1 ]\n"
		    "[ cmp eq reg 1 0x0000901f ]\n[ immediate reg 1 0x0200000a ]\n"
		    "[ immediate reg 2 0x00005000 ]\n"
		    "[ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]\n");
	expect_rule(0, "ip saddr 192.168.2.0/24 masquerade",
		    "[ payload load 3b @ network header + 12 => reg 1 ]\n"
		    "[ cmp eq reg 1 0x0002a8c0 ]\n[ masq ]\n");
	expect_rule(1, "tcp dport vmap { 22 : jump ssh, 80 : accept }",
		    "[ meta load l4proto => reg 1 ]\n[ cmp eq reg 1 0x00000006 ]\n"
		    "[ payload load 2b @ transport header + 2 => reg 1 ]\n"
		    "[ lookup reg 1 set __map%d dreg 0 ]\n");
	expect_rule(0, "tcp sport 1024 tcp dport 22",
		    "[ meta load l4proto => reg 1 ]\n[ cmp eq reg 1 0x00000006 ]\n"
		    "[ payload load 4b @ transport header + 0 => reg 1 ]\n"
		    "[ cmp eq reg 1 0x16000004 ]\n");
	expect_rule(1, "tcp option maxseg size 1",
		    "[ exthdr load tcpopt 2b @ 2 + 2 => reg 1 ]\n[ cmp eq reg 1 0x00000100 ]\n");
	expect_rule(0, "ct mark set ct mark or 0x00000001",
		    "[ ct load mark => reg 1 ]\n"
		    "[ bitwise reg 1 = ( reg 1 & 0xfffffffe ) ^ 0x00000001 ]\n"
		    "[ ct set mark with reg 1 ]\n");
	expect_rule(0, "meta mark 0x32-0x45",
		    "[ meta load mark => reg 1 ]\n[ byteorder reg 1 = hton(reg 1, 4, 4) ]\n"
		    "[ cmp gte reg 1 0x32000000 ]\n[ cmp lte reg 1 0x45000000 ]\n");
}

static void test_file(void)
{
	static const char seed[] =
		"define ssh_port = 22\n"
		"table inet testfirewall {\n"
		"\tset trusted_ips {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
		"\t\telements = { 10.0.0.0/8, 192.168.1.1 }\n\t}\n"
		"\tcounter my_counter { }\n"
		"\tchain input {\n"
		"\t\ttype filter hook input priority 0; policy drop;\n"
		"\t\tip saddr @trusted_ips accept\n"
		"\t\ttcp dport $ssh_port counter name my_counter accept\n"
		"\t\ttcp dport { 22, 80, 443 } accept # web\n"
		"\t\tudp dport 53 accept; icmp type echo-request accept\n"
		"\t\tdrop\n"
		"\t}\n}\n";
	char *diag;
	size_t n = 0;
	char *dbg = compile("seed.nft", seed, &diag, &n);
	CHECK(dbg != NULL, "seed compiles: %s", diag ? diag : "");
	/* table, chain, counter, set, elements, 6 rules, anonymous set + its elements */
	CHECK(n == 13, "seed message count %zu", n);
	if (dbg) {
		CHECK(strstr(dbg, "trusted_ips testfirewall 0\n\telement 00000000  : 1 [end]"
				  "\telement 0000000a  : 0 [end]\telement 0000000b  : 1 [end]") != NULL,
		      "interval elements:\n%s", dbg);
		CHECK(strstr(dbg, "[ objref type 1 name my_counter ]") != NULL, "objref");
		CHECK(strstr(dbg, "[ lookup reg 1 set trusted_ips ]") != NULL, "named lookup");
	}
	free(dbg);
	free(diag);
}

static void test_errors(void)
{
	char *diag;
	char *dbg = compile("bad.nft", "table ip t {\n\tchain c {\n\t\ttcp dport 22 acept\n\t}\n}\n",
			    &diag, NULL);
	CHECK(!dbg && diag && !strcmp(diag, "bad.nft:3:21-21: Error: syntax error, unexpected newline\n"
					   "\t\ttcp dport 22 acept\n"
					   "\t\t                  ^\n"),
	      "syntax error diag: %s", diag ? diag : "(none)");
	free(dbg);
	free(diag);
	dbg = compile(NULL, "add rule ip t c tcp dport foo accept", &diag, NULL);
	CHECK(!dbg && diag && strstr(diag, "Error: Could not resolve service") == diag &&
	      strstr(diag, "\n                          ^^^\n"),
	      "type error diag: %s", diag ? diag : "(none)");
	free(dbg);
	free(diag);
	dbg = compile("eof.nft", "table ip t {\n\tchain c {\n", &diag, NULL);
	CHECK(!dbg && diag && strstr(diag, "eof.nft:3:1-1: Error: syntax error, unexpected end of file\n"),
	      "eof diag: %s", diag ? diag : "(none)");
	free(dbg);
	free(diag);
	/* nft sends a 16-character device name and the kernel refuses it;
	 * nfkit compiles it as nft does, and the last check before sending
	 * (precheck.c) answers as the kernel would */
	dbg = compile("dev.nft", "table netdev f {\n\tchain c { type filter hook ingress device "
			"abcdefghijklmnop priority 0; }\n}\n", &diag, NULL);
	CHECK(dbg && !diag && strstr(dbg, "dev abcdefghijklmnop"), "16-character device name: %s",
	      diag ? diag : "(compiled)");
	free(dbg);
	free(diag);
	dbg = compile("dev.nft", "table netdev f {\n\tchain c { type filter hook ingress device "
			"abcdefghijklmno priority 0; }\n}\n", &diag, NULL);
	CHECK(dbg && !diag, "15-character device name: %s", diag ? diag : "(accepted)");
	free(dbg);
	free(diag);
	/* the fuzzer's: a chain spec repeated more often than a chain holds
	 * devices overflowed the list */
	{
		char text[2048] = "table netdev f {\n\tchain c {\n";
		for (int i = 0; i < 20; i++)
			strcat(text, "\t\ttype filter hook ingress device lo priority 0;\n");
		strcat(text, "\t}\n}\n");
		dbg = compile("rep.nft", text, &diag, NULL);
		CHECK(dbg && !diag && strstr(dbg, "hook ingress prio 0") && strstr(dbg, "dev lo"), "repeated chain spec: %s",
		      diag ? diag : "(no output)");
		free(dbg);
		free(diag);
	}
}

/* ct timeout / ct expectation / synproxy / secmark declarations: the data nft sends
 * (as libnftnl's debug print shows it), and nft's errors about them. */
static void test_ct_objects(void)
{
	static const struct { const char *text, *want; } ok[] = {
		{ "add ct timeout ip t x { protocol tcp; policy = { established:122 } ;}",
		  "[ ct_timeout protocol 6 policy = {ESTABLISHED = 122,}]" },
		{ "table ip t { ct timeout x { protocol udp; policy = { unreplied: 5 }; l3proto ip; }; }",
		  "[ ct_timeout family 2 protocol 17 policy = {UNREPLIED = 5,REPLIED = 120,}]" },
		{ "add ct expectation ip t e { protocol tcp; dport 1234; timeout 2m; size 12; }",
		  "[ ct_expect protocol 6 dport 1234 timeout 120000 size 12 ]" },
		{ "add synproxy ip t s mss 1460 wscale 7 timestamp sack-perm",
		  "[ synproxy mss 1460 wscale 7 ]" },
		{ "table ip t { synproxy s { mss 1460; wscale 7; comment \"x\" }; }",
		  "[ synproxy mss 1460 wscale 7 ]" },
		{ "table inet x { secmark s { \"system_u:object_r:ssh_server_packet_t:s0\" }; }",
		  "[ secmark context system_u:object_r:ssh_server_packet_t:s0 ]" },
		{ "add secmark t s { \"a\"; \"b\"; comment \"c\" }", "[ secmark context b ]" },
		{ "add secmark t s \"ctx\"", "[ secmark context ctx ]" },
		{ "table inet x { map m { type inet_service : secmark; }\n"
		  "chain y { meta secmark set tcp dport map @m; }; }",
		  "[ objref sreg 1 set m ]" },
		{ "table inet x { chain y { meta secmark set \"lbl\"; ct secmark set meta secmark; }; }",
		  "[ objref type 8 name lbl ]" },
	};
	static const struct { const char *text, *want; } bad[] = {
		{ "add ct timeout ip t x {protocol tcp; policy = { estalbished:100 } ;}",
		  "Error: invalid state for this protocol\n"
		  "add ct timeout ip t x {protocol tcp; policy = { estalbished:100 } ;}\n"
		  "                                                ^^^^^^^^^^^\n" },
		{ "add ct expectation ip t ctexpect2 { protocol udp; }",
		  "Error: missing options\n"
		  "add ct expectation ip t ctexpect2 { protocol udp; }\n"
		  "                                ^\n" },
		{ "add synproxy ip t s { mss x wscale 7 }",
		  "Error: syntax error, unexpected string, expecting number\n"
		  "add synproxy ip t s { mss x wscale 7 }\n"
		  "                          ^\n" },
		{ "reset secmark t s",
		  "Error: syntax error, unexpected secmark, expecting counter or counters or quotas or quota\n"
		  "reset secmark t s\n"
		  "      ^^^^^^^\n" },
		{ "add secmark t s",
		  "Error: syntax error, unexpected newline, expecting string or quoted string or string "
		  "with a trailing asterisk or '{'\n"
		  "add secmark t s\n"
		  "               ^\n" },
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char *diag;
		char *dbg = compile(NULL, ok[i].text, &diag, NULL);
		CHECK(dbg && strstr(dbg, ok[i].want), "%s:\n got: %s\n want: %s", ok[i].text,
		      dbg ? dbg : diag, ok[i].want);
		free(dbg);
		free(diag);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *diag;
		char *dbg = compile(NULL, bad[i].text, &diag, NULL);
		CHECK(!dbg && diag && !strcmp(diag, bad[i].want), "%s:\n got: %s\n want: %s",
		      bad[i].text, diag ? diag : "(none)", bad[i].want);
		free(dbg);
		free(diag);
	}
}

static void test_commands(void)
{
	struct nfk_script *sc = NULL;
	struct nfk_diags ds = { 0 };
	int r = nfk_script_parse(&sc, NULL,
				 "list ruleset; list table inet filter; list chain ip t c\n"
				 "delete rule ip t c handle 7; flush ruleset; list counters", &ds);
	CHECK(r == 0 && nfk_script_ncmds(sc) == 6, "commands parse (%d, %zu)", r,
	      nfk_script_ncmds(sc));
	if (r == 0 && nfk_script_ncmds(sc) == 6) {
		const struct nfk_cmd *c = nfk_script_cmd(sc, 0);
		CHECK(c->op == NFK_CMD_LIST && c->obj == NFK_OBJ_RULESET && c->h.family == -1,
		      "list ruleset");
		c = nfk_script_cmd(sc, 1);
		CHECK(c->obj == NFK_OBJ_TABLE && c->h.family == NFPROTO_INET &&
		      !strcmp(c->h.table, "filter"), "list table");
		c = nfk_script_cmd(sc, 2);
		CHECK(c->obj == NFK_OBJ_CHAIN && !strcmp(c->h.chain, "c"), "list chain");
		c = nfk_script_cmd(sc, 3);
		CHECK(c->op == NFK_CMD_DELETE && c->h.handle == 7, "delete handle");
		c = nfk_script_cmd(sc, 5);
		CHECK(c->obj == NFK_OBJ_COUNTERS, "list counters");
	}
	nfk_script_free(sc);
}

static void test_include(void)
{
	char dir[] = "/tmp/nfk-test-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	char inc[256], main_path[256];
	snprintf(inc, sizeof(inc), "%s/inc.nft", dir);
	snprintf(main_path, sizeof(main_path), "%s/main.nft", dir);
	FILE *f = fopen(inc, "w");
	fputs("define p = 80\n", f);
	fclose(f);
	f = fopen(main_path, "w");
	fprintf(f, "include \"%s\"\nadd rule ip t c tcp dport $p accept\n", inc);
	fclose(f);
	struct nfk_script *sc = NULL;
	struct nfk_diags ds = { 0 };
	int r = nfk_script_parse_file(&sc, main_path, &ds);
	CHECK(r == 0 && nfk_script_ncmds(sc) == 1, "include + define");
	nfk_script_free(sc);
	unlink(inc);
	unlink(main_path);
	rmdir(dir);
}

/* Many elements: streamed into several messages, none over 64 KiB. */
static int size_cb(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	(void)cookie;
	(void)index;
	size_t *max = arg;
	if (nlh->nlmsg_len > *max)
		*max = nlh->nlmsg_len;
	return 0;
}

static void test_many_elements(void)
{
	size_t n = 50000, cap = n * 20 + 200, off = 0;
	char *text = malloc(cap);
	off += sprintf(text, "table ip t {\n set s { type ipv4_addr; elements = {\n");
	for (size_t i = 0; i < n; i++)
		off += sprintf(text + off, "10.%zu.%zu.%zu,\n", (i >> 16) & 255, (i >> 8) & 255, i & 255);
	sprintf(text + off, "} }\n}\n");
	struct nfk_script *sc = NULL;
	struct nfk_diags ds = { 0 };
	struct nfk_batch *b = NULL;
	struct nfk_compile_opts o = { 0 };
	nfk_batch_new(&b);
	int r = nfk_script_parse(&sc, NULL, text, &ds);
	if (!r)
		r = nfk_script_compile(sc, &o, b, &ds);
	size_t max = 0;
	nfk_batch_for_each(b, size_cb, &max);
	CHECK(r == 0 && nfk_batch_count(b) > 10 && max <= 65536,
	      "50k elements: r=%d msgs=%zu max=%zu", r, nfk_batch_count(b), max);
	nfk_batch_free(b);
	nfk_script_free(sc);
	free(text);
}

/* Kernel errors with an attribute offset point at the statement. */
static int find_rule(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	(void)index;
	const void **out = arg;
	if ((nlh->nlmsg_type & 0xff) == NFT_MSG_NEWRULE) {
		out[0] = cookie;
		out[1] = nlh;
	}
	return 0;
}

static void test_err_loc(void)
{
	struct nfk_script *sc = NULL;
	struct nfk_diags ds = { 0 };
	struct nfk_batch *b = NULL;
	struct nfk_compile_opts o = { 0 };
	const void *found[2] = { NULL, NULL };

	nfk_batch_new(&b);
	int r = nfk_script_parse(&sc, "j.nft", "add rule ip t c tcp dport 22 jump nochain", &ds);
	if (!r)
		r = nfk_script_compile(sc, &o, b, &ds);
	nfk_batch_for_each(b, find_rule, found);
	CHECK(r == 0 && found[0], "jump rule compiles");
	if (found[0]) {
		const struct nlmsghdr *nlh = found[1];
		/* an offset near the end of the message is inside the verdict */
		const struct nfk_loc *l = nfk_script_err_loc(sc, found[0], nlh->nlmsg_len - 8);
		CHECK(l && l->col == 35 && l->col_end == 41, "err loc at chain name: %u-%u",
		      l ? l->col : 0, l ? l->col_end : 0);
		l = nfk_script_err_loc(sc, found[0], -1);
		CHECK(l == found[0], "no offset: the rule");
	}
	nfk_batch_free(b);
	nfk_script_free(sc);
}


/* Interval sets: adjacent ranges stay apart, overlaps are refused with
 * both elements marked, a declaration carries later additions. */
static void test_intervals(void)
{
	char *diag;
	char *dbg = compile("i.nft",
			    "add table inet t\n"
			    "add set inet t s { type ipv4_addr; flags interval; }\n"
			    "add element inet t s { 192.168.1.1, 192.168.1.2, 10.0.0.5 }\n",
			    &diag, NULL);
	CHECK(dbg && strstr(dbg, "s t 0\n\telement 00000000  : 1 [end]\telement 0500000a  : 0 [end]"
				 "\telement 0600000a  : 1 [end]\telement 0101a8c0  : 0 [end]"
				 "\telement 0201a8c0  : 1 [end]\telement 0201a8c0  : 0 [end]"
				 "\telement 0301a8c0  : 1 [end]\ns t 0\n\telement 0500000a  : 0 [end]"),
	      "adjacent intervals: %s", dbg ? dbg : diag);
	free(dbg);
	free(diag);
	dbg = compile("i.nft",
		      "add table inet t\n"
		      "add set inet t s { type ipv4_addr; flags interval; auto-merge; }\n"
		      "add element inet t s { 1.1.1.1, 1.1.1.2 }\n", &diag, NULL);
	CHECK(dbg && strstr(dbg, "\telement 00000000  : 1 [end]\telement 01010101  : 0 [end]"
				 "\telement 03010101  : 1 [end]\n"),
	      "auto-merge: %s", dbg ? dbg : diag);
	free(dbg);
	free(diag);
	dbg = compile("i.nft",
		      "add table inet t\n"
		      "add set inet t s { type ipv4_addr; flags interval; }\n"
		      "add element inet t s { 1.1.1.5, 1.1.1.0/24 }\n", &diag, NULL);
	CHECK(!dbg && diag && !strcmp(diag, "i.nft:3:24-30: Error: conflicting intervals specified\n"
					   "add element inet t s { 1.1.1.5, 1.1.1.0/24 }\n"
					   "                       ^^^^^^^  ~~~~~~~~~~\n"),
	      "overlap: %s", diag ? diag : dbg);
	free(dbg);
	free(diag);
	dbg = compile("i.nft", "table ip t { set s { type ipv4_addr; flags interval; "
			       "elements = { 255.255.255.0/24 } }; }\n", &diag, NULL);
	CHECK(dbg && strstr(dbg, "element 00ffffff  : 0 [end]  userdata = { \\x01\\x04\\x01\\x00\\x00\\x00 }\n"),
	      "open interval: %s", dbg ? dbg : diag);
	free(dbg);
	free(diag);
}

/* Datatype mismatches carry the matched expression as '~' context. */
static void test_mismatch(void)
{
	char *diag;
	char *dbg = compile(NULL, "add rule ip t c ip saddr tcp accept", &diag, NULL);
	CHECK(!dbg && diag && !strcmp(diag, "Error: datatype mismatch, expected IPv4 address, "
					   "expression has type Internet protocol\n"
					   "add rule ip t c ip saddr tcp accept\n"
					   "                ~~~~~~~~ ^^^\n"),
	      "mismatch: %s", diag ? diag : dbg);
	free(dbg);
	free(diag);
	dbg = compile(NULL, "table ip t { set p { type inet_service; }\n chain c { ip saddr @p; }; }",
		      &diag, NULL);
	CHECK(!dbg && diag && strstr(diag, "expected IPv4 address, expression has type internet network service\n") &&
	      strstr(diag, "~~~~~~~~ ^^\n"), "set type: %s", diag ? diag : dbg);
	free(dbg);
	free(diag);
	dbg = compile(NULL, "table ip t { chain c { ip saddr @nosuch; }; }", &diag, NULL);
	CHECK(!dbg && diag && !strncmp(diag, "Error: No such file or directory\n", 32),
	      "missing set: %s", diag ? diag : dbg);
	free(dbg);
	free(diag);
}

/* typeof sets: key from the expression, nft's typeof user data. */
static void test_typeof(void)
{
	char *diag;
	char *dbg = compile("t.nft", "table inet t {\n set s { typeof vlan id; elements = { 5 } }\n"
				     " map m { typeof tcp dport : verdict; }\n"
				     " chain c { tcp dport vmap @m; }; }\n", &diag, NULL);
	CHECK(dbg && strstr(dbg, "\telement 00000500 ") && strstr(dbg, "lookup reg 1 set m dreg 0"),
	      "typeof: %s", dbg ? dbg : diag);
	free(dbg);
	free(diag);
}

/* -D definitions and -I include directories. */
static void test_opts(void)
{
	const char *defs[] = { "port=22", "ifs={ \"a\", \"b\" }" };
	struct nfk_parse_opts o = { .defines = defs, .ndefines = 2 };
	struct nfk_script *sc = NULL;
	struct nfk_diags ds = { 0 };
	int r = nfk_script_parse_opts(&sc, "x.nft",
				      "add rule ip t c tcp dport $port iifname $ifs\n", &o, &ds);
	CHECK(r == 0 && nfk_script_ncmds(sc) == 1, "-D: %d %s", r, ds.n ? ds.d[0].msg : "");
	nfk_script_free(sc);
	const char *dup[] = { "x=1", "x=2" };
	struct nfk_parse_opts o2 = { .defines = dup, .ndefines = 2 };
	memset(&ds, 0, sizeof(ds));
	r = nfk_script_parse_opts(&sc, "x.nft", "add table ip t\n", &o2, &ds);
	CHECK(r && ds.n && !strcmp(ds.d[0].msg, "redefinition of symbol 'x'"), "-D twice");
	nfk_script_free(sc);

	char dir[] = "/tmp/nfk-test-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp");
		return;
	}
	char inc[256];
	snprintf(inc, sizeof(inc), "%s/nfk-unit-inc.nft", dir);
	FILE *f = fopen(inc, "w");
	fputs("add table ip from_inc\n", f);
	fclose(f);
	const char *paths[] = { "/nonexistent", dir };
	struct nfk_parse_opts o3 = { .include_paths = paths, .ninclude = 2 };
	memset(&ds, 0, sizeof(ds));
	r = nfk_script_parse_opts(&sc, "x.nft", "include \"nfk-unit-inc.nft\"\n", &o3, &ds);
	const struct nfk_cmd *c = nfk_script_cmd(sc, 0);
	CHECK(r == 0 && c && !strcmp(c->h.table, "from_inc"), "-I search");
	nfk_script_free(sc);
	memset(&ds, 0, sizeof(ds));
	r = nfk_script_parse_opts(&sc, "x.nft", "include \"nfk-unit-inc.nft\"\n", NULL, &ds);
	CHECK(r && ds.n && strstr(ds.d[0].msg, "File not found"), "no -I");
	nfk_script_free(sc);
	unlink(inc);
	rmdir(dir);
}

/* Each name a command writes has its location. */
static void test_name_locs(void)
{
	struct nfk_script *sc = NULL;
	struct nfk_diags ds = { 0 };
	int r = nfk_script_parse(&sc, NULL, "delete rule inet filter input handle 12", &ds);
	const struct nfk_cmd *c = nfk_script_cmd(sc, 0);
	CHECK(r == 0 && c && c->h.table_loc.col == 18 && c->h.chain_loc.col == 25 &&
	      c->h.handle_loc.col == 38 && c->h.handle_loc.col_end == 39, "name locations");
	nfk_script_free(sc);
}

/* Several errors: syntax errors recovered at the line, then each rule's
 * semantic errors, as nft reports them. */
static void test_several_errors(void)
{
	struct nfk_script *sc = NULL;
	struct nfk_diags ds = { 0 };
	int r = nfk_script_parse(&sc, "m.nft", "table inet t {\n chain c {\n  tcp dport 80 acept\n"
					       "  ip saddr 1.1.1.1\n }\n}\nadd rule inet t c tcp dport 22 acept\n",
				 &ds);
	CHECK(r && ds.n == 2 && ds.d[0].loc.line == 3 && ds.d[1].loc.line == 7,
	      "syntax errors: %u", ds.n);
	nfk_script_free(sc);
	memset(&ds, 0, sizeof(ds));
	r = nfk_script_parse(&sc, "m.nft", "table inet t {\n chain c {\n  ip saddr tcp accept\n"
					   "  udp dport foo accept\n }\n}\n", &ds);
	struct nfk_batch *b = NULL;
	struct nfk_compile_opts o = { 0 };
	nfk_batch_new(&b);
	if (!r)
		r = nfk_script_compile(sc, &o, b, &ds);
	CHECK(r && ds.n == 2 && ds.d[0].loc.line == 3 && ds.d[1].loc.line == 4,
	      "semantic errors: %u", ds.n);
	nfk_batch_free(b);
	nfk_script_free(sc);
}

int main(void)
{
	test_lexer();
	test_rules();
	test_file();
	test_errors();
	test_ct_objects();
	test_commands();
	test_include();
	test_many_elements();
	test_err_loc();
	test_intervals();
	test_mismatch();
	test_typeof();
	test_opts();
	test_name_locs();
	test_several_errors();
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}

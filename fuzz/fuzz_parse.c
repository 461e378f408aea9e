// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: nft text -> parse -> offline compile -> debug print,
 * then the compiled messages read back as the kernel would list them
 * (snapshot, decompiler, `list ruleset`).  Any input must give either
 * diagnostics or a batch, never a crash, and every message the compiler
 * emits must pass its own schema, but for a value longer than its field
 * holds (a name, a chain to jump to, a device: what nft sends and the
 * kernel refuses), which is answered as the kernel answers it and never
 * sent (src/api/precheck.c), so it is not in the read-back either.
 *
 * Mutations are structure-aware (LLVMFuzzerCustomMutator): besides
 * libFuzzer's own byte mutations (with fuzz/nft.dict), words and numbers
 * are replaced by keywords and extreme numbers, and generated pieces are
 * spliced in at word boundaries: long concatenations, raw payload
 * expressions with huge offsets, deep nesting, jump chains, long names,
 * comments and device lists, out-of-range priorities.  The crossover
 * splices whole lines of two inputs.
 *
 * Includes are read from the file system: inputs that would include
 * anything but a plain name (searched in /etc only) are skipped, so that
 * "/dev/zero" or a pattern cannot hang the fuzzer.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "obj/objects.h"

static FILE *sink;

/* A table or chain the snapshot holds already: the kernel keeps one object
 * of a name, a repeated add is not a second one (and listing every copy
 * in every copy of its table would only take time). */
static bool known(const struct nfk_kstate *ks, const struct nlmsghdr *nlh)
{
	const struct nfgenmsg *g = NLMSG_DATA(nlh);
	const struct nlattr *t, *n;
	const void *attrs;
	size_t len;

	attrs = nfk_msg_attrs(nlh, &len);
	if (!attrs)
		return false;
	switch (nlh->nlmsg_type & 0xff) {
	case NFT_MSG_NEWTABLE:
		t = nfk_attr_find(attrs, len, NFTA_TABLE_NAME);
		return t && nfk_kstate_has_table(ks, g->nfgen_family, nfk_attr_get_str(t));
	case NFT_MSG_NEWCHAIN:
		t = nfk_attr_find(attrs, len, NFTA_CHAIN_TABLE);
		n = nfk_attr_find(attrs, len, NFTA_CHAIN_NAME);
		return t && n && nfk_kstate_has_chain(ks, g->nfgen_family, nfk_attr_get_str(t),
						      nfk_attr_get_str(n));
	default:
		return false;
	}
}

static int check_msg(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	struct nfk_verr err;

	(void)cookie;
	if (nfk_msg_validate(nlh, &err) < 0) {
		if (err.too_long)
			return 0;
		fprintf(stderr, "compiler emitted an invalid message %zu: %s\n", index, err.msg);
		abort();
	}
	/* kept as the kernel would keep it; malformed ones were caught above */
	if (!known(arg, nlh) && ks_append_msg(arg, nlh, NULL) == -ENOMEM)
		abort();
	return 0;
}

/* false when an include names a path or a pattern rather than a plain name */
static bool includes_safe(const char *text)
{
	for (const char *p = text; (p = strstr(p, "include")); p += 7) {
		const char *q = p + 7;

		while (*q && *q != '"' && *q != '\n')
			q++;
		if (*q != '"')
			continue;
		q++;
		if (*q == '.' || *q == '/' || *q == '"')
			return false;
		for (; *q && *q != '"'; q++)
			if (!isalnum((unsigned char)*q) && *q != '_' && *q != '-' && *q != '.')
				return false;
	}
	return true;
}

/* The batch as the kernel would list it: snapshot, every rule decompiled,
 * the whole ruleset listed with options chosen by the input's length. */
static void read_back(struct nfk_kstate *ks, size_t size)
{
	static struct nfk_script *list;
	struct nfk_list_opts o = {
		.handle = size & 1, .stateless = size & 2, .terse = size & 4,
		.print = size & 8 ? NFK_PRINT_NUMERIC | NFK_PRINT_NUMERIC_PROTO : 0,
	};
	struct nfk_diags ds = { .n = 0 };

	if (ks_sets_build(ks) < 0)
		return;
	for (size_t i = 0; i < ks->k[KS_RULE].n; i++) {
		const struct nlattr *tb[NFTA_RULE_MAX + 1];

		ks_index(ks, KS_RULE, i, tb, NFTA_RULE_MAX);
		if (tb[NFTA_RULE_EXPRESSIONS])
			nfk_rule_decompile(sink, ks, ks->k[KS_RULE].v[i].family,
					   nfk_tb_str(tb, NFTA_RULE_TABLE, ""),
					   nfk_attr_data(tb[NFTA_RULE_EXPRESSIONS]),
					   nfk_attr_len(tb[NFTA_RULE_EXPRESSIONS]), &o);
	}
	if (!list && nfk_script_parse(&list, NULL, "list ruleset", &ds) < 0)
		abort();
	nfk_list_cmd(sink, ks, nfk_script_cmd(list, 0), &o, &ds);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nfk_compile_opts o = { 0 };
	struct nfk_diags ds = { .n = 0 };
	struct nfk_script *sc = NULL;
	struct nfk_batch *b = NULL;
	struct nfk_kstate *ks = NULL;
	char *text = malloc(size + 1);

	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!text || !sink)
		goto out;
	memcpy(text, data, size);
	text[size] = '\0';
	if (!includes_safe(text))
		goto out;
	if (nfk_script_parse(&sc, "fuzz.nft", text, &ds) == 0 && nfk_batch_new(&b) == 0 &&
	    nfk_script_compile(sc, &o, b, &ds) == 0) {
		ks = calloc(1, sizeof(*ks));
		if (!ks)
			goto out;
		nfk_batch_for_each(b, check_msg, ks);
		nfk_batch_print_debug(sink, b);
		read_back(ks, size);
	}
	for (unsigned i = 0; i < ds.n && i < NFK_DIAG_MAX; i++)
		nfk_diag_print(sink, &ds.d[i]);
out:
	nfk_kstate_free(ks);
	nfk_batch_free(b);
	nfk_script_free(sc);
	free(text);
	return 0;
}

/* ---- structure-aware mutations ----------------------------------------- */

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed);
size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
				 uint8_t *out, size_t max, unsigned int seed);

static uint64_t rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return n ? (unsigned)((rng >> 33) % n) : 0;
}

#define PICK(a) ((a)[rnd(sizeof(a) / sizeof((a)[0]))])

static const char *const numbers[] = {
	"0", "1", "-1", "-0", "255", "256", "65535", "65536", "2147483647", "2147483648",
	"-2147483648", "-2147483649", "4294967295", "4294967296", "9223372036854775807",
	"9223372036854775808", "-9223372036854775809", "18446744073709551615",
	"18446744073709551616", "99999999999", "340282366920938463463374607431768211456",
	"0x0", "0xffffffff", "0x100000000", "0xffffffffffffffff", "0x10000000000000000",
	"0xffffffffffffffffffffffffffffffffffffffff", "00000000000000000000001", "1e9", "0b1",
	"1-0", "4294967295-0", "0/0", "0/33", "0/129", "1.2.3.4/0", "1.2.3.4/33", "::/129",
	"255.255.255.255", "256.1.1.1", "ff:ff:ff:ff:ff:ff", "ffff::ffff:ffff:ffff:ffff:ffff",
};

static const char *const keywords[] = {
	"table", "chain", "rule", "set", "map", "vmap", "element", "elements", "flowtable",
	"counter", "quota", "limit", "ct", "meta", "ip", "ip6", "inet", "arp", "bridge", "netdev",
	"tcp", "udp", "th", "icmp", "icmpv6", "ether", "vlan", "type", "typeof", "hook",
	"priority", "policy", "device", "devices", "flags", "interval", "timeout", "comment",
	"accept", "drop", "reject", "jump", "goto", "return", "continue", "queue", "log", "nat",
	"snat", "dnat", "masquerade", "redirect", "to", "saddr", "daddr", "sport", "dport",
	"mark", "state", "protocol", "l4proto", "iifname", "oifname", "length", "fib", "rt",
	"exthdr", "hbh", "frag", "tcp option", "sctp", "dccp", "ah", "esp", "comp", "osf",
	"socket", "tproxy", "synproxy", "secmark", "numgen", "jhash", "symhash", "update",
	"add", "delete", "insert", "replace", "create", "flush", "list", "define", "redefine",
	"undefine", "include", "size", "auto-merge", "@s", "$v", "ipv4_addr", "ipv6_addr",
	"inet_service", "inet_proto", "ether_addr", "ifname", "verdict", "mark", "dynamic",
	"constant", "packets", "bytes", "over", "burst", "rate", "second", "offload", "dup",
	"fwd", "notrack", "last", "inner", "vxlan", "geneve", "gre", "ipsec", "reqid",
};

static const char *const selectors[] = {
	"ip saddr", "ip daddr", "ip6 saddr", "ip6 daddr", "tcp dport", "tcp sport", "udp dport",
	"th dport", "meta mark", "meta l4proto", "meta iifname", "iifname", "oif", "ether saddr",
	"vlan id", "ct state", "ct mark", "ip protocol", "ip dscp", "meta nfproto", "ip6 nexthdr",
	"@th,16,16", "@nh,96,32", "@ll,0,48", "meta skuid", "ct zone", "tcp flags", "ip ttl",
	"ct original ip saddr", "osf name", "socket mark", "fib daddr type", "rt classid",
};

static const char *const types[] = {
	"ipv4_addr", "ipv6_addr", "inet_service", "inet_proto", "ether_addr", "mark", "ifname",
	"iface_index", "ct_state", "ether_type", "arp_op", "verdict", "integer", "string",
	"time", "day", "hour", "cgroupv2", "dscp", "ecn", "boolean", "realm", "classid",
};

static const char *const values[] = {
	"1.2.3.4", "::1", "22", "http", "0x10", "eth0", "aa:bb:cc:dd:ee:ff", "tcp", "established",
	"1.0.0.0/8", "10-20", "\"lo\"", "*", "accept", "jump c", "1d", "2h30m", "0",
};

/* A generated piece of nft text in buf (at most cap bytes); its length. */
static size_t gen_piece(char *buf, size_t cap)
{
	size_t n = 0;
	unsigned k;

#define PUT(...)                                                                  \
	do {                                                                      \
		int w_ = snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__);   \
		if (w_ < 0 || (size_t)w_ >= cap - n)                              \
			return n;                                                 \
		n += (size_t)w_;                                                  \
	} while (0)
	if (!cap)
		return 0;
	buf[0] = '\0';
	switch (rnd(14)) {
	case 0: /* concatenation of selectors, maybe with a set of values */
		k = 2 + rnd(39);
		for (unsigned i = 0; i < k; i++)
			PUT("%s%s", i ? " . " : "", PICK(selectors));
		if (rnd(2)) {
			PUT(" { ");
			for (unsigned i = 0; i < k; i++)
				PUT("%s%s", i ? " . " : "", PICK(values));
			PUT(" }");
		}
		break;
	case 1: /* concatenated type */
		k = 2 + rnd(39);
		PUT("%s ", rnd(2) ? "type" : "typeof");
		for (unsigned i = 0; i < k; i++)
			PUT("%s%s", i ? " . " : "", rnd(3) ? PICK(types) : PICK(selectors));
		if (rnd(2))
			PUT(" : %s", PICK(types));
		break;
	case 2: /* raw payload */
		PUT("@%s,%s,%s", rnd(4) ? PICK(((const char *const[]){ "ll", "nh", "th", "ih" })) :
					 PICK(keywords),
		    PICK(numbers), PICK(numbers));
		if (rnd(2))
			PUT(" %s", PICK(numbers));
		break;
	case 3: { /* deep nesting */
		static const unsigned depths[] = { 8, 33, 64, 200, 1000, 5000 };
		static const char *const open[] = { "{ ", "(", "{ { ", "$", "[" };
		static const char *const close[] = { " }", ")", " } }", "", "]" };
		unsigned d = PICK(depths), t = rnd(5);

		for (unsigned i = 0; i < d; i++)
			PUT("%s", open[t]);
		PUT("%s", PICK(values));
		for (unsigned i = 0; i < d; i++)
			PUT("%s", close[t]);
		break;
	}
	case 4: { /* jump chains, maybe a loop */
		static const unsigned lens[] = { 2, 16, 64, 300, 1000 };
		unsigned len = PICK(lens);

		PUT("\ntable ip jc {\n");
		for (unsigned i = 0; i < len; i++)
			PUT("chain c%u { %s c%u }\n", i, rnd(2) ? "jump" : "goto",
			    i + 1 < len || rnd(2) ? i + 1 : 0);
		PUT("chain c%u { }\n}\n", len);
		break;
	}
	case 5: { /* long name, comment or device */
		static const unsigned lens[] = { 15, 16, 17, 31, 32, 33, 255, 256, 257, 1000, 4096 };
		unsigned len = PICK(lens);
		const char *fmt = PICK(((const char *const[]){ "%s", "comment \"%s\"", "\"%s\"",
							       "device \"%s\"", "$%s", "@%s" }));
		char *name = malloc(len + 1);

		if (!name)
			return n;
		memset(name, 'a' + (char)rnd(26), len);
		name[len] = '\0';
		if (rnd(2))
			name[rnd(len)] = PICK(((const char[]){ '.', '-', '/', '\\', ' ', '%', '"' }));
		if (snprintf(buf + n, cap - n, fmt, name) < (int)(cap - n))
			n += strlen(buf + n);
		free(name);
		break;
	}
	case 6: { /* device lists */
		static const unsigned lens[] = { 1, 2, 256, 257, 1000 };
		unsigned len = PICK(lens);

		PUT("devices = { ");
		for (unsigned i = 0; i < len; i++)
			PUT("%s\"d%u\"", i ? ", " : "", rnd(8) ? i : 0);
		PUT(" }");
		break;
	}
	case 7: /* priorities */
		PUT("priority %s%s%s", rnd(2) ? PICK(((const char *const[]){
			"filter", "raw", "mangle", "dstnat", "srcnat", "security", "out", "nosuch" })) :
			"", rnd(2) ? PICK(((const char *const[]){ " + ", " - ", " -", "+" })) : "",
		    PICK(numbers));
		break;
	case 8: /* a whole base chain with odd numbers */
		PUT("\ntable %s t { chain c { type %s hook %s priority %s; policy %s; } }\n",
		    PICK(((const char *const[]){ "ip", "ip6", "inet", "arp", "bridge", "netdev" })),
		    PICK(((const char *const[]){ "filter", "nat", "route" })),
		    PICK(((const char *const[]){ "input", "output", "forward", "prerouting",
						"postrouting", "ingress", "egress" })),
		    PICK(numbers), rnd(2) ? "drop" : "accept");
		break;
	case 9: /* a set with many elements */
		k = 1 + rnd(300);
		PUT("\nadd set ip t s%u { type %s; flags interval; elements = { ", k, PICK(types));
		for (unsigned i = 0; i < k; i++)
			PUT("%s%s", i ? ", " : "", rnd(4) ? PICK(numbers) : PICK(values));
		PUT(" } }\n");
		break;
	case 10: /* statements with extreme arguments */
		PUT("%s %s", PICK(((const char *const[]){
			"limit rate", "limit rate over", "quota", "quota over", "counter packets",
			"ct count", "numgen inc mod", "jhash ip saddr mod", "queue num", "meta mark set",
			"ct mark set", "tcp option maxseg size set", "log level", "log group",
			"log snaplen", "reject with icmp type", "dup to", "fwd to", "ip ttl set",
			"meta priority set", "symhash mod", "frag frag-off", "ip6 hbh hdrlength" })),
		    PICK(numbers));
		if (rnd(2))
			PUT(" %s", PICK(((const char *const[]){ "bytes", "mbytes", "/second",
								"/minute", "burst", "offset", "seed" })));
		break;
	case 11: /* defines and variables */
		PUT("\ndefine v%u = %s\n", rnd(4), rnd(2) ? PICK(values) : PICK(numbers));
		break;
	case 12:
		PUT("%s", PICK(keywords));
		break;
	default:
		PUT("%s", PICK(numbers));
		break;
	}
#undef PUT
	return n;
}

static bool is_word(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c == '/' || c == ':';
}

/* [*s, *e) of a random word (or number when digits), false when none. */
static bool find_token(const uint8_t *d, size_t size, bool digits, size_t *s, size_t *e)
{
	size_t start = rnd((unsigned)size), i;

	for (size_t tries = 0; tries < 2; tries++) {
		for (i = start; i < size; i++) {
			if (!is_word(d[i]) || (i && is_word(d[i - 1])))
				continue;
			if (digits && !isdigit(d[i]))
				continue;
			*s = i;
			while (i < size && is_word(d[i]))
				i++;
			*e = i;
			return true;
		}
		start = 0;
	}
	return false;
}

/* Replaces [s, e) of data by piece; the new size, or 0 when it does not fit. */
static size_t splice(uint8_t *data, size_t size, size_t max, size_t s, size_t e,
		     const char *piece, size_t plen)
{
	if (size - (e - s) + plen > max)
		return 0;
	memmove(data + s + plen, data + e, size - e);
	memcpy(data + s, piece, plen);
	return size - (e - s) + plen;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max, unsigned int seed)
{
	static char piece[1 << 16];
	size_t s, e, plen, n = 0;

	rng = seed * 0x9e3779b97f4a7c15ull + 1;
	switch (size ? rnd(10) : 9) {
	case 0: /* a number becomes an extreme one */
		if (find_token(data, size, true, &s, &e)) {
			const char *v = PICK(numbers);

			n = splice(data, size, max, s, e, v, strlen(v));
		}
		break;
	case 1: /* a word becomes a keyword */
		if (find_token(data, size, false, &s, &e)) {
			const char *v = PICK(keywords);

			n = splice(data, size, max, s, e, v, strlen(v));
		}
		break;
	case 2: /* a word is replaced by a generated piece */
		if (find_token(data, size, false, &s, &e)) {
			plen = gen_piece(piece, sizeof(piece) < max ? sizeof(piece) : max);
			n = splice(data, size, max, s, e, piece, plen);
		}
		break;
	case 3:
	case 4: { /* a generated piece inserted between words */
		size_t at = size ? rnd((unsigned)size + 1) : 0;

		while (at < size && !isspace(data[at]))
			at++;
		piece[0] = ' ';
		plen = 1 + gen_piece(piece + 1, sizeof(piece) - 2 < max ? sizeof(piece) - 2 : max);
		piece[plen++] = ' ';
		n = splice(data, size, max, at, at, piece, plen);
		break;
	}
	case 5: { /* a line repeated */
		size_t a = rnd((unsigned)size), b;

		while (a > 0 && data[a - 1] != '\n')
			a--;
		for (b = a; b < size && data[b] != '\n'; b++)
			;
		if (b < size)
			b++;
		if (b > a && size + (b - a) <= max && b - a < sizeof(piece)) {
			memcpy(piece, data + a, b - a);
			n = splice(data, size, max, b, b, piece, b - a);
		}
		break;
	}
	default:
		break;
	}
	return n ? n : LLVMFuzzerMutate(data, size, max);
}

/* Lines of d1 up to some line, then lines of d2 from some line on. */
size_t LLVMFuzzerCustomCrossOver(const uint8_t *d1, size_t s1, const uint8_t *d2, size_t s2,
				 uint8_t *out, size_t max, unsigned int seed)
{
	size_t a = 0, b = 0, n;

	rng = seed * 0x9e3779b97f4a7c15ull + 7;
	if (s1)
		for (a = rnd((unsigned)s1 + 1); a < s1 && d1[a] != '\n'; a++)
			;
	if (a < s1)
		a++;
	if (s2)
		for (b = rnd((unsigned)s2 + 1); b > 0 && d2[b - 1] != '\n'; b--)
			;
	if (a > max)
		a = max;
	n = a;
	memcpy(out, d1, a);
	if (s2 - b > max - n)
		s2 = b + (max - n);
	memcpy(out + n, d2 + b, s2 - b);
	return n + s2 - b;
}

/* SPDX-License-Identifier: MIT */
/*
 * Datatype, header and key tables: consistency, and parse/print round
 * trips checked against what nft 1.0.6 prints.
 */
#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang/types.h"

static unsigned passed, failed;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (cond) {                                                     \
			passed++;                                               \
		} else {                                                        \
			failed++;                                               \
			fprintf(stderr, "%s:%d: FAIL: ", __FILE__, __LINE__);   \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

static_assert(NFK_TYPE_IPADDR == 7 && NFK_TYPE_CT_STATE == 26 && NFK_TYPE_IFNAME == 41,
	      "type ids are nft's");
static_assert(NFK_TYPE_MAX == 47, "cgroupsv2 (46) is the last type nft 1.0.6 has");

/* Parses in (type name, byte order, bits) and prints back; expect NULL
 * means "same as input". */
static void rt(const char *tname, enum nfk_byteorder bo, unsigned bits, const char *in,
	       const char *expect)
{
	const struct nfk_dtype *t = nfk_dtype_by_name(tname);
	uint8_t buf[64];
	unsigned len = sizeof(buf);
	char err[128] = "", out[256];

	if (!t) {
		CHECK(0, "no type %s", tname);
		return;
	}
	int r = nfk_value_parse(t, bo, bits, in, buf, &len, err, sizeof(err));
	if (r) {
		CHECK(0, "%s: parse %s: %s", tname, in, err);
		return;
	}
	nfk_value_snprint(out, sizeof(out), t, bo, buf, len, 0);
	CHECK(!strcmp(out, expect ? expect : in), "%s: %s printed %s, want %s", tname, in,
	      out, expect ? expect : in);
}

/* Parses and expects bytes. */
static void bytes(const char *tname, enum nfk_byteorder bo, unsigned bits, const char *in,
		  const char *hex)
{
	const struct nfk_dtype *t = nfk_dtype_by_name(tname);
	uint8_t buf[64];
	unsigned len = sizeof(buf);
	char err[128] = "", got[160] = "";

	int r = nfk_value_parse(t, bo, bits, in, buf, &len, err, sizeof(err));
	for (unsigned i = 0; !r && i < len; i++)
		sprintf(got + 2 * i, "%02x", buf[i]);
	CHECK(!r && !strcmp(got, hex), "%s: %s gave %s (%s), want %s", tname, in, got, err, hex);
}

static void bad(const char *tname, enum nfk_byteorder bo, unsigned bits, const char *in,
		const char *msg)
{
	const struct nfk_dtype *t = nfk_dtype_by_name(tname);
	uint8_t buf[64];
	unsigned len = sizeof(buf);
	char err[160] = "";

	int r = nfk_value_parse(t, bo, bits, in, buf, &len, err, sizeof(err));
	CHECK(r == -EINVAL && !strcmp(err, msg), "%s: %s gave %d \"%s\", want \"%s\"", tname,
	      in, r, err, msg);
}

static void test_tables(void)
{
	unsigned ntypes = 0, nsyms = 0;

	for (unsigned i = 0; i < NFK_TYPE_MAX; i++) {
		const struct nfk_dtype *t = &nfk_dtypes[i];

		if (!t->name)
			continue;
		ntypes++;
		CHECK(t->id == i, "%s: id %u at %u", t->name, t->id, i);
		CHECK(t->desc && *t->desc, "%s: no desc", t->name);
		CHECK(nfk_dtype_by_id(i) == t, "by_id %u", i);
		/* only the two "time" types share a name; by_name gives id 18 */
		const struct nfk_dtype *byname = nfk_dtype_by_name(t->name);
		CHECK(byname == t || (i == NFK_TYPE_TIME_DATE && byname->id == NFK_TYPE_TIME),
		      "by_name %s", t->name);
		unsigned depth = 0;
		for (const struct nfk_dtype *b = t->base; b; b = b->base)
			depth++;
		CHECK(depth < 4, "%s: base chain", t->name);
		for (const struct nfk_sym *s = t->syms; s && s->name; s++) {
			nsyms++;
			for (const struct nfk_sym *u = s + 1; u->name; u++)
				CHECK(strcmp(s->name, u->name), "%s: symbol %s twice", t->name,
				      s->name);
			CHECK(t->bits == 0 || t->bits >= 64 || s->value >> t->bits == 0 ||
			      t->id == NFK_TYPE_VERDICT,
			      "%s: %s does not fit", t->name, s->name);
		}
	}
	/* nft 1.0.6 numbers 47 datatypes, TYPE_INVALID (0) to TYPE_CGROUPV2 (46) */
	CHECK(ntypes == 47, "%u types", ntypes);
	printf("# %u datatypes, %u symbols\n", ntypes, nsyms);

	unsigned nfields = 0, nprotos = 0;
	for (const struct nfk_proto *p = nfk_protos; p->name; p++) {
		nprotos++;
		CHECK(nfk_proto_by_name(p->name) == p, "proto %s twice", p->name);
		for (const struct nfk_hdr_field *f = p->fields; f->name; f++) {
			nfields++;
			CHECK(nfk_proto_field(p, f->name) == f, "%s %s twice", p->name, f->name);
			CHECK(f->offset + f->bits <= p->hdr_bits, "%s %s outside header",
			      p->name, f->name);
			CHECK(f->dtype && f->bits, "%s %s", p->name, f->name);
			CHECK(!f->dtype->bits || f->dtype->bits == f->bits ||
			      f->dtype->id == NFK_TYPE_BITMASK,
			      "%s %s: %u bits, type %s has %u", p->name, f->name, f->bits,
			      f->dtype->name, f->dtype->bits);
		}
		if (p->base == NFK_BASE_TRANSPORT && p->l4num)
			CHECK(nfk_proto_by_l4num(p->l4num) == p, "l4num %u", p->l4num);
	}
	printf("# %u headers, %u fields\n", nprotos, nfields);

	const struct nfk_key *tabs[] = { nfk_meta_keys, nfk_ct_keys };
	for (unsigned ti = 0; ti < 2; ti++) {
		unsigned n = 0;

		for (const struct nfk_key *k = tabs[ti]; k->name; k++) {
			n++;
			for (const struct nfk_key *j = k + 1; j->name; j++) {
				CHECK(strcmp(k->name, j->name), "key %s twice", k->name);
				CHECK(k->key != j->key || (j->flags & NFK_KEY_ALIAS),
				      "key number %u twice (%s, %s)", k->key, k->name, j->name);
			}
			CHECK(!k->dtype || !k->dtype->bits || k->dtype->bits == k->bits,
			      "%s: %u bits vs type %s", k->name, k->bits, k->dtype->name);
		}
		printf("# %u %s keys\n", n, ti ? "ct" : "meta");
	}
	CHECK(nfk_meta_key_by_num(nfk_meta_key_by_name("ibriport")->key) ==
	      nfk_meta_key_by_name("ibrname"), "alias prints as ibrname");
	CHECK(nfk_meta_key_by_name("iifname")->flags & NFK_KEY_PRINT_BARE, "iifname bare");
	CHECK(!(nfk_meta_key_by_name("mark")->flags & NFK_KEY_PRINT_BARE), "meta mark");

	static const struct { const char *n; int v; } fams[] = {
		{ "ip", 2 }, { "ip6", 10 }, { "inet", 1 }, { "arp", 3 }, { "bridge", 7 },
		{ "netdev", 5 },
	};
	for (unsigned i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		CHECK(nfk_family_by_name(fams[i].n) == fams[i].v, "family %s", fams[i].n);
		CHECK(!strcmp(nfk_family_name((unsigned)fams[i].v), fams[i].n), "family %d",
		      fams[i].v);
	}
	CHECK(nfk_family_by_name("ipx") == -1, "unknown family");
	CHECK(nfk_hook_by_name(2, "postrouting") == 4 && nfk_hook_by_name(5, "egress") == 1 &&
	      nfk_hook_by_name(1, "ingress") == 5 && nfk_hook_by_name(2, "ingress") == -1 &&
	      nfk_hook_by_name(3, "output") == 1, "hooks");
	CHECK(!strcmp(nfk_hook_name(7, 3), "output") && !nfk_hook_name(5, 2), "hook names");
	CHECK(nfk_chain_type_check(2, 0, "nat") == 0 && nfk_chain_type_check(2, 3, "route") == 0 &&
	      nfk_chain_type_check(2, 2, "nat") == -EOPNOTSUPP &&
	      nfk_chain_type_check(7, 0, "route") == -EOPNOTSUPP &&
	      nfk_chain_type_check(2, 0, "foo") == -ENOENT, "chain types");
}

static void test_symbols(void)
{
	/* Every symbol against nft's own tables (names, values, the name a
	 * value prints as) is tests/kernel/symbols.c, with `nft describe`;
	 * here, literal cases seen with nft 1.0.6. */
	rt("icmpv6_type", 0, 0, "mld-listener-reduction", "mld-listener-done");
	rt("ether_type", 0, 0, "vlan", "8021q");
	rt("pkt_type", 0, 0, "unicast", "host");
	rt("dscp", 0, 0, "0", "cs0");
	rt("dscp", 0, 0, "0x3", "0x03");
	rt("ether_type", 0, 0, "0x1234", NULL);
	rt("arp_op", 0, 0, "20", NULL);
	rt("iface_type", 0, 0, "0x1234", "4660");
	rt("inet_proto", 0, 0, "6", "tcp");
	rt("inet_proto", 0, 0, "253", NULL);
	rt("inet_proto", 0, 0, "0", "ip");
	rt("boolean", 0, 0, "5", NULL);
	rt("devgroup", 0, 0, "0", "\"default\"");
	rt("devgroup", 0, 0, "16", NULL);
	rt("realm", 0, 0, "cosmos", "\"cosmos\"");
	rt("day", 0, 0, "1", "\"Monday\"");
	rt("ecn", 0, 0, "3", "ce");
	bytes("inet_proto", 0, 0, "udp", "11");
	bytes("ct_state", 0, 0, "new", "08000000");
	bytes("ether_type", 0, 0, "ip6", "86dd");
	/* icmpx codes: nft describes no expression of this type; seen with
	 * `nft --debug=netlink add rule ... reject with icmpx NAME` */
	bytes("icmpx_code", 0, 0, "admin-prohibited", "03");
	bytes("icmpx_code", 0, 0, "port-unreachable", "01");
	bytes("icmpx_code", 0, 0, "no-route", "00");
	bytes("icmpx_code", 0, 0, "host-unreachable", "02");
	bad("ct_state", 0, 0, "foo", "Could not parse conntrack state");
	bad("icmp_type", 0, 0, "foo", "Could not parse ICMP type");
	bad("inet_proto", 0, 0, "foo", "Could not resolve protocol name");
	bad("inet_proto", 0, 0, "256", "Protocol out of range");
	bad("day", 0, 0, "7", "Value 7 exceeds valid range 0-6");
	bad("day", 0, 0, "SUNDAY", "Could not parse Day of week of packet reception");
	bad("dscp", 0, 0, "0x40", "Value 64 exceeds valid range 0-63");
	bad("mark", 0, 0, "foo", "Could not parse packet mark");
	bad("devgroup", 0, 0, "foo", "Could not parse devgroup name");

	/* bitmasks: listed low bit first, unnamed bits in hex */
	rt("ct_state", 0, 0, "new,established, related, untracked",
	   "established,related,new,untracked");
	rt("ct_state", 0, 0, "0x102", "established,0x100");
	rt("ct_state", 0, 0, "0", "0x0");
	rt("ct_status", 0, 0, "0x3", "expected,seen-reply");
	rt("ct_status", 0, 0, "0x8000", NULL);
	rt("tcp_flag", 0, 0, "0x13", "fin,syn,ack");
	rt("tcp_flag", 0, 0, "0x3f", "fin,syn,rst,psh,ack,urg");
	rt("ct_event", 0, 0, "new,related,destroy,label", NULL);
	rt("bitmask", NFK_BO_BIG, 8, "0x3", NULL);
	bad("tcp_flag", 0, 0, "0x100", "Value 256 exceeds valid range 0-255");
	bad("tcp_flag", 0, 0, "foo", "Could not parse TCP flag");

	const struct nfk_dtype *cs = NFK_DTYPE(CT_STATE);
	uint8_t v[4] = { 0x02, 0, 0, 0 };
	char out[64];
	nfk_value_snprint(out, sizeof(out), cs, NFK_BO_INVALID, v, 4, NFK_PRINT_NUMERIC);
	CHECK(!strcmp(out, "0x2"), "numeric ct state: %s", out);
}

static void test_integers(void)
{
	rt("integer", NFK_BO_BIG, 16, "22", NULL);
	rt("integer", NFK_BO_BIG, 16, "0x10", "16");
	rt("integer", NFK_BO_BIG, 16, "022", "18");
	rt("integer", NFK_BO_HOST, 32, "4294967295", NULL);
	rt("integer", NFK_BO_HOST, 64, "18446744073709551615", NULL);
	bytes("integer", NFK_BO_BIG, 16, "0x1234", "1234");
	bytes("integer", NFK_BO_HOST, 32, "1", "01000000");
	bytes("integer", NFK_BO_BIG, 12, "4095", "0fff");
	bad("integer", NFK_BO_BIG, 12, "4096", "Value 4096 exceeds valid range 0-4095");
	bad("integer", NFK_BO_HOST, 32, "foo", "Could not parse integer");
	bad("integer", NFK_BO_HOST, 32, "0x", "Could not parse integer");
	bad("mark", 0, 0, "0x100000000", "Value 4294967296 exceeds valid range 0-4294967295");
	bad("mark", 0, 0, "0xffffffffffffffffffff",
	    "Value 1208925819614629174706175 exceeds valid range 0-4294967295");
	rt("mark", 0, 0, "1", "0x00000001");
	rt("mark", 0, 0, "0xffffffff", NULL);
	bytes("mark", 0, 0, "0x10", "10000000");

	rt("inet_service", 0, 0, "22", NULL);
	rt("inet_service", 0, 0, "ssh", "22");
	uint8_t port[2] = { 0, 22 };
	char out[32];
	nfk_value_snprint(out, sizeof(out), NFK_DTYPE(INET_SERVICE), 0, port, 2, NFK_PRINT_SERVICE);
	CHECK(!strcmp(out, "\"ssh\""), "service name: %s", out);
	/* -n: symbols as numbers, in each type's number style */
	uint8_t one = 8;
	nfk_value_snprint(out, sizeof(out), NFK_DTYPE(ICMP_TYPE), 0, &one, 1, NFK_PRINT_NUMERIC);
	CHECK(!strcmp(out, "8"), "numeric icmp type: %s", out);
	nfk_value_snprint(out, sizeof(out), NFK_DTYPE(DSCP), 0, &one, 1, NFK_PRINT_NUMERIC);
	CHECK(!strcmp(out, "0x08"), "numeric dscp: %s", out);
	char pb[32];
	nfk_prio_snprint(pb, sizeof(pb), 2, 1, 10, NFK_PRINT_NUMERIC);
	CHECK(!strcmp(pb, "10"), "numeric prio: %s", pb);
	rt("inet_service", 0, 0, "0x10", "16");
	bytes("inet_service", 0, 0, "22", "0016");
	bad("inet_service", 0, 0, "70000", "Service out of range");
	bad("inet_service", 0, 0, "no-such-service-x",
	    "Could not resolve service: Servname not supported for ai_socktype");

	rt("classid", 0, 0, "0x10010", "1:10");
	rt("classid", 0, 0, "none", NULL);
	rt("classid", 0, 0, "root", NULL);
	rt("classid", 0, 0, "8765:4321", NULL);
	rt("classid", 0, 0, "0xffff0000", "ffff:0");

	rt("uid", 0, 0, "0", NULL);
	rt("uid", 0, 0, "root", "0");
	bad("uid", 0, 0, "no-such-user-x", "User does not exist");
	bad("gid", 0, 0, "no-such-group-x", "Group does not exist");
	rt("ct_label", 0, 0, "127", NULL);
	bad("ct_label", 0, 0, "foo", "/etc/connlabel.conf: could not parse conntrack label \"foo\"");
	rt("iface_index", 0, 0, "lo", "\"lo\"");
	bad("iface_index", 0, 0, "nosuchif0", "Interface does not exist");
}

static void test_addresses(void)
{
	static const char *const v6[][2] = {
		{ "::ffff:1.2.3.4", NULL },
		{ "::1.2.3.4", NULL },
		{ "1:0:0:1:0:0:0:1", "1:0:0:1::1" },
		{ "1:0:1:1:1:1:1:1", NULL },
		{ "0:0:0:0:0:0:0:0", "::" },
		{ "1:0:0:0:0:0:0:0", "1::" },
		{ "fe80:0000:0:0:0:0:0:0001", "fe80::1" },
		{ "::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8" },
		{ "::0.0.0.1", "::1" },
		{ "::1:2", "::0.1.0.2" },
		{ "FE80::AB", "fe80::ab" },
		{ "::ffff:0:1", "::ffff:0.0.0.1" },
		{ "1:2:3:4:5:6:7:8", NULL },
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
		{ "2001:db8::", NULL },
	};
	for (unsigned i = 0; i < sizeof(v6) / sizeof(v6[0]); i++)
		rt("ipv6_addr", 0, 0, v6[i][0], v6[i][1]);
	bad("ipv6_addr", 0, 0, "1::2::3", "Could not resolve hostname: Name or service not known");
	bad("ipv6_addr", 0, 0, "foo::bar", "Could not resolve hostname: Name or service not known");

	rt("ipv4_addr", 0, 0, "192.168.2.1", NULL);
	rt("ipv4_addr", 0, 0, "0x01020304", "1.2.3.4");
	bytes("ipv4_addr", 0, 0, "192.168.2.1", "c0a80201");
	bad("ipv4_addr", 0, 0, "1.2.3.400", "Could not resolve hostname: Name or service not known");

	rt("ether_addr", 0, 0, "00:0f:54:0c:11:04", NULL);
	rt("ether_addr", 0, 0, "0:1:2:3:4:5", "00:01:02:03:04:05");
	rt("ether_addr", 0, 0, "00:11", "00:00:00:00:00:11");
	rt("ether_addr", 0, 0, "AA:BB:CC:DD:EE:FF", "aa:bb:cc:dd:ee:ff");
	bad("ether_addr", 0, 0, "001122334455", "Invalid LL address");
	bad("ether_addr", 0, 0, "00:11:22:33:44:55:66", "Invalid LL address");
}

static void test_strings(void)
{
	const struct nfk_dtype *t = NFK_DTYPE(IFNAME);
	uint8_t buf[16];
	unsigned len = 16;
	char err[128];

	rt("ifname", 0, 0, "lo", "\"lo\"");
	bytes("ifname", 0, 0, "dummy0", "64756d6d793000000000000000000000");
	CHECK(!nfk_value_parse(t, 0, 0, "eth*", buf, &len, err, sizeof(err)) && len == 3 &&
	      !memcmp(buf, "eth", 3), "wildcard prefix");
	len = 16;
	CHECK(!nfk_value_parse(t, 0, 0, "a\\*", buf, &len, err, sizeof(err)) && len == 16 &&
	      !memcmp(buf, "a*\0", 3), "escaped asterisk");
	/* 15 characters and the NUL fill the field; nft refuses 16 */
	rt("ifname", 0, 0, "0123456789abcde", "\"0123456789abcde\"");
	bad("ifname", 0, 0, "0123456789abcdef", "String exceeds maximum length of 16");
	bad("ifname", 0, 0, "0123456789abcde*", "String exceeds maximum length of 16");
	bad("ifname", 0, 0, "aaaaaaaaaaaaaaaaaaaa", "String exceeds maximum length of 16");
	rt("string", 0, 128, "ftp", "\"ftp\"");
}

static void test_time(void)
{
	rt("time", 0, 0, "100000", "1d3h46m40s");
	rt("time", 0, 0, "1500ms", "1s500ms");
	rt("time", 0, 0, "90s", "1m30s");
	rt("time", 0, 0, "1d2h3m4s5ms", NULL);
	rt("time", 0, 0, "30s", NULL);
	rt("time", 0, 0, "0", "0s");
	bytes("time", 0, 0, "30s", "30750000");
	bad("time", 0, 0, "foo", "wrong time format");
	bad("time", 0, 0, "1s1h", "wrong time format");

	/* the corpus assumes TZ=UTC-2 */
	setenv("TZ", "UTC-2", 1);
	tzset();
	rt("hour", 0, 0, "17:00", "\"17:00\"");
	rt("hour", 0, 0, "17:00:01", "\"17:00:01\"");
	rt("hour", 0, 0, "00:00", "\"00:00\"");
	bytes("hour", 0, 0, "17:00", "f0d20000");
	bad("hour", 0, 0, "25:00", "wrong time format");
	const struct nfk_dtype *date = &nfk_dtypes[NFK_TYPE_TIME_DATE];
	uint8_t buf[8];
	unsigned len = 8;
	char err[64], out[64];
	CHECK(!nfk_value_parse(date, 0, 0, "2019-06-21 17:00", buf, &len, err, sizeof(err)),
	      "date: %s", err);
	nfk_value_snprint(out, sizeof(out), date, 0, buf, len, 0);
	CHECK(!strcmp(out, "\"2019-06-21 17:00:00\""), "date printed %s", out);
	CHECK(!nfk_value_parse(date, 0, 0, "12341234", buf, &len, err, sizeof(err)), "%s", err);
	nfk_value_snprint(out, sizeof(out), date, 0, buf, len, 0);
	CHECK(!strcmp(out, "\"1970-05-23 22:07:14\""), "date printed %s", out);
	CHECK(nfk_value_parse(date, 0, 0, "foo", buf, &len, err, sizeof(err)) == -EINVAL &&
	      !strcmp(err, "Cannot parse date"), "bad date: %s", err);
}

static void prio(unsigned fam, unsigned hook, int p, const char *want)
{
	char out[64];

	nfk_prio_snprint(out, sizeof(out), fam, hook, p, 0);
	CHECK(!strcmp(out, want), "prio %u/%u %d: %s, want %s", fam, hook, p, out, want);
}

static void test_prios(void)
{
	/* observed with nft 1.0.6 list */
	prio(2, 1, 0, "filter");
	prio(2, 1, 10, "filter + 10");
	prio(2, 1, 11, "11");
	prio(2, 1, -10, "filter - 10");
	prio(10, 0, -300, "raw");
	prio(10, 0, -290, "raw + 10");
	prio(10, 0, -289, "-289");
	prio(1, 2, -150, "mangle");
	prio(2, 0, -100, "dstnat");
	prio(2, 1, -100, "-100");
	prio(2, 0, -90, "dstnat + 10");
	prio(2, 1, -90, "-90");
	prio(2, 4, 100, "srcnat");
	prio(2, 3, 100, "100");
	prio(2, 4, 110, "srcnat + 10");
	prio(1, 1, 50, "security");
	prio(1, 1, 40, "security - 10");
	prio(7, 0, -300, "dstnat");
	prio(7, 1, -300, "-300");
	prio(7, 2, -200, "filter");
	prio(7, 2, 0, "0");
	prio(7, 3, 100, "out");
	prio(7, 3, 110, "out + 10");
	prio(7, 4, 300, "srcnat");
	prio(7, 4, 290, "srcnat - 10");
	prio(5, 0, 0, "filter");
	prio(5, 1, 10, "filter + 10");
	prio(5, 0, -300, "-300");
	prio(3, 0, -1, "filter - 1");
	prio(1, 5, -300, "raw");
	prio(1, 5, -100, "-100");

	int p = 1;
	CHECK(!nfk_prio_by_name(7, 3, "out", &p) && p == 100, "bridge out");
	CHECK(nfk_prio_by_name(2, 1, "dstnat", &p) == -ENOENT, "dstnat only prerouting");
	CHECK(!nfk_prio_by_name(7, 0, "dstnat", &p) && p == -300, "bridge dstnat");
	CHECK(!nfk_prio_by_name(5, 0, "filter", &p) && p == 0, "netdev filter");
	CHECK(nfk_prio_by_name(5, 0, "raw", &p) == -ENOENT, "netdev raw");
}

static void test_protos(void)
{
	const struct nfk_proto *tcp = nfk_proto_by_name("tcp");
	const struct nfk_hdr_field *f = nfk_proto_field(tcp, "dport");

	CHECK(f && f->offset == 16 && f->bits == 16 && f->dtype == NFK_DTYPE(INET_SERVICE),
	      "tcp dport");
	CHECK(tcp->l4num == 6 && nfk_proto_by_l4num(17) == nfk_proto_by_name("udp"), "l4num");
	CHECK(nfk_proto_by_ethertype(0x86dd) == nfk_proto_by_name("ip6"), "ethertype");
	CHECK(nfk_proto_at(NFK_BASE_NETWORK, 2, 0, 0) == nfk_proto_by_name("ip"), "at ip");
	CHECK(nfk_proto_at(NFK_BASE_NETWORK, 0, 0, 0x806) == nfk_proto_by_name("arp"), "at arp");
	CHECK(nfk_proto_at(NFK_BASE_TRANSPORT, 2, 58, 0) == nfk_proto_by_name("icmpv6"), "at icmpv6");
	CHECK(nfk_proto_at(NFK_BASE_TRANSPORT, 2, 0, 0) == nfk_proto_by_name("th"), "at th");
	CHECK(nfk_proto_field_at(nfk_proto_by_name("ip"), 96, 32) ==
	      nfk_proto_field(nfk_proto_by_name("ip"), "saddr"), "field at");
	f = nfk_proto_field(nfk_proto_by_name("arp"), "daddr ip");
	CHECK(f && f->offset == 192, "arp daddr ip");

	const struct nfk_key *k = nfk_ct_key_by_name("saddr");
	unsigned bits = 0;
	CHECK(nfk_ct_key_dtype(k, 10, &bits) == NFK_DTYPE(IP6ADDR) && bits == 128, "ct saddr");
	CHECK(nfk_meta_key_by_num(16)->dtype == NFK_DTYPE(INET_PROTOCOL), "meta 16 l4proto");
	CHECK(nfk_ct_key_by_name("state")->key == 0 && nfk_ct_key_by_num(23)->bits == 32, "ct id");
}

int main(void)
{
	test_tables();
	test_symbols();
	test_integers();
	test_addresses();
	test_strings();
	test_time();
	test_prios();
	test_protos();

	unsigned ids[] = { NFK_TYPE_IPADDR, NFK_TYPE_INET_SERVICE };
	CHECK(nfk_dtype_concat_id(ids, 2) == (7u << 6 | 13u), "concat id");

	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

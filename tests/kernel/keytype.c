// SPDX-License-Identifier: MIT
/*
 * Kernel test (run as root inside `unshare -n`): sets whose key or data
 * type nft cannot have created, made with
 * raw netlink messages, then read and changed with the binary under test
 * ($NFKIT, under make check the build's binary, the sanitized one under
 * check-asan).
 *
 * Each check runs on a fresh table "ip kt" holding a chain "c" and one set
 * (below) with one element, key 10.0.0.1 (0a000001, zero-padded to the key
 * length; map data c0a80001, zero-padded).  The binary runs the command as
 * separate words; the check compares its exit code, stdout and stderr with
 * what is written here, and reads the kernel back (element and rule
 * counts) with raw dumps.  Every check also requires a normal exit and no
 * sanitizer report, assertion or "BUG:" line.
 *
 * Where the expectations come from (never from nfkit):
 *   NFT       what nft 1.0.6 prints for the same command on the same
 *             kernel state (copied from its output);
 *   PROPOSED  nft 1.0.6 crashes or silently changes the data there; the
 *             expectation is the reasoned answer (see the comment on each)
 *             that docs/bounds.md proposes for nfkit.
 * With the binary nft itself, every NFT check passes and PROPOSED ones fail.
 *
 *   make testbins; unshare -n build/ktests/keytype [BINARY]
 *                                        (default $NFKIT, else build/nfkit)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "nl/nl.h"

#define TABLE "kt"

/* ---- the sets ----------------------------------------------------------- */

struct sdef {
	const char *name;
	uint32_t flags, ktype, klen, dtype, dlen;
	const uint8_t *udata;
	size_t udlen;
};

/* Bytes no tool writes as set userdata (nftnl TLVs are type, len, value). */
static const uint8_t garbage[] = { 0xff, 0xff, 0xff, 0xff, 0x01, 0x40, 0xde, 0xad };

static const struct sdef sets[] = {
	/* key type 0 (nft's "invalid"), 4 bytes */
	{ "k0", 0, 0, 4, 0, 0, NULL, 0 },
	/* 12345 = 3 << 12 | 0 << 6 | 57: a "concatenation" of types 57
	 * (unknown), 0 (invalid) and 3 (bitmask), 4 bytes */
	{ "k12345", 0, 12345, 4, 0, 0, NULL, 0 },
	/* ipv4_addr (7) with a 16-byte key */
	{ "kv4len16", 0, 7, 16, 0, 0, NULL, 0 },
	/* ipv6_addr (8) with a 4-byte key */
	{ "kv6len4", 0, 8, 4, 0, 0, NULL, 0 },
	/* ipv4_addr . inet_service (7 << 6 | 13) with a 4-byte key */
	{ "kcatshort", 0, 7 << 6 | 13, 4, 0, 0, NULL, 0 },
	/* key type 0, 64 bytes (the kernel's largest key) */
	{ "k0len64", 0, 0, 64, 0, 0, NULL, 0 },
	/* 0x3fffffff: five components of type 63, 20 bytes.  (Types with
	 * the top byte all ones are refused by the kernel: NFT_DATA_RESERVED_MASK.) */
	{ "kffff", 0, 0x3fffffff, 20, 0, 0, NULL, 0 },
	/* a map with data type 12345 */
	{ "mdata", NFT_SET_MAP, 7, 4, 12345, 4, NULL, 0 },
	/* a map with data type 0 */
	{ "mdata0", NFT_SET_MAP, 7, 4, 0, 4, NULL, 0 },
	/* a map ipv4_addr : ipv4_addr whose data is 16 bytes */
	{ "mdlen", NFT_SET_MAP, 7, 4, 7, 16, NULL, 0 },
	/* ipv4_addr, 4 bytes, userdata that is not nftnl's TLV format */
	{ "kudata", 0, 7, 4, 0, 0, garbage, sizeof(garbage) },
};

/* ---- the checks ----------------------------------------------------------- */

enum src { NFT, PROPOSED };

struct check {
	const char *set;        /* the fixture */
	const char *cmd;        /* words after the binary */
	int rc;                 /* exit code */
	const char *out, *err;  /* exact stdout / stderr, or NULL: not compared */
	const char *out_has;    /* stdout must contain this, or NULL */
	const char *out_hasnt;  /* stdout must not contain this, or NULL */
	int elems, rules;       /* elements in the set / rules in kt c after, -1: any */
	enum src src;
};

static const struct check checks[] = {
	/* ---- NFT: nft 1.0.6 on the same kernel state ---- */

	{ "k0", "list set ip kt k0", 0,
	  "table ip kt {\n"
	  "\tset k0 {\n"
	  "\t\ttype 0x0 [invalid type]\n"
	  "\t\telements = { 0xa000001 [invalid type] }\n"
	  "\t}\n"
	  "}\n"
	  ,
	  ""
	  , NULL, NULL, -1, -1, NFT },
	{ "k0", "add element ip kt k0 { 10.0.0.2 }", 1,
	  ""
	  ,
	  "Error: Can't parse symbolic invalid expressions\n"
	  "add element ip kt k0 { 10.0.0.2 }\n"
	  "                       ^^^^^^^^\n"
	  , NULL, NULL, 1, -1, NFT },
	{ "k0", "get element ip kt k0 { 10.0.0.1 }", 1,
	  ""
	  ,
	  "Error: Can't parse symbolic invalid expressions\n"
	  "get element ip kt k0 { 10.0.0.1 }\n"
	  "                       ^^^^^^^^\n"
	  , NULL, NULL, -1, -1, NFT },
	{ "k0", "delete element ip kt k0 { 10.0.0.1 }", 1,
	  ""
	  ,
	  "Error: Can't parse symbolic invalid expressions\n"
	  "delete element ip kt k0 { 10.0.0.1 }\n"
	  "                          ^^^^^^^^\n"
	  , NULL, NULL, 1, -1, NFT },
	{ "k0", "add rule ip kt c ip saddr @k0 accept", 1,
	  ""
	  ,
	  "Error: datatype mismatch, expected IPv4 address, expression has type invalid\n"
	  "add rule ip kt c ip saddr @k0 accept\n"
	  "                 ~~~~~~~~ ^^^\n"
	  , NULL, NULL, -1, 0, NFT },
	{ "k0len64", "list set ip kt k0len64", 0,
	  "table ip kt {\n"
	  "\tset k0len64 {\n"
	  "\t\ttype 0x0 [invalid type]\n"
	  "\t\telements = { 0xa000001000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000 [invalid type] }\n"
	  "\t}\n"
	  "}\n"
	  ,
	  ""
	  , NULL, NULL, -1, -1, NFT },
	{ "k0len64", "add element ip kt k0len64 { 10.0.0.2 }", 1,
	  ""
	  ,
	  "Error: Can't parse symbolic invalid expressions\n"
	  "add element ip kt k0len64 { 10.0.0.2 }\n"
	  "                            ^^^^^^^^\n"
	  , NULL, NULL, 1, -1, NFT },
	{ "k0len64", "add rule ip kt c ip saddr @k0len64 accept", 1,
	  ""
	  ,
	  "Error: datatype mismatch, expected IPv4 address, expression has type invalid\n"
	  "add rule ip kt c ip saddr @k0len64 accept\n"
	  "                 ~~~~~~~~ ^^^^^^^^\n"
	  , NULL, NULL, -1, 0, NFT },
	{ "kffff", "list set ip kt kffff", 1,
	  ""
	  ,
	  "netlink: Error: Unknown data type in set key 1073741823\n"
	  "Error: No such file or directory\n"
	  "list set ip kt kffff\n"
	  "               ^^^^^\n"
	  , NULL, NULL, -1, -1, NFT },
	{ "kffff", "list ruleset", 0,
	  "table ip kt {\n"
	  "\tchain c {\n"
	  "\t}\n"
	  "}\n"
	  ,
	  "netlink: Error: Unknown data type in set key 1073741823\n"
	  , NULL, NULL, -1, -1, NFT },
	{ "kffff", "add element ip kt kffff { 10.0.0.2 }", 1,
	  ""
	  ,
	  "netlink: Error: Unknown data type in set key 1073741823\n"
	  "Error: No such file or directory\n"
	  "add element ip kt kffff { 10.0.0.2 }\n"
	  "                  ^^^^^\n"
	  , NULL, NULL, 1, -1, NFT },
	{ "kffff", "add rule ip kt c ip saddr @kffff accept", 1,
	  ""
	  ,
	  "netlink: Error: Unknown data type in set key 1073741823\n"
	  "Error: No such file or directory\n"
	  "add rule ip kt c ip saddr @kffff accept\n"
	  "                          ^^^^^^\n"
	  , NULL, NULL, -1, 0, NFT },
	{ "mdata0", "list map ip kt mdata0", 0,
	  "table ip kt {\n"
	  "\tmap mdata0 {\n"
	  "\t\ttype ipv4_addr : 0x0 [invalid type]\n"
	  "\t\telements = { 10.0.0.1 : 0xc0a80001 [invalid type] }\n"
	  "\t}\n"
	  "}\n"
	  ,
	  ""
	  , NULL, NULL, -1, -1, NFT },
	{ "mdata0", "add element ip kt mdata0 { 10.0.0.2 : 0x1 }", 1,
	  ""
	  ,
	  "Error: Can't parse symbolic invalid expressions\n"
	  "add element ip kt mdata0 { 10.0.0.2 : 0x1 }\n"
	  "                                      ^^^\n"
	  , NULL, NULL, 1, -1, NFT },
	{ "mdata0", "add rule ip kt c meta mark set ip saddr map @mdata0", 1,
	  ""
	  ,
	  "Error: datatype mismatch: expected packet mark, expression has type invalid\n"
	  "add rule ip kt c meta mark set ip saddr map @mdata0\n"
	  "                 ~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^^\n"
	  , NULL, NULL, -1, 0, NFT },
	{ "kv6len4", "list set ip kt kv6len4", 0,
	  "table ip kt {\n"
	  "\tset kv6len4 {\n"
	  "\t\ttype ipv6_addr\n"
	  "\t\telements = { ::10.0.0.1 }\n"
	  "\t}\n"
	  "}\n"
	  ,
	  ""
	  , NULL, NULL, -1, -1, NFT },
	{ "kv6len4", "add element ip kt kv6len4 { 10.0.0.2 }", 1,
	  ""
	  ,
	  "Error: Could not resolve hostname: Address family for hostname not supported\n"
	  "add element ip kt kv6len4 { 10.0.0.2 }\n"
	  "                            ^^^^^^^^\n"
	  , NULL, NULL, 1, -1, NFT },
	{ "kv4len16", "add rule ip kt c ip saddr @kv4len16 accept", 1,
	  ""
	  ,
	  "Error: Could not process rule: No data available\n"
	  "add rule ip kt c ip saddr @kv4len16 accept\n"
	  "                 ^^^^^^^^^^^^^^^^^^\n"
	  , NULL, NULL, -1, 0, NFT },
	{ "kcatshort", "add element ip kt kcatshort { 10.0.0.2 }", 1,
	  ""
	  ,
	  "Error: invalid data type, expected concatenation of (IPv4 address, internet network service)\n"
	  "add element ip kt kcatshort { 10.0.0.2 }\n"
	  "                              ^^^^^^^^\n"
	  , NULL, NULL, 1, -1, NFT },
	{ "kcatshort", "delete element ip kt kcatshort { 10.0.0.1 }", 1,
	  ""
	  ,
	  "Error: invalid data type, expected concatenation of (IPv4 address, internet network service)\n"
	  "delete element ip kt kcatshort { 10.0.0.1 }\n"
	  "                                 ^^^^^^^^\n"
	  , NULL, NULL, 1, -1, NFT },
	{ "kcatshort", "add rule ip kt c ip saddr @kcatshort accept", 1,
	  ""
	  ,
	  "Error: datatype mismatch, expected IPv4 address, expression has type concatenation of (IPv4 address, internet network service)\n"
	  "add rule ip kt c ip saddr @kcatshort accept\n"
	  "                 ~~~~~~~~ ^^^^^^^^^^\n"
	  , NULL, NULL, -1, 0, NFT },
	{ "mdlen", "add rule ip kt c meta mark set ip saddr map @mdlen", 1,
	  ""
	  ,
	  "Error: datatype mismatch: expected packet mark, expression has type IPv4 address\n"
	  "add rule ip kt c meta mark set ip saddr map @mdlen\n"
	  "                 ~~~~~~~~~~~~~~^^^^^^^^^^^^^^^^^^^\n"
	  , NULL, NULL, -1, 0, NFT },
	{ "kudata", "list set ip kt kudata", 0,
	  "table ip kt {\n"
	  "\tset kudata {\n"
	  "\t\ttype ipv4_addr\n"
	  "\t\telements = { 10.0.0.1 }\n"
	  "\t}\n"
	  "}\n"
	  ,
	  ""
	  , NULL, NULL, -1, -1, NFT },
	{ "kudata", "add element ip kt kudata { 10.0.0.2 }", 0,
	  ""
	  ,
	  ""
	  , NULL, NULL, 2, -1, NFT },
	{ "kudata", "add rule ip kt c ip saddr @kudata accept", 0,
	  ""
	  ,
	  ""
	  , NULL, NULL, -1, 1, NFT },

	/* ---- PROPOSED ---- */

	/* k12345: nft 1.0.6 segfaults on every command that reads this set
	 * (list, get element, list ruleset).  For key type 0x3fffffff (kffff
	 * above) it says "Unknown data type in set key" and treats the set as
	 * absent; the same answer here, for the same reason (components it has
	 * no type for). */
	{ "k12345", "list set ip kt k12345", 1, "",
	  "netlink: Error: Unknown data type in set key 12345\n"
	  "Error: No such file or directory\n"
	  "list set ip kt k12345\n"
	  "               ^^^^^^\n", NULL, NULL, -1, -1, PROPOSED },
	{ "k12345", "list ruleset", 0,
	  "table ip kt {\n"
	  "\tchain c {\n"
	  "\t}\n"
	  "}\n",
	  "netlink: Error: Unknown data type in set key 12345\n", NULL, NULL, -1, -1, PROPOSED },
	{ "k12345", "add element ip kt k12345 { 10.0.0.2 }", 1, "",
	  "netlink: Error: Unknown data type in set key 12345\n"
	  "Error: No such file or directory\n"
	  "add element ip kt k12345 { 10.0.0.2 }\n"
	  "                  ^^^^^^\n", NULL, NULL, 1, -1, PROPOSED },
	{ "k12345", "get element ip kt k12345 { 10.0.0.1 }", 1, "",
	  "netlink: Error: Unknown data type in set key 12345\n"
	  "Error: No such file or directory\n"
	  "get element ip kt k12345 { 10.0.0.1 }\n"
	  "                  ^^^^^^\n", NULL, NULL, -1, -1, PROPOSED },
	{ "k12345", "add rule ip kt c ip saddr @k12345 accept", 1, "",
	  "netlink: Error: Unknown data type in set key 12345\n"
	  "Error: No such file or directory\n"
	  "add rule ip kt c ip saddr @k12345 accept\n"
	  "                          ^^^^^^^\n", NULL, NULL, -1, 0, PROPOSED },

	/* mdata: a data type nft does not know; nft 1.0.6 segfaults listing
	 * it.  The same answer as for an unknown key type (nft uses that one
	 * message for the key and the data). */
	{ "mdata", "list map ip kt mdata", 1, "",
	  "netlink: Error: Unknown data type in set key 12345\n"
	  "Error: No such file or directory\n"
	  "list map ip kt mdata\n"
	  "               ^^^^^\n", NULL, NULL, -1, -1, PROPOSED },
	{ "mdata", "add element ip kt mdata { 10.0.0.2 : 0x1 }", 1, "",
	  "netlink: Error: Unknown data type in set key 12345\n"
	  "Error: No such file or directory\n"
	  "add element ip kt mdata { 10.0.0.2 : 0x1 }\n"
	  "                  ^^^^^\n", NULL, NULL, 1, -1, PROPOSED },
	{ "mdata", "add rule ip kt c meta mark set ip saddr map @mdata", 1, "",
	  "netlink: Error: Unknown data type in set key 12345\n"
	  "Error: No such file or directory\n"
	  "add rule ip kt c meta mark set ip saddr map @mdata\n"
	  "                                            ^^^^^^\n", NULL, NULL, -1, 0, PROPOSED },

	/* Keys (or data) whose kernel length is not their type's.  nft 1.0.6
	 * smashes its stack printing a key longer than its type, asserts on a
	 * concatenation shorter than its type, and on element commands pads
	 * (kv4len16: 12 zero bytes, then the address) or truncates (kv6len4:
	 * the last 4 bytes of the IPv6 address) without a word.  Proposed: the
	 * listing shows every byte the kernel holds, as nft shows keys it has
	 * no type for ("0x..." of the key's length), never a value of the
	 * type's length; commands that would build such a key are refused
	 * (exit 1) and change nothing. */
	{ "kv4len16", "list set ip kt kv4len16", 0, NULL, "",
	  "0xa000001000000000000000000000000", "{ 10.0.0.1 }", -1, -1, PROPOSED },
	{ "kv4len16", "add element ip kt kv4len16 { 10.0.0.2 }", 1, "", NULL,
	  NULL, NULL, 1, -1, PROPOSED },
	{ "kv4len16", "get element ip kt kv4len16 { 10.0.0.1 }", 1, "", NULL,
	  NULL, NULL, -1, -1, PROPOSED },
	{ "kv4len16", "delete element ip kt kv4len16 { 10.0.0.1 }", 1, "", NULL,
	  NULL, NULL, 1, -1, PROPOSED },
	{ "kv6len4", "add element ip kt kv6len4 { ::2 }", 1, "", NULL,
	  NULL, NULL, 1, -1, PROPOSED },
	{ "kcatshort", "list set ip kt kcatshort", 0, NULL, "",
	  "0xa000001", "{ 10.0.0.1 }", -1, -1, PROPOSED },
	/* nft 1.0.6 asserts here (constant_expr_splice); its add and delete
	 * element say this: */
	{ "kcatshort", "get element ip kt kcatshort { 10.0.0.1 }", 1, "",
	  "Error: invalid data type, expected concatenation of (IPv4 address, internet network service)\n"
	  "get element ip kt kcatshort { 10.0.0.1 }\n"
	  "                              ^^^^^^^^\n", NULL, NULL, -1, -1, PROPOSED },
	{ "mdlen", "list map ip kt mdlen", 0, NULL, "",
	  "0xc0a80001000000000000000000000000", ": 192.168.0.1 }", -1, -1, PROPOSED },
	{ "mdlen", "add element ip kt mdlen { 10.0.0.2 : 10.0.0.3 }", 1, "", NULL,
	  NULL, NULL, 1, -1, PROPOSED },
};

#define NCHECKS (sizeof(checks) / sizeof(checks[0]))
#define NSETS (sizeof(sets) / sizeof(sets[0]))

/* ---- raw netlink: fixture and kernel reads ------------------------------- */

static struct nfk_sock *sock;

static int send_batch(struct nfk_batch *b, bool ignore_enoent)
{
	struct nfk_batch_err errs[8];
	size_t nerrs = 0;
	int ret = nfk_batch_send(sock, b, false, errs, 8, &nerrs);

	if (ret == -ENOENT && ignore_enoent)
		return 0;
	for (size_t i = 0; i < nerrs && i < 8; i++)
		fprintf(stderr, "  fixture: message %zu: %s\n", errs[i].index, strerror(-errs[i].error));
	return ret;
}

static void put_padded(struct nfk_buf *buf, uint16_t type, const uint8_t *v, size_t vlen, size_t len)
{
	uint8_t data[64] = { 0 };

	memcpy(data, v, vlen < len ? vlen : len);
	nfk_attr_put(buf, type, data, len);
}

/* Drops table ip kt (when there), then creates it with chain c, the set
 * and its one element. */
static int fixture(const struct sdef *d)
{
	static const uint8_t key[] = { 10, 0, 0, 1 }, data[] = { 192, 168, 0, 1 };
	struct nfk_batch *b;
	struct nfk_buf *buf;
	struct nlmsghdr *nlh;
	struct nlattr *l, *e, *k;
	int ret;

	if (nfk_batch_new(&b))
		return -ENOMEM;
	nlh = nfk_batch_msg(b, &buf, NFT_MSG_DELTABLE, 0, NFPROTO_IPV4, NULL);
	nfk_attr_put_str(buf, NFTA_TABLE_NAME, TABLE);
	nfk_batch_end_msg(b, nlh);
	ret = send_batch(b, true);
	nfk_batch_free(b);
	if (ret)
		return ret;

	if (nfk_batch_new(&b))
		return -ENOMEM;
	nlh = nfk_batch_msg(b, &buf, NFT_MSG_NEWTABLE, NLM_F_CREATE, NFPROTO_IPV4, NULL);
	nfk_attr_put_str(buf, NFTA_TABLE_NAME, TABLE);
	nfk_batch_end_msg(b, nlh);
	nlh = nfk_batch_msg(b, &buf, NFT_MSG_NEWCHAIN, NLM_F_CREATE, NFPROTO_IPV4, NULL);
	nfk_attr_put_str(buf, NFTA_CHAIN_TABLE, TABLE);
	nfk_attr_put_str(buf, NFTA_CHAIN_NAME, "c");
	nfk_batch_end_msg(b, nlh);

	nlh = nfk_batch_msg(b, &buf, NFT_MSG_NEWSET, NLM_F_CREATE, NFPROTO_IPV4, NULL);
	nfk_attr_put_str(buf, NFTA_SET_TABLE, TABLE);
	nfk_attr_put_str(buf, NFTA_SET_NAME, d->name);
	nfk_attr_put_be32(buf, NFTA_SET_FLAGS, d->flags);
	nfk_attr_put_be32(buf, NFTA_SET_KEY_TYPE, d->ktype);
	nfk_attr_put_be32(buf, NFTA_SET_KEY_LEN, d->klen);
	if (d->flags & NFT_SET_MAP) {
		nfk_attr_put_be32(buf, NFTA_SET_DATA_TYPE, d->dtype);
		nfk_attr_put_be32(buf, NFTA_SET_DATA_LEN, d->dlen);
	}
	if (d->udata)
		nfk_attr_put(buf, NFTA_SET_USERDATA, d->udata, d->udlen);
	nfk_attr_put_be32(buf, NFTA_SET_ID, 1);
	nfk_batch_end_msg(b, nlh);

	nlh = nfk_batch_msg(b, &buf, NFT_MSG_NEWSETELEM, NLM_F_CREATE, NFPROTO_IPV4, NULL);
	nfk_attr_put_str(buf, NFTA_SET_ELEM_LIST_TABLE, TABLE);
	nfk_attr_put_str(buf, NFTA_SET_ELEM_LIST_SET, d->name);
	l = nfk_nest_start(buf, NFTA_SET_ELEM_LIST_ELEMENTS);
	e = nfk_nest_start(buf, NFTA_LIST_ELEM);
	k = nfk_nest_start(buf, NFTA_SET_ELEM_KEY);
	put_padded(buf, NFTA_DATA_VALUE, key, sizeof(key), d->klen);
	nfk_nest_end(buf, k);
	if (d->flags & NFT_SET_MAP) {
		k = nfk_nest_start(buf, NFTA_SET_ELEM_DATA);
		put_padded(buf, NFTA_DATA_VALUE, data, sizeof(data), d->dlen);
		nfk_nest_end(buf, k);
	}
	nfk_nest_end(buf, e);
	nfk_nest_end(buf, l);
	nfk_batch_end_msg(b, nlh);
	ret = send_batch(b, false);
	nfk_batch_free(b);
	return ret;
}

static int count_elems_cb(const struct nlmsghdr *nlh, void *arg)
{
	const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];
	const void *attrs;
	size_t len;

	attrs = nfk_msg_attrs(nlh, &len);
	if (!attrs || nfk_attr_index(attrs, len, tb, NFTA_SET_ELEM_LIST_MAX) < 0)
		return -EBADMSG;
	if (tb[NFTA_SET_ELEM_LIST_ELEMENTS])
		nfk_attr_for_each(el, rem, nfk_attr_data(tb[NFTA_SET_ELEM_LIST_ELEMENTS]),
				  nfk_attr_len(tb[NFTA_SET_ELEM_LIST_ELEMENTS]))
			(void)el, (*(int *)arg)++;
	return 0;
}

static int count_cb(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	(*(int *)arg)++;
	return 0;
}

/* Elements of set in table kt, or -errno. */
static int count_elems(const char *set)
{
	static uint8_t mem[512];
	struct nfk_buf buf;
	struct nlmsghdr *nlh;
	int n = 0, ret;

	nfk_buf_init(&buf, mem, sizeof(mem));
	nlh = nfk_msg_put(&buf, NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETSETELEM,
			  NLM_F_REQUEST | NLM_F_DUMP, nfk_sock_seq(sock), NFPROTO_IPV4, 0);
	nfk_attr_put_str(&buf, NFTA_SET_ELEM_LIST_TABLE, TABLE);
	nfk_attr_put_str(&buf, NFTA_SET_ELEM_LIST_SET, set);
	nfk_msg_end(&buf, nlh);
	ret = nfk_sock_request(sock, nlh, count_elems_cb, &n);
	return ret ? ret : n;
}

/* Rules in chain kt c, or -errno. */
static int count_rules(void)
{
	static uint8_t mem[512];
	struct nfk_buf buf;
	struct nlmsghdr *nlh;
	int n = 0, ret;

	nfk_buf_init(&buf, mem, sizeof(mem));
	nlh = nfk_msg_put(&buf, NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_GETRULE,
			  NLM_F_REQUEST | NLM_F_DUMP, nfk_sock_seq(sock), NFPROTO_IPV4, 0);
	nfk_attr_put_str(&buf, NFTA_RULE_TABLE, TABLE);
	nfk_attr_put_str(&buf, NFTA_RULE_CHAIN, "c");
	nfk_msg_end(&buf, nlh);
	ret = nfk_sock_request(sock, nlh, count_cb, &n);
	return ret ? ret : n;
}

/* ---- running the binary ---------------------------------------------------- */

struct result {
	int status;
	char *out, *err;
};

static char *slurp(FILE *f)
{
	size_t cap = 4096, len = 0, n;
	char *s = malloc(cap);

	rewind(f);
	while (s && (n = fread(s + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			char *t = realloc(s, cap *= 2);

			if (!t) {
				free(s);
				return NULL;
			}
			s = t;
		}
	}
	if (s)
		s[len] = '\0';
	return s;
}

static int run(const char *bin, const char *cmd, struct result *r)
{
	char words[512], *argv[64], *save = NULL;
	FILE *out = tmpfile(), *err = tmpfile();
	int argc = 0;
	pid_t pid;

	if (!out || !err || strlen(cmd) >= sizeof(words))
		return -1;
	argv[argc++] = (char *)bin;
	strcpy(words, cmd);
	for (char *w = strtok_r(words, " ", &save); w && argc < 63; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		execvp(bin, argv);
		_exit(127);
	}
	if (waitpid(pid, &r->status, 0) < 0)
		return -1;
	r->out = slurp(out);
	r->err = slurp(err);
	fclose(out);
	fclose(err);
	return r->out && r->err ? 0 : -1;
}

/* ---- main -------------------------------------------------------------------- */

static int passed, failed, per_src[2][2];

static void report(const struct check *c, bool ok, const char *why, const struct result *r)
{
	per_src[c->src][ok]++;
	if (ok) {
		passed++;
		if (getenv("VERBOSE") && strcmp(getenv("VERBOSE"), "0"))
			printf("ok - [%s] %s: %s\n", c->src == NFT ? "nft" : "proposed", c->set, c->cmd);
		return;
	}
	failed++;
	printf("FAIL - [%s] %s: %s: %s\n", c->src == NFT ? "nft" : "proposed", c->set, c->cmd, why);
	if (r && r->out && r->err)
		printf("\t--- stdout:\n%s\t--- stderr:\n%s", r->out, r->err);
}

static const struct sdef *find_set(const char *name)
{
	for (size_t i = 0; i < NSETS; i++)
		if (!strcmp(sets[i].name, name))
			return &sets[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const char *bin = argc > 1 ? argv[1] : getenv("NFKIT") ? getenv("NFKIT") : "build/nfkit";
	static const char *const bad[] = { "runtime error", "Sanitizer", "BUG:", "Assertion",
					   "stack smashing", "Segmentation" };

	if (nfk_sock_open(&sock)) {
		printf("cannot open a netfilter socket (root, inside unshare -n?)\n0 passed, 1 failed\n");
		return 1;
	}
	for (size_t i = 0; i < NCHECKS; i++) {
		const struct check *c = &checks[i];
		const struct sdef *d = find_set(c->set);
		struct result r = { 0 };
		char why[256] = "";
		int n;

		if (!d || fixture(d)) {
			report(c, false, "fixture failed", NULL);
			continue;
		}
		if (run(bin, c->cmd, &r)) {
			report(c, false, "could not run the binary", NULL);
			continue;
		}
		if (!WIFEXITED(r.status))
			snprintf(why, sizeof(why), "killed by signal %d", WTERMSIG(r.status));
		else if (WEXITSTATUS(r.status) != c->rc)
			snprintf(why, sizeof(why), "exit code %d, expected %d", WEXITSTATUS(r.status), c->rc);
		for (size_t j = 0; !*why && j < sizeof(bad) / sizeof(bad[0]); j++)
			if (strstr(r.err, bad[j]) || strstr(r.out, bad[j]))
				snprintf(why, sizeof(why), "output holds \"%s\"", bad[j]);
		if (!*why && c->out && strcmp(r.out, c->out))
			snprintf(why, sizeof(why), "stdout differs; expected:\n%s", c->out);
		if (!*why && c->err && strcmp(r.err, c->err))
			snprintf(why, sizeof(why), "stderr differs; expected:\n%s", c->err);
		if (!*why && c->out_has && !strstr(r.out, c->out_has))
			snprintf(why, sizeof(why), "stdout lacks \"%s\"", c->out_has);
		if (!*why && c->out_hasnt && strstr(r.out, c->out_hasnt))
			snprintf(why, sizeof(why), "stdout holds \"%s\"", c->out_hasnt);
		if (!*why && c->elems >= 0 && (n = count_elems(c->set)) != c->elems)
			snprintf(why, sizeof(why), "the kernel holds %d element(s), expected %d", n, c->elems);
		if (!*why && c->rules >= 0 && (n = count_rules()) != c->rules)
			snprintf(why, sizeof(why), "the kernel holds %d rule(s), expected %d", n, c->rules);
		report(c, !*why, why, &r);
		free(r.out);
		free(r.err);
	}
	nfk_sock_close(sock);
	printf("# checks from nft 1.0.6: %d passed, %d failed; proposed: %d passed, %d failed\n",
	       per_src[NFT][1], per_src[NFT][0], per_src[PROPOSED][1], per_src[PROPOSED][0]);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

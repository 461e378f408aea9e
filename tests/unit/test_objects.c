// SPDX-License-Identifier: MIT
/* Object schemas, message validation, byte identity and the
 * `nft --debug=netlink` batch printer. */
#include <errno.h>

#include "test_build.h"
#include "obj/objects.h"
#include "obj/expr/expr.h"
#include "lang/lang.h"

#define A(...) (const struct tattr[]){ __VA_ARGS__, T_END }
#define EX(n, ...) (&(const struct texpr){ .name = (n), .attrs = A(__VA_ARGS__) })

/* Appends one message with the given attributes; nests (hook, expression
 * lists, element lists) are added by the callers through extra. */
static struct nlmsghdr *msg(struct nfk_buf *b, uint16_t type, uint8_t family,
			    const struct tattr *attrs)
{
	struct nlmsghdr *nlh = nfk_msg_put(b, (NFNL_SUBSYS_NFTABLES << 8) | type,
					   NLM_F_REQUEST, 1, family, 0);

	if (!nlh || !tb_attrs(b, attrs))
		return NULL;
	return nlh;
}

static bool put_exprs(struct nfk_buf *b, uint16_t type, const struct texpr *const *ex)
{
	struct nlattr *list = nfk_nest_start(b, type);

	if (!list)
		return false;
	for (; *ex; ex++) {
		struct nlattr *el = nfk_nest_start(b, NFTA_LIST_ELEM);

		if (!el || !tb_expr(b, *ex))
			return false;
		nfk_nest_end(b, el);
	}
	nfk_nest_end(b, list);
	return true;
}

/* A rule with two known expressions, an unknown one and an unknown rule
 * attribute. */
static struct nlmsghdr *build_rule(struct nfk_buf *b)
{
	const struct texpr *ex[] = {
		EX("payload", T_BE32(NFTA_PAYLOAD_DREG, 1), T_BE32(NFTA_PAYLOAD_BASE, 2),
		   T_BE32(NFTA_PAYLOAD_OFFSET, 2), T_BE32(NFTA_PAYLOAD_LEN, 2)),
		EX("cmp", T_BE32(NFTA_CMP_SREG, 1), T_BE32(NFTA_CMP_OP, 0),
		   T_DATA(NFTA_CMP_DATA, 0, 22)),
		EX("frobnicate", T_BE32(7, 7)),
		EX("immediate", T_BE32(NFTA_IMMEDIATE_DREG, 0),
		   T_VERDICT(NFTA_IMMEDIATE_DATA, NF_ACCEPT, NULL)),
		NULL,
	};
	struct nlmsghdr *nlh = msg(b, NFT_MSG_NEWRULE, NFPROTO_INET,
				   A(T_STR(NFTA_RULE_TABLE, "filter"), T_STR(NFTA_RULE_CHAIN, "input")));

	if (!nlh || !put_exprs(b, NFTA_RULE_EXPRESSIONS, ex) ||
	    !nfk_attr_put_str(b, 30, "future attribute") ||
	    !nfk_attr_put(b, NFTA_RULE_USERDATA, "\0\5hello", 7))
		return NULL;
	nfk_msg_end(b, nlh);
	return nlh;
}

static void test_rule_validate(void)
{
	uint8_t mem[4096], copy[4096];
	struct nfk_buf b;
	struct nfk_verr err;
	struct nlmsghdr *nlh;

	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = build_rule(&b);
	CHECK(nlh != NULL, "build rule");
	if (!nlh)
		return;
	/* Validation only reads: the bytes are the same afterwards, the
	 * unknown attribute and the unknown expression included. */
	memcpy(copy, nlh, nlh->nlmsg_len);
	CHECK(nfk_msg_validate(nlh, &err) == 0, "rule valid: %s", err.msg);
	CHECK(memcmp(copy, mem, nlh->nlmsg_len) == 0, "validation left the bytes as they were");
	{
		size_t len;
		const void *attrs = nfk_msg_attrs((struct nlmsghdr *)copy, &len);

		CHECK(nfk_attr_find(attrs, len, 30) != NULL, "unknown attribute kept");
	}

	/* Every truncation of the attribute area is rejected or, when it cut
	 * on an attribute boundary, still well-formed; never a crash. */
	for (uint32_t cut = NFK_MSG_HDRLEN; cut < nlh->nlmsg_len; cut++) {
		memcpy(copy, mem, nlh->nlmsg_len);
		((struct nlmsghdr *)copy)->nlmsg_len = cut;
		(void)nfk_msg_validate((struct nlmsghdr *)copy, &err);
	}
	memcpy(copy, mem, nlh->nlmsg_len);
	((struct nlmsghdr *)copy)->nlmsg_len = nlh->nlmsg_len - 2;
	CHECK(nfk_msg_validate((struct nlmsghdr *)copy, &err) == -EINVAL, "truncated rejected");
	((struct nlmsghdr *)copy)->nlmsg_len = 8;
	CHECK(nfk_msg_validate((struct nlmsghdr *)copy, &err) == -EINVAL, "short header rejected");
}

static void test_bad_attrs(void)
{
	uint8_t mem[1024];
	struct nfk_buf b;
	struct nfk_verr err;
	struct nlmsghdr *nlh;

	/* NFTA_RULE_ID is be32: two bytes is garbage. */
	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = msg(&b, NFT_MSG_NEWRULE, NFPROTO_IPV4, A(T_STR(NFTA_RULE_TABLE, "t"), T_BE16(NFTA_RULE_ID, 1)));
	nfk_msg_end(&b, nlh);
	CHECK(nfk_msg_validate(nlh, &err) == -EINVAL, "short be32 rejected");
	CHECK(strstr(err.msg, "id") != NULL, "error names the attribute: %s", err.msg);
	CHECK(err.offset == NFK_MSG_HDRLEN + 8, "error offset %zu", err.offset);

	/* Unterminated table name. */
	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = msg(&b, NFT_MSG_NEWTABLE, NFPROTO_IPV4, A(T_RAW(NFTA_TABLE_NAME, "abc")));
	nfk_msg_end(&b, nlh);
	CHECK(nfk_msg_validate(nlh, &err) == -EINVAL, "unterminated string rejected");

	/* A bad attribute inside an expression inside the rule. */
	{
		const struct texpr *ex[] = { EX("cmp", T_BE32(NFTA_CMP_SREG, 1), T_U8(NFTA_CMP_OP, 0),
						T_DATA(NFTA_CMP_DATA, 1)), NULL };

		nfk_buf_init(&b, mem, sizeof(mem));
		nlh = msg(&b, NFT_MSG_NEWRULE, NFPROTO_IPV4, A(T_STR(NFTA_RULE_TABLE, "t")));
		CHECK(put_exprs(&b, NFTA_RULE_EXPRESSIONS, ex), "build");
		nfk_msg_end(&b, nlh);
		CHECK(nfk_msg_validate(nlh, &err) == -EINVAL, "bad nested attr rejected");
	}

	/* A set element whose key is not an nft_data nest. */
	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = msg(&b, NFT_MSG_NEWSETELEM, NFPROTO_IPV4,
		  A(T_STR(NFTA_SET_ELEM_LIST_TABLE, "t"), T_STR(NFTA_SET_ELEM_LIST_SET, "s")));
	{
		struct nlattr *l = nfk_nest_start(&b, NFTA_SET_ELEM_LIST_ELEMENTS);
		struct nlattr *e = nfk_nest_start(&b, NFTA_LIST_ELEM);

		nfk_attr_put(&b, NFTA_SET_ELEM_KEY, "\x08\x00\x01", 3);
		nfk_nest_end(&b, e);
		nfk_nest_end(&b, l);
	}
	nfk_msg_end(&b, nlh);
	CHECK(nfk_msg_validate(nlh, &err) == -EINVAL, "bad element key rejected");

	/* Unknown message types are refused, batch markers accepted. */
	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = msg(&b, 200, NFPROTO_IPV4, A(T_BE32(1, 1)));
	nfk_msg_end(&b, nlh);
	CHECK(nfk_msg_validate(nlh, &err) == -EOPNOTSUPP, "unknown message type");
	nlh->nlmsg_type = NFNL_MSG_BATCH_BEGIN;
	CHECK(nfk_msg_validate(nlh, &err) == 0, "batch begin");
}

static void test_obj(void)
{
	uint8_t mem[1024];
	struct nfk_buf b;
	struct nfk_verr err;
	struct nlmsghdr *nlh;
	struct nlattr *d;

	/* Quota data is checked with the quota schema: bytes must be be64. */
	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = msg(&b, NFT_MSG_NEWOBJ, NFPROTO_INET, A(T_STR(NFTA_OBJ_TABLE, "t"),
		  T_STR(NFTA_OBJ_NAME, "q"), T_BE32(NFTA_OBJ_TYPE, NFT_OBJECT_QUOTA)));
	d = nfk_nest_start(&b, NFTA_OBJ_DATA);
	nfk_attr_put_be64(&b, NFTA_QUOTA_BYTES, 100);
	nfk_nest_end(&b, d);
	nfk_msg_end(&b, nlh);
	CHECK(nfk_msg_validate(nlh, &err) == 0, "quota valid: %s", err.msg);

	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = msg(&b, NFT_MSG_NEWOBJ, NFPROTO_INET, A(T_STR(NFTA_OBJ_TABLE, "t"),
		  T_STR(NFTA_OBJ_NAME, "q"), T_BE32(NFTA_OBJ_TYPE, NFT_OBJECT_QUOTA)));
	d = nfk_nest_start(&b, NFTA_OBJ_DATA);
	nfk_attr_put_be32(&b, NFTA_QUOTA_BYTES, 100);
	nfk_nest_end(&b, d);
	nfk_msg_end(&b, nlh);
	CHECK(nfk_msg_validate(nlh, &err) == -EINVAL, "quota with be32 bytes rejected");
	CHECK(strstr(err.msg, "quota") != NULL, "message: %s", err.msg);

	/* The same data under an unknown object type is kept unjudged. */
	((struct nlattr *)((uint8_t *)nlh + NFK_MSG_HDRLEN + 8 + 8))->nla_len += 0;
	{
		size_t len;
		const void *attrs = nfk_msg_attrs(nlh, &len);
		struct nlattr *t = (struct nlattr *)nfk_attr_find(attrs, len, NFTA_OBJ_TYPE);
		uint32_t v = htobe32(99);

		memcpy((uint8_t *)t + NFK_ATTR_HDRLEN, &v, 4);
	}
	CHECK(nfk_msg_validate(nlh, &err) == 0, "unknown object type kept");

	CHECK(nfk_obj_data_schema(NFT_OBJECT_COUNTER) == nfk_expr_counter.schema, "counter data");
	CHECK(nfk_obj_data_schema(NFT_OBJECT_CT_HELPER) == &nfk_obj_ct_helper_schema, "ct helper data");
	CHECK(nfk_obj_data_schema(NFT_OBJECT_SYNPROXY) != NULL, "synproxy data");
	CHECK(nfk_obj_data_schema(0) == NULL && nfk_obj_data_schema(1000) == NULL, "unknown data");
}

static void test_msg_schema(void)
{
	CHECK(nfk_msg_schema(NFT_MSG_NEWTABLE) == &nfk_table_schema, "table");
	CHECK(nfk_msg_schema(NFT_MSG_DELCHAIN) == &nfk_chain_schema, "chain");
	CHECK(nfk_msg_schema(NFT_MSG_GETRULE) == &nfk_rule_schema, "rule");
	CHECK(nfk_msg_schema(NFT_MSG_NEWSET) == &nfk_set_schema, "set");
	CHECK(nfk_msg_schema(NFT_MSG_DELSETELEM) == &nfk_setelem_list_schema, "setelem");
	CHECK(nfk_msg_schema(NFT_MSG_NEWGEN) == &nfk_gen_schema, "gen");
	CHECK(nfk_msg_schema(NFT_MSG_TRACE) == &nfk_trace_schema, "trace");
	CHECK(nfk_msg_schema(NFT_MSG_NEWOBJ) == &nfk_obj_schema, "obj");
	CHECK(nfk_msg_schema(NFT_MSG_NEWFLOWTABLE) == &nfk_flowtable_schema, "flowtable");
	CHECK(nfk_msg_schema(26) == &nfk_table_schema, "destroy table");
	CHECK(nfk_msg_schema(32) == &nfk_flowtable_schema, "destroy flowtable");
	CHECK(nfk_msg_schema(250) == NULL, "unknown");
}

/* The generic printer handles unknown expressions and attributes. */
static void test_schema_print(void)
{
	uint8_t mem[4096];
	struct nfk_buf b;
	struct nlmsghdr *nlh;
	const void *attrs;
	size_t len, olen = 0;
	char *out = NULL;
	FILE *f;

	nfk_buf_init(&b, mem, sizeof(mem));
	nlh = build_rule(&b);
	attrs = nfk_msg_attrs(nlh, &len);
	f = open_memstream(&out, &olen);
	nfk_schema_print(f, &nfk_rule_schema, attrs, len);
	fclose(f);
	CHECK(strstr(out, "expr frobnicate") != NULL, "unknown expression printed");
	CHECK(strstr(out, "attr30") != NULL, "unknown attribute printed");
	free(out);
}

/* ---- the debug printer, against `nft --debug=netlink` output ------------- */

static struct nlmsghdr *bmsg(struct nfk_batch *bt, struct nfk_buf **bp, uint16_t type,
			     uint8_t family, const struct tattr *attrs)
{
	struct nlmsghdr *nlh = nfk_batch_msg(bt, bp, type, NLM_F_CREATE, family, NULL);

	if (nlh && !tb_attrs(*bp, attrs))
		return NULL;
	return nlh;
}

static void elem(struct nfk_buf *b, const uint8_t *key, size_t klen, uint32_t flags,
		 int32_t verdict, const char *chain)
{
	struct nlattr *e = nfk_nest_start(b, NFTA_LIST_ELEM), *k, *d, *v;

	if (flags)
		nfk_attr_put_be32(b, NFTA_SET_ELEM_FLAGS, flags);
	if (klen) {
		k = nfk_nest_start(b, NFTA_SET_ELEM_KEY);
		nfk_attr_put(b, NFTA_DATA_VALUE, key, klen);
		nfk_nest_end(b, k);
	}
	if (verdict != INT32_MIN) {
		d = nfk_nest_start(b, NFTA_SET_ELEM_DATA);
		v = nfk_nest_start(b, NFTA_DATA_VERDICT);
		nfk_attr_put_be32(b, NFTA_VERDICT_CODE, (uint32_t)verdict);
		if (chain)
			nfk_attr_put_str(b, NFTA_VERDICT_CHAIN, chain);
		nfk_nest_end(b, v);
		nfk_nest_end(b, d);
	}
	nfk_nest_end(b, e);
}

static void test_debug_print(void)
{
	/* Observed with nft 1.0.6 for
	 *   table inet t { map m { type inet_service : verdict; elements = {
	 *   22 : jump c2, 80 : accept } } chain c2 { } chain c { type filter
	 *   hook input priority 0; policy accept; tcp dport vmap @m } }
	 * plus a catch-all element and a commented rule. */
	static const char want[] =
		"inet (null) (null) use 0\n"
		"inet (null) (null) use 0 type filter hook input prio 0 packets 0 bytes 0\n"
		"m t b\n"
		"m t 0\n"
		"\telement 00001600  : jump -> c2 0 [end]\telement 00005000  : accept 0 [end]"
		"\telement  : drop 2 [end]\n"
		"m t 0\n"
		"inet t c\n"
		"  [ meta load l4proto => reg 1 ]\n"
		"  [ lookup reg 1 set m dreg 0 ]\n"
		/* nft prints no blank line after a rule's userdata line */
		"  userdata = { \\x00\\x05hello }\n"
		"table (null) name (null) use 0 [ counter pkts 1 bytes 2 ]\n"
		"netdev (null) (null) use 0 type filter hook ingress prio -5 packets 0 bytes 0"
		" dev {  v0  lo  } \n";
	const struct texpr *ex[] = {
		EX("meta", T_BE32(NFTA_META_DREG, 1), T_BE32(NFTA_META_KEY, NFT_META_L4PROTO)),
		EX("lookup", T_STR(NFTA_LOOKUP_SET, "m"), T_BE32(NFTA_LOOKUP_SREG, 1),
		   T_BE32(NFTA_LOOKUP_DREG, 0)),
		NULL,
	};
	struct nfk_batch *bt = NULL;
	struct nfk_buf *b;
	struct nlmsghdr *nlh;
	struct nlattr *n, *n2;
	char *out = NULL;
	size_t olen = 0;
	FILE *f;

	if (nfk_batch_new(&bt) < 0) {
		CHECK(0, "batch");
		return;
	}
	nlh = bmsg(bt, &b, NFT_MSG_NEWTABLE, NFPROTO_INET, A(T_STR(NFTA_TABLE_NAME, "t")));
	nfk_batch_end_msg(bt, nlh);
	nlh = bmsg(bt, &b, NFT_MSG_NEWCHAIN, NFPROTO_INET,
		   A(T_STR(NFTA_CHAIN_TABLE, "t"), T_STR(NFTA_CHAIN_NAME, "c2")));
	nfk_batch_end_msg(bt, nlh);
	nlh = bmsg(bt, &b, NFT_MSG_NEWCHAIN, NFPROTO_INET,
		   A(T_STR(NFTA_CHAIN_TABLE, "t"), T_STR(NFTA_CHAIN_NAME, "c"),
		     T_STR(NFTA_CHAIN_TYPE, "filter"), T_BE32(NFTA_CHAIN_POLICY, 1)));
	n = nfk_nest_start(b, NFTA_CHAIN_HOOK);
	nfk_attr_put_be32(b, NFTA_HOOK_HOOKNUM, NF_INET_LOCAL_IN);
	nfk_attr_put_be32(b, NFTA_HOOK_PRIORITY, 0);
	nfk_nest_end(b, n);
	nfk_batch_end_msg(bt, nlh);
	nlh = bmsg(bt, &b, NFT_MSG_NEWSET, NFPROTO_INET,
		   A(T_STR(NFTA_SET_TABLE, "t"), T_STR(NFTA_SET_NAME, "m"),
		     T_BE32(NFTA_SET_FLAGS, NFT_SET_MAP | NFT_SET_CONSTANT | NFT_SET_ANONYMOUS),
		     T_BE32(NFTA_SET_KEY_TYPE, 13), T_BE32(NFTA_SET_KEY_LEN, 2),
		     T_BE32(NFTA_SET_DATA_TYPE, 0xffffff00), T_BE32(NFTA_SET_DATA_LEN, 16),
		     T_RAW(NFTA_SET_USERDATA, "typeof")));
	nfk_batch_end_msg(bt, nlh);
	nlh = bmsg(bt, &b, NFT_MSG_NEWSETELEM, NFPROTO_INET,
		   A(T_STR(NFTA_SET_ELEM_LIST_TABLE, "t"), T_STR(NFTA_SET_ELEM_LIST_SET, "m")));
	n = nfk_nest_start(b, NFTA_SET_ELEM_LIST_ELEMENTS);
	elem(b, (const uint8_t[]){ 0, 22 }, 2, 0, NFT_JUMP, "c2");
	elem(b, (const uint8_t[]){ 0, 80 }, 2, 0, NF_ACCEPT, NULL);
	elem(b, NULL, 0, NFT_SET_ELEM_CATCHALL, NF_DROP, NULL);
	nfk_nest_end(b, n);
	nfk_batch_end_msg(bt, nlh);
	/* flush set: an element message without elements */
	nlh = bmsg(bt, &b, NFT_MSG_DELSETELEM, NFPROTO_INET,
		   A(T_STR(NFTA_SET_ELEM_LIST_TABLE, "t"), T_STR(NFTA_SET_ELEM_LIST_SET, "m")));
	nfk_batch_end_msg(bt, nlh);
	nlh = bmsg(bt, &b, NFT_MSG_NEWRULE, NFPROTO_INET,
		   A(T_STR(NFTA_RULE_TABLE, "t"), T_STR(NFTA_RULE_CHAIN, "c")));
	put_exprs(b, NFTA_RULE_EXPRESSIONS, ex);
	nfk_attr_put(b, NFTA_RULE_USERDATA, "\0\5hello", 7);
	nfk_batch_end_msg(bt, nlh);
	nlh = bmsg(bt, &b, NFT_MSG_DELRULE, NFPROTO_INET,
		   A(T_STR(NFTA_RULE_TABLE, "t"), T_STR(NFTA_RULE_CHAIN, "c"), T_BE64(NFTA_RULE_HANDLE, 4)));
	nfk_batch_end_msg(bt, nlh);
	nlh = bmsg(bt, &b, NFT_MSG_NEWOBJ, NFPROTO_INET,
		   A(T_STR(NFTA_OBJ_TABLE, "t"), T_STR(NFTA_OBJ_NAME, "cnt"),
		     T_BE32(NFTA_OBJ_TYPE, NFT_OBJECT_COUNTER)));
	n = nfk_nest_start(b, NFTA_OBJ_DATA);
	nfk_attr_put_be64(b, NFTA_COUNTER_BYTES, 2);
	nfk_attr_put_be64(b, NFTA_COUNTER_PACKETS, 1);
	nfk_nest_end(b, n);
	nfk_batch_end_msg(bt, nlh);
	nlh = bmsg(bt, &b, NFT_MSG_NEWCHAIN, NFPROTO_NETDEV,
		   A(T_STR(NFTA_CHAIN_TABLE, "nd"), T_STR(NFTA_CHAIN_NAME, "i"),
		     T_STR(NFTA_CHAIN_TYPE, "filter")));
	n = nfk_nest_start(b, NFTA_CHAIN_HOOK);
	nfk_attr_put_be32(b, NFTA_HOOK_HOOKNUM, NF_NETDEV_INGRESS);
	nfk_attr_put_be32(b, NFTA_HOOK_PRIORITY, (uint32_t)-5);
	n2 = nfk_nest_start(b, NFTA_HOOK_DEVS);
	nfk_attr_put_str(b, NFTA_DEVICE_NAME, "v0");
	nfk_attr_put_str(b, NFTA_DEVICE_NAME, "lo");
	nfk_nest_end(b, n2);
	nfk_nest_end(b, n);
	nfk_batch_end_msg(bt, nlh);

	f = open_memstream(&out, &olen);
	nfk_batch_print_debug(f, bt);
	fclose(f);
	CHECK(strcmp(out, want) == 0, "debug print:\n%s\n--- want\n%s", out, want);
	free(out);
	nfk_batch_free(bt);
}

int main(void)
{
	test_rule_validate();
	test_bad_attrs();
	test_obj();
	test_msg_schema();
	test_schema_print();
	test_debug_print();
	return t_report();
}

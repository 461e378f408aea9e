// SPDX-License-Identifier: MIT
/* Object schemas: one line per attribute, as the uapi header lists them. */
#include <errno.h>
#include <string.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>

#include "objects.h"
#include "expr/expr.h"

/* ---- tables and chains ---------------------------------------------------- */

static const struct nfk_field table_fields[] = {
	F(NFTA_TABLE_NAME, "name", NFK_STR, .maxlen = 256),
	F(NFTA_TABLE_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_TABLE_USE, "use", NFK_BE32),
	F(NFTA_TABLE_HANDLE, "handle", NFK_BE64),
	F(NFTA_TABLE_PAD, "pad", NFK_BIN),
	F(NFTA_TABLE_USERDATA, "userdata", NFK_BIN, .maxlen = NFT_USERDATA_MAXLEN),
	F(NFTA_TABLE_OWNER, "owner", NFK_BE32),
};
const struct nfk_schema nfk_table_schema = NFK_SCHEMA("table", table_fields);

/* NFTA_HOOK_DEVS holds NFTA_DEVICE_NAME strings, repeated. */
static const struct nfk_field devices_fields[] = {
	F(NFTA_DEVICE_NAME, "name", NFK_STR, .maxlen = 16),
};
const struct nfk_schema nfk_devices_schema = NFK_SCHEMA("devices", devices_fields);

static const struct nfk_field hook_fields[] = {
	F(NFTA_HOOK_HOOKNUM, "hooknum", NFK_BE32),
	F(NFTA_HOOK_PRIORITY, "priority", NFK_BE32),
	F(NFTA_HOOK_DEV, "dev", NFK_STR, .maxlen = 16),
	F(NFTA_HOOK_DEVS, "devs", NFK_NEST, .nest = &nfk_devices_schema),
};
const struct nfk_schema nfk_hook_schema = NFK_SCHEMA("hook", hook_fields);

static const struct nfk_field counters_fields[] = {
	F(NFTA_COUNTER_BYTES, "bytes", NFK_BE64),
	F(NFTA_COUNTER_PACKETS, "packets", NFK_BE64),
	F(NFTA_COUNTER_PAD, "pad", NFK_BIN),
};
const struct nfk_schema nfk_counters_schema = NFK_SCHEMA("counters", counters_fields);

static const struct nfk_field chain_fields[] = {
	F(NFTA_CHAIN_TABLE, "table", NFK_STR, .maxlen = 256),
	F(NFTA_CHAIN_HANDLE, "handle", NFK_BE64),
	F(NFTA_CHAIN_NAME, "name", NFK_STR, .maxlen = 256),
	F(NFTA_CHAIN_HOOK, "hook", NFK_NEST, .nest = &nfk_hook_schema),
	F(NFTA_CHAIN_POLICY, "policy", NFK_BE32),
	F(NFTA_CHAIN_USE, "use", NFK_BE32),
	F(NFTA_CHAIN_TYPE, "type", NFK_STR, .maxlen = 16),
	F(NFTA_CHAIN_COUNTERS, "counters", NFK_NEST, .nest = &nfk_counters_schema),
	F(NFTA_CHAIN_PAD, "pad", NFK_BIN),
	F(NFTA_CHAIN_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_CHAIN_ID, "id", NFK_BE32),
	F(NFTA_CHAIN_USERDATA, "userdata", NFK_BIN, .maxlen = NFT_USERDATA_MAXLEN),
};
const struct nfk_schema nfk_chain_schema = NFK_SCHEMA("chain", chain_fields);

/* ---- rules ------------------------------------------------------------------ */

static const struct nfk_field rule_compat_fields[] = {
	F(NFTA_RULE_COMPAT_PROTO, "proto", NFK_BE32),
	F(NFTA_RULE_COMPAT_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
};
const struct nfk_schema nfk_rule_compat_schema = NFK_SCHEMA("rule_compat", rule_compat_fields);

static const struct nfk_field rule_fields[] = {
	F(NFTA_RULE_TABLE, "table", NFK_STR, .maxlen = 256),
	F(NFTA_RULE_CHAIN, "chain", NFK_STR, .maxlen = 256),
	F(NFTA_RULE_HANDLE, "handle", NFK_BE64),
	F(NFTA_RULE_EXPRESSIONS, "expressions", NFK_EXPRS),
	F(NFTA_RULE_COMPAT, "compat", NFK_NEST, .nest = &nfk_rule_compat_schema),
	F(NFTA_RULE_POSITION, "position", NFK_BE64),
	F(NFTA_RULE_USERDATA, "userdata", NFK_BIN, .maxlen = NFT_USERDATA_MAXLEN),
	F(NFTA_RULE_PAD, "pad", NFK_BIN),
	F(NFTA_RULE_ID, "id", NFK_BE32),
	F(NFTA_RULE_POSITION_ID, "position_id", NFK_BE32),
	F(NFTA_RULE_CHAIN_ID, "chain_id", NFK_BE32),
};
const struct nfk_schema nfk_rule_schema = NFK_SCHEMA("rule", rule_fields);

/* ---- sets and elements ------------------------------------------------------ */

static const struct nfk_field set_field_fields[] = {
	F(NFTA_SET_FIELD_LEN, "len", NFK_BE32),
};
const struct nfk_schema nfk_set_field_schema = NFK_SCHEMA("set_field", set_field_fields);

static const struct nfk_field set_desc_fields[] = {
	F(NFTA_SET_DESC_SIZE, "size", NFK_BE32),
	F(NFTA_SET_DESC_CONCAT, "concat", NFK_LIST, .nest = &nfk_set_field_schema),
};
const struct nfk_schema nfk_set_desc_schema = NFK_SCHEMA("set_desc", set_desc_fields);

static const struct nfk_field set_fields[] = {
	F(NFTA_SET_TABLE, "table", NFK_STR, .maxlen = 256),
	F(NFTA_SET_NAME, "name", NFK_STR, .maxlen = 256),
	F(NFTA_SET_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_SET_KEY_TYPE, "key_type", NFK_BE32),
	F(NFTA_SET_KEY_LEN, "key_len", NFK_BE32),
	F(NFTA_SET_DATA_TYPE, "data_type", NFK_BE32),
	F(NFTA_SET_DATA_LEN, "data_len", NFK_BE32),
	F(NFTA_SET_POLICY, "policy", NFK_BE32),
	F(NFTA_SET_DESC, "desc", NFK_NEST, .nest = &nfk_set_desc_schema),
	F(NFTA_SET_ID, "id", NFK_BE32),
	F(NFTA_SET_TIMEOUT, "timeout", NFK_BE64),
	F(NFTA_SET_GC_INTERVAL, "gc_interval", NFK_BE32),
	F(NFTA_SET_USERDATA, "userdata", NFK_BIN, .maxlen = NFT_USERDATA_MAXLEN),
	F(NFTA_SET_PAD, "pad", NFK_BIN),
	F(NFTA_SET_OBJ_TYPE, "obj_type", NFK_BE32),
	F(NFTA_SET_HANDLE, "handle", NFK_BE64),
	F(NFTA_SET_EXPR, "expr", NFK_EXPR),
	F(NFTA_SET_EXPRESSIONS, "expressions", NFK_EXPRS),
};
const struct nfk_schema nfk_set_schema = NFK_SCHEMA("set", set_fields);

static const struct nfk_field setelem_fields[] = {
	F(NFTA_SET_ELEM_KEY, "key", NFK_DATA),
	F(NFTA_SET_ELEM_DATA, "data", NFK_DATA),
	F(NFTA_SET_ELEM_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_SET_ELEM_TIMEOUT, "timeout", NFK_BE64),
	F(NFTA_SET_ELEM_EXPIRATION, "expiration", NFK_BE64),
	F(NFTA_SET_ELEM_USERDATA, "userdata", NFK_BIN, .maxlen = NFT_USERDATA_MAXLEN),
	F(NFTA_SET_ELEM_EXPR, "expr", NFK_EXPR),
	F(NFTA_SET_ELEM_PAD, "pad", NFK_BIN),
	F(NFTA_SET_ELEM_OBJREF, "objref", NFK_STR, .maxlen = 256),
	F(NFTA_SET_ELEM_KEY_END, "key_end", NFK_DATA),
	F(NFTA_SET_ELEM_EXPRESSIONS, "expressions", NFK_EXPRS),
};
const struct nfk_schema nfk_setelem_schema = NFK_SCHEMA("setelem", setelem_fields);

static const struct nfk_field setelem_list_fields[] = {
	F(NFTA_SET_ELEM_LIST_TABLE, "table", NFK_STR, .maxlen = 256),
	F(NFTA_SET_ELEM_LIST_SET, "set", NFK_STR, .maxlen = 256),
	F(NFTA_SET_ELEM_LIST_ELEMENTS, "elements", NFK_LIST, .nest = &nfk_setelem_schema),
	F(NFTA_SET_ELEM_LIST_SET_ID, "set_id", NFK_BE32),
};
const struct nfk_schema nfk_setelem_list_schema = NFK_SCHEMA("setelem_list", setelem_list_fields);

/* ---- stateful objects ------------------------------------------------------- */

/* The type-specific NFTA_OBJ_DATA is checked apart (nfk_obj_data_schema),
 * so here it is only bytes. */
static const struct nfk_field obj_fields[] = {
	F(NFTA_OBJ_TABLE, "table", NFK_STR, .maxlen = 256),
	F(NFTA_OBJ_NAME, "name", NFK_STR, .maxlen = 256),
	F(NFTA_OBJ_TYPE, "type", NFK_BE32),
	F(NFTA_OBJ_DATA, "data", NFK_BIN),
	F(NFTA_OBJ_USE, "use", NFK_BE32),
	F(NFTA_OBJ_HANDLE, "handle", NFK_BE64),
	F(NFTA_OBJ_PAD, "pad", NFK_BIN),
	F(NFTA_OBJ_USERDATA, "userdata", NFK_BIN, .maxlen = NFT_USERDATA_MAXLEN),
};
const struct nfk_schema nfk_obj_schema = NFK_SCHEMA("obj", obj_fields);

static const struct nfk_field ct_helper_fields[] = {
	F(NFTA_CT_HELPER_NAME, "name", NFK_BIN, .maxlen = 16)   /* sent without NUL */,
	F(NFTA_CT_HELPER_L3PROTO, "l3proto", NFK_BE16),
	F(NFTA_CT_HELPER_L4PROTO, "l4proto", NFK_U8),
};
const struct nfk_schema nfk_obj_ct_helper_schema = NFK_SCHEMA("ct_helper", ct_helper_fields);

/* Per-state timeouts (CTA_TIMEOUT_<proto>_*, be32 seconds); their meaning
 * depends on l4proto, so they are checked only for shape. */
/* CTA_TIMEOUT_<PROTO>_*: seconds per conntrack state, numbered per protocol
 * (TCP has the most, 14) */
#define CT_STATE(n) F(n, "state" #n, NFK_BE32)
static const struct nfk_field ct_timeout_data_fields[] = {
	CT_STATE(1), CT_STATE(2), CT_STATE(3), CT_STATE(4), CT_STATE(5), CT_STATE(6),
	CT_STATE(7), CT_STATE(8), CT_STATE(9), CT_STATE(10), CT_STATE(11), CT_STATE(12),
	CT_STATE(13), CT_STATE(14),
};
#undef CT_STATE
const struct nfk_schema nfk_obj_ct_timeout_data_schema = NFK_SCHEMA("ct_timeout_data", ct_timeout_data_fields);

static const struct nfk_field ct_timeout_fields[] = {
	F(NFTA_CT_TIMEOUT_L3PROTO, "l3proto", NFK_BE16),
	F(NFTA_CT_TIMEOUT_L4PROTO, "l4proto", NFK_U8),
	F(NFTA_CT_TIMEOUT_DATA, "data", NFK_NEST, .nest = &nfk_obj_ct_timeout_data_schema),
};
const struct nfk_schema nfk_obj_ct_timeout_schema = NFK_SCHEMA("ct_timeout", ct_timeout_fields);

static const struct nfk_field ct_expect_fields[] = {
	F(NFTA_CT_EXPECT_L3PROTO, "l3proto", NFK_BE16),
	F(NFTA_CT_EXPECT_L4PROTO, "l4proto", NFK_U8),
	F(NFTA_CT_EXPECT_DPORT, "dport", NFK_BE16),
	F(NFTA_CT_EXPECT_TIMEOUT, "timeout", NFK_U32)   /* host order: NLA_U32 */,
	F(NFTA_CT_EXPECT_SIZE, "size", NFK_U8),
};
const struct nfk_schema nfk_obj_ct_expect_schema = NFK_SCHEMA("ct_expect", ct_expect_fields);

static const struct nfk_field secmark_fields[] = {
	F(NFTA_SECMARK_CTX, "ctx", NFK_BIN, .maxlen = NFT_SECMARK_CTX_MAXLEN)   /* sent without NUL */,
};
const struct nfk_schema nfk_obj_secmark_schema = NFK_SCHEMA("secmark", secmark_fields);

static const struct nfk_field tunnel_ip_fields[] = {
	F(NFTA_TUNNEL_KEY_IP_SRC, "src", NFK_BIN, .maxlen = 4),
	F(NFTA_TUNNEL_KEY_IP_DST, "dst", NFK_BIN, .maxlen = 4),
};
static const struct nfk_schema tunnel_ip_schema = NFK_SCHEMA("tunnel_ip", tunnel_ip_fields);

static const struct nfk_field tunnel_ip6_fields[] = {
	F(NFTA_TUNNEL_KEY_IP6_SRC, "src", NFK_BIN, .maxlen = 16),
	F(NFTA_TUNNEL_KEY_IP6_DST, "dst", NFK_BIN, .maxlen = 16),
	F(NFTA_TUNNEL_KEY_IP6_FLOWLABEL, "flowlabel", NFK_BE32),
};
static const struct nfk_schema tunnel_ip6_schema = NFK_SCHEMA("tunnel_ip6", tunnel_ip6_fields);

static const struct nfk_field tunnel_vxlan_fields[] = {
	F(NFTA_TUNNEL_KEY_VXLAN_GBP, "gbp", NFK_BE32),
};
static const struct nfk_schema tunnel_vxlan_schema = NFK_SCHEMA("vxlan", tunnel_vxlan_fields);

static const struct nfk_field tunnel_erspan_fields[] = {
	F(NFTA_TUNNEL_KEY_ERSPAN_VERSION, "version", NFK_BE32),
	F(NFTA_TUNNEL_KEY_ERSPAN_V1_INDEX, "v1_index", NFK_BE32),
	F(NFTA_TUNNEL_KEY_ERSPAN_V2_HWID, "v2_hwid", NFK_U8),
	F(NFTA_TUNNEL_KEY_ERSPAN_V2_DIR, "v2_dir", NFK_U8),
};
static const struct nfk_schema tunnel_erspan_schema = NFK_SCHEMA("erspan", tunnel_erspan_fields);

static const struct nfk_field tunnel_geneve_fields[] = {
	F(NFTA_TUNNEL_KEY_GENEVE_CLASS, "class", NFK_BE16),
	F(NFTA_TUNNEL_KEY_GENEVE_TYPE, "type", NFK_U8),
	F(NFTA_TUNNEL_KEY_GENEVE_DATA, "data", NFK_BIN, .maxlen = 128),
};
static const struct nfk_schema tunnel_geneve_schema = NFK_SCHEMA("geneve", tunnel_geneve_fields);

static const struct nfk_field tunnel_opts_fields[] = {
	F(NFTA_TUNNEL_KEY_OPTS_VXLAN, "vxlan", NFK_NEST, .nest = &tunnel_vxlan_schema),
	F(NFTA_TUNNEL_KEY_OPTS_ERSPAN, "erspan", NFK_NEST, .nest = &tunnel_erspan_schema),
	F(NFTA_TUNNEL_KEY_OPTS_GENEVE, "geneve", NFK_NEST, .nest = &tunnel_geneve_schema),
};
static const struct nfk_schema tunnel_opts_schema = NFK_SCHEMA("tunnel_opts", tunnel_opts_fields);

static const struct nfk_field tunnel_fields[] = {
	F(NFTA_TUNNEL_KEY_ID, "id", NFK_BE32),
	F(NFTA_TUNNEL_KEY_IP, "ip", NFK_NEST, .nest = &tunnel_ip_schema),
	F(NFTA_TUNNEL_KEY_IP6, "ip6", NFK_NEST, .nest = &tunnel_ip6_schema),
	F(NFTA_TUNNEL_KEY_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_TUNNEL_KEY_TOS, "tos", NFK_U8),
	F(NFTA_TUNNEL_KEY_TTL, "ttl", NFK_U8),
	F(NFTA_TUNNEL_KEY_SPORT, "sport", NFK_BE16),
	F(NFTA_TUNNEL_KEY_DPORT, "dport", NFK_BE16),
	F(NFTA_TUNNEL_KEY_OPTS, "opts", NFK_NEST, .nest = &tunnel_opts_schema),
};
const struct nfk_schema nfk_obj_tunnel_schema = NFK_SCHEMA("tunnel", tunnel_fields);

/* Object types whose data is exactly their expression's attributes. */
static const struct nfk_expr_type *const obj_exprs[] = {
	[NFT_OBJECT_COUNTER] = &nfk_expr_counter, [NFT_OBJECT_QUOTA] = &nfk_expr_quota,
	[NFT_OBJECT_LIMIT] = &nfk_expr_limit, [NFT_OBJECT_CONNLIMIT] = &nfk_expr_connlimit,
	[NFT_OBJECT_SYNPROXY] = &nfk_expr_synproxy,
};

static const struct nfk_schema *const obj_schemas[] = {
	[NFT_OBJECT_CT_HELPER] = &nfk_obj_ct_helper_schema,
	[NFT_OBJECT_TUNNEL] = &nfk_obj_tunnel_schema,
	[NFT_OBJECT_CT_TIMEOUT] = &nfk_obj_ct_timeout_schema,
	[NFT_OBJECT_SECMARK] = &nfk_obj_secmark_schema,
	[NFT_OBJECT_CT_EXPECT] = &nfk_obj_ct_expect_schema,
};

static const char *const obj_type_names[] = {
	[NFT_OBJECT_COUNTER] = "counter", [NFT_OBJECT_QUOTA] = "quota",
	[NFT_OBJECT_CT_HELPER] = "ct_helper", [NFT_OBJECT_LIMIT] = "limit",
	[NFT_OBJECT_CONNLIMIT] = "connlimit", [NFT_OBJECT_TUNNEL] = "tunnel",
	[NFT_OBJECT_CT_TIMEOUT] = "ct_timeout", [NFT_OBJECT_SECMARK] = "secmark",
	[NFT_OBJECT_CT_EXPECT] = "ct_expect", [NFT_OBJECT_SYNPROXY] = "synproxy",
};

const struct nfk_schema *nfk_obj_data_schema(uint32_t obj_type)
{
	const struct nfk_expr_type *et = NFK_NAME(obj_exprs, obj_type, NULL);

	return et ? et->schema : NFK_NAME(obj_schemas, obj_type, NULL);
}

const char *nfk_obj_type_name(uint32_t obj_type)
{
	return NFK_NAME(obj_type_names, obj_type, NULL);
}

/* ---- flowtables, generations, traces ---------------------------------------- */

static const struct nfk_field flowtable_hook_fields[] = {
	F(NFTA_FLOWTABLE_HOOK_NUM, "num", NFK_BE32),
	F(NFTA_FLOWTABLE_HOOK_PRIORITY, "priority", NFK_BE32),
	F(NFTA_FLOWTABLE_HOOK_DEVS, "devs", NFK_NEST, .nest = &nfk_devices_schema),
};
const struct nfk_schema nfk_flowtable_hook_schema = NFK_SCHEMA("flowtable_hook", flowtable_hook_fields);

static const struct nfk_field flowtable_fields[] = {
	F(NFTA_FLOWTABLE_TABLE, "table", NFK_STR, .maxlen = 256),
	F(NFTA_FLOWTABLE_NAME, "name", NFK_STR, .maxlen = 256),
	F(NFTA_FLOWTABLE_HOOK, "hook", NFK_NEST, .nest = &nfk_flowtable_hook_schema),
	F(NFTA_FLOWTABLE_USE, "use", NFK_BE32),
	F(NFTA_FLOWTABLE_HANDLE, "handle", NFK_BE64),
	F(NFTA_FLOWTABLE_PAD, "pad", NFK_BIN),
	F(NFTA_FLOWTABLE_FLAGS, "flags", NFK_BE32, .flags = NFK_F_HEX),
};
const struct nfk_schema nfk_flowtable_schema = NFK_SCHEMA("flowtable", flowtable_fields);

static const struct nfk_field gen_fields[] = {
	F(NFTA_GEN_ID, "id", NFK_BE32),
	F(NFTA_GEN_PROC_PID, "proc_pid", NFK_BE32),
	F(NFTA_GEN_PROC_NAME, "proc_name", NFK_STR, .maxlen = 16),
};
const struct nfk_schema nfk_gen_schema = NFK_SCHEMA("gen", gen_fields);

static const struct nfk_field trace_fields[] = {
	F(NFTA_TRACE_TABLE, "table", NFK_STR, .maxlen = 256),
	F(NFTA_TRACE_CHAIN, "chain", NFK_STR, .maxlen = 256),
	F(NFTA_TRACE_RULE_HANDLE, "rule_handle", NFK_BE64),
	F(NFTA_TRACE_TYPE, "type", NFK_BE32),
	F(NFTA_TRACE_VERDICT, "verdict", NFK_NEST, .nest = &nfk_verdict_schema),
	F(NFTA_TRACE_ID, "id", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_TRACE_LL_HEADER, "ll_header", NFK_BIN),
	F(NFTA_TRACE_NETWORK_HEADER, "network_header", NFK_BIN),
	F(NFTA_TRACE_TRANSPORT_HEADER, "transport_header", NFK_BIN),
	F(NFTA_TRACE_IIF, "iif", NFK_BE32),
	F(NFTA_TRACE_IIFTYPE, "iiftype", NFK_BE16),
	F(NFTA_TRACE_OIF, "oif", NFK_BE32),
	F(NFTA_TRACE_OIFTYPE, "oiftype", NFK_BE16),
	F(NFTA_TRACE_MARK, "mark", NFK_BE32, .flags = NFK_F_HEX),
	F(NFTA_TRACE_NFPROTO, "nfproto", NFK_BE32),
	F(NFTA_TRACE_POLICY, "policy", NFK_BE32),
	F(NFTA_TRACE_PAD, "pad", NFK_BIN),
};
const struct nfk_schema nfk_trace_schema = NFK_SCHEMA("trace", trace_fields);

/* ---- messages --------------------------------------------------------------- */

static const struct nfk_schema *const msg_schemas[NFT_MSG_DELFLOWTABLE + 1] = {
	[NFT_MSG_NEWTABLE] = &nfk_table_schema, [NFT_MSG_GETTABLE] = &nfk_table_schema,
	[NFT_MSG_DELTABLE] = &nfk_table_schema,
	[NFT_MSG_NEWCHAIN] = &nfk_chain_schema, [NFT_MSG_GETCHAIN] = &nfk_chain_schema,
	[NFT_MSG_DELCHAIN] = &nfk_chain_schema,
	[NFT_MSG_NEWRULE] = &nfk_rule_schema, [NFT_MSG_GETRULE] = &nfk_rule_schema,
	[NFT_MSG_DELRULE] = &nfk_rule_schema,
	[NFT_MSG_NEWSET] = &nfk_set_schema, [NFT_MSG_GETSET] = &nfk_set_schema,
	[NFT_MSG_DELSET] = &nfk_set_schema,
	[NFT_MSG_NEWSETELEM] = &nfk_setelem_list_schema,
	[NFT_MSG_GETSETELEM] = &nfk_setelem_list_schema,
	[NFT_MSG_DELSETELEM] = &nfk_setelem_list_schema,
	[NFT_MSG_NEWGEN] = &nfk_gen_schema, [NFT_MSG_GETGEN] = &nfk_gen_schema,
	[NFT_MSG_TRACE] = &nfk_trace_schema,
	[NFT_MSG_NEWOBJ] = &nfk_obj_schema, [NFT_MSG_GETOBJ] = &nfk_obj_schema,
	[NFT_MSG_DELOBJ] = &nfk_obj_schema, [NFT_MSG_GETOBJ_RESET] = &nfk_obj_schema,
	[NFT_MSG_NEWFLOWTABLE] = &nfk_flowtable_schema,
	[NFT_MSG_GETFLOWTABLE] = &nfk_flowtable_schema,
	[NFT_MSG_DELFLOWTABLE] = &nfk_flowtable_schema,
};

/* Newer kernels number more messages after NFT_MSG_DELFLOWTABLE (24) than
 * these headers know: GETRULE_RESET, DESTROY{TABLE..FLOWTABLE},
 * GETSETELEM_RESET.  Same objects. */
static const struct nfk_schema *const msg_schemas_new[] = {
	&nfk_rule_schema, &nfk_table_schema, &nfk_chain_schema, &nfk_rule_schema,
	&nfk_set_schema, &nfk_setelem_list_schema, &nfk_obj_schema,
	&nfk_flowtable_schema, &nfk_setelem_list_schema,
};

const struct nfk_schema *nfk_msg_schema(uint16_t nft_msg)
{
	if (nft_msg <= NFT_MSG_DELFLOWTABLE)
		return msg_schemas[nft_msg];
	return NFK_NAME(msg_schemas_new, nft_msg - (NFT_MSG_DELFLOWTABLE + 1u), NULL);
}

int nfk_msg_validate(const struct nlmsghdr *nlh, struct nfk_verr *err)
{
	const struct nfk_schema *s, *ds;
	const struct nlattr *type, *data;
	uint16_t msg = nlh->nlmsg_type & 0xff;
	const void *attrs;
	uint64_t otype;
	size_t len;
	int ret;

	if (err) {
		err->msg[0] = '\0';
		err->offset = 0;
		err->too_long = false;
	}
	if (nlh->nlmsg_len < NFK_MSG_HDRLEN) {
		if (err)
			snprintf(err->msg, sizeof(err->msg), "message too short");
		return -EINVAL;
	}
	if (nlh->nlmsg_type == NFNL_MSG_BATCH_BEGIN || nlh->nlmsg_type == NFNL_MSG_BATCH_END)
		return 0;
	s = (nlh->nlmsg_type >> 8) == NFNL_SUBSYS_NFTABLES ? nfk_msg_schema(msg) : NULL;
	if (!s) {
		if (err)
			snprintf(err->msg, sizeof(err->msg), "unknown message type 0x%x", nlh->nlmsg_type);
		return -EOPNOTSUPP;
	}
	attrs = nfk_msg_attrs(nlh, &len);
	ret = nfk_schema_validate(s, attrs, len, err);
	if (ret || s != &nfk_obj_schema)
		goto out;
	type = nfk_attr_find(attrs, len, NFTA_OBJ_TYPE);
	data = nfk_attr_find(attrs, len, NFTA_OBJ_DATA);
	if (!type || !data || !nfk_schema_get_uint(&nfk_obj_schema, type, &otype))
		goto out;
	ds = nfk_obj_data_schema(otype);
	/* Unknown object types are kept as they are, like unknown expressions. */
	if (ds) {
		ret = nfk_schema_validate(ds, nfk_attr_data(data), nfk_attr_len(data), err);
		if (ret && err)
			err->offset += (size_t)((const uint8_t *)nfk_attr_data(data) -
						(const uint8_t *)attrs);
	}
out:
	/* Offsets are made relative to the message, as NLMSGERR_ATTR_OFFS is. */
	if (ret && err)
		err->offset += NFK_MSG_HDRLEN;
	return ret;
}

/* ---- names shared by the printers ------------------------------------------- */

static const char *const family_names[] = {
	[NFPROTO_INET] = "inet", [NFPROTO_IPV4] = "ip", [NFPROTO_ARP] = "arp",
	[NFPROTO_NETDEV] = "netdev", [NFPROTO_BRIDGE] = "bridge", [NFPROTO_IPV6] = "ip6",
};

const char *nfk_family_str(unsigned family)
{
	return NFK_NAME(family_names, family, "unknown");
}

/* libnftnl 1.2.4 predates inet ingress too: "unknown". */
static const char *const inet_hooks[] = {
	[NF_INET_PRE_ROUTING] = "prerouting", [NF_INET_LOCAL_IN] = "input",
	[NF_INET_FORWARD] = "forward", [NF_INET_LOCAL_OUT] = "output",
	[NF_INET_POST_ROUTING] = "postrouting",
};
static const char *const arp_hooks[] = { "input", "output", "forward" };
/* libnftnl 1.2.4 predates egress: it prints "unknown". */
static const char *const netdev_hooks[] = { [NF_NETDEV_INGRESS] = "ingress" };

const char *nfk_hook_str(unsigned family, unsigned hooknum)
{
	switch (family) {
	case NFPROTO_ARP:    return NFK_NAME(arp_hooks, hooknum, "unknown");
	case NFPROTO_NETDEV: return NFK_NAME(netdev_hooks, hooknum, "unknown");
	default:             return NFK_NAME(inet_hooks, hooknum, "unknown");
	}
}

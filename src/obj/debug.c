// SPDX-License-Identifier: MIT
/*
 * `nft --debug=netlink` output for a batch, byte for byte as nft 1.0.6 with
 * libnftnl 1.2.4 prints it.  nft prints the libnftnl object it built, not
 * the message, and some attributes never reach that object because nft
 * appends them to the message itself (to attach source locations for
 * error reporting).  Observed with `nft --debug=netlink,mnl` in a netns:
 *   - NEWTABLE, DEL*, flush: nothing is printed.
 *   - NEWCHAIN: table and name print as "(null)"; policy is never shown;
 *     packets/bytes only for base chains; devices in message order.
 *   - NEWOBJ: "table (null) name (null) use 0 [ <type> <data> ]".
 *   - NEWFLOWTABLE: "flow table (null) (null) use 0 size 0 flags ...".
 *   - NEWRULE: the handle (replace) is never shown, the position is.
 *   - NEWSETELEM/DELSETELEM: "<set> <table> 0", then the elements on one
 *     line; element timeouts, expirations, counters and objrefs are not
 *     shown, user data is.
 *   - NEWSET: user data (comment, typeof) and set expressions not shown.
 */
#include <inttypes.h>
#include <string.h>
#include <linux/netfilter/nfnetlink_cttimeout.h>

#include "../lang/lang.h"
#include "objects.h"
#include "expr/expr.h"

struct msg_view {
	uint8_t family;
	const struct nlattr *tb[NFK_EXPR_MAXATTR + 1];
};

static const char *tb_str(const struct msg_view *m, unsigned type)
{
	return nfk_tb_str(m->tb, type, "(null)");
}

/* libnftnl's user data dump: printable bytes as is, others as \xNN. */
static void print_udata(FILE *f, const struct nlattr *a)
{
	const uint8_t *p = nfk_attr_data(a);

	fputs("  userdata = { ", f);
	for (size_t i = 0; i < nfk_attr_len(a); i++)
		fprintf(f, (p[i] >= 0x20 && p[i] < 0x7f) ? "%c" : "\\x%02x", p[i]);
	fputs(" }", f);
}

static void print_devs(FILE *f, const struct nlattr *devs)
{
	fputs(" dev { ", f);
	nfk_attr_for_each(d, rem, nfk_attr_data(devs), nfk_attr_len(devs))
		fprintf(f, " %s ", nfk_attr_get_str(d) ? nfk_attr_get_str(d) : "");
	fputs(" } ", f);
}

static void print_chain(FILE *f, const struct msg_view *m)
{
	const struct nlattr *hk[NFTA_HOOK_MAX + 1];
	const struct nlattr *h = m->tb[NFTA_CHAIN_HOOK];

	fprintf(f, "%s (null) (null) use 0", nfk_family_str(m->family));
	if (h && nfk_attr_index(nfk_attr_data(h), nfk_attr_len(h), hk, NFTA_HOOK_MAX) == 0 &&
	    hk[NFTA_HOOK_HOOKNUM]) {
		fprintf(f, " type %s hook %s prio %d packets 0 bytes 0", tb_str(m, NFTA_CHAIN_TYPE),
			nfk_hook_str(m->family, nfk_tb_uint(&nfk_hook_schema, hk, NFTA_HOOK_HOOKNUM, 0)),
			(int32_t)nfk_tb_uint(&nfk_hook_schema, hk, NFTA_HOOK_PRIORITY, 0));
		if (hk[NFTA_HOOK_DEV])
			fprintf(f, " dev %s ", nfk_tb_str(hk, NFTA_HOOK_DEV, ""));
		else if (hk[NFTA_HOOK_DEVS])
			print_devs(f, hk[NFTA_HOOK_DEVS]);
	}
	fputc('\n', f);
}

static void print_set(FILE *f, const struct msg_view *m)
{
	const struct nlattr *desc = m->tb[NFTA_SET_DESC], *size = NULL;

	fprintf(f, "%s %s %x", tb_str(m, NFTA_SET_NAME), tb_str(m, NFTA_SET_TABLE),
		(unsigned)nfk_tb_uint(&nfk_set_schema, m->tb, NFTA_SET_FLAGS, 0));
	if (m->tb[NFTA_SET_TIMEOUT])
		fprintf(f, " timeout %" PRIu64 "ms", nfk_tb_uint(&nfk_set_schema, m->tb, NFTA_SET_TIMEOUT, 0));
	if (m->tb[NFTA_SET_GC_INTERVAL])
		fprintf(f, " gc_interval %ums", (unsigned)nfk_tb_uint(&nfk_set_schema, m->tb, NFTA_SET_GC_INTERVAL, 0));
	if (m->tb[NFTA_SET_POLICY])
		fprintf(f, " policy %u", (unsigned)nfk_tb_uint(&nfk_set_schema, m->tb, NFTA_SET_POLICY, 0));
	if (desc)
		size = nfk_attr_find(nfk_attr_data(desc), nfk_attr_len(desc), NFTA_SET_DESC_SIZE);
	if (size) {
		uint64_t v;

		if (nfk_schema_get_uint(&nfk_set_desc_schema, size, &v))
			fprintf(f, " size %" PRIu64, v);
	}
	fputc('\n', f);
}

/* Element key/data words: "%08x " per host-endian 32-bit word. */
static void print_elem_words(FILE *f, const struct nlattr *data_nest)
{
	const struct nlattr *v = nfk_attr_find(nfk_attr_data(data_nest), nfk_attr_len(data_nest),
					       NFTA_DATA_VALUE);
	const uint8_t *p;

	if (!v)
		return;
	p = nfk_attr_data(v);
	for (size_t i = 0; i < nfk_attr_len(v); i += 4) {
		uint32_t w = 0;

		memcpy(&w, p + i, nfk_attr_len(v) - i < 4 ? nfk_attr_len(v) - i : 4);
		fprintf(f, "%08x ", w);
	}
}

static void print_elem_data(FILE *f, const struct nlattr *data_nest)
{
	const struct nlattr *vt[NFTA_VERDICT_MAX + 1];
	const struct nlattr *v = nfk_attr_find(nfk_attr_data(data_nest), nfk_attr_len(data_nest),
					       NFTA_DATA_VERDICT);

	if (!v) {
		print_elem_words(f, data_nest);
		return;
	}
	if (nfk_attr_index(nfk_attr_data(v), nfk_attr_len(v), vt, NFTA_VERDICT_MAX) < 0)
		return;
	fputs(nfk_verdict_name((int32_t)nfk_tb_uint(&nfk_verdict_schema, vt, NFTA_VERDICT_CODE, 0)), f);
	if (vt[NFTA_VERDICT_CHAIN])
		fprintf(f, " -> %s", nfk_tb_str(vt, NFTA_VERDICT_CHAIN, ""));
	fputc(' ', f);
}

static void print_elem(FILE *f, const void *attrs, size_t len)
{
	const struct nlattr *tb[NFTA_SET_ELEM_MAX + 1];

	if (nfk_attr_index(attrs, len, tb, NFTA_SET_ELEM_MAX) < 0)
		return;
	fputs("\telement ", f);
	if (tb[NFTA_SET_ELEM_KEY])
		print_elem_words(f, tb[NFTA_SET_ELEM_KEY]);
	if (tb[NFTA_SET_ELEM_KEY_END]) {
		fputs(" - ", f);
		print_elem_words(f, tb[NFTA_SET_ELEM_KEY_END]);
	}
	fputs(" : ", f);
	if (tb[NFTA_SET_ELEM_DATA])
		print_elem_data(f, tb[NFTA_SET_ELEM_DATA]);
	fprintf(f, "%u [end]", (unsigned)nfk_tb_uint(&nfk_setelem_schema, tb, NFTA_SET_ELEM_FLAGS, 0));
	if (tb[NFTA_SET_ELEM_USERDATA])
		print_udata(f, tb[NFTA_SET_ELEM_USERDATA]);
}

static void print_setelems(FILE *f, const struct msg_view *m)
{
	const struct nlattr *list = m->tb[NFTA_SET_ELEM_LIST_ELEMENTS];

	fprintf(f, "%s %s 0", tb_str(m, NFTA_SET_ELEM_LIST_SET), tb_str(m, NFTA_SET_ELEM_LIST_TABLE));
	if (list && nfk_attr_len(list)) {
		fputc('\n', f);
		nfk_attr_for_each(el, rem, nfk_attr_data(list), nfk_attr_len(list))
			print_elem(f, nfk_attr_data(el), nfk_attr_len(el));
	}
	fputc('\n', f);
}

static void print_rule(FILE *f, const struct msg_view *m)
{
	const struct nlattr *exprs = m->tb[NFTA_RULE_EXPRESSIONS];

	fprintf(f, "%s %s %s", nfk_family_str(m->family), tb_str(m, NFTA_RULE_TABLE),
		tb_str(m, NFTA_RULE_CHAIN));
	if (m->tb[NFTA_RULE_POSITION])
		fprintf(f, " %" PRIu64, nfk_tb_uint(&nfk_rule_schema, m->tb, NFTA_RULE_POSITION, 0));
	fputc('\n', f);
	if (exprs)
		nfk_exprs_print(f, nfk_attr_data(exprs), nfk_attr_len(exprs));
	/* libnftnl's user data line takes the place of the blank line that
	 * otherwise ends a rule. */
	if (m->tb[NFTA_RULE_USERDATA])
		print_udata(f, m->tb[NFTA_RULE_USERDATA]);
	fputc('\n', f);
}

/* ---- stateful objects: libnftnl's per-type data formats -------------------- */

/* libnftnl prints only the states whose timeout differs from its default
 * (nft sends all of them); names and defaults per layer 4 protocol. */
static const char *const tcp_states[] = {
	[CTA_TIMEOUT_TCP_SYN_SENT] = "SYN_SENT", [CTA_TIMEOUT_TCP_SYN_RECV] = "SYN_RECV",
	[CTA_TIMEOUT_TCP_ESTABLISHED] = "ESTABLISHED", [CTA_TIMEOUT_TCP_FIN_WAIT] = "FIN_WAIT",
	[CTA_TIMEOUT_TCP_CLOSE_WAIT] = "CLOSE_WAIT", [CTA_TIMEOUT_TCP_LAST_ACK] = "LAST_ACK",
	[CTA_TIMEOUT_TCP_TIME_WAIT] = "TIME_WAIT", [CTA_TIMEOUT_TCP_CLOSE] = "CLOSE",
	[CTA_TIMEOUT_TCP_SYN_SENT2] = "SYN_SENT2", [CTA_TIMEOUT_TCP_RETRANS] = "RETRANS",
	[CTA_TIMEOUT_TCP_UNACK] = "UNACKNOWLEDGED",   /* libnftnl's name */
};
static const char *const udp_states[] = {
	[CTA_TIMEOUT_UDP_UNREPLIED] = "UNREPLIED", [CTA_TIMEOUT_UDP_REPLIED] = "REPLIED",
};
static const uint32_t tcp_dflt[] = {
	[CTA_TIMEOUT_TCP_SYN_SENT] = 120, [CTA_TIMEOUT_TCP_SYN_RECV] = 60,
	[CTA_TIMEOUT_TCP_ESTABLISHED] = 432000, [CTA_TIMEOUT_TCP_FIN_WAIT] = 120,
	[CTA_TIMEOUT_TCP_CLOSE_WAIT] = 60, [CTA_TIMEOUT_TCP_LAST_ACK] = 30,
	[CTA_TIMEOUT_TCP_TIME_WAIT] = 120, [CTA_TIMEOUT_TCP_CLOSE] = 10,
	[CTA_TIMEOUT_TCP_SYN_SENT2] = 120, [CTA_TIMEOUT_TCP_RETRANS] = 300,
	[CTA_TIMEOUT_TCP_UNACK] = 300,
};
static const uint32_t udp_dflt[] = { [CTA_TIMEOUT_UDP_UNREPLIED] = 30, [CTA_TIMEOUT_UDP_REPLIED] = 180 };
static const char *const generic_states[] = { [1] = "TIMEOUT" };
static const uint32_t icmp_dflt[] = { [1] = 30 };
static const uint32_t generic_dflt[] = { [1] = 600 };

/* Object data attributes, indexed; integers read with the type's schema. */
struct obj_view {
	const struct nfk_schema *s;
	const struct nlattr *tb[NFK_EXPR_MAXATTR + 1];
};

static uint64_t ov_uint(const struct obj_view *o, unsigned type)
{
	uint64_t v = 0;

	return nfk_schema_get_uint(o->s, o->tb[type], &v) ? v : 0;
}

/* libnftnl sends object strings without a NUL: print them by length. */
static void ov_str(FILE *f, const char *fmt, const struct obj_view *o, unsigned type)
{
	const struct nlattr *a = o->tb[type];

	if (a)
		fprintf(f, fmt, (int)strnlen(nfk_attr_data(a), nfk_attr_len(a)),
			(const char *)nfk_attr_data(a));
	else
		fprintf(f, fmt, 6, "(null)");
}

static void print_ct_timeout(FILE *f, const struct obj_view *o)
{
	const struct nlattr *data = o->tb[NFTA_CT_TIMEOUT_DATA];
	unsigned l4 = (unsigned)ov_uint(o, NFTA_CT_TIMEOUT_L4PROTO);
	const char *const *names = generic_states;
	const uint32_t *dflt = generic_dflt;
	size_t n = sizeof(generic_states) / sizeof(generic_states[0]);

	if (l4 == 6) {
		names = tcp_states;
		dflt = tcp_dflt;
		n = sizeof(tcp_states) / sizeof(tcp_states[0]);
	} else if (l4 == 17 || l4 == 136) {
		names = udp_states;
		dflt = udp_dflt;
		n = sizeof(udp_states) / sizeof(udp_states[0]);
	} else if (l4 == 1 || l4 == 58) {
		dflt = icmp_dflt;
	}
	/* The family shows only when set (ct helpers always show it). */
	if (o->tb[NFTA_CT_TIMEOUT_L3PROTO])
		fprintf(f, "family %u ", (unsigned)ov_uint(o, NFTA_CT_TIMEOUT_L3PROTO));
	fprintf(f, "protocol %u policy = {", l4);
	if (data) {
		nfk_attr_for_each(a, rem, nfk_attr_data(data), nfk_attr_len(data)) {
			unsigned t = nfk_attr_type(a);
			uint64_t v;

			if (t < n && names[t] &&
			    nfk_schema_get_uint(&nfk_obj_ct_timeout_data_schema, a, &v) && v != dflt[t])
				fprintf(f, "%s = %" PRIu64 ",", names[t], v);
		}
	}
	/* libnftnl ends this one without the usual trailing space. */
	fputc('}', f);
}

static void print_obj_data(FILE *f, uint32_t type, const struct obj_view *o)
{
	switch (type) {
	case NFT_OBJECT_COUNTER:
		fprintf(f, "pkts %" PRIu64 " bytes %" PRIu64 " ", ov_uint(o, NFTA_COUNTER_PACKETS),
			ov_uint(o, NFTA_COUNTER_BYTES));
		break;
	case NFT_OBJECT_QUOTA:
		fprintf(f, "bytes %" PRIu64 " flags %u ", ov_uint(o, NFTA_QUOTA_BYTES),
			(unsigned)ov_uint(o, NFTA_QUOTA_FLAGS));
		break;
	case NFT_OBJECT_LIMIT:
		fprintf(f, "rate %" PRIu64 " unit %" PRIu64 " burst %u type %u flags %u ",
			ov_uint(o, NFTA_LIMIT_RATE), ov_uint(o, NFTA_LIMIT_UNIT),
			(unsigned)ov_uint(o, NFTA_LIMIT_BURST), (unsigned)ov_uint(o, NFTA_LIMIT_TYPE),
			(unsigned)ov_uint(o, NFTA_LIMIT_FLAGS));
		break;
	case NFT_OBJECT_CONNLIMIT:
		fprintf(f, "count %u flags %x ", (unsigned)ov_uint(o, NFTA_CONNLIMIT_COUNT),
			(unsigned)ov_uint(o, NFTA_CONNLIMIT_FLAGS));
		break;
	case NFT_OBJECT_CT_HELPER:
		ov_str(f, "name %.*s ", o, NFTA_CT_HELPER_NAME);
		fprintf(f, "family %u protocol %u ", (unsigned)ov_uint(o, NFTA_CT_HELPER_L3PROTO),
			(unsigned)ov_uint(o, NFTA_CT_HELPER_L4PROTO));
		break;
	case NFT_OBJECT_CT_TIMEOUT:
		print_ct_timeout(f, o);
		break;
	case NFT_OBJECT_CT_EXPECT:
		if (o->tb[NFTA_CT_EXPECT_L3PROTO])
			fprintf(f, "family %u ", (unsigned)ov_uint(o, NFTA_CT_EXPECT_L3PROTO));
		fprintf(f, "protocol %u dport %u timeout %u size %u ",
			(unsigned)ov_uint(o, NFTA_CT_EXPECT_L4PROTO),
			(unsigned)ov_uint(o, NFTA_CT_EXPECT_DPORT),
			(unsigned)ov_uint(o, NFTA_CT_EXPECT_TIMEOUT),
			(unsigned)ov_uint(o, NFTA_CT_EXPECT_SIZE));
		break;
	case NFT_OBJECT_SYNPROXY:
		fprintf(f, "mss %u wscale %u ", (unsigned)ov_uint(o, NFTA_SYNPROXY_MSS),
			(unsigned)ov_uint(o, NFTA_SYNPROXY_WSCALE));
		break;
	case NFT_OBJECT_SECMARK:
		ov_str(f, "context %.*s ", o, NFTA_SECMARK_CTX);
		break;
	case NFT_OBJECT_TUNNEL:
		fprintf(f, "id %u ", (unsigned)ov_uint(o, NFTA_TUNNEL_KEY_ID));
		break;
	default:
		break;
	}
}

static void print_obj(FILE *f, const struct msg_view *m)
{
	uint32_t type = nfk_tb_uint(&nfk_obj_schema, m->tb, NFTA_OBJ_TYPE, 0);
	const struct nlattr *data = m->tb[NFTA_OBJ_DATA];
	const char *name = nfk_obj_type_name(type);
	struct obj_view o = { .s = nfk_obj_data_schema(type) };

	fprintf(f, "table (null) name (null) use 0 [ %s ", name ? name : "(null)");
	if (data && o.s &&
	    nfk_schema_validate(o.s, nfk_attr_data(data), nfk_attr_len(data), NULL) == 0 &&
	    nfk_attr_index(nfk_attr_data(data), nfk_attr_len(data), o.tb, NFK_EXPR_MAXATTR) == 0)
		print_obj_data(f, type, &o);
	fputs("]\n", f);
}

static void print_flowtable(FILE *f, const struct msg_view *m)
{
	const struct nlattr *hk[NFTA_FLOWTABLE_HOOK_MAX + 1];
	const struct nlattr *h = m->tb[NFTA_FLOWTABLE_HOOK];

	fprintf(f, "flow table (null) (null) use 0 size 0 flags %x",
		(unsigned)nfk_tb_uint(&nfk_flowtable_schema, m->tb, NFTA_FLOWTABLE_FLAGS, 0));
	if (h && nfk_attr_index(nfk_attr_data(h), nfk_attr_len(h), hk, NFTA_FLOWTABLE_HOOK_MAX) == 0) {
		if (hk[NFTA_FLOWTABLE_HOOK_NUM])
			fprintf(f, " hook %s prio %d ",
				nfk_hook_str(m->family, nfk_tb_uint(&nfk_flowtable_hook_schema, hk, NFTA_FLOWTABLE_HOOK_NUM, 0)),
				(int32_t)nfk_tb_uint(&nfk_flowtable_hook_schema, hk, NFTA_FLOWTABLE_HOOK_PRIORITY, 0));
		if (hk[NFTA_FLOWTABLE_HOOK_DEVS])
			print_devs(f, hk[NFTA_FLOWTABLE_HOOK_DEVS]);
	}
	fputc('\n', f);
}

/* ---- the batch ---------------------------------------------------------------- */

typedef void (*msg_printer)(FILE *f, const struct msg_view *m);

/* Messages absent here print nothing, as in nft. */
static const msg_printer msg_printers[NFT_MSG_DELFLOWTABLE + 1] = {
	[NFT_MSG_NEWCHAIN] = print_chain,
	[NFT_MSG_NEWRULE] = print_rule,
	[NFT_MSG_NEWSET] = print_set,
	[NFT_MSG_NEWSETELEM] = print_setelems,
	[NFT_MSG_DELSETELEM] = print_setelems,
	[NFT_MSG_NEWOBJ] = print_obj,
	[NFT_MSG_NEWFLOWTABLE] = print_flowtable,
};

static int print_msg(const struct nlmsghdr *nlh, size_t index, const void *cookie, void *arg)
{
	FILE *f = arg;
	uint16_t msg = nlh->nlmsg_type & 0xff;
	struct msg_view m;
	msg_printer p;
	const void *attrs;
	size_t len;
	(void)cookie;
	(void)index;

	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_NFTABLES)
		return 0;
	p = NFK_NAME(msg_printers, msg, NULL);
	attrs = nfk_msg_attrs(nlh, &len);
	if (!p || !attrs)
		return 0;
	m.family = ((const struct nfgenmsg *)((const uint8_t *)nlh + NFK_ALIGN(sizeof(*nlh))))->nfgen_family;
	if (nfk_attr_index(attrs, len, m.tb, NFK_EXPR_MAXATTR) < 0)
		return 0;
	p(f, &m);
	return 0;
}

void nfk_batch_print_debug(FILE *f, const struct nfk_batch *b)
{
	nfk_batch_for_each(b, print_msg, f);
}

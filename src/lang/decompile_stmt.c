// SPDX-License-Identifier: MIT
/*
 * Decompiler statements (counter, log, limit, quota, reject, nat, ...),
 * stateful object bodies, and set elements as nft lists them.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/nf_log.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_synproxy.h>

#include "decompile.h"

/* ---- units ------------------------------------------------------------- */

static void print_bytes(FILE *f, uint64_t b)
{
	static const char *const units[] = { "bytes", "kbytes", "mbytes", "gbytes" };
	unsigned u = 0;

	while (b && b % 1024 == 0 && u < 3) {
		b /= 1024;
		u++;
	}
	fprintf(f, "%" PRIu64 " %s", b, units[u]);
}

static const char *time_unit(uint64_t secs)
{
	switch (secs) {
	case 1: return "second";
	case 60: return "minute";
	case 3600: return "hour";
	case 86400: return "day";
	case 604800: return "week";
	default: return "error";
	}
}

/* ---- stateful statements (shared by rules, sets and objects) ---------- */

static void print_counter(FILE *f, const struct nlattr *const *tb, const struct nfk_list_opts *o,
			  const char *sep)
{
	if (o->stateless)
		return;
	fprintf(f, "%spackets %" PRIu64 "%sbytes %" PRIu64, sep, nfk_tb_be64(tb, NFTA_COUNTER_PACKETS, 0),
		" ", nfk_tb_be64(tb, NFTA_COUNTER_BYTES, 0));
}

static void print_limit(FILE *f, const struct nlattr *const *tb)
{
	uint64_t rate = nfk_tb_be64(tb, NFTA_LIMIT_RATE, 0);
	uint64_t unit = nfk_tb_be64(tb, NFTA_LIMIT_UNIT, 1);
	uint32_t burst = nfk_tb_be32(tb, NFTA_LIMIT_BURST, 0);
	uint32_t type = nfk_tb_be32(tb, NFTA_LIMIT_TYPE, NFT_LIMIT_PKTS);
	uint32_t flags = nfk_tb_be32(tb, NFTA_LIMIT_FLAGS, 0);

	fprintf(f, "rate %s", flags & NFT_LIMIT_F_INV ? "over " : "");
	if (type == NFT_LIMIT_PKT_BYTES) {
		print_bytes(f, rate);
		fprintf(f, "/%s", time_unit(unit));
		if (burst) {
			fputs(" burst ", f);
			print_bytes(f, burst);
		}
	} else {
		fprintf(f, "%" PRIu64 "/%s", rate, time_unit(unit));
		if (burst && burst != 5)
			fprintf(f, " burst %u packets", burst);
	}
}

static void print_quota(FILE *f, const struct nlattr *const *tb, const struct nfk_list_opts *o)
{
	uint64_t used = nfk_tb_be64(tb, NFTA_QUOTA_CONSUMED, 0);

	if (nfk_tb_be32(tb, NFTA_QUOTA_FLAGS, 0) & NFT_QUOTA_F_INV)
		fputs("over ", f);
	print_bytes(f, nfk_tb_be64(tb, NFTA_QUOTA_BYTES, 0));
	if (used && !o->stateless) {
		fputs(" used ", f);
		print_bytes(f, used);
	}
}

static const char *const log_levels[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit",
};

static void print_log(FILE *f, const struct dc_expr *e)
{
	const char *prefix = dc_str(e, NFTA_LOG_PREFIX);
	uint32_t flags = dc_u32(e, NFTA_LOG_FLAGS, 0);

	fputs("log", f);
	if (prefix)
		fprintf(f, " prefix \"%s\"", prefix);
	if (e->tb[NFTA_LOG_GROUP]) {
		uint16_t g = 0;

		g = dc_u32(e, NFTA_LOG_GROUP, g);
		fprintf(f, " group %u", g);
	}
	if (e->tb[NFTA_LOG_SNAPLEN])
		fprintf(f, " snaplen %u", dc_u32(e, NFTA_LOG_SNAPLEN, 0));
	if (e->tb[NFTA_LOG_QTHRESHOLD]) {
		uint16_t q = 0;

		q = dc_u32(e, NFTA_LOG_QTHRESHOLD, q);
		fprintf(f, " queue-threshold %u", q);
	}
	if (e->tb[NFTA_LOG_LEVEL]) {
		uint32_t l = dc_u32(e, NFTA_LOG_LEVEL, 4);

		if (l != 4)
			fprintf(f, " level %s", l < 9 ? log_levels[l] : "unknown");
	}
	if ((flags & NF_LOG_MASK) == NF_LOG_MASK) {
		fputs(" flags all", f);
	} else if (flags) {
		const char *d = " flags ";

		if (flags & (NF_LOG_TCPSEQ | NF_LOG_TCPOPT)) {
			fputs(" flags tcp", f);
			if (flags & NF_LOG_TCPSEQ)
				fputs(" sequence", f);
			if (flags & NF_LOG_TCPOPT)
				fprintf(f, "%soptions", flags & NF_LOG_TCPSEQ ? "," : " ");
			d = " flags ";
		}
		if (flags & NF_LOG_IPOPT)
			fprintf(f, "%sip options", d);
		if (flags & NF_LOG_UID)
			fprintf(f, "%sskuid", d);
		if (flags & NF_LOG_MACDECODE)
			fprintf(f, "%sether", d);
	}
}

/* Reads a nested NFTA_*_DATA / NFTA_EXPR_DATA into tb. */
static bool nest_index(const struct nlattr *nest, const struct nlattr **tb, unsigned max)
{
	if (!nest || nfk_attr_index(nfk_attr_data(nest), nfk_attr_len(nest), tb, max) < 0) {
		memset(tb, 0, (max + 1) * sizeof(*tb));
		return false;
	}
	return true;
}

static void print_code(FILE *f, const char *dtname, unsigned code);

static void print_l4proto(FILE *f, const struct nlattr *a)
{
	uint8_t p = 0;

	if (a)
		nfk_attr_get_u8(a, &p);
	print_code(f, "inet_proto", p);
}

static void print_l3proto(FILE *f, const struct nlattr *a)
{
	uint16_t p = 0;
	const char *n;

	if (a)
		nfk_attr_get_be16(a, &p);
	n = nfk_family_name(p);
	if (n)
		fputs(n, f);
	else
		fprintf(f, "%u", p);
}

static void print_ct_timeout(FILE *f, const struct nlattr *const *tb, const char *indent)
{
	uint8_t l4 = 0;
	const char *sep = "";

	if (tb[NFTA_CT_TIMEOUT_L4PROTO])
		nfk_attr_get_u8(tb[NFTA_CT_TIMEOUT_L4PROTO], &l4);
	const struct nfk_ct_timeout_proto *pr = nfk_ct_timeout_proto(l4);
	fprintf(f, "%sprotocol ", indent);
	print_l4proto(f, tb[NFTA_CT_TIMEOUT_L4PROTO]);
	fprintf(f, "\n%sl3proto ", indent);
	print_l3proto(f, tb[NFTA_CT_TIMEOUT_L3PROTO]);
	fprintf(f, "\n%spolicy = { ", indent);
	if (tb[NFTA_CT_TIMEOUT_DATA]) {
		nfk_attr_for_each(a, rem, nfk_attr_data(tb[NFTA_CT_TIMEOUT_DATA]),
				  nfk_attr_len(tb[NFTA_CT_TIMEOUT_DATA])) {
			uint32_t v;
			unsigned t = nfk_attr_type(a);

			if (!nfk_attr_get_be32(a, &v))
				continue;
			if (pr && t >= 1 && t <= pr->nstates) {
				if (v == pr->dflt[t])
					continue;
				fprintf(f, "%s%s : %u", sep, pr->states[t], v);
			} else
				fprintf(f, "%s%u : %u", sep, t, v);
			sep = ", ";
		}
	}
	fputs(" }\n", f);
}

void ks_print_obj_body(FILE *f, uint32_t type, const struct nlattr *data,
		       const struct nfk_list_opts *o, const char *indent)
{
	const struct nlattr *tb[16];

	nest_index(data, tb, 15);
	switch (type) {
	case NFT_OBJECT_COUNTER:
		if (!o->stateless) {
			fputs(indent, f);
			print_counter(f, tb, o, "");
			fputc('\n', f);
		}
		break;
	case NFT_OBJECT_QUOTA:
		fputs(indent, f);
		print_quota(f, tb, o);
		fputc('\n', f);
		break;
	case NFT_OBJECT_LIMIT:
		fputs(indent, f);
		print_limit(f, tb);
		fputc('\n', f);
		break;
	case NFT_OBJECT_CT_HELPER:
		fprintf(f, "%stype \"%s\" protocol ", indent, nfk_tb_str(tb, NFTA_CT_HELPER_NAME, ""));
		print_l4proto(f, tb[NFTA_CT_HELPER_L4PROTO]);
		fprintf(f, "\n%sl3proto ", indent);
		print_l3proto(f, tb[NFTA_CT_HELPER_L3PROTO]);
		fputc('\n', f);
		break;
	case NFT_OBJECT_CT_TIMEOUT:
		print_ct_timeout(f, tb, indent);
		break;
	case NFT_OBJECT_CT_EXPECT: {
		uint16_t port = 0;
		uint8_t size = 0;

		fprintf(f, "%sprotocol ", indent);
		print_l4proto(f, tb[NFTA_CT_EXPECT_L4PROTO]);
		if (tb[NFTA_CT_EXPECT_DPORT])
			nfk_attr_get_be16(tb[NFTA_CT_EXPECT_DPORT], &port);
		fprintf(f, "\n%sdport %u\n%stimeout ", indent, port, indent);
		{
			uint32_t ms = 0;

			/* the kernel keeps this one in host order */
			if (tb[NFTA_CT_EXPECT_TIMEOUT] && nfk_attr_len(tb[NFTA_CT_EXPECT_TIMEOUT]) == 4)
				memcpy(&ms, nfk_attr_data(tb[NFTA_CT_EXPECT_TIMEOUT]), 4);
			ks_print_time_flags(f, ms, o->print);
		}
		if (tb[NFTA_CT_EXPECT_SIZE])
			nfk_attr_get_u8(tb[NFTA_CT_EXPECT_SIZE], &size);
		fprintf(f, "\n%ssize %u\n%sl3proto ", indent, size, indent);
		print_l3proto(f, tb[NFTA_CT_EXPECT_L3PROTO]);
		fputc('\n', f);
		break;
	}
	case NFT_OBJECT_SYNPROXY: {
		uint32_t fl = nfk_tb_be32(tb, NFTA_SYNPROXY_FLAGS, 0);
		uint16_t mss = 0;
		uint8_t ws = 0;

		if (tb[NFTA_SYNPROXY_MSS])
			nfk_attr_get_be16(tb[NFTA_SYNPROXY_MSS], &mss);
		if (tb[NFTA_SYNPROXY_WSCALE])
			nfk_attr_get_u8(tb[NFTA_SYNPROXY_WSCALE], &ws);
		if (fl & NF_SYNPROXY_OPT_MSS)
			fprintf(f, "%smss %u\n", indent, mss);
		if (fl & NF_SYNPROXY_OPT_WSCALE)
			fprintf(f, "%swscale %u\n", indent, ws);
		/* nft puts both flags on one line, space-separated even when one
		 * is missing: "timestamp ", " sack-perm" */
		if (fl & (NF_SYNPROXY_OPT_TIMESTAMP | NF_SYNPROXY_OPT_SACK_PERM))
			fprintf(f, "%s%s %s\n", indent, fl & NF_SYNPROXY_OPT_TIMESTAMP ? "timestamp" : "",
				fl & NF_SYNPROXY_OPT_SACK_PERM ? "sack-perm" : "");
		break;
	}
	case NFT_OBJECT_SECMARK:
		fprintf(f, "%s\"%s\"\n", indent, nfk_tb_str(tb, NFTA_SECMARK_CTX, ""));
		break;
	default:
		break;
	}
}

/* ---- statements in rules -------------------------------------------- */

static void stmt_counter(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	fputs("counter", f);
	print_counter(f, e->tb, r->o, " ");
}

static void stmt_limit(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	(void)r;
	fputs("limit ", f);
	print_limit(f, e->tb);
}

static void stmt_quota(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	fputs("quota ", f);
	print_quota(f, e->tb, r->o);
}

static void stmt_log(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	(void)r;
	print_log(f, e);
}

static void stmt_notrack(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	(void)e;
	(void)r;
	fputs("notrack", f);
}

static void print_code(FILE *f, const char *dtname, unsigned code)
{
	const struct nfk_dtype *t = nfk_dtype_by_name(dtname);
	const char *n = t ? nfk_dtype_sym_name(t, code) : NULL;

	if (n)
		fputs(n, f);
	else
		fprintf(f, "%u", code);
}

/* -n prints reject codes as numbers too. */
static void print_reject_code(const struct dc_rule *r, FILE *f, const char *dtname, unsigned code)
{
	if (r->o && (r->o->print & NFK_PRINT_NUMERIC))
		fprintf(f, "%u", code);
	else
		print_code(f, dtname, code);
}

static void kill_dep(struct dc_rule *r, int *d)
{
	if (*d >= 0) {
		r->st[*d].dead = true;
		*d = -1;
	}
}

static void stmt_reject(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	uint32_t type = dc_u32(e, NFTA_REJECT_TYPE, 0);
	uint8_t code = 0;
	unsigned l3 = r->l3;

	if (e->tb[NFTA_REJECT_ICMP_CODE])
		code = dc_u32(e, NFTA_REJECT_ICMP_CODE, code);
	fputs("reject", f);
	switch (type) {
	case NFT_REJECT_TCP_RST:
		fputs(" with tcp reset", f);
		/* tcp reset implies the tcp match in ip and ip6 tables (inet,
		 * bridge and netdev list it) */
		if (r->family == NFPROTO_IPV4 || r->family == NFPROTO_IPV6)
			kill_dep(r, &r->dep_l4);
		break;
	case NFT_REJECT_ICMPX_UNREACH:
		if (code == NFT_REJECT_ICMPX_PORT_UNREACH && r->family != NFPROTO_IPV4 &&
		    r->family != NFPROTO_IPV6)
			break;
		fputs(" with icmpx ", f);
		print_reject_code(r, f, "icmpx_code", code);
		break;
	case NFT_REJECT_ICMP_UNREACH:
		if (!l3)
			l3 = r->family == NFPROTO_IPV6 ? NFPROTO_IPV6 : NFPROTO_IPV4;
		if (l3 == NFPROTO_IPV6) {
			if (code == 4 && r->family == NFPROTO_IPV6)
				break;
			fputs(" with icmpv6 ", f);
			print_reject_code(r, f, "icmpv6_code", code);
		} else {
			if (code == 3 && r->family == NFPROTO_IPV4)
				break;
			fputs(" with icmp ", f);
			print_reject_code(r, f, "icmp_code", code);
		}
		/* icmp or icmpv6 implies the layer 3 protocol match */
		kill_dep(r, &r->dep_l3);
		break;
	default:
		break;
	}
}

static const struct dc_rv *imm(struct dc_rule *r, const struct dc_expr *e, unsigned attr)
{
	const struct dc_rv *v;

	if (!e->tb[attr])
		return NULL;
	v = dc_reg(r, dc_u32(e, attr, 0));
	return v;
}

/* Prints a register operand of a statement: an immediate value in the
 * given type, or the selector a register was loaded with. */
static void print_operand(struct dc_rule *r, FILE *f, const struct dc_rv *v,
			  const struct nfk_dtype *dt, enum nfk_byteorder bo, unsigned len)
{
	char sel[DC_TEXT];
	const struct nfk_dtype *t;
	enum nfk_byteorder b;
	unsigned bits;

	if (!v) {
		fputs("?", f);
		return;
	}
	if (v->kind == RV_IMM) {
		if (v->verdict)
			dc_print_verdict(f, v->code, v->chain);
		else
			dc_print_typed(f, dt, bo, v->val, len && len < v->len ? len : v->len, r->o->print);
		return;
	}
	if (dc_rv_expr(r, v, sel, sizeof(sel)))
		fputs(sel, f);
	else
		fputs("?", f);
	(void)t, (void)b, (void)bits;
}

static void print_nat_flags(FILE *f, uint32_t flags)
{
	const char *d = " ";

	if (flags & NF_NAT_RANGE_PROTO_RANDOM) {
		fprintf(f, "%srandom", d);
		d = ",";
	}
	if (flags & NF_NAT_RANGE_PROTO_RANDOM_FULLY) {
		fprintf(f, "%sfully-random", d);
		d = ",";
	}
	if (flags & NF_NAT_RANGE_PERSISTENT)
		fprintf(f, "%spersistent", d);
}

static void print_proto_range(struct dc_rule *r, FILE *f, const struct dc_rv *pmin,
			      const struct dc_rv *pmax)
{
	const struct nfk_dtype *svc = nfk_dtype_by_name("inet_service");

	if (!pmin)
		return;
	fputc(':', f);
	print_operand(r, f, pmin, svc, NFK_BO_BIG, 2);
	if (pmax && pmax != pmin && (pmax->kind != RV_IMM || memcmp(pmax->val, pmin->val, 2))) {
		fputc('-', f);
		print_operand(r, f, pmax, svc, NFK_BO_BIG, 2);
	}
}

static int range_prefix(const uint8_t *a, const uint8_t *b, size_t len);

static void stmt_nat(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	uint32_t type = dc_u32(e, NFTA_NAT_TYPE, 0);
	uint32_t fam = dc_u32(e, NFTA_NAT_FAMILY, 0);
	uint32_t flags = dc_u32(e, NFTA_NAT_FLAGS, 0);
	const struct dc_rv *amin = imm(r, e, NFTA_NAT_REG_ADDR_MIN);
	const struct dc_rv *amax = imm(r, e, NFTA_NAT_REG_ADDR_MAX);
	const struct dc_rv *pmin = imm(r, e, NFTA_NAT_REG_PROTO_MIN);
	const struct dc_rv *pmax = imm(r, e, NFTA_NAT_REG_PROTO_MAX);
	const struct nfk_dtype *at = nfk_dtype_by_name(fam == NFPROTO_IPV6 ? "ipv6_addr" : "ipv4_addr");
	unsigned alen = fam == NFPROTO_IPV6 ? 16 : 4;
	/* one map gives address and port (or both ends of a range) */
	bool multi = amin && amin->kind == RV_TEXT && !amin->cont &&
		     ((amax && amax->cont) || (pmin && pmin->cont));
	bool imm_pair = amin && amax && amin->kind == RV_IMM && amax->kind == RV_IMM &&
			amin->len >= alen && amax->len >= alen;

	fputs(type == NFT_NAT_SNAT ? "snat" : "dnat", f);
	if ((r->family == NFPROTO_INET || multi) && (amin || pmin))
		fputs(fam == NFPROTO_IPV6 ? " ip6" : " ip", f);
	if (flags & NF_NAT_RANGE_NETMAP)
		fputs(" prefix", f);
	if (amin || pmin)
		fputs(" to ", f);
	if (multi) {
		print_operand(r, f, amin, at, NFK_BO_BIG, alen);
		print_nat_flags(f, flags);
		return;
	}
	if (imm_pair && memcmp(amin->val, amax->val, alen) &&
	    range_prefix(amin->val, amax->val, alen) >= 0) {
		/* a range covering one block is printed as that prefix */
		print_operand(r, f, amin, at, NFK_BO_BIG, alen);
		fprintf(f, "/%d", range_prefix(amin->val, amax->val, alen));
	} else if (amin) {
		bool br = fam == NFPROTO_IPV6 && pmin;

		if (br)
			fputc('[', f);
		print_operand(r, f, amin, at, NFK_BO_BIG, alen);
		if (amax && amax != amin &&
		    (amax->kind != RV_IMM || memcmp(amax->val, amin->val, alen))) {
			fputs(br ? "]-[" : "-", f);
			print_operand(r, f, amax, at, NFK_BO_BIG, alen);
		}
		if (br)
			fputc(']', f);
	}
	print_proto_range(r, f, pmin, pmax);
	print_nat_flags(f, flags);
}

/* redirect and masquerade keep the matches their port map's key implies */
static void revive(struct dc_rule *r, const struct dc_rv *v)
{
	for (unsigned i = 0; v && v->kind == RV_TEXT && i < v->nrevive && i < 4; i++)
		if (v->revive[i] >= 0 && (unsigned)v->revive[i] < r->nst)
			r->st[v->revive[i]].dead = false;
}

static void stmt_masq(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct dc_rv *pmin = imm(r, e, NFTA_MASQ_REG_PROTO_MIN);

	revive(r, pmin);
	fputs("masquerade", f);
	if (pmin) {
		fputs(" to ", f);
		print_proto_range(r, f, pmin, imm(r, e, NFTA_MASQ_REG_PROTO_MAX));
	}
	print_nat_flags(f, dc_u32(e, NFTA_MASQ_FLAGS, 0));
}

static void stmt_redir(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct dc_rv *pmin = imm(r, e, NFTA_REDIR_REG_PROTO_MIN);

	revive(r, pmin);
	fputs("redirect", f);
	if (pmin) {
		fputs(" to ", f);
		print_proto_range(r, f, pmin, imm(r, e, NFTA_REDIR_REG_PROTO_MAX));
	}
	print_nat_flags(f, dc_u32(e, NFTA_REDIR_FLAGS, 0));
}

/* How a rule names each object type: counter name "x", ct helper set "x". */
static const struct {
	const char *name;
	bool set;
} objref_names[] = {
	[NFT_OBJECT_COUNTER] = { "counter", false }, [NFT_OBJECT_QUOTA] = { "quota", false },
	[NFT_OBJECT_CT_HELPER] = { "ct helper", true }, [NFT_OBJECT_LIMIT] = { "limit", false },
	[NFT_OBJECT_CT_TIMEOUT] = { "ct timeout", true },
	[NFT_OBJECT_SECMARK] = { "meta secmark", true },
	[NFT_OBJECT_CT_EXPECT] = { "ct expectation", true },
	[NFT_OBJECT_SYNPROXY] = { "synproxy", false },
	[NFT_OBJECT_CONNLIMIT] = { "connlimit", false }, [NFT_OBJECT_TUNNEL] = { "tunnel", false },
};

static void objref_prefix(FILE *f, uint32_t t)
{
	if (t < sizeof(objref_names) / sizeof(objref_names[0]) && objref_names[t].name)
		fprintf(f, "%s %s ", objref_names[t].name, objref_names[t].set ? "set" : "name");
	else
		fputs("unknown name ", f);
}

static void stmt_objref(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	uint32_t t = dc_u32(e, NFTA_OBJREF_IMM_TYPE, 0);
	const char *name = dc_str(e, NFTA_OBJREF_IMM_NAME);

	if (name) {
		objref_prefix(f, t);
		fprintf(f, "\"%s\"", name);
		return;
	}
	{
		const char *set = dc_str(e, NFTA_OBJREF_SET_NAME);
		const struct ks_set *st = ks_set_find(r->ks, r->family, r->table, set);
		char sel[512] = "?";
		const struct dc_rv *v = imm(r, e, NFTA_OBJREF_SET_SREG);

		t = st ? st->info.objtype : 0;
		if (v)
			dc_key_text(r, dc_u32(e, NFTA_OBJREF_SET_SREG, 0), st ? st->info.key_len : 4,
				    sel, sizeof(sel));
		objref_prefix(f, t);
		fprintf(f, "%s map ", sel);
		dc_print_set_ref(r, f, set ? set : "", NULL);
	}
}

static void stmt_meta_set(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct nfk_key *k = nfk_meta_key_by_num(dc_u32(e, NFTA_META_KEY, 0));

	if (!k) {
		fputs("meta unknown", f);
		return;
	}
	fprintf(f, "%s%s set ", k->flags & NFK_KEY_PRINT_BARE ? "" : "meta ", k->name);
	print_operand(r, f, imm(r, e, NFTA_META_SREG), k->dtype, k->bo, (k->bits + 7) / 8);
}

static void stmt_ct_set(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const struct nfk_key *k = nfk_ct_key_by_num(dc_u32(e, NFTA_CT_KEY, 0));

	if (!k) {
		fputs("ct unknown", f);
		return;
	}
	fputs("ct ", f);
	if (e->tb[NFTA_CT_DIRECTION]) {
		uint8_t d = 0;

		d = dc_u32(e, NFTA_CT_DIRECTION, d);
		fputs(d ? "reply " : "original ", f);
	}
	fprintf(f, "%s set ", k->name);
	print_operand(r, f, imm(r, e, NFTA_CT_SREG), k->dtype, k->bo, (k->bits + 7) / 8);
}

/* A write of bytes that were loaded from the same place and masked is a
 * sub-field assignment (ip dscp set af23): the mask's zero bits are the
 * field, the xor is the value. */
static bool payload_field_set(struct dc_rule *r, FILE *f, const struct dc_rv *v,
			      const struct dc_rv *src)
{
	struct dc_rv sub;
	uint8_t inv[16], val[8];
	uint64_t x = 0;
	unsigned first = 0, n = 0, shift, nb;
	char sel[DC_TEXT];
	const struct nfk_dtype *dt;
	enum nfk_byteorder bo;
	unsigned bits;

	if (!src || src->kind != RV_PAYLOAD || !src->masked || src->base != v->base ||
	    src->off != v->off || src->len != v->len || v->len > 8)
		return false;
	for (unsigned i = 0; i < v->len; i++)
		inv[i] = (uint8_t)(src->mask[i] ^ 0xff);
	for (unsigned i = 0; i < v->len * 8; i++) {
		if (inv[i / 8] & (0x80 >> (i % 8))) {
			if (!n)
				first = i;
			n = i + 1 - first;
		}
	}
	if (!n)
		return false;
	/* render the field as the selector of an equivalent narrower load */
	sub = *v;
	sub.masked = false;
	shift = v->len * 8 - first - n;
	if (first % 8 == 0 && n % 8 == 0) {
		sub.off = v->off + first / 8;
		sub.len = n / 8;
		if (!dc_rv_render(r, &sub, sel, sizeof(sel), &dt, &bo, &bits))
			return false;
	} else {
		struct dc_rv m = *src;

		memcpy(m.mask, inv, v->len);
		memset(m.xor_, 0, sizeof(m.xor_));
		if (!dc_rv_field(r, &m, sel, sizeof(sel), &dt))
			return false;
		bo = NFK_BO_BIG;
	}
	for (unsigned i = 0; i < v->len; i++)
		x = x << 8 | src->xor_[i];
	x >>= shift;
	if (n < 64)
		x &= (1ull << n) - 1;
	nb = (n + 7) / 8;
	for (unsigned i = nb; i-- > 0;) {
		val[i] = (uint8_t)x;
		x >>= 8;
	}
	fprintf(f, "%s set ", sel);
	dc_print_typed(f, dt, NFK_BO_BIG, val, nb, r->o->print);
	(void)bo;
	return true;
}

static void stmt_payload_set(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	struct dc_rv v = { .kind = RV_PAYLOAD };
	char sel[DC_TEXT];
	const struct nfk_dtype *dt;
	enum nfk_byteorder bo;
	unsigned bits;

	v.base = dc_u32(e, NFTA_PAYLOAD_BASE, 0);
	v.off = dc_u32(e, NFTA_PAYLOAD_OFFSET, 0);
	v.len = dc_u32(e, NFTA_PAYLOAD_LEN, 0);
	if (v.len > 16)
		v.len = 16;
	if (payload_field_set(r, f, &v, imm(r, e, NFTA_PAYLOAD_SREG)))
		return;
	dc_rv_render(r, &v, sel, sizeof(sel), &dt, &bo, &bits);
	fprintf(f, "%s set ", sel);
	print_operand(r, f, imm(r, e, NFTA_PAYLOAD_SREG), dt, bo, v.len);
}

static void stmt_exthdr(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	struct dc_rv v = { .kind = RV_EXTHDR };
	char sel[DC_TEXT];
	const struct nfk_dtype *dt;
	enum nfk_byteorder bo;
	unsigned bits;
	uint8_t type = 0;

	if (e->tb[NFTA_EXTHDR_TYPE])
		type = dc_u32(e, NFTA_EXTHDR_TYPE, type);
	v.key = type;
	v.xop = dc_u32(e, NFTA_EXTHDR_OP, NFT_EXTHDR_OP_IPV6);
	v.off = dc_u32(e, NFTA_EXTHDR_OFFSET, 0);
	v.len = dc_u32(e, NFTA_EXTHDR_LEN, 0);
	if (v.len > 16)
		v.len = 16;
	if (!e->tb[NFTA_EXTHDR_SREG]) {
		/* neither load nor write: the option is removed */
		v.present = true;
		dc_rv_render(r, &v, sel, sizeof(sel), &dt, &bo, &bits);
		fprintf(f, "reset %s", sel);
		return;
	}
	dc_rv_render(r, &v, sel, sizeof(sel), &dt, &bo, &bits);
	fprintf(f, "%s set ", sel);
	print_operand(r, f, imm(r, e, NFTA_EXTHDR_SREG), dt, bo, v.len);
}

static void stmt_queue(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	uint16_t num = 0, total = 1, flags = 0;
	const char *d = "";

	if (e->tb[NFTA_QUEUE_NUM])
		num = dc_u32(e, NFTA_QUEUE_NUM, num);
	if (e->tb[NFTA_QUEUE_TOTAL])
		total = dc_u32(e, NFTA_QUEUE_TOTAL, total);
	if (e->tb[NFTA_QUEUE_FLAGS])
		flags = dc_u32(e, NFTA_QUEUE_FLAGS, flags);
	fputs("queue", f);
	if (flags) {
		fputs(" flags ", f);
		if (flags & NFT_QUEUE_FLAG_BYPASS) {
			fputs("bypass", f);
			d = ",";
		}
		if (flags & NFT_QUEUE_FLAG_CPU_FANOUT)
			fprintf(f, "%sfanout", d);
	}
	if (e->tb[NFTA_QUEUE_SREG_QNUM]) {
		fputs(" to ", f);
		print_operand(r, f, imm(r, e, NFTA_QUEUE_SREG_QNUM), nfk_dtype_by_name("integer"),
			      NFK_BO_HOST, 2);
	} else if (total > 1) {
		fprintf(f, " to %u-%u", num, num + total - 1);
	} else if (num || flags) {
		fprintf(f, " to %u", num);
	}
}

static void stmt_dynset(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	static const char *const ops[] = { "add", "update", "delete" };
	uint32_t op = dc_u32(e, NFTA_DYNSET_OP, 0);
	const char *set = dc_str(e, NFTA_DYNSET_SET_NAME);
	const struct ks_set *st = ks_set_find(r->ks, r->family, r->table, set);
	char sel[512] = "?";
	uint64_t timeout = dc_u64(e, NFTA_DYNSET_TIMEOUT, 0);
	struct nfk_list_opts so;

	if (e->tb[NFTA_DYNSET_SREG_KEY])
		dc_key_text(r, dc_u32(e, NFTA_DYNSET_SREG_KEY, 0), st ? st->info.key_len : 4, sel,
			    sizeof(sel));
	/* a meter is a dynamic set nft made for the rule */
	if (st && (st->info.flags & NFT_SET_ANONYMOUS)) {
		fprintf(f, "meter %s ", set);
		if (st->size_desc)
			fprintf(f, "size %u ", st->size_desc);
		fprintf(f, "{ %s", sel);
	} else {
		fprintf(f, "%s @%s { %s", op < 3 ? ops[op] : "unknown", set ? set : "", sel);
	}
	if (timeout) {
		fputs(" timeout ", f);
		ks_print_time_flags(f, timeout, r->o->print);
	}
	/* the statements are templates for new elements: no counter values */
	so = *r->o;
	so.stateless = true;
	if (e->tb[NFTA_DYNSET_EXPR]) {
		fputc(' ', f);
		ks_print_expr_stmt(f, r->ks, r->family, r->table, nfk_attr_data(e->tb[NFTA_DYNSET_EXPR]),
				   nfk_attr_len(e->tb[NFTA_DYNSET_EXPR]), false, &so);
	}
	if (e->tb[NFTA_DYNSET_EXPRESSIONS]) {
		fputc(' ', f);
		ks_print_expr_stmt(f, r->ks, r->family, r->table,
				   nfk_attr_data(e->tb[NFTA_DYNSET_EXPRESSIONS]),
				   nfk_attr_len(e->tb[NFTA_DYNSET_EXPRESSIONS]), true, &so);
	}
	if (e->tb[NFTA_DYNSET_SREG_DATA]) {
		fputs(" : ", f);
		print_operand(r, f, imm(r, e, NFTA_DYNSET_SREG_DATA),
			      st ? nfk_dtype_by_id(st->info.data_type) : NULL, 0,
			      st ? st->info.data_len : 4);
	}
	fputs(" }", f);
}

static const struct {
	const char *name;
	void (*fn)(struct dc_rule *r, FILE *f, const struct dc_expr *e);
} stmts[] = {
	{ "counter", stmt_counter }, { "limit", stmt_limit }, { "quota", stmt_quota },
	{ "log", stmt_log }, { "notrack", stmt_notrack }, { "reject", stmt_reject },
	{ "nat", stmt_nat }, { "masq", stmt_masq }, { "redir", stmt_redir },
	{ "objref", stmt_objref }, { "meta", stmt_meta_set }, { "ct", stmt_ct_set },
	{ "payload", stmt_payload_set }, { "queue", stmt_queue }, { "dynset", stmt_dynset },
	{ "exthdr", stmt_exthdr },
};

bool dc_stmt_expr(struct dc_rule *r, const struct dc_expr *e)
{
	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++) {
		if (strcmp(stmts[i].name, e->name) == 0) {
			FILE *f = dc_stmt_begin(r);

			if (!f)
				return true;
			r->in_stmt = true;
			stmts[i].fn(r, f, e);
			r->in_stmt = false;
			dc_stmt_end(r, DEP_NONE);
			dc_deps_reset(r);
			return true;
		}
	}
	return false;
}

void ks_print_expr_stmt(FILE *f, const struct nfk_kstate *ks, int family, const char *table,
			const void *data, size_t len, bool list, const struct nfk_list_opts *o)
{
	struct dc_rule r;
	struct dc_expr e;

	dc_rule_init(&r, ks, family, table, o);
	if (!list) {
		if (dc_expr_parse(&e, data, len) == 0)
			dc_expr(&r, &e);
	} else {
		nfk_attr_for_each(a, rem, data, len) {
			if (dc_expr_parse(&e, nfk_attr_data(a), nfk_attr_len(a)) == 0)
				dc_expr(&r, &e);
		}
	}
	dc_rule_finish(&r, f);
}

/* ---- set elements ----------------------------------------------------- */

struct elem {
	const uint8_t *key, *key_end;
	size_t klen, kelen;
	const struct nlattr *objref;
	uint32_t flags;
	bool has_data;        /* " : " and, if known, a verdict or a value */
	bool verdict;
	int32_t code;
	const char *chain;
	const uint8_t *val;
	size_t vlen;
	uint64_t timeout, expires;
	bool has_timeout, has_expires;
	const uint8_t *udata;
	size_t ulen;
	const struct nlattr *expr, *exprs;
	size_t idx;           /* position in the kernel's dump: ties keep it */
};

static const uint8_t *key_of(const struct nlattr *nest, size_t *len)
{
	return dc_data_value(nest, len);
}

static int elem_parse(struct elem *el, const struct nlattr *a)
{
	const struct nlattr *tb[NFTA_SET_ELEM_MAX + 1];

	memset(el, 0, sizeof(*el));
	if (nfk_attr_index(nfk_attr_data(a), nfk_attr_len(a), tb, NFTA_SET_ELEM_MAX) < 0)
		return -EINVAL;
	el->key = key_of(tb[NFTA_SET_ELEM_KEY], &el->klen);
	el->key_end = key_of(tb[NFTA_SET_ELEM_KEY_END], &el->kelen);
	if (tb[NFTA_SET_ELEM_DATA]) {
		el->has_data = true;
		el->verdict = dc_data_verdict(tb[NFTA_SET_ELEM_DATA], &el->code, &el->chain);
		if (!el->verdict)
			el->val = dc_data_value(tb[NFTA_SET_ELEM_DATA], &el->vlen);
	}
	el->objref = tb[NFTA_SET_ELEM_OBJREF];
	el->flags = nfk_tb_be32(tb, NFTA_SET_ELEM_FLAGS, 0);
	el->has_timeout = tb[NFTA_SET_ELEM_TIMEOUT] != NULL;
	el->timeout = nfk_tb_be64(tb, NFTA_SET_ELEM_TIMEOUT, 0);
	el->has_expires = tb[NFTA_SET_ELEM_EXPIRATION] != NULL;
	el->expires = nfk_tb_be64(tb, NFTA_SET_ELEM_EXPIRATION, 0);
	if (tb[NFTA_SET_ELEM_USERDATA]) {
		el->udata = nfk_attr_data(tb[NFTA_SET_ELEM_USERDATA]);
		el->ulen = nfk_attr_len(tb[NFTA_SET_ELEM_USERDATA]);
	}
	el->expr = tb[NFTA_SET_ELEM_EXPR];
	el->exprs = tb[NFTA_SET_ELEM_EXPRESSIONS];
	if (!el->key && !(el->flags & NFT_SET_ELEM_CATCHALL))
		return -EINVAL;
	return 0;
}

static enum nfk_byteorder key_bo(const struct ks_set *st)
{
	unsigned id = st->info.key_type;
	const struct nfk_dtype *t;
	size_t l;
	const uint8_t *b = ks_udata_get(st->info.udata, st->info.udata_len,
					KS_UDATA_SET_KEYBYTEORDER, &l);

	if (b && l == 4) {
		uint32_t v;

		memcpy(&v, b, 4);
		/* nft's enum byteorder: 1 = host, 2 = big endian */
		return v == 1 ? NFK_BO_HOST : NFK_BO_BIG;
	}
	if (id > NFK_TYPE_MASK)
		return NFK_BO_BIG;
	t = nfk_dtype_by_id(id);
	return t ? nfk_dtype_bo(t) : NFK_BO_BIG;
}

static int cmp_bytes(const uint8_t *a, size_t al, const uint8_t *b, size_t bl, enum nfk_byteorder bo)
{
	size_t n = al < bl ? al : bl;

	if (bo == NFK_BO_HOST && al == bl) {
		for (size_t i = n; i-- > 0;)
			if (a[i] != b[i])
				return a[i] < b[i] ? -1 : 1;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return al < bl ? -1 : al > bl;
}

/* How nft orders the elements it lists (a stable sort of the kernel's
 * dump): by value; a flag combination by its lowest flag; a concatenation
 * by its raw bytes read as one host-order number. */
struct sort_ctx {
	enum nfk_byteorder bo;
	bool bitmask, concat;
};

static uint64_t lowest_bit(const uint8_t *k, size_t len, enum nfk_byteorder bo)
{
	uint64_t v = len <= 8 ? nfk_value_get_uint(k, (unsigned)len, bo) : 0;

	return v & (~v + 1);
}

static int elem_cmp(const void *x, const void *y, void *ctx)
{
	const struct elem *a = x, *b = y;
	const struct sort_ctx *sc = ctx;
	int c = 0;

	if ((a->flags ^ b->flags) & NFT_SET_ELEM_CATCHALL)
		return a->flags & NFT_SET_ELEM_CATCHALL ? 1 : -1;
	if (sc->bitmask) {
		uint64_t la = lowest_bit(a->key, a->klen, sc->bo), lb = lowest_bit(b->key, b->klen, sc->bo);

		c = la < lb ? -1 : la > lb;
		if (!c && a->klen <= 8 && b->klen <= 8) {
			/* same lowest flag: the combination comes first */
			int pa = __builtin_popcountll(nfk_value_get_uint(a->key, (unsigned)a->klen, sc->bo));
			int pb = __builtin_popcountll(nfk_value_get_uint(b->key, (unsigned)b->klen, sc->bo));

			c = pb - pa;
		}
	} else {
		c = cmp_bytes(a->key, a->klen, b->key, b->klen, sc->concat ? NFK_BO_HOST : sc->bo);
	}
	if (c)
		return c;
	/* an interval end sorts before a start at the same key */
	c = (int)(b->flags & NFT_SET_ELEM_INTERVAL_END) - (int)(a->flags & NFT_SET_ELEM_INTERVAL_END);
	if (c)
		return c;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

/* Elements per line in named sets, by key type, as nft wraps them. */
static unsigned wrap_count(uint32_t type)
{
	switch (type) {
	case NFK_TYPE_NFPROTO: case NFK_TYPE_INTEGER: case NFK_TYPE_ARPOP:
	case NFK_TYPE_INET_PROTOCOL: case NFK_TYPE_INET_SERVICE: case NFK_TYPE_TCP_FLAG:
	case NFK_TYPE_DCCP_PKTTYPE: case NFK_TYPE_MARK: case NFK_TYPE_IFINDEX:
	case NFK_TYPE_CLASSID: case NFK_TYPE_UID: case NFK_TYPE_GID: case NFK_TYPE_CT_DIR:
		return 5;
	case NFK_TYPE_IPADDR: case NFK_TYPE_CT_STATE: case NFK_TYPE_CT_STATUS:
	case NFK_TYPE_PKTTYPE:
		return 2;
	default:
		return 1;
	}
}

/* Prints a bitmask value as a set element: "syn | ack", not "syn,ack". */
static void print_bar_list(FILE *f, const struct nfk_dtype *t, enum nfk_byteorder bo,
			   const uint8_t *k, size_t kl, unsigned flags)
{
	char buf[256];
	FILE *m = fmemopen(buf, sizeof(buf), "w");

	if (!m)
		return;
	dc_print_typed(m, t, bo, k, kl, flags);
	fputc(0, m);
	fclose(m);
	buf[sizeof(buf) - 1] = 0;
	for (const char *p = buf; *p; p++) {
		if (*p == ',')
			fputs(" | ", f);
		else
			fputc(*p, f);
	}
}

/* Applies a view (shift and width) to a big-endian key; bytes in out. */
static unsigned view_value(const struct dc_view *view, const uint8_t *k, size_t kl, uint8_t *out)
{
	uint64_t x = 0;
	unsigned nb = (view->bits + 7) / 8;

	for (size_t i = 0; i < kl && i < 8; i++)
		x = x << 8 | k[i];
	x >>= view->shift;
	if (view->bits < 64)
		x &= (1ull << view->bits) - 1;
	for (unsigned i = nb; i-- > 0;) {
		out[i] = (uint8_t)x;
		x >>= 8;
	}
	return nb;
}

/* A concatenated key some of whose members are masked header fields. */
static void print_concat_view(FILE *f, const struct ks_set *st, const uint8_t *k, size_t kl,
			      const struct nfk_list_opts *o, const struct dc_view *view)
{
	unsigned ids[16], n = dc_type_members(st->info.key_type, ids, 16);
	size_t off = 0;

	for (unsigned i = 0; i < n && off < kl; i++) {
		const struct nfk_dtype *t = nfk_dtype_by_id(ids[i]);
		unsigned tl = t ? nfk_dtype_len(t) : 4;
		unsigned ml = st->field_count > i ? st->field_len[i] : (tl ? NFK_ALIGN(tl) : 16);
		uint8_t vb[8];

		if (i < view->nm && view->m[i].dtype)
			ml = NFK_ALIGN(view->m[i].len), tl = view->m[i].len;
		if (!tl || tl > ml)
			tl = ml;
		if (off + ml > kl)
			break;
		if (i)
			fputs(" . ", f);
		if (i < view->nm && view->m[i].dtype && tl <= 8) {
			struct dc_view one = { .dtype = view->m[i].dtype, .shift = view->m[i].shift,
					       .bits = view->m[i].bits };
			unsigned nb = view_value(&one, k + off, tl, vb);

			dc_print_typed(f, one.dtype, NFK_BO_BIG, vb, nb, o->print);
		} else {
			dc_print_typed(f, t, t ? nfk_dtype_bo(t) : NFK_BO_BIG, k + off, tl, o->print);
		}
		off += ml;
	}
}

static void print_key(FILE *f, const struct ks_set *st, const uint8_t *k, size_t kl,
		      const struct nfk_list_opts *o, enum nfk_byteorder bo,
		      const struct dc_view *view)
{
	unsigned id = st->info.key_type;
	const struct nfk_dtype *t;
	uint8_t vb[8];

	if (view && view->bits && kl <= 8) {
		kl = view_value(view, k, kl, vb);
		k = vb;
		bo = NFK_BO_BIG;
	}
	if (view && view->raw)
		t = NULL;
	else if (view && view->dtype)
		t = view->dtype;
	else if (id <= NFK_TYPE_MASK)
		t = nfk_dtype_by_id(id);
	else if (view && view->nm) {
		print_concat_view(f, st, k, kl, o, view);
		return;
	} else {
		ks_print_value(f, id, k, kl, o->print, st->info.udata, st->info.udata_len, false);
		return;
	}
	if (t && t->bitmask)
		print_bar_list(f, t, bo, k, kl, o->print);
	else
		dc_print_typed(f, t, bo, k, kl, o->print);
}

/* Prefix length when [a, b] is a CIDR block, else -1. */
static int range_prefix(const uint8_t *a, const uint8_t *b, size_t len)
{
	size_t bits = len * 8, i;
	size_t p;

	for (p = 0; p < bits; p++) {
		bool ab = a[p / 8] & (0x80 >> (p % 8)), bb = b[p / 8] & (0x80 >> (p % 8));

		if (ab != bb)
			break;
	}
	for (i = p; i < bits; i++) {
		bool ab = a[i / 8] & (0x80 >> (i % 8)), bb = b[i / 8] & (0x80 >> (i % 8));

		if (ab || !bb)
			return -1;
	}
	return (int)p;
}

static bool is_addr_type(uint32_t id)
{
	return id == NFK_TYPE_IPADDR || id == NFK_TYPE_IP6ADDR;
}

static void print_range(FILE *f, const struct ks_set *st, uint32_t id, const uint8_t *a,
			const uint8_t *b, size_t len, const struct nfk_list_opts *o,
			enum nfk_byteorder bo, const struct dc_view *view)
{
	const struct nfk_dtype *t = view && view->dtype ? view->dtype : nfk_dtype_by_id(id);
	uint8_t va[8], vb[8];
	int p;

	if (!memcmp(a, b, len)) {
		if (st->info.key_type > NFK_TYPE_MASK && !(view && view->bits))
			dc_print_typed(f, t, bo, a, len, o->print);
		else
			print_key(f, st, a, len, o, bo, view);
		return;
	}
	if (view && view->bits && len <= 8) {
		view_value(view, a, len, va);
		len = view_value(view, b, len, vb);
		a = va;
		b = vb;
		bo = NFK_BO_BIG;
	}
	p = range_prefix(a, b, len);
	if (p >= 0 && is_addr_type(id) && !(view && view->bits)) {
		dc_print_typed(f, t, bo, a, len, o->print);
		fprintf(f, "/%d", p);
		return;
	}
	/* range bounds are numbers, as in rules */
	dc_print_bound(f, t, bo, a, len, o->print);
	fputc('-', f);
	dc_print_bound(f, t, bo, b, len, o->print);
}

/* Concatenated range (key .. key_end): each member as value, prefix or range. */
static void print_concat_range(FILE *f, const struct ks_set *st, const struct elem *el,
			       const struct nfk_list_opts *o)
{
	unsigned ids[16], n = dc_type_members(st->info.key_type, ids, 16);
	size_t off = 0;

	for (unsigned i = 0; i < n && off < el->klen; i++) {
		const struct nfk_dtype *t = nfk_dtype_by_id(ids[i]);
		unsigned tl = t ? nfk_dtype_len(t) : 4;
		unsigned ml = st->field_count > i ? st->field_len[i] : (tl ? NFK_ALIGN(tl) : 16);

		if (!tl || tl > ml)
			tl = ml;
		if (off + ml > el->klen || off + ml > el->kelen)
			break;
		if (i)
			fputs(" . ", f);
		/* interval keys are stored in network order, marks included */
		print_range(f, st, ids[i], el->key + off, el->key_end + off, tl, o, NFK_BO_BIG, NULL);
		off += ml;
	}
}

static void print_elem_extras(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
			      const struct elem *el, const struct nfk_list_opts *o)
{
	if (el->has_timeout && el->timeout != st->timeout) {
		fputs(" timeout ", f);
		ks_print_time_flags(f, el->timeout, o->print);
	}
	if (el->has_expires && !o->stateless) {
		fputs(" expires ", f);
		ks_print_time_flags(f, el->expires, o->print);
	}
	if (el->expr) {
		fputc(' ', f);
		ks_print_expr_stmt(f, ks, st->family, st->table, nfk_attr_data(el->expr),
				   nfk_attr_len(el->expr), false, o);
	}
	if (el->exprs) {
		fputc(' ', f);
		ks_print_expr_stmt(f, ks, st->family, st->table, nfk_attr_data(el->exprs),
				   nfk_attr_len(el->exprs), true, o);
	}
	if (el->udata) {
		size_t cl;
		const uint8_t *c = ks_udata_get(el->udata, el->ulen, KS_UDATA_SET_ELEM_COMMENT, &cl);

		if (c && cl)
			fprintf(f, " comment \"%.*s\"", (int)strnlen((const char *)c, cl), (const char *)c);
	}
}

static bool data_interval(const struct ks_set *st)
{
	size_t l;
	const uint8_t *d = ks_udata_get(st->info.udata, st->info.udata_len,
					KS_UDATA_SET_DATA_INTERVAL, &l);

	return d && l == 4 && (d[0] | d[1] | d[2] | d[3]);
}

static void print_elem_data(FILE *f, const struct ks_set *st, const struct elem *el,
			    const struct nfk_list_opts *o)
{
	const uint8_t *v = el->val;
	size_t vl = el->vlen;

	if (el->objref) {
		const char *s = nfk_attr_get_str(el->objref);

		fprintf(f, " : \"%s\"", s ? s : "");
		return;
	}
	if (!el->has_data)
		return;
	fputs(" : ", f);
	if (el->verdict) {
		dc_print_verdict(f, el->code, el->chain);
		return;
	}
	if (!v)
		return;
	if (data_interval(st) && vl % 2 == 0 && st->info.data_type > NFK_TYPE_MASK) {
		/* a concatenation of intervals (nat "address . port"): all
		 * members' low values, then all their high values */
		unsigned ids[8], n = 0;
		size_t half = vl / 2, off = 0;
		for (uint32_t id = st->info.data_type; id && n < 8; id >>= NFK_TYPE_BITS)
			ids[n++] = id & NFK_TYPE_MASK;
		for (unsigned i = n; i-- > 0; ) {
			const struct nfk_dtype *t = nfk_dtype_by_id(ids[i]);
			size_t l = t ? nfk_dtype_len(t) : 0;
			if (!l || off + l > half)
				break;
			if (i != n - 1)
				fputs(" . ", f);
			if (!memcmp(v + off, v + half + off, l))
				dc_print_typed(f, t, nfk_dtype_bo(t), v + off, l, o->print);
			else
				print_range(f, st, ids[i], v + off, v + half + off, l, o, nfk_dtype_bo(t),
					    &(struct dc_view){ .dtype = t });
			off += (l + 3) & ~(size_t)3;
		}
		return;
	}
	if (data_interval(st) && vl % 2 == 0 && st->info.data_type <= NFK_TYPE_MASK) {
		/* an interval's first and last value, one after the other */
		print_range(f, st, st->info.data_type, v, v + vl / 2, vl / 2, o, NFK_BO_BIG,
			    &(struct dc_view){ .dtype = nfk_dtype_by_id(st->info.data_type) });
		return;
	}
	ks_print_value(f, st->info.data_type, v, vl, o->print, st->info.udata, st->info.udata_len,
		       true);
}

size_t ks_set_nelems(const struct nfk_kstate *ks, const struct ks_set *st)
{
	size_t n = st->packed.n;

	for (uint32_t m = 0; m < st->elem_n; m++) {
		const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];

		ks_index(ks, KS_ELEM, st->elem_first + m, tb, NFTA_SET_ELEM_LIST_MAX);
		if (!tb[NFTA_SET_ELEM_LIST_ELEMENTS])
			continue;
		nfk_attr_for_each(a, rem, nfk_attr_data(tb[NFTA_SET_ELEM_LIST_ELEMENTS]),
				  nfk_attr_len(tb[NFTA_SET_ELEM_LIST_ELEMENTS]))
			n++;
	}
	return n;
}

void ks_print_elements(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
		       const struct nfk_list_opts *o, bool named, const char *indent)
{
	dc_print_elements(f, ks, st, o, named, NULL);
	(void)indent;
}

/* Element i of a packed set (setstream.c), as parsed from its message.
 * Sets every field a record holds; the others stay as el had them (zero). */
static void elem_unpack(struct elem *el, const struct ks_packed *p, size_t i)
{
	const uint8_t *r = ks_packed_rec(p, i), *d = r + 1 + p->klen;
	bool key = r[0] & KS_PK_KEY, data = r[0] & KS_PK_DATA;
	uint16_t ci = KS_PK_NOCHAIN;

	el->idx = i;
	el->flags = (r[0] & KS_PK_START ? 0 : NFT_SET_ELEM_INTERVAL_END) |
		    (r[0] & KS_PK_CATCHALL ? NFT_SET_ELEM_CATCHALL : 0);
	el->key = key ? r + 1 : NULL;
	el->klen = key ? p->klen : 0;
	el->has_data = data;
	el->verdict = data && p->verdict;
	el->val = data && !p->verdict ? d : NULL;
	el->vlen = data && !p->verdict ? p->dlen : 0;
	el->code = 0;
	if (el->verdict) {
		memcpy(&el->code, d, 4);
		memcpy(&ci, d + 4, 2);
	}
	el->chain = ci < p->nchains ? p->chains[ci] : NULL;
}

/* The printing of a run of elements: "{ ", each element with its
 * separator and nft's line wrapping, " }". */
struct elem_out {
	FILE *f;
	const struct nfk_kstate *ks;
	const struct ks_set *st;
	const struct nfk_list_opts *o;
	const struct dc_view *view;
	enum nfk_byteorder bo;
	bool interval, named;
	unsigned per_line, count;
	const char *sep;
};

/* next: the element after el in listing order (an interval runs up to
 * it), or NULL. */
static void elem_out(struct elem_out *w, const struct elem *el, const struct elem *next)
{
	const struct ks_set *st = w->st;
	FILE *f = w->f;

	if (el->flags & NFT_SET_ELEM_INTERVAL_END)
		return;
	fputs(w->sep, f);
	if (el->flags & NFT_SET_ELEM_CATCHALL) {
		fputc('*', f);
	} else if (el->key_end) {
		print_concat_range(f, st, el, w->o);
	} else if (w->interval && st->info.key_type <= NFK_TYPE_MASK && el->klen <= 64) {
		uint8_t last[64];
		size_t kl = el->klen;

		/* an interval runs up to the next element, whether that
		 * ends it or starts the next one */
		if (next && next->klen == kl && !(next->flags & NFT_SET_ELEM_CATCHALL)) {
			memcpy(last, next->key, kl);
			for (size_t b = kl; b-- > 0;)
				if (last[b]-- != 0)
					break;
		} else {
			memset(last, 0xff, kl);
		}
		print_range(f, st, st->info.key_type, el->key, last, kl, w->o, w->bo, w->view);
	} else {
		print_key(f, st, el->key, el->klen, w->o, w->bo, w->view);
	}
	print_elem_extras(f, w->ks, st, el, w->o);
	print_elem_data(f, st, el, w->o);
	w->count++;
	if (w->per_line && w->count < w->per_line) {
		w->sep = ", ";
	} else if (w->named) {
		w->sep = ",\n\t\t\t     ";
		w->count = 0;
	} else {
		w->sep = ", ";
	}
}

/* Packed records straight to text, sorted in place (radix, no element
 * array); elements are unpacked two at a time for the interval lookahead. */
static void print_packed(struct elem_out *w, bool sort, bool big)
{
	const struct ks_packed *p = &w->st->packed;
	struct elem e[2], *cur = &e[0], *nxt = &e[1];

	memset(e, 0, sizeof(e));
	if (sort)
		(void)ks_packed_sort(p, big);   /* unsorted when out of memory */
	elem_unpack(cur, p, 0);
	for (size_t i = 0; i < p->n; i++) {
		struct elem *t;

		if (i + 1 < p->n)
			elem_unpack(nxt, p, i + 1);
		elem_out(w, cur, i + 1 < p->n ? nxt : NULL);
		t = cur;
		cur = nxt;
		nxt = t;
	}
}

static int elems_add(struct elem **v, size_t *n, size_t *cap)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 64;
		struct elem *nv = realloc(*v, nc * sizeof(**v));

		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = nc;
	}
	return 0;
}

void dc_print_elements(FILE *f, const struct nfk_kstate *ks, const struct ks_set *st,
		       const struct nfk_list_opts *o, bool named, const struct dc_view *view)
{
	struct dc_view raw = { .raw = true };
	struct elem *v = NULL;
	size_t n = 0, cap = 0, total = ks_set_nelems(ks, st);
	bool interval = st->info.flags & NFT_SET_INTERVAL;
	bool concat = st->info.key_type > NFK_TYPE_MASK;
	/* nft stores interval keys in network order whatever the type */
	enum nfk_byteorder bo = interval ? NFK_BO_BIG : key_bo(st);
	const struct nfk_dtype *kt = !concat ? nfk_dtype_by_id(st->info.key_type) : NULL;
	/* concatenated intervals come as the kernel keeps them, as in nft */
	bool sort = total > 1 && !o->query_order && !(o->kernel_order && !interval) &&
		    !(interval && concat);
	struct sort_ctx sc = {
		.bo = bo,
		.bitmask = !interval && kt && kt->bitmask && kt->syms,
		.concat = !interval && concat,
	};
	struct elem_out w = {
		.f = f, .ks = ks, .st = st, .o = o, .view = view, .bo = bo,
		.interval = interval, .named = named,
		.per_line = named ? wrap_count(st->info.key_type) : 0, .sep = "",
	};

	if (ks_typeof_raw(st->info.udata, st->info.udata_len) && !(view && view->bits))
		w.view = &raw;
	fputs("{ ", f);
	if (st->packed.n && !st->elem_n && !(sort && sc.bitmask)) {
		print_packed(&w, sort, !sc.concat && sc.bo == NFK_BO_BIG);
		fputs(" }", f);
		return;
	}
	for (uint32_t m = 0; m < st->elem_n; m++) {
		const struct nlattr *tb[NFTA_SET_ELEM_LIST_MAX + 1];

		ks_index(ks, KS_ELEM, st->elem_first + m, tb, NFTA_SET_ELEM_LIST_MAX);
		if (!tb[NFTA_SET_ELEM_LIST_ELEMENTS])
			continue;
		nfk_attr_for_each(a, rem, nfk_attr_data(tb[NFTA_SET_ELEM_LIST_ELEMENTS]),
				  nfk_attr_len(tb[NFTA_SET_ELEM_LIST_ELEMENTS])) {
			if (elems_add(&v, &n, &cap) < 0)
				goto out;
			if (elem_parse(&v[n], a) == 0) {
				v[n].idx = n;
				n++;
			}
		}
	}
	for (size_t i = 0; i < st->packed.n; i++) {
		if (elems_add(&v, &n, &cap) < 0)
			goto out;
		memset(&v[n], 0, sizeof(v[n]));
		elem_unpack(&v[n], &st->packed, i);
		v[n].idx = n;
		n++;
	}
	if (sort && n > 1)
		qsort_r(v, n, sizeof(*v), elem_cmp, &sc);
	for (size_t i = 0; i < n; i++)
		elem_out(&w, &v[i], i + 1 < n ? &v[i + 1] : NULL);
out:
	fputs(" }", f);
	free(v);
}

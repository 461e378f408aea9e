// SPDX-License-Identifier: MIT
/*
 * Flowtables: declarations, messages, and the flow offload statement.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

static struct stmt *parse_flow(P *p)
{
	struct stmt *s = ps_st(p, ST_FLOW, &p->tok.loc);

	ps_next(p);
	if (!s)
		return NULL;
	if (!ps_accept(p, "add") && !ps_accept(p, "offload"))
		return ps_unexpected(p, "add"), NULL;
	if (p->tok.kind != T_SETREF)
		return ps_unexpected(p, NULL), NULL;
	s->flowtable = ps_tokdup(p, &p->tok);
	ps_next(p);
	return s;
}

/* One item of a flowtable block, with its separator. */
static bool flowtable_item(P *p, struct flowtable_decl *f)
{
	if (ps_accept(p, "hook")) {
		f->hook_loc = p->tok.loc;
		if (!(f->hook = ps_ident(p, "string")))
			return false;
		if (ps_is(p, "priority") && !ps_priority(p, &f->prio))
			return false;
	} else if (ps_accept(p, "devices")) {
		if (!ps_devices(p, &f->devices, &f->ndev))
			return false;
	} else if (ps_accept(p, "flags")) {
		do {
			if (ps_accept(p, "offload"))
				f->flags |= NFT_FLOWTABLE_HW_OFFLOAD;
			else if (ps_accept(p, "counter"))
				f->flags |= NFT_FLOWTABLE_COUNTER;
			else
				return ps_unexpected(p, NULL), false;
		} while (ps_accept_kind(p, ','));
	} else if (ps_accept(p, "counter")) {
		f->flags |= NFT_FLOWTABLE_COUNTER;
	} else {
		return ps_unexpected(p, NULL), false;
	}
	return ps_end_item(p);
}

bool ps_flowtable_body(P *p, struct flowtable_decl *f)
{
	int depth = p->depth;

	if (!ps_expect(p, '{', "'{'"))
		return false;
	ps_skip_seps(p);
	while (p->tok.kind != '}') {
		/* an error in an item is nft's: recover at the end of its line */
		if (!flowtable_item(p, f) && !ps_recover(p, depth))
			return false;
		ps_skip_seps(p);
	}
	ps_next(p);
	return true;
}

/* ---- compile ----------------------------------------------------------- */

bool cc_flowtable(struct cctx *c, const struct nfk_cmd *cmd, int family,
			      const char *table, const struct flowtable_decl *f)
{
	struct nfk_buf *b;
	uint16_t flags = NLM_F_CREATE | (cmd->op == NFK_CMD_CREATE ? NLM_F_EXCL : 0);
	int hooknum = 0;
	int32_t prio = 0;

	if (f->hook) {
		hooknum = nfk_hook_by_name(NFPROTO_NETDEV, f->hook);
		if (hooknum < 0) {
			cc_err(c, &f->hook_loc, "unknown chain hook");
			return false;
		}
	}
	if (!cc_priority(c, family, hooknum, &f->prio, "", &prio))
		return false;
	struct nlmsghdr *nlh = nfk_batch_msg(c->b, &b, NFT_MSG_NEWFLOWTABLE, flags, family, &f->loc);
	if (!nlh)
		return false;
	bool ok = nfk_attr_put_str(b, NFTA_FLOWTABLE_TABLE, table) &&
		  nfk_attr_put_str(b, NFTA_FLOWTABLE_NAME, f->name);
	if (ok && f->hook) {
		struct nlattr *h = nfk_nest_start(b, NFTA_FLOWTABLE_HOOK);
		ok = h && nfk_schema_put_uint(b, &nfk_flowtable_hook_schema, NFTA_FLOWTABLE_HOOK_NUM, hooknum) &&
		     nfk_schema_put_uint(b, &nfk_flowtable_hook_schema, NFTA_FLOWTABLE_HOOK_PRIORITY, (uint32_t)prio);
		if (ok && f->ndev)
			ok = cc_put_devices(b, NFTA_FLOWTABLE_HOOK_DEVS, f->devices, f->ndev);
		if (h)
			nfk_nest_end(b, h);
	}
	ok = ok && nfk_schema_put_uint(b, &nfk_flowtable_schema, NFTA_FLOWTABLE_FLAGS, f->flags);
	if (!ok) {
		nfk_batch_cancel_msg(c->b, nlh);
		return false;
	}
	cc_end_msg(c, nlh, &f->loc);
	return true;
}

static bool flow_compile(struct rctx *r, const struct stmt *st)
{
	struct ebuf e;

	return cc_expr_begin(r->b, &e, "flow_offload") &&
	       nfk_attr_put_str(r->b, NFTA_FLOW_TABLE_NAME, st->flowtable) && cc_expr_end(r->b, &e);
}

/* ---- list -------------------------------------------------------------- */

static void stmt_flow(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	const char *name = dc_str(e, NFTA_FLOW_TABLE_NAME);
	(void)r;

	fprintf(f, "flow add @%s", name ? name : "");
}

/* ---- registration ----------------------------------------------------------- */

const struct lang_family nfk_lang_flowtable = {
	.name = "flowtable",
	.words = (const struct lang_word[]){ { "flow", parse_flow }, { NULL, NULL } },
	.st_kinds = (const enum st_kind[]){ ST_FLOW, ST_NONE },
	.compile = flow_compile,
	.dc = (const struct lang_dc[]){ { "flow_offload", NULL, stmt_flow }, { NULL, NULL, NULL } },
};

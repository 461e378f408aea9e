// SPDX-License-Identifier: MIT
/*
 * The log statement.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/nf_log.h>

#include "family.h"

/* ---- parse ------------------------------------------------------------- */

static const struct nfk_sym log_levels[] = {
	{ "emerg", 0 }, { "alert", 1 }, { "crit", 2 }, { "err", 3 }, { "warn", 4 },
	{ "notice", 5 }, { "info", 6 }, { "debug", 7 }, { "audit", 8 }, { NULL, 0 },
};

static struct stmt *parse_log(P *p)
{
	struct stmt *s = ps_st(p, ST_LOG, &p->tok.loc);
	uint64_t v;

	ps_next(p);
	if (!s)
		return NULL;
	for (;;) {
		if (ps_accept(p, "prefix")) {
			if (!(s->log.prefix = ps_ident(p, "quoted string")))
				return NULL;
		} else if (ps_accept(p, "level")) {
			bool ok = false;

			if (p->tok.kind == T_WORD && isdigit((unsigned char)p->tok.s[0])) {
				ps_unexpected_number(p, "string or quoted string or string with a trailing asterisk");
				return NULL;
			}
			const char *w = p->tok.s;
			size_t n = p->tok.len;

			if (p->tok.kind == T_STRING)   /* quoted is as good */
				w++, n -= 2;
			else if (p->tok.kind != T_WORD)
				n = 0;
			for (const struct nfk_sym *l = log_levels; n && l->name; l++)
				if (strlen(l->name) == n && !memcmp(w, l->name, n)) {
					s->log.level = l->value;
					ok = true;
				}
			if (!ok) {
				ps_err(p, &p->tok.loc, "invalid log level");
				return NULL;
			}
			s->log.has_level = true;
			ps_next(p);
		} else if (ps_accept(p, "group")) {
			if (!ps_number_max(p, &v, UINT16_MAX))
				return NULL;
			s->log.group = v, s->log.has_group = true;
		} else if (ps_accept(p, "snaplen")) {
			if (!ps_number_max(p, &v, UINT32_MAX))
				return NULL;
			s->log.snaplen = v, s->log.has_snaplen = true;
		} else if (ps_accept(p, "queue-threshold")) {
			if (!ps_number_max(p, &v, UINT16_MAX))
				return NULL;
			s->log.qthreshold = v, s->log.has_qthreshold = true;
		} else if (ps_accept(p, "flags")) {
			do {
				if (ps_accept(p, "tcp")) {
					for (;;) {
						if (ps_accept(p, "sequence"))
							s->log.flags |= NF_LOG_TCPSEQ;
						else if (ps_accept(p, "options"))
							s->log.flags |= NF_LOG_TCPOPT;
						else
							return ps_unexpected(p, NULL), NULL;
						if (p->tok.kind != ',' || ps_peek(p)->kind != T_WORD ||
						    !(nfk_tok_is(&p->la, "sequence") ||
						      nfk_tok_is(&p->la, "options")))
							break;
						ps_next(p);
					}
				} else if (ps_accept(p, "ip")) {
					if (!ps_accept(p, "options"))
						return ps_unexpected(p, NULL), NULL;
					s->log.flags |= NF_LOG_IPOPT;
				} else if (ps_accept(p, "skuid")) {
					s->log.flags |= NF_LOG_UID;
				} else if (ps_accept(p, "ether")) {
					s->log.flags |= NF_LOG_MACDECODE;
				} else if (ps_accept(p, "all")) {
					s->log.flags |= NF_LOG_MASK;
				} else {
					return ps_unexpected(p, NULL), NULL;
				}
			} while (ps_accept_kind(p, ','));
		} else {
			break;
		}
	}
	/* nflog (group) and the kernel log (level, flags) take different
	 * options, and the audit log none */
	bool nflog = s->log.has_group || s->log.has_snaplen || s->log.has_qthreshold;
	const char *clash = NULL;

	if (nflog && s->log.has_level)
		clash = "level and group are mutually exclusive";
	else if (nflog && s->log.flags)
		clash = "flags and group are mutually exclusive";
	else if (s->log.has_level && s->log.level == 8 /* audit */ && (s->log.prefix || s->log.flags))
		clash = "log level audit doesn't support any further options";
	if (clash)
		ps_err_eval(p, &s->loc, "%s", clash);
	return s;
}

/* ---- compile ------------------------------------------------------------- */

static bool log_compile(struct rctx *r, const struct stmt *st)
{
	const struct st_log *l = &st->log;
	const struct nfk_schema *sc = nfk_expr_log.schema;
	struct nfk_buf *b = r->b;
	struct ebuf e;

	return cc_expr_begin(b, &e, "log") &&
	       (!l->prefix || nfk_attr_put_str(b, NFTA_LOG_PREFIX, l->prefix)) &&
	       (!l->has_group || nfk_schema_put_uint(b, sc, NFTA_LOG_GROUP, l->group)) &&
	       (!l->has_snaplen || nfk_schema_put_uint(b, sc, NFTA_LOG_SNAPLEN, l->snaplen)) &&
	       (!l->has_qthreshold || nfk_schema_put_uint(b, sc, NFTA_LOG_QTHRESHOLD, l->qthreshold)) &&
	       (!l->has_level || nfk_schema_put_uint(b, sc, NFTA_LOG_LEVEL, l->level)) &&
	       (!l->flags || nfk_schema_put_uint(b, sc, NFTA_LOG_FLAGS, l->flags)) &&
	       cc_expr_end(b, &e);
}

/* ---- list -------------------------------------------------------------- */


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
			fprintf(f, " level %s", l < 9 ? log_levels[l].name : "unknown");
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

static void stmt_log(struct dc_rule *r, FILE *f, const struct dc_expr *e)
{
	(void)r;
	print_log(f, e);
}

/* ---- registration ----------------------------------------------------------- */

const struct lang_family nfk_lang_log = {
	.name = "log",
	.words = (const struct lang_word[]){ { "log", parse_log }, { NULL, NULL } },
	.st_kinds = (const enum st_kind[]){ ST_LOG, ST_NONE },
	.err_loc = cc_stmt_keyword,
	.compile = log_compile,
	.dc = (const struct lang_dc[]){ { "log", NULL, stmt_log }, { NULL, NULL, NULL } },
};

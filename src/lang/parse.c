// SPDX-License-Identifier: MIT
/* Recursive-descent parser for the nft language.  Statements and
 * selectors are dispatched from tables by their leading keyword, so the
 * rest of the language slots in as table lines plus a parse function. */
#include <ctype.h>
#include <inttypes.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <glob.h>
#include <unistd.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/xfrm.h>
#include <linux/netfilter/nf_log.h>
#include <linux/netfilter/nf_synproxy.h>

#include "family.h"

/* ---- token plumbing ----------------------------------------------------- */

/* nft's grammar recovers from an error at the end of the line and goes on
 * to report the next errors, up to ten of them.  Its recovery skips to the
 * next newline or ';' whatever braces come on the way: a '}' skipped does
 * not close the block, so the parse goes on at the depth of the error
 * (`depth`).  Reaching the end of input inside a block is then nft's
 * "unexpected end of file".  false: give up (too many errors, end of
 * input, or a failure that printed nothing). */

bool ps_recover(P *p, int depth)
{
	if (!p->failed || (!p->eval_failed && ++p->sc->nerrs >= NFK_DIAG_ERRORS))
		return false;
	p->eval_failed = false;
	p->any_failed = true;
	p->failed = false;
	while (p->tok.kind != T_NL && p->tok.kind != ';') {
		if (p->tok.kind == T_EOF) {
			/* (nft says nothing more when a file ends without a newline) */
			const struct nfk_src *src = p->tok.loc.src;
			bool nl_end = !src || !src->name || (src->len && src->text[src->len - 1] == '\n');
			if (depth > 0 && !p->eof_said && nl_end)
				ps_unexpected_eof(p, NULL);
			p->failed = true;
			return false;
		}
		ps_next(p);
	}
	ps_next(p);
	p->depth = depth + (p->tok.kind == '{');
	return true;
}

void ps_err(P *p, const struct nfk_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ps_err(P *p, const struct nfk_loc *loc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (p->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nfk_diag_add(p->ds, loc, "%s", msg);
	p->failed = true;
	p->pend_eval = false;   /* a syntax error is what nft reports */
}

/* An error nft finds when it evaluates what parsed (a value out of range,
 * options that exclude each other).  The parse goes on: a syntax error
 * later in the rule is what nft reports then; else ps_eval_flush() reports
 * it at the rule's end, after every syntax error, and it does not count
 * among the ten the parser stops at.  The first one of a rule is kept. */
void ps_err_eval(P *p, const struct nfk_loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (p->failed || p->pend_eval)
		return;
	va_start(ap, fmt);
	vsnprintf(p->pend_msg, sizeof(p->pend_msg), fmt, ap);
	va_end(ap);
	p->pend_loc = *loc;
	p->pend_eval = true;
}

bool ps_eval_flush(P *p)
{
	if (!p->pend_eval)
		return true;
	p->pend_eval = false;
	if (p->failed)
		return false;
	if (p->sc->nevals++ < NFK_DIAG_ERRORS) {
		nfk_diag_add(p->ds, &p->pend_loc, "%s", p->pend_msg);
		nfk_diag_tag_eval(p->ds, (unsigned)p->sc->ncmds);   /* the one being parsed */
	}
	p->failed = true;
	p->eval_failed = true;
	return false;
}

void ps_unexpected(P *p, const char *expecting)
{
	char d[64];

	nfk_tok_describe(&p->tok, d, sizeof(d));
	p->eof_said |= p->tok.kind == T_EOF;
	/* nft's scanner has no variable token: '$' comes alone, then a name */
	if (p->tok.kind == T_VAR) {
		struct nfk_loc l = p->tok.loc;

		l.col_end = l.col;
		snprintf(d, sizeof(d), "'$'");
		if (expecting)
			ps_err(p, &l, "syntax error, unexpected %s, expecting %s", d, expecting);
		else
			ps_err(p, &l, "syntax error, unexpected %s", d);
		return;
	}
	/* nft ends command-line input with a newline */
	if (p->tok.kind == T_EOF && p->tok.loc.src && !p->tok.loc.src->name)
		snprintf(d, sizeof(d), "newline");
	if (expecting)
		ps_err(p, &p->tok.loc, "syntax error, unexpected %s, expecting %s", d, expecting);
	else
		ps_err(p, &p->tok.loc, "syntax error, unexpected %s", d);
}

char *ps_tokdup(P *p, const struct nfk_tok *t)
{
	if (t->kind == T_STRING)
		return nfk_arena_strndup(p->ar, t->s + 1, t->len - 2);
	if (t->kind == T_VAR || t->kind == T_SETREF)
		return nfk_arena_strndup(p->ar, t->s + 1, t->len - 1);
	return nfk_arena_strndup(p->ar, t->s, t->len);
}

/* An identifier: a word or a quoted string. */
const char *ps_ident(P *p, const char *what)
{
	if (p->tok.kind != T_WORD && p->tok.kind != T_STRING) {
		ps_unexpected(p, what);
		return NULL;
	}
	char *s = ps_tokdup(p, &p->tok);
	ps_next(p);
	return s;
}

/* nft counts bytes, not characters, and marks the string. */
const char *ps_comment(P *p)
{
	struct nfk_loc at = p->tok.loc;
	const char *s = ps_ident(p, "quoted string");

	if (s && strlen(s) > NFK_COMMENT_MAX) {
		ps_err(p, &at, "comment too long, %d characters maximum allowed", NFK_COMMENT_MAX);
		return NULL;
	}
	return s;
}

static const char *const family_words[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };

const char *ps_name(P *p)
{
	const struct nfk_tok *t = &p->tok;

	if (t->kind == T_WORD && t->s[0] >= '0' && t->s[0] <= '9') {
		/* nft's scanner reads the leading digits as a number */
		struct nfk_loc l = t->loc;
		uint32_t d = 0;

		while (d < t->len && t->s[d] >= '0' && t->s[d] <= '9')
			d++;
		l.col_end = l.col + d - 1;
		ps_err(p, &l, "syntax error, unexpected number, expecting string");
		return NULL;
	}
	for (size_t i = 0; t->kind == T_WORD && i < sizeof(family_words) / sizeof(family_words[0]); i++)
		if (nfk_tok_is(t, family_words[i]))
			return ps_unexpected(p, "string"), NULL;
	if (t->kind != T_WORD)
		return ps_unexpected(p, "string"), NULL;
	return ps_ident(p, "string");
}

bool ps_expect(P *p, int kind, const char *what)
{
	if (p->tok.kind == kind) {
		ps_next(p);
		return true;
	}
	ps_unexpected(p, what);
	return false;
}

bool ps_u64(const struct nfk_tok *t, uint64_t *v)
{
	char buf[32], *end;

	if (t->kind != T_WORD || t->len >= sizeof(buf) || !isdigit((unsigned char)t->s[0]))
		return false;
	memcpy(buf, t->s, t->len);
	buf[t->len] = 0;
	errno = 0;
	*v = strtoull(buf, &end, 0);
	return !*end && !errno;
}

bool ps_number(P *p, uint64_t *v)
{
	if (!ps_u64(&p->tok, v)) {
		ps_unexpected(p, "number");
		return false;
	}
	ps_next(p);
	return true;
}

bool ps_number_max(P *p, uint64_t *v, uint64_t max)
{
	struct nfk_loc at = p->tok.loc;

	if (!ps_number(p, v))
		return false;
	if (*v > max)
		ps_err_eval(p, &at, "Value %" PRIu64 " exceeds valid range 0-%" PRIu64, *v, max);
	return true;
}

/* Extends a to b's end, also on a later line: nft's location then runs
 * from a's first column to b's last, columns of different lines (as it
 * prints them: "3:17-8", nothing underlined). */
static void span_lines(struct nfk_loc *a, const struct nfk_loc *b)
{
	if (b->line > a->line || (b->line == a->line && b->col_end > a->col_end))
		a->col_end = b->col_end;
}

struct ex *ps_ex(P *p, enum ex_kind kind, const struct nfk_loc *loc)
{
	struct ex *e = nfk_arena_alloc(p->ar, sizeof(*e));

	if (!e) {
		ps_err(p, loc, "out of memory");
		return NULL;
	}
	e->kind = kind;
	e->loc = *loc;
	return e;
}

/* The location of the previous token's end is not kept; spans extend to
 * the last token consumed, which callers pass explicitly. */

/* ---- time and numbers ------------------------------------------------- */

/* Continues lexing at byte offset off of the current token's line: the
 * rest of a word nft's scanner would have split ("1s" "1d"). */
void ps_relex_from(P *p, size_t off)
{
	p->lx.pos = p->tok.loc.offset + off;
	p->lx.col = p->tok.loc.col + (uint32_t)off;
	p->lx.line = p->tok.loc.line;
	p->lx.line_start = p->tok.loc.offset - (p->tok.loc.col - 1);
	p->has_la = false;
}

/* The syntax error nft gives where a word starting with digits stands
 * for a string: its scanner reads the digits (or 0x and hex digits) as a
 * number token of their own. */
void ps_unexpected_number(P *p, const char *expecting)
{
	const struct nfk_tok *t = &p->tok;
	struct nfk_loc l = t->loc;
	uint32_t d = 0;

	if (t->len > 2 && t->s[0] == '0' && (t->s[1] == 'x' || t->s[1] == 'X') &&
	    isxdigit((unsigned char)t->s[2])) {
		d = 2;
		while (d < t->len && isxdigit((unsigned char)t->s[d]))
			d++;
	} else {
		while (d < t->len && isdigit((unsigned char)t->s[d]))
			d++;
	}
	l.col_end = l.col + (d ? d : 1) - 1;
	ps_err(p, &l, "syntax error, unexpected number, expecting %s", expecting);
}

/* A time: "1d2h", "30s", "500ms", or a quoted string holding one.  As
 * nft's scanner, a word whose start is a time string ends there, and a
 * bare number is no string. */
bool ps_time(P *p, uint64_t *ms)
{
	char buf[64], err[64];
	size_t span = p->tok.len;

	if (p->tok.kind == T_WORD) {
		span = nfk_time_span(p->tok.s, p->tok.len);
		if (!span && isdigit((unsigned char)p->tok.s[0])) {
			ps_unexpected_number(p, "string");
			return false;
		}
		if (!span)
			span = p->tok.len;
	} else if (p->tok.kind != T_STRING) {
		ps_unexpected(p, NULL);
		return false;
	}
	if (span >= sizeof(buf)) {
		ps_err(p, &p->tok.loc, "value too large");
		return false;
	}
	if (p->tok.kind == T_STRING)
		nfk_tok_copy(buf, sizeof(buf), &p->tok);
	else
		memcpy(buf, p->tok.s, span), buf[span] = 0;
	if (nfk_time_parse(buf, ms, err, sizeof(err))) {
		ps_err(p, &p->tok.loc, "%s", err);
		return false;
	}
	if (p->tok.kind == T_WORD && span < p->tok.len)
		ps_relex_from(p, span);
	ps_next(p);
	return true;
}

/* ---- expressions ---------------------------------------------------------- */


struct ex *ps_define(P *p, const struct nfk_tok *t)
{
	for (struct define *d = p->sc->defines; d; d = d->next)
		if (strlen(d->name) == t->len - 1 && !memcmp(d->name, t->s + 1, t->len - 1))
			return d->value;
	/* nft marks the name, not its '$' */
	struct nfk_loc l = t->loc;
	if (l.col < l.col_end)
		l.col++, l.offset++;
	ps_err(p, &l, "unknown identifier '%.*s'", (int)t->len - 1, t->s + 1);
	return NULL;
}

static const char *const verdict_words[] = {
	[NF_DROP] = "drop", [NF_ACCEPT] = "accept",
};

/* A verdict expression, or NULL (no error) when the word is none. */
struct ex *ps_verdict_expr(P *p)
{
	static const struct { const char *w; int code; bool chain; } vt[] = {
		{ "accept", NF_ACCEPT, false }, { "drop", NF_DROP, false },
		{ "continue", NFT_CONTINUE, false }, { "return", NFT_RETURN, false },
		{ "jump", NFT_JUMP, true }, { "goto", NFT_GOTO, true },
	};
	(void)verdict_words;
	for (size_t i = 0; i < sizeof(vt) / sizeof(vt[0]); i++) {
		if (!ps_is(p, vt[i].w))
			continue;
		struct ex *e = ps_ex(p, EX_VERDICT, &p->tok.loc);
		if (!e)
			return NULL;
		e->code = vt[i].code;
		ps_next(p);
		if (vt[i].chain) {
			/* errors about the chain point at its name, as nft does */
			e->loc = p->tok.loc;
			if (p->tok.kind == T_VAR) {
				struct ex *v = ps_define(p, &p->tok);
				if (!v)
					return NULL;
				e->s = v->s;
				ps_next(p);
			} else if (!(e->s = ps_ident(p, "string"))) {
				return NULL;
			}
		}
		return e;
	}
	return NULL;
}

/* ( expression ): a selector expression or values with binary operators */
static struct ex *ps_group(P *p, const struct nfk_loc *open_loc)
{
	struct nfk_loc open = *open_loc;
	struct ex *in = NULL;

	ps_next(p);
	if (p->tok.kind == T_WORD && (in = ps_lhs(p)) == NULL && p->failed)
		return NULL;
	if (!in) {
		in = ps_value(p);
		while (in && ps_binop_at(p)) {
			int op = ps_binop_at(p);
			ps_next(p);
			struct ex *rv = ps_value(p), *bx;
			if (!rv || !(bx = ps_ex(p, EX_BINOP, &in->loc)))
				return NULL;
			bx->binop = op, bx->a = in, bx->b = rv;
			ps_span(&bx->loc, &rv->loc);
			in = bx;
		}
	}
	if (!in || !ps_expect(p, ')', "')'"))
		return NULL;
	/* the parentheses belong to the expression (nft marks them too) */
	ps_span(&open, &p->prev);
	in->loc = open;
	return in;
}

/* One primary value on the right-hand side or in a set. */
struct ex *ps_value(P *p)
{
	struct nfk_tok t = p->tok;
	struct ex *e = NULL;

	switch (t.kind) {
	case '{':
		p->braces++;
		e = ps_set_block(p);
		p->braces--;
		return e;
	case T_SETREF:
		e = ps_ex(p, EX_SETREF, &t.loc);
		if (e)
			e->s = ps_tokdup(p, &t);
		ps_next(p);
		return e;
	case T_VAR:
		ps_next(p);
		return ps_define(p, &t);
	case T_STRING:
		e = ps_ex(p, EX_STR, &t.loc);
		if (e)
			e->s = ps_tokdup(p, &t);
		ps_next(p);
		return e;
	case '*':
		ps_next(p);
		return ps_ex(p, EX_WILDCARD, &t.loc);
	case '(': {
		struct nfk_loc open = p->tok.loc;
		if (p->parens >= NFK_NEST_PARENS) {
			ps_err(p, &t.loc, "memory exhausted");
			return NULL;
		}
		p->parens++;
		e = ps_group(p, &open);
		p->parens--;
		return e;
	}

	case '[': {
		/* [ip6addr] in nat statements */
		ps_next(p);
		if (p->tok.kind != T_WORD) {
			ps_unexpected(p, NULL);
			return NULL;
		}
		e = ps_ex(p, EX_SYM, &p->tok.loc);
		if (e)
			e->s = ps_tokdup(p, &p->tok);
		ps_next(p);
		if (!ps_expect(p, ']', "']'"))
			return NULL;
		return e;
	}
	case '-':
		/* negative numbers: "priority -100" style values */
		if (ps_peek(p)->kind == T_WORD) {
			ps_next(p);
			e = ps_ex(p, EX_SYM, &t.loc);
			if (e) {
				e->s = nfk_arena_strndup(p->ar, t.s, p->tok.s + p->tok.len - t.s);
				ps_span(&e->loc, &p->tok.loc);
			}
			ps_next(p);
			return e;
		}
		break;
	case T_WORD:
		if ((e = ps_verdict_expr(p)) || p->failed)
			return e;
		e = ps_ex(p, EX_SYM, &t.loc);
		if (e)
			e->s = ps_tokdup(p, &t);
		ps_next(p);
		return e;
	}
	ps_unexpected(p, NULL);
	return NULL;
}

/* value [/ len | - value] */
struct ex *ps_range_value(P *p)
{
	struct ex *e = ps_value(p);

	if (!e)
		return NULL;
	while (ps_binop_at(p)) {
		int op = ps_binop_at(p);
		ps_next(p);
		struct ex *rv = ps_value(p), *bx;
		if (!rv || !(bx = ps_ex(p, EX_BINOP, &e->loc)))
			return NULL;
		bx->binop = op, bx->a = e, bx->b = rv;
		ps_span(&bx->loc, &rv->loc);
		e = bx;
	}
	if (p->tok.kind == '/' && ps_peek(p)->kind == T_WORD &&
	    !(p->la.len && p->la.s[0] >= '0' && p->la.s[0] <= '9'))
		return e;   /* "flags / mask": see parse_rhs */
	if (p->tok.kind == '/') {
		ps_next(p);
		uint64_t len;
		struct nfk_tok lt = p->tok;
		if (!ps_number(p, &len))
			return NULL;
		struct ex *pf = ps_ex(p, EX_PREFIX, &e->loc);
		if (!pf)
			return NULL;
		pf->a = e;
		pf->plen = (int)len;
		ps_span(&pf->loc, &lt.loc);
		return pf;
	}
	if (p->tok.kind == '-') {
		ps_next(p);
		struct ex *hi = ps_value(p);
		if (!hi)
			return NULL;
		struct ex *r = ps_ex(p, EX_RANGE, &e->loc);
		if (!r)
			return NULL;
		r->a = e;
		r->b = hi;
		ps_span(&r->loc, &hi->loc);
		return r;
	}
	return e;
}

bool ps_push(P *p, struct ex *list, struct ex *item, size_t *cap)
{
	if (list->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 4;
		struct ex **nv = nfk_arena_alloc(p->ar, nc * sizeof(*nv));
		if (!nv)
			return false;
		if (list->n)
			memcpy(nv, list->v, list->n * sizeof(*nv));
		list->v = nv;
		*cap = nc;
	}
	list->v[list->n++] = item;
	return true;
}

/* item SEP item SEP ...: one item stands for itself; several become a
 * node of the given kind (concatenations, flag lists). */
static struct ex *ps_separated(P *p, int sep, enum ex_kind kind, struct ex *(*item)(P *))
{
	struct ex *e = item(p);

	if (!e || p->tok.kind != sep)
		return e;
	struct ex *l = ps_ex(p, kind, &e->loc);
	size_t cap = 0;
	if (!l || !ps_push(p, l, e, &cap))
		return NULL;
	while (ps_accept_kind(p, sep)) {
		struct ex *x = item(p);
		if (!x || !ps_push(p, l, x, &cap))
			return NULL;
		ps_span(&l->loc, &x->loc);
	}
	return l;
}

/* a . b . c */
struct ex *ps_concat_value(P *p)
{
	return ps_separated(p, '.', EX_CONCAT, ps_range_value);
}

/* Element options: timeout, expires, comment, counter. */
static struct ex *parse_elem_opts(P *p, struct ex *e)
{
	struct ex *w = NULL;

	for (;;) {
		if (ps_is(p, "timeout") || ps_is(p, "expires") || ps_is(p, "comment")) {
			if (!w) {
				w = ps_ex(p, EX_ELEM, &e->loc);
				if (!w)
					return NULL;
				w->a = e;
			}
			if (ps_accept(p, "timeout")) {
				if (!ps_time(p, &w->elem.timeout))
					return NULL;
			} else if (ps_accept(p, "expires")) {
				if (!ps_time(p, &w->elem.expires))
					return NULL;
			} else {
				ps_next(p);
				if (!(w->elem.comment = ps_comment(p)))
					return NULL;
			}
			continue;
		}
		break;
	}
	return w ? w : e;
}

/* One set element: key [opts] [: data] */
struct ex *ps_set_elem(P *p)
{
	struct ex *k = ps_concat_value(p);

	if (!k)
		return NULL;
	k = parse_elem_opts(p, k);
	if (!k)
		return NULL;
	if (p->tok.kind != ':')
		return k;
	ps_next(p);
	struct ex *d = ps_concat_value(p);
	if (!d)
		return NULL;
	struct ex *m = ps_ex(p, EX_MAPPING, &k->loc);
	if (!m)
		return NULL;
	m->a = k;
	m->b = d;
	return m;
}

void ps_skip_nl(P *p)
{
	while (p->tok.kind == T_NL)
		ps_next(p);
}

struct ex *ps_set_block(P *p)
{
	struct ex *s = ps_ex(p, EX_SET, &p->tok.loc);
	size_t cap = 0;

	if (!s || !ps_expect(p, '{', "'{'"))
		return NULL;
	/* nft's parser stack runs out at the token after that many braces */
	if (p->braces >= NFK_NEST_BRACES) {
		ps_err(p, &p->tok.loc, "memory exhausted");
		return NULL;
	}
	ps_skip_nl(p);
	while (p->tok.kind != '}') {
		struct ex *e = ps_set_elem(p);
		if (!e)
			return NULL;
		if (e->kind == EX_SET) {
			/* a variable holding a set ("{ $int_ifs, $ext_ifs }"): nft
			 * merges its elements into this one */
			for (size_t i = 0; i < e->n; i++)
				if (!ps_push(p, s, e->v[i], &cap))
					return NULL;
		} else if (!ps_push(p, s, e, &cap)) {
			return NULL;
		}
		ps_skip_nl(p);
		if (ps_accept_kind(p, ',')) {
			ps_skip_nl(p);
			continue;
		}
		if (p->tok.kind != '}') {
			ps_unexpected(p, "comma or '}'");
			return NULL;
		}
	}
	ps_span(&s->loc, &p->tok.loc);
	ps_next(p);
	return s;
}

/* The right-hand side: a value, a concatenation or a flag list. */
static struct ex *parse_rhs_list(P *p)
{
	return ps_separated(p, ',', EX_LIST, ps_concat_value);
}

/* value[,value...] [/ mask[,mask...]] */
struct ex *ps_rhs(P *p)
{
	struct ex *e = parse_rhs_list(p);

	if (!e || p->tok.kind != '/')
		return e;
	ps_next(p);
	struct ex *m = parse_rhs_list(p), *pf;
	if (!m || !(pf = ps_ex(p, EX_PREFIX, &e->loc)))
		return NULL;
	pf->a = e;
	pf->b = m;
	pf->plen = -1;
	ps_span(&pf->loc, &m->loc);
	return pf;
}

/* A binary operator at the current token ('&' or "and" ...), or 0. */
int ps_binop_at(P *p)
{
	int op = p->tok.kind;

	if (ps_is(p, "and"))
		return '&';
	if (ps_is(p, "or"))
		return '|';
	if (ps_is(p, "xor"))
		return '^';
	if (ps_is(p, "lshift"))
		return T_SHL;
	if (ps_is(p, "rshift"))
		return T_SHR;
	if (op == '&' || op == '|' || op == '^' || op == T_SHL || op == T_SHR)
		return op;
	return 0;
}

/* ---- selectors (left-hand sides) ----------------------------------------- */

bool ps_word_in(P *p, const struct nfk_sym *t, unsigned *v)
{
	for (; t->name; t++)
		if (ps_is(p, t->name)) {
			*v = t->value;
			ps_next(p);
			return true;
		}
	return false;
}

/* A selector, or NULL without error when the word starts none. */
struct ex *ps_selector(P *p)
{
	struct ex *e = nfk_lang_parse_selector(p);

	/* all of it, as nft locates an expression ("jhash ip saddr mod 2") */
	if (e)
		span_lines(&e->loc, &p->prev);
	return e;
}

/* selector { op value } for bitwise expressions and concatenations */
struct ex *ps_lhs(P *p)
{
	struct ex *e = ps_selector(p);

	if (!e)
		return NULL;
	for (;;) {
		int op = ps_binop_at(p);
		if (!op)
			break;
		ps_next(p);
		struct ex *r = ps_value(p);
		if (!r)
			return NULL;
		struct ex *b = ps_ex(p, EX_BINOP, &e->loc);
		if (!b)
			return NULL;
		b->binop = op;
		b->a = e;
		b->b = r;
		ps_span(&b->loc, &r->loc);
		e = b;
	}
	if (p->tok.kind == '.' ) {
		struct ex *c = ps_ex(p, EX_CONCAT, &e->loc);
		size_t cap = 0;
		if (!c || !ps_push(p, c, e, &cap))
			return NULL;
		while (ps_accept_kind(p, '.')) {
			struct ex *x = ps_selector(p);
			if (!x) {
				ps_unexpected(p, NULL);
				return NULL;
			}
			if (!ps_push(p, c, x, &cap))
				return NULL;
			ps_span(&c->loc, &x->loc);
		}
		e = c;
	}
	return e;
}

/* ---- statements -------------------------------------------------------- */

struct stmt *ps_st(P *p, enum st_kind kind, const struct nfk_loc *loc)
{
	struct stmt *s = nfk_arena_alloc(p->ar, sizeof(*s));

	if (!s) {
		ps_err(p, loc, "out of memory");
		return NULL;
	}
	s->kind = kind;
	s->loc = *loc;
	return s;
}


static struct stmt *stmt_body(P *p);

struct stmt *ps_stmt(P *p)
{
	struct nfk_loc start = p->tok.loc;
	struct stmt *s = stmt_body(p);

	/* nft's location of most statements (kernel errors point there) */
	if (s) {
		s->span = start;
		span_lines(&s->span, &p->prev);
	}
	return s;
}

/* A word nft's scanner reads as a string or a number, no keyword. */
static bool const_lhs(const struct nfk_tok *t)
{
	char what[32];

	nfk_tok_describe(t, what, sizeof(what));
	return !strcmp(what, "string") || !strcmp(what, "number");
}

/* A match of a constant ("foo bar", "22 22", "\"x\" { 1 }"): nft's
 * grammar takes it, its evaluation refuses the left side, which has no
 * type.  What follows is parsed for its syntax errors first: a value, a
 * relational operator, vmap, or the protocol words values may be. */
static struct stmt *const_match(P *p)
{
	static const char *const protos[] = {
		"tcp", "udp", "udplite", "esp", "ah", "icmp", "icmpv6", "igmp", "comp",
		"dccp", "sctp", "vmap",
	};
	struct ex *c = ps_concat_value(p);
	bool ok = !ps_at_end(p);
	char what[32];

	if (!c)
		return NULL;
	nfk_tok_describe(&p->tok, what, sizeof(what));
	if (ok && p->tok.kind == T_WORD && strcmp(what, "string") && strcmp(what, "number")) {
		ok = false;
		for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
			ok |= ps_is(p, protos[i]);
	}
	if (!ok) {
		ps_unexpected(p, NULL);
		return NULL;
	}
	if (c->kind == EX_CONCAT && c->n)
		ps_err_eval(p, &c->v[0]->loc, "Can't parse symbolic invalid expressions");
	else
		ps_err_eval(p, &c->loc, "No symbol type information");
	return ps_match(p, c);
}

static struct stmt *stmt_body(P *p)
{
	struct stmt *s = nfk_lang_parse_word(p);

	if (s || p->failed)
		return s;
	struct ex *lhs = ps_lhs(p);
	if (!lhs) {
		/* nft's grammar takes an unknown word as the start of a match
		 * and complains about what follows it */
		if (!p->failed && p->tok.kind == T_WORD) {
			const struct nfk_tok *la = ps_peek(p);
			if (la->kind == T_NL || la->kind == ';' || la->kind == '}' ||
			    la->kind == T_EOF)
				ps_next(p);
			else if (const_lhs(&p->tok))
				return const_match(p);
		} else if (!p->failed && p->tok.kind == T_STRING) {
			return const_match(p);
		}
		if (!p->failed)
			ps_unexpected(p, NULL);
		return NULL;
	}
	if (!ps_accept(p, "set"))
		return ps_match(p, lhs);
	/* SELECTOR set VALUE: meta mark set X, ct mark set X, ip dscp set X */
	const struct lang_family *fam = nfk_lang_by_ex(lhs->kind);
	if (!fam || !fam->store) {
		ps_err(p, &lhs->loc, "unsupported set statement");
		return NULL;
	}
	if (!(s = ps_st(p, ST_SET, &lhs->loc)))
		return NULL;
	s->set.left = lhs;
	struct ex *src = ps_lhs(p);
	if (!src && p->failed)
		return NULL;
	s->set.right = src ? src : ps_rhs(p);
	if (s->set.right && (ps_is(p, "map") || ps_is(p, "vmap"))) {
		ps_next(p);
		struct ex *m = ps_value(p), *mx;
		if (!m || !(mx = ps_ex(p, EX_MAP, &s->set.right->loc)))
			return NULL;
		mx->a = s->set.right;
		mx->b = m;
		ps_span(&mx->loc, &p->prev);   /* nft's map expression: key to map */
		s->set.right = mx;
	}
	if (!s->set.right)
		return NULL;
	return !fam->set_parsed || fam->set_parsed(p, s) ? s : NULL;
}

/* Statements up to the end of the rule.  The rule's text ends at a
 * newline, ';' or '}' (which is left for the caller). */
struct rule *ps_rule(P *p)
{
	struct rule *r = nfk_arena_alloc(p->ar, sizeof(*r));
	struct stmt **tail;

	if (!r)
		return NULL;
	r->loc = p->tok.loc;
	tail = &r->stmts;
	while (!ps_at_end(p)) {
		if (ps_accept(p, "comment")) {
			if (!(r->comment = ps_comment(p)))
				return NULL;
			continue;
		}
		struct stmt *s = ps_stmt(p);
		if (!s)
			return NULL;
		*tail = s;
		tail = &s->next;
		/* the rule's location spans its statements */
		if (s->loc.line == r->loc.line)
			ps_span(&r->loc, &s->loc);
	}
	if (!r->stmts) {
		ps_unexpected(p, NULL);
		return NULL;
	}
	span_lines(&r->loc, &p->prev);
	return ps_eval_flush(p) ? r : NULL;
}

/* ---- blocks ------------------------------------------------------------- */

bool ps_end_sep(P *p, const char *expecting)
{
	if (p->tok.kind == T_NL || p->tok.kind == ';') {
		ps_next(p);
		return true;
	}
	if (p->tok.kind == '}')
		return true;
	ps_unexpected(p, expecting);
	return false;
}

bool ps_end_item(P *p)
{
	return ps_end_sep(p, "newline or semicolon");
}

/* nft's grammar ends every item of a table, chain, set or map block with a
 * newline or ';' ("chain c { accept }" is a syntax error at its '}'), and
 * its recovery throws that '}' away with the rest of the line: the block
 * stays open, and what follows is read as nft reads it.  The caller
 * recovers (ps_recover()) at the block's depth. */
bool ps_end_strict(P *p, const char *expecting)
{
	if (p->tok.kind == T_NL || p->tok.kind == ';') {
		ps_next(p);
		return true;
	}
	ps_unexpected(p, expecting);
	if (p->tok.kind == '}') {
		ps_next(p);
		p->depth++;
	}
	return false;
}

#define NL_SEMI "newline or semicolon"

void ps_skip_seps(P *p)
{
	while (p->tok.kind == T_NL || p->tok.kind == ';')
		ps_next(p);
}

/* Records the text between '{' and the matching '}' without parsing it. */
bool ps_capture_block(P *p, struct elem_src *es)
{
	if (p->tok.kind != '{') {
		ps_unexpected(p, "'{'");
		return false;
	}
	/* the lexer is positioned right after '{' unless we peeked */
	if (p->has_la) {
		ps_err(p, &p->tok.loc, "internal parser error");
		return false;
	}
	es->src = p->lx.src;
	es->pos = p->lx.pos;
	es->line = p->lx.line;
	es->col = p->lx.col;
	es->line_start = p->lx.line_start;
	long close = nfk_lex_skip_block(&p->lx);
	p->depth--;   /* the block's '}' never becomes a token */
	if (close < 0) {
		nfk_lex_next(&p->lx, &p->tok);
		ps_unexpected(p, "'}'");
		return false;
	}
	es->end = (size_t)close;
	ps_next(p);
	return true;
}

/* An element block, or a variable holding one ("define bl = { ... }",
 * "elements = $bl"): the block is captured where the define wrote it, so
 * it is still parsed as a stream, and its errors point there. */
bool ps_capture_elems(P *p, struct elem_src *es)
{
	if (p->tok.kind != T_VAR)
		return ps_capture_block(p, es);
	const struct ex *v = ps_define(p, &p->tok);
	if (!v)
		return false;
	if (v->kind != EX_SET || !v->loc.src) {
		ps_err(p, &p->tok.loc, "variable '%.*s' is not a set", (int)p->tok.len - 1,
		       p->tok.s + 1);
		return false;
	}
	struct nfk_lexer lx;
	nfk_lex_init(&lx, v->loc.src);
	lx.pos = v->loc.offset + 1;   /* after the define's '{' */
	lx.line = v->loc.line;
	lx.col = v->loc.col + 1;
	lx.line_start = v->loc.offset + 1 - v->loc.col;
	es->src = lx.src;
	es->pos = lx.pos;
	es->line = lx.line;
	es->col = lx.col;
	es->line_start = lx.line_start;
	long close = nfk_lex_skip_block(&lx);
	if (close < 0) {
		ps_err(p, &p->tok.loc, "internal parser error");
		return false;
	}
	es->end = (size_t)close;
	ps_next(p);
	return true;
}

bool ps_flag_list(P *p, const struct nfk_sym *syms, uint32_t *flags)
{
	do {
		bool ok = false;
		for (const struct nfk_sym *s = syms; s->name; s++)
			if (ps_accept(p, s->name)) {
				*flags |= s->value;
				ok = true;
				break;
			}
		if (!ok) {
			ps_unexpected(p, NULL);
			return false;
		}
	} while (ps_accept_kind(p, ','));
	return true;
}


/* ---- ct timeout, ct expectation and synproxy objects ----------------------
 * Their blocks follow nft's grammar closely: most items must end with a
 * newline or ';', a syntax error skips to the next one and the block goes
 * on, and the checks nft makes when the block is complete report their
 * errors without stopping the parse. */

/* An error nft reports from a grammar action: the parse goes on. */
void ps_err_soft(P *p, const struct nfk_loc *loc, const char *msg)
{
	nfk_diag_add(p->ds, loc, "%s", msg);
	p->any_failed = true;
}

void ps_err_eval_now(P *p, const struct nfk_loc *loc, const char *msg)
{
	if (p->sc->nevals++ < NFK_DIAG_ERRORS) {
		nfk_diag_add(p->ds, loc, "%s", msg);
		nfk_diag_tag_eval(p->ds, (unsigned)p->sc->ncmds);
	}
	p->any_failed = true;
}

/* True at the end of command-line input, which nft ends with a newline of
 * its own: that newline may still separate items there. */
bool ps_at_cli_end(P *p)
{
	return p->tok.kind == T_EOF && p->tok.loc.src && !p->tok.loc.src->name;
}

/* "unexpected end of file" where nft puts it: at the end of a file, or in
 * the first column of command-line input. */
void ps_unexpected_eof(P *p, const char *expecting)
{
	struct nfk_loc l = p->tok.loc;

	p->eof_said = true;
	if (ps_at_cli_end(p)) {
		l.offset -= l.col - 1;
		l.col = l.col_end = 1;
	}
	if (expecting)
		ps_err(p, &l, "syntax error, unexpected end of file, expecting %s", expecting);
	else
		ps_err(p, &l, "syntax error, unexpected end of file");
}

/* nft's recovery inside these blocks: skip to the next newline or ';',
 * braces included (a '}' skipped on the way does not close the block). */
bool ps_obj_recover(P *p)
{
	if (!p->failed || (!p->eval_failed && ++p->sc->nerrs >= NFK_DIAG_ERRORS))
		return false;
	p->eval_failed = false;
	p->any_failed = true;
	p->failed = false;
	while (p->tok.kind != T_NL && p->tok.kind != ';') {
		if (p->tok.kind == T_EOF) {
			ps_unexpected_eof(p, NULL);
			return false;
		}
		ps_next(p);
	}
	ps_next(p);
	return true;
}

bool ps_obj_sep(P *p)
{
	if (p->tok.kind == T_NL || p->tok.kind == ';') {
		ps_next(p);
		return true;
	}
	if (ps_at_cli_end(p))
		return true;
	ps_unexpected(p, "newline or semicolon");
	return false;
}

